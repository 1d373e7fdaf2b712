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
    "ArgumentError",
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
        super().__init__(self.render())

    def render(self, source: str | None = None) -> str:
        """The message, optionally with another name for where the problem is.

        The command line uses this to name its option (``--kreis``) where the library
        names the Python argument (``kreise``).
        """
        source = self.source if source is None else source
        where = [source] if source else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.problem.rstrip(".") + "."
        if self.fix:
            fix = self.fix.rstrip(".")
            text += f" Fix: {fix}" + ("" if fix.endswith(("?", "!")) else ".")
        return text


class ArgumentError(InputError):
    """A Python argument has a value wirgeo cannot use; the message names the argument.

    ``row`` counts lines of a multi-line argument (e.g. locked Verbünde, one per line).

    Examples
    --------
    >>> err = ArgumentError("kreise", "no Kreis named 'Vogelsberg'",
    ...                     fix="did you mean Vogelsbergkreis (06535)?")
    >>> print(err)
    argument 'kreise': no Kreis named 'Vogelsberg'. Fix: did you mean Vogelsbergkreis (06535)?
    >>> print(err.render("--kreis"))
    --kreis: no Kreis named 'Vogelsberg'. Fix: did you mean Vogelsbergkreis (06535)?
    """

    def __init__(self, argument: str, problem: str, *, row: int | None = None,
                 fix: str | None = None) -> None:
        self.argument = argument
        super().__init__(f"argument {argument!r}", problem, row=row, fix=fix)


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
