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
writes); labels are what people read, in German (``"de"``) and English (``"en"``). The
relations between the lists (:data:`REASON_OF_CLASS`, :data:`OUTCOME_OF_CLASS`) live here
too, so no other module spells them out again.

Examples
--------
>>> ELIGIBILITY.codes
('eligible_single', 'verbund_needed', 'not_eligible_large', 'not_eligible_status', \
'uninhabited')
>>> ELIGIBILITY.label("verbund_needed", "de"), ELIGIBILITY.label("verbund_needed", "en")
('nur im Verbund', 'only in a consortium')
>>> REASONS.label("island", "en")
'borders no other inhabited municipality'
>>> OUTCOMES.label("own_centre", "de")
'eigenes WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from wirgeo.core.i18n import LANGUAGES, _, check_language, language, number
from wirgeo.errors import ArgumentError

__all__ = ["LANGUAGES", "Vocabulary", "ELIGIBILITY", "REASONS", "OUTCOMES", "STATUS",
           "HOST_TYPES", "CENTRE_STATUS", "GRANTEE_STATUS", "LOCATION_PRECISION", "ROUNDS",
           "RULES", "CONTIGUITY", "RELEASE_STATUS", "FLEXIBILITY", "PLACED_IN", "YES_NO",
           "REASON_OF_CLASS", "OUTCOME_OF_CLASS", "NOT_PLANNED", "check_language",
           "near_threshold_label", "rule_break_labels", "plan_change_labels"]

@dataclass(frozen=True)
class Vocabulary:
    """An ordered list of codes, each with a label per language."""

    name: str
    terms: Mapping[str, Mapping[str, str]]

    def __post_init__(self) -> None:
        for code, labels in self.terms.items():
            missing = [lang for lang in LANGUAGES if not labels.get(lang)]
            if missing:  # a programming error, caught by the module's own doctest
                raise ValueError(f"{self.name}: code {code!r} has no label in {missing}")

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, in their documented order."""
        return tuple(self.terms)

    def label(self, code: str, lang: str | None = None) -> str:
        """The label of one code in one language (default: :func:`~wirgeo.core.i18n.language`)."""
        lang = language(lang)
        if code not in self.terms:
            raise ArgumentError("code", f"{code!r} is not a {self.name} code",
                                fix="use one of " + ", ".join(self.terms))
        return self.terms[code][lang]

    def labels(self, lang: str | None = None) -> dict[str, str]:
        """Code → label, in one language (default: :func:`~wirgeo.core.i18n.language`)."""
        lang = language(lang)
        return {code: labels[lang] for code, labels in self.terms.items()}

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


ELIGIBILITY = Vocabulary("eligibility class", {
    "eligible_single": {"de": "Einzelantrag möglich", "en": "can apply alone"},
    "verbund_needed": {"de": "nur im Verbund", "en": "only in a consortium"},
    "not_eligible_large": {"de": "zu groß für KIV", "en": "too large for KIV"},
    "not_eligible_status": {"de": "eigenes Vielfaltszentrum",
                            "en": "own WIR-Vielfaltszentrum"},
    "uninhabited": {"de": "unbewohnt", "en": "uninhabited"},
})

REASONS = Vocabulary("reason", {
    "placed": {"de": "Mitglied eines vorgeschlagenen Verbunds",
               "en": "member of a suggested consortium"},
    "locked": {"de": "Mitglied eines vorab festgelegten Verbunds",
               "en": "member of a consortium locked in advance"},
    "competed": {"de": "mögliche Verbünde überschneiden sich mit einem, den der optimale "
                       "Plan braucht",
                 "en": "feasible consortia exist, but each overlaps one the optimal plan "
                       "needs"},
    "neighbours_too_small": {"de": "keine Gruppe mit den Nachbarn erreicht die "
                                   "Mindesteinwohnerzahl",
                             "en": "no group with its neighbours reaches the combined "
                                   "minimum"},
    "no_small_neighbour": {"de": "kein Nachbar kommt als Partner in Frage",
                           "en": "no neighbour is available as a partner"},
    "island": {"de": "grenzt an keine andere bewohnte Gemeinde",
               "en": "borders no other inhabited municipality"},
    "other_kreis": {"de": "die Mindesteinwohnerzahl ist nur über eine Kreisgrenze hinweg "
                          "erreichbar (Regel: ein Kreis)",
                    "en": "the combined minimum is reachable only across a Kreis border "
                          "(same_kreis rule)"},
    "too_large_together": {"de": "jede Gruppe, die das Minimum erreicht, überschreitet das "
                                 "Maximum",
                           "en": "every group reaching the minimum exceeds the combined "
                                 "maximum"},
    "refused": {"de": "jeder mögliche Verbund wurde abgelehnt",
                "en": "every feasible consortium was refused"},
    "excluded_funded": {"de": "bereits gefördert (Regel: Geförderte ausnehmen)",
                        "en": "already funded (exclude_funded rule)"},
    "excluded_by_rule": {"de": "für diesen Lauf ausgeschlossen",
                         "en": "excluded for this run (exclude rule)"},
    "excluded_status": {"de": "kreisfreie Stadt oder Sonderstatusstadt: eigenes "
                              "WIR-Vielfaltszentrum, kein KIV-Antragsteller",
                        "en": "kreisfreie Stadt or Sonderstatusstadt: has its own "
                              "WIR-Vielfaltszentrum, not a KIV applicant"},
    "single_applicant": {"de": "groß genug für einen Einzelantrag",
                         "en": "large enough to apply alone"},
    "above_band": {"de": "über der KIV-Einwohnergrenze", "en": "above the KIV population band"},
    "uninhabited": {"de": "gemeindefreies Gebiet ohne Einwohner",
                    "en": "gemeindefreies Gebiet without inhabitants"},
})

OUTCOMES = Vocabulary("outcome", {
    "single": {"de": "Einzelantrag möglich", "en": "can apply alone"},
    "verbund": {"de": "in einem vorgeschlagenen Verbund", "en": "in a suggested consortium"},
    "unplaced": {"de": "klein, kein Verbund gefunden", "en": "small, no consortium found"},
    "funded": {"de": "bereits gefördert", "en": "already funded"},
    "excluded": {"de": "für diesen Lauf ausgeschlossen", "en": "excluded for this run"},
    "large": {"de": "zu groß für KIV", "en": "too large for KIV"},
    "own_centre": {"de": "eigenes WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)",
                   "en": "own WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)"},
    "uninhabited": {"de": "unbewohnt", "en": "uninhabited"},
})

STATUS = Vocabulary("status", {
    "kreisfreie_stadt": {"de": "kreisfreie Stadt", "en": "kreisfreie Stadt (independent city)"},
    "sonderstatusstadt": {"de": "Sonderstatusstadt",
                          "en": "Sonderstatusstadt (town with special status)"},
    "kreisangehoerig": {"de": "kreisangehörig", "en": "part of a Landkreis"},
    "gemeindefrei": {"de": "gemeindefreies Gebiet",
                     "en": "gemeindefreies Gebiet (unincorporated area)"},
})

#: Who hosts a WIR-Vielfaltszentrum (``host_type`` of ``data/wir_centres.csv``).
HOST_TYPES = Vocabulary("host type", {
    "landkreis": {"de": "Landkreis", "en": "Landkreis (district)"},
    "kreisfreie_stadt": {"de": "kreisfreie Stadt", "en": "kreisfreie Stadt (independent city)"},
    "sonderstatusstadt": {"de": "Sonderstatusstadt",
                          "en": "Sonderstatusstadt (town with special status)"},
})

#: Whether a source confirms the office that hosts a centre.
CENTRE_STATUS = Vocabulary("centre status", {
    "confirmed": {"de": "bestätigt", "en": "confirmed"},
    "inferred": {"de": "erschlossen (nicht ausdrücklich belegt)", "en": "inferred"},
})

#: How sure the grantee table is of a funding.
GRANTEE_STATUS = Vocabulary("grantee status", {
    "confirmed": {"de": "belegt", "en": "confirmed"},
    "probable": {"de": "wahrscheinlich", "en": "probable"},
})

#: Where a centre is placed on the map.
LOCATION_PRECISION = Vocabulary("location precision", {
    "town": {"de": "Ortsmitte (Adresse nicht verortet)",
             "en": "town centre (street address not geocoded)"},
    "address": {"de": "Adresse", "en": "street address"},
})

#: KIV rounds as the grantee table names them.
ROUNDS = Vocabulary("round", {
    "KIV I": {"de": "KIV I", "en": "KIV I"},
    "KIV II": {"de": "KIV II", "en": "KIV II"},
    "later": {"de": "später", "en": "later"},
    "unknown": {"de": "unbekannt", "en": "unknown"},
})

#: The KIV rules by name (fields of :class:`wirgeo.rules.KivRules`), as people read them.
RULES = Vocabulary("rule", {
    "single_min": {"de": "Einzelantrag ab (Einwohner)", "en": "single application from "
                   "(inhabitants)"},
    "single_max": {"de": "Einzelantrag bis (Einwohner)", "en": "single application up to "
                   "(inhabitants)"},
    "single_min_inclusive": {"de": "Untergrenze eingeschlossen", "en": "lower bound included"},
    "single_max_inclusive": {"de": "Obergrenze eingeschlossen", "en": "upper bound included"},
    "member_below": {"de": "Verbundmitglied unter (Einwohner)",
                     "en": "consortium member below (inhabitants)"},
    "min_members": {"de": "Mitglieder mindestens", "en": "members at least"},
    "max_members": {"de": "Mitglieder höchstens", "en": "members at most"},
    "combined_min": {"de": "zusammen mindestens (Einwohner)",
                     "en": "combined at least (inhabitants)"},
    "combined_max": {"de": "zusammen höchstens (Einwohner)",
                     "en": "combined at most (inhabitants)"},
    "contiguity": {"de": "Lage der Mitglieder", "en": "how members must lie"},
    "same_kreis": {"de": "alle in einem Kreis", "en": "all in one Kreis"},
    "allow_large_partner": {"de": "ein größerer Partner erlaubt",
                            "en": "one larger partner allowed"},
    "exclude_funded": {"de": "bereits Geförderte ausnehmen", "en": "exclude funded ones"},
    "excluded_status": {"de": "nie Antragsteller (Status)", "en": "never applicants (status)"},
    "funding_ceiling_eur": {"de": "Förderhöchstbetrag (€)", "en": "maximum grant (€)"},
    "duration_months": {"de": "Laufzeit (Monate)", "en": "duration (months)"},
    "near_threshold_margin": {"de": "Spielraum „knapp an der Grenze“",
                              "en": "margin for “near a threshold”"},
})

#: Values of the ``contiguity`` rule.
CONTIGUITY = Vocabulary("contiguity", {
    "connected": {"de": "bilden ein zusammenhängendes Gebiet",
                  "en": "form one contiguous area"},
    "mutual": {"de": "grenzen alle aneinander", "en": "all border each other"},
})

#: Whether a Verbund of the optimal plan is in every plan that places the most small
#: municipalities (:func:`wirgeo.consortia.plan_flexibility`).
FLEXIBILITY = Vocabulary("flexibility", {
    "firm": {"de": "fest: in jedem besten Plan", "en": "firm: in every best plan"},
    "flexible": {"de": "flexibel: Alternativen ohne Verlust",
                 "en": "flexible: alternatives lose nothing"},
    "locked": {"de": "vorab festgelegt", "en": "locked in advance"},
    "unknown": {"de": "nicht bestimmt (Zeitgrenze)", "en": "not settled (time limit)"},
})

#: Whether a small municipality is in a Verbund in every, some or no best plan.
PLACED_IN = Vocabulary("placed in", {
    "every": {"de": "in jedem besten Plan im Verbund", "en": "in a consortium in every best "
                                                             "plan"},
    "some": {"de": "in manchen besten Plänen im Verbund",
             "en": "in a consortium in some best plans"},
    "none": {"de": "in keinem besten Plan im Verbund", "en": "in no best plan in a consortium"},
    "locked": {"de": "in einem vorab festgelegten Verbund", "en": "in a locked consortium"},
    "unknown": {"de": "nicht bestimmt (Zeitgrenze)", "en": "not settled (time limit)"},
})

#: What became of a Verbund of an old plan under a new population release.
RELEASE_STATUS = Vocabulary("release status", {
    "kept": {"de": "auch im neuen optimalen Plan", "en": "in the new optimal plan as well"},
    "not_optimal": {"de": "erfüllt die Regeln noch, aber der neue optimale Plan gruppiert "
                          "seine Mitglieder anders",
                    "en": "still meets the rules, but the new optimal plan groups its "
                          "members differently"},
    "broken": {"de": "erfüllt die Regeln nicht mehr", "en": "no longer meets the rules"},
})

YES_NO = Vocabulary("yes/no", {
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
})

#: The reason code of a municipality that is never a small Verbund member, by its class.
REASON_OF_CLASS = {
    "eligible_single": "single_applicant",
    "not_eligible_large": "above_band",
    "not_eligible_status": "excluded_status",
    "uninhabited": "uninhabited",
}

#: The outcome of a municipality by its class, before the plan is known.
OUTCOME_OF_CLASS = {
    "eligible_single": "single",
    "verbund_needed": "unplaced",
    "not_eligible_large": "large",
    "not_eligible_status": "own_centre",
    "uninhabited": "uninhabited",
}

#: Reason codes of small municipalities left out on purpose: they are not looking for a
#: Verbund in this run, so they are neither "covered" nor "unplaced".
NOT_PLANNED = ("excluded_funded", "excluded_by_rule")


def near_threshold_label(code: str, lang: str) -> str:
    """The words of a :meth:`~wirgeo.rules.KivRules.near_threshold` code.

    Examples
    --------
    >>> near_threshold_label("below_10000", "de"), near_threshold_label("above_50000", "en")
    ('knapp unter 10.000', 'just above 50,000')
    >>> near_threshold_label("", "de")
    ''
    """
    if not code:
        return ""
    side, limit = str(code).split("_", 1)
    words = {"de": {"below": "knapp unter", "above": "knapp über"},
             "en": {"below": "just below", "above": "just above"}}[check_language(lang)]
    return f"{words[side]} {number(int(limit), lang)}"


def rule_break_labels(lang: str | None = None) -> dict[str, str]:
    """The rules a Verbund can break (:data:`wirgeo.consortia.checks.RULE_BREAKS`) in words.

    Examples
    --------
    >>> rule_break_labels("de")["not_contiguous"]
    'Mitglieder grenzen nicht aneinander'
    """
    return {
        "too_few_members": _("too few members", lang),
        "too_many_members": _("too many members", lang),
        "member_too_large": _("a member too large for a Verbund", lang),
        "population_below_min": _("too few inhabitants together", lang),
        "population_above_max": _("too many inhabitants together", lang),
        "not_contiguous": _("members do not border each other", lang),
        "not_mutual": _("not every pair of members borders", lang),
        "several_kreise": _("members in more than one Kreis", lang),
        "not_applicant": _("a member is not a KIV applicant", lang),
        "uninhabited_member": _("a member has no inhabitants", lang),
        "funded_member": _("a member is already funded", lang),
        "excluded_member": _("a member is excluded for this run", lang),
    }


def plan_change_labels(lang: str | None = None) -> dict[str, str]:
    """How two plan documents differ, in words.

    Codes of :data:`wirgeo.planning.negotiation.GEMEINDE_CHANGES` (a Gemeinde) and
    :data:`~wirgeo.planning.negotiation.VERBUND_CHANGES` (a Verbund).

    Examples
    --------
    >>> plan_change_labels("de")["regrouped"]
    'in einem anderen Verbund'
    """
    return {
        "joined": _("joined a Verbund", lang), "left": _("left its Verbund", lang),
        "regrouped": _("in another Verbund", lang),
        "declined": _("takes no part any more", lang),
        "returned": _("takes part again, no Verbund yet", lang),
        "kept": _("unchanged", lang), "status": _("status changed", lang),
        "changed": _("members changed", lang), "added": _("new", lang),
        "removed": _("removed", lang),
    }
