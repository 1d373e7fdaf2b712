"""The layers of the planning map: their features, styles, tooltips and legend sections.

The Gemeinden are written into the page once (:func:`_gemeinde_properties` gives every
feature one style key per layer, "" where a layer does not draw it) and the population,
eligibility, Verbund and unplaced layers each draw their subset of them
(:func:`_add_population`, :func:`_add_eligibility`, :func:`_add_consortia`,
:func:`_add_unplaced`). Grantees, centres, Kreise and Regierungsbezirke carry their own
features. Each ``_add_*`` returns its layer group and, where the layer has one, its legend
section. Colours and texts come from :mod:`wirgeo.maps.styles`; every data text is
escaped here (:mod:`wirgeo.maps._html`) before it becomes a property.

Examples
--------
>>> import pandas as pd
>>> keys = _population_keys(pd.Series([0, 800, 12_000, 250_000]))
>>> list(keys)
['none', 'p0', 'p4', 'p7']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.errors import InputError
from wirgeo.maps._html import _legend_section, _link, _number, _popup, _swatch, _text, _tooltip
from wirgeo.maps._leaflet import _added, _FeatureData, _View
from wirgeo.maps.geometry import dissolve, label_points, outlines, rounded
from wirgeo.maps.styles import (
    AREA_STYLE,
    CENTRE_HIGHLIGHT,
    CENTRE_LABELS,
    CENTRE_RADIUS,
    CENTRE_STYLES,
    CONSORTIUM_OUTLINE,
    CONSORTIUM_STYLE,
    ELIGIBILITY_COLOURS,
    GRANTEE_HIGHLIGHT,
    GRANTEE_STYLES,
    GROUP_COLOURS,
    KREIS_LINE,
    LAYER_TITLES,
    LEGEND_LABELS,
    LEGEND_NOTES,
    LEGEND_TITLES,
    POPULATION_BINS,
    POPULATION_CLASSES,
    REGION_LINE,
    ROUND_STYLES,
    UNPLACED_COLOUR,
    UNPLACED_STYLE,
)
from wirgeo.vocabulary import ELIGIBILITY

#: What a layer builder returns: its group, and the HTML of its legend section.
Legend = tuple[folium.FeatureGroup, str]

#: Columns of the shared Gemeinden features only one layer shows, by that layer's style
#: key: left out where the layer does not draw the Gemeinde (keeps the file small).
SPARSE_COLUMNS = {
    "s_p": (), "s_e": (),
    "s_c": ("verbund", "members", "cpop", "ckreis", "border"),
    "s_u": ("code", "reason"),
}

# ---------------------------------------------------------------- features


def _features(frame: gpd.GeoDataFrame, properties: pd.DataFrame,
              sparse: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
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


def _group(m: folium.Map, key: str, show: bool, count: int | None = None
           ) -> folium.FeatureGroup:
    """The layer group of ``key`` in the layer control, with a count if given."""
    name = LAYER_TITLES[key] + (f" ({count})" if count is not None else "")
    return _added(folium.FeatureGroup(name=name, show=show), m)


def _line_view(group: folium.FeatureGroup, lines: shapely.Geometry, key: str,
               style: Mapping[str, Any]) -> None:
    """Draw a line network (borders) into ``group``, not interactive."""
    frame = gpd.GeoDataFrame(geometry=rounded([lines]), crs=4326)
    data = _added(_FeatureData(_features(frame, pd.DataFrame({"s": ["line"]}))), group)
    _View(data, "s", {"line": {**style, "fill": False}}, pane="wirgeo-lines",
          class_name=f"wirgeo-{key}", interactive=False).add_to(group)


# ------------------------------------------------------- shared Gemeinden data


def _population_keys(population: pd.Series) -> pd.Series:
    """Style key of each Gemeinde's population class (see ``styles.POPULATION_CLASSES``)."""
    position = np.searchsorted(POPULATION_BINS, population.to_numpy(), side="right") - 1
    return pd.Series([f"p{i}" if i >= 0 else "none" for i in position],
                     index=population.index)


def _gemeinde_properties(drawn: gpd.GeoDataFrame, in_selection: np.ndarray, *,
                         eligibility: pd.DataFrame | None, members: pd.DataFrame | None,
                         unplaced: pd.DataFrame | None) -> pd.DataFrame:
    """Properties of the shared Gemeinden features, one style key per layer.

    A style key is "" where a layer does not draw the Gemeinde (outside the Kreis
    selection, not a member, not unplaced).
    """
    props = pd.DataFrame({
        "ags": drawn["ags"].map(_text),
        "name": drawn["name"].map(_text),
        "kreis": drawn["kreis_name"].map(_text),
        "pop": drawn["population"].map(_number),
        "s_p": _population_keys(drawn["population"]).where(in_selection, ""),
    }, index=drawn.index)
    if eligibility is not None:
        _eligibility_properties(props, drawn, in_selection, eligibility)
    if members is not None:
        joined = props[["ags"]].merge(members, on="ags", how="left").astype(object)
        # object first: with no member at all the joined columns are float NaN
        joined = joined.where(joined.notna(), "")
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
    return props


def _eligibility_properties(props: pd.DataFrame, drawn: gpd.GeoDataFrame,
                            in_selection: np.ndarray, eligibility: pd.DataFrame) -> None:
    """Add class label, funding and serving centre (the eligibility tooltip) to ``props``."""
    e = eligibility.set_index("ags").reindex(drawn["ags"])
    e.index = drawn.index
    funded = e["funded"].fillna(False).astype(bool)
    when = [", ".join(x for x in (_text(r), _text(y)) if x)
            for r, y in zip(e["funded_round"], e["funded_years"], strict=True)]
    props["elig"] = e["eligibility_label"].map(_text)
    props["funded"] = [(w or "yes") if f else "no" for f, w in zip(funded, when, strict=True)]
    props["centre"] = [f"{_text(n)} ({float(d):.1f} km)" if _text(n) and pd.notna(d)
                       else _text(n)
                       for n, d in zip(e["centre_name"], e["centre_distance_km"], strict=True)]
    props["s_e"] = e["eligibility"].astype(str).where(in_selection, "")


def _gemeinden_data(m: folium.Map, drawn: gpd.GeoDataFrame, props: pd.DataFrame
                    ) -> _FeatureData:
    """Write the Gemeinden into the page once, for every layer that draws them."""
    return _added(_FeatureData(_features(drawn, props, sparse=SPARSE_COLUMNS)), m)


# ------------------------------------------------------- layers of Gemeinden


def _add_population(m: folium.Map, data: _FeatureData, show: bool) -> Legend:
    group = _group(m, "population", show)
    styles = {key: {**AREA_STYLE, "fillColor": colour} for key, colour, _ in POPULATION_CLASSES}
    _View(data, "s_p", styles, pane="wirgeo-areas", class_name="wirgeo-population",
          tooltip=_tooltip(["name", "ags", "kreis", "pop"],
                           ["Gemeinde", "AGS", "Kreis", "Population"])).add_to(group)
    legend = _legend_section(LEGEND_TITLES["population"],
                             [(_swatch(c), _text(label)) for _, c, label in POPULATION_CLASSES],
                             note=LEGEND_NOTES["population"])
    return group, legend


def _add_eligibility(m: folium.Map, data: _FeatureData, eligibility: pd.DataFrame,
                     counts: Mapping[str, int], show: bool) -> Legend:
    group = _group(m, "eligibility", show)
    styles = {c: {**AREA_STYLE, "fillColor": ELIGIBILITY_COLOURS[c]} for c in ELIGIBILITY.codes}
    _View(data, "s_e", styles, pane="wirgeo-areas", class_name="wirgeo-eligibility",
          tooltip=_tooltip(["name", "ags", "kreis", "pop", "elig", "funded", "centre"],
                           ["Gemeinde", "AGS", "Kreis", "Population", "KIV", "Funded",
                            "WIR-Vielfaltszentrum"])).add_to(group)
    # the labels the table carries, so the legend speaks as the tooltips do
    labels = eligibility.drop_duplicates("eligibility").set_index("eligibility")[
        "eligibility_label"]
    rows = [(_swatch(ELIGIBILITY_COLOURS[c]), f"{_text(labels.get(c))} ({counts[c]})")
            for c in ELIGIBILITY.codes if counts.get(c)]
    return group, _legend_section(LEGEND_TITLES["eligibility"], rows)


def _add_consortia(m: folium.Map, data: _FeatureData, dissolved: gpd.GeoDataFrame,
                   show: bool) -> Legend:
    group = _group(m, "consortia", show, len(dissolved))
    styles = {f"c{k}": {**CONSORTIUM_STYLE, "fillColor": colour}
              for k, colour in enumerate(GROUP_COLOURS)}
    _View(data, "s_c", styles, pane="wirgeo-groups", class_name="wirgeo-consortia",
          tooltip=_tooltip(["verbund", "members", "cpop", "ckreis", "border"],
                           ["Verbund", "Members", "Combined population", "Kreis",
                            "Shared border"])).add_to(group)
    if len(dissolved):
        _line_view(group, outlines(dissolved.geometry), "consortia-outline",
                   CONSORTIUM_OUTLINE)
    legend = _legend_section(LEGEND_TITLES["consortia"], [
        ("".join(_swatch(c) for c in GROUP_COLOURS[:3]),
         f"{len(dissolved)} {LEGEND_LABELS['consortia']}")],
        note=LEGEND_NOTES["consortia"])
    return group, legend


def _add_unplaced(m: folium.Map, data: _FeatureData, count: int, show: bool) -> Legend:
    group = _group(m, "unplaced", show, count)
    _View(data, "s_u", {"u": UNPLACED_STYLE}, pane="wirgeo-groups",
          class_name="wirgeo-unplaced",
          tooltip=_tooltip(["name", "ags", "kreis", "pop", "code", "reason"],
                           ["Not placed", "AGS", "Kreis", "Population", "Reason code",
                            "Reason"])).add_to(group)
    legend = _legend_section(LEGEND_TITLES["unplaced"], [
        (_swatch(UNPLACED_COLOUR, line=str(UNPLACED_STYLE["color"]), dash=True),
         f"{LEGEND_LABELS['unplaced']} ({count})")], note=LEGEND_NOTES["unplaced"])
    return group, legend


# ------------------------------------------------------------------- Verbünde


def _consortia_touching(consortia: pd.DataFrame, kreise: Sequence[str]) -> pd.DataFrame:
    """The Verbünde with a member in one of ``kreise`` (all of them when none are given)."""
    if not kreise:
        return consortia
    touches = consortia["member_ags"].astype(str).map(
        lambda s: any(a.strip()[:5] in kreise for a in s.split(";")))
    return consortia[touches]


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
        free = [c for c in range(len(GROUP_COLOURS)) if c not in used]
        colours.append(free[0] if free else i % len(GROUP_COLOURS))
    return colours


def _consortium_members(consortia: pd.DataFrame, everything: gpd.GeoDataFrame
                        ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """One row per member (tooltip texts, colour key ``s_c``) and the dissolved groups."""
    by_ags = everything.set_index("ags")
    members: list[dict[str, Any]] = []
    groups = []
    for i, c in enumerate(consortia.itertuples(index=False)):
        ags = [a.strip() for a in str(c.member_ags).split(";") if a.strip()]
        unknown = [a for a in ags if a not in by_ags.index]
        if unknown or not ags:
            raise InputError("consortia table", f"consortium {c.consortium_id!r} has "
                             f"member AGS {', '.join(unknown) or '(none)'} not among the "
                             "municipalities", row=i + 1, column="member_ags",
                             fix="build consortia and map from the same municipalities")
        members += [{"ags": a, **_verbund_tooltip(c, ags, by_ags), "group": i} for a in ags]
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


def _verbund_tooltip(consortium: Any, ags: list[str], by_ags: pd.DataFrame) -> dict[str, str]:
    """The tooltip texts every member of one Verbund shows (a row of the consortia table)."""
    listing = "<br>".join(f"{_text(by_ags.at[a, 'name'])} "
                          f"({_number(by_ags.at[a, 'population'])})" for a in ags)
    km = consortium.shared_border_km
    return {"verbund": _text(consortium.consortium_id), "members": listing,
            "cpop": _number(consortium.population),
            "ckreis": _text(str(consortium.kreis_names).replace(";", ", ")),
            "border": f"{float(km):.1f} km" if pd.notna(km) else ""}


# ------------------------------------------------------- grantees and centres


def _add_grantees(m: folium.Map, shown: gpd.GeoDataFrame, grantees: pd.DataFrame,
                  show: bool) -> Legend:
    rows = grantees.assign(ags=grantees["ags"].astype(str))
    rows = rows[rows["ags"].isin(set(shown["ags"]))].sort_values(["ags", "round"],
                                                                   kind="stable")
    rounds = sorted(rows["round"].dropna().astype(str).unique())
    key = {r: f"r{min(i, len(ROUND_STYLES) - 1)}" for i, r in enumerate(rounds)}
    table = _grantee_table(rows, key)
    group = _group(m, "grantees", show, len(table))
    if len(table):
        frame = shown[["ags", "name", "population", "geometry"]].merge(table, on="ags")
        props = frame.drop(columns="geometry").assign(
            name=frame["name"].map(_text), pop=frame["population"].map(_number)
        ).drop(columns="population")
        data = _added(_FeatureData(_features(frame, props)), group)
        _View(data, "s", GRANTEE_STYLES, pane="wirgeo-grantees", class_name="wirgeo-grantees",
              highlight=GRANTEE_HIGHLIGHT,
              tooltip=_tooltip(["name", "round", "years"],
                               ["KIV grantee", "Round", "Years"]),
              popup=_popup(["name", "pop", "round", "years", "project", "amount", "verbund",
                            "source"],
                           ["Gemeinde", "Population", "Round", "Years", "Project",
                            "Amount", "Verbund", "Source"])).add_to(group)
    rows_legend = [(_swatch("transparent", line=ROUND_STYLES[int(k[1:])]["color"],
                            dash="dashArray" in ROUND_STYLES[int(k[1:])]), _text(r))
                   for r, k in key.items()]
    return group, _legend_section(LEGEND_TITLES["grantees"], rows_legend,
                                  note=LEGEND_NOTES["grantees"])


def _grantee_table(rows: pd.DataFrame, key: Mapping[str, str]) -> pd.DataFrame:
    """One row per funded Gemeinde (several rounds joined by " / "), style key by round."""
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
    return pd.DataFrame(per_ags, columns=["ags", "round", "years", "project", "amount",
                                          "verbund", "source", "s"])


def _add_centres(m: folium.Map, centres: gpd.GeoDataFrame, show: bool) -> Legend:
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
        points = gpd.GeoDataFrame(geometry=rounded(frame.geometry.to_numpy()), crs=4326)
        data = _added(_FeatureData(_features(points, props)), group)
        _View(data, "s", CENTRE_STYLES, pane="wirgeo-points", class_name="wirgeo-centres",
              point="circle", point_radius=CENTRE_RADIUS, highlight=CENTRE_HIGHLIGHT,
              tooltip=_tooltip(["name"], ["Centre"]),
              popup=_popup(["name", "org", "address", "precision", "status", "source"],
                           ["Centre", "Organisation", "Address", "Location", "Status",
                            "Source"])).add_to(group)
    legend = _legend_section(LEGEND_TITLES["centres"], [
        (_swatch(str(style["fillColor"]), line=str(style["color"]), shape="dot"),
         CENTRE_LABELS[key])
        for key, style in CENTRE_STYLES.items()], note=LEGEND_NOTES["centres"])
    return group, legend


# ------------------------------------------------------------- boundaries


def _add_kreise(m: folium.Map, shown: gpd.GeoDataFrame, everything: gpd.GeoDataFrame,
                show: bool) -> folium.FeatureGroup:
    """Kreis borders of the selection, with names inside each Kreis."""
    group = _group(m, "kreise", show)
    polygons = dissolve(shown, "kreis_ags")
    _line_view(group, outlines(polygons.geometry), "kreise", KREIS_LINE)
    labels = _kreis_labels(polygons["kreis_ags"], everything)
    points = gpd.GeoDataFrame(geometry=label_points(polygons), crs=4326)
    data = _added(_FeatureData(_features(points, pd.DataFrame(labels))), group)
    _View(data, "s", {"label": {}}, pane="wirgeo-labels", class_name="wirgeo-kreis-labels",
          interactive=False, point="label").add_to(group)
    return group


def _kreis_labels(keys: Iterable[str], everything: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Label text and CSS class of each Kreis (kreisfreie Städte show only when near)."""
    kreise = everything.drop_duplicates("kreis_ags").set_index("kreis_ags")
    city = kreise["status"].eq("kreisfreie_stadt")
    city_names = set(kreise.loc[city, "kreis_name"])  # of the state, not the selection
    labels = []
    for kreis in keys:
        name = str(kreise.at[kreis, "kreis_name"])
        # "Landkreis X" is labelled "X", unless a kreisfreie Stadt is called X (Kassel).
        short = re.sub(r"^(Landkreis|Kreis) ", "", name)
        labels.append({"label": _text(name if short in city_names and not city[kreis]
                                      else short),
                       "label_class": "wirgeo-label wirgeo-city" if city[kreis]
                       else "wirgeo-label", "s": "label"})
    return labels


def _add_regions(m: folium.Map, shown: gpd.GeoDataFrame, show: bool) -> folium.FeatureGroup:
    """Regierungsbezirk borders of the selection."""
    group = _group(m, "regierungsbezirke", show)
    with_rbz = shown[shown["rbz_ags"].notna()]
    if len(with_rbz):
        _line_view(group, outlines(dissolve(with_rbz, "rbz_ags").geometry),
                   "regierungsbezirke", REGION_LINE)
    return group
