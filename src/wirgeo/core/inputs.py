"""Inputs are sacred: what wirgeo has read, and the one check every writer makes.

A planner who types ``--out data/kiv_grantees.csv``, ``data bundle --out`` the official
GeoPackage or ``data compare --out`` the new population release must get an error, not a
run that destroys its own input. Two halves make that hold everywhere:

* every reader of an input notes the file (:func:`note_input`): the official boundaries
  and population files, rules, curated tables, the download registry, the embedded bundle
  — whatever a later reader adds, as long as it notes what it reads;
* every writer goes through :func:`wirgeo.core.files.atomic_path`, which calls
  :func:`check_output` before anything is written; the command line also calls
  :func:`check_outputs` with the inputs a command will read, before any work is done.

An output is the same file as an input when its resolved path is (symbolic links
followed, ``..`` and relative paths normalised), when it is the same file on disk (a hard
link: same device and inode), or when the two paths differ only in letter case (on Windows
and macOS that is one file; wirgeo refuses it on every system, so a run behaves the same
everywhere). The curated tables of ``data/`` are always inputs.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "p.csv").write_text("ags;population;date\\n")
20
>>> check_outputs([folder / "out.csv"], inputs=[folder / "p.csv"])
>>> check_outputs([folder / "P.CSV"], inputs=[folder / "p.csv"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
wirgeo.errors.InputError: .../P.CSV: diese Ausgabe würde eine Eingabe des Laufs \
überschreiben (.../p.csv). Abhilfe: das Ergebnis in eine andere Datei schreiben; Eingaben \
werden nie verändert.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import N_, _, translate
from wirgeo.errors import FileAccessError, InputError

__all__ = ["note_input", "inputs_read", "curated_files", "check_output", "check_outputs"]

_LOCK = threading.Lock()
# every input read in this process, by its resolved path (a notebook session included)
_READ: dict[str, Path] = {}


@dataclass(frozen=True)
class _File:
    """How one path is compared: its resolved path (case folded) and file identity."""

    path: Path
    folded: str
    identity: tuple[int, int] | None  # (device, inode) when the file exists

    @classmethod
    def of(cls, path: str | Path) -> _File:
        given = Path(path).expanduser()
        try:
            # realpath never raises for a symlink loop (it stops resolving there)
            resolved = Path(os.path.realpath(given))
        except (OSError, ValueError):
            resolved = Path(os.path.abspath(given))
        try:
            stat = os.stat(resolved)
            identity = (stat.st_dev, stat.st_ino) if stat.st_ino else None
        except (OSError, ValueError):  # missing, a loop, a name the system refuses
            identity = None
        return cls(Path(path), os.path.normcase(str(resolved)).casefold(), identity)

    def same_as(self, other: _File) -> bool:
        if self.identity is not None and self.identity == other.identity:
            return True
        return self.folded == other.folded


def note_input(path: str | Path | None) -> None:
    """Remember that ``path`` is an input: no writer may overwrite it from now on.

    Readers call this for every file they read (``None`` is ignored).
    """
    if path is None:
        return
    key = _File.of(path).folded
    with _LOCK:
        _READ.setdefault(key, Path(path))


def inputs_read() -> list[Path]:
    """Every input noted so far in this process, in the order first read."""
    with _LOCK:
        return list(_READ.values())


def curated_files() -> list[Path]:
    """The curated tables of ``data/`` (every file there is an input of every run)."""
    folder = _paths.data_dir()
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    except OSError:  # an unreadable folder: its files cannot be written either
        return []


_AN_INPUT = N_("this output would overwrite an input of the run ({path})")


def _protected(inputs: Iterable[str | Path | None]) -> list[tuple[_File, str]]:
    """Every input with how the error names it.

    The names are message ids, translated when the error is raised.
    """
    # the curated tables first: the most precise name for a file that is both
    named: list[tuple[str | Path, str]] = [
        (p, N_("this output would overwrite one of the curated tables in data/ "
                "({path})")) for p in curated_files()]
    named += [(p, _AN_INPUT) for p in inputs if p is not None]
    named += [(p, _AN_INPUT) for p in inputs_read()]
    return [(_File.of(p), what) for p, what in named]


def check_output(path: str | Path, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse an output that is an input (noted, given, or a curated table).

    Raises
    ------
    InputError
        Naming the output and the input it would overwrite.
    """
    target = _File.of(path)
    for source, what in _protected(inputs):
        if target.same_as(source):
            raise InputError(path, translate(what).format(path=source.path),
                             fix=_("write the result to another file; inputs are never "
                                   "modified"))


def _check_place(path: Path) -> None:
    """Refuse, before any work, an output that is a folder or lies below a file."""
    if path.is_dir():
        raise FileAccessError(path, _("is a folder where a file is expected"),
                              fix=_("name a file, e.g. {example}").format(
                                  example=path / "result.csv"))
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileAccessError(parent, _("is a file where a folder is expected (for "
                                                "{path})").format(path=path),
                                      fix=_("choose a path whose folders are folders, or "
                                            "move that file away"))
            break


def check_outputs(outputs: Sequence[str | Path], inputs: Iterable[str | Path | None] = (),
                  ) -> None:
    """Refuse outputs that are inputs, curated tables, folders, or the same file twice.

    Parameters
    ----------
    outputs : sequence of path
        Every file the run will write (empty names are refused).
    inputs : iterable of path
        Every file the run reads that has not been read yet (``None`` entries are
        skipped); what was read before and the curated tables of ``data/`` are added.

    Raises
    ------
    InputError
        Naming the output and what it would overwrite.
    """
    inputs = list(inputs)
    seen: list[tuple[_File, str]] = []
    for path in outputs:
        if not str(path).strip():
            raise InputError(None, _("an output file name is empty"),
                             fix=_("give the name of the file to write"))
        _check_place(Path(path))
        check_output(path, inputs)
        target = _File.of(path)
        for other, name in seen:
            if target.same_as(other):
                raise InputError(path, _("this output is also the run's output {seen}").format(
                                           seen=name),
                                 fix=_("give each output its own file name"))
        seen.append((target, str(path)))
