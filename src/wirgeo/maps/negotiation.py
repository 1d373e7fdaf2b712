"""The map of two plan documents: their Verbünde, and every Gemeinde placed differently.

It draws a :class:`wirgeo.planning.NegotiationComparison` with the change layers of the
scenario comparison (:func:`wirgeo.maps.comparison.draw_changes`): a Gemeinde placed
differently is coloured by how (joined, left, in another Verbund, no longer taking part,
taking part again), its tooltip names its Verbund and status in both documents; the
Verbünde of the first document are outlined dashed, those of the second solid, each in a
layer of its own. Every text from the documents (labels, file names) reaches the page
escaped, as data.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import NegotiationBasis
>>> from wirgeo.sources import Negotiation
>>> a = Negotiation.from_rows([{"verbund": "<b>Nord</b>", "ags": a, "status": "agreed"}
...                            for a in ("06535003", "06535013")])
>>> b = Negotiation.from_rows([{"verbund": "Nord", "ags": a, "status": "agreed"}
...                            for a in ("06535003", "06535013", "06535018")])
>>> gem = load_municipalities()
>>> m = negotiation_map(NegotiationBasis.of(gem).compare(a, b), gem, tiles=None)
>>> m.get_root().title
'Plan A gegenüber B: 3 Gemeinden anders platziert'
>>> "<b>Nord</b>" in m.get_root().render()
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core.i18n import _, ngettext, number, speaking, translate
from wirgeo.core.markup import html_text
from wirgeo.maps._html import _legend_section, _number, _swatch, _tooltip
from wirgeo.maps._leaflet import _added, _FeatureData, _View
from wirgeo.maps.colouring import verbund_colours
from wirgeo.maps.comparison import Changes, draw_changes
from wirgeo.maps.compose import _finish_map, _new_map
from wirgeo.maps.geometry import DEFAULT_TOLERANCE_M, display_geometry
from wirgeo.maps.layers import _add_kreise, _features
from wirgeo.maps.styles import (
    AREA_STYLE,
    CONSORTIUM_STYLE,
    DECLINED_STYLE,
    ELIGIBILITY_COLOURS,
    FIELD_CONTEXT,
    FIELD_LABELS,
    GROUP_COLOURS,
    INVALID_COLOUR,
    INVALID_LINE,
    INVALID_OUTLINE,
    INVALID_STYLE,
    LEGEND_LABELS,
    PLAN_CHANGE_COLOURS,
    PLAN_OUTLINES,
    PLAN_STATUS_OUTLINES,
)
from wirgeo.maps.validation import attribution
from wirgeo.sources.negotiation import Negotiation
from wirgeo.vocabulary import ELIGIBILITY, PLAN_CHANGES, PLAN_STATUS
from wirgeo.wording import check_line, check_sentence, describe_rules

if TYPE_CHECKING:
    from wirgeo.planning.negotiation import NegotiationCheck, NegotiationComparison

__all__ = ["negotiation_map", "document_map", "document_drawing", "DocumentDrawing",
           "DrawnVerbund"]


def _state(places: pd.DataFrame, ags: pd.Series) -> pd.Series:
    """Each Gemeinde's place in one document, in words: "Nord (vereinbart)", or "—"."""
    statuses = PLAN_STATUS.labels()
    found = places.reindex(ags.to_numpy())
    text = [("—" if pd.isna(status) else statuses[status] if not label else
             f"{label} ({statuses[status]})")
            for label, status in zip(found["verbund"], found["status"], strict=True)]
    return pd.Series(text, index=ags.index)


def _outlines(m: folium.Map, everything: gpd.GeoDataFrame, document: Negotiation,
              key: str, name: str) -> tuple[folium.FeatureGroup, str]:
    """The Verbünde of one document (not the rejected ones) as outlines, and their legend."""
    verbuende = document.verbuende()
    verbuende = verbuende[verbuende["status"] != "rejected"]
    geometry = everything.set_index("ags").geometry
    shapes = [geometry.reindex(list(members)).union_all() for members in
              verbuende["member_ags"]]
    frame = gpd.GeoDataFrame({"s": [key] * len(shapes)}, geometry=shapes, crs=everything.crs)
    title = _("Verbünde in {name}").format(name=name)
    group = _added(folium.FeatureGroup(name=html_text(f"{title} ({number(len(frame))})"),
                                       show=True), m)
    if len(frame):
        data = _added(_FeatureData(_features(frame, pd.DataFrame({"s": frame["s"]}))), group)
        _View(data, "s", {key: PLAN_OUTLINES[key]}, pane="wirgeo-lines",
              class_name=f"wirgeo-plan-{key}", interactive=False).add_to(group)
    style = PLAN_OUTLINES[key]
    swatch = _swatch("transparent", line=str(style["color"]), dash="dashArray" in style)
    row = ngettext("{count} Verbund, outlined", "{count} Verbünde, outlined",
                   len(frame)).format(count=number(len(frame)))
    legend = _legend_section(title, [(swatch, html_text(row))])
    return group, legend


def negotiation_map(comparison: NegotiationComparison, municipalities: gpd.GeoDataFrame, *,
                    names: tuple[str, str] = ("A", "B"),
                    tiles: str | None = "OpenStreetMap",
                    tolerance_m: float = DEFAULT_TOLERANCE_M,
                    lang: str | None = None) -> folium.Map:
    """Map of two plan documents: both documents' Verbünde and the Gemeinden that moved.

    Parameters
    ----------
    comparison : wirgeo.planning.NegotiationComparison
        From :func:`wirgeo.planning.compare_negotiations`.
    municipalities : GeoDataFrame
        The municipalities the documents were checked against.
    names : tuple of str
        What the two documents are called on the map (their file names, say).
    tiles, tolerance_m
        As in :class:`~wirgeo.maps.MapOptions`.
    lang : str, optional
        Language of every text on the map (default: the setting,
        :func:`wirgeo.core.i18n.language`).
    """
    with speaking(lang):
        return _negotiation_map(comparison, municipalities, names=names, tiles=tiles,
                                tolerance_m=tolerance_m)


def _negotiation_map(comparison: NegotiationComparison, municipalities: gpd.GeoDataFrame, *,
                     names: tuple[str, str], tiles: str | None, tolerance_m: float
                     ) -> folium.Map:
    """:func:`negotiation_map` in the language it speaks."""
    everything = display_geometry(municipalities, tolerance_m)
    changes = comparison.gemeinden.set_index("ags")["change"]
    key = everything["ags"].map(changes).fillna("same").to_numpy(dtype=object)
    first, second = comparison.a.document, comparison.b.document
    change = Changes(
        key=key, before=_state(first.places(), everything["ags"]),
        after=_state(second.places(), everything["ags"]), colours=PLAN_CHANGE_COLOURS,
        labels=PLAN_CHANGES.labels(), before_title=_("in {name}").format(name=names[0]),
        after_title=_("in {name}").format(name=names[1]),
        both_title=_("in both"), group_title=_("Placed differently"),
        unchanged_title=_("Placed alike"),
        legend_title=_("Placed differently in {b} than in {a}").format(
            a=names[0], b=names[1]),
        legend_note=_("hover for the Verbund in both documents"),
        unchanged_label=translate(LEGEND_LABELS["unchanged"]), change_title=_("Change"))
    m = _new_map(everything, tiles)
    group, legend = draw_changes(m, everything, change)
    outline_a = _outlines(m, everything, first, "a", names[0])
    outline_b = _outlines(m, everything, second, "b", names[1])
    _add_kreise(m, everything, everything, True)
    moved = int((key != "same").sum())
    title = ngettext("Plan {a} compared with {b}: {count} Gemeinde placed differently",
                     "Plan {a} compared with {b}: {count} Gemeinden placed differently",
                     moved).format(a=names[0], b=names[1], count=number(moved))
    shown = _shown(everything, first, second, key)
    _finish_map(m, shown, title, describe_rules(comparison.b.rules),
                [("changes", group, legend), ("plan_a", *outline_a), ("plan_b", *outline_b)],
                attribution(municipalities, []))
    return m


def _shown(everything: gpd.GeoDataFrame, first: Negotiation, second: Negotiation,
           key: np.ndarray) -> gpd.GeoDataFrame:
    """Where the documents have something to show: their Gemeinden and the changes."""
    ags = set(first.rows["ags"]) | set(second.rows["ags"])
    mask = everything["ags"].isin(ags).to_numpy() | (key != "same")
    return everything[mask] if mask.any() else everything


# ------------------------------------------------------- one document, drawn


@dataclass(frozen=True)
class DrawnVerbund:
    """One Verbund of a plan document as a map draws it.

    ``colour`` is the palette index (:data:`~wirgeo.maps.styles.GROUP_COLOURS`) of a valid
    Verbund, None for one that breaks a rule or is refused; ``tip`` plain text.
    """

    label: str
    status: str
    valid: bool
    members: tuple[str, ...]
    colour: int | None
    tip: str


@dataclass(frozen=True)
class DocumentDrawing:
    """What every map of one plan document draws (live map, HTML map): one source.

    Attributes
    ----------
    verbuende : list of DrawnVerbund
        In the document's order, refused groups too.
    declined : list of tuple of str
        ``(ags, tip)`` of every Gemeinde that takes no part.
    legend : list of tuple of str
        ``(key, label)``: a status code, ``invalid`` or ``declined``, with its count.
    """

    verbuende: list[DrawnVerbund]
    declined: list[tuple[str, str]]
    legend: list[tuple[str, str]]


def document_drawing(check: NegotiationCheck, municipalities: gpd.GeoDataFrame,
                     *, lang: str | None = None) -> DocumentDrawing:
    """The Verbünde, statuses and declined Gemeinden of a checked document, for a map.

    Valid Verbünde (not refused) are coloured with :func:`wirgeo.maps.colouring.
    verbund_colours` — the same colouring as every other map; a Verbund that breaks a rule
    gets no colour (maps draw it as invalid) and its tooltip names the rules
    (:func:`wirgeo.wording.check_sentence`).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import NegotiationBasis
    >>> from wirgeo.sources import Negotiation
    >>> gem = load_municipalities()
    >>> doc = Negotiation.from_rows([
    ...     {"verbund": "Nord", "ags": "06535003", "status": "agreed"},
    ...     {"verbund": "Nord", "ags": "06535013", "status": "agreed"},
    ...     {"verbund": "Süd", "ags": "06535001", "status": "in_talks"},
    ...     {"verbund": "Süd", "ags": "06535002", "status": "in_talks"},
    ...     {"verbund": "", "ags": "06535014", "status": "declined"}])
    >>> drawn = document_drawing(NegotiationBasis.of(gem).check(doc), gem, lang="de")
    >>> [(v.label, v.valid, v.colour) for v in drawn.verbuende]
    [('Nord', True, 0), ('Süd', False, None)]
    >>> drawn.legend
    [('in_talks', 'im Gespräch (1)'), ('agreed', 'vereinbart (1)'), \
('invalid', 'verstößt gegen eine Regel (1)'), ('declined', 'nimmt nicht teil (1)')]
    """
    with speaking(lang):
        return _document_drawing(check, municipalities)


def _document_drawing(check: NegotiationCheck, municipalities: gpd.GeoDataFrame
                      ) -> DocumentDrawing:
    table = check.verbuende
    coloured = table[table["valid"] & (table["status"] != "rejected")]
    colours = verbund_colours(pd.DataFrame({"consortium_id": coloured["verbund"],
                                            "member_ags": coloured["member_ags"]}),
                              municipalities)
    notes = dict(zip(*(check.document.verbuende()[c] for c in ("verbund", "notes")),
                     strict=True))
    people = _("inhabitants")
    drawn = []
    records = [dict(zip(table.columns, values, strict=True))
               for values in zip(*(table[c].tolist() for c in table.columns), strict=True)]
    for row in records:
        label, status, valid = str(row["verbund"]), str(row["status"]), bool(row["valid"])
        lines = [_("Verbund {label} ({status}): {names} · {population} {people}").format(
            label=label, status=PLAN_STATUS.label(status),
            names=", ".join(row["member_names"]),
            population=number(int(row["population"])), people=people)]
        if not valid:
            lines.append(check_sentence(row, check.breaks, check.rules))
        if notes.get(label):
            lines.append(_("Note: {note}").format(note=notes[label]))
        drawn.append(DrawnVerbund(label, status, valid,
                                  tuple(row["member_ags"]),
                                  colours.get(label) if valid and status != "rejected"
                                  else None, " · ".join(lines)))
    rows = check.document.rows
    declined = [(str(a), " · ".join(t for t in (PLAN_STATUS.label("declined"),
                                                 _("Note: {note}").format(note=n) if n else "")
                                     if t))
                for a, n in zip(rows.loc[rows["status"] == "declined", "ags"],
                                rows.loc[rows["status"] == "declined", "note"], strict=True)]
    return DocumentDrawing(drawn, declined, _legend_rows(table, len(declined)))


def _legend_rows(table: pd.DataFrame, declined: int) -> list[tuple[str, str]]:
    """Every status drawn, invalid Verbünde and declined Gemeinden, with their counts."""
    counts = table["status"].value_counts()
    rows = [(code, f"{PLAN_STATUS.label(code)} ({number(int(counts[code]))})")
            for code in PLAN_STATUS.codes if code in counts and code != "declined"]
    invalid = int((~table["valid"] & (table["status"] != "rejected")).sum())
    if invalid:
        rows.append(("invalid", _("breaks a rule ({count})").format(count=number(invalid))))
    if declined:
        rows.append(("declined", f"{PLAN_STATUS.label('declined')} ({number(declined)})"))
    return rows


def document_map(check: NegotiationCheck, municipalities: gpd.GeoDataFrame, *,
                 name: str = "", tiles: str | None = "OpenStreetMap",
                 tolerance_m: float = DEFAULT_TOLERANCE_M, lang: str | None = None
                 ) -> folium.Map:
    """Map of one checked plan document: Verbünde by status, invalid ones, declined ones.

    The same drawing as the planner's live map (:func:`document_drawing`): valid
    Verbünde in the colours of :func:`wirgeo.maps.colouring.verbund_colours`, outlined
    by status (open talks dashed, decisions solid); a Verbund that breaks a rule pale red
    under a thick red ring, its tooltip naming the rules; refused groups as a grey dotted
    ring; Gemeinden that take no part white with a dotted ring. The legend lists every
    status drawn with its count. Every text of the document reaches the page escaped.

    Parameters
    ----------
    check : wirgeo.planning.NegotiationCheck
        From :meth:`wirgeo.planning.NegotiationBasis.check`.
    municipalities : GeoDataFrame
        The municipalities it was checked against.
    name : str
        What the document is called on the map (its file name, say).
    tiles, tolerance_m, lang
        As :func:`negotiation_map`.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import NegotiationBasis
    >>> from wirgeo.sources import Negotiation
    >>> gem = load_municipalities()
    >>> doc = Negotiation.from_rows([
    ...     {"verbund": "<b>{{Nord}}</b>", "ags": "06535003", "status": "agreed"},
    ...     {"verbund": "<b>{{Nord}}</b>", "ags": "06535001", "status": "agreed"}])
    >>> page = document_map(NegotiationBasis.of(gem).check(doc), gem, tiles=None,
    ...                     lang="de").get_root().render()
    >>> "<b>{{Nord}}</b>" in page, "Nord" in page, "vereinbart (1)" in page
    (False, True, True)
    """
    with speaking(lang):
        return _document_map(check, municipalities, name, tiles, tolerance_m)


def _document_map(check: NegotiationCheck, municipalities: gpd.GeoDataFrame, name: str,
                  tiles: str | None, tolerance_m: float) -> folium.Map:
    everything = display_geometry(municipalities, tolerance_m)
    drawing = _document_drawing(check, municipalities)
    ags = everything["ags"].astype(str).tolist()
    key = {a: f"e_{check.eligibility.get(a, 'uninhabited')}" for a in ags}
    tip = dict.fromkeys(ags, "")
    for v in drawing.verbuende:
        for a in v.members:
            if v.status == "rejected":
                tip[a] = " · ".join(t for t in (tip[a], v.tip) if t)
                continue
            key[a] = "invalid" if v.colour is None else f"c{v.colour}"
            tip[a] = v.tip
    for a, text in drawing.declined:
        key[a], tip[a] = "declined", text
    properties = pd.DataFrame({
        "name": everything["name"].map(html_text).to_numpy(),
        "kreis": everything["kreis_name"].map(html_text).to_numpy(),
        "population": everything["population"].map(_number).to_numpy(),
        "plan": [html_text(tip[a]) for a in ags], "s": [key[a] for a in ags]})
    m = _new_map(everything, tiles)
    data = _added(_FeatureData(_features(everything, properties)), m)
    styles = {f"e_{c}": {**AREA_STYLE, "fillColor": ELIGIBILITY_COLOURS[c]}
              for c in ELIGIBILITY.codes}
    styles |= {f"c{i}": {**CONSORTIUM_STYLE, "fillColor": colour}
               for i, colour in enumerate(GROUP_COLOURS)}
    styles |= {"invalid": INVALID_STYLE, "declined": DECLINED_STYLE}
    fields = [translate(FIELD_LABELS[k], FIELD_CONTEXT) for k in
              ("gemeinde", "kreis", "population")]
    title = _("Plan {name}").format(name=name) if name else _("Plan document")
    group = _added(folium.FeatureGroup(name=html_text(title), show=True), m)
    _View(data, "s", styles, pane="wirgeo-areas", class_name="wirgeo-document",
          tooltip=_tooltip(["name", "kreis", "population", "plan"],
                           [html_text(f) for f in fields] + [html_text(_("Plan"))])
          ).add_to(group)
    _document_outlines(group, everything, drawing,
                       {**PLAN_STATUS_OUTLINES, "invalid": INVALID_OUTLINE})
    _add_kreise(m, everything, everything, True)
    _finish_map(m, everything, title, describe_rules(check.rules) + " · " + check_line(check),
                [("document", group, _document_legend(drawing))],
                attribution(municipalities, []))
    return m


def _document_outlines(group: folium.FeatureGroup,
                       everything: gpd.GeoDataFrame, drawing: DocumentDrawing,
                       styles: Mapping[str, Mapping[str, object]]) -> None:
    """One outline per Verbund, styled by status (invalid ones red)."""
    geometry = everything.set_index("ags").geometry
    shapes, keys = [], []
    for v in drawing.verbuende:
        shapes.append(shapely.coverage_union_all(geometry.reindex(list(v.members))
                                                 .to_numpy()))
        keys.append("invalid" if v.colour is None and v.status != "rejected" else v.status)
    if not shapes:
        return
    frame = gpd.GeoDataFrame({"s": keys}, geometry=shapes, crs=everything.crs)
    frame["geometry"] = frame.geometry.boundary
    data = _added(_FeatureData(_features(frame, pd.DataFrame({"s": keys}))), group)
    _View(data, "s", {k: {**s, "fill": False} for k, s in styles.items()},
          pane="wirgeo-lines", class_name="wirgeo-document-outline",
          interactive=False).add_to(group)


def _document_legend(drawing: DocumentDrawing) -> str:
    rows = []
    for code, label in drawing.legend:
        if code == "invalid":
            swatch = _swatch(INVALID_COLOUR, line=INVALID_LINE)
        elif code == "declined":
            swatch = _swatch("#FFFFFF", line=str(DECLINED_STYLE["color"]), dash=True)
        else:
            line = PLAN_STATUS_OUTLINES[code]
            swatch = _swatch("transparent" if code == "rejected" else GROUP_COLOURS[1],
                             line=str(line["color"]), dash="dashArray" in line)
        rows.append((swatch, html_text(label)))
    return _legend_section(_("Plan document"), rows,
                           note=_("hover for the Verbund, its status and the rules it "
                                  "breaks"))

