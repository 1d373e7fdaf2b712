"""Which municipalities border each other: the contiguity graph a Verbund is built on.

Neighbours are found on the full-resolution outlines with libpysal's fuzzy (queen)
contiguity: every outline is grown by ``buffer`` metres, so municipalities whose outlines
come within ``2 × buffer`` of each other count as neighbours. That tolerates sub-metre
gaps and places where two outlines touch without a shared vertex (in the Germany file
Döbeln and Kloster Tempzin touch their neighbours only that way); a corner contact is
enough (queen).

Uninhabited gemeindefreie Gebiete (forests, lakes, military areas) are never members of a
Verbund, but by default they link the municipalities around them: Reinhardshagen and
Wesertal reach the rest of Hessen only across the Gutsbezirk Reinhardswald. Adjacent
uninhabited areas act as one. ``link_via_uninhabited=False`` turns that off.

Examples
--------
>>> from wirgeo import load_municipalities
>>> adj = contiguity(load_municipalities())
>>> adj.graph.n                 # inhabited municipalities
421
>>> adj.islands
()
>>> names = load_municipalities().set_index("ags")["name"]
>>> [names[a] for a in adj.neighbours("06633022")]  # Reinhardshagen, all via the Gutsbezirk
['Bad Karlshafen', 'Fuldatal', 'Grebenstein', 'Hofgeismar', 'Immenhausen', 'Trendelburg', \
'Wesertal']
>>> adj.border_m("06633022", "06633030"), adj.borders.via[adj.borders.ags_a == "06633022"].iloc[0]
(0.0, '06633200')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core.i18n import _
from wirgeo.errors import InputError

if TYPE_CHECKING:  # libpysal is imported where a graph is built (1 s): a plan read from
    from libpysal.graph import Graph  # the cache needs none

__all__ = ["Adjacency", "contiguity", "from_graph", "DEFAULT_BUFFER_M"]

#: Default growth of every outline in metres (gaps up to twice this count as touching).
DEFAULT_BUFFER_M = 1.0


@dataclass(frozen=True)
class Adjacency:
    """The neighbourhood of the inhabited municipalities.

    Attributes
    ----------
    borders : DataFrame
        One row per neighbouring pair of :attr:`graph`: ``ags_a`` < ``ags_b``,
        ``border_m`` (length of the shared border in metres; a few metres for a mere
        corner contact, 0 for a link across an uninhabited area) and ``via``
        (``;``-joined AGS of the uninhabited areas that link the pair, "" for a direct
        border).
    islands : tuple of str
        Inhabited municipalities without any neighbour.
    uninhabited : tuple of str
        AGS of units with population 0 (never members).
    buffer : float
        Metres each outline was grown by.
    link_via_uninhabited : bool
        Whether uninhabited areas link the municipalities around them.
    names : dict
        AGS → name (for messages).
    inhabited : tuple of str
        AGS of the inhabited municipalities, sorted (the ids of :attr:`graph`).
    touching : DataFrame
        The raw fuzzy-queen contiguity of every unit given, uninhabited ones included:
        ``focal``, ``neighbor``, ``weight`` (0 for a unit touching none), as libpysal
        lists it.

    The libpysal graphs :attr:`graph` and :attr:`direct` are built from these tables on
    first use, so an adjacency read back from the result cache
    (:mod:`wirgeo.planning.cache`) costs no libpysal import until someone asks for them.
    """

    borders: pd.DataFrame
    islands: tuple[str, ...]
    uninhabited: tuple[str, ...]
    buffer: float
    link_via_uninhabited: bool
    names: dict[str, str] = field(repr=False, default_factory=dict)
    inhabited: tuple[str, ...] = ()
    touching: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def graph(self) -> Graph:
        """Binary contiguity among the inhabited municipalities (libpysal ``Graph``).

        Ids are the AGS, sorted: direct borders plus links across uninhabited areas when
        :attr:`link_via_uninhabited`; islands appear as libpysal isolates.
        """
        cached = self.__dict__.get("_graph")
        if cached is None:
            cached = _graph(self.borders, self.islands)
            object.__setattr__(self, "_graph", cached)
        return cached

    @property
    def direct(self) -> Graph:
        """The raw fuzzy-queen contiguity of every unit given (libpysal ``Graph``)."""
        cached = self.__dict__.get("_direct")
        if cached is None:
            from libpysal.graph import Graph

            table = self.touching.set_index(["focal", "neighbor"])["weight"]
            cached = Graph(table, transformation="B")
            object.__setattr__(self, "_direct", cached)
        return cached

    def neighbours(self, ags: str) -> list[str]:
        """AGS of the neighbours of one inhabited municipality (sorted)."""
        if ags not in self._index:
            raise InputError("adjacency", _("{ags!r} is not an inhabited municipality of "
                                            "this graph").format(ags=ags), column="ags",
                             fix=_("give the 8-digit AGS of an inhabited municipality"))
        return self._index[ags]

    def border_m(self, a: str, b: str) -> float:
        """Shared border of two neighbours in metres (0 when they are not neighbours)."""
        key = (a, b) if a < b else (b, a)
        return self._border.get(key, 0.0)

    def via(self, a: str, b: str) -> tuple[str, ...]:
        """AGS of the uninhabited areas two neighbours meet across (``()`` for a border)."""
        key = (a, b) if a < b else (b, a)
        return self._via.get(key, ())

    @property
    def _via(self) -> dict[tuple[str, str], tuple[str, ...]]:
        cached = self.__dict__.get("_via_index")
        if cached is None:
            cached = {(a, b): tuple(sorted(set(v.replace(";", " ").split())))
                      for a, b, v in zip(self.borders.ags_a, self.borders.ags_b,
                                         self.borders.via, strict=True) if v}
            object.__setattr__(self, "_via_index", cached)
        return cached

    @property
    def _index(self) -> dict[str, list[str]]:
        # built lazily and memoised on the frozen instance
        cached = self.__dict__.get("_neighbour_index")
        if cached is None:
            cached = {a: [] for a in self.inhabited}
            for a, b in zip(self.borders.ags_a, self.borders.ags_b, strict=True):
                cached[a].append(b)
                cached[b].append(a)
            for values in cached.values():
                values.sort()
            object.__setattr__(self, "_neighbour_index", cached)
        return cached

    @property
    def _border(self) -> dict[tuple[str, str], float]:
        cached = self.__dict__.get("_border_index")
        if cached is None:
            cached = dict(zip(zip(self.borders.ags_a, self.borders.ags_b, strict=True),
                              self.borders.border_m, strict=True))
            object.__setattr__(self, "_border_index", cached)
        return cached


def _check_input(municipalities: gpd.GeoDataFrame, buffer: float) -> None:
    if not isinstance(municipalities, gpd.GeoDataFrame):
        raise InputError("contiguity", _("`municipalities` expects a GeoDataFrame, got "
                                         "{type}").format(type=type(municipalities).__name__),
                         column="municipalities")
    missing = [c for c in ("ags", "population") if c not in municipalities.columns]
    if missing:
        raise InputError("contiguity", _("the municipality table has no column {column!r}")
                         .format(column=missing[0]),
                         column=missing[0], fix=_("pass the table from wirgeo.municipalities"))
    if municipalities["ags"].duplicated().any():
        dup = municipalities.loc[municipalities["ags"].duplicated(), "ags"].iloc[0]
        raise InputError("contiguity", _("AGS {ags} appears twice").format(ags=dup), column="ags",
                         fix=_("one row per municipality"))
    if municipalities.crs is None or not municipalities.crs.is_projected:
        raise InputError("contiguity", _("the outlines need a projected CRS in metres (got "
                                         "{crs})").format(crs=municipalities.crs),
                         column="geometry",
                         fix=_("use municipalities.to_crs(25832)"))
    if not (isinstance(buffer, (int, float)) and not isinstance(buffer, bool)
            and 0 <= buffer <= 1000):
        raise InputError("contiguity", _("buffer must be between 0 and 1000 metres, got "
                                         "{buffer!r}").format(buffer=buffer), column="buffer",
                         fix=_("use about 1 m to bridge digitising gaps"))


def _shared_border_m(geoms: np.ndarray, grown: np.ndarray, a: np.ndarray,
                     b: np.ndarray) -> np.ndarray:
    """Length of the common border of pairs (a[k], b[k]), in metres.

    Each outline's boundary is cut with the other's grown outline and the two lengths are
    averaged, so borders without shared vertices are measured too.
    """
    if len(a) == 0:
        return np.zeros(0)
    boundary = shapely.boundary(geoms)
    one = shapely.length(shapely.intersection(boundary[a], grown[b]))
    two = shapely.length(shapely.intersection(boundary[b], grown[a]))
    return np.asarray((one + two) / 2, dtype=float)


def _links_via_uninhabited(head: np.ndarray, tail: np.ndarray, inhabited: np.ndarray,
                           ags: np.ndarray) -> dict[tuple[int, int], set[str]]:
    """Pairs of inhabited units that touch the same uninhabited area, with that area.

    Adjacent uninhabited areas act as one; each links everything around it. The value of
    a pair holds the ``;``-joined AGS of each linking area.
    """
    from scipy.cluster.hierarchy import DisjointSet

    clusters = DisjointSet(np.flatnonzero(~inhabited).tolist())
    gap = ~inhabited[head] & ~inhabited[tail]
    for i, j in zip(head[gap], tail[gap], strict=True):
        clusters.merge(i, j)
    around: dict[int, set[int]] = {}
    edge = ~inhabited[head] & inhabited[tail]
    for i, j in zip(head[edge], tail[edge], strict=True):
        around.setdefault(clusters[i], set()).add(int(j))
    links: dict[tuple[int, int], set[str]] = {}
    for root, units in around.items():
        area = ";".join(sorted(ags[k] for k in clusters.subset(root)))
        ordered = sorted(units)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1:]:
                links.setdefault((i, j), set()).add(area)
    return links


def contiguity(municipalities: gpd.GeoDataFrame, buffer: float = DEFAULT_BUFFER_M,
               link_via_uninhabited: bool = True) -> Adjacency:
    """Contiguity of municipalities on full-resolution outlines.

    Parameters
    ----------
    municipalities : GeoDataFrame
        Columns ``ags`` (unique), ``population`` and polygon geometries in a metric CRS;
        ``name`` is used for messages when present. Units with population 0 are
        uninhabited.
    buffer : float
        Metres each outline is grown by before testing for contact (default 1 m).
    link_via_uninhabited : bool
        Link municipalities that touch the same uninhabited area (default true).

    Returns
    -------
    Adjacency

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> cut = contiguity(gem, link_via_uninhabited=False)
    >>> sorted(gem.set_index("ags").loc[list(cut.islands), "name"])
    ['Reinhardshagen', 'Wesertal']
    >>> len(cut.borders) < len(contiguity(gem).borders)
    True
    """
    _check_input(municipalities, buffer)
    frame = municipalities.sort_values("ags").reset_index(drop=True)
    ags = frame["ags"].astype(str).to_numpy()
    geoms = frame.geometry.to_numpy()
    if not shapely.is_valid(geoms).all():
        bad = ags[~shapely.is_valid(geoms)][0]
        raise InputError("contiguity", _("the outline of {ags} is not a valid polygon").format(
                                           ags=bad),
                         column="geometry", fix=_("repair it with shapely.make_valid"))
    inhabited = frame["population"].to_numpy() > 0
    names = dict(zip(ags, frame["name"] if "name" in frame else ags, strict=True))

    # grown once, for libpysal's fuzzy contiguity and for measuring borders; a zero
    # buffer would make the border cut an exact line intersection, which misses borders
    # digitised twice, so borders are always measured with a few centimetres at least
    grown = shapely.buffer(geoms, max(buffer, 0.05))
    touching = grown if buffer > 0 else geoms
    from libpysal.graph import Graph

    direct = Graph.build_fuzzy_contiguity(
        gpd.GeoSeries(touching, index=pd.Index(ags, name="ags"), crs=frame.crs))
    table = direct.adjacency.reset_index()
    table = table[table["weight"] > 0]
    position = {a: i for i, a in enumerate(ags)}
    head = table["focal"].map(position).to_numpy(dtype=np.int64)
    tail = table["neighbor"].map(position).to_numpy(dtype=np.int64)

    both = inhabited[head] & inhabited[tail] & (head < tail)
    direct_pairs = {(int(i), int(j)) for i, j in zip(head[both], tail[both], strict=True)}
    pairs: dict[tuple[int, int], set[str]] = {pair: set() for pair in direct_pairs}
    if link_via_uninhabited:
        for pair, via in _links_via_uninhabited(head, tail, inhabited, ags).items():
            pairs.setdefault(pair, set()).update(via)
    keys = sorted(pairs)
    a = np.array([k[0] for k in keys], dtype=int)
    b = np.array([k[1] for k in keys], dtype=int)
    is_direct = np.array([k in direct_pairs for k in keys], dtype=bool)
    border = np.zeros(len(keys))
    if is_direct.any():
        border[is_direct] = _shared_border_m(geoms, grown, a[is_direct], b[is_direct])
    borders = pd.DataFrame({
        "ags_a": ags[a] if len(a) else np.array([], dtype=object),
        "ags_b": ags[b] if len(b) else np.array([], dtype=object),
        "border_m": np.round(border, 1),
        "via": ["" if d else ";".join(sorted(pairs[k])) for k, d in zip(keys, is_direct,
                                                                          strict=True)],
    })

    degree = np.zeros(len(ags), dtype=int)
    np.add.at(degree, a, 1)
    np.add.at(degree, b, 1)
    return Adjacency(borders=borders, islands=tuple(ags[inhabited & (degree == 0)]),
                     uninhabited=tuple(ags[~inhabited]), buffer=float(buffer),
                     link_via_uninhabited=bool(link_via_uninhabited), names=names,
                     inhabited=tuple(ags[inhabited]),
                     touching=direct.adjacency.reset_index()[["focal", "neighbor", "weight"]])


def from_graph(graph: Graph, municipalities: gpd.GeoDataFrame, *,
               argument: str = "adjacency") -> Adjacency:
    """A libpysal ``Graph`` as the neighbourhood the engine plans with.

    The graph is taken as it is: two municipalities are neighbours exactly when the graph
    links them (any weight above 0), nothing is linked across uninhabited areas, and the
    shared border of each pair is measured on the outlines (0 for neighbours that do not
    touch, such as k-nearest neighbours).

    Parameters
    ----------
    graph : libpysal.graph.Graph
        Its ids are the row labels of ``municipalities`` (as
        ``Graph.build_contiguity(municipalities)`` makes them) or their keys (``ags``).
    municipalities : GeoDataFrame
        Columns ``ags`` and ``population`` and outlines in a metric CRS.
    argument : str
        The Python argument the graph came in, for the messages.

    Returns
    -------
    Adjacency

    Raises
    ------
    ArgumentError
        The graph's ids are neither the rows nor the keys of ``municipalities``.

    Examples
    --------
    >>> from libpysal.graph import Graph
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> rook = from_graph(Graph.build_contiguity(gem, rook=True), gem)
    >>> len(rook.borders) <= len(contiguity(gem).borders), rook.link_via_uninhabited
    (True, False)
    """
    from wirgeo.errors import ArgumentError

    frame = municipalities.sort_values("ags").reset_index()
    keys = frame["ags"].astype(str).to_numpy()
    label = frame.columns[0]
    ids = set(graph.unique_ids)
    if ids <= set(keys):
        key_of = dict(zip(keys, keys, strict=True))
    elif ids <= set(frame[label]):
        key_of = dict(zip(frame[label], keys, strict=True))
    else:
        raise ArgumentError(argument, _("the graph's ids are neither the rows nor the keys "
                                        "of the municipalities"),
                            fix=_("build it from the same table, e.g. "
                                  "Graph.build_contiguity(municipalities)"))
    table = graph.adjacency.reset_index()
    table.columns = ["focal", "neighbor", "weight"]
    table = table.assign(focal=table["focal"].map(key_of), neighbor=table["neighbor"].map(
        key_of))
    position = {a: i for i, a in enumerate(keys)}
    inhabited = frame["population"].to_numpy() > 0
    linked = table[table["weight"] > 0]
    head = linked["focal"].map(position).to_numpy(dtype=np.int64)
    tail = linked["neighbor"].map(position).to_numpy(dtype=np.int64)
    both = inhabited[head] & inhabited[tail] & (head != tail)
    pairs = sorted({(min(i, j), max(i, j)) for i, j in zip(head[both], tail[both],
                                                             strict=True)})
    a = np.array([p[0] for p in pairs], dtype=int)
    b = np.array([p[1] for p in pairs], dtype=int)
    geoms = frame.geometry.to_numpy()
    border = _shared_border_m(geoms, shapely.buffer(geoms, 0.05), a, b)
    borders = pd.DataFrame({"ags_a": keys[a] if len(a) else np.array([], dtype=object),
                            "ags_b": keys[b] if len(b) else np.array([], dtype=object),
                            "border_m": np.round(border, 1), "via": ""})
    degree = np.zeros(len(keys), dtype=int)
    np.add.at(degree, a, 1)
    np.add.at(degree, b, 1)
    names = dict(zip(keys, frame["name"] if "name" in frame else keys, strict=True))
    return Adjacency(borders=borders, islands=tuple(keys[inhabited & (degree == 0)]),
                     uninhabited=tuple(keys[~inhabited]), buffer=0.0,
                     link_via_uninhabited=False, names=names,
                     inhabited=tuple(keys[inhabited]), touching=table)


def _graph(borders: pd.DataFrame, islands: tuple[str, ...]) -> Graph:
    """The libpysal graph of the pairs in ``borders``, with ``islands`` as isolates."""
    from libpysal.graph import Graph

    a, b = borders["ags_a"].to_numpy(dtype=object), borders["ags_b"].to_numpy(dtype=object)
    isolated = np.array(islands, dtype=object)
    focal = np.concatenate([a, b, isolated])
    neighbor = np.concatenate([b, a, isolated])
    weight = np.concatenate([np.ones(2 * len(a)), np.zeros(len(islands))])
    order = np.lexsort((neighbor.astype(str), focal.astype(str)))
    return Graph.from_arrays(focal[order], neighbor[order], weight[order])
