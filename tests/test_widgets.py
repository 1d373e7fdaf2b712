"""The consortium planner's widget logic, without a browser, on the real Hessen data.

Setting a control's value must recompute the plan with the expected rules and refresh the
map, the table and the status; the JupyterLab test (tests/browser) checks the same in a
real client.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wirgeo.rules import load_rules
from wirgeo.widgets import ConsortiumPlanner


@pytest.fixture
def planner(municipalities, tmp_path):
    return ConsortiumPlanner(municipalities, kreise=["Vogelsbergkreis"], out_dir=tmp_path,
                             tiles=None)


def test_starts_with_the_default_rules(planner):
    assert planner.rules == load_rules().replace(exclude=(), lock=())
    assert planner.summary.endswith("(optimal)")
    assert planner.refreshes == 1
    assert "Vogelsbergkreis" in planner.map_view.value
    assert "Vorgeschlagene Verbünde" in planner.table_view.value
    assert planner.summary in planner.status.value
    assert "Ausschnitt des landesweiten Plans" in planner.summary


def test_speaks_english_on_request(municipalities, tmp_path):
    planner = ConsortiumPlanner(municipalities, kreise=["Vogelsbergkreis"], out_dir=tmp_path,
                                tiles=None, lang="en")
    assert "Suggested consortia" in planner.table_view.value
    assert planner.summary.startswith("Vogelsbergkreis: covered 16 of 16")
    assert planner.controls["max_members"].description == "Maximum members"


@pytest.mark.parametrize(
    ("control", "value", "check"),
    [
        ("max_members", 2, lambda r: r.max_members == 2),
        ("combined_min", 12_000, lambda r: r.combined_min == 12_000),
        ("same_kreis", True, lambda r: r.same_kreis),
        ("allow_large_partner", True, lambda r: r.allow_large_partner),
        ("mutual", True, lambda r: r.contiguity == "mutual"),
        ("include_funded", True, lambda r: not r.exclude_funded),
    ],
)
def test_each_control_recomputes_with_its_rule(planner, control, value, check):
    before_map, before_count = planner.map_view.value, planner.refreshes
    planner.controls[control].value = value
    assert check(planner.rules)
    assert planner.refreshes == before_count + 1
    plan = planner.run.plan
    assert plan.rules == planner.rules and plan.status == "optimal"
    if control == "max_members":
        assert (plan.consortia["n_members"] <= 2).all()
        assert planner.map_view.value != before_map
    if control == "combined_min":
        assert (plan.consortia["population"] >= 12_000).all()
    assert planner.summary in planner.status.value


def test_kreis_selection_and_exclusion(planner, municipalities):
    kassel = municipalities.loc[municipalities.kreis_name == "Landkreis Kassel", "kreis_ags"]
    planner.controls["kreise"].value = (kassel.iloc[0],)
    # a view of the statewide plan: every Verbund shown has a member in the Kreis
    assert planner.run.kreise == (kassel.iloc[0],) and not planner.run.within_kreise
    assert len(planner.run.plan.consortia) == 92
    assert planner.run.consortia["kreis_ags"].str.contains(kassel.iloc[0]).all()
    assert "Landkreis Kassel" in planner.map_view.value
    planner.controls["within"].value = True  # planning only among its municipalities
    assert planner.run.plan.kreise == (kassel.iloc[0],) and planner.run.within_kreise
    members = planner.run.plan.consortia["member_ags"].str.split(";").explode()
    assert members.str.startswith(kassel.iloc[0]).all()
    assert "nur innerhalb dieser Kreise geplant" in planner.summary
    first = members.iloc[0]
    planner.controls["exclude"].value = (first,)
    assert planner.rules.exclude == (first,)
    assert first not in set(planner.run.plan.consortia["member_ags"].str.split(";").explode())


def test_lock_by_name_and_a_bad_lock_is_reported(planner):
    planner.controls["lock"].value = "Schotten, Ulrichstein"
    locked = planner.run.plan.consortia[planner.run.plan.consortia["locked"]]
    assert len(locked) == 1 and set(locked["member_names"].iloc[0].split(";")) == {
        "Schotten", "Ulrichstein"}
    count = planner.refreshes
    planner.controls["lock"].value = "Schotten, Nowhereville"
    assert "Nicht übernommen" in planner.status.value
    assert "Verbünde festlegen, row 1" in planner.status.value  # the control, not `locks`
    assert "Nowhereville" in planner.status.value
    assert planner.refreshes == count  # the previous plan stays
    assert len(planner.run.plan.consortia[planner.run.plan.consortia["locked"]]) == 1


def test_partner_lookup(planner):
    planner.controls["partner"].value = "Ulrichstein"
    assert "Ulrichstein" in planner.partner_view.value and "<table" in planner.partner_view.value
    planner.controls["partner"].value = "Ulrichstien"
    assert "Ulrichstein (06535018)" in planner.partner_view.value  # the suggestion


def test_exports_land_in_out_dir_and_read_back(planner, tmp_path):
    planner.controls["export_map"].click()
    planner.controls["export_table"].click()
    html_file = tmp_path / "consortium_planner_map.html"
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    sheets = pd.read_excel(tmp_path / "consortium_planner.xlsx", sheet_name=None, dtype=str)
    assert list(sheets) == ["Verbünde", "Gemeinden", "Ohne Verbund", "Lauf"]
    assert len(sheets["Verbünde"]) == len(planner.run.consortia)
    assert sheets["Gemeinden"]["AGS"].str.len().eq(8).all()
    run = dict(zip(sheets["Lauf"]["Angabe"], sheets["Lauf"]["Wert"], strict=True))
    assert run["Umfang"] == "Ausschnitt des landesweiten Plans: Vogelsbergkreis"
    assert "geschrieben" in planner.export_view.value
