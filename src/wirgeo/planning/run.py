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
>>> run.summary().whole
Coverage(covered=228, small=246, consortia=92, status='optimal', gap=0.0, \
gap_level='', coverage_bound=228, broken_locks=())
>>> len(run.statewide_consortia())
92
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.consortia import (
    REQUIRED_COLUMNS,
    Coverage,
    Flexibility,
    Plan,
    Preference,
    partners_for,
)
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import check_municipalities, resolve_kreise
from wirgeo.planning import cache as _cache
from wirgeo.programme import eligibility, funded_ags, programme_tables
from wirgeo.rules import KivRules, load_rules
from wirgeo.vocabulary import NOT_PLANNED

if TYPE_CHECKING:  # the request module builds on this one
    from wirgeo.planning.request import PlanningRequest

__all__ = ["Planning", "Summary", "build", "unplaced"]


def unplaced(result: Plan) -> pd.DataFrame:
    """Small municipalities the plan could not place, with reason code and figures.

    Municipalities left out on purpose (already funded, excluded for the run) are not
    "unplaced": they are not looking for a Verbund.
    """
    members = result.members
    mask = (members["small"] & members["consortium_id"].isna()
            & ~members["reason_code"].isin(list(NOT_PLANNED)))
    columns = ["ags", "name", "kreis_ags", "kreis_name", "population", "reason_code",
               "reason_figures"]
    return pd.DataFrame(members.loc[mask, columns]).reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """What a run achieved, in figures: what its summary line says (:mod:`wirgeo.wording`).

    Attributes
    ----------
    whole : Coverage
        The plan (statewide, or made only within the Kreise).
    view : Coverage or None
        The part of it in :attr:`kreise` (None for the whole state).
    kreise : tuple of str
        Names of the Kreise of the run (empty = the whole state).
    within_kreise : bool
        The plan was made only among the municipalities of those Kreise.
    """

    whole: Coverage
    view: Coverage | None = None
    kreise: tuple[str, ...] = ()
    within_kreise: bool = False


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
        Keys of the Kreise the run is about (empty = the whole state). By default they
        are a *view* of the statewide plan: :attr:`consortia`, :attr:`members` and
        :attr:`unplaced` show what concerns them, with the same Verbünde, ids and reasons
        as for the whole state.
    within_kreise : bool
        The plan was made only among the municipalities of :attr:`kreise` (an explicit
        choice, stated on every output).
    cache_key : str or None
        Under which key the plan is kept in the result cache (:mod:`wirgeo.planning.cache`;
        None when the cache was not used): its flexibility is kept beside it.

    A run holds codes and figures; :mod:`wirgeo.wording` says them in words.
    """

    municipalities: gpd.GeoDataFrame
    rules: KivRules
    eligibility: gpd.GeoDataFrame
    centres: gpd.GeoDataFrame | None
    grantees: pd.DataFrame | None
    plan: Plan
    request: PlanningRequest | None = None
    kreise: tuple[str, ...] = ()
    within_kreise: bool = False
    cache_key: str | None = field(default=None, repr=False, compare=False)
    _flexibility: Flexibility | None = field(default=None, repr=False, compare=False)

    def flexibility(self) -> Flexibility:
        """Which Verbünde every best plan needs (computed once, on first use).

        See :func:`wirgeo.consortia.plan_flexibility`: exact, on the MILP; it takes
        seconds, so outputs ask for it only where they show it. Kept in the result cache
        beside the plan (:mod:`wirgeo.planning.cache`), so a second command with the same
        data and rules reads it back.
        """
        if self._flexibility is None:
            self._flexibility = _cache.flexibility_of(self.plan, self.cache_key)
        return self._flexibility

    # ------------------------------------------------------------- the view

    def view(self, kreise: str | Iterable[str] | None = ()) -> Planning:
        """The same plan, shown for ``kreise`` (names or 5-digit keys; empty = the state).

        The one place that says what a Kreis selection is: a view of the plan — the same
        Verbünde, ids and reasons, only the tables show less. A plan made only within some
        Kreise (``within_kreise``) has views of those Kreise only.

        Raises
        ------
        ArgumentError
            An unknown Kreis; a Kreis outside a plan made only within Kreise.

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> run = build(load_municipalities())
        >>> fulda = run.view("Fulda")
        >>> fulda.kreise, fulda.plan is run.plan, fulda.view().kreise
        (('06631',), True, ())
        """
        keys = resolve_kreise(kreise or None, self.municipalities, argument="kreise")
        if self.within_kreise and not (keys and set(keys) <= set(self.plan.kreise)):
            raise ArgumentError("kreise", _("the plan was made only within {kreise}: it "
                                            "shows no other Kreis").format(
                                    kreise=", ".join(self.plan.kreise)),
                                fix=_("use the statewide plan (Planning.statewide())"))
        return dataclasses.replace(self, kreise=keys)

    def statewide(self, *, adjacency: Adjacency | None = None) -> Planning:
        """The statewide plan under the same rules, seen for the whole state.

        The one place that says where the statewide plan of a run comes from (a dossier
        needs it): the run's own plan, unless that was made only within Kreise; then it
        is planned for the whole state (the result cache answers when it can).

        Parameters
        ----------
        adjacency : Adjacency, optional
            Precomputed contiguity, when a new plan is needed (the widgets keep one).

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> from wirgeo.planning import PlanningRequest
        >>> gem = load_municipalities()
        >>> within = PlanningRequest(kreise=("Fulda",), plan_within_kreise=True).run(gem)
        >>> whole = within.statewide()
        >>> whole.within_kreise, whole.kreise, whole.plan.coverage().consortia
        (False, (), 92)
        """
        if not self.within_kreise:
            return self.view(())
        if self.request is not None:
            request = dataclasses.replace(self.request, kreise=(), plan_within_kreise=False)
            return request.run(self.municipalities, adjacency=adjacency, centres=self.centres,
                               grantees=self.grantees)
        return build(self.municipalities, self.rules, centres=self.centres,
                     grantees=self.grantees, adjacency=adjacency)

    def _flexible(self, table: pd.DataFrame, key: str, columns: tuple[str, ...],
                  part: str) -> pd.DataFrame:
        """``table`` with the flexibility columns, once :meth:`flexibility` is known."""
        if self._flexibility is None:
            return table
        facts = getattr(self._flexibility, part).set_index(key)[list(columns)]
        return table.join(facts, on=key)

    def _all_consortia(self) -> gpd.GeoDataFrame:
        return self._flexible(self.plan.consortia, "consortium_id",
                              ("flexibility", "n_alternatives", "alternatives"),
                              "consortia")

    def partners(self, name_or_ags: str) -> pd.DataFrame:
        """Every feasible Verbund of one municipality, best first, marked against the plan.

        :func:`wirgeo.consortia.partners_for` on this run's plan and rules: the planned
        group first. With :meth:`flexibility` known also ``keeps_optimum``: whether some
        best plan contains the group (so choosing it costs no other small municipality its
        Verbund); those groups come next, then the rest, each part in the ranking of
        :func:`~wirgeo.consortia.partners_for`, ``rank`` counting 1…n in this order.

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> from wirgeo.planning import PlanningRequest
        >>> run = PlanningRequest(kreise=("Vogelsbergkreis",), flexibility=True).run(
        ...     load_municipalities())
        >>> table = run.partners("Freiensteinau")
        >>> len(table), int(table.keeps_optimum.sum())
        (10, 7)
        >>> bool(table.in_plan.iloc[0]), bool(table.keeps_optimum.head(7).all())
        (True, True)
        """
        table = partners_for(name_or_ags, self.municipalities, self.rules, plan=self.plan)
        if self._flexibility is not None:
            candidates = self._flexibility.candidates
            some = dict(zip(candidates["member_ags"], candidates["in_some_maximum"],
                            strict=True))
            # a group outside the plan's candidates (planned within Kreise) is unknown
            table["keeps_optimum"] = pd.array([some.get(m, pd.NA) for m in table["member_ags"]],
                                              dtype="boolean")
            keeps = table["keeps_optimum"].fillna(False).astype(bool)
            order = np.lexsort((table["rank"].to_numpy(), ~keeps.to_numpy(),
                                ~table["in_plan"].to_numpy(dtype=bool)))
            attrs = dict(table.attrs)
            table = table.iloc[order].reset_index(drop=True)
            table.attrs = attrs
            table["rank"] = np.arange(1, len(table) + 1)
        return table

    @property
    def consortia(self) -> gpd.GeoDataFrame:
        """The Verbünde with a member in :attr:`kreise` (all without a selection).

        Once :meth:`flexibility` is known (``PlanningRequest(flexibility=True)``) with
        ``flexibility``, ``n_alternatives`` and ``alternatives``.
        """
        table = self._all_consortia()
        if not self.kreise:
            return table
        members = self.plan.members
        inside = set(members.loc[members["kreis_ags"].isin(self.kreise), "ags"])
        memberships = self.plan.memberships
        touching = set(memberships.loc[memberships["ags"].isin(inside), "consortium_id"])
        return table[table["consortium_id"].isin(touching)].reset_index(drop=True)

    @property
    def members(self) -> gpd.GeoDataFrame:
        """The municipalities of :attr:`kreise` with their Verbund or reason.

        Once :meth:`flexibility` is known, small ones also with ``placed_in`` and
        ``partner_names`` (everyone they can share a Verbund with in some best plan).
        """
        table = self._flexible(self.plan.members, "ags", ("placed_in", "partner_names"),
                               "members")
        if not self.kreise:
            return table
        return table[table["kreis_ags"].isin(self.kreise)].reset_index(drop=True)

    @property
    def unplaced(self) -> pd.DataFrame:
        """Small municipalities of the view without a Verbund, with the reason."""
        table = unplaced(self.plan)
        if not self.kreise:
            return table
        return table[table["kreis_ags"].isin(self.kreise)].reset_index(drop=True)

    def kreis_names(self) -> list[str]:
        """Names of :attr:`kreise`, in key order."""
        names = self.municipalities.drop_duplicates("kreis_ags").set_index("kreis_ags")
        return [str(names.at[k, "kreis_name"]) for k in self.kreise]

    def summary(self) -> Summary:
        """What the run achieved, for the view and for the plan it is a view of.

        Examples
        --------
        >>> from wirgeo import load_municipalities
        >>> from wirgeo.planning import PlanningRequest
        >>> run = PlanningRequest(kreise=("Vogelsbergkreis",)).run(load_municipalities())
        >>> summary = run.summary()
        >>> summary.view.covered, summary.view.small, summary.view.consortia, summary.kreise
        (16, 16, 6, ('Vogelsbergkreis',))
        >>> from wirgeo.wording import summary_line
        >>> print(summary_line(summary))
        Vogelsbergkreis: 16 von 16 kleinen Gemeinden in 6 Verbünden — Ausschnitt des \
landesweiten Plans: 228 von 246 kleinen Gemeinden in 92 Verbünden (optimal)
        """
        whole = self.plan.coverage()
        if not self.kreise:
            return Summary(whole)
        members = self.members
        broken = tuple(c for c in self.consortia["consortium_id"]
                       if c in self.plan.broken_locks)
        plannable = members["small"] & ~members["reason_code"].isin(NOT_PLANNED)
        qualifying = members["consortium_id"].notna() & ~members["consortium_id"].isin(broken)
        view = dataclasses.replace(
            whole, covered=int((plannable & qualifying).sum()), small=int(plannable.sum()),
            consortia=len(self.consortia) - len(broken), broken_locks=broken)
        return Summary(whole, view, tuple(self.kreis_names()), self.within_kreise)

    def statewide_consortia(self) -> gpd.GeoDataFrame:
        """Every Verbund of the plan, also those without a member in :attr:`kreise`.

        A map draws a Verbund with a member in the view whole (:func:`wirgeo.maps.tables_of`).
        """
        return self._all_consortia()


def build(municipalities: gpd.GeoDataFrame, rules: KivRules | None = None, *,
          centres: gpd.GeoDataFrame | None = None, grantees: pd.DataFrame | None = None,
          kreise: Iterable[str] | None = None, time_limit: float | None = None,
          adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
          link_via_uninhabited: bool = True, cache: bool | None = None,
          prefer: Sequence[Preference] = ()) -> Planning:
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
    cache : bool, optional
        Read and keep the plan, its contiguity and flexibility in the result cache
        (:mod:`wirgeo.planning.cache`; default :data:`wirgeo.settings.settings` ``.cache``).
    prefer : sequence of Preference
        Preferences among the best plans (:func:`wirgeo.consortia.plan`).

    Returns
    -------
    Planning
    """
    # the table checked once at the door (keys, columns, outlines), then trusted
    municipalities = check_municipalities(municipalities, columns=REQUIRED_COLUMNS)
    rules = load_rules() if rules is None else rules
    if not isinstance(rules, KivRules):
        raise ArgumentError("rules", _("expects KivRules, got {kind}").format(
            kind=type(rules).__name__), fix=_("use wirgeo.rules.load_rules()"))
    centres, grantees = programme_tables(municipalities, centres, grantees)
    funded = funded_ags(grantees) if grantees is not None else set()
    frame = eligibility(municipalities, rules, grantees=grantees, centres=centres)
    result, key = _cache.plan_of(municipalities, rules, funded=funded, kreise=kreise,
                                 time_limit=time_limit, adjacency=adjacency, buffer=buffer,
                                 link_via_uninhabited=link_via_uninhabited,
                                 cache=cache, prefer=prefer)
    within = tuple(result.kreise) if kreise else ()
    return Planning(municipalities, rules, frame, centres, grantees, result, kreise=within,
                    within_kreise=bool(kreise), cache_key=key)


