"""Inputs are sacred: no output may overwrite what a run reads, or another of its outputs.

A planner who types ``--out data/kiv_grantees.csv`` or ``--population p.csv --out p.csv``
must get an error, not a run that destroys its own input. :func:`check_outputs` compares
resolved paths (symlinks followed, ``..`` and relative paths normalised), so two spellings
of one file are caught too.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "p.csv").write_text("ags;population;date\\n")
20
>>> check_outputs([folder / "p.csv"], inputs=[folder / "." / "p.csv"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
wirgeo.errors.InputError: ...p.csv: diese Ausgabe würde eine Eingabe des Laufs \
überschreiben. Abhilfe: das Ergebnis in eine andere Datei schreiben; Eingaben werden nie \
verändert.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _
from wirgeo.errors import FileAccessError, InputError

__all__ = ["check_outputs", "curated_files"]


def _key(path: str | Path) -> str:
    return os.path.normcase(str(Path(path).expanduser().resolve()))


def curated_files() -> list[Path]:
    """The curated tables of ``data/`` (every file there is an input of every run)."""
    folder = _paths.data_dir()
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


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
    """Refuse outputs that are inputs, curated tables, or the same file twice.

    Parameters
    ----------
    outputs : sequence of path
        Every file the run will write.
    inputs : iterable of path
        Every file the run reads (``None`` entries are skipped); the curated tables of
        ``data/`` are always added.

    Raises
    ------
    InputError
        Naming the output and what it would overwrite.
    """
    protected = {_key(p): _("this output would overwrite an input of the run")
                 for p in inputs if p is not None}
    protected.update({_key(p): _("this output would overwrite one of the curated tables in "
                                 "data/") for p in curated_files()})
    seen: dict[str, str] = {}
    for path in outputs:
        _check_place(Path(path))
        key = _key(path)
        if key in protected:
            raise InputError(path, protected[key],
                             fix=_("write the result to another file; inputs are never "
                                   "modified"))
        if key in seen:
            raise InputError(path, _("this output is also the run's output {seen}").format(
                                       seen=seen[key]),
                             fix=_("give each output its own file name"))
        seen[key] = str(path)
