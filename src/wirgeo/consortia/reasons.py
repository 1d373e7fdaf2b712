"""Why every municipality is where the plan puts it: a reason code and a sentence per unit.

The codes are those of :data:`wirgeo.vocabulary.REASONS` (:data:`REASON_CODES` gives
their English meaning). A unit is, in this order of questions:

1. in a consortium (``placed``, ``locked``);
2. never a small Verbund member by its KIV class (:data:`~wirgeo.vocabulary.REASON_OF_CLASS`:
   ``single_applicant``, ``above_band``, ``excluded_status``, ``uninhabited``);
3. small but left out on purpose (:data:`~wirgeo.vocabulary.NOT_PLANNED`);
4. small and unplaced: ``competed`` (feasible groups exist), ``island``,
   ``no_small_neighbour``, ``neighbours_too_small``, ``other_kreis`` or
   ``too_large_together`` (found by enumerating its groups with rules relaxed).

:func:`violations` lists the rules a locked consortium breaks.

Examples
--------
>>> REASON_CODES["competed"]
'feasible consortia exist, but each overlaps one the optimal plan needs'
>>> join_names(["Alsfeld", "Antrifttal", "Feldatal"])
'Alsfeld, Antrifttal and Feldatal'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wirgeo.consortia.enumeration import Candidates, Group, groups_with
from wirgeo.consortia.instance import Instance
from wirgeo.vocabulary import REASONS

__all__ = ["REASON_CODES", "reason_sentences", "violations", "join_names"]

#: Reason codes of the member table: code → what it means.
REASON_CODES = REASONS.labels("en")

_NOT_PLANNED_SENTENCE = {
    "excluded_funded": "Already funded by KIV; not planned again (exclude_funded rule).",
    "excluded_by_rule": "Excluded for this run (exclude rule).",
}


def join_names(names: list[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# -------------------------------------------------------------------------- violations


def violations(inst: Instance, group: Group) -> list[str]:
    """Rules a (locked) group breaks, as short phrases."""
    rules = inst.rules
    pop = inst.pop
    frame = inst.frame
    problems = []
    if not rules.min_members <= len(group) <= rules.max_members:
        problems.append(f"{len(group)} members (rules: {rules.min_members}–"
                        f"{rules.max_members})")
    large = [i for i in group if not rules.may_join(int(pop[i]))]
    if len(large) > (1 if rules.allow_large_partner else 0):
        problems.append(f"members with {rules.member_below:,} or more inhabitants: "
                        + ", ".join(frame.at[i, "name"] for i in large))
    total = int(sum(pop[i] for i in group))
    if not rules.combined_min <= total <= rules.combined_max:
        problems.append(f"combined population {total:,} outside {rules.combined_min:,}–"
                        f"{rules.combined_max:,}")
    problems += _contiguity_violations(inst, group)
    if rules.same_kreis and len({frame.at[i, "kreis_ags"] for i in group}) > 1:
        problems.append("members in more than one Kreis (same_kreis rule)")
    for i in group:
        if inst.eligibility[i] == "not_eligible_status":
            problems.append(f"{frame.at[i, 'name']} is not a KIV applicant "
                            f"({frame.at[i, 'status']})")
        if inst.funded[i] and rules.exclude_funded:
            problems.append(f"{frame.at[i, 'name']} is already funded")
    return problems


def _contiguity_violations(inst: Instance, group: Group) -> list[str]:
    inside = set(group)
    reached, todo = {group[0]}, [group[0]]
    while todo:
        for u in inst.neighbours[todo.pop()]:
            if u in inside and u not in reached:
                reached.add(u)
                todo.append(u)
    if reached != inside:
        return ["members do not form one contiguous area"]
    if inst.rules.contiguity == "mutual" and any(
            b not in inst.neighbours[a] for x, a in enumerate(group) for b in group[x + 1:]):
        return ["not every pair of members borders (mutual rule)"]
    return []


# ----------------------------------------------------------------------------- reasons


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

    def names_of(self, units: list[int] | Group) -> list[str]:
        return [self.names[v] for v in units]


def reason_sentences(inst: Instance, cands: Candidates, member_of: dict[int, str],
                     locked_ids: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """Reason code and sentence for every unit of the instance (by position).

    Parameters
    ----------
    member_of : dict
        Position → consortium id, for every member of a chosen or locked consortium.
    locked_ids : set of str
        Ids of the locked consortia.
    """
    by_unit: dict[int, list[int]] = {}
    for k, g in enumerate(cands.groups):
        for u in g:
            by_unit.setdefault(u, []).append(k)
    members_of_id: dict[str, list[int]] = {}
    for u, cid in member_of.items():
        members_of_id.setdefault(cid, []).append(u)
    ctx = _Context(inst, cands, member_of, locked_ids, inst.frame["name"].to_numpy(), by_unit,
                   members_of_id)
    n = len(inst.frame)
    code = np.full(n, "", dtype=object)
    text = np.full(n, "", dtype=object)
    for u in range(n):
        code[u], text[u] = _reason(ctx, u)
    return code, text


def _reason(ctx: _Context, u: int) -> tuple[str, str]:
    inst = ctx.inst
    if u in ctx.member_of:
        return _member_reason(ctx, u)
    if not inst.small[u]:
        return _class_reason(inst, u)
    if not inst.role[u]:
        # a small municipality taken out by a rule
        return inst.code[u], _NOT_PLANNED_SENTENCE[inst.code[u]]
    return _unplaced_reason(ctx, u)


def _member_reason(ctx: _Context, u: int) -> tuple[str, str]:
    cid = ctx.member_of[u]
    others = ctx.names_of([v for v in sorted(ctx.members_of_id[cid]) if v != u])
    if cid in ctx.locked_ids:
        return "locked", f"In locked consortium {cid} with {join_names(others)}."
    return "placed", f"In consortium {cid} with {join_names(others)}."


def _class_reason(inst: Instance, u: int) -> tuple[str, str]:
    """A unit that is never a small member: its class, or the rule that took it out."""
    rules, pop = inst.rules, int(inst.pop[u])
    # out-of-scope units may have no code; their rows are dropped from the plan
    code = inst.code[u] or ("single_applicant" if rules.in_single_band(pop) else "above_band")
    sentences = {
        "uninhabited": "Gemeindefreies Gebiet without inhabitants; never a member "
                       "of a Verbund.",
        "excluded_status": f"{inst.frame.at[u, 'status'].replace('_', ' ').title()} with "
                           "its own WIR-Vielfaltszentrum; not a KIV applicant.",
        "single_applicant": f"{pop:,} inhabitants: can apply alone "
                            f"({rules.single_min:,}–{rules.single_max:,}).",
        "above_band": f"{pop:,} inhabitants: above the KIV band "
                      f"(up to {rules.single_max:,}).",
        **_NOT_PLANNED_SENTENCE,
    }
    return code, sentences.get(code, REASON_CODES.get(code, code) + ".")


def _unplaced_reason(ctx: _Context, u: int) -> tuple[str, str]:
    """A small municipality the plan could not place: the first question that explains it."""
    if ctx.by_unit.get(u):
        return _competed(ctx, u)
    near = ctx.inst.neighbours[u]
    if not near:
        return "island", "Borders no other inhabited municipality."
    if not any(ctx.inst.role[v] for v in near):
        return _no_partner(ctx, u)
    return _out_of_reach(ctx, u)


def _competed(ctx: _Context, u: int) -> tuple[str, str]:
    cands = ctx.cands
    mine = ctx.by_unit[u]
    best = min(mine, key=lambda k: (-int(cands.same[k]), -cands.border_m[k],
                                    -cands.population[k], cands.groups[k]))
    group = cands.groups[best]
    partners = ctx.names_of([v for v in group if v != u])
    broken = sorted({ctx.member_of[v] for v in group if v in ctx.member_of})
    break_up = [f"{cid} ({join_names(ctx.names_of(sorted(ctx.members_of_id[cid])))})"
                for cid in broken]
    return "competed", (
        f"{len(mine)} feasible {'Verbund' if len(mine) == 1 else 'Verbünde'}, but "
        "each overlaps a suggested consortium that the optimal plan needs. "
        f"Best alternative: with {join_names(partners)} "
        f"({int(cands.population[best]):,} inhabitants"
        f"{', one Kreis' if cands.same[best] else ''}); it would break up "
        f"{join_names(break_up)}.")


def _why_unavailable(ctx: _Context, v: int) -> str:
    inst = ctx.inst
    if v in ctx.member_of:
        return f"in locked consortium {ctx.member_of[v]}"
    if inst.code[v] == "excluded_funded":
        return "already funded"
    if inst.code[v] == "excluded_by_rule":
        return "excluded for this run"
    if not inst.scope[v]:
        return "outside the selected Kreise"
    return "not available"


def _no_partner(ctx: _Context, u: int) -> tuple[str, str]:
    """No neighbour is a possible member: say why each small one is not."""
    inst, rules = ctx.inst, ctx.inst.rules
    near = inst.neighbours[u]
    blocked = [v for v in near if rules.may_join(int(inst.pop[v]))
               and inst.eligibility[v] != "not_eligible_status"]
    detail = "; ".join(f"{ctx.names[v]}: {_why_unavailable(ctx, v)}" for v in blocked)
    size = f"under {rules.member_below:,}" + (
        " (or a larger partner)" if rules.allow_large_partner else "")
    return "no_small_neighbour", (
        f"None of its {len(near)} neighbours is a possible partner {size}"
        + (f" ({detail})." if detail else
           f": all have {rules.member_below:,} inhabitants or more."))


def _out_of_reach(ctx: _Context, u: int) -> tuple[str, str]:
    """Partners exist, but no group meets the population bounds (and one Kreis)."""
    inst, rules = ctx.inst, ctx.inst.rules
    relaxed = groups_with(inst, u, combined_bounds=False, same_kreis=False)
    totals = [int(sum(inst.pop[i] for i in g)) for g in relaxed]
    reach = max(totals) if totals else int(inst.pop[u])
    best_group = relaxed[int(np.argmax(totals))] if totals else (u,)
    if reach < rules.combined_min:
        return "neighbours_too_small", (
            f"With its neighbours it reaches at most {reach:,} inhabitants ("
            f"{join_names(ctx.names_of(best_group))}); a Verbund needs "
            f"{rules.combined_min:,}.")
    kreis = inst.frame["kreis_ags"].to_numpy()
    within = [g for g, t in zip(relaxed, totals, strict=True)
              if rules.combined_min <= t <= rules.combined_max]
    if within:
        g = max(within, key=lambda g: (len({kreis[i] for i in g}) == 1, -len(g)))
        return "other_kreis", (
            f"Reaches {rules.combined_min:,} inhabitants only across a Kreis "
            f"border (e.g. with {join_names(ctx.names_of([v for v in g if v != u]))}); "
            "the rules require one Kreis.")
    return "too_large_together", (
        f"Every group reaching {rules.combined_min:,} inhabitants exceeds "
        f"the combined maximum of {rules.combined_max:,}.")
