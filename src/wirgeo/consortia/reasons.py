"""Why every municipality is where the plan puts it: a reason code and a sentence per unit.

The codes are those of :data:`wirgeo.vocabulary.REASONS` (:data:`REASON_CODES` gives
their English meaning); the sentences are written in the plan's language (German by
default, see :mod:`wirgeo.core.i18n`), with numbers in its format. A unit is, in this order
of questions:

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
>>> join_names(["Alsfeld", "Antrifttal", "Feldatal"], "de")
'Alsfeld, Antrifttal und Feldatal'
>>> join_names(["Alsfeld", "Antrifttal"], "en")
'Alsfeld and Antrifttal'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wirgeo.consortia.checks import rule_breaks
from wirgeo.consortia.enumeration import Candidates, Group, groups_with
from wirgeo.consortia.instance import Instance
from wirgeo.core.i18n import _, ngettext, number, pick
from wirgeo.vocabulary import REASONS, STATUS

__all__ = ["REASON_CODES", "reason_sentences", "violations", "join_names", "via_phrase"]

#: Reason codes of the member table: code → what it means.
REASON_CODES = REASONS.labels("en")

_AND = {"de": "und", "en": "and"}

_NOT_PLANNED_SENTENCE = {
    "excluded_funded": {
        "de": "Bereits über KIV gefördert; wird nicht erneut eingeplant (Regel: bereits "
              "Geförderte ausnehmen).",
        "en": "Already funded by KIV; not planned again (exclude_funded rule)."},
    "excluded_by_rule": {"de": "Für diesen Lauf ausgeschlossen.",
                         "en": "Excluded for this run (exclude rule)."},
}


def join_names(names: list[str], lang: str) -> str:
    """``"A"``, ``"A und B"``, ``"A, B und C"`` (``and`` in English)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {_AND[lang]} " + names[-1]


def via_phrase(areas: list[str], lang: str) -> str:
    """" (verbunden über …)": how members that do not border each other are linked."""
    if not areas:
        return ""
    joined = join_names(areas, lang)
    return pick({"de": f" (verbunden über das gemeindefreie Gebiet {joined})"
                       if len(areas) == 1 else
                       f" (verbunden über die gemeindefreien Gebiete {joined})",
                 "en": f" (linked across the uninhabited area {joined})"
                       if len(areas) == 1 else
                       f" (linked across the uninhabited areas {joined})"}, lang)


# -------------------------------------------------------------------------- violations


def violations(inst: Instance, group: Group, lang: str) -> list[str]:
    """Rules a (locked) group breaks, as short phrases in ``lang``.

    The check is :func:`~wirgeo.consortia.checks.rule_breaks` (codes); this puts its codes
    into words for the tables of a plan.
    """
    rules = inst.rules
    pop = inst.pop
    frame = inst.frame
    n = {"min": number(rules.combined_min, lang), "max": number(rules.combined_max, lang),
         "below": number(rules.member_below, lang)}
    problems = []
    for code, who in rule_breaks(inst, group).items():
        names = ", ".join(frame.at[i, "name"] for i in who)
        if code in ("too_few_members", "too_many_members"):
            problems.append(pick({"de": f"{len(group)} Mitglieder (Regeln: {rules.min_members}–"
                                        f"{rules.max_members})",
                                  "en": f"{len(group)} members (rules: {rules.min_members}–"
                                        f"{rules.max_members})"}, lang))
        elif code == "member_too_large":
            problems.append(pick({"de": f"Mitglieder mit {n['below']} oder mehr Einwohnern: "
                                        f"{names}",
                                  "en": f"members with {n['below']} or more inhabitants: "
                                        f"{names}"}, lang))
        elif code in ("population_below_min", "population_above_max"):
            total = number(int(sum(pop[i] for i in group)), lang)
            problems.append(pick({"de": f"zusammen {total} Einwohner, außerhalb von "
                                        f"{n['min']}–{n['max']}",
                                  "en": f"combined population {total} outside "
                                        f"{n['min']}–{n['max']}"}, lang))
        else:
            problems += _member_violations(inst, code, who, lang)
    return problems


def _member_violations(inst: Instance, code: str, who: tuple[int, ...], lang: str
                       ) -> list[str]:
    """The phrases of the contiguity, Kreis and single-member codes of :func:`violations`."""
    frame = inst.frame
    fixed = {
        "not_contiguous": {"de": "Mitglieder bilden kein zusammenhängendes Gebiet",
                           "en": "members do not form one contiguous area"},
        "not_mutual": {"de": "nicht jedes Mitgliederpaar grenzt aneinander (Regel: alle "
                             "grenzen aneinander)",
                       "en": "not every pair of members borders (mutual rule)"},
        "several_kreise": {"de": "Mitglieder in mehr als einem Kreis (Regel: ein Kreis)",
                           "en": "members in more than one Kreis (same_kreis rule)"},
    }
    if code in fixed:
        return [pick(fixed[code], lang)]
    problems = []
    for i in who:
        name = frame.at[i, "name"]
        if code == "not_applicant":
            status = STATUS.label(frame.at[i, "status"], lang)
            problems.append(pick({"de": f"{name} ist kein KIV-Antragsteller ({status})",
                                  "en": f"{name} is not a KIV applicant ({status})"}, lang))
        elif code == "funded_member":
            problems.append(pick({"de": f"{name} ist bereits gefördert",
                                  "en": f"{name} is already funded"}, lang))
        elif code == "uninhabited_member":
            problems.append(_("{name} has no inhabitants", lang).format(name=name))
        elif code == "excluded_member":
            problems.append(_("{name} is excluded for this run", lang).format(name=name))
    return problems


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
    via: dict[str, list[str]]          # consortium id → names of linking uninhabited areas
    lang: str
    refused: dict[int, list[Group]]    # unit → its feasible groups that were rejected

    def names_of(self, units: list[int] | Group) -> list[str]:
        return [self.names[v] for v in units]

    def num(self, value: float) -> str:
        return number(value, self.lang)

    def say(self, de: str, en: str) -> str:
        return de if self.lang == "de" else en


def reason_sentences(inst: Instance, cands: Candidates, member_of: dict[int, str],
                     locked_ids: set[str], via: dict[str, list[str]], lang: str
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Reason code and sentence (in ``lang``) for every unit of the instance (by position).

    Parameters
    ----------
    member_of : dict
        Position → consortium id, for every member of a chosen or locked consortium.
    locked_ids : set of str
        Ids of the locked consortia.
    via : dict
        Consortium id → names of the uninhabited areas its members meet across only.
    lang : str
        Language of the sentences.
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
                   members_of_id, via, lang, refused)
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
        return _class_reason(ctx, u)
    if not inst.role[u]:
        # a small municipality taken out by a rule
        return inst.code[u], pick(_NOT_PLANNED_SENTENCE[inst.code[u]], ctx.lang)
    return _unplaced_reason(ctx, u)


def _member_reason(ctx: _Context, u: int) -> tuple[str, str]:
    cid = ctx.member_of[u]
    others = join_names(ctx.names_of([v for v in sorted(ctx.members_of_id[cid]) if v != u]),
                        ctx.lang)
    via = via_phrase(ctx.via.get(cid, []), ctx.lang)
    if cid in ctx.locked_ids:
        return "locked", ctx.say(f"Im vorab festgelegten Verbund {cid} mit {others}{via}.",
                                 f"In locked consortium {cid} with {others}{via}.")
    return "placed", ctx.say(f"Im Verbund {cid} mit {others}{via}.",
                             f"In consortium {cid} with {others}{via}.")


def _class_reason(ctx: _Context, u: int) -> tuple[str, str]:
    """A unit that is never a small member: its class, or the rule that took it out."""
    inst, lang = ctx.inst, ctx.lang
    rules, pop = inst.rules, int(inst.pop[u])
    # out-of-scope units may have no code; their rows are dropped from the plan
    code = inst.code[u] or ("single_applicant" if rules.in_single_band(pop) else "above_band")
    if code in _NOT_PLANNED_SENTENCE:
        return code, pick(_NOT_PLANNED_SENTENCE[code], lang)
    people, low, high = ctx.num(pop), ctx.num(rules.single_min), ctx.num(rules.single_max)
    status = STATUS.label(inst.frame.at[u, "status"], lang)
    sentences = {
        "uninhabited": ctx.say("Gemeindefreies Gebiet ohne Einwohner; nie Mitglied eines "
                               "Verbunds.",
                               "Gemeindefreies Gebiet without inhabitants; never a member of "
                               "a consortium."),
        "excluded_status": ctx.say(f"{status[0].upper()}{status[1:]} mit eigenem "
                                   "WIR-Vielfaltszentrum; kein KIV-Antragsteller.",
                                   f"{status[0].upper()}{status[1:]} with its own "
                                   "WIR-Vielfaltszentrum; not a KIV applicant."),
        "single_applicant": ctx.say(f"{people} Einwohner: kann allein beantragen "
                                    f"({low}–{high}).",
                                    f"{people} inhabitants: can apply alone ({low}–{high})."),
        "above_band": ctx.say(f"{people} Einwohner: über der KIV-Grenze (bis {high}).",
                              f"{people} inhabitants: above the KIV band (up to {high})."),
    }
    return code, sentences.get(code, REASONS.label(code, lang) + ".")


def _unplaced_reason(ctx: _Context, u: int) -> tuple[str, str]:
    """A small municipality the plan could not place: the first question that explains it."""
    if ctx.by_unit.get(u):
        return _competed(ctx, u)
    if ctx.refused.get(u):
        return _refused(ctx, u)
    near = ctx.inst.neighbours[u]
    if not near:
        return "island", ctx.say("Grenzt an keine andere bewohnte Gemeinde.",
                                 "Borders no other inhabited municipality.")
    if not any(ctx.inst.role[v] for v in near):
        return _no_partner(ctx, u)
    return _out_of_reach(ctx, u)


def _competed(ctx: _Context, u: int) -> tuple[str, str]:
    cands = ctx.cands
    mine = ctx.by_unit[u]
    best = min(mine, key=lambda k: (-int(cands.same[k]), -cands.border_m[k],
                                    -cands.population[k], cands.groups[k]))
    group = cands.groups[best]
    partners = join_names(ctx.names_of([v for v in group if v != u]), ctx.lang)
    broken = sorted({ctx.member_of[v] for v in group if v in ctx.member_of})
    break_up = join_names([
        f"{cid} ({join_names(ctx.names_of(sorted(ctx.members_of_id[cid])), ctx.lang)})"
        for cid in broken], ctx.lang)
    people = ctx.num(int(cands.population[best]))
    one = len(mine) == 1
    if ctx.lang == "de":
        head = ("1 möglicher Verbund, aber er überschneidet sich" if one else
                f"{ctx.num(len(mine))} mögliche Verbünde, aber jeder überschneidet sich")
        return "competed", (
            f"{head} mit einem vorgeschlagenen Verbund, den der optimale Plan braucht. "
            f"Beste Alternative: mit {partners} ({people} Einwohner"
            f"{', ein Kreis' if cands.same[best] else ''}); dafür müsste "
            f"{break_up} aufgelöst werden.")
    head = ("1 feasible consortium, but it overlaps" if one else
            f"{ctx.num(len(mine))} feasible consortia, but each overlaps")
    return "competed", (
        f"{head} a suggested consortium that the optimal plan needs. Best alternative: "
        f"with {partners} ({people} inhabitants{', one Kreis' if cands.same[best] else ''}); "
        f"it would break up {break_up}.")


def _refused(ctx: _Context, u: int) -> tuple[str, str]:
    """Every feasible group of ``u`` was refused (``plan(rejected=…)``)."""
    groups = ctx.refused[u]
    partners = "; ".join(join_names(ctx.names_of([v for v in g if v != u]), ctx.lang)
                         for g in groups)
    return "refused", ngettext(
        "Its only possible Verbund was refused: with {partners}.",
        "Each of its {count} possible Verbünde was refused: with {partners}.",
        len(groups), ctx.lang).format(count=ctx.num(len(groups)), partners=partners)


def _why_unavailable(ctx: _Context, v: int) -> str:
    inst = ctx.inst
    if v in ctx.member_of:
        return ctx.say(f"im vorab festgelegten Verbund {ctx.member_of[v]}",
                       f"in locked consortium {ctx.member_of[v]}")
    if inst.code[v] == "excluded_funded":
        return ctx.say("bereits gefördert", "already funded")
    if inst.code[v] == "excluded_by_rule":
        return ctx.say("für diesen Lauf ausgeschlossen", "excluded for this run")
    if not inst.scope[v]:
        return ctx.say("außerhalb der gewählten Kreise", "outside the selected Kreise")
    return ctx.say("nicht verfügbar", "not available")


def _no_partner(ctx: _Context, u: int) -> tuple[str, str]:
    """No neighbour is a possible member: say why each small one is not."""
    inst, rules = ctx.inst, ctx.inst.rules
    near = inst.neighbours[u]
    blocked = [v for v in near if rules.may_join(int(inst.pop[v]))
               and inst.eligibility[v] != "not_eligible_status"]
    detail = "; ".join(f"{ctx.names[v]}: {_why_unavailable(ctx, v)}" for v in blocked)
    below = ctx.num(rules.member_below)
    if ctx.lang == "de":
        head = ("Ihr einziger Nachbar kommt nicht als Partner in Frage" if len(near) == 1
                else f"Keiner ihrer {ctx.num(len(near))} Nachbarn kommt als Partner in Frage")
        size = f" (Partner unter {below} Einwohnern" + (
            " oder ein größerer Partner)" if rules.allow_large_partner else ")")
        tail = f": {detail}." if detail else (
            ": er hat" if len(near) == 1 else ": alle haben") + f" {below} Einwohner oder mehr."
        return "no_small_neighbour", head + size + tail
    head = ("Its only neighbour is not a possible partner" if len(near) == 1 else
            f"None of its {ctx.num(len(near))} neighbours is a possible partner")
    size = f" under {below}" + (" (or a larger partner)" if rules.allow_large_partner else "")
    tail = f" ({detail})." if detail else (
        ": it has" if len(near) == 1 else ": all have") + f" {below} inhabitants or more."
    return "no_small_neighbour", head + size + tail


def _out_of_reach(ctx: _Context, u: int) -> tuple[str, str]:
    """Partners exist, but no group meets the population bounds (and one Kreis)."""
    inst, rules = ctx.inst, ctx.inst.rules
    relaxed = groups_with(inst, u, combined_bounds=False, same_kreis=False)
    totals = [int(sum(inst.pop[i] for i in g)) for g in relaxed]
    reach = max(totals) if totals else int(inst.pop[u])
    best_group = relaxed[int(np.argmax(totals))] if totals else (u,)
    low, high = ctx.num(rules.combined_min), ctx.num(rules.combined_max)
    if reach < rules.combined_min:
        names = join_names(ctx.names_of(best_group), ctx.lang)
        return "neighbours_too_small", ctx.say(
            f"Mit ihren Nachbarn erreicht sie höchstens {ctx.num(reach)} Einwohner ({names}); "
            f"ein Verbund braucht {low}.",
            f"With its neighbours it reaches at most {ctx.num(reach)} inhabitants ({names}); "
            f"a consortium needs {low}.")
    kreis = inst.frame["kreis_ags"].to_numpy()
    within = [g for g, t in zip(relaxed, totals, strict=True)
              if rules.combined_min <= t <= rules.combined_max]
    if within:
        g = max(within, key=lambda g: (len({kreis[i] for i in g}) == 1, -len(g)))
        names = join_names(ctx.names_of([v for v in g if v != u]), ctx.lang)
        return "other_kreis", ctx.say(
            f"Erreicht {low} Einwohner nur über eine Kreisgrenze hinweg (z. B. mit {names}); "
            "die Regeln verlangen einen Kreis.",
            f"Reaches {low} inhabitants only across a Kreis border (e.g. with {names}); the "
            "rules require one Kreis.")
    return "too_large_together", ctx.say(
        f"Jede Gruppe, die {low} Einwohner erreicht, überschreitet das Maximum von {high}.",
        f"Every group reaching {low} inhabitants exceeds the combined maximum of {high}.")
