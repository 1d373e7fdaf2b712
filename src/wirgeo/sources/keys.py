"""Official keys (AGS, ARS, state keys) as text, and file checksums.

Keys are strings everywhere in wirgeo. A key that was turned into a number somewhere on
its way (a spreadsheet, a CSV import) lost its leading zero; :func:`check_key` explains
that instead of repairing it behind the user's back. :func:`file_sha256` identifies a
source file (cache keys, download manifest).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from wirgeo.errors import InputError

__all__ = ["check_key", "file_sha256"]


def _example_key(length: int) -> str:
    """A key of ``length`` digits for the fix text (Darmstadt's AGS where it fits)."""
    return "0" * (length - 7) + "6411000" if length >= 7 else "06"


def check_key(value: object, length: int, *, source: str | Path | None,
              row: int | None = None, column: str | None = None) -> str:
    """Return ``value`` as an official key of ``length`` digits, or raise.

    A key that arrives as a number, or as a string one or more digits short, was almost
    certainly read as a number somewhere (spreadsheet, CSV import) and lost its leading
    zeros; that is explained in the error rather than repaired behind the user's back.

    Parameters
    ----------
    value : object
        The cell as read (text, a number, or None).
    length : int
        Number of digits the key must have (AGS 8, Kreis 5, state 2, ...).
    source : str or Path or None
        The file (or argument) the value comes from, for the error message.
    row, column : optional
        Where in ``source`` the value stands.

    Raises
    ------
    InputError
        Naming ``source``, ``row`` and ``column``.

    Examples
    --------
    >>> check_key("06411000", 8, source="x.csv")
    '06411000'
    >>> check_key(6411000, 8, source="x.csv", row=2, column="AGS")
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: x.csv, row 2, column 'AGS': key 6411000 is a number, not text: \
it lost its leading zero (should probably be '06411000'). Fix: store keys as text (in Excel: \
format the column as Text; in CSV: keep the zeros, e.g. 06411000).
    """
    fix = ("store keys as text (in Excel: format the column as Text; in CSV: keep the zeros, "
           f"e.g. {_example_key(length)})")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise InputError(source, f"key {value!r} is not a {length}-digit key",
                             row=row, column=column, fix=fix)
        text = str(int(value))
        hint = f"should probably be {text.zfill(length)!r}" if len(text) < length else ""
        raise InputError(
            source,
            f"key {text} is a number, not text: it lost its leading zero"
            + (f" ({hint})" if hint else ""),
            row=row, column=column, fix=fix,
        )
    text = "" if value is None else str(value).strip()
    if not text:
        raise InputError(source, "key is empty", row=row, column=column,
                         fix=f"fill in the {length}-digit official key")
    if not (text.isascii() and text.isdigit()):  # "²" and other scripts' digits too
        raise InputError(source, f"key {text!r} is not made of digits", row=row,
                         column=column, fix=f"use the {length}-digit official key (AGS)")
    if len(text) < length:
        raise InputError(
            source,
            f"key {text!r} has {len(text)} digits instead of {length}: it was probably read "
            f"as a number and lost its leading zero (should probably be "
            f"{text.zfill(length)!r})",
            row=row, column=column, fix=fix,
        )
    if len(text) > length:
        raise InputError(source, f"key {text!r} has {len(text)} digits instead of {length}",
                         row=row, column=column,
                         fix=f"use the {length}-digit key (AGS), not the 12-digit ARS")
    return text


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, hex encoded.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    # a file is hashed once per process while it stays the same file: a load of all of
    # Germany keys 16 states by the same 55 MB GeoPackage (the change time cannot be set
    # back by hand, so an edit always shows)
    stat = os.stat(path)
    known = (str(Path(path).resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns,
             stat.st_ctime_ns)
    if known not in _DIGESTS:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _DIGESTS[known] = digest.hexdigest()
    return _DIGESTS[known]


_DIGESTS: dict[tuple[object, ...], str] = {}
