"""The municipality table at the public boundary: checked once, in one place.

Every public function that takes a municipality table — :func:`wirgeo.programme.eligibility`,
:func:`wirgeo.consortia.plan`, :func:`wirgeo.planning.build` and
:meth:`wirgeo.planning.PlanningRequest.run`, the map functions — passes it through
:func:`check_municipalities` first. A table from :func:`wirgeo.load_municipalities` passes
unchanged; anything else gets one clear :class:`~wirgeo.errors.ArgumentError` naming the
argument, the column and the first bad row, instead of an ``IndexError`` deep inside or,
worse, a silently wrong plan ("0 of 246 … (optimal)" when the keys were integers).

Keys are 8-digit strings. Keys given as whole numbers (``6411000``, the form a spreadsheet
or ``read_csv`` without ``dtype=str`` leaves) are read with their leading zeros and a
:class:`~wirgeo.errors.KeyFormatWarning` says so; anything else that is not a key is an
error. The column names are parameters (``key=``, ``population=``), so a table with other
names can be checked the same way.

Examples
--------
>>> import warnings
>>> import geopandas as gpd, shapely
>>> square = shapely.box(0, 0, 1000, 1000)
>>> frame = gpd.GeoDataFrame({"ags": [6411000], "population": [165000]},
...                          geometry=[square], crs=25832)
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     checked = check_municipalities(frame, columns=("ags", "population"))
>>> checked["ags"].tolist(), caught[0].category.__name__
(['06411000'], 'KeyFormatWarning')
>>> check_municipalities(frame.assign(ags=["0641100x"]), columns=("ags",))
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'municipalities': Spalte 'ags', Zeile 1: '0641100x' \
ist kein 8-stelliger Schlüssel (AGS). Abhilfe: Schlüssel als Text aus 8 Ziffern angeben, \
z. B. '06411000'.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError, KeyFormatWarning
from wirgeo.rules import STATUS_VALUES

__all__ = ["check_municipalities"]

#: Key columns and their length, where a table has them.
_KEY_LENGTHS = {"kreis_ags": 5}


def check_municipalities(frame: object, *, argument: str = "municipalities",
                         key: str = "ags", population: str = "population",
                         columns: Sequence[str] = (), geometry: bool = True
                         ) -> gpd.GeoDataFrame:
    """Check a municipality table at the public boundary; return it with usable keys.

    Parameters
    ----------
    frame : GeoDataFrame
        The table to check (never modified).
    argument : str
        The Python argument it came in, for the messages.
    key, population : str
        The names of the key column (8-digit AGS) and the inhabitants column.
    columns : sequence of str
        Further columns the caller needs (``"geometry"`` included or not: see
        ``geometry``).
    geometry : bool
        The table must be a GeoDataFrame with a CRS and polygon outlines.

    Returns
    -------
    GeoDataFrame or DataFrame
        ``frame`` itself when nothing needed fixing, else a copy with keys as 8-digit
        (``kreis_ags``: 5-digit) strings; ``attrs`` kept.

    Raises
    ------
    ArgumentError
        Naming ``argument``, the column and the first bad row: the wrong type, a missing
        column, a key that is not one, a key twice, inhabitants that are not a whole
        number of at least 0, an unknown ``status``, outlines that are missing, not areas
        or not numbers.
    """
    table = _table(frame, argument, geometry)
    needed = list(dict.fromkeys([key, population, *columns]))
    missing = [c for c in needed if c not in table.columns and c != "geometry"]
    if missing:
        raise ArgumentError(argument, _("the table has no column {columns}").format(
            columns=", ".join(repr(c) for c in missing)),
            fix=_("pass the table from wirgeo.load_municipalities(), or name its columns "
                  "(needed: {needed})").format(needed=", ".join(needed)))
    fixed = {}
    for name, length in ((key, 8), *(item for item in _KEY_LENGTHS.items()
                                     if item[0] in table.columns and item[0] != key)):
        keys = _keys(table[name], name, length, argument)
        if keys is not None:
            fixed[name] = keys
    if fixed:
        _say_fixed(table, fixed, argument)
        table = table.assign(**fixed)
        table.attrs = dict(frame.attrs)  # type: ignore[attr-defined]
    _check_unique(table[key], key, argument)
    _check_population(table[population], population, argument)
    if "status" in table.columns:
        _check_status(table["status"], argument)
    if geometry:
        _check_outlines(table, argument, key)
    return table


def _table(frame: object, argument: str, geometry: bool) -> pd.DataFrame:
    kind = gpd.GeoDataFrame if geometry else pd.DataFrame
    if not isinstance(frame, kind):
        raise ArgumentError(argument, _("expects a {kind}, got {got}").format(
            kind=kind.__name__, got=type(frame).__name__),
            fix=_("pass the table from wirgeo.load_municipalities()"))
    if not len(frame):
        raise ArgumentError(argument, _("the table has no rows"),
                            fix=_("pass the table from wirgeo.load_municipalities()"))
    return frame


def _row(series: pd.Series, mask: np.ndarray) -> tuple[int, object]:
    """1-based position and value of the first row where ``mask`` holds."""
    at = int(np.flatnonzero(mask)[0])
    return at + 1, series.iloc[at]


def _keys(series: pd.Series, name: str, length: int, argument: str) -> pd.Series | None:
    """The keys as text of ``length`` digits; None when they already are."""
    if pd.api.types.is_string_dtype(series.dtype) and bool(
            series.str.fullmatch(f"[0-9]{{{length}}}").fillna(False).all()):
        return None  # already text keys (the usual case, checked fast)
    padded = series.map(lambda v: _padded(v, length))
    bad = padded.isna()
    if bad.any():
        row, value = _row(series, bad.to_numpy())
        raise ArgumentError(argument, _("column {column!r}, row {row}: {value!r} is not a "
                                        "key of {length} digits ({what})").format(
            column=name, row=row, value=value, length=length,
            what="AGS" if length == 8 else _("Kreis key")),
            fix=_("give keys as text of {length} digits, e.g. {example!r}").format(
                length=length, example="06411000"[:length]))
    return padded.astype(object)


def _padded(value: object, length: int) -> str | None:
    """A key given as a whole number or as too short digits, with its zeros; else None."""
    if isinstance(value, str):
        text = value.strip()
        return text.zfill(length) if text.isdigit() and text.isascii() and \
            len(text) <= length else None
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not np.isfinite(number) or not number.is_integer() or not 0 <= number < 10 ** length:
        return None
    return f"{int(number):0{length}d}"


def _say_fixed(table: pd.DataFrame, fixed: dict[str, pd.Series], argument: str) -> None:
    """One warning for all key columns read with their leading zeros."""
    examples = []
    for name, keys in fixed.items():
        given = table[name]
        first = int(np.flatnonzero((keys != given.astype(str)).to_numpy())[0]) \
            if (keys != given.astype(str)).any() else 0
        examples.append(f"{name!r}: {given.iloc[first]} -> {keys.iloc[first]!r}")
    warnings.warn(_("argument {argument!r}: keys given as numbers or without their leading "
                    "zeros were read as text ({examples}). Give keys as text to silence "
                    "this").format(argument=argument, examples="; ".join(examples)),
                  KeyFormatWarning, stacklevel=4)


def _check_unique(keys: pd.Series, name: str, argument: str) -> None:
    twice = keys.duplicated()
    if twice.any():
        row, value = _row(keys, twice.to_numpy())
        raise ArgumentError(argument, _("column {column!r}, row {row}: key {value} appears "
                                        "twice").format(column=name, row=row, value=value),
                            fix=_("one row per municipality"))


def _check_population(values: pd.Series, name: str, argument: str) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    if pd.api.types.is_bool_dtype(values.dtype):
        numbers = pd.Series(np.nan, index=values.index)
    bad = numbers.isna() | (numbers < 0) | ~np.isfinite(numbers.fillna(0)) | \
        (numbers.fillna(0) % 1 != 0)
    if bad.any():
        row, value = _row(values, bad.to_numpy())
        raise ArgumentError(argument, _("column {column!r}, row {row}: {value!r} is not a "
                                        "number of inhabitants (a whole number, 0 or "
                                        "more)").format(column=name, row=row, value=value),
                            fix=_("give inhabitants as whole numbers"))


def _check_status(status: pd.Series, argument: str) -> None:
    bad = ~status.isin(STATUS_VALUES)
    if bad.any():
        row, value = _row(status, bad.to_numpy())
        raise ArgumentError(argument, _("column 'status', row {row}: unknown status "
                                        "{value!r}").format(row=row, value=value),
                            fix=_("use one of {values}").format(
                                values=", ".join(STATUS_VALUES)))


def _check_outlines(table: gpd.GeoDataFrame, argument: str, key: str) -> None:
    if table.crs is None:
        raise ArgumentError(argument, _("the table has no coordinate reference system"),
                            fix=_("set it, e.g. frame.set_crs(25832), or pass the table "
                                  "from wirgeo.load_municipalities()"))
    geoms = table.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    # 3 Polygon, 6 MultiPolygon; -1 missing
    bad = ~np.isin(kinds, (3, 6)) | shapely.is_empty(geoms)
    if bad.any():
        row, value = _row(table[key], bad)
        raise ArgumentError(argument, _("row {row} (key {value}): the outline is missing, "
                                        "empty or not an area").format(row=row, value=value),
                            fix=_("every municipality needs a polygon outline"))
    coords = shapely.get_coordinates(geoms)
    if np.isfinite(coords).all():
        return
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    nan = np.unique(index[~np.isfinite(coords).all(axis=1)])
    if len(nan):
        row, value = int(nan[0]) + 1, table[key].iloc[int(nan[0])]
        raise ArgumentError(argument, _("row {row} (key {value}): the outline has "
                                        "coordinates that are not numbers (NaN)").format(
            row=row, value=value), fix=_("repair the outlines, e.g. in a GIS"))
