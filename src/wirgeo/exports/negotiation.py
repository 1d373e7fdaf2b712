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

The sentences come from :mod:`wirgeo.wording.negotiation` (the codes and figures of
:mod:`wirgeo.planning.negotiation` in words); every public function here takes an optional
``lang`` and speaks it (:func:`wirgeo.core.i18n.speaking`).

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
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _, speaking
from wirgeo.exports.sheets import (
    Sheet,
    frames,
    people_formatter,
    people_list,
    rows_sheet,
    yes_no,
)
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
from wirgeo.sources.negotiation import COLUMNS, Negotiation, column_labels
from wirgeo.vocabulary import DECISIONS, PLAN_CHANGES, PLAN_STATUS
from wirgeo.wording import check_line, check_sentence, cost_lines, plan_summary, record_rows

__all__ = ["write_negotiation", "twin_path", "write_check", "write_comparison",
           "negotiation_sheets", "comparison_sheets", "check_table"]

_INT = "#,##0"


def twin_path(path: str | Path) -> Path:
    """The workbook written beside a document's CSV (``plan.csv`` → ``plan.xlsx``)."""
    return Path(path).with_suffix(".xlsx")


# ----------------------------------------------------------------- the tables


def check_table(check: NegotiationCheck, lang: str | None = None, *,
                before: NegotiationCheck | None = None) -> pd.DataFrame:
    """:attr:`NegotiationCheck.verbuende` with ``explanation``: the sentence of each row.

    With ``before`` (the same document under older figures) also ``valid_before``,
    ``population_before`` and ``breaks`` (valid before, not now; never for a refused
    group). ``lang``: the language of the sentences (default: the setting).
    """
    with speaking(lang):
        table = check.verbuende if before is None else release_changes(before, check)
        return table.drop(columns="row").assign(explanation=[
            check_sentence(row, check.breaks, check.rules)
            for row in check.verbuende.to_dict("records")])


def _document_sheet(document: Negotiation) -> Sheet:
    labels, statuses = column_labels(), PLAN_STATUS.labels()
    rows = document.rows
    frame = pd.DataFrame({labels["verbund"]: rows["verbund"],
                          labels["status"]: rows["status"].map(statuses),
                          labels["ags"]: rows["ags"], labels["name"]: rows["name"],
                          labels["note"]: rows["note"]})
    return Sheet(frame, {}, wrap=True)


def _check_sheet(check: NegotiationCheck) -> Sheet:
    table = check_table(check)
    statuses = PLAN_STATUS.labels()
    inhabitants, small = _("Inhabitants"), _("small Gemeinden")
    frame = pd.DataFrame({
        _("Verbund"): table["verbund"],
        _("Status"): table["status"].map(statuses),
        _("valid"): table["valid"].map(yes_no),
        _("Check"): table["explanation"],
        _("Municipalities"): people_list(table["member_names"]),
        inhabitants: table["population"],
        small: table["n_small"],
        _("Kreise"): people_list(table["kreis_names"]),
        _("AGS of the members"): people_list(table["member_ags"]),
        _("broken rules (codes)"): table["rules_failed"]})
    return Sheet(frame, {inhabitants: _INT, small: _INT}, wrap=True)


def _cost_sheet(completion: Completion) -> Sheet:
    costs = completion.costs
    statuses = PLAN_STATUS.labels()
    without, cost = _("in a Verbund without this decision"), _("costs (small Gemeinden)")
    frame = pd.DataFrame({
        _("Decision"): costs["decision"].map(DECISIONS.labels()),
        _("Verbund"): costs["verbund"],
        _("Status"): costs["status"].map(lambda s: statuses.get(s, s)),
        _("Municipalities"): people_list(costs["member_names"]),
        _("valid"): costs["valid"].map(yes_no),
        without: costs["covered_without"],
        cost: costs["cost"]})
    return Sheet(frame, {without: _INT, cost: _INT}, wrap=True)


def _record_rows(basis: NegotiationBasis | None, lines: list[tuple[str, str]]
                 ) -> list[tuple[str, str]]:
    """The run sheet: the result, what was found, then the rules and data checked against.

    ``lines`` starts with the result when there is one (it replaces the rules' summary).
    """
    if basis is None:
        return lines
    record = RunRecord.for_rules(basis.rules, basis.municipalities, basis.request)
    scope = "within" if basis.within_kreise else ("view" if basis.kreise else "statewide")
    record = dataclasses.replace(record, scope=scope, kreise=tuple(zip(
        basis.kreise, basis.kreis_names(), strict=True)))
    rows = record_rows(record)
    if lines and lines[0][0] == _("Result"):
        return [lines[0]] + lines[1:] + rows[1:]
    return rows[:1] + lines + rows[1:]


def negotiation_sheets(document: Negotiation, *, check: NegotiationCheck | None = None,
                       completion: Completion | None = None,
                       basis: NegotiationBasis | None = None, lang: str | None = None
                       ) -> dict[str, Sheet]:
    """The sheets of a document's workbook: the document, its check, the costs, the run."""
    with speaking(lang):
        sheets = {_("Plan document"): _document_sheet(document)}
        if check is not None:
            sheets[_("Verbünde checked")] = _check_sheet(check)
        lines: list[tuple[str, str]] = []
        if completion is not None:
            sheets[_("Cost of decisions")] = _cost_sheet(completion)
            lines.append((_("Result"), plan_summary(completion.plan)))
            lines += [(_("Decisions"), line) for line in cost_lines(completion)[:1]]
        if check is not None:
            lines.append((_("Placed"), check_line(check)))
        if document.source:
            lines.append((_("Read from"), Path(document.source).name))
        sheets[_("Run")] = rows_sheet(_record_rows(basis, lines))
        return sheets


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
    with speaking(lang):
        return _comparison_sheets(comparison, names, basis)


def _comparison_sheets(comparison: NegotiationComparison, names: tuple[str, str],
                       basis: NegotiationBasis | None) -> dict[str, Sheet]:
    a, b = names
    changes, statuses = PLAN_CHANGES.labels(), PLAN_STATUS.labels()
    g = comparison.gemeinden
    gemeinden = pd.DataFrame({
        "AGS": g["ags"], _("Municipality"): g["name"],
        _("Change"): g["change"].map(changes),
        _("Verbund in {name}").format(name=a): g["verbund_a"],
        _("Status in {name}").format(name=a): g["status_a"].map(lambda s: statuses.get(s, s)),
        _("Verbund in {name}").format(name=b): g["verbund_b"],
        _("Status in {name}").format(name=b): g["status_b"].map(lambda s: statuses.get(s, s))})
    v = comparison.verbuende
    verbuende = pd.DataFrame({
        _("Change"): v["change"].map(changes),
        _("Verbund in {name}").format(name=a): v["verbund_a"],
        _("Verbund in {name}").format(name=b): v["verbund_b"],
        _("Status in {name}").format(name=a): v["status_a"],
        _("Status in {name}").format(name=b): v["status_b"],
        _("Members in {name}").format(name=a): people_list(v["member_names_a"]),
        _("Members in {name}").format(name=b): people_list(v["member_names_b"])})
    summary = comparison.summary
    words = {"placed": _("small Gemeinden in a valid Verbund"),
             "small": _("small Gemeinden to place"), "verbuende": _("Verbünde"),
             "invalid": _("Verbünde that break the rules"),
             "rejected": _("refused groups"),
             "declined": _("Gemeinden that take no part")}
    overview = pd.DataFrame({_("Figure"): [words[k] for k in summary.index],
                             a: summary["a"].to_numpy(), b: summary["b"].to_numpy()})
    return {_("Municipalities"): Sheet(gemeinden, {}, wrap=True),
            _("Verbünde"): Sheet(verbuende, {}, wrap=True),
            _("Overview"): Sheet(overview, {a: _INT, b: _INT}),
            _("Run"): rows_sheet(_record_rows(basis, []))}


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
