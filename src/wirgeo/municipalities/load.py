"""Loading a state's joined layers from the official sources, with a cache.

Prepared layers are cached in ``geo/cache/`` keyed by the SHA-256 of every input file's
content (official sources and curated tables), so a changed file is never served from a
stale cache, whatever its size and modification time; a warm load reads three GeoParquet
files and checks them against the manifest written with them (columns, rows, keys,
population total). A cache failing that check is discarded and rebuilt, saying so in one
line; temporary folders of an interrupted build are removed.

Several states (``load("de")`` for all of Germany, or ``load(["06", "07"])``) are joined
state by state from one GeoPackage covering them all, each with its own cache, and
returned as one dataset. The population table is parsed once: kept in memory for the
process and on disk by the file's checksum (``geo/cache/tables-…``; the Destatis
workbook takes about 2 s to parse, a kept table 0.1 s to read).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from wirgeo.core import paths as _paths
from wirgeo.core.files import atomic_folder, remove_orphans
from wirgeo.core.i18n import _
from wirgeo.core.store import read_entry, read_parquet, write_entry
from wirgeo.municipalities.join import Dataset, join
from wirgeo.municipalities.report import JoinReport
from wirgeo.settings import settings
from wirgeo.sources import (
    Boundaries,
    PopulationTable,
    SourceFiles,
    ZensusTable,
    file_sha256,
    find_sources,
    given_basis,
    overlay_population,
    population_from_ewz,
    read_bundle,
    read_bundle_census,
    read_population,
    read_vg250,
    read_zensus,
)
from wirgeo.sources.states import resolve_states, state_key

if TYPE_CHECKING:  # typing.Unpack is 3.12; typing_extensions is only needed by mypy
    from typing import TypedDict

    from typing_extensions import Unpack

    class LoadOptions(TypedDict, total=False):
        """The keyword arguments of :func:`load`, for the functions that pass them on."""

        source: str | Path | None
        boundaries: str | Path | None
        population: str | Path | None
        population_basis: str | Path | None
        census: str | Path | None
        strict: bool
        cache: bool | None

__all__ = ["load", "load_municipalities", "load_districts"]

# Bump when the prepared layers change shape, so old caches are not read.
_CACHE_VERSION = "9"  # 9: the report keeps codes (8: the Zensus 2022 columns; 7: hashes)
_LAYERS = ("municipalities", "districts", "regions")
_log = logging.getLogger(__name__)


def _cache_key(paths: list[Path], extra: str) -> str:
    """The cache key: SHA-256 of every input's content (never its size or date).

    A same-size edit with the old modification time restored changes the key; hashing
    the Hessen GeoPackage and tables takes a few milliseconds, Germany's ~0.1 s.
    """
    parts = [file_sha256(p) for p in paths]
    return hashlib.sha256("|".join([*parts, extra]).encode()).hexdigest()[:16]


def _discard(folder: Path, reason: str) -> None:
    _log.warning(_("cache {folder} is unusable ({reason}): discarded, rebuilding from the "
                   "sources").format(folder=folder, reason=reason))
    shutil.rmtree(folder, ignore_errors=True)


def _read_cache(folder: Path, state: str) -> Dataset | None:
    """The cached dataset if it passes validation; a broken one is discarded (None)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        report = JoinReport.from_dict(json.loads((folder / "report.json").read_text(
            encoding="utf-8")))
        frames = {name: read_parquet(folder / f"{name}.parquet", geometry=True)
                  for name in _LAYERS}
    except Exception as exc:  # unreadable, truncated, not parquet, not JSON: never trusted
        _discard(folder, f"{type(exc).__name__}: {exc}".splitlines()[0][:160])
        return None
    problem = _cache_problem(frames, manifest, report, state)
    if problem:
        _discard(folder, problem)
        return None
    return Dataset(frames["municipalities"], frames["districts"], frames["regions"], report)


def _cache_problem(frames: dict[str, gpd.GeoDataFrame], manifest: dict[str, Any],
                   report: JoinReport, state: str) -> str | None:
    """What is wrong with cached layers (schema, row count, keys), or None."""
    if manifest.get("version") != _CACHE_VERSION:
        return _("cache version {found!r}, expected {expected!r}").format(
            found=manifest.get("version"), expected=_CACHE_VERSION)
    for name, frame in frames.items():
        expected = manifest.get("layers", {}).get(name, {})
        if list(frame.columns) != expected.get("columns"):
            return _("{layer}: columns differ from the ones written").format(layer=name)
        if len(frame) != expected.get("rows"):
            return _("{layer}: {count} rows instead of {expected}").format(
                layer=name, count=len(frame), expected=expected.get("rows"))
    mun = frames["municipalities"]
    keys = mun["ags"].astype(str)
    if (keys.str.len() != 8).any() or keys.duplicated().any() or not keys.str.startswith(
            state).all():
        return _("municipalities: keys are not unique 8-digit AGS of the state")
    if int(mun["population"].sum()) != report.population_total:
        return _("municipalities: population total differs from the report")
    return None


def load(
    state: str | Iterable[str] = "06",
    *,
    source: str | Path | None = None,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
    population_basis: str | Path | None = None,
    census: str | Path | None = None,
    strict: bool = True,
    cache: bool | None = None,
) -> Dataset:
    """Load the joined municipalities, Kreise and Regierungsbezirke of a state, or several.

    Official files are found with :func:`wirgeo.sources.find_sources` (``source`` folder,
    else ``WIRGEO_SOURCE``, else ``geo/sources/``, else the embedded bundle shipped with
    wirgeo — the report's ``data_source`` says which was read). Prepared layers are cached in
    ``geo/cache/`` keyed by the checksums of every input file, so a changed source or
    curated table is never served from a stale cache.

    Parameters
    ----------
    state : str or iterable of str
        Two-digit state key; Hessen = ``"06"``. Several keys, or ``"de"`` for all of
        Germany: one dataset of them all (see the module docs; its report's ``state`` is
        ``"de"`` or the keys joined by ``+``).
    source : str or Path, optional
        Folder with the official files.
    boundaries, population : str or Path, optional
        Explicit files, overriding the search (population: Destatis xlsx, CSV or the
        Zensus 2022 table).
    population_basis : str or Path, optional
        The full release a ``population`` file with only the changed rows changes (its
        rows replace the basis's; :func:`wirgeo.sources.overlay_population`).
    census : str or Path, optional
        The Zensus 2022 table; default the one in the source folder, else the embedded
        copy (Hessen).
    strict : bool
        See :func:`join`.
    cache : bool, optional
        Read and write prepared layers in ``geo/cache/`` (default
        :data:`wirgeo.settings.settings` ``.cache``).

    Returns
    -------
    Dataset

    Examples
    --------
    >>> from wirgeo import load
    >>> dataset = load()
    >>> len(dataset.municipalities), len(dataset.districts)
    (425, 26)
    """
    started = time.perf_counter()
    states = resolve_states(state)
    cache = settings.cache if cache is None else cache
    if len(states) > 1:
        return _load_states(states, source=source, boundaries=boundaries,
                            population=population, population_basis=population_basis,
                            census=census, strict=strict, cache=cache)
    state = states[0]
    files = find_sources(source, state, boundaries=boundaries, population=population,
                         census=census)
    basis = given_basis(population_basis, population)
    curated = [_paths.data_dir() / "territorial_changes.csv",
               _paths.data_dir() / "sonderstatusstaedte.csv"]
    # every file read is part of the key: the census table and a release's basis too
    inputs = [files.boundaries, *([files.population] if files.population else []),
              *([basis] if basis else []), *([files.census] if files.census else []),
              *curated]
    folder = None
    if cache:
        key = _cache_key(inputs, f"{_CACHE_VERSION}|{state}|{strict}")
        folder = _paths.cache_dir() / f"{state}-{key}"
        remove_orphans(folder.parent)
        cached = _read_cache(folder, state) if folder.is_dir() else None
        if cached is not None:
            for frame in (cached.municipalities, cached.districts, cached.regions):
                frame.attrs.update(cached.report.frame_attrs())
            cached.report.from_cache = True
            cached.report.seconds = time.perf_counter() - started
            return cached
    bnd, pop = _read_inputs(files, state, cache)
    if basis is not None:
        pop = overlay_population(read_population(basis), pop)
    dataset = join(bnd, pop, census=_read_census(files, state), strict=strict)
    dataset.report.seconds = time.perf_counter() - started
    if folder is not None:
        _write_cache(folder, dataset)
    return dataset


def _load_states(states: tuple[str, ...], *, source: str | Path | None,
                 boundaries: str | Path | None, population: str | Path | None,
                 population_basis: str | Path | None, census: str | Path | None,
                 strict: bool, cache: bool) -> Dataset:
    """Several states from one GeoPackage covering them all, as one dataset."""
    started = time.perf_counter()
    files = find_sources(source, states, boundaries=boundaries, population=population)
    # each state finds its own census rows (only Hessen has a Zensus table today)
    parts = [load(s, source=source, boundaries=files.boundaries, population=files.population,
                  population_basis=population_basis, census=census, strict=strict,
                  cache=cache) for s in states]
    report = JoinReport.combine([p.report for p in parts], state_key(states))
    report.seconds = time.perf_counter() - started

    def joined(layer: str) -> gpd.GeoDataFrame:
        frames = [getattr(p, layer) for p in parts]
        frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
        frame.attrs = dict(report.frame_attrs())
        return frame

    return Dataset(joined("municipalities"), joined("districts"), joined("regions"), report)


def _read_inputs(files: SourceFiles, state: str, cache: bool
                 ) -> tuple[Boundaries, PopulationTable]:
    """Boundaries and population from the official files, or from the embedded bundle."""
    if files.embedded:
        bnd, own = read_bundle(files.boundaries, state)
        return bnd, _population(files.population, cache) if files.population else own
    bnd = read_vg250(files.boundaries, state)
    pop = _population(files.population, cache) if files.population else population_from_ewz(
        bnd)
    return bnd, pop


# Bump when the kept population tables change shape.
_TABLE_FORMAT = "1"
_TABLES: dict[str, PopulationTable] = {}


def _population(path: Path, cache: bool) -> PopulationTable:
    """The population table of ``path``, parsed once (see the module docs).

    Only a Destatis workbook is kept (2 s to parse); a CSV is read each time, as fast as a
    kept table would be.
    """
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return read_population(path)
    digest = file_sha256(path)
    known = _TABLES.get(digest)
    if known is None:
        folder = _paths.cache_dir() / f"tables-{digest[:32]}"
        expect = {"kind": "population table", "sha256": digest, "format": _TABLE_FORMAT}
        entry = read_entry(folder, expect) if cache else None
        if entry is not None:
            meta, tables = entry
            known = PopulationTable(Path(meta["path"]), tables["municipalities"],
                                    tables["districts"],
                                    dt.date.fromisoformat(meta["reference_date"]),
                                    meta["population_kind"])
        else:
            known = read_population(path)
            if cache:
                write_entry(folder, {**expect, "path": str(known.path),
                                     "reference_date": known.reference_date.isoformat(),
                                     "population_kind": known.kind},
                            {"municipalities": known.municipalities,
                             "districts": known.districts})
        _TABLES.clear()  # one table at a time: a Germany load asks the same 16 times
        _TABLES[digest] = known
    # the reader's path, not the one that was kept: the report names the file given; the
    # tables copied, so no caller changes what the next load is handed
    return dataclasses.replace(known, path=Path(path),
                               municipalities=known.municipalities.copy(),
                               districts=known.districts.copy())


def _read_census(files: SourceFiles, state: str) -> ZensusTable | None:
    """The Zensus 2022 table of the load: a file, the embedded copy, or none."""
    if files.census is None:
        return None
    if files.census_embedded:
        return read_bundle_census(files.census, state)
    return read_zensus(files.census)


def _write_cache(folder: Path, dataset: Dataset) -> None:
    """Write the layers to a temporary folder, then move it into place in one step."""
    try:
        with atomic_folder(folder) as tmp:
            layers = {}
            for name in _LAYERS:
                frame = getattr(dataset, name)
                frame.to_parquet(tmp / f"{name}.parquet")
                layers[name] = {"columns": [str(c) for c in frame.columns],
                                "rows": len(frame)}
            report = dataset.report.to_dict()
            report.update(seconds=0.0, from_cache=False)
            (tmp / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
            # written last: a folder without it is incomplete and never read
            (tmp / "manifest.json").write_text(json.dumps(
                {"version": _CACHE_VERSION, "layers": layers}, indent=1), encoding="utf-8")
    except OSError:  # another process won the race, or no space: the run goes on
        pass


def load_municipalities(state: str = "06", **kwargs: Unpack[LoadOptions]
                        ) -> gpd.GeoDataFrame:
    """Joined municipalities of a state (see module docs for the columns).

    Parameters
    ----------
    state : str
        Two-digit state key (default ``"06"``, Hessen).
    **kwargs
        Those of :func:`load` (``source=``, ``population=``, ``cache=``, …).

    Returns
    -------
    GeoDataFrame
        One row per municipality (EPSG:25832), ``attrs`` with sources and dates.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> len(gem), gem.crs.to_epsg(), int(gem.population.sum())
    (425, 25832, 6420729)
    """
    return load(state, **kwargs).municipalities


def load_districts(state: str = "06", **kwargs: Unpack[LoadOptions]) -> gpd.GeoDataFrame:
    """Kreise of a state with population sums and counts of (small) Gemeinden.

    Parameters
    ----------
    state : str
        Two-digit state key (default ``"06"``, Hessen).
    **kwargs
        Those of :func:`load`.

    Returns
    -------
    GeoDataFrame

    Examples
    --------
    >>> from wirgeo import load_districts
    >>> len(load_districts())
    26
    """
    return load(state, **kwargs).districts
