"""Planning maps: folium maps of Gemeinden, eligibility, centres, grantees and Verbünde.

:func:`planning_map` builds one :class:`folium.Map` (notebooks display it inline) with its
layers in a ``LayerControl``; :func:`save_map` writes it as one standalone HTML file that
carries Leaflet inside and draws with no network. :func:`static_map` draws the same layers
with matplotlib for print (A4/A3), :func:`save_static_map` writes it as PNG, PDF or SVG.
The layers and the tables they draw:

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
  :data:`ELIGIBILITY_CLASSES`; its label is said from the vocabulary), ``funded`` (bool),
  ``funded_round``, ``funded_years``, ``centre_name``, ``centre_distance_km``.
* ``centres``: GeoDataFrame of points with ``name``, ``host_type``, ``host_ags`` (5-digit
  Kreis or 8-digit Gemeinde), ``organisation``, ``street``, ``postcode``, ``town``,
  ``location_precision`` (``town`` / ``address``), ``status``, ``source_url``.
* ``grantees``: ``ags``, ``name``, ``round``, ``years``, ``project``, ``amount_eur``,
  ``source_url``, ``consortium_id``.
* ``consortia``: ``consortium_id``, ``n_members``, ``member_ags`` (tuples of str, or
  ``;``-joined text as in a file), ``member_names``, ``population``, ``kreis_ags``,
  ``kreis_names`` (the same), ``same_kreis``,
  ``shared_border_km`` (a geometry column, if any, is not used: the outline is dissolved
  from the display geometry of the members so it matches the Gemeinde borders exactly);
  with ``flexibility`` (:data:`wirgeo.vocabulary.FLEXIBILITY`) the tooltip says whether a
  Verbund is firm.
* ``unplaced``: ``ags``, ``name``, ``kreis_name``, ``population``, ``reason_code`` and
  ``reason_figures`` (the tooltip says the reason with :func:`wirgeo.wording.reason_text`;
  a ``reason`` column of sentences is shown as given).

Display geometry is a copy of the municipalities simplified *as a coverage* (shared borders
are simplified once, so neighbours keep identical borders and no gaps open), reprojected
to WGS84 and rounded to 1e-5° (about 1 m). The analysis frame is never touched; adjacency
and every figure are computed on full resolution elsewhere.

Every text that comes from data (names, labels, reasons, projects, links) is HTML-escaped
before it reaches the page: Leaflet and folium insert tooltip and popup content as HTML.
Only ``http(s)`` source URLs become links.

Where things live: :mod:`~wirgeo.maps.compose` (:class:`MapOptions`,
:func:`planning_map`), :mod:`~wirgeo.maps.comparison` (:func:`comparison_map`),
:mod:`~wirgeo.maps.negotiation` (:func:`negotiation_map`: two plan documents;
:func:`document_map`: one, with its statuses),
:mod:`~wirgeo.maps.export` (:func:`save_map`), :mod:`~wirgeo.maps.styles` (every colour,
line style and legend text), :mod:`~wirgeo.maps.geometry` (display geometry),
:mod:`~wirgeo.maps.validation` (the column contracts above), :mod:`~wirgeo.maps.layers`
(the layer builders); ``_leaflet`` and ``_html`` hold the folium elements and the
escaping.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.maps import planning_map
>>> m = planning_map(load_municipalities(), kreise=["Landkreis Kassel"], tiles=None)
>>> type(m).__name__
'Map'
"""

from wirgeo.maps.comparison import comparison_map
from wirgeo.maps.compose import MapOptions, planning_map, tables_of
from wirgeo.maps.export import check_map_path, save_map
from wirgeo.maps.geometry import (
    COORDINATE_DECIMALS,
    DEFAULT_TOLERANCE_M,
    display_geometry,
    vertex_count,
)
from wirgeo.maps.negotiation import document_map, negotiation_map
from wirgeo.maps.static import PAPERS, save_static_map, static_map
from wirgeo.maps.styles import (
    ELIGIBILITY_COLOURS,
    LAYER_TITLES,
    LAYERS,
    OUTCOME_COLOURS,
    POPULATION_BINS,
)
from wirgeo.maps.validation import ELIGIBILITY_CLASSES

__all__ = [
    "LAYERS",
    "LAYER_TITLES",
    "ELIGIBILITY_CLASSES",
    "ELIGIBILITY_COLOURS",
    "POPULATION_BINS",
    "DEFAULT_TOLERANCE_M",
    "COORDINATE_DECIMALS",
    "MapOptions",
    "display_geometry",
    "vertex_count",
    "planning_map",
    "tables_of",
    "comparison_map",
    "negotiation_map",
    "document_map",
    "OUTCOME_COLOURS",
    "save_map",
    "check_map_path",
    "static_map",
    "save_static_map",
    "PAPERS",
]
