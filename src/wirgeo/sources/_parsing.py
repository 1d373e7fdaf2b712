"""Cells as the official tables write them: headers, numbers, dates.

Shared by the Destatis and the population CSV readers. Every parser names the file, row
and column of a cell it cannot read.

Examples
--------
>>> norm_header("Fläche km2 1)")
'flächekm2'
>>> parse_count("165.123", source="p.csv", row=2, column="Einwohner")
165123
>>> parse_float("9,43751", source="gv.xlsx", row=7, column="Längengrad")
9.43751
>>> parse_date("Gebietsstand: 31.12.2023")
datetime.date(2023, 12, 31)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from wirgeo.errors import InputError

__all__ = ["MAX_POPULATION", "norm_header", "parse_count", "parse_int", "parse_float",
           "parse_date"]

#: The plausibility bound of a municipality's population: Berlin, Germany's largest
#: Gemeinde, had about 3.9 million inhabitants (Destatis, 31.12.2023); a figure above
#: 4 million is a typo, a sum or a unit error, never a Gemeinde. Stated in
#: docs/reliability.md.
MAX_POPULATION = 4_000_000

Source = str | Path | None


def norm_header(value: object) -> str:
    """A header cell without case, spaces, hyphens and footnote marker, for matching."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\s\-]+", "", text).lower()
    return re.sub(r"\d\)$", "", text)  # footnote markers such as "Fläche km2 1)"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_float(value: object, *, integer: bool, source: Source, row: int | None,
              column: str | None) -> float:
    """The number in a non-blank cell (NaN stays NaN): 1234, '1 234', '9,43751'."""
    if isinstance(value, bool):
        raise InputError(source, f"{value!r} is not a number", row=row, column=column)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text.isascii():  # float() would read "１２" and other scripts' digits
        raise InputError(source, f"{value!r} is not a number", row=row, column=column,
                         fix="write a plain number with the digits 0-9, e.g. 12345")
    if integer:
        # thousands separators in German (1.234) or English (1,234) style
        if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text):
            text = text.replace(".", "").replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", text):  # no "1e3", "nan", "inf" for a count
            raise InputError(source, f"{value!r} is not a number", row=row, column=column,
                             fix="write a whole number with the digits 0-9, e.g. 12345")
    elif "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise InputError(source, f"{value!r} is not a number", row=row, column=column,
                         fix="write a plain number, e.g. 12345") from None


def _whole(number: float, value: object, *, source: Source, row: int | None,
           column: str | None) -> int:
    if abs(number) > MAX_POPULATION * 1000:  # beyond any count; also inf (overflow)
        raise InputError(source, f"{value!r} is far too large for a population count",
                         row=row, column=column,
                         fix="check the figure: a typo or a unit error?")
    if not number.is_integer():
        raise InputError(source, f"{value!r} is not a whole number", row=row,
                         column=column, fix="population counts are whole numbers")
    return int(number)


def parse_count(value: object, *, source: Source, row: int | None,
                column: str | None) -> int:
    """A whole number that must be given (a population count)."""
    if _is_blank(value):
        raise InputError(source, "value is empty", row=row, column=column,
                         fix="fill in a number")
    number = _to_float(value, integer=True, source=source, row=row, column=column)
    if np.isnan(number):
        raise InputError(source, "value is empty", row=row, column=column)
    count = _whole(number, value, source=source, row=row, column=column)
    if count > MAX_POPULATION:
        raise InputError(source, f"{value!r} inhabitants is not plausible for one Gemeinde "
                         f"(the largest, Berlin, has about 3.9 million; wirgeo accepts up "
                         f"to {MAX_POPULATION:,})".replace(",", "."), row=row, column=column,
                         fix="check the figure: a typo, a sum over several rows or a unit "
                             "(e.g. thousands)?")
    return count


def _optional(value: object, *, integer: bool, source: Source, row: int | None,
              column: str | None) -> float | None:
    """The number in a cell that may be empty (blank or NaN: None)."""
    if _is_blank(value):
        return None
    number = _to_float(value, integer=integer, source=source, row=row, column=column)
    return None if np.isnan(number) else number


def parse_int(value: object, *, source: Source, row: int | None,
              column: str | None) -> int | None:
    """A whole number that may be missing (None for an empty cell)."""
    number = _optional(value, integer=True, source=source, row=row, column=column)
    return None if number is None else _whole(number, value, source=source, row=row,
                                              column=column)


def parse_float(value: object, *, source: Source, row: int | None,
                column: str | None) -> float | None:
    """A decimal number that may be missing; a decimal comma is read as the point."""
    return _optional(value, integer=False, source=source, row=row, column=column)


def _date(year: str, month: str, day: str, text: str, source: Source, row: int | None,
          column: str | None) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise InputError(source, f"{text.strip()!r} is not a date that exists", row=row,
                         column=column, fix="check day and month, e.g. 31.12.2024 or "
                                            "2024-12-31") from None


def parse_date(text: str, *, source: Source = None, row: int | None = None,
               column: str | None = None) -> dt.date | None:
    """The first date in ``text`` (``31.12.2024`` or ``2024-12-31``), None if there is none.

    A date that does not exist (``31.02.2024``) is an :class:`~wirgeo.errors.InputError`
    naming ``source``, ``row`` and ``column``.

    Examples
    --------
    >>> parse_date("30.02.2024", source="p.csv", row=3, column="Stichtag")
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: p.csv, row 3, column 'Stichtag': '30.02.2024' is not a date \
that exists. Fix: check day and month, e.g. 31.12.2024 or 2024-12-31.
    """
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return _date(m[3], m[2], m[1], text, source, row, column)
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return _date(m[1], m[2], m[3], text, source, row, column)
    return None
