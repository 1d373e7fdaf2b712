"""Several rule scenarios side by side, and what each means for every municipality.

:func:`outcomes` turns one run into an outcome code per municipality
(:data:`wirgeo.vocabulary.OUTCOMES`); :func:`compare` runs several rule sets on the same
municipalities (contiguity computed once) and says whose outcome changes.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import build
>>> outcomes(build(load_municipalities())).value_counts().to_dict()
{'verbund': 228, 'single': 163, 'unplaced': 18, 'own_centre': 12, 'uninhabited': 4}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import contiguity
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.planning.run import Planning, build
from wirgeo.rules import KivRules, load_rules, scenario_names
from wirgeo.vocabulary import OUTCOME_OF_CLASS
from wirgeo.vocabulary import OUTCOMES as _OUTCOMES

__all__ = ["OUTCOMES", "outcomes", "Comparison", "compare"]

#: Outcome of a municipality under one rule set (column values of :func:`outcomes`), with
#: what it means; its label in the reader's language: :data:`wirgeo.vocabulary.OUTCOMES`.
OUTCOMES = _OUTCOMES.meanings


def outcomes(run: Planning) -> pd.Series:
    """Outcome code (a key of :data:`OUTCOMES`) of every municipality in a run, by AGS."""
    elig = run.eligibility.set_index("ags")
    members = run.plan.members.set_index("ags")
    classes = elig["eligibility"]
    code = classes.map(OUTCOME_OF_CLASS).astype(object)
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
        One row per scenario: the rule set's name, municipalities per eligibility class, small
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
            raise ArgumentError("scenario", _("no scenario {scenario!r} in this comparison")
                                .format(scenario=unknown[0]),
                                fix=_("use one of {choices}").format(
                                    choices=", ".join(self.runs)))
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
        raise ArgumentError("baseline", _("baseline {baseline!r} is not among the scenarios")
                            .format(baseline=baseline),
                            fix=_("use one of {choices}").format(choices=", ".join(scenarios)))
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
            "rules": run.rules.name,
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
