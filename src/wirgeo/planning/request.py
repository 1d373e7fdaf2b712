"""What a planner asks for, in their words: :class:`PlanningRequest`.

The command line, the notebook widgets and scripts all describe a run the same way — a
rules file or scenario, single rule overrides, Kreise, municipalities to exclude and
Verbünde to lock, named as people name them — and hand it to
:meth:`PlanningRequest.run`. Turning names into keys and values into validated
:class:`~wirgeo.rules.KivRules` happens here, once, for every front end.

Examples
--------
>>> from wirgeo import load_municipalities
>>> request = PlanningRequest(overrides={"max_members": 2}, kreise=("Vogelsbergkreis",),
...                           plan_within_kreise=True, locks=parse_locks("Schotten, Ulrichstein"))
>>> run = request.run(load_municipalities())
>>> run.rules.max_members, run.rules.lock
(2, (('06535016', '06535018'),))
>>> run.plan.consortia.query("locked").member_names.tolist()
[('Schotten', 'Ulrichstein')]
>>> PlanningRequest(time_limit=0)
Traceback (most recent call last):
...
wirgeo.errors.ArgumentError: Argument 'time_limit': muss eine positive Zahl von Sekunden sein, ist \
aber 0. Abhilfe: Sekunden angeben, z. B. 60.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.consortia import REQUIRED_COLUMNS, Preference
from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import (
    MunicipalityNames,
    check_municipalities,
    resolve_kreise,
    resolve_municipalities,
)
from wirgeo.planning.run import Planning, build
from wirgeo.planning.tie_breaks import check_tie_break, tie_break_preference
from wirgeo.programme import load_centres, load_grantees, programme_tables
from wirgeo.rules import KivRules, check_time_limit, load_rules

__all__ = ["PlanningRequest", "parse_locks", "RULE_FIELDS"]

#: Rules a request may override one by one (every :class:`KivRules` value except the
#: per-run lists, which have their own fields ``exclude`` and ``locks``).
RULE_FIELDS = tuple(f.name for f in dataclasses.fields(KivRules)
                    if f.name not in ("name", "source", "exclude", "lock"))


def parse_locks(text: str | Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Locked Verbünde from text: one Verbund per line (or per item), members by comma.

    Examples
    --------
    >>> parse_locks("Schotten, Ulrichstein\\n\\nCalden,Grebenstein , ")
    (('Schotten', 'Ulrichstein'), ('Calden', 'Grebenstein'))
    >>> parse_locks(["Calden,Grebenstein"])
    (('Calden', 'Grebenstein'),)
    """
    lines = text.splitlines() if isinstance(text, str) else list(text)
    groups = (tuple(part.strip() for part in line.split(",") if part.strip())
              for line in lines)
    return tuple(group for group in groups if group)


def _names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class PlanningRequest:
    """One planning run as a user asks for it.

    Parameters
    ----------
    rules_file : str or Path, optional
        KIV rules TOML; default ``data/kiv_rules.toml``.
    scenario : str, optional
        A ``[scenarios.<name>]`` of the rules file.
    base : KivRules, optional
        A rule set to start from instead of ``rules_file`` and ``scenario`` (a notebook's
        own rules).
    overrides : mapping, optional
        Single rule values for this run, by :class:`~wirgeo.rules.KivRules` field name
        (:data:`RULE_FIELDS`), e.g. ``{"max_members": 2, "combined_min": 12000}``.
    kreise : tuple of str
        Kreise the run is about (names or 5-digit keys); empty = the whole state.
    plan_within_kreise : bool
        Plan Verbünde only among the municipalities of ``kreise`` (default: the statewide
        plan, of which ``kreise`` is a view).
    exclude : tuple of str
        Municipalities never to place in a Verbund (names or AGS).
    locks : tuple of tuple of str
        Verbünde fixed in advance, members by name or AGS (see :func:`parse_locks`).
    centres_file, grantees_file : str or Path, optional
        Programme tables instead of the curated ones in ``data/``.
    time_limit : float, optional
        Seconds for the solver; the best plan found is returned with its gap.
    buffer : float
        Metres of tolerance when testing borders (:func:`wirgeo.adjacency.contiguity`).
    link_via_uninhabited : bool
        Whether uninhabited gemeindefreie Gebiete link the municipalities around them.
    flexibility : bool
        Also decide which Verbünde every best plan needs (firm) and their alternatives
        (:meth:`Planning.flexibility`, exact; seconds statewide): the Verbund and member
        tables, the partner lookup and the map then show it.
    tie_break : str, optional
        Among the plans placing the most small municipalities, prefer one by need
        (:data:`~wirgeo.planning.tie_breaks.TIE_BREAKS`: ``"foreign_residents"``, the
        Zensus 2022 estimate), right after coverage and before the engine's own
        tie-breaks; never instead of the rule.

    Raises
    ------
    ArgumentError
        An unknown rule name in ``overrides``, a time limit that is not positive.
    """

    rules_file: str | Path | None = None
    scenario: str | None = None
    base: KivRules | None = None
    overrides: Mapping[str, object] = field(default_factory=dict)
    kreise: tuple[str, ...] = ()
    plan_within_kreise: bool = False
    exclude: tuple[str, ...] = ()
    locks: tuple[tuple[str, ...], ...] = ()
    centres_file: str | Path | None = None
    grantees_file: str | Path | None = None
    time_limit: float | None = None
    buffer: float = DEFAULT_BUFFER_M
    link_via_uninhabited: bool = True
    flexibility: bool = False
    tie_break: str | None = None

    def __post_init__(self) -> None:
        check_tie_break(self.tie_break)
        object.__setattr__(self, "kreise", _names(self.kreise))
        object.__setattr__(self, "exclude", _names(self.exclude))
        locks = parse_locks([self.locks]) if isinstance(self.locks, str) else tuple(
            _names(group) for group in self.locks)
        object.__setattr__(self, "locks", locks)
        object.__setattr__(self, "overrides", dict(self.overrides))
        unknown = [k for k in self.overrides if k not in RULE_FIELDS]
        if unknown:
            raise ArgumentError("overrides", _("unknown rule {rule!r}").format(
                                                 rule=unknown[0]),
                                fix=_("use one of {choices}; exclusions and locks have "
                                      "their own arguments").format(
                                    choices=", ".join(RULE_FIELDS)))
        if self.base is not None and (self.rules_file or self.scenario):
            raise ArgumentError("base", _("give either base rules or a rules file/scenario"),
                                fix=_("drop rules_file and scenario, or base"))
        check_time_limit(self.time_limit)

    # -------------------------------------------------------------- resolution

    def rules(self) -> KivRules:
        """The rules asked for, without exclusions and locks (those need names resolved).

        Rule errors show here, before any data is read.
        """
        if self.base is not None:
            return self.base.replace(**self.overrides)
        return load_rules(self.rules_file, self.scenario, **self.overrides)

    def resolved_rules(self, municipalities: pd.DataFrame) -> KivRules:
        """The complete rules of the run: exclusions and locks as AGS."""
        rules = self.rules()
        changes: dict[str, Any] = {}
        if self.exclude:
            changes["exclude"] = tuple(sorted(resolve_municipalities(
                self.exclude, municipalities, argument="exclude")))
        if self.locks:
            names = MunicipalityNames(municipalities)
            changes["lock"] = tuple(
                tuple(names.resolve(name, argument="locks", row=row) for name in group)
                for row, group in enumerate(self.locks, start=1))
        return rules.replace(**changes) if changes else rules

    def input_files(self) -> tuple[Path, ...]:
        """The files this request reads besides the official sources.

        The rules, centres and grantees files it names (the defaults are the curated tables
        of ``data/``, inputs of every run). Front ends pass them to
        :func:`wirgeo.exports.guard.check_outputs` before any work, so no output of the run
        overwrites them.
        """
        return tuple(Path(p) for p in (self.rules_file, self.centres_file,
                                       self.grantees_file) if p)

    def kreis_keys(self, municipalities: pd.DataFrame) -> tuple[str, ...]:
        """The 5-digit keys of :attr:`kreise` (empty = the whole state)."""
        return resolve_kreise(self.kreise, municipalities, argument="kreise")

    def programme_tables(self, municipalities: gpd.GeoDataFrame
                         ) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None]:
        """Centres and grantees: the files asked for, else the curated tables."""
        centres = load_centres(self.centres_file, municipalities=municipalities) \
            if self.centres_file else None
        grantees = load_grantees(self.grantees_file, municipalities=municipalities) \
            if self.grantees_file else None
        return programme_tables(municipalities, centres, grantees)

    # --------------------------------------------------------------------- run

    def preferences(self, municipalities: pd.DataFrame, rules: KivRules
                    ) -> tuple[Preference, ...]:
        """The engine's preferences of :attr:`tie_break` (none without one)."""
        if self.tie_break is None:
            return ()
        return (tie_break_preference(self.tie_break, municipalities, rules),)

    def run(self, municipalities: gpd.GeoDataFrame, *, adjacency: Adjacency | None = None,
            centres: gpd.GeoDataFrame | None = None,
            grantees: pd.DataFrame | None = None, cache: bool | None = None,
            prefer: Iterable[Preference] = ()) -> Planning:
        """Resolve the request against ``municipalities`` and compute the planning run.

        Parameters
        ----------
        municipalities : GeoDataFrame
            From :func:`wirgeo.load_municipalities`.
        adjacency : Adjacency, optional
            Precomputed contiguity, when several runs share it (the widgets).
        centres, grantees : optional
            Programme tables already loaded (they win over :attr:`centres_file` and
            :attr:`grantees_file`).
        cache : bool, optional
            Answer from the result cache and keep new answers there
            (:mod:`wirgeo.planning.cache`; default :data:`wirgeo.settings.settings`
            ``.cache``).
        prefer : iterable of Preference
            Preferences ranked before the request's :attr:`tie_break` (a new release
            keeps the old plan's Verbünde: :func:`~wirgeo.planning.tie_breaks.keep_plan`).
        """
        municipalities = check_municipalities(municipalities, columns=REQUIRED_COLUMNS)
        rules = self.resolved_rules(municipalities)
        kreise = self.kreis_keys(municipalities)
        if centres is None or grantees is None:
            loaded_centres, loaded_grantees = self.programme_tables(municipalities)
            centres = loaded_centres if centres is None else centres
            grantees = loaded_grantees if grantees is None else grantees
        run = build(municipalities, rules, centres=centres, grantees=grantees,
                    kreise=kreise if self.plan_within_kreise and kreise else None,
                    time_limit=self.time_limit, adjacency=adjacency, buffer=self.buffer,
                    link_via_uninhabited=self.link_via_uninhabited,
                    cache=cache, prefer=(*prefer, *self.preferences(municipalities, rules)))
        run = dataclasses.replace(run, request=self).view(kreise)
        if self.flexibility:
            run.flexibility()         # the tables then carry firm/flexible and alternatives
        return run
