"""Loading a state's joined layers from the official sources, with a cache.

Prepared layers are cached in ``geo/cache/`` keyed by the SHA-256 of every input file's
content (official sources and curated tables), so a changed file is never served from a
stale cache, whatever its size and modification time; a warm load reads three GeoParquet
files and checks them against the manifest written with them (columns, rows, keys,
population total). A cache failing that check is discarded and rebuilt, saying so in one
line; temporary folders of an interrupted build are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

import geopandas as gpd

from wirgeo.core import paths as _paths
from wirgeo.core.files import pid_alive
from wirgeo.municipalities.join import Dataset, join
from wirgeo.municipalities.report import JoinReport
from wirgeo.sources import (
    Boundaries,
    PopulationTable,
    SourceFiles,
    check_key,
    file_sha256,
    find_sources,
    population_from_ewz,
    read_bundle,
    read_population,
    read_vg250,
)

__all__ = ["load", "load_municipalities", "load_districts"]

# Bump when the prepared layers change shape, so old caches are not read.
_CACHE_VERSION = "7"  # 7: content-hash keys and a manifest to validate the layers
_LAYERS = ("municipalities", "districts", "regions")
_log = logging.getLogger(__name__)


def _cache_key(paths: list[Path], extra: str) -> str:
    """The cache key: SHA-256 of every input's content (never its size or date).

    A same-size edit with the old modification time restored changes the key; hashing
    the Hessen GeoPackage and tables takes a few milliseconds, Germany's ~0.1 s.
    """
    parts = [file_sha256(p) for p in paths]
    return hashlib.sha256("|".join([*parts, extra]).encode()).hexdigest()[:16]


def _clean_orphans(cache: Path) -> None:
    """Remove temporary cache folders left by a build that was killed (``kill -9``)."""
    for tmp in cache.glob("*.tmp*"):
        pid = tmp.name.rsplit(".tmp", 1)[-1]
        if tmp.is_dir() and (not pid.isdigit() or not pid_alive(int(pid))):
            shutil.rmtree(tmp, ignore_errors=True)


def _discard(folder: Path, reason: str) -> None:
    _log.warning("cache %s is unusable (%s): discarded, rebuilding from the sources",
                 folder, reason)
    shutil.rmtree(folder, ignore_errors=True)


def _read_cache(folder: Path, state: str) -> Dataset | None:
    """The cached dataset if it passes validation; a broken one is discarded (None)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        report = JoinReport.from_dict(json.loads((folder / "report.json").read_text(
            encoding="utf-8")))
        frames = {name: gpd.read_parquet(folder / f"{name}.parquet") for name in _LAYERS}
    except Exception as exc:  # unreadable, truncated, not parquet, not JSON: never trusted
        _discard(folder, f"{type(exc).__name__}: {exc}".splitlines()[0][:160])
        return None
    problem = _cache_problem(frames, manifest, report, state)
    if problem:
        _discard(folder, problem)
        return None
    return Dataset(frames["municipalities"], frames["districts"], frames["regions"], report)


def _cache_problem(frames: dict[str, gpd.GeoDataFrame], manifest: dict, report: JoinReport,
                   state: str) -> str | None:
    """What is wrong with cached layers (schema, row count, keys), or None."""
    if manifest.get("version") != _CACHE_VERSION:
        return f"cache version {manifest.get('version')!r}, expected {_CACHE_VERSION!r}"
    for name, frame in frames.items():
        expected = manifest.get("layers", {}).get(name, {})
        if list(frame.columns) != expected.get("columns"):
            return f"{name}: columns differ from the ones written"
        if len(frame) != expected.get("rows"):
            return f"{name}: {len(frame)} rows instead of {expected.get('rows')}"
    mun = frames["municipalities"]
    keys = mun["ags"].astype(str)
    if (keys.str.len() != 8).any() or keys.duplicated().any() or not keys.str.startswith(
            state).all():
        return "municipalities: keys are not unique 8-digit AGS of the state"
    if int(mun["population"].sum()) != report.population_total:
        return "municipalities: population total differs from the report"
    return None


def load(
    state: str = "06",
    *,
    source: str | Path | None = None,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
    strict: bool = True,
    cache: bool = True,
) -> Dataset:
    """Load the joined municipalities, Kreise and Regierungsbezirke of a state.

    Official files are found with :func:`wirgeo.sources.find_sources` (``source`` folder,
    else ``WIRGEO_SOURCE``, else ``geo/sources/``, else the embedded bundle shipped with
    wirgeo — the report's ``data_source`` says which was read). Prepared layers are cached in
    ``geo/cache/`` keyed by the checksums of every input file, so a changed source or
    curated table is never served from a stale cache.

    Parameters
    ----------
    state : str
        Two-digit state key; Hessen = ``"06"``.
    source : str or Path, optional
        Folder with the official files.
    boundaries, population : str or Path, optional
        Explicit files, overriding the search (population: Destatis xlsx or CSV).
    strict : bool
        See :func:`join`.
    cache : bool
        Read and write prepared layers in ``geo/cache/``.

    Returns
    -------
    Dataset
    """
    started = time.perf_counter()
    state = check_key(state, 2, source="state", column="state")
    files = find_sources(source, state, boundaries=boundaries, population=population)
    curated = [_paths.data_dir() / "territorial_changes.csv",
               _paths.data_dir() / "sonderstatusstaedte.csv"]
    inputs = [files.boundaries, *([files.population] if files.population else []), *curated]
    folder = None
    if cache:
        key = _cache_key(inputs, f"{_CACHE_VERSION}|{state}|{strict}")
        folder = _paths.cache_dir() / f"{state}-{key}"
        _clean_orphans(folder.parent)
        cached = _read_cache(folder, state) if folder.is_dir() else None
        if cached is not None:
            for frame in (cached.municipalities, cached.districts, cached.regions):
                frame.attrs.update(cached.report.frame_attrs())
            cached.report.from_cache = True
            cached.report.seconds = time.perf_counter() - started
            return cached
    bnd, pop = _read_inputs(files, state)
    dataset = join(bnd, pop, strict=strict)
    dataset.report.seconds = time.perf_counter() - started
    if folder is not None:
        _write_cache(folder, dataset)
    return dataset


def _read_inputs(files: SourceFiles, state: str) -> tuple[Boundaries, PopulationTable]:
    """Boundaries and population from the official files, or from the embedded bundle."""
    if files.embedded:
        bnd, own = read_bundle(files.boundaries, state)
        return bnd, read_population(files.population) if files.population else own
    bnd = read_vg250(files.boundaries, state)
    pop = read_population(files.population) if files.population else population_from_ewz(bnd)
    return bnd, pop


def _write_cache(folder: Path, dataset: Dataset) -> None:
    """Write the layers to a temporary folder, then move it into place in one step."""
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        layers = {}
        for name in _LAYERS:
            frame = getattr(dataset, name)
            frame.to_parquet(tmp / f"{name}.parquet")
            layers[name] = {"columns": [str(c) for c in frame.columns], "rows": len(frame)}
        report = dataset.report.to_dict()
        report.update(seconds=0.0, from_cache=False)
        (tmp / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
        # written last: a folder without it is incomplete and never read
        (tmp / "manifest.json").write_text(json.dumps(
            {"version": _CACHE_VERSION, "layers": layers}, indent=1), encoding="utf-8")
        if folder.exists():  # a discarded or concurrently written cache
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
    except OSError:  # another process won the race, or no space: the run goes on
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # also after Ctrl-C during the write


def load_municipalities(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Joined municipalities of a state (see module docs for the columns).

    Keyword arguments are those of :func:`load`.
    """
    return load(state, **kwargs).municipalities


def load_districts(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Kreise of a state with population sums and counts of (small) Gemeinden."""
    return load(state, **kwargs).districts
