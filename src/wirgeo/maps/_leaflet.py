"""Leaflet plumbing: the folium elements wirgeo's maps are made of, and their ids.

folium builds a page from elements, each rendering a Jinja template of JavaScript. The
elements here are what folium does not offer:

* :class:`_FeatureData` writes a FeatureCollection into the page once, as a variable, and
  :class:`_View` draws a subset of it with its own styles, so the population, eligibility,
  Verbund and unplaced layers share one copy of the Gemeinden (half the file size);
* :class:`_Control` holds the title and the legend (each legend section shown only while
  its layer is on), :class:`_Attribution` the data sources, :class:`_Style` the CSS;
* :class:`_Library` writes the shipped Leaflet (:mod:`wirgeo.maps._library`) into the
  page, so the file draws without any network; :class:`_TileNote` says politely when the
  base map cannot be loaded (everything else is in the file and still draws);
* :class:`_Page` is the page itself: it renders each element's template once, never a
  second time (branca's ``Figure`` renders the text every element produced as a template
  again, so ``{{ … }}`` in a name would be evaluated).

Text from data reaches the page only as JSON (:func:`wirgeo.core.markup.script_json`)
or as escaped HTML (:func:`wirgeo.core.markup.html_text`) — never as template source.

folium names every element by 32 random hex digits, and those names become JavaScript
variables and HTML ids. :func:`_renumber` and :func:`_render_ids` replace them with
counters so the same map always gives the same bytes.

Examples
--------
>>> data = _FeatureData({"type": "FeatureCollection", "features": []})
>>> str(data.json)
'{"features":[],"type":"FeatureCollection"}'
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from markupsafe import Markup

from wirgeo.core.markup import html_text, script_json
from wirgeo.maps._library import leaflet_css, leaflet_js
from wirgeo.maps.styles import CSS, HIGHLIGHT

_E = TypeVar("_E", bound=Element)


def _added(element: _E, parent: Element) -> _E:
    """Add ``element`` to ``parent`` and return it with its own type (``add_to`` does not)."""
    element.add_to(parent)
    return element


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

    def __init__(self, collection: dict[str, Any]):
        super().__init__()
        self._name = "features"
        self.data = collection
        # compact JSON whose strings cannot end the <script> element or read as a template
        self.json = Markup(script_json(collection))


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
            html: '<span data-rank="' + (feature.properties.rank || 0) + '">' +
                feature.properties.label + '</span>'})});
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

    def __init__(self, source: _FeatureData, key: str, styles: Mapping[str, dict[str, Any]],
                 *, pane: str, class_name: str, interactive: bool = True,
                 point: str | None = None, point_radius: float = 6,
                 highlight: dict[str, Any] | None = None,
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
        self.highlight_style = highlight if highlight is not None else HIGHLIGHT


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
        div.innerHTML = {{ this.html_json }};
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

    def __init__(self, markup: str, *, position: str, css_class: str,
                 sections: Mapping[str, folium.FeatureGroup] | None = None):
        super().__init__()
        self._name = "control"
        # markup built by wirgeo from escaped text (html_text), carried as a JS string
        self.html_json = Markup(script_json(markup))
        self.position = position
        self.css_class = css_class
        self.sections = dict(sections or {})


class _Attribution(MacroElement):
    """Adds the data attribution (escaped text) to Leaflet's attribution control."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix }});
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text }});
{% endmacro %}
""")

    def __init__(self, text: str):
        super().__init__()
        self._name = "attribution"
        # Leaflet shows attributions as HTML: the text escaped, then carried as JSON
        self.text = Markup(script_json(html_text(text)))
        self.prefix = Markup(script_json('<a href="https://leafletjs.com" target="_blank" '
                                         'rel="noopener noreferrer">Leaflet</a>'))


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
        var zoom = map.getZoom(), box = map.getContainer().classList;
        box.toggle('wirgeo-far', zoom < 8);
        box.toggle('wirgeo-mid', zoom >= 9);
        box.toggle('wirgeo-near', zoom >= 10);
    };
    // Labels that would overlap a label of higher rank (Kreis names, then Verbund ids,
    // then Gemeinden by population) are hidden; recomputed after every zoom and pan.
    // A label first tries its own place, then beside it (off a centre marker, say).
    var declutter = function() {
        var pane = map.getPane('wirgeo-labels');
        var spans = Array.prototype.slice.call(pane.querySelectorAll('.wirgeo-label span'));
        spans.forEach(function(s) {
            s.classList.remove('wirgeo-hidden');
            s.style.transform = '';
        });
        spans.sort(function(a, b) { return (+a.dataset.rank) - (+b.dataset.rank); });
        var kept = Array.prototype.slice.call(document.querySelectorAll(
            'path.wirgeo-centres')).map(function(p) { return p.getBoundingClientRect(); });
        var clash = function(r, dx, dy) {
            return kept.some(function(k) {
                return r.left + dx < k.right + 2 && r.right + dx + 2 > k.left &&
                       r.top + dy < k.bottom + 1 && r.bottom + dy + 1 > k.top;
            });
        };
        spans.forEach(function(s) {
            if (s.offsetParent === null) { return; }  // not shown at this zoom
            var r = s.getBoundingClientRect();
            if (!r.width) { return; }
            var w = r.width / 2 + 7, h = r.height;
            var moves = [[0, 0], [0, -h], [0, h], [w, 0], [-w, 0]];
            for (var i = 0; i < moves.length; i++) {
                var dx = moves[i][0], dy = moves[i][1];
                if (!clash(r, dx, dy)) {
                    if (dx || dy) {
                        s.style.transform = 'translate(calc(-50% + ' + dx + 'px), calc(-50% + '
                            + dy + 'px))';
                    }
                    kept.push({left: r.left + dx, right: r.right + dx, top: r.top + dy,
                               bottom: r.bottom + dy});
                    return;
                }
            }
            s.classList.add('wirgeo-hidden');
        });
    };
    // Tooltips stay inside the map: Leaflet places them beside the cursor and lets
    // them run over the edge; shift each one back after Leaflet has placed it.
    if (!L.Tooltip.prototype.wirgeoClamped) {
        var place = L.Tooltip.prototype._setPosition;
        L.Tooltip.prototype._setPosition = function(pos) {
            place.call(this, pos);
            var m = this._map, el = this._container;
            if (!m || !el) { return; }
            var at = L.DomUtil.getPosition(el), size = m.getSize();
            var corner = m.layerPointToContainerPoint(at);
            var dx = Math.min(0, size.x - (corner.x + el.offsetWidth) - 4);
            var dy = Math.min(0, size.y - (corner.y + el.offsetHeight) - 4);
            dx = corner.x + dx < 4 ? 4 - corner.x : dx;
            dy = corner.y + dy < 4 ? 4 - corner.y : dy;
            if (dx || dy) { L.DomUtil.setPosition(el, at.add([dx, dy])); }
        };
        L.Tooltip.prototype.wirgeoClamped = true;
    }
    map.on('zoomend', zoomClass);
    map.on('zoomend moveend overlayadd overlayremove', declutter);
    zoomClass();
    map.whenReady(function() { setTimeout(declutter, 0); });
    L.control.scale({imperial: false}).addTo(map);
})();
{% endmacro %}
""")

    css = CSS

    def __init__(self) -> None:
        super().__init__()
        self._name = "style"


class _Library(MacroElement):
    """Leaflet's script and stylesheet inside the page's ``<head>`` (no CDN request).

    The page's own script runs at the end of ``<body>``, so Leaflet is defined by then.
    """

    _template = Template("""
{% macro header(this, kwargs) %}
<style>{{ this.css }}</style>
<script>{{ this.js }}</script>
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "library"
        # The npm files hold no "</script>" or "</style>" (tests/test_maps.py checks), so
        # they can be written verbatim.
        self.js = Markup(leaflet_js())
        self.css = Markup(leaflet_css())


class _TileNote(MacroElement):
    """A small note on the map when base-map tiles fail to load (offline, blocked).

    The Gemeinden, Verbünde, legend and tooltips are in the file and draw anyway; the note
    only says why the background is plain.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
    var map = {{ this._parent.get_name() }};
    var shown = false;
    {{ this.tiles.get_name() }}.on('tileerror', function() {
        if (shown) { return; }
        shown = true;
        var note = L.control({position: 'bottomleft'});
        note.onAdd = function() {
            var div = L.DomUtil.create('div', 'wirgeo-tile-note');
            div.textContent = {{ this.text }};
            return div;
        };
        note.addTo(map);
    });
})();
{% endmacro %}
""")

    def __init__(self, tiles: folium.TileLayer, text: str):
        super().__init__()
        self._name = "tile_note"
        self.tiles = tiles
        self.text = Markup(script_json(text))


# ------------------------------------------------------------------- the page

# An element's finished text, written as it is (a template that prints it, unrendered).
_VERBATIM = Template("{{ this._template_str }}")


class _Page(Figure):
    """The HTML page of a wirgeo map: every element's template is rendered once only.

    branca's :class:`~branca.element.Figure` collects what each element renders as new
    ``Element(text)`` objects, whose text becomes a Jinja template that is rendered again
    with the page: text that reached an element's output would run as template code.
    Here the collected text is written verbatim instead. Rendering stays deterministic and
    the page looks the same; only the second evaluation is gone. Notebooks (``_repr_html_``)
    and :func:`wirgeo.maps.save_map` both render through :meth:`render`.
    """

    def render(self, **kwargs: Any) -> str:
        for child in self._children.values():
            if isinstance(child, folium.Map):
                _layer_control_last(child)
            child.render(**kwargs)
        for part in (self.header, self.html, self.script):
            for element in part._children.values():
                if type(element) is Element and element._template_str is not None:
                    element._template = _VERBATIM
        return self._template.render(this=self, kwargs=kwargs)


def _layer_control_last(m: folium.Map) -> None:
    """One layer control, written after every layer it lists.

    A layer control's script names the layers it lists, so it must come after them in
    the page. wirgeo adds its own when a map is built; layers a user adds afterwards
    (an own ``folium.GeoJson``) would otherwise be named before they exist, and the page
    would stop with "cannot read 'setZIndex'". A control the user adds replaces the
    map's own (the last one added is the one shown).
    """
    controls = [key for key, child in m._children.items()
                if isinstance(child, folium.LayerControl)]
    for key in controls[:-1]:
        del m._children[key]
    if controls:
        m._children.move_to_end(controls[-1])


def _on_page(m: folium.Map) -> folium.Map:
    """Put a new map on a :class:`_Page` (instead of the Figure folium gave it)."""
    _Page().add_child(m)
    return m


# ------------------------------------------------------------ deterministic ids

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


def _forget_random_parts(root: Element) -> None:
    """Drop what an earlier render with random ids (a notebook display) left in the page.

    Rendering fills the page parts (header, html, script) in again from the elements.
    """
    for name in ("header", "html", "script"):
        part = getattr(root, name)
        part._children = OrderedDict(
            (key, child) for key, child in part._children.items()
            if not _RANDOM_NAME.search(key))


@contextlib.contextmanager
def _render_ids() -> Iterator[None]:
    """Sequential ids for the helper elements folium creates while rendering.

    Layers create their ``addTo`` element (and folium's templates some ``Element``
    wrappers) anew on every render, and folium offers no way to name them: the only hook
    is the class method ``Element._generate_id``. With random ids each render would add
    another copy of the ``addTo`` line to the page script and the bytes would differ from
    run to run, so while one page is rendered the method hands out counters instead.

    The patch changes a class every folium map in the process shares, so it lasts only
    for the ``with`` block around one ``render()`` (restored even when rendering fails)
    and is never applied while elements are built: maps a user builds meanwhile, and
    folium's own ids outside wirgeo's exports, stay as folium makes them.
    """
    counter = itertools.count()
    original = Element.__dict__["_generate_id"]
    # replacing a method is exactly what mypy warns about, and here it is the point
    Element._generate_id = classmethod(  # type: ignore[method-assign,assignment]
        lambda cls: f"r{next(counter):05d}")
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]
