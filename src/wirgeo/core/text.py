"""How wirgeo compares names and checks links: one home for both.

Every place that answers an unknown name with "did you mean …?" (municipalities, Kreise,
scenarios, layers, AGS) uses :func:`closest`, and every place that accepts a source URL
uses :func:`is_http_url`, so all of them behave alike.

Examples
--------
>>> closest("Vogelsberg", ["Vogelsbergkreis", "Landkreis Fulda", "Wetteraukreis"])
['Vogelsbergkreis']
>>> is_http_url("https://soziales.hessen.de/x"), is_http_url("javascript:alert(1)")
(True, False)
>>> name_key("Bad Homburg v. d. Höhe, Stadt") == name_key("Bad Homburg v.d. Höhe")
True
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

__all__ = ["closest", "is_http_url", "name_key"]

_URL = re.compile(r"https?://\S+$")


def name_key(name: object) -> str:
    """Return the comparable form of a name: no case, punctuation or Destatis type suffix.

    Destatis appends the type after a comma ("Bensheim, Stadt", "Gießen,
    Universitätsstadt"); BKG writes "v.d." where Destatis writes "v. d.". Both vanish here.
    """
    base = str(name).split(",")[0]
    return re.sub(r"[^0-9a-zäöüß]", "", base.casefold())


def closest(text: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.6,
            key: Callable[[str], str] = str.casefold) -> list[str]:
    """Return the choices closest to ``text`` (difflib), best first.

    Choices are compared in the form ``key`` gives them (case-insensitive by default); up
    to ``n`` such forms are matched, and every original spelling of each is returned once.
    """
    by_key: dict[str, list[str]] = {}
    for choice in choices:
        spellings = by_key.setdefault(key(choice), [])
        if choice not in spellings:
            spellings.append(choice)
    hits = difflib.get_close_matches(key(text), list(by_key), n=n, cutoff=cutoff)
    return [choice for h in hits for choice in by_key[h]]


def is_http_url(text: object) -> bool:
    """Whether ``text`` is a full http(s) URL with a host (and nothing after it)."""
    value = "" if text is None else str(text).strip()
    if not _URL.match(value):
        return False
    try:
        return bool(urlparse(value).netloc)
    except ValueError:  # e.g. an unbalanced "[" in the host part
        return False
