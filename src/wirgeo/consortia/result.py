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
>>> vogelsberg.consortia.member_names.iloc[0]   # lists are tuples; files join them
('Gemünden (Felda)', 'Mücke')
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.consortia.enumeration import Candidates, Group
from wirgeo.consortia.instance import Instance
from wirgeo.consortia.preference import Preference
from wirgeo.consortia.reasons import reasons, violations
from wirgeo.consortia.solver import Outcome
from wirgeo.rules import KivRules
from wirgeo.vocabulary import NOT_PLANNED, SolveStatus

__all__ = ["Plan", "Coverage", "build_plan", "candidates_table", "consortium_id",
           "CONSORTIUM_COLUMNS"]

#: Columns of :attr:`Plan.consortia`.
CONSORTIUM_COLUMNS = ("consortium_id", "n_members", "member_ags", "member_names",
                      "population", "n_small", "kreis_ags", "kreis_names", "same_kreis",
                      "shared_border_km", "lead_ags", "lead_name", "linked_via_ags",
                      "linked_via_names", "locked", "rule_violations", "geometry")


def consortium_id(member_ags: Sequence[str], lead_ags: str) -> str:
    """The stable id of a Verbund: its lead's AGS and a short digest of all its members.

    The same group gets the same id in every run, view and file; the lead (the member
    with most inhabitants) makes it readable, the digest keeps two different groups with
    the same lead apart across runs.

    Examples
    --------
    >>> consortium_id(["06535016", "06535018"], "06535016")
    'V06535016-d745'
    >>> consortium_id(["06535018", "06535016"], "06535016")
    'V06535016-d745'
    """
    digest = hashlib.sha1(";".join(sorted(member_ags)).encode()).hexdigest()[:4]
    return f"V{lead_ags}-{digest}"


@dataclass
class Plan:
    """A plan of consortia, with a row and a reason for every municipality in scope.

    Attributes
    ----------
    consortia : GeoDataFrame
        One row per consortium, dissolved outline: ``consortium_id``, ``n_members``,
        ``member_ags`` and ``member_names`` (tuples of str, by AGS), ``population``
        (combined), ``n_small``, ``kreis_ags`` and ``kreis_names`` (tuples),
        ``same_kreis``, ``shared_border_km`` (sum of the borders between members),
        ``lead_ags`` and ``lead_name`` (the largest member, a natural applicant),
        ``linked_via_ags`` and ``linked_via_names`` (tuples, empty unless the members meet
        only across an uninhabited area), ``locked``, ``rule_violations`` (a tuple of
        :class:`~wirgeo.consortia.reasons.Violation`, empty unless a locked consortium
        breaks a rule).
    members : GeoDataFrame
        One row per municipality in scope: ``ags``, ``name``, ``kreis_ags``,
        ``kreis_name``, ``population``, ``small`` (needs a Verbund), ``funded``,
        ``consortium_id`` (None when not placed), ``reason_code`` (see
        :data:`REASON_CODES`), ``reason_figures`` (a dict: what a sentence about the
        reason needs, see :mod:`wirgeo.consortia.reasons`).
    candidates : DataFrame
        Every feasible group: ``member_ags``, ``member_names`` (tuples of str),
        ``n_members``, ``n_small``, ``population``, ``same_kreis``, ``kreis_names`` (tuple),
        ``shared_border_km``, ``consortium_id`` (when chosen).
    status : str
        ``"optimal"`` (every priority level proven), ``"time_limit"`` or ``"heuristic"``
        (the greedy baseline).
    gap : float
        Relative gap of the first priority level not proven optimal (0 when optimal): for
        coverage ``(coverage_bound - n_covered) / coverage_bound``; for a lower level the
        largest gap of a component.
    gap_level : str
        That level: ``"coverage"``, ``"preference"``, ``"same_kreis_and_count"`` or
        ``"shared_border"``.
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
    funded : tuple of str
        AGS given as already funded.
    broken_locks : tuple of str
        Ids of locked Verbünde that break a rule (see ``rule_violations``); their members
        are not counted as covered.
    preferences : tuple of Preference
        The preferences the plan was chosen by after coverage, highest first
        (:mod:`~wirgeo.consortia.preference`).
    rejected : tuple of tuple of str
        The groups (AGS) that were never to be proposed (``plan(rejected=…)``).

    Lists are tuples of str in every table (files join them, :mod:`wirgeo.core.lists`).
    The plan speaks in codes and figures; :mod:`wirgeo.wording` says them in words (the
    summary line, each reason, each rule violation).
    """

    consortia: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    candidates: pd.DataFrame
    status: SolveStatus
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
    funded: tuple[str, ...] = ()
    broken_locks: tuple[str, ...] = ()
    rejected: tuple[tuple[str, ...], ...] = ()
    preferences: tuple[Preference, ...] = ()

    @property
    def memberships(self) -> pd.DataFrame:
        """Who is in which Verbund, one row per member: the plan's canonical member list.

        Columns ``consortium_id``, ``ags`` and ``role`` (``"small"``: needs the Verbund;
        ``"member"``: may join, but needs none; ``"large"``: the one larger partner the
        rules may allow), in the order of :attr:`consortia` and by AGS within a Verbund.
        ``member_ags`` of :attr:`consortia` is the same list as a tuple per Verbund (files
        hold it ``;``-joined, :mod:`wirgeo.core.lists`); code asks this table, the tuple
        column or :meth:`member_lists`.

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> from wirgeo.consortia import plan
        >>> from wirgeo.rules import load_rules
        >>> result = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis")
        >>> result.memberships.head(3).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
        [{'consortium_id': 'V06535013-c753', 'ags': '06535003', 'role': 'small'},
         {'consortium_id': 'V06535013-c753', 'ags': '06535013', 'role': 'small'},
         {'consortium_id': 'V06535013-c753', 'ags': '06535018', 'role': 'small'}]
        >>> result.member_lists()["V06535013-c753"]
        ('06535003', '06535013', '06535018')
        """
        order = {cid: k for k, cid in enumerate(self.consortia["consortium_id"])}
        placed = self.members.loc[self.members["consortium_id"].isin(order)]
        joins = self.rules.may_join(placed["population"].to_numpy())
        table = pd.DataFrame({
            "consortium_id": placed["consortium_id"].astype(str).to_numpy(),
            "ags": placed["ags"].astype(str).to_numpy(),
            "role": np.where(placed["small"].to_numpy(dtype=bool), "small",
                             np.where(joins, "member", "large"))})
        table["_order"] = table["consortium_id"].map(order)
        return table.sort_values(["_order", "ags"]).drop(columns="_order").reset_index(
            drop=True)

    def member_lists(self) -> dict[str, tuple[str, ...]]:
        """Consortium id → the AGS of its members (sorted), from :attr:`memberships`."""
        table = self.memberships
        return {str(cid): tuple(group["ags"])
                for cid, group in table.groupby("consortium_id", sort=False)}

    def preference_values(self) -> dict[str, int]:
        """The total weight of the plan's Verbünde for each of :attr:`preferences`.

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> from wirgeo.consortia import plan, prefer_groups
        >>> from wirgeo.rules import load_rules
        >>> # Freiensteinau, Grebenhain, Herbstein: not in the plan without the preference
        >>> keep = prefer_groups([["06535004", "06535007", "06535008"]])
        >>> kept = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis",
        ...             prefer=keep)
        >>> kept.preference_values(), kept.n_covered
        ({'keep_groups': 1}, 12)
        """
        members = list(self.member_lists().values())
        return {p.name: sum(p.weight_of(m) for m in members) for p in self.preferences}

    def coverage(self) -> Coverage:
        """The plan's figures as its summary line says them (:mod:`wirgeo.wording`)."""
        return Coverage(covered=self.n_covered, small=self.n_small,
                        consortia=len(self.consortia) - len(self.broken_locks),
                        status=self.status, gap=self.gap, gap_level=self.gap_level,
                        coverage_bound=self.coverage_bound, broken_locks=self.broken_locks)


@dataclass(frozen=True)
class Coverage:
    """What a plan, or the part of it in some Kreise, achieves: the figures of its summary.

    Attributes
    ----------
    covered, small : int
        Small municipalities in a qualifying Verbund, and those that may be planned.
    consortia : int
        Verbünde that qualify (a locked one that breaks a rule does not).
    status, gap, gap_level, coverage_bound
        Those of the :class:`Plan`.
    broken_locks : tuple of str
        Ids of the locked Verbünde that break a rule.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.consortia import plan
    >>> from wirgeo.rules import load_rules
    >>> result = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis")
    >>> result.coverage()
    Coverage(covered=12, small=16, consortia=4, status='optimal', gap=0.0, \
gap_level='', coverage_bound=12, broken_locks=())
    """

    covered: int
    small: int
    consortia: int
    status: SolveStatus
    gap: float
    gap_level: str
    coverage_bound: int
    broken_locks: tuple[str, ...] = ()


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
    member_of: dict[int, str] = {}
    chosen_ids: dict[int, str] = {}
    locked_ids: set[str] = set()
    via: dict[str, list[str]] = {}
    position = {g: k for k, g in enumerate(cands.groups)}
    names = inst.frame["name"].to_numpy()
    for group, locked in groups:
        cid = consortium_id([inst.ags[i] for i in group], inst.ags[_lead(inst, group)])
        member_of.update(dict.fromkeys(group, cid))
        via[cid] = [names[inst.position[a]] for a in _linked_via(inst, group)]
        if locked:
            locked_ids.add(cid)
        else:
            chosen_ids[position[group]] = cid
    consortia = _consortia_table(inst, [(member_of[g[0]], g, locked) for g, locked in groups])
    # a locked Verbund that breaks the rules is kept (it was asked for) but never qualifies
    broken = tuple(consortia.loc[consortia["rule_violations"].map(len) > 0, "consortium_id"])
    code, figures = reasons(inst, cands, member_of, locked_ids, via)
    members = _members_table(inst, member_of, code, figures)
    n_small, covered, bound, gap = _coverage(inst, members, outcome, broken)
    return Plan(consortia=consortia, members=members,
                candidates=candidates_table(inst, cands, chosen_ids), status=outcome.status,
                gap=gap, gap_level=outcome.gap_level,
                seconds=round(time.perf_counter() - started, 3),
                n_candidates=len(cands.groups), rules=inst.rules, n_small=n_small,
                n_covered=covered, coverage_bound=bound, kreise=inst.kreise,
                solver_log=pd.DataFrame(outcome.log),
                funded=tuple(inst.ags[inst.funded]), broken_locks=broken,
                rejected=tuple(sorted(tuple(str(inst.ags[i]) for i in g)
                                      for g in inst.rejected)))


def _lead(inst: Instance, group: Group) -> int:
    """The member with most inhabitants (then the higher AGS): a natural applicant."""
    return max(group, key=lambda i: (inst.pop[i], inst.ags[i]))


def _linked_via(inst: Instance, group: Group) -> list[str]:
    """AGS of the uninhabited areas the members meet across, if their borders do not join.

    A Verbund whose members reach each other over shared borders needs no explanation;
    one that is contiguous only across a gemeindefreies Gebiet (Reinhardshagen and
    Wesertal across the Gutsbezirk Reinhardswald) names it.
    """
    members = set(group)
    reached, todo = {group[0]}, [group[0]]
    while todo:
        u = todo.pop()
        for v in inst.neighbours[u]:
            if v in members and v not in reached and not inst.adjacency.via(
                    inst.ags[u], inst.ags[v]):
                reached.add(v)
                todo.append(v)
    if reached == members:
        return []
    areas = {a for x, u in enumerate(group) for v in group[x + 1:]
             for a in inst.adjacency.via(inst.ags[u], inst.ags[v])}
    return sorted(areas)


def _consortium_row(inst: Instance, cid: str, group: Group, locked: bool
                    ) -> dict[str, object]:
    frame, pop, ags = inst.frame, inst.pop, inst.ags
    names = frame["name"].to_numpy()
    kreis = frame["kreis_ags"].to_numpy()
    kreis_name = frame["kreis_name"].to_numpy()
    keys = sorted({kreis[i] for i in group})
    lead = _lead(inst, group)
    via = _linked_via(inst, group)
    border = sum(inst.border(a, b) for x, a in enumerate(group) for b in group[x + 1:])
    return {
        "consortium_id": cid,
        "n_members": len(group),
        "member_ags": tuple(str(ags[i]) for i in group),
        "member_names": tuple(str(names[i]) for i in group),
        "population": int(sum(pop[i] for i in group)),
        "n_small": int(sum(inst.eligibility[i] == "verbund_needed" for i in group)),
        "kreis_ags": tuple(str(k) for k in keys),
        "kreis_names": tuple(dict.fromkeys(str(kreis_name[i]) for i in sorted(
            group, key=lambda i: kreis[i]))),
        "same_kreis": len(keys) == 1,
        "shared_border_km": round(border / 1000, 2),
        "lead_ags": ags[lead],
        "lead_name": names[lead],
        "linked_via_ags": tuple(via),
        "linked_via_names": tuple(str(names[inst.position[a]]) for a in via),
        "locked": locked,
        "rule_violations": tuple(violations(inst, group)) if locked else (),
        "geometry": shapely.union_all(frame.geometry.to_numpy()[list(group)]),
    }


def _consortia_table(inst: Instance, groups: list[tuple[str, Group, bool]]
                     ) -> gpd.GeoDataFrame:
    rows = [_consortium_row(inst, cid, group, locked) for cid, group, locked in groups]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(CONSORTIUM_COLUMNS)),
                            geometry="geometry", crs=inst.frame.crs)


def _members_table(inst: Instance, member_of: dict[int, str], code: np.ndarray,
                   figures: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    frame = inst.frame
    members = gpd.GeoDataFrame({
        "ags": inst.ags, "name": frame["name"].to_numpy(),
        "kreis_ags": frame["kreis_ags"].to_numpy(),
        "kreis_name": frame["kreis_name"].to_numpy(),
        "population": inst.pop.astype(np.int64), "small": inst.small,
        "funded": inst.funded,
        "consortium_id": pd.Series([member_of.get(i) for i in range(len(frame))],
                                   dtype=object),
        "reason_code": code,
        "reason_figures": pd.Series(figures, dtype=object),
    }, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return members[inst.scope].reset_index(drop=True)


def candidates_table(inst: Instance, cands: Candidates, chosen_ids: dict[int, str]
                     ) -> pd.DataFrame:
    """:attr:`Plan.candidates`: every feasible group, with its consortium id when chosen."""
    ags = inst.ags
    names = inst.frame["name"].to_numpy()
    kreis_name = inst.frame["kreis_name"].to_numpy()
    return pd.DataFrame({
        "member_ags": pd.Series([tuple(str(ags[i]) for i in g) for g in cands.groups],
                                dtype=object),
        "member_names": pd.Series([tuple(str(names[i]) for i in g) for g in cands.groups],
                                  dtype=object),
        "n_members": [len(g) for g in cands.groups],
        "n_small": cands.n_small.astype(np.int64),
        "population": cands.population.astype(np.int64),
        "same_kreis": cands.same.astype(bool),
        "kreis_names": pd.Series([tuple(dict.fromkeys(str(kreis_name[i]) for i in g))
                                  for g in cands.groups], dtype=object),
        "shared_border_km": np.round(cands.border_m / 1000, 2),
        "consortium_id": pd.Series([chosen_ids.get(k) for k in range(len(cands.groups))],
                                   dtype=object),
    })


def _coverage(inst: Instance, members: pd.DataFrame, outcome: Outcome,
              broken: tuple[str, ...]) -> tuple[int, int, int, float]:
    """Small municipalities that may be planned, covered, the proven bound and the gap.

    Members of a locked Verbund that breaks the rules are not covered: that Verbund could
    not apply.
    """
    plannable = members["small"] & ~members["reason_code"].isin(NOT_PLANNED)
    n_small = int(plannable.sum())
    qualifying = members["consortium_id"].notna() & ~members["consortium_id"].isin(broken)
    covered = int((plannable & qualifying).sum())
    broken_units = set(members.loc[members["consortium_id"].isin(broken), "ags"])
    locked_small = sum(int(inst.small[i]) for g in inst.locked for i in g
                       if inst.ags[i] not in broken_units)
    bound = min(n_small, outcome.coverage_bound + locked_small)
    gap = outcome.gap
    if outcome.gap_level == "coverage":
        # stated for the whole plan, not for the component that stopped first
        gap = (bound - covered) / max(bound, 1)
    return n_small, covered, bound, float(gap)
