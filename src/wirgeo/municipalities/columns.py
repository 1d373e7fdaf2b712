"""Any GeoDataFrame of municipalities as wirgeo's own table: named columns, any CRS.

A geopandas user brings a table with their own column names and in their own CRS (often
WGS84). :func:`standard_table` checks it at the door (:func:`check_municipalities`:
keys, inhabitants, outlines), names the key and the inhabitants column, fills the optional
columns the engine uses and reprojects geographic coordinates to metres. What it assumes
for a missing optional column is said here once, and the top-level functions
(:func:`wirgeo.optimal_plan`, :func:`wirgeo.eligibility`, …) refer to it:

``name``
    the key (so messages and tables still name every Gemeinde);
``name_official``
    the ``name`` (names are looked up in both);
``kreis_ags``
    the first 5 digits of the key (the Kreis part of an AGS);
``kreis_name``
    the Kreis key (wirgeo knows no names for a table it did not load);
``rbz_ags``
    the first 3 digits of the key (the Regierungsbezirk, where a state has them; the maps
    draw their borders);
``status``
    ``"kreisangehoerig"``: every Gemeinde belongs to a Kreis. With the default rules
    this is harmless in Hessen — its kreisfreie Städte and Sonderstatusstädte are all
    above the population band and are never small — but give a ``status`` column
    where a rule set excludes by status and small towns have a special status. Without
    it the curated WIR-Vielfaltszentren are left out (their hosts are checked against
    the status), the documented grantees are still used
    (:func:`wirgeo.optimal_plan`);
``lon``, ``lat``
    a point inside each outline (its representative point) in WGS84, where the curated
    Vielfaltszentren are checked against the Gemeinden.

Coordinates: a table in a projected CRS in metres is used as it is; a geographic one
(such as EPSG:4326) is reprojected to ETRS89 / UTM zone 32N (EPSG:25832), the CRS of the
official outlines, because contiguity is tested by growing outlines by metres.

Examples
--------
>>> from wirgeo import load_municipalities
>>> own = (load_municipalities()[["ags", "name", "population", "geometry"]]
...        .rename(columns={"ags": "schluessel", "population": "einwohner"})
...        .to_crs(4326))
>>> table = standard_table(own, key="schluessel", population="einwohner")
>>> table.crs.to_epsg(), table.loc[0, ["ags", "kreis_ags", "status"]].tolist()
(25832, ['06411000', '06411', 'kreisangehoerig'])
"""

from __future__ import annotations

import geopandas as gpd

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.municipalities.validate import check_municipalities

__all__ = ["standard_table", "METRIC_CRS"]

#: The CRS a geographic table is reprojected to: ETRS89 / UTM 32N, that of the outlines.
METRIC_CRS = 25832


def standard_table(frame: object, *, key: str = "ags", population: str = "population",
                   argument: str = "municipalities") -> gpd.GeoDataFrame:
    """A municipality table with wirgeo's column names, optional columns filled, in metres.

    Parameters
    ----------
    frame : GeoDataFrame
        Municipalities, one row each (never modified): a key column of 8-digit AGS, an
        inhabitants column and polygon outlines in any CRS. ``name``, ``kreis_ags``,
        ``kreis_name`` and ``status`` are used when present, else filled as the module
        says.
    key, population : str
        Names of the key and the inhabitants column.
    argument : str
        The Python argument the table came in, for the messages.

    Returns
    -------
    GeoDataFrame
        A new table in the same row order with the columns ``ags``, ``name``,
        ``name_official``, ``population``, ``kreis_ags``, ``kreis_name``, ``rbz_ags``,
        ``status``, ``lon``, ``lat`` and ``geometry`` (and the others given), in a
        projected CRS.

    Raises
    ------
    ArgumentError
        What :func:`check_municipalities` refuses, or a column ``ags``/``population``
        beside differently named key/inhabitants columns (which one is meant?).

    Warns
    -----
    KeyFormatWarning
        Keys given as whole numbers were read with their leading zeros.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> frame = gpd.GeoDataFrame({"id": [6411000], "ew": [165000]},
    ...                          geometry=[shapely.box(8.6, 49.8, 8.7, 49.9)], crs=4326)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     table = standard_table(frame, key="id", population="ew")
    >>> table[["ags", "name", "kreis_name"]].iloc[0].tolist(), table.crs.to_epsg()
    (['06411000', '06411000', '06411'], 25832)
    """
    checked = check_municipalities(frame, argument=argument, key=key, population=population)
    renames = {key: "ags", population: "population"}
    for given, standard in renames.items():
        if given != standard and standard in checked.columns:
            raise ArgumentError(argument, _("the table has a column {standard!r} beside "
                                            "{given!r}").format(standard=standard, given=given),
                                fix=_("drop or rename the column {standard!r}").format(
                                    standard=standard))
    table = checked.rename(columns=renames)
    keys = table["ags"].astype(str)
    filled = {"name": keys, "kreis_ags": keys.str[:5], "rbz_ags": keys.str[:3],
              "status": "kreisangehoerig"}
    table = table.assign(**{c: v for c, v in filled.items() if c not in table.columns})
    for column, source in (("kreis_name", "kreis_ags"), ("name_official", "name")):
        if column not in table.columns:
            table = table.assign(**{column: table[source]})
    table = table.assign(population=table["population"].astype("int64"))
    if not table.crs.is_projected:
        table = table.to_crs(METRIC_CRS)
    if not {"lon", "lat"} <= set(table.columns):
        inner = table.geometry.representative_point().to_crs(4326)
        table = table.assign(lon=inner.x.round(6), lat=inner.y.round(6))
    table.attrs = dict(getattr(frame, "attrs", {}))
    return table
