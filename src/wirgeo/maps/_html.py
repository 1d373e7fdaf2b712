"""The small HTML pieces of legends, tooltips and popups, built from escaped data.

Leaflet and folium insert tooltip and popup content as HTML (folium's ``GeoJsonTooltip``
writes property values and aliases into ``innerHTML`` unescaped), so every text that comes
from data (names, labels, reasons, projects, links) passes through
:func:`wirgeo.core.markup.html_text`, :func:`_number` or :func:`_link` before it becomes a
property, and :func:`_tooltip`/:func:`_popup` escape their row names. Only ``http(s)``
source URLs become links (:func:`wirgeo.core.text.is_http_url`): a ``javascript:``
address stays text.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> with speaking("de"):
...     _number(12345.6), _number(float("nan"))
('12.346', '')
>>> with speaking("en"):
...     _number(12345.6)
'12,346'
>>> _link("javascript:alert(1)")
'javascript:alert(1)'
>>> _link("https://example.org/?q={{7*7}}")  # doctest: +NORMALIZE_WHITESPACE
'<a href="https://example.org/?q=&#123;&#123;7*7&#125;&#125;" target="_blank"
rel="noopener noreferrer">example.org</a>'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from urllib.parse import urlparse

import folium
import pandas as pd

from wirgeo.core.i18n import language, number, translate
from wirgeo.core.markup import html_text
from wirgeo.core.text import is_http_url
from wirgeo.maps.styles import LEGEND_LABELS, SWATCH_BORDER


def _number(value: float | None) -> str:
    """Return a count with the language's thousands separators ("" for missing)."""
    if value is None or pd.isna(value):
        return ""
    return _count(int(round(float(value))), language())


@functools.lru_cache(maxsize=8192)
def _count(value: int, lang: str) -> str:
    # Babel takes about 0.3 ms a number; a map writes the same populations many times
    return number(value, lang)


def _link(url: object) -> str:
    """Return a link for an http(s) URL, escaped text for anything else (no javascript:)."""
    text = "" if url is None or (isinstance(url, float) and math.isnan(url)) else str(url)
    text = text.strip()
    if not is_http_url(text):
        return html_text(text)
    return (f'<a href="{html_text(text)}" target="_blank" '
            f'rel="noopener noreferrer">{html_text(urlparse(text).netloc)}</a>')


def _swatch(fill: str, *, line: str | None = None, dash: bool = False,
            shape: str = "box") -> str:
    """A legend swatch: a box (or ``shape="dot"``) filled with ``fill``, outlined ``line``."""
    border = f"2px {'dashed' if dash else 'solid'} {line}" if line else \
        f"1px solid {SWATCH_BORDER}"
    radius = "50%" if shape == "dot" else "2px"
    return (f'<i class="wirgeo-swatch" style="background:{fill};border:{border};'
            f'border-radius:{radius}"></i>')


def _legend_section(title: str, rows: Iterable[tuple[str, str]], note: str = "") -> str:
    """One legend section: heading, (swatch, escaped label) rows, an optional note."""
    empty = html_text(translate(LEGEND_LABELS["empty"]))
    body = "".join(f"<div>{swatch}<span>{label}</span></div>" for swatch, label in rows) \
        or f'<div class="wirgeo-note">{empty}</div>'
    note = f'<div class="wirgeo-note">{html_text(note)}</div>' if note else ""
    return f"<h4>{html_text(title)}</h4>{body}{note}"


def _tooltip(fields: list[str], aliases: list[str]) -> folium.GeoJsonTooltip:
    """A tooltip table of already escaped feature properties, following the mouse.

    The row names (``aliases``, which may name a scenario) are escaped here. ``direction=
    "auto"`` opens it on the side of the cursor with room, so a tooltip near the top or
    right edge of the map stays on screen.
    """
    return folium.GeoJsonTooltip(fields=fields, aliases=[html_text(a) for a in aliases],
                                 sticky=True, direction="auto", class_name="wirgeo-tooltip")


def _popup(fields: list[str], aliases: list[str]) -> folium.GeoJsonPopup:
    """A click popup table of already escaped feature properties (links stay links)."""
    return folium.GeoJsonPopup(fields=fields, aliases=[html_text(a) for a in aliases],
                               localize=False, class_name="wirgeo-popup", max_width=420)
