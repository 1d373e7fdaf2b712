"""The result of a planning run: the :class:`Plan` and how it is built from the solver's choice.

:func:`build_plan` turns the chosen candidate groups and the locked consortia into the
three tables of a plan (consortia, members with their reasons, candidates) and states the
coverage against its proven bound.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.consortia import plan
>>> from wirgeo.rules import load_rules
>>> gem = load_municipalities()
>>> vogelsberg = plan(gem, load_rules(max_members=2), kreise="Vogelsbergkreis")
>>> vogelsberg.consortia.columns.tolist() == list(CONSORTIUM_COLUMNS)
True
>>> int(vogelsberg.candidates.consortium_id.notna().sum()), vogelsberg.n_candidates
(3, 8)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.consortia.enumeration import Candidates, Group
from wirgeo.consortia.instance import Instance
from wirgeo.consortia.reasons import reason_sentences, violations
from wirgeo.consortia.solver import Outcome
from wirgeo.rules import KivRules
from wirgeo.vocabulary import NOT_PLANNED

__all__ = ["Plan", "build_plan", "candidates_table", "CONSORTIUM_COLUMNS"]

#: Columns of :attr:`Plan.consortia`.
CONSORTIUM_COLUMNS = ("consortium_id", "n_members", "member_ags", "member_names",
                      "population", "n_small", "kreis_ags", "kreis_names", "same_kreis",
                      "shared_border_km", "lead_ags", "lead_name", "locked",
                      "rule_violations", "geometry")


@dataclass
class Plan:
    """A plan of consortia, with a row and a reason for every municipality in scope.

    Attributes
    ----------
    consortia : GeoDataFrame
        One row per consortium, dissolved outline: ``consortium_id``, ``n_members``,
        ``member_ags`` and ``member_names`` (``;``-joined, by AGS), ``population``
        (combined), ``n_small``, ``kreis_ags`` and ``kreis_names`` (``;``-joined),
        ``same_kreis``, ``shared_border_km`` (sum of the borders between members),
        ``lead_ags`` and ``lead_name`` (the largest member, a natural applicant),
        ``locked``, ``rule_violations`` ("" unless a locked consortium breaks a rule).
    members : GeoDataFrame
        One row per municipality in scope: ``ags``, ``name``, ``kreis_ags``,
        ``kreis_name``, ``population``, ``small`` (needs a Verbund), ``funded``,
        ``consortium_id`` (None when not placed), ``reason_code`` (see
        :data:`REASON_CODES`), ``reason`` (a sentence).
    candidates : DataFrame
        Every feasible group: ``member_ags``, ``member_names``, ``n_members``,
        ``n_small``, ``population``, ``same_kreis``, ``kreis_names``,
        ``shared_border_km``, ``consortium_id`` (when chosen).
    status : str
        ``"optimal"`` (every priority level proven), ``"time_limit"`` or ``"heuristic"``
        (the greedy baseline).
    gap : float
        Relative gap of the first priority level not proven optimal (0 when optimal): for
        coverage ``(coverage_bound - n_covered) / coverage_bound``; for a lower level the
        largest gap of a component.
    gap_level : str
        That level: ``"coverage"``, ``"same_kreis_and_count"`` or ``"shared_border"``.
    seconds : float
        Wall time of the whole call (adjacency, enumeration, solving, reasons).
    n_candidates : int
        Feasible groups enumerated.
    rules : KivRules
    n_small, n_covered, coverage_bound : int
        Small municipalities that may be planned, those in a consortium, and the proven
        upper bound on the latter.
    kreise : tuple of str
        Kreis keys in scope.
    solver_log : DataFrame
        Per component of the candidate graph: units, candidates, method, seconds.
    """

    consortia: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    candidates: pd.DataFrame
    status: str
    gap: float
    gap_level: str
    seconds: float
    n_candidates: int
    rules: KivRules
    n_small: int
    n_covered: int
    coverage_bound: int
    kreise: tuple[str, ...]
    solver_log: pd.DataFrame

    def summary_line(self) -> str:
        """One line: coverage, consortia and whether the plan is proven optimal."""
        head = (f"covered {self.n_covered} of {self.n_small} small municipalities in "
                f"{len(self.consortia)} consortia")
        if self.status == "optimal":
            return head + " (optimal)"
        if self.status == "heuristic":
            return head + " (greedy heuristic, not optimised)"
        if not math.isfinite(self.gap):
            gap = "unknown"
        else:
            gap = f"{100 * self.gap:.2f}%" if self.gap >= 1e-4 else "< 0.01%"
        if self.gap_level == "coverage":
            return head + f" (gap {gap}; at most {self.coverage_bound} can be covered)"
        what = {"same_kreis_and_count": "same-Kreis consortia and count",
                "shared_border": "shared border"}.get(self.gap_level, self.gap_level)
        return head + f" (gap {gap} in {what}; coverage proven optimal)"


def build_plan(inst: Instance, cands: Candidates, outcome: Outcome, *, started: float
               ) -> Plan:
    """The plan of the chosen candidates and the locked consortia.

    Parameters
    ----------
    inst, cands
        The instance and its candidate groups.
    outcome : Outcome
        The solver's choice, status, gap and proven coverage bound.
    started : float
        :func:`time.perf_counter` at the start of the call (for ``Plan.seconds``).
    """
    groups = [(cands.groups[k], False) for k in outcome.chosen] + [
        (g, True) for g in inst.locked]
    groups.sort(key=lambda item: [inst.ags[i] for i in item[0]])
    width = max(3, len(str(len(groups))))
    member_of: dict[int, str] = {}
    chosen_ids: dict[int, str] = {}
    locked_ids: set[str] = set()
    position = {g: k for k, g in enumerate(cands.groups)}
    for number, (group, locked) in enumerate(groups, start=1):
        cid = f"V{number:0{width}d}"
        member_of.update(dict.fromkeys(group, cid))
        if locked:
            locked_ids.add(cid)
        else:
            chosen_ids[position[group]] = cid
    consortia = _consortia_table(inst, [(member_of[g[0]], g, locked) for g, locked in groups])
    code, text = reason_sentences(inst, cands, member_of, locked_ids)
    members = _members_table(inst, member_of, code, text)
    n_small, covered, bound, gap = _coverage(inst, members, outcome)
    return Plan(consortia=consortia, members=members,
                candidates=candidates_table(inst, cands, chosen_ids), status=outcome.status,
                gap=gap, gap_level=outcome.gap_level,
                seconds=round(time.perf_counter() - started, 3),
                n_candidates=len(cands.groups), rules=inst.rules, n_small=n_small,
                n_covered=covered, coverage_bound=bound, kreise=inst.kreise,
                solver_log=pd.DataFrame(outcome.log))


def _consortium_row(inst: Instance, cid: str, group: Group, locked: bool) -> dict[str, object]:
    frame, pop, ags = inst.frame, inst.pop, inst.ags
    names = frame["name"].to_numpy()
    kreis = frame["kreis_ags"].to_numpy()
    kreis_name = frame["kreis_name"].to_numpy()
    keys = sorted({kreis[i] for i in group})
    lead = max(group, key=lambda i: (pop[i], ags[i]))   # the largest: a natural applicant
    border = sum(inst.border(a, b) for x, a in enumerate(group) for b in group[x + 1:])
    return {
        "consortium_id": cid,
        "n_members": len(group),
        "member_ags": ";".join(ags[i] for i in group),
        "member_names": ";".join(names[i] for i in group),
        "population": int(sum(pop[i] for i in group)),
        "n_small": int(sum(inst.eligibility[i] == "verbund_needed" for i in group)),
        "kreis_ags": ";".join(keys),
        "kreis_names": ";".join(dict.fromkeys(kreis_name[i] for i in sorted(
            group, key=lambda i: kreis[i]))),
        "same_kreis": len(keys) == 1,
        "shared_border_km": round(border / 1000, 2),
        "lead_ags": ags[lead],
        "lead_name": names[lead],
        "locked": locked,
        "rule_violations": "; ".join(violations(inst, group)) if locked else "",
        "geometry": shapely.union_all(frame.geometry.to_numpy()[list(group)]),
    }


def _consortia_table(inst: Instance, groups: list[tuple[str, Group, bool]]
                     ) -> gpd.GeoDataFrame:
    rows = [_consortium_row(inst, cid, group, locked) for cid, group, locked in groups]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(CONSORTIUM_COLUMNS)),
                            geometry="geometry", crs=inst.frame.crs)


def _members_table(inst: Instance, member_of: dict[int, str], code: np.ndarray,
                   text: np.ndarray) -> gpd.GeoDataFrame:
    frame = inst.frame
    members = gpd.GeoDataFrame({
        "ags": inst.ags, "name": frame["name"].to_numpy(),
        "kreis_ags": frame["kreis_ags"].to_numpy(),
        "kreis_name": frame["kreis_name"].to_numpy(),
        "population": inst.pop.astype(np.int64), "small": inst.small,
        "funded": inst.funded,
        "consortium_id": pd.Series([member_of.get(i) for i in range(len(frame))],
                                   dtype=object),
        "reason_code": code, "reason": text,
    }, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return members[inst.scope].reset_index(drop=True)


def candidates_table(inst: Instance, cands: Candidates, chosen_ids: dict[int, str]
                     ) -> pd.DataFrame:
    """:attr:`Plan.candidates`: every feasible group, with its consortium id when chosen."""
    ags = inst.ags
    names = inst.frame["name"].to_numpy()
    kreis_name = inst.frame["kreis_name"].to_numpy()
    return pd.DataFrame({
        "member_ags": [";".join(ags[i] for i in g) for g in cands.groups],
        "member_names": [";".join(names[i] for i in g) for g in cands.groups],
        "n_members": [len(g) for g in cands.groups],
        "n_small": cands.n_small.astype(np.int64),
        "population": cands.population.astype(np.int64),
        "same_kreis": cands.same.astype(bool),
        "kreis_names": [";".join(dict.fromkeys(kreis_name[i] for i in g))
                        for g in cands.groups],
        "shared_border_km": np.round(cands.border_m / 1000, 2),
        "consortium_id": pd.Series([chosen_ids.get(k) for k in range(len(cands.groups))],
                                   dtype=object),
    })


def _coverage(inst: Instance, members: pd.DataFrame, outcome: Outcome
              ) -> tuple[int, int, int, float]:
    """Small municipalities that may be planned, covered, the proven bound and the gap."""
    plannable = members["small"] & ~members["reason_code"].isin(NOT_PLANNED)
    n_small = int(plannable.sum())
    covered = int((plannable & members["consortium_id"].notna()).sum())
    locked_small = sum(int(inst.small[i]) for g in inst.locked for i in g)
    bound = min(n_small, outcome.coverage_bound + locked_small)
    gap = outcome.gap
    if outcome.gap_level == "coverage":
        # stated for the whole plan, not for the component that stopped first
        gap = (bound - covered) / max(bound, 1)
    return n_small, covered, bound, float(gap)
