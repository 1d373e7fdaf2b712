"""Per-Kreis figures of an eligibility table: classes, population, funding, centre distance.

Examples
--------
>>> from wirgeo import load_municipalities
>>> from wirgeo.programme import eligibility
>>> s = kreis_summary(eligibility(load_municipalities()), total=True)
>>> state = s.iloc[-1]
>>> state.kreis_name, int(state.municipalities), int(state.n_verbund_needed)
('Hessen', 425, 246)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wirgeo.programme.eligibility import ELIGIBILITY_CLASSES
from wirgeo.sources import STATE_NAMES

__all__ = ["kreis_summary"]


def kreis_summary(eligibility_frame: pd.DataFrame, *, total: bool = False) -> pd.DataFrame:
    """Per Kreis: municipalities and population per eligibility class, funded, centre.

    Parameters
    ----------
    eligibility_frame : DataFrame
        From :func:`~wirgeo.programme.eligibility`.
    total : bool
        Append a row for the whole state (``kreis_ags`` = the 2-digit state key).

    Returns
    -------
    DataFrame
        One row per Kreis, sorted by ``kreis_ags``: ``kreis_ags``, ``kreis_name``,
        ``kreis_type`` (a code of :data:`wirgeo.vocabulary.KREIS_TYPES`: ``landkreis``,
        ``kreisfreie_stadt``; ``state`` for the total), ``centre_name`` (the Landkreis
        centre, or the city's own; empty for the total), ``municipalities`` (all, incl.
        uninhabited), ``population``, ``n_<class>`` and ``pop_<class>`` for each eligibility class,
        ``funded``, ``share_small`` (share of inhabited municipalities that need a
        Verbund), ``mean_centre_km`` and ``max_centre_km`` (distance of the
        municipalities served by the Kreis centre).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> from wirgeo.programme import eligibility
    >>> s = kreis_summary(eligibility(load_municipalities()))
    >>> len(s), int(s.population.sum())
    (26, 6420729)
    """
    rows = [_kreis_row(str(kreis_ags), part)
            for kreis_ags, part in eligibility_frame.groupby("kreis_ags", sort=True)]
    summary = pd.DataFrame(rows)
    if total and len(eligibility_frame):
        summary = pd.concat([summary, pd.DataFrame([_state_row(eligibility_frame)])],
                            ignore_index=True)
    return summary


def _kreis_row(kreis_ags: str, part: pd.DataFrame) -> dict[str, Any]:
    kreisfrei = bool((part["status"] == "kreisfreie_stadt").any())
    # the municipalities the Kreis centre serves (not the Sonderstatusstädte)
    served = part[part["centre_host_ags"] == kreis_ags]
    row: dict[str, Any] = {
        "kreis_ags": kreis_ags, "kreis_name": part["kreis_name"].iloc[0],
        "kreis_type": "kreisfreie_stadt" if kreisfrei else "landkreis",
        "centre_name": served["centre_name"].iloc[0] if len(served) else "",
        "municipalities": len(part), "population": int(part["population"].sum())}
    row.update(_class_figures(part))
    row["mean_centre_km"] = (round(float(served["centre_distance_km"].mean()), 1)
                             if len(served) else np.nan)
    row["max_centre_km"] = (float(served["centre_distance_km"].max())
                            if len(served) else np.nan)
    return row


def _state_row(frame: pd.DataFrame) -> dict[str, Any]:
    state = str(frame["state"].iloc[0]) if "state" in frame else ""
    row: dict[str, Any] = {
        "kreis_ags": state, "kreis_name": STATE_NAMES.get(state, state),
        "kreis_type": "state", "centre_name": "",
        "municipalities": len(frame), "population": int(frame["population"].sum())}
    row.update(_class_figures(frame))
    km = frame["centre_distance_km"]
    row["mean_centre_km"] = round(float(km.mean()), 1) if km.notna().any() else np.nan
    row["max_centre_km"] = float(km.max()) if km.notna().any() else np.nan
    return row


def _class_figures(part: pd.DataFrame) -> dict[str, Any]:
    """``n_<class>``, ``pop_<class>``, ``funded`` and ``share_small`` of some municipalities."""
    figures: dict[str, Any] = {}
    for cls in ELIGIBILITY_CLASSES:
        members = part["eligibility"] == cls
        figures[f"n_{cls}"] = int(members.sum())
        figures[f"pop_{cls}"] = int(part.loc[members, "population"].sum())
    figures["funded"] = int(part["funded"].sum())
    inhabited = int((part["population"] > 0).sum())
    figures["share_small"] = (round(figures["n_verbund_needed"] / inhabited, 4)
                              if inhabited else 0.0)
    return figures
