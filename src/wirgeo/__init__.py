"""wirgeo — geospatial planning for Hessen's WIR – Vielfalt und Teilhabe programme.

The public API re-exports the functions planners use in notebooks and scripts. They are
imported on first use (:mod:`wirgeo.core.lazy`): ``import wirgeo`` itself loads neither
geopandas nor pandas, so the command line answers ``--help`` at once.

The map of the API
------------------
Data
    :func:`load_municipalities` (the Gemeinden of Hessen, or of any state),
    :func:`load` (with Kreise, Regierungsbezirke and the join report).
Questions, on any GeoDataFrame (own column names with ``key=``/``population=``, any CRS)
    :func:`eligibility` (KIV class and funding of every Gemeinde),
    :func:`optimal_plan` (the Verbünde that place the most small Gemeinden, as an
    :class:`OptimalPlan`: ``.labels``, ``.consortia``, ``.members``, ``.summary``),
    :func:`partners` (every feasible Verbund of one Gemeinde),
    :func:`plan_flexibility` (which Verbünde every best plan needs).
Maps and documents
    :func:`planning_map` (a ``folium.Map`` to add own layers to), :func:`static_map`
    (the print map), both with one :class:`MapOptions`; :func:`save_map` (one offline
    HTML file); :func:`dossier` (the PDF of one Kreis).
Plan documents (the state of negotiations)
    :func:`new_negotiation`, :func:`check_negotiation`, :func:`complete_negotiation`,
    :func:`compare_negotiations`.
Errors
    every error is a :class:`WirgeoError` (:class:`ArgumentError` for a bad argument,
    :class:`InputError` for a bad file, …).

Examples
--------
>>> import wirgeo
>>> wirgeo.__version__
'0.1.0'
>>> wirgeo.load_municipalities.__module__
'wirgeo.municipalities.load'
>>> wirgeo.consortia.plan.__module__  # subpackages load on first use too
'wirgeo.consortia.suggest'
>>> result = wirgeo.optimal_plan(wirgeo.load_municipalities(), kreise=["06535"])
>>> result.summary.whole.covered, len(result.consortia)
(12, 4)
"""

import importlib
from typing import TYPE_CHECKING, Any

from wirgeo._version import __version__
from wirgeo.core.lazy import lazy_exports

if TYPE_CHECKING:
    from wirgeo.dossier import dossier
    from wirgeo.errors import (
        ArgumentError,
        InputError,
        JoinError,
        RulesError,
        SourceNotFoundError,
        WirgeoError,
    )
    from wirgeo.maps import MapOptions, planning_map, save_map, static_map
    from wirgeo.municipalities import (
        Dataset,
        JoinReport,
        load,
        load_districts,
        load_municipalities,
    )
    from wirgeo.planning import (
        check_negotiation,
        compare_negotiations,
        complete_negotiation,
        new_negotiation,
    )
    from wirgeo.planning.library import (
        OptimalPlan,
        eligibility,
        optimal_plan,
        partners,
        plan_flexibility,
    )

_names, _dir = lazy_exports(__name__, {
    "errors": ("ArgumentError", "InputError", "JoinError", "RulesError",
               "SourceNotFoundError", "WirgeoError"),
    "municipalities": ("Dataset", "JoinReport", "load", "load_districts",
                       "load_municipalities"),
    "planning.library": ("OptimalPlan", "eligibility", "optimal_plan", "partners",
                         "plan_flexibility"),
    "maps": ("MapOptions", "planning_map", "static_map", "save_map"),
    "dossier": ("dossier",),
    "planning": ("new_negotiation", "check_negotiation", "complete_negotiation",
                 "compare_negotiations"),
})

#: The subpackages, imported on first use too: ``wirgeo.consortia.plan`` works after a
#: plain ``import wirgeo``, as ``geopandas.tools`` does.
_PACKAGES = ("adjacency", "consortia", "core", "exports", "maps", "municipalities",
             "planning", "programme", "rules", "sources", "vocabulary", "widgets", "wording")


def __getattr__(name: str) -> Any:
    if name in _PACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    return _names(name)


def __dir__() -> list[str]:
    return sorted({*_dir(), *_PACKAGES})


__all__ = [
    "__version__",
    "Dataset",
    "JoinReport",
    "load",
    "load_districts",
    "load_municipalities",
    "eligibility",
    "optimal_plan",
    "OptimalPlan",
    "partners",
    "plan_flexibility",
    "planning_map",
    "static_map",
    "MapOptions",
    "save_map",
    "dossier",
    "new_negotiation",
    "check_negotiation",
    "complete_negotiation",
    "compare_negotiations",
    "WirgeoError",
    "InputError",
    "ArgumentError",
    "JoinError",
    "RulesError",
    "SourceNotFoundError",
]
