"""The Destatis municipality directory (GV-ISys), read into a :class:`PopulationTable`.

The product is "Gemeinden in Deutschland nach Fläche, Bevölkerung und Postleitzahl". Its
sheet ``Onlineprodukt_Gemeinden<date>`` starts with title rows (which carry the reference
date), then two header rows, then one row per territorial unit. Reading goes in named
steps: find the sheet, find the header, map the columns by their header text, date the
table, then read the Kreis (``Satzart`` 40) and Gemeinde (``Satzart`` 60) rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wirgeo.core.i18n import _, translate
from wirgeo.core.inputs import note_input
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._parsing import norm_header, parse_count, parse_date, parse_float, parse_int
from wirgeo.sources.discovery import HOW_TO_GET_SOURCES
from wirgeo.sources.keys import check_key
from wirgeo.sources.population_table import (
    DISTRICT_COLUMNS,
    PopulationTable,
    check_unique_ags,
    municipality_frame,
)

__all__ = ["read_destatis_gv", "check_population_workbook"]

Row = tuple[object, ...]

_SATZARTEN = {"10", "20", "30", "40", "50", "60"}  # Land, RB, Region, Kreis, VB, Gemeinde

# Header groups (top row, merged over several columns) and, where the group has several
# columns, the sub-header below naming each; matched on the normalised text, in order.
_GROUPS: tuple[tuple[tuple[str, ...], str | dict[str, str]], ...] = (
    (("satzart",), "satzart"),
    (("textkenn",), "textkennzeichen"),
    (("amtlicherregionalschlüssel", "amtlichergemeindeschlüssel"),
     {"land": "land", "rb": "rb", "kreis": "kreis", "vb": "vb", "gem": "gem"}),
    (("gemeindename",), "name"),
    (("fläche",), "area"),
    (("bevölkerung", "bevoelkerung"),
     {"insgesamt": "pop", "männlich": "male", "weiblich": "female", "jekm2": "density"}),
    (("postleit",), "postcode"),
    (("geografischemittelpunkt",), {"längengrad": "lon", "breitengrad": "lat"}),
    (("gradderverstädterung",), {"schlüssel": "urb_code", "bezeichnung": "urb"}),
)

# Columns without which the table cannot be read, with their label in the file.
_REQUIRED_COLUMNS = {"satzart": "Satzart", "textkennzeichen": "Textkennzeichen",
                     "land": "Land", "rb": "RB", "kreis": "Kreis", "gem": "Gem",
                     "name": "Gemeindename", "pop": "Bevölkerung insgesamt"}


def _open_workbook(path: Path) -> tuple[Any, str]:
    """The workbook (read-only) and the name of its sheet ``Onlineprodukt_Gemeinden<date>``."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(path, _("cannot be read as an Excel workbook ({exc})").format(exc=exc),
                         fix=_("give the Destatis xlsx as downloaded")) from exc
    sheets = [s for s in workbook.sheetnames if s.startswith("Onlineprodukt_Gemeinden")]
    if not sheets:
        workbook.close()
        raise InputError(path, _("no sheet named Onlineprodukt_Gemeinden<date> (sheets: "
                                 "{sheets})").format(sheets=", ".join(workbook.sheetnames)),
                         fix=_("give the Destatis file 'Gemeinden in Deutschland nach "
                               "Fläche, Bevölkerung und Postleitzahl' (GV-ISys, xlsx)"))
    return workbook, sheets[0]


def check_population_workbook(path: str | Path) -> str:
    """Check that ``path`` opens as the Destatis workbook; return its sheet's name.

    The download checks every workbook with it before installing.

    Examples
    --------
    >>> check_population_workbook(SHARED_RAW / "destatis/31122023_Auszug_GV.xlsx")
    'Onlineprodukt_Gemeinden31122023'
    """
    workbook, sheet = _open_workbook(Path(path))
    workbook.close()
    return sheet


def _sheet_rows(path: Path) -> tuple[str, list[Row]]:
    """The name and the cell values of the sheet ``Onlineprodukt_Gemeinden<date>``."""
    workbook, sheet = _open_workbook(path)
    try:
        return sheet, list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()


def _header_row(rows: list[Row], path: Path, sheet: str) -> int:
    """Index of the header: the row whose first cell reads "Satz-art" (its sub-header follows)."""
    header_at = next((i for i, r in enumerate(rows[:30])
                      if r and norm_header(r[0]).startswith("satzart")), None)
    if header_at is None:
        raise InputError(path, _("sheet {sheet!r}: no header row starting with 'Satzart' in "
                                 "the first 30 rows").format(sheet=sheet),
                         fix=_("give the Destatis file unchanged"))
    return header_at


def _column_name(group: str, sub: str) -> str | None:
    """The name wirgeo gives a column, from its header group and sub-header (None: unused)."""
    for prefixes, name in _GROUPS:
        if group.startswith(prefixes):
            return name if isinstance(name, str) else name.get(sub)
    return None


def _column_map(top: Row, sub: Row) -> dict[str, int]:
    """Column index of each known column; the first column of a name wins."""
    columns: dict[str, int] = {}
    group = ""
    for j in range(len(top)):
        if top[j] is not None:  # a merged group header stands over its first column only
            group = norm_header(top[j])
        name = _column_name(group, norm_header(sub[j]) if j < len(sub) else "")
        if name and name not in columns:
            columns[name] = j
    return columns


def _check_columns(columns: dict[str, int], path: Path, sheet: str, header_at: int) -> None:
    missing = [label for name, label in _REQUIRED_COLUMNS.items() if name not in columns]
    if missing:
        raise InputError(path, _("sheet {sheet!r}: column(s) {columns} not found in header "
                                 "rows {first}-{last}").format(
                                   sheet=sheet, columns=", ".join(missing), first=header_at + 1,
                                   last=header_at + 2),
                         column=missing[0], fix=_("give the Destatis file unchanged"))


def _reference_date(rows: list[Row], header_at: int, sheet: str, path: Path) -> dt.date:
    """The date in the title rows, else the one in the sheet name (``...31122023``)."""
    title = " ".join(str(c) for r in rows[:header_at] for c in r if c)
    date = parse_date(title, source=path, row=header_at, column="title")
    if date is None:
        m = re.search(r"(\d{2})(\d{2})(\d{4})$", sheet)
        date = parse_date(f"{m[1]}.{m[2]}.{m[3]}", source=path, column="sheet name"
                          ) if m else None
    if date is None:
        raise InputError(path, _("cannot find the reference date in the title rows"),
                         fix=_("give the Destatis file unchanged"))
    return date


def _optional_text(value: object) -> str | None:
    return None if value is None else (str(value).strip() or None)


@dataclass(frozen=True)
class _Layout:
    """Where each column of the sheet is, and the file the cells come from."""

    path: Path
    columns: dict[str, int]

    def cell(self, values: Row, name: str) -> object:
        j = self.columns.get(name)
        return values[j] if j is not None and j < len(values) else None

    def key(self, values: Row, name: str, length: int, *, row: int, label: str) -> str:
        # Keys arrive as text in the official file; numbers mean they lost their zeros.
        return check_key(self.cell(values, name), length, source=self.path, row=row,
                         column=label)


def _district(layout: _Layout, values: Row, row: int, land: str) -> dict[str, object]:
    """A Kreis row (``Satzart`` 40)."""
    rb = layout.key(values, "rb", 1, row=row, label="RB")
    kreis = layout.key(values, "kreis", 2, row=row, label="Kreis")
    return {"kreis_ags": land + rb + kreis,
            "kreis_name_official": str(layout.cell(values, "name")).strip(),
            "textkennzeichen": str(layout.cell(values, "textkennzeichen") or "").strip()}


def _municipality(layout: _Layout, values: Row, row: int, land: str) -> dict[str, object]:
    """A Gemeinde row (``Satzart`` 60), checked key by key and number by number."""
    path, cell = layout.path, layout.cell
    rb = layout.key(values, "rb", 1, row=row, label="RB")
    kreis = layout.key(values, "kreis", 2, row=row, label="Kreis")
    gem = layout.key(values, "gem", 3, row=row, label="Gem")
    vb = layout.key(values, "vb", 4, row=row, label="VB") if cell(values, "vb") else None
    population = parse_count(cell(values, "pop"), source=path, row=row,
                             column="Bevölkerung insgesamt")
    if population < 0:
        raise InputError(path, _("population {population} is negative").format(
                                   population=population), row=row,
                         column="Bevölkerung insgesamt", fix=_("give the Destatis file "
                                                                "unchanged"))
    return {
        "ags": land + rb + kreis + gem,
        "ars": land + rb + kreis + vb + gem if vb else None,
        "name_official": str(cell(values, "name")).strip(),
        "textkennzeichen": str(cell(values, "textkennzeichen") or "").strip(),
        "population": population,
        "population_male": parse_int(cell(values, "male"), source=path, row=row,
                                     column="männlich"),
        "population_female": parse_int(cell(values, "female"), source=path, row=row,
                                       column="weiblich"),
        "area_km2": parse_float(cell(values, "area"), source=path, row=row,
                                column="Fläche km2"),
        "postcode": _optional_text(cell(values, "postcode")),
        "lon": parse_float(cell(values, "lon"), source=path, row=row, column="Längengrad"),
        "lat": parse_float(cell(values, "lat"), source=path, row=row, column="Breitengrad"),
        "urbanisation_code": _optional_text(cell(values, "urb_code")),
        "urbanisation": _optional_text(cell(values, "urb")),
        "row": row,
    }


def _read_units(layout: _Layout, rows: list[Row], first: int
                ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Municipality and district records of the data rows from index ``first`` on."""
    municipalities = []
    districts = []
    for i in range(first, len(rows)):
        values = rows[i]
        if not values or values[0] is None:
            continue
        satzart = str(values[0]).strip()
        if satzart not in _SATZARTEN:
            continue
        excel_row = i + 1
        land = layout.key(values, "land", 2, row=excel_row, label="Land")
        if satzart == "40":
            districts.append(_district(layout, values, excel_row, land))
        elif satzart == "60":
            municipalities.append(_municipality(layout, values, excel_row, land))
    return municipalities, districts


def read_destatis_gv(path: str | Path) -> PopulationTable:
    """Read the Destatis municipality directory ("Gemeinden in Deutschland ...").

    The sheet ``Onlineprodukt_Gemeinden<date>`` has several header rows, then one row per
    territorial unit (``Satzart`` 10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis,
    50 Gemeindeverband, 60 Gemeinde). Columns are found by their header text, so the
    quarterly and yearly layouts both read. The reference date comes from the title row.

    Examples
    --------
    >>> t = read_destatis_gv(SHARED_RAW / "destatis/31122023_Auszug_GV.xlsx")
    >>> int(t.for_state("06").municipalities.population.sum())
    6420729
    """
    path = Path(path)
    note_input(path)
    if not path.is_file():
        raise SourceNotFoundError(path, _("population file not found"),
                                  fix=translate(HOW_TO_GET_SOURCES))
    sheet, rows = _sheet_rows(path)
    header_at = _header_row(rows, path, sheet)
    columns = _column_map(rows[header_at], rows[header_at + 1])
    _check_columns(columns, path, sheet, header_at)
    date = _reference_date(rows, header_at, sheet, path)
    municipalities, districts = _read_units(_Layout(path, columns), rows, header_at + 2)
    if not municipalities:
        raise InputError(path, _("sheet {sheet!r} has no municipality rows (Satzart 60)").format(
                                   sheet=sheet),
                         column="Satzart", fix=_("give the Destatis file unchanged"))
    mun = municipality_frame(municipalities)
    check_unique_ags(mun, path, column="AGS (Land+RB+Kreis+Gem)")
    dis = pd.DataFrame(districts, columns=DISTRICT_COLUMNS)
    return PopulationTable(path, mun, dis, date, "destatis")
