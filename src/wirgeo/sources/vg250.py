"""BKG VG250 / VG250-EW boundaries ("Verwaltungsgebiete 1:250 000, Ebenen").

The GeoPackage carries one layer per level (``vg250_gem`` municipalities, ``vg250_krs``
Kreise, ``vg250_rbz`` Regierungsbezirke, ``vg250_lan`` states) with the official fields
``AGS``, ``ARS``/``RS``, ``GEN``, ``BEZ``, ``GF``, ``SN_L``, ``WSK`` and, in VG250-EW,
``EWZ``. :func:`read_vg250` reads the four layers of one state, keeps the land parts,
repairs invalid geometries and dates the boundaries.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wirgeo.core.i18n import N_, _, names, translate
from wirgeo.core.inputs import note_input
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._parsing import parse_date
from wirgeo.sources.discovery import HOW_TO_GET_SOURCES
from wirgeo.sources.keys import check_key
from wirgeo.sources.states import STATE_NAMES

__all__ = ["VG250_LAYERS", "BKG_ATTRIBUTION", "METRIC_EPSG", "Boundaries", "read_vg250",
           "check_boundary_file"]

_log = logging.getLogger(__name__)

#: The CRS every layer is used in (BKG publishes VG250 in it): ETRS89 / UTM zone 32N.
METRIC_EPSG = 25832

VG250_LAYERS = ("vg250_gem", "vg250_krs", "vg250_rbz", "vg250_lan")
_REQUIRED_VG250_FIELDS = ("AGS", "GEN", "BEZ", "GF", "SN_L")
# Geometry types of an area layer as GDAL names them ("Unknown": mixed, checked per feature)
_AREA_TYPES = {"Polygon", "MultiPolygon", "Polygon Z", "MultiPolygon Z", "Polygon M",
               "MultiPolygon M", "Polygon ZM", "MultiPolygon ZM", "Unknown", "Geometry"}

BKG_ATTRIBUTION = "© GeoBasis-DE / BKG {year} (Daten verändert)"

# GF ("Geofaktor") in VG250: 4 = land with structure; 2 = water with structure (lakes,
# Wadden Sea); 1 and 3 are the same without structure. Land parts carry the municipality.
_LAND_GF = 4
_WATER_GF = (1, 2)


@dataclass
class Boundaries:
    """The VG250 layers of one state, land parts only, keyed by AGS.

    Attributes
    ----------
    municipalities, districts, regions, states : GeoDataFrame
        ``vg250_gem``, ``vg250_krs``, ``vg250_rbz``, ``vg250_lan`` with columns ``ags``,
        ``ars``, ``name`` (``GEN``), ``type`` (``BEZ``), ``wsk`` (date), ``ewz``
        (population, VG250-EW only) and ``geometry`` (EPSG:25832 as published).
    date : datetime.date
        Reference date of the boundaries.
    date_basis : str
        Where the date comes from (``aktualitaet.txt``, the file name, or the latest
        ``WSK``).
    repaired : list of str
        AGS of municipalities whose geometry was invalid and repaired with ``make_valid``.
    water_parts : int
        Water features (``GF`` 1/2) that share a municipality's AGS and were not used.
    reprojected_from : str or None
        The CRS the file was in when it was not EPSG:25832 (the layers were reprojected).
    provenance : dict or None
        For boundaries from the embedded bundle (:func:`wirgeo.sources.bundle.read_bundle`):
        its source files, licences and dates; None for an official file.
    """

    path: Path
    state: str
    municipalities: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    states: gpd.GeoDataFrame
    date: dt.date
    date_basis: str
    repaired: list[str] = field(default_factory=list)
    water_parts: int = 0
    has_ewz: bool = False
    provenance: dict[str, Any] | None = None
    reprojected_from: str | None = None

    @property
    def attribution(self) -> str:
        """Attribution line required by BKG."""
        return BKG_ATTRIBUTION.format(year=self.date.year)


def _boundary_date(path: Path, wsk: pd.Series) -> tuple[dt.date, str]:
    """Reference date of a VG250 file, from the product, else from the data itself."""
    # BKG ships aktualitaet.txt beside the data in every download ("01.01.2025").
    for candidate in (path.with_name("aktualitaet.txt"), path.parent.parent / "aktualitaet.txt"):
        if candidate.is_file():
            note_input(candidate)
            date = parse_date(candidate.read_text(errors="replace"), source=candidate)
            if date is not None:
                # the basis of the date is said in words where it is shown (N_: marked)
                return date, N_("aktualitaet.txt of the product")
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if m:
        date = parse_date(m[0], source=path, column="file name")
        assert date is not None  # the pattern is a date
        return date, N_("product date in the file name")
    dates = pd.to_datetime(wsk.dropna().astype(str).str.replace("/", "-"), errors="coerce")
    if dates.notna().any():
        latest = dates.max().date()
        return latest, N_("latest legal-effect date (WSK) in the data; the product may be "
                          "newer")
    raise InputError(path, _("cannot tell the date of the boundaries (no aktualitaet.txt, no "
                             "date in the file name, no WSK field)"),
                     fix=_("keep aktualitaet.txt from the BKG download beside the GeoPackage"))


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Polygonal part of a repaired geometry (make_valid may add stray lines/points)."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _layer_names(path: Path) -> set[str]:
    """The layers of a GeoPackage; an unreadable file is an input error."""
    try:
        return {name for name, _ in pyogrio.list_layers(path)}
    except Exception as exc:
        raise InputError(path, _("cannot be read as a GeoPackage ({exc})").format(exc=exc),
                         fix=_("give a BKG VG250 GeoPackage (.gpkg)")) from exc


def _layer_info(path: Path, layer: str, available: set[str]) -> dict[str, Any]:
    """The layer's description, after checking it exists, its fields, keys, CRS and type."""
    if layer not in available:
        raise InputError(path, _("layer {layer!r} is missing (layers found: {layers})").format(
                                   layer=layer, layers=", ".join(sorted(available)) or _("none")),
                         fix=_("use an unmodified BKG VG250 GeoPackage ('Ebenen' product)"))
    try:
        info: dict[str, Any] = pyogrio.read_info(path, layer=layer)
    except Exception as exc:  # a damaged file: GDAL's message, said as an input error
        raise InputError(path, _("layer {layer!r} cannot be read ({exc})").format(
                                   layer=layer, exc=exc),
                         fix=_("download the BKG GeoPackage again (the file is damaged)")
                         ) from exc
    fields = list(info["fields"])
    missing = [f for f in _REQUIRED_VG250_FIELDS if f not in fields]
    if missing:
        raise InputError(path, _("layer {layer!r} lacks the field(s) {fields}").format(
                                   layer=layer, fields=", ".join(missing)),
                         column=missing[0],
                         fix=_("use an unmodified BKG VG250 GeoPackage with official field "
                               "names"))
    types = dict(zip(fields, info["dtypes"], strict=True))
    for key in ("AGS", "SN_L"):
        if not str(types[key]).startswith(("object", "str")):
            raise InputError(path, _("layer {layer!r}: field {key} is stored as numbers "
                                     "({type}), so leading zeros are lost").format(
                                       layer=layer, key=key, type=types[key]), column=key,
                             fix=_("use the original BKG file, where keys are text"))
    if info["crs"] is None:
        raise InputError(path, _("layer {layer!r} has no coordinate reference system").format(
                                   layer=layer),
                         fix=_("use the BKG GeoPackage as published (EPSG:25832) or assign "
                               "the CRS in a GIS before reading"))
    kind = str(info.get("geometry_type") or "Unknown")
    if kind not in _AREA_TYPES:
        raise InputError(path, _("layer {layer!r} holds {kind} geometries, not areas").format(
            layer=layer, kind=kind), column="geometry",
            fix=_("use the BKG VG250 GeoPackage ('Ebenen'): every Gemeinde, Kreis and state "
                  "is a polygon"))
    return info


def check_boundary_file(path: str | Path) -> None:
    """Check, without reading the features, that ``path`` is a VG250 GeoPackage.

    It opens, has the four VG250 layers with the official fields, text keys, a CRS and
    polygon geometries. The download checks every GeoPackage with it before installing.

    Raises
    ------
    InputError
        What is wrong, naming the file and the layer.

    Examples
    --------
    >>> check_boundary_file(SHARED_RAW / "bkg/vg250_2016-01-01_hessen.gpkg")
    """
    path = Path(path)
    available = _layer_names(path)
    for layer in VG250_LAYERS:
        _layer_info(path, layer, available)


def _read_layer(path: Path, layer: str, state: str, available: set[str]) -> gpd.GeoDataFrame:
    """The features of one state in one layer, after checking fields, key types and CRS."""
    _layer_info(path, layer, available)
    try:
        with warnings.catch_warnings():
            # coordinates that are not numbers: said as one error by _check_geometries
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            gdf = pyogrio.read_dataframe(path, layer=layer, where=f"SN_L = '{state}'")
    except Exception as exc:  # flipped bytes inside a feature or geometry blob
        raise InputError(path, _("layer {layer!r} cannot be read ({exc})").format(
                                   layer=layer, exc=exc),
                         fix=_("download the BKG GeoPackage again (the file is damaged)")
                         ) from exc
    if gdf.crs is None:  # pragma: no cover - read_info already checked
        raise InputError(path, _("layer {layer!r} has no coordinate reference system").format(
                                   layer=layer))
    gdf = _metric(gdf, path, layer)
    if gdf.empty and layer in ("vg250_gem", "vg250_lan"):
        raise InputError(path, _("layer {layer!r} has no feature with SN_L = '{state}' "
                                 "({state_name})").format(
                                   layer=layer, state=state,
                                   state_name=STATE_NAMES.get(state, _("no such state"))),
                         column="SN_L",
                         fix=_("choose a state the file covers (Hessen = 06) or use the "
                               "Germany file"))
    return gdf


def _metric(gdf: gpd.GeoDataFrame, path: Path, layer: str) -> gpd.GeoDataFrame:
    """The layer in EPSG:25832 (BKG's CRS): areas, lengths and buffers are in metres.

    Another metric CRS and geographic coordinates (EPSG:4326, whose "areas" would be
    square degrees) are reprojected, and that is said, the same way in every command.
    """
    if gdf.crs.to_epsg() == METRIC_EPSG:
        return gdf
    try:
        metric = gdf.to_crs(METRIC_EPSG)
        metric.attrs["reprojected_from"] = gdf.crs.to_string()
        return metric
    except Exception as exc:  # a CRS pyproj cannot transform
        raise InputError(path, _("layer {layer!r}: its CRS {crs} cannot be transformed to "
                                 "EPSG:{epsg} ({exc})").format(
                                   layer=layer, crs=gdf.crs.to_string(), epsg=METRIC_EPSG,
                                   exc=exc),
                         fix=_("use the BKG GeoPackage as published (EPSG:25832)")) from exc


def _listed(keys: list[str]) -> str:
    """Up to five keys, and an ellipsis for the rest."""
    return ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")


def _check_geometries(path: Path, layer: str, land: gpd.GeoDataFrame) -> None:
    """Every land part has an outline: a polygon with real coordinates.

    A NULL or empty geometry, a point or line where an area belongs, and coordinates that
    are not numbers (NaN) cannot be planned; each is one error naming the units.
    """
    missing = land.geometry.isna() | land.geometry.is_empty
    if missing.any():
        ags = land.loc[missing, "AGS"].astype(str).tolist()
        problem = (_("layer {layer!r}: all {total} geometries are empty or NULL")
                   if missing.all() else
                   _("layer {layer!r}: {count} of {total} geometries are empty or NULL "
                     "(AGS {keys})")).format(
            layer=layer, total=len(land), count=len(ags), keys=_listed(ags))
        raise InputError(path, problem, column="geometry",
                         fix=_("use the original BKG file; every unit needs its outline"))
    kinds = land.geometry.geom_type
    other = ~kinds.isin(["Polygon", "MultiPolygon"])
    if other.any():
        ags = land.loc[other, "AGS"].astype(str).tolist()
        raise InputError(path, _("layer {layer!r}: {count} of {total} features are not "
                                 "areas ({kinds}; AGS {keys})").format(
            layer=layer, count=len(ags), total=len(land), keys=_listed(ags),
            kinds=", ".join(sorted(set(kinds[other])))), column="geometry",
            fix=_("use the original BKG file; every unit is a polygon"))
    coords, index = shapely.get_coordinates(land.geometry.to_numpy(), return_index=True)
    bad = np.unique(index[~np.isfinite(coords).all(axis=1)])
    if len(bad):
        ags = land["AGS"].astype(str).to_numpy()[bad].tolist()
        raise InputError(path, _("layer {layer!r}: {count} outline(s) have coordinates that "
                                 "are not numbers (NaN or infinite; AGS {keys})").format(
            layer=layer, count=len(ags), keys=_listed(ags)), column="geometry",
            fix=_("use the original BKG file, or repair the outlines in a GIS"))


def _land_parts(path: Path, layer: str, raw: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """The land features (GF 4) of a layer, one per AGS, and the count of water parts."""
    gf = pd.to_numeric(raw["GF"], errors="coerce")
    land = raw[gf == _LAND_GF].copy()
    water = int(gf.isin(_WATER_GF).sum())
    dup = land["AGS"][land["AGS"].duplicated()]
    if len(dup):
        first = dup.iloc[0]
        rows = [int(i) + 1 for i in np.flatnonzero(raw["AGS"].to_numpy() == first)]
        raise InputError(path, _("layer {layer!r}: AGS {first} occurs on {count} land "
                                 "features (GF 4) (features {rows})").format(
                                   layer=layer, first=first, count=len(rows), rows=rows),
                         column="AGS",
                         fix=_("each unit must have one land feature; use the original file"))
    return land, water


def _repair_invalid(land: gpd.GeoDataFrame) -> list[str]:
    """Repair invalid geometries in place with ``make_valid``; return their AGS, sorted."""
    invalid = ~land.geometry.is_valid
    if not invalid.any():
        return []
    repaired = sorted(land.loc[invalid, "AGS"].tolist())
    land.loc[invalid, "geometry"] = land.loc[invalid].geometry.make_valid().apply(_polygonal)
    return repaired


def _check_repaired(path: Path, layer: str, land: gpd.GeoDataFrame, fixed: list[str]) -> None:
    """A repaired outline that has no area left (a sliver, a line) is an error, named."""
    if not fixed:
        return
    lost = land.geometry.isna() | land.geometry.is_empty
    if lost.any():
        ags = land.loc[lost, "AGS"].astype(str).tolist()
        raise InputError(path, _("layer {layer!r}: the outline of AGS {keys} is invalid and "
                                 "has no area once repaired").format(layer=layer,
                                                                     keys=_listed(ags)),
                         column="geometry",
                         fix=_("use the original BKG file, or repair the outlines in a GIS"))


def _units(land: gpd.GeoDataFrame, crs: object) -> gpd.GeoDataFrame:
    """Land parts in wirgeo's columns (``ags``, ``ars``, ``name``, ...), sorted by AGS."""
    land["AGS"] = land["AGS"].astype(str)
    out = gpd.GeoDataFrame(
        {
            "ags": land["AGS"].to_numpy(),
            # some VG250 files name the regional key RS instead of ARS
            "ars": (land["ARS"] if "ARS" in land else land.get("RS", land["AGS"])).astype(
                str).to_numpy(),
            "name": land["GEN"].astype(str).to_numpy(),
            "type": land["BEZ"].astype(str).to_numpy(),
            "wsk": land["WSK"].astype(str).to_numpy() if "WSK" in land else None,
        },
        geometry=land.geometry.to_numpy(),
        crs=crs,
    )
    if "EWZ" in land:
        ewz = pd.to_numeric(land["EWZ"], errors="coerce")
        out.insert(4, "ewz", ewz.astype("Int64").to_numpy())
    return out.sort_values("ags", kind="stable").reset_index(drop=True)


def read_vg250(path: str | Path, state: str = "06") -> Boundaries:
    """Read the four VG250 layers of one state.

    Land parts (``GF == 4``) make the units; water parts (``GF`` 1/2) share their
    municipality's AGS and are counted, not kept, so they never create duplicates. Invalid
    geometries are repaired with ``make_valid`` and listed in ``repaired``.

    Parameters
    ----------
    path : str or Path
        A VG250 or VG250-EW GeoPackage (any state coverage).
    state : str
        Two-digit state key (``SN_L``); Hessen is ``"06"``.

    Examples
    --------
    >>> b = read_vg250(SHARED_RAW / "bkg/vg250_2016-01-01_hessen.gpkg")
    >>> len(b.municipalities), str(b.date)
    (430, '2016-01-01')
    """
    path = Path(path)
    state = check_key(state, 2, source="state", column="state")
    if not path.is_file():
        raise SourceNotFoundError(path, _("boundary file not found"),
                                  fix=translate(HOW_TO_GET_SOURCES))
    note_input(path)
    available = _layer_names(path)
    frames = {}
    repaired: list[str] = []
    water = 0
    reprojected: dict[str, str] = {}
    for layer in VG250_LAYERS:
        raw = _read_layer(path, layer, state, available)
        if "reprojected_from" in raw.attrs:
            reprojected[layer] = raw.attrs["reprojected_from"]
        land, water_parts = _land_parts(path, layer, raw)
        _check_geometries(path, layer, land)
        fixed = _repair_invalid(land)
        _check_repaired(path, layer, land, fixed)
        if layer == "vg250_gem":  # only municipalities are reported; every layer is repaired
            water = water_parts
            repaired.extend(fixed)
        frames[layer] = _units(land, raw.crs)

    gem = frames["vg250_gem"]
    bad = gem["ags"][gem["ags"].str.len() != 8]
    if len(bad):
        raise InputError(path, _("layer 'vg250_gem': AGS {key!r} is not 8 digits").format(
                                   key=bad.iloc[0]),
                         column="AGS", fix=_("use the original BKG file"))
    if reprojected:  # said once per file, the same in every command
        crs = sorted(set(reprojected.values()))
        _log.info(_("{path}: boundaries are in {crs}, reprojected to EPSG:{epsg} (metres)")
                  .format(path=path, crs=names(crs), epsg=METRIC_EPSG))
    date, basis = _boundary_date(path, gem["wsk"] if "wsk" in gem else pd.Series([]))
    return Boundaries(
        path=path, state=state,
        municipalities=gem, districts=frames["vg250_krs"], regions=frames["vg250_rbz"],
        states=frames["vg250_lan"], date=date, date_basis=basis,
        repaired=repaired, water_parts=water, has_ewz="ewz" in gem,
        reprojected_from=", ".join(sorted(set(reprojected.values()))) or None,
    )
