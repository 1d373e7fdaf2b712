"""Tables for people: headers, values and number formats in the reader's language.

Every workbook wirgeo writes for a planner turns its machine columns (``ags``,
``population``, ``status`` = ``kreisangehoerig``, …) into a sheet a German (or English)
reader opens in Excel: a header in words, values in words (:mod:`wirgeo.vocabulary`),
"ja"/"nein", AGS as text, and a number format per column kind — whole numbers with
thousands separators, kilometres to 0.1, shares as percent — that Excel shows in the
reader's own locale. The column catalogue :data:`COLUMNS` is the one place that says what
a column is called and how it looks; the machine files (CSV, GeoPackage, …) keep the
English column names for scripts.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"ags": ["06535016"], "status": ["kreisangehoerig"],
...                       "population": [10_127], "same_kreis": [True]})
>>> sheet = for_people(frame, ["ags", "status", "population", "same_kreis"], "de")
>>> sheet.frame.to_dict("records")
[{'AGS': '06535016', 'Status': 'kreisangehörig', 'Einwohner': 10127, 'ein Kreis': 'ja'}]
>>> sheet.formats
{'Einwohner': '#,##0'}
>>> for_people(frame, ["population", "same_kreis"], "en").frame.columns.tolist()
['Inhabitants', 'one Kreis']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wirgeo.core.i18n import N_, date, language, translate
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
    YES_NO,
    Vocabulary,
)

__all__ = ["Column", "COLUMNS", "Sheet", "for_people", "people_formatter", "yes_no",
           "SHEET_NAMES", "SHEET_MESSAGES"]

#: Excel number formats by column kind (Excel shows them in the reader's locale); a
#: ``percent`` column holds percent as published (12.3) and is shown as 12,3 %.
_FORMATS = {"int": "#,##0", "km": "0.0", "share": "0.0%", "coord": "0.000000",
            "percent": "0.0%"}


@dataclass(frozen=True)
class Column:
    """One machine column as people read it: header per language, kind of value.

    A column is named either by ``de`` and ``en`` or by ``msgid``, an English message id
    translated from the catalogs (:mod:`wirgeo.locale`).
    """

    de: str
    en: str
    kind: str = "text"          # text, int, km, share, percent, coord, bool, list, date
    vocabulary: Vocabulary | None = None
    msgid: str = ""

    def header(self, lang: str) -> str:
        """The column header in ``lang``."""
        if self.msgid:
            return translate(self.msgid, lang)
        return self.de if lang == "de" else self.en


def _c(de: str, en: str, kind: str = "text", vocabulary: Vocabulary | None = None
       ) -> Column:
    return Column(de, en, kind, vocabulary)


def _m(msgid: str, kind: str = "text", vocabulary: Vocabulary | None = None) -> Column:
    """A column whose header is a message of the catalogs (marked with ``N_``)."""
    return Column("", "", kind, vocabulary, msgid)


#: Every column a workbook for people shows.
COLUMNS: dict[str, Column] = {
    # municipalities and eligibility
    "ags": _c("AGS", "AGS"), "name": _c("Gemeinde", "Municipality"),
    "name_official": _c("Name (Destatis)", "Name (Destatis)"),
    "kreis_ags": _c("Kreis-AGS", "Kreis key"), "kreis_name": _c("Kreis", "Kreis"),
    "status": _c("Status", "Status", vocabulary=STATUS),
    "population": _c("Einwohner", "Inhabitants", "int"),
    "population_date": _c("Einwohner Stand", "Population as of", "date"),
    "eligibility": _c("KIV", "KIV", vocabulary=ELIGIBILITY),
    "near_threshold_label": _c("nahe an einer Schwelle (kann sich mit der nächsten "
                               "Bevölkerungszahl ändern)",
                               "near a threshold (may change with the next release)"),
    "funded": _c("KIV-gefördert", "KIV-funded", "bool"),
    "funded_round": _c("Förderrunde", "Round", vocabulary=ROUNDS),
    "funded_years": _c("Zeitraum", "Years"),
    "funded_consortium_id": _c("Verbund der Förderung", "Funded consortium"),
    "centre_name": _c("WIR-Vielfaltszentrum", "WIR-Vielfaltszentrum"),
    "centre_distance_km": _c("Entfernung zum Zentrum km", "Distance to the centre km", "km"),
    # Kreis summary
    "kreis_type": _c("Art", "Type"),
    "municipalities": _c("Gemeinden", "Municipalities", "int"),
    **{f"n_{c}": _c(f"{ELIGIBILITY.label(c, 'de')}: Gemeinden",
                    f"{ELIGIBILITY.label(c, 'en')}: municipalities", "int")
       for c in ELIGIBILITY.codes},
    **{f"pop_{c}": _c(f"{ELIGIBILITY.label(c, 'de')}: Einwohner",
                      f"{ELIGIBILITY.label(c, 'en')}: inhabitants", "int")
       for c in ELIGIBILITY.codes},
    "n_funded": _c("KIV-gefördert (bekannt)", "KIV-funded (known)", "int"),
    "share_small": _c("Anteil Gemeinden nur im Verbund", "Share only in a consortium",
                      "share"),
    "mean_centre_km": _c("Entfernung zum Zentrum Ø km", "Mean distance to the centre km",
                         "km"),
    "max_centre_km": _c("Entfernung zum Zentrum max. km", "Largest distance to the centre km",
                        "km"),
    # centres
    "centre": _c("Name", "Name"), "host_type": _c("Träger-Art", "Host type",
                                                  vocabulary=HOST_TYPES),
    "host_ags": _c("Träger-AGS", "Host key"), "host_name": _c("Träger", "Host"),
    "organisation": _c("Stelle", "Office"), "street": _c("Straße", "Street"),
    "postcode": _c("PLZ", "Postcode"), "town": _c("Ort", "Town"),
    "town_ags": _c("Ort-AGS", "Town AGS"),
    "centre_status": _c("Stelle belegt?", "Office confirmed?", vocabulary=CENTRE_STATUS),
    "location_precision": _c("Lage auf der Karte", "Placed at",
                             vocabulary=LOCATION_PRECISION),
    "lon": _c("Länge (WGS84)", "Longitude (WGS84)", "coord"),
    "lat": _c("Breite (WGS84)", "Latitude (WGS84)", "coord"),
    "source_url": _c("Quelle", "Source"), "further_sources": _c("weitere Quellen",
                                                                "Further sources"),
    "note": _c("Anmerkung", "Note"),
    # grantees
    "round": _c("Förderrunde", "Round", vocabulary=ROUNDS), "years": _c("Zeitraum", "Years"),
    "project": _c("Projekt", "Project"), "amount_eur": _c("Betrag €", "Amount €", "int"),
    "grantee_status": _c("Beleg", "Evidence", vocabulary=GRANTEE_STATUS),
    "grantee_consortium_id": _c("Verbund der Förderung", "Funded consortium"),
    # consortia and plan
    "consortium_id": _c("Verbund", "Consortium"),
    "n_members": _c("Mitglieder", "Members", "int"),
    "member_names": _c("Gemeinden", "Municipalities", "list"),
    "member_ags": _c("AGS der Gemeinden", "AGS of the members", "list"),
    "kreis_names": _c("Kreise", "Kreise", "list"),
    "same_kreis": _c("ein Kreis", "one Kreis", "bool"),
    "shared_border_km": _c("gemeinsame Grenze km", "shared border km", "km"),
    "lead_name": _c("Federführend (einwohnerstärkste Gemeinde)",
                    "Lead (member with most inhabitants)"),
    "linked_via_names": _c("verbunden über gemeindefreies Gebiet",
                           "linked across uninhabited area", "list"),
    "locked": _c("vorab festgelegt", "locked in advance", "bool"),
    "rule_violations": _c("Regelverstöße", "Rule violations"),
    "reason": _c("Begründung", "Reason"),
    # plan flexibility (consortia.plan_flexibility)
    "flexibility": _c("fest oder flexibel", "firm or flexible", vocabulary=FLEXIBILITY),
    "n_alternatives": _c("Alternativen", "Alternatives", "int"),
    "alternatives": _c("Alternativen ohne Verlust (je Verbund: Gemeinden)",
                       "Alternatives that lose nothing (per consortium: members)", "list"),
    "placed_in": _c("in den besten Plänen", "in the best plans", vocabulary=PLACED_IN),
    "partner_names": _c("mögliche Partner in einem besten Plan",
                        "possible partners in a best plan", "list"),
    "keeps_optimum": _c("erhält das Optimum", "keeps the optimum", "bool"),
    # partner lookup
    "rank": _c("Rang", "Rank", "int"), "partners": _c("Partner", "Partners", "list"),
    "in_plan": _c("im Plan", "in the plan", "bool"),
    "blocked_by": _c("belegt durch", "taken by", "list"),
    # Zensus 2022 indicators (the source is named on every sheet set that shows them)
    "census_population": _m(N_("Inhabitants at the Zensus 2022"), "int"),
    "foreign_share": _m(N_("Foreign nationals % (Zensus 2022)"), "percent"),
    "migration_share": _m(N_("Migration background % (Zensus 2022)"), "percent"),
    "under18_share": _m(N_("Under 18 % (Zensus 2022)"), "percent"),
    "over60_share": _m(N_("60 and older % (Zensus 2022)"), "percent"),
    "foreign_residents": _m(N_("Foreign residents (estimate: share × Zensus population)"),
                            "int"),
    "advisory_council": _m(N_("Ausländerbeirat required (§ 84 HGO)? Estimate from the "
                              "Zensus 2022, not a legal determination"), "bool"),
    # two population releases compared
    "population_old": _m(N_("Inhabitants, old release"), "int"),
    "population_new": _m(N_("Inhabitants, new release"), "int"),
    "difference": _m(N_("Difference"), "int"),
    "class_old": _m(N_("KIV, old release"), vocabulary=ELIGIBILITY),
    "class_new": _m(N_("KIV, new release"), vocabulary=ELIGIBILITY),
    "consortium_old": _m(N_("Verbund in the old plan")),
    "consortium_new": _m(N_("Verbund in the new plan")),
    "release_status": _m(N_("What becomes of it"), vocabulary=RELEASE_STATUS),
    "problems": _m(N_("Rules it breaks under the new figures")),
    "kept": _m(N_("kept from the old plan"), "bool"),
}

#: Sheet names of the workbooks, per language.
SHEET_NAMES = {
    "kreise": {"de": "Kreise", "en": "Kreise"},
    "gemeinden": {"de": "Gemeinden", "en": "Municipalities"},
    "centres": {"de": "Vielfaltszentren", "en": "WIR centres"},
    "grantees": {"de": "KIV-Förderungen", "en": "KIV grants"},
    "rules": {"de": "Regeln", "en": "Rules"},
    "sources": {"de": "Quellen", "en": "Sources"},
    "run": {"de": "Lauf", "en": "Run"},
    "consortia": {"de": "Verbünde", "en": "Consortia"},
    "unplaced": {"de": "Ohne Verbund", "en": "Unplaced"},
}
#: Sheet names given as messages of the catalogs (translated where the workbook is made).
SHEET_MESSAGES = {
    "overview": N_("Overview"),
    "class_changes": N_("Class changes"),
    "broken": N_("Broken Verbünde"),
    "new_plan": N_("New plan"),
    "stays": N_("What stays"),
}


def yes_no(value: object, lang: str) -> str:
    """``ja``/``nein`` (``yes``/``no``) for a truth value; "" for a missing one."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return YES_NO.label("yes" if bool(value) else "no", lang)


@dataclass(frozen=True)
class Sheet:
    """A table ready for a workbook: the frame and the number format of its columns."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    wrap: bool = False


def _values(series: pd.Series, column: Column, lang: str) -> pd.Series:
    if column.vocabulary is not None:
        vocabulary = column.vocabulary
        return series.map(lambda v: vocabulary.label(v, lang) if v in vocabulary
                          else ("" if v is None or pd.isna(v) else v))
    if column.kind == "bool":
        return series.map(lambda v: yes_no(v, lang))
    if column.kind == "list":
        return series.fillna("").astype(str).str.replace(";", ", ")
    if column.kind == "date":
        return series.map(lambda v: date(str(v), lang) if isinstance(v, str) and v else "")
    if column.kind == "percent":  # percent as published, shown with Excel's % format
        return pd.to_numeric(series, errors="coerce").astype(float) / 100
    return series


def for_people(frame: pd.DataFrame, keys: Sequence[str] | Mapping[str, str], lang: str,
               *, wrap: bool = False) -> Sheet:
    """The columns ``keys`` of ``frame`` as a sheet for people in ``lang``.

    ``keys`` are catalogue names (:data:`COLUMNS`); a mapping maps catalogue name →
    column of ``frame`` where the frame calls it differently (the centres' ``status`` is
    the catalogue's ``centre_status``). Missing columns are left out.
    """
    lang = language(lang)
    pairs = list(keys.items()) if isinstance(keys, Mapping) else [(k, k) for k in keys]
    data: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for key, source in pairs:
        if source not in frame.columns:
            continue
        column = COLUMNS[key]
        header = column.header(lang)
        data[header] = _values(frame[source], column, lang).to_numpy()
        if column.kind in _FORMATS:
            formats[header] = _FORMATS[column.kind]
    return Sheet(pd.DataFrame(data), formats, wrap)


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


def rows_sheet(rows: Iterable[tuple[str, str]], lang: str) -> Sheet:
    """A two-column sheet of (label, value) lines, e.g. a run record."""
    header = ("Angabe", "Wert") if lang == "de" else ("Item", "Value")
    return Sheet(pd.DataFrame(list(rows), columns=list(header)), {}, wrap=True)
