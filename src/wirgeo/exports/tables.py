"""One table to one file, in the format the file name's extension says.

Files are written atomically and deterministically (:mod:`wirgeo.core.files`): an
interrupted run leaves no half-written file, and the same table gives the same bytes (the
GeoPackage's change date is pinned, the xlsx zip entries get a fixed date).

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_table(pd.DataFrame({"ags": ["06411000"]}), out / "t.csv").read_text()
'ags\\n06411000\\n'
>>> check_output_path(out / "t.shp")
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'path': unbekanntes Ausgabeformat '.shp' (t.shp). \
Abhilfe: den Dateinamen mit einer dieser Endungen enden lassen: .csv, .xlsx, .geojson, \
.gpkg, .parquet.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wirgeo.core.files import atomic_path, pinned_ogr_date
from wirgeo.core.i18n import _
from wirgeo.core.lists import joined_lists
from wirgeo.errors import ArgumentError
from wirgeo.exports.safe_text import safe_frame
from wirgeo.exports.sheets import people_formatter, people_sheet
from wirgeo.exports.workbook import write_workbook
from wirgeo.wording import with_labels, with_reasons, with_violations

__all__ = ["TABLE_FORMATS", "check_output_path", "write_table", "for_files"]

TABLE_FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg", ".parquet")
_GEO_FORMATS = (".geojson", ".gpkg", ".parquet")


def check_output_path(path: str | Path, formats: Iterable[str] = TABLE_FORMATS, *,
                      argument: str = "path") -> Path:
    """Validate an output path's extension before any work is done.

    Parameters
    ----------
    path : str or Path
        The file to write.
    formats : iterable of str
        The extensions allowed (lower case, with the dot).
    argument : str
        The Python argument the path came from, for the error message.

    Raises
    ------
    ArgumentError
        An extension not in ``formats``, naming ``argument``.
    """
    path = Path(path)
    formats = tuple(formats)
    if path.suffix.lower() not in formats:
        raise ArgumentError(argument, _("unknown output format {suffix!r} ({name})").format(
                                          suffix=path.suffix or _("(none)"), name=path.name),
                            fix=_("end the file name with one of {formats}").format(
                                    formats=", ".join(formats)))
    return path


def for_files(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of the engine as a file holds it: its codes' words beside them.

    Reasons (``reason_figures``) become the sentence ``reason``, rule violations phrases,
    eligibility codes get their labels (:mod:`wirgeo.wording`), in the active language;
    every other column is kept as it is.
    """
    return with_labels(with_violations(with_violations(with_reasons(frame)), "problems"))


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet_name: str = "table",
                layer: str | None = None) -> Path:
    """Write a (Geo)DataFrame in the format the extension names, atomically.

    Columns of lists (tuples of str, :mod:`wirgeo.core.lists`) are written ``;``-joined.
    ``.csv`` (UTF-8, geometry dropped, formula-like text neutralised), ``.xlsx`` (geometry
    dropped, the same; for people: headers, words and number formats in the active
    language, :func:`~wirgeo.exports.sheets.people_sheet`), ``.geojson``
    (WGS84), ``.gpkg`` (original CRS; ``layer`` defaults to the file name), ``.parquet``
    (GeoParquet).

    Raises
    ------
    ArgumentError
        An unknown extension, or a geometry format for a table without geometries.
    """
    path = check_output_path(path)
    suffix = path.suffix.lower()
    is_geo = isinstance(frame, gpd.GeoDataFrame)
    frame = joined_lists(frame)  # lists are tuples in memory, ";"-joined text in files
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name)) if is_geo else frame
    if suffix == ".csv":
        with atomic_path(path) as tmp:
            # a CSV opened in Excel runs "=…" cells too (OWASP CSV injection)
            safe_frame(plain).to_csv(tmp, index=False, lineterminator="\n")
    elif suffix == ".xlsx":  # a workbook is for people: German headers, words, formats
        sheet = people_sheet(plain)
        write_workbook(path, {sheet_name: sheet.frame},
                       formatter=people_formatter({sheet_name: sheet}))
    elif suffix in _GEO_FORMATS:
        if not is_geo:
            raise ArgumentError("path", _("{suffix} needs geometries, this table has none "
                                          "({name})").format(suffix=suffix, name=path.name),
                                fix=_("write it as .csv or .xlsx"))
        _write_geo(frame, path, suffix, layer)
    return path


def _write_geo(frame: gpd.GeoDataFrame, path: Path, suffix: str, layer: str | None) -> None:
    with atomic_path(path) as tmp:
        if suffix == ".geojson":
            # the layer name becomes the file's "name": the output's, not the staging file's
            # (which differs every run)
            frame.to_crs(4326).to_file(tmp, driver="GeoJSON", engine="pyogrio",
                                       layer=layer or path.stem, COORDINATE_PRECISION=6)
        elif suffix == ".gpkg":
            # pin gpkg_contents.last_change so the file is byte-identical across runs
            with pinned_ogr_date():
                frame.to_file(tmp, driver="GPKG", layer=layer or path.stem, engine="pyogrio")
        else:
            frame.to_parquet(tmp)
