"""Property tests of ``plan complete`` on synthetic grids, against brute force.

A random plan document — agreed Verbünde (valid or not), refused groups, Gemeinden that
take no part — is completed by :meth:`wirgeo.planning.NegotiationBasis.complete`; the
brute force of ``test_consortia_properties`` (which shares no code with the engine)
searches every packing of the groups the decisions leave. The completion must reach the
brute-force optimum on every level of the objective, keep every agreed Verbund exactly,
never propose a refused group, leave the declined out, and every decision's cost must be
the brute-force optimum with only that decision lifted.
"""

from __future__ import annotations

import itertools

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_consortia_properties import (
    best_packing,
    feasible_groups,
    grid,
    grid_adjacency,
    rule_sets,
)

from wirgeo.planning import NegotiationBasis, PlanningRequest
from wirgeo.sources import Negotiation
from wirgeo.wording import reason_text

NO_GRANTEES = pd.DataFrame({"ags": pd.Series([], dtype=str)})


def _touching(units, i: int, j: int) -> bool:
    return abs(units.row[i] - units.row[j]) <= 1 and abs(units.col[i] - units.col[j]) <= 1


@st.composite
def documents(draw):
    """A grid, rules, and decisions on it: locks, refusals, declined Gemeinden."""
    rows, cols = draw(st.integers(2, 3)), draw(st.integers(2, 4))
    pops = draw(st.lists(st.one_of(st.integers(300, 9_999), st.integers(10_000, 30_000),
                                   st.just(0)), min_size=rows * cols, max_size=rows * cols))
    frame = grid(rows, cols, pops, draw(st.integers(1, cols)))
    rules = draw(rule_sets)
    inhabited = [i for i in range(len(frame)) if pops[i] > 0]
    free = set(inhabited)
    locks = []
    for _ in range(draw(st.integers(0, 2))):
        # touching pairs or triples, valid or not (too large, too small, …)
        pairs = [(i, j) for i, j in itertools.combinations(sorted(free), 2)
                 if _touching(frame, i, j)]
        if not pairs:
            break
        group = set(draw(st.sampled_from(pairs)))
        third = [k for k in free - group if any(_touching(frame, k, g) for g in group)]
        if third and draw(st.booleans()):
            group.add(draw(st.sampled_from(third)))
        locks.append(tuple(sorted(group)))
        free -= group
    declined = draw(st.lists(st.sampled_from(sorted(free)), max_size=2, unique=True)) \
        if free else []
    units = frame.reset_index(drop=True)
    feasible = [tuple(sorted(g)) for g, _ in feasible_groups(units, rules,
                                                             grid_adjacency(units))]
    # a group is refused or a Verbund, never both (the document refuses that)
    feasible = [g for g in feasible if g not in locks]
    rejected = draw(st.lists(st.sampled_from(feasible), max_size=3, unique=True)) \
        if feasible else []
    return frame, rules, locks, declined, rejected


def _document(frame, locks, declined, rejected) -> Negotiation:
    ags = list(frame.ags)
    rows = [{"verbund": f"L{k}", "ags": ags[i], "status": "agreed"}
            for k, g in enumerate(locks) for i in g]
    rows += [{"verbund": f"R{k}", "ags": ags[i], "status": "rejected"}
             for k, g in enumerate(rejected) for i in g]
    rows += [{"verbund": "", "ags": ags[i], "status": "declined"} for i in declined]
    return Negotiation.from_rows(rows)


def _optimum(units, rules, feasible, locks, declined, rejected) -> tuple:
    """Brute force: (coverage, same Kreis, count, border) of the free groups, and the
    small members of the valid locks."""
    blocked = {i for g in locks for i in g} | set(declined)
    refused = {frozenset(g) for g in rejected}
    groups = [(g, v) for g, v in feasible if not g & blocked and g not in refused]
    sets = {g for g, _ in feasible}
    small = [0 < p < rules.member_below for p in units.population]
    locked = sum(small[i] for g in locks if frozenset(g) in sets for i in g)
    return best_packing(groups), locked


def _chosen_score(plan) -> tuple:
    chosen = plan.candidates[plan.candidates.consortium_id.notna()]
    return (int(chosen.n_small.sum()), int(chosen.same_kreis.sum()), len(chosen),
            int(sum(round(b * 1000 / 100) for b in chosen.shared_border_km)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_complete_is_the_brute_force_optimum_around_the_decisions(case):
    frame, rules, locks, declined, rejected = case
    units = frame.reset_index(drop=True)
    feasible = feasible_groups(units, rules, grid_adjacency(units))
    document = _document(frame, locks, declined, rejected)
    basis = NegotiationBasis.of(frame, PlanningRequest(base=rules), grantees=NO_GRANTEES)
    done = basis.complete(document)
    best, locked = _optimum(units, rules, feasible, locks, declined, rejected)
    assert done.plan.status == "optimal"
    assert _chosen_score(done.plan) == best
    assert done.covered == best[0] + locked
    # every agreed Verbund kept exactly, no refused group proposed, the declined left out
    ags = list(frame.ags)
    assert sorted(done.document.groups("agreed")) == sorted(
        tuple(sorted(ags[i] for i in g)) for g in locks)
    proposed = {frozenset(g) for g in done.document.groups("proposed")}
    assert not proposed & {frozenset(ags[i] for i in g) for g in rejected}
    placed = {a for g in done.document.groups("proposed") for a in g}
    assert not placed & {ags[i] for i in declined}
    assert done.document.declined() == tuple(sorted(ags[i] for i in declined))
    # the unconstrained optimum, and each decision lifted alone
    assert done.covered_free == best_packing(feasible)[0]
    def without(kind: str, group: tuple[int, ...]) -> int:
        same = pd.Series([m == tuple(sorted(ags[i] for i in group))
                          for m in done.costs["member_ags"]], index=done.costs.index)
        row = done.costs[(done.costs["decision"] == kind) & same]
        assert len(row) == 1
        return int(row["covered_without"].iloc[0])

    for k, group in enumerate(locks):
        best_k, locked_k = _optimum(units, rules, feasible, locks[:k] + locks[k + 1:],
                                    declined, rejected)
        assert without("kept", group) == best_k[0] + locked_k
    for k, unit in enumerate(declined):
        best_k, _ = _optimum(units, rules, feasible, locks, declined[:k] + declined[k + 1:],
                             rejected)
        assert without("declined", (unit,)) == best_k[0] + locked
    for k, group in enumerate(rejected):
        best_k, _ = _optimum(units, rules, feasible, locks, declined,
                             rejected[:k] + rejected[k + 1:])
        assert without("rejected", group) == best_k[0] + locked
    assert len(done.costs) == len(locks) + len(declined) + len(rejected)
    assert (done.costs["cost"] == done.costs["covered_without"] - done.covered).all()
    assert (done.costs["cost"] >= 0).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_a_completed_document_completes_to_itself(case):
    frame, rules, locks, declined, rejected = case
    basis = NegotiationBasis.of(frame, PlanningRequest(base=rules), grantees=NO_GRANTEES)
    once = basis.complete(_document(frame, locks, declined, rejected), costs=False)
    twice = basis.complete(once.document, costs=False)
    assert twice.document.rows.drop(columns="row").equals(
        once.document.rows.drop(columns="row"))
    assert twice.covered == once.covered


def test_a_refused_pair_strands_a_gemeinde_with_the_reason():
    # a chain A-B-C of pairs: refusing A-B leaves A without any partner
    frame = grid(1, 3, [6000, 5000, 7000], split=3)
    ags = list(frame.ags)
    document = Negotiation.from_rows([{"verbund": "nein", "ags": a, "status": "rejected"}
                                      for a in ags[:2]])
    basis = NegotiationBasis.of(frame, PlanningRequest(overrides={"max_members": 2}),
                                grantees=NO_GRANTEES)
    done = basis.complete(document)
    reasons = done.plan.members.set_index("ags")
    assert reasons.at[ags[0], "reason_code"] == "refused"
    assert reasons.at[ags[0], "reason_figures"] == {"groups": [["G01"]]}
    assert reason_text("refused", reasons.at[ags[0], "reason_figures"]) == (
        "Ihr einziger möglicher Verbund wurde abgelehnt: mit G01.")
    assert done.document.groups("proposed") == [tuple(ags[1:])]
