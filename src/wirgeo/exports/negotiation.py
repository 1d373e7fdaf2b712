"""The plan document as files, and what checking, completing and comparing it found.

A plan document is written twice: the CSV scripts and the next ``wirgeo plan`` command
read (:data:`~wirgeo.sources.negotiation.COLUMNS`, English status codes), and beside it
an Excel twin for people — the document with German labels (*vereinbart*, *nimmt nicht
teil*), every Verbund checked with the rules it breaks in a sentence, what the decisions
cost, and the run record (*Lauf*): which rules and which data it was checked against.
Reports of ``wirgeo plan check`` and ``plan compare`` are a CSV for scripts or a workbook
for people, by the file's extension. Every file is written atomically, byte-identically
for the same inputs, with no text cell a spreadsheet would run as a formula
(:mod:`~wirgeo.exports.safe_text`).

The sentences are made here, from the codes and figures of
:mod:`wirgeo.planning.negotiation`: :func:`check_sentence`, :func:`cost_lines`.

Examples
--------
>>> import tempfile, pathlib
>>> from wirgeo.sources import Negotiation, read_negotiation
>>> document = Negotiation.from_rows([
...     {"verbund": "=Nord", "ags": "06535003", "status": "agreed", "note": "<b>{{x}}</b>"},
...     {"verbund": "=Nord", "ags": "06535013", "status": "agreed"}])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_negotiation(document, out / "plan.csv")]
['plan.csv', 'plan.xlsx']
>>> print((out / "plan.csv").read_text(), end="")
verbund,ags,status,name,note
'=Nord,06535003,agreed,,<b>{{x}}</b>
'=Nord,06535013,agreed,,
>>> read_negotiation(out / "plan.xlsx").groups("agreed")
[('06535003', '06535013')]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _, language, ngettext, number
from wirgeo.exports.sheets import Sheet, frames, people_formatter, rows_sheet, yes_no
from wirgeo.exports.tables import check_output_path, write_table
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import RunRecord
from wirgeo.planning.negotiation import (
    Completion,
    NegotiationBasis,
    NegotiationCheck,
    NegotiationComparison,
    release_changes,
)
from wirgeo.rules import KivRules
from wirgeo.sources.negotiation import COLUMNS, Negotiation, column_labels, status_labels
from wirgeo.vocabulary import plan_change_labels

__all__ = ["write_negotiation", "twin_path", "write_check", "write_comparison",
           "check_sentence", "cost_lines", "placed_line", "negotiation_sheets",
           "comparison_sheets", "check_table"]

_INT = "#,##0"


def twin_path(path: str | Path) -> Path:
    """The workbook written beside a document's CSV (``plan.csv`` → ``plan.xlsx``)."""
    return Path(path).with_suffix(".xlsx")


# ----------------------------------------------------------------- the words


def _rule_phrase(code: str, row: Mapping[str, object], members: str, rules: KivRules,
                 lang: str) -> str:
    """One broken rule of a Verbund in words, with its figures."""
    figures = {"count": number(int(str(row["n_members"])), lang),
               "population": number(int(str(row["population"])), lang),
               "least": number(rules.min_members, lang), "most": number(rules.max_members, lang),
               "minimum": number(rules.combined_min, lang),
               "maximum": number(rules.combined_max, lang),
               "limit": number(rules.member_below, lang), "members": members}
    phrases = {
        "too_few_members": ngettext("{count} member, at least {least} needed",
                                    "{count} members, at least {least} needed",
                                    int(str(row["n_members"])), lang),
        "too_many_members": _("{count} members, at most {most} allowed", lang),
        "member_too_large": _("{members}: {limit} inhabitants or more, over the limit "
                              "for Verbund members", lang),
        "population_below_min": _("{population} inhabitants together, fewer than the "
                                  "{minimum} a Verbund needs", lang),
        "population_above_max": _("{population} inhabitants together, more than the "
                                  "{maximum} allowed", lang),
        "not_contiguous": _("the members do not form one contiguous area (they do not "
                            "border each other)", lang),
        "not_mutual": _("not every pair of members borders (rule: all border each "
                        "other)", lang),
        "several_kreise": _("members in more than one Kreis (rule: one Kreis)", lang),
        "not_applicant": _("{members}: kreisfreie Stadt or Sonderstatusstadt with its own "
                           "WIR-Vielfaltszentrum, not a KIV applicant", lang),
        "uninhabited_member": _("{members}: no inhabitants", lang),
        "funded_member": _("{members}: already funded", lang),
        "excluded_member": _("{members}: excluded for this run", lang),
    }
    return phrases[code].format(**figures)


def check_sentence(row: Mapping[str, object], breaks: pd.DataFrame, rules: KivRules,
                   lang: str | None = None) -> str:
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
    lang = language(lang)
    if row["valid"]:
        return _("Meets every rule.", lang)
    mine = breaks[breaks["verbund"] == row["verbund"]]
    phrases = []
    for code in str(row["rules_failed"]).split(";"):
        who = mine[(mine["rule"] == code) & (mine["ags"] != "")]
        members = ", ".join(f"{n} ({number(int(p), lang)})" if code == "member_too_large"
                            else str(n) for n, p in zip(who["name"], who["population"],
                                                        strict=True))
        phrases.append(_rule_phrase(code, row, members, rules, lang))
    return _("Breaks the rules: {problems}.", lang).format(problems="; ".join(phrases))


def _decision_labels(lang: str) -> dict[str, str]:
    return {"kept": _("kept", lang), "rejected": _("refused", lang),
            "declined": _("takes no part", lang), "excluded": _("excluded", lang)}


def cost_lines(completion: Completion, lang: str | None = None) -> list[str]:
    """What the decisions cost, in lines: the total ("226 statt 228"), then each one.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import NegotiationBasis
    >>> from wirgeo.sources import Negotiation
    >>> document = Negotiation.from_rows([
    ...     {"verbund": "", "ags": "06535014", "status": "declined"}])   # Romrod
    >>> done = NegotiationBasis.of(load_municipalities()).complete(document)
    >>> print("\\n".join(cost_lines(done, "de")))  # doctest: +NORMALIZE_WHITESPACE
    227 statt 228 kleiner Gemeinden im Verbund: die Entscheidungen kosten zusammen 1.
      nimmt nicht teil: Romrod — ohne diese Entscheidung 228 (+1)
    Jede Zahl: kleine Gemeinden im Verbund, wenn nur diese eine Entscheidung fiele und
    alle anderen blieben; die Zahlen einzelner Entscheidungen müssen sich nicht zur Summe
    addieren.
    """
    lang = language(lang)
    free, covered = completion.covered_free, completion.covered
    if free is None:     # the costs were not asked for
        return []
    if completion.cost:
        head = _("{covered} instead of {free} small Gemeinden in a Verbund: the decisions "
                 "together cost {cost}.", lang)
    else:
        head = _("{covered} small Gemeinden in a Verbund, as many as without the "
                 "decisions: they cost nothing.", lang)
    lines = [head.format(covered=number(covered, lang), free=number(free, lang),
                         cost=number(free - covered, lang))]
    kinds = _decision_labels(lang)
    for r in completion.costs.itertuples(index=False):
        what = r.verbund + " (" + r.member_names.replace(";", ", ") + ")" if r.verbund \
            else r.member_names.replace(";", ", ")
        invalid = "" if r.valid else " " + _("[breaks the rules]", lang)
        lines.append("  " + _("{decision}: {what}{invalid} — without this decision "
                              "{covered} ({change})", lang).format(
            decision=kinds[r.decision], what=what, invalid=invalid,
            covered=number(r.covered_without, lang),
            change=("+" + number(r.cost, lang)) if r.cost else "±0"))
    if len(completion.costs):
        lines.append(_("Each figure: small Gemeinden in a Verbund if only that one decision "
                       "were lifted and all others kept; the figures of single decisions "
                       "need not add up to the total.", lang))
    return lines


# ----------------------------------------------------------------- the tables


def check_table(check: NegotiationCheck, lang: str | None = None, *,
                before: NegotiationCheck | None = None) -> pd.DataFrame:
    """:attr:`NegotiationCheck.verbuende` with ``explanation``: the sentence of each row.

    With ``before`` (the same document under older figures) also ``valid_before``,
    ``population_before`` and ``breaks`` (valid before, not now; never for a refused
    group).
    """
    lang = language(lang)
    table = check.verbuende if before is None else release_changes(before, check)
    table = table.drop(columns="row").assign(explanation=[
        check_sentence(row, check.breaks, check.rules, lang)
        for row in check.verbuende.to_dict("records")])
    return table


def _document_sheet(document: Negotiation, lang: str) -> Sheet:
    labels, statuses = column_labels(lang), status_labels(lang)
    rows = document.rows
    frame = pd.DataFrame({labels["verbund"]: rows["verbund"],
                          labels["status"]: rows["status"].map(statuses),
                          labels["ags"]: rows["ags"], labels["name"]: rows["name"],
                          labels["note"]: rows["note"]})
    return Sheet(frame, {}, wrap=True)


def _check_sheet(check: NegotiationCheck, lang: str) -> Sheet:
    table = check_table(check, lang)
    statuses = status_labels(lang)
    frame = pd.DataFrame({
        _("Verbund", lang): table["verbund"],
        _("Status", lang): table["status"].map(statuses),
        _("valid", lang): table["valid"].map(lambda v: yes_no(v, lang)),
        _("Check", lang): table["explanation"],
        _("Municipalities", lang): table["member_names"].str.replace(";", ", "),
        _("Inhabitants", lang): table["population"],
        _("small Gemeinden", lang): table["n_small"],
        _("Kreise", lang): table["kreis_names"].str.replace(";", ", "),
        _("AGS of the members", lang): table["member_ags"].str.replace(";", ", "),
        _("broken rules (codes)", lang): table["rules_failed"]})
    formats = {_("Inhabitants", lang): _INT, _("small Gemeinden", lang): _INT}
    return Sheet(frame, formats, wrap=True)


def _cost_sheet(completion: Completion, lang: str) -> Sheet:
    costs = completion.costs
    kinds, statuses = _decision_labels(lang), status_labels(lang)
    without = _("in a Verbund without this decision", lang)
    frame = pd.DataFrame({
        _("Decision", lang): costs["decision"].map(kinds),
        _("Verbund", lang): costs["verbund"],
        _("Status", lang): costs["status"].map(lambda s: statuses.get(s, s)),
        _("Municipalities", lang): costs["member_names"].str.replace(";", ", "),
        _("valid", lang): costs["valid"].map(lambda v: yes_no(v, lang)),
        without: costs["covered_without"],
        _("costs (small Gemeinden)", lang): costs["cost"]})
    return Sheet(frame, {without: _INT, _("costs (small Gemeinden)", lang): _INT}, wrap=True)


def _record_rows(basis: NegotiationBasis | None, lines: list[tuple[str, str]], lang: str
                 ) -> list[tuple[str, str]]:
    """The run sheet: the result, what was found, then the rules and data checked against.

    ``lines`` starts with the result when there is one (it replaces the rules' summary).
    """
    if basis is None:
        return lines
    record = RunRecord.for_rules(basis.rules, basis.municipalities, basis.request, lang)
    scope = "within" if basis.within_kreise else ("view" if basis.kreise else "statewide")
    record = dataclasses.replace(record, scope=scope, kreise=tuple(zip(
        basis.kreise, basis.kreis_names(), strict=True)))
    rows = record.rows(lang)
    if lines and lines[0][0] == _("Result", lang):
        return [lines[0]] + lines[1:] + rows[1:]
    return rows[:1] + lines + rows[1:]


def negotiation_sheets(document: Negotiation, *, check: NegotiationCheck | None = None,
                       completion: Completion | None = None,
                       basis: NegotiationBasis | None = None, lang: str | None = None
                       ) -> dict[str, Sheet]:
    """The sheets of a document's workbook: the document, its check, the costs, the run."""
    lang = language(lang)
    sheets = {_("Plan document", lang): _document_sheet(document, lang)}
    if check is not None:
        sheets[_("Verbünde checked", lang)] = _check_sheet(check, lang)
    lines: list[tuple[str, str]] = []
    if completion is not None:
        sheets[_("Cost of decisions", lang)] = _cost_sheet(completion, lang)
        lines.append((_("Result", lang), completion.plan.summary_line(lang)))
        lines += [(_("Decisions", lang), line) for line in cost_lines(completion, lang)[:1]]
    if check is not None:
        lines.append((_("Placed", lang), _placed_line(check, lang)))
    if document.source:
        lines.append((_("Read from", lang), Path(document.source).name))
    sheets[_("Run", lang)] = rows_sheet(_record_rows(basis, lines, lang), lang)
    return sheets


def placed_line(check: NegotiationCheck, lang: str | None = None) -> str:
    """"placed: 14 of 15 small Gemeinden in a valid Verbund" (of the view's Kreise)."""
    lang = language(lang)
    figures = {"placed": number(check.placed, lang), "small": number(check.small, lang),
               "view": ", ".join(check.view)}
    if check.view:
        return _("{view}: {placed} of {small} small Gemeinden placed in a valid Verbund",
                 lang).format(**figures)
    return _("placed: {placed} of {small} small Gemeinden in a valid Verbund",
             lang).format(**figures)


def _placed_line(check: NegotiationCheck, lang: str) -> str:
    active = check.verbuende[check.verbuende["status"] != "rejected"]
    return placed_line(check, lang) + "; " + ngettext(
        "{invalid} of {count} Verbund breaks the rules",
        "{invalid} of {count} Verbünde break the rules", len(active), lang).format(
        invalid=number(len(check.invalid), lang), count=number(len(active), lang))


# ------------------------------------------------------------------- writing


def _write_sheets(path: Path, sheets: dict[str, Sheet]) -> Path:
    return write_workbook(path, frames(sheets), formatter=people_formatter(sheets))


def write_negotiation(document: Negotiation, path: str | Path, *,
                      check: NegotiationCheck | None = None,
                      completion: Completion | None = None,
                      basis: NegotiationBasis | None = None, twin: bool = True,
                      lang: str | None = None) -> list[Path]:
    """Write a plan document: the CSV and its workbook twin (or only the workbook).

    Parameters
    ----------
    document : Negotiation
    path : str or Path
        ``.csv`` (the document for scripts and the next ``wirgeo plan`` command; with
        ``twin`` also :func:`twin_path` beside it) or ``.xlsx`` (the workbook alone).
    check, completion : optional
        What was found, for the workbook's sheets *Verbünde geprüft* and *Kosten der
        Entscheidungen*.
    basis : NegotiationBasis, optional
        The rules and data it was checked against, for the sheet *Lauf*.
    lang : str, optional
        Language of the workbook (the CSV keeps codes).

    Returns
    -------
    list of Path
        The files written.
    """
    path = check_output_path(path, formats=(".csv", ".xlsx"))
    written = []
    if path.suffix.lower() == ".csv":
        written.append(write_table(document.rows[list(COLUMNS)], path))
        if not twin:
            return written
        path = twin_path(path)
    sheets = negotiation_sheets(document, check=check, completion=completion, basis=basis,
                                lang=lang)
    written.append(_write_sheets(path, sheets))
    return written


def write_check(check: NegotiationCheck, path: str | Path, *,
                basis: NegotiationBasis | None = None,
                before: NegotiationCheck | None = None, lang: str | None = None) -> Path:
    """Write a check: one row per Verbund (``.csv``) or the workbook with it (``.xlsx``).

    The CSV is :func:`check_table` (with ``before``: what breaks under the new figures);
    the workbook the document's, with the check.
    """
    path = check_output_path(path, formats=(".csv", ".xlsx"))
    if path.suffix.lower() == ".csv":
        return write_table(check_table(check, lang, before=before), path)
    return _write_sheets(path, negotiation_sheets(check.document, check=check, basis=basis,
                                                  lang=lang))


def comparison_sheets(comparison: NegotiationComparison, names: tuple[str, str],
                      basis: NegotiationBasis | None = None, lang: str | None = None
                      ) -> dict[str, Sheet]:
    """The sheets of a comparison: Gemeinden, Verbünde, both documents' figures, the run."""
    lang = language(lang)
    a, b = names
    changes, statuses = plan_change_labels(lang), status_labels(lang)
    g = comparison.gemeinden
    gemeinden = pd.DataFrame({
        "AGS": g["ags"], _("Municipality", lang): g["name"],
        _("Change", lang): g["change"].map(changes),
        _("Verbund in {name}", lang).format(name=a): g["verbund_a"],
        _("Status in {name}", lang).format(name=a): g["status_a"].map(
            lambda s: statuses.get(s, s)),
        _("Verbund in {name}", lang).format(name=b): g["verbund_b"],
        _("Status in {name}", lang).format(name=b): g["status_b"].map(
            lambda s: statuses.get(s, s))})
    v = comparison.verbuende
    verbuende = pd.DataFrame({
        _("Change", lang): v["change"].map(changes),
        _("Verbund in {name}", lang).format(name=a): v["verbund_a"],
        _("Verbund in {name}", lang).format(name=b): v["verbund_b"],
        _("Status in {name}", lang).format(name=a): v["status_a"],
        _("Status in {name}", lang).format(name=b): v["status_b"],
        _("Members in {name}", lang).format(name=a): v["member_names_a"].str.replace(";",
                                                                                   ", "),
        _("Members in {name}", lang).format(name=b): v["member_names_b"].str.replace(";",
                                                                                   ", ")})
    summary = comparison.summary
    words = {"placed": _("small Gemeinden in a valid Verbund", lang),
             "small": _("small Gemeinden to place", lang), "verbuende": _("Verbünde", lang),
             "invalid": _("Verbünde that break the rules", lang),
             "rejected": _("refused groups", lang),
             "declined": _("Gemeinden that take no part", lang)}
    overview = pd.DataFrame({_("Figure", lang): [words[k] for k in summary.index],
                             a: summary["a"].to_numpy(), b: summary["b"].to_numpy()})
    return {_("Municipalities", lang): Sheet(gemeinden, {}, wrap=True),
            _("Verbünde", lang): Sheet(verbuende, {}, wrap=True),
            _("Overview", lang): Sheet(overview, {a: _INT, b: _INT}),
            _("Run", lang): rows_sheet(_record_rows(basis, [], lang), lang)}


def write_comparison(comparison: NegotiationComparison, path: str | Path, *,
                     names: tuple[str, str] = ("A", "B"),
                     basis: NegotiationBasis | None = None, lang: str | None = None
                     ) -> Path:
    """Write a comparison: one row per Gemeinde placed differently, or the workbook.

    ``.csv`` is :attr:`~wirgeo.planning.NegotiationComparison.gemeinden`; ``.xlsx`` for
    people has the sheets of :func:`comparison_sheets`.
    """
    path = check_output_path(path, formats=(".csv", ".xlsx"))
    if path.suffix.lower() == ".csv":
        return write_table(comparison.gemeinden, path)
    return _write_sheets(path, comparison_sheets(comparison, names, basis, lang))
