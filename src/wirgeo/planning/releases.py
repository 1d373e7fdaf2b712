"""What a new population release changes: who crosses a threshold, which Verbünde break.

Each December the population figures change. The ministry's first question is not "load
the new file" but "who crosses 10,000 or 50,000, and which suggested Verbünde break?".
:func:`compare_populations` answers it for two municipality tables with the same
boundaries (one planning run each, under the same request); :func:`compare_releases`
loads the two releases first — each a Destatis xlsx, a population CSV, the Zensus 2022
table or a source folder; a CSV with only the changed rows names its ``basis``.

The new plan **changes as little as possible**: among the plans that place the most
small Gemeinden under the new figures, it is the one that keeps the most Verbünde of the
old plan (:func:`~wirgeo.planning.tie_breaks.keep_plan`, proven, right after coverage).
Only then come the request's tie-break and the engine's own.

Examples
--------
>>> from wirgeo import load_municipalities
>>> old = load_municipalities()
>>> small_towns = old["population"].between(10_000, 10_150)
>>> new = old.assign(population=old["population"].where(~small_towns, 9_990))
>>> change = compare_populations(old, new)
>>> change.changes["name"].tolist()
['Oberzent', 'Niddatal', 'Biebertal', 'Eschenburg', 'Neustadt (Hessen)', 'Schotten', \
'Gudensberg']
>>> sorted(set(change.changes["class_old"] + " -> " + change.changes["class_new"]))
['eligible_single -> verbund_needed']
>>> len(change.kept), len(change.old.plan.consortia)   # the new plan keeps the most
(86, 92)
>>> change.summary.loc[["covered", "small", "verbuende"], "new"].to_dict()
{'covered': 240, 'small': 253, 'verbuende': 97}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wirgeo.adjacency import Adjacency, contiguity
from wirgeo.consortia.instance import Instance, prepare
from wirgeo.consortia.reasons import Violation, violations
from wirgeo.municipalities import load
from wirgeo.planning.request import PlanningRequest
from wirgeo.planning.run import Planning
from wirgeo.planning.tie_breaks import keep_plan
from wirgeo.programme import funded_ags
from wirgeo.vocabulary import RELEASE_STATUS

__all__ = ["VERBUND_STATUS", "ReleaseComparison", "compare_populations", "compare_releases",
           "CHANGE_COLUMNS", "VERBUND_COLUMNS", "PLAN_COLUMNS"]

#: What became of a Verbund of the old plan under the new figures (column ``status``),
#: with what it means; its label: :data:`wirgeo.vocabulary.RELEASE_STATUS`.
VERBUND_STATUS = RELEASE_STATUS.meanings

#: Columns of :attr:`ReleaseComparison.changes`.
CHANGE_COLUMNS = ("ags", "name", "kreis_name", "population_old", "population_new",
                  "difference", "class_old", "class_new", "consortium_old",
                  "consortium_new")
#: Columns of :attr:`ReleaseComparison.verbuende`.
VERBUND_COLUMNS = ("consortium_id", "member_ags", "member_names", "population_old",
                   "population_new", "status", "problems", "consortium_new")
#: Columns of :attr:`ReleaseComparison.plan` (the new plan, each Verbund old or new).
PLAN_COLUMNS = ("consortium_id", "member_ags", "member_names", "population", "kreis_names",
                "same_kreis", "shared_border_km", "kept")


@dataclass
class ReleaseComparison:
    """Two planning runs on two population releases, and what changed between them.

    Attributes
    ----------
    old, new : Planning
        The runs on the old and the new figures (same request, same boundaries).
    changes : DataFrame
        Every municipality whose KIV class changes: ``ags``, ``name``, ``kreis_name``,
        ``population_old``, ``population_new``, ``difference``, ``class_old``,
        ``class_new`` (:data:`wirgeo.vocabulary.ELIGIBILITY` codes; ``absent`` when the
        municipality is missing from one table), ``consortium_old`` and
        ``consortium_new`` (its Verbund in each plan, "" when none), sorted by AGS.
    verbuende : DataFrame
        Every Verbund of the old plan: ``consortium_id``, ``member_ags``,
        ``member_names``, ``population_old``, ``population_new`` (combined),
        ``status`` (a key of :data:`VERBUND_STATUS`), ``problems`` (the rules it now
        breaks: a tuple of :class:`~wirgeo.consortia.Violation`) and ``consortium_new``
        (the same members' id in the new plan, "" when they are not a Verbund there).
    """

    old: Planning
    new: Planning
    changes: pd.DataFrame
    verbuende: pd.DataFrame

    @property
    def broken(self) -> pd.DataFrame:
        """The Verbünde of the old plan that no longer qualify or are no longer optimal."""
        return self.verbuende[self.verbuende["status"] != "kept"].reset_index(drop=True)

    @property
    def kept(self) -> pd.DataFrame:
        """The Verbünde of the old plan that the new plan keeps (what stays)."""
        return self.verbuende[self.verbuende["status"] == "kept"].reset_index(drop=True)

    @property
    def plan(self) -> pd.DataFrame:
        """The new plan, one row per Verbund; ``kept``: the same members as in the old."""
        new = pd.DataFrame(self.new.plan.consortia.drop(columns="geometry"))
        new["kept"] = new["consortium_id"].isin(set(self.kept["consortium_new"]))
        return new[list(PLAN_COLUMNS)].reset_index(drop=True)

    @property
    def summary(self) -> pd.DataFrame:
        """The two plans side by side: date, class counts, coverage, Verbünde."""
        rows = {}
        for label, run in (("old", self.old), ("new", self.new)):
            classes = run.eligibility["eligibility"].value_counts()
            rows[label] = {
                "population_date": run.municipalities.attrs.get("population_date", ""),
                "population_total": int(run.municipalities["population"].sum()),
                "eligible_single": int(classes.get("eligible_single", 0)),
                "verbund_needed": int(classes.get("verbund_needed", 0)),
                "not_eligible_large": int(classes.get("not_eligible_large", 0)),
                "covered": run.plan.n_covered, "small": run.plan.n_small,
                "verbuende": len(run.plan.consortia), "status": run.plan.status}
        rows["old"]["kept"] = len(self.old.plan.consortia)
        rows["new"]["kept"] = len(self.kept)
        return pd.DataFrame(rows)


def compare_populations(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame,
                        request: PlanningRequest | None = None, *,
                        minimal_change: bool = True) -> ReleaseComparison:
    """Compare two municipality tables that differ in their population figures.

    Both are planned under the same ``request``; contiguity is computed once when the
    boundaries (and the uninhabited units) are the same.

    Parameters
    ----------
    old, new : GeoDataFrame
        From :func:`wirgeo.load_municipalities`, e.g. with two population tables.
    request : PlanningRequest, optional
        Rules, scenario, overrides, exclusions and locks; default: the default rules.
    minimal_change : bool
        The new plan keeps the most Verbünde of the old plan among the plans placing the
        most small Gemeinden (default); False plans the new figures from scratch.

    Returns
    -------
    ReleaseComparison
    """
    request = request or PlanningRequest()
    adjacency = contiguity(new, buffer=request.buffer,
                           link_via_uninhabited=request.link_via_uninhabited)
    old_adjacency = adjacency if _same_territory(old, new) else None
    old_run = request.run(old, adjacency=old_adjacency)
    keep = (keep_plan(old_run.plan),) if minimal_change else ()
    new_run = request.run(new, adjacency=adjacency, prefer=keep)
    return ReleaseComparison(old_run, new_run, _class_changes(old_run, new_run),
                             _verbuende(old_run, new_run, adjacency))


def compare_releases(old: str | Path, new: str | Path, *,
                     request: PlanningRequest | None = None, state: str = "06",
                     source: str | Path | None = None, basis: str | Path | None = None,
                     census: str | Path | None = None, strict: bool = True,
                     cache: bool = True, minimal_change: bool = True) -> ReleaseComparison:
    """Load two population releases and compare them (:func:`compare_populations`).

    Parameters
    ----------
    old, new : str or Path
        Each a Destatis xlsx, a population CSV or the Zensus 2022 table as published
        (joined to the boundaries of ``source``, found as by :func:`wirgeo.load`), or a
        source folder (its own files).
    request : PlanningRequest, optional
        Rules and per-run choices for both plans.
    basis : str or Path, optional
        The full release ``new`` changes, when ``new`` lists only the changed rows (often
        ``old`` itself).
    state, source, census, strict, cache
        As for :func:`wirgeo.load`.
    minimal_change : bool
        See :func:`compare_populations`.

    Returns
    -------
    ReleaseComparison
    """
    tables = []
    for release, release_basis in ((old, None), (new, basis)):
        path = Path(release)
        if path.is_dir():
            tables.append(load(state, source=path, census=census, strict=strict,
                               cache=cache).municipalities)
        else:
            tables.append(load(state, source=source, population=path,
                               population_basis=release_basis, census=census,
                               strict=strict, cache=cache).municipalities)
    return compare_populations(tables[0], tables[1], request,
                               minimal_change=minimal_change)


def _same_territory(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> bool:
    """Same units, outlines and uninhabited areas: the contiguity of one holds for both."""
    if len(old) != len(new):
        return False
    a, b = (frame.sort_values("ags").reset_index(drop=True) for frame in (old, new))
    return bool((a["ags"] == b["ags"]).all()
                and ((a["population"] > 0) == (b["population"] > 0)).all()
                and a.geometry.geom_equals_exact(b.geometry, 0).all())


def _consortium_of(run: Planning) -> pd.Series:
    members = run.plan.members.set_index("ags")["consortium_id"]
    return members.fillna("").astype(str)


def _class_changes(old: Planning, new: Planning) -> pd.DataFrame:
    columns = ["ags", "name", "kreis_name", "population", "eligibility"]
    both = pd.merge(pd.DataFrame(old.eligibility[columns]),
                    pd.DataFrame(new.eligibility[columns]), on="ags", how="outer",
                    suffixes=("_old", "_new"), sort=True)
    both["name"] = both["name_new"].fillna(both["name_old"])
    both["kreis_name"] = both["kreis_name_new"].fillna(both["kreis_name_old"])
    for side, run in (("old", old), ("new", new)):
        both[f"class_{side}"] = both[f"eligibility_{side}"].fillna("absent").astype(str)
        both[f"population_{side}"] = both[f"population_{side}"].astype("Int64")
        both[f"consortium_{side}"] = both["ags"].map(_consortium_of(run)).fillna("")
    both["difference"] = both["population_new"] - both["population_old"]
    changed = both[both["class_old"] != both["class_new"]]
    return pd.DataFrame(changed[list(CHANGE_COLUMNS)]).reset_index(drop=True)


def _verbuende(old: Planning, new: Planning, adjacency: Adjacency) -> pd.DataFrame:
    """Every Verbund of the old plan, checked against the new figures and the new plan."""
    inst = prepare(new.municipalities, new.rules, adjacency=adjacency,
                   funded=funded_ags(new.grantees) if new.grantees is not None else ())
    new_ids = {frozenset(group): cid for cid, group in new.plan.member_lists().items()}
    old_lists = old.plan.member_lists()
    population = new.municipalities.set_index("ags")["population"]
    rows = []
    for cid, member_ags, names, pop_old in old.plan.consortia[
            ["consortium_id", "member_ags", "member_names", "population"]].itertuples(
            index=False):
        members = list(old_lists[cid])
        problems = _problems(inst, members)
        same = new_ids.get(frozenset(members), "")
        status = "broken" if problems else "kept" if same else "not_optimal"
        rows.append({"consortium_id": cid, "member_ags": member_ags, "member_names": names,
                     "population_old": int(pop_old),
                     "population_new": int(population.reindex(members).fillna(0).sum()),
                     "status": status, "problems": tuple(problems),
                     "consortium_new": same})
    return pd.DataFrame(rows, columns=list(VERBUND_COLUMNS))


def _problems(inst: Instance, members: list[str]) -> list[Violation]:
    """The rules a group breaks under the instance's figures (members missing included)."""
    missing = [a for a in members if a not in inst.position]
    if missing:
        return [Violation("not_in_new_table", {"ags": missing})]
    return violations(inst, tuple(sorted(inst.position[a] for a in members)))
