"""Writing results: atomically, deterministically, in the format the extension names.

Every file wirgeo writes goes to a temporary file in the target folder first and is then
renamed, so an interrupted or failed run never leaves a half-written file behind. The
same inputs give byte-identical files: GeoPackage timestamps are pinned and the zip
entries inside an ``.xlsx`` get a fixed date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from wirgeo.core.files import FIXED_TIME as _FIXED_TIME
from wirgeo.core.files import atomic_path, normalise_zip, pinned_ogr_date, write_text
from wirgeo.errors import InputError

__all__ = ["TABLE_FORMATS", "atomic_path", "write_text", "write_table", "write_workbook",
           "check_output_path"]

TABLE_FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg", ".parquet")

def check_output_path(path: str | Path, formats=TABLE_FORMATS) -> Path:
    """Validate an output path's extension before any work is done."""
    path = Path(path)
    if path.suffix.lower() not in formats:
        raise InputError(path, f"unknown output format {path.suffix or '(none)'!r}",
                         column="--out",
                         fix=f"end the file name with one of {', '.join(formats)}")
    return path


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                   formatter: Callable | None = None) -> Path:
    """Write several tables as sheets of one Excel workbook, atomically.

    Columns are sized to their content and the header row is frozen. ``formatter`` may
    adjust each worksheet further: it is called as ``formatter(sheet_name, worksheet,
    frame)``.
    """
    from openpyxl.utils import get_column_letter

    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                sheet.freeze_panes = "A2"
                for j, column in enumerate(frame.columns, start=1):
                    values = [str(column)] + [str(v) for v in frame[column].head(200)]
                    width = min(max(len(v) for v in values) + 2, 60)
                    sheet.column_dimensions[get_column_letter(j)].width = width
                if formatter is not None:
                    formatter(name, sheet, frame)
            props = writer.book.properties
            import datetime as dt

            fixed = dt.datetime(*_FIXED_TIME)
            props.created = fixed
            props.modified = fixed
            props.creator = "wirgeo"
        normalise_zip(tmp)
    return Path(path)


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet_name: str = "table",
                layer: str | None = None) -> Path:
    """Write a (Geo)DataFrame in the format the extension names, atomically.

    ``.csv`` (UTF-8, geometry dropped), ``.xlsx`` (geometry dropped), ``.geojson``
    (WGS84), ``.gpkg`` (original CRS), ``.parquet`` (GeoParquet).
    """
    import geopandas as gpd

    path = check_output_path(path)
    suffix = path.suffix.lower()
    is_geo = isinstance(frame, gpd.GeoDataFrame)
    plain = pd.DataFrame(frame.drop(columns=frame.geometry.name)) if is_geo else frame
    if suffix == ".csv":
        with atomic_path(path) as tmp:
            plain.to_csv(tmp, index=False, lineterminator="\n")
    elif suffix == ".xlsx":
        write_workbook(path, {sheet_name: plain})
    elif suffix in (".geojson", ".gpkg", ".parquet"):
        if not is_geo:
            raise InputError(path, f"{suffix} needs geometries, this table has none",
                             column="--out", fix="write it as .csv or .xlsx")
        with atomic_path(path) as tmp:
            if suffix == ".geojson":
                frame.to_crs(4326).to_file(tmp, driver="GeoJSON", engine="pyogrio",
                                           COORDINATE_PRECISION=6)
            elif suffix == ".gpkg":
                # pin gpkg_contents.last_change so the file is byte-identical across runs
                with pinned_ogr_date():
                    frame.to_file(tmp, driver="GPKG", layer=layer or path.stem,
                                  engine="pyogrio")
            else:
                frame.to_parquet(tmp)
    return path
