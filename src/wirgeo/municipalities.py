"""Hessian (or any German state's) municipalities: official boundaries joined to population.

The join is the table every answer of wirgeo rests on. It is strict by default: every
inhabited municipality must have both a boundary and a population figure, and the
:class:`JoinReport` states what was matched, dissolved, repaired and left out, with both
reference dates. Territorial changes between the boundary date and the population date
(``data/territorial_changes.csv``) are applied by dissolving the old units into the new one.

Columns of the municipality table (EPSG:25832):

=====================  ============================================================
``ags``                8-digit Amtlicher Gemeindeschlüssel (string)
``ars``                12-digit Amtlicher Regionalschlüssel (string, may be NA)
``name``               short name as BKG writes it (``GEN``), e.g. ``Allendorf (Eder)``
``name_official``      name in the population table, e.g. ``Allendorf (Eder)``,
                       ``Bad Homburg v.d. Höhe, Stadt``
``type``               ``Stadt``, ``Gemeinde`` or ``gemeindefreies Gebiet``
``status``             ``kreisfreie_stadt``, ``sonderstatusstadt``, ``kreisangehoerig``
                       or ``gemeindefrei``
``kreis_ags``          5-digit Kreis key; ``kreis_name`` its name, e.g.
                       ``Landkreis Kassel`` or ``Kassel`` (kreisfreie Stadt)
``rbz_ags``            3-digit Regierungsbezirk key; ``rbz_name`` e.g.
                       ``Regierungsbezirk Darmstadt`` (NA in states without one)
``state``              2-digit state key
``population``         inhabitants at ``population_date`` (0 for gemeindefrei)
``population_male``,   as in the population table (NA for a plain CSV)
``population_female``
``population_date``    reference date of the population (ISO string)
``boundary_date``      reference date of the boundaries (ISO string)
``area_km2``           official area, else computed from the boundary
``postcode``           postcode of the town hall (Destatis)
``lon``, ``lat``       official centre coordinate (WGS84, Destatis); else a point
                       inside the boundary
``urbanisation_code``  degree of urbanisation (01 dicht, 02 mittel, 03 gering
``urbanisation``       besiedelt) and its label
``merged_from``        ``;``-joined AGS of units dissolved into this one, else ""
``geometry``           MultiPolygon, full resolution
=====================  ============================================================

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities(state="06")
>>> len(gem), int(gem.population.sum())
(425, 6420729)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wirgeo import _output, _paths
from wirgeo.errors import InputError, JoinError
from wirgeo.sources import (
    STATE_NAMES,
    Boundaries,
    PopulationTable,
    check_key,
    file_sha256,
    find_sources,
    population_from_ewz,
    read_curated_csv,
    read_json,
    read_population,
    read_vg250,
)

__all__ = [
    "SMALL_LIMIT",
    "STATUS_VALUES",
    "Change",
    "JoinReport",
    "Dataset",
    "load",
    "load_municipalities",
    "load_districts",
    "join",
    "read_territorial_changes",
    "read_sonderstatus",
]

#: Population under which a Gemeinde counts as "small" in the join report (the KIV
#: single-applicant threshold; the programme rules themselves live in ``data/kiv_rules.toml``).
SMALL_LIMIT = 10_000

STATUS_VALUES = ("kreisfreie_stadt", "sonderstatusstadt", "kreisangehoerig", "gemeindefrei")

# Bump when the prepared layers change shape, so old caches are not read.
_CACHE_VERSION = "4"

_TYPE_FROM_TEXTKENNZEICHEN = {"61": "Stadt", "63": "Stadt", "64": "Gemeinde",
                              "66": "gemeindefreies Gebiet"}
_TYPE_FROM_BEZ = {"Gemeindefreies Gebiet": "gemeindefreies Gebiet"}


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
            raise InputError(path, f"the rows for new AGS {new} disagree on new_name or "
                             "in_force", row=int(group["row"].iloc[1]), column="new_ags",
                             fix="one merger has one new name and one date")
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


# ------------------------------------------------------------------------ report


@dataclass(frozen=True)
class Change:
    """One territorial change as applied (or not) to the boundaries."""

    new_ags: str
    new_name: str
    old_ags: tuple[str, ...]
    in_force: str
    action: str  # "dissolved", "already in boundaries", "not applicable"


@dataclass
class JoinReport:
    """What the join of boundaries and population did, in figures.

    ``problems`` lists what makes a strict join fail; ``ok`` is true when it is empty.
    ``str(report)`` is the text ``wirgeo data check`` prints.
    """

    state: str
    boundaries_file: str
    boundary_date: str
    boundary_date_basis: str
    population_file: str
    population_kind: str
    population_date: str
    boundary_units: int
    water_parts: int
    repaired: list[str]
    changes: list[Change]
    matched: int
    boundaries_without_population: list[tuple[str, str]]
    population_without_boundary: list[tuple[str, str, int]]
    gemeindefrei_without_population: list[str]
    duplicates: int
    gemeinden: int
    gemeindefrei: int
    kreise: int
    kreisfreie_staedte: int
    sonderstatusstaedte: int
    population_total: int
    population_table_total: int
    small_gemeinden: int
    attribution: list[str]
    strict: bool = True
    seconds: float = 0.0
    from_cache: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is unmatched (a strict join succeeded)."""
        return not self.problems

    @property
    def changes_applied(self) -> list[Change]:
        """Changes that dissolved old units into a new one."""
        return [c for c in self.changes if c.action == "dissolved"]

    def to_dict(self) -> dict:
        """Plain data, e.g. for JSON."""
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JoinReport:
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        data.pop("ok", None)
        data["changes"] = [Change(**{**c, "old_ags": tuple(c["old_ags"])})
                           for c in data["changes"]]
        data["boundaries_without_population"] = [tuple(x) for x in
                                                 data["boundaries_without_population"]]
        data["population_without_boundary"] = [tuple(x) for x in
                                               data["population_without_boundary"]]
        return cls(**data)

    def __str__(self) -> str:
        def n(x: int) -> str:
            return f"{x:,}"

        state = f"{STATE_NAMES.get(self.state, self.state)} ({self.state})"
        lines = [
            f"wirgeo data check — {state}",
            f"  boundaries : {self.boundaries_file}",
            f"               as of {self.boundary_date} ({self.boundary_date_basis})",
            f"  population : {self.population_file}",
            f"               as of {self.population_date} ({self.population_kind})",
            f"  boundary units read       {n(self.boundary_units)} land parts"
            f" ({n(self.water_parts)} water parts sharing an AGS not used)",
            f"  geometries repaired       {len(self.repaired)}"
            + (f" ({', '.join(self.repaired)})" if self.repaired else ""),
        ]
        applied = self.changes_applied
        lines.append(f"  territorial changes       {len(applied)} applied")
        for c in applied:
            lines.append(f"    {c.new_ags} {c.new_name} ← {', '.join(c.old_ags)} "
                         f"(in force {c.in_force}, dissolved)")
        for c in self.changes:
            if c.action != "dissolved":
                lines.append(f"    {c.new_ags} {c.new_name}: {c.action}")
        lines += [
            f"  matched on AGS            {n(self.matched)}",
            f"  boundaries w/o population {len(self.boundaries_without_population)}"
            + _keys(self.boundaries_without_population),
            f"  population w/o boundary   {len(self.population_without_boundary)}"
            + _keys(self.population_without_boundary),
            f"  duplicate keys            {self.duplicates}",
            f"  Gemeinden                 {n(self.gemeinden)}"
            f" + {self.gemeindefrei} gemeindefreie Gebiete (population 0)",
            f"    kreisfreie Städte       {self.kreisfreie_staedte}",
            f"    Sonderstatusstädte      {self.sonderstatusstaedte}",
            f"    under {SMALL_LIMIT:,} inhabitants {n(self.small_gemeinden)}",
            f"  Kreise                    {self.kreise}",
            f"  population total          {n(self.population_total)}"
            + ("" if self.population_total == self.population_table_total else
               f" (population table: {n(self.population_table_total)})"),
            "  sources: " + " · ".join(self.attribution),
        ]
        if self.problems:
            lines.append("  PROBLEMS:")
            lines += [f"    - {p}" for p in self.problems]
            if not self.strict:
                lines.append("    (explore mode: joined what matched; the rest is listed "
                             "above)")
        else:
            lines.append("  result: OK — every inhabited municipality has boundary and "
                         "population")
        if self.from_cache:
            lines.append(f"  (prepared layers read from cache in {self.seconds:.2f} s)")
        return "\n".join(lines)


def _keys(items, limit: int = 12) -> str:
    if not items:
        return ""
    keys = [i[0] if isinstance(i, (tuple, list)) else i for i in items]
    more = f", … {len(keys) - limit} more" if len(keys) > limit else ""
    return " (" + ", ".join(keys[:limit]) + more + ")"


# --------------------------------------------------------------------------- join


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
    gem["merged_from"] = ""
    for new_ags, group in changes[changes["new_ags"].str[:2] == state].groupby(
            "new_ags", sort=True):
        olds = tuple(sorted(group["old_ags"]))
        name = group["new_name"].iloc[0]
        in_force = dt.date.fromisoformat(group["in_force"].iloc[0])
        present = gem["ags"].isin(olds)
        if boundary_date >= in_force:
            done.append(Change(new_ags, name, olds, str(in_force), "already in boundaries"))
            continue
        if population_date < in_force:
            done.append(Change(new_ags, name, olds, str(in_force),
                               "not applied: the population predates it"))
            continue
        if present.sum() != len(olds):
            missing = sorted(set(olds) - set(gem.loc[present, "ags"]))
            done.append(Change(new_ags, name, olds, str(in_force),
                               f"not applied: old unit(s) {', '.join(missing)} not in the "
                               "boundaries"))
            continue
        parts = gem[present]
        merged = shapely.union_all(parts.geometry.to_numpy())
        first = parts.iloc[0]
        row = {c: first[c] for c in gem.columns}
        row.update(ags=new_ags, ars=None, name=name, geometry=merged,
                   merged_from=";".join(olds))
        gem = pd.concat([gem[~present], gpd.GeoDataFrame([row], crs=gem.crs)],
                        ignore_index=True)
        done.append(Change(new_ags, name, olds, str(in_force), "dissolved"))
    return gem.sort_values("ags", kind="stable").reset_index(drop=True), done


def _kreis_name(gen: str, bez: str) -> str:
    if bez in ("Kreisfreie Stadt", "Stadtkreis") or "kreis" in gen.lower():
        return gen
    return f"{bez} {gen}"


def join(
    boundaries: Boundaries,
    population: PopulationTable,
    *,
    changes: pd.DataFrame | None = None,
    sonderstatus: pd.DataFrame | None = None,
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
    strict : bool
        If true (default), any inhabited municipality without a partner raises
        :class:`~wirgeo.errors.JoinError` naming the keys. If false, the matched rest is
        returned and the report lists what was left out.

    Returns
    -------
    Dataset
    """
    state = boundaries.state
    changes = read_territorial_changes() if changes is None else changes
    sonderstatus = read_sonderstatus() if sonderstatus is None else sonderstatus
    pop = population.for_state(state)
    problems: list[str] = []

    gem, change_log = _apply_changes(boundaries.municipalities, changes, boundaries.date,
                                     population.reference_date, state)
    for c in change_log:
        if c.action.startswith("not applied"):
            problems.append(f"territorial change to {c.new_ags} {c.new_name} {c.action}")

    merged = gem.merge(pop.municipalities.drop(columns=["row"]), on="ags", how="outer",
                       indicator=True, suffixes=("", "_pop"))
    gemfrei_bnd = merged["type"] == "Gemeindefreies Gebiet"
    only_bnd = merged["_merge"] == "left_only"
    only_pop = merged["_merge"] == "right_only"
    gemfrei_missing = sorted(merged.loc[only_bnd & gemfrei_bnd, "ags"])
    bnd_without = [(a, n) for a, n in merged.loc[only_bnd & ~gemfrei_bnd, ["ags", "name"]]
                   .itertuples(index=False)]
    pop_without = [(a, (n if isinstance(n, str) else ""), int(p)) for a, n, p in
                   merged.loc[only_pop, ["ags", "name_official", "population"]]
                   .itertuples(index=False)]
    if bnd_without:
        problems.append(f"{len(bnd_without)} boundary unit(s) without population: "
                        + ", ".join(f"{a} {n}" for a, n in bnd_without[:20]))
    inhabited_missing = [x for x in pop_without if x[2] > 0]
    if inhabited_missing:
        problems.append(f"{len(inhabited_missing)} inhabited municipality(ies) in the "
                        "population table without boundary: "
                        + ", ".join(f"{a} {n} ({p:,})" for a, n, p in inhabited_missing[:20]))

    # Gemeindefreie Gebiete without a population row are uninhabited by definition.
    keep = merged[(merged["_merge"] == "both") | (only_bnd & gemfrei_bnd)].copy()
    keep.loc[keep["population"].isna(), "population"] = 0
    keep = gpd.GeoDataFrame(keep.drop(columns=["_merge"]), geometry="geometry",
                            crs=boundaries.municipalities.crs)

    districts = boundaries.districts
    kreis_name = {a: _kreis_name(g, b) for a, g, b in
                  districts[["ags", "name", "type"]].itertuples(index=False)}
    kreis_type = dict(zip(districts["ags"], districts["type"], strict=True))
    regions = boundaries.regions
    rbz_name = {a: f"{t} {g}" for a, g, t in regions[["ags", "name", "type"]]
                .itertuples(index=False)}

    tk_type = keep["textkennzeichen"].map(_TYPE_FROM_TEXTKENNZEICHEN)
    bez_type = keep["type"].replace(_TYPE_FROM_BEZ)
    keep["type"] = tk_type.fillna(bez_type)
    keep["kreis_ags"] = keep["ags"].str[:5]
    keep["kreis_name"] = keep["kreis_ags"].map(kreis_name)
    keep["rbz_ags"] = keep["ags"].str[:3]
    keep["rbz_name"] = keep["rbz_ags"].map(rbz_name)
    keep["state"] = state
    kreisfrei = keep["kreis_ags"].map(kreis_type).isin(["Kreisfreie Stadt", "Stadtkreis"])
    status = np.where(keep["type"] == "gemeindefreies Gebiet", "gemeindefrei",
                      np.where(kreisfrei, "kreisfreie_stadt",
                               np.where(keep["ags"].isin(set(sonderstatus["ags"])),
                                        "sonderstatusstadt", "kreisangehoerig")))
    keep["status"] = status
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
    columns = ["ags", "ars", "name", "name_official", "type", "status", "kreis_ags",
               "kreis_name", "rbz_ags", "rbz_name", "state", "population", "population_male",
               "population_female", "population_date", "boundary_date", "area_km2",
               "postcode", "lon", "lat", "urbanisation_code", "urbanisation", "merged_from",
               "geometry"]
    mun = keep[columns].sort_values("ags", kind="stable").reset_index(drop=True)
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
    mun = gpd.GeoDataFrame(mun, geometry="geometry", crs=boundaries.municipalities.crs)

    dis = _districts(districts, mun)
    reg = gpd.GeoDataFrame({"rbz_ags": regions["ags"], "name": [rbz_name[a] for a in
                                                                regions["ags"]]},
                           geometry=regions.geometry.to_numpy(), crs=regions.crs)
    inhabited = mun["status"] != "gemeindefrei"
    attribution = [boundaries.attribution, population.attribution]
    report = JoinReport(
        state=state,
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
        matched=int((merged["_merge"] == "both").sum()),
        boundaries_without_population=bnd_without,
        population_without_boundary=pop_without,
        gemeindefrei_without_population=gemfrei_missing,
        duplicates=0,  # both readers refuse duplicate keys; kept so the report says so
        gemeinden=int(inhabited.sum()),
        gemeindefrei=int((~inhabited).sum()),
        kreise=len(dis),
        kreisfreie_staedte=int((mun["status"] == "kreisfreie_stadt").sum()),
        sonderstatusstaedte=int((mun["status"] == "sonderstatusstadt").sum()),
        population_total=int(mun["population"].sum()),
        population_table_total=int(pop.municipalities["population"].sum()),
        small_gemeinden=int((inhabited & (mun["population"] < SMALL_LIMIT)).sum()),
        attribution=attribution,
        strict=strict,
        problems=problems,
    )
    attrs = {"state": state, "boundary_date": report.boundary_date,
             "population_date": report.population_date, "attribution": " · ".join(attribution)}
    for frame in (mun, dis, reg):
        frame.attrs.update(attrs)
    if strict and problems:
        raise JoinError(
            boundaries.path,
            "boundaries and population do not match:\n  - " + "\n  - ".join(problems),
            report=report,
            fix="add the missing change to data/territorial_changes.csv, use matching "
                "source files, or explore anyway with --allow-unmatched "
                "(Python: strict=False)")
    return Dataset(mun, dis, reg, report)


def _districts(districts: gpd.GeoDataFrame, mun: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    inhabited = mun["status"] != "gemeindefrei"
    grouped = mun.assign(
        small=inhabited & (mun["population"] < SMALL_LIMIT),
        gemeinde=inhabited,
    ).groupby("kreis_ags")
    dis = gpd.GeoDataFrame(
        {
            "kreis_ags": districts["ags"].to_numpy(),
            "name": [_kreis_name(g, b) for g, b in zip(districts["name"], districts["type"],
                                                       strict=True)],
            "type": districts["type"].to_numpy(),
            "kreisfrei": districts["type"].isin(["Kreisfreie Stadt", "Stadtkreis"]).to_numpy(),
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


# ------------------------------------------------------------------ load + cache


def _checksum(path: Path, memo: dict) -> str:
    stat = path.stat()
    key = str(path.resolve())
    entry = memo.get(key)
    if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
        return entry["sha256"]
    digest = file_sha256(path)
    memo[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
    return digest


def _cache_key(paths: list[Path], extra: str) -> str:
    import hashlib

    memo_path = _paths.cache_dir() / "checksums.json"
    memo = read_json(memo_path)
    before = json.dumps(memo, sort_keys=True)
    parts = [_checksum(p, memo) for p in paths]
    if json.dumps(memo, sort_keys=True) != before:
        try:
            _output.write_text(memo_path, json.dumps(memo, indent=1, sort_keys=True))
        except OSError:  # a read-only checkout still works, just without the memo
            pass
    return hashlib.sha256("|".join([*parts, extra]).encode()).hexdigest()[:16]


def load(
    state: str = "06",
    *,
    source: str | Path | None = None,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
    strict: bool = True,
    cache: bool = True,
) -> Dataset:
    """Load the joined municipalities, Kreise and Regierungsbezirke of a state.

    Official files are found with :func:`wirgeo.sources.find_sources` (``source`` folder,
    else ``WIRGEO_SOURCE``, else ``geo/sources/``). Prepared layers are cached in
    ``geo/cache/`` keyed by the checksums of every input file, so a changed source or
    curated table is never served from a stale cache.

    Parameters
    ----------
    state : str
        Two-digit state key; Hessen = ``"06"``.
    source : str or Path, optional
        Folder with the official files.
    boundaries, population : str or Path, optional
        Explicit files, overriding the search (population: Destatis xlsx or CSV).
    strict : bool
        See :func:`join`.
    cache : bool
        Read and write prepared layers in ``geo/cache/``.

    Returns
    -------
    Dataset
    """
    started = time.perf_counter()
    state = check_key(state, 2, source="state", column="state")
    files = find_sources(source, state, boundaries=boundaries, population=population)
    curated = [_paths.data_dir() / "territorial_changes.csv",
               _paths.data_dir() / "sonderstatusstaedte.csv"]
    inputs = [files.boundaries, *([files.population] if files.population else []), *curated]
    folder = None
    if cache:
        key = _cache_key(inputs, f"{_CACHE_VERSION}|{state}|{strict}")
        folder = _paths.cache_dir() / f"{state}-{key}"
        if (folder / "report.json").is_file():
            try:
                report = JoinReport.from_dict(json.loads((folder / "report.json").read_text()))
                layers = [gpd.read_parquet(folder / f"{name}.parquet")
                          for name in ("municipalities", "districts", "regions")]
            except Exception:  # a broken cache is rebuilt, never trusted
                pass
            else:
                attrs = {"state": state, "boundary_date": report.boundary_date,
                         "population_date": report.population_date,
                         "attribution": " · ".join(report.attribution)}
                for frame in layers:
                    frame.attrs.update(attrs)
                report.from_cache = True
                report.seconds = time.perf_counter() - started
                return Dataset(*layers, report)
    bnd = read_vg250(files.boundaries, state)
    pop = read_population(files.population) if files.population else population_from_ewz(bnd)
    dataset = join(bnd, pop, strict=strict)
    dataset.report.seconds = time.perf_counter() - started
    if folder is not None:
        try:
            _write_cache(folder, dataset)
        except OSError:
            pass
    return dataset


def _write_cache(folder: Path, dataset: Dataset) -> None:
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("municipalities", "districts", "regions"):
        getattr(dataset, name).to_parquet(tmp / f"{name}.parquet")
    report = dataset.report.to_dict()
    report.update(seconds=0.0, from_cache=False)
    (tmp / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    try:
        os.replace(tmp, folder)
    except OSError:  # another process won the race; its cache is as good as ours
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def load_municipalities(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Joined municipalities of a state (see module docs for the columns).

    Keyword arguments are those of :func:`load`.
    """
    return load(state, **kwargs).municipalities


def load_districts(state: str = "06", **kwargs) -> gpd.GeoDataFrame:
    """Kreise of a state with population sums and counts of (small) Gemeinden."""
    return load(state, **kwargs).districts
