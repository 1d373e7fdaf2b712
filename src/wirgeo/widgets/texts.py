"""Every text the planner shows (message ids of the catalogs), and the Kreis labels.

Labels of classes, outcomes and reasons come from :mod:`wirgeo.vocabulary`; table headers
from :data:`wirgeo.exports.sheets.COLUMNS`; only the planner's own controls and messages
are here. :func:`texts` says them in the active language.

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> with speaking("de"):
...     kreis_label("Landkreis Kassel", kreisfrei=False), kreis_label("Kassel", kreisfrei=True)
('Kassel (Landkreis)', 'Kassel (kreisfreie Stadt)')
>>> with speaking("en"):
...     kreis_label("Landkreis Kassel", kreisfrei=False), texts()["lock_apply"]
('Kassel (district)', 'Apply locks')
"""

from __future__ import annotations

from wirgeo.core.i18n import N_, translate

__all__ = ["TEXTS", "texts", "kreis_label", "sort_key"]

#: Every text of the planner (say them with :func:`texts`).
TEXTS = {
    "kreise": N_("Kreise (empty = all of Hessen)"),
    "kreise_placeholder": N_("find a Kreis: type or pick"),
    "within": N_("plan only within the chosen Kreise"),
    "combined_min": N_("Minimum combined population"),
    "max_members": N_("Maximum members"),
    "same_kreis": N_("All members in one Kreis"),
    "allow_large_partner": N_("One partner may have {limit} inhabitants or more"),
    "mutual": N_("Every pair of members must border"),
    "include_funded": N_("Plan funded municipalities too"),
    "exclude": N_("Exclude municipalities"),
    "exclude_placeholder": N_("find a municipality: type or pick"),
    "lock": N_("Lock consortia (one per line)"),
    "lock_placeholder": N_("e.g. Schotten, Ulrichstein"),
    "lock_apply": N_("Apply locks"),
    "locks_applied": N_("{count} locked"),
    "partner": N_("Partners for"),
    "partner_placeholder": N_("name or AGS"),
    "export_map": N_("Map (HTML)"),
    "export_table": N_("Tables (Excel)"),
    "export_dossier": N_("Dossier (PDF)"),
    "exports_heading": N_("Export"),
    "dossier_needs_kreis": N_("Choose exactly one Landkreis for a dossier."),
    "tab_consortia": N_("Consortia"),
    "tab_unplaced": N_("Unplaced"),
    "tab_partners": N_("Partner lookup"),
    "tab_exports": N_("Exports"),
    "consortia": N_("Suggested consortia"),
    "unplaced": N_("Small municipalities without a consortium"),
    "not_applied": N_("Not applied"),
    "computed": N_("computed: {what} in {seconds} s"),
    "cached": N_("as computed before: {what} (from the cache, {seconds} s)"),
    "statewide": N_("statewide plan"),
    "within_what": N_("plan within {kreise}"),
    "proven": N_("proven optimal"),
    "not_proven": N_("not proven optimal (time limit, gap {gap} %)"),
    "unchanged": N_("Plan unchanged: this change gives the same consortia."),
    "view_only": N_("Only the view changed, not the statewide plan."),
    "no_partner": N_("No feasible consortium under these rules."),
    "wrote": N_("Wrote"),
    "no_exports": N_("Nothing exported yet."),
    "flexibility": N_("compute firm or flexible"),
    "flexibility_done": N_("Flexibility: {line} ({seconds} s)"),
    "flexibility_header": N_("firm or flexible"),
    "rules": N_("Rules"),
    "landkreis": N_("district"),
    "kreisfrei": N_("independent city"),
    "excluded": N_("Excluded: {names}"),
    "locked": N_("Locked: {groups}"),
}

_PREFIX = "Landkreis "


def texts() -> dict[str, str]:
    """The planner's texts in the active language (:func:`wirgeo.core.i18n.speaking`)."""
    return {key: translate(text) for key, text in TEXTS.items()}


def kreis_label(name: str, *, kreisfrei: bool) -> str:
    """The Kreis as a planner looks for it: its name first, the kind in brackets.

    "Landkreis Kassel" and the city of Kassel would both sort under L and K apart;
    named "Kassel (Landkreis)" and "Kassel (kreisfreie Stadt)" they stand together.
    """
    if name.startswith(_PREFIX):
        return f"{name[len(_PREFIX):]} ({translate(TEXTS['landkreis'])})"
    return f"{name} ({translate(TEXTS['kreisfrei'])})" if kreisfrei else name


def sort_key(label: str) -> str:
    """Alphabetical order as in a German index: umlauts with their base letter."""
    folded = label.casefold()
    for a, b in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss")):
        folded = folded.replace(a, b)
    return folded
