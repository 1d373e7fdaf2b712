"""The consortium planner's widget logic, without a browser, on the real Hessen data.

Setting a control's value must recompute the plan with the expected rules and refresh the
live map's plan, the tables and the status; locks apply only when their button is pressed;
exports keep every file. The JupyterLab test (tests/browser) checks the same in a real
client, with the view of the map.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from wirgeo import maps
from wirgeo.locale import translate
from wirgeo.maps.colouring import verbund_touching
from wirgeo.planning.cache import contiguity_of
from wirgeo.rules import load_rules
from wirgeo.widgets import ConsortiumPlanner
from wirgeo.widgets.live_map import map_script
from wirgeo.widgets.texts import TEXTS


@pytest.fixture(scope="module")
def shared(municipalities, tmp_path_factory):
    """One planner for the module: building one costs seconds (outlines, first solve)."""
    return ConsortiumPlanner(municipalities, kreise=["Vogelsbergkreis"],
                             out_dir=tmp_path_factory.mktemp("out"))


@pytest.fixture
def planner(shared):
    """The shared planner, set back to its start after each test."""
    yield shared
    c = shared.controls
    c["lock"].value = ""
    if shared.state().lock_text:
        c["lock_apply"].click()
    for name, value in (("kreise", ["Vogelsbergkreis"]), ("within", False),
                        ("exclude", []), ("partner", "")):
        c[name].value = value
    rules = load_rules()
    c["combined_min"].value = rules.combined_min
    c["max_members"].value = rules.max_members
    for name, value in (("same_kreis", rules.same_kreis),
                        ("allow_large_partner", rules.allow_large_partner),
                        ("mutual", rules.contiguity == "mutual"),
                        ("include_funded", not rules.exclude_funded)):
        c[name].value = value


def _groups(planner) -> set[frozenset[int]]:
    return {frozenset(g["m"]) for g in planner.live_map.plan["groups"]}


def test_starts_with_the_default_rules(planner):
    assert planner.rules == load_rules().replace(exclude=(), lock=())
    assert planner.summary.endswith("(optimal)")
    assert "Vorgeschlagene Verbünde (6)" in planner.table_view.value
    assert planner.summary in planner.status.value
    assert "bewiesen optimal" in planner.status.value
    assert "berechnet: landesweiter Plan in" in planner.status.value
    assert "Ausschnitt des landesweiten Plans" in planner.summary
    # the live map got the whole statewide plan, the Vogelsbergkreis in focus
    assert len(planner.live_map.plan["groups"]) == 92
    assert len(planner.live_map.plan["unplaced"]) == 18
    vogelsberg = planner.municipalities["kreis_ags"].eq("06535").sum()
    assert len(planner.live_map.plan["focus"]) == vogelsberg


def test_kreise_sorted_by_name_without_the_prefix(planner):
    labels = list(planner.kreis_keys)
    assert len(labels) == 26
    assert abs(labels.index("Kassel (Landkreis)") - labels.index("Kassel (kreisfreie Stadt)")) == 1
    assert labels[0] == "Bergstraße (Landkreis)"
    assert not any(label.startswith("Landkreis") for label in labels)
    assert planner.controls["kreise"].value == ["Vogelsbergkreis"]
    assert planner.controls["kreise"].allowed_tags == labels


def test_a_complete_name_in_the_search_becomes_a_tag(planner):
    search, tags = planner.controls["kreise_search"], planner.controls["kreise"]
    search.value = "Fulda"  # still typing: nothing yet
    assert tags.value == ["Vogelsbergkreis"] and planner.run.kreise == ("06535",)
    search.value = "Fulda (Landkreis)"
    assert tags.value == ["Vogelsbergkreis", "Fulda (Landkreis)"] and search.value == ""
    assert planner.run.kreise == ("06535", "06631")
    tags.value = ["Fulda (Landkreis)"]  # × on the Vogelsbergkreis
    assert planner.run.kreise == ("06631",)
    planner.controls["exclude_search"].value = "Ulrichstein (Vogelsbergkreis)"
    assert planner.controls["exclude"].value == ["Ulrichstein (Vogelsbergkreis)"]
    assert planner.rules.exclude == ("06535018",)


def test_speaks_english_on_request(municipalities, tmp_path):
    planner = ConsortiumPlanner(municipalities, kreise=["Vogelsbergkreis"], out_dir=tmp_path,
                                lang="en")
    assert "Suggested consortia" in planner.table_view.value
    assert planner.summary.startswith("Vogelsbergkreis: covered 16 of 16")
    assert planner.controls["same_kreis"].description == "All members in one Kreis"
    assert "Kassel (district)" in planner.kreis_keys
    assert "proven optimal" in planner.status.value
    assert planner.live_map.legend["title"] == "Legend"
    # a control's callback speaks the planner's language, whatever the setting is
    planner.controls["max_members"].value = 2
    assert "covered" in planner.summary and "Suggested consortia" in planner.table_view.value
    assert "proven optimal" in planner.status.value and "Verbünde" not in planner.status.value
    planner.controls["partner"].value = "Ulrichstein"
    assert "consortium" in planner.partner_view.value


@pytest.mark.parametrize(
    ("control", "value", "check"),
    [
        ("max_members", 2, lambda r: r.max_members == 2),
        ("combined_min", 12_000, lambda r: r.combined_min == 12_000),
        ("same_kreis", True, lambda r: r.same_kreis),
        ("mutual", True, lambda r: r.contiguity == "mutual"),
        ("include_funded", True, lambda r: not r.exclude_funded),
    ],
)
def test_each_control_recomputes_with_its_rule(planner, control, value, check):
    before_groups, before_count = _groups(planner), planner.refreshes
    revision = planner.live_map.plan["revision"]
    planner.controls[control].value = value
    assert check(planner.rules)
    assert planner.refreshes == before_count + 1
    assert planner.live_map.plan["revision"] == revision + 1
    plan = planner.run.plan
    assert plan.rules == planner.rules and plan.status == "optimal"
    if control == "max_members":
        assert (plan.consortia["n_members"] <= 2).all()
        assert _groups(planner) != before_groups
        assert all(len(g["m"]) <= 2 for g in planner.live_map.plan["groups"])
    if control == "combined_min":
        assert (plan.consortia["population"] >= 12_000).all()
    assert planner.summary in planner.status.value


def test_a_change_that_keeps_the_plan_says_so(planner):
    planner.controls["max_members"].value = 2
    assert planner.note.value == ""
    planner.controls["max_members"].value = 3  # back: the cached run, a different plan
    assert planner.note.value == "" and "aus dem Zwischenspeicher" in planner.status.value
    planner.controls["combined_min"].value = 9_999  # every Verbund found has ≥ 10,000 anyway
    assert "Plan unverändert" in planner.note.value, planner.status.value
    planner.controls["kreise"].value = ["Fulda (Landkreis)"]
    assert "Nur der Ausschnitt hat sich geändert" in planner.note.value
    assert planner.run.kreise == ("06631",)


def test_kreis_selection_is_a_view_and_within_plans_anew(planner, municipalities):
    planner.controls["kreise"].value = ["Kassel (Landkreis)"]
    kassel = "06633"
    # a view of the statewide plan: every Verbund shown has a member in the Kreis
    assert planner.run.kreise == (kassel,) and not planner.run.within_kreise
    assert len(planner.run.plan.consortia) == 92
    assert all(kassel in keys for keys in planner.run.consortia["kreis_ags"])
    focus = planner.live_map.plan["focus"]
    assert len(focus) == municipalities["kreis_ags"].eq(kassel).sum()
    planner.controls["within"].value = True  # planning only among its municipalities
    assert planner.run.plan.kreise == (kassel,) and planner.run.within_kreise
    members = planner.run.plan.consortia["member_ags"].explode()
    assert members.str.startswith(kassel).all()
    assert "nur innerhalb dieser Kreise geplant" in planner.summary
    assert "Plan innerhalb von Landkreis Kassel" in planner.status.value


def test_exclusion_by_name_tag(planner):
    planner.controls["within"].value = True
    first = planner.run.plan.consortia["member_names"].iloc[0][0]
    tag = f"{first} (Vogelsbergkreis)"
    assert tag in planner.controls["exclude"].allowed_tags
    planner.controls["exclude"].value = [tag]
    ags = planner.gemeinde_keys[tag]
    assert planner.rules.exclude == (ags,)
    assert f"Ausgeschlossen: {first}." in planner.status.value
    assert ags not in set(planner.run.plan.consortia["member_ags"].explode())
    planner.controls["exclude"].value = []  # removed again
    assert planner.rules.exclude == ()


def test_lock_text_applies_only_with_the_button(planner):
    count = planner.refreshes
    planner.controls["lock"].value = "Schotten, Ulrich"  # typing: nothing happens
    planner.controls["lock"].value = "Schotten, Ulrichstein"
    assert planner.refreshes == count and planner.rules.lock == ()
    assert planner.note.value == ""
    planner.controls["lock_apply"].click()
    assert planner.refreshes == count + 1
    locked = planner.run.plan.consortia[planner.run.plan.consortia["locked"]]
    assert len(locked) == 1 and set(locked["member_names"].iloc[0]) == {
        "Schotten", "Ulrichstein"}
    assert "1 festgelegt" in planner.lock_status.value
    assert "Festgelegt: Schotten, Ulrichstein." in planner.status.value


def test_a_bad_lock_is_reported_on_submit_and_the_plan_stays(planner):
    planner.controls["lock"].value = "Schotten, Nowhereville"
    assert planner.note.value == ""  # not while typing
    count = planner.refreshes
    planner.controls["lock_apply"].click()
    assert "Nicht übernommen" in planner.note.value
    # the control, not `locks`, in the planner's language (German)
    assert f"{translate(TEXTS['lock'], lang='de')}, Zeile 1" in planner.note.value
    assert "Nowhereville" in planner.note.value
    assert planner.refreshes == count  # the previous plan stays
    assert planner.state().lock_text == ""


def test_partner_lookup(planner):
    planner.controls["partner"].value = "Ulrichstein"
    assert "Ulrichstein" in planner.partner_view.value and "<table" in planner.partner_view.value
    planner.controls["partner"].value = "Ulrichstien"
    assert "Ulrichstein (06535018)" in planner.partner_view.value  # the suggestion


def test_each_export_gets_its_own_name_and_is_listed(planner):
    first = planner.export_table()
    planner.controls["max_members"].value = 2
    second = planner.export_table()
    third = planner.export_table()
    assert len({first, second, third}) == 3 and all(p.is_file() for p in (first, second, third))
    assert "_min10000_max3_06535" in first.name and "_max2_" in second.name
    assert third.stem == second.stem + "-2"
    listed = planner.export_view.value
    assert all(f">{p.name}</a>" in listed for p in (first, second, third))
    sheets = pd.read_excel(second, sheet_name=None, dtype=str)
    assert list(sheets) == ["Verbünde", "Gemeinden", "Ohne Verbund", "Lauf"]
    assert len(sheets["Verbünde"]) == len(planner.run.consortia)
    run = dict(zip(sheets["Lauf"]["Angabe"], sheets["Lauf"]["Wert"], strict=True))
    assert run["Umfang"] == "Ausschnitt des landesweiten Plans: Vogelsbergkreis"


def test_export_map_is_the_folium_map(planner):
    written = planner.export_map()
    assert written.suffix == ".html" and planner.exports[-1] == written
    page = written.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "wirgeo-eligibility" in page


def test_export_names_carry_the_rules(planner):
    planner.controls["same_kreis"].value = True
    planner.controls["within"].value = True
    name = planner.export_name(".xlsx", stamp=dt.datetime(2026, 12, 1, 23, 10))
    assert name.name == "planer_20261201-2310_min10000_max3_kreis_innerhalb_06535.xlsx"


def test_dossier_needs_one_landkreis(planner):
    planner.controls["kreise"].value = []
    planner.controls["export_dossier"].click()
    assert translate(TEXTS["dossier_needs_kreis"], lang="de") in planner.export_view.value


@pytest.mark.skipif(not hasattr(maps, "static_map"),
                    reason="the dossier's print map arrives with the maps issue")
def test_dossier_of_the_selected_kreis(planner):
    written = planner.export_dossier()
    assert written.name.startswith("dossier_06535_Vogelsbergkreis_")
    assert written.read_bytes().startswith(b"%PDF")


def test_flexibility_on_demand(planner):
    planner.controls["within"].value = True
    planner.controls["flexibility"].click()
    assert "fest oder flexibel" in planner.table_view.value
    shown = planner.table_view.value
    labels = shown.count("fest: in jedem besten Plan") + shown.count("flexibel: Alternativen")
    assert labels == len(planner.run.consortia) > 0
    assert "Flexibilität:" in planner.note.value


def test_live_map_sends_outlines_once_and_little_per_change(planner):
    outlines = json.dumps(planner.live_map.outlines)
    assert len(planner.live_map.outlines["features"]) == 425
    planner.controls["max_members"].value = 2
    per_change = planner.live_map.plan_bytes()
    assert per_change < len(outlines) / 5  # the plan, not the geometry
    plan = planner.live_map.plan
    assert set(plan) == {"revision", "classes", "groups", "unplaced", "focus", "legend",
                         "declined", "selected"}
    assert len(plan["classes"]) == 425
    # touching Verbünde never share a colour (the colouring of maps.colouring: borders at
    # full resolution)
    consortia = planner.run.plan.consortia
    colour = dict(zip(consortia["consortium_id"], (g["c"] for g in plan["groups"]),
                      strict=True))
    borders = contiguity_of(planner.municipalities).borders
    for cid, others in verbund_touching(consortia, borders).items():
        assert all(colour[o] != colour[cid] for o in others)


def test_map_styles_keep_leaflets_selectors(planner):
    css = planner.live_map._css
    assert "&gt;" not in css and ".leaflet-pane > svg path.leaflet-interactive" in css
    assert ".wirgeo-legend" in css  # the map styles of wirgeo.maps.styles


def test_map_script_carries_leaflet(planner):
    script = map_script()
    assert "Leaflet 1.9.3" in script and "export default { render }" in script
    assert "import " not in script.split("export default")[0].split("\n", 3)[0]  # no loader
