"""Why every municipality is where the plan puts it: a reason code and its figures per unit.

The codes are those of :data:`wirgeo.vocabulary.REASONS` (:data:`REASON_CODES` gives
their English meaning); each comes with the figures a sentence about it needs (names of
partners, inhabitants, thresholds), which :mod:`wirgeo.wording` turns into words. A unit
is, in this order of questions:

1. in a consortium (``placed``, ``locked``);
2. never a small Verbund member by its KIV class (:data:`~wirgeo.vocabulary.REASON_OF_CLASS`:
   ``single_applicant``, ``above_band``, ``excluded_status``, ``uninhabited``);
3. small but left out on purpose (:data:`~wirgeo.vocabulary.NOT_PLANNED`);
4. small and unplaced: ``competed`` (feasible groups exist), ``island``,
   ``no_small_neighbour``, ``neighbours_too_small``, ``other_kreis`` or
   ``too_large_together`` (found by enumerating its groups with rules relaxed), or
   ``refused`` (every feasible group of it was refused: ``plan(rejected=…)``).

:func:`violations` lists the rules a locked consortium breaks, as :class:`Violation`
codes with their figures.

Figures of each reason code (keys of the ``reason_figures`` dict of ``Plan.members``):

========================  ==========================================================
``placed``, ``locked``    ``consortium_id``, ``partners`` (names), ``via`` (names of
                          the uninhabited areas the members meet across, if any)
``single_applicant``      ``population``, ``single_min``, ``single_max``
``above_band``            ``population``, ``single_max``
``excluded_status``       ``status`` (a :data:`~wirgeo.vocabulary.STATUS` code)
``competed``              ``options`` (feasible groups), ``partners`` and ``population``
                          of the best alternative, ``same_kreis``, ``break_up`` (the
                          Verbünde it would dissolve: ``consortium_id``, ``members``)
``no_small_neighbour``    ``neighbours`` (count), ``blocked`` (each small neighbour:
                          ``name``, ``why`` — ``locked``, ``excluded_funded``,
                          ``excluded_by_rule``, ``outside_kreise`` or ``unavailable``
                          — and ``consortium_id``), ``member_below``,
                          ``allow_large_partner``
``neighbours_too_small``  ``reach`` (most inhabitants with neighbours), ``group``
                          (its names), ``combined_min``
``other_kreis``           ``combined_min``, ``partners`` (a group across the border)
``too_large_together``    ``combined_min``, ``combined_max``
``refused``               ``groups`` (each refused group: the partners' names)
others                    none
========================  ==========================================================

Examples
--------
>>> REASON_CODES["competed"]
'feasible consortia exist, but each overlaps one the optimal plan needs'
>>> VIOLATION_CODES[:3]
('too_few_members', 'too_many_members', 'member_too_large')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wirgeo.consortia.checks import RULE_BREAKS, rule_breaks
from wirgeo.consortia.enumeration import Candidates, Group, groups_with
from wirgeo.consortia.instance import Instance
from wirgeo.vocabulary import REASONS, ReasonCode

__all__ = ["REASON_CODES", "VIOLATION_CODES", "Violation", "reasons", "violations"]

#: Reason codes of the member table: code → what it means.
REASON_CODES = REASONS.meanings

#: Codes of the rules a group may break (:class:`Violation`): those of
#: :data:`~wirgeo.consortia.checks.RULE_BREAKS` with their figures —
#: ``too_few_members``/``too_many_members`` (``members``, ``min_members``,
#: ``max_members``), ``member_too_large`` (``names``, ``member_below``),
#: ``population_below_min``/``population_above_max`` (``population``, ``combined_min``,
#: ``combined_max``), ``not_contiguous``, ``not_mutual``, ``several_kreise`` (none), the
#: member rules ``not_applicant``, ``uninhabited_member``, ``funded_member``,
#: ``excluded_member`` (``name``, ``status``; one per member) — and, for a Verbund compared
#: with a new population release, ``not_in_new_table`` (``ags``).
VIOLATION_CODES = (*RULE_BREAKS, "not_in_new_table")


@dataclass(frozen=True)
class Violation:
    """One rule a group breaks: a code of :data:`VIOLATION_CODES` and its figures."""

    code: str
    figures: Mapping[str, Any] = field(default_factory=dict)


# -------------------------------------------------------------------------- violations


def violations(inst: Instance, group: Group) -> list[Violation]:
    """Rules a (locked) group breaks, with the figures their phrases need.

    The check is :func:`~wirgeo.consortia.checks.rule_breaks` (one home for it); a rule
    about single members gives one violation per member.
    """
    rules, pop, frame = inst.rules, inst.pop, inst.frame
    found = []
    for code, who in rule_breaks(inst, group).items():
        if code in ("too_few_members", "too_many_members"):
            found.append(Violation(code, {"members": len(group),
                                          "min_members": rules.min_members,
                                          "max_members": rules.max_members}))
        elif code == "member_too_large":
            found.append(Violation(code, {"names": [str(frame.at[i, "name"]) for i in who],
                                          "member_below": rules.member_below}))
        elif code in ("population_below_min", "population_above_max"):
            found.append(Violation(code, {"population": int(sum(int(pop[i]) for i in group)),
                                          "combined_min": rules.combined_min,
                                          "combined_max": rules.combined_max}))
        elif not who:  # a rule of the whole group
            found.append(Violation(code))
        else:
            found += [Violation(code, {"name": str(frame.at[i, "name"]),
                                       "status": str(frame.at[i, "status"])})
                      for i in who]
    return found


# ----------------------------------------------------------------------------- reasons

Figures = dict[str, Any]


@dataclass
class _Context:
    """The plan as the reasons see it."""

    inst: Instance
    cands: Candidates
    member_of: dict[int, str]          # unit → consortium id
    locked_ids: set[str]
    names: np.ndarray
    by_unit: dict[int, list[int]]      # unit → candidates containing it
    members_of_id: dict[str, list[int]]
    via: dict[str, list[str]]          # consortium id → names of linking uninhabited areas
    refused: dict[int, list[Group]]    # unit → its feasible groups that were rejected

    def names_of(self, units: list[int] | Group) -> list[str]:
        return [str(self.names[v]) for v in units]


def reasons(inst: Instance, cands: Candidates, member_of: dict[int, str],
            locked_ids: set[str], via: dict[str, list[str]]
            ) -> tuple[np.ndarray, list[Figures]]:
    """Reason code and its figures for every unit of the instance (by position).

    Parameters
    ----------
    member_of : dict
        Position → consortium id, for every member of a chosen or locked consortium.
    locked_ids : set of str
        Ids of the locked consortia.
    via : dict
        Consortium id → names of the uninhabited areas its members meet across only.
    """
    by_unit: dict[int, list[int]] = {}
    for k, g in enumerate(cands.groups):
        for u in g:
            by_unit.setdefault(u, []).append(k)
    members_of_id: dict[str, list[int]] = {}
    for u, cid in member_of.items():
        members_of_id.setdefault(cid, []).append(u)
    refused: dict[int, list[Group]] = {}
    for g in cands.refused:
        for u in g:
            refused.setdefault(u, []).append(g)
    ctx = _Context(inst, cands, member_of, locked_ids, inst.frame["name"].to_numpy(), by_unit,
                   members_of_id, via, refused)
    n = len(inst.frame)
    code = np.full(n, "", dtype=object)
    figures: list[Figures] = []
    for u in range(n):
        code[u], found = _reason(ctx, u)
        figures.append(found)
    return code, figures


def _reason(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    inst = ctx.inst
    if u in ctx.member_of:
        return _member_reason(ctx, u)
    if not inst.small[u]:
        return _class_reason(ctx, u)
    if not inst.role[u]:
        # a small municipality taken out by a rule
        return inst.code[u], {}
    return _unplaced_reason(ctx, u)


def _member_reason(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    cid = ctx.member_of[u]
    partners = ctx.names_of([v for v in sorted(ctx.members_of_id[cid]) if v != u])
    figures = {"consortium_id": cid, "partners": partners, "via": list(ctx.via.get(cid, []))}
    return ("locked" if cid in ctx.locked_ids else "placed"), figures


def _class_reason(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    """A unit that is never a small member: its class, or the rule that took it out."""
    inst = ctx.inst
    rules, pop = inst.rules, int(inst.pop[u])
    # out-of-scope units may have no code; their rows are dropped from the plan
    code: ReasonCode = inst.code[u] or (
        "single_applicant" if rules.in_single_band(pop) else "above_band")
    if code == "excluded_status":
        return code, {"status": str(inst.frame.at[u, "status"])}
    if code == "single_applicant":
        return code, {"population": pop, "single_min": rules.single_min,
                      "single_max": rules.single_max}
    if code == "above_band":
        return code, {"population": pop, "single_max": rules.single_max}
    return code, {}


def _unplaced_reason(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    """A small municipality the plan could not place: the first question that explains it."""
    if ctx.by_unit.get(u):
        return _competed(ctx, u)
    if ctx.refused.get(u):
        return _refused(ctx, u)
    near = ctx.inst.neighbours[u]
    if not near:
        return "island", {}
    if not any(ctx.inst.role[v] for v in near):
        return _no_partner(ctx, u)
    return _out_of_reach(ctx, u)


def _competed(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    cands = ctx.cands
    mine = ctx.by_unit[u]
    best = min(mine, key=lambda k: (-int(cands.same[k]), -cands.border_m[k],
                                    -cands.population[k], cands.groups[k]))
    group = cands.groups[best]
    broken = sorted({ctx.member_of[v] for v in group if v in ctx.member_of})
    return "competed", {
        "options": len(mine),
        "partners": ctx.names_of([v for v in group if v != u]),
        "population": int(cands.population[best]),
        "same_kreis": bool(cands.same[best]),
        "break_up": [{"consortium_id": cid,
                      "members": ctx.names_of(sorted(ctx.members_of_id[cid]))}
                     for cid in broken]}


def _refused(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    """Every feasible group of ``u`` was refused (``plan(rejected=…)``)."""
    return "refused", {"groups": [ctx.names_of([v for v in g if v != u])
                                  for g in ctx.refused[u]]}


def _why_unavailable(ctx: _Context, v: int) -> tuple[str, str | None]:
    """Why a small neighbour is no partner: a code, and its Verbund when it is in one."""
    inst = ctx.inst
    if v in ctx.member_of:
        return "locked", ctx.member_of[v]
    if inst.code[v] in ("excluded_funded", "excluded_by_rule"):
        return inst.code[v], None
    if not inst.scope[v]:
        return "outside_kreise", None
    return "unavailable", None


def _no_partner(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    """No neighbour is a possible member: say why each small one is not."""
    inst, rules = ctx.inst, ctx.inst.rules
    near = inst.neighbours[u]
    blocked = []
    for v in near:
        if rules.may_join(int(inst.pop[v])) and inst.eligibility[v] != "not_eligible_status":
            why, cid = _why_unavailable(ctx, v)
            blocked.append({"name": str(ctx.names[v]), "why": why, "consortium_id": cid})
    return "no_small_neighbour", {"neighbours": len(near), "blocked": blocked,
                                  "member_below": rules.member_below,
                                  "allow_large_partner": rules.allow_large_partner}


def _out_of_reach(ctx: _Context, u: int) -> tuple[ReasonCode, Figures]:
    """Partners exist, but no group meets the population bounds (and one Kreis)."""
    inst, rules = ctx.inst, ctx.inst.rules
    relaxed = groups_with(inst, u, combined_bounds=False, same_kreis=False)
    totals = [int(sum(inst.pop[i] for i in g)) for g in relaxed]
    reach = max(totals) if totals else int(inst.pop[u])
    best_group = relaxed[int(np.argmax(totals))] if totals else (u,)
    if reach < rules.combined_min:
        return "neighbours_too_small", {"reach": reach, "group": ctx.names_of(best_group),
                                        "combined_min": rules.combined_min}
    kreis = inst.frame["kreis_ags"].to_numpy()
    within = [g for g, t in zip(relaxed, totals, strict=True)
              if rules.population_fits(t)]
    if within:
        g = max(within, key=lambda g: (len({kreis[i] for i in g}) == 1, -len(g)))
        return "other_kreis", {"combined_min": rules.combined_min,
                               "partners": ctx.names_of([v for v in g if v != u])}
    return "too_large_together", {"combined_min": rules.combined_min,
                                  "combined_max": rules.combined_max}
