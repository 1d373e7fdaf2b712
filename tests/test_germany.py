"""All of Germany as a command: several states in one dataset, the Destatis workbook parsed
once, the plan with its gap stated, a repeated run from the cache."""

from __future__ import annotations

import pandas as pd
import pytest

from wirgeo.errors import ArgumentError
from wirgeo.sources.states import resolve_states, state_key, state_name


def test_state_arguments():
    assert resolve_states(["de"]) == tuple(f"{i:02d}" for i in range(1, 17))
    assert resolve_states(["07", "06"]) == ("06", "07") == resolve_states("06+07")
    assert state_key(("07", "06")) == "06+07" and state_name("06+07") == "Hessen, Rheinland-Pfalz"
    with pytest.raises(ArgumentError, match="'17' ist kein deutsches Land"):
        resolve_states(["06", "17"])


def test_bad_state_option_is_one_clear_error(run_cli, tmp_path):
    code, out, err = run_cli("consortia", "--state", "06", "99", "--out", tmp_path / "x.csv")
    assert code == 2 and err.startswith("wirgeo: Fehler: --state: '99' ist kein deutsches Land")
    assert "Traceback" not in err


def test_two_states_in_one_dataset(shared_raw, monkeypatch):
    from wirgeo.municipalities import load

    hessen = load("06")
    both = load(["06", "10"], strict=False)   # Hessen and the Saarland, one GeoPackage
    assert both.report.state == "06+10"
    assert set(both.municipalities.state) == {"06", "10"}
    assert both.report.boundaries_file.endswith("deutschland.gpkg")
    assert both.municipalities.ags.is_unique
    part = both.municipalities[both.municipalities.state == "06"].reset_index(drop=True)
    pd.testing.assert_series_equal(part.population, hessen.municipalities.population)
    assert both.report.gemeinden == hessen.report.gemeinden + len(
        both.municipalities[(both.municipalities.state == "10")
                            & (both.municipalities.population > 0)])


def test_the_population_table_is_parsed_once(shared_raw, monkeypatch, tmp_path, setting):
    import importlib

    # the module, not the function of the same name the package exports
    load_module = importlib.import_module("wirgeo.municipalities.load")
    calls = []
    read = load_module.read_population
    monkeypatch.setattr(load_module, "read_population",
                        lambda path: calls.append(path) or read(path))
    monkeypatch.setattr(load_module, "_TABLES", {})
    setting(geo=tmp_path / "geo")
    load_module.load(["06", "10"], strict=False)
    assert len(calls) == 1                      # two states, one parse
    monkeypatch.setattr(load_module, "_TABLES", {})
    load_module.load(["06", "10"], strict=False, cache=True)
    assert len(calls) == 1                      # a new process would read it back too


def test_several_states_as_a_command(run_cli, tmp_path):
    """Hessen and the Saarland from the Germany file: one plan, no flexibility, the same
    bytes again (from the cache); the whole of Germany is the same path, 40 times larger
    (``test_germany_as_a_command``)."""
    first, again = tmp_path / "first.xlsx", tmp_path / "again.xlsx"
    code, out, err = run_cli("consortia", "--state", "06", "10", "--allow-unmatched",
                             "--out", first)
    assert code == 0, err
    summary = out.splitlines()[0]
    assert summary == "237 von 261 kleinen Gemeinden in 96 Verbünden (optimal)"
    assert "Flexibilität" not in out           # never for several states
    code, out2, err = run_cli("consortia", "--state", "06", "10", "--allow-unmatched",
                              "--out", again)
    assert code == 0 and out2.splitlines()[0] == summary
    assert first.read_bytes() == again.read_bytes()
    sheets = pd.read_excel(first, sheet_name=None, dtype=str)
    assert len(sheets["Verbünde"]) == 96
    assert set(sheets["Gemeinden"]["AGS"].str[:2]) == {"06", "10"}
    run = sheets["Lauf"].astype(str).to_string()
    assert summary in run and "deutschland.gpkg" in run


@pytest.mark.germany
@pytest.mark.whole_country  # make test-germany; the same path for two states is in make test
def test_germany_as_a_command(run_cli, tmp_path):
    first, again = tmp_path / "first.xlsx", tmp_path / "again.xlsx"
    code, out, err = run_cli("consortia", "--state", "de", "--allow-unmatched",
                             "--out", first)
    assert code == 0, err
    summary = out.splitlines()[0]
    # coverage proven optimal; the border tie-break either proven or its gap stated
    assert summary.startswith("3.605 von 9.077 kleinen Gemeinden in 1.263 Verbünden")
    assert summary.endswith("(optimal)") or (
        "bei gemeinsamer Grenze; Abdeckung bewiesen optimal)" in summary)
    assert "Flexibilität" not in out           # never for several states
    code, out2, err = run_cli("consortia", "--state", "de", "--allow-unmatched",
                              "--out", again)
    assert code == 0 and out2.splitlines()[0] == summary
    assert first.read_bytes() == again.read_bytes()
    sheets = pd.read_excel(first, sheet_name=None)
    assert len(sheets["Verbünde"]) == 1263
    run = sheets["Lauf"].astype(str).to_string()
    assert summary.split(" (")[0] in run       # the gap, or "optimal", on the output too
