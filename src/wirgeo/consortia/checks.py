"""Which rules a given group of municipalities breaks, as codes: one home for the check.

The enumeration (:mod:`~wirgeo.consortia.enumeration`) only ever builds groups that meet
the rules. Groups that people make — a locked Verbund, a Verbund of a plan document, a
Verbund of last year's plan under a new population release — are checked here, against
the same :class:`~wirgeo.rules.KivRules` predicates and the same contiguity
(:mod:`wirgeo.adjacency`) the engine plans with. The answer is codes with the members
concerned, never sentences: :func:`wirgeo.consortia.reasons.violations` and the front ends
put them into words.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.consortia.instance import prepare
>>> from wirgeo.rules import load_rules
>>> inst = prepare(load_municipalities(), load_rules(), kreise=["Vogelsbergkreis"])
>>> def members(*ags):
...     return tuple(sorted(inst.position[a] for a in ags))
>>> rule_breaks(inst, members("06535003", "06535013", "06535018"))  # Feldatal, Mücke, …
{}
>>> found = rule_breaks(inst, members("06535001", "06535002", "06535019"))
>>> {code: [inst.frame.at[i, "name"] for i in who] for code, who in found.items()}
{'member_too_large': ['Alsfeld'], 'not_contiguous': []}
"""

from __future__ import annotations

from collections.abc import Callable

from wirgeo.consortia.enumeration import Group
from wirgeo.consortia.instance import Instance

__all__ = ["RULE_BREAKS", "rule_breaks"]

#: The rules a group can break, in the order they are checked (codes of
#: :func:`rule_breaks`, English, stable in every file).
RULE_BREAKS = (
    "too_few_members",       # fewer members than rules.min_members
    "too_many_members",      # more members than rules.max_members
    "member_too_large",      # members at or over rules.member_below (beyond a large partner)
    "population_below_min",  # combined population under rules.combined_min
    "population_above_max",  # combined population over rules.combined_max
    "not_contiguous",        # the members do not form one contiguous area
    "not_mutual",            # rule "mutual": not every pair of members borders
    "several_kreise",        # rule "same_kreis": members in more than one Kreis
    "not_applicant",         # a kreisfreie Stadt or Sonderstatusstadt (own centre)
    "uninhabited_member",    # a gemeindefreies Gebiet without inhabitants
    "funded_member",         # already funded (rule exclude_funded)
    "excluded_member",       # excluded for this run (rules.exclude)
)


def rule_breaks(inst: Instance, group: Group) -> dict[str, tuple[int, ...]]:
    """The rules ``group`` breaks: code → the members concerned (by position).

    Parameters
    ----------
    inst : Instance
        The instance whose rules, figures and contiguity apply.
    group : tuple of int
        Positions of the members, sorted.

    Returns
    -------
    dict
        Codes of :data:`RULE_BREAKS` in that order; the members a code is about (the
        large ones, the one not applicant, …), or ``()`` for a rule of the whole group.
        Empty when the group meets every rule.
    """
    rules = inst.rules
    # size and population: the rules' own predicates; positions there are within group
    found: dict[str, tuple[int, ...]] = {
        code: tuple(group[k] for k in who)
        for code, who in rules.group_breaks([int(inst.pop[i]) for i in group]).items()}
    contiguity = _contiguity(inst, group)
    if contiguity:
        found[contiguity] = ()
    if rules.same_kreis and len({inst.frame.at[i, "kreis_ags"] for i in group}) > 1:
        found["several_kreise"] = ()
    _members(inst, group, found)
    return found


def _members(inst: Instance, group: Group, found: dict[str, tuple[int, ...]]) -> None:
    """The rules about single members: status, inhabitants, funding, exclusion."""
    excluded = {inst.position[a] for a in inst.rules.exclude if a in inst.position}
    checks: dict[str, Callable[[int], bool]] = {
        "not_applicant": lambda i: inst.eligibility[i] == "not_eligible_status",
        "uninhabited_member": lambda i: int(inst.pop[i]) <= 0,
        "funded_member": lambda i: bool(inst.funded[i]) and bool(inst.rules.exclude_funded),
        "excluded_member": lambda i: i in excluded,
    }
    for code, applies in checks.items():
        who = tuple(i for i in group if applies(i))
        if who:
            found[code] = who


def _contiguity(inst: Instance, group: Group) -> str:
    """"not_contiguous", "not_mutual" (rule mutual) or "" for a group that lies right."""
    if len(group) < 2:
        return ""
    inside = set(group)
    reached, todo = {group[0]}, [group[0]]
    while todo:
        for u in inst.neighbours[todo.pop()]:
            if u in inside and u not in reached:
                reached.add(u)
                todo.append(u)
    if reached != inside:
        return "not_contiguous"
    if inst.rules.contiguity == "mutual" and any(
            b not in inst.neighbours[a] for x, a in enumerate(group) for b in group[x + 1:]):
        return "not_mutual"
    return ""
