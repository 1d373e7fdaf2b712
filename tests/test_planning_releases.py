"""Comparing two population releases: class changes and broken Verbünde, on the real data.

The "new release" is the 2023 Destatis table with a few figures moved on purpose: some
towns just above 10,000 drop below it, one member of a Verbund of the 2023 plan grows
above it, and one Verbund's combined population falls under the minimum without any of
its members changing class.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wirgeo.municipalities import load
from wirgeo.planning import PlanningRequest
from wirgeo.planning.releases import compare_populations, compare_releases
from wirgeo.wording import plan_summary, violations_text


@pytest.fixture(scope="module")
def release(planning, tmp_path_factory):
    """A population CSV dated 2024 and what it changes, derived from the 2023 plan."""
    mun = planning.municipalities
    pop = mun.set_index("ags")["population"].copy()
    down = list(pop.index[pop.between(10_000, 10_150)])          # cross 10,000 downwards
    members = {cid: sorted(m, key=lambda a: pop[a]) for cid, m in
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


# --------------------------------------------- the Zensus 2022 as the next release

ZENSUS = "zensus2022/census2022_municipality_demographics_housing_hessen.csv"
DIRECTORY = "destatis/31122023_Auszug_GV.xlsx"


def _independent_classes(shared_raw, root, sheet):
    """KIV class of every Hessian Gemeinde in both files, computed without wirgeo.

    The 2023 directory is read cell by cell with openpyxl (``sheet``: its rows, the session's
    ``destatis_sheet``), the Zensus table with the csv
    module; Bromskirchen is added to Allendorf (Eder) by hand; the thresholds come from
    data/kiv_rules.toml, the Sonderstatusstädte from data/sonderstatusstaedte.csv.
    """
    import csv
    import tomllib

    rules = tomllib.loads((root / "data" / "kiv_rules.toml").read_text(encoding="utf-8"))
    low, high = (rules["rules"][k]["value"] for k in ("single_min", "single_max"))
    with (root / "data" / "sonderstatusstaedte.csv").open(encoding="utf-8") as file:
        special = {row["ags"] for row in csv.DictReader(file)}
    old, kreisfrei = {}, set()
    for row in sheet:
        if row[0] == "60" and row[2] == "06":
            ags = f"{row[2]}{row[3]}{row[4]}{row[6]}"
            old[ags] = int(row[9] or 0)
            if row[1] == "61":
                kreisfrei.add(ags)
    new = {}
    with (shared_raw / ZENSUS).open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            new[row["ags"]] = int(float(row["population_census22"]))
    new["06635001"] += new.pop("06635005")        # merged 2021, still listed separately

    def kiv(ags, people):
        if people == 0:
            return "uninhabited"
        if ags in kreisfrei or ags in special:
            return "not_eligible_status"
        if people < low:
            return "verbund_needed"
        return "eligible_single" if people <= high else "not_eligible_large"

    return {ags: (old[ags], new.get(ags, 0), kiv(ags, old[ags]), kiv(ags, new.get(ags, 0)))
            for ags in old}


@pytest.fixture(scope="module")
def zensus_compare(run_cli_module, shared_raw, tmp_path_factory):
    out = tmp_path_factory.mktemp("zensus") / "d.csv"
    code, text, err = run_cli_module("data", "compare", shared_raw / DIRECTORY,
                                     shared_raw / ZENSUS, "--out", out, "--lang", "en")
    assert code == 0, err
    return pd.read_csv(out, dtype={"ags": str}), text


@pytest.fixture(scope="module")
def run_cli_module():
    import contextlib
    import io

    from wirgeo.cli import main

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        return code, out.getvalue(), err.getvalue()

    return run


def test_zensus_class_changes_match_an_independent_computation(zensus_compare, shared_raw,
                                                              destatis_sheet):
    from pathlib import Path

    table, _ = zensus_compare
    root = Path(__file__).resolve().parent.parent
    expected = {ags: v for ags, v in _independent_classes(shared_raw, root, destatis_sheet).items()
                if v[2] != v[3]}
    assert len(expected) == 10
    got = {r.ags: (r.population_old, r.population_new, r.class_old, r.class_new)
           for r in table.itertuples(index=False)}
    assert got == expected


def test_zensus_compare_names_the_broken_verbuende_and_keeps_the_most(zensus_compare):
    _, text = zensus_compare
    assert "KIV class changes: 10" in text
    assert "Verbünde of the old plan that break: 21 of 92" in text
    assert "kept from the old plan: 71 of 92 Verbünde" in text


def test_the_new_plan_changes_as_little_as_possible(municipalities, shared_raw):
    zensus = load("06", population=shared_raw / ZENSUS).municipalities
    minimal = compare_populations(municipalities, zensus)
    scratch = compare_populations(municipalities, zensus, minimal_change=False)
    # the same coverage, proven, and never fewer Verbünde kept than from scratch
    assert minimal.new.plan.status == scratch.new.plan.status == "optimal"
    assert minimal.new.plan.n_covered == scratch.new.plan.n_covered == 244
    assert len(minimal.kept) == 71 > len(scratch.kept) == 49
    assert minimal.new.plan.preference_values() == {"keep_old_plan": 71}
    # what stays has the same members in both plans; what breaks names the rules
    new = minimal.new.plan.consortia.set_index("consortium_id")["member_ags"]
    kept = minimal.kept
    assert (new[kept["consortium_new"]].to_numpy() == kept["member_ags"].to_numpy()).all()
    assert int(minimal.plan["kept"].sum()) == 71
    broken = minimal.broken
    assert (broken["status"] == "broken").sum() == 7
    assert (broken.loc[broken["status"] == "broken", "problems"] != "").all()


def test_the_compare_workbook_has_one_sheet_per_question(municipalities, tmp_path):
    import openpyxl

    from wirgeo.exports import write_release

    moved = municipalities.assign(population=municipalities["population"].where(
        municipalities["name"] != "Schotten", 9_900))
    comparison = compare_populations(municipalities, moved)
    path = write_release(comparison, tmp_path / "compare.xlsx", lang="de")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Übersicht", "Klassenwechsel", "Verbünde, die brechen",
                               "Neuer Plan", "Was bleibt", "Lauf"]
    changes = book["Klassenwechsel"]
    header = [c.value for c in changes[1]]
    assert header[:6] == ["AGS", "Gemeinde", "Kreis", "Einwohner, alte Ausgabe",
                          "Einwohner, neue Ausgabe", "Differenz"]
    row = [c for c in changes[2]]
    assert row[0].value == "06535016" and row[0].data_type == "s"
    assert (row[3].value, row[4].value, row[4].number_format) == (10_053, 9_900, "#,##0")
    assert row[6].value == "Einzelantrag möglich" and row[7].value == "nur im Verbund"
    again = write_release(comparison, tmp_path / "again.xlsx", lang="de")
    assert again.read_bytes() == path.read_bytes()


def test_a_partial_release_names_its_basis(run_cli, municipalities, shared_raw, tmp_path):
    partial = tmp_path / "changes_2024.csv"
    partial.write_text("ags;population;date\n06535016;9900;2024-12-31\n", encoding="utf-8")
    code, out, err = run_cli("data", "compare", shared_raw / DIRECTORY, partial,
                             "--lang", "en")
    assert code == 2 and "Traceback" not in err
    assert "lists 1 Gemeinden, 420 Gemeinden have no figure in it" in err
    assert "--basis FILE" in err
    code, out, err = run_cli("data", "compare", shared_raw / DIRECTORY, partial,
                             "--basis", shared_raw / DIRECTORY, "--lang", "en")
    assert code == 0, err
    assert "KIV class changes: 1" in out and "06535016 Schotten" in out
