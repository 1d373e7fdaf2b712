"""The result cache (wirgeo.planning.cache): invalidated by every input, survives damage,
answers byte-identically, on the real Hessen data."""

from __future__ import annotations

import json
import logging

import geopandas as gpd
import pandas as pd
import pytest

from wirgeo.planning import PlanningRequest, cache
from wirgeo.settings import settings
from wirgeo.wording import flexibility_summary, summary_line

# a small question on the real data: the Vogelsbergkreis planned on its own (solved in
# milliseconds), so that every variant below can be computed
BASE = {"kreise": ("Vogelsbergkreis",), "plan_within_kreise": True}


@pytest.fixture
def results(tmp_path, monkeypatch):
    """A private results folder (the data layers stay in the test session's cache).

    Tests that only compare keys share the module's folder (``kept_results``): the
    statewide contiguity and plans are computed there once.
    """
    folder = tmp_path / "results"
    monkeypatch.setattr(cache, "results_dir", lambda: folder)
    return folder


def _entries(folder, kind=""):
    return sorted(p.name for p in folder.glob(f"{kind}*") if ".tmp" not in p.name)


def _key(municipalities, **fields):
    return PlanningRequest(**{**BASE, **fields}).run(municipalities).cache_key


def _untimed(table):
    """A table without its clock times (two computations differ only in them)."""
    return table.drop(columns=[c for c in table.columns if c == "seconds"])


def _assert_same_plan(a, b, *, timed=False):
    """Equal tables and figures; with ``timed`` also the solver's clock times."""
    for table in ("consortia", "members", "candidates", "solver_log"):
        left, right = getattr(a, table), getattr(b, table)
        if not timed:
            left, right = _untimed(left), _untimed(right)
        pd.testing.assert_frame_equal(left, right, check_exact=True)
        assert type(left) is type(right) and left.attrs == right.attrs
        for column in left.columns:  # the same Python values, not only equal ones
            assert [type(v) for v in left[column]] == [type(v) for v in right[column]], column
    if isinstance(a.consortia, gpd.GeoDataFrame):
        assert a.consortia.crs == b.consortia.crs and a.members.crs == b.members.crs
    for field in ("status", "gap", "gap_level", "n_candidates", "rules", "n_small",
                  "n_covered", "coverage_bound", "kreise", "funded", "broken_locks"):
        assert getattr(a, field) == getattr(b, field), field


# ------------------------------------------------------------------ round trip

#: A statewide question with flexibility, a lock and an exclusion (computed once a module)
STATEWIDE = {"flexibility": True, "locks": (("Calden", "Grebenstein"),),
             "exclude": ("Trendelburg",)}


@pytest.fixture(scope="module")
def kept(municipalities, tmp_path_factory):
    """The statewide question computed once into a results folder of this module.

    What it returns was computed (and written); every later run of the same question
    reads the folder back.
    """
    folder = tmp_path_factory.mktemp("kept") / "results"
    with pytest.MonkeyPatch.context() as patch:   # only while computing: see kept_results
        patch.setattr(cache, "results_dir", lambda: folder)
        written = PlanningRequest(**STATEWIDE).run(municipalities)
        written.flexibility()
    return written, folder


@pytest.fixture
def kept_results(kept, monkeypatch):
    """The module's results folder for one test (another test may have used its own)."""
    written, folder = kept
    monkeypatch.setattr(cache, "results_dir", lambda: folder)
    return written


def test_plan_flexibility_and_contiguity_read_back_exactly(municipalities, kept_results):
    written = kept_results                         # computed, then kept
    assert _entries(cache.results_dir()) and written.cache_key
    read = PlanningRequest(**STATEWIDE).run(municipalities)   # read back
    _assert_same_plan(written.plan, read.plan, timed=True)
    assert (written.plan.seconds, written.flexibility().seconds) == (
        read.plan.seconds, read.flexibility().seconds)
    for table in ("consortia", "alternatives", "candidates", "members", "log"):
        pd.testing.assert_frame_equal(getattr(written.flexibility(), table),
                                      getattr(read.flexibility(), table), check_exact=True)
    assert flexibility_summary(read.flexibility()) == flexibility_summary(
        written.flexibility())
    from wirgeo.adjacency import contiguity

    direct = contiguity(municipalities)
    kept_ = cache.contiguity_of(municipalities)
    again = cache.contiguity_of(municipalities)
    for adjacency in (kept_, again):
        pd.testing.assert_frame_equal(adjacency.borders, direct.borders)
        assert adjacency.graph == direct.graph and adjacency.direct == direct.direct
        assert (adjacency.islands, adjacency.uninhabited, adjacency.names) == (
            direct.islands, direct.uninhabited, direct.names)


def test_without_the_cache_nothing_is_written_and_the_answer_is_the_same(
        municipalities, results):
    request = PlanningRequest(**BASE, flexibility=True)
    fresh = request.run(municipalities, cache=False)
    fresh.flexibility()
    assert not results.exists()                    # cache off: nothing written
    request.run(municipalities).flexibility()      # computes and keeps
    read = request.run(municipalities)             # reads back
    _assert_same_plan(fresh.plan, read.plan)
    for table in ("consortia", "alternatives", "candidates", "members", "log"):
        pd.testing.assert_frame_equal(_untimed(getattr(fresh.flexibility(), table)),
                                      _untimed(getattr(read.flexibility(), table)),
                                      check_exact=True)


def test_a_second_run_computes_nothing(municipalities, kept_results, monkeypatch):
    first = kept_results

    def refuse(*args, **kwargs):
        raise AssertionError("computed again instead of read from the cache")

    for name in ("_plan", "_contiguity", "plan_flexibility"):
        monkeypatch.setattr(cache, name, refuse)
    second = PlanningRequest(**STATEWIDE).run(municipalities)
    assert summary_line(second.summary()) == summary_line(first.summary())
    assert flexibility_summary(second.flexibility()) == flexibility_summary(first.flexibility())
    # a view of some Kreise and other programme tables ask the same statewide plan
    view = PlanningRequest(**STATEWIDE, kreise=("Fulda",)).run(municipalities)
    assert view.cache_key == first.cache_key
    with pytest.raises(AssertionError, match="computed again"):
        PlanningRequest(**STATEWIDE, overrides={"max_members": 2}).run(municipalities)


# ----------------------------------------------------------------- invalidation


@pytest.mark.parametrize("fields", [
    {"scenario": "band_10k_30k"}, {"overrides": {"combined_min": 9_000}},
    {"overrides": {"max_members": 2}}, {"overrides": {"same_kreis": True}},
    {"overrides": {"contiguity": "mutual"}}, {"overrides": {"allow_large_partner": True}},
    {"overrides": {"exclude_funded": False}}, {"exclude": ("Schotten",)},
    {"locks": (("Schotten", "Ulrichstein"),)}, {"kreise": ("Vogelsbergkreis", "Fulda")},
    {"plan_within_kreise": False}, {"time_limit": 60.0}, {"buffer": 5.0},
    {"link_via_uninhabited": False},
], ids=lambda f: ",".join(f))
def test_every_request_field_that_changes_the_answer_changes_the_key(
        municipalities, kept_results, fields):
    assert _key(municipalities, **fields) != _key(municipalities)


def test_the_rules_file_and_the_grantees_are_in_the_key(municipalities, kept_results, tmp_path):
    from wirgeo.core.paths import data_dir

    rules = (data_dir() / "kiv_rules.toml").read_text(encoding="utf-8")
    same, changed = tmp_path / "same.toml", tmp_path / "changed.toml"
    same.write_text(rules, encoding="utf-8")
    head, tail = rules.split("[rules.combined_min]")
    changed.write_text(head + "[rules.combined_min]" + tail.replace("value = 10000",
                                                                     "value = 11000", 1),
                       encoding="utf-8")
    base = _key(municipalities)
    assert _key(municipalities, rules_file=same) == base   # the rules, not the file name
    assert _key(municipalities, rules_file=changed) != base
    grantees = pd.read_csv(data_dir() / "kiv_grantees.csv", dtype=str)
    fewer = tmp_path / "grantees.csv"
    grantees.iloc[1:].to_csv(fewer, index=False)
    # the grantees decide who is left out as already funded
    assert PlanningRequest(grantees_file=fewer).run(municipalities).cache_key != \
        PlanningRequest().run(municipalities).cache_key


def test_the_data_is_in_the_key(municipalities, kept_results):
    base = _key(municipalities)
    ags = municipalities.loc[municipalities.name == "Schotten", "ags"].iloc[0]
    for column, change in (("population", lambda v: v + 1),
                           ("name", lambda v: v + " (Hessen)"),
                           ("geometry", lambda g: g.buffer(0.001))):
        edited = municipalities.copy()
        row = edited.index[edited.ags == ags][0]
        edited.at[row, column] = change(edited.at[row, column])
        assert _key(edited) != base, column
    shuffled = municipalities.sample(frac=1, random_state=1)
    assert _key(shuffled) == base        # the row order decides nothing


def test_the_version_and_the_code_are_in_the_key(municipalities, kept_results, monkeypatch):
    base = _key(municipalities)
    digest = cache.code_digest()
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert cache.code_digest.__wrapped__() != digest
    monkeypatch.setattr(cache, "code_digest", lambda: "9.9.9+0")
    assert _key(municipalities) != base


# ---------------------------------------------------------------------- damage


def _damage_truncate(folder):
    table = next(folder.glob("*.parquet"))
    table.write_bytes(table.read_bytes()[:100])


def _damage_manifest(folder):
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")


def _damage_foreign(folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["key"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _damage_missing(folder):
    next(folder.glob("*.parquet")).unlink()


def _damage_types(folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    schema = next(iter(manifest["tables"].values()))
    schema["rows"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_manifest, _damage_foreign,
                                    _damage_missing, _damage_types])
def test_a_damaged_or_foreign_entry_is_discarded_with_one_line(
        municipalities, results, caplog, damage):
    request = PlanningRequest(**BASE, flexibility=True)
    fresh = request.run(municipalities, cache=False)
    request.run(municipalities).flexibility()
    damaged = sorted(results.iterdir())
    assert [f.name.split("-")[0] for f in damaged] == ["contiguity", "flexibility", "plan"]
    for folder in damaged:
        damage(folder)
    with caplog.at_level(logging.WARNING, logger="wirgeo"):
        again = request.run(municipalities)
        again.flexibility()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    # one line per damaged entry, naming it
    assert sorted(w.split()[1] for w in warnings) == [str(f) for f in damaged], warnings
    _assert_same_plan(fresh.plan, again.plan)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="wirgeo"):
        request.run(municipalities).flexibility()   # rewritten whole: read without a word
    assert not caplog.records


def test_a_cache_that_cannot_be_written_does_not_stop_the_run(municipalities, results,
                                                              monkeypatch):
    results.parent.mkdir(exist_ok=True)
    results.write_text("a file where the folder belongs")
    run = PlanningRequest(**BASE).run(municipalities)
    assert run.plan.status == "optimal"


def test_entries_of_other_code_and_beyond_the_limit_are_pruned(municipalities, results,
                                                               monkeypatch):
    PlanningRequest(**BASE).run(municipalities)
    assert len(_entries(results, "plan-")) == 1
    monkeypatch.setattr(cache, "code_digest", lambda: "0.0.0+changed")
    monkeypatch.setattr(cache, "_KEEP", 2)
    for members in (2, 3, 4):
        PlanningRequest(**BASE, overrides={"max_members": members}).run(municipalities)
    kept = _entries(results, "plan-")
    assert len(kept) == 2     # the old code's entry gone, then the least recently used


def test_the_setting_turns_the_cache_off(municipalities, results):
    with settings.override(cache=False):
        run = PlanningRequest(**BASE).run(municipalities)
    assert run.cache_key is None and not results.exists()


def test_info_and_clear(tmp_path, setting, municipalities):
    setting(geo=tmp_path / "geo")
    assert cache.info().entries == {} and cache.info().size == 0
    PlanningRequest(**BASE, flexibility=True).run(municipalities).flexibility()
    held = cache.info()
    assert held.entries == {"contiguity": 1, "flexibility": 1, "plan": 1}
    assert held.size > 0 and held.folder == tmp_path / "geo" / "cache"
    assert cache.clear().entries == held.entries
    assert not held.folder.exists() and cache.info().entries == {}
