"""What a Kreis dossier says: every text and figure, in the run's language, as plain data.

:func:`kreis_content` gathers, for one Kreis of a planning run, what a
WIR-Vielfaltszentrum takes to the mayors: the Kreis and its centre with key figures, each
municipality's KIV route (alone / in a Verbund with whom / no Verbund and why / already
funded), every suggested Verbund with a member in the Kreis (members, populations, shared
border, firm or flexible and its alternatives), the rules and what they assume, the data
with their dates and the run record. The layout lives in ``templates/dossier.typ``; this
module decides the words.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest().run(load_municipalities())
>>> content = kreis_content(run, "Vogelsbergkreis")
>>> content["kreis"]["name"], content["title"]
('Vogelsbergkreis', 'Dossier Vogelsbergkreis')
>>> len(content["verbuende"]), len(content["routes"])
(6, 19)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wirgeo.core.i18n import _, date, km, language, number, percent
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import Planning, RunRecord
from wirgeo.programme import kreis_summary, load_council_law
from wirgeo.rules import rule_sources
from wirgeo.vocabulary import (
    CENTRE_STATUS,
    CONTIGUITY,
    ELIGIBILITY,
    FLEXIBILITY,
    RULES,
    STATUS,
    YES_NO,
)

__all__ = ["kreis_content", "TEXTS"]

#: The dossier's own words, per language.
TEXTS = {
    "de": {
        "programme": "WIR – Vielfalt und Teilhabe · Kommunale Vielfalts- und "
                     "Integrationsstrategien (KIV)",
        "subtitle": "Wege zur KIV-Förderung für jede Gemeinde, mit den vorgeschlagenen "
                    "Verbünden", "title": "Dossier {kreis}", "page": "Seite",
        "centre": "WIR-Vielfaltszentrum", "no_centre": "Kein Zentrum in den Daten.",
        "cities": "Sonderstatusstädte im Kreis mit eigenem Zentrum:",
        "figures": "Eckdaten", "item": "Angabe", "value": "Wert", "map": "Karte",
        "routes": "Gemeinden und ihr Weg zu KIV",
        "routes_note": "Allein (10.000–50.000 Einwohner), im Verbund (unter 10.000, mit "
                       "einer oder zwei Nachbargemeinden), kein Verbund (mit Begründung) "
                       "oder bereits gefördert. Die Verbünde sind der landesweit optimale "
                       "Plan: so viele kleine Gemeinden wie möglich, bewiesen.",
        "verbuende": "Vorgeschlagene Verbünde",
        "verbuende_note": "Jeder Verbund mit einer Gemeinde im Kreis (Mitglieder jenseits "
                          "der Kreisgrenze eingeschlossen). „Fest“: in jedem besten Plan; "
                          "„flexibel“: es gibt Alternativen, mit denen ebenso viele kleine "
                          "Gemeinden zum Zug kommen.",
        "no_verbuende": "Kein Verbund hat eine Gemeinde in diesem Kreis.",
        "rules": "Regeln und Annahmen",
        "rules_note": "Jede Regel mit ihrem Wert, ob sie eine Annahme ist (von den "
                      "öffentlichen Texten offengelassen) und der Quelle.",
        "sources": "Daten und Quellen", "run": "Wie dieses Dossier entstand",
        "gemeinde": "Gemeinde", "inhabitants": "Einwohner", "class": "KIV",
        "route": "Weg", "kreis": "Kreis", "rule": "Regel", "assumption": "Annahme",
        "quote": "Zitat und Quelle", "name": "Name", "town": "Ort",
        "alone": "Einzelantrag möglich", "funded": "bereits gefördert",
        "in_verbund": "im Verbund {cid} mit {others}", "no_verbund": "kein Verbund: {why}",
        "own_centre": "eigenes WIR-Vielfaltszentrum ({status})",
        "uninhabited": "unbewohnt (gemeindefreies Gebiet)",
        "too_large": "zu groß für KIV",
        "heading": "{cid}: {names}", "together": "zusammen {n} Einwohner",
        "border": "gemeinsame Grenze {km}", "lead": "federführend (einwohnerstärkste "
                                                    "Gemeinde): {name}",
        "via": "verbunden über das gemeindefreie Gebiet {names}",
        "alternatives": "{alts} Alternativen ohne Verlust (jede mit ebenso vielen kleinen "
                        "Gemeinden im Verbund):",
        "no_alternatives": "keine Alternative ohne Verlust",
        "f_gemeinden": "Gemeinden", "f_population": "Einwohner", "f_alone": "Einzelantrag "
        "möglich", "f_verbund": "nur im Verbund antragsberechtigt",
        "f_placed": "davon in einem vorgeschlagenen Verbund", "f_unplaced": "davon ohne "
        "Verbund", "f_status": "eigenes Vielfaltszentrum", "f_funded": "bekannte KIV-"
        "Förderungen", "f_verbuende": "Verbünde mit einer Gemeinde im Kreis",
        "f_distance": "Entfernung zum Zentrum Ø / max.", "organisation": "Stelle",
        "address": "Adresse", "source": "Quelle", "status": "Stelle belegt?",
        "footer": "Dossier {kreis} · wirgeo {version}",
    },
    "en": {
        "programme": "WIR – Vielfalt und Teilhabe · municipal diversity and integration "
                     "strategies (KIV)",
        "subtitle": "Every municipality's route to KIV funding, with the suggested consortia",
        "title": "Dossier {kreis}", "page": "Page",
        "centre": "WIR-Vielfaltszentrum", "no_centre": "No centre in the data.",
        "cities": "Sonderstatusstädte in the Kreis with their own centre:",
        "figures": "Key figures", "item": "Item", "value": "Value", "map": "Map",
        "routes": "Municipalities and their route to KIV",
        "routes_note": "Alone (10,000–50,000 inhabitants), in a consortium (under 10,000, "
                       "with one or two neighbours), no consortium (with the reason) or "
                       "already funded. The consortia are the statewide optimal plan: as "
                       "many small municipalities as possible, proven.",
        "verbuende": "Suggested consortia",
        "verbuende_note": "Every consortium with a member in the Kreis (members across "
                          "the border included). Firm: in every best plan; flexible: "
                          "alternatives place as many small municipalities.",
        "no_verbuende": "No consortium has a member in this Kreis.",
        "rules": "Rules and assumptions",
        "rules_note": "Every rule with its value, whether it is an assumption (left open "
                      "by the public texts) and its source.",
        "sources": "Data and sources", "run": "How this dossier was made",
        "gemeinde": "Municipality", "inhabitants": "Inhabitants", "class": "KIV",
        "route": "Route", "kreis": "Kreis", "rule": "Rule", "assumption": "Assumption",
        "quote": "Quote and source", "name": "Name", "town": "Town",
        "alone": "can apply alone", "funded": "already funded",
        "in_verbund": "in consortium {cid} with {others}",
        "no_verbund": "no consortium: {why}",
        "own_centre": "own WIR-Vielfaltszentrum ({status})",
        "uninhabited": "uninhabited (gemeindefreies Gebiet)", "too_large": "too large for KIV",
        "heading": "{cid}: {names}", "together": "together {n} inhabitants",
        "border": "shared border {km}", "lead": "lead (member with most inhabitants): {name}",
        "via": "linked across the uninhabited area {names}",
        "alternatives": "{alts} alternatives that lose nothing (each with as many small "
                        "municipalities in a consortium):",
        "no_alternatives": "no alternative without a loss",
        "f_gemeinden": "Municipalities", "f_population": "Inhabitants",
        "f_alone": "can apply alone", "f_verbund": "only in a consortium",
        "f_placed": "of these in a suggested consortium", "f_unplaced": "of these without "
        "a consortium", "f_status": "own WIR-Vielfaltszentrum", "f_funded": "known KIV "
        "grants", "f_verbuende": "consortia with a member in the Kreis",
        "f_distance": "distance to the centre mean / max.", "organisation": "Office",
        "address": "Address", "source": "Source", "status": "Office confirmed?",
        "footer": "Dossier {kreis} · wirgeo {version}",
    },
}


def kreis_content(run: Planning, kreis: str, lang: str | None = None) -> dict[str, Any]:
    """Everything the dossier of one Kreis says (see the module docs), as JSON-ready data.

    Parameters
    ----------
    run : Planning
        A statewide planning run (its plan gives the Verbünde; a Kreis selection of the
        run itself is not needed).
    kreis : str
        The Kreis, by name or 5-digit key (:func:`wirgeo.municipalities.resolve_kreise`).
    lang : str, optional
        Language of every text (default: the run's).
    """
    lang = language(lang or run.lang)
    say = TEXTS[lang]
    key = resolve_kreise(kreis, run.municipalities, argument="kreis")[0]
    view = _view(run, key)
    name = view.kreis_names()[0]
    record = RunRecord.of(view, lang)
    from wirgeo._version import __version__

    return {
        "lang": lang, "texts": say, "programme": say["programme"],
        "title": say["title"].format(kreis=name), "subtitle": say["subtitle"],
        "footer": say["footer"].format(kreis=name, version=__version__),
        "kreis": {"name": name, "ags": key},
        "centre": _centre(run, key, say, lang),
        "cities_header": [say["name"], say["town"], say["organisation"]],
        "cities": _cities(run, key),
        "figures": _figures(view, key, lang),
        "summary": view.summary_line(lang),
        "routes_header": _routes_header(view, lang),
        "routes": _routes(view, lang),
        "census_note": _census_note(view, lang),
        "member_header": [say["gemeinde"], say["inhabitants"], say["kreis"]],
        "verbuende": _verbuende(view, lang),
        "rules_header": [say["rule"], say["value"], say["assumption"], say["quote"]],
        "rules": _rules(run, lang),
        "sources": _sources(run, lang),
        "run": [list(row) for row in record.rows(lang)],
    }


def _view(run: Planning, key: str) -> Planning:
    """The run as the view of one Kreis (the same plan, Verbünde and reasons)."""
    import dataclasses

    return dataclasses.replace(run, kreise=(key,), within_kreise=False)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _centre(run: Planning, key: str, say: dict[str, str], lang: str
            ) -> dict[str, Any] | None:
    if run.centres is None:
        return None
    rows = run.centres[run.centres["host_ags"] == key]
    if rows.empty:
        return None
    c = rows.iloc[0]
    address = ", ".join(p for p in (_text(c["street"]), " ".join(
        p for p in (_text(c["postcode"]), _text(c["town"])) if p)) if p)
    status = CENTRE_STATUS.label(c["status"], lang) if c["status"] in CENTRE_STATUS else ""
    return {"rows": [[say["name"], _text(c["name"])],
                     [say["organisation"], _text(c["organisation"])],
                     [say["address"], address or "—"], [say["status"], status],
                     [say["source"], _text(c["source_url"])]]}


def _cities(run: Planning, key: str) -> list[list[str]]:
    if run.centres is None:
        return []
    rows = run.centres[(run.centres["host_type"] == "sonderstatusstadt")
                       & (run.centres["host_ags"].str[:5] == key)]
    return [[_text(r.name), _text(r.town), _text(r.organisation)]
            for r in rows.itertuples(index=False)]


def _figures(view: Planning, key: str, lang: str) -> list[list[str]]:
    say = TEXTS[lang]
    row = kreis_summary(view.eligibility[view.eligibility["kreis_ags"] == key]).iloc[0]
    members = view.members
    small = members["small"] & (members["reason_code"] != "excluded_funded")
    placed = int((small & members["consortium_id"].notna()).sum())
    figures = [
        [say["f_gemeinden"], number(row["municipalities"], lang)],
        [say["f_population"], number(row["population"], lang)],
        [say["f_alone"], number(row["n_eligible_single"], lang)],
        [say["f_verbund"], number(row["n_verbund_needed"], lang)],
        [say["f_placed"], number(placed, lang)],
        [say["f_unplaced"], number(len(view.unplaced), lang)],
        [say["f_status"], number(row["n_not_eligible_status"], lang)],
        [say["f_funded"], number(row["funded"], lang)],
        [say["f_verbuende"], number(len(view.consortia), lang)],
    ]
    if pd.notna(row["mean_centre_km"]):
        figures.append([say["f_distance"], f"{km(row['mean_centre_km'], lang)} / "
                                           f"{km(row['max_centre_km'], lang)}"])
    return figures


def _has_census(view: Planning) -> bool:
    frame = view.eligibility
    return "foreign_share" in frame.columns and bool(frame["foreign_share"].notna().any())


def _routes_header(view: Planning, lang: str) -> list[str]:
    say = TEXTS[lang]
    census = [_("Foreign nationals", lang), _("≈ foreign residents", lang)] \
        if _has_census(view) else []
    return [say["gemeinde"], say["inhabitants"], say["class"], *census, say["route"]]


def _census_cells(e: pd.Series, lang: str) -> list[str]:
    """Share and estimate of one Gemeinde; † where the estimate passes § 84 HGO."""
    share = e["foreign_share"]
    if pd.isna(share):
        return [_("keine Angabe", lang), ""]
    mark = " †" if e.get("advisory_council") is True or str(
        e.get("advisory_council")) == "True" else ""
    return [percent(float(share) / 100, lang), number(int(e["foreign_residents"]), lang)
            + mark]


def _census_note(view: Planning, lang: str) -> str | None:
    """What the two Zensus columns are, and what † means (None without them)."""
    if not _has_census(view):
        return None
    law = load_council_law()
    return _("Foreign nationals: share of the inhabitants at the Zensus 2022 ({date}); ≈ "
             "foreign residents: an estimate, share × census population. † more than "
             "{threshold} estimated: an Ausländerbeirat is likely required ({provision}; an "
             "estimate, not a legal determination; an Integrations-Kommission may replace "
             "it, {alternative}). Source: {attribution}", lang).format(
                 date=date(str(view.municipalities.attrs.get("census_date", "2022-05-15")),
                           lang),
                 threshold=number(law.threshold, lang), provision=law.provision,
                 alternative=law.alternative.provision,
                 attribution=view.municipalities.attrs.get("census_attribution", ""))


def _routes(view: Planning, lang: str) -> list[list[str]]:
    """Each municipality of the Kreis: name, inhabitants, class, its route to KIV."""
    say = TEXTS[lang]
    elig = view.eligibility.set_index("ags")
    members = view.members.set_index("ags")
    names = view.municipalities.set_index("ags")["name"]
    firmness = _firmness(view)
    partners = view.plan.members.groupby("consortium_id")["ags"].apply(list).to_dict()
    census = _has_census(view)
    rows = []
    for ags in sorted(members.index, key=lambda a: (names[a], a)):
        e, m = elig.loc[ags], members.loc[ags]
        route = _route(e, m, partners, names, firmness, say, lang)
        rows.append([str(names[ags]), number(int(e["population"]), lang),
                     ELIGIBILITY.label(e["eligibility"], lang),
                     *(_census_cells(e, lang) if census else []), route])
    return rows


def _route(e: pd.Series, m: pd.Series, partners: dict[str, list[str]], names: pd.Series,
           firmness: dict[str, str], say: dict[str, str], lang: str) -> str:
    cls = e["eligibility"]
    funded = say["funded"] + (f": {e['funded_round']}, {e['funded_years']}"
                              if e["funded_round"] else "")
    if cls == "uninhabited":
        return say["uninhabited"]
    if cls == "not_eligible_status":
        return say["own_centre"].format(status=STATUS.label(e["status"], lang))
    if cls == "not_eligible_large":
        return say["too_large"]
    cid = m["consortium_id"]
    if isinstance(cid, str) and cid:
        others = [str(names[a]) for a in sorted(partners[cid]) if a != m.name]
        text = say["in_verbund"].format(cid=cid, others=", ".join(others))
        return text + (f" ({firmness[cid]})" if cid in firmness else "")
    if bool(e["funded"]):
        return funded
    if cls == "eligible_single":
        return say["alone"]
    return say["no_verbund"].format(why=m["reason"])


def _firmness(view: Planning) -> dict[str, str]:
    flex = view.flexibility().consortia
    return {cid: FLEXIBILITY.label(f, view.lang).split(":")[0]
            for cid, f in zip(flex["consortium_id"], flex["flexibility"], strict=True)}


def _verbuende(view: Planning, lang: str) -> list[dict[str, Any]]:
    say = TEXTS[lang]
    flex = view.flexibility().consortia.set_index("consortium_id")
    population = view.municipalities.set_index("ags")
    out = []
    for row in view.consortia.itertuples(index=False):
        ags = row.member_ags.split(";")
        members = [[str(population.at[a, "name"]), number(int(population.at[a, "population"]),
                                                           lang),
                    str(population.at[a, "kreis_name"])] for a in ags]
        lines = [say["together"].format(n=number(row.population, lang)),
                 say["border"].format(km=km(row.shared_border_km, lang)),
                 say["lead"].format(name=row.lead_name)]
        if row.linked_via_names:
            lines.append(say["via"].format(names=row.linked_via_names.replace(";", ", ")))
        alts: list[str] = []
        if row.consortium_id in flex.index:
            f = flex.loc[row.consortium_id]
            lines.append(FLEXIBILITY.label(f["flexibility"], lang))
            if f["flexibility"] == "flexible":
                # one alternative per line: a run of names separated by ";" reads as one
                alts = [a.replace(";", ", ") for a in str(f["alternatives"]).split(" | ") if a]
                lines.append(say["alternatives"].format(alts=number(len(alts), lang)) if alts
                             else say["no_alternatives"])
        if row.rule_violations:
            lines.append(row.rule_violations)
        out.append({"heading": say["heading"].format(
            cid=row.consortium_id, names=row.member_names.replace(";", ", ")),
            "members": members, "lines": lines, "alternatives": alts})
    return out


def _rules(run: Planning, lang: str) -> list[list[str]]:
    rules = run.rules
    rows = []
    for s in rule_sources(rules.source or None):
        if s.rule not in RULES:
            continue
        value = getattr(rules, s.rule, s.value)
        rows.append([RULES.label(s.rule, lang), _value(s.rule, value, lang),
                     YES_NO.label("yes" if s.assumption else "no", lang),
                     f"„{s.quote}“ — {s.source_url}"])
    return rows


def _value(rule: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return YES_NO.label("yes" if value else "no", lang)
    if isinstance(value, int):
        return number(value, lang)
    if rule == "contiguity":
        return CONTIGUITY.label(value, lang)
    if rule == "excluded_status":
        return ", ".join(STATUS.label(v, lang) for v in value)
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return ", ".join(f"{k}: {number(v, lang)}" for k, v in value)
    if isinstance(value, tuple):
        return "–".join(map(str, value))
    return str(value)


def _sources(run: Planning, lang: str) -> list[list[str]]:
    attrs = run.municipalities.attrs
    de = lang == "de"
    rows = [[("Grenzen" if de else "Boundaries"), attrs.get("attribution", "").split(" · ")[0]],
            [("Einwohner" if de else "Population"),
             " · ".join(attrs.get("attribution", "").split(" · ")[1:])]]
    if attrs.get("census_attribution"):
        rows.append(["Zensus 2022", _("{attribution}; figures compiled from the published "
                                      "results; licence dl-de/by-2-0", lang).format(
                                          attribution=attrs["census_attribution"])])
        law = load_council_law()
        rows.append([_("Ausländerbeirat", lang),
                     f"{law.provision}: „{law.rule.quote}“ — {law.rule.source_url}"])
    if attrs.get("data_source"):
        rows.append([("Datengrundlage" if de else "Data"), str(attrs["data_source"])])
    rows.append([("Programmdaten" if de else "Programme data"),
                 ("data/wir_centres.csv, data/kiv_grantees.csv, data/kiv_rules.toml — jede "
                  "Zeile mit der URL ihrer öffentlichen Quelle" if de else
                  "data/wir_centres.csv, data/kiv_grantees.csv, data/kiv_rules.toml — every "
                  "row with the URL of its public source")])
    return rows
