"""Planning maps: folium maps of Gemeinden, eligibility, centres, grantees and Verbünde.

:func:`planning_map` builds one :class:`folium.Map` (notebooks display it inline) with its
layers in a ``LayerControl``; :func:`save_map` writes it as one standalone HTML file. The
layers and the tables they draw:

=====================  ================================================================
``kreise``             Kreis outlines with names (from the municipalities)
``regierungsbezirke``  Regierungsbezirk outlines (hidden at first)
``population``         Gemeinden coloured by population (branca colormap)
``eligibility``        Gemeinden coloured by KIV eligibility class
``centres``            WIR-Vielfaltszentren as markers
``grantees``           KIV grantees, outlined by round
``consortia``          suggested Verbünde, one colour per group, dissolved outline
``unplaced``           small Gemeinden no Verbund could take, with the reason
=====================  ================================================================

Column contracts of the thematic tables (the programme and consortium modules produce
them; any frame with these columns works):

* ``eligibility``: the municipality columns ``ags`` … plus ``eligibility`` (one of
  :data:`ELIGIBILITY_CLASSES`), ``eligibility_label``, ``funded`` (bool),
  ``funded_round``, ``funded_years``, ``centre_name``, ``centre_distance_km``.
* ``centres``: GeoDataFrame of points with ``name``, ``host_type``, ``host_ags`` (5-digit
  Kreis or 8-digit Gemeinde), ``organisation``, ``street``, ``postcode``, ``town``,
  ``location_precision`` (``town`` / ``address``), ``status``, ``source_url``.
* ``grantees``: ``ags``, ``name``, ``round``, ``years``, ``project``, ``amount_eur``,
  ``source_url``, ``consortium_id``.
* ``consortia``: ``consortium_id``, ``n_members``, ``member_ags`` (``;``-joined),
  ``member_names``, ``population``, ``kreis_ags``, ``kreis_names``, ``same_kreis``,
  ``shared_border_km`` (a geometry column, if any, is not used: the outline is dissolved
  from the display geometry of the members so it matches the Gemeinde borders exactly).
* ``unplaced``: ``ags``, ``name``, ``kreis_name``, ``population``, ``reason_code``,
  ``reason``.

Display geometry is a copy of the municipalities simplified *as a coverage* (shared borders
are simplified once, so neighbours keep identical borders and no gaps open), reprojected
to WGS84 and rounded to 1e-5° (about 1 m). The analysis frame is never touched; adjacency
and every figure are computed on full resolution elsewhere.

Every text that comes from data (names, labels, reasons, projects, links) is HTML-escaped
before it reaches the page: Leaflet and folium insert tooltip and popup content as HTML.
Only ``http(s)`` source URLs become links.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.maps import planning_map
>>> m = planning_map(load_municipalities(), kreise=["Landkreis Kassel"], tiles=None)
>>> type(m).__name__
'Map'
"""

from __future__ import annotations

import contextlib
import difflib
import html
import itertools
import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

import branca.colormap
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from wirgeo.core import files as _files
from wirgeo.errors import InputError
from wirgeo.programme import ELIGIBILITY_CLASSES

__all__ = [
    "LAYERS",
    "LAYER_TITLES",
    "ELIGIBILITY_CLASSES",
    "ELIGIBILITY_COLOURS",
    "POPULATION_BINS",
    "DEFAULT_TOLERANCE_M",
    "MapOptions",
    "display_geometry",
    "vertex_count",
    "planning_map",
    "comparison_map",
    "OUTCOME_COLOURS",
    "save_map",
    "check_map_path",
]

#: Layer keys, in the order they appear in the layer control.
LAYERS = ("eligibility", "population", "consortia", "unplaced", "grantees", "centres",
          "kreise", "regierungsbezirke")

LAYER_TITLES = {
    "eligibility": "Gemeinden: KIV eligibility",
    "population": "Gemeinden: population",
    "consortia": "Suggested Verbünde",
    "unplaced": "Small Gemeinden left unplaced",
    "grantees": "KIV grantees",
    "centres": "WIR-Vielfaltszentren",
    "kreise": "Kreise",
    "regierungsbezirke": "Regierungsbezirke",
}

#: Colours of the eligibility classes (:data:`wirgeo.programme.ELIGIBILITY_CLASSES`):
#: Okabe–Ito, a palette that stays distinguishable with the common colour-vision deficiencies.
ELIGIBILITY_COLOURS = {
    "eligible_single": "#009E73",
    "verbund_needed": "#E69F00",
    "not_eligible_large": "#0072B2",
    "not_eligible_status": "#CC79A7",
    "uninhabited": "#BBBBBB",
}

#: Lower bounds of the population classes; 10,000 and 50,000 are the KIV thresholds.
POPULATION_BINS = (1, 1_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000)

#: Default simplification tolerance in metres (Visvalingam–Whyatt: about the square root
#: of the largest triangle area removed). At this value Kreis-level zooms show no visible
#: loss and the full Hessen map with all layers stays well under 1.5 MB (see
#: docs/benchmarks.md).
DEFAULT_TOLERANCE_M = 200.0

#: Decimal places of display coordinates: 1e-5° is about 1.1 m north–south, 0.7 m east–west.
COORDINATE_DECIMALS = 5

# Verbund groups: blues and purples from Paul Tol's schemes, a family the eligibility
# colours beneath do not use; light and dark alternate so touching groups (which always
# get different colours) also differ in lightness, which survives colour-vision deficiency.
_GROUP_COLOURS = ("#88CCEE", "#332288", "#6699CC", "#882255", "#BBCCEE", "#4477AA")
# Grantee rounds: dark outlines told apart by colour *and* dash pattern.
_ROUND_STYLES = ({"color": "#000000"}, {"color": "#1F4E9C", "dashArray": "8 4"},
                 {"color": "#7B2D8E", "dashArray": "2 4"}, {"color": "#444444",
                                                            "dashArray": "12 3 2 3"})
_UNINHABITED = "#BBBBBB"
_UNPLACED = "#D55E00"

_AREA_STYLE = {"color": "#ffffff", "weight": 0.6, "opacity": 0.9, "fillOpacity": 0.8}
_HIGHLIGHT = {"color": "#111111", "weight": 2.5, "opacity": 1.0}

# Leaflet panes keep the drawing order fixed when layers are switched off and on again.
_PANES = (  # name, z-index, receives pointer events
    ("wirgeo-areas", 410, True),
    ("wirgeo-groups", 420, True),
    ("wirgeo-grantees", 430, True),
    ("wirgeo-lines", 440, False),
    ("wirgeo-labels", 450, False),
    ("wirgeo-points", 620, True),
)


# ----------------------------------------------------------------------- options


@dataclass(frozen=True)
class MapOptions:
    """What :func:`planning_map` draws and how.

    Parameters
    ----------
    layers : tuple of str, optional
        Layers to build (keys of :data:`LAYERS`). Default: ``kreise``,
        ``regierungsbezirke``, ``population`` and every thematic layer whose table is given.
    hidden : tuple of str, optional
        Layers that are built but switched off at first (the user switches them on in the
        layer control). Default: ``regierungsbezirke``, and ``population`` when the
        eligibility layer is drawn.
    kreise : tuple of str
        Draw only these Kreise (names such as ``"Landkreis Kassel"`` or 5-digit keys such as
        ``"06633"``); empty = the whole state.
    tiles : str or None
        folium/xyzservices name of the base map; ``None`` draws no base map (no tile
        requests at all). A base map can also be switched off in the layer control.
    tolerance_m : float
        Coverage simplification tolerance of the display geometry in metres; 0 keeps full
        resolution.
    title : str, optional
        Title shown on the map; default names the programme and the selection.

    Examples
    --------
    >>> MapOptions(kreise=["06633"], tiles=None).kreise
    ('06633',)
    >>> MapOptions(layers=["rivers"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: column '--layers': unknown layer 'rivers'. Fix: choose from ...
    """

    layers: tuple[str, ...] | None = None
    hidden: tuple[str, ...] | None = None
    kreise: tuple[str, ...] = ()
    tiles: str | None = "OpenStreetMap"
    tolerance_m: float = DEFAULT_TOLERANCE_M
    title: str | None = None

    def __post_init__(self) -> None:
        for name in ("layers", "hidden", "kreise"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v).strip() for v in value))
        for name in ("layers", "hidden"):
            for layer in getattr(self, name) or ():
                if layer not in LAYERS:
                    raise InputError(None, f"unknown layer {layer!r}", column="--layers",
                                     fix="choose from " + ", ".join(LAYERS))
        tolerance = self.tolerance_m
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or \
                not math.isfinite(tolerance) or tolerance < 0:
            raise InputError(None, f"the simplification tolerance must be a number of "
                             f"metres ≥ 0, got {tolerance!r}", column="--tolerance",
                             fix="use e.g. 200, or 0 for full resolution")
        object.__setattr__(self, "tolerance_m", float(tolerance))


# ------------------------------------------------------------- display geometry


def display_geometry(municipalities: gpd.GeoDataFrame,
                     tolerance_m: float = DEFAULT_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Return a display copy: coverage-simplified, in WGS84, rounded to about 1 m.

    Shared borders are simplified once (:func:`shapely.coverage_simplify`), so neighbours
    keep identical borders and no gaps or overlaps open; coordinates are then reprojected
    to EPSG:4326 and snapped to a 1e-5° grid. The input is not modified. Use it only for
    drawing: adjacency and areas come from the full-resolution frame.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Municipalities in a projected CRS in metres (wirgeo's EPSG:25832), forming a
        coverage.
    tolerance_m : float
        Simplification tolerance in metres; 0 only reprojects and rounds.

    Returns
    -------
    GeoDataFrame
        Same rows and columns, geometry simplified, CRS EPSG:4326; ``.attrs`` as the input's
        plus ``display_tolerance_m``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> shown = display_geometry(gem)
    >>> shown.crs.to_epsg(), len(shown) == len(gem), bool(shown.is_valid_coverage())
    (4326, True, True)
    >>> vertex_count(shown) < vertex_count(gem) // 2
    True
    """
    MapOptions(tolerance_m=tolerance_m)  # validates the tolerance
    crs = municipalities.crs
    if crs is None or not crs.is_projected:
        raise InputError(None, f"display_geometry needs municipalities in a projected CRS "
                         f"in metres, got {crs.to_string() if crs else 'no CRS'}",
                         column="geometry",
                         fix="pass the frame from wirgeo.load() (EPSG:25832); simplify "
                             "before reprojecting")
    geometry = municipalities.geometry.to_numpy()
    if tolerance_m > 0:
        geometry = shapely.coverage_simplify(geometry, tolerance_m)
    shown = gpd.GeoDataFrame(pd.DataFrame(municipalities.drop(
        columns=municipalities.geometry.name)), geometry=geometry, crs=crs).to_crs(4326)
    shown["geometry"] = shapely.set_precision(shown.geometry.to_numpy(),
                                              10.0 ** -COORDINATE_DECIMALS)
    shown.attrs = {**municipalities.attrs, "display_tolerance_m": tolerance_m}
    return shown


def vertex_count(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> int:
    """Count the coordinates of all geometries (what makes a web map large).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> vertex_count(gpd.GeoSeries([shapely.box(0, 0, 1, 1)]))
    5
    """
    series = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    return int(shapely.get_num_coordinates(series.to_numpy()).sum())


# -------------------------------------------------------------- text and HTML


def _text(value) -> str:
    """Return a data value as HTML-escaped text ("" for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return html.escape(str(value), quote=True)


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{int(round(float(value))):,}"


def _link(url) -> str:
    """Return a link for an http(s) URL, escaped text for anything else (no javascript:)."""
    text = "" if url is None or (isinstance(url, float) and math.isnan(url)) else str(url)
    text = text.strip()
    try:
        parsed = urlparse(text)
    except ValueError:  # e.g. an unbalanced "[" in the host part: no link then
        return _text(text)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return (f'<a href="{html.escape(text, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{html.escape(parsed.netloc)}</a>')
    return _text(text)


def _swatch(fill: str, *, line: str | None = None, dash: bool = False,
            shape: str = "box") -> str:
    border = f"2px {'dashed' if dash else 'solid'} {line}" if line else "1px solid #999"
    radius = "50%" if shape == "dot" else "2px"
    return (f'<i class="wirgeo-swatch" style="background:{fill};border:{border};'
            f'border-radius:{radius}"></i>')


def _legend_section(title: str, rows: Iterable[tuple[str, str]], note: str = "") -> str:
    body = "".join(f"<div>{swatch}<span>{label}</span></div>" for swatch, label in rows) \
        or '<div class="wirgeo-note">none in this selection</div>'
    note = f'<div class="wirgeo-note">{note}</div>' if note else ""
    return f"<h4>{html.escape(title)}</h4>{body}{note}"


# ------------------------------------------------------------- map elements


class _FeatureData(MacroElement):
    """A GeoJSON FeatureCollection written once into the page as a JS variable.

    folium's ``GeoJson`` embeds its own copy of the data; the population and eligibility
    layers draw the same Gemeinden, so they share one copy (half the file size).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.json }};
{% endmacro %}
""")

    def __init__(self, collection: dict):
        super().__init__()
        self._name = "features"
        self.data = collection
        # Compact separators (about 10 % smaller); htmlsafe_json_dumps escapes <, >, &, '
        # so no data string can end the <script> element.
        self.json = Markup(htmlsafe_json_dumps(collection, sort_keys=True,
                                               separators=(",", ":"), ensure_ascii=False))


class _View(folium.GeoJson):
    """A Leaflet GeoJSON layer that draws a :class:`_FeatureData` with its own styles.

    Each feature's ``properties[key]`` selects one of ``styles``; features whose key names
    no style are not drawn (so several layers can draw subsets of one FeatureCollection).
    Points become circle markers (``point="circle"``) or text labels (``point="label"``,
    from the properties ``label`` — already escaped — and ``label_class``). It is a
    ``GeoJson`` so folium's ``GeoJsonTooltip`` and ``GeoJsonPopup`` attach as usual.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }}_styles = {{ this.styles|tojson }};
var {{ this.get_name() }} = L.geoJson(null, {
    pane: {{ this.pane|tojson }},
    className: {{ this.class_name|tojson }},
    interactive: {{ this.interactive|tojson }},
    filter: function(feature) {
        return feature.properties[{{ this.key|tojson }}] in {{ this.get_name() }}_styles;
    },
    {%- if this.point == "circle" %}
    pointToLayer: function(feature, latlng) {
        return L.circleMarker(latlng, {radius: {{ this.point_radius|tojson }},
            pane: {{ this.pane|tojson }}, className: {{ this.class_name|tojson }}});
    },
    {%- elif this.point == "label" %}
    pointToLayer: function(feature, latlng) {
        return L.marker(latlng, {interactive: false, keyboard: false,
            pane: {{ this.pane|tojson }}, icon: L.divIcon({iconSize: [0, 0],
            className: feature.properties.label_class,
            html: '<span>' + feature.properties.label + '</span>'})});
    },
    {%- endif %}
    style: function(feature) {
        return {{ this.get_name() }}_styles[feature.properties[{{ this.key|tojson }}]];
    },
    onEachFeature: function(feature, layer) {
        {%- if this.interactive %}
        layer.on({
            mouseover: function(e) {
                e.target.setStyle({{ this.highlight_style|tojson }});
                e.target.bringToFront();
            },
            mouseout: function(e) { {{ this.get_name() }}.resetStyle(e.target); }
        });
        {%- endif %}
    }
});
{{ this.get_name() }}.addData({{ this.source.get_name() }});
{% endmacro %}
""")

    def __init__(self, source: _FeatureData, key: str, styles: Mapping[str, dict], *,
                 pane: str, class_name: str, interactive: bool = True,
                 point: str | None = None, point_radius: float = 6,
                 highlight: dict | None = None,
                 tooltip: folium.GeoJsonTooltip | None = None,
                 popup: folium.GeoJsonPopup | None = None):
        # Python-side (bounds, tooltip field checks) the view holds only the features it
        # draws; the page draws them from the shared variable.
        drawn = [f for f in source.data["features"] if f["properties"].get(key) in styles]
        if not drawn:
            tooltip = popup = None
        super().__init__({"type": "FeatureCollection", "features": drawn}, tooltip=tooltip,
                         popup=popup, control=False)
        self._name = "layer"
        self.source = source
        self.key = key
        self.styles = dict(styles)
        self.pane = pane
        self.class_name = class_name
        self.interactive = interactive
        self.point = point
        self.point_radius = point_radius
        self.highlight_style = highlight if highlight is not None else _HIGHLIGHT


class _Control(MacroElement):
    """A Leaflet control holding fixed (escaped) HTML: title, legend.

    With ``sections``, each ``<section data-layer=KEY>`` is shown only while the layer
    ``sections[KEY]`` is on the map, and the whole control only while any is.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    var control = L.control({position: {{ this.position|tojson }}});
    control.onAdd = function() {
        var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
        div.innerHTML = {{ this.html|tojson }};
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    control.addTo(map);
    {%- if this.sections %}
    var sections = {
        {%- for key, layer in this.sections.items() %}
        {{ key|tojson }}: {{ layer.get_name() }},
        {%- endfor %}
    };
    var update = function() {
        var any = false;
        for (var key in sections) {
            var on = map.hasLayer(sections[key]);
            control.getContainer().querySelector('[data-layer="' + key + '"]')
                .style.display = on ? '' : 'none';
            any = any || on;
        }
        control.getContainer().style.display = any ? '' : 'none';
    };
    map.on('overlayadd overlayremove', update);
    update();
    {%- endif %}
    // On short maps (a notebook cell) a folded legend leaves room for the map.
    var details = control.getContainer().querySelector('details');
    if (details && map.getSize().y < 600) { details.open = false; }
})();
{% endmacro %}
""")

    def __init__(self, html_text: str, *, position: str, css_class: str,
                 sections: Mapping[str, folium.FeatureGroup] | None = None):
        super().__init__()
        self._name = "control"
        self.html = html_text
        self.position = position
        self.css_class = css_class
        self.sections = dict(sections or {})


class _Attribution(MacroElement):
    """Adds the data attribution (escaped text) to Leaflet's attribution control."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
{% endmacro %}
""")

    def __init__(self, text: str):
        super().__init__()
        self._name = "attribution"
        self.text = html.escape(text)
        self.prefix = '<a href="https://leafletjs.com" target="_blank" ' \
                      'rel="noopener noreferrer">Leaflet</a>'


class _Style(MacroElement):
    """Page CSS, and a class on the map container telling how far out the user zoomed."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    var zoomClass = function() {
        map.getContainer().classList.toggle('wirgeo-far', map.getZoom() < 8);
        map.getContainer().classList.toggle('wirgeo-near', map.getZoom() >= 10);
    };
    map.on('zoomend', zoomClass);
    zoomClass();
    L.control.scale({imperial: false}).addTo(map);
})();
{% endmacro %}
""")

    css = Markup("""
.leaflet-container { font: 13px/1.35 "Helvetica Neue", Arial, Helvetica, sans-serif;
  background: #f4f4f2; }
.wirgeo-title { background: rgba(255,255,255,.92); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 420px; }
.wirgeo-title h1 { font-size: 15px; margin: 0; font-weight: 600; }
.wirgeo-title p { margin: 2px 0 0; color: #444; font-size: 12px; }
.wirgeo-legend { background: rgba(255,255,255,.94); padding: 6px 10px 8px;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 60vh;
  overflow-y: auto; width: 230px; }
.wirgeo-legend summary { cursor: pointer; font-weight: 600; font-size: 12px; }
.wirgeo-legend details:not([open]) summary { color: #333; }
.wirgeo-legend h4 { font-size: 12px; margin: 5px 0 2px; font-weight: 600; }
.wirgeo-legend div { line-height: 15px; font-size: 12px; margin: 1px 0;
  padding-left: 20px; text-indent: -20px; }
.wirgeo-legend .wirgeo-note { color: #555; font-size: 11px; line-height: 13px;
  padding-left: 0; text-indent: 0; }
.wirgeo-swatch { display: inline-block; width: 14px; height: 12px; margin-right: 6px;
  vertical-align: -2px; box-sizing: border-box; }
.wirgeo-tooltip table { border-collapse: collapse; }
.wirgeo-tooltip th { text-align: left; padding: 1px 8px 1px 0; color: #555;
  font-weight: normal; vertical-align: top; }
.wirgeo-tooltip td { padding: 1px 0; max-width: 320px; white-space: normal; }
.wirgeo-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555;
  font-weight: normal; vertical-align: top; }
.wirgeo-popup td { max-width: 300px; }
.wirgeo-label span { position: absolute; transform: translate(-50%, -50%);
  white-space: nowrap; font-size: 11px; font-weight: 600; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }
.wirgeo-label.wirgeo-city span { font-style: italic; font-weight: 500; font-size: 10px; }
.wirgeo-far .wirgeo-label { display: none; }
.leaflet-container:not(.wirgeo-near) .wirgeo-label.wirgeo-city { display: none; }
.leaflet-control-attribution { max-width: 70vw; white-space: normal; }
""")

    def __init__(self):
        super().__init__()
        self._name = "style"


# ---------------------------------------------------------------- validation


def _require(frame, columns: Iterable[str], table: str, *, geo: bool = False) -> None:
    if geo and not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(table, "must be a GeoDataFrame with point geometries",
                         fix="pass the table from wirgeo's programme module")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(table, "missing column(s) " + ", ".join(missing),
                         column=missing[0], fix="pass a table with the documented columns "
                                                "(see wirgeo.maps)")


def _unknown_ags(table: str, frame: pd.DataFrame, column: str, known: pd.Index) -> None:
    keys = frame[column].astype(str)
    bad = ~keys.isin(known)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(table, f"AGS {keys.iloc[i]!r} is not a municipality of this map",
                         row=int(frame["row"].iloc[i]) if "row" in frame else i + 1,
                         column=column, fix="use 8-digit AGS of the loaded state")


def _resolve_kreise(wanted: tuple[str, ...], municipalities: pd.DataFrame) -> list[str]:
    kreise = municipalities[["kreis_ags", "kreis_name"]].drop_duplicates("kreis_ags")
    by_name = {str(n).casefold(): a for a, n in kreise.itertuples(index=False)}
    keys = []
    for item in wanted:
        if item in set(kreise["kreis_ags"]):
            keys.append(item)
        elif item.casefold() in by_name:
            keys.append(by_name[item.casefold()])
        else:
            names = sorted(kreise["kreis_name"].astype(str))
            close = difflib.get_close_matches(item, names, n=3, cutoff=0.5)
            raise InputError(None, f"unknown Kreis {item!r}", column="--kreis",
                             fix=("did you mean " + " or ".join(repr(c) for c in close))
                             if close else "give a Kreis name or 5-digit key, e.g. "
                                           f"{names[0]!r}")
    return sorted(set(keys))


def _attribution(municipalities: gpd.GeoDataFrame, frames: Iterable) -> str:
    attrs = municipalities.attrs
    if not attrs.get("attribution"):
        raise InputError(None, "the municipalities carry no source attribution "
                         "(.attrs['attribution'])", column="attrs",
                         fix="pass the frame from wirgeo.load() or copy its .attrs")
    lines = [str(attrs["attribution"]).replace(" · ", "\n")]
    dates = [f"{what} as of {attrs[key]}" for what, key in
             (("boundaries", "boundary_date"), ("population", "population_date"))
             if attrs.get(key)]
    lines.append(", ".join(dates))
    for frame in frames:
        extra = getattr(frame, "attrs", {}).get("attribution") if frame is not None else None
        if extra:
            lines.append(str(extra).replace(" · ", "\n"))
    seen = OrderedDict((line.strip(), None) for text in lines for line in text.split("\n")
                       if line.strip())
    return " · ".join(seen)


# ----------------------------------------------------------------------- layers


def _features(frame: gpd.GeoDataFrame, properties: pd.DataFrame,
              sparse: Mapping[str, Iterable[str]] | None = None) -> dict:
    """Build a FeatureCollection of ``frame``'s (WGS84) geometries and ``properties``.

    ``sparse`` maps a layer's style key to the columns only that layer shows: where the
    style key is "" (the layer does not draw the feature) they are left out, which keeps
    the file small.
    """
    geoms = shapely.to_geojson(frame.geometry.to_numpy())
    records = properties.to_dict("records")
    for key, columns in (sparse or {}).items():
        for props in records:
            if props.get(key) == "":
                for column in (key, *columns):
                    props.pop(column, None)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": json.loads(g)}
        for props, g in zip(records, geoms, strict=True)]}


def _rounded(geometry) -> np.ndarray:
    return shapely.set_precision(np.asarray(geometry), 10.0 ** -COORDINATE_DECIMALS)


def _population_classes(population: pd.Series) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Class key per Gemeinde and the (key, colour, label) rows of the legend.

    Colours come from a branca step colormap sampled from viridis (perceptually even
    steps, readable with colour-vision deficiencies), light = few inhabitants.
    """
    bins = list(POPULATION_BINS)
    viridis = branca.colormap.linear.viridis.scale(0, len(bins) - 1)
    colours = [viridis.rgb_hex_str(len(bins) - 1 - i) for i in range(len(bins))]
    cmap = branca.colormap.StepColormap(colours, index=bins + [bins[-1] * 100],
                                        vmin=bins[0], vmax=bins[-1] * 100,
                                        caption="Inhabitants")
    position = np.searchsorted(bins, population.to_numpy(), side="right") - 1
    keys = pd.Series([f"p{i}" if i >= 0 else "none" for i in position],
                     index=population.index)
    rows = [("none", _UNINHABITED, "uninhabited")]
    for i, low in enumerate(bins):
        high = bins[i + 1] if i + 1 < len(bins) else None
        label = (f"under {high:,}" if low == 1 else f"{low:,} – {high - 1:,}" if high
                 else f"{low:,} and more")
        rows.append((f"p{i}", cmap.rgb_hex_str(low), label))
    return keys, rows


def _tooltip(fields: list[str], aliases: list[str]) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True,
                                 class_name="wirgeo-tooltip")


def _popup(fields: list[str], aliases: list[str]) -> folium.GeoJsonPopup:
    return folium.GeoJsonPopup(fields=fields, aliases=aliases, localize=False,
                               class_name="wirgeo-popup", max_width=420)


def _group(m: folium.Map, key: str, show: bool, count: int | None = None
           ) -> folium.FeatureGroup:
    name = LAYER_TITLES[key] + (f" ({count})" if count is not None else "")
    return folium.FeatureGroup(name=name, show=show).add_to(m)


def _outlines(polygons) -> shapely.Geometry:
    """Return the borders of adjacent polygons as one line network, each border once."""
    return shapely.line_merge(shapely.union_all(shapely.boundary(np.asarray(polygons))))


def _line_view(group: folium.FeatureGroup, lines, key: str, style: dict) -> None:
    frame = gpd.GeoDataFrame(geometry=_rounded([lines]), crs=4326)
    data = _FeatureData(_features(frame, pd.DataFrame({"s": ["line"]}))).add_to(group)
    _View(data, "s", {"line": {**style, "fill": False}}, pane="wirgeo-lines",
          class_name=f"wirgeo-{key}", interactive=False).add_to(group)


def _dissolve(shown: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Polygons per value of ``by`` (the display coverage is exact, so a coverage union)."""
    parts = {key: shapely.coverage_union_all(group.geometry.to_numpy())
             for key, group in shown.groupby(by, sort=True)}
    return gpd.GeoDataFrame({by: list(parts)}, geometry=list(parts.values()),
                            crs=shown.crs)


def _label_points(polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Place a label inside each polygon: the centre of its largest inscribed circle."""
    projected = polygons.to_crs(25832).geometry.to_numpy()
    centres = shapely.get_point(shapely.maximum_inscribed_circle(projected, 200.0), 0)
    return _rounded(gpd.GeoSeries(centres, crs=25832).to_crs(4326).to_numpy())


def _add_kreise(m: folium.Map, shown: gpd.GeoDataFrame, everything: gpd.GeoDataFrame,
                show: bool) -> folium.FeatureGroup:
    group = _group(m, "kreise", show)
    polygons = _dissolve(shown, "kreis_ags")
    _line_view(group, _outlines(polygons.geometry), "kreise",
               {"color": "#333333", "weight": 2.6, "opacity": 0.75})
    kreise = everything.drop_duplicates("kreis_ags").set_index("kreis_ags")
    city = kreise["status"].eq("kreisfreie_stadt")
    city_names = set(kreise.loc[city, "kreis_name"])  # of the state, not the selection
    labels = []
    for kreis in polygons["kreis_ags"]:
        name = str(kreise.at[kreis, "kreis_name"])
        # "Landkreis X" is labelled "X", unless a kreisfreie Stadt is called X (Kassel).
        short = re.sub(r"^(Landkreis|Kreis) ", "", name)
        labels.append({"label": _text(name if short in city_names and not city[kreis]
                                      else short),
                       "label_class": "wirgeo-label wirgeo-city" if city[kreis]
                       else "wirgeo-label", "s": "label"})
    points = gpd.GeoDataFrame(geometry=_label_points(polygons), crs=4326)
    data = _FeatureData(_features(points, pd.DataFrame(labels))).add_to(group)
    _View(data, "s", {"label": {}}, pane="wirgeo-labels", class_name="wirgeo-kreis-labels",
          interactive=False, point="label").add_to(group)
    return group


def _add_regions(m: folium.Map, shown: gpd.GeoDataFrame, show: bool) -> folium.FeatureGroup:
    group = _group(m, "regierungsbezirke", show)
    with_rbz = shown[shown["rbz_ags"].notna()]
    if len(with_rbz):
        _line_view(group, _outlines(_dissolve(with_rbz, "rbz_ags").geometry),
                   "regierungsbezirke", {"color": "#7a0177", "weight": 3.5, "opacity": 0.55})
    return group


def _add_centres(m: folium.Map, centres: gpd.GeoDataFrame, show: bool
                 ) -> tuple[folium.FeatureGroup, str]:
    group = _group(m, "centres", show, len(centres))
    if len(centres):
        frame = centres.to_crs(4326)
        address = [", ".join(p for p in (_text(s), " ".join(
            x for x in (_text(pc), _text(t)) if x)) if p)
            for s, pc, t in zip(frame["street"], frame["postcode"], frame["town"],
                                strict=True)]
        precise = frame["location_precision"].astype(str).eq("address").to_numpy()
        props = pd.DataFrame({
            "name": frame["name"].map(_text).to_numpy(),
            "org": frame["organisation"].map(_text).to_numpy(),
            "address": address,
            "precision": np.where(precise, "street address",
                                  "town centre (street address not geocoded)"),
            "status": frame["status"].map(_text).to_numpy(),
            "source": frame["source_url"].map(_link).to_numpy(),
            "s": np.where(precise, "address", "town"),
        })
        points = gpd.GeoDataFrame(geometry=_rounded(frame.geometry.to_numpy()), crs=4326)
        data = _FeatureData(_features(points, props)).add_to(group)
        styles = {"address": {"color": "#ffffff", "weight": 2, "fillColor": "#111111",
                              "fillOpacity": 1, "opacity": 1},
                  "town": {"color": "#111111", "weight": 2.5, "fillColor": "#ffffff",
                           "fillOpacity": 1, "opacity": 1}}
        _View(data, "s", styles, pane="wirgeo-points", class_name="wirgeo-centres",
              point="circle", point_radius=6, highlight={"weight": 4},
              tooltip=_tooltip(["name"], ["Centre"]),
              popup=_popup(["name", "org", "address", "precision", "status", "source"],
                           ["Centre", "Organisation", "Address", "Location", "Status",
                            "Source"])).add_to(group)
    legend = _legend_section("WIR-Vielfaltszentren", [
        (_swatch("#111111", line="#ffffff", shape="dot"), "location: street address"),
        (_swatch("#ffffff", line="#111111", shape="dot"), "location: town centre"),
    ], note="click a centre for organisation and source")
    return group, legend


def _add_grantees(m: folium.Map, shown: gpd.GeoDataFrame, grantees: pd.DataFrame,
                  show: bool) -> tuple[folium.FeatureGroup, str]:
    rows = grantees.assign(ags=grantees["ags"].astype(str))
    rows = rows[rows["ags"].isin(set(shown["ags"]))].sort_values(["ags", "round"],
                                                                   kind="stable")
    rounds = sorted(rows["round"].dropna().astype(str).unique())
    key = {r: f"r{min(i, len(_ROUND_STYLES) - 1)}" for i, r in enumerate(rounds)}
    per_ags = []
    for ags, g in rows.groupby("ags", sort=True):
        first = g["round"].iloc[0]
        per_ags.append({
            "ags": ags,
            "round": " / ".join(_text(r) for r in g["round"]),
            "years": " / ".join(_text(y) for y in g["years"]),
            "project": " / ".join(_text(p) for p in g["project"]),
            "amount": " / ".join(f"{_number(a)} EUR" if pd.notna(a) else "not known"
                                 for a in g["amount_eur"]),
            "verbund": " / ".join(_text(c) for c in g["consortium_id"] if _text(c)) or "—",
            "source": " ".join(_link(u) for u in g["source_url"]),
            "s": key[str(first)] if pd.notna(first) else "r?",
        })
    table = pd.DataFrame(per_ags, columns=["ags", "round", "years", "project", "amount",
                                           "verbund", "source", "s"])
    group = _group(m, "grantees", show, len(table))
    if len(table):
        frame = shown[["ags", "name", "population", "geometry"]].merge(table, on="ags")
        props = frame.drop(columns="geometry").assign(
            name=frame["name"].map(_text), pop=frame["population"].map(_number)
        ).drop(columns="population")
        data = _FeatureData(_features(frame, props)).add_to(group)
        styles = {f"r{i}": {**style, "weight": 3, "opacity": 1, "fillOpacity": 0,
                            "fillColor": style["color"]}
                  for i, style in enumerate(_ROUND_STYLES)}
        styles["r?"] = {"color": "#666666", "weight": 3, "opacity": 1, "fillOpacity": 0}
        _View(data, "s", styles, pane="wirgeo-grantees", class_name="wirgeo-grantees",
              highlight={"weight": 5},
              tooltip=_tooltip(["name", "round", "years"],
                               ["KIV grantee", "Round", "Years"]),
              popup=_popup(["name", "pop", "round", "years", "project", "amount", "verbund",
                            "source"],
                           ["Gemeinde", "Population", "Round", "Years", "Project",
                            "Amount", "Verbund", "Source"])).add_to(group)
    rows_legend = [(_swatch("transparent", line=_ROUND_STYLES[int(k[1:])]["color"],
                            dash="dashArray" in _ROUND_STYLES[int(k[1:])]), _text(r))
                   for r, k in key.items()]
    return group, _legend_section("KIV grantees", rows_legend,
                                  note="outlined; click for project and source")


def _group_colours(polygons: np.ndarray) -> list[int]:
    """Colour index per group so that touching groups differ (greedy, in table order)."""
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(polygons))}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            neighbours[a].add(b)
    colours: list[int] = []
    for i in range(len(polygons)):
        used = {colours[j] for j in neighbours[i] if j < i}
        free = [c for c in range(len(_GROUP_COLOURS)) if c not in used]
        colours.append(free[0] if free else i % len(_GROUP_COLOURS))
    return colours


def _consortium_members(consortia: pd.DataFrame, everything: gpd.GeoDataFrame
                        ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """One row per member (tooltip texts, colour key) and the dissolved groups."""
    by_ags = everything.set_index("ags")
    members, groups = [], []
    for i, c in enumerate(consortia.itertuples(index=False)):
        ags = [a.strip() for a in str(c.member_ags).split(";") if a.strip()]
        unknown = [a for a in ags if a not in by_ags.index]
        if unknown or not ags:
            raise InputError("consortia table", f"consortium {c.consortium_id!r} has "
                             f"member AGS {', '.join(unknown) or '(none)'} not among the "
                             "municipalities", row=i + 1, column="member_ags",
                             fix="build consortia and map from the same municipalities")
        listing = "<br>".join(f"{_text(by_ags.at[a, 'name'])} "
                              f"({_number(by_ags.at[a, 'population'])})" for a in ags)
        km = c.shared_border_km
        info = {"verbund": _text(c.consortium_id), "members": listing,
                "cpop": _number(c.population),
                "ckreis": _text(str(c.kreis_names).replace(";", ", ")),
                "border": f"{float(km):.1f} km" if pd.notna(km) else ""}
        members += [{"ags": a, **info, "group": i} for a in ags]
        groups.append(shapely.coverage_union_all(by_ags.loc[ags, "geometry"].to_numpy()))
    dissolved = gpd.GeoDataFrame(geometry=groups, crs=everything.crs)
    table = pd.DataFrame(members, columns=["ags", "verbund", "members", "cpop", "ckreis",
                                           "border", "group"])
    if table["ags"].duplicated().any():
        twice = table.loc[table["ags"].duplicated(), "ags"].iloc[0]
        raise InputError("consortia table", f"AGS {twice} is a member of two consortia",
                         column="member_ags", fix="each Gemeinde joins at most one Verbund")
    colours = _group_colours(dissolved.geometry.to_numpy()) if groups else []
    table["s_c"] = [f"c{colours[g]}" for g in table["group"]]
    return table.drop(columns="group"), dissolved


def _gemeinde_properties(drawn: gpd.GeoDataFrame, in_selection: np.ndarray, *,
                         eligibility: pd.DataFrame | None, members: pd.DataFrame | None,
                         unplaced: pd.DataFrame | None) -> tuple[pd.DataFrame, list]:
    """Properties of the shared Gemeinden features, one style key per layer.

    A style key is "" where a layer does not draw the Gemeinde (outside the Kreis
    selection, not a member, not unplaced).
    """
    pop_keys, pop_rows = _population_classes(drawn["population"])
    props = pd.DataFrame({
        "ags": drawn["ags"].map(_text),
        "name": drawn["name"].map(_text),
        "kreis": drawn["kreis_name"].map(_text),
        "pop": drawn["population"].map(_number),
        "s_p": pop_keys.where(in_selection, ""),
    }, index=drawn.index)
    if eligibility is not None:
        e = eligibility.set_index("ags").reindex(drawn["ags"])
        e.index = drawn.index
        funded = e["funded"].fillna(False).astype(bool)
        when = [", ".join(x for x in (_text(r), _text(y)) if x)
                for r, y in zip(e["funded_round"], e["funded_years"], strict=True)]
        props["elig"] = e["eligibility_label"].map(_text)
        props["funded"] = [(w or "yes") if f else "no" for f, w in
                           zip(funded, when, strict=True)]
        props["centre"] = [f"{_text(n)} ({float(d):.1f} km)" if _text(n) and pd.notna(d)
                           else _text(n) for n, d in zip(e["centre_name"],
                                                         e["centre_distance_km"],
                                                         strict=True)]
        props["s_e"] = e["eligibility"].astype(str).where(in_selection, "")
    if members is not None:
        joined = props[["ags"]].merge(members, on="ags", how="left").fillna("")
        joined.index = props.index
        for column in ("verbund", "members", "cpop", "ckreis", "border", "s_c"):
            props[column] = joined[column]
    if unplaced is not None:
        u = unplaced.assign(ags=unplaced["ags"].astype(str)).set_index("ags").reindex(
            drawn["ags"])
        u.index = drawn.index
        placed_out = u["reason"].isna() | ~in_selection
        props["code"] = u["reason_code"].map(_text)
        props["reason"] = u["reason"].map(_text)
        props["s_u"] = np.where(placed_out, "", "u")
    return props, pop_rows


def _add_population(m, data, legend_rows, show) -> tuple[folium.FeatureGroup, str]:
    group = _group(m, "population", show)
    styles = {key: {**_AREA_STYLE, "fillColor": colour} for key, colour, _ in legend_rows}
    _View(data, "s_p", styles, pane="wirgeo-areas", class_name="wirgeo-population",
          tooltip=_tooltip(["name", "ags", "kreis", "pop"],
                           ["Gemeinde", "AGS", "Kreis", "Population"])).add_to(group)
    legend = _legend_section("Population", [(_swatch(c), html.escape(label))
                                            for _, c, label in legend_rows],
                             note="10,000 and 50,000 are the KIV thresholds")
    return group, legend


def _add_eligibility(m, data, eligibility, counts, show) -> tuple[folium.FeatureGroup, str]:
    group = _group(m, "eligibility", show)
    styles = {c: {**_AREA_STYLE, "fillColor": ELIGIBILITY_COLOURS[c]}
              for c in ELIGIBILITY_CLASSES}
    _View(data, "s_e", styles, pane="wirgeo-areas", class_name="wirgeo-eligibility",
          tooltip=_tooltip(["name", "ags", "kreis", "pop", "elig", "funded", "centre"],
                           ["Gemeinde", "AGS", "Kreis", "Population", "KIV", "Funded",
                            "WIR-Vielfaltszentrum"])).add_to(group)
    labels = eligibility.drop_duplicates("eligibility").set_index("eligibility")[
        "eligibility_label"]
    rows = [(_swatch(ELIGIBILITY_COLOURS[c]), f"{_text(labels.get(c))} ({counts[c]})")
            for c in ELIGIBILITY_CLASSES if counts.get(c)]
    return group, _legend_section("KIV eligibility", rows)


def _add_consortia(m, data, dissolved, show) -> tuple[folium.FeatureGroup, str]:
    group = _group(m, "consortia", show, len(dissolved))
    styles = {f"c{k}": {"color": "#ffffff", "weight": 0.8, "opacity": 0.9,
                        "fillColor": colour, "fillOpacity": 0.9}
              for k, colour in enumerate(_GROUP_COLOURS)}
    _View(data, "s_c", styles, pane="wirgeo-groups", class_name="wirgeo-consortia",
          tooltip=_tooltip(["verbund", "members", "cpop", "ckreis", "border"],
                           ["Verbund", "Members", "Combined population", "Kreis",
                            "Shared border"])).add_to(group)
    if len(dissolved):
        _line_view(group, _outlines(dissolved.geometry), "consortia-outline",
                   {"color": "#000000", "weight": 1.3, "opacity": 1})
    legend = _legend_section("Suggested Verbünde", [
        ("".join(_swatch(c) for c in _GROUP_COLOURS[:3]), f"{len(dissolved)} groups")],
        note="each colour one group of 2–3 Gemeinden, outlined; hover for members")
    return group, legend


def _add_unplaced(m, data, count, show) -> tuple[folium.FeatureGroup, str]:
    group = _group(m, "unplaced", show, count)
    _View(data, "s_u", {"u": {"color": "#7F2704", "weight": 2, "opacity": 1,
                              "dashArray": "4 3", "fillColor": _UNPLACED,
                              "fillOpacity": 0.75}},
          pane="wirgeo-groups", class_name="wirgeo-unplaced",
          tooltip=_tooltip(["name", "ags", "kreis", "pop", "code", "reason"],
                           ["Not placed", "AGS", "Kreis", "Population", "Reason code",
                            "Reason"])).add_to(group)
    legend = _legend_section("Left unplaced", [
        (_swatch(_UNPLACED, line="#7F2704", dash=True),
         f"small Gemeinde without Verbund ({count})")], note="hover for the reason")
    return group, legend


# ------------------------------------------------------------------------- map


# folium names elements by 32 random hex digits; wirgeo's maps use short counters.
_RANDOM_ID = re.compile(r"^[0-9a-f]{32}$")
_RANDOM_NAME = re.compile(r"_[0-9a-f]{32}$")


def _content(root: Element) -> Iterator[Element]:
    """Yield the map's elements in tree order (not the page parts a render fills in)."""
    skip = {id(getattr(root, part, None)) for part in ("header", "html", "script")}

    def walk(element: Element) -> Iterator[Element]:
        yield element
        for child in element._children.values():
            if id(child) not in skip:
                yield from walk(child)

    return walk(root)


def _renumber(root: Element) -> None:
    """Give elements with a random id the next free sequential id, in tree order.

    Element names become JS variable names and HTML ids in the page, so the same map
    must get the same ids for byte-identical exports. Ids already given are kept, so a
    page rendered before (a notebook shows the map) keeps its names.
    """
    elements = list(_content(root))
    taken = [int(e._id) for e in elements if e._id.isdigit()]
    number = max(taken, default=-1) + 1
    for element in elements:
        if _RANDOM_ID.match(element._id):
            element._id = f"{number:04d}"
            number += 1


@contextlib.contextmanager
def _render_ids() -> Iterator[None]:
    """Sequential ids for the helper elements folium creates while rendering.

    Layers create their ``addTo`` element anew on every render; with random ids each
    render would add another copy of it to the page script.
    """
    counter = itertools.count()
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"r{next(counter):05d}")
    try:
        yield
    finally:
        Element._generate_id = original


def _validate(municipalities, tables: dict) -> None:
    _require(municipalities, ["ags", "name", "kreis_ags", "kreis_name", "rbz_ags", "status",
                              "population"], "municipalities")
    known = pd.Index(municipalities["ags"])
    eligibility = tables["eligibility"]
    if eligibility is not None:
        _require(eligibility, ["ags", "eligibility", "eligibility_label", "funded",
                               "funded_round", "funded_years", "centre_name",
                               "centre_distance_km"], "eligibility table")
        bad = ~eligibility["eligibility"].isin(ELIGIBILITY_CLASSES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError("eligibility table", f"unknown class "
                             f"{eligibility['eligibility'].iloc[i]!r}", row=i + 1,
                             column="eligibility",
                             fix="use one of " + ", ".join(ELIGIBILITY_CLASSES))
        if eligibility["ags"].duplicated().any():
            raise InputError("eligibility table", "AGS "
                             f"{eligibility['ags'][eligibility['ags'].duplicated()].iloc[0]}"
                             " appears twice", column="ags", fix="one row per municipality")
        missing = ~municipalities["ags"].isin(eligibility["ags"])
        if missing.any():
            raise InputError("eligibility table", "no row for AGS "
                             f"{municipalities['ags'][missing].iloc[0]}", column="ags",
                             fix="compute eligibility for the same municipalities")
    if tables["centres"] is not None:
        centres = tables["centres"]
        _require(centres, ["name", "host_type", "host_ags", "organisation", "street",
                           "postcode", "town", "location_precision", "status", "source_url"],
                 "centres table", geo=True)
        if centres.crs is None or not centres.geometry.geom_type.eq("Point").all():
            raise InputError("centres table", "needs point geometries with a CRS",
                             column="geometry", fix="pass the centres GeoDataFrame")
    if tables["grantees"] is not None:
        _require(tables["grantees"], ["ags", "name", "round", "years", "project",
                                      "amount_eur", "source_url", "consortium_id"],
                 "grantees table")
        _unknown_ags("grantees table", tables["grantees"], "ags", known)
    if tables["consortia"] is not None:
        _require(tables["consortia"], ["consortium_id", "n_members", "member_ags",
                                       "member_names", "population", "kreis_ags",
                                       "kreis_names", "same_kreis", "shared_border_km"],
                 "consortia table")
    if tables["unplaced"] is not None:
        _require(tables["unplaced"], ["ags", "name", "kreis_name", "population",
                                      "reason_code", "reason"], "unplaced table")
        _unknown_ags("unplaced table", tables["unplaced"], "ags", known)


def planning_map(
    municipalities: gpd.GeoDataFrame,
    *,
    eligibility: pd.DataFrame | None = None,
    centres: gpd.GeoDataFrame | None = None,
    grantees: pd.DataFrame | None = None,
    consortia: pd.DataFrame | None = None,
    unplaced: pd.DataFrame | None = None,
    options: MapOptions | None = None,
    **option_changes,
) -> folium.Map:
    """Build the planning map of Hessen (or of some Kreise) as a :class:`folium.Map`.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Full-resolution municipalities from :func:`wirgeo.load` (not modified).
    eligibility, centres, grantees, consortia, unplaced : DataFrame, optional
        Thematic tables with the columns documented in this module; each one given draws
        its layer.
    options : MapOptions, optional
        What to draw; keyword arguments (``kreise=``, ``layers=``, ``hidden=``,
        ``tiles=``, ``tolerance_m=``, ``title=``) change single options.

    Returns
    -------
    folium.Map

    Raises
    ------
    InputError
        Unknown layer or Kreis, a requested layer without its table, a table with missing
        columns or unknown AGS.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> m = planning_map(load_municipalities(), kreise=["06633"], tiles=None,
    ...                  layers=["kreise", "population"])
    >>> sorted(c.layer_name for c in m._children.values()
    ...        if isinstance(c, folium.FeatureGroup))
    ['Gemeinden: population', 'Kreise']
    """
    options = replace(options or MapOptions(), **option_changes)
    tables = {"eligibility": eligibility, "centres": centres, "grantees": grantees,
              "consortia": consortia, "unplaced": unplaced}
    if options.layers is None:
        layers = {"kreise", "regierungsbezirke", "population"} | {
            k for k, v in tables.items() if v is not None}
    else:
        layers = set(options.layers)
        for key in sorted(layers & set(tables)):
            if tables[key] is None:
                raise InputError(None, f"layer {key!r} needs the {key} table",
                                 column="--layers",
                                 fix=f"pass {key}=… or leave the layer out")
    _validate(municipalities, tables)
    attribution = _attribution(municipalities, tables.values())
    kreise = _resolve_kreise(options.kreise, municipalities) if options.kreise else []

    everything = display_geometry(municipalities, options.tolerance_m)
    in_selection = everything["kreis_ags"].isin(kreise).to_numpy() if kreise else \
        np.ones(len(everything), dtype=bool)
    shown = everything[in_selection]

    def selected(frame, column):
        if frame is None or not kreise:
            return frame
        return frame[frame[column].astype(str).str[:5].isin(kreise)]

    members = dissolved = None
    if "consortia" in layers:
        if kreise:  # every Verbund with a member in the selection, drawn whole
            touches = consortia["member_ags"].astype(str).map(
                lambda s: any(a.strip()[:5] in kreise for a in s.split(";")))
            consortia = consortia[touches]
        members, dissolved = _consortium_members(consortia, everything)
    drawn_mask = in_selection | (everything["ags"].isin(members["ags"]).to_numpy()
                                 if members is not None else False)
    drawn = everything[drawn_mask]

    hidden = options.hidden
    if hidden is None:
        hidden = ("regierungsbezirke",) + (("population",) if "eligibility" in layers else ())
    show = {k: k not in hidden for k in LAYERS}

    m = _new_map(shown, options.tiles)

    legends: dict[str, tuple[folium.FeatureGroup, str]] = {}
    if layers & {"population", "eligibility", "consortia", "unplaced"}:
        props, pop_rows = _gemeinde_properties(
            drawn, in_selection[drawn_mask],
            eligibility=eligibility if "eligibility" in layers else None,
            members=members,
            unplaced=selected(unplaced, "ags") if "unplaced" in layers else None)
        data = _FeatureData(_features(drawn, props, sparse={
            "s_p": (), "s_e": (),
            "s_c": ("verbund", "members", "cpop", "ckreis", "border"),
            "s_u": ("code", "reason")})).add_to(m)
        if "eligibility" in layers:
            counts = props["s_e"][props["s_e"] != ""].value_counts().to_dict()
            legends["eligibility"] = _add_eligibility(m, data, eligibility, counts,
                                                      show["eligibility"])
        if "population" in layers:
            legends["population"] = _add_population(m, data, pop_rows, show["population"])
        if "consortia" in layers:
            legends["consortia"] = _add_consortia(m, data, dissolved, show["consortia"])
        if "unplaced" in layers:
            legends["unplaced"] = _add_unplaced(m, data, int((props["s_u"] == "u").sum()),
                                                show["unplaced"])
    if "grantees" in layers:
        legends["grantees"] = _add_grantees(m, shown, grantees, show["grantees"])
    if "centres" in layers:
        legends["centres"] = _add_centres(m, selected(centres, "host_ags"), show["centres"])
    if "kreise" in layers:
        _add_kreise(m, shown, everything, show["kreise"])
    if "regierungsbezirke" in layers:
        _add_regions(m, shown, show["regierungsbezirke"])

    selection = ", ".join(shown.drop_duplicates("kreis_ags")["kreis_name"]) if kreise \
        else _state_name(municipalities)
    title = options.title or f"WIR – Vielfalt und Teilhabe: planning map {selection}"
    subtitle = (f"{len(shown):,} Gemeinden · {int(shown['population'].sum()):,} inhabitants"
                f" · population {municipalities.attrs.get('population_date', '')}")
    order = [k for k in LAYERS if k in legends]
    _finish_map(m, shown, title, subtitle, [(k, *legends[k]) for k in order], attribution)
    return m


def _new_map(shown: gpd.GeoDataFrame, tiles: str | None) -> folium.Map:
    """An empty map around ``shown`` (WGS84) with wirgeo's panes, base map and styles."""
    (west, south), (east, north) = np.split(np.asarray(shown.total_bounds), 2)
    m = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=8,
                   tiles=None, zoom_snap=0.25, zoom_delta=0.5, zoom_control="bottomleft")
    # wirgeo's maps only use Leaflet: skip jQuery, Bootstrap, Font Awesome and the
    # awesome-markers plugin folium loads by default (fewer hosts, faster first draw).
    m.default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    m.default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]
    for name, z_index, pointer in _PANES:
        folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer).add_to(m)
    if tiles:
        folium.TileLayer(tiles, overlay=True, control=True, show=True,
                         name=f"Base map ({tiles})").add_to(m)
    _Style().add_to(m)
    return m


def _finish_map(m: folium.Map, shown: gpd.GeoDataFrame, title: str, subtitle: str,
                legends: list[tuple[str, folium.FeatureGroup, str]], attribution: str) -> None:
    """Title, legend (one section per layer key), attribution, layer control, view."""
    _Control(f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>",
             position="topleft", css_class="wirgeo-title").add_to(m)
    if legends:
        body = "".join(f'<section data-layer="{k}">{text}</section>'
                       for k, _, text in legends)
        _Control(f"<details open><summary>Legend</summary>{body}</details>",
                 position="bottomright", css_class="wirgeo-legend",
                 sections={k: group for k, group, _ in legends}).add_to(m)
    _Attribution(attribution).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    (west, south), (east, north) = np.split(np.asarray(shown.total_bounds), 2)
    # room for the title above and the legend on the right, so nothing hides the selection
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(10, 60),
                 padding_bottom_right=(250 if legends else 10, 40))
    # jump to the selection instead of animating from the initial view: no zoom flicker on
    # load, and a view set right after loading is not undone when the animation ends
    fit = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)][-1]
    fit.options["animate"] = False
    m.get_root().title = html.escape(title)
    _renumber(m.get_root())


#: Colours of the outcome codes of :data:`wirgeo.planning.OUTCOMES` (Okabe–Ito).
OUTCOME_COLOURS = {
    "single": "#009E73",
    "verbund": "#56B4E9",
    "unplaced": "#D55E00",
    "funded": "#000000",
    "excluded": "#999999",
    "large": "#0072B2",
    "own_centre": "#CC79A7",
    "uninhabited": "#BBBBBB",
}
_UNCHANGED = "#F2F2F0"


def comparison_map(comparison, scenario: str, *, tiles: str | None = "OpenStreetMap",
                   tolerance_m: float = DEFAULT_TOLERANCE_M) -> folium.Map:
    """Map of the municipalities whose outcome differs between a scenario and the baseline.

    Changed Gemeinden are coloured by their outcome under ``scenario``; the tooltip gives
    both outcomes. Unchanged Gemeinden are drawn pale, with Kreis borders for orientation.

    Parameters
    ----------
    comparison : wirgeo.planning.Comparison
        From :func:`wirgeo.planning.compare`.
    scenario : str
        One of ``comparison.runs``.
    tiles, tolerance_m
        As in :class:`MapOptions`.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import compare
    >>> cmp = compare(load_municipalities(), ["default", "mutual"])
    >>> m = comparison_map(cmp, "mutual", tiles=None)
    >>> "26 Gemeinden change" in m.get_root().title
    True
    """
    from wirgeo.planning import OUTCOMES

    if scenario not in comparison.runs:
        raise InputError(None, f"no scenario {scenario!r} in this comparison",
                         column="scenario", fix="choose one of " + ", ".join(comparison.runs))
    base = comparison.baseline
    everything = display_geometry(comparison.runs[base].municipalities, tolerance_m)
    outcome = comparison.outcomes.set_index("ags")
    before = everything["ags"].map(outcome[base])
    after = everything["ags"].map(outcome[scenario])
    changed = (before != after).to_numpy()
    props = pd.DataFrame({
        "name": everything["name"].map(_text).to_numpy(),
        "ags": everything["ags"].to_numpy(),
        "kreis": everything["kreis_name"].map(_text).to_numpy(),
        "population": everything["population"].map(_number).to_numpy(),
        "before": before.map(OUTCOMES).map(_text).to_numpy(),
        "after": after.map(OUTCOMES).map(_text).to_numpy(),
        "s": np.where(changed, after.to_numpy(), "same"),
    })
    m = _new_map(everything, tiles)
    data = _FeatureData(_features(everything, props)).add_to(m)
    same = folium.FeatureGroup(name="Unchanged Gemeinden", show=True).add_to(m)
    _View(data, "s", {"same": {**_AREA_STYLE, "fillColor": _UNCHANGED}},
          pane="wirgeo-areas", class_name="wirgeo-unchanged",
          tooltip=_tooltip(["name", "kreis", "population", "before"],
                           ["Gemeinde", "Kreis", "Population", "Outcome (both)"])
          ).add_to(same)
    counts = pd.Series(after[changed]).value_counts()
    group = folium.FeatureGroup(name=f"Outcome changes ({int(changed.sum())})",
                                show=True).add_to(m)
    styles = {code: {**_AREA_STYLE, "fillColor": colour, "fillOpacity": 0.9}
              for code, colour in OUTCOME_COLOURS.items() if code in counts}
    _View(data, "s", styles, pane="wirgeo-groups", class_name="wirgeo-changed",
          tooltip=_tooltip(["name", "ags", "kreis", "population", "before", "after"],
                           ["Gemeinde", "AGS", "Kreis", "Population", f"Outcome: {base}",
                            f"Outcome: {scenario}"])).add_to(group)
    legend = _legend_section(
        f"Outcome under '{scenario}' (changed only)",
        [(_swatch(OUTCOME_COLOURS[c]), f"{_text(OUTCOMES[c])} ({int(counts[c])})")
         for c in OUTCOME_COLOURS if c in counts]
        + [(_swatch(_UNCHANGED, line="#999999"), f"unchanged ({int((~changed).sum())})")],
        note=f"compared with '{_text(base)}'; hover for both outcomes")
    _add_kreise(m, everything, everything, True)
    title = (f"Scenario '{scenario}' vs '{base}': {int(changed.sum())} Gemeinden change")
    subtitle = comparison.runs[scenario].rules.describe()
    attribution = _attribution(comparison.runs[base].municipalities, [])
    _finish_map(m, everything, title, subtitle, [("changes", group, legend)], attribution)
    return m


def _state_name(municipalities: pd.DataFrame) -> str:
    from wirgeo.sources import STATE_NAMES

    states = municipalities["ags"].astype(str).str[:2].unique()
    return STATE_NAMES.get(states[0], states[0]) if len(states) == 1 else "Germany"


# ----------------------------------------------------------------------- export


def check_map_path(path: str | Path) -> Path:
    """Check that ``path`` names an HTML file (before any work is done).

    Examples
    --------
    >>> check_map_path("out/map.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: out/map.pdf, column '--out': a map is written as HTML, not ...
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(path, f"a map is written as HTML, not {path.suffix or '(none)'!r}",
                         column="--out", fix="end the file name with .html")
    return path


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map as one standalone HTML file, atomically (temporary file, rename).

    The same map gives a byte-identical file. The page loads Leaflet from its CDN; all
    data, styles and scripts are inside the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from wirgeo import load_municipalities
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "kassel.html"
    >>> m = planning_map(load_municipalities(), kreise=["Kassel"], tiles=None)
    >>> save_map(m, target).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = check_map_path(path)
    root = m.get_root()
    # Drop what an earlier render with random ids (a notebook display) left in the page
    # parts; rendering fills them in again from the elements.
    for part in (root.header, root.html, root.script):
        part._children = OrderedDict((key, child) for key, child in part._children.items()
                                     if not _RANDOM_NAME.search(key))
    _renumber(root)
    with _render_ids():
        text = root.render()
    return _files.write_text(path, text)


