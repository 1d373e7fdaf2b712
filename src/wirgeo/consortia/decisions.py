"""What the planners' decisions cost: coverage with every decision, without any, without each.

A negotiation fixes some Verbünde (locks: ``rules.lock``), leaves some municipalities out
(exclusions: ``rules.exclude``) and refuses some groups (``rejected``). Each decision can
cost small municipalities their Verbund. :func:`decision_costs` says how many, exactly:

* ``covered`` — small municipalities in a qualifying Verbund of the best plan under every
  decision (what :func:`~wirgeo.consortia.plan` reports as ``n_covered``);
* ``covered_free`` — the same without any decision (the unconstrained optimum);
* per decision, ``covered_without``: the best coverage when only that decision is lifted
  and all others are kept. ``covered_without - covered`` is what that one decision costs.
  The figures of single decisions need not add up to the total: two decisions may cost
  the same Verbund.

Only the first priority of the objective (coverage) is compared, so every figure is one
proven-optimal MILP per region. The candidate groups are enumerated once without any
decision; a decision only removes groups (those with a locked or excluded member, a
refused group), so the groups of any set of decisions are a subset of these. Lifting one
decision adds some groups back, and only the connected parts of the candidate graph
those groups touch are solved again.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> rules = load_rules(lock=(("06535003", "06535013"),),   # Feldatal + Mücke agreed
...                    exclude=("06535014",))               # Romrod takes no part
>>> costs = decision_costs(load_municipalities(), rules, kreise="Vogelsbergkreis",
...                        rejected=[("06535006", "06535015", "06535017")])
>>> costs.covered, costs.covered_free
(11, 12)
>>> costs.table[["kind", "member_ags", "cost"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'kind': 'lock', 'member_ags': ('06535003', '06535013'), 'cost': 1},
 {'kind': 'exclude', 'member_ags': ('06535014',), 'cost': 0},
 {'kind': 'rejected', 'member_ags': ('06535006', '06535015', '06535017'), 'cost': 0}]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.consortia.checks import rule_breaks
from wirgeo.consortia.enumeration import Candidates, candidates
from wirgeo.consortia.instance import prepare
from wirgeo.consortia.solver import components, incidence, max_packing
from wirgeo.rules import KivRules

__all__ = ["DecisionCosts", "decision_costs", "DECISION_KINDS"]

#: Kinds of decision (column ``kind`` of :attr:`DecisionCosts.table`).
DECISION_KINDS = ("lock", "exclude", "rejected")


@dataclass(frozen=True)
class DecisionCosts:
    """Coverage under the decisions, without them, and without each one.

    Attributes
    ----------
    covered : int
        Small municipalities placed in a qualifying Verbund under every decision.
    covered_free : int
        The same without any decision: the unconstrained optimum.
    table : DataFrame
        One row per decision: the locks and exclusions in the order of the rules, then
        the refused groups sorted by their members;
        ``kind`` (:data:`DECISION_KINDS`), ``index`` (its position among the decisions of
        its kind), ``member_ags`` (a tuple of str), ``valid`` (a lock that meets the rules;
        True for the others), ``covered_without`` (coverage with only this decision
        lifted) and ``cost`` (``covered_without - covered``).
    """

    covered: int
    covered_free: int
    table: pd.DataFrame

    @property
    def cost(self) -> int:
        """Small municipalities the decisions together cost."""
        return self.covered_free - self.covered


class _Regions:
    """The candidate groups of one set of decisions, solved per connected part."""

    def __init__(self, cands: Candidates, n_units: int, keep: np.ndarray) -> None:
        self.cands = cands
        self.rows: np.ndarray = np.zeros(0, dtype=int)
        self.cols: np.ndarray = np.zeros(0, dtype=int)
        self.matrix: csr_matrix | None = None
        if cands.groups:
            self.rows, self.cols, self.matrix = incidence(cands.groups, n_units)
        self.keep = keep
        self.part_of = np.full(len(cands.groups), -1)
        self.values: list[int] = []
        kept = np.flatnonzero(keep)
        if len(kept) == 0:
            return
        inside = np.isin(self.cols, kept)
        local = {int(k): j for j, k in enumerate(kept)}
        parts = components(self.rows[inside],
                           np.array([local[int(c)] for c in self.cols[inside]]), len(kept))
        for number, part in enumerate(parts):
            idx = kept[np.array(part)]
            self.part_of[idx] = number
            self.values.append(self.best(idx))

    @property
    def total(self) -> int:
        return int(sum(self.values))

    def best(self, idx: np.ndarray) -> int:
        """Most small members over disjoint groups among the candidates ``idx`` (proven)."""
        cover = self.cands.n_small[idx]
        if len(idx) == 1:
            return int(cover[0])
        units = np.unique(self.rows[np.isin(self.cols, idx)])
        assert self.matrix is not None
        run = max_packing(cover, self.matrix[units][:, idx], [], None)
        assert run.x is not None and run.ok  # no time limit: HiGHS proves the optimum
        return int(cover[run.x].sum())

    def with_added(self, keep: np.ndarray) -> int:
        """The total when the groups of ``keep`` (a superset of this one's) are allowed."""
        added = np.flatnonzero(keep & ~self.keep)
        if len(added) == 0:
            return self.total
        units = set(self.rows[np.isin(self.cols, added)].tolist())
        touching = np.isin(self.rows, list(units))
        parts = {int(self.part_of[k]) for k in self.cols[touching] if self.keep[k]}
        region = np.union1d(added, np.flatnonzero(np.isin(self.part_of, list(parts))
                                                   & self.keep))
        return self.total - sum(self.values[p] for p in parts) + self.best(region)


def _allowed(cands: Candidates, blocked: set[int], rejected: set[tuple[int, ...]]
             ) -> np.ndarray:
    """Candidates without a blocked member that are not refused."""
    return np.array([not (blocked.intersection(g) or g in rejected) for g in cands.groups],
                    dtype=bool)


def decision_costs(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                   funded: Iterable[str] = (), kreise: str | Iterable[str] | None = None,
                   adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
                   link_via_uninhabited: bool = True,
                   rejected: Iterable[Iterable[str]] = ()) -> DecisionCosts:
    """Coverage with every decision, without any, and with each one lifted alone.

    The decisions are the locked Verbünde (``rules.lock``), the exclusions
    (``rules.exclude``) and the refused groups (``rejected``); the other parameters are
    those of :func:`wirgeo.consortia.plan`, whose ``n_covered`` under the same arguments
    equals :attr:`DecisionCosts.covered`.

    Returns
    -------
    DecisionCosts

    Raises
    ------
    ArgumentError
        As :func:`wirgeo.consortia.plan` for the same arguments.
    """
    # the checks of plan(): unknown AGS, a locked member excluded or out of scope, …
    decided = prepare(municipalities, rules, funded=funded, kreise=kreise,
                      adjacency=adjacency, buffer=buffer,
                      link_via_uninhabited=link_via_uninhabited, rejected=rejected)
    free = prepare(municipalities, rules.replace(lock=(), exclude=()), funded=funded,
                   kreise=kreise, adjacency=decided.adjacency)
    cands = candidates(free)
    locks = decided.locked
    excluded = [decided.position[a] for a in rules.exclude]
    refused = sorted(decided.rejected)
    valid = [not rule_breaks(decided, g) for g in locks]
    locked_small = [int(decided.small[list(g)].sum()) if ok else 0
                    for g, ok in zip(locks, valid, strict=True)]

    def keep(skip: tuple[str, int] | None) -> np.ndarray:
        blocked = {i for k, g in enumerate(locks) if skip != ("lock", k) for i in g}
        blocked |= {i for k, i in enumerate(excluded) if skip != ("exclude", k)}
        groups = {g for k, g in enumerate(refused) if skip != ("rejected", k)}
        return _allowed(cands, blocked, groups)

    regions = _Regions(cands, len(free.frame), keep(None))
    covered = regions.total + sum(locked_small)
    rows = []
    decisions = ([("lock", k, g) for k, g in enumerate(locks)]
                 + [("exclude", k, (i,)) for k, i in enumerate(excluded)]
                 + [("rejected", k, g) for k, g in enumerate(refused)])
    for kind, k, group in decisions:
        without = regions.with_added(keep((kind, k))) + sum(locked_small) - (
            locked_small[k] if kind == "lock" else 0)
        rows.append({"kind": kind, "index": k,
                     "member_ags": tuple(str(decided.ags[i]) for i in group),
                     "valid": valid[k] if kind == "lock" else True,
                     "covered_without": without, "cost": without - covered})
    free_total = _Regions(cands, len(free.frame), np.ones(len(cands.groups), dtype=bool))
    table = pd.DataFrame(rows, columns=["kind", "index", "member_ags", "valid",
                                        "covered_without", "cost"])
    return DecisionCosts(covered=covered, covered_free=free_total.total, table=table)
