"""Writing results: atomically, deterministically, in the format the extension names.

Every file wirgeo writes goes to a temporary file in the target folder first and is then
renamed, so an interrupted or failed run never leaves a half-written file behind. The
same inputs give byte-identical files: GeoPackage timestamps are pinned and the zip
entries inside an ``.xlsx`` get a fixed date.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from wirgeo.errors import InputError

__all__ = ["TABLE_FORMATS", "atomic_path", "write_text", "write_table", "write_workbook",
           "check_output_path"]

TABLE_FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg", ".parquet")

# A fixed timestamp for files whose formats store one (GeoPackage, xlsx zip entries).
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_ISO = "2000-01-01T00:00:00Z"


def check_output_path(path: str | Path, formats=TABLE_FORMATS) -> Path:
    """Validate an output path's extension before any work is done."""
    path = Path(path)
    if path.suffix.lower() not in formats:
        raise InputError(path, f"unknown output format {path.suffix or '(none)'!r}",
                         column="--out",
                         fix=f"end the file name with one of {', '.join(formats)}")
    return path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers that refuse to overwrite (GeoPackage) get a fresh name
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: str | Path, text: str) -> Path:
    """Write text atomically (UTF-8, ``\\n`` line ends)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def _normalise_zip(path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed entry dates and order, for byte-identical output."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    # openpyxl stamps the save time into docProps/core.xml whatever was set before
    stamp = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    entries = [(name, stamp.sub(rb"\g<1>" + _FIXED_ISO.encode() + rb"\g<2>", data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)


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
        _normalise_zip(tmp)
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
                old = os.environ.get("OGR_CURRENT_DATE")
                os.environ["OGR_CURRENT_DATE"] = _FIXED_ISO
                try:
                    frame.to_file(tmp, driver="GPKG", layer=layer or path.stem,
                                  engine="pyogrio")
                finally:
                    if old is None:
                        os.environ.pop("OGR_CURRENT_DATE", None)
                    else:
                        os.environ["OGR_CURRENT_DATE"] = old
            else:
                frame.to_parquet(tmp)
    return path
