"""Planning runs: what a planner asks, one run's tables, and scenarios side by side.

:class:`PlanningRequest` takes what a user asks (rules file or scenario, overrides,
Kreise, exclusions and locks by name or AGS) and produces a :class:`Planning` — the
eligibility of every municipality, the programme tables and the optimal Verbund plan —
through :func:`build`. :func:`compare` runs several rule sets side by side;
:func:`compare_releases` two population releases (who changes class, which Verbünde break);
:func:`check_negotiation`, :func:`complete_negotiation` and :func:`compare_negotiations` a
planner's own plan document.

The package: :mod:`~wirgeo.planning.request`, :mod:`~wirgeo.planning.run`,
:mod:`~wirgeo.planning.scenarios`, :mod:`~wirgeo.planning.releases`,
:mod:`~wirgeo.planning.negotiation`,
:mod:`~wirgeo.planning.tie_breaks` (need and minimal change among the best plans).

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(scenario="mutual").run(load_municipalities())
>>> run.plan.summary_line()
'204 von 246 kleinen Gemeinden in 87 Verbünden (optimal)'
"""

from wirgeo.planning.negotiation import (
    Completion,
    NegotiationBasis,
    NegotiationCheck,
    NegotiationComparison,
    check_negotiation,
    check_release,
    compare_negotiations,
    complete_negotiation,
    new_negotiation,
    release_breaks,
    release_changes,
)
from wirgeo.planning.record import RunRecord
from wirgeo.planning.releases import (
    ReleaseComparison,
    compare_populations,
    compare_releases,
)
from wirgeo.planning.request import RULE_FIELDS, PlanningRequest, parse_locks
from wirgeo.planning.run import Planning, build, unplaced
from wirgeo.planning.scenarios import OUTCOMES, Comparison, compare, outcomes
from wirgeo.planning.tie_breaks import TIE_BREAKS, keep_plan, tie_break_preference

__all__ = ["PlanningRequest", "parse_locks", "RULE_FIELDS", "RunRecord", "Planning", "build",
           "unplaced", "OUTCOMES", "outcomes", "Comparison", "compare", "ReleaseComparison",
           "compare_populations", "compare_releases", "NegotiationBasis", "NegotiationCheck",
           "Completion", "NegotiationComparison", "check_negotiation", "complete_negotiation",
           "compare_negotiations", "check_release", "release_breaks", "release_changes",
           "new_negotiation", "TIE_BREAKS", "keep_plan", "tie_break_preference"]
