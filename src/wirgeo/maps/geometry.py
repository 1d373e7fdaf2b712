"""Display geometry: the simplified WGS84 copy of the municipalities a map draws.

Display geometry is a copy of the municipalities simplified *as a coverage* (shared
borders are simplified once, so neighbours keep identical borders and no gaps open),
reprojected to WGS84 and rounded to 1e-5° (about 1 m). The analysis frame is never
touched; adjacency and every figure are computed on full resolution elsewhere.

The helpers below derive what the layers draw from it: border networks
(:func:`outlines`), areas per Kreis or Verbund (:func:`dissolve`) and label positions
(:func:`label_points`).

Examples
--------
>>> import shapely
>>> squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
>>> outlines(squares).length  # 2 × 4 around the squares, the shared edge counted once
7.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError

__all__ = ["DEFAULT_TOLERANCE_M", "COORDINATE_DECIMALS", "check_tolerance",
           "display_geometry", "vertex_count", "rounded", "outlines", "dissolve",
           "label_points"]

#: Default simplification tolerance in metres (Visvalingam–Whyatt: about the square root
#: of the largest triangle area removed). At this value Kreis-level zooms show no visible
#: loss and the full Hessen map with all layers stays well under 1.5 MB (see
#: docs/benchmarks.md).
DEFAULT_TOLERANCE_M = 200.0

#: Decimal places of display coordinates: 1e-5° is about 1.1 m north–south, 0.7 m east–west.
COORDINATE_DECIMALS = 5


def check_tolerance(tolerance_m: object, *, argument: str = "tolerance_m") -> float:
    """Return the simplification tolerance as a float, or raise naming ``argument``.

    Examples
    --------
    >>> check_tolerance(200)
    200.0
    >>> check_tolerance(-5)
    Traceback (most recent call last):
    ...
    wirgeo.errors.ArgumentError: Argument 'tolerance_m': die Vereinfachungstoleranz muss \
eine Meterzahl ≥ 0 sein, ist aber -5. Abhilfe: z. B. 200 verwenden, oder 0 für volle \
Auflösung.
    """
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, (int, float)) or \
            not math.isfinite(tolerance_m) or tolerance_m < 0:
        raise ArgumentError(argument, _("the simplification tolerance must be a number of "
                                        "metres ≥ 0, got {tolerance_m!r}").format(
                                          tolerance_m=tolerance_m),
                            fix=_("use e.g. 200, or 0 for full resolution"))
    return float(tolerance_m)


def display_geometry(municipalities: gpd.GeoDataFrame,
                     tolerance_m: float = DEFAULT_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Return a display copy: coverage-simplified, in WGS84, rounded to about 1 m.

    Shared borders are simplified once (:func:`shapely.coverage_simplify`), so neighbours
    keep identical borders and no gaps or overlaps open; coordinates are then reprojected
    to EPSG:4326 and snapped to a 1e-5° grid. The input is not modified. Use it only for
    drawing: adjacency and areas come from the full-resolution frame.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Municipalities in a projected CRS in metres (wirgeo's EPSG:25832), forming a
        coverage.
    tolerance_m : float
        Simplification tolerance in metres; 0 only reprojects and rounds.

    Returns
    -------
    GeoDataFrame
        Same rows and columns, geometry simplified, CRS EPSG:4326; ``.attrs`` as the input's
        plus ``display_tolerance_m``.

    Raises
    ------
    ArgumentError
        A negative or non-numeric ``tolerance_m``, or ``municipalities`` not in metres.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> shown = display_geometry(gem)
    >>> shown.crs.to_epsg(), len(shown) == len(gem), bool(shown.is_valid_coverage())
    (4326, True, True)
    >>> vertex_count(shown) < vertex_count(gem) // 2
    True
    """
    check_tolerance(tolerance_m)
    crs = municipalities.crs
    if crs is None or not crs.is_projected:
        raise ArgumentError("municipalities", _("display_geometry needs municipalities in a "
                                                "projected CRS in metres, got {crs}").format(
                                                  crs=crs.to_string() if crs else _("no CRS")),
                            fix=_("pass the frame from wirgeo.load() (EPSG:25832); simplify "
                                  "before reprojecting"))
    geometry = municipalities.geometry.to_numpy()
    if tolerance_m > 0:
        geometry = shapely.coverage_simplify(geometry, tolerance_m)
    shown = gpd.GeoDataFrame(pd.DataFrame(municipalities.drop(
        columns=municipalities.geometry.name)), geometry=geometry, crs=crs).to_crs(4326)
    shown["geometry"] = rounded(shown.geometry.to_numpy())
    shown.attrs = {**municipalities.attrs, "display_tolerance_m": tolerance_m}
    return shown


def vertex_count(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> int:
    """Count the coordinates of all geometries (what makes a web map large).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> vertex_count(gpd.GeoSeries([shapely.box(0, 0, 1, 1)]))
    5
    """
    series = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    return int(shapely.get_num_coordinates(series.to_numpy()).sum())


def rounded(geometry: Sequence[shapely.Geometry] | np.ndarray) -> np.ndarray:
    """Snap WGS84 geometries to the display grid (:data:`COORDINATE_DECIMALS`)."""
    return shapely.set_precision(np.asarray(geometry), 10.0 ** -COORDINATE_DECIMALS)


def outlines(polygons: Sequence[shapely.Geometry] | np.ndarray) -> shapely.Geometry:
    """Return the borders of adjacent polygons as one line network, each border once."""
    return shapely.line_merge(shapely.union_all(shapely.boundary(np.asarray(polygons))))


def dissolve(shown: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Polygons per value of ``by`` (the display coverage is exact, so a coverage union)."""
    parts = {key: shapely.coverage_union_all(group.geometry.to_numpy())
             for key, group in shown.groupby(by, sort=True)}
    return gpd.GeoDataFrame({by: list(parts)}, geometry=list(parts.values()),
                            crs=shown.crs)


def label_points(polygons: gpd.GeoDataFrame, *, avoid: np.ndarray | None = None,
                 clearance_m: float = 3000.0) -> np.ndarray:
    """Place a label inside each polygon: the centre of its largest inscribed circle.

    With ``avoid`` (WGS84 points: centre markers, other labels) the label keeps
    ``clearance_m`` from them where the polygon leaves room, so it does not sit on a
    marker or on another label.

    Examples
    --------
    >>> import shapely
    >>> box = gpd.GeoDataFrame(geometry=[shapely.box(9.0, 50.0, 9.2, 50.1)], crs=4326)
    >>> plain = label_points(box)[0]
    >>> moved = label_points(box, avoid=np.array([plain]))[0]
    >>> bool(plain.within(box.geometry[0])), plain.distance(moved) > 0.03  # ≥ 3 km away
    (True, True)
    """
    projected = polygons.to_crs(25832).geometry.to_numpy()
    if avoid is not None and len(avoid):
        points = gpd.GeoSeries(avoid, crs=4326).to_crs(25832).to_numpy()
        # the full clearance where the polygon has room, a third of it in small ones
        # (kreisfreie Städte), else the polygon's own centre
        for clearance in (clearance_m / 3, clearance_m):
            discs = shapely.buffer(points, clearance, quad_segs=4)
            near, which = shapely.STRtree(discs).query(projected, predicate="intersects")
            reduced = projected.copy()
            for i in np.unique(near):  # only the discs that reach into each polygon
                reduced[i] = shapely.difference(projected[i],
                                                shapely.union_all(discs[which[near == i]]))
            room = shapely.area(reduced) > 0.15 * shapely.area(projected)
            projected = np.where(room, reduced, projected)
    centres = shapely.get_point(shapely.maximum_inscribed_circle(projected, 200.0), 0)
    return rounded(gpd.GeoSeries(centres, crs=25832).to_crs(4326).to_numpy())
