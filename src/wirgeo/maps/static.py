"""Print maps: the planning map drawn with matplotlib, for reports, slides and the dossier.

:func:`static_map` draws the same layers as the HTML map (:func:`wirgeo.maps.planning_map`)
with the same colours, classes and labels (:mod:`wirgeo.maps.styles`) on an A4 or A3
page: title, legend, scale bar, north arrow, attribution with the data dates, Gemeinde
names placed without overlaps. :func:`save_static_map` writes PNG, PDF or SVG by the file
name, staged and byte-identical for the same map; text stays text in PDF and SVG (fonts
embedded as TrueType), so a reader can search it and a test can read it.

The map is drawn in the municipalities' own projection (EPSG:25832, metres): the scale
bar is exact and grid north is true north within 1° across Hessen.

Examples
--------
>>> from wirgeo import load_municipalities
>>> fig = static_map(load_municipalities(), kreise=["Kassel"], paper="A4")
>>> [round(x) for x in fig.get_size_inches() * 25.4]  # A4 landscape, in mm
[297, 210]
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from wirgeo.core.files import atomic_path
from wirgeo.core.i18n import _, date, ngettext, number, speaking, translate
from wirgeo.errors import ArgumentError, InputError
from wirgeo.maps.colouring import _borders, verbund_colours, verbund_touching
from wirgeo.maps.compose import (
    Drawable,
    MapOptionChanges,
    MapOptions,
    drawing,
    has_census,
)
from wirgeo.maps.layers import (
    _consortia_touching,
    _foreign_share_keys,
    _population_keys,
    near_threshold_mask,
)
from wirgeo.maps.styles import (
    CENSUS_TEXTS,
    CENTRE_LABELS,
    CENTRE_STYLES,
    ELIGIBILITY_COLOURS,
    GROUP_COLOURS,
    KREIS_LINE,
    LEGEND_LABELS,
    LEGEND_TITLES,
    MAP_SUBTITLE,
    MAP_TITLE,
    NEAR_THRESHOLD_STYLE,
    NO_DATA_STYLE,
    OUTSIDE_STYLE,
    ROUND_STYLES,
    UNPLACED_COLOUR,
    UNPLACED_HATCH,
    foreign_share_classes,
    population_classes,
)
from wirgeo.maps.validation import attribution, check_tables
from wirgeo.municipalities import resolve_kreise
from wirgeo.vocabulary import ELIGIBILITY, ROUNDS
from wirgeo.wording import result_text, verbund_names, verbund_numbers

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from wirgeo.planning import RunRecord

__all__ = ["PAPERS", "ORIENTATIONS", "STATIC_FORMATS", "static_map", "save_static_map"]

#: Paper sizes in millimetres (portrait: width, height).
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = ("portrait", "landscape")
#: File types :func:`save_static_map` writes, by suffix.
STATIC_FORMATS = (".png", ".pdf", ".svg")

_MM = 1 / 25.4
_CONTEXT = "#EDEDED"  # Gemeinden beyond the selection, for orientation only
_TEXT = "#1A1A1A"
_FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
#: Up to this many Verbünde the legend names each one (number, colour, members); beyond,
#: one line counts them (the statewide map: a hundred names would fill the page).
_NAMED_VERBUENDE = 24


def static_map(plan: Drawable, options: MapOptions | None = None, *,
               eligibility: pd.DataFrame | None = None,
               centres: gpd.GeoDataFrame | None = None,
               grantees: pd.DataFrame | None = None,
               consortia: pd.DataFrame | None = None,
               unplaced: pd.DataFrame | None = None,
               record: RunRecord | None = None,
               **option_changes: Unpack[MapOptionChanges]) -> Figure:
    """Draw the planning map of Hessen (or of some Kreise) for print.

    Parameters
    ----------
    plan : OptimalPlan, Planning or GeoDataFrame
        What to draw, as for :func:`~wirgeo.maps.planning_map`: a plan brings its tables
        (only those of ``options.layers`` when given) and its run record; a municipality
        table (:func:`wirgeo.load_municipalities`, EPSG:25832; not modified) draws the
        tables given beside it.
    options : MapOptions, optional
        The one options type of both maps; here ``kreise`` (drawn and framed, every
        Verbund with a member there drawn whole, its partners across the border greyed,
        the rest of the state light grey), ``paper`` (``"A4"``, ``"A3"``),
        ``orientation`` (``"landscape"``, ``"portrait"``), ``title`` (default: the HTML
        map's), ``lang`` and ``layers``: with ``"foreign_share"``, the Gemeinden are
        filled by their share of foreign nationals (Zensus 2022, classed; "keine Angabe"
        where withheld) instead of their KIV class, the Verbünde drawn as outlines only
        and the unplaced left out. Keyword arguments change single options.
    eligibility, centres, grantees, consortia, unplaced : DataFrame, optional
        With a municipality table only: the tables :func:`~wirgeo.maps.planning_map`
        takes; each one given is drawn.
    record : RunRecord, optional
        With a municipality table only: how the plan was made; its summary and version
        go into the attribution line.

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot; write it with :func:`save_static_map`.

    Raises
    ------
    ArgumentError
        Unknown paper, orientation or Kreis; tables beside a plan.
    InputError
        A table with missing columns or unknown AGS.

    Examples
    --------
    >>> import wirgeo
    >>> result = wirgeo.optimal_plan(wirgeo.load_municipalities(), kreise=["06535"])
    >>> fig = wirgeo.static_map(result, wirgeo.MapOptions(kreise=["06535"],
    ...                                                    orientation="portrait"))
    >>> [round(x) for x in fig.get_size_inches() * 25.4]  # A4 portrait, in mm
    [210, 297]
    """
    options = replace(options or MapOptions(), **option_changes)
    municipalities, tables, record = drawing(plan, {
        "eligibility": eligibility, "centres": centres, "grantees": grantees,
        "consortia": consortia, "unplaced": unplaced}, record, layers=options.layers)
    with speaking(options.lang):
        return _static_map(municipalities, options.kreise, record=record,
                           paper=options.paper, orientation=options.orientation,
                           title=options.title, tables=tables, layers=options.layers)


def _static_map(municipalities: gpd.GeoDataFrame, kreise: tuple[str, ...], *, record: Any,
                paper: str, orientation: str, title: str | None,
                tables: Mapping[str, pd.DataFrame | None],
                layers: Sequence[str] | None) -> Figure:
    """:func:`static_map` in the language it speaks."""
    centres = tables["centres"]
    consortia = tables["consortia"]
    size = _paper(paper, orientation)
    given = {k: v for k, v in tables.items() if v is not None}
    municipalities = check_tables(municipalities, given)
    census = "foreign_share" in (layers or ())
    if census and not has_census(municipalities):
        raise ArgumentError("layers", _("layer 'foreign_share' needs the Zensus 2022 "
                                        "indicators of the municipalities"),
                            fix=_("load them with the Zensus 2022 table, or leave the layer "
                                  "out"))
    credits = attribution(municipalities, given.values(), census=census)
    keys = resolve_kreise(kreise, municipalities, argument="kreise")
    view = _View.of(municipalities, keys, consortia)
    if census:
        view.theme = "foreign_share"
        title = title or (translate(MAP_TITLE).format(selection=_selection_name(view))
                          + " — " + translate(CENSUS_TEXTS["legend"]))

    fig = Figure(figsize=(size[0] * _MM, size[1] * _MM))
    FigureCanvasAgg(fig)  # a renderer to measure labels with, and no pyplot state
    # names and titles are data: "$…$" in one is text, never matplotlib's mathtext (a
    # "$\\frac{" would stop the drawing with a parse error)
    with matplotlib.rc_context({"font.family": _FONT, "text.parse_math": False}):
        layout = _layout(fig, orientation)
        left, bottom, width, height = layout["map"]
        ax = fig.add_axes((left, bottom, width, height))
        ax.set_axis_off()
        handles = _draw(ax, view, given, municipalities)
        _frame(ax, view)
        _labels(fig, ax, view, centres, small=not keys)
        _scale_bar(ax)
        _north_arrow(ax)
        _titles(fig, layout, view, municipalities, title)
        _legend(fig, layout, handles, orientation)
        _credits(fig, layout, credits, record, size[0])
    return fig


def save_static_map(fig: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Write a print map as PNG, PDF or SVG (by suffix), atomically; return the path.

    The same figure gives the same bytes: no creation date in PDF and SVG, fixed SVG ids.
    PNG defaults to 300 dpi (an A4 landscape map is 3,508 px wide).

    Raises
    ------
    InputError
        A suffix other than ``.png``, ``.pdf``, ``.svg``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in STATIC_FORMATS:
        raise InputError(path, _("a print map is written as PNG, PDF or SVG, not "
                                 "{suffix!r}").format(suffix=suffix or _("(none)")),
                         fix=_("end the file name with .png, .pdf or .svg"))
    metadata: Any = {
        ".pdf": {"CreationDate": None, "ModDate": None, "Creator": "wirgeo",
                 "Producer": None},
        ".svg": {"Date": None, "Creator": "wirgeo"},
        ".png": {"Software": "wirgeo"},
    }[suffix]
    rc: Any = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none",
          "svg.hashsalt": "wirgeo", "pdf.compression": 6}
    with matplotlib.rc_context(rc), atomic_path(path) as target:
        fig.savefig(target, format=suffix[1:], dpi=dpi or 300, metadata=metadata)
    return path


# ---------------------------------------------------------------- the view


class _View:
    """What one print map shows: all Gemeinden, which are selected, which are partners."""

    def __init__(self, everything: gpd.GeoDataFrame, kreise: tuple[str, ...],
                 selected: np.ndarray, partners: np.ndarray,
                 consortia: pd.DataFrame | None):
        self.everything = everything
        self.kreise = kreise
        self.selected = selected  # in the chosen Kreise (all of them statewide)
        self.partners = partners  # outside, but in a Verbund with a member inside
        self.consortia = consortia  # the Verbünde drawn
        self.theme = "classes"  # how the Gemeinden are filled: classes or foreign_share
        # the short number of each Verbund drawn (its label; the legend names the members)
        self.numbers = verbund_numbers(consortia) if consortia is not None else {}

    @classmethod
    def of(cls, municipalities: gpd.GeoDataFrame, kreise: tuple[str, ...],
           consortia: pd.DataFrame | None) -> _View:
        # print scale: 80 m keeps every visible bend at A4 and the PDF small
        geometry = shapely.coverage_simplify(municipalities.geometry.to_numpy(), 80.0)
        everything = gpd.GeoDataFrame(pd.DataFrame(municipalities.drop(
            columns=municipalities.geometry.name)), geometry=geometry,
            crs=municipalities.crs).reset_index(drop=True)
        selected = everything["kreis_ags"].isin(kreise).to_numpy() if kreise else \
            np.ones(len(everything), dtype=bool)
        drawn = _consortia_touching(consortia, kreise) if consortia is not None else None
        partners = everything["ags"].isin(_members(drawn)).to_numpy() & ~selected
        return cls(everything, kreise, selected, partners, drawn)

    @property
    def shown(self) -> np.ndarray:
        return self.selected | self.partners


def _members(consortia: pd.DataFrame | None) -> set[str]:
    """AGS of every member of the Verbünde in ``consortia``."""
    if consortia is None:
        return set()
    return {a for members in consortia["member_ags"] for a in members}


# ---------------------------------------------------------------- page


def _paper(paper: str, orientation: str) -> tuple[float, float]:
    if paper not in PAPERS:
        raise ArgumentError("paper", _("unknown paper size {paper!r}").format(paper=paper),
                            fix=_("use one of {choices}").format(choices=", ".join(PAPERS)))
    if orientation not in ORIENTATIONS:
        raise ArgumentError("orientation", _("unknown orientation {orientation!r}").format(
                                               orientation=orientation),
                            fix=_("use one of {choices}").format(
                                choices=", ".join(ORIENTATIONS)))
    width, height = PAPERS[paper]
    return (height, width) if orientation == "landscape" else (width, height)


def _layout(fig: Figure, orientation: str) -> dict[str, list[float]]:
    """Boxes (figure fractions) of title, map, legend and attribution."""
    if orientation == "landscape":
        return {"title": [0.03, 0.955], "map": [0.02, 0.10, 0.68, 0.80],
                "legend": [0.71, 0.10, 0.27, 0.80], "credits": [0.03, 0.015]}
    return {"title": [0.05, 0.97], "map": [0.04, 0.20, 0.92, 0.71],
            "legend": [0.05, 0.045, 0.90, 0.145], "credits": [0.05, 0.012]}


def _frame(ax: Any, view: _View) -> None:
    """Fit the shown Gemeinden into the map box, equal scale, a little margin."""
    shown = view.everything[view.shown]
    west, south, east, north = shown.total_bounds
    pad = 0.04 * max(east - west, north - south)
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    aspect = (box.width * fig_w) / (box.height * fig_h)
    width, height = east - west, north - south
    if width / height < aspect:  # widen to the box
        grow = (height * aspect - width) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / aspect - height) / 2
        south, north = south - grow, north + grow
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal", adjustable="box")


# ---------------------------------------------------------------- drawing


def _patches(geometries: Sequence[shapely.Geometry] | np.ndarray) -> list[PathPatch]:
    """One matplotlib patch per (multi)polygon, holes kept."""
    patches = []
    for geom in geometries:
        if geom is None or geom.is_empty:
            continue
        vertices, codes = [], []
        for polygon in getattr(geom, "geoms", [geom]):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = np.asarray(ring.coords)[:, :2]
                vertices.append(xy)
                codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) +
                             [MplPath.CLOSEPOLY])
        patches.append(PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes))))
    return patches


def _fill(ax: Any, geometries: Any, *, zorder: float, **style: Any) -> None:
    ax.add_collection(PatchCollection(_patches(geometries), match_original=False,
                                      zorder=zorder, **style))


def _lines(ax: Any, geometry: shapely.Geometry, *, zorder: float, **style: Any) -> None:
    for line in getattr(geometry, "geoms", [geometry]):
        if line.is_empty:
            continue
        xy = np.asarray(line.coords)
        ax.plot(xy[:, 0], xy[:, 1], zorder=zorder, solid_capstyle="round", **style)


def _boundary(geometries: Any) -> shapely.Geometry:
    return shapely.line_merge(shapely.union_all(shapely.boundary(np.asarray(geometries))))


def _draw(ax: Any, view: _View, tables: Mapping[str, pd.DataFrame],
          municipalities: gpd.GeoDataFrame) -> list[tuple[Any, str]]:
    """Every layer, bottom to top; return the legend entries of what was drawn."""
    every = view.everything
    handles: list[tuple[Any, str]] = []
    if view.kreise:  # the rest of the state, for orientation only
        _fill(ax, every.geometry[~view.shown], facecolor=_CONTEXT, edgecolor="white",
              linewidth=0.3, zorder=1)
    census = view.theme == "foreign_share"
    handles += _draw_foreign_share(ax, view) if census else _draw_classes(ax, view, tables)
    if view.consortia is not None and len(view.consortia):
        handles += _draw_verbund_outlines(ax, view) if census else \
            _draw_verbuende(ax, view, tables["consortia"], municipalities)
    if "unplaced" in tables and not census:
        handles += _draw_unplaced(ax, view, tables["unplaced"])
    if "grantees" in tables:
        handles += _draw_grantees(ax, view, tables["grantees"])
    kreise = every[view.shown].dissolve("kreis_ags").geometry
    _lines(ax, _boundary(kreise.to_numpy()), zorder=6, color=KREIS_LINE["color"],
           linewidth=1.1, alpha=float(str(KREIS_LINE["opacity"])))
    handles.append((Line2D([], [], color=str(KREIS_LINE["color"]), linewidth=1.1),
                    translate(LEGEND_LABELS["kreis"])))
    if "centres" in tables:
        handles += _draw_centres(ax, view, tables["centres"])
    return handles


def _draw_classes(ax: Any, view: _View, tables: Mapping[str, pd.DataFrame]
                  ) -> list[tuple[Any, str]]:
    """The selected Gemeinden by eligibility class (or population when not given)."""
    sel = view.everything[view.selected]
    handles: list[tuple[Any, str]] = []
    if "eligibility" in tables:
        e = tables["eligibility"].set_index("ags").reindex(sel["ags"])
        codes = e["eligibility"].astype(str).to_numpy()
        labels = ELIGIBILITY.labels()
        # a class is listed with the Gemeinden it shows on: members of a drawn Verbund
        # wear the Verbund's colour instead
        covered = sel["ags"].isin(_members(view.consortia)).to_numpy()
        for code in ELIGIBILITY.codes:
            mask = codes == code
            if mask.any():
                _fill(ax, sel.geometry[mask], facecolor=ELIGIBILITY_COLOURS[code],
                      edgecolor="white", linewidth=0.35, zorder=2)
            visible = int((mask & ~covered).sum())
            if visible:
                handles.append((Patch(facecolor=ELIGIBILITY_COLOURS[code], edgecolor="none"),
                                f"{labels.get(code, code)} ({number(visible)})"))
        if "near_threshold" in e.columns:
            near = near_threshold_mask(e).to_numpy()
            if near.any():
                _lines(ax, _boundary(sel.geometry[near].to_numpy()), zorder=5,
                       color=NEAR_THRESHOLD_STYLE["color"], linewidth=1.0, linestyle=":")
                handles.append((Line2D([], [], color=str(NEAR_THRESHOLD_STYLE["color"]),
                                       linestyle=":"),
                                f"{translate(LEGEND_LABELS['near_threshold'])} "
                                f"({number(int(near.sum()))})"))
        return handles
    keys = _population_keys(sel["population"]).to_numpy()
    for key, colour, label in population_classes():
        mask = keys == key
        if mask.any():
            _fill(ax, sel.geometry[mask], facecolor=colour, edgecolor="white",
                  linewidth=0.35, zorder=2)
            handles.append((Patch(facecolor=colour), label))
    return handles


def _draw_foreign_share(ax: Any, view: _View) -> list[tuple[Any, str]]:
    """The selected Gemeinden by their share of foreign nationals (Zensus 2022)."""
    sel = view.everything[view.selected]
    keys = _foreign_share_keys(sel).to_numpy()
    handles: list[tuple[Any, str]] = []
    for key, colour, label in foreign_share_classes():
        mask = keys == key
        if not mask.any():
            continue
        no_data = key == "na"
        _fill(ax, sel.geometry[mask], facecolor=colour,
              edgecolor=NO_DATA_STYLE["color"] if no_data else "white",
              linewidth=0.6 if no_data else 0.35, linestyle="--" if no_data else "-",
              zorder=2)
        handles.append((Patch(facecolor=colour, edgecolor=str(NO_DATA_STYLE["color"]),
                              linestyle="--") if no_data else Patch(facecolor=colour),
                        f"{label} ({number(int(mask.sum()))})"))
    return handles


def _draw_verbund_outlines(ax: Any, view: _View) -> list[tuple[Any, str]]:
    """The Verbünde as black outlines only, over a thematic fill."""
    assert view.consortia is not None
    by_ags = view.everything.set_index("ags")
    outlines = [shapely.coverage_union_all(by_ags.loc[list(m), "geometry"].to_numpy())
                for m in view.consortia["member_ags"]]
    _lines(ax, _boundary(outlines), zorder=4, color="black", linewidth=0.9)
    return [(Patch(facecolor="none", edgecolor="black", linewidth=0.9),
             f"{number(len(view.consortia))} {translate(LEGEND_LABELS['consortia'])}")]


def _draw_verbuende(ax: Any, view: _View, consortia: pd.DataFrame,
                    municipalities: gpd.GeoDataFrame) -> list[tuple[Any, str]]:
    """Members in their Verbund's colour (partners outside greyed), each Verbund outlined."""
    assert view.consortia is not None
    colours = _verbund_colours(view, consortia, municipalities)
    by_ags = view.everything.set_index("ags")
    selected = set(view.everything.loc[view.selected, "ags"])
    outlines, outside = [], False
    for c in view.consortia.itertuples(index=False):
        ags = list(c.member_ags)
        colour = colours[str(c.consortium_id)]
        inside = [a for a in ags if a in selected]
        beyond = [a for a in ags if a not in selected]
        _fill(ax, by_ags.loc[inside, "geometry"], facecolor=colour, edgecolor="white",
              linewidth=0.4, alpha=0.92, zorder=3, gid="wirgeo-verbund")
        if beyond:
            outside = True
            _fill(ax, by_ags.loc[beyond, "geometry"], facecolor=OUTSIDE_STYLE["fillColor"],
                  edgecolor=colour, linewidth=1.6, zorder=3)
        outlines.append(shapely.coverage_union_all(by_ags.loc[ags, "geometry"].to_numpy()))
    # a thick white halo under the black outline: two Verbünde of the same colour side by
    # side still read as two areas
    _lines(ax, _boundary(outlines), zorder=4, color="white", linewidth=2.2)
    _lines(ax, _boundary(outlines), zorder=4.1, color="black", linewidth=0.9)
    handles = _verbund_legend(view, colours)
    if outside:
        handles.append((Patch(facecolor=str(OUTSIDE_STYLE["fillColor"]),
                              edgecolor=GROUP_COLOURS[0],
                              linewidth=1.4), translate(LEGEND_LABELS["outside"])))
    return handles


def _verbund_colours(view: _View, consortia: pd.DataFrame,
                     municipalities: gpd.GeoDataFrame) -> dict[str, str]:
    """The colour of each Verbund drawn.

    A few Verbünde (a Kreis): spread over the palette, each taking the colour used least
    so far that no touching Verbund has, and among those the one whose Verbünde lie
    farthest away — six Verbünde then show five colours, not three, and the two that
    share one lie far apart.
    Many (the state): the plan's stable colouring (:func:`~wirgeo.maps.colouring.
    verbund_colours`), the same as the HTML map's.
    """
    assert view.consortia is not None
    if len(view.consortia) > _NAMED_VERBUENDE:
        index = verbund_colours(consortia, municipalities)  # whole plan: stable colours
        return {str(c): GROUP_COLOURS[index.get(str(c), 0)]
                for c in view.consortia["consortium_id"]}
    touching = verbund_touching(view.consortia, _borders(municipalities))
    where = _verbund_areas(view)
    chosen: dict[str, str] = {}

    def preference(cid: str, colour: str) -> tuple[int, float, int]:
        others = [where[o] for o, c in chosen.items() if c == colour]
        nearest = min((where[cid].distance(p) for p in others), default=np.inf)
        return len(others), -nearest, GROUP_COLOURS.index(colour)

    for cid in sorted(view.numbers, key=view.numbers.__getitem__):
        taken = {chosen[o] for o in touching.get(cid, ()) if o in chosen}
        free = [c for c in GROUP_COLOURS if c not in taken] or list(GROUP_COLOURS)
        chosen[cid] = min(free, key=lambda colour: preference(cid, colour))
    return chosen


def _verbund_areas(view: _View) -> dict[str, shapely.Geometry]:
    """The area of each Verbund drawn (its members together)."""
    assert view.consortia is not None
    by_ags = view.everything.set_index("ags")
    return {str(c): shapely.union_all(by_ags.loc[list(m), "geometry"].to_numpy())
            for c, m in zip(view.consortia["consortium_id"], view.consortia["member_ags"],
                            strict=True)}


def _verbund_legend(view: _View, colours: Mapping[str, str]) -> list[tuple[Any, str]]:
    """One legend line per Verbund (number and members) — or, for many, one line of all.

    Either way the legend shows exactly the colours drawn.
    """
    assert view.consortia is not None
    if len(view.consortia) > _NAMED_VERBUENDE:
        used = set(colours.values())
        swatches = tuple(Patch(facecolor=c, edgecolor="black", linewidth=0.5)
                         for c in GROUP_COLOURS if c in used)
        return [(swatches, f"{number(len(view.consortia))} "
                           f"{translate(LEGEND_LABELS['consortia'])}")]
    names = verbund_names(view.consortia)
    return [(Patch(facecolor=colours[cid], edgecolor="black", linewidth=0.5),
             f"{n}  {names[cid]}")
            for cid, n in sorted(view.numbers.items(), key=lambda item: item[1])]


def _draw_unplaced(ax: Any, view: _View, unplaced: pd.DataFrame) -> list[tuple[Any, str]]:
    rows = view.everything[view.selected & view.everything["ags"].isin(
        unplaced["ags"].astype(str)).to_numpy()]
    if not len(rows):
        return []
    _fill(ax, rows.geometry, facecolor="none", edgecolor=UNPLACED_COLOUR, linewidth=1.4,
          linestyle="--", hatch=UNPLACED_HATCH, zorder=4.5)
    return [(Patch(facecolor=ELIGIBILITY_COLOURS["verbund_needed"], edgecolor=UNPLACED_COLOUR,
                   hatch=UNPLACED_HATCH, linestyle="--"),
             f"{translate(LEGEND_LABELS['unplaced'])} ({number(len(rows))})")]


def _draw_grantees(ax: Any, view: _View, grantees: pd.DataFrame) -> list[tuple[Any, str]]:
    sel = view.everything[view.selected]
    rows = grantees.assign(ags=grantees["ags"].astype(str))
    rows = rows[rows["ags"].isin(set(sel["ags"]))].sort_values(["ags", "round"], kind="stable")
    rounds = sorted(rows["round"].dropna().astype(str).unique())
    handles = []
    first = rows.drop_duplicates("ags")
    for i, name in enumerate(rounds):
        style = ROUND_STYLES[min(i, len(ROUND_STYLES) - 1)]
        ags = first.loc[first["round"].astype(str) == name, "ags"]
        geoms = sel.set_index("ags").loc[list(ags), "geometry"]
        dash: Any = "--" if "dashArray" in style else "-"
        _fill(ax, geoms, facecolor="none", edgecolor=style["color"], linewidth=1.6,
              linestyle=dash, zorder=5)
        handles.append((Patch(facecolor="none", edgecolor=style["color"], linewidth=1.4,
                              linestyle=dash),
                        f"{translate(LEGEND_TITLES['grantees'])}: "
                        f"{ROUNDS.label(name) if name in ROUNDS else name}"))
    return handles


def _draw_centres(ax: Any, view: _View, centres: gpd.GeoDataFrame) -> list[tuple[Any, str]]:
    keys = set(view.everything.loc[view.selected, "kreis_ags"])
    points = centres.to_crs(view.everything.crs)
    points = points[points["host_ags"].astype(str).str[:5].isin(keys)]
    handles = []
    for key, style in CENTRE_STYLES.items():
        rows = points[points["location_precision"].astype(str).eq("address") == (
            key == "address")]
        if len(rows):
            ax.scatter(rows.geometry.x, rows.geometry.y, s=22, zorder=8,
                       facecolor=style["fillColor"], edgecolor=style["color"], linewidth=1.2)
            handles.append((Line2D([], [], marker="o", linestyle="none", markersize=5,
                                   markerfacecolor=str(style["fillColor"]),
                                   markeredgecolor=str(style["color"])),
                            f"{translate(LEGEND_TITLES['centres'])} – "
                            f"{translate(CENTRE_LABELS[key])}"))
    return handles


# ---------------------------------------------------------------- labels


def _labels(fig: Figure, ax: Any, view: _View, centres: gpd.GeoDataFrame | None, *,
            small: bool) -> None:
    """Kreis names (statewide), Verbund numbers and Gemeinde names, none overlapping another.

    Greedy: in order of rank (Kreise, Verbünde, then Gemeinden by population), each label
    tries a few positions around its anchor and takes the first whose box touches no
    label placed before it, no centre marker and stays in the map; else it is left out.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    taken = _Taken()
    if centres is not None and len(centres):
        points = centres.to_crs(view.everything.crs).geometry
        for x, y in ax.transData.transform(np.column_stack([points.x, points.y])):
            taken.add(x - 4, y - 4, x + 4, y + 4)
    size = 4.6 if small else 6.4
    for text, point, style in _label_plan(view, small):
        _place(ax, renderer, frame, taken, text, point, size * style.pop("scale", 1.0),
               style)


class _Taken:
    """The boxes (display pixels) of the labels and markers placed so far."""

    def __init__(self) -> None:
        self.boxes = np.empty((0, 4))

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.boxes = np.vstack([self.boxes, [x0, y0, x1, y1]])

    def free(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        b = self.boxes
        return not np.any((x0 < b[:, 2]) & (b[:, 0] < x1) & (y0 < b[:, 3]) & (b[:, 1] < y1))


def _label_plan(view: _View, small: bool) -> list[tuple[str, shapely.Point, dict[str, Any]]]:
    """(text, anchor, text style) of every label, in rank order."""
    every = view.everything
    plan: list[tuple[str, shapely.Point, dict[str, Any]]] = []
    if small:
        kreise = every.dissolve("kreis_ags")
        for name, geom in zip(kreise["kreis_name"], kreise.geometry, strict=True):
            plan.append((str(name), _anchor(geom), {"weight": "bold", "scale": 1.35}))
    if view.consortia is not None and not small:
        by_ags = every.set_index("ags")
        for c in view.consortia.itertuples(index=False):
            ags = list(c.member_ags)
            geom = shapely.coverage_union_all(by_ags.loc[ags, "geometry"].to_numpy())
            plan.append((str(view.numbers[str(c.consortium_id)]), _anchor(geom, inner=True),
                         {"weight": "bold", "scale": 1.1, "boxed": True}))
    selected = set(every.loc[view.selected, "ags"])
    shown = every[view.shown].sort_values("population", ascending=False, kind="stable")
    for name, geom, ags in zip(shown["name"], shown.geometry, shown["ags"], strict=True):
        outside = ags not in selected
        plan.append((str(name), _anchor(geom),
                     {"color": "#555555" if outside else _TEXT,
                      "style": "italic" if outside else "normal"}))
    return plan


def _anchor(geom: shapely.Geometry, *, inner: bool = False) -> shapely.Point:
    """The centre of the largest inscribed circle (``inner``: of the polygon shrunk)."""
    if inner:
        shrunk = geom.buffer(-1500)
        geom = shrunk if not shrunk.is_empty and shrunk.area > 0.1 * geom.area else geom
    return shapely.get_point(shapely.maximum_inscribed_circle(geom, 100.0), 0)


# where a label may sit, in points from its anchor: on it, above, below, right, left, then
# a little farther out
_POSITIONS = ((0, 0, "center", "center"), (0, 5, "center", "bottom"),
              (0, -5, "center", "top"), (4, 0, "left", "center"), (-4, 0, "right", "center"),
              (0, 11, "center", "bottom"), (0, -11, "center", "top"),
              (7, 7, "left", "bottom"), (-7, -7, "right", "top"))


def _place(ax: Any, renderer: Any, frame: Bbox, taken: _Taken, text: str,
           point: shapely.Point, size: float, style: Mapping[str, Any]) -> None:
    """Measure the label once, then try each position by arithmetic (fast for 450)."""
    boxed = style.get("boxed", False)
    bbox = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "black",
            "linewidth": 0.5} if boxed else {"boxstyle": "square,pad=0.05",
                                              "facecolor": "white", "alpha": 0.55,
                                              "edgecolor": "none"}
    label = ax.annotate(text, (point.x, point.y), xytext=(0, 0), textcoords="offset points",
                        ha="center", va="center", fontsize=size,
                        fontweight=style.get("weight", "normal"),
                        fontstyle=style.get("style", "normal"),
                        color=style.get("color", _TEXT), bbox=bbox, zorder=9,
                        annotation_clip=False)
    extent = label.get_window_extent(renderer)
    w, h = extent.width * 1.04, extent.height * 1.08
    ax_, ay_ = ax.transData.transform((point.x, point.y))
    per_point = ax.figure.dpi / 72
    for dx, dy, ha, va in _POSITIONS:
        x = ax_ + dx * per_point
        y = ay_ + dy * per_point
        x0 = x - w / 2 if ha == "center" else (x if ha == "left" else x - w)
        y0 = y - h / 2 if va == "center" else (y if va == "bottom" else y - h)
        x1, y1 = x0 + w, y0 + h
        inside = frame.x0 <= x0 and x1 <= frame.x1 and frame.y0 <= y0 and y1 <= frame.y1
        if inside and taken.free(x0, y0, x1, y1):
            label.xyann = (dx, dy)
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            taken.add(x0, y0, x1, y1)
            return
    label.remove()


# ---------------------------------------------------------------- furniture


def _scale_bar(ax: Any) -> None:
    """A black-and-white bar of a round length, about a fifth of the map's width."""
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    target = (east - west) / 5
    length = max(x for x in (500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
                 if x <= target) if target >= 500 else 500
    x0, y0 = west + 0.03 * (east - west), south + 0.03 * (north - south)
    height = 0.008 * (north - south)
    for i in range(4):
        ax.add_patch(matplotlib.patches.Rectangle(
            (x0 + i * length / 4, y0), length / 4, height, zorder=10, linewidth=0.6,
            facecolor="black" if i % 2 == 0 else "white", edgecolor="black"))
    km = length / 1000
    label = f"{number(km) if km >= 1 else number(length)} " \
            f"{'km' if km >= 1 else 'm'}"
    for x, text in ((x0, "0"), (x0 + length, label)):
        ax.text(x, y0 + height * 1.6, text, ha="center", va="bottom", fontsize=6.5,
                zorder=10, color=_TEXT)


def _north_arrow(ax: Any) -> None:
    ax.annotate("N", xy=(0.965, 0.97), xytext=(0.965, 0.89), xycoords="axes fraction",
                ha="center", va="center", fontsize=9, fontweight="bold", color=_TEXT,
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 2.5,
                            "headwidth": 8, "headlength": 8}, zorder=10)


def _selection_name(view: _View) -> str:
    """The Kreise shown, or the state."""
    every = view.everything
    if view.kreise:
        return ", ".join(every.loc[view.selected].drop_duplicates("kreis_ags")["kreis_name"])
    from wirgeo.sources import STATE_NAMES

    return STATE_NAMES.get(str(every["ags"].iloc[0])[:2], "")


def _titles(fig: Figure, layout: Mapping[str, list[float]], view: _View,
            municipalities: gpd.GeoDataFrame, title: str | None) -> None:
    every = view.everything
    name = _selection_name(view)
    shown = every[view.selected]
    when = municipalities.attrs.get("population_date", "")
    subtitle = translate(MAP_SUBTITLE).format(
        gemeinden=ngettext("{count} Gemeinde", "{count} Gemeinden", len(shown)).format(
            count=number(len(shown))),
        inhabitants=number(int(shown["population"].sum())),
        date=date(when) if when else "")
    x, y = layout["title"]
    fig.text(x, y, title or translate(MAP_TITLE).format(selection=name), fontsize=13,
             fontweight="bold", va="top", color=_TEXT)
    fig.text(x, y - 0.028, subtitle, fontsize=8, va="top", color="#444444")


def _legend(fig: Figure, layout: Mapping[str, list[float]], handles: list[tuple[Any, str]],
            orientation: str) -> None:
    box = layout["legend"]
    anchor = (box[0], box[1] + box[3]) if orientation == "landscape" else (box[0],
                                                                            box[1] + box[3])
    fig.legend([h for h, _ in handles], [label for _, label in handles],
               loc="upper left", bbox_to_anchor=anchor, bbox_transform=fig.transFigure,
               ncols=1 if orientation == "landscape" else 2, fontsize=7,
               title=translate(LEGEND_TITLES["legend"]), title_fontsize=8.5, frameon=False,
               alignment="left", handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)},
               handlelength=2.6 if any(isinstance(h, tuple) for h, _ in handles) else 1.6)


def _credits(fig: Figure, layout: Mapping[str, list[float]], credits: str, record: Any,
             width_mm: float) -> None:
    parts = [credits]
    if record is not None:
        version = "wirgeo " + str(getattr(record, "wirgeo_version", ""))
        made = getattr(record, "run_date", "")
        parts = [result_text(record), credits,
                 _("As of: {date}").format(date=date(made)) if made else "", version]
    text = " · ".join(p for p in parts if p)
    wrapped = textwrap.fill(text, width=int(width_mm * 0.9))  # about 1 character per mm
    x, y = layout["credits"]
    fig.text(x, y, wrapped, fontsize=5.5, va="bottom", color="#444444", linespacing=1.25)
