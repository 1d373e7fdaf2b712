"""What the maps accept: the column contracts of the tables they draw, and attribution.

Every table a map draws is checked here before anything is drawn, so the layer builders
trust their input. The municipalities go through
:func:`wirgeo.municipalities.check_municipalities` (an
:class:`~wirgeo.errors.ArgumentError` naming the argument, column and row); a wrong
thematic table is an :class:`~wirgeo.errors.InputError` naming the table, the row and the
column. The municipalities must carry their source attribution, which the map shows with
the dates of the boundaries and the population.

Examples
--------
>>> import geopandas as gpd, shapely
>>> table = gpd.GeoDataFrame({"ags": ["06633001"], "population": [1000]},
...                          geometry=[shapely.box(0, 0, 1, 1)], crs=25832)
>>> check_tables(table, {})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'municipalities': die Tabelle hat keine Spalte 'name', \
'kreis_ags', ...
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.core.i18n import N_, _, date, translate
from wirgeo.errors import ArgumentError, InputError
from wirgeo.municipalities import check_municipalities
from wirgeo.vocabulary import ELIGIBILITY
from wirgeo.wording import data_source_line

__all__ = ["ELIGIBILITY_CLASSES", "COLUMNS", "CONSORTIA_LISTS", "TABLE_NAMES", "check_tables",
           "attribution"]

# how the attribution dates the boundaries and the population
_DATED = {"boundary_date": N_("boundaries as of {date}"),
          "population_date": N_("population as of {date}")}

#: What an error calls each thematic table (its argument of :func:`wirgeo.maps.planning_map`).
TABLE_NAMES = {"eligibility": N_("eligibility table"), "centres": N_("centres table"),
               "grantees": N_("grantees table"), "consortia": N_("consortia table"),
               "unplaced": N_("unplaced table")}

#: The eligibility classes a table may hold (:data:`wirgeo.vocabulary.ELIGIBILITY`).
ELIGIBILITY_CLASSES = ELIGIBILITY.codes

#: Columns each table must have (documented in :mod:`wirgeo.maps`).
COLUMNS = {
    "municipalities": ("ags", "name", "kreis_ags", "kreis_name", "rbz_ags", "status",
                       "population"),
    "eligibility": ("ags", "eligibility", "funded", "funded_round", "funded_years",
                    "centre_name", "centre_distance_km"),
    "centres": ("name", "host_type", "host_ags", "organisation", "street", "postcode",
                "town", "location_precision", "status", "source_url"),
    "grantees": ("ags", "name", "round", "years", "project", "amount_eur", "source_url",
                 "consortium_id"),
    "consortia": ("consortium_id", "n_members", "member_ags", "member_names", "population",
                  "kreis_ags", "kreis_names", "same_kreis", "shared_border_km"),
    # the reason in words: ``reason`` as given, else from ``reason_code`` and
    # ``reason_figures`` (:func:`wirgeo.wording.reason_text`)
    "unplaced": ("ags", "name", "kreis_name", "population", "reason_code"),
}
#: Columns of the consortia table that hold lists: tuples, or a file's ``;``-joined text.
CONSORTIA_LISTS = ("member_ags", "member_names", "kreis_ags", "kreis_names",
                   "linked_via_ags", "linked_via_names")


def check_tables(municipalities: pd.DataFrame,
                 tables: Mapping[str, pd.DataFrame | None]) -> gpd.GeoDataFrame:
    """Check the municipalities and each thematic table given (``None`` = not drawn).

    The municipalities go through :func:`wirgeo.municipalities.check_municipalities`
    (types, keys, outlines); the table returned is the one to draw.

    Raises
    ------
    ArgumentError
        The municipality table is not one (naming the argument ``municipalities``).
    InputError
        A missing column, an unknown eligibility class, an AGS that is not one of the
        municipalities, an eligibility table that misses or repeats a municipality,
        centres without point geometries.
    """
    municipalities = check_municipalities(municipalities,
                                          columns=COLUMNS["municipalities"])
    known = pd.Index(municipalities["ags"])
    eligibility = tables.get("eligibility")
    if eligibility is not None:
        _check_eligibility(eligibility, municipalities)
    centres = tables.get("centres")
    if centres is not None:
        _check_centres(centres)
    for name in ("grantees", "consortia", "unplaced"):
        frame = tables.get(name)
        if frame is not None:
            _require(frame, COLUMNS[name], translate(TABLE_NAMES[name]))
            if name != "consortia":  # its members are checked with the display geometry
                _unknown_ags(translate(TABLE_NAMES[name]), frame, "ags", known)
    return municipalities


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str, *,
             geo: bool = False) -> None:
    if geo and not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(table, _("must be a GeoDataFrame with point geometries"),
                         fix=_("pass the table from wirgeo's programme module"))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(table, _("missing column(s) {columns}").format(
                                    columns=", ".join(missing)),
                         column=missing[0], fix=_("pass a table with the documented columns "
                                                  "(see wirgeo.maps)"))


def _unknown_ags(table: str, frame: pd.DataFrame, column: str, known: pd.Index) -> None:
    keys = frame[column].astype(str)
    bad = ~keys.isin(known)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(table, _("AGS {ags!r} is not a municipality of this map").format(
                                    ags=keys.iloc[i]),
                         row=int(frame["row"].iloc[i]) if "row" in frame else i + 1,
                         column=column, fix=_("use 8-digit AGS of the loaded state"))


def _check_eligibility(eligibility: pd.DataFrame, municipalities: pd.DataFrame) -> None:
    table = translate(TABLE_NAMES["eligibility"])
    _require(eligibility, COLUMNS["eligibility"], table)
    bad = ~eligibility["eligibility"].isin(ELIGIBILITY_CLASSES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(table, _("unknown class {code!r}").format(
                                    code=eligibility["eligibility"].iloc[i]),
                         row=i + 1, column="eligibility",
                         fix=_("use one of {choices}").format(
                             choices=", ".join(ELIGIBILITY_CLASSES)))
    twice = eligibility["ags"].duplicated()
    if twice.any():
        raise InputError(table, _("AGS {ags} appears twice").format(
                                    ags=eligibility["ags"][twice].iloc[0]),
                         column="ags", fix=_("one row per municipality"))
    missing = ~municipalities["ags"].isin(eligibility["ags"])
    if missing.any():
        raise InputError(table, _("no row for AGS {ags}").format(
                                    ags=municipalities["ags"][missing].iloc[0]),
                         column="ags", fix=_("compute eligibility for the same municipalities"))


def _check_centres(centres: pd.DataFrame) -> None:
    table = translate(TABLE_NAMES["centres"])
    _require(centres, COLUMNS["centres"], table, geo=True)
    if centres.crs is None or not centres.geometry.geom_type.eq("Point").all():
        raise InputError(table, _("needs point geometries with a CRS"),
                         column="geometry", fix=_("pass the centres GeoDataFrame"))


def attribution(municipalities: pd.DataFrame,
                frames: Iterable[pd.DataFrame | None], *, census: bool = False) -> str:
    """The attribution line: sources of the municipalities with dates, then the tables'.

    ``census`` adds the Zensus 2022 attribution with its date, for maps that show its
    figures (``.attrs["census_attribution"]`` of the municipalities).

    Each source is named once, in order of appearance; ``" · "`` separates them.

    Raises
    ------
    ArgumentError
        The municipalities carry no ``.attrs["attribution"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> gem = pd.DataFrame()
    >>> gem.attrs = {"attribution": "© GeoBasis-DE / BKG · Destatis",
    ...              "boundary_date": "2016-01-01"}
    >>> from wirgeo.core.i18n import speaking
    >>> with speaking("de"):
    ...     attribution(gem, [None])
    '© GeoBasis-DE / BKG · Destatis · Grenzen Stand 01.01.2016'
    >>> with speaking("en"):
    ...     attribution(gem, [None])
    '© GeoBasis-DE / BKG · Destatis · boundaries as of 1 Jan 2016'
    """
    attrs = municipalities.attrs
    if not attrs.get("attribution"):
        raise ArgumentError("municipalities", _("the municipalities carry no source "
                                                "attribution (.attrs['attribution'])"),
                            fix=_("pass the frame from wirgeo.load() or copy its .attrs"))
    lines = [str(attrs["attribution"]).replace(" · ", "\n")]
    dates = [translate(_DATED[key]).format(date=date(str(attrs[key])))
             for key in ("boundary_date", "population_date") if attrs.get(key)]
    lines.append(", ".join(dates))
    if census and attrs.get("census_attribution"):
        lines.append(str(attrs["census_attribution"]))
    if attrs.get("data_source") and attrs.get("boundary_date") and attrs.get("population_date"):
        # official files or wirgeo's embedded copy, and where current releases come from
        lines.append(data_source_line(attrs))
    for frame in frames:
        extra = frame.attrs.get("attribution") if frame is not None else None
        if extra:
            lines.append(str(extra).replace(" · ", "\n"))
    seen = OrderedDict((line.strip(), None) for text in lines for line in text.split("\n")
                       if line.strip())
    return " · ".join(seen)
