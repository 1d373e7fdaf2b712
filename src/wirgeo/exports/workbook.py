"""Several tables as the sheets of one Excel workbook, the same bytes for the same tables.

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> sheets = {"Gemeinden": pd.DataFrame({"AGS": ["06411000"], "Einwohner": [162_243]})}
>>> first = write_workbook(out / "a.xlsx", sheets).read_bytes()
>>> first == write_workbook(out / "b.xlsx", sheets).read_bytes()
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from wirgeo.core.files import FIXED_TIME, atomic_path, normalise_zip
from wirgeo.exports.safe_text import safe_frame

__all__ = ["SheetFormatter", "write_workbook"]

#: ``formatter(sheet_name, worksheet, frame)``: adjusts one openpyxl worksheet further.
SheetFormatter = Callable[[str, Any, pd.DataFrame], None]

_MAX_WIDTH = 60
_ROWS_MEASURED = 200  # column widths follow the header and the first rows


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                   formatter: SheetFormatter | None = None) -> Path:
    """Write several tables as sheets of one Excel workbook, atomically.

    Text cells a spreadsheet would run as a formula get a leading apostrophe
    (:func:`~wirgeo.exports.safe_text.safe_frame`). Columns are sized to their content and
    the header row is frozen; sheet names are cut
    to Excel's 31 characters. ``formatter`` may adjust each worksheet further: it is called
    as ``formatter(sheet_name, worksheet, frame)``. The document properties and the zip
    entries carry a fixed date, so the same tables give a byte-identical file.
    """
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, given in sheets.items():
                frame = safe_frame(given)  # no text cell may run as a formula
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                sheet.freeze_panes = "A2"
                _size_columns(sheet, frame)
                if formatter is not None:
                    formatter(name, sheet, frame)
            props = writer.book.properties
            fixed = dt.datetime(*FIXED_TIME)
            props.created = fixed
            props.modified = fixed
            props.creator = "wirgeo"
        normalise_zip(tmp)
    return Path(path)


def _size_columns(sheet: Any, frame: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    for j, column in enumerate(frame.columns, start=1):
        values = [str(column)] + [str(v) for v in frame[column].head(_ROWS_MEASURED)]
        width = min(max(len(v) for v in values) + 2, _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(j)].width = width
