"""Tables on today's territory: rows of Gemeinden that have since merged, added to the new one.

A table may list a Gemeinde that no longer exists on the territory it is used on: the
Zensus 2022 table lists Bromskirchen (06635005), which merged into Allendorf (Eder)
(06635001) on 01.01.2021. :func:`listed_merges` finds such rows with the territorial
changes of ``data/territorial_changes.csv`` (every change in force on the date of the
territory), and :func:`combine` puts them on the new unit: counts are summed, shares are
weighted by a count (population), every other column is the new unit's own.

A withheld (missing) value in a part makes the combined value missing: a sum or a share
made of the known parts only would present a part as the whole. The report of the join
says which rows were combined.

Examples
--------
>>> import pandas as pd
>>> from wirgeo.municipalities.join import read_territorial_changes
>>> table = pd.DataFrame({"ags": ["06635001", "06635005", "06635002"],
...                       "population": pd.array([5559, 1865, 5000], dtype="Int64"),
...                       "foreign_share": pd.array([10.8, 9.6, 1.0], dtype="Float64")})
>>> merges = listed_merges(table["ags"], read_territorial_changes(), "2023-12-31", "06")
>>> [(m.new_ags, m.old_ags) for m in merges]
[('06635001', ('06635005',))]
>>> out = combine(table, merges, sums=["population"], weighted=["foreign_share"],
...               weight="population")
>>> out[["ags", "population"]].to_dict("records")
[{'ags': '06635001', 'population': 7424}, {'ags': '06635002', 'population': 5000}]
>>> round(float(out.foreign_share.iloc[0]), 4)   # (10.8 × 5559 + 9.6 × 1865) / 7424
10.4985
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["Merge", "listed_merges", "combine"]


@dataclass(frozen=True)
class Merge:
    """Rows of a table that belong to one unit of today's territory.

    ``old_ags`` are the keys the table lists besides ``new_ags`` (which it may or may not
    list itself); ``in_force`` is the date of the territorial change (ISO).
    """

    new_ags: str
    new_name: str
    old_ags: tuple[str, ...]
    in_force: str


def listed_merges(keys: Iterable[str], changes: pd.DataFrame, territory_date: dt.date | str,
                  state: str) -> list[Merge]:
    """The merges in force on ``territory_date`` whose old units the table still lists.

    Parameters
    ----------
    keys : iterable of str
        The AGS the table lists.
    changes : DataFrame
        Territorial changes (:func:`~wirgeo.municipalities.read_territorial_changes`).
    territory_date : date or ISO str
        The date of the territory the table is put on (the population date of the join).
    state : str
        Two-digit state key; changes of other states are ignored.
    """
    listed = set(keys)
    date = str(territory_date)
    found = []
    ours = changes[(changes["new_ags"].str[:2] == state) & (changes["in_force"] <= date)]
    for new_ags, group in ours.groupby("new_ags", sort=True):
        old = tuple(sorted(a for a in group["old_ags"] if a != new_ags and a in listed))
        if old:
            found.append(Merge(str(new_ags), str(group["new_name"].iloc[0]), old,
                               str(group["in_force"].iloc[0])))
    return found


def _weighted(parts: pd.DataFrame, column: str, weight: str) -> object:
    """The ``weight``-weighted mean of ``column``; missing when any part is missing."""
    values, weights = parts[column], parts[weight]
    if values.isna().any() or weights.isna().any() or not weights.sum():
        return pd.NA
    return float((values.astype(float) * weights.astype(float)).sum()
                 / float(weights.sum()))


def combine(table: pd.DataFrame, merges: Sequence[Merge], *, sums: Sequence[str] = (),
            weighted: Sequence[str] = (), weight: str | None = None) -> pd.DataFrame:
    """``table`` with the rows of each merge put on its new unit (one row per unit).

    Parameters
    ----------
    table : DataFrame
        With an ``ags`` column, one row per key.
    merges : sequence of Merge
        From :func:`listed_merges`.
    sums : sequence of str
        Columns summed over the parts (missing if a part is missing).
    weighted : sequence of str
        Columns averaged weighted by ``weight`` (missing if a part or its weight is).
    weight : str, optional
        The weight column of ``weighted`` (summed itself only when in ``sums``).

    Returns
    -------
    DataFrame
        The new unit's row (or the first part's, with the new key, when the table does
        not list the new unit) carries the combined values; the old rows are gone. The
        row order of ``table`` is kept.
    """
    if not merges:
        return table
    table = table.copy()
    drop = []
    for merge in merges:
        keys = [merge.new_ags, *merge.old_ags]
        parts = table[table["ags"].isin(keys)]
        target = parts.index[0] if merge.new_ags not in set(parts["ags"]) else \
            parts.index[parts["ags"] == merge.new_ags][0]
        values: dict[str, object] = {"ags": merge.new_ags}
        for column in weighted:
            assert weight is not None, "weighted columns need a weight"
            values[column] = _weighted(parts, column, weight)
        for column in sums:
            values[column] = parts[column].sum(min_count=len(parts)) \
                if parts[column].notna().all() else pd.NA
        for column, value in values.items():
            table.at[target, column] = value
        drop += [i for i in parts.index if i != target]
    return table.drop(index=drop)
