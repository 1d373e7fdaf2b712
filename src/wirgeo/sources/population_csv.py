"""A plain population CSV (AGS, population, reference date) for figures newer than Destatis'.

Reading goes in named steps: decode the bytes (UTF-8, or Windows-1252 when unambiguous:
``sources._text``), tell the separator, map the header to ``ags``/``population``/``date``/
``name`` through German aliases, then read and check row by row (as many fields as the
header, numbers plausible for a Gemeinde, dates that exist).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._parsing import norm_header, parse_count, parse_date
from wirgeo.sources._text import csv_rows, read_text
from wirgeo.sources.keys import check_key
from wirgeo.sources.population_table import (
    PopulationTable,
    blank_record,
    check_unique_ags,
    municipality_frame,
    no_districts,
)

__all__ = ["read_population_csv"]

# Header names accepted for each column, normalised (no case, spaces or hyphens).
_CSV_ALIASES = {
    "ags": ("ags", "gemeindeschlüssel", "gemeindeschluessel", "gkz", "schlüssel",
            "amtlichergemeindeschlüssel", "key"),
    "population": ("population", "einwohner", "einwohnerzahl", "bevölkerung", "bevoelkerung",
                   "ewz", "insgesamt", "bevölkerunginsgesamt"),
    "date": ("date", "stichtag", "reference_date", "referencedate", "datum", "stand"),
    "name": ("name", "gemeinde", "gemeindename"),
}


def _column_index(header: list[str], path: Path, reference_date: dt.date | None
                  ) -> dict[str, int]:
    """Position of each known column (the first header matching an alias wins)."""
    normalised = [norm_header(h) for h in header]
    index = {}
    for key, aliases in _CSV_ALIASES.items():
        for j, h in enumerate(normalised):
            if h in aliases:
                index[key] = j
                break
    for key in ("ags", "population"):
        if key not in index:
            raise InputError(path, f"no {key} column in the header ({', '.join(header)})",
                             row=1, column=key,
                             fix="name the columns ags;population;date")
    if "date" not in index and reference_date is None:
        raise InputError(path, "no date column (Stichtag) and no reference date given",
                         row=1, column="date",
                         fix="add a column 'date' with the reference date, e.g. 2024-12-31")
    return index


def _read_row(values: list[str], n: int, header: list[str], index: dict[str, int],
              path: Path) -> tuple[dict[str, object], dt.date | None]:
    """One municipality record and the date on its row (None without a date column)."""
    ags = check_key(values[index["ags"]].strip(), 8, source=path, row=n,
                    column=header[index["ags"]])
    population = parse_count(values[index["population"]], source=path, row=n,
                             column=header[index["population"]])
    if population < 0:
        raise InputError(path, f"population {population} is negative", row=n,
                         column=header[index["population"]],
                         fix="population must be 0 or more")
    date = None
    if "date" in index:
        date = parse_date(values[index["date"]], source=path, row=n,
                          column=header[index["date"]])
        if date is None:
            raise InputError(path, f"{values[index['date']]!r} is not a date", row=n,
                             column=header[index["date"]],
                             fix="write dates as 2024-12-31 or 31.12.2024")
    record = blank_record()
    record.update(ags=ags, population=population, row=n,
                  name_official=values[index["name"]].strip() if "name" in index else None)
    return record, date


def _check_width(values: list[str], header: list[str], n: int, delimiter: str,
                 path: Path) -> None:
    """Every row has as many fields as the header: extra fields are never dropped."""
    if len(values) < len(header):
        raise InputError(path, f"row has {len(values)} fields, header has {len(header)}",
                         row=n, fix=f"separate fields with {delimiter!r}")
    if len(values) > len(header):
        fix = ("a number written with a thousands separator (164,792) splits into two "
               "fields in a comma-separated file: write numbers without separators, or "
               "separate fields with ';'" if delimiter == "," else
               "remove the extra fields, or quote a value that contains ';'")
        raise InputError(path, f"row has {len(values)} fields, header has {len(header)}",
                         row=n, fix=fix)


def _table_date(dates: set[dt.date], reference_date: dt.date | None, path: Path) -> dt.date:
    """The one date of the table: from its rows, else the one given."""
    if len(dates) > 1:
        raise InputError(path, f"rows carry {len(dates)} different dates "
                         f"({', '.join(sorted(map(str, dates)))})", column="date",
                         fix="give one reference date for the whole table")
    if dates:
        return dates.pop()
    # _column_index accepts a table without a date column only with a reference date
    assert reference_date is not None
    return reference_date


def read_population_csv(path: str | Path, reference_date: dt.date | None = None
                        ) -> PopulationTable:
    """Read a plain population table: AGS, population, reference date.

    Comma or semicolon separated, UTF-8 (with or without BOM) or Windows-1252. Header
    names are matched case-insensitively with German aliases (``AGS``/``Gemeindeschlüssel``,
    ``Einwohner``/``Bevölkerung``, ``Stichtag``). The date column may be left out if
    ``reference_date`` is given; all rows must share one date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = p.write_text("ags,population,date\\n6411000,165000,2024-12-31\\n")
    >>> read_population_csv(p)
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...p.csv, row 2, column 'ags': key '6411000' has 7 digits \
instead of 8: it was probably read as a number and lost its leading zero (should probably \
be '06411000'). Fix: ...
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, "population file not found",
                                  fix="give the path of a CSV with columns ags, population, "
                                      "date")
    text = read_text(path)[0]
    rows, delimiter = csv_rows(text, path, fix_empty="write a header row: ags;population;date")
    reader = iter(rows)
    header = next(reader)
    index = _column_index(header, path, reference_date)
    records = []
    dates = set()
    for n, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        _check_width(values, header, n, delimiter, path)
        record, date = _read_row(values, n, header, index, path)
        records.append(record)
        if date is not None:
            dates.add(date)
    if not records:
        raise InputError(path, "no data rows", fix="add one row per municipality")
    date = _table_date(dates, reference_date, path)
    frame = municipality_frame(records)
    check_unique_ags(frame, path, column=header[index["ags"]])
    return PopulationTable(path, frame, no_districts(), date, "csv")
