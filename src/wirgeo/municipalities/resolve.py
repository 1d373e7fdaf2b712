"""Names and keys of municipalities and Kreise, as people type them: the one resolver.

Every command, the maps, the widgets and the consortium engine turn "Fulda", "06631",
"Landkreis Kassel" or "Bad Homburg v. d. Höhe, Stadt" into official keys here, with the
same rules everywhere:

* an official key (5 digits for a Kreis, 8 for a Gemeinde) is taken as it is, if the table
  has it;
* names are compared without case, punctuation, umlaut spelling (``Muecke`` = ``Mücke``)
  and the type Destatis appends after a comma (``Bensheim, Stadt``);
* a Kreis may be named with or without its "Landkreis"/"Kreis" prefix: an exact name wins
  (``Kassel`` is the kreisfreie Stadt, ``Landkreis Kassel`` the Landkreis), then the
  name without the prefix (``Fulda`` = ``Landkreis Fulda``);
* an unknown name is answered with the closest names and their keys; a name several
  share asks for the key.

Errors name the Python argument the value came from (``kreise``, ``exclude``, …) or, for
a value read from a file, the file, row and column.

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities()
>>> resolve_kreise(["Fulda", "Landkreis Kassel", "Kassel", "06535"], gem)
('06535', '06611', '06631', '06633')
>>> resolve_kreise("Vogelsberg", gem)  # unambiguous without its "-kreis"
('06535',)
>>> resolve_kreise("Vogelsburg", gem)
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'kreise': kein Kreis namens 'Vogelsburg'. Abhilfe: \
meinten Sie Vogelsbergkreis (06535)? Oder den 5-stelligen Kreisschlüssel angeben.
>>> resolve_municipality("Weiterstdt", gem, argument="partner")
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'partner': keine Gemeinde namens 'Weiterstdt'. \
Abhilfe: meinten Sie Weiterstadt (06432023)? Oder die 8-stellige AGS angeben.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.core.i18n import names as names_of
from wirgeo.core.text import closest, name_key
from wirgeo.errors import ArgumentError, InputError

__all__ = ["resolve_municipality", "resolve_municipalities", "resolve_kreise",
           "MunicipalityNames"]

_KREIS_PREFIX = re.compile(r"^\s*(landkreis|kreis|lk|stadtkreis|kreisfreie stadt|stadt)\s+",
                           re.IGNORECASE)
# "Vogelsberg" for "Vogelsbergkreis", "Main-Kinzig" for "Main-Kinzig-Kreis" (a bare
# "Kreis" keeps its name: the stem must not be empty)
_KREIS_SUFFIX = re.compile(r"(?<=\w)[\s-]?kreis$", re.IGNORECASE)


def _key(name: object) -> str:
    """Comparable form of a name: :func:`~wirgeo.core.text.name_key` without umlauts."""
    return _text_key(str(name))


# every name of the table is keyed on each look-up: the programme tables resolve dozens of
# names against the same 425 (or 11,000) municipalities, so each key is computed once
@functools.lru_cache(maxsize=65_536)
def _text_key(name: str) -> str:
    text = name_key(name)
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return text


def _kreis_key(name: object) -> str:
    return _key(_KREIS_PREFIX.sub("", str(name)))


@dataclass(frozen=True)
class _Where:
    """Where a name came from: a Python argument, or a file's row and column."""

    argument: str
    source: str | Path | None
    row: int | None
    column: str | None

    def error(self, problem: str, fix: str) -> InputError:
        if self.source is not None:
            return InputError(self.source, problem, row=self.row, column=self.column,
                              fix=fix)
        return ArgumentError(self.argument, problem, row=self.row, fix=fix)


def resolve_municipality(name_or_ags: str, municipalities: pd.DataFrame, *,
                         argument: str = "name_or_ags", source: str | Path | None = None,
                         row: int | None = None, column: str | None = None) -> str:
    """Return the AGS of a municipality given by AGS or by name.

    Names are matched against both the BKG short name (``name``) and the official name
    (``name_official``), then without the qualifier in brackets (``Friedberg`` for
    ``Friedberg (Hessen)``).

    Parameters
    ----------
    name_or_ags : str
        An 8-digit AGS or a name.
    municipalities : DataFrame
        With columns ``ags``, ``name``, ``name_official`` (and ``kreis_name`` for telling
        namesakes apart).
    argument : str
        The Python argument the value came from, for the error message.
    source, row, column : optional
        Where the value was read when it comes from a file; the error then names them
        instead of ``argument``.

    Returns
    -------
    str
        The 8-digit AGS.

    Raises
    ------
    ArgumentError or InputError
        Unknown AGS, unknown or ambiguous name (:class:`~wirgeo.errors.InputError` when
        ``source`` is given).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> resolve_municipality("Bad Homburg v. d. Höhe, Stadt", gem)
    '06434001'
    >>> resolve_municipality("06431002", gem), resolve_municipality("Muecke", gem)
    ('06431002', '06535013')
    """
    return MunicipalityNames(municipalities).resolve(
        name_or_ags, argument=argument, source=source, row=row, column=column)


class MunicipalityNames:
    """The names of one municipality table, keyed once, to resolve many names against it.

    :func:`resolve_municipality` for a loop: the curated tables, lock and exclusion lists
    resolve dozens of names against the same table, and keying its 425 (or 11,000) names
    for each of them cost more than the rest of reading the table.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> names = MunicipalityNames(load_municipalities())
    >>> names.resolve("Muecke"), names.resolve("Friedberg"), names.resolve("06431002")
    ('06535013', '06440008', '06431002')
    """

    def __init__(self, municipalities: pd.DataFrame) -> None:
        self.municipalities = municipalities
        self._ags = [str(a) for a in municipalities["ags"]]
        self._known = frozenset(self._ags)
        names = municipalities["name"].tolist()
        official = (municipalities["name_official"].tolist()
                    if "name_official" in municipalities.columns else [None] * len(names))
        self._exact: dict[str, list[int]] = {}
        self._short: dict[str, list[int]] = {}
        for i, (name, other) in enumerate(zip(names, official, strict=True)):
            keys = [_key(name)] + ([_key(other)] if isinstance(other, str) and other else [])
            for key in dict.fromkeys(keys):
                self._exact.setdefault(key, []).append(i)
            # without the qualifier in brackets: "Friedberg" for "Friedberg (Hessen)"
            self._short.setdefault(_key(str(name).split("(")[0]), []).append(i)

    def resolve(self, name_or_ags: str, *, argument: str = "name_or_ags",
                source: str | Path | None = None, row: int | None = None,
                column: str | None = None) -> str:
        """The AGS of ``name_or_ags``: see :func:`resolve_municipality`."""
        where = _Where(argument, source, row, column)
        text = str(name_or_ags).strip()
        if re.fullmatch(r"\d+", text):
            return self._key_of(text, where)
        key = _key(text)
        rows = self._exact.get(key) or self._short.get(key, [])
        if len(rows) == 1:
            return self._ags[rows[0]]
        if len(rows) > 1:
            raise self._ambiguous(text, rows, where)
        raise self._unknown(text, where)

    def _key_of(self, text: str, where: _Where) -> str:
        if len(text) != 8:
            raise where.error(_("{text!r} is not an 8-digit AGS").format(text=text),
                              _("give the 8-digit Amtlicher Gemeindeschlüssel, e.g. 06431002 "
                                "(leading zero kept)"))
        if text not in self._known:
            raise where.error(_("AGS {ags} is not in the municipality table").format(ags=text),
                              _("check the AGS against the Destatis Gemeindeverzeichnis (this "
                                "data: {count} municipalities)").format(
                                  count=len(self.municipalities)))
        return text

    def _ambiguous(self, text: str, rows: list[int], where: _Where) -> InputError:
        table = self.municipalities
        hits = table[[c for c in ("ags", "name", "kreis_name") if c in table.columns]].iloc[rows]
        listed = "; ".join(
            f"{r.ags} {r.name}" + (f" ({r.kreis_name})" if "kreis_name" in hits else "")
            for r in hits.sort_values("ags").itertuples())
        return where.error(_("{count} municipalities are named {text!r}: {listed}").format(
                               count=len(hits), text=text, listed=listed),
                           _("give the AGS instead of the name"))

    def _unknown(self, text: str, where: _Where) -> InputError:
        municipalities = self.municipalities
        names: dict[str, str] = {}
        official = (municipalities["name_official"] if "name_official" in municipalities
                    else pd.Series([None] * len(municipalities), index=municipalities.index))
        for name, other, ags in zip(municipalities["name"], official,
                                    municipalities["ags"], strict=True):
            for variant in (name, other, str(name).split("(")[0]):
                if isinstance(variant, str) and variant:
                    names.setdefault(variant, f"{name} ({ags})")
        suggestions = list(dict.fromkeys(
            names[c] for c in closest(text, names, n=6, cutoff=0.75, key=_key)))[:3]
        fix = (_("did you mean {candidates}? Or give the 8-digit AGS").format(
                   candidates=names_of(suggestions, alternatives=True))
               if suggestions else
               _("check the spelling against the Destatis name, or give the 8-digit AGS"))
        return where.error(_("no municipality named {text!r}").format(text=text), fix)


def resolve_municipalities(names_or_ags: Iterable[str], municipalities: pd.DataFrame, *,
                           argument: str) -> tuple[str, ...]:
    """AGS of several municipalities (names or AGS), in the order given, each once.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> resolve_municipalities(["Schotten", "06535018", "Schotten"], load_municipalities(),
    ...                        argument="exclude")
    ('06535016', '06535018')
    """
    names = MunicipalityNames(municipalities)
    found = [names.resolve(item, argument=argument) for item in names_or_ags]
    return tuple(dict.fromkeys(found))


def resolve_kreise(kreise: str | Iterable[str] | None, municipalities: pd.DataFrame, *,
                   argument: str = "kreise") -> tuple[str, ...]:
    """Return the sorted 5-digit keys of Kreise given by name or key (``None`` → ``()``).

    Parameters
    ----------
    kreise : str or iterable of str or None
        Names such as ``"Vogelsbergkreis"``, ``"Fulda"``, ``"Landkreis Kassel"`` or
        5-digit keys such as ``"06633"``; a name without its "-kreis" ending
        (``"Vogelsberg"``, ``"Main-Kinzig"``) where it fits one Kreis only.
    municipalities : DataFrame
        With columns ``kreis_ags`` and ``kreis_name``.
    argument : str
        The Python argument the names came from, for the error message.

    Raises
    ------
    ArgumentError
        An unknown Kreis (with the closest names and their keys), or a name that fits
        several Kreise.
    """
    if kreise is None:
        return ()
    if isinstance(kreise, str):
        kreise = [kreise]
    table = municipalities[["kreis_ags", "kreis_name"]].drop_duplicates("kreis_ags")
    name_of = dict(zip(table["kreis_ags"].astype(str), table["kreis_name"].astype(str),
                       strict=True))
    found: set[str] = set()
    for item in kreise:
        found.add(_one_kreis(str(item).strip(), name_of, argument))
    return tuple(sorted(found))


def _kreis_stem(name: object) -> str:
    """A Kreis name without its "-Kreis"/"kreis" ending: "Vogelsberg", "Main-Kinzig"."""
    return _kreis_key(_KREIS_SUFFIX.sub("", str(name).strip()))


def _one_kreis(text: str, name_of: dict[str, str], argument: str) -> str:
    if text in name_of:
        return text
    exact = [k for k, n in name_of.items() if n.casefold() == text.casefold()]
    hits = exact or [k for k, n in name_of.items() if _kreis_key(n) == _kreis_key(text)] \
        or [k for k, n in name_of.items() if _kreis_stem(n) == _kreis_stem(text)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ArgumentError(argument, _("{text!r} fits several Kreise").format(text=text),
                            fix=_("give the 5-digit key: {keys}").format(keys=", ".join(
                                f"{name_of[k]} ({k})" for k in sorted(hits))))
    if re.fullmatch(r"\d{5}", text):
        raise ArgumentError(argument, _("no Kreis with the key {text}").format(text=text),
                            fix=_("use one of the {count} Kreis keys, e.g. {key} "
                                  "({name})").format(
                                    count=len(name_of), key=min(name_of),
                                    name=name_of[min(name_of)]))
    by_name = {n: k for k, n in name_of.items()}
    close = closest(text, by_name, key=_kreis_key, cutoff=0.5)
    fix = _("did you mean {candidates}? Or give the 5-digit Kreis key").format(
        candidates=names_of([f"{c} ({by_name[c]})" for c in close], alternatives=True)) \
        if close else _("give a Kreis name as the data writes it, e.g. {example!r}, or its "
                        "5-digit key").format(example=name_of[min(name_of)])
    raise ArgumentError(argument, _("no Kreis named {text!r}").format(text=text), fix=fix)
