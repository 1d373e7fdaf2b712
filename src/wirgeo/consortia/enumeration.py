"""Every feasible Verbund: connected groups of possible members that meet the rules.

The candidate groups are enumerated once with Wernicke's ESU algorithm, which produces
each connected vertex set exactly once. Branches are cut as soon as they break a rule no
larger group could repair: population above the combined maximum, a second large
partner, a second Kreis, a missing border (``mutual``). The reasons ask for the groups
around one municipality with some rules relaxed (:func:`groups_with`); those grow from
that municipality breadth-first instead.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.consortia.instance import prepare
>>> from wirgeo.rules import load_rules
>>> inst = prepare(load_municipalities(), load_rules(max_members=2),
...                kreise=["Vogelsbergkreis"])
>>> len(candidates(inst).groups)
8
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from wirgeo.consortia.instance import Instance
from wirgeo.rules import MAX_THRESHOLD, KivRules

__all__ = ["Candidates", "candidates", "connected_groups", "groups_with", "describe_groups"]

Group = tuple[int, ...]


@dataclass(frozen=True)
class _Limits:
    """The rules as the enumeration applies them, with the instance's arrays.

    What a group must meet is asked of :class:`~wirgeo.rules.KivRules` (its feasibility
    predicates, the one home of those rules); ``rules`` may be relaxed for the reasons.
    """

    rules: KivRules
    pop: np.ndarray
    large: np.ndarray
    kreis: np.ndarray
    neighbours: list[list[int]]       # among possible members
    neighbour_sets: list[set[int]]

    @classmethod
    def of(cls, inst: Instance, *, combined_bounds: bool, same_kreis: bool | None
           ) -> _Limits:
        rules = inst.rules
        relaxed: dict[str, object] = {}
        if not combined_bounds:
            relaxed.update(combined_min=0, combined_max=MAX_THRESHOLD)
        if same_kreis is not None:
            relaxed["same_kreis"] = same_kreis
        if relaxed:
            rules = rules.replace(**relaxed)
        return cls(rules=rules, pop=inst.pop, large=inst.role == "large",
                   kreis=inst.frame["kreis_ags"].to_numpy(), neighbours=inst.member_nbrs,
                   neighbour_sets=inst.member_sets)

    def complete(self, size: int, total: float) -> bool:
        """Whether a connected group of ``size`` members and ``total`` inhabitants is a Verbund."""
        return self.rules.members_fit(size) and self.rules.population_fits(total)

    def may_add(self, w: int, group: Iterable[int], anchor: int, total: float,
                has_large: bool) -> bool:
        """Whether ``w`` may join ``group`` (anchored at ``anchor``, ``total`` inhabitants)."""
        rules = self.rules
        return not (not rules.population_within_max(total + self.pop[w])
                    or (self.large[w] and has_large)
                    or (rules.same_kreis and self.kreis[w] != self.kreis[anchor])
                    or (rules.contiguity == "mutual"
                        and not all(s in self.neighbour_sets[w] for s in group)))


def connected_groups(inst: Instance) -> list[Group]:
    """Every connected group of possible members meeting the rules (ESU enumeration)."""
    limits = _Limits.of(inst, combined_bounds=True, same_kreis=None)
    out: list[Group] = []
    for v in np.flatnonzero(inst.role != "").tolist():
        if limits.rules.population_within_max(limits.pop[v]):
            _extend(limits, [v], [u for u in limits.neighbours[v] if u > v], v,
                    limits.pop[v], int(limits.large[v]), limits.neighbour_sets[v] | {v}, out)
    return out


def _extend(limits: _Limits, sub: list[int], ext: list[int], v: int, total: float,
            nlarge: int, around: set[int], out: list[Group]) -> None:
    """One ESU step: record ``sub`` if it is a Verbund, then grow it by its extension."""
    if limits.complete(len(sub), total):
        out.append(tuple(sorted(sub)))
    if not limits.rules.room_for_member(len(sub)):
        return
    ext = sorted(ext)
    while ext:
        w = ext.pop()
        if not limits.may_add(w, sub, v, total, bool(nlarge)):
            continue
        new = [u for u in limits.neighbours[w] if u > v and u not in around]
        _extend(limits, sub + [w], ext + new, v, total + limits.pop[w],
                nlarge + int(limits.large[w]), around | limits.neighbour_sets[w], out)


def groups_with(inst: Instance, root: int, *, combined_bounds: bool = True,
                same_kreis: bool | None = None) -> list[Group]:
    """Every connected group containing ``root``, sorted, optionally with rules relaxed.

    Its members form a connected set, so the groups grow from the root without the ESU
    order restriction, deduplicated.
    """
    limits = _Limits.of(inst, combined_bounds=combined_bounds, same_kreis=same_kreis)
    if not limits.rules.population_within_max(limits.pop[root]):
        return []
    out: list[Group] = []
    seen = {frozenset([root])}
    layer = [frozenset([root])]
    while layer:
        grown = []
        for group in layer:
            total = sum(limits.pop[u] for u in group)
            if limits.complete(len(group), total):
                out.append(tuple(sorted(group)))
            if not limits.rules.room_for_member(len(group)):
                continue
            has_large = any(bool(limits.large[u]) for u in group)
            for w in sorted({u for g in group for u in limits.neighbours[g]} - group):
                bigger = group | {w}
                if limits.may_add(w, group, root, total, has_large) and bigger not in seen:
                    seen.add(bigger)
                    grown.append(bigger)
        layer = grown
    return sorted(set(out))


@dataclass
class Candidates:
    """The feasible groups and what the objective needs of each (aligned arrays)."""

    groups: list[Group]
    n_small: np.ndarray
    same: np.ndarray
    border_m: np.ndarray
    population: np.ndarray
    refused: list[Group] = field(default_factory=list)   # feasible, but rejected


def candidates(inst: Instance) -> Candidates:
    """Every feasible Verbund of the instance, sorted, with its description.

    The groups of ``inst.rejected`` are left out (and kept in ``refused`` when they
    would have been candidates).
    """
    groups = sorted(connected_groups(inst))
    if not inst.rejected:
        return describe_groups(inst, groups)
    found = describe_groups(inst, [g for g in groups if g not in inst.rejected])
    found.refused = [g for g in groups if g in inst.rejected]
    return found


def describe_groups(inst: Instance, groups: list[Group]) -> Candidates:
    """Small members, one Kreis, shared border and population of each group."""
    kreis = inst.frame["kreis_ags"].to_numpy()
    pop = inst.pop
    small = inst.role == "small"
    n_small = np.array([sum(bool(small[i]) for i in g) for g in groups], dtype=np.int64)
    same = np.array([len({kreis[i] for i in g}) == 1 for g in groups], dtype=bool)
    border = np.array([sum(inst.border(a, b) for x, a in enumerate(g) for b in g[x + 1:])
                       for g in groups], dtype=float)
    population = np.array([int(sum(pop[i] for i in g)) for g in groups], dtype=np.int64)
    return Candidates(groups, n_small, same, border, population)
