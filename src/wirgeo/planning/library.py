"""The planning questions of any GeoDataFrame, answered in tables a geopandas user expects.

The library's door (re-exported as ``wirgeo.optimal_plan``, ``wirgeo.eligibility``,
``wirgeo.partners``, ``wirgeo.plan_flexibility``). :func:`optimal_plan` takes a
municipality table with the user's own column names and CRS
(:func:`wirgeo.municipalities.columns.standard_table`), runs one planning run
(:func:`wirgeo.planning.build`) and returns an :class:`OptimalPlan`: labels aligned to the
input rows (like spopt's ``labels_``), the Verbünde as a GeoDataFrame in the input's CRS,
and a long-format membership table — lists as rows, never as ``;``-joined text.

Examples
--------
>>> from wirgeo import load_municipalities, optimal_plan
>>> result = optimal_plan(load_municipalities(), kreise=["Vogelsbergkreis"])
>>> result.summary.whole.covered, result.summary.whole.small, result.status
(12, 16, 'optimal')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from wirgeo.adjacency import Adjacency, from_graph
from wirgeo.consortia import Flexibility, Plan
from wirgeo.municipalities.columns import standard_table
from wirgeo.planning.run import Planning, Summary, build
from wirgeo.programme import eligibility as _eligibility
from wirgeo.programme import programme_tables
from wirgeo.rules import KivRules, RuleChanges, load_rules

if TYPE_CHECKING:  # libpysal is imported only where a graph is built (1 s)
    from libpysal.graph import Graph
    from typing_extensions import Unpack

__all__ = ["OptimalPlan", "optimal_plan", "membership", "eligibility", "partners",
           "plan_flexibility"]

#: Columns of :attr:`OptimalPlan.consortia` besides the outline (no ``;``-joined lists).
CONSORTIUM_FIGURES = ("consortium_id", "n_members", "n_small", "population", "lead_ags",
                      "lead_name", "same_kreis", "shared_border_km", "locked")


@dataclass(frozen=True)
class OptimalPlan:
    """The optimal plan of a table, in tables aligned to it.

    Attributes
    ----------
    labels : Series
        One entry per row of the input, same index: the id of the row's Verbund, or
        missing (``<NA>``) when the Gemeinde is in none.
    consortia : GeoDataFrame
        One row per Verbund, its members' dissolved outline in the input's CRS:
        ``consortium_id``, ``n_members``, ``n_small``, ``population`` (combined),
        ``lead_ags`` and ``lead_name`` (the largest member), ``same_kreis``,
        ``shared_border_km``, ``locked``.
    members : DataFrame
        Long format, one row per member of a Verbund: ``consortium_id``, ``ags``,
        ``name``, ``role`` (``"small"``: needs the Verbund; ``"member"``: may join;
        ``"large"``: the one larger partner).
    summary : Summary
        What the plan achieved (:class:`wirgeo.planning.Summary`; in words with
        :func:`wirgeo.wording.summary_line`).
    run : Planning
        The planning run behind it, for maps (:func:`wirgeo.planning_map`), the dossier
        and every other table (eligibility, reasons of the unplaced).

    Examples
    --------
    >>> from wirgeo import load_municipalities, optimal_plan
    >>> gem = load_municipalities()
    >>> result = optimal_plan(gem, kreise=["Vogelsbergkreis"])
    >>> gem.assign(verbund=result.labels).dropna(subset="verbund").shape[0]
    12
    >>> result.members.groupby("consortium_id").size().max(), result.proven
    (np.int64(3), True)
    """

    labels: pd.Series
    consortia: gpd.GeoDataFrame
    members: pd.DataFrame
    summary: Summary
    run: Planning

    @property
    def status(self) -> str:
        """``"optimal"`` (proven), ``"time_limit"`` or ``"heuristic"``."""
        return self.run.plan.status

    @property
    def proven(self) -> bool:
        """Whether the plan is proven optimal (no other plan places more small Gemeinden)."""
        return self.status == "optimal"


def membership(plan: Plan) -> pd.DataFrame:
    """The long-format membership table of a plan: one row per member of a Verbund.

    Parameters
    ----------
    plan : Plan
        From :func:`wirgeo.consortia.plan` (or :attr:`wirgeo.planning.Planning.plan`).

    Returns
    -------
    DataFrame
        ``consortium_id``, ``ags``, ``name``, ``role`` (see :class:`OptimalPlan`),
        sorted by Verbund and key.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.consortia import plan
    >>> from wirgeo.rules import load_rules
    >>> table = membership(plan(load_municipalities(), load_rules(), kreise="Vogelsbergkreis"))
    >>> table.columns.tolist(), len(table), sorted(table.role.unique())
    (['consortium_id', 'ags', 'name', 'role'], 12, ['small'])
    """
    table = plan.memberships   # the one member list (wirgeo.consortia.Plan.memberships)
    names = dict(zip(plan.members["ags"].astype(str), plan.members["name"].astype(str),
                     strict=True))
    table.insert(2, "name", table["ags"].map(names))
    return table.sort_values(["consortium_id", "ags"]).reset_index(drop=True)


def optimal_plan(municipalities: gpd.GeoDataFrame, *, key: str = "ags",
                 population: str = "population", rules: KivRules | None = None,
                 kreise: Iterable[str] | None = None, time_limit: float | None = None,
                 adjacency: Adjacency | Graph | None = None, cache: bool | None = None,
                 **rule_changes: Unpack[RuleChanges]) -> OptimalPlan:
    """The optimal Verbund plan of any GeoDataFrame of municipalities.

    Parameters
    ----------
    municipalities : GeoDataFrame
        One row per Gemeinde (never modified), in any CRS (a geographic one is
        reprojected to EPSG:25832 internally, because contiguity is measured in metres;
        the results come back in the input's CRS). Needs the key and the inhabitants
        column and polygon outlines; ``name``, ``status``, ``kreis_ags`` and
        ``kreis_name`` are used when present. Without them every Gemeinde is taken as
        kreisangehörig and its Kreis from the first 5 digits of the key
        (:mod:`wirgeo.municipalities.columns` says it in full).
    key : str
        Column of the 8-digit official keys (AGS) as text. Whole numbers are read with
        their leading zeros (a :class:`~wirgeo.errors.KeyFormatWarning` says so);
        anything else is an :class:`~wirgeo.errors.ArgumentError`.
    population : str
        Column of the inhabitants (whole numbers, 0 for uninhabited areas).
    rules : KivRules, optional
        The rule set (default :func:`wirgeo.rules.load_rules`).
    kreise : iterable of str, optional
        Plan only within these Kreise (names or 5-digit keys); default the whole table.
    time_limit : float, optional
        Seconds for the solver; the best plan found is returned and :attr:`~OptimalPlan.
        status` says ``"time_limit"``.
    adjacency : Adjacency or libpysal.graph.Graph, optional
        Precomputed contiguity (:func:`wirgeo.adjacency.contiguity`), or a libpysal
        ``Graph`` of the user's own whose ids are the rows (or keys) of
        ``municipalities``: then exactly the pairs it links are neighbours
        (:func:`wirgeo.adjacency.from_graph`), and the result cache is not used (it keeps
        plans of wirgeo's own contiguity).
    cache : bool, optional
        Use the result cache (default: the settings).
    **rule_changes
        Single rules changed for this plan, as in :func:`wirgeo.rules.load_rules`
        (``max_members=2``, …); applied to ``rules`` when it is given.

    Returns
    -------
    OptimalPlan

    Raises
    ------
    ArgumentError
        A missing or bad column, key, inhabitant figure or outline (naming the column and
        the row), an unknown Kreis.
    RulesError
        A bad rule change.

    Examples
    --------
    >>> from wirgeo import load_municipalities, optimal_plan
    >>> own = (load_municipalities()[["ags", "name", "population", "geometry"]]
    ...        .rename(columns={"ags": "schluessel", "population": "einwohner"}))
    >>> result = optimal_plan(own, key="schluessel", population="einwohner",
    ...                       kreise=["06535"], max_members=2)
    >>> result.labels.notna().sum(), len(result.consortia), result.status
    (np.int64(6), 3, 'optimal')
    """
    table = standard_table(municipalities, key=key, population=population)
    if adjacency is not None and not isinstance(adjacency, Adjacency):
        adjacency, cache = from_graph(adjacency, table), False
    centres, grantees = _programme(table, municipalities)
    run = build(table, _rules(rules, rule_changes), centres=centres, grantees=grantees,
                kreise=kreise, time_limit=time_limit, adjacency=adjacency, cache=cache)
    if centres is not None and not len(centres):
        run = dataclasses.replace(run, centres=None)  # none known: no layer, no column
    members = membership(run.plan)
    label_of = dict(zip(members["ags"], members["consortium_id"], strict=True))
    labels = pd.Series(table["ags"].map(label_of).to_numpy(), index=municipalities.index,
                       name="consortium_id", dtype="string")
    return OptimalPlan(labels, _consortia(run.plan, municipalities.crs), members,
                       run.summary(), run)


def _consortia(plan: Plan, crs: CRS | None) -> gpd.GeoDataFrame:
    """The Verbünde with their figures and outline, in the input's CRS."""
    frame = plan.consortia
    table = gpd.GeoDataFrame(frame[list(CONSORTIUM_FIGURES)].copy(),
                             geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return table.to_crs(crs) if crs is not None and table.crs != crs else table


def _programme(table: gpd.GeoDataFrame, given: pd.DataFrame
               ) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None]:
    """The curated programme tables for ``table`` (Hessen), as the command line uses them.

    The grantees always (who is funded decides who is planned). The Vielfaltszentren only
    when the table says each Gemeinde's ``status``: their hosts are checked against it (a
    Sonderstatusstadt hosts its own centre), which a table without it cannot confirm.
    """
    if "status" in given.columns:
        return programme_tables(table)
    # an empty table: "none known" (None would mean "the curated ones")
    none = gpd.GeoDataFrame({"host_ags": pd.Series(dtype=object)}, geometry=[], crs=4326)
    return programme_tables(table, centres=none)


def _rules(rules: KivRules | None, changes: RuleChanges) -> KivRules:
    """The rule set with single rules changed: one way for every function of the door."""
    if rules is None:
        return load_rules(**changes)
    return rules.replace(**changes) if changes else rules


def eligibility(municipalities: gpd.GeoDataFrame, *, key: str = "ags",
                population: str = "population", rules: KivRules | None = None,
                **rule_changes: Unpack[RuleChanges]) -> gpd.GeoDataFrame:
    """KIV eligibility of every row of any GeoDataFrame, funded Gemeinden included.

    Like the command line (``wirgeo programme``): in Hessen the curated tables of
    documented grantees and Vielfaltszentren are used (:func:`wirgeo.programme.
    programme_tables`), so Gemeinden already funded are marked ``funded``.

    Parameters
    ----------
    municipalities : GeoDataFrame
        As for :func:`optimal_plan` (any CRS, own column names, optional columns filled
        as :mod:`wirgeo.municipalities.columns` says).
    key, population : str
        Names of the key (8-digit AGS) and inhabitants columns.
    rules : KivRules, optional
        Default :func:`wirgeo.rules.load_rules`.
    **rule_changes
        Single rules changed, as in :func:`wirgeo.rules.load_rules`.

    Returns
    -------
    GeoDataFrame
        The columns of :func:`wirgeo.programme.eligibility` (``eligibility`` code,
        ``funded``, centre columns, …), one row per input row with the input's index, in
        the input's CRS; key and inhabitants under wirgeo's names ``ags`` and
        ``population``.

    Examples
    --------
    >>> from wirgeo import load_municipalities, eligibility
    >>> frame = eligibility(load_municipalities())
    >>> int(frame.funded.sum()), frame.eligibility.value_counts()["verbund_needed"]
    (12, np.int64(246))
    """
    table = standard_table(municipalities, key=key, population=population)
    centres, grantees = _programme(table, municipalities)
    frame = _eligibility(table, _rules(rules, rule_changes), grantees=grantees,
                         centres=centres)
    frame.index = municipalities.index
    crs = municipalities.crs
    return frame.to_crs(crs) if crs is not None and frame.crs != crs else frame


def partners(result: OptimalPlan | Planning, name_or_ags: str) -> pd.DataFrame:
    """Every feasible Verbund of one Gemeinde, best first, marked against the plan.

    Parameters
    ----------
    result : OptimalPlan or Planning
        From :func:`optimal_plan` (or a planning run).
    name_or_ags : str
        The Gemeinde, by name or 8-digit key.

    Returns
    -------
    DataFrame
        :meth:`wirgeo.planning.Planning.partners`: one row per group (``member_ags``,
        ``member_names``, ``population``, ``in_plan``, …).

    Examples
    --------
    >>> from wirgeo import load_municipalities, optimal_plan, partners
    >>> result = optimal_plan(load_municipalities(), kreise=["Vogelsbergkreis"])
    >>> len(partners(result, "Freiensteinau")) > 0
    True
    """
    run = result.run if isinstance(result, OptimalPlan) else result
    return run.partners(name_or_ags)


def plan_flexibility(result: OptimalPlan | Planning) -> Flexibility:
    """Which Verbünde every best plan needs, and the alternatives of the others.

    Exact, on the MILP (:func:`wirgeo.consortia.plan_flexibility`); it takes seconds for
    the whole state, and is computed once per run.

    Parameters
    ----------
    result : OptimalPlan or Planning
        From :func:`optimal_plan`.

    Returns
    -------
    Flexibility

    Examples
    --------
    >>> from wirgeo import load_municipalities, optimal_plan, plan_flexibility
    >>> result = optimal_plan(load_municipalities(), kreise=["Vogelsbergkreis"])
    >>> sorted(plan_flexibility(result).consortia.flexibility.unique())
    ['flexible']
    """
    run = result.run if isinstance(result, OptimalPlan) else result
    return run.flexibility()
