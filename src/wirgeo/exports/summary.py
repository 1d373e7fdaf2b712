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
>>> state["Kreis"], state["Art"], state["WIR-Vielfaltszentrum"], int(state["Gemeinden"])
('Hessen', 'Land', '26 Kreise', 425)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wirgeo.core.i18n import NP_, _, date, ngettext, number, speaking, translate
from wirgeo.exports.sheets import (
    COLUMN_CONTEXT,
    Sheet,
    for_people,
    frames,
    people_formatter,
    rows_sheet,
    sheet_name,
)
from wirgeo.exports.tables import check_output_path
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import RunRecord
from wirgeo.programme import kreis_summary, load_council_law, programme_tables
from wirgeo.rules import KivRules, load_rules, rule_sources
from wirgeo.vocabulary import (
    CONTIGUITY,
    ELIGIBILITY,
    KREIS_TYPES,
    RULES,
    STATUS,
    yes_no,
)
from wirgeo.wording import data_source_line, describe_rules, record_rows, with_labels

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
        Language of headers and values (default: the setting; German).
    """
    rules = load_rules(rules_path) if rules is None else rules
    rules_path = rules_path or (rules.source or None)
    record = record or RunRecord.for_rules(rules, eligibility_frame)
    centres, grantees = programme_tables(eligibility_frame, centres, grantees)
    with speaking(lang):
        kreise = kreis_summary(eligibility_frame, total=True)
        kreise["kreis_type"] = kreise["kreis_type"].map(KREIS_TYPES.label)
        # the state's row names how many Kreise it sums up where a Kreis names its centre
        total = kreise["kreis_type"] == KREIS_TYPES.label("state")
        kreise.loc[total, "centre_name"] = ngettext("{count} Kreis", "{count} Kreise",
                                                    int((~total).sum())).format(
            count=int((~total).sum()))
        if eligibility_frame.attrs.get("kreis_selection"):  # a sum of some Kreise only
            kreise.loc[total, "kreis_name"] = _("{state}: the selected Kreise only").format(
                state=", ".join(kreise.loc[total, "kreis_name"].astype(str)))
        gem = with_labels(pd.DataFrame(eligibility_frame).sort_values("ags"))
        sheets = {"kreise": for_people(kreise, _KREIS_COLUMNS),
                  "gemeinden": for_people(gem, _MUNICIPALITY_COLUMNS)}
        if centres is not None:
            sheets["centres"] = for_people(pd.DataFrame(centres), _CENTRE_COLUMNS)
        if grantees is not None:
            sheets["grantees"] = for_people(grantees, _GRANTEE_COLUMNS)
        sheets["rules"] = _rules_sheet(rules_path)
        sheets["sources"] = _sources_sheet(eligibility_frame.attrs, rules, centres, grantees)
        sheets["run"] = rows_sheet(record_rows(record))
        return {sheet_name(key): sheet for key, sheet in sheets.items()}


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
    >>> list(summary_sheets(eligibility(load_municipalities()), lang="en"))
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


#: The headers of the rules sheet.
_RULES_HEADER = (NP_("column", "Rule"), NP_("column", "Name"), NP_("column", "Value"),
                 NP_("column", "Assumption?"), NP_("column", "Quote"), NP_("column", "Source"),
                 NP_("column", "Note"))


def _rules_sheet(rules_path: str | Path | None) -> Sheet:
    header = [translate(title, COLUMN_CONTEXT) for title in _RULES_HEADER]
    rows = [(RULES.label(s.rule) if s.rule in RULES else s.rule, s.rule,
             _plain(s.rule, s.value), yes_no(s.assumption), s.quote, s.source_url, s.note)
            for s in rule_sources(rules_path)]
    return Sheet(pd.DataFrame(rows, columns=header), {}, wrap=True)


def _sources_sheet(attrs: Mapping[str, Any], rules: KivRules,
                   centres: pd.DataFrame | None, grantees: pd.DataFrame | None) -> Sheet:
    """Where every figure comes from: attribution, dates, rules, curated tables."""
    from wirgeo._version import __version__

    attribution = [a.strip() for a in str(attrs.get("attribution", "")).split("·") if a.strip()]
    n_centres = number(0 if centres is None else len(centres))
    n_grantees = number(0 if grantees is None else len(grantees))
    boundary = date(attrs["boundary_date"]) if attrs.get("boundary_date") else ""
    population = date(attrs["population_date"]) if attrs.get("population_date") else ""
    lines = [(_("Geometry (boundaries)"), a) for a in attribution[:1]]
    lines += [(_("Population figures"), a) for a in attribution[1:]]
    lines += [
        (_("Boundaries as of"), boundary),
        (_("Population as of"), population),
        *([(_("Data"), data_source_line(attrs))]
          if attrs.get("data_source") and boundary and population else []),
        (_("KIV rules"), _("{rules} Every rule with quote and source on the sheet "
                           "'{sheet}'.").format(rules=describe_rules(rules),
                                                sheet=sheet_name("rules"))),
        (_("WIR-Vielfaltszentren"), _("data/wir_centres.csv: {count} centres, each row with "
                                      "its source; placed at 'town centre' = the official "
                                      "centre point (Destatis) of the town of the "
                                      "office").format(count=n_centres)),
        (_("KIV grants"), _("data/kiv_grantees.csv: {count} municipalities documented in "
                            "public sources. The list is incomplete: the ministry speaks of "
                            "24 to 27 funded municipalities.").format(count=n_grantees)),
        (_("Distances"), _("straight line (GRS80 ellipsoid) from the municipality's official "
                           "centre point to the centre's location, to 0.1 km")),
        (_("Made with"), f"wirgeo {__version__}"),
    ]
    lines += census_lines(attrs)
    return rows_sheet(lines)


def census_lines(attrs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Where the Zensus 2022 columns come from, what they mean, and § 84 HGO verbatim."""
    if not attrs.get("census_attribution"):
        return []
    law = load_council_law()
    rule, alternative = law.rule, law.alternative
    return [
        ("Zensus 2022", _("{attribution}; figures compiled from the published results; "
                          "licence dl-de/by-2-0").format(
                              attribution=attrs["census_attribution"])),
        (_("Zensus 2022 columns"),
         _("shares in percent of the census population as published (one decimal); an "
           "empty cell is a value the statistical offices withheld (keine Angabe), never "
           "0; foreign residents are an estimate: share × census population")),
        (_("Ausländerbeirat"),
         _("{provision}: “{quote}” ({url}, text as of {retrieved}). Flagged where the "
           "Zensus 2022 estimate exceeds {threshold}: an estimate, not a legal "
           "determination. {alternative}: “{alternative_quote}”").format(
               provision=rule.provision, quote=rule.quote, url=rule.source_url,
               retrieved=date(rule.retrieved), threshold=number(law.threshold),
               alternative=alternative.provision, alternative_quote=alternative.quote)),
    ]


def _plain(rule: str, value: Any) -> str:
    """A rule value as text: numbers formatted, codes in words, lists joined."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {number(v)}" if isinstance(v, int) else f"{k}: {v}"
                         for k, v in value.items())
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (list, tuple)):
        if rule == "excluded_status":
            return ", ".join(STATUS.label(v) for v in value)
        return "–".join(map(str, value)) if rule == "duration_months" else ", ".join(
            map(str, value))
    if isinstance(value, int):
        return number(value)
    if rule == "contiguity" and value in CONTIGUITY:
        return CONTIGUITY.label(value)
    return str(value)
