"""Verbund suggestions: the provably best plan of KIV consortia, and a reason for everyone left out.

Municipalities under the member limit (``member_below``, 10,000 inhabitants by default)
that cannot apply alone can apply for KIV funding only in a Verbund of two or three
neighbouring municipalities (the rules are values of :class:`wirgeo.rules.KivRules`).
wirgeo enumerates every feasible group, then chooses disjoint groups by integer
programming (``scipy.optimize.milp``, HiGHS). The objective is lexicographic, in strict
priority:

1. the most small municipalities in a consortium;
2. optionally, the caller's preferences (:class:`Preference`: keep the Verbünde of an old
   plan, cover the most foreign residents, …), each a level of its own;
3. the most consortia whose members lie in one Kreis (one WIR-Vielfaltszentrum);
4. the most consortia (each is one grant);
5. the longest shared borders inside the consortia (compact groups).

Each connected component of the candidate groups is solved on its own: a small one in
one MILP with exact lexicographic integer weights, a large one in stages (coverage first,
then levels 2 and 3 together with coverage capped at its proven optimum, then the shared
border with the levels above held at their optimum). Solver
status, the gap of the first level not proven optimal and the time are reported; a time
limit returns the best plan found with its gap.

Every small municipality not placed gets a reason code and a sentence (see
:data:`REASON_CODES`).

The package: :mod:`~wirgeo.consortia.instance` (input checks, scope, roles, neighbours),
:mod:`~wirgeo.consortia.enumeration` (the feasible groups),
:mod:`~wirgeo.consortia.solver` (the MILP and the greedy baseline),
:mod:`~wirgeo.consortia.preference` (preferences among the best plans),
:mod:`~wirgeo.consortia.reasons` (reason codes and sentences, rule violations),
:mod:`~wirgeo.consortia.result` (:class:`Plan`),
:mod:`~wirgeo.consortia.suggest` (the public functions) and
:mod:`~wirgeo.consortia.flexibility` (:func:`plan_flexibility`: which Verbünde every maximum
plan needs, and the alternatives that keep the maximum).

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> result = plan(load_municipalities(), load_rules())
>>> result.status
'optimal'
>>> result.summary_line()
'228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)'
>>> result.summary_line("en")
'covered 228 of 246 small municipalities in 92 consortia (optimal)'
"""

from wirgeo.consortia.flexibility import Flexibility, plan_flexibility
from wirgeo.consortia.instance import REQUIRED_COLUMNS
from wirgeo.consortia.preference import Preference, prefer_groups, prefer_units
from wirgeo.consortia.reasons import REASON_CODES
from wirgeo.consortia.result import Plan, consortium_id
from wirgeo.consortia.suggest import candidate_groups, greedy_plan, partners_for, plan
from wirgeo.municipalities import resolve_kreise

__all__ = ["Plan", "plan", "greedy_plan", "candidate_groups", "partners_for", "consortium_id",
           "resolve_kreise", "REASON_CODES", "REQUIRED_COLUMNS", "Flexibility",
           "plan_flexibility", "Preference", "prefer_groups", "prefer_units"]
