"""Tie-breaks a planner may ask for among the plans that place the most small Gemeinden.

The engine takes any :class:`~wirgeo.consortia.Preference`; this module makes the ones
planning asks for from a municipality table and a plan:

``foreign_residents`` (:data:`TIE_BREAKS`, ``PlanningRequest(tie_break=…)``, ``wirgeo …
--prefer-foreign-residents``)
    the need tie-break: the plan whose Verbünde place the small Gemeinden with the most
    foreign residents (the Zensus 2022 estimate ``foreign_residents``). It never changes
    how many small Gemeinden are placed — only which of the equally good plans is shown.
    It ranks right after coverage, before the engine's own tie-breaks (one Kreis, count,
    shared border): placed after the shared border it could almost never decide
    anything, since nearly every best plan differs there. An assumption, documented in
    ``docs/consortia.md``.
``keep_old_plan`` (:func:`keep_plan`)
    the minimal change of a new population release (``wirgeo data compare``): the plan
    that keeps the most Verbünde of the old plan.

Only small Gemeinden (class ``verbund_needed``, :meth:`wirgeo.rules.KivRules.classify`)
weigh for ``foreign_residents``: they are the ones a plan places or not; a Gemeinde whose
estimate is missing (a withheld share) weighs 0.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> need = tie_break_preference("foreign_residents", load_municipalities(), load_rules())
>>> need.name, need.units["06535001"] if "06535001" in need.units else "not small"
('foreign_residents', 'not small')
>>> need.units["06535018"]  # Ulrichstein: its Zensus 2022 estimate
154
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wirgeo.consortia import Plan, Preference, prefer_groups, prefer_units
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.rules import KivRules

__all__ = ["TIE_BREAKS", "check_tie_break", "tie_break_preference", "keep_plan"]

#: The tie-breaks a request may name.
TIE_BREAKS = ("foreign_residents",)

def check_tie_break(name: str | None) -> str | None:
    """``name`` if it is a tie-break of :data:`TIE_BREAKS` (or None), else raise."""
    if name is not None and name not in TIE_BREAKS:
        raise ArgumentError("tie_break", _("unknown tie-break {name!r}").format(name=name),
                            fix=_("use one of {choices}").format(choices=", ".join(TIE_BREAKS)))
    return name


def tie_break_preference(name: str, municipalities: pd.DataFrame, rules: KivRules
                         ) -> Preference:
    """The :class:`~wirgeo.consortia.Preference` of a tie-break of :data:`TIE_BREAKS`.

    Raises
    ------
    ArgumentError
        An unknown tie-break, or a table without the Zensus 2022 estimate.
    """
    check_tie_break(name)
    column = municipalities.get("foreign_residents")
    if column is None or not column.notna().any():
        raise ArgumentError("tie_break", _("the municipality table has no Zensus 2022 "
                                           "estimate of foreign residents"),
                            fix=_("load the municipalities with the Zensus 2022 table "
                                  "(wirgeo.load finds it in the source folder or uses the "
                                  "embedded copy for Hessen)"))
    small = rules.classify(municipalities["population"].to_numpy(),
                           municipalities["status"].to_numpy()) == "verbund_needed"
    weights = pd.to_numeric(column, errors="coerce").fillna(0).astype(np.int64).to_numpy()
    return prefer_units({str(a): int(w) for a, w, s in
                         zip(municipalities["ags"], weights, small, strict=True) if s},
                        name=name)


def keep_plan(plan: Plan) -> Preference:
    """Prefer the Verbünde of ``plan`` (weight 1 each): change as little as possible."""
    return prefer_groups(list(plan.member_lists().values()),
                         name="keep_old_plan")
