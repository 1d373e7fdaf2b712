"""Composing the planning map: options, its steps, and the frame every map shares.

:func:`planning_map` reads as its steps: which layers and tables
(:func:`_layers_to_draw`), which Gemeinden (:func:`_select`), the Gemeinden data the area
layers share (:func:`_shared_gemeinden`), each layer (:func:`_add_layers`), then title,
legend and attribution (:func:`_finish_map`). :func:`_new_map` and :func:`_finish_map`
also frame the comparison map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeAlias, TypedDict

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Figure

from wirgeo.core.i18n import (
    _,
    check_language,
    date,
    ngettext,
    number,
    speaking,
    translate,
)
from wirgeo.core.lists import with_lists
from wirgeo.core.markup import html_text
from wirgeo.errors import ArgumentError
from wirgeo.maps._leaflet import (
    _Attribution,
    _Control,
    _FeatureData,
    _Library,
    _on_page,
    _renumber,
    _Style,
    _TileNote,
)
from wirgeo.maps.colouring import lab, verbund_colours
from wirgeo.maps.geometry import DEFAULT_TOLERANCE_M, check_tolerance, display_geometry
from wirgeo.maps.layers import (
    Legend,
    _add_centres,
    _add_consortia,
    _add_eligibility,
    _add_foreign_share,
    _add_grantees,
    _add_kreise,
    _add_names,
    _add_population,
    _add_regions,
    _add_unplaced,
    _consortia_touching,
    _consortium_members,
    _gemeinde_properties,
    _gemeinden_data,
)
from wirgeo.maps.styles import (
    BASE_MAP,
    GROUP_COLOURS,
    LAYERS,
    LEGEND_TITLES,
    MAP_SUBTITLE,
    MAP_TITLE,
    PANES,
    TILE_NOTE,
)
from wirgeo.maps.validation import CONSORTIA_LISTS, attribution, check_tables
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning, RunRecord
from wirgeo.planning.library import OptimalPlan
from wirgeo.wording import record_rows

__all__ = ["MapOptions", "planning_map", "has_census", "tables_of", "drawing"]

#: What a map can draw: a plan (:class:`wirgeo.OptimalPlan` or
#: :class:`wirgeo.planning.Planning`) or a municipality table.
Drawable: TypeAlias = OptimalPlan | Planning | gpd.GeoDataFrame

if TYPE_CHECKING:
    from typing_extensions import Unpack


class MapOptionChanges(TypedDict, total=False):
    """Fields of :class:`MapOptions` changed by name (``planning_map(run, title=…)``).

    ``tests/test_maps.py`` keeps the two in step.
    """

    layers: tuple[str, ...] | None
    hidden: tuple[str, ...] | None
    kreise: tuple[str, ...]
    tiles: str | None
    tolerance_m: float
    title: str | None
    lang: str | None
    library: str
    paper: str
    orientation: str


#: How a page gets Leaflet: written into the file, or linked from the CDN.
LIBRARIES = ("inline", "cdn")

#: The thematic tables, in the order :func:`planning_map` takes them.
TABLES = ("eligibility", "centres", "grantees", "consortia", "unplaced")

# Layers drawn from the one shared copy of the Gemeinden.
_GEMEINDE_LAYERS = frozenset({"population", "eligibility", "foreign_share", "consortia",
                              "unplaced"})


@dataclass(frozen=True)
class MapOptions:
    """What :func:`planning_map` and :func:`~wirgeo.maps.static_map` draw, and how.

    Parameters
    ----------
    layers : tuple of str, optional
        Layers to build (keys of :data:`LAYERS`). Default: ``kreise``,
        ``regierungsbezirke``, ``population``, ``foreign_share`` (when the municipalities
        carry the Zensus 2022 indicators) and every thematic layer whose table is given.
    hidden : tuple of str, optional
        Layers that are built but switched off at first (the user switches them on in the
        layer control). Default: ``regierungsbezirke`` and ``foreign_share``, and
        ``population`` when the eligibility layer is drawn.
    kreise : tuple of str
        Draw only these Kreise (names with or without "Landkreis"/"Kreis", such as
        ``"Fulda"`` or ``"Landkreis Kassel"``, or 5-digit keys such as ``"06633"``; see
        :func:`wirgeo.municipalities.resolve_kreise`); empty = the whole state.
    tiles : str or None
        folium/xyzservices name of the base map; ``None`` draws no base map (no tile
        requests at all). A base map can also be switched off in the layer control.
    tolerance_m : float
        Coverage simplification tolerance of the display geometry in metres; 0 keeps full
        resolution.
    title : str, optional
        Title shown on the map; default names the programme and the selection.
    lang : str, optional
        Language of every text on the map (``"de"``, ``"en"``; default: the setting,
        :func:`wirgeo.core.i18n.language`), spoken while the map is built
        (:func:`wirgeo.core.i18n.speaking`).
    library : {"inline", "cdn"}
        ``"inline"`` (default) writes the shipped Leaflet into the page, so the file
        draws with no network at all (about 160 kB more); ``"cdn"`` links Leaflet from
        its CDN for a smaller file that needs the internet to draw.
    paper : {"A4", "A3"}
        Print map only (:func:`~wirgeo.maps.static_map`): the paper size.
    orientation : {"landscape", "portrait"}
        Print map only: the page orientation.

    Raises
    ------
    ArgumentError
        An unknown layer in ``layers`` or ``hidden``, a bad ``tolerance_m`` or
        ``library``.

    Examples
    --------
    >>> MapOptions(kreise=["06633"], tiles=None).kreise
    ('06633',)
    >>> MapOptions(layers=["rivers"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirgeo.errors.ArgumentError: Argument 'layers': unbekannte Ebene 'rivers'. Abhilfe: eine \
von eligibility, ... verwenden.
    """

    layers: tuple[str, ...] | None = None
    hidden: tuple[str, ...] | None = None
    kreise: tuple[str, ...] = ()
    tiles: str | None = "OpenStreetMap"
    tolerance_m: float = DEFAULT_TOLERANCE_M
    title: str | None = None
    lang: str | None = None
    library: str = "inline"
    paper: str = "A4"
    orientation: str = "landscape"

    def __post_init__(self) -> None:
        if self.lang is not None:
            object.__setattr__(self, "lang", check_language(self.lang))
        if self.library not in LIBRARIES:
            raise ArgumentError("library", _("unknown library mode {library!r}").format(
                                               library=self.library),
                                fix=_("use one of {choices}").format(
                                    choices=", ".join(LIBRARIES)))
        # a frozen dataclass sets its normalised fields through object.__setattr__
        for name in ("layers", "hidden", "kreise"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _as_tuple(value))
        for name in ("layers", "hidden"):
            _check_layers(getattr(self, name), argument=name)
        object.__setattr__(self, "tolerance_m", check_tolerance(self.tolerance_m))


def _as_tuple(value: str | Iterable[object]) -> tuple[str, ...]:
    """One name or several, as a tuple of stripped strings."""
    items = (value,) if isinstance(value, str) else value
    return tuple(str(v).strip() for v in items)


def _check_layers(layers: Iterable[str] | None, *, argument: str) -> None:
    if argument == "layers" and layers is not None and not tuple(layers):
        # an empty choice would draw a blank map and say nothing
        raise ArgumentError(argument, _("names no layer"),
                            fix=_("choose from {layers}, or leave it out for all").format(
                                layers=", ".join(LAYERS)))
    for layer in layers or ():
        if layer not in LAYERS:
            raise ArgumentError(argument, _("unknown layer {layer!r}").format(layer=layer),
                                fix=_("use one of {choices}").format(choices=", ".join(LAYERS)))


def planning_map(
    plan: Drawable,
    options: MapOptions | None = None,
    *,
    eligibility: pd.DataFrame | None = None,
    centres: gpd.GeoDataFrame | None = None,
    grantees: pd.DataFrame | None = None,
    consortia: pd.DataFrame | None = None,
    unplaced: pd.DataFrame | None = None,
    record: RunRecord | None = None,
    **option_changes: Unpack[MapOptionChanges],
) -> folium.Map:
    """Build the planning map of Hessen (or of some Kreise) as an ordinary :class:`folium.Map`.

    The map is folium's own: add layers to it as to any other (``folium.GeoJson``,
    ``FeatureGroup``, markers) — the map's layer control lists every overlay added, also
    after this function returned, and :func:`~wirgeo.maps.save_map` writes it all into one
    file that draws offline (Leaflet inside, unless ``library="cdn"``). One layer control
    per map: a ``folium.LayerControl`` the user adds replaces the map's own.

    Parameters
    ----------
    plan : OptimalPlan, Planning or GeoDataFrame
        What to draw: a plan (:func:`wirgeo.optimal_plan` or a planning run) draws its
        eligibility, Verbünde, unplaced Gemeinden, Vielfaltszentren and grantees, with
        the info box of how it was made; a municipality table alone
        (:func:`wirgeo.load_municipalities`, full resolution, not modified) draws a base
        map with the tables given as keywords.
    options : MapOptions, optional
        What to draw and how; keyword arguments (``kreise=``, ``layers=``, ``hidden=``,
        ``tiles=``, ``tolerance_m=``, ``title=``, ``lang=``, ``library=``) change single
        options.
    eligibility, centres, grantees, consortia, unplaced : DataFrame, optional
        With a municipality table only: thematic tables with the columns documented in
        :mod:`wirgeo.maps`; each one given draws its layer.
    record : RunRecord, optional
        With a municipality table only: how the plan drawn was made, shown in the map's
        info box.

    Returns
    -------
    folium.Map

    Raises
    ------
    ArgumentError
        Unknown layer or Kreis, a requested layer without its table, a bad tolerance,
        municipalities without attribution, tables beside a plan.
    InputError
        A table with missing columns or unknown AGS.

    Examples
    --------
    >>> import folium, wirgeo
    >>> m = planning_map(wirgeo.load_municipalities(), kreise=["06633"], tiles=None,
    ...                  layers=["kreise", "population"])
    >>> sorted(c.layer_name for c in m._children.values()
    ...        if isinstance(c, folium.FeatureGroup))
    ['Gemeinden: Einwohnerzahl', 'Kreise', 'Namen der Gemeinden']

    A plan, with a layer of one's own:

    >>> result = wirgeo.optimal_plan(wirgeo.load_municipalities(), kreise=["06535"])
    >>> m = planning_map(result, MapOptions(kreise=["06535"], tiles=None))
    >>> own = folium.FeatureGroup(name="Meine Orte").add_to(m)
    >>> _ = folium.CircleMarker([50.6, 9.3], radius=5).add_to(own)
    >>> "Meine Orte" in m.get_root().render()
    True
    """
    options = replace(options or MapOptions(), **option_changes)
    municipalities, tables, record = drawing(plan, {
        "eligibility": eligibility, "centres": centres, "grantees": grantees,
        "consortia": consortia, "unplaced": unplaced}, record)
    with speaking(options.lang):
        return _planning_map(municipalities, options, record, tables)


def tables_of(run: Planning) -> dict[str, pd.DataFrame]:
    """The thematic tables of a planning run, by the layer each draws.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import build
    >>> sorted(tables_of(build(load_municipalities())))
    ['centres', 'consortia', 'eligibility', 'grantees', 'unplaced']
    """
    tables = {"eligibility": run.eligibility, "consortia": run.statewide_consortia(),
              "unplaced": run.unplaced}
    if run.centres is not None:
        tables["centres"] = run.centres
    if run.grantees is not None:
        tables["grantees"] = run.grantees
    return tables


def drawing(plan: Drawable, tables: Mapping[str, pd.DataFrame | None],
            record: RunRecord | None, *, layers: Iterable[str] | None = None
            ) -> tuple[gpd.GeoDataFrame, dict[str, pd.DataFrame | None], RunRecord | None]:
    """What a map of ``plan`` draws: the municipalities, the tables, the run record.

    One answer for :func:`planning_map` and :func:`~wirgeo.maps.static_map`: a plan
    brings its own tables (only those of ``layers`` when given) and record, a
    municipality table the ones given beside it. The lists of a consortia table are
    tuples from here on, whether given so or as a file's ``;``-joined text.
    """
    run = plan.run if isinstance(plan, OptimalPlan) else plan
    if not isinstance(run, Planning):
        kept = dict(tables)
        if kept.get("consortia") is not None:
            kept["consortia"] = with_lists(kept["consortia"], CONSORTIA_LISTS)
        return run, kept, record
    given = [key for key, table in tables.items() if table is not None]
    if given:
        raise ArgumentError(given[0], _("a plan brings its own tables"),
                            fix=_("pass the plan alone, or its municipalities with the "
                                  "tables"))
    own = tables_of(run)
    return run.municipalities, {key: own.get(key) if layers is None or key in layers
                                else None for key in TABLES}, record or RunRecord.of(run)


def _planning_map(municipalities: gpd.GeoDataFrame, options: MapOptions,
                  record: RunRecord | None, given: Mapping[str, pd.DataFrame | None]
                  ) -> folium.Map:
    """:func:`planning_map` in the language it speaks."""
    tables = {key: table for key, table in given.items() if table is not None}
    municipalities = check_tables(municipalities, tables)
    layers = _layers_to_draw(options, tables, census=has_census(municipalities))
    credits = attribution(municipalities, tables.values(), census="foreign_share" in layers)
    selection = _select(municipalities, options)

    m = _new_map(selection.shown, options.tiles, library=options.library)
    colours = verbund_colours(tables["consortia"], municipalities) \
        if "consortia" in layers else {}
    legends = _add_layers(m, selection, layers, _visibility(options, layers), tables,
                          colours)
    title, subtitle = _titles(options, selection, municipalities)
    if record is not None:
        _add_record(m, record)
    _finish_map(m, selection.shown, title, subtitle,
                [(key, *legends[key]) for key in LAYERS if key in legends], credits)
    return m


def _add_record(m: folium.Map, record: RunRecord) -> None:
    """A folded info box: how the plan on the map was made."""
    rows = "".join(f"<tr><th>{html_text(label)}</th><td>{html_text(value)}</td></tr>"
                   for label, value in record_rows(record))
    summary = html_text(_("About this map"))
    _Control(f"<details><summary>{summary}</summary><table>{rows}</table></details>",
             position="topleft", css_class="wirgeo-info").add_to(m)


# ---------------------------------------------------------------- selection


def has_census(municipalities: pd.DataFrame) -> bool:
    """Whether the municipalities carry the Zensus 2022 indicators (any figure)."""
    return "foreign_share" in municipalities.columns and bool(
        municipalities["foreign_share"].notna().any())


def _layers_to_draw(options: MapOptions, tables: Mapping[str, pd.DataFrame], *,
                    census: bool) -> set[str]:
    """The layers asked for, or the default.

    The default: boundaries, population, the foreign share (with the Zensus 2022
    indicators) and the layer of each table given.
    """
    if options.layers is None:
        return {"kreise", "regierungsbezirke", "population", *(("foreign_share",) if census
                                                               else ())} | set(tables)
    layers = set(options.layers)
    for key in sorted(layers & set(TABLES)):
        if key not in tables:
            raise ArgumentError("layers", _("layer {key!r} needs the {key} table").format(key=key),
                                fix=_("pass {key}=… or leave the layer out").format(key=key))
    if "foreign_share" in layers and not census:
        raise ArgumentError("layers", _("layer 'foreign_share' needs the Zensus 2022 "
                                        "indicators of the municipalities"),
                            fix=_("load them with the Zensus 2022 table, or leave the layer "
                                  "out"))
    return layers


def _visibility(options: MapOptions, layers: set[str]) -> dict[str, bool]:
    """Whether each layer is on when the page opens (the foreign share off by default)."""
    hidden = options.hidden
    if hidden is None:
        hidden = ("regierungsbezirke", "foreign_share") + (
            ("population",) if "eligibility" in layers else ())
    return {key: key not in hidden for key in LAYERS}


@dataclass(frozen=True)
class _Selection:
    """The Gemeinden a map shows: the display geometry of all, and the chosen Kreise's."""

    kreise: tuple[str, ...]  # 5-digit keys; () = the whole state
    everything: gpd.GeoDataFrame  # display geometry of every municipality
    in_selection: np.ndarray  # bool per row of ``everything``

    @property
    def shown(self) -> gpd.GeoDataFrame:
        return self.everything[self.in_selection]

    def rows(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """The rows of ``frame`` whose key in ``column`` lies in the selected Kreise."""
        if not self.kreise:
            return frame
        return frame[frame[column].astype(str).str[:5].isin(self.kreise)]


def _select(municipalities: gpd.GeoDataFrame, options: MapOptions) -> _Selection:
    kreise = resolve_kreise(options.kreise, municipalities, argument="kreise")
    everything = display_geometry(municipalities, options.tolerance_m)
    in_selection = everything["kreis_ags"].isin(kreise).to_numpy() if kreise else \
        np.ones(len(everything), dtype=bool)
    return _Selection(kreise, everything, in_selection)


def _titles(options: MapOptions, selection: _Selection,
            municipalities: gpd.GeoDataFrame) -> tuple[str, str]:
    shown = selection.shown
    name = ", ".join(shown.drop_duplicates("kreis_ags")["kreis_name"]) if selection.kreise \
        else _state_name(municipalities)
    title = options.title or translate(MAP_TITLE).format(selection=name)
    when = municipalities.attrs.get("population_date", "")
    gemeinden = ngettext("{count} Gemeinde", "{count} Gemeinden", len(shown)).format(
        count=number(len(shown)))
    subtitle = translate(MAP_SUBTITLE).format(gemeinden=gemeinden,
                                              inhabitants=number(int(shown["population"].sum())),
                                              date=date(when) if when else "")
    return title, subtitle


def _state_name(municipalities: pd.DataFrame) -> str:
    from wirgeo.sources import STATE_NAMES

    states = municipalities["ags"].astype(str).str[:2].unique()
    return STATE_NAMES.get(states[0], states[0]) if len(states) == 1 else "Deutschland"


# ------------------------------------------------------------------ layers


@dataclass(frozen=True)
class _Gemeinden:
    """The one copy of the Gemeinden the area layers draw, with what they need of it."""

    data: _FeatureData
    props: pd.DataFrame  # one row per drawn Gemeinde, a style key column per layer
    dissolved: gpd.GeoDataFrame | None  # one polygon per Verbund (consortia layer)
    drawn: gpd.GeoDataFrame  # the Gemeinden in the page (display geometry)
    in_selection: np.ndarray  # bool per row of ``drawn``


def _shared_gemeinden(m: folium.Map, selection: _Selection, layers: set[str],
                      tables: Mapping[str, pd.DataFrame], colours: Mapping[str, int]
                      ) -> _Gemeinden:
    """Write the Gemeinden the area layers draw into the page, once.

    A Verbund with a member in the selection is drawn whole, so its members outside the
    selected Kreise are drawn too (by the Verbund layer only).
    """
    everything = selection.everything
    members = dissolved = None
    drawn_mask = selection.in_selection
    if "consortia" in layers:
        members, dissolved = _consortium_members(
            _consortia_touching(tables["consortia"], selection.kreise), everything, colours)
        drawn_mask = drawn_mask | everything["ags"].isin(members["ags"]).to_numpy()
    drawn = everything[drawn_mask]
    props = _gemeinde_properties(
        drawn, selection.in_selection[drawn_mask],
        eligibility=tables["eligibility"] if "eligibility" in layers else None,
        members=members,
        unplaced=selection.rows(tables["unplaced"], "ags") if "unplaced" in layers else None,
        census="foreign_share" in layers)
    return _Gemeinden(_gemeinden_data(m, drawn, props), props, dissolved, drawn,
                      selection.in_selection[drawn_mask])


def _add_layers(m: folium.Map, selection: _Selection, layers: set[str],
                show: Mapping[str, bool], tables: Mapping[str, pd.DataFrame],
                colours: Mapping[str, int]) -> dict[str, Legend]:
    """Add every layer asked for, in drawing order; return the legend of each that has one."""
    legends: dict[str, Legend] = {}
    gemeinden = None
    if layers & _GEMEINDE_LAYERS:
        gemeinden = _shared_gemeinden(m, selection, layers, tables, colours)
        legends.update(_add_gemeinde_layers(m, gemeinden, layers, show, tables))
    if "grantees" in layers:
        legends["grantees"] = _add_grantees(m, selection.shown, tables["grantees"],
                                            show["grantees"])
    centres = selection.rows(tables["centres"], "host_ags") if "centres" in layers else None
    if centres is not None:
        legends["centres"] = _add_centres(m, centres, show["centres"])
    if "kreise" in layers:
        avoid = None if centres is None or not len(centres) else \
            centres.to_crs(4326).geometry.to_numpy()
        _add_kreise(m, selection.shown, selection.everything, show["kreise"], avoid)
    if "regierungsbezirke" in layers:
        _add_regions(m, selection.shown, show["regierungsbezirke"])
    if gemeinden is not None:
        dark = {f"c{i}" for i, colour in enumerate(GROUP_COLOURS) if lab(colour)[0] < 45}
        on_dark = gemeinden.props["s_c"].isin(dark).to_numpy() \
            if "s_c" in gemeinden.props else None
        _add_names(m, gemeinden.drawn, gemeinden.dissolved, gemeinden.in_selection, on_dark)
    else:
        _add_names(m, selection.shown, None, np.ones(len(selection.shown), bool))
    return legends


def _add_gemeinde_layers(m: folium.Map, gemeinden: _Gemeinden, layers: set[str],
                         show: Mapping[str, bool], tables: Mapping[str, pd.DataFrame]
                         ) -> dict[str, Legend]:
    """The layers drawn from the shared Gemeinden: eligibility, population, Verbünde, unplaced."""
    props, data = gemeinden.props, gemeinden.data
    legends: dict[str, Legend] = {}
    if "eligibility" in layers:
        counts = props["s_e"][props["s_e"] != ""].value_counts().to_dict()
        near = int((props["s_n"] == "n").sum()) if "s_n" in props else 0
        legends["eligibility"] = _add_eligibility(m, data, counts, show["eligibility"], near)
    if "population" in layers:
        legends["population"] = _add_population(m, data, show["population"])
    if "foreign_share" in layers:
        legends["foreign_share"] = _add_foreign_share(
            m, data, show["foreign_share"], council="abr" in props)
    if "consortia" in layers and gemeinden.dissolved is not None:
        firm = "flexibility" in tables["consortia"].columns
        legends["consortia"] = _add_consortia(m, data, gemeinden.dissolved,
                                              show["consortia"],
                                              gemeinden.dissolved["colour"].tolist(), firm)
    if "unplaced" in layers:
        legends["unplaced"] = _add_unplaced(m, data, int((props["s_u"] == "u").sum()),
                                            show["unplaced"])
    return legends


# ----------------------------------------------------------- frame of a map


def _new_map(shown: gpd.GeoDataFrame, tiles: str | None, *, library: str = "inline"
             ) -> folium.Map:
    """An empty map around ``shown`` (WGS84) with wirgeo's panes, base map and styles.

    With ``library="inline"`` the page carries Leaflet itself and makes no request but
    for base-map tiles (whose failure a small note reports).
    """
    (west, south), (east, north) = np.split(np.asarray(shown.total_bounds), 2)
    m = _on_page(folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=8,
                            tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                            zoom_control="bottomleft"))
    # wirgeo's maps only use Leaflet: skip jQuery, Bootstrap, Font Awesome and the
    # awesome-markers plugin folium loads by default (fewer hosts, faster first draw).
    m.default_js = [(n, u) for n, u in folium.Map.default_js if n == "leaflet"]
    m.default_css = [(n, u) for n, u in folium.Map.default_css if n == "leaflet_css"]
    if library == "inline":
        m.default_js, m.default_css = [], []
        _Library().add_to(m)
    for name, z_index, pointer in PANES:
        folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer).add_to(m)
    if tiles:
        # the layer control shows names as HTML, and the base map's name is an option
        layer = folium.TileLayer(tiles, overlay=True, control=True, show=True,
                                 name=html_text(f"{translate(BASE_MAP)} ({tiles})"))
        layer.add_to(m)
        _TileNote(layer, translate(TILE_NOTE)).add_to(m)
    _Style().add_to(m)
    return m


def _finish_map(m: folium.Map, shown: gpd.GeoDataFrame, title: str, subtitle: str,
                legends: list[tuple[str, folium.FeatureGroup, str]], credits: str) -> None:
    """Title, legend (one section per layer key), attribution, layer control, view."""
    _Control(f"<h1>{html_text(title)}</h1><p>{html_text(subtitle)}</p>",
             position="topleft", css_class="wirgeo-title").add_to(m)
    legends = [entry for entry in legends if entry[2]]  # "" = nothing drawn
    if legends:
        body = "".join(f'<section data-layer="{k}">{text}</section>'
                       for k, _, text in legends)
        summary = html_text(translate(LEGEND_TITLES["legend"]))
        _Control(f"<details open><summary>{summary}</summary>{body}</details>",
                 position="bottomright", css_class="wirgeo-legend",
                 sections={k: group for k, group, _ in legends}).add_to(m)
    _Attribution(credits).add_to(m)
    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    (west, south), (east, north) = np.split(np.asarray(shown.total_bounds), 2)
    # room for the title above and the legend on the right, so nothing hides the selection
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(10, 60),
                 padding_bottom_right=(250 if legends else 10, 40))
    # jump to the selection instead of animating from the initial view: no zoom flicker on
    # load, and a view set right after loading is not undone when the animation ends
    fit = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)][-1]
    fit.options["animate"] = False
    figure = m.get_root()
    if isinstance(figure, Figure):  # always: a folium.Map makes its own page
        figure.title = html_text(title)
    _renumber(figure)
