"""A planner's own plan, against the data and the rules: check it, complete it, compare it.

The plan document (:class:`~wirgeo.sources.negotiation.Negotiation`) says where the talks
stand. This module answers what planners ask of it:

* :func:`check_negotiation` — is every Verbund of the document valid under the rules, and
  which rules does each break (codes of :data:`wirgeo.consortia.checks.RULE_BREAKS`)?
* :func:`complete_negotiation` — the best plan around the decisions: ``agreed``,
  ``applied`` and ``funded`` Verbünde kept exactly, ``rejected`` groups never proposed
  again, ``declined`` Gemeinden left out, the rest filled with the proven-optimal
  completion; and what the decisions cost against the unconstrained optimum, together and
  each one alone (:func:`wirgeo.consortia.decisions.decision_costs`);
* :func:`compare_negotiations` — which Gemeinden two documents place differently, and
  which Verbünde were added, removed or changed;
* :func:`check_release` — which Verbünde of a kept document break under a new population
  release;
* :func:`new_negotiation` — the optimal plan of a run as a document to start from.

Everything is measured with the engine's own checks and solver: a Verbund is valid exactly
when :func:`~wirgeo.consortia.checks.rule_breaks` finds nothing, the same test the
engine's locked Verbünde pass. The answers are codes and figures; sentences are made where
people read them (:mod:`wirgeo.exports.negotiation`, the command line).

:class:`NegotiationBasis` holds what every answer needs — the data, the rules, who is
funded, the contiguity — prepared once, so a front end that asks on every click (the
planner) pays only for the question.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.sources import Negotiation
>>> document = Negotiation.from_rows([
...     {"verbund": "Nord", "ags": "06535003", "status": "agreed"},     # Feldatal
...     {"verbund": "Nord", "ags": "06535013", "status": "agreed"},     # Mücke
...     {"verbund": "Süd", "ags": "06535001", "status": "in_talks"},    # Alsfeld
...     {"verbund": "Süd", "ags": "06535002", "status": "in_talks"},    # Antrifttal
...     {"verbund": "", "ags": "06535014", "status": "declined"}])      # Romrod
>>> basis = NegotiationBasis.of(load_municipalities())
>>> check = basis.check(document)
>>> check.verbuende[["verbund", "valid", "rules_failed"]].to_dict("records")
[{'verbund': 'Nord', 'valid': True, 'rules_failed': ()}, \
{'verbund': 'Süd', 'valid': False, 'rules_failed': ('member_too_large',)}]
>>> done = basis.complete(document)
>>> done.covered, done.covered_free
(227, 228)
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.adjacency import Adjacency, contiguity
from wirgeo.consortia import Plan, plan
from wirgeo.consortia.checks import rule_breaks
from wirgeo.consortia.decisions import decision_costs
from wirgeo.consortia.instance import Instance, prepare
from wirgeo.consortia.preference import Preference, prefer_groups
from wirgeo.core.i18n import _, ngettext
from wirgeo.core.lists import list_text
from wirgeo.core.text import closest, name_key
from wirgeo.errors import ArgumentError, InputError
from wirgeo.planning.request import PlanningRequest
from wirgeo.planning.run import Planning
from wirgeo.programme import funded_ags
from wirgeo.rules import KivRules
from wirgeo.sources.negotiation import DECLINED, KEPT, OPEN, STATUSES, Negotiation
from wirgeo.vocabulary import PLAN_STATUS

__all__ = ["NegotiationBasis", "NegotiationCheck", "Completion", "NegotiationComparison",
           "check_negotiation", "complete_negotiation", "compare_negotiations",
           "check_release", "release_changes", "release_breaks", "new_negotiation",
           "keep_open",
           "CHECK_COLUMNS",
           "GEMEINDE_CHANGES",
           "VERBUND_CHANGES"]

#: Columns of :attr:`NegotiationCheck.verbuende`.
CHECK_COLUMNS = ("verbund", "status", "valid", "rules_failed", "member_ags", "member_names",
                 "n_members", "population", "n_small", "kreis_names", "row")

#: How a Gemeinde's place differs between two documents (column ``change``).
GEMEINDE_CHANGES = ("joined", "left", "regrouped", "declined", "returned")
#: How a Verbund differs between two documents (column ``change``).
VERBUND_CHANGES = ("kept", "status", "changed", "added", "removed")


# ------------------------------------------------------------------- the results


@dataclass
class NegotiationCheck:
    """Every Verbund of a document checked against the rules.

    Attributes
    ----------
    document : Negotiation
    verbuende : DataFrame
        One row per Verbund (rejected ones too), in the document's order:
        :data:`CHECK_COLUMNS` — ``valid`` when it breaks no rule, ``rules_failed`` the
        codes it breaks (a tuple, :data:`~wirgeo.consortia.checks.RULE_BREAKS`),
        ``member_ags``/``member_names`` tuples of str, ``population`` combined, ``n_small``
        its members that need a Verbund, ``row`` its first row in the file.
    breaks : DataFrame
        One row per rule broken and member concerned: ``verbund``, ``rule``, ``ags``,
        ``name`` and ``population`` ("" and 0 for a rule of the whole Verbund).
    rules : KivRules
        The rules checked against (``combined_min`` … give a sentence its figures).
    placed, small : int
        Small Gemeinden in a valid Verbund that is not rejected, and the small Gemeinden
        that could be placed at all (not declined, not already funded) — in the Kreise
        of the view, when there is one.
    population_date : str
        Date of the population figures checked against.
    view : tuple of str
        Names of the Kreise the counts are about (empty: the whole state).
    eligibility : dict of str to str
        AGS → eligibility code (:data:`wirgeo.vocabulary.ELIGIBILITY`) under the rules
        checked against (what a map draws beneath the Verbünde).
    """

    document: Negotiation
    verbuende: pd.DataFrame
    breaks: pd.DataFrame
    rules: KivRules
    placed: int
    small: int
    population_date: str = ""
    view: tuple[str, ...] = ()
    eligibility: dict[str, str] = field(default_factory=dict)

    @property
    def invalid(self) -> pd.DataFrame:
        """The Verbünde (not rejected) that break a rule."""
        table = self.verbuende
        return table[~table["valid"] & (table["status"] != "rejected")].reset_index(drop=True)


@dataclass
class Completion:
    """The optimal completion of a document, and what its decisions cost.

    Attributes
    ----------
    document : Negotiation
        The completed document: the input's kept, rejected and declined rows as they
        were; the open Verbünde (``proposed``, ``in_talks``) the completion keeps; and the
        completion's other Verbünde as ``proposed``, labelled by their stable id.
    plan : Plan
        The completion as the engine's plan (reasons for every Gemeinde included).
    covered : int
        Small Gemeinden placed under the decisions (``plan.n_covered``).
    covered_free : int or None
        Small Gemeinden the best plan without any decision places (None when the costs
        were not asked for).
    costs : DataFrame
        One row per decision: ``decision`` (``kept``, ``rejected``, ``declined`` or
        ``excluded``), ``verbund`` (its label, "" for a Gemeinde), ``status``,
        ``member_ags`` and ``member_names`` (tuples of str), ``valid``,
        ``covered_without`` (small Gemeinden placed when only this decision is lifted,
        all others kept) and ``cost`` (``covered_without - covered``). Costs of single
        decisions need not add up to the total: two decisions may cost the same Verbund.
    dropped : DataFrame
        The input's open Verbünde the completion does not keep (as
        :attr:`NegotiationCheck.verbuende`).
    check : NegotiationCheck
        The completed document checked.
    """

    document: Negotiation
    plan: Plan
    covered: int
    covered_free: int | None
    costs: pd.DataFrame
    dropped: pd.DataFrame
    check: NegotiationCheck

    @property
    def cost(self) -> int | None:
        """Small Gemeinden the decisions together cost against the unconstrained optimum.

        None when the costs were not asked for.
        """
        return None if self.covered_free is None else self.covered_free - self.covered


@dataclass
class NegotiationComparison:
    """Two documents side by side (:func:`compare_negotiations`).

    Attributes
    ----------
    a, b : NegotiationCheck
        Each document checked against the same data and rules.
    gemeinden : DataFrame
        One row per Gemeinde whose Verbund differs: ``ags``, ``name``, ``verbund_a``,
        ``verbund_b`` (labels, "" for none), ``status_a``, ``status_b`` ("" for none,
        ``declined``) and ``change`` (:data:`GEMEINDE_CHANGES`), sorted by AGS.
    verbuende : DataFrame
        One row per Verbund of either document that is not the same in both, and per
        Verbund kept: ``change`` (:data:`VERBUND_CHANGES`), ``verbund_a``, ``verbund_b``
        (``" | "``-joined where one Verbund meets several), ``status_a``, ``status_b``
        (the same), ``member_names_a``, ``member_names_b``, ``member_ags_a``,
        ``member_ags_b`` (a tuple of groups, one tuple of str per Verbund; files write
        them ``"A;B | C"``, :mod:`wirgeo.core.lists`).
    """

    a: NegotiationCheck
    b: NegotiationCheck
    gemeinden: pd.DataFrame
    verbuende: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        """Both documents' figures: placed and small Gemeinden, Verbünde, invalid ones."""
        rows = {}
        for side, check in (("a", self.a), ("b", self.b)):
            active = check.verbuende[check.verbuende["status"] != "rejected"]
            rows[side] = {"placed": check.placed, "small": check.small,
                          "verbuende": len(active), "invalid": len(check.invalid),
                          "rejected": int((check.verbuende["status"] == "rejected").sum()),
                          "declined": len(check.document.declined())}
        return pd.DataFrame(rows)


# --------------------------------------------------------------------- the basis


@dataclass
class NegotiationBasis:
    """What documents are checked and completed against, prepared once.

    Build it with :meth:`of`. Its methods are the module's functions on one basis.

    Attributes
    ----------
    municipalities : GeoDataFrame
        From :func:`wirgeo.load_municipalities`.
    rules : KivRules
        The rules (with the request's exclusions; the document holds the locks).
    funded : frozenset of str
        AGS already funded (the programme's grantees).
    adjacency : Adjacency
        Contiguity of ``municipalities``.
    kreise : tuple of str
        Kreis keys of the view (empty = the whole state): a completed document holds the
        Verbünde with a member there.
    within_kreise : bool
        Complete only among the municipalities of ``kreise``.
    time_limit : float, optional
        Seconds for the solver of a completion.
    request : PlanningRequest, optional
        What the basis was asked for (the run record of a workbook names it).
    """

    municipalities: gpd.GeoDataFrame
    rules: KivRules
    funded: frozenset[str]
    adjacency: Adjacency
    kreise: tuple[str, ...] = ()
    within_kreise: bool = False
    time_limit: float | None = None
    request: PlanningRequest | None = None
    _names: dict[str, str] = field(init=False, repr=False)
    _population: dict[str, int] = field(init=False, repr=False)
    _kreis: dict[str, str] = field(init=False, repr=False)
    _instances: dict[frozenset[str], Instance] = field(init=False, repr=False,
                                                       default_factory=dict)

    @classmethod
    def of(cls, municipalities: gpd.GeoDataFrame, request: PlanningRequest | None = None, *,
           adjacency: Adjacency | None = None, grantees: pd.DataFrame | None = None
           ) -> NegotiationBasis:
        """The basis of ``request`` (default rules) on ``municipalities``.

        Parameters
        ----------
        municipalities : GeoDataFrame
        request : PlanningRequest, optional
            Rules, scenario, overrides, Kreise, exclusions, time limit. Its ``locks``
            must be empty: agreed Verbünde are the document's.
        adjacency : Adjacency, optional
            Precomputed contiguity.
        grantees : DataFrame, optional
            The grantee table already loaded (default: the request's or the curated one).

        Raises
        ------
        ArgumentError
            ``locks`` in the request, or what the request itself refuses.
        """
        request = request or PlanningRequest()
        if request.locks:
            raise ArgumentError("locks", _("a plan document holds its agreed Verbünde "
                                           "itself"),
                                fix=_("mark them agreed in the document instead"))
        rules = request.resolved_rules(municipalities)
        if grantees is None:
            grantees = request.programme_tables(municipalities)[1]
        if adjacency is None:
            adjacency = contiguity(municipalities, buffer=request.buffer,
                                   link_via_uninhabited=request.link_via_uninhabited)
        kreise = request.kreis_keys(municipalities)
        funded = frozenset(funded_ags(grantees)) if grantees is not None else frozenset()
        return cls(municipalities, rules, funded, adjacency, kreise,
                   request.plan_within_kreise and bool(kreise), request.time_limit, request)

    def __post_init__(self) -> None:
        # look-ups by AGS, once: a front end asks on every click
        ags = self.municipalities["ags"].tolist()
        self._names = dict(zip(ags, self.municipalities["name"].tolist(), strict=True))
        self._population = dict(zip(ags, self.municipalities["population"].tolist(),
                                    strict=True))
        self._kreis = dict(zip(ags, self.municipalities["kreis_ags"].tolist(), strict=True))

    # ------------------------------------------------------------ the document

    def _known(self, document: Negotiation) -> None:
        """Every AGS is in the data, and a name given is the name of that AGS."""
        names = self._names
        rows = document.rows
        for r in (_Known(*t) for t in zip(*(rows[c].tolist() for c in _Known._fields),
                                          strict=True)):
            if r.ags not in names:
                close = closest(r.ags, list(names))
                raise InputError(document.source or None, _(
                    "AGS {ags} is not a Gemeinde of the data").format(ags=r.ags),
                    row=r.row or None, column="ags",
                    fix=_("closest AGS: {choices}").format(choices=", ".join(
                        f"{a} {names[a]}" for a in close)) if close else
                    _("give the 8-digit AGS of a Gemeinde"))
            if r.name and not _same_name(r.name, names[r.ags]):
                raise InputError(document.source or None, _(
                    "AGS {ags} is {official}, not {name!r}").format(
                    ags=r.ags, official=names[r.ags], name=r.name), row=r.row or None,
                    column="name", fix=_("correct the AGS or the name (or leave the name "
                                         "empty)"))

    def _funded(self, document: Negotiation) -> frozenset[str]:
        """Who counts as already funded, for this document.

        A ``funded`` Verbund of the document is that funding, so its members are not
        "already funded" against it.
        """
        own = {a for group in document.groups("funded") for a in group}
        return self.funded - own

    def instance(self, document: Negotiation) -> Instance:
        """The engine's instance for ``document``: the whole state, no locks.

        The document's Gemeinden are checked against the data first.
        """
        self._known(document)
        funded = self._funded(document)
        cached = self._instances.get(funded)
        if cached is None:  # the same on every click of the planner: prepared once
            cached = prepare(self.municipalities, self.rules, funded=funded,
                             adjacency=self.adjacency)
            self._instances = {funded: cached}
        return cached

    # ------------------------------------------------------------------- check

    def check(self, document: Negotiation) -> NegotiationCheck:
        """Every Verbund of ``document`` valid or not (see :func:`check_negotiation`)."""
        inst = self.instance(document)
        # the columns once, as arrays: pandas' per-cell access costs more than the check
        columns = {c: inst.frame[c].to_numpy() for c in ("name", "kreis_ags", "kreis_name")}
        names = columns["name"]
        rows, breaks = [], []
        table = document.verbuende()
        for v in (_Verbund(*t) for t in zip(*(table[c].tolist() for c in _Verbund._fields),
                                            strict=True)):
            group = tuple(sorted(inst.position[a] for a in v.member_ags))
            found = rule_breaks(inst, group)
            rows.append(_check_row(inst, columns, v, group, found))
            breaks += [{"verbund": v.verbund, "rule": code,
                        "ags": str(inst.ags[i]) if who else "",
                        "name": str(names[i]) if who else "",
                        "population": int(inst.pop[i]) if who else 0}
                       for code, who in found.items() for i in (who or (-1,))]
        table = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
        placed, small = _placed(inst, table, document, self.kreise)
        return NegotiationCheck(document, table, pd.DataFrame(
            breaks, columns=["verbund", "rule", "ags", "name", "population"]), self.rules,
            placed, small, str(self.municipalities.attrs.get("population_date", "")),
            self.kreis_names(), dict(zip(inst.ags.tolist(), inst.eligibility.tolist(),
                                         strict=True)))

    def kreis_names(self) -> tuple[str, ...]:
        """Names of the Kreise of the view, in key order (empty for the whole state)."""
        if not self.kreise:
            return ()
        names = dict(zip(self.municipalities["kreis_ags"], self.municipalities["kreis_name"],
                         strict=True))
        return tuple(str(names[k]) for k in self.kreise)

    # ---------------------------------------------------------------- complete

    def _decisions(self, document: Negotiation) -> tuple[KivRules, list[tuple[str, ...]]]:
        """The rules with the kept Verbünde locked and the declined excluded; the refusals.

        Raises InputError naming the row where the engine could not keep a Verbund.
        """
        kept = document.verbuende()
        kept = kept[kept["status"].isin(KEPT)]
        for v in kept.itertuples(index=False):
            self._keepable(document, v)
        exclude = tuple(dict.fromkeys(self.rules.exclude + document.declined()))
        rules = self.rules.replace(lock=tuple(kept["member_ags"]), exclude=exclude)
        return rules, document.groups("rejected")

    def _keepable(self, document: Negotiation, v: Any) -> None:
        """A kept Verbund the engine can lock: enough members, inhabited, in scope."""
        members, label, first = v.member_ags, v.verbund, v.rows[0]
        source = document.source or None
        problem = fix = None
        if len(members) < self.rules.min_members:
            problem = ngettext("Verbund {verbund!r} ({status}) has {count} member; the rules "
                               "need at least {least}",
                               "Verbund {verbund!r} ({status}) has {count} members; the "
                               "rules need at least {least}", len(members)).format(
                verbund=label, status=PLAN_STATUS.label(v.status), count=len(members),
                least=self.rules.min_members)
            fix = _("add its partners, or change its status to proposed")
        empty = [a for a in members if self._population[a] <= 0]
        outside = [a for a in members
                   if self.within_kreise and self._kreis[a] not in self.kreise]
        excluded = [a for a in members if a in self.rules.exclude]
        if empty:
            problem = _("{name} has no inhabitants and cannot be a member").format(
                name=self._names[empty[0]])
            fix = _("remove it from Verbund {verbund!r}").format(verbund=label)
        elif outside:
            problem = _("{name} lies outside the selected Kreise").format(
                name=self._names[outside[0]])
            fix = _("add its Kreis to the selection, or plan statewide")
        elif excluded:
            problem = _("{name} is in Verbund {verbund!r} and excluded for this run").format(
                name=self._names[excluded[0]], verbund=label)
            fix = _("drop the exclusion, or the Gemeinde from the Verbund")
        if problem:
            raise InputError(source, problem, row=first or None, column="verbund", fix=fix)

    def complete(self, document: Negotiation, *, costs: bool = True) -> Completion:
        """The optimal completion of ``document`` (see :func:`complete_negotiation`)."""
        self._known(document)
        rules, rejected = self._decisions(document)
        funded = self._funded(document)
        scope = self.kreise if self.within_kreise else None
        # among the best completions, the one that keeps the most open Verbünde: the
        # solver's preference hook (a talk under way is not thrown over for an equal plan)
        completion = plan(self.municipalities, rules, funded=funded, kreise=scope,
                          time_limit=self.time_limit, adjacency=self.adjacency,
                          rejected=rejected, prefer=keep_open(document))
        covered_free: int | None = None
        table = _COSTS_EMPTY.copy()
        if costs:
            found = decision_costs(self.municipalities, rules, funded=funded, kreise=scope,
                                   adjacency=self.adjacency, rejected=rejected)
            covered_free, table = found.covered_free, self._cost_table(document, found.table)
        completed, dropped = self._completed(document, completion)
        return Completion(completed, completion, completion.n_covered, covered_free, table,
                          dropped, self.check(completed))

    def _cost_table(self, document: Negotiation, found: pd.DataFrame) -> pd.DataFrame:
        """The engine's decision costs with the document's labels and statuses."""
        verbuende = document.verbuende()
        kept = verbuende[verbuende["status"].isin(KEPT)].reset_index(drop=True)
        refused = {tuple(m): label for label, m in zip(
            verbuende.loc[verbuende["status"] == "rejected", "verbund"],
            verbuende.loc[verbuende["status"] == "rejected", "member_ags"], strict=True)}
        declined = set(document.declined())
        rows = []
        for r in found.itertuples(index=False):
            members = tuple(r.member_ags)
            if r.kind == "lock":
                label, status, decision = kept.at[r.index, "verbund"], \
                    kept.at[r.index, "status"], "kept"
            elif r.kind == "rejected":
                label, status, decision = refused.get(members, ""), "rejected", "rejected"
            else:
                label, status = "", DECLINED if members[0] in declined else ""
                decision = "declined" if status else "excluded"
            rows.append({"decision": decision, "verbund": label, "status": status,
                         "member_ags": members,
                         "member_names": tuple(self._names[a] for a in members),
                         "valid": bool(r.valid), "covered_without": int(r.covered_without),
                         "cost": int(r.cost)})
        return pd.DataFrame(rows, columns=list(_COSTS_EMPTY.columns))

    def _completed(self, document: Negotiation, completion: Plan
                   ) -> tuple[Negotiation, pd.DataFrame]:
        """The completed document, and the input's open Verbünde it does not keep."""
        locked = set(completion.consortia.loc[completion.consortia["locked"].astype(bool),
                                              "consortium_id"])
        chosen_sets = {frozenset(group): cid for cid, group in
                       completion.member_lists().items() if cid not in locked}
        rows = document.rows
        open_ = document.verbuende()
        open_ = open_[open_["status"].isin(OPEN)]
        kept_open = {v.verbund for v in open_.itertuples(index=False)
                     if frozenset(v.member_ags) in chosen_sets}
        taken = {frozenset(m) for m in open_.loc[open_["verbund"].isin(kept_open),
                                                  "member_ags"]}
        keep = ~rows["status"].isin(OPEN) | rows["verbund"].isin(kept_open)
        records = [dict(r._asdict()) for r in rows[keep].itertuples(index=False)]
        for members, cid in sorted(chosen_sets.items(), key=lambda item: item[1]):
            if members in taken or not self._in_view(members):
                continue
            records += [{"verbund": cid, "ags": a, "status": "proposed"} for a in
                        sorted(members)]
        for r in records:
            r["name"] = r.get("name") or self._names[str(r["ags"])]
        completed = Negotiation.from_rows(_canonical(records), document.source)
        check = self.check(document).verbuende
        dropped = check[check["status"].isin(OPEN) & ~check["verbund"].isin(kept_open)]
        return completed, dropped.reset_index(drop=True)

    def _in_view(self, members: Iterable[str]) -> bool:
        return not self.kreise or any(self._kreis[a] in self.kreise for a in members)

    # ----------------------------------------------------------------- compare

    def compare(self, a: Negotiation, b: Negotiation) -> NegotiationComparison:
        """Two documents side by side (see :func:`compare_negotiations`)."""
        first, second = self.check(a), self.check(b)
        return NegotiationComparison(first, second, _gemeinde_changes(a, b, self._names),
                                     _verbund_changes(first.verbuende, second.verbuende))


_COSTS_EMPTY = pd.DataFrame(columns=["decision", "verbund", "status", "member_ags",
                                     "member_names", "valid", "covered_without", "cost"])


_Known = namedtuple("_Known", ["ags", "name", "row"])
_Verbund = namedtuple("_Verbund", ["verbund", "status", "member_ags", "rows", "notes"])


def keep_open(document: Negotiation) -> tuple[Preference, ...]:
    """The preference that keeps a document's open Verbünde (``proposed``, ``in_talks``).

    Coverage still comes first: an open Verbund is kept when a best completion has it.
    """
    groups = document.groups(*OPEN)
    return (prefer_groups(groups, name="keep_open"),) if groups else ()


def _same_name(given: str, official: str) -> bool:
    """Whether a name written in a document means the Gemeinde of its AGS.

    A short form counts ("Neustadt" for "Neustadt (Hessen)"), a different Gemeinde not.
    """
    a, b = name_key(given), name_key(official)
    return bool(a) and (a == b or b.startswith(a) or a.startswith(b))


def _check_row(inst: Instance, columns: dict[str, np.ndarray], v: Any,
               group: tuple[int, ...], found: dict[str, tuple[int, ...]]
               ) -> dict[str, object]:
    names, kreis_ags = columns["name"], columns["kreis_ags"]
    kreis = dict.fromkeys(str(columns["kreis_name"][i])
                          for i in sorted(group, key=lambda i: kreis_ags[i]))
    return {"verbund": v.verbund, "status": v.status,
            "valid": not found, "rules_failed": tuple(found),
            "member_ags": tuple(str(inst.ags[i]) for i in group),
            "member_names": tuple(str(names[i]) for i in group),
            "n_members": len(group), "population": int(sum(int(inst.pop[i]) for i in group)),
            "n_small": int(sum(inst.eligibility[i] == "verbund_needed" for i in group)),
            "kreis_names": tuple(kreis), "row": v.rows[0]}


def _placed(inst: Instance, table: pd.DataFrame, document: Negotiation,
            kreise: tuple[str, ...]) -> tuple[int, int]:
    """Small Gemeinden in a valid Verbund that is not rejected; small ones to place.

    Both counted in the Kreise of a view only, when there is one.
    """
    small = inst.eligibility == "verbund_needed"
    if kreise:
        small = small & inst.frame["kreis_ags"].isin(kreise).to_numpy()
    valid = table[table["valid"] & (table["status"] != "rejected")]
    members = {a for m in valid["member_ags"] for a in m}
    placed = sum(bool(small[inst.position[a]]) for a in members)
    out = set(document.declined())
    plannable = small & ~(inst.funded & inst.rules.exclude_funded) & ~np.isin(inst.ags,
                                                                              list(out))
    return int(placed), int(plannable.sum())


_RANK: dict[str, int] = {status: k for k, status in enumerate(
    ("funded", "applied", "agreed", "in_talks", "proposed", "rejected", DECLINED))}
assert set(_RANK) == set(STATUSES)


def _canonical(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows in the order wirgeo writes documents: by status (funded first), label, AGS."""
    return sorted(records, key=lambda r: (_RANK[str(r["status"])], str(r["verbund"]),
                                          str(r["ags"])))


# ----------------------------------------------------------------- comparing


def _places(document: Negotiation) -> dict[str, tuple[str, str, frozenset[str]]]:
    """AGS → (label, status, members) of its Verbund (not rejected), or declined."""
    return {a: (r.verbund, r.status, frozenset(r.member_ags))
            for a, r in document.places().iterrows()}


def _gemeinde_change(before: tuple[str, str, frozenset[str]] | None,
                     after: tuple[str, str, frozenset[str]] | None) -> str:
    old = None if before is None else before[1] == DECLINED or before[2]
    new = None if after is None else after[1] == DECLINED or after[2]
    if new is True:
        return "declined"
    if old is True:
        return "returned" if new is None else "joined"
    if old is None:
        return "joined"
    return "left" if new is None else "regrouped"


def _gemeinde_changes(a: Negotiation, b: Negotiation, names: dict[str, str]) -> pd.DataFrame:
    first, second = _places(a), _places(b)
    rows = []
    for ags in sorted(set(first) | set(second)):
        x, y = first.get(ags), second.get(ags)
        if (x and (x[1] == DECLINED, x[2])) == (y and (y[1] == DECLINED, y[2])):
            continue
        rows.append({"ags": ags, "name": names[ags], "verbund_a": x[0] if x else "",
                     "verbund_b": y[0] if y else "", "status_a": x[1] if x else "",
                     "status_b": y[1] if y else "", "change": _gemeinde_change(x, y)})
    return pd.DataFrame(rows, columns=["ags", "name", "verbund_a", "verbund_b", "status_a",
                                       "status_b", "change"])


_VERBUND_COLUMNS = ["change", "verbund_a", "verbund_b", "status_a", "status_b",
                    "member_names_a", "member_names_b", "member_ags_a", "member_ags_b"]


def _verbund_changes(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Kept, status changed, changed, added, removed — Verbünde matched by members.

    The same members are the same Verbund whatever its label (its status may differ); a
    Verbund (not refused) whose members changed is matched with the Verbünde (not
    refused) of the other document it shares members with.
    """
    sets_a = [frozenset(m) for m in a["member_ags"]]
    sets_b = [frozenset(m) for m in b["member_ags"]]
    open_a = (a["status"] != "rejected").to_numpy()
    open_b = (b["status"] != "rejected").to_numpy()
    rows, matched = [], set()
    for j, mine in enumerate(sets_b):
        same = sorted((a.at[i, "status"] != b.at[j, "status"], i)
                      for i, other in enumerate(sets_a) if other == mine and i not in matched)
        if same:
            differs, i = same[0]
            matched.add(i)
            rows.append(_pair("status" if differs else "kept", a.iloc[[i]], b.iloc[[j]]))
            continue
        meet = [i for i, other in enumerate(sets_a)
                if open_b[j] and open_a[i] and i not in matched and other & mine]
        rows.append(_pair("changed" if meet else "added", a.iloc[meet], b.iloc[[j]]))
    for i, mine in enumerate(sets_a):
        met = open_a[i] and any(open_b[j] and other & mine for j, other in enumerate(sets_b))
        if i not in matched and not met:
            rows.append(_pair("removed", a.iloc[[i]], b.iloc[[]]))
    order = {c: k for k, c in enumerate(("changed", "added", "removed", "status", "kept"))}
    rows.sort(key=lambda r: (order[str(r["change"])], list_text(r["member_ags_b"] or
                                                                r["member_ags_a"])))
    return pd.DataFrame(rows, columns=_VERBUND_COLUMNS)


def _pair(change: str, a: pd.DataFrame, b: pd.DataFrame) -> dict[str, object]:
    def joined(frame: pd.DataFrame, column: str) -> str:
        return " | ".join(str(v) for v in frame[column])

    def groups(frame: pd.DataFrame, column: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(v) for v in frame[column])

    return {"change": change, "verbund_a": joined(a, "verbund"),
            "verbund_b": joined(b, "verbund"), "status_a": joined(a, "status"),
            "status_b": joined(b, "status"), "member_names_a": groups(a, "member_names"),
            "member_names_b": groups(b, "member_names"),
            "member_ags_a": groups(a, "member_ags"), "member_ags_b": groups(b, "member_ags")}


# ------------------------------------------------------------- the functions


def check_negotiation(document: Negotiation, municipalities: gpd.GeoDataFrame,
                      request: PlanningRequest | None = None, *,
                      adjacency: Adjacency | None = None) -> NegotiationCheck:
    """Check every Verbund of a document against the rules and the data.

    A Verbund is valid when it breaks none of the rules the engine plans with
    (:func:`wirgeo.consortia.checks.rule_breaks`): between ``min_members`` and
    ``max_members`` members, none at or over ``member_below`` (except one large partner
    where allowed), combined population within the bounds, members forming one contiguous
    area (:mod:`wirgeo.adjacency`; every pair bordering under ``mutual``), one Kreis
    under ``same_kreis``, no kreisfreie Stadt or Sonderstatusstadt, none uninhabited,
    already funded (``exclude_funded``; a ``funded`` Verbund of the document is exempt:
    it is that funding) or excluded.

    Parameters
    ----------
    document : Negotiation
        From :func:`wirgeo.sources.read_negotiation`.
    municipalities : GeoDataFrame
        From :func:`wirgeo.load_municipalities`.
    request : PlanningRequest, optional
        Rules, scenario, overrides and exclusions (default: the default rules).
    adjacency : Adjacency, optional
        Precomputed contiguity.

    Returns
    -------
    NegotiationCheck

    Raises
    ------
    InputError
        Naming the document's row: an AGS that is not in the data, or a name that is not
        the name of its AGS.

    Examples
    --------
    >>> import wirgeo
    >>> from wirgeo.planning import PlanningRequest
    >>> gem = wirgeo.load_municipalities()
    >>> request = PlanningRequest(kreise=("Vogelsbergkreis",))
    >>> document = wirgeo.new_negotiation(request.run(gem))
    >>> check = wirgeo.check_negotiation(document, gem, request)
    >>> len(check.verbuende), int(check.verbuende.valid.sum())
    (6, 6)
    """
    return NegotiationBasis.of(municipalities, request, adjacency=adjacency).check(document)


def complete_negotiation(document: Negotiation, municipalities: gpd.GeoDataFrame,
                         request: PlanningRequest | None = None, *,
                         adjacency: Adjacency | None = None, costs: bool = True
                         ) -> Completion:
    """Complete a document optimally around its decisions, and say what they cost.

    ``agreed``, ``applied`` and ``funded`` Verbünde are kept exactly (locked, even one
    that breaks a rule — it is then not counted as placed); a ``rejected`` group is
    never proposed again (the group: each member may be placed with other partners);
    ``declined`` Gemeinden are left out; ``proposed`` and ``in_talks`` Verbünde are open:
    among the completions that place the most small Gemeinden, the one keeping the most
    of them is chosen (:func:`keep_open`, the solver's preference hook), the others are
    replaced (:attr:`Completion.dropped`).

    Parameters
    ----------
    document, municipalities, request, adjacency
        As :func:`check_negotiation`; the request's Kreise make a view (the completed
        document holds the Verbünde with a member there) or, with
        ``plan_within_kreise``, the only place to plan.
    costs : bool
        Also compute the cost of each decision (one coverage MILP per decision, on the
        part of the state it touches).

    Returns
    -------
    Completion

    Raises
    ------
    InputError
        Naming the document's row: as :func:`check_negotiation`, and a kept Verbund the
        engine cannot keep (too few members, an uninhabited or excluded member, one
        outside the Kreise planned within).

    Examples
    --------
    >>> import wirgeo
    >>> from wirgeo.planning import PlanningRequest
    >>> gem = wirgeo.load_municipalities()
    >>> request = PlanningRequest(kreise=("Vogelsbergkreis",))
    >>> document = wirgeo.new_negotiation(request.run(gem))
    >>> done = wirgeo.complete_negotiation(document, gem, request, costs=False)
    >>> done.covered, len(done.dropped)
    (228, 0)
    """
    return NegotiationBasis.of(municipalities, request, adjacency=adjacency).complete(
        document, costs=costs)


def compare_negotiations(a: Negotiation, b: Negotiation, municipalities: gpd.GeoDataFrame,
                         request: PlanningRequest | None = None, *,
                         adjacency: Adjacency | None = None) -> NegotiationComparison:
    """Compare two documents: Gemeinden placed differently, Verbünde added, removed, changed.

    Verbünde are matched by their members, never by their labels: the same Gemeinden
    under another label are the same Verbund. Both documents are checked against the same
    data and rules, so their placed counts compare.

    Parameters
    ----------
    a, b : Negotiation
        The two documents (:func:`wirgeo.sources.read_negotiation`).
    municipalities, request, adjacency
        As :func:`check_negotiation`.

    Returns
    -------
    NegotiationComparison

    Examples
    --------
    >>> import wirgeo
    >>> from wirgeo.planning import PlanningRequest
    >>> gem = wirgeo.load_municipalities()
    >>> request = PlanningRequest(kreise=("Vogelsbergkreis",))
    >>> document = wirgeo.new_negotiation(request.run(gem))
    >>> done = wirgeo.complete_negotiation(document, gem, request, costs=False)
    >>> comparison = wirgeo.compare_negotiations(document, done.document, gem, request)
    >>> len(comparison.gemeinden)  # nobody placed differently
    0
    """
    return NegotiationBasis.of(municipalities, request, adjacency=adjacency).compare(a, b)


def check_release(document: Negotiation, old: gpd.GeoDataFrame, new: gpd.GeoDataFrame,
                  request: PlanningRequest | None = None) -> tuple[NegotiationCheck,
                                                                   NegotiationCheck]:
    """Check a kept document under the figures it was made with and under a new release.

    The Verbünde that break are those valid in the first check and not in the second
    (:func:`release_breaks` lists them, :func:`release_changes` shows every Verbund).
    Contiguity is computed once when both tables have the same territory.

    Parameters
    ----------
    document : Negotiation
    old, new : GeoDataFrame
        The municipalities with the old and the new population figures (e.g.
        :func:`wirgeo.load` with ``population=``).
    request : PlanningRequest, optional

    Returns
    -------
    tuple of NegotiationCheck
        The check under ``old`` and under ``new``.
    """
    from wirgeo.planning.releases import _same_territory

    request = request or PlanningRequest()
    adjacency = contiguity(new, buffer=request.buffer,
                           link_via_uninhabited=request.link_via_uninhabited)
    before = check_negotiation(document, old, request, adjacency=adjacency
                               if _same_territory(old, new) else None)
    return before, check_negotiation(document, new, request, adjacency=adjacency)


def release_changes(before: NegotiationCheck, after: NegotiationCheck) -> pd.DataFrame:
    """Every Verbund of ``after`` with how it stood in ``before``.

    Rows of :attr:`NegotiationCheck.verbuende` of ``after``, with ``valid_before``,
    ``population_before`` and ``breaks``: valid before and not now (never for a refused
    group).
    """
    was = before.verbuende.set_index("verbund")
    table = after.verbuende.copy()
    table["valid_before"] = table["verbund"].map(was["valid"]).astype(bool)
    table["population_before"] = table["verbund"].map(was["population"]).astype("Int64")
    table["breaks"] = table["valid_before"] & ~table["valid"] & (
        table["status"] != "rejected")
    return table


def release_breaks(before: NegotiationCheck, after: NegotiationCheck) -> pd.DataFrame:
    """The Verbünde that break: the rows of :func:`release_changes` with ``breaks``."""
    table = release_changes(before, after)
    return table[table["breaks"]].reset_index(drop=True)


def new_negotiation(run: Planning) -> Negotiation:
    """The plan of a run as a document to start from.

    Every Verbund of the run's view becomes ``proposed`` under its stable id; a locked
    one ``agreed``; every excluded Gemeinde ``declined``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.planning import PlanningRequest
    >>> run = PlanningRequest(kreise=("Vogelsbergkreis",)).run(load_municipalities())
    >>> document = new_negotiation(run)
    >>> document.rows["status"].value_counts().to_dict()
    {'proposed': 18}
    """
    records: list[dict[str, object]] = []
    for r in run.consortia.itertuples(index=False):
        status = "agreed" if r.locked else "proposed"
        records += [{"verbund": r.consortium_id, "ags": a, "status": status, "name": n}
                    for a, n in zip(r.member_ags, r.member_names, strict=True)]
    names = dict(zip(run.municipalities["ags"], run.municipalities["name"], strict=True))
    records += [{"verbund": "", "ags": a, "status": DECLINED, "name": names[a]}
                for a in run.rules.exclude]
    return Negotiation.from_rows(_canonical(records))

