"""`wirgeo consortia`, `wirgeo partners` and the demo's consortium files."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg", ".xlsx"])
def test_formats_by_extension_byte_identical_every_run(run_cli, tmp_path, suffix):
    out, again = tmp_path / "a" / f"plan{suffix}", tmp_path / "b" / f"plan{suffix}"
    for path in (out, again):
        path.parent.mkdir()
        code, stdout, err = run_cli("consortia", "--kreis", "Werra-Meißner-Kreis",
                                    "--out", path)
        assert code == 0, err
    # a view of the statewide plan, said so
    assert stdout.startswith("Werra-Meißner-Kreis: ") and "(optimal)" in stdout
    assert "Ausschnitt des landesweiten Plans" in stdout
    # the same bytes (a GeoJSON once named its staging file inside)
    assert out.read_bytes() == again.read_bytes()
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(out, read_only=True)
        # the plan workbook the command line shares with the planner's Excel export
        assert book.sheetnames == ["Verbünde", "Gemeinden", "Ohne Verbund", "Lauf"]
    elif suffix != ".csv":
        frame = gpd.read_file(out)
        assert len(frame) > 0 and frame.geometry.is_valid.all()
    else:
        assert pd.read_csv(out, dtype=str)["member_ags"].str.contains(";").any()


def test_rule_flags_reach_the_plan(run_cli, tmp_path):
    out = tmp_path / "two.csv"
    code, stdout, err = run_cli("consortia", "--max-members", "2", "--same-kreis",
                                "--min-population", "11000", "--mutual", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out)
    assert (table.n_members == 2).all() and table.same_kreis.all()
    assert (table.population >= 11_000).all()


def test_lock_and_exclude_by_name(run_cli, tmp_path):
    out, members = tmp_path / "c.csv", tmp_path / "m.csv"
    code, stdout, err = run_cli("consortia", "--lock", "Calden,Grebenstein",
                                "--exclude", "Trendelburg", "--no-flexibility", "--out", out,
                                "--members", members)
    assert code == 0, err
    table = pd.read_csv(out)
    assert table.loc[table.locked, "member_names"].tolist() == ["Calden;Grebenstein"]
    rows = pd.read_csv(members).set_index("name")
    assert rows.at["Trendelburg", "reason_code"] == "excluded_by_rule"


@pytest.mark.parametrize("args, message", [
    (["--kreis", "Vogelsburg"], "did you mean Vogelsbergkreis (06535)"),
    (["--min-members", "3", "--max-members", "2"], "min_members (3) is larger"),
    (["--min-population", "-5"], "combined_min is negative"),
    (["--lock", "Reinhardshagen,Wesertl"], "did you mean Wesertal (06633030)"),
    (["--exclude", "06999999"], "AGS 06999999 is not in the municipality table"),
    (["--time-limit", "0"], "must be a positive number of seconds"),
    (["--scenario", "nope"], "no scenario 'nope'"),
])
def test_bad_input_exits_2_without_output(english, run_cli, tmp_path, args, message):
    out = tmp_path / "c.csv"
    code, stdout, err = run_cli("consortia", *args, "--out", out)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_format_is_refused_before_work(english, run_cli, tmp_path):
    code, _, err = run_cli("consortia", "--out", tmp_path / "c.txt")
    assert code == 2 and "unknown output format" in err


def test_partners(run_cli, tmp_path):
    out = tmp_path / "p.csv"
    code, stdout, err = run_cli("partners", "Reinhardshagen", "--out", out)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0].startswith("Reinhardshagen (06633022): Im Verbund V")
    assert "gemeinsame Grenze 15,9 km" in stdout  # German distances
    assert sum(line.startswith("*") for line in lines) == 1
    assert len(pd.read_csv(out)) == 17
    code, _, err = run_cli("partners", "Reinhardshagn")
    assert code == 2 and "Reinhardshagen (06633022)" in err
    code, stdout, _ = run_cli("partners", "Wiesbaden")
    assert code == 0 and "kein möglicher Verbund" in stdout and "kein KIV-Antragsteller" in stdout
    code, stdout, _ = run_cli("partners", "Wiesbaden", "--lang", "en")
    assert "no feasible consortium" in stdout and "not a KIV applicant" in stdout


def test_partners_of_freiensteinau_planned_first_then_the_optimum_then_the_rest(run_cli):
    """The planned Verbund first, then the groups that keep the optimum, then the rest;
    "belegt durch" names Verbünde by their members, never by id, never its own."""
    code, stdout, err = run_cli("partners", "Freiensteinau")
    assert code == 0, err
    rows = [line for line in stdout.splitlines() if line[:1] in "*+ " and line[1:5].strip()]
    marks = "".join(line[0] for line in rows)
    assert marks[0] == "*" and re.fullmatch(r"\*\+* *", marks), marks
    assert [int(line[1:5]) for line in rows] == list(range(1, len(rows) + 1))
    assert "Grebenhain, Hosenfeld" in rows[0]  # its Verbund in the plan
    taken = " ".join(re.findall(r"\[belegt durch ([^\]]+)\]", stdout))
    assert taken and "Birstein – Brachttal" in taken
    assert not re.search(r"V\d{8}-", taken)
    assert "Hosenfeld – Freiensteinau – Grebenhain" not in taken  # its own Verbund
    # the risk said where the partners are chosen: Schlitz is 13 below the line
    code, stdout, err = run_cli("partners", "Grebenau")
    assert code == 0, err
    first = [line for line in stdout.splitlines() if line.startswith("*")][0]
    assert "[knapp an einer Schwelle: Schlitz (knapp unter 10.000)]" in first
    code, stdout, err = run_cli("partners", "Schlitz")
    assert "Schlitz liegt knapp an einer Schwelle (knapp unter 10.000)" in stdout


def test_partners_cross_kreis_borders_and_name_everyone(run_cli):
    # planned only within Vogelsbergkreis, Freiensteinau still sees its partners next door
    code, stdout, err = run_cli("partners", "Freiensteinau", "--kreis", "Vogelsbergkreis",
                                "--plan-within-kreis")
    assert code == 0, err
    assert "10 mögliche Verbünde" in stdout
    code, stdout, err = run_cli("partners", "Reinhardshagen", "--kreis", "Landkreis Kassel",
                                "--plan-within-kreis")
    assert code == 0, err
    assert "17 mögliche Verbünde" in stdout
    partners = [m.group(1) for line in stdout.splitlines()
                if (m := re.match(r"[*+ ]\s*\d+  (.+?)  \(", line))]
    assert len(partners) == 17 and any("Wesertal" in p for p in partners)
    assert not any(re.search(r"\d{8}", p) for p in partners)  # names, not AGS


def test_demo_writes_consortia_and_unplaced(run_cli, tmp_path):
    code, stdout, err = run_cli("demo", "--out-dir", tmp_path)
    assert code == 0, err
    assert "228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)" in stdout
    assert "Flexibilität: 92 Verbünde: 8 fest, 84 flexibel; höchstens 228" in stdout
    consortia = pd.read_csv(tmp_path / "consortia.csv", dtype={"member_ags": str})
    unplaced = pd.read_csv(tmp_path / "unplaced.csv")
    assert len(consortia) == 92 and len(unplaced) == 18
    assert unplaced.reason.notna().all() and unplaced.reason_code.notna().all()
    # firm: in every best plan, no alternatives; flexible: at least one alternative
    assert consortia.flexibility.value_counts().to_dict() == {"flexible": 84, "firm": 8}
    firm = consortia.flexibility == "firm"
    assert "firm" not in consortia  # one code per fact: flexibility says it
    assert (consortia.n_alternatives[firm] == 0).all()
    assert (consortia.n_alternatives[~firm] > 0).all()
    # the workbook for people says it in German, with the alternatives by name
    sheet = pd.read_excel(tmp_path / "plan.xlsx", sheet_name="Verbünde")
    assert set(sheet["fest oder flexibel"]) == {"fest: in jedem besten Plan",
                                                "flexibel: Alternativen ohne Verlust"}
    alternatives = sheet.loc[sheet["fest oder flexibel"].str.startswith("flexibel"),
                             "Alternativen ohne Verlust (je Verbund: Gemeinden)"]
    assert alternatives.str.contains(", ").all() and not alternatives.str.contains(";").any()
    members = pd.read_excel(tmp_path / "plan.xlsx", sheet_name="Gemeinden")
    assert {"in jedem besten Plan im Verbund", "in manchen besten Plänen im Verbund",
            "in keinem besten Plan im Verbund"} <= set(members["in den besten Plänen"])


def test_partners_say_which_groups_keep_the_optimum(run_cli, tmp_path):
    code, stdout, err = run_cli("partners", "Freiensteinau", "--out", tmp_path / "p.csv")
    assert code == 0, err
    assert "+ = in einem anderen besten Plan, erhält das Optimum" in stdout
    table = pd.read_csv(tmp_path / "p.csv")
    assert len(table) == 10 and table.keeps_optimum.sum() == 7
    assert table.loc[table.in_plan, "keeps_optimum"].all()   # the plan is a best plan
    marked = [line for line in stdout.splitlines() if re.match(r"\+\s*\d+  ", line)]
    assert len(marked) == 6
    code, stdout, err = run_cli("partners", "Freiensteinau", "--no-flexibility")
    assert code == 0, err
    assert "erhält das Optimum" not in stdout


def test_every_kreis_is_a_view_of_the_statewide_plan(planning, run_cli, tmp_path):
    """A Kreis selection shows exactly the statewide Verbünde with a member in the Kreis:
    in the library for all 26 Kreise (``Planning.view``), and once through the command."""
    memberships = planning.plan.memberships
    kreise = planning.municipalities.drop_duplicates("kreis_ags")[["kreis_ags", "kreis_name"]]
    assert len(kreise) == 26
    for key, name in kreise.itertuples(index=False):
        view = planning.view(name)
        expected = set(memberships.loc[memberships["ags"].str[:5] == key, "consortium_id"])
        assert set(view.consortia["consortium_id"]) == expected, name
        assert view.plan is planning.plan, name          # the same Verbünde, ids, reasons
    statewide = planning.consortia.set_index("consortium_id")
    out = tmp_path / "vogelsberg.csv"
    code, stdout, err = run_cli("consortia", "--kreis", "Vogelsbergkreis", "--no-flexibility",
                                "--out", out)
    assert code == 0, err
    shown = pd.read_csv(out, dtype=str).set_index("consortium_id")
    assert set(shown.index) == set(planning.view("Vogelsbergkreis").consortia["consortium_id"])
    assert (shown["population"].astype(int) == statewide.loc[shown.index, "population"]).all()


def test_plan_within_a_kreis_is_said_so(run_cli, tmp_path):
    out = tmp_path / "p.xlsx"
    code, stdout, err = run_cli("consortia", "--kreis", "Vogelsbergkreis",
                                "--plan-within-kreis", "--out", out)
    assert code == 0, err
    assert "nur innerhalb dieser Kreise geplant" in stdout
    run = pd.read_excel(out, sheet_name="Lauf", dtype=str).set_index("Angabe")["Wert"]
    assert run["Umfang"] == "nur innerhalb dieser Kreise geplant: Vogelsbergkreis"


def test_every_export_records_its_run(run_cli, tmp_path):
    """Overrides, locks and exclusions appear in every workbook, the map and run.json."""
    default, changed = tmp_path / "default", tmp_path / "changed"
    assert run_cli("demo", "--out-dir", default)[0] == 0
    code, stdout, err = run_cli("demo", "--out-dir", changed, "--no-flexibility",
                                "--max-members", "2",
                                "--min-population", "12000", "--lock", "Calden,Grebenstein",
                                "--exclude", "Trendelburg")
    assert code == 0, err
    for name in ("summary.xlsx", "plan.xlsx"):
        assert (default / name).read_bytes() != (changed / name).read_bytes(), name
        run = pd.read_excel(changed / name, sheet_name="Lauf", dtype=str).set_index(
            "Angabe")["Wert"]
        assert "max_members = 2" in run["Geänderte Regeln"], name
        assert "combined_min = 12000" in run["Geänderte Regeln"], name
        assert "Trendelburg" in run["Ausgeschlossen"], name
        assert "Calden" in run["Festgelegte Verbünde"], name
    page = (changed / "hessen_planning_map.html").read_text(encoding="utf-8")
    assert "max_members = 2" in page and "Trendelburg" in page and "Calden (06633005)" in page
    record = json.loads((changed / "run.json").read_text(encoding="utf-8"))
    assert record["overrides"] == {"max_members": 2, "combined_min": 12000}
    assert record["exclude"] == [["06633025", "Trendelburg"]]
    # the figures for scripts, and the sentences as the workbooks say them
    summary = record["summary_figures"]["whole"]
    assert record["summary"].startswith(f"{summary['covered']} von {summary['small']} ")
    assert record["data_source_code"] == "official files"
    assert record["data_source"].startswith("Daten: amtliche Quelldateien")
    assert "plan.xlsx" in (changed / "README.txt").read_text(encoding="utf-8")
