"""The Zensus 2022 results per Gemeinde: population, age, foreign nationals, migration.

The statistical offices of the Federation and the Länder published the results of the
census of 15 May 2022 per Gemeinde. wirgeo reads them in the layout of the table at
``zensus2022/census2022_municipality_demographics_housing_<state>.csv`` (one row per
Gemeinde, comma-separated UTF-8; see ``../shared/data/PROVENANCE.md``): the key ``ags``,
``municipality_name``, ``population_census22`` and the shares ``share_…_census22`` in
percent with one decimal, as published.

Cells the statistical offices withheld (secrecy) are empty in the file and stay missing
here — nullable columns (``Int64``, ``Float64``), never 0. A cell that is neither empty
nor a number, a share outside 0–100, a key that lost its leading zero or a Gemeinde
listed twice is one :class:`~wirgeo.errors.InputError` naming file, row, column and fix.

The table lists Gemeinden as the census found them. Putting its figures on today's
territory (a Gemeinde that has since merged into another) is the join's business:
:func:`wirgeo.municipalities.census_on_territory`.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "zensus.csv"
>>> _ = path.write_text(
...     "ags,municipality_name,population_census22,share_under18_census22,"
...     "share_60plus_census22,share_foreign_census22,share_migration_bg_census22\\n"
...     "06535001,Alsfeld,16022.0,16.9,30.2,10.2,\\n")
>>> table = read_zensus(path)
>>> row = table.frame.iloc[0]
>>> row.ags, int(row.population), float(row.foreign_share), row.migration_share
('06535001', 16022, 10.2, <NA>)
>>> str(table.reference_date)
'2022-05-15'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._parsing import MAX_POPULATION, parse_float
from wirgeo.sources._text import csv_rows, read_text
from wirgeo.sources.keys import check_key
from wirgeo.sources.population_table import (
    ZENSUS_ATTRIBUTION,
    PopulationTable,
    blank_record,
    check_unique_ags,
    municipality_frame,
    no_districts,
)

__all__ = ["ZENSUS_DATE", "ZENSUS_ATTRIBUTION", "ZENSUS_LICENCE", "ZENSUS_COLUMNS",
           "SHARE_COLUMNS", "ZensusTable", "read_zensus", "is_zensus_header"]

#: The census reference date (Zensusstichtag).
ZENSUS_DATE = dt.date(2022, 5, 15)


#: The licence of the published results.
ZENSUS_LICENCE = ("Datenlizenz Deutschland – Namensnennung – 2.0 (dl-de/by-2-0, "
                  "https://www.govdata.de/dl-de/by-2-0)")

#: Published column → wirgeo's column, in the published order. ``*_share`` columns are
#: percent of the population, as published (one decimal). The table's housing columns
#: (household size, dwellings, vacancy, ownership, rent) are not read: they describe
#: dwellings, not people, and wirgeo does not use them.
ZENSUS_COLUMNS = {
    "ags": "ags",
    "municipality_name": "name_official",
    "population_census22": "population",
    "share_under18_census22": "under18_share",
    "share_18to29_census22": "age18to29_share",
    "share_30to49_census22": "age30to49_share",
    "share_50to59_census22": "age50to59_share",
    "share_60plus_census22": "over60_share",
    "share_foreign_census22": "foreign_share",
    "share_migration_bg_census22": "migration_share",
}
#: Columns the table must have (the others are read when present).
REQUIRED = ("ags", "municipality_name", "population_census22", "share_under18_census22",
            "share_60plus_census22", "share_foreign_census22", "share_migration_bg_census22")
#: wirgeo's share columns (percent, 0–100).
SHARE_COLUMNS = tuple(c for c in ZENSUS_COLUMNS.values() if c.endswith("_share"))

# what identifies the layout: the census population column
_SIGNATURE = "population_census22"


def is_zensus_header(first_line: str) -> bool:
    """Whether the header line of a CSV is that of the Zensus 2022 table.

    Examples
    --------
    >>> is_zensus_header("ags,municipality_name,population_census22,share_foreign_census22")
    True
    >>> is_zensus_header("ags;population;date")
    False
    """
    # comma as published, or semicolons from a German Excel: either separates the cells
    cells = re.split(r"[;,]", first_line)
    return _SIGNATURE in {c.strip().strip('"').lstrip("\ufeff").lower() for c in cells}


@dataclass(frozen=True)
class ZensusTable:
    """The Zensus 2022 figures of the Gemeinden of one table.

    Attributes
    ----------
    path : Path or None
        The file read (None for a table made in memory, e.g. the embedded bundle's).
    frame : DataFrame
        One row per Gemeinde, in the file's order: ``ags`` (8 digits), ``name_official``,
        ``population`` (``Int64``), every ``*_share`` of :data:`SHARE_COLUMNS` (percent,
        ``Float64``) and ``row`` (the row in the file). Withheld cells are missing
        (``<NA>``), never 0; optional columns the file lacks are missing throughout.
    reference_date : datetime.date
        The census date, 15.05.2022.
    merged : tuple of tuple
        Territorial changes already applied to these rows, each ``(new_ags, new_name,
        old_ags, in_force)`` (the embedded bundle carries the figures on today's
        territory).
    embedded : bool
        The table is wirgeo's embedded copy (:func:`wirgeo.sources.read_bundle_census`).
    """

    path: Path | None
    frame: pd.DataFrame
    reference_date: dt.date = ZENSUS_DATE
    merged: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()
    embedded: bool = False

    @property
    def attribution(self) -> str:
        """``Statistische Ämter des Bundes und der Länder, Zensus 2022`` with its date."""
        return f"{ZENSUS_ATTRIBUTION} ({self.reference_date.strftime('%d.%m.%Y')})"

    def for_state(self, state: str) -> ZensusTable:
        """The rows of one state."""
        rows = self.frame[self.frame["ags"].str[:2] == state].reset_index(drop=True)
        return ZensusTable(self.path, rows, self.reference_date, self.merged, self.embedded)

    def withheld(self) -> dict[str, int]:
        """Missing cells per column (the file's withheld values), columns with any only."""
        counts = self.frame.drop(columns=["ags", "name_official", "row"]).isna().sum()
        return {str(k): int(v) for k, v in counts.items() if v}

    def population_table(self) -> PopulationTable:
        """The census population as a population release (``--population``).

        Raises
        ------
        InputError
            A Gemeinde whose population is withheld: a release needs every figure.
        """
        records = []
        for r in self.frame.itertuples(index=False):
            if pd.isna(r.population):
                raise InputError(self.path, _("the population of AGS {ags} is withheld "
                                              "(empty cell): a population release needs "
                                              "a figure for every Gemeinde").format(
                                                  ags=r.ags), row=int(r.row),
                                 column="population_census22",
                                 fix=_("use the published figure, or give the release "
                                       "without this Gemeinde and name its basis"))
            record = blank_record()
            record.update(ags=r.ags, name_official=r.name_official,
                          population=int(r.population), row=int(r.row))
            records.append(record)
        frame = municipality_frame(records)
        return PopulationTable(self.path, frame, no_districts(), self.reference_date,
                               "zensus2022")


def _header(cells: list[str], path: Path) -> dict[str, int]:
    """Position of every published column the file has; the required ones must be there."""
    names = [c.strip().lstrip("\ufeff").lower() for c in cells]
    twice = sorted(n for n in set(names) if n and names.count(n) > 1)
    if twice:
        raise InputError(path, _("column {column} appears twice in the header").format(
            column=twice[0]), row=1, column=twice[0], fix=_("give each column once"))
    for column in REQUIRED:
        if column not in names:
            raise InputError(path, _("the Zensus 2022 table has no column {column}").format(
                column=column), row=1, column=column,
                fix=_("give the table as published (header: {columns})").format(
                    columns=", ".join(REQUIRED)))
    return {name: names.index(name) for name in ZENSUS_COLUMNS if name in names}


def _share(value: str, path: Path, row: int, column: str) -> float | None:
    share = parse_float(value, source=path, row=row, column=column)
    if share is not None and not 0 <= share <= 100:
        raise InputError(path, _("{value} is not a share in percent").format(value=value),
                         row=row, column=column,
                         fix=_("shares are percent of the population, from 0 to 100"))
    return share


def _count(value: str, path: Path, row: int, column: str) -> int | None:
    """A count of persons (the population); a withheld cell is None."""
    # the census writes counts as 16022.0: a whole number with a decimal point
    number = parse_float(value, source=path, row=row, column=column)
    if number is None:
        return None
    if not number.is_integer() or number < 0:
        raise InputError(path, _("{value} is not a count").format(value=value), row=row,
                         column=column, fix=_("counts are whole numbers, 0 or more"))
    count = int(number)
    if column == "population_census22" and count > MAX_POPULATION:
        raise InputError(path, _("{value} inhabitants is not plausible for one "
                                 "Gemeinde").format(value=value), row=row, column=column,
                         fix=_("check the figure: a sum or a unit error?"))
    return count


def _row(values: list[str], n: int, index: dict[str, int], path: Path
         ) -> dict[str, object]:
    """One Gemeinde: every published column the file has, checked cell by cell."""
    record: dict[str, object] = dict.fromkeys(ZENSUS_COLUMNS.values())
    for published, position in index.items():
        ours, cell = ZENSUS_COLUMNS[published], values[position]
        if ours == "ags":
            record[ours] = check_key(cell.strip(), 8, source=path, row=n, column=published)
        elif ours == "name_official":
            record[ours] = cell.strip()
        elif ours == "population":
            record[ours] = _count(cell, path, n, published)
        else:
            record[ours] = _share(cell, path, n, published)
    record["row"] = n
    return record


def _frame(records: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=[*ZENSUS_COLUMNS.values(), "row"])
    frame["population"] = frame["population"].astype("Int64")
    for column in SHARE_COLUMNS:
        frame[column] = frame[column].astype("Float64")
    frame["name_official"] = frame["name_official"].astype(object)
    return frame


def read_zensus(path: str | Path) -> ZensusTable:
    """Read the Zensus 2022 table of Gemeinden (see the module for the layout).

    Parameters
    ----------
    path : str or Path
        The CSV as published (comma-separated; a German Excel's semicolons and decimal
        commas are read too).

    Returns
    -------
    ZensusTable

    Raises
    ------
    InputError
        Naming file, row, column and fix: a missing column, a row with more or fewer
        fields than the header, a key that lost its leading zero, a cell that is not a
        number, a share outside 0–100, a Gemeinde listed twice, no rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "z.csv"
    >>> header = ",".join(REQUIRED)
    >>> _ = p.write_text(header + "\\n06535001,Alsfeld,16022.0,16.9,30.2,110.2,21.0\\n")
    >>> read_zensus(p)
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...z.csv, Zeile 2, Spalte 'share_foreign_census22': 110.2 ist \
kein Anteil in Prozent. Abhilfe: Anteile sind Prozent der Einwohner, von 0 bis 100.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, _("Zensus 2022 table not found"),
                                  fix=_("give the path of the Zensus 2022 CSV "
                                        "(zensus2022/census2022_…csv)"))
    rows, delimiter = csv_rows(read_text(path)[0], path,
                               fix_empty=_("give the Zensus 2022 table as published"))
    header = rows[0]
    index = _header(header, path)
    records = []
    for n, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise InputError(path, _("row has {fields} fields, the header has "
                                     "{columns}").format(fields=len(values),
                                                         columns=len(header)), row=n,
                             fix=_("separate fields with {delimiter!r} and quote a name "
                                   "that contains one").format(delimiter=delimiter))
        records.append(_row(values, n, index, path))
    if not records:
        raise InputError(path, _("no data rows"), fix=_("add one row per Gemeinde"))
    frame = _frame(records)
    check_unique_ags(frame, path, column="ags")
    return ZensusTable(path, frame)
