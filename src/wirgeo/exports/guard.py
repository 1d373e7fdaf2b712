"""Inputs are sacred: the one guard every writer goes through (:mod:`wirgeo.core.inputs`).

Its home is the base layer, so that every writer — tables, workbooks, maps, print maps,
dossiers, the embedded bundle, downloads — checks through
:func:`wirgeo.core.files.atomic_path`; the names stay here for the front ends that
check a command's outputs before any work (:func:`check_outputs`).

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
überschreiben (...p.csv). Abhilfe: das Ergebnis in eine andere Datei schreiben; Eingaben \
werden nie verändert.
"""

from __future__ import annotations

from wirgeo.core.inputs import check_outputs, curated_files

__all__ = ["check_outputs", "curated_files"]
