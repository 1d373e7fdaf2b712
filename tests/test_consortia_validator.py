"""An independent validator of the CLI's plan, re-checking every rule from the raw tables.

Populations are read again from the Destatis xlsx; outlines straight from the VG250
GeoPackage with geopandas (old units dissolved into their successors per the curated
territorial changes); neighbours are re-derived with shapely distance predicates, not
libpysal. Nothing of the engine's own tables is trusted.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from wirgeo.core import paths as _paths

TOUCH_M = 2.0  # outlines grown by 1 m each touch within 2 m


@pytest.fixture(scope="module")
def raw(shared_raw, destatis_gv):
    table = destatis_gv
    pop = table.for_state("06").municipalities.set_index("ags")
    gem = gpd.read_file(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg",
                        layer="vg250_gem", engine="pyogrio")
    gem = gem[gem.GF == 4]
    changes = pd.read_csv(_paths.data_dir() / "territorial_changes.csv", dtype=str)
    successor = dict(zip(changes.old_ags, changes.new_ags, strict=True))
    gem = gem.assign(ags=gem.AGS.map(lambda a: successor.get(a, a)))
    outlines = gem.dissolve("ags").geometry
    population = pop["population"].reindex(outlines.index).fillna(0).astype(int)
    kreisfrei = set(pop.index[pop.textkennzeichen == "61"])
    sonder = set(pd.read_csv(_paths.data_dir() / "sonderstatusstaedte.csv", dtype=str).ags)
    geoms = outlines.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=TOUCH_M)
    ags = outlines.index.to_numpy()
    touch = {a: set() for a in ags}
    for i, j in zip(left, right, strict=True):
        if i != j:
            touch[ags[i]].add(ags[j])
    empty = {a for a in ags if population[a] == 0}
    neighbours = {a: {b for b in touch[a] if b not in empty} for a in ags}
    for e in empty:  # uninhabited areas link everything around them (default rule)
        ring = [a for a in touch[e] if a not in empty]
        for a, b in itertools.permutations(ring, 2):
            neighbours[a].add(b)
    return {"population": population, "neighbours": neighbours,
            "excluded": kreisfrei | sonder, "empty": empty}


@pytest.fixture(scope="module")
def cli_plan(tmp_path_factory):
    from wirgeo.cli import main

    folder = tmp_path_factory.mktemp("validator")
    out, members = folder / "consortia.csv", folder / "members.csv"
    assert main(["consortia", "--out", str(out), "--members", str(members)]) == 0
    return (pd.read_csv(out, dtype={"member_ags": str, "kreis_ags": str}),
            pd.read_csv(members, dtype={"ags": str, "kreis_ags": str}))


def connected(group, neighbours) -> bool:
    seen, todo = {group[0]}, [group[0]]
    while todo:
        for b in neighbours[todo.pop()] & set(group):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen == set(group)


def test_cli_reports_optimal(run_cli, tmp_path):
    code, out, err = run_cli("consortia", "--out", tmp_path / "c.csv")
    assert code == 0, err
    assert out.splitlines()[0] == "228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)"
    code, out, err = run_cli("consortia", "--lang", "en", "--out", tmp_path / "c.csv")
    assert out.splitlines()[0] == ("covered 228 of 246 small municipalities in 92 consortia "
                                   "(optimal)")


def test_every_consortium_meets_every_rule(raw, cli_plan):
    consortia, _ = cli_plan
    pop, nbrs = raw["population"], raw["neighbours"]
    used: set[str] = set()
    for row in consortia.itertuples():
        group = row.member_ags.split(";")
        assert 2 <= len(group) <= 3, row.consortium_id
        assert not used & set(group), f"{row.consortium_id} overlaps another consortium"
        used |= set(group)
        assert all(0 < pop[a] < 10_000 for a in group), row.consortium_id
        assert not set(group) & raw["excluded"], row.consortium_id
        assert 10_000 <= sum(pop[a] for a in group) == row.population <= 50_000
        assert connected(group, nbrs), f"{row.consortium_id} is not contiguous"
        assert row.same_kreis == (len({a[:5] for a in group}) == 1)
        assert row.n_members == len(group)


def test_plan_is_maximal_and_reasons_hold(raw, cli_plan):
    consortia, members = cli_plan
    pop, nbrs = raw["population"], raw["neighbours"]
    small = {a for a in pop.index if 0 < pop[a] < 10_000 and a not in raw["excluded"]}
    assert len(small) == 246
    placed = {a for m in consortia.member_ags for a in m.split(";")}
    free = small - placed
    # no feasible group is left entirely among unplaced small municipalities
    for a in free:
        for b in nbrs[a] & free:
            assert pop[a] + pop[b] < 10_000, (a, b)
            for c in (nbrs[a] | nbrs[b]) & free - {a, b}:
                assert pop[a] + pop[b] + pop[c] < 10_000, (a, b, c)
    rows = members.set_index("ags")
    assert set(rows.index[rows.small & rows.consortium_id.isna()]) == free
    for a in free:
        code = rows.at[a, "reason_code"]
        partners = nbrs[a] & small
        if code == "no_small_neighbour":
            assert not partners, a
        elif code == "neighbours_too_small":
            reach = max([pop[a]] + [pop[a] + pop[b] for b in partners] + [
                pop[a] + pop[b] + pop[c] for b in partners
                for c in (nbrs[a] | nbrs[b]) & small - {a, b}])
            # German number format (the CLI's default language), written out independently
            assert reach < 10_000 and f"{reach:,}".replace(",", ".") in rows.at[a, "reason"], a
        else:
            assert code == "competed" and partners, a
