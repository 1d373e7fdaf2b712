"""Which language wirgeo speaks, and numbers, dates and distances in it.

Everything a planner reads follows one setting: German (``"de"``) by default, English
(``"en"``) on request — :data:`wirgeo.settings.settings` ``.language``, filled from the
environment variable ``WIRGEO_LANG`` and set by ``--lang`` on the command line. This
module is the one place that picks the language; no other module branches on it.

Words come from the catalogs of :mod:`wirgeo.locale` (re-exported here: ``_``,
``ngettext``, ``pgettext``, ``N_``, ``NP_``; :func:`translate` for a message marked with
``N_`` elsewhere); numbers, dates, lists and distances are formatted for the language by
Babel (the CLDR locale data), never by hand: a German reader takes "10,000" for ten.

How the edge takes a language
-----------------------------
The engine (``rules``, ``municipalities``, ``programme``, ``consortia``, ``planning``)
returns codes and figures and takes no language. A public function at the edge (a map, a
workbook, a dossier, the planner) takes an optional ``lang=None`` and speaks it for its
duration with :func:`speaking`; everything it calls simply uses ``_()`` and the
formatters here, which read the active language::

    def write_summary(..., lang: str | None = None) -> Path:
        with speaking(lang):
            ...                      # _("Kreise"), number(n), date(d) — all in ``lang``

Examples
--------
>>> with speaking("de"):
...     number(6420729), km(10.44), date("2023-12-31"), names(["A", "B", "C"])
('6.420.729', '10,4 km', '31.12.2023', 'A, B und C')
>>> with speaking("en"):
...     number(6420729), km(10.44), date("2023-12-31"), names(["A", "B", "C"])
('6,420,729', '10.4 km', '31 Dec 2023', 'A, B and C')
>>> with speaking("de"):
...     ngettext("{count} solve", "{count} solves", 1200).format(count=number(1200))
'1.200 Optimierungsläufe'
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from wirgeo.errors import ArgumentError
from wirgeo.locale import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    NP_,
    gettext,
    ngettext,
    pgettext,
    translate,
)
from wirgeo.settings import settings

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "check_language", "language", "speaking",
           "translate", "number", "decimal", "km", "percent", "date", "names", "_",
           "gettext", "ngettext", "pgettext", "N_", "NP_"]

_ = gettext

# Babel locales: Germany's German; British English writes dates day-first like the readers'
# German documents ("31 Dec 2023"), and numbers like every English locale.
_LOCALES = {"de": "de_DE", "en": "en_GB"}
_DATE_FORMATS = {"de": "dd.MM.yyyy", "en": "d MMM yyyy"}


def check_language(lang: str) -> str:
    """Return ``lang`` if wirgeo speaks it, else raise naming the argument.

    Examples
    --------
    >>> check_language("fr")
    Traceback (most recent call last):
    ...
    wirgeo.errors.ArgumentError: Argument 'lang': unbekannte Sprache 'fr'. Abhilfe: eine von \
de, en verwenden.
    """
    if lang not in LANGUAGES:
        raise ArgumentError("lang", _("unknown language {lang!r}").format(lang=lang),
                            fix=_("use one of {choices}").format(choices=", ".join(LANGUAGES)))
    return lang


def language(lang: str | None = None) -> str:
    """The language to use: ``lang`` if given, else the setting (``WIRGEO_LANG``), else German.

    Examples
    --------
    >>> language("en"), language(None) in LANGUAGES
    ('en', True)
    """
    if lang is not None:
        return check_language(lang)
    setting = settings.language
    if setting:
        if setting not in LANGUAGES:
            raise ArgumentError("WIRGEO_LANG",
                                _("unknown language {lang!r}").format(lang=setting),
                                fix=_("set WIRGEO_LANG to one of {choices}").format(
                                    choices=", ".join(LANGUAGES)))
        return setting
    return DEFAULT_LANGUAGE


@contextlib.contextmanager
def speaking(lang: str | None = None) -> Iterator[str]:
    """Speak ``lang`` (checked) for the length of a ``with`` block; ``None``: the setting.

    The one way a public function at the edge honours its ``lang`` argument: inside the
    block every ``_()``, label and number is in that language; afterwards the setting is
    what it was.

    Examples
    --------
    >>> with speaking("en") as lang:
    ...     lang, _("German")
    ('en', 'German')
    >>> with speaking("de"):
    ...     _("German")
    'Deutsch'
    """
    chosen = language(lang)
    with settings.override(language=chosen):
        yield chosen


def _locale() -> str:
    return _LOCALES[language()]


def number(value: float, lang: str | None = None) -> str:
    """A whole number with the language's thousands separator (``6.420.729``)."""
    return format_decimal(round(value), format="#,##0", locale=_LOCALES[language(lang)])


def decimal(value: float, lang: str | None = None, digits: int = 1) -> str:
    """A number with ``digits`` decimals (``10,4``)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_LOCALES[language(lang)])


def km(value: float, lang: str | None = None, digits: int = 1) -> str:
    """A distance in kilometres (``10,4 km``)."""
    return f"{decimal(value, lang, digits)} km"


def percent(value: float, lang: str | None = None, digits: int = 1) -> str:
    """A share as a percentage (``34,5 %`` / ``34.5%``)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(value, format=pattern, locale=_LOCALES[language(lang)])


def date(value: dt.date | str, lang: str | None = None) -> str:
    """A date (``31.12.2023`` / ``31 Dec 2023``); ISO strings are accepted."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    lang = language(lang)
    return format_date(day, _DATE_FORMATS[lang], locale=_LOCALES[lang])


def names(items: Iterable[str], *, alternatives: bool = False) -> str:
    """A list as a sentence says it: ``A``, ``A und B``, ``A, B und C`` (``and``).

    ``alternatives``: joined with "or" (``A, B oder C``), for suggestions.
    """
    listed = [str(item) for item in items]
    if not listed:
        return ""
    return format_list(listed, style="or" if alternatives else "standard", locale=_locale())
