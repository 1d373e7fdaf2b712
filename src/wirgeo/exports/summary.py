"""The summary workbook planners pass on: Kreise, Gemeinden, centres, grantees, rules, sources.

Column names are German and numbers are formatted by what the column holds (inhabitants
with thousands separators, shares as percent, distances to 0.1 km); the same inputs give a
byte-identical file (:func:`~wirgeo.exports.workbook.write_workbook`).

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.programme import eligibility, programme_tables
>>> gem = load_municipalities()
>>> centres, grantees = programme_tables(gem)
>>> sheets = summary_sheets(eligibility(gem, centres=centres, grantees=grantees),
...                         centres=centres, grantees=grantees)
>>> state = sheets["Kreise"].iloc[-1]
>>> state["Kreis"], int(state["Gemeinden"])
('Hessen', 425)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wirgeo.exports.tables import check_output_path
from wirgeo.exports.workbook import write_workbook
from wirgeo.programme import (
    ELIGIBILITY_CLASSES,
    ELIGIBILITY_LABELS,
    kreis_summary,
    programme_tables,
)
from wirgeo.rules import KivRules, load_rules, rule_sources

__all__ = ["summary_sheets", "write_summary"]

_KREIS_HEADERS = {
    "kreis_ags": "Kreis-AGS", "kreis_name": "Kreis", "kreis_type": "Art",
    "centre_name": "WIR-Vielfaltszentrum", "municipalities": "Gemeinden",
    "population": "Einwohner",
    **{f"n_{c}": f"{ELIGIBILITY_LABELS[c]}: Gemeinden" for c in ELIGIBILITY_CLASSES},
    **{f"pop_{c}": f"{ELIGIBILITY_LABELS[c]}: Einwohner" for c in ELIGIBILITY_CLASSES},
    "funded": "KIV-gefördert (bekannt)", "share_small": "Anteil Gemeinden unter Verbund-Grenze",
    "mean_centre_km": "Entfernung zum Zentrum Ø km",
    "max_centre_km": "Entfernung zum Zentrum max. km",
}
_MUNICIPALITY_HEADERS = {
    "ags": "AGS", "name": "Gemeinde", "name_official": "Name (Destatis)",
    "kreis_ags": "Kreis-AGS", "kreis_name": "Kreis", "status": "Status",
    "population": "Einwohner", "eligibility_label": "KIV", "eligibility": "KIV-Klasse",
    "funded": "KIV-gefördert", "funded_round": "Förderrunde", "funded_years": "Zeitraum",
    "funded_consortium_id": "Verbund-ID", "centre_name": "WIR-Vielfaltszentrum",
    "centre_distance_km": "Entfernung zum Zentrum km", "population_date": "Einwohner Stand",
}
_CENTRE_HEADERS = {
    "name": "Name", "host_type": "Träger-Art", "host_ags": "Träger-AGS",
    "host_name": "Träger", "organisation": "Stelle", "street": "Straße",
    "postcode": "PLZ", "town": "Ort", "town_ags": "Ort-AGS", "status": "Stelle bestätigt?",
    "location_precision": "Lage", "lon": "Länge (WGS84)", "lat": "Breite (WGS84)",
    "source_url": "Quelle", "further_sources": "weitere Quellen", "note": "Anmerkung",
}
_GRANTEE_HEADERS = {
    "ags": "AGS", "name": "Gemeinde", "kreis_name": "Kreis", "population": "Einwohner",
    "round": "Förderrunde", "years": "Zeitraum", "consortium_id": "Verbund-ID",
    "project": "Projekt", "amount_eur": "Betrag €", "status": "Beleg",
    "source_url": "Quelle", "further_sources": "weitere Quellen", "note": "Anmerkung",
}
_RULE_HEADERS = {
    "rule": "Regel", "value": "Wert", "assumption": "Annahme?", "quote": "Zitat",
    "source_url": "Quelle", "note": "Anmerkung",
}
_INTEGER_HEADERS = {"Einwohner", "Gemeinden", "Betrag €", "KIV-gefördert (bekannt)"}
#: Sheets of long text: their wide columns are widened further and wrapped.
_TEXT_SHEETS = ("Regeln", "Quellen")


def summary_sheets(eligibility_frame: pd.DataFrame, *, rules: KivRules | None = None,
                   centres: gpd.GeoDataFrame | None = None,
                   grantees: pd.DataFrame | None = None,
                   rules_path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Build the tables of the summary workbook, with readable (German) column names.

    Sheets: ``Kreise`` (with a state total), ``Gemeinden``, ``Vielfaltszentren``,
    ``KIV-Förderungen``, ``Regeln`` (every rule with quote and source) and ``Quellen``
    (attribution of BKG and Destatis, reference dates, curated tables, rule set).

    Parameters
    ----------
    eligibility_frame : DataFrame
        From :func:`wirgeo.programme.eligibility`.
    rules : KivRules, optional
        The rules of the frame; default: read from ``rules_path``.
    centres, grantees : optional
        The programme tables; missing ones as :func:`wirgeo.programme.programme_tables`
        gives them (the curated tables for Hessen, no sheet for other states).
    rules_path : str or Path, optional
        The rules file whose rules, quotes and sources fill ``Regeln``; default
        ``data/kiv_rules.toml``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.programme import eligibility
    >>> list(summary_sheets(eligibility(load_municipalities())))
    ['Kreise', 'Gemeinden', 'Vielfaltszentren', 'KIV-Förderungen', 'Regeln', 'Quellen']
    """
    rules = load_rules(rules_path) if rules is None else rules
    centres, grantees = programme_tables(eligibility_frame, centres, grantees)
    kreise = kreis_summary(eligibility_frame, total=True).rename(columns=_KREIS_HEADERS)
    sheets = {"Kreise": kreise, "Gemeinden": _municipality_sheet(eligibility_frame)}
    if centres is not None:
        sheets["Vielfaltszentren"] = pd.DataFrame(
            centres[list(_CENTRE_HEADERS)]).rename(columns=_CENTRE_HEADERS)
    if grantees is not None:
        sheets["KIV-Förderungen"] = pd.DataFrame(
            grantees[[c for c in _GRANTEE_HEADERS if c in grantees]]
        ).rename(columns=_GRANTEE_HEADERS)
    sheets["Regeln"] = _rules_sheet(rules_path)
    sheets["Quellen"] = _sources_sheet(eligibility_frame.attrs, rules, centres, grantees)
    return sheets


def write_summary(eligibility_frame: pd.DataFrame, path: str | Path, **kwargs: Any) -> Path:
    """Write the summary workbook (see :func:`summary_sheets`) atomically.

    The same inputs give a byte-identical file. Keyword arguments go to
    :func:`summary_sheets`.

    Raises
    ------
    ArgumentError
        ``path`` does not end in ``.xlsx`` (checked before any work is done).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.programme import eligibility, programme_tables
    >>> gem = load_municipalities()
    >>> centres, grantees = programme_tables(gem)
    >>> frame = eligibility(gem, centres=centres, grantees=grantees)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "summary.xlsx"
    >>> write_summary(frame, out, centres=centres, grantees=grantees).name
    'summary.xlsx'
    """
    path = check_output_path(path, formats=(".xlsx",))
    sheets = summary_sheets(eligibility_frame, **kwargs)
    return write_workbook(path, sheets, formatter=_format_sheet)


# ------------------------------------------------------------------------ the sheets


def _municipality_sheet(eligibility_frame: pd.DataFrame) -> pd.DataFrame:
    gem = pd.DataFrame(eligibility_frame[[c for c in _MUNICIPALITY_HEADERS
                                          if c in eligibility_frame]]).copy()
    gem["funded"] = gem["funded"].map({True: "ja", False: "nein"})
    return gem.sort_values("ags").rename(columns=_MUNICIPALITY_HEADERS).reset_index(drop=True)


def _rules_sheet(rules_path: str | Path | None) -> pd.DataFrame:
    return pd.DataFrame(
        [{"rule": s.rule, "value": _plain(s.value),
          "assumption": "ja" if s.assumption else "nein", "quote": s.quote,
          "source_url": s.source_url, "note": s.note}
         for s in rule_sources(rules_path)]).rename(columns=_RULE_HEADERS)


def _sources_sheet(attrs: Mapping[str, Any], rules: KivRules,
                   centres: pd.DataFrame | None, grantees: pd.DataFrame | None
                   ) -> pd.DataFrame:
    """Where every figure comes from: attribution, dates, rules, curated tables."""
    from wirgeo import __version__

    attribution = [a.strip() for a in str(attrs.get("attribution", "")).split("·") if a.strip()]
    n_centres = 0 if centres is None else len(centres)
    n_grantees = 0 if grantees is None else len(grantees)
    lines = [("Geometrie (Gemeindegrenzen)", a) for a in attribution[:1]]
    lines += [("Einwohnerzahlen", a) for a in attribution[1:]]
    lines += [
        ("Gebietsstand der Grenzen", str(attrs.get("boundary_date", ""))),
        ("Stichtag der Einwohnerzahlen", str(attrs.get("population_date", ""))),
        ("KIV-Regeln", f"{rules.describe()} Datei: data/kiv_rules.toml (jede Regel mit "
                       "Zitat und Quelle im Blatt 'Regeln')"),
        ("WIR-Vielfaltszentren", f"data/wir_centres.csv: {n_centres} Zentren, jede Zeile mit "
                                 "Quelle; Lage 'town' = amtlicher Mittelpunkt (Destatis) des "
                                 "Ortes, an dem die Stelle sitzt"),
        ("KIV-Förderungen", f"data/kiv_grantees.csv: {n_grantees} öffentlich belegte "
                            "Gemeinden. Die Liste ist unvollständig: das Ministerium nennt "
                            "24 bis 27 geförderte Kommunen."),
        ("Entfernungen", "Luftlinie (Ellipsoid GRS80) vom amtlichen Mittelpunkt der Gemeinde "
                         "zum Standort des Zentrums, auf 0,1 km gerundet"),
        ("Erstellt mit", f"wirgeo {__version__}"),
    ]
    return pd.DataFrame(lines, columns=["Angabe", "Wert"])


def _plain(value: Any) -> str:
    """A rule value as text: mappings and lists joined, whole numbers with "." separators."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v:,}".replace(",", ".") if isinstance(v, int) else f"{k}: {v}"
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


# ------------------------------------------------------------------------ formatting


def _number_format(header: str) -> str | None:
    """The Excel number format a column gets by what its German header says it holds."""
    if header.endswith(("Einwohner", "Gemeinden")) or header in _INTEGER_HEADERS:
        return "#,##0"
    if header.startswith("Anteil"):
        return "0.0%"
    if "km" in header:
        return "0.0"
    if "WGS84" in header:
        return "0.000000"
    return None


def _format_sheet(name: str, sheet: Any, frame: pd.DataFrame) -> None:
    """Bold header, number formats by column meaning; wrap long text in rules and sources."""
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for j, column in enumerate(frame.columns, start=1):
        fmt = _number_format(str(column))
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=j,
                                       max_col=j):
            cell.number_format = fmt
    if name in _TEXT_SHEETS:
        _wrap_long_text(sheet, len(frame.columns))


def _wrap_long_text(sheet: Any, n_columns: int) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for j in range(1, n_columns + 1):
        letter = get_column_letter(j)
        if sheet.column_dimensions[letter].width >= 40:
            sheet.column_dimensions[letter].width = 80
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
