"""KIV eligibility of every municipality, its funding and the centre that serves it.

The class comes from :meth:`wirgeo.rules.KivRules.classify`, the one definition of the
single-applicant band, of "small" and of the excluded status values; this module adds what
the programme tables know: who is funded (:mod:`~wirgeo.programme.grantees`) and which
Vielfaltszentrum serves whom (:mod:`~wirgeo.programme.centres`).

Examples
--------
Without programme tables nobody is known as funded and no centre is linked:

>>> from wirgeo import load_municipalities
>>> bare = eligibility(load_municipalities())
>>> bool(bare.funded.any()), bool(bare.centre_distance_km.notna().any())
(False, False)
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.errors import ArgumentError
from wirgeo.municipalities import check_municipalities
from wirgeo.programme.centres import centres_of_kreise
from wirgeo.programme.councils import CouncilLaw, advisory_council, load_council_law
from wirgeo.programme.grantees import grantees_of_kreise
from wirgeo.rules import KivRules, load_rules
from wirgeo.vocabulary import ELIGIBILITY

__all__ = ["ELIGIBILITY_CLASSES", "programme_tables", "eligibility", "eligibility_counts"]

#: The codes of :data:`wirgeo.vocabulary.ELIGIBILITY` (labels there).
ELIGIBILITY_CLASSES = ELIGIBILITY.codes

_FUNDED_COLUMNS = {"funded_round": "round", "funded_years": "years",
                   "funded_consortium_id": "consortium_id"}
_CENTRE_COLUMNS = {"centre_name": "name", "centre_host_ags": "host_ags",
                   "centre_status": "status", "centre_precision": "location_precision"}


#: Columns :func:`eligibility` reads (besides the AGS and the inhabitants).
_COLUMNS = ("status", "kreis_ags", "lon", "lat")


def _rules(rules: object) -> KivRules:
    if not isinstance(rules, KivRules):
        raise ArgumentError("rules", _("expects KivRules, got {kind}").format(
            kind=type(rules).__name__), fix=_("use wirgeo.rules.load_rules()"))
    return rules


def _is_hessen(municipalities: pd.DataFrame) -> bool:
    return bool((municipalities["state"] == "06").any()) if "state" in municipalities else True


def programme_tables(municipalities: pd.DataFrame, centres: gpd.GeoDataFrame | None = None,
                     grantees: pd.DataFrame | None = None
                     ) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None]:
    """Return the centres and grantees to use with ``municipalities``.

    Tables given are kept. A missing one is, for Hessen, the curated table in ``data/``
    checked against ``municipalities`` (never against sources loaded behind the caller's
    back), and None for other states, which the curated tables do not describe.

    For a part of Hessen (one Kreis cut out of the table, say) the rows of Kreise that are
    not in ``municipalities`` at all are left out; the rows of the Kreise it has are fully
    checked. A centre whose office sits in a Kreis outside the table (Darmstadt-Dieburg
    runs its centre from Darmstadt, Landkreis Kassel from Kassel) is then an error: pass
    ``centres`` loaded against the whole state, or include that Kreis.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> centres, grantees = programme_tables(gem)
    >>> len(centres), len(grantees)
    (33, 12)
    >>> centres, grantees = programme_tables(gem[gem.kreis_ags == "06431"])
    >>> len(centres), len(grantees)
    (1, 2)
    """
    if _is_hessen(municipalities):
        if "state" in municipalities and not (municipalities["state"] == "06").all():
            # several states: the curated tables describe Hessen, and its names are read
            # among the Hessian municipalities (Erbach is also in two other states)
            municipalities = municipalities[municipalities["state"] == "06"]
        if centres is None:
            centres = centres_of_kreise(municipalities)
        if grantees is None:
            grantees = grantees_of_kreise(municipalities)
    return centres, grantees


def eligibility(municipalities: gpd.GeoDataFrame, rules: KivRules | None = None,
                grantees: pd.DataFrame | None = None,
                centres: gpd.GeoDataFrame | None = None, *,
                council_law: CouncilLaw | None = None) -> gpd.GeoDataFrame:
    """KIV eligibility, funding and serving Vielfaltszentrum of every municipality.

    The classes (:meth:`wirgeo.rules.KivRules.classify`), checked in this order:

    ``uninhabited``
        population 0 (gemeindefreie Gebiete);
    ``not_eligible_status``
        status in ``rules.excluded_status`` (kreisfreie Städte, Sonderstatusstädte: they
        host their own Vielfaltszentrum);
    ``eligible_single``
        population in the single-applicant band (``rules.single_min`` to
        ``rules.single_max``);
    ``verbund_needed``
        fewer than ``rules.member_below`` inhabitants: only in a Verbund;
    ``not_eligible_large``
        above the band.

    Nothing is loaded besides the default rules: pass the programme tables
    (:func:`programme_tables` gives the curated ones).

    Parameters
    ----------
    municipalities : GeoDataFrame
        The joined municipalities (:func:`wirgeo.municipalities.load`).
    rules : KivRules, optional
        Default: ``data/kiv_rules.toml``.
    grantees : DataFrame, optional
        From :func:`~wirgeo.programme.load_grantees`; None: nobody is known as funded.
    centres : GeoDataFrame, optional
        From :func:`~wirgeo.programme.load_centres`; None: the centre columns stay empty.
    council_law : CouncilLaw, optional
        The Ausländerbeirat provisions of the HGO; default ``data/hgo_auslaenderbeirat.csv``
        (:func:`~wirgeo.programme.councils.load_council_law`).

    Returns
    -------
    GeoDataFrame
        A copy of ``municipalities`` plus ``eligibility`` (a code; its label:
        :data:`wirgeo.vocabulary.ELIGIBILITY`), ``funded`` (bool), ``funded_round``,
        ``funded_years``, ``funded_consortium_id``, ``centre_name``, ``centre_host_ags``,
        ``centre_status``, ``centre_precision``, ``near_threshold``
        (:meth:`~wirgeo.rules.KivRules.near_threshold`: ``"below_10000"`` … within
        ``rules.near_threshold_margin`` of a threshold that decides its route, else
        ``""``; in words: :func:`wirgeo.vocabulary.near_threshold_label`),
        ``centre_distance_km`` (straight line on the ellipsoid from the municipality's
        centre coordinate to the centre's location, 0.1 km; NA without a centre) and
        ``advisory_council`` (nullable bool: the Zensus 2022 estimate of foreign residents
        exceeds the threshold of § 84 HGO, :mod:`~wirgeo.programme.councils` — an estimate,
        not a legal determination; NA without an estimate). The Zensus 2022 columns of
        ``municipalities`` are kept. ``attrs`` gain ``rules`` (name),
        ``near_threshold_margin`` and, with an estimate, ``council_threshold``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> centres, grantees = programme_tables(gem)
    >>> frame = eligibility(gem, grantees=grantees, centres=centres)
    >>> row = frame.set_index("name").loc["Geisenheim"]
    >>> row.eligibility, bool(row.funded), row.centre_name
    ('eligible_single', True, 'WIR-Vielfaltszentrum Rheingau-Taunus-Kreis')
    """
    rules = load_rules() if rules is None else _rules(rules)
    frame = check_municipalities(municipalities, columns=_COLUMNS, geometry=False).copy()
    frame["eligibility"] = rules.classify(frame["population"].astype("int64"),
                                          frame["status"])
    # near a threshold only where the threshold decides the route: not for the cities
    # with their own centre, nor for uninhabited areas
    near = rules.near_threshold(frame["population"].astype("int64"))
    decided = ~frame["eligibility"].isin(["not_eligible_status", "uninhabited"]).to_numpy()
    frame["near_threshold"] = np.where(decided, near, "").astype(object)
    _add_funding(frame, grantees)
    _add_centres(frame, centres)
    estimate = frame["foreign_residents"] if "foreign_residents" in frame else \
        pd.Series(pd.NA, index=frame.index, dtype="Int64")
    # the HGO table is read only when there is an estimate to hold against it
    if estimate.notna().any():
        council_law = council_law or load_council_law()
        frame["advisory_council"] = advisory_council(estimate, council_law)
    else:
        frame["advisory_council"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    frame.attrs = dict(municipalities.attrs)
    if council_law is not None:
        frame.attrs["council_threshold"] = council_law.threshold
    frame.attrs["rules"] = rules.name
    frame.attrs["near_threshold_margin"] = rules.near_threshold_margin
    geometry = frame.geometry.name
    return frame[[c for c in frame.columns if c != geometry] + [geometry]]


def _add_funding(frame: pd.DataFrame, grantees: pd.DataFrame | None) -> None:
    """``funded`` and the round, years and Verbund of the grant ("" when not funded)."""
    if grantees is None:
        frame["funded"] = False
        for column in _FUNDED_COLUMNS:
            frame[column] = pd.Series("", index=frame.index, dtype=object)
        return
    funded = grantees.set_index("ags")
    frame["funded"] = frame["ags"].isin(funded.index)
    for column, source in _FUNDED_COLUMNS.items():
        frame[column] = frame["ags"].map(funded[source]).astype(object).fillna("")


def _add_centres(frame: pd.DataFrame, centres: gpd.GeoDataFrame | None) -> None:
    """The serving centre of each municipality and the distance to it.

    A Sonderstatusstadt is served by its own centre, every other municipality by the
    centre of its Kreis (a kreisfreie Stadt is its own Kreis).
    """
    if centres is None or not len(centres):
        for column in _CENTRE_COLUMNS:
            frame[column] = ""
        frame["centre_distance_km"] = pd.array([pd.NA] * len(frame), dtype="Float64")
        return
    from pyproj import Geod

    by_host = centres.set_index("host_ags")
    key = pd.Series(np.where(frame["status"] == "sonderstatusstadt", frame["ags"],
                             frame["kreis_ags"]), index=frame.index)
    has = key.isin(by_host.index)
    for column, source in _CENTRE_COLUMNS.items():
        values = (by_host[source] if source != "host_ags"
                  else pd.Series(by_host.index, index=by_host.index))
        frame[column] = key.map(values).where(has, "").astype(object)
    c_lon = key.map(by_host["lon"]).to_numpy(dtype=float)
    c_lat = key.map(by_host["lat"]).to_numpy(dtype=float)
    _forward, _back, metres = Geod(ellps="GRS80").inv(
        frame["lon"].to_numpy(dtype=float), frame["lat"].to_numpy(dtype=float),
        np.where(has, c_lon, 0.0), np.where(has, c_lat, 0.0))
    km = pd.Series(np.round(np.asarray(metres) / 1000.0, 1), index=frame.index)
    frame["centre_distance_km"] = km.where(has.to_numpy()).astype("Float64")


def eligibility_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Municipalities, population and funded count per eligibility class (+ ``total``).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> counts = eligibility_counts(eligibility(load_municipalities()))
    >>> counts.set_index("eligibility").municipalities.to_dict()
    {'eligible_single': 163, 'verbund_needed': 246, 'not_eligible_large': 0, \
'not_eligible_status': 12, 'uninhabited': 4, 'total': 425}
    """
    rows = []
    for cls in ELIGIBILITY_CLASSES:
        part = frame[frame["eligibility"] == cls]
        rows.append({"eligibility": cls, "municipalities": len(part),
                     "population": int(part["population"].sum()),
                     "funded": int(part["funded"].sum())})
    rows.append({"eligibility": "total", "municipalities": len(frame),
                 "population": int(frame["population"].sum()),
                 "funded": int(frame["funded"].sum())})
    return pd.DataFrame(rows)
