"""Which language wirgeo speaks, and numbers, dates and distances in it.

Everything a planner reads follows one setting: German (``"de"``) by default, English
(``"en"``) on request — :data:`wirgeo.settings.settings` ``.language``, filled from the
environment variable ``WIRGEO_LANG`` and set by ``--lang`` on the command line. Words come
from the catalogs of :mod:`wirgeo.locale` (re-exported here: ``_``, ``ngettext``, ``N_``);
numbers, dates and distances are formatted for the language by Babel (the CLDR locale
data), never by hand: a German reader takes "10,000" for ten. Every function takes an
optional ``lang`` for the rare caller that needs one language regardless of the setting.

Examples
--------
>>> number(6420729, "de"), number(6420729, "en")
('6.420.729', '6,420,729')
>>> km(10.44, "de"), km(10.44, "en")
('10,4 km', '10.4 km')
>>> import datetime
>>> date(datetime.date(2023, 12, 31), "de"), date("2023-12-31", "en")
('31.12.2023', '31 Dec 2023')
>>> plural(1, "Nachbar", "Nachbarn", "de"), plural(1200, "Gemeinde", "Gemeinden", "de")
('1 Nachbar', '1.200 Gemeinden')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from wirgeo.errors import ArgumentError
from wirgeo.locale import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext, ngettext, pgettext
from wirgeo.locale import gettext as _lookup
from wirgeo.settings import settings

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "check_language", "language", "number",
           "decimal", "km", "percent", "date", "plural", "pick", "_", "gettext",
           "ngettext", "pgettext", "N_", "translate"]

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
    wirgeo.errors.ArgumentError: argument 'lang': unknown language 'fr'. Fix: use one of \
de, en.
    """
    if lang not in LANGUAGES:
        raise ArgumentError("lang", f"unknown language {lang!r}",
                            fix="use one of " + ", ".join(LANGUAGES))
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
            raise ArgumentError("WIRGEO_LANG", f"unknown language {setting!r}",
                                fix="set WIRGEO_LANG to one of " + ", ".join(LANGUAGES))
        return setting
    return DEFAULT_LANGUAGE


def translate(message: str, lang: str | None = None) -> str:
    """A message marked with ``N_`` where it was defined (a constant), in ``lang``.

    >>> translate(N_("German"), "de")
    'Deutsch'
    """
    # the message was extracted where N_ marked it; looked up here under another name
    return _lookup(message, lang)


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


def plural(count: int, one: str, many: str, lang: str | None = None) -> str:
    """The count, formatted, with the right form of the noun (``1 Nachbar``)."""
    return f"{number(count, lang)} {one if count == 1 else many}"


def pick(texts: Mapping[str, str], lang: str) -> str:
    """The text of ``texts`` (language → text) in ``lang``."""
    return texts[check_language(lang)]
