"""The words wirgeo speaks: gettext catalogs, one per language, and their look-up.

Every sentence, label, header and error message a person reads is written in the code
as an English message id marked with :func:`gettext` (``_``), :func:`ngettext` (plural
forms) or :func:`N_` (marked now, translated where it is shown), and translated from the
catalogs ``<lang>/LC_MESSAGES/wirgeo.po`` beside this file. Code never branches on the
language. Figures go into a message as named fields filled after the translation:
``_("{count} Verbünde").format(count=...)``, so a translator may reorder them.

The catalogs are kept with Babel: ``make catalogs`` extracts the marked messages from
the source and adds new ones to both catalogs; ``tests/test_locale.py`` fails while a
message lacks a translation, a field is missing from one or a message is marked with
anything but a literal.

The language is :data:`wirgeo.settings.settings` ``.language`` unless a call names one;
an unknown language (a typo in ``WIRGEO_LANG``) reads German here —
:func:`wirgeo.core.i18n.language` is where it is refused with an error.

Examples
--------
>>> gettext(LANGUAGE_NAMES["en"], "de"), gettext(LANGUAGE_NAMES["de"], "en")
('Englisch', 'German')
>>> N_("German")
'German'
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import hashlib
import io
import os
from pathlib import Path

from wirgeo.settings import settings

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "DOMAIN", "CATALOG_DIR", "catalog_path",
           "compiled_path", "gettext", "ngettext", "pgettext", "N_", "active_language",
           "LANGUAGE_NAMES"]

#: Languages wirgeo speaks (a catalog for each).
LANGUAGES = ("de", "en")
#: The language when neither an argument nor ``WIRGEO_LANG`` says otherwise.
DEFAULT_LANGUAGE = "de"
#: The gettext domain: the catalogs' file name.
DOMAIN = "wirgeo"
#: The folder of the catalogs.
CATALOG_DIR = Path(__file__).resolve().parent


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it (module constants)."""
    return message


#: The name of each language, to be translated where it is shown.
LANGUAGE_NAMES = {"de": N_("German"), "en": N_("English")}


def catalog_path(lang: str) -> Path:
    """The ``.po`` file of one language."""
    return CATALOG_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def active_language(lang: str | None = None) -> str:
    """``lang`` if wirgeo speaks it, else the setting, else German (never raises)."""
    for candidate in (lang, settings.language):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def compiled_path(lang: str, source: bytes) -> Path:
    """Where the compiled catalog of ``source`` (the ``.po`` bytes) is kept.

    In ``__pycache__`` beside the catalog, as Python keeps the bytecode of a module: named
    by the SHA-256 of the ``.po`` file, so an edited catalog is compiled again, never read
    stale.
    """
    digest = hashlib.sha256(source).hexdigest()[:16]
    return catalog_path(lang).parent / "__pycache__" / f"{DOMAIN}.{digest}.mo"


@functools.cache
def _translations(lang: str) -> _gettext.NullTranslations:
    # The .po files are the catalogs we keep; they are compiled with Babel on first use
    # and the result kept like bytecode (compiled_path): `wirgeo --help` then reads a .mo
    # in milliseconds instead of importing Babel's reader and parsing every message.
    source = catalog_path(lang).read_bytes()
    kept = compiled_path(lang, source)
    with contextlib.suppress(Exception):  # missing, or damaged: compiled afresh
        return _gettext.GNUTranslations(io.BytesIO(kept.read_bytes()))
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    _keep(kept, compiled.getvalue())
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _keep(path: Path, data: bytes) -> None:
    """Keep a compiled catalog; older compilations of the same catalog go.

    Best effort: a read-only installation compiles in memory each time.
    """
    with contextlib.suppress(OSError):
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{DOMAIN}.*.mo"):
            if old != path:
                old.unlink(missing_ok=True)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: the setting); the id itself where untranslated."""
    return _translations(active_language(lang)).gettext(message)


def ngettext(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    """The form of a message for ``count`` things, in ``lang``."""
    return _translations(active_language(lang)).ngettext(singular, plural, count)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in ``lang``, told apart from the same words in another ``context``."""
    return _translations(active_language(lang)).pgettext(context, message)

