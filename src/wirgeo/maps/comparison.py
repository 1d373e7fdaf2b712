"""The comparison map: which Gemeinden a rule scenario changes, against the baseline.

It draws a :class:`wirgeo.planning.Comparison` without importing the planning layer
(maps sit above it only in what they are given): :class:`Comparison` below says which of
its attributes the map reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.core.i18n import _, ngettext, number, speaking, translate
from wirgeo.errors import ArgumentError
from wirgeo.maps._html import _legend_section, _number, _swatch, _text, _tooltip
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

__all__ = ["comparison_map"]


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

    name, ags, kreis, people = (_text(translate(FIELD_LABELS[key], FIELD_CONTEXT))
                                for key in ("gemeinde", "ags", "kreis", "population"))
    m = _new_map(everything, tiles)
    data = _added(_FeatureData(_features(everything, _properties(
        everything, before, after, changed))), m)
    same = _added(folium.FeatureGroup(name=translate(COMPARISON_TITLES["unchanged"]),
                                      show=True), m)
    _View(data, "s", {"same": {**AREA_STYLE, "fillColor": UNCHANGED_COLOUR}},
          pane="wirgeo-areas", class_name="wirgeo-unchanged",
          tooltip=_tooltip(["name", "kreis", "population", "before"],
                           [name, kreis, people, _text(_("Outcome (both)"))])
          ).add_to(same)
    counts = pd.Series(after[changed]).value_counts()
    group = _added(folium.FeatureGroup(
        name=f"{translate(COMPARISON_TITLES['changes'])} ({int(changed.sum())})", show=True), m)
    styles = {code: {**CHANGED_STYLE, "fillColor": colour}
              for code, colour in OUTCOME_COLOURS.items() if code in counts}
    _View(data, "s", styles, pane="wirgeo-groups", class_name="wirgeo-changed",
          tooltip=_tooltip(["name", "ags", "kreis", "population", "before", "after"],
                           [name, ags, kreis, people,
                            _text(_("Outcome: {scenario}").format(scenario=base)),
                            _text(_("Outcome: {scenario}").format(scenario=scenario))])
          ).add_to(group)
    legend = _legend(scenario, base, counts, int((~changed).sum()))
    _add_kreise(m, everything, everything, True)
    count = int(changed.sum())
    title = ngettext("Scenario '{scenario}' vs '{baseline}': {count} Gemeinde changes",
                     "Scenario '{scenario}' vs '{baseline}': {count} Gemeinden change",
                     count).format(scenario=scenario, baseline=base, count=number(count))
    subtitle = describe_rules(comparison.runs[scenario].rules)
    credits = attribution(comparison.runs[base].municipalities, [])
    _finish_map(m, everything, title, subtitle, [("changes", group, legend)], credits)
    return m


def _properties(everything: gpd.GeoDataFrame, before: pd.Series, after: pd.Series,
                changed: np.ndarray) -> pd.DataFrame:
    """Tooltip texts of every Gemeinde; style key = outcome after, or "same"."""
    labels = OUTCOMES.labels()
    return pd.DataFrame({
        "name": everything["name"].map(_text).to_numpy(),
        "ags": everything["ags"].to_numpy(),
        "kreis": everything["kreis_name"].map(_text).to_numpy(),
        "population": everything["population"].map(_number).to_numpy(),
        "before": before.map(labels).map(_text).to_numpy(),
        "after": after.map(labels).map(_text).to_numpy(),
        "s": np.where(changed, after.to_numpy(), "same"),
    })


def _legend(scenario: str, base: str, counts: pd.Series, unchanged: int) -> str:
    labels = OUTCOMES.labels()
    rows = [(_swatch(OUTCOME_COLOURS[c]), f"{_text(labels[c])} ({int(counts[c])})")
            for c in OUTCOME_COLOURS if c in counts]
    rows.append((_swatch(UNCHANGED_COLOUR, line=UNCHANGED_LINE),
                 f"{_text(translate(LEGEND_LABELS['unchanged']))} ({unchanged})"))
    return _legend_section(_("Outcome under '{scenario}' (changed only)").format(
                               scenario=scenario), rows,
                           note=_("compared with '{baseline}'; hover for both outcomes").format(
                               baseline=base))
