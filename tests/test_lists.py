"""Issue 20, item 5: lists are tuples of str in the library's tables, ";"-joined only in files.

On the real Hessen data: the statewide plan and the Vogelsbergkreis with its flexibility,
partners and plan document. A library table never carries a ";"-joined list; every file
writer joins them in one place (wirgeo.core.lists), so the files read as before.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from hostile import TRAP

from wirgeo.core.lists import joined_lists, list_columns, list_text, split_list, with_lists
from wirgeo.exports import write_table
from wirgeo.planning import PlanningRequest, new_negotiation
from wirgeo.planning.negotiation import NegotiationBasis
from wirgeo.sources.negotiation import Negotiation

#: The list columns of each table, as documented.
CONSORTIA = ("member_ags", "member_names", "kreis_ags", "kreis_names", "linked_via_ags",
             "linked_via_names")
CANDIDATES = ("member_ags", "member_names", "kreis_names")


@pytest.fixture(scope="module")
def vogelsberg(municipalities):
    return PlanningRequest(kreise=("Vogelsbergkreis",), flexibility=True).run(municipalities)


def _assert_lists_are_tuples(table: pd.DataFrame, columns, name: str) -> None:
    """``columns`` hold tuples of str; no text cell anywhere is a ";"-joined list."""
    for column in columns:
        cells = [v for v in table[column] if not (isinstance(v, float) and pd.isna(v))]
        assert cells, (name, column)
        assert all(isinstance(v, tuple) and all(isinstance(a, str) for a in v)
                   for v in cells), (name, column)
    for column in table.columns:
        if table[column].dtype == object and column != "geometry":
            joined = [v for v in table[column] if isinstance(v, str) and ";" in v]
            assert not joined, (name, column, joined[:3])


def test_plan_tables_hold_tuples_statewide_and_in_a_kreis(planning, vogelsberg):
    for run, where in ((planning, "Hessen"), (vogelsberg, "Vogelsbergkreis")):
        plan = run.plan
        _assert_lists_are_tuples(plan.consortia, CONSORTIA, f"{where} consortia")
        _assert_lists_are_tuples(plan.candidates, CANDIDATES, f"{where} candidates")
        # the tuple column and the long table say the same, Verbund by Verbund
        assert dict(zip(plan.consortia["consortium_id"], plan.consortia["member_ags"],
                        strict=True)) == plan.member_lists()
    assert len(planning.plan.consortia) == 92
    # one Verbund statewide meets only across an uninhabited area: its link is a tuple too
    linked = planning.plan.consortia[planning.plan.consortia["linked_via_ags"].map(len) > 0]
    assert len(linked) >= 1 and all(len(v) >= 1 for v in linked["linked_via_names"])


def test_flexibility_partner_and_document_tables_hold_tuples(vogelsberg, municipalities):
    flex = vogelsberg.flexibility()
    _assert_lists_are_tuples(flex.consortia, ("member_ags", "member_names"),
                             "flexibility consortia")
    # the alternatives: a tuple of groups, each a tuple of names
    assert flex.consortia["alternatives"].map(len).sum() > 0
    assert all(isinstance(a, tuple) and all(isinstance(g, tuple) for g in a)
               for a in flex.consortia["alternatives"])
    _assert_lists_are_tuples(flex.alternatives, ("member_ags", "alternative_ags",
                                                 "alternative_names", "shared_ags"),
                             "alternatives")
    _assert_lists_are_tuples(flex.candidates, ("member_ags", "member_names"), "candidates")
    _assert_lists_are_tuples(flex.members, ("partner_ags", "partner_names"), "members")
    partners = vogelsberg.partners("Schlitz")
    _assert_lists_are_tuples(partners, ("partners", "partner_ags", "member_ags",
                                        "member_names", "kreis_names", "blocked_by"),
                             "partners")
    basis = NegotiationBasis.of(municipalities, PlanningRequest(kreise=("Vogelsbergkreis",)))
    document = new_negotiation(vogelsberg)
    # the planners' edits: one Verbund agreed, one refused, Romrod moved (4 members break
    # the rules), a new pair leaving Hosenfeld alone, one Gemeinde out
    rows = document.rows[["verbund", "ags", "status"]].to_dict("records")
    first, second, third = sorted({str(r["verbund"]) for r in rows})[:3]
    moved = {"06535014": "V06535015-4831", "06535004": "Neu", "06535007": "Neu"}
    for r in rows:
        r["status"] = {first: "agreed", second: "rejected"}.get(r["verbund"], r["status"])
        r["verbund"] = moved.get(r["ags"], r["verbund"])
        if r["verbund"] == third and r["ags"] == "06535002":
            r["verbund"], r["status"] = "", "declined"
    edited = Negotiation.from_rows(rows)
    check = basis.check(edited)
    assert not check.verbuende["valid"].all()
    _assert_lists_are_tuples(check.verbuende, ("rules_failed", "member_ags", "member_names",
                                               "kreis_names"), "check")
    done = basis.complete(edited)
    assert len(done.costs) >= 3
    _assert_lists_are_tuples(done.costs, ("member_ags", "member_names"), "costs")
    changes = basis.compare(document, edited).verbuende
    groups = ("member_names_a", "member_names_b", "member_ags_a", "member_ags_b")
    for column in groups:
        assert all(isinstance(v, tuple) and all(isinstance(g, tuple) for g in v)
                   for v in changes[column]), column
    _assert_lists_are_tuples(changes, (), "comparison")


def test_files_hold_the_joined_form(vogelsberg, tmp_path):
    consortia = vogelsberg.plan.consortia
    read = pd.read_csv(write_table(consortia, tmp_path / "v.csv"), dtype=str,
                       keep_default_na=False)
    for column in CONSORTIA:
        assert read[column].tolist() == [";".join(v) for v in consortia[column]], column
    assert read["member_ags"].str.contains(";").all()
    gpkg = gpd.read_file(write_table(consortia, tmp_path / "v.gpkg"))
    assert gpkg["member_names"].tolist() == [";".join(v) for v in consortia["member_names"]]
    # a workbook is for people: the same list ", "-separated
    sheet = pd.read_excel(write_table(consortia, tmp_path / "v.xlsx"), dtype=str)
    assert sheet["Gemeinden"].tolist() == [", ".join(v) for v in consortia["member_names"]]
    # the flexibility's alternatives: groups " | "-separated, members ";"-joined
    flex = vogelsberg.flexibility().consortia
    text = pd.read_csv(write_table(flex, tmp_path / "f.csv"), dtype=str,
                       keep_default_na=False)["alternatives"]
    assert text.tolist() == [" | ".join(";".join(g) for g in a) for a in flex["alternatives"]]
    assert text.str.contains(r" \| ").any()


def test_a_file_form_table_draws_the_same_map(vogelsberg):
    from wirgeo import maps

    tables = maps.tables_of(vogelsberg)
    as_read = {**tables, "consortia": joined_lists(tables["consortia"])}
    assert isinstance(as_read["consortia"]["member_ags"].iloc[0], str)
    options = {"kreise": ["Vogelsbergkreis"], "tiles": None}
    first = maps.planning_map(vogelsberg.municipalities, **tables, **options)
    second = maps.planning_map(vogelsberg.municipalities, **as_read, **options)
    assert first.get_root().render() == second.get_root().render()


def test_joining_keeps_text_text(tmp_path):
    table = pd.DataFrame({
        "member_names": [(TRAP, "=HYPERLINK(\"x\")"), ("Schlitz",)],
        "rule_violations": [(), ()],  # not text: left to the wording, never joined here
        "note": ["a;b", None]})
    assert list_columns(table) == ["member_names", "rule_violations"]
    assert list_text((("A", "B"), ("C",))) == "A;B | C"
    written = pd.read_csv(write_table(table[["member_names", "note"]], tmp_path / "t.csv"),
                          dtype=str, keep_default_na=False)
    assert written["member_names"].tolist() == [f"{TRAP};=HYPERLINK(\"x\")", "Schlitz"]
    assert written["note"].tolist() == ["a;b", ""]  # text stays as it is
    # a cell that a spreadsheet would run still gets its apostrophe after joining
    first = pd.DataFrame({"member_names": [("=1+1", "B")]})
    assert pd.read_csv(write_table(first, tmp_path / "f.csv"), dtype=str)[
        "member_names"].iloc[0] == "'=1+1;B"
    assert split_list(" A{{ 7*7 }}B <b>x</b> ;B;") == ("A{{ 7*7 }}B <b>x</b>", "B")
    mixed = pd.DataFrame({"member_ags": [("06535003",), "06535005;06535013"]})
    assert with_lists(mixed, ["member_ags"])["member_ags"].tolist() == [
        ("06535003",), ("06535005", "06535013")]
    assert mixed["member_ags"].iloc[1] == "06535005;06535013"  # the input is not changed
