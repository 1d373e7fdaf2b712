"""`wirgeo eligibility`, `wirgeo summary` and the demo on the real data; bad curated rows
end in exit code 2 with one message and no file written."""

from __future__ import annotations

import csv
import re

import openpyxl
import pandas as pd

from wirgeo.core.paths import data_dir


def _copy_with(tmp_path, name, edit):
    with open(data_dir() / name, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    edit(rows)
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_eligibility_prints_counts_and_writes_the_table(tmp_path, run_cli):
    out = tmp_path / "eligibility.csv"
    code, stdout, stderr = run_cli("eligibility", "--out", out)
    assert code == 0, stderr
    # the classes in words (the codes are the table's): label, count, inhabitants, funded
    rows = {re.split(r"\s{2,}", line.strip())[0]: re.split(r"\s{2,}", line.strip())[1:]
            for line in stdout.splitlines() if line.startswith("  ")}
    assert rows["Einzelantrag möglich"] == ["163", "3.002.983", "12"]
    assert rows["nur im Verbund"][0] == "246"
    assert rows["eigenes Vielfaltszentrum"][0] == "12" and rows["unbewohnt"][0] == "4"
    assert rows["gesamt"][:2] == ["425", "6.420.729"]
    assert "verbund_needed" not in stdout and "eligible_single" not in stdout
    assert "WIR-Vielfaltszentren: 33" in stdout and "24–27" in stdout
    assert "Einzelantrag möglich" in stdout and "nur im Verbund" in stdout
    code, english, _ = run_cli("eligibility", "--lang", "en")
    assert "6,420,729" in english and "can apply alone" in english
    table = pd.read_csv(out, dtype={"ags": str, "kreis_ags": str})
    assert len(table) == 425 and "geometry" not in table
    assert (table.eligibility == "eligible_single").sum() == 163
    assert table.loc[table.ags == "06432023", "funded_round"].item() == "KIV II"
    assert "8 knapp unter 10.000, 9 knapp über 10.000" in stdout
    assert "9 just above 10,000, 8 just below 10,000" in english
    near = table.set_index("name").near_threshold_label.fillna("")
    assert near["Birkenau"] == "knapp unter 10.000" and (near != "").sum() == 17


def test_eligibility_scenario_and_geo_output(tmp_path, run_cli):
    out = tmp_path / "eligibility.gpkg"
    code, stdout, stderr = run_cli("eligibility", "--scenario", "band_10k_30k", "--out", out)
    assert code == 0, stderr
    assert "band_10k_30k" in stdout
    large = next(line for line in stdout.splitlines() if "zu groß für KIV" in line)
    assert re.split(r"\s{2,}", large.strip())[1] == "18"
    import geopandas as gpd

    frame = gpd.read_file(out)
    assert len(frame) == 425 and frame.crs.to_epsg() == 25832


def test_bad_curated_rows_exit_2_and_write_nothing(english, tmp_path, run_cli):
    out = tmp_path / "result"
    cases = [
        ("wir_centres.csv", "--centres", lambda rows: rows.append(dict(rows[3])),
         "appears more than once"),
        ("wir_centres.csv", "--centres", lambda rows: rows[0].update(host_ags="06499"),
         "06499 is not in the data"),
        ("kiv_grantees.csv", "--grantees", lambda rows: rows[2].update(source_url=""),
         "column 'source_url'"),
        ("kiv_grantees.csv", "--grantees", lambda rows: rows[0].update(ags="06439099"),
         "06439099"),
    ]
    for name, option, edit, message in cases:
        path = _copy_with(tmp_path, name, edit)
        for command, target in (("eligibility", out / "e.csv"),
                                ("summary", out / "summary.xlsx"),
                                ("demo", None)):
            args = [command, option, path]
            args += ["--out", target] if target else ["--out-dir", out]
            code, stdout, stderr = run_cli(*args)
            assert code == 2, (command, stdout, stderr)
            assert message in stderr and str(path) in stderr and "row " in stderr
            assert "Traceback" not in stderr
            assert not out.exists(), (command, list(out.rglob("*")))


def test_summary_rejects_other_extensions(tmp_path, run_cli):
    code, stdout, stderr = run_cli("summary", "--out", tmp_path / "summary.csv")
    assert code == 2 and ".xlsx" in stderr
    assert list(tmp_path.iterdir()) == []


def test_summary_and_demo_write_the_workbook(tmp_path, run_cli):
    code, stdout, stderr = run_cli("summary", "--out", tmp_path / "summary.xlsx")
    assert code == 0, stderr
    code, stdout, stderr = run_cli("demo", "--out-dir", tmp_path / "out")
    assert code == 0, stderr
    demo = tmp_path / "out" / "summary.xlsx"
    assert demo.is_file() and (tmp_path / "out" / "municipalities.gpkg").is_file()
    assert demo.read_bytes() == (tmp_path / "summary.xlsx").read_bytes()
    book = openpyxl.load_workbook(demo, read_only=True)
    assert "Kreise" in book.sheetnames and "Quellen" in book.sheetnames
    assert "Lauf" in book.sheetnames
    book.close()


def test_summary_states_the_scenario_and_its_band(tmp_path, run_cli):
    out = tmp_path / "band.xlsx"
    code, stdout, stderr = run_cli("summary", "--scenario", "band_10k_30k", "--out", out)
    assert code == 0, stderr
    run = pd.read_excel(out, sheet_name="Lauf", dtype=str).set_index("Angabe")["Wert"]
    assert run["Szenario"] == "band_10k_30k" and run["Regelsatz"] == "band_10k_30k"
    assert run["Einzelantrag"] == "10.000–30.000 Einwohner"
    sources = pd.read_excel(out, sheet_name="Quellen", dtype=str).set_index("Angabe")["Wert"]
    assert "Regeln 'band_10k_30k'" in sources["KIV-Regeln"] and "30.000" in sources["KIV-Regeln"]
    default = tmp_path / "default.xlsx"
    assert run_cli("summary", "--out", default)[0] == 0
    assert default.read_bytes() != out.read_bytes()


def test_eligibility_and_summary_take_kreis_with_the_one_resolver(tmp_path, run_cli):
    """`--kreis Vogelsberg` (without "kreis") in eligibility and summary (issue 25, item 7)."""
    code, out, err = run_cli("eligibility", "--kreis", "Vogelsberg", "--out", tmp_path / "e.csv")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "e.csv", dtype={"kreis_ags": str})
    assert len(table) == 19 and set(table["kreis_ags"]) == {"06535"}
    code, out, err = run_cli("summary", "--kreis", "Vogelsberg", "Fulda",
                             "--out", tmp_path / "s.xlsx")
    assert code == 0, err
    kreise = pd.read_excel(tmp_path / "s.xlsx", sheet_name="Kreise", dtype=str)
    assert list(kreise["Kreis"]) == ["Vogelsbergkreis", "Landkreis Fulda",
                                     "Hessen: nur die gewählten Kreise"]
    gemeinden = pd.read_excel(tmp_path / "s.xlsx", sheet_name="Gemeinden", dtype=str)
    assert len(gemeinden) == 19 + 23
    code, _, err = run_cli("eligibility", "--kreis", "Vogelsburg")
    assert code == 2 and "Vogelsbergkreis" in err
