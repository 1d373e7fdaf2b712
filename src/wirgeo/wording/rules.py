"""A rule set in one paragraph: :func:`describe_rules`.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> from wirgeo.rules import KivRules
>>> with speaking("de"):
...     print(describe_rules(KivRules()))
Regeln 'default': Einzelantrag 10.000–50.000 Einwohner (Obergrenze eingeschlossen); \
Verbund aus 2–3 Mitgliedern, jedes unter 10.000; zusammen 10.000–50.000; die Mitglieder \
bilden ein zusammenhängendes Gebiet; bereits geförderte Gemeinden ausgenommen.
>>> with speaking("en"):
...     print(describe_rules(KivRules(same_kreis=True, single_max_inclusive=False)))
Rules 'default': single applicants 10,000–50,000 (upper bound excluded); consortium of \
2–3 members, each under 10,000; combined 10,000–50,000; members form one contiguous area; \
all in one Kreis; already funded municipalities excluded.
"""

from __future__ import annotations

from wirgeo.core.i18n import _, number
from wirgeo.rules import KivRules

__all__ = ["describe_rules"]


def _single_band(rules: KivRules) -> str:
    low, high = number(rules.single_min), number(rules.single_max)
    if rules.single_min_inclusive:
        text = (_("single applicants {low}–{high} (upper bound included)")
                if rules.single_max_inclusive else
                _("single applicants {low}–{high} (upper bound excluded)"))
    else:
        text = (_("single applicants {low} (excluded)–{high} (upper bound included)")
                if rules.single_max_inclusive else
                _("single applicants {low} (excluded)–{high} (upper bound excluded)"))
    return text.format(low=low, high=high)


def describe_rules(rules: KivRules) -> str:
    """The rules in one paragraph, for reports, map legends and the planner."""
    members = (_("consortium of {low}–{high} members, each under {below} (one partner may "
                 "be larger)") if rules.allow_large_partner else
               _("consortium of {low}–{high} members, each under {below}"))
    parts = [
        _single_band(rules),
        members.format(low=rules.min_members, high=rules.max_members,
                       below=number(rules.member_below)),
        _("combined {low}–{high}").format(low=number(rules.combined_min),
                                          high=number(rules.combined_max)),
        _("members form one contiguous area") if rules.contiguity == "connected" else
        _("members all border each other"),
    ]
    if rules.same_kreis:
        parts.append(_("all in one Kreis"))
    if rules.exclude_funded:
        parts.append(_("already funded municipalities excluded"))
    return _("Rules {name!r}: {rules}.").format(name=rules.name, rules="; ".join(parts))
