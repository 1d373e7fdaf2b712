"""Tables for people: headers, values and number formats in the reader's language.

Every workbook wirgeo writes for a planner turns its machine columns (``ags``,
``population``, ``status`` = ``kreisangehoerig``, …) into a sheet a German (or English)
reader opens in Excel: a header in words (a message of the catalogs, in the active
language), values in words (:mod:`wirgeo.vocabulary`), "ja"/"nein", AGS as text, and a
number format per column kind — whole numbers with thousands separators, kilometres to
0.1, shares as percent — that Excel shows in the reader's own locale. The column
catalogue :data:`COLUMNS` is the one place that says what a column is called and how it
looks; the machine files (CSV, GeoPackage, …) keep the
English column names for scripts.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"ags": ["06535016"], "status": ["kreisangehoerig"],
...                       "population": [10_127], "same_kreis": [True]})
>>> from wirgeo.core.i18n import speaking
>>> with speaking("de"):
...     sheet = for_people(frame, ["ags", "status", "population", "same_kreis"])
>>> sheet.frame.to_dict("records")
[{'AGS': '06535016', 'Status': 'kreisangehörig', 'Einwohner': 10127, 'ein Kreis': 'ja'}]
>>> sheet.formats
{'Einwohner': '#,##0'}
>>> with speaking("en"):
...     for_people(frame, ["population", "same_kreis"]).frame.columns.tolist()
['Inhabitants', 'one Kreis']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wirgeo.core.i18n import NP_, date, translate
from wirgeo.core.lists import list_text
from wirgeo.exports.workbook import SheetFormatter
from wirgeo.vocabulary import (
    CENTRE_STATUS,
    ELIGIBILITY,
    FLEXIBILITY,
    GRANTEE_STATUS,
    HOST_TYPES,
    LOCATION_PRECISION,
    PLACED_IN,
    RELEASE_STATUS,
    ROUNDS,
    STATUS,
    Vocabulary,
    yes_no,
)

__all__ = ["Column", "COLUMNS", "COLUMN_CONTEXT", "Sheet", "for_people", "people_formatter",
           "people_list", "people_sheet", "people_table",
           "yes_no", "SHEET_NAMES", "sheet_name", "rows_sheet", "ITEM_VALUE"]

#: Excel number formats by column kind (Excel shows them in the reader's locale); a
#: ``percent`` column holds percent as published (12.3) and is shown as 12,3 %.
_FORMATS = {"int": "#,##0", "km": "0.0", "share": "0.0%", "coord": "0.000000",
            "percent": "0.0%"}


#: The context of the column headers (a header's "Population as of" is *Einwohner Stand*).
COLUMN_CONTEXT = "column"


@dataclass(frozen=True)
class Column:
    """One machine column as people read it: its header (a message id), kind of value.

    ``label_of`` fills ``{label}`` in the header with the label of a code (the Kreis
    sheet's "nur im Verbund: Gemeinden").
    """

    title: str
    kind: str = "text"          # text, int, km, share, percent, coord, bool, list, date
    vocabulary: Vocabulary | None = None
    label_of: tuple[Vocabulary, str] | None = None

    def header(self) -> str:
        """The column header in the active language."""
        text = translate(self.title, COLUMN_CONTEXT)
        if self.label_of is not None:
            vocabulary, code = self.label_of
            text = text.format(label=vocabulary.label(code))
        return text


def _c(title: str, kind: str = "text", vocabulary: Vocabulary | None = None) -> Column:
    return Column(title, kind, vocabulary)


#: Every column a workbook for people shows.
COLUMNS: dict[str, Column] = {
    # municipalities and eligibility
    "ags": _c(NP_("column", "AGS")), "name": _c(NP_("column", "Municipality")),
    "name_official": _c(NP_("column", "Name (Destatis)")),
    "ars": _c(NP_("column", "Regional key (ARS)")), "type": _c(NP_("column", "Type")),
    "rbz_ags": _c(NP_("column", "Regierungsbezirk key")),
    "rbz_name": _c(NP_("column", "Regierungsbezirk")), "state": _c(NP_("column", "State")),
    "population_male": _c(NP_("column", "Inhabitants, male"), "int"),
    "population_female": _c(NP_("column", "Inhabitants, female"), "int"),
    "boundary_date": _c(NP_("column", "Boundaries as of"), "date"),
    "area_km2": _c(NP_("column", "Area km²"), "km"),
    "urbanisation_code": _c(NP_("column", "Degree of urbanisation (key)")),
    "urbanisation": _c(NP_("column", "Degree of urbanisation")),
    "merged_from": _c(NP_("column", "Merged from"), "list"),
    "centre_host_ags": _c(NP_("column", "Key of the centre's host")),
    "centre_precision": _c(NP_("column", "Centre placed at"), vocabulary=LOCATION_PRECISION),
    "partner_ags": _c(NP_("column", "AGS of the partners"), "list"),
    "kreis_ags": _c(NP_("column", "Kreis key")), "kreis_name": _c(NP_("column", "Kreis")),
    "status": _c(NP_("column", "Status"), vocabulary=STATUS),
    "population": _c(NP_("column", "Inhabitants"), "int"),
    "population_date": _c(NP_("column", "Population as of"), "date"),
    "eligibility": _c(NP_("column", "KIV"), vocabulary=ELIGIBILITY),
    "near_threshold_label": _c(NP_("column", "near a threshold (may "
                                             "change with the next release)")),
    "funded": _c(NP_("column", "KIV-funded"), "bool"),
    "funded_round": _c(NP_("column", "Round"), vocabulary=ROUNDS),
    "funded_years": _c(NP_("column", "Years")),
    "funded_consortium_id": _c(NP_("column", "Funded consortium")),
    "centre_name": _c(NP_("column", "WIR-Vielfaltszentrum")),
    "centre_distance_km": _c(NP_("column", "Distance to the centre km"), "km"),
    # Kreis summary
    "kreis_type": _c(NP_("column", "Type")),
    "municipalities": _c(NP_("column", "Municipalities"), "int"),
    **{f"n_{c}": Column(NP_("column", "{label}: municipalities"), "int",
                        label_of=(ELIGIBILITY, c)) for c in ELIGIBILITY.codes},
    **{f"pop_{c}": Column(NP_("column", "{label}: inhabitants"), "int",
                          label_of=(ELIGIBILITY, c)) for c in ELIGIBILITY.codes},
    "n_funded": _c(NP_("column", "KIV-funded (known)"), "int"),
    "share_small": _c(NP_("column", "Share only in a consortium"), "share"),
    "mean_centre_km": _c(NP_("column", "Mean distance to the centre km"), "km"),
    "max_centre_km": _c(NP_("column", "Largest distance to the centre km"), "km"),
    # centres
    "centre": _c(NP_("column", "Name")),
    "host_type": _c(NP_("column", "Host type"), vocabulary=HOST_TYPES),
    "host_ags": _c(NP_("column", "Host key")), "host_name": _c(NP_("column", "Host")),
    "organisation": _c(NP_("column", "Office")), "street": _c(NP_("column", "Street")),
    "postcode": _c(NP_("column", "Postcode")), "town": _c(NP_("column", "Town")),
    "town_ags": _c(NP_("column", "Town AGS")),
    "centre_status": _c(NP_("column", "Office confirmed?"), vocabulary=CENTRE_STATUS),
    "location_precision": _c(NP_("column", "Placed at"), vocabulary=LOCATION_PRECISION),
    "lon": _c(NP_("column", "Longitude (WGS84)"), "coord"),
    "lat": _c(NP_("column", "Latitude (WGS84)"), "coord"),
    "source_url": _c(NP_("column", "Source")),
    "further_sources": _c(NP_("column", "Further sources")),
    "note": _c(NP_("column", "Note")),
    # grantees
    "round": _c(NP_("column", "Round"), vocabulary=ROUNDS), "years": _c(NP_("column", "Years")),
    "project": _c(NP_("column", "Project")), "amount_eur": _c(NP_("column", "Amount €"), "int"),
    "grantee_status": _c(NP_("column", "Evidence"), vocabulary=GRANTEE_STATUS),
    "grantee_consortium_id": _c(NP_("column", "Funded consortium")),
    # consortia and plan
    "consortium_id": _c(NP_("column", "Consortium")),
    "consortium_name": _c(NP_("column", "Consortium (members)")),
    "near_members": _c(NP_("column", "Members near a threshold (may change with the next "
                                     "release)")),
    "n_members": _c(NP_("column", "Members"), "int"),
    "member_names": _c(NP_("column", "Municipalities"), "list"),
    "member_ags": _c(NP_("column", "AGS of the members"), "list"),
    "kreis_names": _c(NP_("column", "Kreise"), "list"),
    "same_kreis": _c(NP_("column", "one Kreis"), "bool"),
    "shared_border_km": _c(NP_("column", "shared border km"), "km"),
    "lead_name": _c(NP_("column", "Lead (member with most inhabitants)")),
    "linked_via_names": _c(NP_("column", "linked across uninhabited area"), "list"),
    "locked": _c(NP_("column", "locked in advance"), "bool"),
    "rule_violations": _c(NP_("column", "Rule violations")),
    "reason": _c(NP_("column", "Reason")),
    # plan flexibility (consortia.plan_flexibility)
    "flexibility": _c(NP_("column", "firm or flexible"), vocabulary=FLEXIBILITY),
    "n_alternatives": _c(NP_("column", "Alternatives"), "int"),
    "alternatives": _c(NP_("column", "Alternatives that lose nothing "
                                     "(per consortium: members)"), "list"),
    "placed_in": _c(NP_("column", "in the best plans"), vocabulary=PLACED_IN),
    "partner_names": _c(NP_("column", "possible partners in a best plan"), "list"),
    "keeps_optimum": _c(NP_("column", "keeps the optimum"), "bool"),
    # partner lookup
    "rank": _c(NP_("column", "Rank"), "int"), "partners": _c(NP_("column", "Partners"), "list"),
    "in_plan": _c(NP_("column", "in the plan"), "bool"),
    "blocked_by": _c(NP_("column", "taken by"), "list"),
    # Zensus 2022 indicators (the source is named on every sheet set that shows them)
    "census_population": _c(NP_("column", "Inhabitants at the Zensus 2022"), "int"),
    "foreign_share": _c(NP_("column", "Foreign nationals % (Zensus 2022)"), "percent"),
    "migration_share": _c(NP_("column", "Migration background % (Zensus 2022)"), "percent"),
    "under18_share": _c(NP_("column", "Under 18 % (Zensus 2022)"), "percent"),
    "over60_share": _c(NP_("column", "60 and older % (Zensus 2022)"), "percent"),
    "foreign_residents": _c(NP_("column", "Foreign residents (estimate: share × Zensus "
                                          "population)"), "int"),
    "advisory_council": _c(NP_("column", "Ausländerbeirat required (§ 84 HGO)? Estimate from "
                                         "the Zensus 2022, not a legal determination"),
                           "bool"),
    # two population releases compared
    "population_old": _c(NP_("column", "Inhabitants, old release"), "int"),
    "population_new": _c(NP_("column", "Inhabitants, new release"), "int"),
    "difference": _c(NP_("column", "Difference"), "int"),
    "class_old": _c(NP_("column", "KIV, old release"), vocabulary=ELIGIBILITY),
    "class_new": _c(NP_("column", "KIV, new release"), vocabulary=ELIGIBILITY),
    "consortium_old": _c(NP_("column", "Verbund in the old plan")),
    "consortium_new": _c(NP_("column", "Verbund in the new plan")),
    "release_status": _c(NP_("column", "What becomes of it"), vocabulary=RELEASE_STATUS),
    "problems": _c(NP_("column", "Rules it breaks under the new figures")),
    "kept": _c(NP_("column", "kept from the old plan"), "bool"),
}

#: The context of the sheet names ("Rules" is the sheet *Regeln*).
SHEET_CONTEXT = "sheet"
#: Sheet names of the workbooks (say them with :func:`sheet_name`).
SHEET_NAMES = {
    "kreise": NP_("sheet", "Kreise"),
    "gemeinden": NP_("sheet", "Municipalities"),
    "centres": NP_("sheet", "WIR centres"),
    "grantees": NP_("sheet", "KIV grants"),
    "rules": NP_("sheet", "Rules"),
    "sources": NP_("sheet", "Sources"),
    "run": NP_("sheet", "Run"),
    "consortia": NP_("sheet", "Consortia"),
    "unplaced": NP_("sheet", "Unplaced"),
    "partners": NP_("sheet", "Partners"),
    "changes": NP_("sheet", "Changes"),
    "overview": NP_("sheet", "Overview"),
    "class_changes": NP_("sheet", "Class changes"),
    "broken": NP_("sheet", "Broken Verbünde"),
    "new_plan": NP_("sheet", "New plan"),
    "stays": NP_("sheet", "What stays"),
}


def sheet_name(key: str) -> str:
    """The name of a workbook's sheet (:data:`SHEET_NAMES`) in the active language."""
    return translate(SHEET_NAMES[key], SHEET_CONTEXT)


@dataclass(frozen=True)
class Sheet:
    """A table ready for a workbook: the frame and the number format of its columns."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    wrap: bool = False


def people_list(series: pd.Series) -> pd.Series:
    """A column of lists (tuples, or ``;``-joined text) as people read it: ``A, B``.

    Examples
    --------
    >>> import pandas as pd
    >>> people_list(pd.Series([("Schlitz", "Grebenau"), (), None])).tolist()
    ['Schlitz, Grebenau', '', '']
    """
    return series.map(list_text).fillna("").astype(str).str.replace(";", ", ")


def _values(series: pd.Series, column: Column) -> pd.Series:
    if column.vocabulary is not None:
        vocabulary = column.vocabulary
        return series.map(lambda v: vocabulary.label(v) if v in vocabulary
                          else ("" if v is None or pd.isna(v) else v))
    if column.kind == "bool":
        return series.map(yes_no)
    if column.kind == "list":
        return people_list(series)
    if column.kind == "date":
        return series.map(lambda v: date(str(v)) if isinstance(v, str) and v else "")
    if column.kind == "percent":  # percent as published, shown with Excel's % format
        return pd.to_numeric(series, errors="coerce").astype(float) / 100
    return series


def for_people(frame: pd.DataFrame, keys: Sequence[str] | Mapping[str, str], *,
               wrap: bool = False) -> Sheet:
    """The columns ``keys`` of ``frame`` as a sheet for people (the active language).

    ``keys`` are catalogue names (:data:`COLUMNS`); a mapping maps catalogue name →
    column of ``frame`` where the frame calls it differently (the centres' ``status`` is
    the catalogue's ``centre_status``). Missing columns are left out.
    """
    pairs = list(keys.items()) if isinstance(keys, Mapping) else [(k, k) for k in keys]
    data: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for key, source in pairs:
        if source not in frame.columns:
            continue
        column = COLUMNS[key]
        header = column.header()
        data[header] = _values(frame[source], column).to_numpy()
        if column.kind in _FORMATS:
            formats[header] = _FORMATS[column.kind]
    return Sheet(pd.DataFrame(data), formats, wrap)


#: Code columns a workbook for people leaves out where their words stand beside them.
_SHOWN_AS = {"eligibility_label": "eligibility", "near_threshold": "near_threshold_label"}


def people_sheet(frame: pd.DataFrame) -> Sheet:
    """Every column of ``frame`` for people, in its order (a table written as ``.xlsx``).

    Catalogued columns (:data:`COLUMNS`) get their header, words and number format; any
    other column is kept as it is; a code whose words stand beside it is left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from wirgeo.core.i18n import speaking
    >>> frame = pd.DataFrame({"ags": ["06535016"], "population": [10_127], "extra": [1]})
    >>> with speaking("de"):
    ...     people_sheet(frame).frame.columns.tolist()
    ['AGS', 'Einwohner', 'extra']
    """
    keys = [c for c in frame.columns if not (c in _SHOWN_AS and _SHOWN_AS[c] in frame.columns)]
    sheet = for_people(frame, [c for c in keys if c in COLUMNS], wrap=True)
    data: dict[str, Any] = {}
    for key in keys:
        header = COLUMNS[key].header() if key in COLUMNS else str(key)
        values = sheet.frame[header] if key in COLUMNS else frame[key]
        if header in data:  # two columns with one header: the second says its own name
            header = f"{header} ({key})"
        data[header] = values.to_numpy()
    return Sheet(pd.DataFrame(data), sheet.formats, wrap=True)


def _screen_formats() -> dict[str, Any]:
    """How a number of each Excel format is written on screen, in the active language.

    The language is fixed here: a Styler renders later, outside the caller's language.
    """
    from wirgeo.core.i18n import decimal, language, number, percent

    lang = language()

    def blank(say: Any) -> Any:
        return lambda v: "" if v is None or pd.isna(v) else say(v)

    return {"#,##0": blank(lambda v: number(v, lang)),
            "0.0": blank(lambda v: decimal(v, lang, digits=1)),
            "0.0%": blank(lambda v: percent(v, lang)),
            "0.000000": blank(lambda v: decimal(v, lang, digits=6))}


def people_table(frame: pd.DataFrame, keys: Sequence[str] | Mapping[str, str] | None = None,
                 *, lang: str | None = None) -> Any:
    """A table for people on screen (a notebook): headers, words and numbers as in Excel.

    The columns ``keys`` (:func:`for_people`; all catalogued and other columns,
    :func:`people_sheet`, when not given) with their headers and words in the language,
    and every number written as the language writes it (``6.420.729``, ``12,4``,
    ``8,9 %``) — a pandas ``Styler``, shown as a table by Jupyter.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["Schlitz"], "population": [9_987]})
    >>> html = people_table(frame, lang="de").to_html()
    >>> "Einwohner" in html and "9.987" in html
    True
    """
    from wirgeo.core.i18n import speaking

    with speaking(lang):
        sheet = people_sheet(frame) if keys is None else for_people(frame, keys)
        screen = _screen_formats()
        formats = {h: screen[f] for h, f in sheet.formats.items() if f in screen}
        return sheet.frame.style.format(formats, na_rep="").hide(axis="index")


def people_formatter(sheets: Mapping[str, Sheet]) -> SheetFormatter:
    """The :func:`~wirgeo.exports.workbook.write_workbook` formatter of ``sheets``.

    Bold header, the number format of each column, and long text wrapped in the sheets
    marked ``wrap``.
    """
    def format_sheet(name: str, sheet: Any, frame: pd.DataFrame) -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        spec = sheets[name]
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for j, column in enumerate(frame.columns, start=1):
            fmt = spec.formats.get(str(column))
            if fmt is not None:
                for (cell,) in sheet.iter_rows(min_row=2, max_row=len(frame) + 1,
                                               min_col=j, max_col=j):
                    cell.number_format = fmt
            letter = get_column_letter(j)
            if spec.wrap and sheet.column_dimensions[letter].width >= 40:
                sheet.column_dimensions[letter].width = 80
                for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return format_sheet


def frames(sheets: Mapping[str, Sheet]) -> dict[str, pd.DataFrame]:
    """The frames of ``sheets``, for :func:`~wirgeo.exports.workbook.write_workbook`."""
    return {name: sheet.frame for name, sheet in sheets.items()}


#: The headers of a two-column sheet of (label, value) lines.
ITEM_VALUE = (NP_("column", "Item"), NP_("column", "Value"))


def rows_sheet(rows: Iterable[tuple[str, str]]) -> Sheet:
    """A two-column sheet of (label, value) lines, e.g. a run record."""
    header = [translate(title, COLUMN_CONTEXT) for title in ITEM_VALUE]
    return Sheet(pd.DataFrame(list(rows), columns=header), {}, wrap=True)
