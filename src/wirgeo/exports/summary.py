"""The summary workbook planners pass on: Kreise, Gemeinden, centres, grantees, rules, sources.

Headers and values are in the reader's language (German by default,
:mod:`~wirgeo.exports.sheets`), numbers carry Excel formats by what the column holds, and
the sheet ``Lauf`` (``Run``) records how the workbook was made: the rules actually used
(file, scenario, overrides), the data with their dates, wirgeo's version. The same inputs
give a byte-identical file (:func:`~wirgeo.exports.workbook.write_workbook`); different
rules never do.

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

from wirgeo.core.i18n import _, date, language, number
from wirgeo.exports.sheets import (
    SHEET_NAMES,
    Sheet,
    for_people,
    frames,
    people_formatter,
    rows_sheet,
    yes_no,
)
from wirgeo.exports.tables import check_output_path
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import RunRecord
from wirgeo.programme import kreis_summary, load_council_law, programme_tables
from wirgeo.rules import KivRules, load_rules, rule_sources
from wirgeo.vocabulary import CONTIGUITY, ELIGIBILITY, RULES, STATUS

__all__ = ["summary_sheets", "summary_workbook", "write_summary"]

_KREIS_COLUMNS = {"kreis_ags": "kreis_ags", "kreis_name": "kreis_name",
                  "kreis_type": "kreis_type", "centre_name": "centre_name",
                  "municipalities": "municipalities", "population": "population",
                  **{f"n_{c}": f"n_{c}" for c in ELIGIBILITY.codes},
                  **{f"pop_{c}": f"pop_{c}" for c in ELIGIBILITY.codes},
                  "n_funded": "funded", "share_small": "share_small",
                  "mean_centre_km": "mean_centre_km", "max_centre_km": "max_centre_km"}
_MUNICIPALITY_COLUMNS = ("ags", "name", "name_official", "kreis_ags", "kreis_name", "status",
                         "population", "eligibility", "near_threshold_label", "funded",
                         "funded_round", "funded_years", "funded_consortium_id", "centre_name",
                         "centre_distance_km", "population_date", "census_population",
                         "foreign_share", "migration_share", "under18_share", "over60_share",
                         "foreign_residents", "advisory_council")
_CENTRE_COLUMNS = {"centre": "name", "host_type": "host_type", "host_ags": "host_ags",
                   "host_name": "host_name", "organisation": "organisation",
                   "street": "street", "postcode": "postcode", "town": "town",
                   "town_ags": "town_ags", "centre_status": "status",
                   "location_precision": "location_precision", "lon": "lon", "lat": "lat",
                   "source_url": "source_url", "further_sources": "further_sources",
                   "note": "note"}
_GRANTEE_COLUMNS = {"ags": "ags", "name": "name", "kreis_name": "kreis_name",
                    "population": "population", "round": "round", "years": "years",
                    "grantee_consortium_id": "consortium_id", "project": "project",
                    "amount_eur": "amount_eur", "grantee_status": "status",
                    "source_url": "source_url", "further_sources": "further_sources",
                    "note": "note"}
_KREIS_TYPES = {"Landkreis": {"de": "Landkreis", "en": "Landkreis"},
                "kreisfreie Stadt": {"de": "kreisfreie Stadt", "en": "kreisfreie Stadt"},
                "Land": {"de": "Land", "en": "state"}}


def summary_workbook(eligibility_frame: pd.DataFrame, *, rules: KivRules | None = None,
                     centres: gpd.GeoDataFrame | None = None,
                     grantees: pd.DataFrame | None = None,
                     rules_path: str | Path | None = None, record: RunRecord | None = None,
                     lang: str | None = None) -> dict[str, Sheet]:
    """The sheets of the summary workbook with their number formats (see the module).

    Parameters
    ----------
    eligibility_frame : DataFrame
        From :func:`wirgeo.programme.eligibility`.
    rules : KivRules, optional
        The rules the frame was classified by (they are stated in ``Quellen`` and
        ``Lauf``); default: read from ``rules_path``.
    centres, grantees : optional
        The programme tables; missing ones as :func:`wirgeo.programme.programme_tables`
        gives them (the curated tables for Hessen, no sheet for other states).
    rules_path : str or Path, optional
        The rules file whose rules, quotes and sources fill ``Regeln``; default
        ``rules.source``, else ``data/kiv_rules.toml``.
    record : RunRecord, optional
        The run the workbook belongs to; default: made from ``rules`` and the frame.
    lang : str, optional
        Language of headers and values (default: the frame's language).
    """
    lang = language(lang or eligibility_frame.attrs.get("lang"))
    rules = load_rules(rules_path) if rules is None else rules
    rules_path = rules_path or (rules.source or None)
    record = record or RunRecord.for_rules(rules, eligibility_frame, lang=lang)
    centres, grantees = programme_tables(eligibility_frame, centres, grantees)
    kreise = kreis_summary(eligibility_frame, total=True)
    kreise["kreis_type"] = kreise["kreis_type"].map(lambda t: _KREIS_TYPES[t][lang])
    gem = pd.DataFrame(eligibility_frame).sort_values("ags")
    sheets = {"kreise": for_people(kreise, _KREIS_COLUMNS, lang),
              "gemeinden": for_people(gem, _MUNICIPALITY_COLUMNS, lang)}
    if centres is not None:
        sheets["centres"] = for_people(pd.DataFrame(centres), _CENTRE_COLUMNS, lang)
    if grantees is not None:
        sheets["grantees"] = for_people(grantees, _GRANTEE_COLUMNS, lang)
    sheets["rules"] = _rules_sheet(rules_path, lang)
    sheets["sources"] = _sources_sheet(eligibility_frame.attrs, rules, centres, grantees, lang)
    sheets["run"] = rows_sheet(record.rows(lang), lang)
    return {SHEET_NAMES[key][lang]: sheet for key, sheet in sheets.items()}


def summary_sheets(eligibility_frame: pd.DataFrame, **kwargs: Any) -> dict[str, pd.DataFrame]:
    """The tables of the summary workbook (keyword arguments of :func:`summary_workbook`).

    Sheets (German): ``Kreise`` (with a state total), ``Gemeinden``, ``Vielfaltszentren``,
    ``KIV-Förderungen``, ``Regeln`` (every rule with quote and source), ``Quellen``
    (attribution of BKG and Destatis, dates, curated tables, rule set) and ``Lauf``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.programme import eligibility
    >>> list(summary_sheets(eligibility(load_municipalities())))
    ['Kreise', 'Gemeinden', 'Vielfaltszentren', 'KIV-Förderungen', 'Regeln', 'Quellen', 'Lauf']
    >>> list(summary_sheets(eligibility(load_municipalities(), lang="en")))
    ['Kreise', 'Municipalities', 'WIR centres', 'KIV grants', 'Rules', 'Sources', 'Run']
    """
    return frames(summary_workbook(eligibility_frame, **kwargs))


def write_summary(eligibility_frame: pd.DataFrame, path: str | Path, **kwargs: Any) -> Path:
    """Write the summary workbook (see :func:`summary_workbook`) atomically.

    The same inputs give a byte-identical file. Keyword arguments go to
    :func:`summary_workbook`.

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
    sheets = summary_workbook(eligibility_frame, **kwargs)
    return write_workbook(path, frames(sheets), formatter=people_formatter(sheets))


# ------------------------------------------------------------------------ the sheets


def _rules_sheet(rules_path: str | Path | None, lang: str) -> Sheet:
    de = lang == "de"
    header = (("Regel", "Name", "Wert", "Annahme?", "Zitat", "Quelle", "Anmerkung") if de
              else ("Rule", "Name", "Value", "Assumption?", "Quote", "Source", "Note"))
    rows = [(RULES.label(s.rule, lang) if s.rule in RULES else s.rule, s.rule,
             _plain(s.rule, s.value, lang), yes_no(s.assumption, lang), s.quote,
             s.source_url, s.note)
            for s in rule_sources(rules_path)]
    return Sheet(pd.DataFrame(rows, columns=list(header)), {}, wrap=True)


def _sources_sheet(attrs: Mapping[str, Any], rules: KivRules,
                   centres: pd.DataFrame | None, grantees: pd.DataFrame | None,
                   lang: str) -> Sheet:
    """Where every figure comes from: attribution, dates, rules, curated tables."""
    from wirgeo._version import __version__

    de = lang == "de"
    attribution = [a.strip() for a in str(attrs.get("attribution", "")).split("·") if a.strip()]
    n_centres = number(0 if centres is None else len(centres), lang)
    n_grantees = number(0 if grantees is None else len(grantees), lang)
    boundary = date(attrs["boundary_date"], lang) if attrs.get("boundary_date") else ""
    population = date(attrs["population_date"], lang) if attrs.get("population_date") else ""
    lines = [("Geometrie (Gemeindegrenzen)" if de else "Geometry (boundaries)", a)
             for a in attribution[:1]]
    lines += [("Einwohnerzahlen" if de else "Population", a) for a in attribution[1:]]
    if de:
        lines += [
            ("Gebietsstand der Grenzen", boundary),
            ("Stichtag der Einwohnerzahlen", population),
            *([("Datengrundlage", str(attrs["data_source"]))] if attrs.get("data_source")
              else []),
            ("KIV-Regeln", f"{rules.describe(lang)} Jede Regel mit Zitat und Quelle im "
                           "Blatt 'Regeln'."),
            ("WIR-Vielfaltszentren", f"data/wir_centres.csv: {n_centres} Zentren, jede Zeile "
                                     "mit Quelle; Lage 'Ortsmitte' = amtlicher Mittelpunkt "
                                     "(Destatis) des Ortes, an dem die Stelle sitzt"),
            ("KIV-Förderungen", f"data/kiv_grantees.csv: {n_grantees} öffentlich belegte "
                                "Gemeinden. Die Liste ist unvollständig: das Ministerium "
                                "nennt 24 bis 27 geförderte Kommunen."),
            ("Entfernungen", "Luftlinie (Ellipsoid GRS80) vom amtlichen Mittelpunkt der "
                             "Gemeinde zum Standort des Zentrums, auf 0,1 km gerundet"),
            ("Erstellt mit", f"wirgeo {__version__}"),
        ]
    else:
        lines += [
            ("Boundaries as of", boundary),
            ("Population as of", population),
            *([("Data", str(attrs["data_source"]))] if attrs.get("data_source") else []),
            ("KIV rules", f"{rules.describe(lang)} Every rule with quote and source on the "
                          "sheet 'Rules'."),
            ("WIR-Vielfaltszentren", f"data/wir_centres.csv: {n_centres} centres, each row "
                                     "with its source; placed at 'town centre' = the official "
                                     "centre point (Destatis) of the town of the office"),
            ("KIV grants", f"data/kiv_grantees.csv: {n_grantees} municipalities documented "
                           "in public sources. The list is incomplete: the ministry speaks "
                           "of 24 to 27 funded municipalities."),
            ("Distances", "straight line (GRS80 ellipsoid) from the municipality's official "
                          "centre point to the centre's location, to 0.1 km"),
            ("Made with", f"wirgeo {__version__}"),
        ]
    lines += census_lines(attrs, lang)
    header = ("Angabe", "Wert") if de else ("Item", "Value")
    return Sheet(pd.DataFrame(lines, columns=list(header)), {}, wrap=True)


def census_lines(attrs: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """Where the Zensus 2022 columns come from, what they mean, and § 84 HGO verbatim."""
    if not attrs.get("census_attribution"):
        return []
    law = load_council_law()
    rule, alternative = law.rule, law.alternative
    return [
        ("Zensus 2022", _("{attribution}; figures compiled from the published results; "
                          "licence dl-de/by-2-0", lang).format(
                              attribution=attrs["census_attribution"])),
        (_("Zensus 2022 columns", lang),
         _("shares in percent of the census population as published (one decimal); an "
           "empty cell is a value the statistical offices withheld (keine Angabe), never "
           "0; foreign residents are an estimate: share × census population", lang)),
        (_("Ausländerbeirat", lang),
         _("{provision}: “{quote}” ({url}, text as of {retrieved}). Flagged where the "
           "Zensus 2022 estimate exceeds {threshold}: an estimate, not a legal "
           "determination. {alternative}: “{alternative_quote}”", lang).format(
               provision=rule.provision, quote=rule.quote, url=rule.source_url,
               retrieved=date(rule.retrieved, lang), threshold=number(law.threshold, lang),
               alternative=alternative.provision, alternative_quote=alternative.quote)),
    ]


def _plain(rule: str, value: Any, lang: str) -> str:
    """A rule value as text in ``lang``: numbers formatted, codes in words, lists joined."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {number(v, lang)}" if isinstance(v, int) else f"{k}: {v}"
                         for k, v in value.items())
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, (list, tuple)):
        if rule == "excluded_status":
            return ", ".join(STATUS.label(v, lang) for v in value)
        return "–".join(map(str, value)) if rule == "duration_months" else ", ".join(
            map(str, value))
    if isinstance(value, int):
        return number(value, lang)
    if rule == "contiguity" and value in CONTIGUITY:
        return CONTIGUITY.label(value, lang)
    return str(value)
