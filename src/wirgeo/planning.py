"""One planning run, and a comparison of rule scenarios.

A planner's question always needs the same tables together: who is eligible, where the
centres are, who has been funded, and the optimal Verbund plan under one rule set.
:func:`build` computes them once (the command line, the map, the notebook widgets and the
benchmarks all call it), and :func:`compare` runs several rule sets side by side and says
which municipalities' outcome changes.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import build
>>> run = build(load_municipalities())
>>> run.plan.summary_line()
'covered 228 of 246 small municipalities in 92 consortia (optimal)'
>>> sorted(run.map_tables())
['centres', 'consortia', 'eligibility', 'grantees', 'unplaced']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency, contiguity
from wirgeo.consortia import Plan, plan
from wirgeo.programme import eligibility, funded_ags, programme_tables
from wirgeo.rules import KivRules, load_rules, scenario_names

__all__ = ["Planning", "build", "unplaced", "OUTCOMES", "outcomes", "Comparison", "compare"]

#: Outcome of a municipality under one rule set (column values of :func:`outcomes`).
OUTCOMES = {
    "single": "can apply alone",
    "verbund": "in a suggested Verbund",
    "unplaced": "small, no Verbund found",
    "funded": "already funded",
    "excluded": "excluded for this run",
    "large": "too large for KIV",
    "own_centre": "own WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)",
    "uninhabited": "uninhabited",
}


def unplaced(result: Plan) -> pd.DataFrame:
    """Small municipalities the plan could not place, with reason code and sentence.

    Municipalities left out on purpose (already funded, excluded for the run) are not
    "unplaced": they are not looking for a Verbund.
    """
    members = result.members
    mask = (members["small"] & members["consortium_id"].isna()
            & ~members["reason_code"].isin(["excluded_funded", "excluded_by_rule"]))
    columns = ["ags", "name", "kreis_ags", "kreis_name", "population", "reason_code",
               "reason"]
    return pd.DataFrame(members.loc[mask, columns]).reset_index(drop=True)


@dataclass
class Planning:
    """Every table of one planning run under one rule set.

    Attributes
    ----------
    municipalities : GeoDataFrame
        The joined municipalities the run used.
    rules : KivRules
    eligibility : GeoDataFrame
        :func:`wirgeo.programme.eligibility` of every municipality.
    centres : GeoDataFrame or None
        The WIR-Vielfaltszentren (None outside Hessen).
    grantees : DataFrame or None
        The documented KIV grantees (None outside Hessen).
    plan : Plan
        The optimal Verbund plan (:func:`wirgeo.consortia.plan`).
    """

    municipalities: gpd.GeoDataFrame
    rules: KivRules
    eligibility: gpd.GeoDataFrame
    centres: gpd.GeoDataFrame | None
    grantees: pd.DataFrame | None
    plan: Plan

    @property
    def unplaced(self) -> pd.DataFrame:
        """Small municipalities without a Verbund, with the reason (see :func:`unplaced`)."""
        return unplaced(self.plan)

    def map_tables(self) -> dict:
        """The tables as keyword arguments of :func:`wirgeo.maps.planning_map`."""
        tables = {"eligibility": self.eligibility, "consortia": self.plan.consortia,
                  "unplaced": self.unplaced}
        if self.centres is not None:
            tables["centres"] = self.centres
        if self.grantees is not None:
            tables["grantees"] = self.grantees
        return tables


def build(municipalities: gpd.GeoDataFrame, rules: KivRules | None = None, *,
          centres: gpd.GeoDataFrame | None = None, grantees: pd.DataFrame | None = None,
          kreise: Iterable[str] | None = None, time_limit: float | None = None,
          adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
          link_via_uninhabited: bool = True) -> Planning:
    """Compute eligibility and the optimal Verbund plan under one rule set.

    Parameters
    ----------
    municipalities : GeoDataFrame
        From :func:`wirgeo.load_municipalities`.
    rules : KivRules, optional
        Default: ``data/kiv_rules.toml``.
    centres, grantees : optional
        Default: the curated tables in ``data/`` for Hessen, none for other states.
    kreise : iterable of str, optional
        Plan Verbünde only within these Kreise (names or 5-digit keys).
    time_limit : float, optional
        Seconds for the solver; the best plan found is returned with its gap.
    adjacency : Adjacency, optional
        Precomputed contiguity (saves its time when several runs share it).
    buffer, link_via_uninhabited
        Passed to :func:`wirgeo.adjacency.contiguity` when ``adjacency`` is not given.

    Returns
    -------
    Planning
    """
    rules = rules or load_rules()
    centres, grantees = programme_tables(municipalities, centres, grantees)
    funded = funded_ags(grantees) if grantees is not None else set()
    frame = eligibility(municipalities, rules, grantees=grantees, centres=centres)
    result = plan(municipalities, rules, funded=funded, kreise=kreise, time_limit=time_limit,
                  adjacency=adjacency, buffer=buffer,
                  link_via_uninhabited=link_via_uninhabited)
    return Planning(municipalities, rules, frame, centres, grantees, result)


def outcomes(run: Planning) -> pd.Series:
    """Outcome code (a key of :data:`OUTCOMES`) of every municipality in a run, by AGS."""
    elig = run.eligibility.set_index("ags")
    members = run.plan.members.set_index("ags")
    code = pd.Series("large", index=elig.index, dtype=object)
    classes = elig["eligibility"]
    code[classes == "eligible_single"] = "single"
    code[classes == "not_eligible_status"] = "own_centre"
    code[classes == "uninhabited"] = "uninhabited"
    small = classes == "verbund_needed"
    reason = members["reason_code"].reindex(elig.index)
    placed = members["consortium_id"].reindex(elig.index).notna()
    code[small] = "unplaced"
    code[small & placed] = "verbund"
    code[small & (reason == "excluded_by_rule")] = "excluded"
    code[elig["funded"].astype(bool) & (classes != "eligible_single")] = "funded"
    # a funded municipality that is still in the band keeps "single": it could apply again
    code[small & (reason == "excluded_funded")] = "funded"
    # a large partner placed in a Verbund (allow_large_partner) shows as "verbund"
    code[(classes == "eligible_single") & placed] = "verbund"
    return code.rename("outcome")


@dataclass
class Comparison:
    """Several rule scenarios side by side.

    Attributes
    ----------
    baseline : str
        Name of the scenario the others are compared with.
    runs : dict of str to Planning
    summary : DataFrame
        One row per scenario: rules in words, municipalities per eligibility class, small
        municipalities covered, consortia, unplaced, solver status, seconds, and how many
        municipalities' outcome differs from the baseline.
    outcomes : GeoDataFrame
        One row per municipality (``ags``, ``name``, ``kreis_name``, ``population``,
        geometry) and one outcome column (see :data:`OUTCOMES`) per scenario.
    """

    baseline: str
    runs: dict[str, Planning]
    summary: pd.DataFrame
    outcomes: gpd.GeoDataFrame

    def changed(self, scenario: str | None = None) -> gpd.GeoDataFrame:
        """Municipalities whose outcome differs from the baseline (in ``scenario`` or any)."""
        names = [scenario] if scenario else [n for n in self.runs if n != self.baseline]
        unknown = [n for n in names if n not in self.runs]
        if unknown:
            from wirgeo.errors import RulesError

            raise RulesError("scenarios", f"no scenario {unknown[0]!r} in this comparison",
                             fix="choose one of " + ", ".join(self.runs))
        base = self.outcomes[self.baseline]
        mask = np.zeros(len(self.outcomes), dtype=bool)
        for name in names:
            mask |= (self.outcomes[name] != base).to_numpy()
        return self.outcomes[mask].reset_index(drop=True)


def compare(municipalities: gpd.GeoDataFrame,
            scenarios: Mapping[str, KivRules] | Iterable[str] | None = None, *,
            baseline: str = "default", centres: gpd.GeoDataFrame | None = None,
            grantees: pd.DataFrame | None = None, time_limit: float | None = None
            ) -> Comparison:
    """Run several rule scenarios and compare their outcomes.

    Parameters
    ----------
    municipalities : GeoDataFrame
    scenarios : mapping of name to KivRules, or names, optional
        Names refer to ``[scenarios.<name>]`` of ``data/kiv_rules.toml``; ``"default"`` is
        the file's defaults. Default: the defaults plus every scenario of the file.
    baseline : str
        The scenario the others are compared with.
    centres, grantees, time_limit
        As for :func:`build`.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> cmp = compare(load_municipalities(), ["default", "mutual"])
    >>> cmp.summary[["scenario", "covered", "consortia"]].to_dict("records")
    [{'scenario': 'default', 'covered': 228, 'consortia': 92}, \
{'scenario': 'mutual', 'covered': 204, 'consortia': 87}]
    """
    if scenarios is None:
        scenarios = ["default", *scenario_names()]
    if not isinstance(scenarios, Mapping):
        scenarios = {name: load_rules() if name == "default" else load_rules(scenario=name)
                     for name in scenarios}
    if baseline not in scenarios:
        from wirgeo.errors import RulesError

        raise RulesError("scenarios", f"baseline {baseline!r} is not among the scenarios",
                         fix="choose one of " + ", ".join(scenarios))
    adjacency = contiguity(municipalities)  # the same for every rule set: compute once
    runs = {name: build(municipalities, rules, centres=centres, grantees=grantees,
                        time_limit=time_limit, adjacency=adjacency)
            for name, rules in scenarios.items()}
    table = gpd.GeoDataFrame(
        municipalities[["ags", "name", "kreis_ags", "kreis_name", "population"]].copy(),
        geometry=municipalities.geometry.to_numpy(), crs=municipalities.crs)
    table.attrs.update(municipalities.attrs)
    for name, run in runs.items():
        table[name] = table["ags"].map(outcomes(run))
    rows = []
    for name, run in runs.items():
        classes = run.eligibility["eligibility"].value_counts()
        rows.append({
            "scenario": name,
            "rules": run.rules.describe(),
            "eligible_single": int(classes.get("eligible_single", 0)),
            "verbund_needed": int(classes.get("verbund_needed", 0)),
            "not_eligible_large": int(classes.get("not_eligible_large", 0)),
            "covered": run.plan.n_covered,
            "small_plannable": run.plan.n_small,
            "consortia": len(run.plan.consortia),
            "same_kreis_consortia": int(run.plan.consortia["same_kreis"].sum()),
            "unplaced": len(run.unplaced),
            "status": run.plan.status,
            "seconds": run.plan.seconds,
            "changed_vs_baseline": int((table[name] != table[baseline]).sum()),
        })
    return Comparison(baseline, runs, pd.DataFrame(rows), table)
