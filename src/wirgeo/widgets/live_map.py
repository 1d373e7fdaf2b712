"""The planner's live map: a Leaflet widget that keeps the planner's view across changes.

An HTML map re-sent on every change costs a megabyte and throws the planner back to the
whole state. :class:`LiveMap` is an anywidget of our own with the Leaflet copy wirgeo ships
(:mod:`wirgeo.maps._library`, no CDN): the 425 Gemeinde outlines and the Kreis borders go
to the browser once, when the widget is shown; each change sends only :attr:`LiveMap.plan`
— the eligibility class of each Gemeinde, the Verbünde (members, colour, tooltip) and the
unplaced Gemeinden with their reason, a few dozen kilobytes. The Leaflet map object lives
in the browser for as long as the output does and is never re-created, so zoom and centre
stay where the planner put them. The Verbund outlines are derived in the browser from the
outlines already there (edges only one member has).

Colours and styles are those of :mod:`wirgeo.maps.styles`, labels those of
:mod:`wirgeo.vocabulary`; the exported HTML map stays :func:`wirgeo.maps.planning_map`.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> gemeinden = load_municipalities()
>>> live = LiveMap(gemeinden, lang="de")
>>> len(live.outlines["features"])
425
>>> live.show(PlanningRequest().run(gemeinden))
>>> len(live.plan["groups"]), len(live.plan["unplaced"])
(92, 18)
>>> live.plan_bytes() < 150_000
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

import anywidget
import geopandas as gpd
import pandas as pd
import shapely
import traitlets

from wirgeo.core.i18n import N_, _, number, percent, speaking, translate
from wirgeo.maps import styles
from wirgeo.maps._library import leaflet_css, leaflet_js
from wirgeo.maps.colouring import verbund_colours
from wirgeo.maps.compose import has_census
from wirgeo.maps.geometry import display_geometry, dissolve, outlines
from wirgeo.maps.negotiation import DocumentDrawing, document_drawing
from wirgeo.maps.validation import attribution
from wirgeo.planning import NegotiationCheck, Planning, unplaced
from wirgeo.vocabulary import ELIGIBILITY, OUTCOMES
from wirgeo.wording import reason_text

__all__ = ["LiveMap", "map_script"]

#: Simplification of the outlines sent to the browser, in metres: coarser than the HTML
#: map's 200 m (the planner looks at Kreise, never prints), which halves the bytes sent once.
TOLERANCE_M = 300.0

_TEXTS = {
    "zoom_selection": N_("zoom to the selection"),
    "legend": N_("Legend"),
    "sources": N_("Sources"),
    "inhabitants": N_("inhabitants"),
}

_WIDGET_CSS = """
.wirgeo-live-map { width: 100%; background: #f4f4f2; border: 1px solid #ccc; }
.wirgeo-zoom-selection { display: block; width: 30px; height: 30px; background: #fff; }
.wirgeo-zoom-selection svg { margin: 6px; }
.wirgeo-live-map .wirgeo-tooltip { white-space: normal; width: 260px; }
.wirgeo-live-map path.leaflet-interactive:focus { outline: none; }
.wirgeo-sources summary { cursor: pointer; font-size: 12px; margin-top: 4px; }
"""


def map_script() -> str:
    """The widget's ES module: the shipped Leaflet, then ``live_map.js``.

    Leaflet is a UMD bundle; run with ``exports`` and ``module`` given, it fills them
    instead of looking for a loader of the page (JupyterLab has none to offer).
    """
    own = (resources.files("wirgeo.widgets") / "live_map.js").read_text(encoding="utf-8")
    return ("const L = (() => { const module = { exports: {} };\n"
            "(function (exports, module, define) {\n" + leaflet_js()
            + "\n}).call(globalThis, module.exports, module, undefined);\n"
            "return module.exports; })();\n" + own)


def _feature(geometry: shapely.Geometry, properties: dict[str, str]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties,
            "geometry": shapely.geometry.mapping(geometry)}


class LiveMap(anywidget.AnyWidget):
    """A Leaflet map of the Gemeinden whose Verbund layers follow :meth:`show`.

    Parameters
    ----------
    municipalities : GeoDataFrame
        From :func:`wirgeo.load_municipalities` (projected, in metres).
    lang : str, optional
        Language of legend and tooltips (default: the setting; German); :meth:`show`
        speaks it too.
    height : str
        CSS height of the map.

    Attributes
    ----------
    outlines : dict
        GeoJSON of the Gemeinden (sent once); feature properties ``n`` name, ``k`` Kreis,
        ``p`` inhabitants as text, ``z`` the Zensus 2022 indicators (when the
        municipalities carry them). Every text the widget sends is plain text, never HTML:
        the browser side writes it into the page as DOM text (``textContent``).
    plan : dict
        What :meth:`show` sends on every change: ``classes`` (index into
        :data:`wirgeo.vocabulary.ELIGIBILITY` per outline), ``groups`` (``m`` member
        indices, ``c`` colour index into :data:`~wirgeo.maps.styles.GROUP_COLOURS` from
        :func:`wirgeo.maps.colouring.verbund_colours` — the exported map's colouring —
        or -1 for a Verbund of a plan document that breaks a rule, ``s`` its status,
        ``t`` tooltip), ``refused`` (a document's refused groups), ``unplaced`` (index,
        reason), ``declined`` (index, tooltip), ``selected`` (indices of the Verbund being
        edited), ``legend`` (the plan's legend rows with their counts), ``focus``
        (indices of the selected Kreise), ``revision``. A click on a Gemeinde comes back
        as a message and goes to the callbacks of :meth:`on_click`.
    view : dict
        Centre and zoom as the browser last reported them.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    _css = traitlets.Unicode().tag(sync=True)
    outlines = traitlets.Dict().tag(sync=True)
    kreis_lines = traitlets.Dict().tag(sync=True)
    styles = traitlets.Dict().tag(sync=True)
    legend = traitlets.Dict().tag(sync=True)
    texts = traitlets.Dict().tag(sync=True)
    attribution = traitlets.Unicode().tag(sync=True)
    height = traitlets.Unicode("520px").tag(sync=True)
    plan = traitlets.Dict().tag(sync=True)
    view = traitlets.Dict().tag(sync=True)

    def __init__(self, municipalities: gpd.GeoDataFrame, *, lang: str | None = None,
                 height: str = "520px") -> None:
        with speaking(lang) as chosen:
            self._lang = chosen
            self._start(municipalities, height)

    def _start(self, municipalities: gpd.GeoDataFrame, height: str) -> None:
        shown = display_geometry(municipalities, TOLERANCE_M)
        self._order = shown["ags"].astype(str).tolist()
        self._index = {ags: i for i, ags in enumerate(self._order)}
        self._kreis = shown["kreis_ags"].astype(str).to_numpy()
        self._municipalities = municipalities
        self._clicked: list[Callable[[str], None]] = []
        people = translate(_TEXTS["inhabitants"])
        census = has_census(municipalities)
        features = [_feature(g, {"n": str(n), "k": str(k),
                                 "p": f"{number(int(p))} {people}",
                                 **({"z": _census_tip(row)} if census else {})})
                    for g, n, k, p, row in zip(shown.geometry, shown["name"],
                                               shown["kreis_name"], shown["population"],
                                               shown.itertuples(index=False), strict=True)]
        borders = outlines(dissolve(shown, "kreis_ags").geometry.to_numpy())
        super().__init__(
            # str(): styles.CSS is Markup, and Markup + str would HTML-escape the ">" of
            # Leaflet's selectors (then no Gemeinde gets the mouse)
            _esm=map_script(), _css="\n".join([leaflet_css(), str(styles.CSS), _WIDGET_CSS]),
            outlines={"type": "FeatureCollection", "features": features},
            kreis_lines=shapely.geometry.mapping(borders), styles=_styles(),
            legend=_legend(), texts={key: translate(text) for key, text in _TEXTS.items()},
            attribution=attribution(municipalities, [], census=census), height=height)
        self._revision = 0

    def show(self, run: Planning, kreise: Iterable[str] = ()) -> None:
        """Send the plan of ``run`` (and the selected Kreise) to the browser."""
        with speaking(self._lang):
            self._show(run, kreise)

    def _show(self, run: Planning, kreise: Iterable[str]) -> None:
        self._revision += 1
        codes = {code: i for i, code in enumerate(ELIGIBILITY.codes)}
        classes = dict(zip(run.eligibility["ags"].astype(str),
                           run.eligibility["eligibility"].map(codes), strict=True))
        # the colouring of every other map: the same function on the same table
        colours = verbund_colours(run.statewide_consortia(), self._municipalities)
        groups = [{"m": [self._index[a] for a in c.member_ags],
                   "c": colours.get(str(c.consortium_id), 0), "t": self._group_tip(c)}
                  for c in run.plan.consortia.itertuples(index=False)]
        left = unplaced(run.plan)
        keys = set(kreise)
        self.plan = {
            "revision": self._revision,
            "classes": [int(classes.get(a, codes["uninhabited"])) for a in self._order],
            "groups": groups,
            "unplaced": [[self._index[str(a)], reason_text(c, f)] for a, c, f in zip(
                left["ags"], left["reason_code"], left["reason_figures"], strict=True)],
            "focus": [i for i, k in enumerate(self._kreis) if k in keys],
            "legend": _plan_legend(), "declined": [], "selected": [],
        }

    def show_document(self, check: NegotiationCheck, kreise: Iterable[str] = (), *,
                      selected: str | None = None) -> None:
        """Send a checked plan document: Verbünde by status, invalid ones, declined ones.

        Parameters
        ----------
        check : NegotiationCheck
            From :meth:`wirgeo.planning.NegotiationBasis.check`.
        kreise : iterable of str
            Keys of the selected Kreise (the map dims the others).
        selected : str, optional
            Label of the Verbund being edited (drawn highlighted).
        """
        with speaking(self._lang):
            self._revision += 1
            drawing = document_drawing(check, self._municipalities)
            self.plan = self._document_plan(check, drawing, set(kreise), selected)

    def _document_plan(self, check: NegotiationCheck, drawing: DocumentDrawing,
                       keys: set[str], selected: str | None) -> dict[str, Any]:
        eligibility = _check_classes(check, self._order)
        groups: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        chosen: list[int] = []
        for v in drawing.verbuende:
            members = [self._index[a] for a in v.members]
            if v.label == selected:
                chosen = members
            entry = {"m": members, "c": -1 if v.colour is None else v.colour,
                     "s": v.status, "v": v.valid, "t": v.tip}
            (refused if v.status == "rejected" else groups).append(entry)
        return {
            "revision": self._revision, "classes": eligibility,
            "groups": groups, "refused": refused, "unplaced": [],
            "declined": [[self._index[a], tip] for a, tip in drawing.declined],
            "focus": [i for i, k in enumerate(self._kreis) if k in keys],
            "selected": chosen,
            "legend": [_legend_row(key, label) for key, label in drawing.legend],
        }

    def on_click(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(ags)`` when the planner clicks a Gemeinde on the map."""
        if not self._clicked:
            self.on_msg(self._message)
        self._clicked.append(callback)

    def click(self, ags: str) -> None:
        """What a click on Gemeinde ``ags`` does (the browser's clicks come here too)."""
        for callback in self._clicked:
            callback(ags)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "click":
            index = content.get("index")
            if isinstance(index, int) and 0 <= index < len(self._order):
                self.click(self._order[index])

    def _group_tip(self, consortium: Any) -> str:
        names = ", ".join(consortium.member_names)
        label = OUTCOMES.label("verbund")
        people = translate(_TEXTS["inhabitants"])
        return (f"{label} {consortium.consortium_id}: {names}"
                f" · {number(int(consortium.population))} {people}")

    def plan_bytes(self) -> int:
        """Size of what one change sends: the JSON of :attr:`plan`."""
        return len(json.dumps(self.plan, ensure_ascii=False).encode("utf-8"))


def _census_tip(row: Any) -> str:
    """The Zensus 2022 line of a Gemeinde's tooltip (plain text; "" without figures)."""
    if pd.isna(row.foreign_share):
        return _("Zensus 2022: no data (keine Angabe)") if row.population else ""

    def share(value: Any) -> str:
        return "–" if pd.isna(value) else percent(float(value) / 100)

    return _("Foreign nationals {share} · ≈ {residents} foreign residents (estimate) · "
             "migration background {migration} · under 18 {young} · 60 and older {old} "
             "(Zensus 2022)").format(
        share=share(row.foreign_share), residents=number(int(row.foreign_residents)),
        migration=share(row.migration_share), young=share(row.under18_share),
        old=share(row.over60_share))


def _check_classes(check: NegotiationCheck, order: list[str]) -> list[int]:
    """Index into :data:`~wirgeo.vocabulary.ELIGIBILITY` of every outline, for a document."""
    codes = {code: i for i, code in enumerate(ELIGIBILITY.codes)}
    return [codes[check.eligibility.get(a, "uninhabited")] for a in order]


def _legend_row(key: str, label: str) -> dict[str, str]:
    """A legend row of a plan document: status outline, invalid or declined swatch."""
    if key == "invalid":
        return {"fill": styles.INVALID_COLOUR, "label": label,
                "border": f"3px solid {styles.INVALID_LINE}"}
    if key == "declined":
        return {"fill": styles.DECLINED_COLOUR, "label": label,
                "border": f"2px dotted {styles.DECLINED_STYLE['color']}"}
    line = styles.PLAN_STATUS_OUTLINES[key]
    kind = "dashed" if "dashArray" in line else "solid"
    fill = "transparent" if key == "rejected" else styles.GROUP_COLOURS[1]
    return {"fill": fill, "label": label,
            "border": f"{max(1, round(float(line['weight'])))}px {kind} {line['color']}"}


def _styles() -> dict[str, Any]:
    """The map styles the browser needs, from :mod:`wirgeo.maps.styles` (no copy)."""
    return {"status": styles.PLAN_STATUS_OUTLINES, "invalid": styles.INVALID_STYLE,
            "invalid_outline": styles.INVALID_OUTLINE, "declined": styles.DECLINED_STYLE,
            "area": styles.AREA_STYLE, "member": styles.CONSORTIUM_STYLE,
            "outline": styles.CONSORTIUM_OUTLINE, "unplaced": styles.UNPLACED_STYLE,
            "kreis": styles.KREIS_LINE, "highlight": styles.HIGHLIGHT,
            "groups": list(styles.GROUP_COLOURS),
            "classes": [styles.ELIGIBILITY_COLOURS[c] for c in ELIGIBILITY.codes]}


def _legend() -> dict[str, Any]:
    border = f"1px solid {styles.SWATCH_BORDER}"
    rows = [{"fill": styles.ELIGIBILITY_COLOURS[c], "border": border,
             "label": ELIGIBILITY.label(c)} for c in ELIGIBILITY.codes]
    return {"title": translate(_TEXTS["legend"]), "rows": rows}


def _plan_legend() -> list[dict[str, str]]:
    """The legend rows of an optimal plan (a plan document has its own: statuses)."""
    return [{"fill": styles.GROUP_COLOURS[0],
             "border": f"2px solid {styles.CONSORTIUM_OUTLINE['color']}",
             "label": OUTCOMES.label("verbund")},
            {"fill": styles.UNPLACED_COLOUR,
             "border": f"2px dashed {styles.UNPLACED_STYLE['color']}",
             "label": OUTCOMES.label("unplaced")}]
