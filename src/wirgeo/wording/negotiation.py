"""A plan document's check, completion and comparison in words.

:mod:`wirgeo.planning.negotiation` answers with codes and figures (the rules a Verbund
breaks, what each decision costs, how many small Gemeinden are placed); the command line
and the workbooks of ``wirgeo plan`` say them with the sentences here.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.core.i18n import speaking
>>> from wirgeo.planning import NegotiationBasis
>>> from wirgeo.sources import Negotiation
>>> document = Negotiation.from_rows([
...     {"verbund": "", "ags": "06535014", "status": "declined"}])   # Romrod
>>> done = NegotiationBasis.of(load_municipalities()).complete(document)
>>> with speaking("de"):
...     print("\\n".join(cost_lines(done)))  # doctest: +NORMALIZE_WHITESPACE
227 statt 228 kleiner Gemeinden im Verbund: die Entscheidungen kosten zusammen 1.
  nimmt nicht teil: Romrod — ohne diese Entscheidung 228 (+1)
Jede Zahl: kleine Gemeinden im Verbund, wenn nur diese eine Entscheidung fiele und
alle anderen blieben; die Zahlen einzelner Entscheidungen müssen sich nicht zur Summe
addieren.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from wirgeo.core.i18n import _, ngettext, number
from wirgeo.planning.negotiation import Completion, NegotiationCheck
from wirgeo.rules import KivRules
from wirgeo.vocabulary import DECISIONS

__all__ = ["check_sentence", "cost_lines", "placed_line", "check_line"]

#: Each rule a Verbund of a plan document can break, as a phrase with the Verbund's and
#: the rules' figures (``count``, ``population``, ``least``, ``most``, ``minimum``,
#: ``maximum``, ``limit``) and the ``members`` concerned.
_RULE_PHRASES: dict[str, Callable[[int], str]] = {
    "too_few_members": lambda n: ngettext("{count} member, at least {least} needed",
                                          "{count} members, at least {least} needed", n),
    "too_many_members": lambda n: _("{count} members, at most {most} allowed"),
    "member_too_large": lambda n: _("{members}: {limit} inhabitants or more, over the limit "
                                    "for Verbund members"),
    "population_below_min": lambda n: _("{population} inhabitants together, fewer than the "
                                        "{minimum} a Verbund needs"),
    "population_above_max": lambda n: _("{population} inhabitants together, more than the "
                                        "{maximum} allowed"),
    "not_contiguous": lambda n: _("the members do not form one contiguous area (they do "
                                  "not border each other)"),
    "not_mutual": lambda n: _("not every pair of members borders (rule: all border each "
                              "other)"),
    "several_kreise": lambda n: _("members in more than one Kreis (rule: one Kreis)"),
    "not_applicant": lambda n: _("{members}: kreisfreie Stadt or Sonderstatusstadt with its "
                                 "own WIR-Vielfaltszentrum, not a KIV applicant"),
    "uninhabited_member": lambda n: _("{members}: no inhabitants"),
    "funded_member": lambda n: _("{members}: already funded"),
    "excluded_member": lambda n: _("{members}: excluded for this run"),
}


def _rule_phrase(code: str, row: Mapping[str, object], members: str, rules: KivRules
                 ) -> str:
    """One broken rule of a Verbund in words, with its figures."""
    count = int(str(row["n_members"]))
    figures = {"count": number(count), "population": number(int(str(row["population"]))),
               "least": number(rules.min_members), "most": number(rules.max_members),
               "minimum": number(rules.combined_min), "maximum": number(rules.combined_max),
               "limit": number(rules.member_below), "members": members}
    return _RULE_PHRASES[code](count).format(**figures)


def check_sentence(row: Mapping[str, object], breaks: pd.DataFrame, rules: KivRules) -> str:
    """The check of one Verbund in a sentence, from its codes and figures.

    Parameters
    ----------
    row : mapping
        A row of :attr:`~wirgeo.planning.NegotiationCheck.verbuende`.
    breaks : DataFrame
        :attr:`~wirgeo.planning.NegotiationCheck.breaks` (the rows of other Verbünde are
        ignored).
    rules : KivRules
        The rules checked against (their figures go into the sentence).
    """
    if row["valid"]:
        return _("Meets every rule.")
    mine = breaks[breaks["verbund"] == row["verbund"]]
    phrases = []
    codes = row["rules_failed"]
    assert isinstance(codes, tuple)  # the codes of the rules it breaks
    for code in codes:
        who = mine[(mine["rule"] == code) & (mine["ags"] != "")]
        members = ", ".join(f"{n} ({number(int(p))})" if code == "member_too_large"
                            else str(n) for n, p in zip(who["name"], who["population"],
                                                        strict=True))
        phrases.append(_rule_phrase(code, row, members, rules))
    return _("Breaks the rules: {problems}.").format(problems="; ".join(phrases))


def cost_lines(completion: Completion) -> list[str]:
    """What the decisions cost, in lines: the total ("226 statt 228"), then each one."""
    free, covered = completion.covered_free, completion.covered
    if free is None:     # the costs were not asked for
        return []
    if completion.cost:
        head = _("{covered} instead of {free} small Gemeinden in a Verbund: the decisions "
                 "together cost {cost}.")
    else:
        head = _("{covered} small Gemeinden in a Verbund, as many as without the "
                 "decisions: they cost nothing.")
    lines = [head.format(covered=number(covered), free=number(free),
                         cost=number(free - covered))]
    for r in completion.costs.itertuples(index=False):
        what = r.verbund + " (" + ", ".join(r.member_names) + ")" if r.verbund \
            else ", ".join(r.member_names)
        invalid = "" if r.valid else " " + _("[breaks the rules]")
        lines.append("  " + _("{decision}: {what}{invalid} — without this decision "
                              "{covered} ({change})").format(
            decision=DECISIONS.label(r.decision), what=what, invalid=invalid,
            covered=number(r.covered_without),
            change=("+" + number(r.cost)) if r.cost else "±0"))
    if len(completion.costs):
        lines.append(_("Each figure: small Gemeinden in a Verbund if only that one decision "
                       "were lifted and all others kept; the figures of single decisions "
                       "need not add up to the total."))
    return lines


def placed_line(check: NegotiationCheck) -> str:
    """"placed: 14 of 15 small Gemeinden in a valid Verbund" (of the view's Kreise)."""
    figures = {"placed": number(check.placed), "small": number(check.small),
               "view": ", ".join(check.view)}
    if check.view:
        return _("{view}: {placed} of {small} small Gemeinden placed in a valid Verbund"
                 ).format(**figures)
    return _("placed: {placed} of {small} small Gemeinden in a valid Verbund").format(
        **figures)


def check_line(check: NegotiationCheck) -> str:
    """:func:`placed_line`, and how many Verbünde break the rules."""
    active = check.verbuende[check.verbuende["status"] != "rejected"]
    return placed_line(check) + "; " + ngettext(
        "{invalid} of {count} Verbund breaks the rules",
        "{invalid} of {count} Verbünde break the rules", len(active)).format(
        invalid=number(len(check.invalid)), count=number(len(active)))
