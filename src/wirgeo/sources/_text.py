"""Text files from outside: which encoding they are in, told rather than guessed.

Population CSVs, our curated tables and rules files come from editors and spreadsheets.
UTF-8 (with or without the byte-order mark Excel writes) and UTF-16 with a byte-order mark
are unambiguous. Windows-1252 (Excel's "CSV" on German Windows, the same letters as
Latin-1) is accepted only when every character outside ASCII is one a German table
plausibly holds (umlauts, ß, a few accents and signs): the DOS code page 850 gives the same
bytes other meanings (its ``ä`` is Windows-1252's ``„``), so anything else is refused with
the fix instead of being read as wrong names. Which encoding was read is said (logged on
``wirgeo``) whenever it is not UTF-8.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("ags;name\\n06531005;Gießen\\n".encode("cp1252"))
>>> read_text(p)
('ags;name\\n06531005;Gießen\\n', 'Windows-1252')
>>> _ = p.write_bytes("ags;name\\n06531005;Gießen\\n".encode("cp850"))
>>> read_text(p)
Traceback (most recent call last):
...
wirgeo.errors.InputError: ...t.csv, Zeile 2: ist weder UTF-8- noch einfacher \
Windows-1252-Text (als Windows-1252 gelesen steht dort 'Gieáen'). Abhilfe: die Datei als \
UTF-8 speichern (Excel: 'CSV UTF-8'; ein Editor: Kodierung UTF-8).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import tomllib
from pathlib import Path
from typing import Any

from wirgeo.core.i18n import N_, _, translate
from wirgeo.core.inputs import note_input
from wirgeo.errors import InputError

__all__ = ["read_text", "read_toml", "csv_rows", "FIX_ENCODING"]

_log = logging.getLogger(__name__)

#: The fix of every encoding error (marked for the catalogs; translate with
#: :func:`wirgeo.core.i18n.translate` where it is used).
FIX_ENCODING = N_("save the file as UTF-8 (Excel: 'CSV UTF-8'; an editor: encoding UTF-8)")

# What Windows-1252 may decode to in a German table; code page 850's umlauts decode to
# „ ” ™ š á … in Windows-1252 and are therefore not in this set.
_PLAUSIBLE_1252 = set("äöüÄÖÜßéèêëàâçîïôûÉÈ€°§–—’\u00a0")


def _row_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _check_plain(text: str, path: Path, encoding: str) -> None:
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(path, _("holds NUL characters, so it is not a {encoding} text "
                                 "file").format(encoding=encoding),
                         row=_row_of(text, nul), fix=translate(FIX_ENCODING))


def _windows_1252(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        # five bytes are undefined in Windows-1252 (code page 850 uses them for ü, Ä …)
        raise InputError(path, _("is neither UTF-8 nor Windows-1252 text (byte 0x{raw:02X} "
                                 "at position {start})").format(
                                   raw=raw[exc.start], start=exc.start),
                         row=raw.count(b"\n", 0, exc.start) + 1,
                         fix=translate(FIX_ENCODING)) from None
    odd = next((i for i, ch in enumerate(text)
                if not ch.isascii() and ch not in _PLAUSIBLE_1252), None)
    if odd is not None:
        start = text.rfind("\n", 0, odd) + 1
        end = text.find("\n", odd)
        line = text[start:end if end >= 0 else None]
        word = next((w for w in line.replace(";", " ").replace(",", " ").split()
                     if text[odd] in w), text[odd])
        raise InputError(path, _("is neither UTF-8 nor plain Windows-1252 text (read as "
                                 "Windows-1252 it says {word!r})").format(word=word),
                         row=_row_of(text, odd),
                         fix=translate(FIX_ENCODING))
    return text


def read_text(path: str | Path) -> tuple[str, str]:
    """The text of a file and the encoding it was read in.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    text : str
        With a byte-order mark removed.
    encoding : str
        ``"UTF-8"``, ``"UTF-8 (BOM)"``, ``"UTF-16"`` or ``"Windows-1252"``.

    Raises
    ------
    InputError
        Text in any other encoding, or a binary file, naming the row and the fix.
    """
    path = Path(path)
    note_input(path)
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise InputError(path, _("starts like UTF-16 text but is not"),
                             fix=translate(FIX_ENCODING)) from None
    elif raw.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = raw[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            raise InputError(path, _("starts like UTF-8 text but byte {value} is not").format(
                                       value=exc.start + 3),
                             fix=translate(FIX_ENCODING)) from None
    else:
        try:
            text, encoding = raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = _windows_1252(raw, path), "Windows-1252"
    _check_plain(text, path, encoding)
    if encoding in ("UTF-16", "Windows-1252"):
        _log.info(_("{path}: read as {encoding} text (not UTF-8)").format(
            path=path, encoding=encoding))
    return text, encoding


def read_toml(path: str | Path) -> tuple[dict[str, Any], str]:
    """A TOML file (rules, the download registry) as data, and its text.

    The text is read as :func:`read_text` reads any text file (encodings told, not
    guessed); a syntax error, an impossible date or brackets nested so deeply that the
    parser gives up are each one :class:`~wirgeo.errors.InputError` naming the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "deep.toml"
    >>> _ = p.write_text("a = " + "[" * 5000 + "]" * 5000)
    >>> read_toml(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...deep.toml: ist zu tief verschachtelt, um gelesen zu werden...
    """
    path = Path(path)
    text = read_text(path)[0]
    try:
        return tomllib.loads(text), text
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: 2024-02-30
        raise InputError(path, _("is not valid TOML ({exc})").format(exc=exc),
                         fix=_("check quotes, brackets and dates on that line")) from None
    except RecursionError:
        raise InputError(path, _("is nested too deeply to be read (brackets inside brackets "
                                 "hundreds of levels deep)"),
                         fix=_("write plain tables and lists, as in data/kiv_rules.toml")
                         ) from None


def _delimiter(first_line: str) -> str:
    """Semicolon (German Excel) when the header has at least as many as commas, else comma."""
    if ";" in first_line and first_line.count(";") >= first_line.count(","):
        return ";"
    return ","


def csv_rows(text: str, path: Path, *, fix_empty: str) -> tuple[list[list[str]], str]:
    """The rows of a CSV text and its separator (``;`` as German Excel writes, or ``,``).

    Parameters
    ----------
    text : str
        As :func:`read_text` returns it.
    path : Path
        The file, for the error message.
    fix_empty : str
        What to write into an empty file (the fix of its error).

    Raises
    ------
    InputError
        An empty file, or a stray line break or quote the csv module cannot read.
    """
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise InputError(path, _("file is empty"), fix=fix_empty)
    delimiter = _delimiter(first)
    try:
        # newline="": a carriage return inside a field is the csv module's to judge
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # a stray carriage return or quote
        raise InputError(path, _("cannot be read as CSV ({exc})").format(exc=exc),
                         row=text.count("\n", 0, (text.find("\r") if "\r" in text else 0)) + 1,
                         fix=_("remove stray line breaks or quotes from the cells")) from None
    return rows, delimiter
