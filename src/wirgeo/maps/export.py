"""Writing a map as one standalone HTML file, the same bytes for the same map.

Examples
--------
>>> check_map_path("out/map.html").name
'map.html'
"""

from __future__ import annotations

from pathlib import Path

import folium

from wirgeo.core.files import write_text
from wirgeo.core.i18n import _
from wirgeo.errors import InputError
from wirgeo.maps._leaflet import _forget_random_parts, _render_ids, _renumber

__all__ = ["check_map_path", "save_map"]


def check_map_path(path: str | Path, *, printable: bool = False) -> Path:
    """Check that ``path`` names an HTML file (before any work is done).

    With ``printable``, a print map (``.png``, ``.pdf``, ``.svg``; see
    :func:`~wirgeo.maps.save_static_map`) is accepted too.

    Examples
    --------
    >>> check_map_path("out/map.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: out/map.pdf: eine Karte wird als HTML geschrieben, nicht als \
'.pdf'. Abhilfe: den Dateinamen mit .html enden lassen.
    >>> check_map_path("out/map.pdf", printable=True).suffix
    '.pdf'
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if printable and suffix in (".png", ".pdf", ".svg"):
        return path
    if suffix not in (".html", ".htm"):
        formats = _("HTML, PNG, PDF or SVG") if printable else "HTML"
        raise InputError(path, _("a map is written as {formats}, not {suffix!r}").format(
                                   formats=formats, suffix=path.suffix or _("(none)")),
                         fix=_("end the file name with .html, .png, .pdf or .svg")
                         if printable else _("end the file name with .html"))
    return path


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map as one standalone HTML file, atomically (temporary file, rename).

    The same map gives a byte-identical file, also after the map was shown in a notebook.
    All data, styles and scripts are inside the file; Leaflet too unless the map was made
    with ``library="cdn"`` (:class:`~wirgeo.maps.MapOptions`). Only base-map tiles come
    from the network, and the map draws without them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.maps import planning_map
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "kassel.html"
    >>> m = planning_map(load_municipalities(), kreise=["Kassel"], tiles=None)
    >>> save_map(m, target).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = check_map_path(path)
    root = m.get_root()
    _forget_random_parts(root)
    _renumber(root)
    with _render_ids():
        text = root.render()
    return write_text(path, text)
