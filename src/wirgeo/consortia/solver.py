"""Choosing disjoint candidate groups: the lexicographic MILP (scipy/HiGHS) and the greedy baseline.

The objective is lexicographic, in strict priority: coverage of small municipalities,
then the optional preferences of the caller (integer weights per candidate group, one
level each, in the order given: keep the Verbünde of an old plan, cover the most foreign
residents, …), then consortia within one Kreis and their count, then the shared border
inside them. Each connected component of the candidate groups is solved on its own: a
small one in one MILP with exact lexicographic integer weights, a large one in stages
(coverage first; each preference with coverage capped at its proven optimum and the
preferences before it held; then levels 2 and 3 together, the levels above held; then the
shared border, after every component has its levels above). A time limit returns the
best plan found; the gap of the first level not proven optimal is kept. The last
tie-break (shared border) of a very large component stops within a small tolerance
(``_BORDER_GAP``): coverage, the preferences, one Kreis and count are proven (or stopped
only by the caller's time limit); a border optimum whose proof would cost far more than
it gains is reported with its gap.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.consortia.enumeration import candidates
>>> from wirgeo.consortia.instance import prepare
>>> from wirgeo.rules import load_rules
>>> inst = prepare(load_municipalities(), load_rules(max_members=2),
...                kreise=["Vogelsbergkreis"])
>>> outcome = solve(candidates(inst), len(inst.frame), None)
>>> outcome.status, len(outcome.chosen)
('optimal', 3)
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from wirgeo.consortia.enumeration import Candidates
from wirgeo.consortia.instance import Instance
from wirgeo.vocabulary import SolveStatus

if TYPE_CHECKING:  # scipy is imported where a problem is solved (0.5 s): a plan read
    from scipy.optimize import LinearConstraint  # from the result cache needs none
    from scipy.sparse import csr_matrix

__all__ = ["LEVELS", "Outcome", "solve", "greedy", "Run", "max_packing", "incidence",
           "components", "Clock"]

#: Priority levels of the objective, highest first (the names of ``Plan.gap_level``);
#: ``preference`` only when the caller gives one.
LEVELS = ("coverage", "preference", "same_kreis_and_count", "shared_border")

# Component problems whose lexicographic weights stay below this are solved in one MILP
# with exact integer weights; larger ones in stages (HiGHS is fast with small integers,
# and doubles hold integers exactly only up to 2**53).
_SINGLE_SOLVE_LIMIT = 2e9
# Shared border enters the objective in units of 100 m (integer coefficients).
_BORDER_UNIT_M = 100.0
# The shared-border stage (level 3) of a component of at least _BORDER_GAP_FROM units stops
# once its plan is proven within _BORDER_GAP of the best border total: on Germany's
# largest component (3,460 units) HiGHS found the optimum after 17 s and took 28 s to
# prove it, for the last 0.3 % of border length (coverage took 4.5 s). A tolerance, not a
# clock: the same plan on every machine and load, and its gap stated (status
# "time_limit", gap_level "shared_border"). A time box was tried: on a busy machine it
# stopped before HiGHS had found any plan of the stage, leaving one 20 % shorter in border.
# Hessen's largest component has 180 units: every level proven.
_BORDER_GAP = 0.005
_BORDER_GAP_FROM = 1000


@dataclass
class Outcome:
    """What the solver decided, for :func:`wirgeo.consortia.result.build_plan`."""

    chosen: np.ndarray                # indices of chosen candidates
    status: SolveStatus               # "optimal" or "time_limit" ("heuristic": suggest)
    gap: float                        # relative gap of the first level not proven
    gap_level: str                    # which level that is ("" when optimal)
    coverage_bound: int               # proven upper bound on covered small units
    log: list[dict[str, object]]      # one row per component solved by MILP


# ------------------------------------------------------------------------ MILP helpers


class Run(NamedTuple):
    """One HiGHS call: the 0/1 choice (None if none found), proven, dual bound, seconds."""

    x: np.ndarray | None
    ok: bool
    bound: float | None
    seconds: float


def max_packing(c: np.ndarray, A: csr_matrix, extra: list[LinearConstraint],
                time_limit: float | None, *, rel_gap: float = 0.0) -> Run:
    """Maximise ``c @ x`` over disjoint groups (rows of ``A``: each unit at most once).

    The one MILP builder of the package: the engine's stages and
    :func:`wirgeo.consortia.flexibility.plan_flexibility` call it with their objectives.
    ``rel_gap`` lets HiGHS stop once its plan is proven that close to the optimum.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    constraints = [LinearConstraint(A, -np.inf, 1)] + extra
    options: dict[str, float | bool] = {"mip_rel_gap": rel_gap, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = max(time_limit, 0.01)
    started = time.perf_counter()
    res = milp(-np.asarray(c, dtype=float), integrality=np.ones(len(c)),
               bounds=Bounds(0, 1), constraints=constraints, options=options)
    seconds = time.perf_counter() - started
    x = None if res.x is None else np.asarray(res.x) > 0.5
    bound = None if res.mip_dual_bound is None else -float(res.mip_dual_bound)
    return Run(x, res.status == 0, bound, seconds)


def _rel_gap(value: float, bound: float | None) -> float:
    """Relative gap of an integer objective ``value`` to its (rounded down) ``bound``."""
    if bound is None or not math.isfinite(bound):
        return math.inf
    bound = math.floor(bound + 1e-6)
    if bound <= value:
        return 0.0
    return (bound - value) / max(abs(bound), 1e-9)


def _worse(level: str, gap: float, new_level: str, new_gap: float) -> tuple[str, float]:
    """Keep the gap of the highest-priority level that is not proven optimal."""
    if not level or LEVELS.index(new_level) < LEVELS.index(level):
        return new_level, new_gap
    if new_level == level:
        return level, max(gap, new_gap)
    return level, gap


# -------------------------------------------------------------------- gap bookkeeping


class Clock:
    """Seconds left of the whole solve (None without a time limit)."""

    def __init__(self, time_limit: float | None) -> None:
        self.started = time.perf_counter()
        self.time_limit = time_limit

    def remaining(self) -> float | None:
        """Seconds left, or None without a time limit."""
        if self.time_limit is None:
            return None
        return self.time_limit - (time.perf_counter() - self.started)


@dataclass
class _LogEntry:
    component: int
    units: int
    candidates: int
    method: str = ""
    seconds: float = 0.0

    def add(self, seconds: float) -> None:
        self.seconds = round(self.seconds + seconds, 3)


@dataclass
class _Progress:
    """The choice so far, the proven coverage bound and the worst gap of all components."""

    chosen: np.ndarray
    status: SolveStatus = "optimal"
    gap: float = 0.0
    gap_level: str = ""
    bound_cover: int = 0
    log: list[_LogEntry] = field(default_factory=list)

    def not_proven(self, level: str, gap: float) -> None:
        self.status = "time_limit"
        self.gap_level, self.gap = _worse(self.gap_level, self.gap, level, gap)

    def outcome(self) -> Outcome:
        return Outcome(np.flatnonzero(self.chosen), self.status, self.gap, self.gap_level,
                       self.bound_cover, [dataclasses.asdict(e) for e in self.log])


# ------------------------------------------------------------------------- components


def _upper_bound(A: csr_matrix, values: np.ndarray, sizes: np.ndarray) -> int:
    """A bound on ``values`` summed over disjoint groups: each unit's best share, summed."""
    if not len(values) or not values.any():
        return 0
    per_unit = np.asarray(A.multiply(values / sizes).max(axis=1).todense()).sum()
    return int(np.ceil(per_unit)) + 1


@dataclass
class _Part:
    """One connected component of the candidate groups, with its objective levels."""

    idx: np.ndarray                   # candidate indices
    A: csr_matrix                     # units × candidates of the component
    cover: np.ndarray                 # level 1: small members
    same: np.ndarray                  # 1 for a group in one Kreis
    border: np.ndarray                # level 3: shared border in _BORDER_UNIT_M
    level2: np.ndarray                # level 2: same Kreis first, then count
    level2_max: int
    border_max: int
    groups_max: int
    entry: _LogEntry
    prefer: list[np.ndarray] = field(default_factory=list)   # the caller's levels
    prefer_max: list[int] = field(default_factory=list)
    value: int = 0                    # proven coverage (after stage 1)
    prefer_values: list[int] = field(default_factory=list)   # proven preferences
    x2: np.ndarray | None = None      # proven choice of the last stage

    def _levels(self) -> list[tuple[np.ndarray, int]]:
        """Every level below coverage with its bound, highest first."""
        return [*zip(self.prefer, self.prefer_max, strict=True),
                (self.level2, self.level2_max), (self.border, self.border_max)]

    @property
    def scale(self) -> int:
        """The weight of one covered unit: above any sum of the levels below (exact int)."""
        return math.prod(bound + 1 for _, bound in self._levels())

    @property
    def weights(self) -> np.ndarray:
        """Exact lexicographic integer weights of every level in one objective."""
        weights = self.cover.astype(np.int64) * self.scale
        factor = self.scale
        for values, bound in self._levels():
            factor //= bound + 1
            weights = weights + values.astype(np.int64) * factor
        return weights

    def single_solve(self) -> bool:
        """Small enough for one MILP with exact weights (doubles hold the integers)."""
        top = int(self.cover.max(initial=0)) + 1
        if top * self.scale * self.groups_max >= 2**62:  # the weights would overflow
            return False
        return int(self.weights.max()) * self.groups_max < _SINGLE_SOLVE_LIMIT

    def floors(self) -> tuple[list[np.ndarray], list[float]]:
        """Rows and proven values of the levels held so far (coverage, preferences)."""
        rows = [self.cover, *self.prefer[:len(self.prefer_values)]]
        return rows, [float(self.value), *map(float, self.prefer_values)]

    def nothing(self) -> np.ndarray:
        return np.zeros(len(self.idx), dtype=bool)


def incidence(groups: list[tuple[int, ...]], n_units: int
              ) -> tuple[np.ndarray, np.ndarray, csr_matrix]:
    """Unit and group index of every membership, and the units × groups 0/1 matrix."""
    from scipy.sparse import csr_matrix

    m = len(groups)
    rows = np.concatenate([np.array(g) for g in groups])
    cols = np.repeat(np.arange(m), [len(g) for g in groups])
    return rows, cols, csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_units, m))


def components(rows: np.ndarray, cols: np.ndarray, m: int) -> list[list[int]]:
    """Candidates that share a unit, transitively; smallest components first."""
    from scipy.cluster.hierarchy import DisjointSet

    sets = DisjointSet(range(m))
    first_user: dict[int, int] = {}
    for r, c in zip(rows, cols, strict=True):
        if r in first_user:
            sets.merge(first_user[r], c)
        else:
            first_user[r] = c
    return sorted((sorted(s) for s in sets.subsets()), key=lambda s: (len(s), s[0]))


def _part(cands: Candidates, idx: np.ndarray, units: np.ndarray, matrix: csr_matrix,
          border: np.ndarray, component: int, prefer: Sequence[np.ndarray] = ()) -> _Part:
    A = matrix[units][:, idx]
    groups_max = len(units) // 2 + 1                     # more groups cannot fit
    same = cands.same.astype(np.int64)[idx]
    sizes = np.array([len(cands.groups[k]) for k in idx])
    levels = [np.asarray(p, dtype=np.int64)[idx] for p in prefer]
    return _Part(idx=idx, A=A, cover=cands.n_small[idx], same=same, border=border[idx],
                 level2=same * (groups_max + 1) + 1,     # same Kreis, then count
                 level2_max=groups_max * (groups_max + 2),
                 border_max=_upper_bound(A, border[idx], sizes) or 1,
                 groups_max=groups_max,
                 entry=_LogEntry(component, int(len(units)), int(len(idx))),
                 prefer=levels, prefer_max=[_upper_bound(A, p, sizes) for p in levels])


# ----------------------------------------------------------------------------- stages


def _solve_weighted(part: _Part, clock: Clock, progress: _Progress) -> None:
    """A small component: every level in one MILP with exact integer weights."""
    weights = part.weights
    run = max_packing(weights, part.A, [], clock.remaining())
    part.entry.method, part.entry.seconds = "weighted", round(run.seconds, 3)
    x = part.nothing() if run.x is None else run.x
    progress.chosen[part.idx[x]] = True
    scale = part.scale
    cov_bound = int(part.cover.sum()) if run.bound is None else int(
        min(part.cover.sum(), math.floor(run.bound / scale + 1e-9)))
    progress.bound_cover += cov_bound
    if not run.ok:
        covered = int(part.cover[x].sum())
        if covered < cov_bound:
            progress.not_proven("coverage", _rel_gap(covered, cov_bound))
        else:
            progress.not_proven("shared_border", _rel_gap(float(weights[x].sum()), run.bound))


def _solve_coverage(part: _Part, clock: Clock, progress: _Progress) -> bool:
    """Stage 1: the most small members; False (choice taken) unless proven optimal."""
    run = max_packing(part.cover, part.A, [], clock.remaining())
    part.entry.method, part.entry.seconds = "staged", round(run.seconds, 3)
    x = part.nothing() if run.x is None else run.x
    value = int(part.cover[x].sum())
    cov_bound = int(min(part.cover.sum(), math.floor(run.bound + 1e-6))) \
        if run.bound is not None else int(part.cover.sum())
    progress.bound_cover += cov_bound if run.ok else max(cov_bound, value)
    part.value = value
    if not run.ok:
        progress.not_proven("coverage", _rel_gap(value, cov_bound))
        progress.chosen[part.idx[x]] = True
        return False
    part.x2 = x  # the fallback if stage 2 finds nothing better
    return True


def _held(part: _Part, x: np.ndarray) -> bool:
    """Whether ``x`` keeps coverage and the preferences proven so far."""
    rows, values = part.floors()
    return all(int(row[x].sum()) >= value for row, value in zip(rows, values, strict=True))


def _floor_constraints(part: _Part) -> list[LinearConstraint]:
    """The preferences proven so far held at their optimum (coverage is capped instead)."""
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    rows, values = part.floors()
    if len(rows) == 1:
        return []
    return [LinearConstraint(csr_matrix(np.vstack(rows[1:]).astype(float)),
                             np.array(values[1:]), np.inf)]


def _solve_capped(part: _Part, level: np.ndarray, bound: int, name: str, clock: Clock,
                  progress: _Progress) -> np.ndarray | None:
    """The best ``level`` with coverage capped at its optimum and the preferences held.

    The cap is a valid cut, so every packing stays feasible and HiGHS's heuristics find
    solutions quickly. The proven choice, or None (the best choice found is taken).
    """
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    fallback = part.x2 if part.x2 is not None else part.nothing()
    cap = LinearConstraint(csr_matrix(part.cover[None, :].astype(float)), -np.inf,
                           part.value)
    objective = part.cover * (bound + 1) + level
    run = max_packing(objective, part.A, [cap, *_floor_constraints(part)], clock.remaining())
    part.entry.add(run.seconds)
    if run.x is None or not _held(part, run.x):
        progress.not_proven(name, math.inf if run.x is None else 1.0)
        progress.chosen[part.idx[fallback]] = True
        return None
    if not run.ok:
        # the gap of the level itself: coverage is at its cap in both value and bound
        weight = part.value * (bound + 1)
        progress.not_proven(name, _rel_gap(
            float(level[run.x].sum()), None if run.bound is None else run.bound - weight))
        progress.chosen[part.idx[run.x]] = True
        return None
    part.x2 = run.x
    return run.x


def _solve_preferences(part: _Part, clock: Clock, progress: _Progress) -> bool:
    """Each preference in turn, coverage and the preferences before it held."""
    for level, bound in zip(part.prefer, part.prefer_max, strict=True):
        x = _solve_capped(part, level, bound, "preference", clock, progress)
        if x is None:
            return False
        part.prefer_values.append(int(level[x].sum()))
    return True


def _solve_kreis_and_count(part: _Part, clock: Clock, progress: _Progress) -> bool:
    """Stage 2: same-Kreis groups and count, the levels above held at their optimum.

    False (choice taken) unless proven optimal.
    """
    return _solve_capped(part, part.level2, part.level2_max, "same_kreis_and_count", clock,
                         progress) is not None


def _solve_border(part: _Part, clock: Clock, progress: _Progress) -> None:
    """Stage 3: the longest shared borders, the levels above held at their optimum."""
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    assert part.x2 is not None  # set by a proven stage 2
    x2 = part.x2
    # separate rows for the levels are tighter in the LP than one weighted row
    held, values = part.floors()
    rows = csr_matrix(np.vstack([*held, part.same, np.ones(len(part.idx))]).astype(float))
    floor = np.array([*values, part.same[x2].sum(), x2.sum()], dtype=float)
    left = clock.remaining()
    gap = _BORDER_GAP if part.A.shape[0] >= _BORDER_GAP_FROM else 0.0
    run = Run(None, False, None, 0.0) if left is not None and left <= 0 else max_packing(
        part.border, part.A, [LinearConstraint(rows, floor, np.inf)], left, rel_gap=gap)
    part.entry.add(run.seconds)
    x3, ok = run.x, run.ok
    if x3 is not None and (rows @ x3.astype(float) < floor - 0.5).any():
        x3, ok = None, False  # numerical slack; keep the proven stage-2 plan
    b = part.border
    best = x3 if x3 is not None and int(b[x3].sum()) >= int(b[x2].sum()) else x2
    progress.chosen[part.idx[best]] = True
    if ok and gap and _rel_gap(int(b[best].sum()), run.bound) > 0:
        ok = False                    # stopped within the tolerance, not proven
    if not ok:
        # stopped without a bound (scipy reports none when no plan was found in time):
        # the LP relaxation's, so the gap stated is a true one
        bound = run.bound if run.bound is not None else _lp_bound(
            part.border, part.A, LinearConstraint(rows, floor, np.inf))
        progress.not_proven("shared_border", _rel_gap(int(b[best].sum()), bound))


def _lp_bound(c: np.ndarray, A: csr_matrix, extra: LinearConstraint) -> float | None:
    """The LP relaxation's bound of :func:`max_packing` (None if HiGHS finds none)."""
    from scipy.optimize import linprog
    from scipy.sparse import vstack

    rows = vstack([A, -extra.A])
    upper = np.concatenate([np.ones(A.shape[0]), -np.asarray(extra.lb, dtype=float)])
    res = linprog(-np.asarray(c, dtype=float), A_ub=rows, b_ub=upper, bounds=(0, 1),
                  method="highs")
    return -float(res.fun) if res.status == 0 else None


def solve(cands: Candidates, n_units: int, time_limit: float | None,
          prefer: Sequence[np.ndarray] = ()) -> Outcome:
    """Choose disjoint candidates lexicographically, component by component.

    Parameters
    ----------
    cands : Candidates
        The feasible groups (unit positions below ``n_units``).
    n_units : int
        Units of the instance.
    time_limit : float, optional
        Seconds for the whole solve.
    prefer : sequence of ndarray
        Preferences right after coverage, highest first: each a non-negative integer
        weight per candidate (:class:`wirgeo.consortia.Preference`).
    """
    clock = Clock(time_limit)
    m = len(cands.groups)
    if m == 0:
        return Outcome(np.zeros(0, dtype=int), "optimal", 0.0, "", 0, [])
    rows, cols, matrix = incidence(cands.groups, n_units)
    border = np.round(cands.border_m / _BORDER_UNIT_M).astype(np.int64)
    progress = _Progress(chosen=np.zeros(m, dtype=bool))
    pending: list[_Part] = []
    for comp in components(rows, cols, m):
        idx = np.array(comp)
        if len(idx) == 1:
            progress.chosen[idx] = True
            progress.bound_cover += int(cands.n_small[idx].sum())
            continue
        units = np.unique(rows[np.isin(cols, idx)])
        part = _part(cands, idx, units, matrix, border, component=len(progress.log),
                     prefer=prefer)
        progress.log.append(part.entry)
        if part.single_solve():
            _solve_weighted(part, clock, progress)
        elif (_solve_coverage(part, clock, progress)
              and _solve_preferences(part, clock, progress)
              and _solve_kreis_and_count(part, clock, progress)):
            pending.append(part)
    # stage 3 only after every component has its first two levels
    for part in pending:
        _solve_border(part, clock, progress)
    return progress.outcome()


# ---------------------------------------------------------------------- greedy baseline


def greedy(cands: Candidates, inst: Instance) -> np.ndarray:
    """Most-constrained-first pairing: the baseline a planner would do by hand.

    Small municipalities with the fewest feasible groups go first; each takes its best
    group (most small members, one Kreis, longest border) among those still free.
    """
    by_unit: dict[int, list[int]] = {}
    for k, g in enumerate(cands.groups):
        for u in g:
            by_unit.setdefault(u, []).append(k)
    ags = inst.ags
    order = sorted((u for u in by_unit if inst.role[u] == "small"),
                   key=lambda u: (len(by_unit[u]), ags[u]))
    used = np.zeros(len(inst.frame), dtype=bool)
    chosen = []
    for u in order:
        if used[u]:
            continue
        free = [k for k in by_unit[u] if not used[list(cands.groups[k])].any()]
        if not free:
            continue
        best = min(free, key=lambda k: (-int(cands.n_small[k]), -int(cands.same[k]),
                                        -cands.border_m[k], cands.groups[k]))
        used[list(cands.groups[best])] = True
        chosen.append(best)
    return np.array(sorted(chosen), dtype=int)
