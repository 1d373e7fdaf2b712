"""Everything a wirgeo map looks like: layers, titles, colours, line styles, labels, CSS.

Every colour, line style and legend text of the planning map and the comparison map is
defined here and nowhere else, so another rendering of the same layers (a print map)
can share them and a change of palette is one edit. The texts are English message ids
(marked ``N_``) said in the reader's language where a map is drawn
(:func:`wirgeo.core.i18n.translate`).

The palettes are chosen to stay distinguishable with the common colour-vision
deficiencies: Okabe–Ito for the eligibility classes and outcomes, viridis for
population, blues and purples from Paul Tol's schemes for the Verbünde, and dash patterns
as well as colours for the grantee rounds.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> with speaking("de"):
...     LAYERS[0], translate(LAYER_TITLES["consortia"])
('eligibility', 'Vorgeschlagene Verbünde')
>>> with speaking("de"):
...     [label for _, _, label in population_classes()][:3]
['unbewohnt', 'unter 1.000', '1.000 – 2.499']
"""

from __future__ import annotations

import branca.colormap
from markupsafe import Markup

from wirgeo.core.i18n import N_, NP_, number, percent, translate
from wirgeo.rules import KivRules

__all__ = [
    "LAYERS", "LAYER_TITLES", "MAP_TITLE", "MAP_SUBTITLE", "LEGEND_TITLES", "LEGEND_NOTES",
    "LEGEND_LABELS", "COMPARISON_TITLES", "ELIGIBILITY_COLOURS", "OUTCOME_COLOURS",
    "UNCHANGED_COLOUR", "UNCHANGED_LINE", "UNINHABITED_COLOUR", "POPULATION_BINS",
    "population_classes", "GROUP_COLOURS", "ROUND_STYLES", "UNKNOWN_ROUND_STYLE", "GRANTEE_STYLES",
    "CHANGED_STYLE", "UNPLACED_COLOUR", "UNPLACED_STYLE", "AREA_STYLE", "HIGHLIGHT",
    "PLAN_CHANGE_COLOURS", "PLAN_OUTLINES",
    "CONSORTIUM_STYLE", "CONSORTIUM_OUTLINE", "KREIS_LINE", "REGION_LINE", "CENTRE_STYLES",
    "CENTRE_LABELS", "CENTRE_HIGHLIGHT", "CENTRE_RADIUS", "GRANTEE_HIGHLIGHT", "SWATCH_BORDER",
    "PANES", "CSS", "BASE_MAP", "TILE_NOTE", "FIELD_LABELS", "FIELD_CONTEXT", "UNPLACED_HATCH",
    "NEAR_THRESHOLD_STYLE", "OUTSIDE_STYLE", "FOREIGN_SHARE_BINS", "foreign_share_classes",
    "NO_DATA_STYLE", "CENSUS_TEXTS",
]

# ------------------------------------------------------------------ layers

#: Layer keys, in the order they appear in the layer control.
LAYERS = ("eligibility", "population", "foreign_share", "consortia", "unplaced", "grantees",
          "centres", "kreise", "regierungsbezirke")

#: Name of each layer in the layer control (a count in brackets may follow).
LAYER_TITLES = {
    "eligibility": N_("Gemeinden: KIV eligibility"),
    "population": N_("Gemeinden: population"),
    "foreign_share": N_("Gemeinden: foreign nationals (Zensus 2022)"),
    "consortia": N_("Suggested consortia"),
    "unplaced": N_("Small Gemeinden left unplaced"),
    "grantees": N_("KIV grantees"),
    "centres": N_("WIR-Vielfaltszentren"),
    "kreise": N_("Kreise"),
    "regierungsbezirke": N_("Regierungsbezirke"),
    "labels": N_("Gemeinde names"),
}

#: Name of the base map in the layer control, and the note shown when its tiles fail.
BASE_MAP = N_("Base map")
TILE_NOTE = N_("Base map unavailable (offline?) – every layer of this map is inside the file "
               "and complete.")

#: Title and subtitle of the planning map; ``selection`` names the Kreise or the state,
#: the numbers and the date come formatted for the language (:mod:`wirgeo.core.i18n`).
MAP_TITLE = N_("WIR – Vielfalt und Teilhabe: planning map {selection}")
MAP_SUBTITLE = N_("{gemeinden} · {inhabitants} inhabitants · population {date}")

# The default rules give the thresholds the population classes show; the map itself draws
# the data it is given, whatever rules produced it.
_KIV = KivRules()

#: Heading of each legend section (layers without a legend have none).
LEGEND_TITLES = {
    "legend": N_("Legend"),
    "eligibility": N_("KIV eligibility"),
    "population": N_("Population"),
    "consortia": N_("Suggested consortia"),
    "unplaced": N_("Left unplaced"),
    "grantees": N_("KIV grantees"),
    "centres": N_("WIR-Vielfaltszentren"),
    "kreise": N_("Borders"),
}

#: The line under a legend section: what the thresholds mean, what hovering shows;
#: ``{low}`` and ``{high}`` are the KIV thresholds, formatted for the language.
LEGEND_NOTES = {
    "population": N_("{low} and {high} are the KIV thresholds"),
    "consortia": N_("each colour one consortium of 2–3 Gemeinden, outlined; touching consortia "
                    "never share a colour; hover for the Gemeinde and its consortium"),
    "unplaced": N_("hover for the reason"),
    "grantees": N_("outlined; click for project and source"),
    "centres": N_("click a centre for organisation and source"),
}

#: Texts of legend rows that are not a class of the data (counts follow in brackets).
LEGEND_LABELS = {
    "consortia": N_("consortia"),
    "unplaced": N_("small Gemeinde without consortium"),
    "near_threshold": N_("just below or above a KIV threshold"),
    "outside": N_("outside the selection (partner in a consortium)"),
    "kreis": N_("Kreis border"),
    "verbund": N_("consortium (outline)"),
    "unchanged": N_("unchanged"),
    "empty": N_("none in this selection"),
    "uninhabited": N_("uninhabited"),
    "under": N_("under {high}"),
    "range": N_("{low} – {high}"),
    "more": N_("{low} and more"),
}

#: The context of the tooltip and popup rows' names ("Population" is *Einwohner* there).
FIELD_CONTEXT = "map field"
#: Names of the tooltip and popup rows (say them with ``translate(…, FIELD_CONTEXT)``).
FIELD_LABELS = {
    "gemeinde": NP_("map field", "Gemeinde"),
    "ags": NP_("map field", "AGS"),
    "kreis": NP_("map field", "Kreis"),
    "population": NP_("map field", "Population"),
    "kiv": NP_("map field", "KIV"),
    "funded": NP_("map field", "Funded"),
    "centre": NP_("map field", "WIR-Vielfaltszentrum"),
    "verbund": NP_("map field", "Consortium"),
    "members": NP_("map field", "Members"),
    "cpop": NP_("map field", "Combined population"),
    "border": NP_("map field", "Shared border"),
    "firm": NP_("map field", "Plan"),
    "not_placed": NP_("map field", "Not placed"),
    "code": NP_("map field", "Reason code"),
    "reason": NP_("map field", "Reason"),
    "grantee": NP_("map field", "KIV grantee"),
    "round": NP_("map field", "Round"),
    "years": NP_("map field", "Years"),
    "project": NP_("map field", "Project"),
    "amount": NP_("map field", "Amount"),
    "source": NP_("map field", "Source"),
    "centre_short": NP_("map field", "Centre"),
    "org": NP_("map field", "Organisation"),
    "address": NP_("map field", "Address"),
    "location": NP_("map field", "Location"),
    "status": NP_("map field", "Status"),
    "near": NP_("map field", "Note"),
    "unknown_amount": NP_("map field", "not known"),
}

#: Layer names of the comparison map.
COMPARISON_TITLES = {
    "unchanged": N_("Unchanged Gemeinden"),
    "changes": N_("Outcome changes"),
}

# ------------------------------------------------------------ classes

#: Colours of the eligibility classes (:data:`wirgeo.vocabulary.ELIGIBILITY`):
#: Okabe–Ito, a palette that stays distinguishable with the common colour-vision deficiencies.
ELIGIBILITY_COLOURS = {
    "eligible_single": "#009E73",
    "verbund_needed": "#E69F00",
    "not_eligible_large": "#0072B2",
    "not_eligible_status": "#CC79A7",
    "uninhabited": "#BBBBBB",
}

#: Colours of the outcome codes of :data:`wirgeo.vocabulary.OUTCOMES` (Okabe–Ito).
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

#: Colours of how a Gemeinde's place differs between two plan documents
#: (:data:`wirgeo.planning.negotiation.GEMEINDE_CHANGES`; Paul Tol's muted palette).
PLAN_CHANGE_COLOURS = {
    "joined": "#117733",
    "regrouped": "#88CCEE",
    "left": "#CC6677",
    "declined": "#882255",
    "returned": "#DDCC77",
}
#: Outlines of the Verbünde of the first (dashed) and the second plan document.
PLAN_OUTLINES = {
    "a": {"color": "#332288", "weight": 2.5, "opacity": 1, "fill": False,
          "dashArray": "6 4"},
    "b": {"color": "#000000", "weight": 1.6, "opacity": 1, "fill": False},
}

#: How the Verbünde of a plan document are outlined, by status
#: (:data:`wirgeo.vocabulary.PLAN_STATUS`): open talks dashed, decisions solid and thicker;
#: a refused group only as a grey dotted ring (it places nobody, its members may be in
#: another Verbund).
PLAN_STATUS_OUTLINES: dict[str, dict[str, str | float]] = {
    "proposed": {"color": "#000000", "weight": 1.3, "opacity": 1, "dashArray": "6 4"},
    "in_talks": {"color": "#000000", "weight": 2.0, "opacity": 1, "dashArray": "2 3"},
    "agreed": {"color": "#000000", "weight": 2.6, "opacity": 1},
    "applied": {"color": "#000000", "weight": 3.2, "opacity": 1},
    "funded": {"color": "#000000", "weight": 4.0, "opacity": 1},
    "rejected": {"color": "#555555", "weight": 2.0, "opacity": 1, "dashArray": "1 4"},
}
#: A Verbund of a plan document that breaks a rule: no Verbund colour but a pale red
#: fill under a thick red ring, so it never reads as an ordinary Verbund.
INVALID_COLOUR = "#FFD6D1"
INVALID_LINE = "#D50000"
INVALID_STYLE = {"color": "#ffffff", "weight": 0.8, "opacity": 0.9, "fillOpacity": 0.95,
                 "fillColor": INVALID_COLOUR}
INVALID_OUTLINE = {"color": INVALID_LINE, "weight": 4, "opacity": 1}
#: A Gemeinde that takes no part (``declined``): white with a dark dotted ring.
DECLINED_COLOUR = "#FFFFFF"
DECLINED_STYLE = {"color": "#222222", "weight": 2.2, "opacity": 1, "dashArray": "1 3",
                  "fillColor": DECLINED_COLOUR, "fillOpacity": 0.95}

#: Fill of the Gemeinden whose outcome does not change (comparison map).
UNCHANGED_COLOUR = "#F2F2F0"
UNCHANGED_LINE = "#999999"  # its legend swatch, outlined to show on white

#: Fill of uninhabited Gemeinden (gemeindefreie Gebiete) on the population layer.
UNINHABITED_COLOUR = "#BBBBBB"

#: Lower bounds of the population classes; the KIV thresholds (10,000 and 50,000 under the
#: default rules) are class borders.
POPULATION_BINS = (1, 1_000, 2_500, 5_000, _KIV.single_min, 20_000, _KIV.single_max,
                   100_000)


def population_classes() -> tuple[tuple[str, str, str], ...]:
    """(key, colour, label) of each population class, "none" (uninhabited) first.

    The legend rows of the population layer, labels in the active language; ``p<i>`` is
    the class starting at ``POPULATION_BINS[i]``.

    Colours come from a branca step colormap sampled from viridis (perceptually even
    steps, readable with colour-vision deficiencies), light = few inhabitants.
    """
    bins = list(POPULATION_BINS)
    # branca sets its schemes as instance attributes at run time: mypy cannot see them
    viridis = vars(branca.colormap.linear)["viridis"].scale(0, len(bins) - 1)
    colours = [viridis.rgb_hex_str(len(bins) - 1 - i) for i in range(len(bins))]
    cmap = branca.colormap.StepColormap(colours, index=bins + [bins[-1] * 100],
                                        vmin=bins[0], vmax=bins[-1] * 100)
    def words(key: str) -> str:
        return translate(LEGEND_LABELS[key])

    rows = [("none", UNINHABITED_COLOUR, words("uninhabited"))]
    for i, low in enumerate(bins):
        high = bins[i + 1] if i + 1 < len(bins) else None
        label = (words("under").format(high=number(high)) if low == 1 and high else
                 words("range").format(low=number(low), high=number(high - 1))
                 if high else words("more").format(low=number(low)))
        rows.append((f"p{i}", cmap.rgb_hex_str(low), label))
    return tuple(rows)


#: Lower bounds (percent) of the classes of the foreign share (Zensus 2022); Hessen's
#: Gemeinden range from 2 % to 38 %, half of them under 9.5 %.
FOREIGN_SHARE_BINS = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)

#: A Gemeinde without a Zensus figure (withheld, or no row): white, a dashed grey outline,
#: never a colour of the scale.
NO_DATA_STYLE = {"fillColor": "#FFFFFF", "fillOpacity": 0.75, "color": "#777777",
                 "weight": 1, "dashArray": "2 3"}

#: Words of the foreign-share layer (messages of the catalogs; ``{low}``/``{high}`` are
#: percentages formatted for the language).
CENSUS_TEXTS = {
    "legend": N_("Foreign nationals (Zensus 2022)"),
    "note": N_("share of the inhabitants at the census of 15.05.2022 (Statistische Ämter "
               "des Bundes und der Länder, Zensus 2022); hover for the indicators. "
               "Ausländerbeirat: an estimate, not a legal determination"),
    "no_data": N_("no data (keine Angabe: withheld or not in the table)"),
    "under": N_("under {high}"),
    "range": N_("{low} to under {high}"),
    "more": N_("{low} and more"),
    "share": N_("Foreign nationals"),
    "residents": N_("Foreign residents (estimate)"),
    "migration": N_("Migration background"),
    "under18": N_("Under 18"),
    "over60": N_("60 and older"),
    "council": N_("Ausländerbeirat (§ 84 HGO)"),
    "council_yes": N_("likely required (estimate)"),
    "council_no": N_("not required by the estimate"),
}


def foreign_share_classes() -> tuple[tuple[str, str, str], ...]:
    """(key, colour, label) of each foreign-share class; "none" uninhabited, "na" no data.

    Labels in the active language. Colours: ColorBrewer's YlGnBu, a sequential scheme
    safe for colour-vision deficiencies and unlike the viridis of the population layer.
    """
    bins = list(FOREIGN_SHARE_BINS)
    scheme = vars(branca.colormap.linear)["YlGnBu_09"].scale(0, len(bins) - 1)
    rows = [("none", UNINHABITED_COLOUR, translate(LEGEND_LABELS["uninhabited"])),
            ("na", str(NO_DATA_STYLE["fillColor"]), translate(CENSUS_TEXTS["no_data"]))]
    for i, low in enumerate(bins):
        high = bins[i + 1] if i + 1 < len(bins) else None
        share = {"low": percent(low / 100, digits=0),
                 "high": percent(high / 100, digits=0) if high is not None else ""}
        label = (translate(CENSUS_TEXTS["under"]) if i == 0 else
                 translate(CENSUS_TEXTS["range"]) if high is not None else
                 translate(CENSUS_TEXTS["more"])).format(**share)
        rows.append((f"f{i}", scheme.rgb_hex_str(i + 0.5 if i < len(bins) - 1 else i), label))
    return tuple(rows)

# ------------------------------------------------------------ areas and lines

#: Base style of Gemeinde areas (white borders, translucent fill).
AREA_STYLE = {"color": "#ffffff", "weight": 0.6, "opacity": 0.9, "fillOpacity": 0.8}

#: Gemeinden whose outcome changes (comparison map; ``fillColor`` by outcome).
CHANGED_STYLE = {**AREA_STYLE, "fillOpacity": 0.9}

#: Style of an area under the mouse.
HIGHLIGHT = {"color": "#111111", "weight": 2.5, "opacity": 1.0}

#: Verbund colours, from Paul Tol's colour-blind safe "muted" scheme: indigo, cyan, wine,
#: sand. Touching Verbünde get different ones (:mod:`wirgeo.maps.colouring`, exact graph
#: colouring; Verbünde are planar, so four suffice); any two differ by CIE76 ΔE ≥ 48, also
#: under simulated deuteranopia and protanopia, and each differs by ΔE ≥ 30 from every
#: eligibility colour a member can have, so a Verbund never reads as a class. The fifth
#: (pale grey) is a spare no real plan has needed.
GROUP_COLOURS = ("#332288", "#88CCEE", "#882255", "#DDCC77", "#EEEEEE")

#: Members of a Verbund (``fillColor`` from :data:`GROUP_COLOURS`).
CONSORTIUM_STYLE = {"color": "#ffffff", "weight": 0.8, "opacity": 0.9, "fillOpacity": 0.9}

#: Outline around each whole Verbund.
CONSORTIUM_OUTLINE = {"color": "#000000", "weight": 1.3, "opacity": 1}

#: Small Gemeinden no Verbund could take: their own "nur im Verbund" amber shows through
#: (no fill of their own, so no second orange to confuse with it), ringed by a thick dashed
#: dark-red line; the print map adds a hatch.
UNPLACED_COLOUR = "#7F2704"
UNPLACED_STYLE = {"color": UNPLACED_COLOUR, "weight": 3, "opacity": 1, "dashArray": "5 3",
                  "fill": True, "fillColor": ELIGIBILITY_COLOURS["verbund_needed"],
                  "fillOpacity": 0.0}
UNPLACED_HATCH = "////"

#: Gemeinden "knapp unter 10.000" (optional ``near_threshold`` column of eligibility):
#: a dotted dark outline on the eligibility layer.
NEAR_THRESHOLD_STYLE = {"color": "#222222", "weight": 2, "dashArray": "1 3", "opacity": 1}

#: Gemeinden outside the selected Kreise drawn for their Verbund: greyed, ringed in their
#: Verbund's colour (a paler fill of that colour would read as another class).
OUTSIDE_STYLE = {"fillColor": "#D4D4D4", "fillOpacity": 0.85, "weight": 3, "opacity": 1}

#: Grantee rounds, in the order of their names: dark outlines told apart by colour *and*
#: dash pattern (later rounds share the last style).
ROUND_STYLES = ({"color": "#000000"}, {"color": "#1F4E9C", "dashArray": "8 4"},
                {"color": "#7B2D8E", "dashArray": "2 4"}, {"color": "#444444",
                                                           "dashArray": "12 3 2 3"})

#: Grantees whose round is not known.
UNKNOWN_ROUND_STYLE = {"color": "#666666", "weight": 3, "opacity": 1, "fillOpacity": 0}

#: Grantee outlines by style key: ``r<i>`` is the i-th round (see :data:`ROUND_STYLES`),
#: ``r?`` an unknown round.
GRANTEE_STYLES = {
    **{f"r{i}": {**style, "weight": 3, "opacity": 1, "fillOpacity": 0,
                 "fillColor": style["color"]} for i, style in enumerate(ROUND_STYLES)},
    "r?": UNKNOWN_ROUND_STYLE,
}
GRANTEE_HIGHLIGHT = {"weight": 5}

#: Kreis and Regierungsbezirk borders.
KREIS_LINE = {"color": "#333333", "weight": 2.6, "opacity": 0.75}
REGION_LINE = {"color": "#7a0177", "weight": 3.5, "opacity": 0.55}

# ------------------------------------------------------------------- points

#: WIR-Vielfaltszentren by location precision: a filled dot where the street address is
#: known, a ring where the centre stands at its town's official centre point.
CENTRE_STYLES = {
    "address": {"color": "#ffffff", "weight": 2, "fillColor": "#111111", "fillOpacity": 1,
                "opacity": 1},
    "town": {"color": "#111111", "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 1,
             "opacity": 1},
}
CENTRE_LABELS = {
    "address": N_("location: street address"),
    "town": N_("location: town centre"),
}
CENTRE_RADIUS = 6
CENTRE_HIGHLIGHT = {"weight": 4}

# ------------------------------------------------------------------- page

#: Border of a legend swatch that has no line style of its own.
SWATCH_BORDER = "#999"

#: Leaflet panes keep the drawing order fixed when layers are switched off and on again:
#: (name, z-index, receives pointer events).
PANES = (
    ("wirgeo-areas", 410, True),
    ("wirgeo-groups", 420, True),
    ("wirgeo-grantees", 430, True),
    ("wirgeo-lines", 440, False),
    ("wirgeo-labels", 450, False),
    ("wirgeo-points", 620, True),
)

#: The page's CSS: title box, legend, tooltips, popups, Kreis labels (shown by zoom).
CSS = Markup("""
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
.wirgeo-label.wirgeo-kreis span { font-size: 12px; font-weight: 700; color: #111;
  letter-spacing: .2px; }
.wirgeo-label.wirgeo-city span { font-style: italic; font-weight: 600; font-size: 11px; }
.wirgeo-label.wirgeo-name span { font-size: 11px; font-weight: 500; color: #1a1a1a; }
.wirgeo-label.wirgeo-outside span { color: #666; font-style: italic; }
.wirgeo-label.wirgeo-on-dark span { color: #fff;
  text-shadow: 0 0 2px #000, 0 0 2px #000, 0 0 3px #000; }
.wirgeo-label.wirgeo-verbund-id span { font-size: 10px; font-weight: 700; color: #000;
  background: rgba(255,255,255,.82); padding: 0 3px; border-radius: 2px;
  border: 1px solid #000; text-shadow: none; }
.wirgeo-label span.wirgeo-hidden { visibility: hidden; }
.wirgeo-far .wirgeo-label:not(.wirgeo-kreis),
.wirgeo-far .wirgeo-label.wirgeo-city { display: none; }
.wirgeo-far .wirgeo-label.wirgeo-kreis span { font-size: 10px; font-weight: 600; }
.leaflet-container:not(.wirgeo-mid) .wirgeo-label.wirgeo-name,
.leaflet-container:not(.wirgeo-mid) .wirgeo-label.wirgeo-verbund-id { display: none; }
.wirgeo-near .wirgeo-label.wirgeo-kreis { display: none; }
.wirgeo-tooltip { max-width: 360px; }
.leaflet-control-attribution { max-width: 70vw; white-space: normal; }
.wirgeo-info { background: rgba(255,255,255,.94); padding: 4px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 420px; font-size: 12px; }
.wirgeo-tile-note { background: rgba(255,255,255,.9); padding: 2px 8px; border-radius: 3px;
  font-size: 11px; color: #444; max-width: 320px; }
.wirgeo-info summary { cursor: pointer; font-weight: 600; }
.wirgeo-info th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: normal;
  vertical-align: top; white-space: nowrap; }
.wirgeo-info td { padding: 1px 0; }
""")
