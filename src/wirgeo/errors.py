"""Exception types of wirgeo.

Every problem a user can fix (a missing file, a bad row, a contradictory rule) is
raised as one of these, with a message that names the file, the row and column where
that applies, and the fix. The command line prints the message and exits with code 2;
a traceback means a bug in wirgeo, not in the input.

Examples
--------
>>> err = InputError("population.csv", "AGS 06411000 appears twice", row=3, column="ags",
...                  fix="keep one row per AGS")
>>> print(err)
population.csv, row 3, column 'ags': AGS 06411000 appears twice. Fix: keep one row per AGS.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "WirgeoError",
    "InputError",
    "SourceNotFoundError",
    "RulesError",
    "JoinError",
    "DownloadError",
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
        where = [self.source] if self.source else []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = (", ".join(where) + ": " if where else "") + problem.rstrip(".") + "."
        if fix:
            text += f" Fix: {fix.rstrip('.')}."
        super().__init__(text)


class SourceNotFoundError(InputError, FileNotFoundError):
    """An official source file (boundaries or population) could not be found."""


class RulesError(InputError):
    """A rule set (file, scenario or override) is invalid or contradictory."""


class JoinError(InputError):
    """Boundaries and population do not match and strict joining was requested.

    Carries the :class:`~wirgeo.municipalities.JoinReport` as ``report`` so callers can
    show all figures, not just the first problem.
    """

    def __init__(self, source, problem, *, report=None, fix=None) -> None:
        super().__init__(source, problem, fix=fix)
        self.report = report


class DownloadError(WirgeoError, OSError):
    """Fetching an official release failed or its checksum did not match."""
