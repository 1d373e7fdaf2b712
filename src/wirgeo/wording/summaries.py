"""What a plan achieves, in one line.

:func:`plan_summary` for a plan, :func:`summary_line` for a run (or a view of some Kreise),
:func:`flexibility_summary` for the firm and flexible Verbünde.

Examples
--------
>>> from wirgeo.consortia import Coverage
>>> from wirgeo.core.i18n import speaking
>>> optimal = Coverage(covered=228, small=246, consortia=92, status="optimal", gap=0.0,
...                    gap_level="", coverage_bound=228)
>>> with speaking("de"):
...     coverage_line(optimal)
'228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)'
>>> with speaking("en"):
...     coverage_line(optimal)
'covered 228 of 246 small municipalities in 92 consortia (optimal)'
"""

from __future__ import annotations

import math

from wirgeo.consortia import Coverage, Flexibility, Plan
from wirgeo.core.i18n import N_, _, ngettext, number, percent, translate
from wirgeo.planning import Summary
from wirgeo.vocabulary import FLEXIBILITY

__all__ = ["coverage_line", "plan_summary", "summary_line", "flexibility_summary",
           "PREFERENCE_TEXTS", "preference_text"]

#: What each preference among the best plans asks for (``name`` of a
#: :class:`~wirgeo.consortia.Preference`; ``{value}`` is the plan's total, formatted).
PREFERENCE_TEXTS = {
    "foreign_residents": N_("the most foreign residents among the small Gemeinden placed "
                            "(Zensus 2022 estimate): {value}"),
    "keep_old_plan": N_("the most Verbünde of the old plan kept: {value}"),
    "keep_open": N_("the most open Verbünde of the plan document kept: {value}"),
}


def _head(coverage: Coverage) -> str:
    return ngettext("covered {covered} of {small} small municipalities in {count} consortium",
                    "covered {covered} of {small} small municipalities in {count} consortia",
                    coverage.consortia).format(covered=number(coverage.covered),
                                               small=number(coverage.small),
                                               count=number(coverage.consortia))


def _gap(coverage: Coverage) -> str:
    if not math.isfinite(coverage.gap):
        return _("unknown")
    if coverage.gap >= 1e-4:
        return percent(coverage.gap, digits=2)
    return "< " + percent(0.0001, digits=2)


def coverage_line(coverage: Coverage, *, status: bool = True) -> str:
    """Coverage, Verbünde and whether the plan is proven optimal (its gap if not)."""
    head = _head(coverage)
    if not status:
        return head
    if coverage.status == "optimal":
        return _("{head} (optimal)").format(head=head)
    if coverage.status == "heuristic":
        return _("{head} (greedy heuristic, not optimised)").format(head=head)
    if coverage.gap_level == "coverage":
        return _("{head} (gap {gap}; at most {bound} can be covered)").format(
            head=head, gap=_gap(coverage), bound=number(coverage.coverage_bound))
    what = {"same_kreis_and_count": _("same-Kreis consortia and count"),
            "shared_border": _("shared border"),
            "preference": _("preference")}.get(coverage.gap_level, coverage.gap_level)
    return _("{head} (gap {gap} in {what}; coverage proven optimal)").format(
        head=head, gap=_gap(coverage), what=what)


def _with_broken(line: str, broken: tuple[str, ...]) -> str:
    """" — 1 festgelegter Verbund verletzt die Regeln …": the warning of a summary line."""
    if not broken:
        return line
    return ngettext("{line} — {count} locked consortium breaks the rules and does not count "
                    "({ids})",
                    "{line} — {count} locked consortia break the rules and do not count "
                    "({ids})", len(broken)).format(line=line, count=len(broken),
                                                   ids=", ".join(broken))


def plan_summary(plan: Plan) -> str:
    """One line: coverage, Verbünde and whether the plan is proven optimal.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.consortia import plan
    >>> from wirgeo.rules import load_rules
    >>> result = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis")
    >>> plan_summary(result)
    '12 von 16 kleinen Gemeinden in 4 Verbünden (optimal)'
    """
    coverage = plan.coverage()
    return _with_broken(coverage_line(coverage), coverage.broken_locks)


def summary_line(summary: Summary) -> str:
    """Coverage of a run: of its Kreise, and of what they are a view of."""
    whole = _with_broken(coverage_line(summary.whole), summary.whole.broken_locks)
    if summary.view is None:
        return whole
    kreise = ", ".join(summary.kreise)
    if summary.within_kreise:
        return _with_broken(_("{kreise}: {line} — planned only within these Kreise").format(
            kreise=kreise, line=coverage_line(summary.view)), summary.view.broken_locks)
    # the statewide plan's status follows; an optimal view need not say so twice
    line = coverage_line(summary.view, status=summary.whole.status != "optimal")
    return _("{kreise}: {line} — view of the statewide plan: {whole}").format(
        kreise=kreise, line=line, whole=whole)


def flexibility_summary(flexibility: Flexibility) -> str:
    """One line: firm and flexible Verbünde, the maximum, whether it is exact.

    >>> from wirgeo.consortia import plan, plan_flexibility
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.rules import load_rules
    >>> vb = plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis")
    >>> print(flexibility_summary(plan_flexibility(vb)))
    4 Verbünde: 0 fest, 4 flexibel; höchstens 12 kleine Gemeinden (exakt, 11 Optimierungsläufe)
    """
    counts = flexibility.consortia["flexibility"].value_counts()
    parts = [f"{number(int(counts.get(k, 0)))} {FLEXIBILITY.short(k)}" for k in FLEXIBILITY
             if k in ("firm", "flexible") or counts.get(k, 0)]
    if flexibility.maximum is None:
        most = _("maximum not proven")
    else:
        most = _("at most {count} small municipalities").format(
            count=number(flexibility.maximum))
    status = _("exact") if flexibility.status == "exact" else _("time limit")
    solves = ngettext("{count} solve", "{count} solves", flexibility.n_solves).format(
        count=number(flexibility.n_solves))
    count = len(flexibility.consortia)
    return ngettext("{count} Verbund: {parts}; {maximum} ({status}, {solves})",
                    "{count} Verbünde: {parts}; {maximum} ({status}, {solves})", count).format(
        count=number(count), parts=", ".join(parts), maximum=most, status=status,
        solves=solves)


def preference_text(name: str, value: int) -> str:
    """One preference of a plan and its total, in words (any other name: the code itself).

    >>> from wirgeo.core.i18n import speaking
    >>> with speaking("de"):
    ...     preference_text("keep_old_plan", 71)
    'die meisten Verbünde des alten Plans behalten: 71'
    """
    template = PREFERENCE_TEXTS.get(name)
    if template is None:
        return f"{name}: {number(value)}"
    return translate(template).format(value=number(value))
