"""German by default, English on request: reasons, workbooks and printed lines.

Each test lists the labels it checks: the English words that must not appear in German
output (and the German ones that must not appear in English output), taken from the
catalogues themselves where there is one, so a new English label cannot slip through.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from wirgeo.exports import COLUMNS, write_plan_workbook, write_summary
from wirgeo.planning import PlanningRequest
from wirgeo.vocabulary import (
    CENTRE_STATUS,
    ELIGIBILITY,
    GRANTEE_STATUS,
    HOST_TYPES,
    LOCATION_PRECISION,
    REASONS,
    STATUS,
    YES_NO,
)

#: English words of wirgeo's own sentences that never belong in German text.
ENGLISH_WORDS = ("inhabitants", "consortium", "consortia", "neighbour", "feasible",
                 "alternative", "Already funded", "Excluded for this run", "can apply alone",
                 "above the KIV band", "Borders no", "locked", "would break up", "with its",
                 "reaches at most", "across a Kreis", " and ", "covered", "small "
                                                                          "municipalities")
#: German words of wirgeo's own sentences that never belong in English text.
GERMAN_WORDS = ("Einwohner", "Verbund", "Nachbar", "möglich", "Gemeinden", " und ",
                "bereits", "ausgeschlossen", "festgelegt", "erreicht", "Kreisgrenze")


def _english_labels() -> set[str]:
    """Every English label of the catalogues that differs from its German twin."""
    labels = set()
    for vocabulary in (ELIGIBILITY, REASONS, STATUS, HOST_TYPES, CENTRE_STATUS,
                       GRANTEE_STATUS, LOCATION_PRECISION, YES_NO):
        for code in vocabulary:
            de, en = vocabulary.label(code, "de"), vocabulary.label(code, "en")
            if de != en:
                labels.add(en)
    labels |= {c.en for c in COLUMNS.values() if c.en != c.de}
    return labels


@pytest.fixture(scope="module")
def runs(municipalities):
    request = dict(kreise=("Landkreis Kassel",), exclude=("Trendelburg",),
                   locks=(("Calden", "Grebenstein"),))
    return {lang: PlanningRequest(lang=lang, **request).run(municipalities)
            for lang in ("de", "en")}


def test_reasons_speak_one_language(runs):
    german = runs["de"].plan.members["reason"]
    english = runs["en"].plan.members["reason"]
    assert set(runs["de"].plan.members.reason_code) == set(runs["en"].plan.members.reason_code)
    for word in ENGLISH_WORDS:
        assert not german.str.contains(word, regex=False).any(), word
    for word in GERMAN_WORDS:
        assert not english.str.contains(word, regex=False).any(), word
    # numbers in the reader's format: a German 7.572, an English 7,572
    assert german.str.contains(r"\d\.\d{3} Einwohner").any()
    assert english.str.contains(r"\d,\d{3} inhabitants").any()
    assert not german.str.contains(r"\d,\d{3}").any()


def test_singular_and_plural(runs):
    reasons = runs["de"].plan.members["reason"]
    assert not reasons.str.contains(r"\b1 (?:mögliche Verbünde|Nachbarn)\b").any()
    assert not reasons.str.contains(r"\b(?:[2-9]|\d{2,}) möglicher Verbund\b").any()
    english = runs["en"].plan.members["reason"]
    assert not english.str.contains(r"\b1 feasible consortia\b").any()


def _cells(path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    cells = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if isinstance(value, str)]
    book.close()
    return cells


def _own_text(cells: list[str]) -> list[str]:
    """Cells of wirgeo's own words: not the verbatim quotes, URLs and names of the data."""
    return [c for c in cells if not c.startswith("http") and "„" not in c]


def test_german_workbooks_hold_no_english_label(runs, tmp_path):
    labels = _english_labels()
    plan = _own_text(_cells(write_plan_workbook(runs["de"], tmp_path / "plan.xlsx")))
    run = runs["de"]
    summary = _own_text(_cells(write_summary(run.eligibility, tmp_path / "summary.xlsx",
                                             rules=run.rules, centres=run.centres,
                                             grantees=run.grantees)))
    for cells in (plan, summary):
        texts = set(cells)
        found = sorted(label for label in labels if label in texts)
        assert not found, found
        for word in ("inhabitants", "consortium", "confirmed", "inferred", "yes", "no"):
            assert word not in texts, word
    assert "Verbund" in plan and "Begründung" in plan and "Umfang" in plan  # headers, run
    assert "ja" in summary and "bestätigt" in summary


def test_english_workbook_on_request(runs, tmp_path):
    cells = set(_cells(write_plan_workbook(runs["en"], tmp_path / "plan.xlsx")))
    assert {"Consortium", "Municipalities", "Reason", "Inhabitants"} <= cells
    assert not {"Begründung", "Einwohner", "Verbund"} & cells


def test_workbook_numbers_are_numbers_with_formats(runs, tmp_path):
    book = openpyxl.load_workbook(write_plan_workbook(runs["de"], tmp_path / "plan.xlsx"))
    sheet = book["Verbünde"]
    header = [c.value for c in sheet[1]]
    population = sheet.cell(row=2, column=header.index("Einwohner") + 1)
    assert isinstance(population.value, int) and population.number_format == "#,##0"
    ags = book["Gemeinden"].cell(row=2, column=1)
    assert ags.data_type == "s" and re.fullmatch(r"\d{8}", ags.value)  # text, leading zero
    assert book["Verbünde"].freeze_panes == "A2"


def test_printed_lines_follow_the_language(run_cli, tmp_path):
    code, german, _ = run_cli("consortia", "--kreis", "Fulda", "--out", tmp_path / "c.csv")
    code, english, _ = run_cli("consortia", "--kreis", "Fulda", "--out", tmp_path / "c.csv",
                               "--lang", "en")
    assert german.startswith("Landkreis Fulda: ") and "Verbünden" in german
    assert "geschrieben" in german and "wrote" in english
    assert "covered" in english and "consortia" in english


def test_wirgeo_lang_sets_the_default(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("WIRGEO_LANG", "en")
    code, out, _ = run_cli("consortia", "--out", tmp_path / "c.csv")
    assert code == 0 and out.startswith("covered 228 of 246")
    monkeypatch.setenv("WIRGEO_LANG", "fr")
    code, _, err = run_cli("consortia", "--out", tmp_path / "c.csv")
    assert code == 2 and "WIRGEO_LANG" in err
