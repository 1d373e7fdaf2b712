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
('nur im Verbund', 'only in a Verbund')
>>> REASONS.label("island")
'borders no other inhabited municipality'
>>> OUTCOMES.label("own_centre", "de")
'eigenes WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from wirgeo.errors import ArgumentError

__all__ = ["LANGUAGES", "Vocabulary", "ELIGIBILITY", "REASONS", "OUTCOMES",
           "REASON_OF_CLASS", "OUTCOME_OF_CLASS", "NOT_PLANNED", "check_language"]

#: Languages every label exists in.
LANGUAGES = ("de", "en")


def check_language(lang: str) -> str:
    """Return ``lang`` if wirgeo speaks it, else raise naming the argument.

    Examples
    --------
    >>> check_language("de")
    'de'
    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    wirgeo.errors.ArgumentError: argument 'lang': unknown language 'fr'. Fix: use one of \
de, en.
    """
    if lang not in LANGUAGES:
        raise ArgumentError("lang", f"unknown language {lang!r}",
                            fix="use one of " + ", ".join(LANGUAGES))
    return lang


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

    def label(self, code: str, lang: str = "en") -> str:
        """The label of one code in one language."""
        check_language(lang)
        if code not in self.terms:
            raise ArgumentError("code", f"{code!r} is not a {self.name} code",
                                fix="use one of " + ", ".join(self.terms))
        return self.terms[code][lang]

    def labels(self, lang: str = "en") -> dict[str, str]:
        """Code → label, in one language."""
        check_language(lang)
        return {code: labels[lang] for code, labels in self.terms.items()}

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)


ELIGIBILITY = Vocabulary("eligibility class", {
    "eligible_single": {"de": "Einzelantrag möglich", "en": "can apply alone"},
    "verbund_needed": {"de": "nur im Verbund", "en": "only in a Verbund"},
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
    "verbund": {"de": "in einem vorgeschlagenen Verbund", "en": "in a suggested Verbund"},
    "unplaced": {"de": "klein, kein Verbund gefunden", "en": "small, no Verbund found"},
    "funded": {"de": "bereits gefördert", "en": "already funded"},
    "excluded": {"de": "für diesen Lauf ausgeschlossen", "en": "excluded for this run"},
    "large": {"de": "zu groß für KIV", "en": "too large for KIV"},
    "own_centre": {"de": "eigenes WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)",
                   "en": "own WIR-Vielfaltszentrum (kreisfrei / Sonderstatus)"},
    "uninhabited": {"de": "unbewohnt", "en": "uninhabited"},
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
