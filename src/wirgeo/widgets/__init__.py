"""The planner for JupyterLab: :class:`ConsortiumPlanner` and its live map.

:mod:`~wirgeo.widgets.planner` holds the controls, tables, status and exports;
:mod:`~wirgeo.widgets.live_map` the Leaflet widget whose view survives every change;
:mod:`~wirgeo.widgets.texts` every text the planner shows, per language.
"""

from wirgeo.widgets.live_map import LiveMap
from wirgeo.widgets.planner import ConsortiumPlanner, PlannerState

__all__ = ["ConsortiumPlanner", "PlannerState", "LiveMap"]
