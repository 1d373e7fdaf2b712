"""The public functions: the optimal plan, the greedy baseline, feasible groups, partners.

Each call prepares the instance (:mod:`~wirgeo.consortia.instance`), enumerates the
candidates (:mod:`~wirgeo.consortia.enumeration`), chooses among them
(:mod:`~wirgeo.consortia.solver`) and builds the :class:`~wirgeo.consortia.result.Plan`
(:mod:`~wirgeo.consortia.result`).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.consortia.enumeration import candidates
from wirgeo.consortia.instance import prepare
from wirgeo.consortia.preference import Preference, preference_weights
from wirgeo.consortia.result import Plan, build_plan, candidates_table
from wirgeo.consortia.solver import Outcome, greedy, solve
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import resolve_municipality
from wirgeo.rules import KivRules, check_time_limit

__all__ = ["plan", "greedy_plan", "candidate_groups", "partners_for"]

Kreise = str | Iterable[str] | None


def candidate_groups(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                     funded: Iterable[str] = (), kreise: Kreise = None,
                     adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
                     link_via_uninhabited: bool = True) -> pd.DataFrame:
    """Every feasible Verbund under the rules (the solver's candidates).

    Parameters are those of :func:`plan`. Columns as :attr:`Plan.candidates` without
    ``consortium_id``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> groups = candidate_groups(load_municipalities(), load_rules())
    >>> len(groups), int(groups.population.min()) >= load_rules().combined_min
    (985, True)
    """
    inst = prepare(municipalities, rules, funded=funded, kreise=kreise, adjacency=adjacency,
                   buffer=buffer, link_via_uninhabited=link_via_uninhabited)
    return candidates_table(inst, candidates(inst), {}).drop(columns="consortium_id")


def plan(municipalities: gpd.GeoDataFrame, rules: KivRules, *, funded: Iterable[str] = (),
         kreise: Kreise = None, time_limit: float | None = None,
         adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
         link_via_uninhabited: bool = True,
         rejected: Iterable[Iterable[str]] = (),
         prefer: Preference | Sequence[Preference] = ()) -> Plan:
    """Find the optimal plan of consortia under the rules.

    Parameters
    ----------
    municipalities : GeoDataFrame
        As from :func:`wirgeo.load_municipalities` (columns :data:`REQUIRED_COLUMNS`).
    rules : KivRules
        From :func:`wirgeo.rules.load_rules`; ``rules.exclude`` and ``rules.lock`` name
        municipalities by AGS.
    funded : iterable of str
        AGS already funded (left out when ``rules.exclude_funded``).
    kreise : str or iterable of str, optional
        Plan only within these Kreise (names or 5-digit keys, as
        :func:`wirgeo.municipalities.resolve_kreise` reads them); every member of a
        consortium lies in them. None or empty: the whole table.
    time_limit : float, optional
        Seconds for the whole solve; the best plan found is returned with its gap.
    adjacency : Adjacency, optional
        Precomputed :func:`wirgeo.adjacency.contiguity` of ``municipalities``.
    buffer, link_via_uninhabited
        Passed to :func:`wirgeo.adjacency.contiguity` when ``adjacency`` is not given.
    rejected : iterable of iterable of str
        Groups (AGS) never to propose: exactly these members together were refused. Each
        member may still be placed with other partners; one whose every possible
        Verbund was refused gets the reason ``refused``.
    prefer : Preference or sequence of Preference
        Among the plans placing the most small municipalities, prefer the largest total
        weight (:mod:`~wirgeo.consortia.preference`), each a level of its own right
        after coverage, before the engine's tie-breaks; proven lexicographically.

    Returns
    -------
    Plan

    Raises
    ------
    ArgumentError
        Naming the argument: an unknown Kreis (``kreise``), an AGS in ``exclude`` or
        ``lock`` of the rules or in ``rejected`` that is not in the table, a bad
        ``time_limit``, or an argument of the wrong type.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> gem = load_municipalities()
    >>> two = plan(gem, load_rules(max_members=2), kreise=["Vogelsbergkreis"])
    >>> two.n_covered, two.n_small, len(two.consortia), two.status
    (6, 16, 3, 'optimal')
    >>> two.members.query("small").reason_code.value_counts().to_dict()
    {'neighbours_too_small': 7, 'placed': 6, 'competed': 3}
    """
    return _optimal(municipalities, rules, funded=funded, kreise=kreise,
                    time_limit=time_limit, adjacency=adjacency, buffer=buffer,
                    link_via_uninhabited=link_via_uninhabited, rejected=rejected,
                    prefer=prefer)


def _preferences(prefer: Preference | Sequence[Preference]) -> tuple[Preference, ...]:
    items = (prefer,) if isinstance(prefer, Preference) else tuple(prefer)
    wrong = [p for p in items if not isinstance(p, Preference)]
    if wrong:
        raise ArgumentError("prefer", _("expects Preference objects, got {kind}").format(
            kind=type(wrong[0]).__name__),
            fix=_("build them with prefer_groups() or prefer_units()"))
    return items


def _optimal(municipalities: gpd.GeoDataFrame, rules: KivRules, *, funded: Iterable[str],
             kreise: Kreise, time_limit: float | None, adjacency: Adjacency | None,
             buffer: float, link_via_uninhabited: bool,
             rejected: Iterable[Iterable[str]] = (),
             prefer: Preference | Sequence[Preference] = ()) -> Plan:
    """:func:`plan` under a name that ``partners_for``'s argument ``plan`` does not hide."""
    started = time.perf_counter()
    time_limit = check_time_limit(time_limit)
    preferences = _preferences(prefer)
    inst = prepare(municipalities, rules, funded=funded, kreise=kreise, adjacency=adjacency,
                   buffer=buffer, link_via_uninhabited=link_via_uninhabited,
                   rejected=rejected)
    cands = candidates(inst)
    weights = preference_weights(preferences, cands.groups, inst.ags)
    # the time limit covers the whole call: what preparing took is not left to solve
    left = None if time_limit is None else max(time_limit - (time.perf_counter() - started),
                                               0.01)
    result = build_plan(inst, cands, solve(cands, len(inst.frame), left, prefer=weights),
                        started=started)
    return dataclasses.replace(result, preferences=preferences)


def greedy_plan(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                funded: Iterable[str] = (), kreise: Kreise = None,
                adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
                link_via_uninhabited: bool = True) -> Plan:
    """Plan greedily (most constrained municipality first): the baseline to beat.

    Same parameters and result as :func:`plan`, with status ``"heuristic"``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> greedy_plan(load_municipalities(), load_rules()).n_covered <= 228
    True
    """
    started = time.perf_counter()
    inst = prepare(municipalities, rules, funded=funded, kreise=kreise, adjacency=adjacency,
                   buffer=buffer, link_via_uninhabited=link_via_uninhabited)
    cands = candidates(inst)
    chosen = greedy(cands, inst)
    covered = int(cands.n_small[chosen].sum()) if len(chosen) else 0
    outcome = Outcome(chosen, "heuristic", math.nan, "", covered, [])
    return build_plan(inst, cands, outcome, started=started)


def partners_for(name_or_ags: str, municipalities: gpd.GeoDataFrame, rules: KivRules, *,
                 funded: Iterable[str] = (), kreise: Kreise = None,
                 adjacency: Adjacency | None = None, plan: Plan | None = None,
                 buffer: float = DEFAULT_BUFFER_M, link_via_uninhabited: bool = True
                 ) -> pd.DataFrame:
    """Every feasible Verbund containing one municipality, best first.

    Every partner the rules allow is listed, across Kreis borders unless the rules require
    one Kreis — also when ``plan`` was planned only within some Kreise. Ranked by: the
    group of the plan first, then all members in one Kreis, the longest shared border,
    the largest population.

    Parameters
    ----------
    name_or_ags : str
        Name (as in ``name`` or ``name_official``) or 8-digit AGS, as
        :func:`wirgeo.municipalities.resolve_municipality` reads it.
    plan : Plan, optional
        The plan to mark; computed with the same arguments when not given.

    Returns
    -------
    DataFrame
        ``rank``, ``partners`` (names of the others, a tuple), ``partner_ags``,
        ``member_ags``, ``member_names``, ``n_members``, ``population``, ``same_kreis``,
        ``kreis_names``, ``shared_border_km``, ``in_plan`` (the group the plan chose),
        ``blocked_by`` (consortia of the plan that hold another member; never the
        municipality's own, which it would leave for this group). Lists are tuples of
        str (files join them, :mod:`wirgeo.core.lists`).
        ``attrs`` hold the municipality's ``reason_code`` and ``reason_figures`` from the
        plan (``outside_kreise`` when the plan was made without its Kreis).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> gem = load_municipalities()
    >>> table = partners_for("Reinhardshagen", gem, load_rules())
    >>> int(table.in_plan.sum()), len(table)
    (1, 17)
    >>> within = plan(gem, load_rules(), kreise="Vogelsbergkreis")
    >>> len(partners_for("Freiensteinau", gem, load_rules(), plan=within))
    10
    """
    # the name first: a typo should not wait for the solver
    ags = resolve_municipality(name_or_ags, municipalities, argument="name_or_ags")
    if plan is None:
        plan = _optimal(municipalities, rules, funded=funded, kreise=kreise, time_limit=None,
                        adjacency=adjacency, buffer=buffer,
                        link_via_uninhabited=link_via_uninhabited)
    candidates = plan.candidates
    if len(plan.members) < len(municipalities):
        # planned within some Kreise: the lookup still shows every partner the rules allow
        candidates = candidate_groups(municipalities, plan.rules,
                                      funded=funded or plan.funded, adjacency=adjacency,
                                      buffer=buffer,
                                      link_via_uninhabited=link_via_uninhabited)
        chosen = dict(zip(plan.candidates["member_ags"], plan.candidates["consortium_id"],
                          strict=True))
        candidates["consortium_id"] = pd.Series(
            [chosen.get(m) for m in candidates["member_ags"]], index=candidates.index,
            dtype=object)
    names = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
    table = _groups_of(ags, candidates, plan, names)
    row = plan.members.loc[plan.members["ags"] == ags]
    table.attrs["reason_code"] = row["reason_code"].iloc[0] if len(row) else "outside_kreise"
    table.attrs["reason_figures"] = dict(row["reason_figures"].iloc[0]) if len(row) else {}
    table.attrs["ags"] = ags
    table.attrs["name"] = names[ags]
    return table


def _groups_of(ags: str, cands: pd.DataFrame, plan: Plan, names: dict[str, str]
               ) -> pd.DataFrame:
    """The candidates containing ``ags``, ranked, with who blocks each."""
    mine = cands[[ags in members for members in cands["member_ags"]]].copy()
    holder = dict(zip(plan.members["ags"], plan.members["consortium_id"], strict=True))
    own = holder.get(ags)  # its own Verbund does not block it: it would leave it
    partner_ags = [tuple(a for a in members if a != ags) for members in mine["member_ags"]]
    mine["partner_ags"] = pd.Series(partner_ags, index=mine.index, dtype=object)
    mine["partners"] = pd.Series([tuple(names.get(a, a) for a in group)
                                  for group in partner_ags], index=mine.index, dtype=object)
    mine["in_plan"] = mine["consortium_id"].notna()
    mine["blocked_by"] = pd.Series([
        () if chosen else tuple(sorted({holder[a] for a in members
                                        if holder.get(a) and holder[a] != own}))
        for members, chosen in zip(mine["member_ags"], mine["in_plan"], strict=True)],
        index=mine.index, dtype=object)
    # ties broken by the members' keys (tuples sort as their ";"-joined text would)
    mine["_order"] = [";".join(members) for members in mine["member_ags"]]
    mine = mine.sort_values(["in_plan", "same_kreis", "shared_border_km", "population",
                             "_order"],
                            ascending=[False, False, False, False, True]).reset_index(drop=True)
    mine.insert(0, "rank", np.arange(1, len(mine) + 1))
    columns = ["rank", "partners", "partner_ags", "member_ags", "member_names", "n_members",
               "population", "same_kreis", "kreis_names", "shared_border_km", "in_plan",
               "blocked_by"]
    return mine[columns]
