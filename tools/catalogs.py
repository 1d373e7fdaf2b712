"""Keep the gettext catalogs of ``src/wirgeo/locale`` in step with the source (``make catalogs``).

Extracts every message marked with ``_``, ``gettext``, ``ngettext``, ``pgettext``, ``N_`` or
``NP_`` from ``src/wirgeo``, adds new ones to the catalog of each language (German untranslated,
to be written by hand; English filled with the message id, which is English) and drops
messages no longer in the source. ``--check`` changes nothing and exits 1 when a catalog
is not in step (``tests/test_locale.py`` checks the same and more).

Usage: ``python tools/catalogs.py [--check]``
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "wirgeo"
sys.path.insert(0, str(ROOT / "src"))

from wirgeo.locale import DOMAIN, KEYWORDS, LANGUAGES, catalog_path  # noqa: E402

# a fixed header: the catalogs change when a message does, never by the date of a run
_HEADER = dict(
    header_comment="# Messages of wirgeo, the planning tool for Hessen's WIR programme.\n"
                   "# Kept with tools/catalogs.py (make catalogs); see wirgeo/locale.",
    project="wirgeo", version="0.1", copyright_holder="wirgeo",
    msgid_bugs_address="", last_translator="wirgeo", language_team="wirgeo",
    creation_date=dt.datetime(2026, 12, 6, tzinfo=dt.UTC),
    revision_date=dt.datetime(2026, 12, 6, tzinfo=dt.UTC), fuzzy=False)


def template() -> Catalog:
    """Every marked message of the package, with the files that use it."""
    catalog = Catalog(domain=DOMAIN, **_HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def updated(lang: str, source: Catalog) -> Catalog:
    """The catalog of ``lang`` with the messages of ``source``, and only those."""
    path = catalog_path(lang)
    if path.is_file():
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, **_HEADER)
    catalog.update(source, no_fuzzy_matching=True, update_header_comment=False,
                   update_creation_date=False)
    catalog.obsolete.clear()
    if lang == "en":  # the message ids are English: the English catalog repeats them
        for message in catalog:
            if message.id and not any(message.string if isinstance(message.string, tuple)
                                      else (message.string,)):
                message.string = message.id
    return catalog


def render(catalog: Catalog) -> bytes:
    """The ``.po`` text of a catalog, sorted, without line numbers."""
    buffer = io.BytesIO()
    # no line numbers: a catalog changes when a message does, not when code moves
    write_po(buffer, catalog, width=100, no_location=True, omit_header=False,
             sort_output=True, ignore_obsolete=True, include_previous=False)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    """Update the catalogs (or, with ``--check``, say whether they are in step)."""
    check = "--check" in argv
    source = template()
    stale = []
    for lang in LANGUAGES:
        path = catalog_path(lang)
        text = render(updated(lang, source))
        old = path.read_bytes() if path.is_file() else b""
        if text != old:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text)
    untranslated = [m.id for m in updated("de", source) if m.id and not m.string]
    for path in stale:
        print(("not in step: " if check else "updated: ") + str(path.relative_to(ROOT)))
    if untranslated:
        print(f"{len(untranslated)} message(s) still need a German translation in "
              f"{catalog_path('de').relative_to(ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
