"""Planning runs: what a planner asks, one run's tables, and scenarios side by side.

:class:`PlanningRequest` takes what a user asks (rules file or scenario, overrides,
Kreise, exclusions and locks by name or AGS) and produces a :class:`Planning` — the
eligibility of every municipality, the programme tables and the optimal Verbund plan —
through :func:`build`. :func:`compare` runs several rule sets side by side.

The package: :mod:`~wirgeo.planning.request`, :mod:`~wirgeo.planning.run`,
:mod:`~wirgeo.planning.scenarios`.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(scenario="mutual").run(load_municipalities())
>>> run.plan.summary_line()
'covered 204 of 246 small municipalities in 87 consortia (optimal)'
"""

from wirgeo.planning.request import RULE_FIELDS, PlanningRequest, parse_locks
from wirgeo.planning.run import Planning, build, unplaced
from wirgeo.planning.scenarios import OUTCOMES, Comparison, compare, outcomes

__all__ = ["PlanningRequest", "parse_locks", "RULE_FIELDS", "Planning", "build",
           "unplaced", "OUTCOMES", "outcomes", "Comparison", "compare"]
