"""Verbund suggestions: the provably best plan of KIV consortia, and a reason for everyone left out.

Municipalities under 10,000 inhabitants can apply for KIV funding only in a Verbund of
two or three neighbouring municipalities (the rules are values of
:class:`wirgeo.rules.KivRules`). wirgeo enumerates every feasible group, then chooses
disjoint groups by integer programming (``scipy.optimize.milp``, HiGHS). The objective
is lexicographic, in strict priority:

1. the most small municipalities in a consortium;
2. the most consortia whose members lie in one Kreis (one WIR-Vielfaltszentrum);
3. the most consortia (each is one grant);
4. the longest shared borders inside the consortia (compact groups).

Each connected component of the candidate groups is solved on its own: a small one in
one MILP with exact lexicographic integer weights, a large one in stages (coverage first,
then levels 2 and 3 together with coverage capped at its proven optimum, then the shared
border with the levels above held at their optimum). Solver
status, the gap of the first level not proven optimal and the time are reported; a time
limit returns the best plan found with its gap.

Every small municipality not placed gets a reason code and a sentence (see
:data:`REASON_CODES`).

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> result = plan(load_municipalities(), load_rules())
>>> result.status
'optimal'
>>> result.summary_line()
'covered 228 of 246 small municipalities in 92 consortia (optimal)'
"""

from __future__ import annotations

import difflib
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.cluster.hierarchy import DisjointSet
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency, contiguity
from wirgeo.errors import InputError, RulesError
from wirgeo.programme import resolve_municipality
from wirgeo.rules import KivRules

__all__ = ["Plan", "plan", "greedy_plan", "candidate_groups", "partners_for",
           "resolve_kreise", "REASON_CODES", "REQUIRED_COLUMNS"]

#: Columns :func:`plan` needs in the municipality table (as :mod:`wirgeo.municipalities`
#: provides them).
REQUIRED_COLUMNS = ("ags", "name", "population", "kreis_ags", "kreis_name", "status",
                    "geometry")

#: Reason codes of the member table: code → what it means.
REASON_CODES = {
    "placed": "member of a suggested consortium",
    "locked": "member of a consortium locked in advance",
    "competed": "feasible consortia exist, but each overlaps one the optimal plan needs",
    "neighbours_too_small": "no group with its neighbours reaches the combined minimum",
    "no_small_neighbour": "no neighbour is available as a partner",
    "island": "borders no other inhabited municipality",
    "other_kreis": "the combined minimum is reachable only across a Kreis border "
                   "(same_kreis rule)",
    "too_large_together": "every group reaching the minimum exceeds the combined maximum",
    "excluded_funded": "already funded (exclude_funded rule)",
    "excluded_by_rule": "excluded for this run (exclude rule)",
    "excluded_status": "kreisfreie Stadt or Sonderstatusstadt: has its own "
                       "WIR-Vielfaltszentrum, not a KIV applicant",
    "single_applicant": "large enough to apply alone",
    "above_band": "above the KIV population band",
    "uninhabited": "gemeindefreies Gebiet without inhabitants",
}

# Component problems whose lexicographic weights stay below this are solved in one MILP
# with exact integer weights; larger ones in stages (HiGHS is fast with small integers,
# and doubles hold integers exactly only up to 2**53).
_SINGLE_SOLVE_LIMIT = 2e9
# Shared border enters the objective in units of 100 m (integer coefficients).
_BORDER_UNIT_M = 100.0
_LEVELS = ("coverage", "same_kreis_and_count", "shared_border")


# --------------------------------------------------------------------------- input


def _check_frame(municipalities) -> None:
    if not isinstance(municipalities, gpd.GeoDataFrame):
        raise InputError("plan", "`municipalities` expects a GeoDataFrame, got "
                         f"{type(municipalities).__name__}", column="municipalities",
                         fix="pass the table from wirgeo.load_municipalities()")
    missing = [c for c in REQUIRED_COLUMNS if c not in municipalities.columns]
    if missing:
        raise InputError("plan", f"the municipality table has no column {missing[0]!r}",
                         column=missing[0], fix="pass the table from "
                         "wirgeo.load_municipalities() (columns "
                         f"{', '.join(REQUIRED_COLUMNS)})")


def _closest(text: str, choices: Iterable[str], n: int = 3) -> list[str]:
    choices = list(dict.fromkeys(choices))
    lowered = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(text.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def resolve_kreise(kreise: Iterable[str] | str | None, municipalities: pd.DataFrame
                   ) -> tuple[str, ...]:
    """5-digit Kreis keys for Kreis names or keys (``None`` → every Kreis).

    A name matches the ``kreis_name`` column case-insensitively, with or without the
    prefix "Landkreis".

    Raises
    ------
    RulesError
        An unknown Kreis, listing the closest names.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> resolve_kreise(["Kassel", "Landkreis Kassel", "06636"], load_municipalities())
    ('06611', '06633', '06636')
    >>> resolve_kreise(["Vogelsberg"], load_municipalities())
    Traceback (most recent call last):
    ...
    wirgeo.errors.RulesError: --kreis, column 'Vogelsberg': no Kreis of that name or key. \
Fix: closest names: Vogelsbergkreis.
    """
    if kreise is None:
        return tuple(sorted(municipalities["kreis_ags"].unique()))
    if isinstance(kreise, str):
        kreise = [kreise]
    table = municipalities[["kreis_ags", "kreis_name"]].drop_duplicates()
    names = dict(zip(table["kreis_name"], table["kreis_ags"], strict=True))
    keys = set(table["kreis_ags"])
    lowered: dict[str, set[str]] = {}
    for name, key in names.items():
        lowered.setdefault(name.lower(), set()).add(key)
        short = name.lower().removeprefix("landkreis ").strip()
        lowered.setdefault(short, set()).add(key)
    found: set[str] = set()
    for item in kreise:
        text = str(item).strip()
        if text in keys:
            found.add(text)
            continue
        exact = {k for n, k in names.items() if n.lower() == text.lower()}
        hits = exact or lowered.get(text.lower(), set())
        if len(hits) == 1:
            found |= hits
            continue
        if len(hits) > 1:
            raise RulesError("--kreis", f"{text!r} names several Kreise", column=text,
                             fix="give the 5-digit key: " + ", ".join(
                                 f"{n} ({k})" for n, k in sorted(names.items())
                                 if k in hits))
        close = _closest(text, list(names))
        raise RulesError("--kreis", "no Kreis of that name or key", column=text,
                         fix=("closest names: " + ", ".join(close)) if close else
                         "give a name as in kreis_name or the 5-digit Kreis key")
    return tuple(sorted(found))


# ----------------------------------------------------------------------- instance


@dataclass
class _Instance:
    """Everything the solver and the reasons need, indexed by position in ``frame``."""

    frame: gpd.GeoDataFrame          # sorted by AGS, every unit given
    rules: KivRules
    adjacency: Adjacency
    scope: np.ndarray                 # bool: in the selected Kreise
    role: np.ndarray                  # "small", "large" (partner), or "" (not a member)
    small: np.ndarray                 # bool: small municipality in scope (eligible or not)
    funded: np.ndarray                # bool
    code: np.ndarray                  # reason code for units that are never members
    locked: list[tuple[int, ...]]
    neighbours: list[list[int]]       # adjacency by position (inhabited units)
    kreise: tuple[str, ...]
    position: dict[str, int] = field(default_factory=dict)
    pop: np.ndarray = field(init=False)
    ags: np.ndarray = field(init=False)
    member_nbrs: list[list[int]] = field(init=False)   # neighbours among possible members
    member_sets: list[set[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.pop = self.frame["population"].to_numpy()
        self.ags = self.frame["ags"].to_numpy()
        member = self.role != ""
        self.member_nbrs = [[u for u in self.neighbours[v] if member[u]] if member[v] else []
                            for v in range(len(self.frame))]
        self.member_sets = [set(x) for x in self.member_nbrs]

    def border(self, i: int, j: int) -> float:
        return self.adjacency.border_m(self.ags[i], self.ags[j])


def _prepare(municipalities, rules: KivRules, funded, kreise, adjacency, buffer,
             link_via_uninhabited) -> _Instance:
    _check_frame(municipalities)
    if not isinstance(rules, KivRules):
        raise InputError("plan", f"`rules` expects KivRules, got {type(rules).__name__}",
                         column="rules", fix="use wirgeo.rules.load_rules()")
    frame = municipalities.sort_values("ags").reset_index(drop=True)
    if frame["ags"].duplicated().any():
        dup = frame.loc[frame["ags"].duplicated(), "ags"].iloc[0]
        raise InputError("plan", f"AGS {dup} appears twice", column="ags",
                         fix="one row per municipality")
    position = {a: i for i, a in enumerate(frame["ags"])}
    n = len(frame)
    kreis_keys = resolve_kreise(kreise, frame)
    scope = frame["kreis_ags"].isin(kreis_keys).to_numpy()
    funded_set = {str(a) for a in (funded or ())}
    funded_mask = frame["ags"].isin(funded_set).to_numpy()

    def known(ags: str, what: str) -> int:
        if ags not in position:
            close = _closest(ags, list(position))
            raise RulesError("rules", f"{what} names {ags}, which is not in the "
                             "municipality table", column=what,
                             fix=("closest AGS: " + ", ".join(
                                 f"{a} {frame.at[position[a], 'name']}" for a in close))
                             if close else "give the 8-digit AGS of a municipality")
        return position[ags]

    excluded = {known(a, "exclude") for a in rules.exclude}
    locked = []
    for group in rules.lock:
        members = tuple(sorted(known(a, "lock") for a in group))
        for i in members:
            if i in excluded:
                raise RulesError("rules", f"{frame.at[i, 'ags']} "
                                 f"{frame.at[i, 'name']} is both locked and excluded",
                                 column="lock", fix="drop it from one of the two")
            if not scope[i]:
                raise RulesError("rules", f"locked member {frame.at[i, 'ags']} "
                                 f"{frame.at[i, 'name']} lies outside the selected Kreise",
                                 column="lock", fix=f"add Kreis {frame.at[i, 'kreis_name']}"
                                 " to --kreis or drop the lock")
            if frame.at[i, "population"] <= 0:
                raise RulesError("rules", f"locked member {frame.at[i, 'ags']} "
                                 f"{frame.at[i, 'name']} has no inhabitants",
                                 column="lock", fix="lock inhabited municipalities")
        locked.append(members)

    if adjacency is None:
        adjacency = contiguity(frame, buffer=buffer,
                               link_via_uninhabited=link_via_uninhabited)
    elif not isinstance(adjacency, Adjacency):
        raise InputError("plan", "`adjacency` expects wirgeo.adjacency.Adjacency, got "
                         f"{type(adjacency).__name__}", column="adjacency",
                         fix="build it with wirgeo.adjacency.contiguity()")

    pop = frame["population"].to_numpy()
    status = frame["status"].to_numpy()
    in_locked = {i for g in locked for i in g}
    role = np.full(n, "", dtype=object)
    code = np.full(n, "", dtype=object)
    small = np.zeros(n, dtype=bool)
    for i in range(n):
        p = int(pop[i])
        if p <= 0:
            code[i] = "uninhabited"
        elif status[i] in rules.excluded_status:
            code[i] = "excluded_status"
        elif rules.is_small(p):
            small[i] = scope[i]
            role[i] = "small"
        elif rules.allow_large_partner and p <= rules.single_max:
            role[i] = "large"
            code[i] = "single_applicant" if rules.in_single_band(p) else "above_band"
        else:
            code[i] = "single_applicant" if rules.in_single_band(p) else "above_band"
        if role[i] and i not in in_locked:
            if i in excluded:
                role[i], code[i] = "", "excluded_by_rule"
            elif funded_mask[i] and rules.exclude_funded:
                role[i], code[i] = "", "excluded_funded"
            elif not scope[i]:
                role[i] = ""
    for i in in_locked:
        role[i] = ""  # locked members take no part in the optimisation

    neighbours: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(adjacency.borders["ags_a"], adjacency.borders["ags_b"], strict=True):
        i, j = position.get(a), position.get(b)
        if i is not None and j is not None:
            neighbours[i].append(j)
            neighbours[j].append(i)
    for values in neighbours:
        values.sort()
    return _Instance(frame=frame, rules=rules, adjacency=adjacency, scope=scope, role=role,
                     small=small, funded=funded_mask, code=code, locked=locked,
                     neighbours=neighbours, kreise=kreis_keys, position=position)


# ---------------------------------------------------------------------- enumeration


def _connected_groups(inst: _Instance, *, combined_bounds: bool = True,
                      same_kreis: bool | None = None, root: int | None = None
                      ) -> list[tuple[int, ...]]:
    """Every connected group of possible members meeting the rules (ESU enumeration).

    Each connected vertex set is produced once (Wernicke's ESU). Branches are cut as soon
    as they break a rule that no larger group could repair: population above the
    combined maximum, a second large partner, a second Kreis, a missing border
    (``mutual``). With ``root``, only groups containing it (for reasons).
    """
    rules = inst.rules
    pop = inst.pop
    large = inst.role == "large"
    kreis = inst.frame["kreis_ags"].to_numpy()
    same = rules.same_kreis if same_kreis is None else same_kreis
    mutual = rules.contiguity == "mutual"
    kmin, kmax = rules.min_members, rules.max_members
    cmin = rules.combined_min if combined_bounds else 0
    cmax = rules.combined_max if combined_bounds else math.inf
    nbrs, nsets = inst.member_nbrs, inst.member_sets
    out: list[tuple[int, ...]] = []

    def extend(sub, ext, v, total, nlarge, around):
        if len(sub) >= kmin and cmin <= total and (root is None or root in sub):
            out.append(tuple(sorted(sub)))
        if len(sub) == kmax:
            return
        ext = sorted(ext)
        while ext:
            w = ext.pop()
            grown = total + pop[w]
            if (grown > cmax or (large[w] and nlarge) or (same and kreis[w] != kreis[v])
                    or (mutual and not all(s in nsets[w] for s in sub))):
                continue
            new = [u for u in nbrs[w] if u > v and u not in around]
            extend(sub + [w], ext + new, v, grown, nlarge + int(large[w]),
                   around | nsets[w])

    starts = [root] if root is not None else np.flatnonzero(inst.role != "").tolist()
    for v in starts:
        if pop[v] > cmax:
            continue
        if root is None:
            extend([v], [u for u in nbrs[v] if u > v], v, pop[v], int(large[v]),
                   nsets[v] | {v})
        else:
            # every group containing the root: its members form a connected set, so
            # grow from the root without the ESU order restriction, deduplicating
            _grow_from(root, nbrs, nsets, pop, large, kreis, same, mutual, kmin, kmax,
                       cmin, cmax, out)
    return sorted(set(out)) if root is not None else out


def _grow_from(root, nbrs, nsets, pop, large, kreis, same, mutual, kmin, kmax, cmin, cmax,
               out) -> None:
    seen = {frozenset([root])}
    layer = [frozenset([root])]
    while layer:
        nxt = []
        for group in layer:
            total = sum(pop[u] for u in group)
            if len(group) >= kmin and cmin <= total <= cmax:
                out.append(tuple(sorted(group)))
            if len(group) == kmax:
                continue
            nlarge = sum(bool(large[u]) for u in group)
            for w in sorted({u for g in group for u in nbrs[g]} - group):
                if ((large[w] and nlarge) or (same and kreis[w] != kreis[root])
                        or (mutual and not all(s in nsets[w] for s in group))
                        or total + pop[w] > cmax):
                    continue
                bigger = group | {w}
                if bigger not in seen:
                    seen.add(bigger)
                    nxt.append(bigger)
        layer = nxt


@dataclass
class _Candidates:
    groups: list[tuple[int, ...]]
    n_small: np.ndarray
    same: np.ndarray
    border_m: np.ndarray
    population: np.ndarray


def _candidates(inst: _Instance) -> _Candidates:
    groups = sorted(_connected_groups(inst))
    return _describe_groups(inst, groups)


def _describe_groups(inst: _Instance, groups: list[tuple[int, ...]]) -> _Candidates:
    kreis = inst.frame["kreis_ags"].to_numpy()
    pop = inst.pop
    small = inst.role == "small"
    n_small = np.array([sum(bool(small[i]) for i in g) for g in groups], dtype=np.int64)
    same = np.array([len({kreis[i] for i in g}) == 1 for g in groups], dtype=bool)
    border = np.array([sum(inst.border(a, b) for x, a in enumerate(g) for b in g[x + 1:])
                       for g in groups], dtype=float)
    population = np.array([int(sum(pop[i] for i in g)) for g in groups], dtype=np.int64)
    return _Candidates(groups, n_small, same, border, population)


# --------------------------------------------------------------------------- solving


@dataclass
class _Outcome:
    chosen: np.ndarray                # indices of chosen candidates
    status: str                       # "optimal" or "time_limit"
    gap: float                        # relative gap of the first level not proven
    gap_level: str                    # which level that is ("" when optimal)
    coverage_bound: int               # proven upper bound on covered small units
    log: list[dict]


def _milp(c, A, extra, time_limit):
    constraints = [LinearConstraint(A, -np.inf, 1)] + extra
    options = {"mip_rel_gap": 0.0, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = max(time_limit, 0.01)
    started = time.perf_counter()
    res = milp(-np.asarray(c, dtype=float), integrality=np.ones(len(c)),
               bounds=Bounds(0, 1), constraints=constraints, options=options)
    seconds = time.perf_counter() - started
    x = None if res.x is None else np.asarray(res.x) > 0.5
    bound = None if res.mip_dual_bound is None else -float(res.mip_dual_bound)
    return x, res.status == 0, bound, seconds


def _rel_gap(value: float, bound: float | None) -> float:
    if bound is None or not math.isfinite(bound):
        return math.inf
    bound = math.floor(bound + 1e-6)
    if bound <= value:
        return 0.0
    return (bound - value) / max(abs(bound), 1e-9)


def _solve(cands: _Candidates, n_units: int, time_limit: float | None) -> _Outcome:
    """Choose disjoint candidates lexicographically, component by component."""
    started = time.perf_counter()
    m = len(cands.groups)
    if m == 0:
        return _Outcome(np.zeros(0, dtype=int), "optimal", 0.0, "", 0, [])
    rows = np.concatenate([np.array(g) for g in cands.groups])
    cols = np.repeat(np.arange(m), [len(g) for g in cands.groups])
    incidence = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_units, m))
    sets = DisjointSet(range(m))
    first_user: dict[int, int] = {}
    for r, c in zip(rows, cols, strict=True):
        if r in first_user:
            sets.merge(first_user[r], c)
        else:
            first_user[r] = c
    components = sorted((sorted(s) for s in sets.subsets()), key=lambda s: (len(s), s[0]))
    cover = cands.n_small
    w2 = cands.same.astype(np.int64)
    border = np.round(cands.border_m / _BORDER_UNIT_M).astype(np.int64)

    def remaining() -> float | None:
        if time_limit is None:
            return None
        return time_limit - (time.perf_counter() - started)

    chosen = np.zeros(m, dtype=bool)
    status, gap, gap_level, bound_cover, log = "optimal", 0.0, "", 0, []
    pending: list[tuple] = []
    for comp in components:
        idx = np.array(comp)
        units = np.unique(rows[np.isin(cols, idx)])
        if len(idx) == 1:
            chosen[idx] = True
            bound_cover += int(cover[idx].sum())
            continue
        A = incidence[units][:, idx]
        groups_max = len(units) // 2 + 1                     # more groups cannot fit
        level2 = w2[idx] * (groups_max + 1) + 1              # same Kreis, then count
        level2_max = groups_max * (groups_max + 2)
        border_max = int(np.ceil(np.asarray(A.multiply(border[idx] / np.array(
            [len(cands.groups[k]) for k in idx])).max(axis=1).todense()).sum())) + 1
        cover_c = cover[idx]
        weights = cover_c * ((level2_max + 1) * (border_max + 1)) \
            + level2 * (border_max + 1) + border[idx]
        entry = {"component": len(log), "units": int(len(units)),
                 "candidates": int(len(idx))}
        if weights.max() * groups_max < _SINGLE_SOLVE_LIMIT:
            # small enough for exact lexicographic integer weights in one MILP
            x, ok, bound, secs = _milp(weights, A, [], remaining())
            entry.update(method="weighted", seconds=round(secs, 3))
            if x is None:
                x = np.zeros(len(idx), dtype=bool)
            chosen[idx[x]] = True
            scale = (level2_max + 1) * (border_max + 1)
            cov_bound = int(cover_c.sum()) if bound is None else int(
                min(cover_c.sum(), math.floor(bound / scale + 1e-9)))
            bound_cover += cov_bound
            if not ok:
                status = "time_limit"
                covered = int(cover_c[x].sum())
                if covered < cov_bound:
                    gap_level, gap = _worse(gap_level, gap, "coverage",
                                            _rel_gap(covered, cov_bound))
                else:
                    gap_level, gap = _worse(gap_level, gap, "shared_border",
                                            _rel_gap(float(weights[x].sum()), bound))
            log.append(entry)
            continue
        # stage 1: coverage
        x, ok, bound, secs = _milp(cover_c, A, [], remaining())
        entry.update(method="staged", seconds=round(secs, 3))
        if x is None:
            x = np.zeros(len(idx), dtype=bool)
        value = int(cover_c[x].sum())
        cov_bound = int(min(cover_c.sum(), math.floor(bound + 1e-6))) if bound is not None \
            else int(cover_c.sum())
        bound_cover += cov_bound if ok else max(cov_bound, value)
        if not ok:
            status = "time_limit"
            gap_level, gap = _worse(gap_level, gap, "coverage", _rel_gap(value, cov_bound))
            chosen[idx[x]] = True
            log.append(entry)
            continue
        # stage 2: same Kreis and count, coverage capped at its optimum (a valid cut, so
        # every packing stays feasible and HiGHS's heuristics find solutions quickly)
        cap = LinearConstraint(csr_matrix(cover_c[None, :].astype(float)), -np.inf, value)
        big = level2_max + 1
        x2, ok2, bound2, secs = _milp(cover_c * big + level2, A, [cap], remaining())
        entry["seconds"] = round(entry["seconds"] + secs, 3)
        if x2 is None or int(cover_c[x2].sum()) < value:
            status = "time_limit"
            gap_level, gap = _worse(gap_level, gap, "same_kreis_and_count", math.inf if
                                    x2 is None else 1.0)
            chosen[idx[x]] = True
            log.append(entry)
            continue
        if not ok2:
            status = "time_limit"
            gap_level, gap = _worse(gap_level, gap, "same_kreis_and_count",
                                    _rel_gap(float((cover_c * big + level2)[x2].sum()),
                                             bound2))
            chosen[idx[x2]] = True
            log.append(entry)
            continue
        pending.append((idx, A, cover_c, value, w2[idx], x2, entry))
        log.append(entry)

    # stage 3, after every component has its first two levels: the longest shared
    # borders with coverage, same-Kreis groups and count held at their optimum
    for idx, A, cover_c, value, same_c, x2, entry in pending:
        # separate rows for the levels are tighter in the LP than one weighted row
        rows3 = csr_matrix(np.vstack([cover_c, same_c, np.ones(len(idx))]).astype(float))
        floor3 = np.array([value, same_c[x2].sum(), x2.sum()], dtype=float)
        keep = [LinearConstraint(rows3, floor3, np.inf)]
        b = border[idx]
        left = remaining()
        x3, ok3, bound3, secs = (None, False, None, 0.0) if left is not None and left <= 0 \
            else _milp(b, A, keep, left)
        entry["seconds"] = round(entry["seconds"] + secs, 3)
        if x3 is not None and (rows3 @ x3.astype(float) < floor3 - 0.5).any():
            x3, ok3 = None, False  # numerical slack; keep the proven stage-2 plan
        best = x3 if x3 is not None and int(b[x3].sum()) >= int(b[x2].sum()) else x2
        chosen[idx[best]] = True
        if not ok3:
            status = "time_limit"
            gap_level, gap = _worse(gap_level, gap, "shared_border",
                                    _rel_gap(int(b[best].sum()), bound3))
    return _Outcome(np.flatnonzero(chosen), status, gap, gap_level, bound_cover, log)


def _worse(level: str, gap: float, new_level: str, new_gap: float) -> tuple[str, float]:
    """Keep the gap of the highest-priority level that is not proven optimal."""
    if not level or _LEVELS.index(new_level) < _LEVELS.index(level):
        return new_level, new_gap
    if new_level == level:
        return level, max(gap, new_gap)
    return level, gap


def _greedy(cands: _Candidates, inst: _Instance) -> np.ndarray:
    """Most-constrained-first pairing: the baseline a planner would do by hand.

    Small municipalities with the fewest feasible groups go first; each takes its best
    group (most small members, one Kreis, longest border) among those still free.
    """
    by_unit: dict[int, list[int]] = {}
    for k, g in enumerate(cands.groups):
        for u in g:
            by_unit.setdefault(u, []).append(k)
    ags = inst.frame["ags"].to_numpy()
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


# --------------------------------------------------------------------------- results


def _fmt_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _violations(inst: _Instance, group: tuple[int, ...]) -> list[str]:
    """Rules a (locked) group breaks, as short phrases."""
    rules = inst.rules
    pop = inst.pop
    frame = inst.frame
    problems = []
    if not rules.min_members <= len(group) <= rules.max_members:
        problems.append(f"{len(group)} members (rules: {rules.min_members}–"
                        f"{rules.max_members})")
    large = [i for i in group if pop[i] >= rules.member_below]
    allowed = 1 if rules.allow_large_partner else 0
    if len(large) > allowed:
        problems.append("members with 10,000 or more inhabitants: " + ", ".join(
            frame.at[i, "name"] for i in large))
    total = int(sum(pop[i] for i in group))
    if not rules.combined_min <= total <= rules.combined_max:
        problems.append(f"combined population {total:,} outside {rules.combined_min:,}–"
                        f"{rules.combined_max:,}")
    inside = set(group)
    reached, todo = {group[0]}, [group[0]]
    while todo:
        for u in inst.neighbours[todo.pop()]:
            if u in inside and u not in reached:
                reached.add(u)
                todo.append(u)
    if reached != inside:
        problems.append("members do not form one contiguous area")
    elif rules.contiguity == "mutual" and any(
            b not in inst.neighbours[a] for x, a in enumerate(group) for b in group[x + 1:]):
        problems.append("not every pair of members borders (mutual rule)")
    if rules.same_kreis and len({frame.at[i, "kreis_ags"] for i in group}) > 1:
        problems.append("members in more than one Kreis (same_kreis rule)")
    for i in group:
        if frame.at[i, "status"] in rules.excluded_status:
            problems.append(f"{frame.at[i, 'name']} is not a KIV applicant "
                            f"({frame.at[i, 'status']})")
        if inst.funded[i] and rules.exclude_funded:
            problems.append(f"{frame.at[i, 'name']} is already funded")
    return problems


def _reason_sentences(inst: _Instance, cands: _Candidates, chosen_ids: dict[int, str],
                      member_of: dict[int, str], locked_ids: set[str]
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Reason code and sentence for every unit."""
    frame, rules, pop = inst.frame, inst.rules, inst.pop
    names = frame["name"].to_numpy()
    n = len(frame)
    code = np.full(n, "", dtype=object)
    text = np.full(n, "", dtype=object)
    by_unit: dict[int, list[int]] = {}
    for k, g in enumerate(cands.groups):
        for u in g:
            by_unit.setdefault(u, []).append(k)
    members_of_id: dict[str, list[int]] = {}
    for u, cid in member_of.items():
        members_of_id.setdefault(cid, []).append(u)
    eligible = inst.role != ""

    def why_unavailable(u: int) -> str:
        if u in member_of:
            return f"in locked consortium {member_of[u]}"
        if inst.code[u] == "excluded_funded":
            return "already funded"
        if inst.code[u] == "excluded_by_rule":
            return "excluded for this run"
        if not inst.scope[u]:
            return "outside the selected Kreise"
        return "not available"

    for u in range(n):
        if u in member_of:
            cid = member_of[u]
            others = [names[v] for v in sorted(members_of_id[cid]) if v != u]
            locked = cid in locked_ids
            code[u] = "locked" if locked else "placed"
            text[u] = (f"In {'locked consortium' if locked else 'consortium'} {cid} with "
                       f"{_fmt_names(others)}.")
            continue
        if inst.role[u] == "large" or (not inst.role[u] and not inst.small[u]):
            c = inst.code[u] or ("single_applicant" if rules.in_single_band(int(pop[u]))
                                 else "above_band")
            code[u] = c
            text[u] = {
                "uninhabited": "Gemeindefreies Gebiet without inhabitants; never a member "
                               "of a Verbund.",
                "excluded_status": f"{frame.at[u, 'status'].replace('_', ' ').title()} with "
                                   "its own WIR-Vielfaltszentrum; not a KIV applicant.",
                "single_applicant": f"{int(pop[u]):,} inhabitants: can apply alone "
                                    f"({rules.single_min:,}–{rules.single_max:,}).",
                "above_band": f"{int(pop[u]):,} inhabitants: above the KIV band "
                              f"(up to {rules.single_max:,}).",
                "excluded_funded": "Already funded by KIV; not planned again "
                                   "(exclude_funded rule).",
                "excluded_by_rule": "Excluded for this run (exclude rule).",
            }.get(c, REASON_CODES.get(c, c) + ".")
            continue
        if not inst.role[u]:
            # a small municipality taken out by a rule
            c = inst.code[u]
            code[u] = c
            text[u] = ("Already funded by KIV; not planned again (exclude_funded rule)."
                       if c == "excluded_funded" else "Excluded for this run (exclude rule).")
            continue
        mine = by_unit.get(u, [])
        if mine:
            def rank(k):
                return (-int(cands.same[k]), -cands.border_m[k], -cands.population[k],
                        cands.groups[k])
            best = min(mine, key=rank)
            group = cands.groups[best]
            partners = [names[v] for v in group if v != u]
            broken = sorted({member_of[v] for v in group if v in member_of})
            break_up = [f"{cid} ({_fmt_names([names[v] for v in sorted(members_of_id[cid])])})"
                        for cid in broken]
            code[u] = "competed"
            text[u] = (f"{len(mine)} feasible {'Verbund' if len(mine) == 1 else 'Verbünde'}, but "
                       "each overlaps a suggested consortium that the optimal plan needs. "
                       f"Best alternative: with {_fmt_names(partners)} "
                       f"({int(cands.population[best]):,} inhabitants"
                       f"{', one Kreis' if cands.same[best] else ''}); it would break up "
                       f"{_fmt_names(break_up)}.")
            continue
        near = inst.neighbours[u]
        if not near:
            code[u] = "island"
            text[u] = "Borders no other inhabited municipality."
            continue
        partners = [v for v in near if eligible[v]]
        if not partners:
            code[u] = "no_small_neighbour"
            blocked = [v for v in near if 0 < pop[v] < rules.member_below
                       and frame.at[v, "status"] not in rules.excluded_status]
            detail = "; ".join(f"{names[v]}: {why_unavailable(v)}" for v in blocked)
            size = "under " + f"{rules.member_below:,}" + (
                " (or a larger partner)" if rules.allow_large_partner else "")
            text[u] = (f"None of its {len(near)} neighbours is a possible partner "
                       f"{size}" + (f" ({detail})." if detail else
                                    f": all have {rules.member_below:,} inhabitants or more."))
            continue
        relaxed = _connected_groups(inst, combined_bounds=False, same_kreis=False, root=u)
        totals = [int(sum(pop[i] for i in g)) for g in relaxed]
        reach = max(totals) if totals else int(pop[u])
        best_group = relaxed[int(np.argmax(totals))] if totals else (u,)
        if reach < rules.combined_min:
            code[u] = "neighbours_too_small"
            text[u] = (f"With its neighbours it reaches at most {reach:,} inhabitants ("
                       f"{_fmt_names([names[v] for v in best_group])}); a Verbund needs "
                       f"{rules.combined_min:,}.")
            continue
        within = [g for g, t in zip(relaxed, totals, strict=True)
                  if rules.combined_min <= t <= rules.combined_max]
        if within:
            g = max(within, key=lambda g: (len({frame.at[i, 'kreis_ags'] for i in g}) == 1,
                                           -len(g)))
            code[u] = "other_kreis"
            text[u] = (f"Reaches {rules.combined_min:,} inhabitants only across a Kreis "
                       f"border (e.g. with {_fmt_names([names[v] for v in g if v != u])}); "
                       "the rules require one Kreis.")
        else:
            code[u] = "too_large_together"
            text[u] = (f"Every group reaching {rules.combined_min:,} inhabitants exceeds "
                       f"the combined maximum of {rules.combined_max:,}.")
    return code, text


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


def _build(inst: _Instance, cands: _Candidates, chosen: np.ndarray, *, status: str,
           gap: float, gap_level: str, coverage_bound: int, started: float,
           log: list[dict]) -> Plan:
    frame, rules = inst.frame, inst.rules
    ags = frame["ags"].to_numpy()
    names = frame["name"].to_numpy()
    kreis = frame["kreis_ags"].to_numpy()
    kreis_name = frame["kreis_name"].to_numpy()
    pop = inst.pop
    groups = [(cands.groups[k], False) for k in chosen] + [(g, True) for g in inst.locked]
    groups.sort(key=lambda item: [ags[i] for i in item[0]])
    width = max(3, len(str(len(groups))))
    member_of: dict[int, str] = {}
    chosen_ids: dict[int, str] = {}
    locked_ids: set[str] = set()
    rows = []
    geoms = frame.geometry.to_numpy()
    position = {g: k for k, g in enumerate(cands.groups)}
    for number, (group, locked) in enumerate(groups, start=1):
        cid = f"V{number:0{width}d}"
        for i in group:
            member_of[i] = cid
        if locked:
            locked_ids.add(cid)
        else:
            chosen_ids[position[group]] = cid
        keys = sorted({kreis[i] for i in group})
        lead = max(group, key=lambda i: (pop[i], ags[i]))
        border = sum(inst.border(a, b) for x, a in enumerate(group) for b in group[x + 1:])
        rows.append({
            "consortium_id": cid,
            "n_members": len(group),
            "member_ags": ";".join(ags[i] for i in group),
            "member_names": ";".join(names[i] for i in group),
            "population": int(sum(pop[i] for i in group)),
            "n_small": int(sum(bool(rules.is_small(int(pop[i]))) for i in group)),
            "kreis_ags": ";".join(keys),
            "kreis_names": ";".join(dict.fromkeys(kreis_name[i] for i in sorted(
                group, key=lambda i: kreis[i]))),
            "same_kreis": len(keys) == 1,
            "shared_border_km": round(border / 1000, 2),
            "lead_ags": ags[lead],
            "lead_name": names[lead],
            "locked": locked,
            "rule_violations": "; ".join(_violations(inst, group)) if locked else "",
            "geometry": shapely.union_all(geoms[list(group)]),
        })
    columns = ["consortium_id", "n_members", "member_ags", "member_names", "population",
               "n_small", "kreis_ags", "kreis_names", "same_kreis", "shared_border_km",
               "lead_ags", "lead_name", "locked", "rule_violations", "geometry"]
    consortia = gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry",
                                 crs=frame.crs)
    code, text = _reason_sentences(inst, cands, chosen_ids, member_of, locked_ids)
    members = gpd.GeoDataFrame({
        "ags": ags, "name": names, "kreis_ags": kreis, "kreis_name": kreis_name,
        "population": pop.astype(np.int64), "small": inst.small,
        "funded": inst.funded,
        "consortium_id": pd.Series([member_of.get(i) for i in range(len(frame))],
                                   dtype=object),
        "reason_code": code, "reason": text,
    }, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    members = members[inst.scope].reset_index(drop=True)
    candidates = pd.DataFrame({
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
    plannable = members["small"] & ~members["reason_code"].isin(
        ["excluded_funded", "excluded_by_rule"])
    n_small = int(plannable.sum())
    covered = int((plannable & members["consortium_id"].notna()).sum())
    locked_small = sum(int(inst.small[i]) for g in inst.locked for i in g)
    coverage_bound = min(n_small, coverage_bound + locked_small)
    if gap_level == "coverage":
        # stated for the whole plan, not for the component that stopped first
        gap = (coverage_bound - covered) / max(coverage_bound, 1)
    return Plan(consortia=consortia, members=members, candidates=candidates, status=status,
                gap=float(gap), gap_level=gap_level,
                seconds=round(time.perf_counter() - started, 3),
                n_candidates=len(cands.groups), rules=rules, n_small=n_small,
                n_covered=covered,
                coverage_bound=coverage_bound,
                kreise=inst.kreise, solver_log=pd.DataFrame(log))


# ------------------------------------------------------------------------ public API


def candidate_groups(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                     funded: Iterable[str] = (), kreise=None,
                     adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
                     link_via_uninhabited: bool = True) -> pd.DataFrame:
    """Every feasible Verbund under the rules (the solver's candidates).

    Parameters are those of :func:`plan`. Columns as :attr:`Plan.candidates` without
    ``consortium_id``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> groups = candidate_groups(load_municipalities(), load_rules())
    >>> len(groups), int(groups.population.min()) >= 10_000
    (985, True)
    """
    inst = _prepare(municipalities, rules, funded, kreise, adjacency, buffer,
                    link_via_uninhabited)
    cands = _candidates(inst)
    frame = _build(inst, cands, np.zeros(0, dtype=int), status="heuristic", gap=0.0,
                   gap_level="", coverage_bound=0, started=time.perf_counter(),
                   log=[]).candidates
    return frame.drop(columns="consortium_id")


def plan(municipalities: gpd.GeoDataFrame, rules: KivRules, *, funded: Iterable[str] = (),
         kreise=None, time_limit: float | None = None, adjacency: Adjacency | None = None,
         buffer: float = DEFAULT_BUFFER_M, link_via_uninhabited: bool = True) -> Plan:
    """Find the optimal plan of consortia under the rules.

    Parameters
    ----------
    municipalities : GeoDataFrame
        As from :func:`wirgeo.load_municipalities` (columns :data:`REQUIRED_COLUMNS`).
    rules : KivRules
        From :func:`wirgeo.rules.load_rules`; ``rules.exclude`` and ``rules.lock`` name
        municipalities by AGS.
    funded : iterable of str
        AGS already funded (left out when ``rules.exclude_funded``).
    kreise : str or iterable of str, optional
        Plan only within these Kreise (names or 5-digit keys); every member of a
        consortium lies in them.
    time_limit : float, optional
        Seconds for the whole solve; the best plan found is returned with its gap.
    adjacency : Adjacency, optional
        Precomputed :func:`wirgeo.adjacency.contiguity` of ``municipalities``.
    buffer, link_via_uninhabited
        Passed to :func:`wirgeo.adjacency.contiguity` when ``adjacency`` is not given.

    Returns
    -------
    Plan

    Raises
    ------
    RulesError
        An unknown Kreis, or an AGS in ``exclude``/``lock`` that is not in the table.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> gem = load_municipalities()
    >>> two = plan(gem, load_rules(max_members=2), kreise=["Vogelsbergkreis"])
    >>> two.summary_line()
    'covered 6 of 16 small municipalities in 3 consortia (optimal)'
    >>> two.members.query("small").reason_code.value_counts().to_dict()
    {'neighbours_too_small': 7, 'placed': 6, 'competed': 3}
    """
    started = time.perf_counter()
    if time_limit is not None and not (isinstance(time_limit, (int, float))
                                       and time_limit > 0):
        raise InputError("plan", f"time_limit must be a positive number of seconds, got "
                         f"{time_limit!r}", column="time_limit")
    inst = _prepare(municipalities, rules, funded, kreise, adjacency, buffer,
                    link_via_uninhabited)
    cands = _candidates(inst)
    left = None if time_limit is None else max(time_limit - (time.perf_counter() - started),
                                               0.01)
    outcome = _solve(cands, len(inst.frame), left)
    return _build(inst, cands, outcome.chosen, status=outcome.status, gap=outcome.gap,
                  gap_level=outcome.gap_level, coverage_bound=outcome.coverage_bound,
                  started=started, log=outcome.log)


def greedy_plan(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                funded: Iterable[str] = (), kreise=None, adjacency: Adjacency | None = None,
                buffer: float = DEFAULT_BUFFER_M, link_via_uninhabited: bool = True) -> Plan:
    """Plan greedily (most constrained municipality first): the baseline to beat.

    Same parameters and result as :func:`plan`, with status ``"heuristic"``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> greedy_plan(load_municipalities(), load_rules()).n_covered <= 228
    True
    """
    started = time.perf_counter()
    inst = _prepare(municipalities, rules, funded, kreise, adjacency, buffer,
                    link_via_uninhabited)
    cands = _candidates(inst)
    chosen = _greedy(cands, inst)
    covered = int(cands.n_small[chosen].sum()) if len(chosen) else 0
    return _build(inst, cands, chosen, status="heuristic", gap=math.nan, gap_level="",
                  coverage_bound=covered, started=started, log=[])


def partners_for(name_or_ags: str, municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                 funded: Iterable[str] = (), kreise=None, adjacency: Adjacency | None = None,
                 plan: Plan | None = None, buffer: float = DEFAULT_BUFFER_M,
                 link_via_uninhabited: bool = True) -> pd.DataFrame:
    """Every feasible Verbund containing one municipality, best first.

    Ranked by: all members in one Kreis first, then the longest shared border, then the
    largest population. The group of the optimal plan is marked.

    Parameters
    ----------
    name_or_ags : str
        Name (as in ``name`` or ``name_official``) or 8-digit AGS.
    plan : Plan, optional
        The plan to mark; computed with the same arguments when not given.

    Returns
    -------
    DataFrame
        ``rank``, ``partners`` (names of the others, ``;``-joined), ``partner_ags``,
        ``member_ags``, ``member_names``, ``n_members``, ``population``, ``same_kreis``,
        ``kreis_names``, ``shared_border_km``, ``in_plan`` (the group the optimal plan
        chose), ``blocked_by`` (consortia of the plan that hold another member).
        ``attrs["reason"]`` holds the municipality's reason sentence from the plan.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> table = partners_for("Reinhardshagen", load_municipalities(), load_rules())
    >>> int(table.in_plan.sum())
    1
    """
    if plan is None:
        plan = globals()["plan"](municipalities, rules, funded=funded, kreise=kreise,
                                 adjacency=adjacency, buffer=buffer,
                                 link_via_uninhabited=link_via_uninhabited)
    ags = resolve_municipality(name_or_ags, municipalities)
    cands = plan.candidates
    split = cands["member_ags"].str.split(";")
    mine = cands[split.map(lambda members: ags in members)].copy()
    holder = dict(zip(plan.members["ags"], plan.members["consortium_id"], strict=True))
    mine["partner_ags"] = mine["member_ags"].map(
        lambda s: ";".join(a for a in s.split(";") if a != ags))
    name_of = dict(zip(plan.members["ags"], plan.members["name"], strict=True))
    mine["partners"] = mine["partner_ags"].map(
        lambda s: ";".join(name_of.get(a, a) for a in s.split(";")))
    mine["in_plan"] = mine["consortium_id"].notna()
    mine["blocked_by"] = [
        "" if chosen else ";".join(sorted({holder[a] for a in s.split(";")
                                           if holder.get(a) and a != ags}))
        for s, chosen in zip(mine["member_ags"], mine["in_plan"], strict=True)]
    mine = mine.sort_values(["same_kreis", "shared_border_km", "population", "member_ags"],
                            ascending=[False, False, False, True]).reset_index(drop=True)
    mine.insert(0, "rank", np.arange(1, len(mine) + 1))
    columns = ["rank", "partners", "partner_ags", "member_ags", "member_names", "n_members",
               "population", "same_kreis", "kreis_names", "shared_border_km", "in_plan",
               "blocked_by"]
    result = mine[columns]
    row = plan.members.loc[plan.members["ags"] == ags]
    result.attrs["reason"] = row["reason"].iloc[0] if len(row) else (
        "outside the selected Kreise")
    result.attrs["ags"] = ags
    result.attrs["name"] = name_of.get(ags, ags)
    return result
