"""What a Kreis dossier says: every text and figure, in the reader's language, as plain data.

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

from wirgeo.core.i18n import (
    NP_,
    _,
    date,
    km,
    language,
    names,
    number,
    percent,
    speaking,
    translate,
)
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
    near_threshold_label,
    yes_no,
)
from wirgeo.wording import (
    data_source_line,
    reason_text,
    record_rows,
    summary_line,
    verbund_names,
    verbund_numbers,
    violations_text,
)

__all__ = ["kreis_content", "verbund_content", "TEXTS", "SHEET_TEXTS"]

#: The dossier's own words (in the context ``dossier``); the template gets them as data.
TEXTS = {
    "programme": NP_("dossier", "WIR – Vielfalt und Teilhabe · municipal diversity and "
                                "integration strategies (KIV)"),
    "subtitle": NP_("dossier", "Every municipality's route to KIV funding, with the suggested "
                               "consortia"),
    "title": NP_("dossier", "Dossier {kreis}"),
    "page": NP_("dossier", "Page"),
    "centre": NP_("dossier", "WIR-Vielfaltszentrum"),
    "no_centre": NP_("dossier", "No centre in the data."),
    "cities": NP_("dossier", "Sonderstatusstädte in the Kreis with their own centre:"),
    "figures": NP_("dossier", "Key figures"),
    "item": NP_("dossier", "Item"),
    "value": NP_("dossier", "Value"),
    "map": NP_("dossier", "Map"),
    "routes": NP_("dossier", "Municipalities and their route to KIV"),
    "routes_note": NP_("dossier", "Alone (10,000–50,000 inhabitants), in a consortium (under "
                                  "10,000, with one or two neighbours), no consortium (with the "
                                  "reason) or already funded. The consortia are the statewide "
                                  "optimal plan: as many small municipalities as possible, "
                                  "proven."),
    "verbuende": NP_("dossier", "Suggested consortia"),
    "verbuende_note": NP_("dossier", "Every consortium with a member in the Kreis (members "
                                     "across the border included). Firm: in every best plan; "
                                     "flexible: alternatives place as many small municipalities."),
    "no_verbuende": NP_("dossier", "No consortium has a member in this Kreis."),
    "rules": NP_("dossier", "Rules and assumptions"),
    "rules_note": NP_("dossier", "Every rule with its value, whether it is an assumption (left "
                                 "open by the public texts) and its source."),
    "sources": NP_("dossier", "Data and sources"),
    "run": NP_("dossier", "How this dossier was made"),
    "gemeinde": NP_("dossier", "Municipality"),
    "inhabitants": NP_("dossier", "Inhabitants"),
    "class": NP_("dossier", "KIV"),
    "route": NP_("dossier", "Route"),
    "kreis": NP_("dossier", "Kreis"),
    "rule": NP_("dossier", "Rule"),
    "assumption": NP_("dossier", "Assumption"),
    "quote": NP_("dossier", "Quote and source"),
    "name": NP_("dossier", "Name"),
    "town": NP_("dossier", "Town"),
    "alone": NP_("dossier", "can apply alone"),
    "funded": NP_("dossier", "already funded"),
    "in_verbund": NP_("dossier", "in consortium {number} with {others}"),
    "no_verbund": NP_("dossier", "no consortium: {why}"),
    "own_centre": NP_("dossier", "own WIR-Vielfaltszentrum ({status})"),
    "uninhabited": NP_("dossier", "uninhabited (gemeindefreies Gebiet)"),
    "too_large": NP_("dossier", "too large for KIV"),
    "heading": NP_("dossier", "{number} · {name}"),
    "verbund_id": NP_("dossier", "consortium {cid} (the number is the one on the map)"),
    "together": NP_("dossier", "together {n} inhabitants"),
    "border": NP_("dossier", "shared border {km}"),
    "lead": NP_("dossier", "lead (member with most inhabitants): {name}"),
    "via": NP_("dossier", "linked across the uninhabited area {names}"),
    "alternatives": NP_("dossier", "{alts} alternatives that lose nothing (each with as many "
                                   "small municipalities in a consortium):"),
    "more": NP_("dossier", "+ {n} more (all in the plan workbook)"),
    "near": NP_("dossier", "{label} – the next population release may change its route"),
    "near_member": NP_("dossier", "{name} ({inhabitants} inhabitants, {label})"),
    "risk": NP_("dossier", "Risk: {members} – the next population release may change this "
                           "consortium"),
    "risk_firm": NP_("dossier", "Risk: this firm consortium depends on {members} – the next "
                                "population release may change it"),
    "near_note": NP_("dossier", "Near a threshold – the next population release may change "
                                "their route: {members}"),
    "no_alternatives": NP_("dossier", "no alternative without a loss"),
    "f_gemeinden": NP_("dossier", "Municipalities"),
    "f_population": NP_("dossier", "Inhabitants"),
    "f_alone": NP_("dossier", "can apply alone"),
    "f_verbund": NP_("dossier", "only in a consortium"),
    "f_placed": NP_("dossier", "of these in a suggested consortium"),
    "f_unplaced": NP_("dossier", "of these without a consortium"),
    "f_status": NP_("dossier", "own WIR-Vielfaltszentrum"),
    "f_funded": NP_("dossier", "known KIV grants"),
    "f_verbuende": NP_("dossier", "consortia with a member in the Kreis"),
    "f_distance": NP_("dossier", "distance to the centre mean / max."),
    "organisation": NP_("dossier", "Office"),
    "address": NP_("dossier", "Address"),
    "source": NP_("dossier", "Source"),
    "status": NP_("dossier", "Office confirmed?"),
    "footer": NP_("dossier", "Dossier {kreis} · As of: {date} · wirgeo {version}"),
    "s_boundaries": NP_("dossier", "Boundaries"),
    "s_population": NP_("dossier", "Population"),
    "s_data": NP_("dossier", "Data"),
    "s_programme": NP_("dossier", "Programme data"),
    "s_programme_files": NP_("dossier", "data/wir_centres.csv, data/kiv_grantees.csv, "
                                        "data/kiv_rules.toml — every row with the URL of its "
                                        "public source"),
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
        Language of every text (default: the setting; German).
    """
    with speaking(lang):
        return _content(run, kreis)


def _words() -> dict[str, str]:
    """The dossier's own words in the active language."""
    return {key: translate(text, "dossier") for key, text in TEXTS.items()}


def _content(run: Planning, kreis: str) -> dict[str, Any]:
    say = _words()
    key = resolve_kreise(kreis, run.municipalities, argument="kreis")[0]
    view = _view(run, key)
    name = view.kreis_names()[0]
    record = RunRecord.of(view)
    from wirgeo._version import __version__

    return {
        "lang": language(), "texts": say, "programme": say["programme"],
        "title": say["title"].format(kreis=name), "subtitle": say["subtitle"],
        "footer": say["footer"].format(kreis=name, date=date(record.run_date),
                                       version=__version__),
        "kreis": {"name": name, "ags": key},
        "centre": _centre(run, key, say),
        "cities_header": [say["name"], say["town"], say["organisation"]],
        "cities": _cities(run, key),
        "figures": _figures(view, key, say),
        "summary": summary_line(view.summary()),
        "near": _near_note(view, key, say),
        "routes_header": _routes_header(view, say),
        "routes": _routes(view, say),
        "census_note": _census_note(view),
        "member_header": [say["gemeinde"], say["inhabitants"], say["kreis"]],
        "verbuende": _verbuende(view, say),
        "rules_header": [say["rule"], say["value"], say["assumption"], say["quote"]],
        "rules": _rules(run),
        "sources": _sources(run),
        "run": [list(row) for row in record_rows(record)],
    }


def _view(run: Planning, key: str) -> Planning:
    """The run as the view of one Kreis (the same plan, Verbünde and reasons)."""
    return run.view((key,))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _centre(run: Planning, key: str, say: dict[str, str]) -> dict[str, Any] | None:
    if run.centres is None:
        return None
    rows = run.centres[run.centres["host_ags"] == key]
    if rows.empty:
        return None
    c = rows.iloc[0]
    address = ", ".join(p for p in (_text(c["street"]), " ".join(
        p for p in (_text(c["postcode"]), _text(c["town"])) if p)) if p)
    status = CENTRE_STATUS.label(c["status"]) if c["status"] in CENTRE_STATUS else ""
    return {"rows": [[say["name"], _text(c["name"])],
                     [say["organisation"], _text(c["organisation"])],
                     [say["address"], address or "—"], [say["status"], status],
                     [say["source"], _link("", _text(c["source_url"]))]]}


def _cities(run: Planning, key: str) -> list[list[str]]:
    if run.centres is None:
        return []
    rows = run.centres[(run.centres["host_type"] == "sonderstatusstadt")
                       & (run.centres["host_ags"].str[:5] == key)]
    return [[_text(r.name), _text(r.town), _text(r.organisation)]
            for r in rows.itertuples(index=False)]


def _figures(view: Planning, key: str, say: dict[str, str]) -> list[list[str]]:
    row = kreis_summary(view.eligibility[view.eligibility["kreis_ags"] == key]).iloc[0]
    members = view.members
    small = members["small"] & (members["reason_code"] != "excluded_funded")
    placed = int((small & members["consortium_id"].notna()).sum())
    figures = [
        [say["f_gemeinden"], number(row["municipalities"])],
        [say["f_population"], number(row["population"])],
        [say["f_alone"], number(row["n_eligible_single"])],
        [say["f_verbund"], number(row["n_verbund_needed"])],
        [say["f_placed"], number(placed)],
        [say["f_unplaced"], number(len(view.unplaced))],
        [say["f_status"], number(row["n_not_eligible_status"])],
        [say["f_funded"], number(row["funded"])],
        [say["f_verbuende"], number(len(view.consortia))],
    ]
    if pd.notna(row["mean_centre_km"]):
        figures.append([say["f_distance"], f"{km(row['mean_centre_km'])} / "
                                           f"{km(row['max_centre_km'])}"])
    return figures


def _has_census(view: Planning) -> bool:
    frame = view.eligibility
    return "foreign_share" in frame.columns and bool(frame["foreign_share"].notna().any())


def _routes_header(view: Planning, say: dict[str, str]) -> list[str]:
    census = [_("Foreign nationals"), _("≈ foreign residents")] if _has_census(view) else []
    return [say["gemeinde"], say["inhabitants"], say["class"], *census, say["route"]]


def _census_cells(e: pd.Series) -> list[str]:
    """Share and estimate of one Gemeinde; † where the estimate passes § 84 HGO."""
    share = e["foreign_share"]
    if pd.isna(share):
        return [_("keine Angabe"), ""]
    mark = " †" if e.get("advisory_council") is True or str(
        e.get("advisory_council")) == "True" else ""
    return [percent(float(share) / 100), number(int(e["foreign_residents"])) + mark]


def _census_note(view: Planning) -> str | None:
    """What the two Zensus columns are, and what † means (None without them)."""
    if not _has_census(view):
        return None
    law = load_council_law()
    return _("Foreign nationals: share of the inhabitants at the Zensus 2022 ({date}); ≈ "
             "foreign residents: an estimate, share × census population. † more than "
             "{threshold} estimated: an Ausländerbeirat is likely required ({provision}; an "
             "estimate, not a legal determination; an Integrations-Kommission may replace "
             "it, {alternative}). Source: {attribution}").format(
                 date=date(str(view.municipalities.attrs.get("census_date", "2022-05-15"))),
                 threshold=number(law.threshold), provision=law.provision,
                 alternative=law.alternative.provision,
                 attribution=view.municipalities.attrs.get("census_attribution", ""))


def _near_codes(view: Planning) -> dict[str, str]:
    """AGS → near-threshold code of every Gemeinde flagged.

    The eligibility's one decision (:meth:`~wirgeo.rules.KivRules.near_threshold`), the
    same the maps and the workbooks flag.
    """
    e = view.eligibility
    if "near_threshold" not in e.columns:
        return {}
    codes = e["near_threshold"].fillna("").astype(str)
    return {str(a): c for a, c in zip(e["ags"], codes, strict=True) if c}


def _near_members(view: Planning, ags: list[str], say: dict[str, str]) -> list[str]:
    """"Schlitz (9.987 Einwohner, knapp unter 10.000)" for each of ``ags`` near a threshold."""
    near = _near_codes(view)
    table = view.municipalities.set_index("ags")
    return [say["near_member"].format(name=table.at[a, "name"],
                                      inhabitants=number(int(table.at[a, "population"])),
                                      label=near_threshold_label(near[a]))
            for a in ags if a in near]


def _near_note(view: Planning, key: str, say: dict[str, str]) -> str | None:
    """Page 1: the Gemeinden of the Kreis near a threshold, or None."""
    inside = view.eligibility.loc[view.eligibility["kreis_ags"] == key, "ags"]
    near = _near_members(view, sorted(map(str, inside)), say)
    return say["near_note"].format(members=names(near)) if near else None


def _routes(view: Planning, say: dict[str, str]) -> list[list[str]]:
    """Each municipality of the Kreis: name, inhabitants, class, its route to KIV."""
    elig = view.eligibility.set_index("ags")
    members = view.members.set_index("ags")
    names = view.municipalities.set_index("ags")["name"]
    firmness = _firmness(view)
    numbers = verbund_numbers(view.consortia)
    partners = view.plan.members.groupby("consortium_id")["ags"].apply(list).to_dict()
    near = _near_codes(view)
    census = _has_census(view)
    rows = []
    for ags in sorted(members.index, key=lambda a: (names[a], a)):
        e, m = elig.loc[ags], members.loc[ags]
        route = _route(e, m, partners, names, (firmness, numbers), say)
        if ags in near:  # the risk said where the route is
            route += "; " + say["near"].format(label=near_threshold_label(near[ags]))
        rows.append([str(names[ags]), number(int(e["population"])),
                     ELIGIBILITY.label(e["eligibility"]),
                     *(_census_cells(e) if census else []), route])
    return rows


def _route(e: pd.Series, m: pd.Series, partners: dict[str, list[str]], names: pd.Series,
           verbund: tuple[dict[str, str], dict[str, int]], say: dict[str, str]) -> str:
    cls = e["eligibility"]
    funded = say["funded"] + (f": {e['funded_round']}, {e['funded_years']}"
                              if e["funded_round"] else "")
    if cls == "uninhabited":
        return say["uninhabited"]
    if cls == "not_eligible_status":
        return say["own_centre"].format(status=STATUS.label(e["status"]))
    if cls == "not_eligible_large":
        return say["too_large"]
    cid = m["consortium_id"]
    if isinstance(cid, str) and cid:
        firmness, numbers = verbund
        others = [str(names[a]) for a in sorted(partners[cid]) if a != m.name]
        text = say["in_verbund"].format(number=numbers.get(cid, cid),
                                        others=", ".join(others))
        return text + (f" ({firmness[cid]})" if cid in firmness else "")
    if bool(e["funded"]):
        return funded
    if cls == "eligible_single":
        return say["alone"]
    return say["no_verbund"].format(why=reason_text(m["reason_code"], m["reason_figures"]))


def _firmness(view: Planning) -> dict[str, str]:
    flex = view.flexibility().consortia
    return {cid: FLEXIBILITY.short(f)
            for cid, f in zip(flex["consortium_id"], flex["flexibility"], strict=True)}


#: Alternatives listed in full under a Verbund; the rest are counted ("+ 15 weitere").
MAX_ALTERNATIVES = 5


def _verbuende(view: Planning, say: dict[str, str]) -> list[dict[str, Any]]:
    """Each Verbund with a member in the Kreis, in the order of its number on the map."""
    flex = view.flexibility().consortia.set_index("consortium_id")
    numbers = verbund_numbers(view.consortia)
    display = verbund_names(view.consortia)
    near = _near_codes(view)
    population = view.municipalities.set_index("ags")
    out = []
    for row in sorted(view.consortia.itertuples(index=False),
                      key=lambda r: numbers[str(r.consortium_id)]):
        cid = str(row.consortium_id)
        ags = list(row.member_ags)
        members = [[str(population.at[a, "name"]), number(int(population.at[a, "population"]))
                    + (f" ({near_threshold_label(near[a])})" if a in near else ""),
                    str(population.at[a, "kreis_name"])] for a in ags]
        lines = [say["together"].format(n=number(row.population)),
                 say["border"].format(km=km(row.shared_border_km)),
                 say["lead"].format(name=row.lead_name)]
        if row.linked_via_names:
            lines.append(say["via"].format(names=", ".join(row.linked_via_names)))
        firmness = str(flex.at[cid, "flexibility"]) if cid in flex.index else ""
        alts: list[str] = []
        if firmness:
            lines.append(FLEXIBILITY.label(firmness))
        if firmness == "flexible":
            # one alternative per line, its members' names
            alts = [", ".join(a) for a in flex.at[cid, "alternatives"] if a]
            lines.append(say["alternatives"].format(alts=number(len(alts))) if alts
                         else say["no_alternatives"])
        if len(row.rule_violations):
            lines.append(violations_text(row.rule_violations))
        risky = _near_members(view, ags, say)
        risk = (say["risk_firm"] if firmness == "firm" else say["risk"]).format(
            members=names(risky)) if risky else None
        more = len(alts) - MAX_ALTERNATIVES
        out.append({"number": numbers[cid], "heading": say["heading"].format(
            number=numbers[cid], name=display[cid]), "id": say["verbund_id"].format(cid=cid),
            "members": members, "lines": lines, "risk": risk,
            "alternatives": alts[:MAX_ALTERNATIVES],
            "more": say["more"].format(n=number(more)) if more > 0 else None})
    return out


def _rules(run: Planning) -> list[list[Any]]:
    rules = run.rules
    rows = []
    for s in rule_sources(rules.source or None):
        if s.rule not in RULES:
            continue
        value = getattr(rules, s.rule, s.value)
        rows.append([RULES.label(s.rule), _value(s.rule, value), yes_no(s.assumption),
                     _link(f"„{s.quote}“ — ", s.source_url)])
    return rows


def _link(text: str, url: str) -> dict[str, str] | str:
    """A cell of ``text`` and a link to ``url`` shown short (its host): the template links it.

    A URL printed in full breaks mid-word across a narrow column; the host names the
    source, the link (in the PDF) leads to the page.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return text + url
    host = parts.netloc.removeprefix("www.")
    short = host + ("/…" if parts.path.strip("/") or parts.query else "")
    return {"text": text, "url": url.strip(), "short": short}


def _value(rule: str, value: Any) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return number(value)
    if rule == "contiguity":
        return CONTIGUITY.label(value)
    if rule == "excluded_status":
        return ", ".join(STATUS.label(v) for v in value)
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return ", ".join(f"{k}: {number(v)}" for k, v in value)
    if isinstance(value, tuple):
        return "–".join(map(str, value))
    return str(value)


def _sources(run: Planning) -> list[list[Any]]:
    attrs = run.municipalities.attrs
    say = _words()
    rows = [[say["s_boundaries"], attrs.get("attribution", "").split(" · ")[0]],
            [say["s_population"], " · ".join(attrs.get("attribution", "").split(" · ")[1:])]]
    if attrs.get("census_attribution"):
        rows.append(["Zensus 2022", _("{attribution}; figures compiled from the published "
                                      "results; licence dl-de/by-2-0").format(
                                          attribution=attrs["census_attribution"])])
        law = load_council_law()
        rows.append([_("Ausländerbeirat"),
                     _link(f"{law.provision}: „{law.rule.quote}“ — ", law.rule.source_url)])
    if attrs.get("data_source") and attrs.get("boundary_date") and attrs.get("population_date"):
        rows.append([say["s_data"], data_source_line(attrs)])
    rows.append([say["s_programme"], say["s_programme_files"]])
    return rows


# ------------------------------------------------------------------ the Verbund sheet

#: The words of the one-page Verbund sheet (context ``dossier``).
SHEET_TEXTS = {
    "kind": NP_("dossier", "Suggested consortium for a joint KIV application"),
    "members": NP_("dossier", "Members"),
    "figures": NP_("dossier", "Key figures"),
    "contacts": NP_("dossier", "WIR-Vielfaltszentrum of each Kreis"),
    "footer": NP_("dossier", "Consortium {name} · As of: {date} · wirgeo {version}"),
    "f_population": NP_("dossier", "Inhabitants together"),
    "f_border": NP_("dossier", "Shared border"),
    "f_lead": NP_("dossier", "Lead (member with most inhabitants)"),
    "f_kreise": NP_("dossier", "Kreise"),
    "f_firm": NP_("dossier", "In the best plans"),
    "f_via": NP_("dossier", "Linked across the uninhabited area"),
}


def verbund_content(run: Planning, consortium_id: str, lang: str | None = None
                    ) -> dict[str, Any]:
    """What the one-page sheet of one suggested Verbund says, as JSON-ready data.

    The sheet for the application: members with population and KIV class, key figures
    (population together, shared border, lead, firm or flexible), the risks (members near a
    threshold) and the WIR-Vielfaltszentrum of each member's Kreis with its contact.

    Parameters
    ----------
    run : Planning
        A statewide planning run.
    consortium_id : str
        The Verbund's stable id (``V06535016-3f2a``), as the plan names it.
    lang : str, optional
        Language of every text (default: the setting; German).

    Raises
    ------
    ArgumentError
        No Verbund of the plan has this id (the fix names the closest ones).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import PlanningRequest
    >>> run = PlanningRequest().run(load_municipalities())
    >>> cid = run.plan.consortia.set_index("lead_name").at["Schlitz", "consortium_id"]
    >>> content = verbund_content(run, cid)
    >>> content["title"], content["risk"] is not None
    ('Schlitz – Grebenau – Schwalmtal', True)
    """
    with speaking(lang):
        return _verbund_sheet(run, consortium_id)


def _one_verbund(run: Planning, consortium_id: str) -> Any:
    """The plan's row of ``consortium_id``, or one clear error."""
    from wirgeo.core.text import closest
    from wirgeo.errors import ArgumentError

    table = run.plan.consortia
    rows = table[table["consortium_id"] == consortium_id.strip()]
    if len(rows):
        return rows.iloc[0]
    close = closest(consortium_id, list(table["consortium_id"]), cutoff=0.6)
    raise ArgumentError("consortium_id", _("no suggested consortium with the id "
                                           "{cid!r}").format(cid=consortium_id),
                        fix=_("did you mean {ids}? The ids are in the plan workbook and "
                              "the dossier").format(ids=names(close, alternatives=True))
                        if close else _("take an id from the plan workbook or the dossier "
                                        "(column 'Verbund')"))


def _verbund_sheet(run: Planning, consortium_id: str) -> dict[str, Any]:
    say = {**_words(), **{k: translate(t, "dossier") for k, t in SHEET_TEXTS.items()}}
    row = _one_verbund(run, consortium_id)
    cid = str(row["consortium_id"])
    name = verbund_names(run.plan.consortia)[cid]
    table = run.municipalities.set_index("ags")
    # in the order of the display name: the lead first, then alphabetically
    order = {n: i for i, n in enumerate(name.split(" – "))}
    ags = sorted(row["member_ags"],
                 key=lambda a: order.get(str(table.at[a, "name"]), len(order)))
    keys = sorted({a[:5] for a in ags})
    view = run.view(keys)
    record = RunRecord.of(view)
    near = _near_codes(view)
    classes = run.eligibility.set_index("ags")["eligibility"]
    members = [[str(table.at[a, "name"]), number(int(table.at[a, "population"]))
                + (f" ({near_threshold_label(near[a])})" if a in near else ""),
                ELIGIBILITY.label(classes[a]), str(table.at[a, "kreis_name"])] for a in ags]
    flex = view.flexibility().consortia
    code = dict(zip(flex["consortium_id"], flex["flexibility"], strict=True)).get(cid, "")
    firmness = FLEXIBILITY.label(code) if code else ""
    figures = [[say["f_population"], number(int(row["population"]))],
               [say["f_border"], km(float(row["shared_border_km"]))],
               [say["f_lead"], str(row["lead_name"])],
               [say["f_kreise"], ", ".join(row["kreis_names"])]]
    if firmness:
        figures.append([say["f_firm"], firmness])
    if row.get("linked_via_names"):
        figures.append([say["f_via"], ", ".join(row["linked_via_names"])])
    risky = _near_members(view, ags, say)
    from wirgeo._version import __version__

    return {
        "lang": language(), "texts": say, "programme": say["programme"],
        "kind": say["kind"], "title": name, "id": say["verbund_id"].format(cid=cid),
        # the number the map labels it with (the Verbünde of its Kreise, numbered)
        "heading": say["heading"].format(number=verbund_numbers(view.consortia)[cid],
                                         name=name),
        "footer": say["footer"].format(name=name, date=date(record.run_date),
                                       version=__version__),
        "member_header": [say["gemeinde"], say["inhabitants"], say["class"], say["kreis"]],
        "members": members, "figures": figures,
        "risk": (say["risk_firm"] if code == "firm" else say["risk"]).format(
            members=names(risky)) if risky else None,
        "contacts": [c for key in keys if (c := _centre(run, key, say)) is not None],
        "kreise": keys,
    }
