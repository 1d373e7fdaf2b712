"""What a run did, for every file it writes: :class:`RunRecord`.

A workbook, a map or an output folder handed on to a mayor must say how it was made: the
rules actually used (file, scenario, every override), whether it shows the statewide plan,
a view of some Kreise or a plan made only within them, the locks and exclusions, the data
with their dates, wirgeo's version and the attribution the data's licences require. The
record holds exactly that — nothing that changes between two identical runs (no clock
time), so the same question still gives byte-identical files, and two runs with different
rules never do.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(scenario="band_10k_30k", overrides={"max_members": 2},
...                       kreise=("Vogelsbergkreis",), exclude=("Schotten",)
...                       ).run(load_municipalities())
>>> record = RunRecord.of(run)
>>> record.rules_name, record.scenario, record.overrides
('band_10k_30k+overrides', 'band_10k_30k', {'max_members': 2})
>>> record.exclude
(('06535016', 'Schotten'),)
>>> dict(record.rows("de"))["Einzelantrag"]
'10.000–30.000 Einwohner'
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from wirgeo.core.i18n import _, date, language, number
from wirgeo.planning.run import Planning
from wirgeo.planning.tie_breaks import preference_text
from wirgeo.rules import KivRules

if TYPE_CHECKING:
    from wirgeo.planning.request import PlanningRequest

__all__ = ["RunRecord"]


def _version() -> str:
    from wirgeo._version import __version__

    return __version__


@dataclass(frozen=True)
class RunRecord:
    """How one planning run was made (see the module docs).

    Build it with :meth:`of`; :meth:`to_dict` gives the ``run.json`` of an output folder,
    :meth:`rows` the lines of a workbook's run sheet and of a map's info box.
    """

    wirgeo_version: str
    lang: str
    rules_name: str
    rules_file: str
    scenario: str
    overrides: dict[str, Any]
    rules_description: str
    single_band: tuple[int, int]
    scope: str                                  # "statewide", "view" or "within"
    kreise: tuple[tuple[str, str], ...]         # (key, name)
    exclude: tuple[tuple[str, str], ...]        # (AGS, name)
    locks: tuple[tuple[tuple[str, str], ...], ...]
    boundary_date: str
    population_date: str
    boundaries_file: str
    population_file: str
    data_source: str
    attribution: tuple[str, ...]
    plan_status: str
    summary: str
    broken_locks: tuple[tuple[str, str], ...] = ()   # (consortium id, rule violations)
    extra: dict[str, str] = field(default_factory=dict)
    preferences: tuple[tuple[str, int], ...] = ()  # (name, the plan's total) after coverage

    @classmethod
    def of(cls, run: Planning, lang: str | None = None) -> RunRecord:
        """The record of ``run`` (texts in ``lang``, default the run's language)."""
        lang = language(lang or run.lang)
        scope = "within" if run.within_kreise else ("view" if run.kreise else "statewide")
        record = cls._make(run.rules, run.municipalities, run.request, lang,
                           kreise=tuple(zip(run.kreise, run.kreis_names(), strict=True)),
                           scope=scope, status=run.plan.status,
                           summary=run.summary_line(lang))
        table = run.plan.consortia
        broken = table[table["consortium_id"].isin(run.plan.broken_locks)]
        return dataclasses.replace(record, broken_locks=tuple(
            zip(broken["consortium_id"], broken["rule_violations"], strict=True)),
            preferences=tuple(run.plan.preference_values().items()))

    @classmethod
    def for_rules(cls, rules: KivRules, municipalities: pd.DataFrame,
                  request: PlanningRequest | None = None, lang: str | None = None
                  ) -> RunRecord:
        """The record of a run without a plan (eligibility and summary only)."""
        lang = language(lang or municipalities.attrs.get("lang"))
        return cls._make(rules, municipalities, request, lang, kreise=(), scope="statewide",
                         status="", summary=rules.describe(lang))

    @classmethod
    def _make(cls, rules: KivRules, municipalities: pd.DataFrame,
              request: PlanningRequest | None, lang: str, *,
              kreise: tuple[tuple[str, str], ...], scope: str, status: str,
              summary: str) -> RunRecord:
        attrs = municipalities.attrs
        name = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
        scenario = (request.scenario or "") if request else (
            rules.name.removesuffix("+overrides") if rules.name != "default" else "")
        return cls(
            wirgeo_version=_version(), lang=lang, rules_name=rules.name,
            rules_file=Path(rules.source).name if rules.source else "",
            scenario=scenario,
            overrides=dict(request.overrides) if request else {},
            rules_description=rules.describe(lang),
            single_band=(rules.single_min, rules.single_max), scope=scope, kreise=kreise,
            exclude=tuple((a, name.get(a, a)) for a in rules.exclude),
            locks=tuple(tuple((a, name.get(a, a)) for a in group) for group in rules.lock),
            boundary_date=str(attrs.get("boundary_date", "")),
            population_date=str(attrs.get("population_date", "")),
            boundaries_file=str(attrs.get("boundaries_file", "")),
            population_file=str(attrs.get("population_file", "")),
            data_source=str(attrs.get("data_source", "")),
            # the Zensus 2022 too, when the table carries its indicators
            attribution=tuple(a.strip() for a in str(attrs.get("attribution", "")).split("·")
                              if a.strip()) + ((str(attrs["census_attribution"]),)
                                               if attrs.get("census_attribution") else ()),
            plan_status=status, summary=summary)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (``run.json``)."""
        return asdict(self)

    def to_json(self) -> str:
        """The record as indented JSON (stable key order, UTF-8 text)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def scope_text(self, lang: str | None = None) -> str:
        """Statewide, a view of some Kreise, or a plan only within them — in words."""
        lang = language(lang or self.lang)
        names = ", ".join(n for _, n in self.kreise)
        if self.scope == "statewide":
            return "landesweiter Plan" if lang == "de" else "statewide plan"
        if self.scope == "view":
            return (f"Ausschnitt des landesweiten Plans: {names}" if lang == "de" else
                    f"view of the statewide plan: {names}")
        return (f"nur innerhalb dieser Kreise geplant: {names}" if lang == "de" else
                f"planned only within these Kreise: {names}")

    def rows(self, lang: str | None = None) -> list[tuple[str, str]]:
        """(label, value) lines for a run sheet or an info box."""
        lang = language(lang or self.lang)
        de = lang == "de"

        def listed(items: tuple[tuple[str, str], ...]) -> str:
            return ", ".join(f"{n} ({a})" for a, n in items) or ("keine" if de else "none")

        overrides = ", ".join(f"{k} = {v}" for k, v in sorted(self.overrides.items()))
        band = f"{number(self.single_band[0], lang)}–{number(self.single_band[1], lang)}"
        rows = [
            ("Ergebnis" if de else "Result", self.summary),
            ("Umfang" if de else "Scope", self.scope_text(lang)),
            ("Regelsatz" if de else "Rule set", self.rules_name),
            ("Regeldatei" if de else "Rules file", self.rules_file or "—"),
            ("Szenario" if de else "Scenario", self.scenario or ("keines" if de else "none")),
            ("Geänderte Regeln" if de else "Overrides", overrides or ("keine" if de else
                                                                       "none")),
            ("Einzelantrag" if de else "Single applicants",
             band + (" Einwohner" if de else " inhabitants")),
            ("Regeln" if de else "Rules", self.rules_description),
            ("Ausgeschlossen" if de else "Excluded", listed(self.exclude)),
            ("Festgelegte Verbünde" if de else "Locked consortia",
             "; ".join(listed(group) for group in self.locks) or ("keine" if de else "none")),
            ("Gebietsstand der Grenzen" if de else "Boundaries as of",
             date(self.boundary_date, lang) if self.boundary_date else "—"),
            ("Stichtag der Einwohnerzahlen" if de else "Population as of",
             date(self.population_date, lang) if self.population_date else "—"),
        ]
        if self.preferences:
            rows.append((_("Preferred after coverage", lang), "; ".join(
                preference_text(name, value, lang) for name, value in self.preferences)))
        if self.broken_locks:
            rows.append(("Regelverstöße festgelegter Verbünde" if de else
                         "Rule violations of locked consortia",
                         "; ".join(f"{cid}: {why}" for cid, why in self.broken_locks)))
        if self.data_source:
            rows.append(("Datenquelle" if de else "Data source", self.data_source))
        if self.boundaries_file:
            rows.append(("Grenzen (Datei)" if de else "Boundaries (file)",
                         self.boundaries_file))
        if self.population_file:
            rows.append(("Einwohner (Datei)" if de else "Population (file)",
                         self.population_file))
        rows += [("Quellenangabe" if de else "Attribution", " · ".join(self.attribution)),
                 ("Erstellt mit" if de else "Made with", f"wirgeo {self.wirgeo_version}")]
        rows += list(self.extra.items())
        return rows
