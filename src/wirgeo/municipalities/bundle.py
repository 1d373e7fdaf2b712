"""Building the embedded dataset from the official files: ``wirgeo data bundle``.

The bundle (:mod:`wirgeo.sources.bundle`) holds the joined territory — the mergers
dissolved — so it is built from the join's result: the boundary fields of every unit as
the join made them, its population fields as the official table lists them, and the
provenance of both files. Loading the bundle then gives the same municipality table as
loading the official files (a test compares them).

Examples
--------
>>> import tempfile, pathlib
>>> out = build_bundle(SHARED_RAW, pathlib.Path(tempfile.mkdtemp()) / "hessen.parquet")
>>> out.stat().st_size < 1_000_000
True
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj

from wirgeo.core.i18n import _, translate
from wirgeo.errors import ArgumentError, SourceNotFoundError
from wirgeo.municipalities.census import census_on_territory
from wirgeo.municipalities.join import Dataset, join, read_territorial_changes
from wirgeo.municipalities.territory import Merge
from wirgeo.sources import (
    EMBEDDED_BUNDLES,
    HOW_TO_GET_SOURCES,
    STATE_NAMES,
    Boundaries,
    PopulationTable,
    check_key,
    file_sha256,
    find_sources,
    read_population,
    read_vg250,
    read_zensus,
    write_bundle,
)
from wirgeo.sources.bundle import (
    BKG_LICENCE,
    CENSUS_COLUMNS,
    DESTATIS_TERMS,
    POPULATION_COLUMNS,
)
from wirgeo.sources.zensus import ZENSUS_LICENCE, ZensusTable

__all__ = ["build_bundle"]


def build_bundle(source: str | Path | None = None, out: str | Path | None = None, *,
                 state: str = "06") -> Path:
    """Build the bundle of ``state`` from the official files in a source folder.

    Parameters
    ----------
    source : str or Path, optional
        Folder with the official files (default: ``WIRGEO_SOURCE``, else
        ``geo/sources/``; never the embedded bundle itself).
    out : str or Path, optional
        The file to write; default the embedded bundle of the package
        (:data:`wirgeo.sources.EMBEDDED_BUNDLES`), which only exists for Hessen.
    state : str
        Two-digit state key.

    Returns
    -------
    Path
        The file written (atomically; the same inputs give the same bytes).

    Raises
    ------
    SourceNotFoundError
        No official boundaries or no population table in the folder.
    JoinError
        Boundaries and population do not match (the bundle is built strictly).
    """
    state = check_key(state, 2, source="state", column="state")
    if out is None:
        if state not in EMBEDDED_BUNDLES:
            raise ArgumentError("out", _("wirgeo embeds no dataset for state {state} "
                                         "({state_name})").format(
                                           state=state,
                                           state_name=STATE_NAMES.get(state, _("unknown state"))),
                                fix=_("give the file to write"))
        out = EMBEDDED_BUNDLES[state]
    files = find_sources(source, state, embedded=False)
    if files.population is None:
        raise SourceNotFoundError(files.boundaries.parent, _("no population table found: the "
                                                             "bundle is built from a "
                                                             "Destatis directory (or a CSV)"),
                                  fix=translate(HOW_TO_GET_SOURCES))
    boundaries = read_vg250(files.boundaries, state)
    population = read_population(files.population)
    census = read_zensus(files.census) if files.census is not None else None
    dataset = join(boundaries, population, census=census, strict=True)
    units = _units(dataset, boundaries, population)
    meta = _provenance(dataset, boundaries, population)
    meta["census"] = None
    if census is not None:
        rows, merges = census_on_territory(census, read_territorial_changes(),
                                           population.reference_date.isoformat(), state)
        units = _with_census(units, rows)
        meta["census"] = _census_provenance(census, merges)
    else:
        units = _with_census(units, None)
    return write_bundle(units, meta, out)


def _units(dataset: Dataset, boundaries: Boundaries, population: PopulationTable
           ) -> gpd.GeoDataFrame:
    """One row per joined unit: boundary fields as joined, population fields as listed."""
    mun = dataset.municipalities
    # BKG's BEZ of each unit; a dissolved merger keeps that of its first old unit, as the
    # join does
    bez = boundaries.municipalities.set_index("ags")["type"]
    first = mun["merged_from"].where(mun["merged_from"] != "", mun["ags"]).str[:8]
    listed = population.for_state(boundaries.state).municipalities.set_index("ags")
    units = pd.DataFrame({"ags": mun["ags"], "ars": mun["ars"], "name": mun["name"],
                          "bez": first.map(bez).to_numpy(),
                          "merged_from": mun["merged_from"]})
    units = units.join(listed[list(POPULATION_COLUMNS)], on="ags")
    return gpd.GeoDataFrame(units, geometry=mun.geometry.to_numpy(), crs=_canonical(mun.crs))


def _canonical(crs: Any) -> Any:
    """The CRS as PROJ's database defines its EPSG code, whatever ran in this process before.

    PROJ keeps the objects it made in a context per thread, and once a CRS has been
    identified (``crs.to_epsg()``) ``EPSG:25832`` comes back without its datum ensemble: the
    bundle's metadata, and so its bytes, depended on what the process did first (a test
    before it, a notebook cell). A fresh thread has a fresh context.
    """
    code = None if crs is None else crs.to_epsg()
    if code is None:
        return crs
    with ThreadPoolExecutor(max_workers=1) as pool:
        text = pool.submit(lambda: pyproj.CRS.from_epsg(code).to_json()).result()
    return pyproj.CRS.from_json(text)


def _with_census(units: gpd.GeoDataFrame, rows: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """The bundle's Zensus columns: the census rows on the territory (missing without)."""
    names = {"population": "census_population"}
    if rows is None:
        return units.assign(**dict.fromkeys(CENSUS_COLUMNS, None))
    fields = rows.rename(columns=names).set_index("ags")[list(CENSUS_COLUMNS)]
    return units.join(fields, on="ags")


def _census_provenance(census: ZensusTable, merges: list[Merge]) -> dict[str, Any]:
    assert census.path is not None  # read from a file
    return {
        **_file(Path(census.path)),
        "publisher": "Statistische Ämter des Bundes und der Länder",
        "product": "Zensus 2022: population, age, foreign nationals and migration per "
                   "Gemeinde (figures compiled from the published results)",
        "date": census.reference_date.isoformat(), "kind": "zensus2022",
        "rows": len(census.frame), "attribution": census.attribution,
        "licence": ZENSUS_LICENCE,
        "merges": [{"new_ags": m.new_ags, "new_name": m.new_name, "old_ags": list(m.old_ags),
                    "in_force": m.in_force} for m in merges],
    }


def _file(path: Path) -> dict[str, Any]:
    return {"file": path.name, "sha256": file_sha256(path), "size": path.stat().st_size}


def _provenance(dataset: Dataset, boundaries: Boundaries, population: PopulationTable
                ) -> dict[str, Any]:
    """Everything the bundle must say about where it comes from."""
    pop_path = Path(population.path) if population.path else boundaries.path
    licence = BKG_LICENCE["2016" if boundaries.date.year <= 2016 else "current"]
    return {
        "state": boundaries.state,
        "state_name": STATE_NAMES.get(boundaries.state, ""),
        "territory_date": population.reference_date.isoformat(),
        "units": len(dataset.municipalities),
        "description": "Gemeinden and gemeindefreie Gebiete with full-resolution boundaries "
                       "on the territory of the population date and their population, "
                       "made by `wirgeo data bundle` from the official files named here",
        "boundaries": {
            **_file(boundaries.path),
            "publisher": "Bundesamt für Kartographie und Geodäsie (BKG)",
            "product": "VG250 Verwaltungsgebiete 1:250 000 (Ebenen)",
            "date": boundaries.date.isoformat(), "date_basis": boundaries.date_basis,
            "units_read": len(boundaries.municipalities),
            "water_parts": boundaries.water_parts, "repaired": list(boundaries.repaired),
            "attribution": boundaries.attribution, "licence": licence,
        },
        "population": {
            **_file(pop_path),
            "publisher": "Statistisches Bundesamt (Destatis)",
            "product": "Gemeindeverzeichnis-Informationssystem GV-ISys: Gemeinden in "
                       "Deutschland nach Fläche, Bevölkerung und Postleitzahl",
            "date": population.reference_date.isoformat(), "kind": population.kind,
            "attribution": population.attribution,
            "licence": DESTATIS_TERMS if population.kind == "destatis" else "",
        },
        "territorial_changes": [
            {"new_ags": c.new_ags, "new_name": c.new_name, "old_ags": list(c.old_ags),
             "in_force": c.in_force} for c in dataset.report.changes_applied],
        "kreise": _units_of(boundaries.districts),
        "regions": _units_of(boundaries.regions),
        "states": _units_of(boundaries.states),
    }


def _units_of(layer: gpd.GeoDataFrame) -> list[dict[str, str]]:
    return [{"ags": a, "ars": r, "name": n, "type": t} for a, r, n, t in
            layer[["ags", "ars", "name", "type"]].itertuples(index=False)]
