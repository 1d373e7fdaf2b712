"""Plan flexibility: which Verbünde every best plan needs, and which could be formed differently.

The optimal plan is one of possibly many plans that place the maximum number of small
municipalities in a Verbund (the engine's first priority level; the lower levels, one
Kreis, count and border, only break ties and play no part here). A WIR-Vielfaltszentrum
approaching mayors needs to know which parts are forced:

- a Verbund of the plan is **firm** when it belongs to *every* maximum plan (forbidding
  it lowers the maximum), otherwise **flexible**; its **alternatives** are the other
  feasible Verbünde with one of its members that belong to some maximum plan (a firm
  Verbund has none: such a group would overlap it);
- a candidate group is ``in_some_maximum`` when some maximum plan contains it;
- a small municipality is placed in *every*, *some* or *no* maximum plan; its possible
  partners are the other members of its groups that are in some maximum plan.

Locked Verbünde are fixed by the caller and reported as ``locked``; their members take
part in no candidate. Exclusions are already reflected in ``Plan.candidates``.

Method (exact)
--------------
Everything is decided on the engine's packing MILP
(:func:`~wirgeo.consortia.solver.max_packing`), one connected component of the candidate
groups at a time: components share no municipality, so a plan is maximum exactly when
it is maximum on every component. There are three kinds of fact per component: group
``h`` is in some maximum plan, group ``g`` is in every one, small municipality ``u`` is
placed in every one.

1. One MILP gives the maximum coverage ``Z``. Every packing that reaches ``Z`` is a
   *certificate*: its groups are in some maximum plan, the groups it leaves out are not
   in every one, the small municipalities it leaves out are not placed in every one.
   The plan is a certificate too when it reaches ``Z`` (an optimal plan always does).
   Certificates are checked (a packing of coverage ``Z``), not trusted.
2. A *round* asks one MILP for the maximum plan that shows the most open facts at once.
   With ``S`` open facts the objective is ``(S + 1) * coverage + new``, where ``new``
   counts the open groups it contains, the open Verbünde it leaves out and the open
   municipalities it leaves out; ``new`` lies in ``0..S``, so one more small
   municipality always outweighs it and the optimum is a maximum plan, a new
   certificate.
3. When a round's proven optimum shows nothing new (``new = 0``), no maximum plan
   contains an open group, leaves out an open Verbund or an open municipality: that one
   proof settles every open fact at once. It is the same answer as forbidding each
   Verbund (``x_g = 0``) and forcing each group (``x_h = 1``) in a solve of its own, but
   a round settles up to a hundred facts and the last one all the rest: a solve per
   group not yet certified took 477 in Hessen's largest component alone.
4. A large component settles its open facts in shares, one after the other (see
   :func:`_settle`): simpler objectives, each solved faster, and every plan found is
   learned by the next share. On Hessen 159 solves in about 8 s.

Facts that no single maximum plan shows together still take a round each: in Hessen,
alternatives that each need the three municipalities left out somewhere else, up to
22 groups in some maximum plan around one municipality. Every answer comes from a proven
MILP optimum or a checked plan, so the result does not depend on which optimal solution
HiGHS returns; only the number of solves could. A time limit stops before the proofs:
facts not settled then are ``<NA>`` and ``status`` is ``"time_limit"``.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.consortia import plan
>>> from wirgeo.rules import load_rules
>>> bergstrasse = plan(load_municipalities(), load_rules(), kreise="Landkreis Bergstraße")
>>> flex = plan_flexibility(bergstrasse)
>>> flex.consortia.flexibility.value_counts().to_dict(), flex.maximum, flex.status
({'firm': 4}, 10, 'exact')
>>> flex.members.placed_in.value_counts().to_dict()
{'every': 10, 'none': 3}
"""

from __future__ import annotations

import os
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from wirgeo import vocabulary
from wirgeo.consortia.result import Plan
from wirgeo.consortia.solver import Clock, components, incidence, max_packing
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.rules import check_time_limit

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["Flexibility", "plan_flexibility", "FLEXIBILITY", "PLACED_IN"]

#: Values of ``Flexibility.consortia.flexibility`` (:data:`wirgeo.vocabulary.FLEXIBILITY`).
FLEXIBILITY = vocabulary.FLEXIBILITY.codes
#: Values of ``Flexibility.members.placed_in``: in every, some or no maximum plan
#: (:data:`wirgeo.vocabulary.PLACED_IN`).
PLACED_IN = vocabulary.PLACED_IN.codes


@dataclass(frozen=True)
class Flexibility:
    """Which Verbünde and partners every maximum plan needs.

    Attributes
    ----------
    consortia : DataFrame
        One row per Verbund of the plan, in its order: ``consortium_id``, ``member_ags``
        (the key to join on, a tuple as in ``Plan.consortia``), ``member_names``,
        ``flexibility``
        (one of :data:`FLEXIBILITY`, labels in :data:`wirgeo.vocabulary.FLEXIBILITY`),
        ``in_some_maximum`` (False only for a plan that is not optimal),
        ``n_alternatives``, ``alternatives`` (the alternatives' ``member_names``: a tuple
        of tuples; files join it ``"A;B | C;D"``, :mod:`wirgeo.core.lists`).
    alternatives : DataFrame
        One row per Verbund and alternative: ``consortium_id``, ``member_ags``,
        ``alternative_ags``, ``alternative_names``, ``shared_ags`` (members in both; all
        tuples of str).
    candidates : DataFrame
        ``Plan.candidates``'s ``member_ags``, ``member_names`` and ``consortium_id``, row
        for row, with ``in_some_maximum`` and ``in_every_maximum`` (boolean).
    members : DataFrame
        One row per small municipality in scope: ``ags``, ``name``, ``consortium_id``
        (in the plan), ``placed_in`` (one of :data:`PLACED_IN`), ``n_partners``,
        ``partner_ags`` and ``partner_names`` (tuples, by AGS: everyone it can share a
        Verbund with in some maximum plan).
    status : str
        ``"exact"``, or ``"time_limit"`` when some facts were not settled.
    maximum : int or None
        The most small municipalities any plan places, locked Verbünde included (None
        when the time limit came before it was proven).
    n_solves : int
        MILPs solved.
    seconds : float
        Wall time.
    log : DataFrame
        Per component of the candidate groups: ``component``, ``units``,
        ``candidates``, ``maximum``, ``solves``, ``seconds``, ``settled``.
    """

    consortia: pd.DataFrame
    alternatives: pd.DataFrame
    candidates: pd.DataFrame
    members: pd.DataFrame
    status: Literal["exact", "time_limit"]
    maximum: int | None
    n_solves: int
    seconds: float
    log: pd.DataFrame

    def copy(self) -> Flexibility:
        """The same answer with tables of its own (changing them changes no other copy)."""
        return replace(self, consortia=self.consortia.copy(),
                       alternatives=self.alternatives.copy(),
                       candidates=self.candidates.copy(), members=self.members.copy(),
                       log=self.log.copy())


# ------------------------------------------------------------------ the packing


@dataclass
class _Packing:
    """The plan's candidates as a packing problem over the units they contain."""

    groups: list[tuple[int, ...]]     # unit positions of every candidate
    units: np.ndarray                 # AGS of every unit position
    small: np.ndarray                 # unit counts for coverage
    cover: np.ndarray                 # small members of every candidate
    chosen: np.ndarray                # the plan's choice


def _packing(plan: Plan) -> _Packing:
    members = list(plan.candidates["member_ags"])
    units = np.array(sorted({a for group in members for a in group}), dtype=object)
    position = {a: i for i, a in enumerate(units)}
    small_ags = set(plan.members.loc[plan.members["small"], "ags"])
    return _Packing(groups=[tuple(sorted(position[a] for a in g)) for g in members],
                    units=units, small=np.array([a in small_ags for a in units], dtype=bool),
                    cover=plan.candidates["n_small"].to_numpy(dtype=np.int64),
                    chosen=plan.candidates["consortium_id"].notna().to_numpy())


@dataclass
class _Facts:
    """The three facts of one component, by position in it, each with what is still open.

    ``some``: a group is in some maximum plan; ``every``: a group is in every maximum
    plan; ``always``: a small unit is placed in every maximum plan. An open fact holds
    the value it takes when no maximum plan shows otherwise (False, True, True), so a
    proof that nothing more can be shown just closes it.
    """

    some: np.ndarray
    every: np.ndarray
    always: np.ndarray
    open_some: np.ndarray
    open_every: np.ndarray
    open_always: np.ndarray

    @classmethod
    def start(cls, n_groups: int, small: np.ndarray) -> _Facts:
        return cls(np.zeros(n_groups, dtype=bool), np.ones(n_groups, dtype=bool),
                   small.copy(), np.ones(n_groups, dtype=bool),
                   np.ones(n_groups, dtype=bool), small.copy())

    @property
    def settled(self) -> bool:
        return not (self.open_some.any() or self.open_every.any() or self.open_always.any())

    def close(self) -> None:
        """Every open fact keeps its value: proven by an optimum that settles nothing."""
        for mask in (self.open_some, self.open_every, self.open_always):
            mask[:] = False


class _Component:
    """One connected component: its matrix, coverage, maximum and facts."""

    def __init__(self, idx: np.ndarray, units: np.ndarray, A: csr_matrix,
                 cover: np.ndarray, small: np.ndarray) -> None:
        self.idx = idx                # candidate positions
        self.units = units            # unit positions
        self.A = A                    # units × candidates of the component
        self.cover = cover
        self.small = small            # per unit of the component
        self.maximum = -1             # -1 until proven
        self.solves = 0
        self.seconds = 0.0
        self.found: list[np.ndarray] = []   # maximum plans a share's rounds found
        self.facts = _Facts.start(len(idx), small)

    def learn(self, x: np.ndarray) -> None:
        """Take the facts shown by a maximum packing ``x``."""
        f = self.facts
        f.some[x], f.open_some[x] = True, False
        f.every[~x], f.open_every[~x] = False, False
        left_out = (np.asarray(self.A @ x.astype(float)).ravel() < 0.5) & f.always
        f.always[left_out], f.open_always[left_out] = False, False

    def open_objective(self) -> tuple[np.ndarray, int, int]:
        """Coefficients, constant and range ``S`` of the number of facts a packing shows."""
        f = self.facts
        new = (f.open_some.astype(np.int64) - f.open_every.astype(np.int64)
               - np.rint(f.open_always.astype(float) @ self.A).astype(np.int64))
        const = int(f.open_every.sum() + f.open_always.sum())
        return new, const, int(f.open_some.sum()) + const

    def solve(self, c: np.ndarray, clock: Clock) -> tuple[np.ndarray | None, bool]:
        left = clock.remaining()
        if left is not None and left <= 0:
            return None, False
        run = max_packing(c, self.A, [], left)
        self.solves += 1
        self.seconds += run.seconds
        return run.x, run.ok

    def is_maximum(self, x: np.ndarray | None) -> bool:
        """Whether ``x`` is a packing (checked, not trusted) of the maximum coverage."""
        return (x is not None and int(self.cover[x].sum()) == self.maximum
                and bool((self.A @ x.astype(float) <= 1.5).all()))


#: Components with at least this many candidate groups have their open facts settled in
#: :data:`_SHARES` shares, :data:`_WAVE` at a time (see :func:`_settle`).
_SHARE_FROM = 50
_SHARES = 6
#: Shares settled side by side. Fixed, not the number of cores: which plans a share learns
#: (so how many solves it takes) must not depend on the machine; HiGHS releases the GIL
#: while it solves, so two threads use two cores.
_WAVE = 2
#: Threads for the solves (at most the wave; one where there is one core).
_THREADS = max(1, min(_WAVE, os.cpu_count() or 1))


def _settle(part: _Component, plan_choice: np.ndarray, clock: Clock,
            pool: Executor | None = None) -> None:
    """Certificates, rounds and the final proof on one component (see the module).

    A large component's open facts are settled in shares (by position, every
    :data:`_SHARES`-th fact): the rounds of one share count only its facts, so their
    objective is simpler and HiGHS solves each faster. The shares are settled in waves of
    :data:`_WAVE`, side by side on ``pool``'s threads; every plan a wave found is learned
    by the next. The final proof of a share says that no maximum plan shows any of *its*
    open facts; together the shares settle everything. Measured on Hessen's largest
    component (799 groups): 65 rounds in 12.9 s as one, about 9 s in six shares one after
    the other, about half that in waves of two on two cores.
    """
    x, ok = part.solve(part.cover, clock)
    if x is None or not ok:
        return                        # the maximum itself is not proven: nothing is
    part.maximum = int(part.cover[x].sum())
    if not part.is_maximum(x):
        part.maximum = -1             # HiGHS's tolerance let an overlap through
        return
    plans = [x] + ([plan_choice] if part.is_maximum(plan_choice) else [])
    for shown in plans:
        part.learn(shown)
    if len(part.idx) < _SHARE_FROM:
        _rounds(part, clock, plans)
        return
    whole = part.facts
    for first in range(0, _SHARES, _WAVE):
        wave = range(first, min(first + _WAVE, _SHARES))
        known = list(plans)

        def settle_share(share: int, known: list[np.ndarray] = known) -> _Component:
            return _settle_share(part, whole, share, known, clock)

        done = list(pool.map(settle_share, wave)) if pool else [settle_share(s)
                                                                 for s in wave]
        settled = True
        for share, result in zip(wave, done, strict=True):  # in share order: deterministic
            own, own_unit = _own(part, share)
            _merge(whole, result.facts, own, own_unit)
            plans.extend(result.found)
            part.solves += result.solves
            part.seconds += result.seconds
            settled = settled and result.facts.settled
        if not settled:
            break                     # time limit: the later shares stay open
    part.facts = whole


def _own(part: _Component, share: int) -> tuple[np.ndarray, np.ndarray]:
    """The facts of one share: every :data:`_SHARES`-th group and unit."""
    return (np.arange(len(part.idx)) % _SHARES == share,
            np.arange(len(part.units)) % _SHARES == share)


def _settle_share(part: _Component, whole: _Facts, share: int, known: list[np.ndarray],
                  clock: Clock) -> _Component:
    """The rounds of one share, on a copy of the component (threads share nothing else)."""
    own, own_unit = _own(part, share)
    mine = _Component(part.idx, part.units, part.A, part.cover, part.small)
    mine.maximum = part.maximum
    mine.facts = _Facts(whole.some.copy(), whole.every.copy(), whole.always.copy(),
                        whole.open_some & own, whole.open_every & own,
                        whole.open_always & own_unit)
    for shown in known:
        mine.learn(shown)             # what earlier waves' plans already show
    plans = list(known)
    _rounds(mine, clock, plans)
    mine.found = plans[len(known):]
    return mine


def _merge(whole: _Facts, share: _Facts, own: np.ndarray, own_unit: np.ndarray) -> None:
    """Take a share's own facts (values and what is still open) into the whole."""
    whole.some[own], whole.open_some[own] = share.some[own], share.open_some[own]
    whole.every[own], whole.open_every[own] = share.every[own], share.open_every[own]
    whole.always[own_unit] = share.always[own_unit]
    whole.open_always[own_unit] = share.open_always[own_unit]


def _rounds(part: _Component, clock: Clock, plans: list[np.ndarray]) -> bool:
    """Rounds until every open fact is settled (True) or the time is up (False)."""
    while not part.facts.settled:
        new, const, span = part.open_objective()
        x, ok = part.solve(part.cover * (span + 1) + new, clock)
        if not part.is_maximum(x):
            return False              # time limit (or a solution that is no packing)
        assert x is not None
        if int(new[x].sum()) + const > 0:
            part.learn(x)             # a checked maximum plan: valid even unproven
            plans.append(x)
        elif ok:
            part.facts.close()        # proven: no maximum plan shows anything more
        else:
            return False              # time limit before the proof
    return True


# ----------------------------------------------------------------- the function


def plan_flexibility(plan: Plan, *, time_limit: float | None = None) -> Flexibility:
    """Which Verbünde of ``plan`` every maximum plan needs, and the alternatives.

    Parameters
    ----------
    plan : Plan
        From :func:`wirgeo.consortia.plan` (any plan: its candidates define the
        problem; the maximum is computed, not taken from the plan).
    time_limit : float, optional
        Seconds for the whole analysis; facts not settled by then are ``<NA>``.

    Returns
    -------
    Flexibility

    Raises
    ------
    ArgumentError
        ``plan`` is not a :class:`Plan`, or ``time_limit`` is not a positive number.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.consortia import plan
    >>> from wirgeo.rules import load_rules
    >>> vb = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis")
    >>> flex = plan_flexibility(vb)
    >>> names = ("Grebenau", "Schlitz", "Schwalmtal")
    >>> row = flex.consortia[[m == names for m in flex.consortia.member_names]].iloc[0]
    >>> row.flexibility, int(row.n_alternatives)
    ('flexible', 2)
    >>> alt = flex.alternatives
    >>> alt.loc[alt.consortium_id == row.consortium_id, "alternative_names"].tolist()
    [('Feldatal', 'Mücke', 'Schwalmtal'), ('Grebenau', 'Schlitz', 'Wartenberg')]
    """
    if not isinstance(plan, Plan):
        raise ArgumentError("plan", _("expects a Plan, got {type}").format(
                                        type=type(plan).__name__),
                            fix=_("pass the result of wirgeo.consortia.plan()"))
    time_limit = check_time_limit(time_limit)
    packing = _packing(plan)
    key = _memo_key(plan, packing)
    if key in _MEMO and time_limit is None:
        return _MEMO[key].copy()
    started = time.perf_counter()
    clock = Clock(time_limit)
    parts = _solve_components(packing, clock)
    in_some, in_every = _candidate_facts(packing, parts)
    placed, partners = _unit_facts(packing, parts, in_some)
    locked = plan.consortia.loc[plan.consortia["locked"], "consortium_id"]
    locked_small = int(plan.members.loc[plan.members["consortium_id"].isin(locked),
                                        "small"].sum())
    consortia, alternatives = _consortia_tables(plan, packing, in_some, in_every)
    result = Flexibility(
        consortia=consortia, alternatives=alternatives,
        candidates=_candidates_table(plan, in_some, in_every),
        members=_members_table(plan, packing, placed, partners),
        status="exact" if all(p.facts.settled for p in parts) else "time_limit",
        maximum=None if any(p.maximum < 0 for p in parts) else
        sum(p.maximum for p in parts) + locked_small,
        n_solves=sum(p.solves for p in parts),
        seconds=round(time.perf_counter() - started, 3), log=_log(parts))
    if result.status == "exact":
        _MEMO[key] = result.copy()
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
    return result


# The analysis takes seconds statewide, and its answer depends only on the candidate
# groups, their coverage, the plan's choice and its locks: the same question in one
# session (the planner, a script, the CLI tests) is answered once. Exact answers only,
# keyed by a digest of exactly those tables (_memo_key); every caller gets its own copy,
# so a caller that changes a table changes nobody else's answer.
_MEMO: dict[str, Flexibility] = {}
_MEMO_SIZE = 8


def _memo_key(plan: Plan, packing: _Packing) -> str:
    import hashlib

    digest = hashlib.sha256()
    for part in (plan.candidates["member_ags"].astype(str), plan.candidates["member_names"],
                 plan.consortia["member_ags"].astype(str),
                 plan.consortia["locked"].astype(str), plan.consortia["consortium_id"],
                 plan.members["ags"].astype(str), plan.members["small"].astype(str),
                 plan.members["name"].astype(str), plan.members["consortium_id"].astype(str)):
        digest.update("\x1f".join(map(str, part)).encode("utf-8") + b"\x1e")
    digest.update(packing.cover.tobytes() + packing.chosen.tobytes())
    return digest.hexdigest()


def _solve_components(packing: _Packing, clock: Clock) -> list[_Component]:
    parts: list[_Component] = []
    if not packing.groups:
        return parts
    rows, cols, matrix = incidence(packing.groups, len(packing.units))
    for comp in components(rows, cols, len(packing.groups)):
        idx = np.array(comp)
        units = np.unique(rows[np.isin(cols, idx)])
        parts.append(_Component(idx, units, matrix[units][:, idx], packing.cover[idx],
                                packing.small[units]))
    if not parts:
        return parts
    # components share no municipality: the largest (nearly all the work) settles its
    # shares two at a time, the others meanwhile one after the other on a thread of their
    # own; every answer, and every count of solves, is the one of settling all in turn
    largest = max(parts, key=lambda p: (len(p.idx), -int(p.idx[0])))
    others = [p for p in parts if p is not largest]
    def settle_others() -> None:
        for part in others:
            _settle(part, packing.chosen[part.idx], clock)

    with ThreadPoolExecutor(_THREADS) as pool, ThreadPoolExecutor(1) as side:
        rest = side.submit(settle_others)
        _settle(largest, packing.chosen[largest.idx], clock, pool)
        rest.result()
    return parts


# ------------------------------------------------------------------------ facts


def _boolean(value: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    """A nullable boolean array: ``<NA>`` where the fact is not settled."""
    return pd.arrays.BooleanArray(value.astype(bool), ~known.astype(bool))


def _candidate_facts(packing: _Packing, parts: list[_Component]
                     ) -> tuple[pd.arrays.BooleanArray, pd.arrays.BooleanArray]:
    """``in_some_maximum`` and ``in_every_maximum`` of every candidate."""
    m = len(packing.groups)
    some, known_some = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    every, known_every = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    for part in parts:
        f = part.facts
        some[part.idx], known_some[part.idx] = f.some, ~f.open_some
        every[part.idx], known_every[part.idx] = f.every, ~f.open_every
    return _boolean(some, known_some), _boolean(every, known_every)


def _unit_facts(packing: _Packing, parts: list[_Component],
                in_some: pd.arrays.BooleanArray) -> tuple[list[str], list[list[int]]]:
    """Per unit: in every, some or no maximum plan, and its possible partners."""
    n = len(packing.units)
    always = np.full(n, "", dtype=object)      # "yes", "no" or "" (not settled)
    for part in parts:
        f = part.facts
        verdict = np.where(f.always, "yes", "no")
        always[part.units] = np.where(f.open_always | ~part.small, "", verdict)
    proven = in_some.fillna(True).to_numpy(dtype=bool)    # True or not settled
    yes = in_some.fillna(False).to_numpy(dtype=bool)
    groups_of: list[list[int]] = [[] for _ in range(n)]
    for k, group in enumerate(packing.groups):
        for u in group:
            groups_of[u].append(k)
    placed, partners = [], []
    for u in range(n):
        mine = groups_of[u]
        partners.append(sorted({v for k in mine if yes[k] for v in packing.groups[k]} - {u}))
        if always[u] == "yes":
            placed.append("every")
        elif any(yes[k] for k in mine) and always[u] == "no":
            placed.append("some")
        elif not any(proven[k] for k in mine):
            placed.append("none")
        else:
            placed.append("unknown")
    return placed, partners


# ----------------------------------------------------------------------- tables


def _consortia_tables(plan: Plan, packing: _Packing, in_some: pd.arrays.BooleanArray,
                      in_every: pd.arrays.BooleanArray
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per Verbund of the plan, and the long table of its alternatives."""
    position = {a: k for k, a in enumerate(plan.candidates["member_ags"])}
    names = plan.candidates["member_names"].to_numpy()
    ags = plan.candidates["member_ags"].to_numpy()
    yes = in_some.fillna(False).to_numpy(dtype=bool)
    sets = [set(g) for g in packing.groups]
    rows, alternatives = [], []
    for row in plan.consortia.itertuples():
        k = None if row.locked else position.get(row.member_ags)
        others = [] if k is None else [h for h in range(len(sets))
                                       if h != k and yes[h] and sets[h] & sets[k]]
        firm = pd.NA if k is None else in_every[k]
        rows.append({
            "consortium_id": row.consortium_id, "member_ags": row.member_ags,
            "member_names": row.member_names,
            "flexibility": "locked" if row.locked else (
                "unknown" if firm is pd.NA else "firm" if firm else "flexible"),
            "in_some_maximum": pd.NA if k is None else in_some[k],
            "n_alternatives": len(others),
            "alternatives": tuple(names[h] for h in others),
        })
        mine = set(row.member_ags)
        alternatives += [{"consortium_id": row.consortium_id, "member_ags": row.member_ags,
                          "alternative_ags": ags[h], "alternative_names": names[h],
                          "shared_ags": tuple(a for a in ags[h] if a in mine)}
                         for h in others]
    consortia = pd.DataFrame(rows, columns=[
        "consortium_id", "member_ags", "member_names", "flexibility", "in_some_maximum",
        "n_alternatives", "alternatives"])
    consortia["in_some_maximum"] = consortia["in_some_maximum"].astype("boolean")
    consortia["n_alternatives"] = consortia["n_alternatives"].astype(np.int64)
    return consortia, pd.DataFrame(alternatives, columns=[
        "consortium_id", "member_ags", "alternative_ags", "alternative_names", "shared_ags"])


def _candidates_table(plan: Plan, in_some: pd.arrays.BooleanArray,
                      in_every: pd.arrays.BooleanArray) -> pd.DataFrame:
    table = plan.candidates[["member_ags", "member_names", "consortium_id"]].copy()
    table["in_some_maximum"] = in_some
    table["in_every_maximum"] = in_every
    return table.reset_index(drop=True)


def _members_table(plan: Plan, packing: _Packing, placed: list[str],
                   partners: list[list[int]]) -> pd.DataFrame:
    """One row per small municipality in scope: where it can be placed, with whom."""
    members = plan.members
    name_of = dict(zip(members["ags"], members["name"], strict=True))
    position = {a: i for i, a in enumerate(packing.units)}
    locked_ids = set(plan.consortia.loc[plan.consortia["locked"], "consortium_id"])
    locked_with = {a: list(group) for cid, group in plan.member_lists().items()
                   if cid in locked_ids for a in group}
    rows = []
    for row in members.loc[members["small"]].itertuples():
        if row.consortium_id in locked_ids:
            where, with_ags = "locked", [a for a in locked_with[row.ags] if a != row.ags]
        elif row.ags in position:
            u = position[row.ags]
            where, with_ags = placed[u], [packing.units[v] for v in partners[u]]
        else:
            where, with_ags = "none", []
        rows.append({"ags": row.ags, "name": row.name, "consortium_id": row.consortium_id,
                     "placed_in": where, "n_partners": len(with_ags),
                     "partner_ags": tuple(with_ags),
                     "partner_names": tuple(name_of.get(a, a) for a in with_ags)})
    table = pd.DataFrame(rows, columns=["ags", "name", "consortium_id", "placed_in",
                                        "n_partners", "partner_ags", "partner_names"])
    table["n_partners"] = table["n_partners"].astype(np.int64)
    return table


def _log(parts: list[_Component]) -> pd.DataFrame:
    return pd.DataFrame([{
        "component": number, "units": len(part.units), "candidates": len(part.idx),
        "maximum": part.maximum, "solves": part.solves,
        "seconds": round(part.seconds, 3), "settled": part.facts.settled,
    } for number, part in enumerate(parts)], columns=[
        "component", "units", "candidates", "maximum", "solves", "seconds", "settled"])
