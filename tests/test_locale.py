"""The catalogs of wirgeo.locale: every marked message translated, in both languages.

The messages are extracted from the source with Babel, the same way ``make catalogs``
does, and compared with the ``.po`` files the package ships.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from wirgeo.locale import DOMAIN, KEYWORDS, LANGUAGES, catalog_path, gettext, ngettext

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "wirgeo"
MARKERS = set(KEYWORDS)


def _source_messages() -> dict:
    """(context, id) -> where it is used, for every marked message of the package."""
    found: dict = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            PACKAGE, keywords=KEYWORDS):
        found.setdefault((context, message), []).append(f"{filename}:{lineno}")
    return found


def _catalog(lang: str):
    with catalog_path(lang).open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN)


# argparse's own messages are %-formatted: "%(prog)s", "%s"
_PRINTF = re.compile(r"%(?:\((\w+)\))?[sdr]")


def _fields(text: str) -> set[str]:
    """The ``{fields}`` of a message, and its ``%`` placeholders if it has no ``{}``."""
    if "{" not in text and "%" in text:
        return {match.group(0) for match in _PRINTF.finditer(text)}
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _forms(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


@pytest.fixture(scope="module")
def source_messages():
    return _source_messages()


def test_the_source_marks_messages(source_messages):
    assert len(source_messages) >= 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_source_is_translated(lang, source_messages):
    catalog = _catalog(lang)
    missing, untranslated = [], []
    for (context, message), where in sorted(source_messages.items(), key=str):
        entry = catalog.get(message, context=context)
        if entry is None:
            missing.append(f"{message!r} ({where[0]})")
        elif entry.fuzzy or not all(_forms(entry.string)):
            untranslated.append(f"{message!r} ({where[0]})")
    assert not missing, (f"{len(missing)} message(s) not in {catalog_path(lang)}; run "
                         f"`make catalogs`: " + "; ".join(missing[:10]))
    assert not untranslated, (f"{len(untranslated)} message(s) without a {lang} translation "
                              f"in {catalog_path(lang)}: " + "; ".join(untranslated[:10]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalog_keeps_a_message_the_source_dropped(lang, source_messages):
    stale = [m.id for m in _catalog(lang)
             if m.id and (m.context, m.id) not in source_messages]
    assert not stale, f"run `make catalogs`: no longer in the source: {stale[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_translation_keeps_every_field_of_its_message(lang):
    wrong = []
    for entry in _catalog(lang):
        if not entry.id:
            continue
        expected = set().union(*(_fields(form) for form in _forms(entry.id)))
        for form in _forms(entry.string):
            # a singular may say "one" instead of {count}; every other field must be there
            got = _fields(form)
            if got - expected or (expected - got) - {"count"}:
                wrong.append(f"{entry.id!r} -> {form!r}")
    assert not wrong, "fields differ between message and translation: " + "; ".join(wrong)


def _marked_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in MARKERS:
            yield node


def test_messages_are_marked_as_literals():
    # an f-string or a variable cannot be extracted into the catalogs: its words would
    # never be translated
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _marked_calls(tree):
            texts = call.args[:2] if call.func.id in ("ngettext", "pgettext", "NP_") else \
                call.args[:1]
            if not texts or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                    for a in texts):
                wrong.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert not wrong, "gettext called with something other than a literal: " + ", ".join(wrong)


def test_the_language_decides_the_words():
    assert gettext("German", "de") == "Deutsch"
    assert gettext("German", "en") == "German"
    # an id the catalogs do not know reads as itself, in every language
    assert gettext("no such message", "de") == "no such message"
    assert ngettext("one", "many", 2, "en") == "many"
