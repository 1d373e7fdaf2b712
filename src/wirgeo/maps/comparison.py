"""The comparison map: which Gemeinden a rule scenario changes, against the baseline.

It draws a :class:`wirgeo.planning.Comparison` without importing the planning layer
(maps sit above it only in what they are given): :class:`Comparison` below says which of
its attributes the map reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.core.i18n import _, ngettext, number, speaking, translate
from wirgeo.core.markup import html_text
from wirgeo.errors import ArgumentError
from wirgeo.maps._html import _legend_section, _number, _swatch, _tooltip
from wirgeo.maps._leaflet import _added, _FeatureData, _View
from wirgeo.maps.compose import _finish_map, _new_map
from wirgeo.maps.geometry import DEFAULT_TOLERANCE_M, display_geometry
from wirgeo.maps.layers import _add_kreise, _features
from wirgeo.maps.styles import (
    AREA_STYLE,
    CHANGED_STYLE,
    COMPARISON_TITLES,
    FIELD_CONTEXT,
    FIELD_LABELS,
    LEGEND_LABELS,
    OUTCOME_COLOURS,
    UNCHANGED_COLOUR,
    UNCHANGED_LINE,
)
from wirgeo.maps.validation import attribution
from wirgeo.rules import KivRules
from wirgeo.vocabulary import OUTCOMES
from wirgeo.wording import describe_rules

__all__ = ["comparison_map", "Changes", "draw_changes"]


class Run(Protocol):
    """What the map reads of one planning run (:class:`wirgeo.planning.Planning`)."""

    @property
    def municipalities(self) -> gpd.GeoDataFrame: ...

    @property
    def rules(self) -> KivRules: ...


class Comparison(Protocol):
    """What the map reads of a scenario comparison (:class:`wirgeo.planning.Comparison`)."""

    @property
    def baseline(self) -> str: ...

    @property
    def runs(self) -> Mapping[str, Run]: ...

    @property
    def outcomes(self) -> pd.DataFrame: ...


def comparison_map(comparison: Comparison, scenario: str, *,
                   tiles: str | None = "OpenStreetMap",
                   tolerance_m: float = DEFAULT_TOLERANCE_M,
                   lang: str | None = None) -> folium.Map:
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
    lang : str, optional
        Language of every text on the map (default: the setting,
        :func:`wirgeo.core.i18n.language`; German unless ``WIRGEO_LANG`` says otherwise).

    Raises
    ------
    ArgumentError
        ``scenario`` is not one of the comparison's runs.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import compare
    >>> cmp = compare(load_municipalities(), ["default", "mutual"])
    >>> m = comparison_map(cmp, "mutual", tiles=None)
    >>> m.get_root().title
    'Szenario „mutual“ gegenüber „default“: 26 Gemeinden ändern sich'
    >>> "26 Gemeinden change" in comparison_map(cmp, "mutual", tiles=None,
    ...                                         lang="en").get_root().title
    True
    """
    if scenario not in comparison.runs:
        raise ArgumentError("scenario", _("no scenario {scenario!r} in this comparison").format(
                                            scenario=scenario),
                            fix=_("use one of {choices}").format(
                                choices=", ".join(comparison.runs)))
    with speaking(lang):
        return _comparison_map(comparison, scenario, tiles=tiles, tolerance_m=tolerance_m)


def _comparison_map(comparison: Comparison, scenario: str, *, tiles: str | None,
                    tolerance_m: float) -> folium.Map:
    """:func:`comparison_map` in the language it speaks."""
    base = comparison.baseline
    everything = display_geometry(comparison.runs[base].municipalities, tolerance_m)
    outcome = comparison.outcomes.set_index("ags")
    before = everything["ags"].map(outcome[base])
    after = everything["ags"].map(outcome[scenario])
    changed = (before != after).to_numpy()

    labels = OUTCOMES.labels()
    change = Changes(
        key=np.where(changed, after.to_numpy(), "same"), before=before.map(labels),
        after=after.map(labels), colours=OUTCOME_COLOURS, labels=labels,
        before_title=_("Outcome: {scenario}").format(scenario=base),
        after_title=_("Outcome: {scenario}").format(scenario=scenario),
        both_title=_("Outcome (both)"),
        group_title=translate(COMPARISON_TITLES["changes"]),
        unchanged_title=translate(COMPARISON_TITLES["unchanged"]),
        legend_title=_("Outcome under '{scenario}' (changed only)").format(scenario=scenario),
        legend_note=_("compared with '{baseline}'; hover for both outcomes").format(
            baseline=base),
        unchanged_label=translate(LEGEND_LABELS["unchanged"]))
    m = _new_map(everything, tiles)
    group, legend = draw_changes(m, everything, change)
    _add_kreise(m, everything, everything, True)
    count = int(changed.sum())
    title = ngettext("Scenario '{scenario}' vs '{baseline}': {count} Gemeinde changes",
                     "Scenario '{scenario}' vs '{baseline}': {count} Gemeinden change",
                     count).format(scenario=scenario, baseline=base, count=number(count))
    subtitle = describe_rules(comparison.runs[scenario].rules)
    credits = attribution(comparison.runs[base].municipalities, [])
    _finish_map(m, everything, title, subtitle, [("changes", group, legend)], credits)
    return m


@dataclass(frozen=True)
class Changes:
    """What a change map draws: each Gemeinde's change and both its states, and the words.

    Every text is plain (unescaped) and already in the language of the map;
    :func:`draw_changes` escapes it for the page.
    """

    key: np.ndarray                  # per Gemeinde: its change code, or "same"
    before: pd.Series                # per Gemeinde: its state before and after, in words
    after: pd.Series
    colours: Mapping[str, str]       # change code → fill colour, in legend order
    labels: Mapping[str, str]        # change code → legend words
    before_title: str                # tooltip headers
    after_title: str
    both_title: str
    group_title: str                 # layer control
    unchanged_title: str
    legend_title: str
    legend_note: str
    unchanged_label: str
    change_title: str = ""           # a tooltip row naming the change, when given


def draw_changes(m: folium.Map, everything: gpd.GeoDataFrame, change: Changes
                 ) -> tuple[folium.FeatureGroup, str]:
    """The unchanged Gemeinden (pale) and the changed ones (coloured by their change).

    Returns the group of the changed Gemeinden and its legend section.
    """
    changed = change.key != "same"
    data = _added(_FeatureData(_features(everything, _properties(everything, change))), m)
    name, ags, kreis, people = (html_text(translate(FIELD_LABELS[key], FIELD_CONTEXT))
                                for key in ("gemeinde", "ags", "kreis", "population"))
    same = _added(folium.FeatureGroup(name=html_text(change.unchanged_title), show=True), m)
    _View(data, "s", {"same": {**AREA_STYLE, "fillColor": UNCHANGED_COLOUR}},
          pane="wirgeo-areas", class_name="wirgeo-unchanged",
          tooltip=_tooltip(["name", "kreis", "population", "before"],
                           [name, kreis, people, change.both_title])).add_to(same)
    counts = pd.Series(change.key[changed]).value_counts()
    group = _added(folium.FeatureGroup(
        name=html_text(f"{change.group_title} ({int(changed.sum())})"), show=True), m)
    styles = {code: {**CHANGED_STYLE, "fillColor": colour}
              for code, colour in change.colours.items() if code in counts}
    fields = ["name", "ags", "kreis", "population", "before", "after"]
    aliases = [name, ags, kreis, people, change.before_title, change.after_title]
    if change.change_title:
        fields.insert(4, "change")
        aliases.insert(4, change.change_title)
    _View(data, "s", styles, pane="wirgeo-groups", class_name="wirgeo-changed",
          tooltip=_tooltip(fields, aliases)).add_to(group)
    rows = [(_swatch(colour), f"{html_text(change.labels[c])} ({int(counts[c])})")
            for c, colour in change.colours.items() if c in counts]
    rows.append((_swatch(UNCHANGED_COLOUR, line=UNCHANGED_LINE),
                 f"{html_text(change.unchanged_label)} ({int((~changed).sum())})"))
    legend = _legend_section(change.legend_title, rows, note=change.legend_note)
    return group, legend


def _properties(everything: gpd.GeoDataFrame, change: Changes) -> pd.DataFrame:
    """Tooltip texts of every Gemeinde (escaped) and its style key."""
    table = pd.DataFrame({
        "name": everything["name"].map(html_text).to_numpy(),
        "ags": everything["ags"].to_numpy(),
        "kreis": everything["kreis_name"].map(html_text).to_numpy(),
        "population": everything["population"].map(_number).to_numpy(),
        "before": change.before.map(html_text).to_numpy(),
        "after": change.after.map(html_text).to_numpy(),
        "s": change.key,
    })
    if change.change_title:
        table["change"] = [html_text(change.labels.get(k, "")) for k in change.key]
    return table
