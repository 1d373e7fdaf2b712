"""Issue 21 items 3–4: hand edits of the plan document in the planner, statuses drawn.

The edits are methods of the document (:class:`wirgeo.sources.Negotiation`), the checks
the engine's (:meth:`wirgeo.planning.NegotiationBasis.check`); the planner's editor only
strings them together. Everything on the real Hessen data.
"""

from __future__ import annotations

import json

import pytest

from wirgeo import maps
from wirgeo.errors import InputError
from wirgeo.maps._leaflet import _FeatureData
from wirgeo.maps.colouring import verbund_colours
from wirgeo.planning import NegotiationBasis, PlanningRequest, new_negotiation
from wirgeo.sources import Negotiation, read_negotiation
from wirgeo.widgets import ConsortiumPlanner

FELDATAL, MUECKE, ALSFELD, ROMROD = "06535003", "06535013", "06535001", "06535014"
HOSTILE = '<b onmouseover="x()">{{ 7*7 }}</b>'


def _doc(*rows) -> Negotiation:
    return Negotiation.from_rows([{"verbund": v, "ags": a, "status": s} for v, a, s in rows])


# ------------------------------------------------------------ the document's edits


def test_a_gemeinde_moves_between_verbuende_and_declines():
    doc = _doc(("Nord", FELDATAL, "agreed"), ("Nord", MUECKE, "agreed"))
    moved = doc.with_member(MUECKE, "Süd")
    assert moved.place_of(MUECKE) == "Süd" and moved.place_of(FELDATAL) == "Nord"
    assert moved.verbuende().set_index("verbund")["status"].to_dict() == {
        "Nord": "agreed", "Süd": "proposed"}
    out = moved.with_declined(MUECKE, note="will allein bleiben")
    assert out.place_of(MUECKE) == "" and out.declined() == (MUECKE,)
    back = out.without_member(MUECKE)
    assert back.place_of(MUECKE) is None
    assert doc.place_of(MUECKE) == "Nord"          # every edit makes a new document


def test_a_refused_group_keeps_its_members_placed_elsewhere():
    doc = _doc(("Nord", FELDATAL, "agreed"), ("Nord", MUECKE, "agreed"))
    refused = doc.with_member(FELDATAL, "nie", status="rejected")
    assert refused.place_of(FELDATAL) == "Nord"
    assert refused.groups("rejected") == [(FELDATAL,)]
    with pytest.raises(InputError, match="abgelehnte|refused"):
        # the same members as an agreed Verbund cannot also be refused
        refused.with_member(MUECKE, "nie")


def test_status_note_and_label_of_a_verbund():
    doc = _doc(("Nord", FELDATAL, "proposed"), ("Nord", MUECKE, "proposed"))
    done = doc.with_status("Nord", "in_talks", note="Rat 12.3.").with_label("Nord", "Ost")
    table = done.verbuende()
    assert table[["verbund", "status", "notes"]].values.tolist() == [
        ["Ost", "in_talks", "Rat 12.3."]]
    assert doc.free_label("Neu") == "Neu 1"
    with pytest.raises(InputError):
        done.with_member(ALSFELD, "Süd").with_label("Süd", "Ost")


# ------------------------------------------------------------ completion


def test_complete_keeps_open_verbuende_through_the_preference_hook(municipalities):
    """Another optimal plan as the document: its open Verbünde stay, none is replaced."""
    basis = NegotiationBasis.of(municipalities)
    default = PlanningRequest().run(municipalities, adjacency=basis.adjacency)
    other = PlanningRequest(tie_break="foreign_residents").run(
        municipalities, adjacency=basis.adjacency)
    differ = set(other.plan.consortia["member_ags"]) - set(default.plan.consortia["member_ags"])
    assert len(differ) >= 5 and other.plan.n_covered == default.plan.n_covered
    done = basis.complete(new_negotiation(other), costs=False)
    assert len(done.dropped) == 0 and done.covered == default.plan.n_covered
    assert done.plan.preference_values()["keep_open"] == len(other.plan.consortia)


# ------------------------------------------------------------ the planner's editor


@pytest.fixture(scope="module")
def planner(municipalities):
    return ConsortiumPlanner(municipalities, lang="de")


def test_clicks_edit_the_plan_with_live_validity(planner, tmp_path):
    editor = planner.editor
    editor.start()
    live = planner.live_map
    assert editor.check.placed == 228 and len(editor.check.invalid) == 0
    assert len(live.plan["groups"]) == 92 and all(g["c"] >= 0 for g in live.plan["groups"])
    # a click into a Verbund selects it; a click on the large Alsfeld puts it in: invalid
    editor.click(ROMROD)
    label = editor.selected
    assert label and editor.document.place_of(ROMROD) == label
    editor.click(ALSFELD)
    assert editor.document.place_of(ALSFELD) == label
    bad = editor.check.invalid
    assert bad["verbund"].tolist() == [label]
    assert "member_too_large" in bad["rules_failed"].iloc[0]
    group = next(g for g in live.plan["groups"] if live.outlines["features"][
        g["m"][0]]["properties"]["n"] in bad["member_names"].iloc[0])
    assert group["c"] == -1 and "Alsfeld" in group["t"] and "Regel" in group["t"]
    legend = [row["label"] for row in live.plan["legend"]]
    assert "verstößt gegen eine Regel (1)" in legend and "vorgeschlagen (92)" in legend
    # the same click again takes it out: valid again; undo brings it back, redo again
    editor.click(ALSFELD)
    assert len(editor.check.invalid) == 0
    editor.undo()
    assert len(editor.check.invalid) == 1
    editor.undo()
    assert editor.document.place_of(ALSFELD) is None and len(editor.check.invalid) == 0
    editor.redo()
    assert len(editor.check.invalid) == 1
    editor.undo()
    # declined: its own style and legend row with the count
    editor.mode = "declined"
    editor.click(ROMROD)
    editor.mode = "member"
    assert editor.document.declined() == (ROMROD,)
    assert [row["label"] for row in live.plan["legend"]][-1] == "nimmt nicht teil (1)"
    assert live.plan["declined"][0][1].startswith("nimmt nicht teil")
    assert editor.check.placed == 227
    # save and load the document: the same rows
    written = editor.save(tmp_path / "plan.csv")
    assert [p.suffix for p in written] == [".csv", ".xlsx"]
    saved = editor.document
    editor.undo()
    editor.load(tmp_path / "plan.csv")
    assert editor.document.rows[["verbund", "ags", "status"]].equals(
        saved.rows[["verbund", "ags", "status"]])
    assert read_negotiation(tmp_path / "plan.xlsx").declined() == (ROMROD,)


def test_status_label_and_note_with_markup_reach_the_map_as_text(planner):
    editor = planner.editor
    editor.start()
    editor.click(FELDATAL)
    editor.set_status("agreed", HOSTILE, label=HOSTILE)
    assert editor.selected == HOSTILE
    tips = [g["t"] for g in planner.live_map.plan["groups"] if HOSTILE in g["t"]]
    # plain text in the JSON the browser writes as DOM text; escaped in the status line
    assert tips and tips[0].startswith(f"Verbund {HOSTILE} (vereinbart)")
    assert f"Anmerkung: {HOSTILE}" in tips[0]
    assert "<b onmouseover" not in editor.status.value
    assert json.loads(json.dumps(planner.live_map.plan))["groups"]


def test_complete_says_what_the_decisions_cost(planner):
    editor = planner.editor
    editor.start()
    editor.mode = "declined"
    editor.click(ROMROD)
    editor.mode = "member"
    editor.complete()
    assert editor.document.declined() == (ROMROD,)
    assert editor.check.placed == 227
    assert "227 statt 228" in editor.status.value


# ------------------------------------------------------------ one colouring


def _exported_colours(page) -> dict[str, str]:
    """Verbund → colour key (``c0`` …) of the exported HTML map's member features."""
    found: dict[str, str] = {}
    stack = [page]
    while stack:
        element = stack.pop()
        if isinstance(element, _FeatureData):
            for f in element.data["features"]:
                p = f["properties"]
                if p.get("verbund") and p.get("s_c"):
                    found[p["verbund"]] = p["s_c"]
        stack += list(element._children.values())
    return found


def test_live_map_colours_equal_the_exported_maps(planner, municipalities):
    editor = planner.editor
    editor.document = None
    planner.refresh()
    run = planner.run
    live = {g["t"].split(":")[0].split()[-1]: g["c"] for g in planner.live_map.plan["groups"]}
    page = maps.planning_map(run)
    exported = _exported_colours(page)
    assert len(live) == len(exported) == 92
    assert {cid: f"c{c}" for cid, c in live.items()} == exported
    assert live == verbund_colours(run.statewide_consortia(), municipalities)


# ------------------------------------------------------------ the HTML map of a document


def test_html_map_of_a_document_draws_statuses_invalid_and_declined(municipalities):
    doc = Negotiation.from_rows([
        {"verbund": HOSTILE, "ags": FELDATAL, "status": "agreed", "note": HOSTILE},
        {"verbund": HOSTILE, "ags": MUECKE, "status": "agreed"},
        {"verbund": "Süd", "ags": ALSFELD, "status": "in_talks"},
        {"verbund": "Süd", "ags": "06535002", "status": "in_talks"},
        {"verbund": "", "ags": ROMROD, "status": "declined"}])
    check = NegotiationBasis.of(municipalities).check(doc)
    page = maps.document_map(check, municipalities, name=HOSTILE, tiles=None, lang="de")
    html = page.get_root().render()
    assert "<b onmouseover" not in html and "{{ 7*7 }}" not in html
    keys = {}
    stack = [page]
    while stack:
        element = stack.pop()
        if isinstance(element, _FeatureData):
            for f in element.data["features"]:
                if "name" in f["properties"]:
                    keys[f["properties"]["name"]] = (f["properties"]["s"],
                                                     f["properties"]["plan"])
        stack += list(element._children.values())
    assert keys["Alsfeld"][0] == "invalid" and "Regel" in keys["Alsfeld"][1]
    assert keys["Feldatal"][0].startswith("c") and "vereinbart" in keys["Feldatal"][1]
    assert keys["Romrod"][0] == "declined"
    for row in ("vereinbart (1)", "im Gespräch (1)", "verstößt gegen eine Regel (1)",
                "nimmt nicht teil (1)"):
        assert row in html


def test_plan_check_writes_the_map_of_the_document(tmp_path, monkeypatch):
    from wirgeo.cli import main

    path = tmp_path / "plan.csv"
    path.write_text("verbund,ags,status\nNord,06535003,agreed\nNord,06535001,agreed\n"
                    ",06535014,declined\n", encoding="utf-8")
    assert main(["plan", "check", str(path), "--map", str(tmp_path / "plan.html")]) == 0
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "verstößt gegen eine Regel (1)" in html and "nimmt nicht teil (1)" in html


def test_the_document_is_checked_again_when_the_rules_change(planner):
    editor = planner.editor
    editor.start()
    assert len(editor.check.invalid) == 0
    planner.controls["max_members"].value = 2
    try:
        assert editor.check.rules.max_members == 2
        bad = editor.check.invalid
        assert len(bad) > 0 and set(bad["rules_failed"]) == {("too_many_members",)}
        assert planner.live_map.plan["legend"][-1]["label"].startswith(
            "verstößt gegen eine Regel")
    finally:
        planner.controls["max_members"].value = 3
    assert len(editor.check.invalid) == 0
