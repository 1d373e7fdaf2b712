"""Lists in tables: tuples of str in memory, one ``;``-joined cell in a file.

A column that holds several values per row — the members of a Verbund (``member_ags``,
``member_names``), its Kreise, the partners of a Gemeinde — is a tuple of str in every
table of the library, so code asks it without splitting text. Only a file holds such a
list as text: :func:`joined_lists` is the one place that joins it, ``;`` between values
(``" | "`` between the groups of a column of groups, such as a Verbund's alternatives).
Every writer of CSV, xlsx, GeoPackage, GeoJSON, Parquet and map data calls it. A table
that may come from such a file (a consortia table given to a map) is read back once, at
the door, with :func:`with_lists`.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"consortium_id": ["V1"],
...                       "member_ags": [("06535003", "06535013")],
...                       "alternatives": [(("Feldatal", "Mücke"), ("Ulrichstein",))]})
>>> joined_lists(table).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'consortium_id': 'V1', 'member_ags': '06535003;06535013',
  'alternatives': 'Feldatal;Mücke | Ulrichstein'}]
>>> list_text(()), list_text(("Schlitz",)), list_text("already text")
('', 'Schlitz', 'already text')
>>> split_list(" 06535003; 06535013;"), split_list(("06535003",)), split_list(None)
(('06535003', '06535013'), ('06535003',), ())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LIST_SEPARATOR", "GROUP_SEPARATOR", "list_text", "list_columns", "joined_lists",
           "split_list", "with_lists"]

#: Between the values of a list in a file cell.
LIST_SEPARATOR = ";"
#: Between the groups of a list of groups in a file cell.
GROUP_SEPARATOR = " | "

Frame = TypeVar("Frame", bound="pd.DataFrame")


def _is_list(value: object) -> bool:
    """A tuple of str, or a tuple of such tuples (a list of groups)."""
    return isinstance(value, tuple) and all(
        isinstance(v, str) or (isinstance(v, tuple) and all(isinstance(w, str) for w in v))
        for v in value)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (
        type(value).__name__ == "NAType")


def list_text(value: Any) -> Any:
    """The file form of one cell: a list joined (see above); any other value as it is."""
    if not _is_list(value):
        return value
    if any(isinstance(v, tuple) for v in value):
        return GROUP_SEPARATOR.join(
            LIST_SEPARATOR.join(v) if isinstance(v, tuple) else v for v in value)
    return LIST_SEPARATOR.join(value)


def list_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that hold lists: every cell a list (or missing), one at least.

    A column of other tuples (a Verbund's ``rule_violations``) is not one.
    """
    found = []
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object:
            continue
        cells = [v for v in series if not _missing(v)]
        if cells and isinstance(cells[0], tuple) and all(_is_list(v) for v in cells):
            found.append(column)
    return found


def joined_lists(frame: Frame) -> Frame:
    """``frame`` as a file holds it: every list column ``;``-joined (a copy; or ``frame``).

    The frame passed in is never modified; one without list columns is returned as it is.
    """
    return _mapped(frame, list_columns(frame), list_text)


def split_list(cell: Any) -> tuple[str, ...]:
    """A list as a file cell holds it (``;``-joined text) as a tuple; a tuple as it is.

    Values are stripped, empty ones dropped; a missing cell is the empty list.
    """
    if isinstance(cell, tuple):
        return cell
    if _missing(cell):
        return ()
    return tuple(v.strip() for v in str(cell).split(LIST_SEPARATOR) if v.strip())


def with_lists(frame: Frame, columns: Iterable[str]) -> Frame:
    """``frame`` with ``columns`` (those present) as tuples.

    Each may be given as tuples or as a file's ``;``-joined text; a copy is returned, or
    ``frame`` itself when all of them are tuples already.
    """
    return _mapped(frame, [c for c in columns if c in frame.columns
                           and not all(isinstance(v, tuple) for v in frame[c])], split_list)


def _mapped(frame: Frame, columns: list[str], cell: Callable[[Any], Any]) -> Frame:
    """A copy of ``frame`` with ``cell`` applied to ``columns``; ``frame`` when there are none."""
    if not columns:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(cell).astype(object)
    return out
