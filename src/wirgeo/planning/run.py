"""One planning run: eligibility, programme tables and the optimal plan under one rule set.

A planner's question always needs the same tables together: who is eligible, where the
centres are, who has been funded, and the optimal Verbund plan under one rule set.
:func:`build` computes them once from a :class:`~wirgeo.rules.KivRules`; a
:class:`~wirgeo.planning.request.PlanningRequest` (what a user asks, by name) calls it.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import build
>>> run = build(load_municipalities())
>>> run.plan.summary_line()
'covered 228 of 246 small municipalities in 92 consortia (optimal)'
>>> sorted(run.map_tables())
['centres', 'consortia', 'eligibility', 'grantees', 'unplaced']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.consortia import Plan, plan
from wirgeo.programme import eligibility, funded_ags, programme_tables
from wirgeo.rules import KivRules, load_rules
from wirgeo.vocabulary import NOT_PLANNED

if TYPE_CHECKING:  # the request module builds on this one
    from wirgeo.planning.request import PlanningRequest

__all__ = ["Planning", "build", "unplaced"]


def unplaced(result: Plan) -> pd.DataFrame:
    """Small municipalities the plan could not place, with reason code and sentence.

    Municipalities left out on purpose (already funded, excluded for the run) are not
    "unplaced": they are not looking for a Verbund.
    """
    members = result.members
    mask = (members["small"] & members["consortium_id"].isna()
            & ~members["reason_code"].isin(list(NOT_PLANNED)))
    columns = ["ags", "name", "kreis_ags", "kreis_name", "population", "reason_code",
               "reason"]
    return pd.DataFrame(members.loc[mask, columns]).reset_index(drop=True)


@dataclass
class Planning:
    """Every table of one planning run under one rule set.

    Attributes
    ----------
    municipalities : GeoDataFrame
        The joined municipalities the run used.
    rules : KivRules
    eligibility : GeoDataFrame
        :func:`wirgeo.programme.eligibility` of every municipality.
    centres : GeoDataFrame or None
        The WIR-Vielfaltszentren (None outside Hessen).
    grantees : DataFrame or None
        The documented KIV grantees (None outside Hessen).
    plan : Plan
        The optimal Verbund plan (:func:`wirgeo.consortia.plan`).
    request : PlanningRequest or None
        What the run was asked for, when it came from
        :meth:`~wirgeo.planning.request.PlanningRequest.run`.
    kreise : tuple of str
        Keys of the Kreise the run is about (empty = the whole state).
    """

    municipalities: gpd.GeoDataFrame
    rules: KivRules
    eligibility: gpd.GeoDataFrame
    centres: gpd.GeoDataFrame | None
    grantees: pd.DataFrame | None
    plan: Plan
    request: PlanningRequest | None = None
    kreise: tuple[str, ...] = ()

    @property
    def unplaced(self) -> pd.DataFrame:
        """Small municipalities without a Verbund, with the reason (see :func:`unplaced`)."""
        return unplaced(self.plan)

    def map_tables(self) -> dict:
        """The tables as keyword arguments of :func:`wirgeo.maps.planning_map`."""
        tables = {"eligibility": self.eligibility, "consortia": self.plan.consortia,
                  "unplaced": self.unplaced}
        if self.centres is not None:
            tables["centres"] = self.centres
        if self.grantees is not None:
            tables["grantees"] = self.grantees
        return tables


def build(municipalities: gpd.GeoDataFrame, rules: KivRules | None = None, *,
          centres: gpd.GeoDataFrame | None = None, grantees: pd.DataFrame | None = None,
          kreise: Iterable[str] | None = None, time_limit: float | None = None,
          adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
          link_via_uninhabited: bool = True) -> Planning:
    """Compute eligibility and the optimal Verbund plan under one rule set.

    Parameters
    ----------
    municipalities : GeoDataFrame
        From :func:`wirgeo.load_municipalities`.
    rules : KivRules, optional
        Default: ``data/kiv_rules.toml``.
    centres, grantees : optional
        Default: the curated tables in ``data/`` for Hessen, none for other states.
    kreise : iterable of str, optional
        Plan Verbünde only within these Kreise (names or 5-digit keys).
    time_limit : float, optional
        Seconds for the solver; the best plan found is returned with its gap.
    adjacency : Adjacency, optional
        Precomputed contiguity (saves its time when several runs share it).
    buffer, link_via_uninhabited
        Passed to :func:`wirgeo.adjacency.contiguity` when ``adjacency`` is not given.

    Returns
    -------
    Planning
    """
    rules = rules or load_rules()
    centres, grantees = programme_tables(municipalities, centres, grantees)
    funded = funded_ags(grantees) if grantees is not None else set()
    frame = eligibility(municipalities, rules, grantees=grantees, centres=centres)
    result = plan(municipalities, rules, funded=funded, kreise=kreise, time_limit=time_limit,
                  adjacency=adjacency, buffer=buffer,
                  link_via_uninhabited=link_via_uninhabited)
    return Planning(municipalities, rules, frame, centres, grantees, result)


