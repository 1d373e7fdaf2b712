"""The map library carried inside wirgeo: Leaflet, pinned, with its licence.

Planners e-mail maps to colleagues whose networks block CDNs; a map that loads Leaflet from
a CDN is then a blank page (``L is not defined``). wirgeo therefore ships the npm release
of Leaflet (``leaflet@1.9.3``, the version folium's templates name, BSD-2-Clause, licence
in ``vendor/leaflet/LICENSE``) and writes it into the page. The stylesheet's images (the
layer-control icon, the default marker) become ``data:`` URIs so the page needs no other
file. ``tests/browser/test_assets.py`` checks that the copy is byte-identical to the npm
package the browser tests install.

The HTML map (:mod:`wirgeo.maps.compose`) and the planner's live map
(:mod:`wirgeo.widgets`) both draw with this one copy.

Examples
--------
>>> LEAFLET_VERSION
'1.9.3'
>>> leaflet_js().startswith("/* @preserve")
True
>>> "url(images/" in leaflet_css()
False
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources

LEAFLET_VERSION = "1.9.3"
LEAFLET_LICENCE = "BSD-2-Clause, © Volodymyr Agafonkin, © CloudMade"
LEAFLET_CDN_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CDN_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"

_VENDOR = resources.files("wirgeo.maps") / "vendor" / "leaflet"


@functools.cache
def leaflet_js() -> str:
    """The Leaflet script, as shipped by npm."""
    return (_VENDOR / "leaflet.js").read_text(encoding="utf-8")


@functools.cache
def leaflet_css() -> str:
    """The Leaflet stylesheet with its images inlined as ``data:`` URIs."""
    css = (_VENDOR / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (_VENDOR / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)


def leaflet_licence_text() -> str:
    """The full licence text of the shipped Leaflet."""
    return (_VENDOR / "LICENSE").read_text(encoding="utf-8")
