"""The format of our own curated tables in ``data/``, and small JSON side files.

Every curated table is a UTF-8 CSV whose rows each name the public page the fact comes
from (``source_url``). :func:`read_curated_csv` checks the format once: known columns
only, required cells filled, URLs, official keys, ISO dates and unique values. What the
rows *mean* (a centre's host, a grantee's round) is checked by the module that owns the
table; it can trust the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.core.text import is_http_url
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources._text import read_text
from wirgeo.sources.keys import check_key

__all__ = ["read_curated_csv", "read_json"]


def _read_table(path: Path) -> pd.DataFrame:
    """All cells as text; empty cells stay empty strings (not NaN).

    Read with :mod:`csv` rather than pandas, so a row with more fields than the header
    is an error naming the row (pandas would silently take the first column as an index
    when every row has one field too many).
    """
    text = read_text(path)[0]
    if not text.strip():
        raise InputError(path, _("file is empty"), row=1,
                         fix=_("restore the table from git (it has a header row and one row "
                               "per entry)"))
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(path, _("cannot be read as CSV ({exc})").format(exc=exc),
                         fix=_("check the quotes on that line")) from exc
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise InputError(path, _("column {twice!r} appears twice in the header").format(
                                   twice=twice), row=1,
                         column=twice, fix=_("give each column once"))
    body = []
    for n, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines, as pandas skips them
        if len(values) != len(header):
            raise InputError(path, _("row has {count} fields, the header has {expected}").format(
                                       count=len(values), expected=len(header)), row=n,
                             fix=_("separate fields with ',' and put a value that contains a "
                                   "comma in double quotes"))
        body.append(values)
    return pd.DataFrame(body, columns=header, dtype=object).astype(str)


def _check_header(frame: pd.DataFrame, path: Path, required: list[str],
                  allowed: set[str]) -> None:
    """Unknown columns are refused (a typo must not drop data); required ones must exist."""
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise InputError(path, _("unknown column {unknown!r}").format(unknown=unknown[0]),
                         row=1, column=unknown[0],
                         fix=_("use only the columns {columns}").format(
                                 columns=", ".join(sorted(allowed))))
    for column in required:
        if column not in frame.columns:
            raise InputError(path, _("column is missing"), row=1, column=column,
                             fix=_("add the column {column!r} to the header").format(
                                     column=column))


def _check_filled(frame: pd.DataFrame, path: Path, required: list[str]) -> None:
    for column in required:
        empty = frame[column] == ""
        if empty.any():
            row = int(frame.loc[empty, "row"].iloc[0])
            fix = (_("every row needs the URL of the public page the fact comes from")
                   if column == "source_url" else _("fill in {column}").format(column=column))
            raise InputError(path, _("value is empty"), row=row, column=column, fix=fix)


def _check_urls(frame: pd.DataFrame, path: Path) -> None:
    bad_url = ~frame["source_url"].map(is_http_url).astype(bool)
    if bad_url.any():
        row = int(frame.loc[bad_url, "row"].iloc[0])
        raise InputError(path, _("{value!r} is not a URL").format(
                                   value=frame.loc[bad_url, "source_url"].iloc[0]),
                         row=row, column="source_url", fix=_("give a full http(s) URL"))


def _check_key_column(frame: pd.DataFrame, path: Path, column: str,
                      lengths: tuple[int, ...], optional: bool) -> None:
    for row, value in zip(frame["row"], frame[column], strict=True):
        if value == "" and optional:
            continue
        if value.isascii() and value.isdigit() and len(value) in lengths:
            continue
        # explain against the nearest allowed length (a 7-digit AGS lost a zero)
        target = min((n for n in lengths if n >= len(value)), default=max(lengths))
        check_key(value, target, source=path, row=int(row), column=column)


def _check_date_column(frame: pd.DataFrame, path: Path, column: str, optional: bool) -> None:
    for row, value in zip(frame["row"], frame[column], strict=True):
        if value == "" and optional:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(path, _("{value!r} is not a date").format(value=value),
                             row=int(row), column=column,
                             fix=_("write dates as YYYY-MM-DD")) from None


def _check_unique(frame: pd.DataFrame, path: Path, unique: Iterable[str]) -> None:
    for column in unique:
        dup = frame[column].duplicated(keep=False) & (frame[column] != "")
        if dup.any():
            rows = frame.loc[dup, "row"].tolist()
            raise InputError(path, _("{value!r} appears more than once (rows {rows})").format(
                                       value=frame.loc[dup, column].iloc[0],
                                       rows=", ".join(map(str, rows))), row=rows[1],
                             column=column, fix=_("keep one row per entry"))


def read_curated_csv(
    path: str | Path,
    *,
    required: Iterable[str],
    keys: Mapping[str, int | tuple[int, ...]] | None = None,
    dates: Iterable[str] = (),
    unique: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> pd.DataFrame:
    """Read one of our curated tables from ``data/`` and check it.

    Every table has a ``source_url`` column that must be filled on every row (an http(s)
    URL). Key columns must hold official keys of the given length(s); date columns ISO
    dates. Unknown columns are refused, so a typo in a header cannot silently drop data.
    The frame gets a ``row`` column with the line number in the file (header = 1).

    Parameters
    ----------
    path : str or Path
    required : iterable of str
        Columns that must be present and non-empty on every row (besides ``source_url``).
    keys : mapping of column to length(s)
        Columns holding official keys.
    dates : iterable of str
        Columns holding ISO dates (``YYYY-MM-DD``).
    unique : iterable of str
        Columns whose values must not repeat.
    optional : iterable of str
        Further columns that may be present and may be empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("ags,name,source_url\\n06411000,Darmstadt,\\n")
    >>> read_curated_csv(p, required=["ags", "name"], keys={"ags": 8})
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...t.csv, Zeile 2, Spalte 'source_url': Wert ist \
leer. Abhilfe: jede Zeile braucht die URL der öffentlichen Seite, von der die Angabe stammt.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, _("curated table not found"),
                                  fix=_("restore it from git (it belongs to the repository)"))
    needed = [*required, "source_url"]
    keys = dict(keys or {})
    dates = list(dates)
    allowed = set(needed) | set(keys) | set(dates) | set(optional)
    frame = _read_table(path)
    _check_header(frame, path, needed, allowed)
    frame = frame.apply(lambda s: s.str.strip())
    frame.insert(0, "row", np.arange(2, len(frame) + 2))
    _check_filled(frame, path, needed)
    _check_urls(frame, path)
    for column, lengths in keys.items():
        if column in frame:
            _check_key_column(frame, path, column,
                              (lengths,) if isinstance(lengths, int) else tuple(lengths),
                              optional=column not in needed)
    for column in dates:
        if column in frame:
            _check_date_column(frame, path, column, optional=column not in needed)
    _check_unique(frame, path, unique)
    return frame.reset_index(drop=True)


def read_json(path: Path) -> dict[str, Any]:
    """Small JSON side files (checksum memo, download manifest); empty if absent/broken.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> read_json(pathlib.Path(tempfile.mkdtemp()) / "missing.json")
    {}
    """
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    except (OSError, ValueError):
        return {}
