"""The KIV rule set: documented defaults from ``data/kiv_rules.toml``, scenarios, overrides.

Rules the public texts state (the 10,000–50,000 band, Verbund members under 10,000,
2–3 members) and rules they leave open (combined population, adjacency, same Kreis,
partner size) are all values of one frozen, validated dataclass, :class:`KivRules`.
Nothing about the programme is a hidden constant elsewhere in the code.

Examples
--------
>>> rules = load_rules()
>>> rules.min_members, rules.max_members, rules.combined_min, rules.contiguity
(2, 3, 10000, 'connected')
>>> load_rules(scenario="band_10k_30k").single_max
30000
>>> load_rules(max_members=2).max_members
2
>>> load_rules(min_members=3, max_members=2)
Traceback (most recent call last):
...
wirgeo.errors.RulesError: geänderte Regeln, Spalte 'min_members': min_members (3) ist größer \
als max_members (2). Abhilfe: min_members <= max_members wählen.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict, overload

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _
from wirgeo.core.text import is_http_url
from wirgeo.errors import InputError, RulesError
from wirgeo.sources import read_toml

if TYPE_CHECKING:  # numpy is imported where arrays are classified: `wirgeo rules` needs none
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

__all__ = ["KivRules", "RuleSource", "load_rules", "rule_sources", "scenario_names",
           "check_time_limit", "CONTIGUITY_MODES", "STATUS_VALUES", "GroupBreak"]

#: A rule of size or population a group of members breaks (:meth:`KivRules.group_breaks`;
#: the first codes of :data:`wirgeo.consortia.checks.RULE_BREAKS`).
GroupBreak = Literal["too_few_members", "too_many_members", "member_too_large",
                     "population_below_min", "population_above_max"]

CONTIGUITY_MODES = ("connected", "mutual")
#: The largest population threshold a rule may name: above Germany's population
#: (about 84 million), so it already means "no limit" (and stays far from overflow).
MAX_THRESHOLD = 100_000_000
STATUS_VALUES = ("kreisfreie_stadt", "sonderstatusstadt", "kreisangehoerig", "gemeindefrei")


@dataclass(frozen=True)
class KivRules:
    """One complete KIV rule set. Validated on construction; use :meth:`replace` to vary.

    Attributes
    ----------
    name : str
        ``"default"`` or the scenario name (with ``+overrides`` when changed per run).
    single_min, single_max : int
        Population band of single applicants; ``single_min_inclusive`` and
        ``single_max_inclusive`` say whether the bounds belong to the band.
    member_below : int
        Every Verbund member has fewer inhabitants than this (one partner may be larger
        when ``allow_large_partner``).
    min_members, max_members : int
        Members of a Verbund, applicant included.
    combined_min, combined_max : int
        Combined population of a Verbund (inclusive bounds).
    contiguity : {"connected", "mutual"}
        ``connected``: the members form one contiguous area; ``mutual``: every pair borders.
    same_kreis : bool
        All members in one Kreis.
    allow_large_partner : bool
        One partner may have ``member_below`` or more inhabitants (up to ``single_max``).
    exclude_funded : bool
        Municipalities already funded are not planned again.
    excluded_status : tuple of str
        Status values that are never KIV applicants (kreisfreie Städte, Sonderstatusstädte).
    funding_ceiling_eur : tuple of (str, int)
        Maximum grant by round.
    duration_months : tuple of int
        Shortest and longest project duration.
    near_threshold_margin : float
        Share of a threshold (10,000 or 50,000 by default) within which a municipality
        counts as near it (:meth:`near_threshold`): its route may change with the next
        population release. A planning aid, not a programme rule.
    exclude : tuple of str
        AGS never to place in a Verbund (per run).
    lock : tuple of tuple of str
        Consortia fixed in advance (per run), each a tuple of AGS.
    """

    name: str = "default"
    single_min: int = 10_000
    single_max: int = 50_000
    single_min_inclusive: bool = True
    single_max_inclusive: bool = True
    member_below: int = 10_000
    min_members: int = 2
    max_members: int = 3
    combined_min: int = 10_000
    combined_max: int = 50_000
    contiguity: str = "connected"
    same_kreis: bool = False
    allow_large_partner: bool = False
    exclude_funded: bool = True
    excluded_status: tuple[str, ...] = ("kreisfreie_stadt", "sonderstatusstadt")
    funding_ceiling_eur: tuple[tuple[str, int], ...] = (("KIV I", 20_000), ("KIV II", 20_000),
                                                        ("later", 30_000))
    duration_months: tuple[int, int] = (12, 18)
    near_threshold_margin: float = 0.03
    exclude: tuple[str, ...] = ()
    lock: tuple[tuple[str, ...], ...] = ()
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        where = self.source or _("rules")
        self._check_types(where)
        self._check_bounds(where)
        self._check_lists(where)
        self._check_per_run(where)

    def _check_types(self, where: str) -> None:
        ints = ("single_min", "single_max", "member_below", "min_members", "max_members",
                "combined_min", "combined_max")
        bools = ("single_min_inclusive", "single_max_inclusive", "same_kreis",
                 "allow_large_partner", "exclude_funded")
        for name in ints:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise RulesError(where, _("{name} must be a whole number, got {value!r}")
                                 .format(name=name, value=value), column=name,
                                 fix=_("write e.g. {name} = 10000").format(name=name))
            if value < 0:
                raise RulesError(where, _("{name} is negative ({value})").format(
                                            name=name, value=value), column=name,
                                 fix=_("thresholds are 0 or more"))
            if value > MAX_THRESHOLD:
                raise RulesError(where, _("{name} is {value}, more than Germany's population")
                                 .format(name=name, value=value), column=name,
                                 fix=_("write at most {limit} (which already means 'no "
                                       "limit')").format(limit=MAX_THRESHOLD))
        for name in bools:
            if not isinstance(getattr(self, name), bool):
                raise RulesError(where, _("{name} must be true or false, got {value!r}")
                                 .format(name=name, value=getattr(self, name)), column=name)
        margin = self.near_threshold_margin
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not (
                0 <= margin < 1):
            raise RulesError(where, _("near_threshold_margin must be a share from 0 to below "
                                      "1, got {margin!r}").format(margin=margin),
                             column="near_threshold_margin",
                             fix=_("write e.g. near_threshold_margin = 0.03 (3 %)"))

    def _check_bounds(self, where: str) -> None:
        pairs = (("single_min", "single_max"), ("combined_min", "combined_max"),
                 ("min_members", "max_members"))
        for low, high in pairs:
            if getattr(self, low) > getattr(self, high):
                raise RulesError(where, _("{low} ({low_value}) is larger than {high} "
                                          "({high_value})").format(
                                            low=low, low_value=getattr(self, low), high=high,
                                            high_value=getattr(self, high)), column=low,
                                 fix=_("choose {low} <= {high}").format(low=low, high=high))
        if self.min_members < 2:
            raise RulesError(where, _("min_members is {min_members}; a Verbund has at least "
                                      "2 members").format(min_members=self.min_members),
                             column="min_members",
                             fix=_("use 2 (the applicant and one partner)"))
        if self.max_members > 6:
            raise RulesError(where, _("max_members {max_members} is beyond what wirgeo "
                                      "enumerates (at most 6)").format(
                                        max_members=self.max_members), column="max_members",
                             fix=_("the programme allows 3 (applicant plus two partners)"))
        if self.single_min_inclusive and self.member_below < self.single_min or (
                not self.single_min_inclusive and self.member_below <= self.single_min):
            # a population between the two would have no route at all (neither alone
            # nor in a Verbund), which no source describes
            raise RulesError(where, _("member_below ({member_below}) leaves a gap below "
                                      "single_min ({single_min}): municipalities in between "
                                      "could neither apply alone nor join a Verbund").format(
                                        member_below=self.member_below,
                                        single_min=self.single_min), column="member_below",
                             fix=_("set member_below to single_min (or higher)"))

    def _check_lists(self, where: str) -> None:
        if not isinstance(self.contiguity, str) or self.contiguity not in CONTIGUITY_MODES:
            raise RulesError(where, _("contiguity {contiguity!r} is unknown").format(
                                        contiguity=self.contiguity),
                             column="contiguity",
                             fix=_("use one of {choices}").format(
                                 choices=", ".join(CONTIGUITY_MODES)))
        if not isinstance(self.excluded_status, tuple) or not all(
                isinstance(s, str) for s in self.excluded_status):
            raise RulesError(where, _("excluded_status must be a list of status names, got "
                                      "{excluded_status!r}").format(
                                        excluded_status=self.excluded_status),
                             column="excluded_status",
                             fix=_('write e.g. ["kreisfreie_stadt", "sonderstatusstadt"]'))
        bad = [s for s in self.excluded_status if s not in STATUS_VALUES]
        if bad:
            raise RulesError(where, _("excluded_status {bad!r} is unknown").format(bad=bad[0]),
                             column="excluded_status",
                             fix=_("use values of {values}").format(
                                 values=", ".join(STATUS_VALUES)))
        if not (isinstance(self.funding_ceiling_eur, tuple) and all(
                isinstance(r, str) and isinstance(v, int) and not isinstance(v, bool)
                and v >= 0 for r, v in self.funding_ceiling_eur)):
            raise RulesError(where, _("funding_ceiling_eur must map each round to a whole "
                                      "number of euros, got {funding_ceiling_eur!r}").format(
                                        funding_ceiling_eur=self.funding_ceiling_eur),
                             column="funding_ceiling_eur",
                             fix=_('write e.g. {{ "KIV I" = 20000, "later" = 30000 }}'))
        if not (isinstance(self.duration_months, tuple) and len(self.duration_months) == 2
                and all(isinstance(m, int) and not isinstance(m, bool) and m > 0
                        for m in self.duration_months)) or (
                self.duration_months[0] > self.duration_months[1]):
            raise RulesError(where, _("duration_months {duration_months!r} must be "
                                      "[shortest, longest]").format(
                                        duration_months=self.duration_months),
                             column="duration_months")

    def _check_per_run(self, where: str) -> None:
        for ags in self.exclude:
            if not (isinstance(ags, str) and ags.isdigit() and len(ags) == 8):
                raise RulesError(where, _("exclude: {ags!r} is not an 8-digit AGS").format(
                                            ags=ags),
                                 column="exclude", fix=_("name municipalities by AGS"))
        for group in self.lock:
            if not (self.min_members <= len(group) <= max(self.max_members, len(group))):
                raise RulesError(where, _("lock: a locked consortium needs at least "
                                          "{min_members} members, got {group}").format(
                                            min_members=self.min_members, group=list(group)),
                                 column="lock")
            if len(set(group)) != len(group):
                raise RulesError(where, _("lock: {group} names a member twice").format(
                                            group=list(group)),
                                 column="lock")
        locked = [a for g in self.lock for a in g]
        if len(set(locked)) != len(locked):
            raise RulesError(where, _("lock: a municipality is in two locked consortia"),
                             column="lock", fix=_("lock disjoint consortia"))

    # -- classification: the one place that says who is small, in the band, excluded

    def in_single_band(self, population: int) -> bool:
        """Whether a population lies in the single-applicant band."""
        low = population >= self.single_min if self.single_min_inclusive else (
            population > self.single_min)
        high = population <= self.single_max if self.single_max_inclusive else (
            population < self.single_max)
        return bool(low and high)

    @overload
    def may_join(self, population: int) -> bool: ...

    @overload
    def may_join(self, population: NDArray[np.int64] | Sequence[int]) -> NDArray[np.bool_]: ...

    def may_join(self, population: int | NDArray[np.int64] | Sequence[int]
                 ) -> bool | NDArray[np.bool_]:
        """Whether a municipality is small enough to be an ordinary Verbund member.

        Takes one population (answers a bool) or an array of them (answers an array).
        """
        import numpy as np

        pop = np.asarray(population)
        joins = (pop > 0) & (pop < self.member_below)
        return bool(joins) if joins.ndim == 0 else joins

    def is_small(self, population: int) -> bool:
        """Whether a municipality needs a Verbund: a member that cannot apply alone."""
        return bool(self.may_join(population)) and not self.in_single_band(population)

    def classify(self, population: ArrayLike, status: ArrayLike) -> NDArray[np.object_]:
        """Return the KIV class of each municipality (:data:`wirgeo.vocabulary.ELIGIBILITY`).

        In this order: ``uninhabited`` (population 0), ``not_eligible_status`` (a status
        of ``excluded_status``), ``eligible_single`` (in the band), ``verbund_needed``
        (:meth:`is_small`), ``not_eligible_large`` (the rest: above the band).

        Examples
        --------
        >>> rules = KivRules()
        >>> rules.classify([0, 9_999, 10_000, 50_000, 50_001, 200_000],
        ...                ["gemeindefrei"] + ["kreisangehoerig"] * 4 + ["kreisfreie_stadt"]
        ...                ).tolist()
        ['uninhabited', 'verbund_needed', 'eligible_single', 'eligible_single', \
'not_eligible_large', 'not_eligible_status']
        """
        import numpy as np

        pop = np.asarray(population, dtype=np.int64)
        state = np.asarray(status, dtype=object)
        low = pop >= self.single_min if self.single_min_inclusive else pop > self.single_min
        high = pop <= self.single_max if self.single_max_inclusive else pop < self.single_max
        conditions = [pop <= 0, np.isin(state, list(self.excluded_status)), low & high,
                      pop < self.member_below]
        classes = ["uninhabited", "not_eligible_status", "eligible_single", "verbund_needed"]
        classified: NDArray[np.object_] = np.select(
            conditions, classes, default="not_eligible_large").astype(object)
        return classified

    def near_threshold(self, population: ArrayLike) -> NDArray[np.object_]:
        """Whether each population lies just below or above a threshold, within the margin.

        The thresholds are ``member_below`` and ``single_min`` (10,000: a Verbund or
        alone) and ``single_max`` (50,000: the top of the band). For a threshold ``t`` and
        margin ``m``, a population from ``t - m·t`` up to below ``t`` is ``"below_<t>"``
        ("knapp unter"), one from ``t`` to ``t + m·t`` is ``"above_<t>"``; the nearest
        threshold wins, uninhabited units and all others get ``""``.

        Examples
        --------
        >>> KivRules().near_threshold([9_700, 9_699, 10_000, 10_300, 10_301, 48_500,
        ...                            51_500, 0]).tolist()
        ['below_10000', '', 'above_10000', 'above_10000', '', 'below_50000', \
'above_50000', '']
        """
        import numpy as np

        pop = np.asarray(population, dtype=np.float64)
        codes = np.full(pop.shape, "", dtype=object)
        nearest = np.full(pop.shape, np.inf)
        for limit in sorted({self.member_below, self.single_min, self.single_max}):
            reach = limit * self.near_threshold_margin
            below = (pop < limit) & (pop >= limit - reach)
            above = (pop >= limit) & (pop <= limit + reach)
            distance = np.abs(pop - limit)
            closer = (below | above) & (pop > 0) & (distance < nearest)
            codes[closer & below] = f"below_{limit}"
            codes[closer & above] = f"above_{limit}"
            nearest = np.where(closer, distance, nearest)
        return codes

    # -- feasibility: the one place that says what a group of members must meet
    # (enumeration builds the candidate groups with these, checks and reasons explain
    # with them; contiguity and the Kreis rule need the map: consortia.checks)

    def members_fit(self, count: int) -> bool:
        """Whether ``count`` members are as many as a Verbund may have."""
        return self.min_members <= count <= self.max_members

    def room_for_member(self, count: int) -> bool:
        """Whether a group of ``count`` members may take one more."""
        return count < self.max_members

    def population_fits(self, total: float) -> bool:
        """Whether a combined population lies within the bounds of a Verbund."""
        return self.combined_min <= total <= self.combined_max

    def population_within_max(self, total: float) -> bool:
        """Whether a combined population is not above the maximum (a group may still grow)."""
        return total <= self.combined_max

    @property
    def max_large_members(self) -> int:
        """How many members may have ``member_below`` inhabitants or more (0 or 1)."""
        return 1 if self.allow_large_partner else 0

    def group_breaks(self, populations: Sequence[int]) -> dict[GroupBreak, tuple[int, ...]]:
        """The rules of size and population a group breaks: code → the members concerned.

        ``populations`` are the members' inhabitants; the members a code is about are
        positions in it (``()`` for a rule of the whole group). Empty when the group meets
        them all. Contiguity and the Kreis rule need the map (:mod:`wirgeo.consortia.checks`).

        Examples
        --------
        >>> rules = KivRules()
        >>> rules.group_breaks([4_000, 7_000]), rules.group_feasible([4_000, 7_000])
        ({}, True)
        >>> rules.group_breaks([3_000, 12_000, 2_000])
        {'member_too_large': (1,)}
        >>> rules.group_breaks([3_000])
        {'too_few_members': (), 'population_below_min': ()}
        """
        found: dict[GroupBreak, tuple[int, ...]] = {}
        if len(populations) < self.min_members:
            found["too_few_members"] = ()
        if len(populations) > self.max_members:
            found["too_many_members"] = ()
        large = tuple(k for k, pop in enumerate(populations) if not self.may_join(int(pop)))
        if len(large) > self.max_large_members:
            found["member_too_large"] = large
        total = sum(int(pop) for pop in populations)
        if total < self.combined_min:
            found["population_below_min"] = ()
        if not self.population_within_max(total):
            found["population_above_max"] = ()
        return found

    def group_feasible(self, populations: Sequence[int]) -> bool:
        """Whether a group with these members' inhabitants meets the size and population rules."""
        return not self.group_breaks(populations)

    def replace(self, **changes: object) -> KivRules:
        """Return a copy with some values changed (validated again)."""
        if not changes:
            return self
        unknown = [k for k in changes if k not in _FIELDS]
        if unknown:
            raise RulesError(self.source or _("rules"), _("unknown rule {rule!r}").format(
                                                            rule=unknown[0]),
                             column=unknown[0], fix=_("use one of {choices}").format(
                                                        choices=", ".join(_FIELDS)))
        # the values are whatever a file or a person wrote: __post_init__ checks each type
        values: dict[str, Any] = {k: _coerce(k, v) for k, v in changes.items()}
        name = self.name
        # only a rule that really changes makes the rule set "+overrides"
        if not name.endswith("+overrides") and any(
                k not in ("exclude", "lock") and getattr(self, k) != v
                for k, v in values.items()):
            name = f"{name}+overrides"
        try:
            return dataclasses.replace(self, name=name, **values)
        except RulesError as exc:
            # the problem is in the overrides, not in the file they were applied to
            raise RulesError(_("rule overrides"), exc.problem, column=exc.column,
                             fix=exc.fix) from None


_FIELDS = tuple(f.name for f in dataclasses.fields(KivRules) if f.name not in ("name",
                                                                                "source"))


class RuleChanges(TypedDict, total=False):
    """Single rules changed by name (``load_rules(max_members=2)``).

    The fields of :class:`KivRules`, for the functions that take them as keyword
    arguments (``tests/test_rules.py`` keeps the two in step).
    """

    name: str
    single_min: int
    single_max: int
    single_min_inclusive: bool
    single_max_inclusive: bool
    member_below: int
    min_members: int
    max_members: int
    combined_min: int
    combined_max: int
    contiguity: str
    same_kreis: bool
    allow_large_partner: bool
    exclude_funded: bool
    excluded_status: tuple[str, ...]
    funding_ceiling_eur: tuple[tuple[str, int], ...]
    duration_months: tuple[int, int]
    near_threshold_margin: float
    exclude: tuple[str, ...]
    lock: tuple[tuple[str, ...], ...]


def _coerce(name: str, value: Any) -> Any:
    """TOML/CLI values into the dataclass's types (lists become tuples)."""
    if name == "funding_ceiling_eur" and isinstance(value, dict):
        return tuple((str(k), v) for k, v in value.items())
    if name == "lock" and isinstance(value, (list, tuple)):
        return tuple(tuple(str(a) for a in g) for g in value)
    if name in ("exclude", "excluded_status", "duration_months") and isinstance(
            value, (list, tuple)):
        return tuple(value)
    if name == "funding_ceiling_eur" and isinstance(value, (list, tuple)):
        return tuple(tuple(pair) if isinstance(pair, (list, tuple)) else pair
                     for pair in value)
    return value


@dataclass(frozen=True)
class RuleSource:
    """Where one rule comes from: value, verbatim quote, URL, assumption flag, note."""

    rule: str
    value: object
    quote: str
    source_url: str
    assumption: bool
    note: str = ""


def _line_of_array(text: str, table: str) -> int | None:
    """Line of the first ``[[table]]`` (or ``table =``) in a TOML text."""
    pattern = re.compile(rf"\s*(\[\[\s*{re.escape(table)}\s*\]\]|{re.escape(table)}\s*=)")
    return next((i for i, line in enumerate(text.splitlines(), start=1)
                 if pattern.match(line)), None)


def _line_of(text: str, table: str, key: str | None = None) -> int | None:
    """Line number of ``[table]`` (or of ``key`` inside it) in a TOML text."""
    lines = text.splitlines()
    start = None
    for i, line in enumerate(lines):
        if re.match(rf"\s*\[{re.escape(table)}\]\s*(#.*)?$", line):
            start = i
            if key is None:
                return i + 1
            continue
        if start is not None:
            if re.match(r"\s*\[", line):
                break
            if key is not None and re.match(rf"\s*{re.escape(key)}\s*=", line):
                return i + 1
    return None if start is None else start + 1


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        data, text = read_toml(path)
    except OSError as exc:
        raise RulesError(path, _("cannot read the rules file ({strerror})").format(
                                   strerror=exc.strerror),
                         fix=_("give the path of a KIV rules TOML, e.g. data/kiv_rules.toml")
                         ) from exc
    except InputError as exc:  # encoding, syntax, nesting: said as a rules error
        raise RulesError(path, exc.problem, row=exc.row, fix=exc.fix) from None
    for table in ("rules", "scenarios"):
        if table in data and not isinstance(data[table], dict):
            # [[rules]] (an array of tables) instead of [rules.<name>]
            raise RulesError(path, _("{table!r} must hold named tables ([{table}.<name>]), "
                                     "not a {kind}").format(table=table,
                                                            kind=type(data[table]).__name__),
                             row=_line_of_array(text, table), column=table,
                             fix=_("write [{table}.<name>] tables, as in data/kiv_rules.toml")
                             .format(table=table))
    if not data.get("rules"):
        # an empty file must not silently mean "the built-in defaults"
        raise RulesError(path, _("defines no rules (no [rules.<name>] table)"), row=1,
                         fix=_("start from data/kiv_rules.toml and change the values you need"))
    return data, text


_RULE_KEYS = {"value", "inclusive", "quote", "source_url", "assumption", "note"}
_SCENARIO_KEYS = {"description", "source_url"}


def _parse(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[RuleSource],
                                str]:
    data, text = _read(path)
    unknown_top = set(data) - {"rules", "scenarios"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        row = next((i for i, line in enumerate(text.splitlines(), start=1)
                    if re.match(rf"\s*\[{re.escape(key)}[.\]]", line)), None)
        raise RulesError(path, _("unknown table [{key}]").format(key=key), row=row,
                         column=key,
                         fix=_("use [rules.<name>] and [scenarios.<name>] tables"))
    values: dict[str, Any] = {}
    sources: list[RuleSource] = []
    for rule, table in data.get("rules", {}).items():
        _check_rule_table(path, text, rule, table)
        values[rule] = _coerce(rule, table["value"])
        if "inclusive" in table:
            values[f"{rule}_inclusive"] = table["inclusive"]
        sources.append(RuleSource(rule, table["value"], table["quote"], table["source_url"],
                                  table.get("assumption", False), str(table.get("note", ""))))
    scenarios = {name: _scenario(path, text, name, table)
                 for name, table in data.get("scenarios", {}).items()}
    return values, scenarios, sources, text


def _check_rule_table(path: Path, text: str, rule: str, table: Any) -> None:
    """One ``[rules.<name>]`` table: a known rule with value, quote, URL, assumption flag."""
    row = _line_of(text, f"rules.{rule}")
    if rule not in _FIELDS or rule in ("exclude", "lock"):
        file_rules = [f for f in _FIELDS if f not in ("exclude", "lock")]
        raise RulesError(path, _("unknown rule {rule!r}").format(rule=rule), row=row,
                         column=rule, fix=_("use one of {choices}").format(
                                          choices=", ".join(file_rules)))
    if not isinstance(table, dict) or "value" not in table:
        raise RulesError(path, _("rule {rule!r} has no value").format(rule=rule),
                         row=row, column="value",
                         fix=_("write [rules.{rule}] with value = ...").format(rule=rule))
    extra = set(table) - _RULE_KEYS
    if extra:
        key = sorted(extra)[0]
        raise RulesError(path, _("unknown key {key!r} in rule {rule!r}").format(
                                   key=key, rule=rule),
                         row=_line_of(text, f"rules.{rule}", key), column=key,
                         fix=_("use only {keys}").format(keys=", ".join(sorted(_RULE_KEYS))))
    for required in ("quote", "source_url"):
        if not isinstance(table.get(required), str) or not table[required].strip():
            raise RulesError(path, _("rule {rule!r} has no {required}").format(
                                       rule=rule, required=required), row=row,
                             column=required,
                             fix=_("every rule names the public text it rests on"))
    if not is_http_url(table["source_url"]):
        raise RulesError(path, _("rule {rule!r}: {url!r} is not a URL").format(
                                   rule=rule, url=table["source_url"]),
                         row=_line_of(text, f"rules.{rule}", "source_url"),
                         column="source_url", fix=_("give a full http(s) URL"))
    if not isinstance(table.get("assumption", False), bool):
        raise RulesError(path, _("rule {rule!r}: assumption must be true or false, got "
                                 "{value!r}").format(rule=rule, value=table["assumption"]),
                         row=_line_of(text, f"rules.{rule}", "assumption"),
                         column="assumption", fix=_("write assumption = true or false"))
    if "inclusive" in table and rule not in ("single_min", "single_max"):
        raise RulesError(path, _("'inclusive' only applies to single_min/single_max, not "
                                 "{rule!r}").format(rule=rule),
                         row=_line_of(text, f"rules.{rule}", "inclusive"),
                         column="inclusive")


def _scenario(path: Path, text: str, name: str, table: Any) -> dict[str, Any]:
    """One ``[scenarios.<name>]`` table: its overrides of known rules."""
    row = _line_of(text, f"scenarios.{name}")
    if not isinstance(table, dict):
        raise RulesError(path, _("scenario {name!r} is not a table").format(name=name),
                         row=row, column=name)
    overrides = {k: v for k, v in table.items() if k not in _SCENARIO_KEYS}
    for key in overrides:
        if key not in _FIELDS:
            raise RulesError(path, _("unknown rule {key!r} in scenario {name!r}").format(
                                       key=key, name=name),
                             row=_line_of(text, f"scenarios.{name}", key), column=key,
                             fix=_("use one of {choices}").format(choices=", ".join(_FIELDS)))
    return {"name": name, "overrides": overrides,
            "description": str(table.get("description", "")), "row": row}


def _default_path() -> Path:
    return _paths.data_dir() / "kiv_rules.toml"


# values whose consistency is checked together (see KivRules.__post_init__)
_PARTNERS = {"single_min": ("single_max", "member_below", "single_min_inclusive"),
             "combined_min": ("combined_max",), "min_members": ("max_members",),
             "member_below": ("single_min", "single_min_inclusive")}


def _locate(text: str, column: str | None, scenario: dict[str, Any] | None) -> int | None:
    """Line of the value a validation error is about: in the scenario when it sets it."""
    if not column:
        return None
    if scenario is not None:
        # a contradiction between two values is shown where the scenario changed one
        for key in (column, *_PARTNERS.get(column, ())):
            if key in scenario["overrides"]:
                return _line_of(text, f"scenarios.{scenario['name']}", key)
    table, key = column, "value"
    if column.endswith("_inclusive"):
        table, key = column[: -len("_inclusive")], "inclusive"
    return _line_of(text, f"rules.{table}", key)


def _build(path: Path, text: str, values: dict[str, Any],
           scenarios: dict[str, dict[str, Any]],
           name: str) -> KivRules:
    merged = dict(values)
    scenario = scenarios.get(name)
    if scenario is not None:
        merged.update({k: _coerce(k, v) for k, v in scenario["overrides"].items()})
    try:
        return KivRules(name=name, source=str(path), **merged)
    except RulesError as exc:
        raise RulesError(path, exc.problem, row=_locate(text, exc.column, scenario),
                         column=exc.column, fix=exc.fix) from None


def load_rules(path: str | Path | None = None, scenario: str | None = None,
               **overrides: object) -> KivRules:
    """Build the rules from a TOML file, a named scenario and per-run overrides.

    Every scenario in the file is checked on each load, so a broken scenario is reported
    at once and not only on the day somebody chooses it.

    Parameters
    ----------
    path : str or Path, optional
        Rules file; default ``data/kiv_rules.toml``.
    scenario : str, optional
        Name of a ``[scenarios.<name>]`` table whose values replace the defaults.
    **overrides
        Single values, e.g. ``max_members=2``, ``same_kreis=True``, ``exclude=("06...",)``.

    Raises
    ------
    RulesError
        Unknown keys, wrong types, contradictory bounds — naming file, line and field.

    Examples
    --------
    >>> load_rules(scenario="same_kreis").same_kreis
    True
    """
    path = Path(path) if path else _default_path()
    values, scenarios, _lines, text = _parse(path)
    rules = _build(path, text, values, scenarios, "default")
    for other in scenarios:
        built = _build(path, text, values, scenarios, other)
        if other == scenario:
            rules = built
    if scenario and scenario not in scenarios:
        raise RulesError(path, _("no scenario {scenario!r}").format(scenario=scenario),
                         column="scenario",
                         fix=_("use one of {choices}").format(
                             choices=", ".join(scenarios) or _("(none defined)")))
    return rules.replace(**overrides) if overrides else rules


def rule_sources(path: str | Path | None = None) -> list[RuleSource]:
    """Every rule with its quote, URL and assumption flag (for docs, legends, Excel)."""
    return _parse(Path(path) if path else _default_path())[2]


def scenario_names(path: str | Path | None = None) -> dict[str, str]:
    """Scenario name → description."""
    scenarios = _parse(Path(path) if path else _default_path())[1]
    return {k: v["description"] for k, v in scenarios.items()}


def check_time_limit(time_limit: object) -> float | None:
    """``time_limit`` (seconds for the solver) as given, or an error: the one check of it.

    :func:`wirgeo.consortia.plan`, :func:`wirgeo.consortia.plan_flexibility` and
    :class:`wirgeo.planning.PlanningRequest` all take it and all check it here.

    Examples
    --------
    >>> check_time_limit(60), check_time_limit(None)
    (60, None)
    >>> check_time_limit(0)
    Traceback (most recent call last):
    ...
    wirgeo.errors.ArgumentError: Argument 'time_limit': muss eine positive Zahl von Sekunden \
sein, ist aber 0. Abhilfe: Sekunden angeben, z. B. 60.
    """
    import math

    from wirgeo.errors import ArgumentError

    if time_limit is None:
        return None
    if (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
            or not math.isfinite(time_limit) or time_limit <= 0):
        raise ArgumentError("time_limit", _("must be a positive number of seconds, got "
                                            "{time_limit!r}").format(time_limit=time_limit),
                            fix=_("give seconds, e.g. 60"))
    return time_limit
