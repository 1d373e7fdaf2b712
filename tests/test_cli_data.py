"""`wirgeo data check` and `wirgeo demo` on the real data; bad input exits 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest


def test_data_check_prints_the_hessen_report(run_cli, shared_raw):
    code, out, err = run_cli("data", "check", "--source", shared_raw)
    assert code == 0, err
    for figure in ("421 + 4 gemeindefreie Gebiete", "Kreise                    26",
                   "Einwohner insgesamt       6.420.729", "Gebietsänderungen         3 angewandt",
                   "Grenzen ohne Einwohner    0", "Einwohner ohne Grenze     0",
                   "unter 10.000 Einwohnern 246", "Stand 31.12.2023"):
        assert figure in out, figure
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--lang", "en")
    for figure in ("population total          6,420,729", "territorial changes       3 applied",
                   "boundaries w/o population 0", "under 10,000 inhabitants 246",
                   "as of 31 Dec 2023"):
        assert figure in out, figure


def test_data_check_writes_the_joined_table(run_cli, shared_raw, tmp_path):
    target = tmp_path / "gemeinden.gpkg"
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--out", target)
    assert code == 0, err
    back = gpd.read_file(target)
    assert len(back) == 425 and back["ags"].str.len().eq(8).all()
    assert int(back["population"].sum()) == 6_420_729
    assert back.crs.to_epsg() == 25832
    assert [p.name for p in tmp_path.iterdir()] == ["gemeinden.gpkg"]  # no temp files left


def test_duplicate_ags_in_population_csv_exits_2(english, run_cli, shared_raw, tmp_path,
                                                 municipalities):
    pop = municipalities[["ags", "population"]].assign(date="2024-12-31")
    rows = pop.to_csv(index=False).splitlines()
    rows.append(rows[7])  # a second row for the same AGS
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(rows) + "\n")
    target = tmp_path / "joined.gpkg"
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--population", path,
                             "--out", target)
    ags = rows[7].split(",")[0]
    assert code == 2
    assert f"AGS {ags} appears 2 times" in err and "dup.csv" in err and "Fix:" in err
    assert "Traceback" not in err
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["dup.csv"]


def test_missing_sources_exit_2_and_name_files(run_cli, tmp_path):
    code, out, err = run_cli("data", "check", "--source", tmp_path / "empty")
    assert code == 2
    assert "vg250_gem" in err and "Auszug_GV.xlsx" in err and "wirgeo data download" in err


def test_unknown_output_format_is_refused_before_work(english, run_cli, shared_raw, tmp_path):
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--out",
                             tmp_path / "x.shp")
    assert code == 2 and "unknown output format '.shp'" in err


def test_explore_option_for_unmatched_state(run_cli, shared_raw):
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--state", "07")
    assert code == 2 and "07132074 Neitersen" in err
    code, out, err = run_cli("data", "check", "--source", shared_raw, "--state", "07",
                             "--allow-unmatched")
    assert code == 0 and "PROBLEME" in out and "Erkundungsmodus" in out


def test_cli_process_has_no_traceback(tmp_path):
    """The real console entry point, in its own process."""
    bad = tmp_path / "pop.csv"
    bad.write_text("ags,population,date\n06411000,-1,2024-12-31\n")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("WIRGEO_LANG", None)  # German, the default
    result = subprocess.run([sys.executable, "-m", "wirgeo.cli", "data", "check",
                             "--population", bad], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 2
    assert result.stderr.startswith("wirgeo: Fehler: ")
    assert "Einwohnerzahl -1 ist negativ" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--version"], ["data", "check", "--help"]])
def test_help_and_version(args):
    from wirgeo.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0


def test_demo_prints_the_check_and_writes_every_result(run_cli, shared_raw, tmp_path):
    """The README's main job: data check, eligibility, plan, and the files in out/."""
    code, out, err = run_cli("demo", "--source", shared_raw, "--out-dir", tmp_path)
    assert code == 0, err
    assert "Ergebnis: OK" in out and "6.420.729" in out
    assert "(optimal)" in out and "nur im Verbund" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "README.txt", "consortia.csv", "hessen_planning_map.html", "municipalities.gpkg",
        "plan.xlsx", "run.json", "summary.xlsx", "unplaced.csv"]
    joined = gpd.read_file(tmp_path / "municipalities.gpkg")
    assert len(joined) == 425
    consortia = pd.read_csv(tmp_path / "consortia.csv", dtype=str)
    unplaced = pd.read_csv(tmp_path / "unplaced.csv", dtype=str)
    placed = {a for m in consortia["member_ags"] for a in m.split(";")}
    assert placed.isdisjoint(unplaced["ags"])
    assert unplaced["reason"].str.len().gt(0).all()
    assert (tmp_path / "hessen_planning_map.html").stat().st_size <= 1_500_000
