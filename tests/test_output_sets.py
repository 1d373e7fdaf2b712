"""Inputs are never overwritten; the demo's files are written all or nothing.

Reproduces the data-loss and left-behind examples of the reliability issue: an output that
names an input, two outputs of one run on one file, a demo whose last target cannot be
written, an interrupt during the workbook write, a closed stdout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from wirgeo.core.paths import data_dir
from wirgeo.exports import OUTPUT_FILES


@pytest.mark.parametrize("args", [
    ["eligibility", "--out", "{data}/kiv_grantees.csv"],
    ["eligibility", "--out", "{data}/../data/./kiv_grantees.csv"],  # another spelling
    ["consortia", "--out", "{tmp}/c.csv", "--members", "{tmp}/c.csv"],
    ["data", "check", "--population", "{tmp}/p.csv", "--out", "{tmp}/p.csv"],
    ["data", "check", "--boundaries", "{tmp}/b.gpkg", "--out", "{tmp}/b.gpkg"],
])
def test_an_output_never_overwrites_an_input(english, run_cli, tmp_path, shared_raw, args):
    shutil.copy(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg", tmp_path / "b.gpkg")
    (tmp_path / "p.csv").write_text("ags;population;date\n06411000;165000;2023-12-31\n",
                                    encoding="utf-8")
    before = {p: p.read_bytes() for p in [*data_dir().iterdir(), tmp_path / "p.csv",
                                          tmp_path / "b.gpkg"] if p.is_file()}
    argv = [a.format(data=data_dir(), tmp=tmp_path) for a in args]
    code, out, err = run_cli(*argv)
    assert code == 2 and "Traceback" not in err, err
    assert "would overwrite" in err or "also the run's output" in err, err
    for path, content in before.items():
        assert path.read_bytes() == content, path
    assert not (tmp_path / "c.csv").exists()


def test_a_symlink_to_an_input_is_caught(english, run_cli, tmp_path):
    link = tmp_path / "link.csv"
    os.symlink(data_dir() / "kiv_grantees.csv", link)
    before = (data_dir() / "kiv_grantees.csv").read_bytes()
    code, _, err = run_cli("eligibility", "--out", link)
    assert code == 2 and "curated tables" in err
    assert (data_dir() / "kiv_grantees.csv").read_bytes() == before


@pytest.fixture
def sources(tmp_path, shared_raw):
    """A source folder of our own (a copy of the Hessen files): tests may try to destroy it."""
    folder = tmp_path / "sources"
    for part in ("bkg/vg250_2016-01-01_hessen.gpkg", "destatis/31122023_Auszug_GV.xlsx"):
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_raw / part, folder / part)
    return folder


def _never_computed(monkeypatch):
    """Fail the test if the command starts loading or building anything."""
    import wirgeo.municipalities
    import wirgeo.planning.releases

    def refuse(*args, **kwargs):
        raise AssertionError("computed before the outputs were checked")

    monkeypatch.setattr(wirgeo.municipalities, "load", refuse)
    monkeypatch.setattr(wirgeo.municipalities, "build_bundle", refuse)
    monkeypatch.setattr(wirgeo.planning.releases, "compare_releases", refuse)


def _unchanged(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("args", [
    # issue 19: these overwrote the official GeoPackage and the new release ("geschrieben")
    ["data", "bundle", "--source", "{src}", "--out", "{src}/bkg/vg250_2016-01-01_hessen.gpkg"],
    ["data", "compare", "{tmp}/old.csv", "{tmp}/new.csv", "--out", "{tmp}/new.csv"],
    ["data", "compare", "{tmp}/old.csv", "{src}", "--source", "{src}", "--out",
     "{src}/destatis/31122023_Auszug_GV.xlsx"],
    ["eligibility", "--source", "{src}", "--out", "{src}/destatis/31122023_Auszug_GV.xlsx"],
    ["map", "--source", "{src}", "--rules", "{tmp}/rules.html", "--out", "{tmp}/rules.html"],
    ["consortia", "--source", "{src}", "--grantees", "{tmp}/g.csv", "--out", "{tmp}/g.csv"],
])
def test_no_command_overwrites_an_input_and_none_computes_first(run_cli, tmp_path, sources,
                                                                 monkeypatch, args):
    (tmp_path / "old.csv").write_text("ags;population;date\n06411000;165000;2023-12-31\n")
    (tmp_path / "new.csv").write_text("ags;population;date\n06411000;166000;2024-12-31\n")
    shutil.copy(data_dir() / "kiv_rules.toml", tmp_path / "rules.html")
    shutil.copy(data_dir() / "kiv_grantees.csv", tmp_path / "g.csv")
    before = _unchanged(tmp_path)
    _never_computed(monkeypatch)
    code, out, err = run_cli(*[a.format(src=sources, tmp=tmp_path) for a in args], "--lang",
                             "en")
    assert code == 2 and "Traceback" not in err, err
    assert "would overwrite an input" in err, err
    assert "geschrieben" not in out and "wrote" not in out
    assert _unchanged(tmp_path) == before


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "case", "dotdot"])
def test_every_spelling_of_an_input_is_caught(run_cli, tmp_path, kind):
    population = tmp_path / "p.csv"
    population.write_text("ags;population;date\n06411000;165000;2023-12-31\n")
    out = {"symlink": tmp_path / "link.csv", "hardlink": tmp_path / "hard.csv",
           "case": tmp_path / "P.CSV", "dotdot": tmp_path / "x" / ".." / "p.csv"}[kind]
    if kind == "symlink":
        os.symlink(population, out)
    elif kind == "hardlink":
        os.link(population, out)
    before = population.read_bytes()
    code, _, err = run_cli("data", "compare", population, population, "--out", out,
                           "--lang", "en")
    assert code == 2 and "would overwrite an input" in err and "Traceback" not in err, err
    assert population.read_bytes() == before


def test_a_library_writer_never_overwrites_what_was_read(tmp_path):
    """Every writer goes through the guard: a table written over a file read before."""
    from wirgeo.errors import InputError
    from wirgeo.exports import write_table
    from wirgeo.sources import read_population_csv

    path = tmp_path / "population.csv"
    path.write_text("ags;population;date\n06411000;165000;2023-12-31\n")
    table = read_population_csv(path).municipalities
    with pytest.raises(InputError, match="würde eine Eingabe des Laufs überschreiben"):
        write_table(table, path)
    with pytest.raises(InputError, match="würde eine Eingabe des Laufs überschreiben"):
        write_table(table, tmp_path / "POPULATION.csv")
    assert write_table(table, tmp_path / "copy.csv").is_file()


@pytest.fixture(scope="module")
def previous_set(tmp_path_factory, municipalities):
    """A complete demo output folder, the 'previous set' a failed run must not touch."""
    from wirgeo.cli import main

    out = tmp_path_factory.mktemp("out")
    assert main(["demo", "--out-dir", str(out)]) == 0
    return out


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_demo_whose_last_target_cannot_be_written_writes_nothing(run_cli, previous_set,
                                                                  tmp_path):
    out = tmp_path / "out"
    shutil.copytree(previous_set, out)
    before = _snapshot(out)
    os.remove(out / "README.txt")
    (out / "README.txt").mkdir()  # the last file of the set cannot be written
    before.pop("README.txt")
    code, _, err = run_cli("demo", "--out-dir", out, "--max-members", "2",
                           "--no-flexibility")
    assert code == 2 and "README.txt" in err and "Traceback" not in err
    assert _snapshot(out) == before  # the previous set, untouched
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_an_interrupt_during_the_workbook_leaves_the_previous_set(run_cli, previous_set,
                                                                  tmp_path, monkeypatch):
    from wirgeo.exports import outputs

    out = tmp_path / "out"
    shutil.copytree(previous_set, out)
    before = _snapshot(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_plan_workbook", interrupted)
    code, _, err = run_cli("demo", "--out-dir", out, "--max-members", "2",
                           "--no-flexibility")
    assert code == 130 and "Traceback" not in err
    assert _snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files


def test_a_stale_staging_folder_is_cleaned(run_cli, tmp_path):
    out = tmp_path / "out"
    stale = out / ".wirgeo-staging-killed"
    stale.mkdir(parents=True)
    (stale / "plan.xlsx").write_bytes(b"half")
    old = 7 * 3600
    os.utime(stale, (stale.stat().st_atime - old, stale.stat().st_mtime - old))
    assert run_cli("demo", "--out-dir", out, "--no-flexibility")[0] == 0
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def _dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_staging_folder_of_a_killed_run_goes_whatever_its_age(run_cli, tmp_path):
    # issue 19: a staging folder left by kill -9 stayed until 6 h later
    out = tmp_path / "out"
    killed = out / f".wirgeo-staging-{_dead_pid()}-abc"
    killed.mkdir(parents=True)
    (killed / "plan.xlsx").write_bytes(b"half")
    running = out / f".wirgeo-staging-{os.getpid()}-def"  # a run still at work: kept
    running.mkdir()
    assert run_cli("demo", "--out-dir", out, "--no-flexibility")[0] == 0
    assert not killed.exists() and running.is_dir()
    shutil.rmtree(running)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_kill_9_during_the_demo_leaves_nothing_after_the_next_run(tmp_path):
    import signal
    import time

    out = tmp_path / "out"
    demo = subprocess.Popen([sys.executable, "-m", "wirgeo.cli", "demo", "--out-dir",
                             str(out), "--no-flexibility"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not list(out.glob(".wirgeo-staging-*")) and demo.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    demo.send_signal(signal.SIGKILL)
    demo.wait()
    left = list(out.glob(".wirgeo-staging-*"))
    assert left and str(demo.pid) in left[0].name  # the folder names its process
    again = subprocess.run([sys.executable, "-m", "wirgeo.cli", "demo", "--out-dir",
                            str(out), "--no-flexibility"], capture_output=True, timeout=900)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_a_closed_stdout_does_not_stop_the_demo(tmp_path):
    """`wirgeo demo | head -1` writes every file and exits 0."""
    out = tmp_path / "out"
    demo = subprocess.Popen([sys.executable, "-m", "wirgeo.cli", "demo", "--out-dir", str(out),
                             "--no-flexibility"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert demo.stdout is not None
    demo.stdout.readline()
    demo.stdout.close()  # the reader goes away after one line
    _, err = demo.communicate(timeout=600)
    assert demo.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


def test_the_embedded_bundle_is_an_input_when_it_is_read(run_cli, tmp_path, monkeypatch,
                                                         setting):
    """Without official files the bundle is read: no output may overwrite it."""
    from wirgeo.sources import EMBEDDED_BUNDLES

    bundle = EMBEDDED_BUNDLES["06"]
    setting(source=None, geo=tmp_path / "geo")  # no geo/sources either
    before = bundle.read_bytes()
    _never_computed(monkeypatch)
    code, _, err = run_cli("eligibility", "--out", bundle, "--lang", "en")
    assert code == 2 and "would overwrite an input" in err and str(bundle) in err, err
    assert bundle.read_bytes() == before
