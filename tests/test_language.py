"""German by default, English on request: every output checked against the catalogs.

Each test makes an output in both languages and checks that its words are the catalog's
entries for that language — the German translation by default (no ``WIRGEO_LANG``, no
``--lang``), the English message with ``--lang en``, ``WIRGEO_LANG=en`` or ``lang="en"`` —
and that numbers are written in that language's format. No list of forbidden words: what
must appear is read from ``src/wirgeo/locale/<lang>/LC_MESSAGES/wirgeo.po`` itself.
"""

from __future__ import annotations

import ast
import html
import importlib
import inspect
import json
import pkgutil
import re
import string
from pathlib import Path

import openpyxl
import pytest

import wirgeo
from wirgeo.cli import ARGPARSE_MESSAGES
from wirgeo.core.i18n import speaking
from wirgeo.dossier.content import TEXTS as DOSSIER_TEXTS
from wirgeo.dossier.content import kreis_content
from wirgeo.errors import ArgumentError
from wirgeo.exports import COLUMNS, write_plan_workbook
from wirgeo.exports.sheets import COLUMN_CONTEXT, SHEET_CONTEXT, SHEET_NAMES
from wirgeo.locale import LANGUAGES, gettext, ngettext, translate
from wirgeo.maps import LAYER_TITLES, planning_map
from wirgeo.municipalities import resolve_kreise
from wirgeo.planning import PlanningRequest, RunRecord
from wirgeo.vocabulary import ELIGIBILITY, REASONS
from wirgeo.wording import reason_text, record_rows, report_text, summary_line

OTHER = {"de": "en", "en": "de"}


def _regex(template: str) -> re.Pattern[str]:
    """A catalog message as a pattern: its words literally, each field as some text."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(r".+?")
    return re.compile("".join(parts))


def _words(lang: str, message: str, context: str | None = None) -> str:
    return translate(message, context, lang)


def _fixed_part(template: str) -> str:
    """The longest run of words of a message without a field (what must appear)."""
    literals = [literal for literal, *_ in string.Formatter().parse(template)]
    return max(literals, key=len).strip()


# ------------------------------------------------------------- the command line


def _help(capsys, args, env=None, monkeypatch=None):
    from wirgeo.cli import main

    if env is not None:
        monkeypatch.setenv("WIRGEO_LANG", env)
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("how", ["default", "WIRGEO_LANG=en", "--lang en"])
def test_help_and_argparse_speak_the_language(capsys, monkeypatch, how):
    lang = "de" if how == "default" else "en"
    args = ["consortia", "--help"] + (["--lang", "en"] if how == "--lang en" else [])
    out = _help(capsys, args, env="en" if how == "WIRGEO_LANG=en" else None,
                monkeypatch=monkeypatch)
    # argparse's own words, its options heading, and wirgeo's help texts
    for message in ("usage: ", "options", "show this help message and exit"):
        assert message in ARGPARSE_MESSAGES
        assert _words(lang, message).strip() in out, message
    for message in ("the provably best plan of KIV consortia (Verbünde)",
                    "official sources", "Verbund rules for this run (override the rules file)",
                    "all members in one Kreis", "FILE", "NAME_OR_AGS"):
        assert _words(lang, message) in out, message
    if lang == "de":
        assert "usage:" not in out and "show this help" not in out and "official sources" \
            not in out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_kreis_is_an_error_in_the_readers_language(run_cli, tmp_path, monkeypatch,
                                                              lang):
    if lang == "en":
        monkeypatch.setenv("WIRGEO_LANG", "en")
    code, out, err = run_cli("consortia", "--kreis", "Vogelsburg", "--out", tmp_path / "c.csv")
    assert code == 2 and "Traceback" not in err and not out
    fix = _words(lang, "did you mean {candidates}? Or give the 5-digit Kreis key").format(
        candidates="Vogelsbergkreis (06535)")
    message = "--kreis: {problem}. {fix}.".format(
        problem=_words(lang, "no Kreis named {text!r}").format(text="Vogelsburg"),
        fix=_words(lang, "Fix: {fix}").format(fix=fix))
    assert err.strip() == _words(lang, "wirgeo: error: {message}").format(message=message)
    assert _fixed_part(_words(OTHER[lang], "Fix: {fix}")) not in err


@pytest.mark.parametrize("lang", LANGUAGES)
def test_argparse_messages_come_from_the_catalog(capsys, monkeypatch, lang):
    from wirgeo.cli import main

    if lang == "en":
        monkeypatch.setenv("WIRGEO_LANG", "en")
    with pytest.raises(SystemExit):
        main(["consortia", "--max-members", "drei", "--out", "x.csv"])
    err = capsys.readouterr().err
    error = _words(lang, "%(prog)s: error: %(message)s\n") % {
        "prog": "wirgeo consortia",
        "message": _words(lang, "argument %(argument_name)s: %(message)s") % {
            "argument_name": "--max-members",
            "message": _words(lang, "invalid %(type)s value: %(value)r") % {
                "type": "int", "value": "drei"}}}
    assert err.endswith(error)
    assert err.startswith(_words(lang, "usage: "))


def test_printed_lines_follow_the_language(run_cli, tmp_path):
    out = {lang: run_cli("consortia", "--kreis", "Fulda", "--out", tmp_path / "c.csv",
                         "--no-flexibility", *([] if lang == "de" else ["--lang", lang]))[1]
           for lang in LANGUAGES}
    for lang in LANGUAGES:
        head = ngettext("covered {covered} of {small} small municipalities in {count} "
                        "consortium",
                        "covered {covered} of {small} small municipalities in {count} "
                        "consortia", 2, lang)
        assert _regex(head).search(out[lang]), lang
        assert _words(lang, "wrote {path}").format(path=tmp_path / "c.csv") in out[lang]
    assert out["de"].startswith("Landkreis Fulda: ") and "228 von 246" in out["de"]
    assert "covered 228 of 246" in out["en"]


def test_wirgeo_lang_sets_the_default(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("WIRGEO_LANG", "en")
    code, out, _ = run_cli("consortia", "--out", tmp_path / "c.csv", "--no-flexibility")
    assert code == 0 and out.startswith("covered 228 of 246")
    monkeypatch.setenv("WIRGEO_LANG", "fr")
    code, _, err = run_cli("consortia", "--out", tmp_path / "c.csv")
    assert code == 2 and "WIRGEO_LANG" in err and "Traceback" not in err


# --------------------------------------------------------------------- library


@pytest.mark.parametrize("lang", LANGUAGES)
def test_library_errors_speak_the_setting(municipalities, lang):
    with speaking(lang), pytest.raises(ArgumentError) as info:
        resolve_kreise("Vogelsburg", municipalities)
    text = str(info.value)
    assert text.startswith(_words(lang, "argument {argument!r}").format(argument="kreise"))
    assert _words(lang, "no Kreis named {text!r}").format(text="Vogelsburg") in text
    assert _fixed_part(_words(lang, "Fix: {fix}")) in text


def test_german_is_the_default(municipalities):
    with pytest.raises(ArgumentError) as info:
        resolve_kreise("Vogelsburg", municipalities)
    assert _words("de", "no Kreis named {text!r}").format(text="Vogelsburg") in str(info.value)


@pytest.fixture(scope="module")
def run(municipalities):
    request = PlanningRequest(kreise=("Landkreis Kassel",), exclude=("Trendelburg",),
                              locks=(("Calden", "Grebenstein"),))
    return request.run(municipalities)


#: The message each reason sentence starts with (the first part of the composed ones).
REASON_MESSAGES = {
    "placed": "In consortium {consortium_id} with {partners}{via}.",
    "locked": "In locked consortium {consortium_id} with {partners}{via}.",
    "excluded_funded": "Already funded by KIV; not planned again (exclude_funded rule).",
    "excluded_by_rule": "Excluded for this run (exclude rule).",
    "uninhabited": "Gemeindefreies Gebiet without inhabitants; never a member of a "
                   "consortium.",
    "excluded_status": "{status} with its own WIR-Vielfaltszentrum; not a KIV applicant.",
    "single_applicant": "{population} inhabitants: can apply alone ({single_min}–"
                        "{single_max}).",
    "above_band": "{population} inhabitants: above the KIV band (up to {single_max}).",
    "island": "Borders no other inhabited municipality.",
    "neighbours_too_small": "With its neighbours it reaches at most {reach} inhabitants "
                            "({group}); a consortium needs {combined_min}.",
    "other_kreis": "Reaches {combined_min} inhabitants only across a Kreis border (e.g. "
                   "with {partners}); the rules require one Kreis.",
    "too_large_together": "Every group reaching {combined_min} inhabitants exceeds the "
                          "combined maximum of {combined_max}.",
}
COMPOSED = {
    "competed": ("{count} feasible consortium, but it overlaps a suggested consortium that "
                 "the optimal plan needs.",
                 "{count} feasible consortia, but each overlaps a suggested consortium that "
                 "the optimal plan needs."),
}


def _reason_pattern(code: str, figures: dict, lang: str) -> re.Pattern[str]:
    if code in COMPOSED:
        singular, plural = COMPOSED[code]
        return _regex(ngettext(singular, plural, figures["options"], lang))
    return _regex(_words(lang, REASON_MESSAGES[code]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_is_its_catalog_sentence(planning, lang):
    members = planning.plan.members
    codes = set(members["reason_code"])
    assert {"placed", "competed", "single_applicant", "excluded_status"} <= codes
    checked = 0
    with speaking(lang):
        for code, figures in zip(members["reason_code"], members["reason_figures"],
                                 strict=True):
            if code not in REASON_MESSAGES and code not in COMPOSED:
                continue
            sentence = reason_text(code, figures)
            assert _reason_pattern(code, figures, lang).match(sentence), (code, sentence)
            assert not _reason_pattern(code, figures, OTHER[lang]).match(sentence)
            checked += 1
    assert checked > 300
    # numbers in the reader's format: a German 7.572, an English 7,572
    with speaking(lang):
        text = " ".join(reason_text(c, f) for c, f in zip(members["reason_code"],
                                                          members["reason_figures"],
                                                          strict=True))
    assert re.search(r"\d\.\d{3}" if lang == "de" else r"\d,\d{3}", text)
    assert not re.search(r"\d,\d{3}" if lang == "de" else r"\d\.\d{3}", text)


def test_singular_and_plural_come_from_the_catalog(planning):
    members = planning.plan.members
    competed = [f for c, f in zip(members["reason_code"], members["reason_figures"],
                                  strict=True) if c == "competed"]
    assert competed
    for figures in competed + [{**competed[0], "options": 1}]:
        n = figures["options"]
        assert reason_text("competed", figures).startswith(
            "1 möglicher Verbund, aber er" if n == 1 else f"{n} mögliche Verbünde, aber jeder")
        with speaking("en"):
            assert reason_text("competed", figures).startswith(
                "1 feasible consortium, but it" if n == 1 else f"{n} feasible consortia, but each")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labels_and_summaries_follow_the_language(planning, hessen, lang):
    with speaking(lang):
        assert ELIGIBILITY.label("verbund_needed") == _words(lang, "only in a consortium")
        assert REASONS.label("island") == _words(lang, "borders no other inhabited "
                                                       "municipality")
        line = summary_line(planning.summary())
        report = report_text(hessen.report)
    assert line == ("228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)" if lang == "de"
                    else "covered 228 of 246 small municipalities in 92 consortia (optimal)")
    total = "6.420.729" if lang == "de" else "6,420,729"
    assert f"{_words(lang, 'population total'):<26}{total}" in report
    assert _words(lang, "result: OK — every inhabited municipality has boundary and "
                        "population") in report


# ------------------------------------------------------------------ files people get


def _cells(path) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
              for sheet in book.worksheets}
    book.close()
    return sheets


@pytest.mark.parametrize("lang", LANGUAGES)
def test_workbook_headers_sheets_and_run_come_from_the_catalog(run, tmp_path, lang):
    sheets = _cells(write_plan_workbook(run, tmp_path / "plan.xlsx",
                                        lang=None if lang == "de" else lang))
    expected = [_words(lang, SHEET_NAMES[key], SHEET_CONTEXT)
                for key in ("consortia", "gemeinden", "unplaced", "run")]
    assert list(sheets) == expected
    consortia = sheets[expected[0]]
    for key in ("consortium_id", "member_names", "population", "same_kreis"):
        assert _words(lang, COLUMNS[key].title, COLUMN_CONTEXT) in consortia[0], key
    # the run record's labels and the reasons' sentences
    with speaking(lang):
        rows = record_rows(RunRecord.of(run))
    assert [row[0] for row in sheets[expected[3]][1:len(rows) + 1]] == [r[0] for r in rows]
    assert _words(lang, "As of") == rows[0][0]  # the run date first, then the result
    assert _words(lang, "Result") == rows[1][0]
    members = sheets[expected[1]]
    reason = members[0].index(_words(lang, COLUMNS["reason"].title, COLUMN_CONTEXT))
    sentences = [row[reason] for row in members[1:]]
    assert any(_regex(_words(lang, REASON_MESSAGES["placed"])).match(s) for s in sentences)
    assert any(_regex(_words(lang, REASON_MESSAGES["locked"])).match(s) for s in sentences)
    yes = _words(lang, "yes")
    assert yes in [row[consortia[0].index(_words(lang, COLUMNS["same_kreis"].title,
                                                        COLUMN_CONTEXT))]
                   for row in consortia[1:]]


def test_workbook_numbers_are_numbers_with_formats(run, tmp_path):
    book = openpyxl.load_workbook(write_plan_workbook(run, tmp_path / "plan.xlsx"))
    sheet = book["Verbünde"]
    header = [c.value for c in sheet[1]]
    population = sheet.cell(row=2, column=header.index("Einwohner") + 1)
    assert isinstance(population.value, int) and population.number_format == "#,##0"
    ags = book["Gemeinden"].cell(row=2, column=1)
    assert ags.data_type == "s" and re.fullmatch(r"\d{8}", ags.value)  # text, leading zero
    assert book["Verbünde"].freeze_panes == "A2"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_words_come_from_the_catalog(municipalities, run, lang):
    page = planning_map(run, kreise=("Landkreis Kassel",), tiles=None,
                        lang=None if lang == "de" else lang).get_root().render()

    def shown(text: str) -> bool:  # as HTML, or inside a script as JSON
        return any(form in page for form in (text, html.escape(text),
                                             json.dumps(text)[1:-1]))

    for key in ("eligibility", "consortia", "unplaced", "kreise"):
        assert shown(_words(lang, LAYER_TITLES[key])), key
        other = _words(OTHER[lang], LAYER_TITLES[key])
        if other != _words(lang, LAYER_TITLES[key]):
            assert not shown(other)
    assert shown(_words(lang, "About this map")) and shown(gettext("Legend", lang))
    assert not shown(_words(OTHER[lang], "About this map"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dossier_words_come_from_the_catalog(planning, lang):
    content = kreis_content(planning, "Vogelsbergkreis", lang=None if lang == "de" else lang)
    assert content["lang"] == lang
    assert content["texts"] == {key: _words(lang, text, "dossier")
                                for key, text in DOSSIER_TEXTS.items()}
    assert content["title"] == _words(lang, DOSSIER_TEXTS["title"], "dossier").format(
        kreis="Vogelsbergkreis")


# ------------------------------------------------- the engine speaks in codes

ENGINE = ("wirgeo.rules", "wirgeo.municipalities", "wirgeo.programme", "wirgeo.consortia",
          "wirgeo.planning")
PACKAGE = Path(wirgeo.__file__).parent


def _engine_modules():
    for name in ENGINE:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            yield importlib.import_module(f"{name}.{info.name}")


def _callables(module):
    """Public functions, classes and their public methods defined in ``module``."""
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield f"{module.__name__}.{name}", obj
        elif inspect.isclass(obj):
            yield f"{module.__name__}.{name}", obj
            for method_name, method in vars(obj).items():
                if not method_name.startswith("_") and inspect.isfunction(method):
                    yield f"{module.__name__}.{name}.{method_name}", method


def _parameters(obj) -> set[str]:
    """What a callable takes; for a TypedDict of keyword arguments (``RuleChanges``), its
    keys (a dict type has no signature)."""
    import typing

    if typing.is_typeddict(obj):
        return set(obj.__annotations__)
    return set(inspect.signature(obj).parameters)


def test_the_engine_takes_no_language():
    taking = [where for module in _engine_modules() for where, obj in _callables(module)
              if "lang" in _parameters(obj)]
    assert taking == []


def test_the_engine_tables_hold_codes_not_sentences(planning):
    plan = planning.plan
    assert "reason" not in plan.members.columns and "reason" not in planning.unplaced.columns
    assert set(plan.members["reason_code"]) <= set(REASONS)
    assert all(isinstance(f, dict) for f in plan.members["reason_figures"])
    assert {"eligibility_label", "rules_description"}.isdisjoint(planning.eligibility.columns)
    assert "lang" not in planning.eligibility.attrs


def _language_branches(tree: ast.AST):
    """Comparisons with a language code, and dicts keyed by both languages."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Constant) and side.value in LANGUAGES
                for side in (node.left, *node.comparators)):
            yield node.lineno, ast.unparse(node)
        if isinstance(node, ast.Dict) and set(LANGUAGES) <= {
                key.value for key in node.keys if isinstance(key, ast.Constant)}:
            yield node.lineno, ast.unparse(node)[:60]


def test_only_core_i18n_picks_a_language():
    # the locale formats of core.i18n and the languages' own names in locale are the only
    # per-language tables; words come from the catalogs
    allowed = {PACKAGE / "core" / "i18n.py", PACKAGE / "locale" / "__init__.py"}
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text}"
             for path in sorted(PACKAGE.rglob("*.py")) if path not in allowed
             for line, text in _language_branches(ast.parse(path.read_text("utf-8")))]
    assert found == []
