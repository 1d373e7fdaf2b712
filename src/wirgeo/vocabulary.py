"""One vocabulary for how wirgeo classifies municipalities, with its labels in one place.

Three code lists describe the same municipalities from three sides:

:data:`ELIGIBILITY`
    the KIV class of a municipality under a rule set (:func:`wirgeo.programme.eligibility`);
:data:`REASONS`
    why a municipality is or is not in a suggested Verbund (:func:`wirgeo.consortia.plan`);
:data:`OUTCOMES`
    what a planning run means for it, for comparing scenarios
    (:func:`wirgeo.planning.outcomes`).

Codes are stable English identifiers (column values of every table and file wirgeo
writes). Each code has a label people read — a message of the catalogs
(:mod:`wirgeo.locale`), marked here and translated where it is shown — and, where a table
cell or a heading needs fewer words, a short label (:meth:`Vocabulary.short`): "firm"
beside "firm: in every best plan". The relations between the lists
(:data:`REASON_OF_CLASS`, :data:`OUTCOME_OF_CLASS`) live here too, so no other module
spells them out again.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> ELIGIBILITY.codes
('eligible_single', 'verbund_needed', 'not_eligible_large', 'not_eligible_status', \
'uninhabited')
>>> with speaking("de"):
...     ELIGIBILITY.label("verbund_needed"), FLEXIBILITY.short("firm")
('nur im Verbund', 'fest')
>>> with speaking("en"):
...     REASONS.label("island"), FLEXIBILITY.label("firm")
('borders no other inhabited municipality', 'firm: in every best plan')
>>> REASONS.meanings["competed"]
'feasible consortia exist, but each overlaps one the optimal plan needs'
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from wirgeo.core.i18n import N_, NP_, _, number, translate
from wirgeo.errors import ArgumentError

__all__ = ["Term", "Vocabulary", "ELIGIBILITY", "REASONS", "OUTCOMES", "STATUS",
           "HOST_TYPES", "KREIS_TYPES", "CENTRE_STATUS", "GRANTEE_STATUS", "LOCATION_PRECISION",
           "ROUNDS", "RULES", "CONTIGUITY", "RELEASE_STATUS", "FLEXIBILITY", "PLACED_IN", "YES_NO",
           "NEAR_THRESHOLD", "REASON_OF_CLASS", "OUTCOME_OF_CLASS", "NOT_PLANNED",
           "BROKEN_RULES", "PLAN_STATUS", "PLAN_CHANGES", "DECISIONS", "near_threshold_label",
           "yes_no", "EligibilityClass", "ReasonCode", "OutcomeCode", "PlanStatus",
           "FlexibilityCode", "PlacedIn", "SolveStatus"]

# The codes as types, for signatures (mypy checks every code a function returns or takes
# against them). Each is the code list of its vocabulary below; the vocabulary is built
# from it (:func:`_terms`), so the two cannot drift apart.

#: A KIV class (:data:`ELIGIBILITY`).
EligibilityClass = Literal["eligible_single", "verbund_needed", "not_eligible_large",
                           "not_eligible_status", "uninhabited"]
#: Why a municipality is or is not in a Verbund (:data:`REASONS`).
ReasonCode = Literal["placed", "locked", "competed", "neighbours_too_small",
                     "no_small_neighbour", "island", "other_kreis", "too_large_together",
                     "refused", "excluded_funded", "excluded_by_rule", "excluded_status",
                     "single_applicant", "above_band", "uninhabited", "outside_kreise"]
#: What a run means for a municipality (:data:`OUTCOMES`).
OutcomeCode = Literal["single", "verbund", "unplaced", "funded", "excluded", "large",
                      "own_centre", "uninhabited"]
#: Where a Verbund or a Gemeinde stands in a plan document (:data:`PLAN_STATUS`).
PlanStatus = Literal["proposed", "in_talks", "agreed", "applied", "funded", "rejected",
                     "declined"]
#: Whether a Verbund is in every best plan (:data:`FLEXIBILITY`).
FlexibilityCode = Literal["firm", "flexible", "locked", "unknown"]
#: Whether a small municipality is in a Verbund in every, some or no best plan
#: (:data:`PLACED_IN`).
PlacedIn = Literal["every", "some", "none", "locked", "unknown"]
#: How far the solver proved a plan best (``Plan.status``): every priority level proven,
#: stopped by the time limit, or the greedy fallback.
SolveStatus = Literal["optimal", "time_limit", "heuristic"]


@dataclass(frozen=True)
class Term:
    """The words of one code: a label and, where fewer words are wanted, a short one.

    Both are English message ids, marked with ``N_`` (or ``NP_`` in the vocabulary's
    context) and translated where they are shown.
    """

    label: str
    short: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """An ordered list of codes, each with its label (a message of the catalogs).

    ``context`` tells the vocabulary's words apart from the same English words elsewhere
    (its terms are then marked with ``NP_(context, …)``).
    """

    name: str
    terms: Mapping[str, Term]
    context: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, in their documented order."""
        return tuple(self.terms)

    @property
    def meanings(self) -> dict[str, str]:
        """Code → its label in English (the message id): what each code means."""
        return {code: term.label for code, term in self.terms.items()}

    def _term(self, code: str) -> Term:
        if code not in self.terms:
            raise ArgumentError("code", _("{code!r} is not a {vocabulary} code").format(
                code=code, vocabulary=self.name),
                fix=_("use one of {choices}").format(choices=", ".join(self.terms)))
        return self.terms[code]

    def label(self, code: str) -> str:
        """The label of one code in the active language (:func:`~wirgeo.core.i18n.speaking`)."""
        return translate(self._term(code).label, self.context)

    def short(self, code: str) -> str:
        """The short label of one code (its label where it has no short one)."""
        term = self._term(code)
        return translate(term.short or term.label, self.context)

    def labels(self) -> dict[str, str]:
        """Code → label, in the active language."""
        return {code: self.label(code) for code in self.terms}

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


ELIGIBILITY = Vocabulary("eligibility class", {
    "eligible_single": Term(N_("can apply alone")),
    "verbund_needed": Term(N_("only in a consortium")),
    "not_eligible_large": Term(N_("too large for KIV")),
    "not_eligible_status": Term(N_("own WIR-Vielfaltszentrum")),
    "uninhabited": Term(N_("uninhabited")),
})

REASONS = Vocabulary("reason", {
    "placed": Term(N_("member of a suggested consortium")),
    "locked": Term(N_("member of a consortium locked in advance")),
    "competed": Term(N_("feasible consortia exist, but each overlaps one the optimal plan needs")),
    "neighbours_too_small": Term(N_("no group with its neighbours reaches the combined minimum")),
    "no_small_neighbour": Term(N_("no neighbour is available as a partner")),
    "island": Term(N_("borders no other inhabited municipality")),
    "other_kreis": Term(N_("the combined minimum is reachable only across a Kreis border "
                           "(same_kreis rule)")),
    "too_large_together": Term(N_("every group reaching the minimum exceeds the combined maximum")),
    "refused": Term(N_("every feasible consortium was refused")),
    "excluded_funded": Term(N_("already funded (exclude_funded rule)")),
    "excluded_by_rule": Term(N_("excluded for this run (exclude rule)")),
    "excluded_status": Term(N_("kreisfreie Stadt or Sonderstatusstadt: has its own "
                               "WIR-Vielfaltszentrum, not a KIV applicant")),
    "single_applicant": Term(N_("large enough to apply alone")),
    "above_band": Term(N_("above the KIV population band")),
    "uninhabited": Term(N_("gemeindefreies Gebiet without inhabitants")),
    "outside_kreise": Term(N_("outside the selected Kreise")),
})

OUTCOMES = Vocabulary("outcome", {
    "single": Term(N_("can apply alone")),
    "verbund": Term(N_("in a suggested consortium")),
    "unplaced": Term(N_("small, no consortium found")),
    "funded": Term(N_("already funded")),
    "excluded": Term(N_("excluded for this run")),
    "large": Term(N_("too large for KIV")),
    "own_centre": Term(N_("own WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)")),
    "uninhabited": Term(N_("uninhabited")),
})

STATUS = Vocabulary("status", {
    "kreisfreie_stadt": Term(N_("kreisfreie Stadt (independent city)")),
    "sonderstatusstadt": Term(N_("Sonderstatusstadt (town with special status)")),
    "kreisangehoerig": Term(N_("part of a Landkreis")),
    "gemeindefrei": Term(N_("gemeindefreies Gebiet (unincorporated area)")),
})

#: What a row of the Kreis summary is (``kreis_type`` of
#: :func:`wirgeo.programme.kreis_summary`).
KREIS_TYPES = Vocabulary("Kreis type", {
    "landkreis": Term(N_("Landkreis")),
    "kreisfreie_stadt": Term(N_("kreisfreie Stadt")),
    "state": Term(N_("state")),
})

#: Who hosts a WIR-Vielfaltszentrum (``host_type`` of ``data/wir_centres.csv``).
HOST_TYPES = Vocabulary("host type", {
    "landkreis": Term(N_("Landkreis (district)")),
    "kreisfreie_stadt": Term(N_("kreisfreie Stadt (independent city)")),
    "sonderstatusstadt": Term(N_("Sonderstatusstadt (town with special status)")),
})

#: Whether a source confirms the office that hosts a centre.
CENTRE_STATUS = Vocabulary("centre status", {
    "confirmed": Term(NP_("centre status", "confirmed")),
    "inferred": Term(NP_("centre status", "inferred")),
}, context="centre status")

#: How sure the grantee table is of a funding.
GRANTEE_STATUS = Vocabulary("grantee status", {
    "confirmed": Term(NP_("grantee status", "confirmed")),
    "probable": Term(NP_("grantee status", "probable")),
}, context="grantee status")

#: Where a centre is placed on the map.
LOCATION_PRECISION = Vocabulary("location precision", {
    "town": Term(N_("town centre (street address not geocoded)")),
    "address": Term(N_("street address")),
})

#: KIV rounds as the grantee table names them.
ROUNDS = Vocabulary("round", {
    "KIV I": Term(N_("KIV I")),
    "KIV II": Term(N_("KIV II")),
    "later": Term(N_("later")),
    "unknown": Term(N_("unknown")),
})

#: The KIV rules by name (fields of :class:`wirgeo.rules.KivRules`), as people read them.
RULES = Vocabulary("rule", {
    "single_min": Term(N_("single application from (inhabitants)")),
    "single_max": Term(N_("single application up to (inhabitants)")),
    "single_min_inclusive": Term(N_("lower bound included")),
    "single_max_inclusive": Term(N_("upper bound included")),
    "member_below": Term(N_("consortium member below (inhabitants)")),
    "min_members": Term(N_("members at least")),
    "max_members": Term(N_("members at most")),
    "combined_min": Term(N_("combined at least (inhabitants)")),
    "combined_max": Term(N_("combined at most (inhabitants)")),
    "contiguity": Term(N_("how members must lie")),
    "same_kreis": Term(N_("all in one Kreis")),
    "allow_large_partner": Term(N_("one larger partner allowed")),
    "exclude_funded": Term(N_("exclude funded ones")),
    "excluded_status": Term(N_("never applicants (status)")),
    "funding_ceiling_eur": Term(N_("maximum grant (€)")),
    "duration_months": Term(N_("duration (months)")),
    "near_threshold_margin": Term(N_("margin for “near a threshold”")),
})

#: Values of the ``contiguity`` rule.
CONTIGUITY = Vocabulary("contiguity", {
    "connected": Term(N_("form one contiguous area")),
    "mutual": Term(N_("all border each other")),
})

#: Whether a Verbund of the optimal plan is in every plan that places the most small
#: municipalities (:func:`wirgeo.consortia.plan_flexibility`).
FLEXIBILITY = Vocabulary("flexibility", {
    "firm": Term(N_("firm: in every best plan"), short=N_("firm")),
    "flexible": Term(N_("flexible: alternatives lose nothing"), short=N_("flexible")),
    "locked": Term(N_("locked in advance")),
    "unknown": Term(N_("not settled (time limit)"), short=N_("not settled")),
})

#: Whether a small municipality is in a Verbund in every, some or no best plan.
PLACED_IN = Vocabulary("placed in", {
    "every": Term(N_("in a consortium in every best plan")),
    "some": Term(N_("in a consortium in some best plans")),
    "none": Term(N_("in no best plan in a consortium")),
    "locked": Term(N_("in a locked consortium")),
    "unknown": Term(N_("not settled (time limit)")),
})

#: What became of a Verbund of an old plan under a new population release.
RELEASE_STATUS = Vocabulary("release status", {
    "kept": Term(N_("in the new optimal plan as well")),
    "not_optimal": Term(N_("still meets the rules, but the new optimal plan groups its members "
                           "differently")),
    "broken": Term(N_("no longer meets the rules")),
})

YES_NO = Vocabulary("yes/no", {
    "yes": Term(N_("yes")),
    "no": Term(N_("no")),
})

#: The reason code of a municipality that is never a small Verbund member, by its class.
REASON_OF_CLASS: dict[EligibilityClass, ReasonCode] = {
    "eligible_single": "single_applicant",
    "not_eligible_large": "above_band",
    "not_eligible_status": "excluded_status",
    "uninhabited": "uninhabited",
}

#: The outcome of a municipality by its class, before the plan is known.
OUTCOME_OF_CLASS: dict[EligibilityClass, OutcomeCode] = {
    "eligible_single": "single",
    "verbund_needed": "unplaced",
    "not_eligible_large": "large",
    "not_eligible_status": "own_centre",
    "uninhabited": "uninhabited",
}

#: Reason codes of small municipalities left out on purpose: they are not looking for a
#: Verbund in this run, so they are neither "covered" nor "unplaced".
NOT_PLANNED: tuple[ReasonCode, ...] = ("excluded_funded", "excluded_by_rule")


#: Sides of a threshold a municipality may be near
#: (:meth:`~wirgeo.rules.KivRules.near_threshold` codes are ``<side>_<threshold>``).
NEAR_THRESHOLD = {"below": N_("just below {threshold}"), "above": N_("just above {threshold}")}


def near_threshold_label(code: str) -> str:
    """The words of a :meth:`~wirgeo.rules.KivRules.near_threshold` code.

    Examples
    --------
    >>> from wirgeo.core.i18n import speaking
    >>> with speaking("de"):
    ...     near_threshold_label("below_10000")
    'knapp unter 10.000'
    >>> with speaking("en"):
    ...     near_threshold_label("above_50000"), near_threshold_label("")
    ('just above 50,000', '')
    """
    if not code:
        return ""
    side, limit = str(code).split("_", 1)
    return translate(NEAR_THRESHOLD[side]).format(threshold=number(int(limit)))


def yes_no(value: object) -> str:
    """``ja``/``nein`` (``yes``/``no``) for a truth value; "" for a missing one.

    >>> from wirgeo.core.i18n import speaking
    >>> with speaking("de"):
    ...     yes_no(True), yes_no(None), yes_no(float("nan"))
    ('ja', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        truth = bool(value)
    except TypeError:  # pandas' NA: not known either
        return ""
    return YES_NO.label("yes" if truth else "no")


#: The rules a Verbund can break (:data:`wirgeo.consortia.checks.RULE_BREAKS`).
BROKEN_RULES = Vocabulary("broken rule", {
    "too_few_members": Term(N_("too few members")),
    "too_many_members": Term(N_("too many members")),
    "member_too_large": Term(N_("a member too large for a Verbund")),
    "population_below_min": Term(N_("too few inhabitants together")),
    "population_above_max": Term(N_("too many inhabitants together")),
    "not_contiguous": Term(N_("members do not border each other")),
    "not_mutual": Term(N_("not every pair of members borders")),
    "several_kreise": Term(N_("members in more than one Kreis")),
    "not_applicant": Term(N_("a member is not a KIV applicant")),
    "uninhabited_member": Term(N_("a member has no inhabitants")),
    "funded_member": Term(N_("a member is already funded")),
    "excluded_member": Term(N_("a member is excluded for this run")),
})

#: Where a Verbund or a Gemeinde stands in a plan document
#: (:data:`wirgeo.sources.negotiation.STATUSES`).
PLAN_STATUS = Vocabulary("plan status", {
    "proposed": Term(NP_("plan status", "proposed")),
    "in_talks": Term(NP_("plan status", "in talks")),
    "agreed": Term(NP_("plan status", "agreed")),
    "applied": Term(NP_("plan status", "applied for")),
    "funded": Term(NP_("plan status", "funded")),
    "rejected": Term(NP_("plan status", "rejected")),
    "declined": Term(NP_("plan status", "takes no part")),
}, context="plan status")

#: How two plan documents differ: codes of
#: :data:`wirgeo.planning.negotiation.GEMEINDE_CHANGES` (a Gemeinde) and
#: :data:`~wirgeo.planning.negotiation.VERBUND_CHANGES` (a Verbund).
PLAN_CHANGES = Vocabulary("plan change", {
    "joined": Term(N_("joined a Verbund")), "left": Term(N_("left its Verbund")),
    "regrouped": Term(N_("in another Verbund")),
    "declined": Term(N_("takes no part any more")),
    "returned": Term(N_("takes part again, no Verbund yet")),
    "kept": Term(N_("unchanged")), "status": Term(N_("status changed")),
    "changed": Term(N_("members changed")), "added": Term(N_("new")),
    "removed": Term(N_("removed")),
})

#: A decision of a plan document whose cost is counted
#: (:attr:`wirgeo.planning.Completion.costs`).
DECISIONS = Vocabulary("decision", {
    "kept": Term(N_("kept")), "rejected": Term(N_("refused")),
    "declined": Term(N_("takes no part")), "excluded": Term(N_("excluded")),
})


def _check_types() -> None:
    """Each code type names exactly its vocabulary's codes, in order (checked at import)."""
    for kind, vocabulary in ((EligibilityClass, ELIGIBILITY), (ReasonCode, REASONS),
                             (OutcomeCode, OUTCOMES), (PlanStatus, PLAN_STATUS),
                             (FlexibilityCode, FLEXIBILITY), (PlacedIn, PLACED_IN)):
        if get_args(kind) != vocabulary.codes:
            raise TypeError(f"the codes of {vocabulary.name!r} and its type differ")


_check_types()
