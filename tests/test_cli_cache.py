"""A repeated command answers from the result cache, byte for byte what a fresh run writes;
`wirgeo data cache` shows and clears the cache; `--no-cache` bypasses it."""

from __future__ import annotations

import pytest

from wirgeo.planning import cache

# Small questions where the command allows them (a plan only within the Vogelsbergkreis is
# solved in milliseconds; with its flexibility); the map shows the statewide plan.
WITHIN = ["--kreis", "Vogelsbergkreis", "--plan-within-kreis"]
COMMANDS = {
    "consortia": ["consortia", *WITHIN, "--out", "{dir}/plan.xlsx",
                  "--members", "{dir}/members.csv"],
    "partners": ["partners", "Freiensteinau", *WITHIN, "--out", "{dir}/partners.csv"],
    "map": ["map", "--kreis", "Vogelsbergkreis", "--no-flexibility", "--out",
            "{dir}/map.html"],
}
# The dossier asks the same statewide run as the map (PlanningRequest.run); its bytes from
# one run to the next: tests/test_dossier.py.


@pytest.fixture
def results(tmp_path, monkeypatch):
    folder = tmp_path / "results"
    monkeypatch.setattr(cache, "results_dir", lambda: folder)
    return folder


@pytest.mark.parametrize("command", list(COMMANDS))
def test_repeated_command_gives_byte_identical_files_from_the_cache(
        run_cli, tmp_path, results, monkeypatch, command):
    runs = {}
    for name, extra in (("fresh", ["--no-cache"]), ("first", []), ("again", [])):
        folder = tmp_path / name
        folder.mkdir()
        if name == "again":  # nothing may be computed: the answer comes from the cache
            monkeypatch.setattr(cache, "_plan", _refuse)
            monkeypatch.setattr(cache, "plan_flexibility", _refuse)
        code, out, err = run_cli(*[a.format(dir=folder) for a in COMMANDS[command]], *extra)
        assert code == 0, err
        if name == "fresh":
            assert not results.exists()    # --no-cache neither reads nor writes
        runs[name] = ({p.name: p.read_bytes() for p in sorted(folder.iterdir())},
                      out.replace(str(folder), "DIR"))
    assert results.is_dir()
    assert runs["fresh"] == runs["first"] == runs["again"]
    assert runs["fresh"][0]      # files were written


def _refuse(*args, **kwargs):
    raise AssertionError("computed again instead of read from the cache")


def test_data_cache_shows_and_clears(run_cli, tmp_path, setting):
    setting(geo=tmp_path / "geo")
    code, out, _ = run_cli("data", "cache", "--lang", "en")
    assert code == 0 and out.startswith(f"cache: {tmp_path / 'geo' / 'cache'} (0.0 MB: —)")
    assert run_cli("consortia", "--kreis", "Fulda", "--plan-within-kreis",
                   "--out", tmp_path / "c.csv")[0] == 0
    code, out, _ = run_cli("data", "cache")
    assert code == 0 and "Zwischenspeicher:" in out
    assert "aufbereitete Daten 1" in out and "Pläne 1" in out and "Nachbarschaften 1" in out
    code, out, _ = run_cli("data", "cache", "--clear", "--lang", "en")
    assert code == 0 and out.startswith("cache emptied: ") and "plans 1" in out
    assert not (tmp_path / "geo" / "cache").exists()
