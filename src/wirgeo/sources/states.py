"""The sixteen German states by their two-digit key (``SN_L`` in VG250, ``Land`` in GV-ISys).

Examples
--------
>>> STATE_NAMES["06"]
'Hessen'
"""

from __future__ import annotations

__all__ = ["STATE_NAMES"]

STATE_NAMES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}
