"""The join of boundaries and population on AGS, with the territorial changes between them.

:func:`join` is strict by default: every inhabited municipality must have both a boundary
and a population figure, and the :class:`~wirgeo.municipalities.report.JoinReport` states
what was matched, dissolved, repaired and left out. Territorial changes between the
boundary date and the population date (``data/territorial_changes.csv``) are applied by
dissolving the old units into the new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _
from wirgeo.errors import InputError, JoinError
from wirgeo.municipalities.census import (
    CENSUS_COLUMNS,
    CensusReport,
    add_census,
    census_on_territory,
    report_of,
)
from wirgeo.municipalities.report import Change, JoinReport, problem_lines
from wirgeo.municipalities.territory import combine, listed_merges
from wirgeo.rules import KivRules
from wirgeo.sources import Boundaries, PopulationTable, ZensusTable, read_curated_csv

__all__ = ["Dataset", "join", "read_territorial_changes", "read_sonderstatus",
           "MUNICIPALITY_COLUMNS"]

#: Columns of the joined municipality table, in order (see :mod:`wirgeo.municipalities`).
MUNICIPALITY_COLUMNS = (
    "ags", "ars", "name", "name_official", "type", "status", "kreis_ags", "kreis_name",
    "rbz_ags", "rbz_name", "state", "population", "population_male", "population_female",
    "population_date", "boundary_date", "area_km2", "postcode", "lon", "lat",
    "urbanisation_code", "urbanisation", *CENSUS_COLUMNS, "merged_from", "geometry")
# the columns made from boundaries and population (the census adds its own)
_BASE_COLUMNS = tuple(c for c in MUNICIPALITY_COLUMNS if c not in CENSUS_COLUMNS)

_TYPE_FROM_TEXTKENNZEICHEN = {"61": "Stadt", "63": "Stadt", "64": "Gemeinde",
                              "66": "gemeindefreies Gebiet"}
_TYPE_FROM_BEZ = {"Gemeindefreies Gebiet": "gemeindefreies Gebiet"}
_KREISFREI_BEZ = ("Kreisfreie Stadt", "Stadtkreis")

# The join report counts the municipalities small enough to need a Verbund under the
# programme's default member limit (the rules module is the one place that defines it).
_DEFAULT_RULES = KivRules()


# ------------------------------------------------------------------ curated tables


def read_territorial_changes(path: str | Path | None = None) -> pd.DataFrame:
    """Territorial changes (mergers) from ``data/territorial_changes.csv``.

    Columns: ``old_ags``, ``old_name``, ``new_ags``, ``new_name``, ``in_force`` (ISO date),
    ``source_url``.

    Examples
    --------
    >>> changes = read_territorial_changes()
    >>> sorted(changes.new_name.unique())
    ['Allendorf (Eder)', 'Oberzent', 'Wesertal']
    """
    path = Path(path) if path else _paths.data_dir() / "territorial_changes.csv"
    frame = read_curated_csv(path, required=["old_ags", "old_name", "new_ags", "new_name",
                                             "in_force"],
                             keys={"old_ags": 8, "new_ags": 8}, dates=["in_force"],
                             unique=["old_ags"])
    for new, group in frame.groupby("new_ags"):
        if group["in_force"].nunique() > 1 or group["new_name"].nunique() > 1:
            raise InputError(path, _("the rows for new AGS {new} disagree on new_name or "
                                     "in_force").format(new=new),
                             row=int(group["row"].iloc[1]), column="new_ags",
                             fix=_("one merger has one new name and one date"))
    return frame


def read_sonderstatus(path: str | Path | None = None) -> pd.DataFrame:
    """The Hessian Sonderstatusstädte (``data/sonderstatusstaedte.csv``: ags, name, source_url).

    Examples
    --------
    >>> len(read_sonderstatus())
    7
    """
    path = Path(path) if path else _paths.data_dir() / "sonderstatusstaedte.csv"
    return read_curated_csv(path, required=["ags", "name"], keys={"ags": 8}, unique=["ags"])



@dataclass
class Dataset:
    """The joined layers of one state and the report of how they were made."""

    municipalities: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    report: JoinReport

    @property
    def attribution(self) -> list[str]:
        """Attribution lines required for every map and export."""
        return list(self.report.attribution)


def _apply_changes(gem: gpd.GeoDataFrame, changes: pd.DataFrame, boundary_date: dt.date,
                   population_date: dt.date, state: str) -> tuple[gpd.GeoDataFrame,
                                                                  list[Change]]:
    done: list[Change] = []
    gem = gem.copy()
    if "merged_from" not in gem:  # the embedded bundle carries the mergers it dissolved
        gem["merged_from"] = ""
    for new_ags, group in changes[changes["new_ags"].str[:2] == state].groupby(
            "new_ags", sort=True):
        olds = tuple(sorted(group["old_ags"]))
        name = group["new_name"].iloc[0]
        in_force = dt.date.fromisoformat(group["in_force"].iloc[0])
        present = gem["ags"].isin(olds)
        if boundary_date >= in_force:
            done.append(Change(new_ags, name, olds, str(in_force), "already_in_boundaries"))
            continue
        if _dissolved_already(gem, new_ags, olds):
            done.append(Change(new_ags, name, olds, str(in_force), "dissolved"
                               if population_date >= in_force else
                               "not_applied_population_older"))
            continue
        if population_date < in_force:
            done.append(Change(new_ags, name, olds, str(in_force),
                               "not_applied_population_predates"))
            continue
        if present.sum() != len(olds):
            missing = sorted(set(olds) - set(gem.loc[present, "ags"]))
            done.append(Change(new_ags, name, olds, str(in_force), "not_applied_units_missing",
                               missing=tuple(missing)))
            continue
        parts = gem[present]
        merged = shapely.union_all(parts.geometry.to_numpy())
        first = parts.iloc[0]
        row = {c: first[c] for c in gem.columns}
        row.update(ags=new_ags, ars=None, name=name, geometry=merged,
                   merged_from=";".join(olds))
        if "ewz" in gem:  # VG250-EW: the new unit has the inhabitants of its parts
            row["ewz"] = parts["ewz"].sum(min_count=1)
        gem = pd.concat([gem[~present], gpd.GeoDataFrame([row], crs=gem.crs)],
                        ignore_index=True)
        done.append(Change(new_ags, name, olds, str(in_force), "dissolved"))
    return gem.sort_values("ags", kind="stable").reset_index(drop=True), done


def _dissolved_already(gem: gpd.GeoDataFrame, new_ags: str, olds: tuple[str, ...]) -> bool:
    """Whether the boundaries already hold the new unit made of ``olds`` (the bundle)."""
    made = gem.loc[gem["ags"] == new_ags, "merged_from"]
    return len(made) == 1 and made.iloc[0] == ";".join(olds)


def _kreis_name(gen: str, bez: str) -> str:
    if bez in _KREISFREI_BEZ or "kreis" in gen.lower():
        return gen
    return f"{bez} {gen}"


def join(
    boundaries: Boundaries,
    population: PopulationTable,
    *,
    changes: pd.DataFrame | None = None,
    sonderstatus: pd.DataFrame | None = None,
    census: ZensusTable | None = None,
    strict: bool = True,
) -> Dataset:
    """Join boundaries and population of one state on AGS.

    Parameters
    ----------
    boundaries : Boundaries
        From :func:`wirgeo.sources.read_vg250`.
    population : PopulationTable
        From :func:`wirgeo.sources.read_population` (any state coverage).
    changes : DataFrame, optional
        Territorial changes; default ``data/territorial_changes.csv``.
    sonderstatus : DataFrame, optional
        Sonderstatusstädte; default ``data/sonderstatusstaedte.csv``.
    census : ZensusTable, optional
        The Zensus 2022 table (:func:`wirgeo.sources.read_zensus`): its indicators are
        put on the joined territory (:mod:`~wirgeo.municipalities.census`); without it
        the census columns are missing throughout.
    strict : bool
        If true (default), any inhabited municipality without a partner raises
        :class:`~wirgeo.errors.JoinError` naming the keys. If false, the matched rest is
        returned and the report lists what was left out.

    Returns
    -------
    Dataset
    """
    state = boundaries.state
    _check_kreise(boundaries)
    changes = read_territorial_changes() if changes is None else changes
    sonderstatus = read_sonderstatus() if sonderstatus is None else sonderstatus
    pop = population.for_state(state)
    # a table dated after a merger may still list the old units (the Zensus 2022 table
    # lists Bromskirchen): their figures belong to the new unit
    pop_merges = listed_merges(pop.municipalities["ags"], changes, population.reference_date,
                               state)
    pop_rows = combine(pop.municipalities, pop_merges, sums=_SUMMED)

    gem, change_log = _apply_changes(boundaries.municipalities, changes, boundaries.date,
                                     population.reference_date, state)
    merged = gem.merge(pop_rows.drop(columns=["row"]), on="ags", how="outer",
                       indicator=True, suffixes=("", "_pop"))
    unmatched = _Unmatched.of(merged)

    mun = _municipality_table(_matched(merged, boundaries.municipalities.crs), boundaries,
                              population, sonderstatus)
    mun, census_report = _with_census(mun, census, changes, population.reference_date,
                                      territory=set(gem["ags"]))
    dis = _districts(boundaries.districts, mun)
    reg = _regions(boundaries.regions)
    report = _report(boundaries, population, pop, mun, dis, change_log, unmatched,
                     matched=int((merged["_merge"] == "both").sum()), strict=strict)
    report.population_listed = len(pop_rows)
    report.population_merges = [(m.new_ags, m.new_name, m.old_ags, m.in_force)
                                for m in pop_merges]
    report.census = census_report
    report.ewz_compared, report.ewz_differences = _ewz_differences(merged, population)
    for frame in (mun, dis, reg):
        frame.attrs.update(report.frame_attrs())
    if strict and not report.ok:
        raise JoinError(
            boundaries.path,
            # both files named: either may be the one to fix
            _("boundaries and population ({population}) do not match:").format(
                population=population.path or population.kind)
            + "\n  - " + "\n  - ".join(problem_lines(report)),
            report=report,
            fix=_("give the full release the file changes as its basis: --basis FILE "
                  "(Python: population_basis=…), or add the missing rows")
            if report.partial_release else
            _("add the missing change to data/territorial_changes.csv, use matching "
              "source files, or explore anyway with --allow-unmatched (Python: "
              "strict=False)"))
    return Dataset(mun, dis, reg, report)


def _check_kreise(boundaries: Boundaries) -> None:
    """Every Gemeinde's Kreis is in the Kreis layer, and every Kreis has Gemeinden.

    The Kreis of a Gemeinde is the first five digits of its AGS; a Gemeinde without its
    Kreis would get no Kreis name, a Kreis without Gemeinden would be planned as empty.
    """
    gemeinden = boundaries.municipalities["ags"].astype(str)
    kreise = set(boundaries.districts["ags"].astype(str))
    orphans = gemeinden[~gemeinden.str[:5].isin(kreise)]
    if len(orphans):
        missing = sorted(set(orphans.str[:5]))
        raise InputError(boundaries.path, _(
            "layer 'vg250_gem': {count} Gemeinde(n) belong to Kreis {kreise}, which layer "
            "'vg250_krs' does not have (AGS {keys})").format(
            count=len(orphans), kreise=", ".join(missing),
            keys=", ".join(orphans.tolist()[:5]) + (" …" if len(orphans) > 5 else "")),
            column="AGS", fix=_("use the complete BKG file: every Kreis of the state is in "
                                "vg250_krs"))
    empty = sorted(kreise - set(gemeinden.str[:5]))
    if empty:
        raise InputError(boundaries.path, _(
            "layer 'vg250_krs': Kreis {kreise} has no Gemeinde in layer 'vg250_gem'").format(
            kreise=", ".join(empty)), column="AGS",
            fix=_("use the complete BKG file: every Gemeinde of the state is in vg250_gem"))


# population columns added up when a table lists the parts of a merged Gemeinde
_SUMMED = ("population", "population_male", "population_female", "area_km2")


def _with_census(mun: gpd.GeoDataFrame, census: ZensusTable | None, changes: pd.DataFrame,
                 territory_date: dt.date, territory: set[str]
                 ) -> tuple[gpd.GeoDataFrame, CensusReport]:
    """The Zensus 2022 indicators on the joined territory, and what was done with them.

    ``territory`` holds every unit of the boundaries (joined or not): a census row is
    unmatched only when no boundary has its key.
    """
    state = str(mun["state"].iloc[0]) if len(mun) else ""
    if census is not None and not len(census.for_state(state).frame):
        census = None  # the table covers other states only
    rows, merges = (census_on_territory(census, changes, territory_date.isoformat(), state)
                    if census is not None else (None, []))
    out = add_census(mun, rows)
    out = out[list(MUNICIPALITY_COLUMNS)]
    source = "" if census is None else (
        "embedded bundle" if census.embedded else "official file")
    return (gpd.GeoDataFrame(out, geometry="geometry", crs=mun.crs),
            report_of(census, source, merges, rows, out, territory))


@dataclass(frozen=True)
class _Unmatched:
    """Units on only one side of the join."""

    boundaries_without_population: list[tuple[str, str]]
    population_without_boundary: list[tuple[str, str, int]]
    gemeindefrei_without_population: list[str]

    @classmethod
    def of(cls, merged: pd.DataFrame) -> _Unmatched:
        gemfrei = merged["type"] == "Gemeindefreies Gebiet"
        only_bnd = merged["_merge"] == "left_only"
        only_pop = merged["_merge"] == "right_only"
        return cls(
            [(a, n) for a, n in merged.loc[only_bnd & ~gemfrei, ["ags", "name"]]
             .itertuples(index=False)],
            [(a, (n if isinstance(n, str) else ""), int(p)) for a, n, p in
             merged.loc[only_pop, ["ags", "name_official", "population"]]
             .itertuples(index=False)],
            sorted(merged.loc[only_bnd & gemfrei, "ags"]))


def _matched(merged: pd.DataFrame, crs: Any) -> gpd.GeoDataFrame:
    """The units with both sides, plus gemeindefreie Gebiete (uninhabited by definition)."""
    gemfrei = merged["type"] == "Gemeindefreies Gebiet"
    keep = merged[(merged["_merge"] == "both")
                  | ((merged["_merge"] == "left_only") & gemfrei)].copy()
    keep.loc[keep["population"].isna(), "population"] = 0
    return gpd.GeoDataFrame(keep.drop(columns=["_merge"]), geometry="geometry", crs=crs)


def _check_sonderstatus(sonderstatus: pd.DataFrame, keep: gpd.GeoDataFrame,
                        kreisfrei: pd.Series, boundaries: Boundaries) -> None:
    """Each Sonderstatusstadt of the state is a kreisangehörige municipality of the data."""
    path = _paths.data_dir() / "sonderstatusstaedte.csv"
    known = dict(zip(keep["ags"], kreisfrei, strict=True))
    outlines = set(boundaries.municipalities["ags"]) | set(keep["ags"])
    for r in sonderstatus.itertuples(index=False):
        if not str(r.ags).startswith(boundaries.state):
            continue
        row = int(getattr(r, "row", 0)) or None
        if r.ags not in outlines:
            raise InputError(path, _("AGS {ags} ({name}) is not a municipality of the "
                                     "official data").format(ags=r.ags, name=r.name),
                             row=row, column="ags",
                             fix=_("check the AGS against the Destatis Gemeindeverzeichnis"))
        if known.get(r.ags, False):  # absent: left out of an exploratory join
            raise InputError(path, _("AGS {ags} ({name}) is a kreisfreie Stadt in the "
                                     "official data, so it cannot be a Sonderstatusstadt (a "
                                     "kreisangehörige Stadt with special status)").format(
                                       ags=r.ags, name=r.name), row=row,
                             column="ags", fix=_("remove the row or correct the AGS"))


def _municipality_table(keep: gpd.GeoDataFrame, boundaries: Boundaries,
                        population: PopulationTable, sonderstatus: pd.DataFrame
                        ) -> gpd.GeoDataFrame:
    """The documented columns of every joined municipality, one geometry type, sorted."""
    districts = boundaries.districts
    kreis_name = {a: _kreis_name(g, b) for a, g, b in
                  districts[["ags", "name", "type"]].itertuples(index=False)}
    kreis_type = dict(zip(districts["ags"], districts["type"], strict=True))
    tk_type = keep["textkennzeichen"].map(_TYPE_FROM_TEXTKENNZEICHEN)
    keep["type"] = tk_type.fillna(keep["type"].replace(_TYPE_FROM_BEZ))
    keep["kreis_ags"] = keep["ags"].str[:5]
    keep["kreis_name"] = keep["kreis_ags"].map(kreis_name)
    keep["rbz_ags"] = keep["ags"].str[:3]
    keep["rbz_name"] = keep["rbz_ags"].map(_region_names(boundaries.regions))
    keep["state"] = boundaries.state
    kreisfrei = keep["kreis_ags"].map(kreis_type).isin(_KREISFREI_BEZ)
    _check_sonderstatus(sonderstatus, keep, kreisfrei, boundaries)
    keep["status"] = np.select(
        [keep["type"] == "gemeindefreies Gebiet", kreisfrei,
         keep["ags"].isin(set(sonderstatus["ags"]))],
        ["gemeindefrei", "kreisfreie_stadt", "sonderstatusstadt"], default="kreisangehoerig")
    keep["name_official"] = keep["name_official"].fillna(keep["name"])
    keep["population_date"] = population.reference_date.isoformat()
    keep["boundary_date"] = boundaries.date.isoformat()
    area = keep.geometry.area / 1e6
    keep["area_km2"] = keep["area_km2"].fillna(pd.Series(area.round(2), index=keep.index))
    if keep["lon"].isna().any():
        inner = keep.geometry.representative_point().to_crs(4326)
        keep["lon"] = keep["lon"].fillna(pd.Series(inner.x.round(6), index=keep.index))
        keep["lat"] = keep["lat"].fillna(pd.Series(inner.y.round(6), index=keep.index))
    keep["population"] = keep["population"].astype("int64")
    mun = keep[list(_BASE_COLUMNS)].sort_values("ags", kind="stable").reset_index(
        drop=True)
    # every text column as pandas' string dtype (missing = NaN), exactly as the GeoParquet
    # cache reads it back: a cold and a warm load give identical frames
    for c in mun.columns:
        if c != "geometry" and (mun[c].dtype == object or pd.api.types.is_string_dtype(
                mun[c].dtype)):
            mun[c] = mun[c].astype("str")
    # one geometry type for every row (a dissolved merger or a repair may yield Polygon)
    geoms = shapely.force_2d(mun.geometry.to_numpy())
    mun["geometry"] = [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g
                       for g in geoms]
    return gpd.GeoDataFrame(mun, geometry="geometry", crs=boundaries.municipalities.crs)


def _region_names(regions: gpd.GeoDataFrame) -> dict[str, str]:
    return {a: f"{t} {g}" for a, g, t in regions[["ags", "name", "type"]]
            .itertuples(index=False)}


def _regions(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    names = _region_names(regions)
    return gpd.GeoDataFrame({"rbz_ags": regions["ags"],
                             "name": [names[a] for a in regions["ags"]]},
                            geometry=regions.geometry.to_numpy(), crs=regions.crs)


def _small(mun: pd.DataFrame) -> pd.Series:
    """Inhabited municipalities under the default member limit (they need a Verbund)."""
    return (mun["status"] != "gemeindefrei") & pd.Series(
        _DEFAULT_RULES.may_join(mun["population"].to_numpy()), index=mun.index)


def _report(boundaries: Boundaries, population: PopulationTable, pop: PopulationTable,
            mun: gpd.GeoDataFrame, dis: gpd.GeoDataFrame, change_log: list[Change],
            unmatched: _Unmatched, *, matched: int, strict: bool) -> JoinReport:
    inhabited = mun["status"] != "gemeindefrei"
    return JoinReport(
        state=boundaries.state,
        boundaries_file=str(boundaries.path),
        boundary_date=boundaries.date.isoformat(),
        boundary_date_basis=boundaries.date_basis,
        population_file=str(population.path) if population.path else "",
        population_kind=population.kind,
        population_date=population.reference_date.isoformat(),
        boundary_units=len(boundaries.municipalities),
        water_parts=boundaries.water_parts,
        repaired=list(boundaries.repaired),
        changes=change_log,
        matched=matched,
        boundaries_without_population=unmatched.boundaries_without_population,
        population_without_boundary=unmatched.population_without_boundary,
        gemeindefrei_without_population=unmatched.gemeindefrei_without_population,
        duplicates=0,  # both readers refuse duplicate keys; kept so the report says so
        gemeinden=int(inhabited.sum()),
        gemeindefrei=int((~inhabited).sum()),
        kreise=len(dis),
        kreisfreie_staedte=int((mun["status"] == "kreisfreie_stadt").sum()),
        sonderstatusstaedte=int((mun["status"] == "sonderstatusstadt").sum()),
        population_total=int(mun["population"].sum()),
        population_table_total=int(pop.municipalities["population"].sum()),
        small_gemeinden=int(_small(mun).sum()),
        small_below=_DEFAULT_RULES.member_below,
        attribution=[boundaries.attribution, population.attribution],
        strict=strict,
        **_data_source(boundaries, population),
    )


def _data_source(boundaries: Boundaries, population: PopulationTable) -> dict[str, Any]:
    """Whether the official files or the embedded bundle were read, and what it was made of."""
    info = boundaries.provenance
    if info is None:
        return {"data_source": "official files", "embedded": False, "source_files": []}
    own = population.path is not None and Path(population.path) == Path(boundaries.path)
    what = "embedded bundle" if own else "embedded bundle + population file"
    files = [f"{s['file']} (sha256 {s['sha256'][:16]}…, {s['date']})" for s in info["sources"]]
    return {"data_source": what, "embedded": True, "source_files": files,
            "territory_date": str(info["territory_date"])}


def _ewz_differences(merged: pd.DataFrame, population: PopulationTable
                     ) -> tuple[int, list[tuple[str, str, int, int]]]:
    """Units whose VG250-EW ``EWZ`` differs from the population table, largest first.

    Returns the number compared (both figures present) and ``(ags, name, ewz, population)``
    per difference; nothing when the boundaries carry no EWZ or the table *is* the EWZ.
    """
    if "ewz" not in merged or population.kind == "vg250-ew":
        return 0, []
    both = merged[(merged["_merge"] == "both") & merged["ewz"].notna()
                  & merged["population"].notna()]
    ewz = both["ewz"].astype("int64").to_numpy()
    table = both["population"].astype("int64").to_numpy()
    rows = [(str(a), str(n), int(e), int(p)) for a, n, e, p in
            zip(both["ags"], both["name"], ewz, table, strict=True) if e != p]
    rows.sort(key=lambda r: (-abs(r[2] - r[3]), r[0]))
    return len(both), rows


def _districts(districts: gpd.GeoDataFrame, mun: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    grouped = mun.assign(small=_small(mun), gemeinde=mun["status"] != "gemeindefrei"
                         ).groupby("kreis_ags")
    dis = gpd.GeoDataFrame(
        {
            "kreis_ags": districts["ags"].to_numpy(),
            "name": [_kreis_name(g, b) for g, b in zip(districts["name"], districts["type"],
                                                       strict=True)],
            "type": districts["type"].to_numpy(),
            "kreisfrei": districts["type"].isin(_KREISFREI_BEZ).to_numpy(),
            "rbz_ags": districts["ags"].str[:3].to_numpy(),
        },
        geometry=districts.geometry.to_numpy(), crs=districts.crs,
    )
    dis["population"] = dis["kreis_ags"].map(grouped["population"].sum()).fillna(0).astype(
        "int64")
    dis["n_gemeinden"] = dis["kreis_ags"].map(grouped["gemeinde"].sum()).fillna(0).astype(
        "int64")
    dis["n_small"] = dis["kreis_ags"].map(grouped["small"].sum()).fillna(0).astype("int64")
    dis["area_km2"] = (dis.geometry.area / 1e6).round(2)
    dis["population_date"] = mun["population_date"].iloc[0] if len(mun) else None
    dis["boundary_date"] = mun["boundary_date"].iloc[0] if len(mun) else None
    cols = ["kreis_ags", "name", "type", "kreisfrei", "rbz_ags", "population", "n_gemeinden",
            "n_small", "area_km2", "population_date", "boundary_date", "geometry"]
    return dis[cols].sort_values("kreis_ags").reset_index(drop=True)


