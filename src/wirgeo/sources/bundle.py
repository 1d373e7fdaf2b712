"""The embedded dataset: official boundaries and population of one state in one small file.

A fresh installation has no source folder, and a planner on an administration network
may not reach the publishers. wirgeo therefore ships one GeoParquet file inside the
package (Hessen, :data:`~wirgeo.sources.discovery.EMBEDDED_BUNDLES`), made by
``wirgeo data bundle`` from the official files. It holds

* one row per Gemeinde and gemeindefreies Gebiet with its full-resolution boundary on
  the territory of the population date (the mergers of ``data/territorial_changes.csv``
  dissolved, as the join does) and the fields the join reads: from the boundaries
  (:data:`BOUNDARY_COLUMNS`: ``ags``, ``ars``, ``name``, ``bez`` — BKG's ``BEZ`` —,
  ``merged_from``), from the population table (:data:`POPULATION_COLUMNS`) and from the
  Zensus 2022 table on the same territory (:data:`CENSUS_COLUMNS`: census population and
  person shares; Bromskirchen added to Allendorf (Eder)); nothing the join derives
  (Kreis and Regierungsbezirk keys and names, status, dates, the estimates);
* in the file's metadata (key ``wirgeo``): the source files with size and SHA-256,
  publishers, licences and attribution, both reference dates, and the names of the
  Kreise, Regierungsbezirke and the state, whose outlines are dissolved from the
  Gemeinden when the bundle is read.

:func:`read_bundle` returns the same :class:`~wirgeo.sources.vg250.Boundaries` and
:class:`~wirgeo.sources.population_table.PopulationTable` the official readers return,
so the join and everything after it never asks where they came from. :func:`write_bundle`
writes the file deterministically (zstd, sorted metadata, no timestamps): the same
content gives the same bytes with the same pyarrow version. Building the bundle needs the
join, so it lives one layer up (:func:`wirgeo.municipalities.build_bundle`).

Examples
--------
>>> boundaries, population = read_bundle()
>>> len(boundaries.municipalities), str(boundaries.date), str(population.reference_date)
(425, '2016-01-01', '2023-12-31')
>>> info = bundle_info()
>>> [source["file"] for source in info["sources"]]
['vg250_2016-01-01_hessen.gpkg', '31122023_Auszug_GV.xlsx', \
'census2022_municipality_demographics_housing_hessen.csv']
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from wirgeo.core.files import atomic_path
from wirgeo.core.i18n import _
from wirgeo.core.inputs import note_input
from wirgeo.errors import ArgumentError, InputError, SourceNotFoundError
from wirgeo.sources.discovery import EMBEDDED_BUNDLES
from wirgeo.sources.keys import check_key
from wirgeo.sources.population_table import (
    MUNICIPALITY_COLUMNS,
    PopulationTable,
    no_districts,
)
from wirgeo.sources.states import STATE_NAMES
from wirgeo.sources.vg250 import Boundaries
from wirgeo.sources.zensus import ZENSUS_COLUMNS, ZensusTable

__all__ = ["BUNDLE_FORMAT", "BOUNDARY_COLUMNS", "POPULATION_COLUMNS", "CENSUS_COLUMNS",
           "BKG_LICENCE", "DESTATIS_TERMS", "bundle_path", "bundle_info", "read_bundle",
           "read_bundle_census", "write_bundle"]

#: Version of the file layout; a reader refuses a file of another version (2: the
#: Zensus 2022 columns).
BUNDLE_FORMAT = 2

#: Per-municipality fields from the boundaries (``bez`` is BKG's ``BEZ``, the unit type).
BOUNDARY_COLUMNS = ("ags", "ars", "name", "bez", "merged_from")
#: Per-municipality fields from the population table (see :class:`PopulationTable`).
POPULATION_COLUMNS = ("name_official", "textkennzeichen", "population", "population_male",
                      "population_female", "area_km2", "postcode", "lon", "lat",
                      "urbanisation_code", "urbanisation")

#: Per-municipality fields from the Zensus 2022 table, on the bundle's territory
#: (:func:`wirgeo.municipalities.census_on_territory`); missing where the table has no
#: row or a value is withheld.
CENSUS_COLUMNS = ("census_population", "under18_share", "age18to29_share",
                  "age30to49_share", "age50to59_share", "over60_share", "foreign_share",
                  "migration_share")

_TYPES = {
    **dict.fromkeys(("ags", "ars", "name", "bez", "merged_from", "name_official",
                     "textkennzeichen", "postcode", "urbanisation_code", "urbanisation"),
                    pa.string()),
    **dict.fromkeys(("population", "population_male", "population_female",
                     "census_population"), pa.int64()),
    **dict.fromkeys(("area_km2", "lon", "lat", *CENSUS_COLUMNS[1:]), pa.float64()),
}

BKG_LICENCE = {
    "2016": ("Verordnung zur Festlegung der Nutzungsbestimmungen für die Bereitstellung von "
             "Geodaten des Bundes (GeoNutzV) for this release; BKG publishes its current "
             "releases under the Datenlizenz Deutschland – Namensnennung – 2.0 "
             "(dl-de/by-2-0, https://www.govdata.de/dl-de/by-2-0)"),
    "current": "Datenlizenz Deutschland – Namensnennung – 2.0 (dl-de/by-2-0, "
               "https://www.govdata.de/dl-de/by-2-0)",
}
DESTATIS_TERMS = ("Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe "
                  "gestattet. (terms printed in the Destatis file)")

# zstd at its strongest level: the file is written once per release and read often
_COMPRESSION_LEVEL = 22


def bundle_path(state: str = "06") -> Path | None:
    """The embedded bundle of ``state`` shipped with wirgeo, None if there is none."""
    path = EMBEDDED_BUNDLES.get(state)
    return path if path is not None and path.is_file() else None


def _resolve(path: str | Path | None, state: str = "06") -> Path:
    if path is not None:
        given = Path(path)
        if not given.is_file():
            raise SourceNotFoundError(given, _("bundle file not found"),
                                      fix=_("give a file written by `wirgeo data bundle`"))
        return given
    found = bundle_path(state)
    if found is None:
        raise SourceNotFoundError(
            EMBEDDED_BUNDLES.get(state),
            (_("wirgeo has no embedded dataset for state {state} ({state_name})")
             if state not in EMBEDDED_BUNDLES else
             _("wirgeo has no embedded dataset for state {state} ({state_name}) (the file is "
               "missing from this installation)")).format(
                state=state, state_name=STATE_NAMES.get(state, _("unknown state"))),
            fix=_("use the official files (--source DIR or `wirgeo data download`), or build "
                  "one with `wirgeo data bundle`"))
    return found


def _metadata(path: Path) -> dict[str, Any]:
    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise InputError(path, _("cannot be read as a Parquet file ({exc})").format(exc=exc),
                         fix=_("rebuild it with `wirgeo data bundle`")) from exc
    raw = (schema.metadata or {}).get(b"wirgeo")
    if raw is None:
        raise InputError(path, _("is not a wirgeo bundle (no 'wirgeo' metadata)"),
                         fix=_("give a file written by `wirgeo data bundle`"))
    meta: dict[str, Any] = json.loads(raw)
    if meta.get("format") != BUNDLE_FORMAT:
        raise InputError(path, _("bundle format {found!r}; this wirgeo reads format "
                                 "{expected}").format(found=meta.get("format"),
                                                      expected=BUNDLE_FORMAT),
                         fix=_("rebuild it with `wirgeo data bundle`"))
    return meta


def bundle_info(path: str | Path | None = None) -> dict[str, Any]:
    """The provenance a bundle carries: sources with SHA-256, licences, dates, units.

    Parameters
    ----------
    path : str or Path, optional
        A bundle file; default the embedded one.

    Returns
    -------
    dict
        ``state``, ``territory_date``, ``units``, ``boundaries``, ``population`` and
        ``census`` (each with ``file``, ``sha256``, ``size``, ``publisher``, ``date``,
        ``licence``, ``attribution``; ``census`` None in a bundle without it), ``sources``
        (all of them, in that order), ``territorial_changes``, ``kreise``, ``regions``,
        ``states`` and ``path``.
    """
    resolved = _resolve(path)
    return _info(resolved, _metadata(resolved))


def _info(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    census = [meta["census"]] if meta.get("census") else []
    return {**meta, "sources": [meta["boundaries"], meta["population"], *census],
            "path": str(path)}


def write_bundle(units: gpd.GeoDataFrame, meta: dict[str, Any], path: str | Path) -> Path:
    """Write a bundle: one row per unit, the provenance in the file's metadata.

    Parameters
    ----------
    units : GeoDataFrame
        :data:`BOUNDARY_COLUMNS`, :data:`POPULATION_COLUMNS`, :data:`CENSUS_COLUMNS` and
        ``geometry``, one row per AGS (written sorted by AGS).
    meta : dict
        The provenance (see :func:`bundle_info`); ``format`` is set here.
    path : str or Path
        The file to write (atomically).

    Returns
    -------
    Path
    """
    fields = (*BOUNDARY_COLUMNS, *POPULATION_COLUMNS, *CENSUS_COLUMNS)
    missing = [c for c in fields if c not in units]
    if missing:
        raise ArgumentError("units", _("lacks the column(s) {columns}").format(
                                         columns=", ".join(missing)),
                            fix=_("pass the joined units with the bundle's columns"))
    units = units.sort_values("ags", kind="stable").reset_index(drop=True)
    columns = {name: pa.array(_values(units[name]), type=_TYPES[name]) for name in fields}
    geometry = shapely.force_2d(units.geometry.to_numpy())
    columns["geometry"] = pa.array(shapely.to_wkb(geometry, byte_order=1, flavor="iso"),
                                   type=pa.binary())
    types = sorted(set(shapely.get_type_id(geometry).tolist()))
    geo = {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": {
        "encoding": "WKB", "crs": units.crs.to_json_dict() if units.crs else None,
        "geometry_types": [_GEOMETRY_NAMES[t] for t in types],
        "bbox": [float(v) for v in shapely.total_bounds(geometry)]}}}
    body = {**meta, "format": BUNDLE_FORMAT}
    table = pa.table(columns).replace_schema_metadata({
        "geo": json.dumps(geo, sort_keys=True),
        "wirgeo": json.dumps(body, sort_keys=True, ensure_ascii=False)})
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", compression_level=_COMPRESSION_LEVEL)
    return Path(path)


_GEOMETRY_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint",
                   5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}


def _values(series: pd.Series) -> list[Any]:
    """Plain Python values with None for missing (pyarrow's view of NA and NaN)."""
    return [None if _missing(v) else v.item() if isinstance(v, np.generic) else v
            for v in series.astype(object)]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def read_bundle(path: str | Path | None = None, state: str = "06"
                ) -> tuple[Boundaries, PopulationTable]:
    """The boundaries and population of a bundle, as the official readers return them.

    Kreise, Regierungsbezirke and the state are dissolved from the Gemeinden (the VG250
    layers share their borders, so the outlines are the official ones).

    Parameters
    ----------
    path : str or Path, optional
        A bundle file; default the embedded one of ``state``.
    state : str
        Two-digit state key; the bundle must cover it.

    Returns
    -------
    (Boundaries, PopulationTable)
        ``Boundaries.provenance`` holds :func:`bundle_info`.
    """
    state = check_key(state, 2, source="state", column="state")
    resolved = _resolve(path, state)
    note_input(resolved)
    meta = _metadata(resolved)
    if meta["state"] != state:
        raise InputError(resolved, _("the bundle covers state {covered} ({state_name}), not "
                                     "{state}").format(
                                       covered=meta["state"],
                                       state_name=STATE_NAMES.get(meta["state"], ""),
                                       state=state),
                         fix=_("use the official files for other states (--source DIR)"))
    table = pq.read_table(resolved)
    frame = table.drop_columns(["geometry"]).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    # PROJJSON as GeoParquet stores it; geopandas reads it as any other CRS text
    crs = json.dumps(json.loads(table.schema.metadata[b"geo"])["columns"]["geometry"]["crs"])
    geometry = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return (_boundaries(resolved, frame, geometry, crs, _info(resolved, meta)),
            _population(resolved, frame, meta))


def _boundaries(path: Path, frame: pd.DataFrame, geometry: np.ndarray, crs: str,
                info: dict[str, Any]) -> Boundaries:
    gem = gpd.GeoDataFrame({"ags": frame["ags"], "ars": frame["ars"], "name": frame["name"],
                            "type": frame["bez"], "merged_from": frame["merged_from"]},
                           geometry=geometry, crs=crs)
    source = info["boundaries"]
    return Boundaries(
        path=path, state=info["state"], municipalities=gem,
        districts=_dissolved(gem, 5, info["kreise"]),
        regions=_dissolved(gem, 3, info["regions"]),
        states=_dissolved(gem, 2, info["states"]),
        date=dt.date.fromisoformat(source["date"]),
        date_basis=f"{source['date_basis']}, in the embedded bundle",
        repaired=list(source["repaired"]), water_parts=int(source["water_parts"]),
        provenance=info)


def _dissolved(gem: gpd.GeoDataFrame, digits: int, units: list[dict[str, str]]
               ) -> gpd.GeoDataFrame:
    """Outlines of the units whose key is the first ``digits`` of the AGS."""
    keys = gem["ags"].str[:digits].to_numpy()
    geoms = gem.geometry.to_numpy()
    rows = sorted(units, key=lambda unit: unit["ags"])
    return gpd.GeoDataFrame(
        {"ags": [u["ags"] for u in rows], "ars": [u["ars"] for u in rows],
         "name": [u["name"] for u in rows], "type": [u["type"] for u in rows]},
        geometry=[shapely.union_all(geoms[keys == u["ags"]]) for u in rows], crs=gem.crs)


def read_bundle_census(path: str | Path | None = None, state: str = "06"
                       ) -> ZensusTable | None:
    """The Zensus 2022 figures a bundle carries (on its territory), None without them.

    Examples
    --------
    >>> census = read_bundle_census()
    >>> len(census.frame), census.embedded, census.merged[0][:2]
    (421, True, ('06635001', 'Allendorf (Eder)'))
    """
    state = check_key(state, 2, source="state", column="state")
    resolved = _resolve(path, state)
    meta = _metadata(resolved).get("census")
    if not meta:
        return None
    frame = pq.read_table(resolved, columns=["ags", "name", *CENSUS_COLUMNS]).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}.get)
    listed = frame[frame["census_population"].notna()].reset_index(drop=True)
    table = listed.rename(columns={"census_population": "population",
                                   "name": "name_official"})
    table = table.assign(row=np.arange(1, len(table) + 1))[[*ZENSUS_COLUMNS.values(), "row"]]
    merges = tuple((m["new_ags"], m["new_name"], tuple(m["old_ags"]), m["in_force"])
                   for m in meta["merges"])
    return ZensusTable(resolved, table, dt.date.fromisoformat(meta["date"]), merges,
                       embedded=True)


def _population(path: Path, frame: pd.DataFrame, meta: dict[str, Any]) -> PopulationTable:
    # units without a population row in the source (population missing) stay without one
    listed = frame[frame["population"].notna()].reset_index(drop=True)
    mun = listed[list(POPULATION_COLUMNS)].assign(ags=listed["ags"], ars=listed["ars"],
                                                   row=np.arange(1, len(listed) + 1))
    source = meta["population"]
    return PopulationTable(path, mun[MUNICIPALITY_COLUMNS], no_districts(),
                           dt.date.fromisoformat(source["date"]), source["kind"])
