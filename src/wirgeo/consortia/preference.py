"""Preferences among the best plans: integer weights right after coverage.

The optimal plan places the most small municipalities; many plans usually do. A
:class:`Preference` chooses among them, before the engine's own tie-breaks (one Kreis,
count, shared border): the plan with the largest total weight of its Verbünde. A Verbund's
weight is the weight of exactly its member set (``groups``) plus the weights of its
members (``units``), so one mechanism answers "keep as many Verbünde of the old plan as
possible" (``groups``: weight 1 each) and "cover the most foreign residents" (``units``:
each Gemeinde's estimate). Several preferences are levels of their own, in the order
given, each proven optimal before the next (lexicographic).

Coverage always comes first: a preference never places one small municipality fewer.

Examples
--------
>>> keep = prefer_groups([["06535016", "06535018"]])
>>> keep.name, keep.weight_of(["06535018", "06535016"]), keep.weight_of(["06535016"])
('keep_groups', 1, 0)
>>> need = prefer_units({"06535016": 120, "06535018": 45}, name="foreign_residents")
>>> need.weight_of(["06535016", "06535018", "06535001"])
165
>>> prefer_units({"06535016": -1})
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'prefer': das Gewicht von 06535016 ist -1. Abhilfe: \
ganze Zahlen ab 0 angeben.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError

__all__ = ["Preference", "prefer_groups", "prefer_units", "preference_weights"]


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ArgumentError("prefer", _("the weight of {what} is {value!r}").format(
            what=what, value=value), fix=_("give whole numbers of 0 or more"))
    return int(value)


@dataclass(frozen=True)
class Preference:
    """A preference among the plans that place the most small municipalities.

    Attributes
    ----------
    name : str
        A code naming it in reports and the run record (``keep_groups``,
        ``foreign_residents``, …).
    groups : mapping of frozenset of str to int
        The weight of a Verbund with exactly these members (AGS).
    units : mapping of str to int
        The weight each member (AGS) adds to its Verbund.
    """

    name: str
    groups: Mapping[frozenset[str], int] = field(default_factory=dict)
    units: Mapping[str, int] = field(default_factory=dict)

    def weight_of(self, members: Iterable[str]) -> int:
        """The weight of one Verbund (its members' AGS)."""
        members = [str(m) for m in members]
        return self.groups.get(frozenset(members), 0) + sum(self.units.get(m, 0)
                                                            for m in members)


def prefer_groups(groups: Iterable[Iterable[str]], *, weight: int = 1,
                  name: str = "keep_groups") -> Preference:
    """Prefer plans that contain these Verbünde (members by AGS), ``weight`` each."""
    weight = _whole(weight, "a group")
    return Preference(name, groups={frozenset(str(a) for a in g): weight for g in groups})


def prefer_units(weights: Mapping[str, int], *, name: str = "units") -> Preference:
    """Prefer plans whose Verbünde hold members of large weight (AGS → whole number)."""
    return Preference(name, units={str(a): _whole(w, str(a)) for a, w in weights.items()})


def preference_weights(preferences: Sequence[Preference], groups: Sequence[Sequence[int]],
                       ags: np.ndarray) -> list[np.ndarray]:
    """The weight of every candidate group (unit positions into ``ags``), per preference."""
    return [np.array([p.weight_of(ags[list(g)]) for g in groups], dtype=np.int64)
            for p in preferences]
