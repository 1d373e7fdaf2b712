"""Verbund colours: touching Verbünde never share a colour, and every colour reads clearly.

Two Verbünde *touch* when a member of one shares a border with a member of the other
(the full-resolution contiguity of :func:`wirgeo.adjacency.contiguity`; a link across an
uninhabited forest is not a border on the map and does not count). The Verbund graph is
coloured exactly, smallest colour count first (DSATUR order with backtracking: maps of
Verbünde are planar, so four colours always suffice and are found in milliseconds), from
:data:`~wirgeo.maps.styles.GROUP_COLOURS`. Every two colours of that palette differ by
CIE76 ΔE ≥ 30, also under simulated deuteranopia and protanopia, and differ from the
eligibility colours beneath (``tests/test_maps_cartography.py`` checks all of it).

Examples
--------
>>> round(delta_e("#000000", "#FFFFFF"))
100
>>> colour_groups({"A": {"B"}, "B": {"A", "C"}, "C": {"B"}}, 4)
{'A': 1, 'B': 0, 'C': 1}
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.maps.styles import GROUP_COLOURS
from wirgeo.planning.cache import contiguity_of

__all__ = ["delta_e", "lab", "simulate_cvd", "verbund_touching", "colour_groups",
           "verbund_colours"]

# sRGB (D65) to XYZ, and the reference white of CIELAB
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                 [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])
# Viénot, Brettel & Mollon (1999): dichromat simulation in linear RGB
_CVD = {
    "deuteranopia": np.array([[0.29275, 0.70725, 0], [0.29275, 0.70725, 0],
                              [-0.02234, 0.02234, 1]]),
    "protanopia": np.array([[0.11238, 0.88762, 0], [0.11238, 0.88762, 0],
                            [0.00401, -0.00401, 1]]),
}


def _linear(colour: str) -> np.ndarray:
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a ``#RRGGBB`` colour."""
    xyz = _XYZ @ _linear(colour) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two ``#RRGGBB`` colours (≥ about 30: clearly different)."""
    return float(np.linalg.norm(lab(a) - lab(b)))


def simulate_cvd(colour: str, kind: str) -> str:
    """How ``colour`` looks with a colour-vision deficiency (``deuteranopia``, ``protanopia``).

    Examples
    --------
    >>> simulate_cvd("#FF0000", "deuteranopia") == simulate_cvd("#FF0000", "protanopia")
    False
    """
    out = np.clip(_CVD[kind] @ _linear(colour), 0, 1)
    srgb = np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)
    return "#" + "".join(f"{int(round(c * 255)):02X}" for c in srgb)


def verbund_touching(consortia: pd.DataFrame, borders: pd.DataFrame
                     ) -> dict[str, set[str]]:
    """Which Verbünde share a border: consortium id → ids of the touching Verbünde.

    Parameters
    ----------
    consortia : DataFrame
        ``consortium_id`` and ``member_ags`` (tuples of str).
    borders : DataFrame
        :attr:`wirgeo.adjacency.Adjacency.borders` (``ags_a``, ``ags_b``, ``via``); pairs
        linked only across an uninhabited area (``via`` not empty) do not touch on a map.
    """
    group_of = {a: str(c) for c, members in
                zip(consortia["consortium_id"], consortia["member_ags"], strict=True)
                for a in members}
    touching: dict[str, set[str]] = {str(c): set() for c in consortia["consortium_id"]}
    direct = borders[borders["via"].fillna("").astype(str) == ""]
    for a, b in zip(direct["ags_a"], direct["ags_b"], strict=True):
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and gb is not None and ga != gb:
            touching[ga].add(gb)
            touching[gb].add(ga)
    return touching


def colour_groups(touching: Mapping[str, Iterable[str]], n_colours: int) -> dict[str, int]:
    """Colour index per group, touching groups different, as few colours as possible.

    Tries 1, 2, … colours up to ``n_colours``; within a count, DSATUR order (the group
    with the most differently coloured neighbours next, ties by id) with backtracking,
    so the result is the same for the same graph.

    Raises
    ------
    ArgumentError
        The graph needs more than ``n_colours`` colours.
    """
    graph = {g: sorted(set(n) - {g}) for g, n in touching.items()}
    for count in range(1, n_colours + 1):
        found = _colour(graph, count)
        if found is not None:
            return {g: found[g] for g in sorted(graph)}
    raise ArgumentError("consortia", _("the Verbünde need more than {count} colours").format(
                                         count=n_colours),
                        fix=_("add colours to styles.GROUP_COLOURS"))


def _colour(graph: Mapping[str, list[str]], count: int) -> dict[str, int] | None:
    colours: dict[str, int] = {}
    steps = [0]

    def pick() -> str | None:
        left = [g for g in graph if g not in colours]
        if not left:
            return None
        return min(left, key=lambda g: (-len({colours[n] for n in graph[g] if n in colours}),
                                        -len(graph[g]), g))

    def solve() -> bool:
        group = pick()
        if group is None:
            return True
        steps[0] += 1
        if steps[0] > 200_000:  # never reached on real plans; keeps a bad graph bounded
            return False
        used = {colours[n] for n in graph[group] if n in colours}
        for colour in range(count):
            if colour not in used:
                colours[group] = colour
                if solve():
                    return True
                del colours[group]
        return False

    return dict(colours) if solve() else None


def verbund_colours(consortia: pd.DataFrame, municipalities: gpd.GeoDataFrame
                    ) -> dict[str, int]:
    """Palette index (:data:`~wirgeo.maps.styles.GROUP_COLOURS`) of every Verbund.

    Computed on the whole plan given, from the full-resolution contiguity of
    ``municipalities``, so a Verbund has the same colour in every Kreis view.
    """
    if not len(consortia):
        return {}
    return colour_groups(verbund_touching(consortia, _borders(municipalities)),
                         len(GROUP_COLOURS))


# The planner redraws its map on every control change, always from the same municipalities:
# their contiguity (0.6 s for Hessen) is computed once and kept while the frame lives (and
# across runs in the result cache).
_BORDERS: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def _borders(municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    cached = _BORDERS.get(id(municipalities))
    if cached is not None and cached[0]() is municipalities:
        return cached[1]
    borders = contiguity_of(municipalities).borders
    _BORDERS.clear()  # one frame at a time: a new one replaces the old
    _BORDERS[id(municipalities)] = (weakref.ref(municipalities), borders)
    return borders
