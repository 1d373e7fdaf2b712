"""Why a municipality is where the plan puts it, and what a locked Verbund breaks, in words.

The engine gives a reason code and its figures for every municipality
(:mod:`wirgeo.consortia.reasons`) and a :class:`~wirgeo.consortia.Violation` for every rule
a locked Verbund breaks; here they become the sentences the CLI, the map, the workbooks,
the dossier and the planner all show.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> figures = {"consortium_id": "V06535016-d745", "partners": ["Antrifttal", "Feldatal"],
...            "via": []}
>>> with speaking("de"):
...     reason_text("placed", figures)
'Im Verbund V06535016-d745 mit Antrifttal und Feldatal.'
>>> with speaking("en"):
...     reason_text("placed", figures)
'In consortium V06535016-d745 with Antrifttal and Feldatal.'
>>> from wirgeo.consortia import Violation
>>> with speaking("de"):
...     violations_text([Violation("population_below_min", {
...         "population": 9508, "combined_min": 10000, "combined_max": 50000})])
'zusammen 9.508 Einwohner, außerhalb von 10.000–50.000'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from wirgeo.consortia import Violation
from wirgeo.core.i18n import _, names, ngettext, number
from wirgeo.vocabulary import REASONS, STATUS

__all__ = ["reason_text", "violation_text", "violations_text", "with_reasons",
           "with_violations"]

Figures = Mapping[str, Any]


def _via(areas: list[str]) -> str:
    """" (verbunden über …)": how members that do not border each other are linked."""
    if not areas:
        return ""
    return " " + ngettext("(linked across the uninhabited area {areas})",
                          "(linked across the uninhabited areas {areas})",
                          len(areas)).format(areas=names(areas))


def _member(code: str, f: Figures) -> str:
    text = (_("In locked consortium {consortium_id} with {partners}{via}.") if code == "locked"
            else _("In consortium {consortium_id} with {partners}{via}."))
    return text.format(consortium_id=f["consortium_id"], partners=names(f["partners"]),
                       via=_via(list(f.get("via", []))))


def _excluded_status(f: Figures) -> str:
    status = STATUS.label(f["status"])
    return _("{status} with its own WIR-Vielfaltszentrum; not a KIV applicant.").format(
        status=status[:1].upper() + status[1:])


def _competed(f: Figures) -> str:
    head = ngettext("{count} feasible consortium, but it overlaps a suggested consortium that "
                    "the optimal plan needs.",
                    "{count} feasible consortia, but each overlaps a suggested consortium that "
                    "the optimal plan needs.", f["options"]).format(count=number(f["options"]))
    best = (_("Best alternative: with {partners} ({population} inhabitants, one Kreis); it "
              "would break up {break_up}.") if f["same_kreis"] else
            _("Best alternative: with {partners} ({population} inhabitants); it would break "
              "up {break_up}."))
    break_up = names(f"{b['consortium_id']} ({names(b['members'])})" for b in f["break_up"])
    return head + " " + best.format(partners=names(f["partners"]),
                                    population=number(f["population"]), break_up=break_up)


def _why_blocked(blocked: Mapping[str, Any]) -> str:
    why = blocked["why"]
    if why == "locked":
        return _("in locked consortium {consortium_id}").format(
            consortium_id=blocked["consortium_id"])
    return {"excluded_funded": _("already funded"),
            "excluded_by_rule": _("excluded for this run"),
            "outside_kreise": _("outside the selected Kreise")}.get(why, _("not available"))


def _no_partner(f: Figures) -> str:
    count, below = f["neighbours"], number(f["member_below"])
    if f["allow_large_partner"]:
        head = ngettext("Its only neighbour is not a possible partner under {below} (or a "
                        "larger partner)",
                        "None of its {count} neighbours is a possible partner under {below} "
                        "(or a larger partner)", count)
    else:
        head = ngettext("Its only neighbour is not a possible partner under {below}",
                        "None of its {count} neighbours is a possible partner under {below}",
                        count)
    head = head.format(count=number(count), below=below)
    detail = "; ".join(f"{b['name']}: {_why_blocked(b)}" for b in f["blocked"])
    if detail:
        return _("{head} ({details}).").format(head=head, details=detail)
    return ngettext("{head}: it has {below} inhabitants or more.",
                    "{head}: all have {below} inhabitants or more.", count).format(
        head=head, below=below)


def _simple(f: Figures, text: str) -> str:
    return text.format(**{k: number(v) if isinstance(v, int) and not isinstance(v, bool)
                          else v for k, v in f.items()})


_SENTENCES: dict[str, Callable[[Figures], str]] = {
    "placed": lambda f: _member("placed", f),
    "locked": lambda f: _member("locked", f),
    "competed": _competed,
    "no_small_neighbour": _no_partner,
    "excluded_status": _excluded_status,
    "excluded_funded": lambda f: _("Already funded by KIV; not planned again (exclude_funded "
                                   "rule)."),
    "excluded_by_rule": lambda f: _("Excluded for this run (exclude rule)."),
    "uninhabited": lambda f: _("Gemeindefreies Gebiet without inhabitants; never a member of a "
                               "consortium."),
    "island": lambda f: _("Borders no other inhabited municipality."),
    "single_applicant": lambda f: _simple(f, _("{population} inhabitants: can apply alone "
                                               "({single_min}–{single_max}).")),
    "above_band": lambda f: _simple(f, _("{population} inhabitants: above the KIV band (up to "
                                         "{single_max}).")),
    "neighbours_too_small": lambda f: _("With its neighbours it reaches at most {reach} "
                                        "inhabitants ({group}); a consortium needs "
                                        "{combined_min}.").format(
        reach=number(f["reach"]), group=names(f["group"]),
        combined_min=number(f["combined_min"])),
    "other_kreis": lambda f: _("Reaches {combined_min} inhabitants only across a Kreis border "
                               "(e.g. with {partners}); the rules require one Kreis.").format(
        combined_min=number(f["combined_min"]), partners=names(f["partners"])),
    "too_large_together": lambda f: _simple(f, _("Every group reaching {combined_min} "
                                                 "inhabitants exceeds the combined maximum of "
                                                 "{combined_max}.")),
    "refused": lambda f: ngettext(
        "Its only possible Verbund was refused: with {partners}.",
        "Each of its {count} possible Verbünde was refused: with {partners}.",
        len(f["groups"])).format(count=number(len(f["groups"])),
                                 partners="; ".join(names(g) for g in f["groups"])),
}


def reason_text(code: str, figures: Figures | None = None) -> str:
    """The sentence of one reason code with its figures (``Plan.members``' columns)."""
    sentence = _SENTENCES.get(code)
    if sentence is None:
        return REASONS.label(code)[:1].upper() + REASONS.label(code)[1:] + "."
    return sentence(figures or {})


#: The rules about one member of a group, as phrases with its ``name`` (and ``status``).
_MEMBER_RULES: dict[str, Callable[[], str]] = {
    "not_applicant": lambda: _("{name} is not a KIV applicant ({status})"),
    "uninhabited_member": lambda: _("{name} has no inhabitants"),
    "funded_member": lambda: _("{name} is already funded"),
    "excluded_member": lambda: _("{name} is excluded for this run"),
}


def violation_text(violation: Violation) -> str:
    """One rule a group breaks, as a short phrase."""
    f = violation.figures
    code = violation.code
    if code in ("too_few_members", "too_many_members"):
        return _("{members} members (rules: {min_members}–{max_members})").format(**f)
    if code == "member_too_large":
        return _("members with {below} or more inhabitants: {names}").format(
            below=number(f["member_below"]), names=", ".join(f["names"]))
    if code in ("population_below_min", "population_above_max"):
        return _("combined population {population} outside {low}–{high}").format(
            population=number(f["population"]), low=number(f["combined_min"]),
            high=number(f["combined_max"]))
    if code in _MEMBER_RULES:
        return _MEMBER_RULES[code]().format(name=f["name"], status=STATUS.label(f["status"]))
    if code == "not_in_new_table":
        return _("not in the new table: {ags}").format(ags=", ".join(f["ags"]))
    return {"not_contiguous": _("members do not form one contiguous area"),
            "not_mutual": _("not every pair of members borders (mutual rule)"),
            "several_kreise": _("members in more than one Kreis (same_kreis rule)")}.get(
        code, code)


def violations_text(violations: Iterable[Violation]) -> str:
    """Every rule a group breaks, ``;``-separated ("" for none)."""
    return "; ".join(violation_text(v) for v in violations)


def with_reasons(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the reason sentence ``reason`` in place of ``reason_figures``.

    For the files and views people read: ``Plan.members``, ``Planning.unplaced`` and
    their parts keep the code (``reason_code``) and get the sentence beside it.
    """
    if "reason_figures" not in table.columns:
        return table
    out = table.copy()
    out["reason_figures"] = pd.Series(
        [reason_text(code, figures) for code, figures in
         zip(table["reason_code"], table["reason_figures"], strict=True)],
        index=table.index, dtype=object)
    return out.rename(columns={"reason_figures": "reason"})


def with_violations(table: pd.DataFrame, column: str = "rule_violations") -> pd.DataFrame:
    """``table`` with ``column`` (tuples of violations) as ``;``-separated phrases."""
    if column not in table.columns:
        return table
    out = table.copy()
    out[column] = pd.Series([violations_text(v) for v in table[column]], index=table.index,
                            dtype=object)
    return out
