"""wirgeo — geospatial planning for Hessen's WIR – Vielfalt und Teilhabe programme.

The public API re-exports the functions planners use in notebooks and scripts.

Examples
--------
>>> import wirgeo
>>> wirgeo.__version__
'0.1.0'
"""

from importlib.metadata import PackageNotFoundError, version

from wirgeo.errors import (
    ArgumentError,
    InputError,
    JoinError,
    RulesError,
    SourceNotFoundError,
    WirgeoError,
)
from wirgeo.municipalities import (
    Dataset,
    JoinReport,
    load,
    load_districts,
    load_municipalities,
)

try:
    __version__ = version("wirgeo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "Dataset",
    "JoinReport",
    "load",
    "load_districts",
    "load_municipalities",
    "WirgeoError",
    "InputError",
    "ArgumentError",
    "JoinError",
    "RulesError",
    "SourceNotFoundError",
]
