"""The sixteen German states by their two-digit key (``SN_L`` in VG250, ``Land`` in GV-ISys).

A run may cover several states: :func:`resolve_states` reads what a user names — one
key, several, or ``"de"`` (:data:`GERMANY`) for all sixteen — and :func:`state_name` says
it in words.

Examples
--------
>>> STATE_NAMES["06"]
'Hessen'
>>> resolve_states("06"), resolve_states(["07", "06", "07"]), len(resolve_states("de"))
(('06',), ('06', '07'), 16)
>>> state_key(("06", "07")), state_key(resolve_states("de"))
('06+07', 'de')
>>> state_name("06+07"), state_name("de")
('Hessen, Rheinland-Pfalz', 'Deutschland')
"""

from __future__ import annotations

from collections.abc import Iterable

from wirgeo.errors import ArgumentError

__all__ = ["STATE_NAMES", "GERMANY", "resolve_states", "state_key", "state_name"]

#: The key that names all sixteen states at once (``--state de``).
GERMANY = "de"

STATE_NAMES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}


def resolve_states(state: str | Iterable[str]) -> tuple[str, ...]:
    """The two-digit keys ``state`` names, sorted, each once.

    One key (``"06"``), several (``["06", "07"]``, or one string ``"06,07"``/``"06+07"``),
    or :data:`GERMANY` for all sixteen.

    Raises
    ------
    ArgumentError
        Naming the argument ``state``: a key that is no German state.
    """
    parts = [state] if isinstance(state, str) else list(state)
    keys: set[str] = set()
    for part in parts:
        for item in str(part).replace("+", ",").replace(" ", ",").split(","):
            item = item.strip().lower()
            if item == GERMANY:
                keys.update(STATE_NAMES)
            elif item in STATE_NAMES:
                keys.add(item)
            elif item.isdigit():
                from wirgeo.sources.keys import check_key

                # a key that lost its leading zero ("6") is explained as such
                keys.add(check_key(item, 2, source="state", column="state"))
                raise ArgumentError("state", f"{item!r} is not a German state",
                                    fix="give a two-digit state key (06 = Hessen), several "
                                        f"of them, or {GERMANY} for all of Germany")
            elif item:
                raise ArgumentError("state", f"{item!r} is not a German state",
                                    fix="give a two-digit state key (06 = Hessen), several "
                                        f"of them, or {GERMANY} for all of Germany")
    if not keys:
        raise ArgumentError("state", "no state given",
                            fix=f"give a two-digit state key (06 = Hessen) or {GERMANY}")
    return tuple(sorted(keys))


def state_key(states: Iterable[str]) -> str:
    """One key for several states: ``"de"`` for all sixteen, else the keys joined by +."""
    keys = tuple(sorted(set(states)))
    return GERMANY if keys == tuple(sorted(STATE_NAMES)) else "+".join(keys)


def state_name(key: str) -> str:
    """The name of a state, of several (``"06+07"``) or of Germany (``"de"``)."""
    if key == GERMANY:
        return "Deutschland"
    return ", ".join(STATE_NAMES.get(k, k) for k in key.split("+"))
