"""Loading a state's joined layers from the official sources, with a cache.

Prepared layers are cached in ``geo/cache/`` keyed by the checksums of every input file
(official sources and curated tables), so a changed file is never served from a stale
cache; a warm load reads three GeoParquet files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import geopandas as gpd

from wirgeo.core import paths as _paths
from wirgeo.core.files import write_text
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
    read_json,
    read_population,
    read_vg250,
)

__all__ = ["load", "load_municipalities", "load_districts"]

# Bump when the prepared layers change shape, so old caches are not read.
_CACHE_VERSION = "6"  # 6: the report says which data was read and compares EWZ


def _checksum(path: Path, memo: dict) -> str:
    stat = path.stat()
    key = str(path.resolve())
    entry = memo.get(key)
    if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
        return entry["sha256"]
    digest = file_sha256(path)
    memo[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
    return digest


def _cache_key(paths: list[Path], extra: str) -> str:
    memo_path = _paths.cache_dir() / "checksums.json"
    memo = read_json(memo_path)
    before = json.dumps(memo, sort_keys=True)
    parts = [_checksum(p, memo) for p in paths]
    if json.dumps(memo, sort_keys=True) != before:
        try:
            write_text(memo_path, json.dumps(memo, indent=1, sort_keys=True))
        except OSError:  # a read-only checkout still works, just without the memo
            pass
    return hashlib.sha256("|".join([*parts, extra]).encode()).hexdigest()[:16]


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
        if (folder / "report.json").is_file():
            try:
                report = JoinReport.from_dict(json.loads((folder / "report.json").read_text()))
                mun, dis, reg = (gpd.read_parquet(folder / f"{name}.parquet")
                                 for name in ("municipalities", "districts", "regions"))
            except Exception:  # a broken cache is rebuilt, never trusted
                pass
            else:
                for frame in (mun, dis, reg):
                    frame.attrs.update(report.frame_attrs())
                report.from_cache = True
                report.seconds = time.perf_counter() - started
                return Dataset(mun, dis, reg, report)
    bnd, pop = _read_inputs(files, state)
    dataset = join(bnd, pop, strict=strict)
    dataset.report.seconds = time.perf_counter() - started
    if folder is not None:
        try:
            _write_cache(folder, dataset)
        except OSError:
            pass
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
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("municipalities", "districts", "regions"):
        getattr(dataset, name).to_parquet(tmp / f"{name}.parquet")
    report = dataset.report.to_dict()
    report.update(seconds=0.0, from_cache=False)
    (tmp / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    try:
        os.replace(tmp, folder)
    except OSError:  # another process won the race; its cache is as good as ours
        shutil.rmtree(tmp, ignore_errors=True)


def load_municipalities(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Joined municipalities of a state (see module docs for the columns).

    Keyword arguments are those of :func:`load`.
    """
    return load(state, **kwargs).municipalities


def load_districts(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Kreise of a state with population sums and counts of (small) Gemeinden."""
    return load(state, **kwargs).districts
