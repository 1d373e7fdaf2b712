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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core.i18n import _, km, number, percent, translate
from wirgeo.core.markup import html_text
from wirgeo.errors import InputError
from wirgeo.maps._html import _legend_section, _link, _number, _popup, _swatch, _tooltip
from wirgeo.maps._leaflet import _added, _FeatureData, _View
from wirgeo.maps.geometry import dissolve, label_points, outlines, rounded
from wirgeo.maps.styles import (
    AREA_STYLE,
    CENSUS_TEXTS,
    CENTRE_HIGHLIGHT,
    CENTRE_LABELS,
    CENTRE_RADIUS,
    CENTRE_STYLES,
    CONSORTIUM_OUTLINE,
    CONSORTIUM_STYLE,
    ELIGIBILITY_COLOURS,
    FIELD_CONTEXT,
    FIELD_LABELS,
    FOREIGN_SHARE_BINS,
    GRANTEE_HIGHLIGHT,
    GRANTEE_STYLES,
    GROUP_COLOURS,
    KREIS_LINE,
    LAYER_TITLES,
    LEGEND_LABELS,
    LEGEND_NOTES,
    LEGEND_TITLES,
    NEAR_THRESHOLD_STYLE,
    NO_DATA_STYLE,
    OUTSIDE_STYLE,
    POPULATION_BINS,
    REGION_LINE,
    ROUND_STYLES,
    UNPLACED_COLOUR,
    UNPLACED_STYLE,
    foreign_share_classes,
    population_classes,
)
from wirgeo.rules import KivRules
from wirgeo.vocabulary import (
    CENTRE_STATUS,
    ELIGIBILITY,
    FLEXIBILITY,
    LOCATION_PRECISION,
    ROUNDS,
    YES_NO,
    near_threshold_label,
)
from wirgeo.wording import reason_text

# thresholds named in the population legend (the default rules, as the classes)
_KIV = KivRules()

#: What a layer builder returns: its group, and the HTML of its legend section.
Legend = tuple[folium.FeatureGroup, str]

#: Columns of the shared Gemeinden features only one layer shows, by that layer's style
#: key: left out where the layer does not draw the Gemeinde (keeps the file small).
SPARSE_COLUMNS = {
    "s_p": (), "s_e": (),
    "s_c": ("verbund", "firm", "members", "cpop", "ckreis", "border"),  # firm: flexibility
    "s_n": (),  # "near" stays on every feature: the eligibility tooltip names it
    "s_u": ("code", "reason"),
    "s_f": ("fs", "fr", "ms", "u18", "o60", "abr"),
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
    name = translate(LAYER_TITLES[key]) + (f" ({number(count)})" if count is not None
                                           else "")
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


def _foreign_share_keys(drawn: pd.DataFrame) -> pd.Series:
    """Style key of each Gemeinde's foreign-share class (``styles.FOREIGN_SHARE_CLASSES``).

    ``f<i>`` the class, "na" without a figure (withheld), "none" uninhabited.
    """
    share = pd.to_numeric(drawn["foreign_share"], errors="coerce").astype(float)
    position = np.searchsorted(FOREIGN_SHARE_BINS, share.fillna(-1).to_numpy(),
                               side="right") - 1
    keys = pd.Series([f"f{i}" for i in position], index=drawn.index)
    keys[share.isna()] = "na"
    keys[drawn["population"] == 0] = "none"
    return keys


def _census_properties(props: pd.DataFrame, drawn: gpd.GeoDataFrame,
                       in_selection: np.ndarray, eligibility: pd.DataFrame | None,
                       ) -> None:
    """The foreign-share class and the Zensus 2022 tooltip texts (the layer's only)."""
    def share(column: str) -> pd.Series:
        values = pd.to_numeric(drawn[column], errors="coerce").astype(float)
        return values.map(lambda v: "" if pd.isna(v) else html_text(percent(v / 100)))

    no_data = html_text(translate(CENSUS_TEXTS["no_data"]))
    props["s_f"] = _foreign_share_keys(drawn).where(in_selection, "")
    props["fs"] = share("foreign_share").replace("", no_data)
    props["fr"] = drawn["foreign_residents"].map(_number)
    props["ms"], props["u18"], props["o60"] = (share("migration_share"),
                                               share("under18_share"), share("over60_share"))
    if eligibility is not None and "advisory_council" in eligibility.columns:
        flag = eligibility.set_index("ags")["advisory_council"].reindex(drawn["ags"])
        words = {True: translate(CENSUS_TEXTS["council_yes"]),
                 False: translate(CENSUS_TEXTS["council_no"])}
        props["abr"] = [html_text(words[bool(v)]) if pd.notna(v) else "" for v in flag]


def _gemeinde_properties(drawn: gpd.GeoDataFrame, in_selection: np.ndarray, *,
                         eligibility: pd.DataFrame | None, members: pd.DataFrame | None,
                         unplaced: pd.DataFrame | None, census: bool = False
                         ) -> pd.DataFrame:
    """Properties of the shared Gemeinden features, one style key per layer.

    A style key is "" where a layer does not draw the Gemeinde (outside the Kreis
    selection, not a member, not unplaced). ``census`` adds the foreign-share layer's.
    """
    props = pd.DataFrame({
        "ags": drawn["ags"].map(html_text),
        "name": drawn["name"].map(html_text),
        "kreis": drawn["kreis_name"].map(html_text),
        "pop": drawn["population"].map(_number),
        "s_p": _population_keys(drawn["population"]).where(in_selection, ""),
    }, index=drawn.index)
    if eligibility is not None:
        _eligibility_properties(props, drawn, in_selection, eligibility)
    if census:
        _census_properties(props, drawn, in_selection, eligibility)
    if members is not None:
        joined = props[["ags"]].merge(members, on="ags", how="left").astype(object)
        # object first: with no member at all the joined columns are float NaN
        joined = joined.where(joined.notna(), "")
        joined.index = props.index
        for column in ("verbund", "firm", "members", "cpop", "ckreis", "border", "s_c"):
            props[column] = joined[column]
        # members outside the selected Kreise are drawn veiled (partners across the border)
        outside = (props["s_c"] != "") & ~in_selection
        props.loc[outside, "s_c"] = props.loc[outside, "s_c"] + "o"
    if unplaced is not None:
        u = _with_reason(unplaced).assign(ags=unplaced["ags"].astype(str)).set_index(
            "ags").reindex(drawn["ags"])
        u.index = drawn.index
        placed_out = u["reason_code"].isna() | ~in_selection
        props["code"] = u["reason_code"].map(html_text)
        props["reason"] = u["reason"].map(html_text)
        props["s_u"] = np.where(placed_out, "", "u")
    return props


def _with_reason(unplaced: pd.DataFrame) -> pd.DataFrame:
    """The unplaced table with ``reason`` in words (given, or from code and figures)."""
    if "reason" in unplaced.columns:
        return unplaced
    figures = unplaced["reason_figures"] if "reason_figures" in unplaced.columns else \
        pd.Series([{}] * len(unplaced), index=unplaced.index)
    return unplaced.assign(reason=[reason_text(c, f) for c, f in
                                   zip(unplaced["reason_code"], figures, strict=True)])


def _eligibility_properties(props: pd.DataFrame, drawn: gpd.GeoDataFrame,
                            in_selection: np.ndarray, eligibility: pd.DataFrame) -> None:
    """Add class label, funding and serving centre (the eligibility tooltip) to ``props``."""
    e = eligibility.set_index("ags").reindex(drawn["ags"])
    e.index = drawn.index
    funded = e["funded"].fillna(False).astype(bool)
    when = [", ".join(x for x in (html_text(r), html_text(y)) if x)
            for r, y in zip(e["funded_round"], e["funded_years"], strict=True)]
    yes, no = YES_NO.label("yes"), YES_NO.label("no")
    props["elig"] = e["eligibility"].map(
        lambda c: html_text(ELIGIBILITY.label(c) if c in ELIGIBILITY else c))
    props["funded"] = [(w or yes) if f else no for f, w in zip(funded, when, strict=True)]
    props["centre"] = [f"{html_text(n)} ({km(float(d))})" if html_text(n) and pd.notna(d)
                       else html_text(n)
                       for n, d in zip(e["centre_name"], e["centre_distance_km"], strict=True)]
    props["s_e"] = e["eligibility"].astype(str).where(in_selection, "")
    if "near_threshold" in e.columns:  # optional: "knapp unter 10.000", "knapp über 10.000"
        near = near_threshold_mask(e) & in_selection
        props["near"] = np.where(near, _near_words(e["near_threshold"]), "")
        props["s_n"] = np.where(near, "n", "")


def _near_words(flag: pd.Series) -> pd.Series | str:
    """What the tooltip says of a Gemeinde near a threshold (its code, or a truth value)."""
    if flag.dtype == bool or str(flag.dtype) == "boolean":
        return translate(LEGEND_LABELS["near_threshold"])
    return flag.fillna("").astype(str).map(lambda code: html_text(near_threshold_label(code)))


def near_threshold_mask(e: pd.DataFrame) -> pd.Series:
    """Gemeinden flagged near a threshold: a code (``"below_10000"``) or a truth value."""
    flag = e["near_threshold"]
    if flag.dtype == bool or str(flag.dtype) == "boolean":
        return flag.fillna(False).astype(bool)
    return flag.fillna("").astype(str).str.len() > 0


def _gemeinden_data(m: folium.Map, drawn: gpd.GeoDataFrame, props: pd.DataFrame
                    ) -> _FeatureData:
    """Write the Gemeinden into the page once, for every layer that draws them."""
    return _added(_FeatureData(_features(drawn, props, sparse=SPARSE_COLUMNS)), m)


# ------------------------------------------------------- layers of Gemeinden


def _fields(*keys: str) -> list[str]:
    """Tooltip row names (:data:`~wirgeo.maps.styles.FIELD_LABELS`), escaped."""
    return [html_text(translate(FIELD_LABELS[k], FIELD_CONTEXT)) for k in keys]


def _add_population(m: folium.Map, data: _FeatureData, show: bool) -> Legend:
    group = _group(m, "population", show)
    classes = population_classes()
    styles = {key: {**AREA_STYLE, "fillColor": colour} for key, colour, _ in classes}
    _View(data, "s_p", styles, pane="wirgeo-areas", class_name="wirgeo-population",
          tooltip=_tooltip(["name", "ags", "kreis", "pop"],
                           _fields("gemeinde", "ags", "kreis", "population"))
          ).add_to(group)
    note = translate(LEGEND_NOTES["population"]).format(low=number(_KIV.single_min),
                                                        high=number(_KIV.single_max))
    legend = _legend_section(translate(LEGEND_TITLES["population"]),
                             [(_swatch(c), html_text(label)) for _, c, label in classes],
                             note=note)
    return group, legend


def _add_eligibility(m: folium.Map, data: _FeatureData, counts: Mapping[str, int],
                     show: bool, near: int = 0) -> Legend:
    group = _group(m, "eligibility", show)
    styles = {c: {**AREA_STYLE, "fillColor": ELIGIBILITY_COLOURS[c]} for c in ELIGIBILITY.codes}
    fields = ["name", "ags", "kreis", "pop", "elig", "funded", "centre"]
    aliases = _fields("gemeinde", "ags", "kreis", "population", "kiv", "funded", "centre")
    if near:
        fields, aliases = fields + ["near"], aliases + _fields("near")
    _View(data, "s_e", styles, pane="wirgeo-areas", class_name="wirgeo-eligibility",
          tooltip=_tooltip(fields, aliases)).add_to(group)
    # the labels of the vocabulary, so the legend speaks as the tooltips do
    rows = [(_swatch(ELIGIBILITY_COLOURS[c]), f"{html_text(ELIGIBILITY.label(c))} ({counts[c]})")
            for c in ELIGIBILITY.codes if counts.get(c)]
    if near:
        _View(data, "s_n", {"n": {**NEAR_THRESHOLD_STYLE, "fill": False}},
              pane="wirgeo-lines", class_name="wirgeo-near-threshold",
              interactive=False).add_to(group)
        rows.append((_swatch("transparent", line=str(NEAR_THRESHOLD_STYLE["color"]),
                             dash=True),
                     f"{html_text(translate(LEGEND_LABELS['near_threshold']))} ({near})"))
    return group, _legend_section(translate(LEGEND_TITLES["eligibility"]), rows)


def _add_foreign_share(m: folium.Map, data: _FeatureData, show: bool,
                       council: bool) -> Legend:
    """The Gemeinden by their share of foreign nationals (Zensus 2022), withheld apart."""
    group = _group(m, "foreign_share", show)
    classes = foreign_share_classes()
    styles = {key: {**AREA_STYLE, "fillColor": colour} for key, colour, _ in classes}
    styles["na"] = {**AREA_STYLE, **NO_DATA_STYLE}
    words = {key: translate(message) for key, message in CENSUS_TEXTS.items()}
    fields = ["name", "kreis", "fs", "fr", "ms", "u18", "o60"] + (["abr"] if council
                                                                  else [])
    aliases = [*_fields("gemeinde", "kreis"), *(html_text(words[k]) for k in (
        "share", "residents", "migration", "under18", "over60",
        *(("council",) if council else ())))]
    _View(data, "s_f", styles, pane="wirgeo-areas", class_name="wirgeo-foreign-share",
          tooltip=_tooltip(fields, aliases)).add_to(group)
    rows = [(_swatch(colour, line=str(NO_DATA_STYLE["color"]), dash=True) if key == "na"
             else _swatch(colour), html_text(label)) for key, colour, label in classes]
    legend = _legend_section(words["legend"], rows, note=words["note"])
    return group, legend


def _consortium_styles() -> dict[str, dict[str, Any]]:
    """Member styles by key: ``c<i>`` colour i, ``c<i>o`` the same outside the selection."""
    styles = {}
    for k, colour in enumerate(GROUP_COLOURS):
        styles[f"c{k}"] = {**CONSORTIUM_STYLE, "fillColor": colour}
        styles[f"c{k}o"] = {**CONSORTIUM_STYLE, **OUTSIDE_STYLE, "color": colour}
    return styles


def _add_consortia(m: folium.Map, data: _FeatureData, dissolved: gpd.GeoDataFrame,
                   show: bool, used: Sequence[int], firm: bool) -> Legend:
    group = _group(m, "consortia", show, len(dissolved))
    fields = ["name", "pop", "verbund"] + (["firm"] if firm else []) + \
        ["members", "cpop", "ckreis", "border"]
    aliases = _fields("gemeinde", "population", "verbund", *(["firm"] if firm else []),
                      "members", "cpop", "kreis", "border")
    _View(data, "s_c", _consortium_styles(), pane="wirgeo-groups",
          class_name="wirgeo-consortia", tooltip=_tooltip(fields, aliases)).add_to(group)
    if len(dissolved):
        _line_view(group, outlines(dissolved.geometry), "consortia-outline",
                   CONSORTIUM_OUTLINE)
    if not len(dissolved):
        return group, ""
    # exactly the colours drawn, in palette order
    legend = _legend_section(translate(LEGEND_TITLES["consortia"]), [
        ("".join(_swatch(GROUP_COLOURS[c]) for c in sorted(set(used))),
         f"{number(len(dissolved))} {html_text(translate(LEGEND_LABELS['consortia']))}")],
        note=translate(LEGEND_NOTES["consortia"]))
    return group, legend


def _add_unplaced(m: folium.Map, data: _FeatureData, count: int, show: bool) -> Legend:
    group = _group(m, "unplaced", show, count)
    if not count:
        return group, ""
    _View(data, "s_u", {"u": UNPLACED_STYLE}, pane="wirgeo-groups",
          class_name="wirgeo-unplaced",
          tooltip=_tooltip(["name", "ags", "kreis", "pop", "code", "reason"],
                           _fields("not_placed", "ags", "kreis", "population", "code",
                                   "reason"))).add_to(group)
    legend = _legend_section(translate(LEGEND_TITLES["unplaced"]), [
        (_swatch(str(UNPLACED_STYLE["fillColor"]), line=UNPLACED_COLOUR, dash=True),
         f"{html_text(translate(LEGEND_LABELS['unplaced']))} ({number(count)})")],
        note=translate(LEGEND_NOTES["unplaced"]))
    return group, legend


# ------------------------------------------------------------------- Verbünde


def _consortia_touching(consortia: pd.DataFrame, kreise: Sequence[str]) -> pd.DataFrame:
    """The Verbünde with a member in one of ``kreise`` (all of them when none are given)."""
    if not kreise:
        return consortia
    touches = [any(a[:5] in kreise for a in members) for members in consortia["member_ags"]]
    return consortia[touches]


def _consortium_members(consortia: pd.DataFrame, everything: gpd.GeoDataFrame,
                        colours: Mapping[str, int]
                        ) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """One row per member (tooltip texts, colour key ``s_c``) and the dissolved groups.

    ``colours`` gives each consortium id its palette index (:mod:`wirgeo.maps.colouring`,
    computed on the whole plan so a Verbund keeps its colour in every view).
    """
    by_ags = everything.set_index("ags")
    members: list[dict[str, Any]] = []
    groups, ids = [], []
    for i, c in enumerate(consortia.itertuples(index=False)):
        ags = list(c.member_ags)
        unknown = [a for a in ags if a not in by_ags.index]
        if unknown or not ags:
            raise InputError(_("consortia table"), _("consortium {consortium_id!r} has member "
                                                     "AGS {ags} not among the "
                                                     "municipalities").format(
                                 consortium_id=c.consortium_id,
                                 ags=", ".join(unknown) or _("(none)")),
                             row=i + 1, column="member_ags",
                             fix=_("build consortia and map from the same municipalities"))
        colour = colours.get(str(c.consortium_id), 0)
        members += [{"ags": a, **_verbund_tooltip(c, ags, by_ags),
                     "s_c": f"c{colour}"} for a in ags]
        groups.append(shapely.coverage_union_all(by_ags.loc[ags, "geometry"].to_numpy()))
        ids.append(html_text(c.consortium_id))
    dissolved = gpd.GeoDataFrame({"verbund": ids, "colour": [
        colours.get(str(c), 0) for c in consortia["consortium_id"]]},
        geometry=groups, crs=everything.crs)
    table = pd.DataFrame(members, columns=["ags", "verbund", "firm", "members", "cpop",
                                           "ckreis", "border", "s_c"])
    if table["ags"].duplicated().any():
        twice = table.loc[table["ags"].duplicated(), "ags"].iloc[0]
        raise InputError(_("consortia table"), _("AGS {ags} is a member of two consortia")
                         .format(ags=twice),
                         column="member_ags", fix=_("each Gemeinde joins at most one Verbund"))
    return table, dissolved


def _verbund_tooltip(consortium: Any, ags: list[str], by_ags: pd.DataFrame
                     ) -> dict[str, str]:
    """The tooltip texts every member of one Verbund shows (a row of the consortia table)."""
    listing = "<br>".join(f"{html_text(by_ags.at[a, 'name'])} "
                          f"({_number(by_ags.at[a, 'population'])})" for a in ags)
    border = consortium.shared_border_km
    # optional column (plan flexibility): firm, flexible, locked or not settled
    flexibility = str(getattr(consortium, "flexibility", ""))
    return {"verbund": html_text(consortium.consortium_id), "members": listing,
            "firm": html_text(FLEXIBILITY.label(flexibility)) if flexibility in FLEXIBILITY
            else "",
            "cpop": _number(consortium.population),
            "ckreis": html_text(", ".join(consortium.kreis_names)),
            "border": km(float(border)) if pd.notna(border) else ""}


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
            name=frame["name"].map(html_text),
            pop=frame["population"].map(_number)
        ).drop(columns="population")
        data = _added(_FeatureData(_features(frame, props)), group)
        _View(data, "s", GRANTEE_STYLES, pane="wirgeo-grantees", class_name="wirgeo-grantees",
              highlight=GRANTEE_HIGHLIGHT,
              tooltip=_tooltip(["name", "round", "years"],
                               _fields("grantee", "round", "years")),
              popup=_popup(["name", "pop", "round", "years", "project", "amount", "verbund",
                            "source"],
                           _fields("gemeinde", "population", "round", "years", "project",
                                   "amount", "verbund", "source"))).add_to(group)
    if not len(table):
        return group, ""
    rows_legend = [(_swatch("transparent", line=ROUND_STYLES[int(k[1:])]["color"],
                            dash="dashArray" in ROUND_STYLES[int(k[1:])]),
                    html_text(ROUNDS.label(r) if r in ROUNDS else r))
                   for r, k in key.items()]
    return group, _legend_section(translate(LEGEND_TITLES["grantees"]), rows_legend,
                                  note=translate(LEGEND_NOTES["grantees"]))


def _grantee_table(rows: pd.DataFrame, key: Mapping[str, str]) -> pd.DataFrame:
    """One row per funded Gemeinde (several rounds joined by " / "), style key by round."""
    per_ags = []
    for ags, g in rows.groupby("ags", sort=True):
        first = g["round"].iloc[0]
        per_ags.append({
            "ags": ags,
            "round": " / ".join(html_text(r) for r in g["round"]),
            "years": " / ".join(html_text(y) for y in g["years"]),
            "project": " / ".join(html_text(p) for p in g["project"]),
            "amount": " / ".join(f"{_number(a)} EUR" if pd.notna(a)
                                 else html_text(translate(FIELD_LABELS["unknown_amount"],
                                                      FIELD_CONTEXT))
                                 for a in g["amount_eur"]),
            "verbund": " / ".join(html_text(c) for c in g["consortium_id"] if html_text(c)) or "—",
            "source": " ".join(_link(u) for u in g["source_url"]),
            "s": key[str(first)] if pd.notna(first) else "r?",
        })
    return pd.DataFrame(per_ags, columns=["ags", "round", "years", "project", "amount",
                                          "verbund", "source", "s"])


def _add_centres(m: folium.Map, centres: gpd.GeoDataFrame, show: bool) -> Legend:
    group = _group(m, "centres", show, len(centres))
    if len(centres):
        frame = centres.to_crs(4326)
        address = [", ".join(p for p in (html_text(s), " ".join(
            x for x in (html_text(pc), html_text(t)) if x)) if p)
            for s, pc, t in zip(frame["street"], frame["postcode"], frame["town"],
                                strict=True)]
        precise = frame["location_precision"].astype(str).eq("address").to_numpy()
        props = pd.DataFrame({
            "name": frame["name"].map(html_text).to_numpy(),
            "org": frame["organisation"].map(html_text).to_numpy(),
            "address": address,
            "precision": np.where(precise, html_text(LOCATION_PRECISION.label("address")),
                                  html_text(LOCATION_PRECISION.label("town"))),
            "status": frame["status"].map(
                lambda v: html_text(CENTRE_STATUS.label(v) if v in CENTRE_STATUS else v)
            ).to_numpy(),
            "source": frame["source_url"].map(_link).to_numpy(),
            "s": np.where(precise, "address", "town"),
        })
        points = gpd.GeoDataFrame(geometry=rounded(frame.geometry.to_numpy()), crs=4326)
        data = _added(_FeatureData(_features(points, props)), group)
        _View(data, "s", CENTRE_STYLES, pane="wirgeo-points", class_name="wirgeo-centres",
              point="circle", point_radius=CENTRE_RADIUS, highlight=CENTRE_HIGHLIGHT,
              tooltip=_tooltip(["name"], _fields("centre_short")),
              popup=_popup(["name", "org", "address", "precision", "status", "source"],
                           _fields("centre_short", "org", "address", "location", "status",
                                   "source"))).add_to(group)
    if not len(centres):
        return group, ""
    legend = _legend_section(translate(LEGEND_TITLES["centres"]), [
        (_swatch(str(style["fillColor"]), line=str(style["color"]), shape="dot"),
         html_text(translate(CENTRE_LABELS[key])))
        for key, style in CENTRE_STYLES.items()], note=translate(LEGEND_NOTES["centres"]))
    return group, legend


# ------------------------------------------------------------- boundaries


def _add_kreise(m: folium.Map, shown: gpd.GeoDataFrame, everything: gpd.GeoDataFrame,
                show: bool, avoid: np.ndarray | None = None) -> folium.FeatureGroup:
    """Kreis borders of the selection, with the full official names inside each Kreis.

    ``avoid`` (WGS84 points, e.g. the centre markers) keeps the names off those places.
    """
    group = _group(m, "kreise", show)
    polygons = dissolve(shown, "kreis_ags")
    _line_view(group, outlines(polygons.geometry), "kreise", KREIS_LINE)
    labels = _kreis_labels(polygons["kreis_ags"], everything)
    points = gpd.GeoDataFrame(geometry=label_points(polygons, avoid=avoid), crs=4326)
    data = _added(_FeatureData(_features(points, pd.DataFrame(labels))), group)
    _View(data, "s", {"label": {}}, pane="wirgeo-labels", class_name="wirgeo-kreis-labels",
          interactive=False, point="label").add_to(group)
    return group


def _kreis_labels(keys: Iterable[str], everything: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """Label text (the official name, "Landkreis Kassel" beside "Kassel") and CSS class."""
    kreise = everything.drop_duplicates("kreis_ags").set_index("kreis_ags")
    city = kreise["status"].eq("kreisfreie_stadt")
    return [{"label": html_text(kreise.at[kreis, "kreis_name"]),
             "label_class": "wirgeo-label wirgeo-kreis wirgeo-city" if city[kreis]
             else "wirgeo-label wirgeo-kreis", "rank": "0", "s": "label"}
            for kreis in keys]


def _add_names(m: folium.Map, drawn: gpd.GeoDataFrame, dissolved: gpd.GeoDataFrame | None,
               in_selection: np.ndarray, on_dark: np.ndarray | None = None
               ) -> folium.FeatureGroup:
    """Names of the Gemeinden and ids of the Verbünde, shown from Kreis zoom on.

    The page hides a label that would overlap one with a higher rank (Kreis names, then
    Verbund ids, then Gemeinden by population), after every zoom or pan. Names on a dark
    Verbund colour (``on_dark``) are written light on dark.
    """
    group = _group(m, "labels", True)
    order = np.argsort(-drawn["population"].to_numpy(), kind="stable")
    dark = np.zeros(len(drawn), dtype=bool) if on_dark is None else on_dark
    rows = []
    for rank, i in enumerate(order):
        css = "wirgeo-label wirgeo-name" + (" wirgeo-outside" if not in_selection[i] else
                                            " wirgeo-on-dark" if dark[i] else "")
        rows.append({"label": html_text(drawn["name"].iloc[i]), "label_class": css,
                     "rank": str(10_000 + rank), "s": "label"})
    names = label_points(drawn)[order]
    frames = [gpd.GeoDataFrame(pd.DataFrame(rows), geometry=names, crs=4326)]
    if dissolved is not None and len(dissolved):
        frames.append(gpd.GeoDataFrame(pd.DataFrame({
            "label": dissolved["verbund"].to_numpy(),
            "label_class": "wirgeo-label wirgeo-verbund-id",
            "rank": [str(1_000 + k) for k in range(len(dissolved))], "s": "label"}),
            geometry=label_points(dissolved, avoid=names, clearance_m=1200.0), crs=4326))
    points = pd.concat(frames, ignore_index=True)
    data = _added(_FeatureData(_features(points, points.drop(columns="geometry"))), group)
    _View(data, "s", {"label": {}}, pane="wirgeo-labels", class_name="wirgeo-names",
          interactive=False, point="label").add_to(group)
    return group


def _add_regions(m: folium.Map, shown: gpd.GeoDataFrame, show: bool) -> folium.FeatureGroup:
    """Regierungsbezirk borders of the selection."""
    group = _group(m, "regierungsbezirke", show)
    with_rbz = shown[shown["rbz_ags"].notna()]
    if len(with_rbz):
        _line_view(group, outlines(dissolve(with_rbz, "rbz_ags").geometry),
                   "regierungsbezirke", REGION_LINE)
    return group
