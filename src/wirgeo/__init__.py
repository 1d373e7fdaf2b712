"""wirgeo — geospatial planning for Hessen's WIR – Vielfalt und Teilhabe programme.

The public API re-exports the functions planners use in notebooks and scripts.

Examples
--------
>>> import wirgeo
>>> wirgeo.__version__
'0.1.0'
"""

from wirgeo.errors import InputError, JoinError, RulesError, SourceNotFoundError, WirgeoError
from wirgeo.municipalities import (
    Dataset,
    JoinReport,
    load,
    load_districts,
    load_municipalities,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Dataset",
    "JoinReport",
    "load",
    "load_districts",
    "load_municipalities",
    "WirgeoError",
    "InputError",
    "JoinError",
    "RulesError",
    "SourceNotFoundError",
]
