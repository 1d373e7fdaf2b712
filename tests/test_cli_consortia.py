"""`wirgeo consortia`, `wirgeo partners` and the demo's consortium files."""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".xlsx"])
def test_formats_by_extension(run_cli, tmp_path, suffix):
    out = tmp_path / f"plan{suffix}"
    code, stdout, err = run_cli("consortia", "--kreis", "Werra-Meißner-Kreis", "--out", out)
    assert code == 0, err
    assert stdout.startswith("covered ") and "(optimal)" in stdout
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(out, read_only=True)
        # the plan workbook the command line shares with the planner's Excel export
        assert book.sheetnames == ["Verbünde", "Gemeinden", "Regeln"]
    else:
        frame = gpd.read_file(out)
        assert len(frame) > 0 and frame.geometry.is_valid.all()


def test_rule_flags_reach_the_plan(run_cli, tmp_path):
    out = tmp_path / "two.csv"
    code, stdout, err = run_cli("consortia", "--max-members", "2", "--same-kreis",
                                "--min-population", "11000", "--mutual", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out)
    assert (table.n_members == 2).all() and table.same_kreis.all()
    assert (table.population >= 11_000).all()


def test_byte_identical_runs(run_cli, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run_cli("consortia", "--out", first)[0] == 0
    assert run_cli("consortia", "--out", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_lock_and_exclude_by_name(run_cli, tmp_path):
    out, members = tmp_path / "c.csv", tmp_path / "m.csv"
    code, stdout, err = run_cli("consortia", "--lock", "Calden,Grebenstein",
                                "--exclude", "Trendelburg", "--out", out,
                                "--members", members)
    assert code == 0, err
    table = pd.read_csv(out)
    assert table.loc[table.locked, "member_names"].tolist() == ["Calden;Grebenstein"]
    rows = pd.read_csv(members).set_index("name")
    assert rows.at["Trendelburg", "reason_code"] == "excluded_by_rule"


@pytest.mark.parametrize("args, message", [
    (["--kreis", "Vogelsberg"], "did you mean Vogelsbergkreis (06535)"),
    (["--min-members", "3", "--max-members", "2"], "min_members (3) is larger"),
    (["--min-population", "-5"], "combined_min is negative"),
    (["--lock", "Reinhardshagen,Wesertl"], "did you mean Wesertal (06633030)"),
    (["--exclude", "06999999"], "AGS 06999999 is not in the municipality table"),
    (["--time-limit", "0"], "must be positive"),
    (["--scenario", "nope"], "no scenario 'nope'"),
])
def test_bad_input_exits_2_without_output(run_cli, tmp_path, args, message):
    out = tmp_path / "c.csv"
    code, stdout, err = run_cli("consortia", *args, "--out", out)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_format_is_refused_before_work(run_cli, tmp_path):
    code, _, err = run_cli("consortia", "--out", tmp_path / "c.txt")
    assert code == 2 and "unknown output format" in err


def test_partners(run_cli, tmp_path):
    out = tmp_path / "p.csv"
    code, stdout, err = run_cli("partners", "Reinhardshagen", "--out", out)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0].startswith("Reinhardshagen (06633022): In consortium V")
    assert sum(line.startswith("*") for line in lines) == 1
    assert len(pd.read_csv(out)) == 17
    code, _, err = run_cli("partners", "Reinhardshagn")
    assert code == 2 and "Reinhardshagen (06633022)" in err
    code, stdout, _ = run_cli("partners", "Wiesbaden")
    assert code == 0 and "no feasible Verbund" in stdout and "not a KIV applicant" in stdout


def test_demo_writes_consortia_and_unplaced(run_cli, tmp_path):
    code, stdout, err = run_cli("demo", "--out-dir", tmp_path)
    assert code == 0, err
    assert "covered 228 of 246 small municipalities in 92 consortia (optimal)" in stdout
    consortia = pd.read_csv(tmp_path / "consortia.csv")
    unplaced = pd.read_csv(tmp_path / "unplaced.csv")
    assert len(consortia) == 92 and len(unplaced) == 18
    assert unplaced.reason.notna().all() and unplaced.reason_code.notna().all()
