"""Property tests on synthetic grids: rules, disjointness, brute-force optimum, greedy,
determinism.

The brute force below shares no code with the engine: it re-derives neighbours from the
grid coordinates, enumerates groups with itertools and searches every packing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from wirgeo.consortia import (
    REASON_CODES,
    Preference,
    Violation,
    greedy_plan,
    plan,
    prefer_groups,
    prefer_units,
    solver,
)
from wirgeo.core.i18n import speaking
from wirgeo.rules import KivRules
from wirgeo.wording import violations_text, with_reasons

SIDE = 1000.0


def grid(rows: int, cols: int, populations: list[int], split: int) -> gpd.GeoDataFrame:
    """rows × cols square municipalities; columns < split in Kreis A, the rest in B."""
    records = []
    for k, pop in enumerate(populations):
        r, c = divmod(k, cols)
        kreis = "06001" if c < split else "06002"
        records.append({
            "ags": f"{kreis}{k:03d}", "name": f"G{k:02d}", "population": pop,
            "kreis_ags": kreis, "kreis_name": f"Kreis {kreis}",
            "status": "gemeindefrei" if pop == 0 else "kreisangehoerig",
            "row": r, "col": c,
            "geometry": shapely.MultiPolygon([box(c * SIDE, r * SIDE, (c + 1) * SIDE,
                                                  (r + 1) * SIDE)]),
        })
    return gpd.GeoDataFrame(records, geometry="geometry", crs=25832)


def brute_force(frame: gpd.GeoDataFrame, rules: KivRules) -> tuple:
    """Best (coverage, same-Kreis groups, groups, border in 100 m) over every packing."""
    units = frame.reset_index(drop=True)
    return best_packing(feasible_groups(units, rules, grid_adjacency(units)))


def touching(pos: list[tuple[int, int]], i: int, j: int) -> bool:
    return abs(pos[i][0] - pos[j][0]) <= 1 and abs(pos[i][1] - pos[j][1]) <= 1


def grid_adjacency(units: gpd.GeoDataFrame) -> set[tuple[int, int]]:
    """Neighbouring pairs (i < j) of inhabited cells, linked across uninhabited ones."""
    n = len(units)
    pos = list(zip(units.row, units.col, strict=True))
    inhabited = [p > 0 for p in units.population]
    # uninhabited cells: clusters of touching ones link every inhabited cell around them
    empty = [i for i in range(n) if not inhabited[i]]
    cluster = {i: i for i in empty}

    def find(i):
        while cluster[i] != i:
            i = cluster[i]
        return i

    for i, j in itertools.combinations(empty, 2):
        if touching(pos, i, j):
            cluster[find(i)] = find(j)
    around: dict[int, set[int]] = {}
    for e in empty:
        around.setdefault(find(e), set()).update(
            i for i in range(n) if inhabited[i] and touching(pos, i, e))
    adjacent = {(i, j) for i, j in itertools.combinations(range(n), 2)
                if inhabited[i] and inhabited[j] and touching(pos, i, j)}
    for ring in around.values():
        adjacent |= {(a, b) for a, b in itertools.combinations(sorted(ring), 2)}
    return adjacent


def contiguous(g: tuple[int, ...], adj, mutual: bool) -> bool:
    if mutual:
        return all(adj(a, b) for a, b in itertools.combinations(g, 2))
    seen, todo = {g[0]}, [g[0]]
    while todo:
        u = todo.pop()
        for v in g:
            if v not in seen and adj(u, v):
                seen.add(v)
                todo.append(v)
    return len(seen) == len(g)


def feasible_groups(units: gpd.GeoDataFrame, rules: KivRules,
                    adjacent: set[tuple[int, int]]) -> list[tuple[frozenset, tuple]]:
    """Every group meeting the rules, with its (coverage, same Kreis, 1, border) value."""
    n = len(units)
    pos = list(zip(units.row, units.col, strict=True))
    pop = units.population.tolist()

    def adj(i, j):
        return (min(i, j), max(i, j)) in adjacent

    def rook(i, j):
        return abs(pos[i][0] - pos[j][0]) + abs(pos[i][1] - pos[j][1]) == 1

    small = [0 < pop[i] < rules.member_below for i in range(n)]
    large = [rules.allow_large_partner and pop[i] >= rules.member_below
             and pop[i] <= rules.single_max for i in range(n)]
    members = [i for i in range(n) if small[i] or large[i]]
    groups = []
    for size in range(rules.min_members, rules.max_members + 1):
        for g in itertools.combinations(members, size):
            total = sum(pop[i] for i in g)
            kreise = {units.kreis_ags[i] for i in g}
            if (not rules.combined_min <= total <= rules.combined_max
                    or sum(large[i] for i in g) > 1
                    or (rules.same_kreis and len(kreise) > 1)
                    or not contiguous(g, adj, rules.contiguity == "mutual")):
                continue
            border = sum(SIDE for a, b in itertools.combinations(g, 2) if rook(a, b))
            value = (sum(small[i] for i in g), int(len(kreise) == 1), 1,
                     round(border / 100))
            groups.append((frozenset(g), value))
    return groups


def best_packing(groups: list[tuple[frozenset, tuple]], width: int = 4) -> tuple:
    """The lexicographically best sum of values over disjoint groups (exhaustive)."""

    @functools.cache
    def best(used: frozenset, start: int) -> tuple:
        top = (0,) * width
        for k in range(start, len(groups)):
            g, value = groups[k]
            if used & g:
                continue
            rest = best(used | g, k + 1)
            total = tuple(a + b for a, b in zip(value, rest, strict=True))
            top = max(top, total)
        return top

    return best(frozenset(), 0)


def score(result) -> tuple:
    c = result.consortia
    return (int(c.n_small.sum()), int(c.same_kreis.sum()), len(c),
            int(sum(round(b * 1000 / 100) for b in
                    result.candidates.loc[result.candidates.consortium_id.notna(),
                                          "shared_border_km"])))


def check_rules(frame: gpd.GeoDataFrame, result, rules: KivRules) -> None:
    pop = dict(zip(frame.ags, frame.population, strict=True))
    seen: set[str] = set()
    for row in result.consortia.itertuples():
        ags = list(row.member_ags)
        assert rules.min_members <= len(ags) <= rules.max_members
        assert not seen & set(ags), "consortia overlap"
        seen |= set(ags)
        assert all(pop[a] > 0 for a in ags)
        big = [a for a in ags if pop[a] >= rules.member_below]
        assert len(big) <= (1 if rules.allow_large_partner else 0)
        total = sum(pop[a] for a in ags)
        assert rules.combined_min <= total <= rules.combined_max and total == row.population
        if rules.same_kreis:
            assert row.same_kreis


rule_sets = st.builds(
    lambda max_members, same, mutual, large, cmin: KivRules(
        max_members=max_members, same_kreis=same, contiguity="mutual" if mutual else
        "connected", allow_large_partner=large, combined_min=cmin),
    st.sampled_from([2, 3]), st.booleans(), st.booleans(), st.booleans(),
    st.sampled_from([6000, 10_000, 14_000]))


@st.composite
def instances(draw):
    rows = draw(st.integers(2, 3))
    cols = draw(st.integers(2, 4))
    pops = draw(st.lists(st.one_of(st.integers(300, 9_999), st.integers(10_000, 30_000),
                                   st.just(0)),
                         min_size=rows * cols, max_size=rows * cols))
    split = draw(st.integers(1, cols))
    return grid(rows, cols, pops, split), draw(rule_sets)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_feasible_optimal_and_explained(instance):
    frame, rules = instance
    result = plan(frame, rules)
    assert result.status == "optimal"
    check_rules(frame, result, rules)
    assert score(result) == brute_force(frame, rules)
    greedy = greedy_plan(frame, rules)
    check_rules(frame, greedy, rules)
    assert score(greedy) <= score(result)
    members = result.members
    unplaced = members[members.small & members.consortium_id.isna()]
    assert set(unplaced.reason_code) <= set(REASON_CODES) - {"placed", "locked"}
    assert (with_reasons(unplaced).reason.str.len() > 20).all()
    assert result.n_covered == int(result.consortia.n_small.sum())


@settings(max_examples=15, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_same_input_gives_byte_identical_output(instance, rnd):
    frame, rules = instance
    order = list(range(len(frame)))
    rnd.shuffle(order)

    def csv(f):
        buffer = io.StringIO()
        result = plan(f, rules)
        result.consortia.drop(columns="geometry").to_csv(buffer, index=False)
        result.members.drop(columns="geometry").to_csv(buffer, index=False)
        return buffer.getvalue(), result.consortia.geometry.to_wkb().tolist()

    assert csv(frame) == csv(frame) == csv(frame.iloc[order])


def test_chain_pairs_the_ends():
    # a chain A-B-C-D: pairing B with C would strand both ends; the optimum is A-B, C-D
    frame = grid(1, 4, [6000, 5000, 5000, 6000], split=4)
    rules = KivRules(max_members=2)
    assert brute_force(frame, rules)[0] == 4
    assert score(plan(frame, rules))[0] == 4


def test_uninhabited_links_in_the_brute_force_too():
    frame = grid(1, 3, [6000, 0, 6000], split=3)
    rules = KivRules()
    assert brute_force(frame, rules)[0] == 2 == score(plan(frame, rules))[0]
    assert score(plan(frame, rules, link_via_uninhabited=False))[0] == 0
    assert np.array_equal(plan(frame, rules, link_via_uninhabited=False)
                          .members.query("small").reason_code.unique(), ["island"])


def test_plain_member_may_join_but_does_not_count():
    # member_below above single_min: 12,000 inhabitants can apply alone and may still
    # join a Verbund as an ordinary member; only the small ones count for coverage
    frame = grid(1, 3, [6000, 12_000, 5000], split=3)
    rules = KivRules(member_below=15_000, max_members=2)
    result = plan(frame, rules)
    assert result.n_small == 2 and result.n_covered == 1
    assert result.consortia.n_small.tolist() == [1] and len(result.candidates) == 2
    middle = result.members.set_index("name").loc["G01"]
    assert not middle.small and middle.reason_code == "placed"
    alone = plan(frame, rules.replace(combined_max=15_000)).members.set_index("name")
    assert alone.loc["G01", "reason_code"] == "single_applicant"
    assert alone.loc["G00", "reason_code"] == "too_large_together"


def test_a_large_partner_joins_a_plain_member():
    # with allow_large_partner, 20,000 is the one large partner; 12,000 is no second one
    frame = grid(1, 3, [6000, 12_000, 20_000], split=3)
    rules = KivRules(member_below=15_000, allow_large_partner=True)
    assert ("G00", "G01", "G02") in set(plan(frame, rules).candidates.member_names)
    assert brute_force(frame, KivRules(allow_large_partner=True))[0] == 1


def test_locked_violations_name_the_member_limit():
    frame = grid(1, 2, [6000, 12_000], split=2)
    ags = tuple(frame.ags)
    locked = plan(frame, KivRules(lock=(ags,))).consortia
    assert locked.rule_violations.iloc[0] == (
        Violation("member_too_large", {"names": ["G01"], "member_below": 10_000}),)
    assert violations_text(locked.rule_violations.iloc[0]) == (
        "Mitglieder mit 10.000 oder mehr Einwohnern: G01")
    with speaking("en"):
        assert violations_text(locked.rule_violations.iloc[0]) == (
            "members with 10,000 or more inhabitants: G01")
    higher = plan(frame, KivRules(member_below=15_000, lock=(ags,))).consortia
    assert higher.rule_violations.iloc[0] == ()


# ------------------------------------------------ preferences right after coverage


@st.composite
def preferences(draw, frame: gpd.GeoDataFrame, rules: KivRules):
    """One or two random preferences: weights of some feasible groups, of some units."""
    units = frame.reset_index(drop=True)
    ags = units.ags.tolist()
    groups = [g for g, _ in feasible_groups(units, rules, grid_adjacency(units))]
    levels = []
    for _ in range(draw(st.integers(1, 2))):
        if draw(st.booleans()) and groups:
            chosen = draw(st.lists(st.sampled_from(groups), max_size=4, unique=True))
            weights = {frozenset(ags[i] for i in g): draw(st.integers(1, 3))
                       for g in chosen}
            levels.append(("groups", weights))
        else:
            levels.append(("units", {a: draw(st.integers(0, 5)) for a in ags}))
    return levels


def preference_value(members, level) -> int:
    """A group's weight under one drawn preference (written apart from the engine)."""
    kind, weights = level
    if kind == "groups":
        return weights.get(frozenset(members), 0)
    return sum(weights[a] for a in members)


def brute_force_preferred(frame: gpd.GeoDataFrame, rules: KivRules, levels) -> tuple:
    """Best (coverage, preferences…, same Kreis, groups, border) over every packing."""
    units = frame.reset_index(drop=True)
    ags = units.ags.tolist()
    groups = []
    for g, (cover, same, one, border) in feasible_groups(units, rules,
                                                        grid_adjacency(units)):
        members = [ags[i] for i in g]
        prefs = tuple(preference_value(members, level) for level in levels)
        groups.append((g, (cover, *prefs, same, one, border)))
    return best_packing(groups, width=4 + len(levels))


def as_preferences(levels):
    """The drawn levels as the engine's preferences."""
    return [prefer_units(weights, name="units") if kind == "units" else
            Preference("groups", groups=dict(weights)) for kind, weights in levels]


def preferred_score(result, levels) -> tuple:
    base = score(result)
    members = [list(m) for m in result.consortia.member_ags]
    prefs = tuple(sum(preference_value(m, level) for m in members) for level in levels)
    return (base[0], *prefs, *base[1:])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_preferences_choose_among_the_best_plans_as_brute_force(data):
    frame, rules = data.draw(instances())
    levels = data.draw(preferences(frame, rules))
    result = plan(frame, rules, prefer=as_preferences(levels))
    assert result.status == "optimal"
    check_rules(frame, result, rules)
    assert preferred_score(result, levels) == brute_force_preferred(frame, rules, levels)
    # coverage first: a preference never costs a small municipality its Verbund
    assert result.n_covered == score(plan(frame, rules))[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_preferences_in_the_staged_solve_as_brute_force(data):
    # every component in stages (as Hessen's large ones are), not in one weighted MILP
    frame, rules = data.draw(instances())
    levels = data.draw(preferences(frame, rules))
    with staged_only():
        result = plan(frame, rules, prefer=as_preferences(levels))
    assert result.status == "optimal"
    assert preferred_score(result, levels) == brute_force_preferred(frame, rules, levels)


@contextlib.contextmanager
def staged_only():
    saved = solver._SINGLE_SOLVE_LIMIT
    solver._SINGLE_SOLVE_LIMIT = 0
    try:
        yield
    finally:
        solver._SINGLE_SOLVE_LIMIT = saved


def test_keeping_an_old_verbund_that_the_plan_would_not_choose():
    # a chain A-B-C-D-E-F of 6,000 each: three pairs cover all; B-C is kept only if the
    # weight asks for it and coverage allows it (it strands A) — coverage wins
    frame = grid(1, 6, [6000] * 6, split=6)
    rules = KivRules(max_members=2)
    bc = [frame.ags[1], frame.ags[2]]
    result = plan(frame, rules, prefer=prefer_groups([bc]))
    assert result.n_covered == 6 and result.preference_values() == {"keep_groups": 0}
    cd = [frame.ags[2], frame.ags[3]]   # keeping C-D costs nothing: A-B, C-D, E-F
    assert plan(frame, rules, prefer=prefer_groups([cd])).preference_values() == {
        "keep_groups": 1}
