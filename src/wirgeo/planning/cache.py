"""Results kept on disk: the same question is computed once, then answered from the cache.

The expensive parts of a planning run — the contiguity of the outlines, the optimal plan
(with every candidate group) and its flexibility — depend only on the data, the rules,
the request and the code that computes them. They are kept in ``results/`` of the on-disk
cache (:func:`wirgeo.core.paths.cache_dir`, beside the prepared data layers of
:func:`wirgeo.municipalities.load`), one folder per answer, named by the SHA-256 of
everything that decides it:

- **the data**: the content of every column the engine reads (AGS, name, population,
  Kreis, status and the exact coordinates of each outline), not a file name or a date,
  so a table edited in a notebook is never answered from the cache;
- **the rules**, resolved: every :class:`~wirgeo.rules.KivRules` value, exclusions and
  locks as AGS;
- **every request field that changes the answer**: the municipalities already funded
  (from the grantee table), the Kreise planned within, the time limit, the border
  tolerance, links across uninhabited areas (a plan holds codes and figures, no words:
  one entry serves every language);
- **the code**: wirgeo's version and a digest of its source and catalogs, so a changed
  engine never reads an answer of the old one.

Entries are Parquet tables and JSON, never pickle: reading an entry runs no code. An entry
is written to a temporary folder and moved into place whole; on reading it is checked
against its manifest (kind, key, columns, types, rows), and a damaged or foreign entry is
discarded with one line and computed afresh. :data:`wirgeo.settings.settings` ``.cache``
(``WIRGEO_CACHE=0``, the command line's ``--no-cache``) switches the cache off;
:func:`clear` empties it (``wirgeo data cache --clear``), :func:`info` says what it holds.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.rules import load_rules
>>> gem = load_municipalities()
>>> first, key = plan_of(gem, load_rules())
>>> again, same = plan_of(gem, load_rules())   # read back, not solved again
>>> same == key, again.coverage() == first.coverage()
(True, True)
>>> plan_of(gem, load_rules(max_members=2))[1] == key
False
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import shapely

from wirgeo._version import __version__
from wirgeo.adjacency import DEFAULT_BUFFER_M, Adjacency
from wirgeo.adjacency import contiguity as _contiguity
from wirgeo.consortia import Flexibility, Plan, Preference, Violation, plan_flexibility
from wirgeo.consortia import plan as _plan
from wirgeo.consortia.instance import REQUIRED_COLUMNS
from wirgeo.core import paths as _paths
from wirgeo.core.store import prune, read_entry, write_entry
from wirgeo.rules import KivRules
from wirgeo.settings import settings

__all__ = ["enabled", "results_dir", "code_digest", "data_digest", "contiguity_of",
           "plan_of", "flexibility_of", "CacheInfo", "info", "clear"]


#: Bump when the layout of an entry changes: older entries are then foreign.
_FORMAT = "3"  # 2: reasons and rule violations as codes and figures (JSON cells);
#             3: lists as tuples (member_ags, …)
#: Entries kept per kind; beyond it the least recently used go (a planner trying rules
#: writes a plan per new setting: about 0.6 MB each for Hessen).
_KEEP = 32
#: Columns of the municipality table the contiguity depends on.
_CONTIGUITY_COLUMNS = ("ags", "name", "population", "geometry")


def enabled(cache: bool | None = None) -> bool:
    """Whether to use the cache: ``cache`` if given, else :data:`settings` ``.cache``."""
    return settings.cache if cache is None else bool(cache)


def results_dir() -> Path:
    """The folder of the kept results (``results/`` in the on-disk cache)."""
    return _paths.cache_dir() / "results"


# ------------------------------------------------------------------------------ keys


@functools.cache
def code_digest() -> str:
    """The version of wirgeo and a SHA-256 of its source files and catalogs.

    An installed release is told apart by its version; a checkout being worked on by the
    digest, so an answer of changed code is never read back (hashing the package takes
    a few milliseconds, once per process).
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.po")]):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def data_digest(frame: gpd.GeoDataFrame, columns: Iterable[str]) -> str:
    """SHA-256 of the content of ``columns`` of ``frame``, rows in AGS order.

    Text and numbers as written, outlines as their exact well-known binary, and the CRS:
    whatever a change of the table could change in an answer changes the digest. Hessen
    takes a few milliseconds, Germany about a tenth of a second.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> before = data_digest(gem, ["ags", "population"])
    >>> gem.loc[0, "population"] += 1
    >>> data_digest(gem, ["ags", "population"]) == before
    False
    """
    ordered = frame.sort_values("ags", kind="stable")
    digest = hashlib.sha256(str(frame.crs).encode())
    for column in columns:
        digest.update(b"\x1d" + column.encode() + b"\x1e")
        values = ordered[column]
        if isinstance(values, gpd.GeoSeries):
            for wkb in shapely.to_wkb(values.to_numpy()):
                digest.update(len(wkb).to_bytes(8, "little") + wkb)
        else:
            digest.update("\x1f".join(values.astype(str)).encode())
    return digest.hexdigest()


def _rules_record(rules: KivRules) -> dict[str, Any]:
    """Every rule value that decides an answer (not the rule set's name or file)."""
    record = dataclasses.asdict(rules)
    for name in ("name", "source"):
        record.pop(name, None)
    return record


def _key(kind: str, **parts: Any) -> str:
    text = json.dumps({"kind": kind, "format": _FORMAT, "code": code_digest(), **parts},
                      sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(text.encode()).hexdigest()


def _preference_record(prefer: Sequence[Preference]) -> list[dict[str, Any]]:
    """Every preference as plain data, in its order (the order is part of the question)."""
    return [{"name": p.name,
             "groups": sorted([sorted(g), int(w)] for g, w in p.groups.items()),
             "units": sorted([str(a), int(w)] for a, w in p.units.items())}
            for p in prefer]


def _plan_key(municipalities: gpd.GeoDataFrame, rules: KivRules, *, funded: Iterable[str],
              kreise: Any, time_limit: float | None, buffer: float,
              link_via_uninhabited: bool, prefer: Sequence[Preference] = ()
              ) -> str | None:
    """The key of a plan, or None when the table is not one the engine accepts."""
    if not _cacheable(municipalities, REQUIRED_COLUMNS):
        return None  # the engine raises its own error, naming the argument
    scope = None if kreise is None else sorted(
        [kreise] if isinstance(kreise, str) else list(kreise))
    return _key("plan", data=data_digest(municipalities, REQUIRED_COLUMNS),
                rules=_rules_record(rules), funded=sorted({str(a) for a in funded}),
                kreise=scope, time_limit=time_limit, buffer=float(buffer),
                link_via_uninhabited=bool(link_via_uninhabited),
                prefer=_preference_record(prefer))


def _cacheable(frame: object, columns: Iterable[str]) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and all(c in frame.columns for c in columns)


# ---------------------------------------------------------------------------- entries


def _folder(kind: str, key: str) -> Path:
    return results_dir() / f"{kind}-{key[:32]}"


def _read(kind: str, key: str) -> tuple[dict[str, Any], dict[str, pd.DataFrame]] | None:
    """The entry's scalars and tables, or None (missing; damaged or foreign: discarded)."""
    entry = read_entry(_folder(kind, key), {"kind": kind, "key": key, "format": _FORMAT})
    return None if entry is None else (entry[0]["scalars"], entry[1])


def _write(kind: str, key: str, scalars: Mapping[str, Any],
           tables: Mapping[str, pd.DataFrame]) -> None:
    """Keep an answer; older code's entries and the least recently used beyond _KEEP go."""
    write_entry(_folder(kind, key), {"kind": kind, "key": key, "format": _FORMAT,
                                     "code": code_digest(), "scalars": dict(scalars)}, tables)
    prune(results_dir(), f"{kind}-*", _KEEP, lambda m: m.get("code") == code_digest())


_Answer = TypeVar("_Answer")


def _kept(kind: str, key: str | None, use: bool,
          compute: Callable[[], tuple[_Answer, dict[str, Any] | None,
                                      dict[str, pd.DataFrame]]],
          rebuild: Callable[[dict[str, Any], dict[str, pd.DataFrame]], _Answer]) -> _Answer:
    """The answer from the cache, else computed (and kept when ``compute`` says so)."""
    if use and key is not None:
        entry = _read(kind, key)
        if entry is not None:
            return rebuild(*entry)
    answer, scalars, tables = compute()
    if use and key is not None and scalars is not None:
        _write(kind, key, scalars, tables)
    return answer


# ------------------------------------------------------------------------ contiguity


def contiguity_of(municipalities: gpd.GeoDataFrame, buffer: float = DEFAULT_BUFFER_M,
                  link_via_uninhabited: bool = True, *, cache: bool | None = None
                  ) -> Adjacency:
    """:func:`wirgeo.adjacency.contiguity`, kept on disk (Germany: 8 s, read back in 0.2 s).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> contiguity_of(load_municipalities()).borders.shape
    (1177, 4)
    """
    use = enabled(cache) and _cacheable(municipalities, _CONTIGUITY_COLUMNS)
    key = _key("contiguity", data=data_digest(municipalities, _CONTIGUITY_COLUMNS),
               buffer=float(buffer), link_via_uninhabited=bool(link_via_uninhabited)
               ) if use else None

    def compute() -> tuple[Adjacency, dict[str, Any] | None, dict[str, pd.DataFrame]]:
        adjacency = _contiguity(municipalities, buffer=buffer,
                                link_via_uninhabited=link_via_uninhabited)
        scalars = {"islands": adjacency.islands, "uninhabited": adjacency.uninhabited,
                   "inhabited": adjacency.inhabited, "buffer": adjacency.buffer,
                   "link_via_uninhabited": adjacency.link_via_uninhabited}
        return adjacency, scalars, {"borders": adjacency.borders,
                                    "touching": adjacency.touching}

    def rebuild(scalars: dict[str, Any], tables: dict[str, pd.DataFrame]) -> Adjacency:
        ags = municipalities["ags"].astype(str)
        names = municipalities["name"] if "name" in municipalities else ags
        return Adjacency(borders=tables["borders"], islands=tuple(scalars["islands"]),
                         uninhabited=tuple(scalars["uninhabited"]),
                         buffer=float(scalars["buffer"]),
                         link_via_uninhabited=bool(scalars["link_via_uninhabited"]),
                         names=dict(zip(ags, names, strict=True)),
                         inhabited=tuple(scalars["inhabited"]), touching=tables["touching"])

    return _kept("contiguity", key, use, compute, rebuild)


# ------------------------------------------------------------------------------ plan


def _number(value: float) -> float | str:
    """A float JSON keeps exactly (infinity and NaN as text)."""
    return value if math.isfinite(value) else repr(value)


def _to_json(value: Any) -> str:
    """A cell of codes and figures as JSON text (numpy numbers as plain ones)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=False,
                      default=lambda v: v.item() if hasattr(v, "item") else str(v))


def plan_of(municipalities: gpd.GeoDataFrame, rules: KivRules, *,
            funded: Iterable[str] = (), kreise: str | Iterable[str] | None = None,
            time_limit: float | None = None,
            adjacency: Adjacency | None = None, buffer: float = DEFAULT_BUFFER_M,
            link_via_uninhabited: bool = True, cache: bool | None = None,
            prefer: Sequence[Preference] = ()) -> tuple[Plan, str | None]:
    """:func:`wirgeo.consortia.plan`, kept on disk; also the key of the answer.

    Parameters are those of :func:`wirgeo.consortia.plan`. The key (None when the cache
    is off) names the plan's flexibility in :func:`flexibility_of`. The contiguity it needs
    is kept too (:func:`contiguity_of`). A plan stopped by ``time_limit`` is kept as the
    answer to that question with that limit; ``cache=False`` computes it afresh.
    """
    use = enabled(cache)
    funded = tuple(funded)
    key = _plan_key(municipalities, rules, funded=funded, kreise=kreise,
                    time_limit=time_limit, buffer=buffer,
                    link_via_uninhabited=link_via_uninhabited,
                    prefer=prefer) if use else None

    def compute() -> tuple[Plan, dict[str, Any] | None, dict[str, pd.DataFrame]]:
        nonlocal adjacency
        if adjacency is None and _cacheable(municipalities, _CONTIGUITY_COLUMNS):
            adjacency = contiguity_of(municipalities, buffer, link_via_uninhabited,
                                      cache=use)
        result = _plan(municipalities, rules, funded=funded, kreise=kreise,
                       time_limit=time_limit, adjacency=adjacency, buffer=buffer,
                       link_via_uninhabited=link_via_uninhabited, prefer=prefer)
        scalars = {"status": result.status, "gap": _number(result.gap),
                   "gap_level": result.gap_level, "seconds": result.seconds,
                   "n_candidates": result.n_candidates, "n_small": result.n_small,
                   "n_covered": result.n_covered, "coverage_bound": result.coverage_bound,
                   "kreise": result.kreise, "funded": result.funded,
                   "broken_locks": result.broken_locks, "rejected": result.rejected}
        members = pd.DataFrame(result.members.drop(columns="geometry"))
        members["reason_figures"] = members["reason_figures"].map(_to_json)
        consortia = result.consortia.assign(rule_violations=result.consortia[
            "rule_violations"].map(lambda found: _to_json(
                [{"code": v.code, "figures": dict(v.figures)} for v in found])))
        return result, scalars, {"consortia": consortia, "members": members,
                                 "candidates": result.candidates,
                                 "solver_log": result.solver_log}

    def rebuild(scalars: dict[str, Any], tables: dict[str, pd.DataFrame]) -> Plan:
        # the members' outlines are the table's own (its digest is in the key)
        outlines = municipalities.drop_duplicates("ags").set_index("ags").geometry
        kept = tables["members"].assign(
            reason_figures=tables["members"]["reason_figures"].map(json.loads))
        members = gpd.GeoDataFrame(
            kept, geometry=outlines.reindex(kept["ags"]).to_numpy(), crs=municipalities.crs)
        consortia = tables["consortia"].set_crs(municipalities.crs, allow_override=True)
        consortia["rule_violations"] = consortia["rule_violations"].map(
            lambda text: tuple(Violation(v["code"], v["figures"]) for v in json.loads(text)))
        return Plan(consortia=consortia, members=members, candidates=tables["candidates"],
                    status=scalars["status"], gap=float(scalars["gap"]),
                    gap_level=scalars["gap_level"], seconds=scalars["seconds"],
                    n_candidates=scalars["n_candidates"], rules=rules,
                    n_small=scalars["n_small"], n_covered=scalars["n_covered"],
                    coverage_bound=scalars["coverage_bound"],
                    kreise=tuple(scalars["kreise"]), solver_log=tables["solver_log"],
                    funded=tuple(scalars["funded"]),
                    broken_locks=tuple(scalars["broken_locks"]),
                    rejected=tuple(tuple(g) for g in scalars["rejected"]),
                    preferences=tuple(prefer))

    return _kept("plan", key, use, compute, rebuild), key


# ----------------------------------------------------------------------- flexibility


def flexibility_of(result: Plan, key: str | None, *, cache: bool | None = None) -> Flexibility:
    """:func:`wirgeo.consortia.plan_flexibility` of the plan kept under ``key``.

    Only an exact analysis is kept (it has no time limit here). Without a key (a plan not
    made through :func:`plan_of`, or the cache off) it is computed.
    """
    use = enabled(cache) and key is not None
    flex_key = _key("flexibility", plan=key) if use else None

    def compute() -> tuple[Flexibility, dict[str, Any] | None, dict[str, pd.DataFrame]]:
        flex = plan_flexibility(result)
        scalars = {"status": flex.status, "maximum": flex.maximum, "n_solves": flex.n_solves,
                   "seconds": flex.seconds} if flex.status == "exact" else None
        return flex, scalars, {"consortia": flex.consortia,
                               "alternatives": flex.alternatives,
                               "candidates": flex.candidates, "members": flex.members,
                               "log": flex.log}

    def rebuild(scalars: dict[str, Any], tables: dict[str, pd.DataFrame]) -> Flexibility:
        return Flexibility(**tables, **scalars)

    return _kept("flexibility", flex_key, use, compute, rebuild)


# ---------------------------------------------------------------------- what it holds


@dataclass(frozen=True)
class CacheInfo:
    """What the on-disk cache holds: its folder, entries by kind and bytes."""

    folder: Path
    entries: dict[str, int]
    size: int


def info() -> CacheInfo:
    """The cache's folder, its entries by kind (data layers, plans, …) and their size.

    Examples
    --------
    >>> info().folder.name
    'cache'
    """
    folder = _paths.cache_dir()
    entries: dict[str, int] = {}
    size = 0
    if folder.is_dir():
        for entry in [*folder.iterdir(), *(results_dir().iterdir()
                                           if results_dir().is_dir() else [])]:
            if not entry.is_dir() or entry == results_dir() or ".tmp" in entry.name:
                continue
            kind = entry.name.split("-", 1)[0] if entry.parent == results_dir() else "data"
            entries[kind] = entries.get(kind, 0) + 1
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return CacheInfo(folder, dict(sorted(entries.items())), size)


def clear() -> CacheInfo:
    """Empty the on-disk cache (prepared data layers and kept results); what it held.

    Nothing in it is needed: every entry is computed again when it is next asked for.
    """
    held = info()
    if held.folder.is_dir():
        shutil.rmtree(held.folder, ignore_errors=True)
    return held
