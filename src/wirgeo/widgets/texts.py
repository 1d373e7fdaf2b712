"""Every text the planner shows, per language (German first), and the Kreis labels.

Labels of classes, outcomes and reasons come from :mod:`wirgeo.vocabulary`; table headers
from :data:`wirgeo.exports.sheets.COLUMNS`; only the planner's own controls and messages
are here.

Examples
--------
>>> kreis_label("Landkreis Kassel", kreisfrei=False, lang="de")
'Kassel (Landkreis)'
>>> kreis_label("Kassel", kreisfrei=True, lang="de")
'Kassel (kreisfreie Stadt)'
>>> kreis_label("Vogelsbergkreis", kreisfrei=False, lang="en")
'Vogelsbergkreis'
"""

from __future__ import annotations

__all__ = ["TEXTS", "kreis_label", "sort_key"]

#: Every text of the planner, per language.
TEXTS = {
    "de": {
        "kreise": "Kreise (leer = ganz Hessen)",
        "kreise_placeholder": "Kreis suchen: tippen oder wählen",
        "within": "nur innerhalb der gewählten Kreise planen",
        "combined_min": "Mindesteinwohner zusammen", "max_members": "Höchstzahl Mitglieder",
        "same_kreis": "alle Mitglieder in einem Kreis",
        "allow_large_partner": "ein Partner darf {limit} Einwohner oder mehr haben",
        "mutual": "alle Mitglieder grenzen aneinander",
        "include_funded": "auch bereits geförderte Gemeinden planen",
        "exclude": "Gemeinden ausschließen",
        "exclude_placeholder": "Gemeinde suchen: tippen oder wählen",
        "lock": "Verbünde festlegen (einer je Zeile)",
        "lock_placeholder": "z. B. Schotten, Ulrichstein",
        "lock_apply": "Festlegungen übernehmen",
        "locks_applied": "{count} festgelegt",
        "partner": "Partner für", "partner_placeholder": "Name oder AGS",
        "export_map": "Karte (HTML)", "export_table": "Tabellen (Excel)",
        "export_dossier": "Dossier (PDF)",
        "exports_heading": "Exportieren",
        "dossier_needs_kreis": "Für ein Dossier genau einen Landkreis wählen.",
        "tab_consortia": "Verbünde", "tab_unplaced": "Ohne Verbund",
        "tab_partners": "Partnersuche", "tab_exports": "Exporte",
        "consortia": "Vorgeschlagene Verbünde", "unplaced": "Kleine Gemeinden ohne Verbund",
        "not_applied": "Nicht übernommen",
        "computed": "berechnet: {what} in {seconds} s",
        "cached": "wie zuvor berechnet: {what} (aus dem Zwischenspeicher, {seconds} s)",
        "statewide": "landesweiter Plan", "within_what": "Plan innerhalb von {kreise}",
        "proven": "bewiesen optimal",
        "not_proven": "nicht bewiesen optimal (Zeitlimit, Lücke {gap} %)",
        "unchanged": "Plan unverändert: diese Änderung ergibt dieselben Verbünde.",
        "view_only": "Nur der Ausschnitt hat sich geändert, der landesweite Plan nicht.",
        "no_partner": "Kein möglicher Verbund unter diesen Regeln.",
        "wrote": "Geschrieben", "no_exports": "Noch nichts exportiert.",
        "flexibility": "fest oder flexibel berechnen",
        "flexibility_done": "Flexibilität: {line} ({seconds} s)",
        "flexibility_header": "fest oder flexibel",
        "rules": "Regeln", "landkreis": "Landkreis", "kreisfrei": "kreisfreie Stadt",
        "excluded": "Ausgeschlossen: {names}", "locked": "Festgelegt: {groups}",
    },
    "en": {
        "kreise": "Kreise (empty = all of Hessen)",
        "kreise_placeholder": "find a Kreis: type or pick",
        "within": "plan only within the chosen Kreise",
        "combined_min": "Minimum combined population", "max_members": "Maximum members",
        "same_kreis": "All members in one Kreis",
        "allow_large_partner": "One partner may have {limit} inhabitants or more",
        "mutual": "Every pair of members must border",
        "include_funded": "Plan funded municipalities too",
        "exclude": "Exclude municipalities",
        "exclude_placeholder": "find a municipality: type or pick",
        "lock": "Lock consortia (one per line)",
        "lock_placeholder": "e.g. Schotten, Ulrichstein",
        "lock_apply": "Apply locks",
        "locks_applied": "{count} locked",
        "partner": "Partners for", "partner_placeholder": "name or AGS",
        "export_map": "Map (HTML)", "export_table": "Tables (Excel)",
        "export_dossier": "Dossier (PDF)",
        "exports_heading": "Export",
        "dossier_needs_kreis": "Choose exactly one Landkreis for a dossier.",
        "tab_consortia": "Consortia", "tab_unplaced": "Unplaced",
        "tab_partners": "Partner lookup", "tab_exports": "Exports",
        "consortia": "Suggested consortia",
        "unplaced": "Small municipalities without a consortium",
        "not_applied": "Not applied",
        "computed": "computed: {what} in {seconds} s",
        "cached": "as computed before: {what} (from the cache, {seconds} s)",
        "statewide": "statewide plan", "within_what": "plan within {kreise}",
        "proven": "proven optimal",
        "not_proven": "not proven optimal (time limit, gap {gap} %)",
        "unchanged": "Plan unchanged: this change gives the same consortia.",
        "view_only": "Only the view changed, not the statewide plan.",
        "no_partner": "No feasible consortium under these rules.",
        "wrote": "Wrote", "no_exports": "Nothing exported yet.",
        "flexibility": "compute firm or flexible",
        "flexibility_done": "Flexibility: {line} ({seconds} s)",
        "flexibility_header": "firm or flexible",
        "rules": "Rules", "landkreis": "district", "kreisfrei": "independent city",
        "excluded": "Excluded: {names}", "locked": "Locked: {groups}",
    },
}

_PREFIX = "Landkreis "


def kreis_label(name: str, *, kreisfrei: bool, lang: str) -> str:
    """The Kreis as a planner looks for it: its name first, the kind in brackets.

    "Landkreis Kassel" and the city of Kassel would both sort under L and K apart;
    named "Kassel (Landkreis)" and "Kassel (kreisfreie Stadt)" they stand together.
    """
    say = TEXTS[lang]
    if name.startswith(_PREFIX):
        return f"{name[len(_PREFIX):]} ({say['landkreis']})"
    return f"{name} ({say['kreisfrei']})" if kreisfrei else name


def sort_key(label: str) -> str:
    """Alphabetical order as in a German index: umlauts with their base letter."""
    folded = label.casefold()
    for a, b in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss")):
        folded = folded.replace(a, b)
    return folded
