"""Several tables as the sheets of one Excel workbook, the same bytes for the same tables.

Every sheet is ready for work and for paper: a filter on the header, the header frozen,
long text wrapped, web addresses as links, and a print setup (fit to the page width,
landscape when the table is wide, the header repeated on every page, a footer with the
sheet's title and the page number).

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
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from wirgeo.core.files import FIXED_TIME, atomic_path, normalise_zip
from wirgeo.core.i18n import _
from wirgeo.core.lists import joined_lists
from wirgeo.exports.safe_text import safe_frame

__all__ = ["SheetFormatter", "write_workbook"]

#: ``formatter(sheet_name, worksheet, frame)``: adjusts one openpyxl worksheet further.
SheetFormatter = Callable[[str, Any, pd.DataFrame], None]

_MAX_WIDTH = 60
_ROWS_MEASURED = 200  # column widths follow the header and the first rows
#: Wider than this (in characters, about a portrait A4 page's width) prints landscape.
_PORTRAIT_WIDTH = 95
_URL = re.compile(r"https?://\S+$")  # a cell that is one web address becomes its link


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                   formatter: SheetFormatter | None = None) -> Path:
    """Write several tables as sheets of one Excel workbook, atomically.

    Columns of lists (tuples, :mod:`wirgeo.core.lists`) are ``;``-joined. Text cells a
    spreadsheet would run as a formula get a leading apostrophe
    (:func:`~wirgeo.exports.safe_text.safe_frame`). Columns are sized to their content,
    long text wrapped, ``http(s)`` addresses made links; the header row has a filter, is
    frozen and repeated on every printed page; each sheet prints fit to the page width
    (landscape when wide) with its title and page number in the footer. Sheet names are
    cut to Excel's 31 characters. ``formatter`` may adjust each worksheet further: it is called
    as ``formatter(sheet_name, worksheet, frame)``. The document properties and the zip
    entries carry a fixed date, so the same tables give a byte-identical file.
    """
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, given in sheets.items():
                # lists ";"-joined; no text cell may run as a formula
                frame = safe_frame(joined_lists(given))
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                sheet.freeze_panes = "A2"
                _size_columns(sheet, frame)
                if formatter is not None:
                    formatter(name, sheet, frame)
                _ready_for_work(sheet, frame)
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


def _ready_for_work(sheet: Any, frame: pd.DataFrame) -> None:
    """Filter, wrapped text, links and print setup of one table sheet."""
    from openpyxl.utils import get_column_letter

    if len(frame.columns) == 0:
        return
    last = get_column_letter(len(frame.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    for j, column in enumerate(frame.columns, start=1):
        _wrap_and_link(sheet, j, frame[column])
    _print_setup(sheet)


def _wrap_and_link(sheet: Any, j: int, values: pd.Series) -> None:
    """Wrap a column whose text is longer than its width; make web addresses links."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    text = [v if isinstance(v, str) else "" for v in values]
    links = [bool(_URL.match(v)) for v in text]
    long = any(len(v) > _MAX_WIDTH for v in text)
    if not long and not any(links):
        return
    letter = get_column_letter(j)
    if long:
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width,
                                                    _MAX_WIDTH)
    for i, (value, link) in enumerate(zip(text, links, strict=True), start=2):
        cell = sheet.cell(row=i, column=j)
        if link:
            cell.hyperlink = value  # a link, not a formula: HYPERLINK() would run as one
            cell.style = "Hyperlink"
        if long:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _print_setup(sheet: Any) -> None:
    """Fit to the page width, landscape when wide, header repeated, title and page below."""
    widths = [d.width or 8 for d in sheet.column_dimensions.values()]
    sheet.page_setup.orientation = "landscape" if sum(widths) > _PORTRAIT_WIDTH \
        else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    # "&A" is Excel's own field for the sheet's name: no text of ours becomes a code
    sheet.oddFooter.left.text = "&A"
    sheet.oddFooter.right.text = _("Page {page} of {pages}").format(page="&P", pages="&N")
