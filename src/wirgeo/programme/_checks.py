"""Row checks the two curated programme tables share.

Both ``data/wir_centres.csv`` and ``data/kiv_grantees.csv`` are read by
:func:`wirgeo.sources.read_curated_csv` (columns, keys, duplicates, ``source_url``); the
checks here come after it and, like it, name the file, the row and the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.core.text import is_http_url
from wirgeo.errors import ArgumentError, InputError

__all__ = ["check_choice", "check_further_sources", "fill_optional", "rows_of_kreise",
           "require_municipalities"]


def require_municipalities(municipalities: pd.DataFrame | None, function: str
                           ) -> pd.DataFrame:
    """Return ``municipalities``, or raise if the caller left them out.

    The tables are checked against the municipalities the caller has; loading them here
    would read the official sources behind the caller's back.
    """
    if municipalities is None:
        raise ArgumentError("municipalities", _("{function} checks every AGS against the "
                                                "municipalities, and none were given").format(
                                                  function=function),
                            fix=_("pass wirgeo.load_municipalities()"))
    return municipalities


def check_choice(frame: pd.DataFrame, column: str, allowed: tuple[str, ...],
                 path: str | Path) -> None:
    """Raise for the first row whose ``column`` is not one of ``allowed``."""
    bad = ~frame[column].isin(allowed)
    if bad.any():
        first = frame.loc[bad].iloc[0]
        raise InputError(path, _("{value!r} is not a valid {column}").format(
                                   value=first[column], column=column),
                         row=int(first["row"]), column=column,
                         fix=_("use one of {choices}").format(choices=", ".join(allowed)))


def check_further_sources(frame: pd.DataFrame, path: str | Path) -> None:
    """Check the optional ``further_sources`` column: http(s) URLs separated by spaces.

    A table without the column gets it, empty, so every loaded table has the same columns.
    """
    if "further_sources" not in frame:
        frame["further_sources"] = ""
        return
    for row, value in zip(frame["row"], frame["further_sources"], strict=True):
        for url in value.split():
            if not is_http_url(url):
                raise InputError(path, _("{url!r} is not a URL").format(url=url),
                                 row=int(row),
                                 column="further_sources",
                                 fix=_("separate further http(s) URLs by spaces"))


def fill_optional(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Add the optional columns a file leaves out, empty."""
    for column in columns:
        if column not in frame:
            frame[column] = ""


def rows_of_kreise(frame: pd.DataFrame, keys: pd.Series, kreise: Iterable[str]
                   ) -> pd.DataFrame:
    """The rows whose 5-digit Kreis key (``keys``, aligned with ``frame``) is in ``kreise``.

    The ``row`` column keeps the line numbers in the file, so errors on the rows kept
    still point at the right line.
    """
    return frame.loc[keys.str[:5].isin(set(kreise))].reset_index(drop=True)
