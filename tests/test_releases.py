"""Comparing two population releases: class changes and broken Verbünde, on the real data.

The "new release" is the 2023 Destatis table with a few figures moved on purpose: some
towns just above 10,000 drop below it, one member of a Verbund of the 2023 plan grows
above it, and one Verbund's combined population falls under the minimum without any of
its members changing class.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wirgeo.planning import PlanningRequest
from wirgeo.planning.releases import compare_populations, compare_releases
from wirgeo.wording import plan_summary, violations_text


@pytest.fixture(scope="module")
def release(planning, tmp_path_factory):
    """A population CSV dated 2024 and what it changes, derived from the 2023 plan."""
    mun = planning.municipalities
    pop = mun.set_index("ags")["population"].copy()
    down = list(pop.index[pop.between(10_000, 10_150)])          # cross 10,000 downwards
    members = {cid: sorted(m.split(";"), key=lambda a: pop[a]) for cid, m in
               planning.plan.consortia[["consortium_id", "member_ags"]].itertuples(
                   index=False)}
    grows_id, *others = members
    grows = members[grows_id][0]                                 # crosses upwards
    pop[down] = 9_990
    pop[grows] = 10_500
    # a Verbund whose combined population falls to 9,900, each member staying small: its
    # largest member shrinks
    shrinks_id = next(c for c in others if pop[members[c][:-1]].sum() < 9_000)
    pop[members[shrinks_id][-1]] = 9_900 - int(pop[members[shrinks_id][:-1]].sum())
    path = tmp_path_factory.mktemp("release") / "population_2024.csv"
    pd.DataFrame({"ags": pop.index, "population": pop.to_numpy(),
                  "date": "2024-12-31"}).to_csv(path, index=False)
    return {"path": path, "crossing": sorted([*down, grows]), "grows": (grows_id, grows),
            "shrinks": shrinks_id, "population": pop}


@pytest.fixture(scope="module")
def comparison(release, shared_raw):
    return compare_releases(shared_raw / "destatis" / "31122023_Auszug_GV.xlsx",
                            release["path"], source=shared_raw)


def test_lists_exactly_the_municipalities_that_cross_a_threshold(comparison, release,
                                                                 municipalities):
    changes = comparison.changes
    assert {"ags", "name", "population_old", "population_new", "class_old",
            "class_new"} <= set(changes.columns)
    assert changes["ags"].tolist() == release["crossing"]
    old = municipalities.set_index("ags")["population"]
    assert (changes["population_old"].to_numpy() == old[changes["ags"]].to_numpy()).all()
    assert (changes["population_new"].to_numpy()
            == release["population"][changes["ags"]].to_numpy()).all()
    grows = changes.set_index("ags").loc[release["grows"][1]]
    assert (grows["class_old"], grows["class_new"]) == ("verbund_needed", "eligible_single")
    others = changes[changes["ags"] != release["grows"][1]]
    assert set(others["class_old"]) == {"eligible_single"}
    assert set(others["class_new"]) == {"verbund_needed"}


def test_names_the_verbuende_that_break(comparison, release):
    verbuende = comparison.verbuende.set_index("consortium_id")
    grows_id, grows = release["grows"]
    assert verbuende.at[grows_id, "status"] == "broken"
    name = comparison.old.municipalities.set_index("ags").at[grows, "name"]
    # codes and figures; their words are the same sentences as everywhere else
    (large,) = verbuende.at[grows_id, "problems"]
    assert large.code == "member_too_large" and name in large.figures["names"]
    assert "10.000 oder mehr Einwohnern" in violations_text(verbuende.at[grows_id, "problems"])
    assert name in violations_text(verbuende.at[grows_id, "problems"])
    shrinks = verbuende.loc[release["shrinks"]]
    assert shrinks["status"] == "broken" and shrinks["population_new"] == 9_900
    assert [v.code for v in shrinks["problems"]] == ["population_below_min"]
    assert "zusammen 9.900 Einwohner" in violations_text(shrinks["problems"])
    broken = comparison.broken
    assert {grows_id, release["shrinks"]} <= set(broken["consortium_id"])
    assert set(broken["status"]) <= {"broken", "not_optimal"}
    # a kept Verbund has the same members in the new plan
    kept = comparison.verbuende[comparison.verbuende["status"] == "kept"]
    new = comparison.new.plan.consortia.set_index("consortium_id")["member_ags"]
    assert (new[kept["consortium_new"]].to_numpy() == kept["member_ags"].to_numpy()).all()
    assert len(kept) + len(broken) == len(comparison.old.plan.consortia) == 92


def test_summary_puts_the_plans_side_by_side(comparison):
    summary = comparison.summary
    assert summary.at["population_date", "old"] == "2023-12-31"
    assert summary.at["population_date", "new"] == "2024-12-31"
    assert summary.loc[["covered", "small", "verbuende", "status"], "old"].tolist() == [
        228, 246, 92, "optimal"]
    assert plan_summary(comparison.old.plan) == (
        "228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)")
    # the towns that fell below 10,000 now need a Verbund, the one that grew does not
    assert summary.at["verbund_needed", "new"] == 246 + (len(comparison.changes) - 1) - 1
    assert summary.at["covered", "new"] == comparison.new.plan.n_covered


def test_same_tables_change_nothing(municipalities):
    same = compare_populations(municipalities, municipalities.copy(),
                               PlanningRequest(overrides={"max_members": 2}))
    assert same.changes.empty
    assert (same.verbuende["status"] == "kept").all() and same.broken.empty


def test_cli_data_compare_prints_and_writes_the_table(run_cli, release, shared_raw,
                                                      tmp_path):
    target = tmp_path / "changes.csv"
    code, out, err = run_cli("data", "compare",
                             shared_raw / "destatis" / "31122023_Auszug_GV.xlsx",
                             release["path"], "--source", shared_raw, "--out", target)
    assert code == 0, err
    assert f"Wechsel der KIV-Klasse: {len(release['crossing'])}" in out
    assert "erfüllt die Regeln nicht mehr: 2" in out and f"    {release['grows'][0]} " in out
    assert "10.000 oder mehr Einwohnern" in out and "zusammen 9.900 Einwohner" in out
    assert "alter Plan: 228 von 246" in out and "neuer Plan: " in out
    table = pd.read_csv(target, dtype={"ags": str})
    assert table["ags"].tolist() == release["crossing"]


def test_cli_data_compare_missing_file_exits_2(english, run_cli, release, tmp_path):
    code, out, err = run_cli("data", "compare", tmp_path / "nope.xlsx", release["path"])
    assert code == 2 and "nope.xlsx" in err and "population file not found" in err
    assert "Traceback" not in err
