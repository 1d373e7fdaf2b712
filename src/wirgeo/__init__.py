"""wirgeo — geospatial planning for Hessen's WIR – Vielfalt und Teilhabe programme.

The public API re-exports the functions planners use in notebooks and scripts. They are
imported on first use (:mod:`wirgeo.core.lazy`): ``import wirgeo`` itself loads neither
geopandas nor pandas, so the command line answers ``--help`` at once.

Examples
--------
>>> import wirgeo
>>> wirgeo.__version__
'0.1.0'
>>> wirgeo.load_municipalities.__module__
'wirgeo.municipalities.load'
"""

from typing import TYPE_CHECKING

from wirgeo._version import __version__
from wirgeo.core.lazy import lazy_exports

if TYPE_CHECKING:
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

__getattr__, __dir__ = lazy_exports(__name__, {
    "errors": ("ArgumentError", "InputError", "JoinError", "RulesError",
               "SourceNotFoundError", "WirgeoError"),
    "municipalities": ("Dataset", "JoinReport", "load", "load_districts",
                       "load_municipalities"),
})

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
