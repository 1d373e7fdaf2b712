"""Plan flexibility: firm and flexible Verbünde, groups and partners in maximum plans.

On random small grids every fact is checked against a brute force over all packings (it
shares no code with the engine: the groups come from test_consortia_properties'
itertools enumeration, the maxima from an exhaustive search). On Hessen, firm and
flexible Verbünde are checked by forbidding them in a MILP built here from
``Plan.candidates`` with scipy directly: all 8 firm ones and a fixed sample of the
flexible ones (``bench/bench_flexibility.py`` checks all 92 and writes the figures).
"""

from __future__ import annotations

import functools
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix
from test_consortia_properties import feasible_groups, grid, grid_adjacency, instances

import wirgeo.consortia.flexibility as flexibility_module
from wirgeo.consortia import Flexibility, plan, plan_flexibility
from wirgeo.consortia.flexibility import FLEXIBILITY, PLACED_IN
from wirgeo.errors import ArgumentError
from wirgeo.rules import KivRules, load_rules
from wirgeo.wording import flexibility_summary

# ----------------------------------------------------------------- brute force


def max_cover(groups: list[tuple[frozenset, int]]) -> int:
    """The most small members of disjoint groups (exhaustive, memoised on used units)."""

    @functools.cache
    def best(used: frozenset, start: int) -> int:
        top = 0
        for k in range(start, len(groups)):
            g, cover = groups[k]
            if not used & g:
                top = max(top, cover + best(used | g, k + 1))
        return top

    return best(frozenset(), 0)


def brute_facts(frame, rules: KivRules) -> dict:
    """Every fact by definition: forbid or force a group, forbid covering a unit."""
    units = frame.reset_index(drop=True)
    ags = units.ags.tolist()
    groups = [(g, value[0]) for g, value in
              feasible_groups(units, rules, grid_adjacency(units))]
    top = max_cover(groups)
    key = [tuple(sorted(ags[i] for i in g)) for g, _ in groups]
    in_every = {key[k]: max_cover(groups[:k] + groups[k + 1:]) < top
                for k in range(len(groups))}
    in_some = {key[k]: g_cover + max_cover([(h, c) for h, c in groups if not h & g])
               == top for k, (g, g_cover) in enumerate(groups)}
    small = [0 < p < rules.member_below for p in units.population]
    placed, partners = {}, {}
    for u in range(len(units)):
        if not small[u]:
            continue
        mine = [k for k, (g, _) in enumerate(groups) if u in g]
        with_u = [k for k in mine if in_some[key[k]]]
        always = bool(mine) and max_cover([gc for gc in groups if u not in gc[0]]) < top
        placed[ags[u]] = "every" if always else "some" if with_u else "none"
        partners[ags[u]] = sorted({ags[v] for k in with_u for v in groups[k][0]} - {ags[u]})
    return {"top": top, "in_every": in_every, "in_some": in_some, "placed": placed,
            "partners": partners}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_fact_agrees_with_brute_force(instance):
    _agrees_with_brute_force(instance)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(min_value=2, max_value=5))
def test_facts_settled_in_shares_agree_with_brute_force(instance, shares):
    # large components settle their facts in shares (flexibility._settle); small grids
    # stay below the size where that starts, so force it here for every component
    saved = flexibility_module._SHARE_FROM, flexibility_module._SHARES
    flexibility_module._SHARE_FROM, flexibility_module._SHARES = 1, shares
    flexibility_module._MEMO.clear()
    try:
        _agrees_with_brute_force(instance)
    finally:
        flexibility_module._SHARE_FROM, flexibility_module._SHARES = saved
        flexibility_module._MEMO.clear()


def _agrees_with_brute_force(instance):
    frame, rules = instance
    result = plan(frame, rules)
    flex = plan_flexibility(result)
    truth = brute_facts(frame, rules)
    assert flex.status == "exact"
    assert flex.maximum == truth["top"] == result.n_covered
    cands = flex.candidates
    assert dict(zip(cands.member_ags, cands.in_some_maximum.astype(bool), strict=True)) \
        == truth["in_some"]
    assert dict(zip(cands.member_ags, cands.in_every_maximum.astype(bool), strict=True)) \
        == truth["in_every"]
    assert "firm" not in flex.consortia  # one code per fact: flexibility says it
    for row in flex.consortia.itertuples():
        firm = truth["in_every"][row.member_ags]
        assert row.flexibility == ("firm" if firm else "flexible")
        assert row.in_some_maximum                    # the plan is optimal
        if firm:
            assert row.n_alternatives == 0 and row.alternatives == ()
    members = flex.members.set_index("ags")
    assert members.placed_in.to_dict() == truth["placed"]
    assert {a: list(p) for a, p in members.partner_ags.items()} == truth["partners"]


def test_alternatives_are_the_groups_in_some_maximum_that_share_a_member():
    # a chain of five: the maximum 4 has three plans (A-B C-D, A-B D-E, B-C D-E)
    frame = grid(1, 5, [6000, 5000, 5000, 5000, 6000], split=5)
    result = plan(frame, KivRules(max_members=2))
    flex = plan_flexibility(result)
    assert flex.maximum == 4 and set(flex.consortia.flexibility) == {"flexible"}
    some = dict(zip(flex.candidates.member_names, flex.candidates.in_some_maximum,
                    strict=True))
    assert some == {("G00", "G01"): True, ("G01", "G02"): True, ("G02", "G03"): True,
                    ("G03", "G04"): True}
    long = flex.alternatives
    for row in flex.consortia.itertuples():
        mine = set(row.member_ags)
        expected = [a for a, yes in zip(flex.candidates.member_ags,
                                        flex.candidates.in_some_maximum, strict=True)
                    if yes and a != row.member_ags and mine & set(a)]
        assert long.loc[long.consortium_id == row.consortium_id,
                        "alternative_ags"].tolist() == expected
        assert row.n_alternatives == len(expected)
    # each of A, C and E is left out by one of the three; B and D are in all of them
    assert flex.members.set_index("name").placed_in.to_dict() == {
        "G00": "some", "G01": "every", "G02": "some", "G03": "every", "G04": "some"}


def test_a_locked_verbund_is_reported_locked():
    frame = grid(1, 4, [6000, 5000, 5000, 6000], split=4)
    ags = tuple(frame.ags)
    result = plan(frame, KivRules(max_members=2, lock=(ags[:2],)))
    flex = plan_flexibility(result)
    by_names = flex.consortia.set_index(flex.consortia.member_names.map(" ".join))
    assert by_names.loc["G00 G01", "flexibility"] == "locked"
    assert by_names.loc["G00 G01", "in_some_maximum"] is pd.NA
    assert by_names.loc["G02 G03", "flexibility"] == "firm"
    members = flex.members.set_index("name")
    assert members.loc["G00", "placed_in"] == "locked"
    assert members.loc["G00", "partner_names"] == ("G01",)
    assert flex.maximum == 4


def test_a_time_limit_leaves_the_facts_open():
    frame = grid(2, 3, [6000, 5000, 5000, 6000, 4000, 7000], split=3)
    result = plan(frame, KivRules())
    flex = plan_flexibility(result, time_limit=1e-9)     # over before the first solve
    assert flex.status == "time_limit" and flex.maximum is None and flex.n_solves == 0
    assert flex.candidates.in_some_maximum.isna().all()
    assert set(flex.consortia.flexibility) == {"unknown"}
    assert set(flex.members.placed_in) <= {"unknown", "none"}
    assert "(Zeitgrenze, 0 Optimierungsläufe)" in flexibility_summary(flex)
    assert "Maximum nicht bewiesen" in flexibility_summary(flex)


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"plan": "plan"}, "plan"), ({"time_limit": 0}, "time_limit"),
    ({"time_limit": -1.0}, "time_limit"), ({"time_limit": True}, "time_limit")])
def test_bad_arguments_name_the_argument(kwargs, argument):
    small = plan(grid(1, 2, [6000, 5000], split=2), KivRules())
    call = {"plan": small} | kwargs
    with pytest.raises(ArgumentError) as info:
        plan_flexibility(call.pop("plan"), **call)
    assert info.value.argument == argument


# --------------------------------------------------------------------- Hessen


def forbidden_optimum(candidates: pd.DataFrame, *, forbid: int | None = None,
                      force: int | None = None) -> int:
    """Most small municipalities over the whole state with one group forbidden or forced.

    Built from the candidate table with scipy, not with the engine's helpers.
    """
    groups = [list(g) for g in candidates.member_ags]
    units = {a: i for i, a in enumerate(sorted({a for g in groups for a in g}))}
    rows = [units[a] for g in groups for a in g]
    cols = [k for k, g in enumerate(groups) for _ in g]
    A = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(groups)))
    low, high = np.zeros(len(groups)), np.ones(len(groups))
    if forbid is not None:
        high[forbid] = 0
    if force is not None:
        low[force] = 1
    res = milp(-candidates.n_small.to_numpy(dtype=float), integrality=np.ones(len(groups)),
               bounds=Bounds(low, high), constraints=[LinearConstraint(A, -np.inf, 1)],
               options={"mip_rel_gap": 0.0})
    assert res.status == 0
    return round(-res.fun)


@pytest.fixture(scope="module")
def hessen_plan(planning):
    """The session's statewide plan (``plan(municipalities, load_rules())``)."""
    return planning.plan


@pytest.fixture(scope="module")
def hessen_flex(planning):
    """Its flexibility: ``plan_flexibility`` once a test run, through the result cache the
    command line reads too (:meth:`wirgeo.planning.Planning.flexibility`)."""
    return planning.flexibility()


def test_hessen_counts(hessen_plan, hessen_flex):
    flex = hessen_flex
    assert isinstance(flex, Flexibility) and flex.status == "exact"
    assert flex.maximum == hessen_plan.n_covered == 228
    assert len(flex.consortia) == 92
    assert flex.consortia.flexibility.value_counts().to_dict() == {"flexible": 84,
                                                                   "firm": 8}
    assert set(flex.consortia.flexibility) <= set(FLEXIBILITY)
    assert set(flex.members.placed_in) <= set(PLACED_IN)
    assert flex.consortia.member_ags.tolist() == hessen_plan.consortia.member_ags.tolist()
    assert flex.candidates.member_ags.tolist() == hessen_plan.candidates.member_ags.tolist()
    assert len(flex.members) == int(hessen_plan.members.small.sum())
    # every group of the plan is in some maximum plan, and the plan places 228
    chosen = flex.candidates.consortium_id.notna()
    assert flex.candidates.loc[chosen, "in_some_maximum"].all()


def test_hessen_firm_lowers_the_optimum_and_flexible_does_not(hessen_plan, hessen_flex):
    cands = hessen_plan.candidates
    position = {a: k for k, a in enumerate(cands.member_ags)}
    consortia = hessen_flex.consortia
    firm = consortia[consortia.flexibility == "firm"]
    flexible = consortia[consortia.flexibility == "flexible"].iloc[::7]  # 12 of 84; all: bench/
    assert len(firm) == 8 and len(flexible) == 12
    for row in firm.itertuples():
        assert forbidden_optimum(cands, forbid=position[row.member_ags]) < 228, row
        assert row.n_alternatives == 0
    for row in flexible.itertuples():
        assert forbidden_optimum(cands, forbid=position[row.member_ags]) == 228, row
        assert row.n_alternatives > 0


def test_hessen_groups_in_some_maximum_by_forcing_them(hessen_plan, hessen_flex):
    cands = hessen_flex.candidates
    outside = cands[~cands.in_some_maximum & cands.consortium_id.isna()].iloc[::60]
    inside = cands[cands.in_some_maximum & cands.consortium_id.isna()].iloc[::60]
    assert len(outside) >= 5 and len(inside) >= 5
    for k in outside.index:
        assert forbidden_optimum(hessen_plan.candidates, force=k) < 228
    for k in inside.index:
        assert forbidden_optimum(hessen_plan.candidates, force=k) == 228


def test_hessen_partners_are_members_of_groups_in_some_maximum(hessen_flex):
    flex = hessen_flex
    some = flex.candidates[flex.candidates.in_some_maximum]
    members = flex.members.set_index("ags")
    for ags, row in members.iterrows():
        groups = [g for g in some.member_ags if ags in g]
        partners = list(row.partner_ags)
        assert partners == sorted({a for g in groups for a in g} - {ags})
        if row.placed_in == "none":
            assert not groups
    assert members.loc[members.consortium_id.isna(), "placed_in"].isin(
        ["none", "some"]).all()


def test_same_input_gives_identical_tables(municipalities):
    kreise = ["Vogelsbergkreis", "Landkreis Gießen", "Wetteraukreis"]
    rules = load_rules()

    def tables(frame):
        flexibility_module._MEMO.clear()    # computed afresh, not remembered
        flex = plan_flexibility(plan(frame, rules, kreise=kreise))
        buffer = io.StringIO()
        for table in (flex.consortia, flex.alternatives, flex.candidates, flex.members):
            table.to_csv(buffer, index=False)
        return buffer.getvalue(), flex.n_solves

    shuffled = municipalities.sample(frac=1, random_state=7)
    assert tables(municipalities) == tables(municipalities) == tables(shuffled)


def test_the_same_question_is_answered_once_per_session():
    frame = grid(2, 3, [6000, 5000, 5000, 6000, 4000, 7000], split=3)
    flexibility_module._MEMO.clear()
    first = plan_flexibility(plan(frame, KivRules()))
    solves = first.n_solves
    # a caller that changes its tables changes nobody else's answer (issue 20)
    first.consortia["flexibility"] = "changed"
    first.members.loc[:, "placed_in"] = "changed"
    again = plan_flexibility(plan(frame, KivRules()))
    assert again is not first and len(flexibility_module._MEMO) == 1
    assert again.n_solves == solves and "changed" not in set(again.members["placed_in"])
    assert "changed" not in set(again.consortia["flexibility"])
    other = plan_flexibility(plan(frame, KivRules(max_members=2)))
    assert other is not first and len(flexibility_module._MEMO) == 2
