"""Exception types of wirgeo.

Every problem a user can fix (a missing file, a bad row, a contradictory rule) is
raised as one of these, with a message that names the file, the row and column where
that applies, and the fix. The command line prints the message and exits with code 2;
a traceback means a bug in wirgeo, not in the input.

Messages are in the reader's language (:mod:`wirgeo.locale`): whoever raises writes the
problem and the fix with ``_()``, and the frame around them ("row", "column", "Fix:")
comes from the catalogs here, in the language active when the error is raised.

Examples
--------
>>> from wirgeo.settings import settings
>>> with settings.override(language="en"):
...     print(InputError("population.csv", "AGS 06411000 appears twice", row=3,
...                      column="ags", fix="keep one row per AGS"))
population.csv, row 3, column 'ags': AGS 06411000 appears twice. Fix: keep one row per AGS.

German by default (the problem and the fix are the raiser's, written with ``_()``):

>>> print(InputError("population.csv", "AGS 06411000 kommt doppelt vor", row=3,
...                  column="ags", fix="je AGS eine Zeile behalten"))
population.csv, Zeile 3, Spalte 'ags': AGS 06411000 kommt doppelt vor. Abhilfe: je AGS \
eine Zeile behalten.
"""

from __future__ import annotations

import errno
from pathlib import Path

from wirgeo.locale import N_, gettext, translate

_ = gettext

__all__ = [
    "WirgeoError",
    "InputError",
    "ArgumentError",
    "SourceNotFoundError",
    "RulesError",
    "JoinError",
    "DownloadError",
    "FileAccessError",
    "WirgeoWarning",
    "KeyFormatWarning",
]


class WirgeoError(Exception):
    """Base class of all errors wirgeo raises on purpose."""


class InputError(WirgeoError, ValueError):
    """An input file or argument is wrong in a way the user can fix.

    Parameters
    ----------
    source : str or Path or None
        The file (or argument) the problem is in.
    problem : str
        What is wrong, in one sentence.
    row : int, optional
        1-based row number as a spreadsheet or text editor shows it.
    column : str, optional
        Column or field name.
    fix : str, optional
        What to do about it.
    """

    def __init__(
        self,
        source: str | Path | None,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.source = None if source is None else str(source)
        self.problem = problem
        self.row = row
        self.column = column
        self.fix = fix
        super().__init__(self.render())

    def render(self, source: str | None = None) -> str:
        """The message, optionally with another name for where the problem is.

        The command line uses this to name its option (``--kreis``) where the library
        names the Python argument (``kreise``).
        """
        source = self.source if source is None else source
        where = [source] if source else []
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            where.append(_("column {column!r}").format(column=self.column))
        text = (", ".join(where) + ": " if where else "") + self.problem.rstrip(".") + "."
        if self.fix:
            fix = self.fix.rstrip(".")
            text += " " + _("Fix: {fix}").format(fix=fix) + (
                "" if fix.endswith(("?", "!")) else ".")
        return text


class ArgumentError(InputError):
    """A Python argument has a value wirgeo cannot use; the message names the argument.

    ``row`` counts lines of a multi-line argument (e.g. locked Verbünde, one per line).

    Examples
    --------
    >>> from wirgeo.settings import settings
    >>> with settings.override(language="en"):
    ...     err = ArgumentError("kreise", "no Kreis named 'Vogelsberg'",
    ...                         fix="did you mean Vogelsbergkreis (06535)?")
    ...     print(err)
    ...     print(err.render("--kreis"))
    argument 'kreise': no Kreis named 'Vogelsberg'. Fix: did you mean Vogelsbergkreis (06535)?
    --kreis: no Kreis named 'Vogelsberg'. Fix: did you mean Vogelsbergkreis (06535)?
    """

    def __init__(self, argument: str, problem: str, *, row: int | None = None,
                 fix: str | None = None) -> None:
        self.argument = argument
        super().__init__(_("argument {argument!r}").format(argument=argument), problem,
                         row=row, fix=fix)


class SourceNotFoundError(InputError, FileNotFoundError):
    """An official source file (boundaries or population) could not be found."""


class RulesError(InputError):
    """A rule set (file, scenario or override) is invalid or contradictory."""


class JoinError(InputError):
    """Boundaries and population do not match and strict joining was requested.

    Carries the :class:`~wirgeo.municipalities.JoinReport` as ``report`` so callers can
    show all figures, not just the first problem.
    """

    def __init__(self, source: str | Path | None, problem: str, *, report: object = None,
                 fix: str | None = None) -> None:
        super().__init__(source, problem, fix=fix)
        self.report = report


class DownloadError(WirgeoError, OSError):
    """Fetching an official release failed or its checksum did not match."""


class WirgeoWarning(UserWarning):
    """Base class of the warnings wirgeo gives: the input was usable, but not as given."""


class KeyFormatWarning(WirgeoWarning):
    """Official keys given as numbers were read as text with their leading zeros.

    ``6411000`` is read as ``"06411000"``; the warning says so, so that the table can be
    fixed where it comes from.
    """


# errno -> (what happened, what to do), translated where the error is made; the fix names
# the path where that helps.
_READ_OR_WRITE = N_("make it readable (inputs) or its folder writable (outputs) for your "
                    "user, or choose another path")
_OS_PROBLEMS = {
    errno.EACCES: (N_("permission denied"), _READ_OR_WRITE),
    errno.EPERM: (N_("operation not permitted"), _READ_OR_WRITE),
    errno.ENOSPC: (N_("the disk is full"),
                   N_("free some space on that disk or write to a folder on another disk")),
    errno.EDQUOT: (N_("the disk quota is used up"),
                   N_("free some space or write to a folder on another disk")),
    errno.EISDIR: (N_("is a folder where a file is expected"),
                   N_("name a file, e.g. a file inside that folder")),
    errno.ENOTDIR: (N_("a part of the path is a file, not a folder"),
                    N_("choose a path whose folders are folders")),
    errno.EEXIST: (N_("a file of that name is in the way of a folder"),
                   N_("choose a path whose folders are folders, or move that file away")),
    errno.EROFS: (N_("the file system is read-only"), N_("write to a writable folder")),
    errno.ENOENT: (N_("does not exist"), N_("check the path")),
    errno.ENAMETOOLONG: (N_("the name is too long"), N_("choose a shorter path")),
    errno.EMFILE: (N_("too many open files"), N_("close other programs and try again")),
    errno.EIO: (N_("the disk reported an input/output error"),
                N_("check the disk, or use a copy of the file on another disk")),
}
_OTHER_OS_FIX = N_("check the path, the disk or the connection and try again")


class FileAccessError(InputError):
    """The operating system refused to read or write a file (an :class:`OSError`).

    Permissions, a full disk, a folder where a file is expected, a file where a folder
    is expected: one message naming the path and a fix, instead of a traceback.

    Examples
    --------
    >>> import errno
    >>> err = FileAccessError.from_os_error(
    ...     PermissionError(errno.EACCES, "Permission denied", "out/plan.xlsx"))
    >>> print(err)
    out/plan.xlsx: Zugriff verweigert. Abhilfe: die Datei für Ihren Benutzer lesbar \
(Eingaben) oder ihren Ordner beschreibbar (Ausgaben) machen oder einen anderen Pfad wählen.
    >>> from wirgeo.settings import settings
    >>> with settings.override(language="en"):
    ...     print(FileAccessError.from_os_error(OSError(errno.ENOSPC, "No space left")))
    the disk is full. Fix: free some space on that disk or write to a folder on \
another disk.
    """

    def __init__(self, path: str | Path | None, problem: str, *, fix: str | None = None,
                 errno_code: int | None = None) -> None:
        self.errno = errno_code
        super().__init__(path, problem, fix=fix)

    @classmethod
    def from_os_error(cls, exc: OSError) -> FileAccessError:
        """The message for ``exc``: its path (``filename``), what happened and a fix."""
        path = exc.filename if exc.filename is not None else None
        if (exc.errno or -1) in _OS_PROBLEMS:
            problem, fix = (translate(text) for text in _OS_PROBLEMS[exc.errno or -1])
        else:  # the system's own words (its language, not ours)
            problem = (exc.strerror or str(exc) or type(exc).__name__).lower()
            fix = translate(_OTHER_OS_FIX)
        if exc.filename2 is not None:
            problem += " " + _("(moving it to {path})").format(path=exc.filename2)
        return cls(None if path is None else str(path), problem, fix=fix,
                   errno_code=exc.errno)
