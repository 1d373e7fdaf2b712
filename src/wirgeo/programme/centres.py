"""The WIR-Vielfaltszentren: ``data/wir_centres.csv``, checked against the municipalities.

A centre's host is named by AGS: the 5-digit Kreis key for a Landkreis or a kreisfreie
Stadt, the 8-digit Gemeinde key for a Sonderstatusstadt. A street address cannot be
geocoded offline, so a centre is placed at the official centre coordinate (Destatis) of the
town its office sits in (``town_ags``); exact ``lon``/``lat`` written into the file win.

Examples
--------
>>> from wirgeo import load_municipalities
>>> centres = load_centres(municipalities=load_municipalities())
>>> centres.location_precision.value_counts().to_dict()
{'town': 33}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _
from wirgeo.core.text import closest
from wirgeo.errors import InputError
from wirgeo.municipalities import MunicipalityNames
from wirgeo.programme._checks import (
    check_choice,
    check_further_sources,
    fill_optional,
    require_municipalities,
    rows_of_kreise,
)
from wirgeo.sources import read_curated_csv

__all__ = ["HOST_TYPES", "CENTRE_STATUS", "load_centres", "centres_of_kreise"]

HOST_TYPES = ("landkreis", "kreisfreie_stadt", "sonderstatusstadt")
CENTRE_STATUS = ("confirmed", "inferred")

_CENTRE_FILE = "wir_centres.csv"
_COLUMNS = ["name", "host_type", "host_ags", "host_name", "kreis_ags", "organisation",
            "street", "postcode", "town", "town_ags", "status", "location_precision",
            "lon", "lat", "source_url", "further_sources", "note", "row"]
# the state's extent comes from the official centre coordinates; this margin (0.1°,
# 7–11 km) covers the outer parts of the border municipalities
_MARGIN_DEG = 0.1


def load_centres(path: str | Path | None = None,
                 municipalities: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Load the WIR-Vielfaltszentren from ``data/wir_centres.csv``, validated and placed.

    Parameters
    ----------
    path : str or Path, optional
        The centre table; default ``data/wir_centres.csv``.
    municipalities : GeoDataFrame
        The joined municipalities (:func:`wirgeo.load_municipalities`); required. Every
        host and town AGS must exist there; town coordinates come from it.

    Returns
    -------
    GeoDataFrame
        One point per centre in EPSG:25832 (the CRS of the municipalities), columns
        ``name``, ``host_type``, ``host_ags``, ``host_name``, ``kreis_ags`` (the Kreis the
        host lies in), ``organisation``, ``street``, ``postcode``, ``town``, ``town_ags``,
        ``status`` (confirmed / inferred), ``location_precision`` (``town``: the Destatis
        centre coordinate of ``town_ags``; ``address``: ``lon``/``lat`` from the file),
        ``lon``, ``lat`` (WGS84), ``source_url``, ``further_sources``, ``note``, ``row``
        (line in the file).

    Raises
    ------
    ArgumentError
        ``municipalities`` not given.
    InputError
        Naming file, row and column: unknown or mismatching AGS, a host twice, a missing
        source URL, an unknown host type or status, coordinates outside the state.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> centres = load_centres(municipalities=load_municipalities())
    >>> len(centres), centres.crs.to_epsg()
    (33, 25832)
    >>> centres.host_type.value_counts().to_dict()
    {'landkreis': 21, 'sonderstatusstadt': 7, 'kreisfreie_stadt': 5}
    """
    gem = require_municipalities(municipalities, "load_centres")
    path = _centre_path(path)
    return _placed(_read(path), path, gem)


def centres_of_kreise(municipalities: pd.DataFrame, path: str | Path | None = None
                      ) -> gpd.GeoDataFrame:
    """The centres whose host lies in a Kreis of ``municipalities``, validated and placed.

    For a part of the state (one Kreis cut out of the table, say): rows of Kreise the
    table does not have at all are left out; every row kept is checked as in
    :func:`load_centres`, so its town must be in the table too.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> centres_of_kreise(gem[gem.kreis_ags == "06431"]).name.tolist()
    ['WIR-Vielfaltszentrum Kreis Bergstraße']
    """
    path = _centre_path(path)
    frame = _read(path)
    kept = rows_of_kreise(frame, frame["host_ags"], municipalities["kreis_ags"])
    return _placed(kept, path, municipalities)


def _centre_path(path: str | Path | None) -> Path:
    return Path(path) if path else _paths.data_dir() / _CENTRE_FILE


def _read(path: Path) -> pd.DataFrame:
    """The centre table with the checks that need nothing but the file."""
    frame = read_curated_csv(
        path,
        required=["name", "host_type", "host_ags", "host_name", "organisation", "town",
                  "town_ags", "status"],
        keys={"host_ags": (5, 8), "town_ags": 8},
        unique=["name", "host_ags"],
        optional=["street", "postcode", "lon", "lat", "further_sources", "note"],
    )
    fill_optional(frame, ("street", "postcode", "lon", "lat", "note"))
    check_choice(frame, "host_type", HOST_TYPES, path)
    check_choice(frame, "status", CENTRE_STATUS, path)
    check_further_sources(frame, path)
    return frame


@dataclass(frozen=True)
class _Lookup:
    """What the centre checks look up in the municipality table."""

    by_ags: pd.DataFrame
    kreis_type: pd.Series  # Kreis key → "landkreis" or "kreisfreie_stadt"
    kreis_names: pd.Series
    bounds: tuple[float, float, float, float]  # extent of the official centre coordinates
    names: MunicipalityNames

    @classmethod
    def of(cls, gem: pd.DataFrame) -> _Lookup:
        kreis_type = gem.groupby("kreis_ags")["status"].agg(
            lambda s: "kreisfreie_stadt" if (s == "kreisfreie_stadt").any() else "landkreis")
        bounds = (float(gem.lon.min()), float(gem.lat.min()), float(gem.lon.max()),
                  float(gem.lat.max()))
        return cls(gem.set_index("ags"), kreis_type,
                   gem.groupby("kreis_ags")["kreis_name"].first(), bounds,
                   MunicipalityNames(gem))


def _placed(frame: pd.DataFrame, path: Path, municipalities: pd.DataFrame
            ) -> gpd.GeoDataFrame:
    """Check every row against the municipalities and place the centres."""
    lookup = _Lookup.of(municipalities)
    places = []
    for r in frame.itertuples(index=False):
        _check_host(r, path, lookup)
        _check_town(r, path, lookup)
        places.append(_location(r, path, lookup))
    frame["lon"] = [lon for lon, _, _ in places]
    frame["lat"] = [lat for _, lat, _ in places]
    frame["location_precision"] = [precision for _, _, precision in places]
    frame["kreis_ags"] = frame["host_ags"].str[:5]
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=4326).to_crs(25832)
    return gpd.GeoDataFrame(frame[_COLUMNS], geometry=points).reset_index(drop=True)


def _check_host(r: Any, path: Path, lookup: _Lookup) -> None:
    """The host key has the length of its type and names a host of that type."""
    want = 8 if r.host_type == "sonderstatusstadt" else 5
    if len(r.host_ags) != want:
        raise InputError(path, _("a {host_type} is named by its {want}-digit key, got "
                                 "{host_ags!r}").format(
                                   host_type=r.host_type, want=want, host_ags=r.host_ags),
                         row=int(r.row), column="host_ags",
                         fix=_("5-digit Kreis AGS for Landkreise and kreisfreie Städte, "
                               "8-digit Gemeinde AGS for Sonderstatusstädte"))
    if want == 5:
        _check_kreis_host(r, path, lookup)
    else:
        _check_city_host(r, path, lookup)


def _check_kreis_host(r: Any, path: Path, lookup: _Lookup) -> None:
    row, names = int(r.row), lookup.kreis_names
    if r.host_ags not in lookup.kreis_type.index:
        close = closest(r.host_name, list(names), n=1, cutoff=0.5)
        hint = (_("{name} is {ags}").format(name=close[0],
                                            ags=names[names == close[0]].index[0]) if close
                else _("check the Kreis AGS"))
        raise InputError(path, _("Kreis AGS {host_ags} is not in the data").format(
                                   host_ags=r.host_ags), row=row,
                         column="host_ags", fix=hint)
    actual = lookup.kreis_type[r.host_ags]
    if actual != r.host_type:
        raise InputError(path, _("{host_ags} ({name}) is a {actual}, not a {host_type}")
                         .format(host_ags=r.host_ags, name=names[r.host_ags], actual=actual,
                                 host_type=r.host_type), row=row, column="host_type",
                         fix=_("write host_type {actual}").format(actual=actual))


def _check_city_host(r: Any, path: Path, lookup: _Lookup) -> None:
    row, by_ags = int(r.row), lookup.by_ags
    if r.host_ags not in by_ags.index:
        raise InputError(path, _("AGS {host_ags} is not in the data").format(
                                   host_ags=r.host_ags), row=row, column="host_ags",
                         fix=_("check the 8-digit AGS"))
    if by_ags.at[r.host_ags, "status"] != "sonderstatusstadt":
        raise InputError(path, _("{host_ags} ({name}) is not a Sonderstatusstadt").format(
                                   host_ags=r.host_ags, name=by_ags.at[r.host_ags, "name"]),
                         row=row, column="host_ags",
                         fix=_("name a Sonderstatusstadt, or a Kreis by its 5 digits"))


def _check_town(r: Any, path: Path, lookup: _Lookup) -> None:
    """``town`` and ``town_ags`` name the same municipality of the table."""
    row, by_ags = int(r.row), lookup.by_ags
    if r.town_ags not in by_ags.index:
        if r.town_ags[:5] not in lookup.kreis_type.index:
            # two Landkreise run their administration from a city outside their area
            raise InputError(path, _("the office sits in AGS {town_ags}, whose Kreis "
                                     "{kreis} is not in the municipality table").format(
                                       town_ags=r.town_ags, kreis=r.town_ags[:5]), row=row,
                             column="town_ags", fix=_("a centre is placed at its town: "
                                                      "include Kreis {kreis} in the "
                                                      "municipalities").format(
                                                        kreis=r.town_ags[:5]))
        raise InputError(path, _("AGS {town_ags} is not in the data").format(
                                   town_ags=r.town_ags), row=row,
                         column="town_ags",
                         fix=_("give the 8-digit AGS of the town where the office sits"))
    town = lookup.names.resolve(r.town, source=path, row=row, column="town")
    if town != r.town_ags:
        raise InputError(path, _("town {town!r} is AGS {ags}, but town_ags says {town_ags} "
                                 "({name})").format(
                                   town=r.town, ags=town, town_ags=r.town_ags,
                                   name=by_ags.at[r.town_ags, "name"]), row=row,
                         column="town_ags",
                         fix=_("make town and town_ags name the same municipality"))


def _location(r: Any, path: Path, lookup: _Lookup) -> tuple[float, float, str]:
    """(lon, lat, precision): the file's coordinates if given, else the town's."""
    if not r.lon and not r.lat:
        town = lookup.by_ags.loc[r.town_ags]
        return float(town["lon"]), float(town["lat"]), "town"
    if not (r.lon and r.lat):
        raise InputError(path, _("only one of lon and lat is filled"), row=int(r.row),
                         column="lat" if r.lon else "lon",
                         fix=_("give both coordinates (WGS84 decimal degrees) or neither"))
    lon, lat = (_degrees(value, column, path, int(r.row))
                for column, value in (("lon", r.lon), ("lat", r.lat)))
    minx, miny, maxx, maxy = lookup.bounds
    if not (minx - _MARGIN_DEG <= lon <= maxx + _MARGIN_DEG
            and miny - _MARGIN_DEG <= lat <= maxy + _MARGIN_DEG):
        raise InputError(path, _("({lon}, {lat}) lies outside the state").format(
                                   lon=lon, lat=lat), row=int(r.row), column="lon",
                         fix=_("give WGS84 longitude then latitude, e.g. lon 8.65, lat 49.87"))
    return lon, lat, "address"


def _degrees(value: str, column: str, path: Path, row: int) -> float:
    try:
        return float(value)
    except ValueError:
        raise InputError(path, _("{value!r} is not a number").format(value=value),
                         row=row, column=column,
                         fix=_("write decimal degrees with a point, e.g. 8.6538")) from None
