"""The names people read for a Verbund: :func:`verbund_name` and :func:`verbund_numbers`.

A Verbund's stable id (``V06535016-3f2a``) is for scripts and cross-references; a mayor
reads its members: "Schlitz – Grebenau – Schwalmtal", the lead (the member with most
inhabitants) first, the others in alphabetical order. On a print map, where a name does
not fit, a Verbund is a short number 1…n whose legend names the members; the dossier's
Verbund pages use the same numbers, so map and text point at each other. Maps, dossier,
workbooks, the partner lookup and the planner all name a Verbund with these functions.

Examples
--------
>>> verbund_name(("Grebenau", "Schlitz", "Schwalmtal"), lead="Schlitz")
'Schlitz – Grebenau – Schwalmtal'
>>> import pandas as pd
>>> table = pd.DataFrame({"consortium_id": ["V2", "V1"],
...                       "member_names": [("Ulrichstein", "Feldatal"), ("Schlitz", "Grebenau")],
...                       "lead_name": ["Feldatal", "Schlitz"]})
>>> verbund_names(table)
{'V2': 'Feldatal – Ulrichstein', 'V1': 'Schlitz – Grebenau'}
>>> verbund_numbers(table)
{'V2': 1, 'V1': 2}
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd

from wirgeo.core.lists import split_list

__all__ = ["verbund_name", "verbund_names", "verbund_numbers", "name_key"]

#: Between two member names (an en dash: the names themselves may hold hyphens).
SEPARATOR = " – "


def name_key(name: str) -> str:
    """Sort key of a place name as a German index sorts it (Ö beside O, case ignored)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.casefold() + "\0" + name  # ties (Bad Ö… / Bad O…) stay in a fixed order


def verbund_name(members: Iterable[str] | str, lead: str | None = None) -> str:
    """A Verbund named by its members: the lead first, then the others alphabetically.

    Parameters
    ----------
    members : iterable of str, or str
        The member names (a tuple, as in ``member_names``; a file's ``;``-joined text is
        read as :func:`wirgeo.core.lists.split_list` reads it).
    lead : str, optional
        The lead member (``lead_name``); without it the names are all alphabetical.
    """
    given = split_list(members) if isinstance(members, str) else members
    names = [n.strip() for n in given if n and n.strip()]
    first = [lead] if lead and lead in names else []
    rest = sorted((n for n in names if n not in first), key=name_key)
    return SEPARATOR.join(first + rest)


def verbund_names(consortia: pd.DataFrame) -> dict[str, str]:
    """Consortium id → display name, for every Verbund of ``consortia``.

    ``consortia`` has ``consortium_id``, ``member_names`` (tuples of str) and, optionally,
    ``lead_name`` (a plan's or a run's consortia table).
    """
    leads = consortia["lead_name"] if "lead_name" in consortia.columns else \
        pd.Series([None] * len(consortia), index=consortia.index)
    return {str(cid): verbund_name(names, None if pd.isna(lead) else str(lead))
            for cid, names, lead in zip(consortia["consortium_id"], consortia["member_names"],
                                        leads, strict=True)}


def verbund_numbers(consortia: pd.DataFrame) -> dict[str, int]:
    """Consortium id → its short number 1…n, in the order of the display names.

    The numbers hold within one table (a map's or a dossier's Verbünde of one Kreis); the
    same table gives the same numbers.
    """
    names = verbund_names(consortia)
    order = sorted(names, key=lambda cid: (name_key(names[cid]), cid))
    return {cid: i for i, cid in enumerate(order, start=1)}
