"""Typesetting a Kreis dossier as PDF with Typst.

Typst comes as one Python wheel with the compiler inside (no system libraries, no LaTeX),
typesets German text, tables, page numbers and an embedded vector map, keeps every text
selectable, and writes the same bytes for the same input when the document date is
unset. The font is DejaVu Sans from matplotlib's own font folder, so the dossier looks the
same on every machine that has wirgeo installed.

Examples
--------
>>> import tempfile, pathlib
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest().run(load_municipalities())
>>> path = write(run, "Vogelsbergkreis", pathlib.Path(tempfile.mkdtemp()) / "v.pdf")
>>> path.read_bytes()[:5]
b'%PDF-'
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from wirgeo.core.files import atomic_path, remove_orphans, scratch_folder
from wirgeo.core.i18n import _, speaking
from wirgeo.core.inputs import check_outputs
from wirgeo.dossier.content import kreis_content
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning

__all__ = ["write", "write_all", "write_verbund", "landkreise", "file_name"]

# scratch folders: the Typst sources of one dossier (in the temporary folder), and the
# PDFs of --all before they move into place (in the output folder); both carry the pid
_TEMP_PREFIX = "wirgeo-dossier-"
_STAGING_PREFIX = ".wirgeo-staging-"


def _font_paths() -> list[str]:
    import matplotlib

    return [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


def _map(run: Planning, key: str | tuple[str, ...], folder: Path, *,
         orientation: str = "portrait") -> None:
    """The print map of the Kreise (A4), as a vector PDF the dossier embeds."""
    import matplotlib.pyplot as plt

    from wirgeo import maps

    keys = (key,) if isinstance(key, str) else key
    view = run.view(keys)
    figure = maps.static_map(view, maps.MapOptions(kreise=keys, orientation=orientation))
    try:
        maps.save_static_map(figure, folder / "map.pdf")
    finally:
        plt.close(figure)


def _pdf_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise ArgumentError("path", _("a dossier is a PDF, not {suffix!r}").format(
                                        suffix=path.suffix or _("(none)")),
                            fix=_("end the file name with .pdf"))
    return path


def write_verbund(run: Planning, consortium_id: str, path: str | Path, *,
                  lang: str | None = None) -> Path:
    """Write the one-page sheet of one suggested Verbund as an A4 PDF, atomically.

    For the application: its members with population and KIV class, key figures, the
    print map of the members' Kreise (the Verbund with its number), the risks and the
    WIR-Vielfaltszentrum of each member's Kreis (:func:`~wirgeo.dossier.content.
    verbund_content`).

    Raises
    ------
    ArgumentError
        ``path`` does not end in ``.pdf``; no Verbund of the plan has this id.
    """
    from wirgeo.dossier.content import verbund_content

    path = _pdf_path(path)
    with speaking(lang):
        content = verbund_content(run, consortium_id)
        keys = tuple(content.pop("kreise"))
        return _typeset("verbund.typ", content,
                        lambda folder: _map(run, keys, folder, orientation="landscape"), path)


def write(run: Planning, kreis: str, path: str | Path, *, lang: str | None = None) -> Path:
    """Write the dossier of one Kreis as an A4 PDF, atomically.

    Parameters
    ----------
    run : Planning
        A statewide planning run (:meth:`wirgeo.planning.PlanningRequest.run`).
    kreis : str
        The Kreis, by name or 5-digit key.
    path : str or Path
        The PDF to write.
    lang : str, optional
        Language of the dossier (default: the setting; German unless asked otherwise).

    Raises
    ------
    ArgumentError
        ``path`` does not end in ``.pdf``; an unknown Kreis.
    """
    path = _pdf_path(path)
    with speaking(lang):
        # a dossier shows the statewide plan (Planning.statewide says where it comes from)
        return _write(run.statewide(), kreis, path)


def _write(run: Planning, kreis: str, path: Path) -> Path:
    """:func:`write` in the language it speaks."""
    key = resolve_kreise(kreis, run.municipalities, argument="kreis")[0]
    return _typeset("dossier.typ", kreis_content(run, key),
                    lambda folder: _map(run, key, folder), path)


def _typeset(template_name: str, content: dict[str, Any],
             draw_map: Callable[[Path], None], path: Path) -> Path:
    """Typeset ``template_name`` with ``content`` as data.json and the map, into ``path``."""
    import typst

    scratch = Path(tempfile.gettempdir())
    remove_orphans(scratch, _TEMP_PREFIX)  # of dossier runs that were killed
    folder = scratch_folder(scratch, _TEMP_PREFIX)
    try:
        template = resources.files("wirgeo.dossier") / "templates" / template_name
        (folder / template_name).write_bytes(template.read_bytes())
        (folder / "data.json").write_text(json.dumps(content, ensure_ascii=False),
                                          encoding="utf-8")
        draw_map(folder)
        pdf: Any = typst.compile(str(folder / template_name), root=str(folder),
                                 font_paths=_font_paths())
        with atomic_path(path) as target:
            target.write_bytes(pdf)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return path


def landkreise(run: Planning) -> list[tuple[str, str]]:
    """(key, name) of every Landkreis of the run (kreisfreie Städte have no dossier)."""
    frame = run.municipalities
    kreisfrei = set(frame.loc[frame["status"] == "kreisfreie_stadt", "kreis_ags"])
    table = frame.drop_duplicates("kreis_ags").sort_values("kreis_ags")
    return [(k, str(n)) for k, n in zip(table["kreis_ags"], table["kreis_name"], strict=True)
            if k not in kreisfrei]


def file_name(key: str, name: str) -> str:
    """``06535_Vogelsbergkreis.pdf``: the key first (sorts like the official list)."""
    plain = re.sub(r"[^0-9A-Za-zÄÖÜäöüß-]+", "_", name).strip("_")
    return f"{key}_{plain}.pdf"


def write_all(run: Planning, out_dir: str | Path, *, lang: str | None = None) -> list[Path]:
    """Write the dossier of every Landkreis into ``out_dir`` (all or nothing).

    The PDFs are written into a staging folder inside ``out_dir`` and moved into place
    when all are complete.
    """
    out = Path(out_dir)
    run = run.statewide()  # once for all Kreise (write asks again: then it is this one)
    names = [file_name(k, n) for k, n in landkreise(run)]
    check_outputs([out / name for name in names])  # moved into place, not atomic_path
    out.mkdir(parents=True, exist_ok=True)
    remove_orphans(out, _STAGING_PREFIX)
    staging = scratch_folder(out, _STAGING_PREFIX)
    try:
        for (key, _name), name in zip(landkreise(run), names, strict=True):
            write(run, key, staging / name, lang=lang)
        for name in names:
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in names]
