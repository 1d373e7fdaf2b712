"""The solver instance: the municipality table and the rules, checked and indexed for the engine.

:func:`prepare` turns what a caller passes to :func:`wirgeo.consortia.plan` into an
:class:`Instance`, in named steps: check the input, resolve the Kreise in scope, resolve
the exclusions and locked consortia, give every unit its role and reason code, and list
the neighbours by position. Everything after this module trusts the instance.

Who is small, who may join and who is a large partner is never decided here by its own
tests: the roles come from :meth:`wirgeo.rules.KivRules.classify` and the rules' helpers.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> inst = prepare(load_municipalities(), load_rules(), kreise=["Vogelsbergkreis"])
>>> inst.kreise, int(inst.small.sum())
(('06535',), 16)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency, contiguity
from wirgeo.core.i18n import _
from wirgeo.core.text import closest
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import check_municipalities, resolve_kreise
from wirgeo.rules import KivRules
from wirgeo.vocabulary import REASON_OF_CLASS

__all__ = ["REQUIRED_COLUMNS", "ROLES", "Instance", "prepare"]

#: Columns :func:`wirgeo.consortia.plan` needs in the municipality table (as
#: :mod:`wirgeo.municipalities` provides them).
REQUIRED_COLUMNS = ("ags", "name", "population", "kreis_ags", "kreis_name", "status",
                    "geometry")

#: Roles of a unit in the optimisation ("" = not a possible member): ``small`` needs a
#: Verbund and counts for coverage; ``member`` may join (under ``member_below``) but can
#: apply alone, so it does not count; ``large`` is the one larger partner a Verbund may
#: have when ``allow_large_partner``.
ROLES = ("small", "member", "large")


@dataclass
class Instance:
    """Everything the solver and the reasons need, indexed by position in ``frame``.

    Attributes
    ----------
    frame : GeoDataFrame
        The municipality table sorted by AGS, every unit given (scope or not).
    eligibility : ndarray of str
        The KIV class of every unit (:meth:`wirgeo.rules.KivRules.classify`).
    scope : ndarray of bool
        In the selected Kreise.
    role : ndarray of str
        One of :data:`ROLES`, or "" (not a member of any optimised Verbund).
    small : ndarray of bool
        A small municipality in scope (class ``verbund_needed``), excluded or not.
    code : ndarray of str
        Reason code of units that are never optimised members ("" for the others).
    locked : list of tuple of int
        The locked consortia, each sorted by position.
    neighbours : list of list of int
        Adjacency by position (inhabited units), each list sorted.
    kreise : tuple of str
        Kreis keys in scope (every Kreis of the table when none was selected).
    rejected : set of tuple of int
        Groups never to propose (exactly these members, each sorted by position): a
        Verbund the municipalities refused. Their members may still join other groups.
    """

    frame: gpd.GeoDataFrame
    rules: KivRules
    adjacency: Adjacency
    eligibility: np.ndarray
    scope: np.ndarray
    role: np.ndarray
    small: np.ndarray
    funded: np.ndarray
    code: np.ndarray
    locked: list[tuple[int, ...]]
    neighbours: list[list[int]]
    kreise: tuple[str, ...]
    position: dict[str, int] = field(default_factory=dict)
    rejected: set[tuple[int, ...]] = field(default_factory=set)
    pop: np.ndarray = field(init=False)
    ags: np.ndarray = field(init=False)
    member_nbrs: list[list[int]] = field(init=False)   # neighbours among possible members
    member_sets: list[set[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.pop = self.frame["population"].to_numpy()
        self.ags = self.frame["ags"].to_numpy()
        member = self.role != ""
        self.member_nbrs = [[u for u in self.neighbours[v] if member[u]] if member[v] else []
                            for v in range(len(self.frame))]
        self.member_sets = [set(x) for x in self.member_nbrs]

    def border(self, i: int, j: int) -> float:
        """Length of the border between two units in metres (0 when they do not border)."""
        return self.adjacency.border_m(self.ags[i], self.ags[j])


def prepare(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
            funded: Iterable[str] | None = (), kreise: str | Iterable[str] | None = None,
            adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
            link_via_uninhabited: bool = True,
            rejected: Iterable[Iterable[str]] = ()) -> Instance:
    """Check the input and build the solver instance (parameters of :func:`plan`).

    Raises
    ------
    ArgumentError
        An argument of the wrong type, a table without a required column or with an AGS
        twice, an unknown Kreis, an AGS of ``rules.exclude``/``rules.lock`` or of
        ``rejected`` that is not in the table, or a locked member that cannot be one.
    """
    municipalities = _check_input(municipalities, rules, adjacency)
    frame = _sorted_frame(municipalities)
    position = {a: i for i, a in enumerate(frame["ags"])}
    kreis_keys, scope = _scope(frame, kreise)
    funded_mask = frame["ags"].isin({str(a) for a in (funded or ())}).to_numpy()
    excluded = {_known(frame, position, a, "exclude") for a in rules.exclude}
    locked = _locked(frame, position, rules, excluded, scope)
    if adjacency is None:
        adjacency = contiguity(frame, buffer=buffer,
                               link_via_uninhabited=link_via_uninhabited)
    eligibility = rules.classify(frame["population"].to_numpy(), frame["status"].to_numpy())
    role, code = _roles(eligibility, frame["population"].to_numpy(), rules)
    _take_out(role, code, excluded=excluded, funded=funded_mask & rules.exclude_funded,
              scope=scope, locked={i for g in locked for i in g})
    return Instance(frame=frame, rules=rules, adjacency=adjacency, eligibility=eligibility,
                    scope=scope, role=role, small=(eligibility == "verbund_needed") & scope,
                    funded=funded_mask, code=code, locked=locked,
                    neighbours=_neighbour_lists(adjacency, position, len(frame)),
                    kreise=kreis_keys, position=position,
                    rejected=_rejected(frame, position, rejected))


# ------------------------------------------------------------------- check the input


def _check_input(municipalities: object, rules: object, adjacency: object
                 ) -> gpd.GeoDataFrame:
    """Types and columns, before any work (building the adjacency takes seconds)."""
    table = check_municipalities(municipalities, columns=REQUIRED_COLUMNS)
    if not isinstance(rules, KivRules):
        raise ArgumentError("rules", _("expects KivRules, got {type}").format(
                                         type=type(rules).__name__),
                            fix=_("use wirgeo.rules.load_rules()"))
    if adjacency is not None and not isinstance(adjacency, Adjacency):
        raise ArgumentError("adjacency", _("expects wirgeo.adjacency.Adjacency, got "
                                           "{type}").format(type=type(adjacency).__name__),
                            fix=_("build it with wirgeo.adjacency.contiguity()"))
    return table


def _sorted_frame(municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The table by AGS, so that positions and results do not depend on the row order."""
    frame = municipalities.sort_values("ags").reset_index(drop=True)
    duplicated = frame["ags"].duplicated()
    if duplicated.any():
        raise ArgumentError("municipalities", _("AGS {ags} appears twice").format(
                                                  ags=frame.loc[duplicated, "ags"].iloc[0]),
                            fix=_("one row per municipality"))
    return frame


# ------------------------------------------------------------------- resolve the scope


def _scope(frame: pd.DataFrame, kreise: str | Iterable[str] | None
           ) -> tuple[tuple[str, ...], np.ndarray]:
    """Kreis keys in scope and the mask of their units; no Kreise selected → all."""
    keys = resolve_kreise(kreise, frame, argument="kreise")
    if not keys:
        keys = tuple(sorted(frame["kreis_ags"].unique()))
    return keys, frame["kreis_ags"].isin(keys).to_numpy()


# ------------------------------------------------------- resolve exclusions and locks


def _known(frame: pd.DataFrame, position: dict[str, int], ags: str, argument: str, *,
           row: int | None = None) -> int:
    """Position of an AGS named by ``rules.exclude`` or ``rules.lock``."""
    if ags in position:
        return position[ags]
    close = closest(ags, list(position))
    raise ArgumentError(argument, _("AGS {ags} is not in the municipality table").format(
                                      ags=ags), row=row,
                        fix=_("closest AGS: {candidates}").format(candidates=", ".join(
                            f"{a} {frame.at[position[a], 'name']}" for a in close))
                        if close else _("give the 8-digit AGS of a municipality"))


def _locked(frame: pd.DataFrame, position: dict[str, int], rules: KivRules,
            excluded: set[int], scope: np.ndarray) -> list[tuple[int, ...]]:
    """The locked consortia by position; ``row`` of an error counts the locked groups."""
    locked = []
    for row, group in enumerate(rules.lock, start=1):
        members = tuple(sorted(_known(frame, position, a, "lock", row=row) for a in group))
        for i in members:
            _check_locked_member(frame, i, row, excluded=i in excluded, in_scope=scope[i])
        locked.append(members)
    return locked


def _rejected(frame: pd.DataFrame, position: dict[str, int],
              rejected: Iterable[Iterable[str]]) -> set[tuple[int, ...]]:
    """The refused groups by position; ``row`` of an error counts the groups."""
    if isinstance(rejected, str):
        raise ArgumentError("rejected", _("expects groups of AGS, got one string"),
                            fix=_("pass a list of groups, e.g. [('06535016', '06535018')]"))
    groups = set()
    for row, group in enumerate(rejected, start=1):
        if isinstance(group, str):
            raise ArgumentError("rejected", _("group {row} is one string, not a group of "
                                              "AGS").format(row=row),
                                row=row, fix=_("give each group as a tuple of AGS"))
        groups.add(tuple(sorted(_known(frame, position, str(a), "rejected", row=row)
                                for a in group)))
    return groups


def _check_locked_member(frame: pd.DataFrame, i: int, row: int, *, excluded: bool,
                         in_scope: bool) -> None:
    who = f"{frame.at[i, 'ags']} {frame.at[i, 'name']}"
    if excluded:
        raise ArgumentError("lock", _("{who} is both locked and excluded").format(who=who),
                            row=row,
                            fix=_("drop it from one of the two"))
    if not in_scope:
        raise ArgumentError("lock", _("locked member {who} lies outside the selected Kreise")
                            .format(who=who), row=row,
                            fix=_("add Kreis {kreis} to kreise or drop the lock").format(
                                kreis=frame.at[i, "kreis_name"]))
    if frame.at[i, "population"] <= 0:
        raise ArgumentError("lock", _("locked member {who} has no inhabitants").format(who=who),
                            row=row,
                            fix=_("lock inhabited municipalities"))


# ------------------------------------------------------------------- roles and codes


def _roles(eligibility: np.ndarray, pop: np.ndarray, rules: KivRules
           ) -> tuple[np.ndarray, np.ndarray]:
    """Role and reason code of every unit from its KIV class, before any exclusion."""
    single = eligibility == "eligible_single"
    joins = rules.may_join(pop)
    conditions = [eligibility == "verbund_needed", single & joins,
                  single & ~joins & rules.allow_large_partner]
    role = np.select(conditions, list(ROLES), default="").astype(object)
    code = np.array([REASON_OF_CLASS.get(c, "") for c in eligibility], dtype=object)
    return role, code


def _take_out(role: np.ndarray, code: np.ndarray, *, excluded: set[int], funded: np.ndarray,
              scope: np.ndarray, locked: set[int]) -> None:
    """Remove excluded, funded and out-of-scope units and locked members from the roles."""
    for i in np.flatnonzero(role != ""):
        if i in locked:
            continue
        if i in excluded:
            role[i], code[i] = "", "excluded_by_rule"
        elif funded[i]:
            role[i], code[i] = "", "excluded_funded"
        elif not scope[i]:
            role[i] = ""
    for member in locked:
        role[member] = ""  # locked members take no part in the optimisation


# ------------------------------------------------------------------- neighbour lists


def _neighbour_lists(adjacency: Adjacency, position: dict[str, int], n: int
                     ) -> list[list[int]]:
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(adjacency.borders["ags_a"], adjacency.borders["ags_b"], strict=True):
        i, j = position.get(a), position.get(b)
        if i is not None and j is not None:
            neighbours[i].append(j)
            neighbours[j].append(i)
    for values in neighbours:
        values.sort()
    return neighbours
