"""Zensus 2022 indicators of every Gemeinde, on the territory of the joined table.

:func:`census_on_territory` puts the rows of a :class:`~wirgeo.sources.ZensusTable` on
today's territory (:mod:`~wirgeo.municipalities.territory`: the census population of a
merged Gemeinde is summed, its shares are weighted by that population; a withheld part
leaves the merged value missing). :func:`add_census` adds the indicators to the joined
municipality table, :class:`CensusReport` says what was read and combined.

The columns (:data:`CENSUS_COLUMNS`) are English for scripts; every share is percent of
the census population as published (one decimal), missing where the statistical offices
withheld it or the table has no row (gemeindefreie Gebiete):

=======================  ===============================================================
``census_population``    inhabitants at the census, 15.05.2022 (Zensus 2022)
``under18_share``        share under 18 years, %
``over60_share``         share 60 years and older, %
``foreign_share``        share of foreign nationals, %
``migration_share``      share with Einwanderungsgeschichte / migration background, %
``foreign_residents``    **estimate**: ``foreign_share`` × ``census_population`` / 100,
                         rounded — foreign nationals at the census date, not the
                         registered (gemeldete) foreign inhabitants the HGO counts
=======================  ===============================================================

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities().set_index("name")
>>> allendorf = gem.loc["Allendorf (Eder)"]
>>> int(allendorf.census_population), round(float(allendorf.foreign_share), 2)
(7424, 10.5)
>>> int(gem.loc["Alsfeld", "foreign_residents"])  # 11.5 % of 15,276
1757
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from wirgeo.municipalities.territory import Merge, combine, listed_merges
from wirgeo.sources import ZensusTable

__all__ = ["CENSUS_COLUMNS", "INDICATOR_COLUMNS", "CensusReport", "census_on_territory",
           "add_census", "report_of"]

#: The shares the joined table carries, percent as published.
INDICATOR_COLUMNS = ("foreign_share", "migration_share", "under18_share", "over60_share")
#: Every Zensus column of the joined municipality table, in order.
CENSUS_COLUMNS = ("census_population", *INDICATOR_COLUMNS, "foreign_residents")

# the person-based shares of the census table: weighted by the census population when
# the rows of a merged Gemeinde are combined
_PERSON_SHARES = ("under18_share", "age18to29_share", "age30to49_share", "age50to59_share",
                  "over60_share", "foreign_share", "migration_share")


@dataclass
class CensusReport:
    """What the join did with the Zensus 2022 table.

    ``source`` is ``"official file"`` or ``"embedded bundle"`` ("" without a table);
    ``merges`` the rows put on a merged Gemeinde (:class:`~wirgeo.municipalities.
    territory.Merge` as plain tuples); ``unmatched`` census rows without a Gemeinde
    (``(ags, name)``; a strict join fails on them); ``missing`` inhabited Gemeinden without
    a census row; ``withheld`` missing values per indicator column among the Gemeinden.
    """

    file: str = ""
    date: str = ""
    source: str = ""
    attribution: str = ""
    rows: int = 0
    matched: int = 0
    merges: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    withheld: dict[str, int] = field(default_factory=dict)

    @property
    def used(self) -> bool:
        """Whether a census table was joined."""
        return bool(self.source)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, e.g. for JSON."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CensusReport:
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        data["merges"] = [(a, n, tuple(o), d) for a, n, o, d in data.get("merges", [])]
        data["unmatched"] = [tuple(x) for x in data.get("unmatched", [])]
        return cls(**data)


def census_on_territory(table: ZensusTable, changes: pd.DataFrame, territory_date: str,
                        state: str) -> tuple[pd.DataFrame, list[Merge]]:
    """The census rows of ``state`` on the territory of ``territory_date``.

    Returns
    -------
    (DataFrame, list of Merge)
        One row per Gemeinde of the territory (``ags``, ``name_official``,
        ``population``, the person shares), and the merges applied (those the table
        carried already, as the embedded bundle's, are not repeated).
    """
    rows = table.for_state(state).frame
    merges = listed_merges(rows["ags"], changes, territory_date, state)
    combined = combine(rows, merges, sums=["population"], weighted=_PERSON_SHARES,
                       weight="population")
    return combined.reset_index(drop=True), merges


def add_census(mun: pd.DataFrame, census: pd.DataFrame | None) -> pd.DataFrame:
    """``mun`` with the :data:`CENSUS_COLUMNS` (all missing when ``census`` is None)."""
    out = mun.copy()
    if census is None:
        rows = pd.DataFrame(index=out.index)
    else:
        rows = census.set_index("ags").reindex(out["ags"])
        rows.index = out.index
    population = rows["population"] if "population" in rows else None
    out["census_population"] = (population if population is not None else
                                pd.Series(pd.NA, index=out.index)).astype("Int64")
    for column in INDICATOR_COLUMNS:
        values = rows[column] if column in rows else pd.Series(pd.NA, index=out.index)
        out[column] = values.astype("Float64")
    estimate = (out["foreign_share"] * out["census_population"].astype("Float64") / 100)
    out["foreign_residents"] = estimate.round(0).astype("Int64")
    return out


def report_of(table: ZensusTable | None, source: str, merges: list[Merge],
              census: pd.DataFrame | None, mun: pd.DataFrame, territory: set[str]
              ) -> CensusReport:
    """The :class:`CensusReport` of one join.

    ``mun`` already carries the columns; ``territory`` holds the keys of every unit of the
    boundaries.
    """
    if table is None or census is None:
        return CensusReport()
    known = territory
    inhabited = mun["status"] != "gemeindefrei"
    listed = set(census["ags"])
    previous = [(new, name, tuple(old), in_force) for new, name, old, in_force in table.merged]
    return CensusReport(
        file=str(table.path) if table.path else "", date=table.reference_date.isoformat(),
        source=source, attribution=table.attribution, rows=len(table.frame),
        matched=len(listed & set(mun["ags"])),
        merges=[(m.new_ags, m.new_name, m.old_ags, m.in_force) for m in merges] + previous,
        unmatched=[(a, str(n)) for a, n in census[["ags", "name_official"]]
                   .itertuples(index=False) if a not in known],
        missing=sorted(set(mun.loc[inhabited, "ags"]) - listed),
        withheld={c: int(mun.loc[inhabited & mun["ags"].isin(listed), c].isna().sum())
                  for c in INDICATOR_COLUMNS
                  if mun.loc[inhabited & mun["ags"].isin(listed), c].isna().any()})
