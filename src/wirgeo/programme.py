"""The programme: WIR-Vielfaltszentren, KIV grantees, eligibility and service areas.

Two curated tables in ``data/`` describe the programme as far as public sources show it;
every row carries the URL of the page its facts come from:

``data/wir_centres.csv``
    The 33 WIR-Vielfaltszentren (21 Landkreise, 5 kreisfreie Städte, 7 Sonderstatus-
    städte). The host is named by AGS: the 5-digit Kreis key for a Landkreis or a
    kreisfreie Stadt, the 8-digit Gemeinde key for a Sonderstatusstadt. ``status`` says
    whether the hosting office is ``confirmed`` by the source or ``inferred``. A street
    address cannot be geocoded offline, so a centre is placed at the official centre
    coordinate (Destatis) of the town where its office sits (``town_ags``); exact
    ``lon``/``lat`` written into the file win. ``location_precision`` says which
    (``town`` or ``address``).
``data/kiv_grantees.csv``
    Municipalities documented as funded by KIV, by AGS, with round, years, project, amount
    where known and a ``consortium_id`` shared by the members of one Verbund application.
    The list is incomplete: the ministry speaks of 24–27 funded municipalities.

:func:`eligibility` classifies every municipality under a :class:`~wirgeo.rules.KivRules`
(``eligible_single``, ``verbund_needed``, ``not_eligible_large``, ``not_eligible_status``,
``uninhabited``), marks the funded ones and links each to the Vielfaltszentrum that serves
it, with the straight-line distance. :func:`kreis_summary` and :func:`write_summary` turn
that into the per-Kreis figures and the Excel workbook planners pass on.

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities()
>>> frame = eligibility(gem)
>>> int((frame.eligibility == "eligible_single").sum())
163
>>> resolve_municipality("Weiterstdt", gem)
Traceback (most recent call last):
...
wirgeo.errors.InputError: municipality name: no municipality named 'Weiterstdt'. \
Fix: did you mean Weiterstadt (06432023)? Or give the 8-digit AGS.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wirgeo import _output
from wirgeo.core import paths as _paths
from wirgeo.errors import InputError
from wirgeo.rules import KivRules, load_rules, rule_sources
from wirgeo.sources import STATE_NAMES, read_curated_csv

__all__ = [
    "HOST_TYPES",
    "CENTRE_STATUS",
    "GRANTEE_STATUS",
    "ROUNDS",
    "ELIGIBILITY_CLASSES",
    "ELIGIBILITY_LABELS",
    "load_centres",
    "load_grantees",
    "funded_ags",
    "programme_tables",
    "resolve_municipality",
    "eligibility",
    "eligibility_counts",
    "kreis_summary",
    "summary_sheets",
    "write_summary",
]

HOST_TYPES = ("landkreis", "kreisfreie_stadt", "sonderstatusstadt")
CENTRE_STATUS = ("confirmed", "inferred")
GRANTEE_STATUS = ("confirmed", "probable")
#: KIV rounds as the grantee table names them; the first three match the keys of
#: ``funding_ceiling_eur`` in the rules.
ROUNDS = ("KIV I", "KIV II", "later", "unknown")

ELIGIBILITY_CLASSES = ("eligible_single", "verbund_needed", "not_eligible_large",
                       "not_eligible_status", "uninhabited")
#: Short German labels for maps and tables.
ELIGIBILITY_LABELS = {
    "eligible_single": "Einzelantrag möglich",
    "verbund_needed": "nur im Verbund",
    "not_eligible_large": "zu groß für KIV",
    "not_eligible_status": "eigenes Vielfaltszentrum",
    "uninhabited": "unbewohnt",
}

_CENTRE_FILE = "wir_centres.csv"
_GRANTEE_FILE = "kiv_grantees.csv"
_URL = re.compile(r"https?://\S+$")


# ------------------------------------------------------------------- municipalities


def _name_key(name: str) -> str:
    """Return the comparable form of a municipality name.

    Destatis appends the type after a comma ("Bensheim, Stadt", "Gießen,
    Universitätsstadt"); BKG writes "v.d." where Destatis writes "v. d.". Both vanish here.
    """
    base = str(name).split(",")[0]
    return re.sub(r"[^0-9a-zäöüß]", "", base.casefold())


def resolve_municipality(name_or_ags: str, municipalities: pd.DataFrame, *,
                         source: str | Path | None = None, row: int | None = None,
                         column: str | None = None) -> str:
    """Return the AGS of a municipality given by AGS or by name.

    Names are matched without case, punctuation and the type suffix Destatis appends
    (``"Bensheim, Stadt"`` = ``"Bensheim"``), against both the BKG short name and the
    official name. An unknown name is answered with the closest names (``difflib``); a
    name that several municipalities share (possible for Germany) asks for the AGS.

    Parameters
    ----------
    name_or_ags : str
        An 8-digit AGS or a name.
    municipalities : DataFrame
        With columns ``ags``, ``name``, ``name_official`` (and ``kreis_name`` for
        telling namesakes apart).
    source, row, column : optional
        Where the name was read, for the error message.

    Returns
    -------
    str
        The 8-digit AGS.

    Raises
    ------
    InputError
        Unknown AGS, unknown or ambiguous name.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> resolve_municipality("Bad Homburg v. d. Höhe, Stadt", gem)
    '06434001'
    >>> resolve_municipality("06431002", gem)
    '06431002'
    """
    where = source if source is not None else "municipality name"
    text = str(name_or_ags).strip()
    if re.fullmatch(r"\d+", text):
        if len(text) != 8:
            raise InputError(where, f"{text!r} is not an 8-digit AGS", row=row, column=column,
                             fix="give the 8-digit Amtlicher Gemeindeschlüssel, e.g. "
                                 "06431002 (leading zero kept)")
        if not (municipalities["ags"] == text).any():
            raise InputError(where, f"AGS {text} is not in the municipality table", row=row,
                             column=column, fix="check the AGS against the Destatis "
                                                "Gemeindeverzeichnis (this data: "
                                                f"{len(municipalities)} municipalities)")
        return text
    key = _name_key(text)
    keys = pd.concat([municipalities["name"].map(_name_key),
                      municipalities["name_official"].fillna("").map(_name_key)], axis=1)
    hits = municipalities.loc[(keys.iloc[:, 0] == key) | (keys.iloc[:, 1] == key)]
    if hits.empty:
        # without the qualifier in brackets: "Friedberg" for "Friedberg (Hessen)"
        short = municipalities["name"].map(lambda n: _name_key(str(n).split("(")[0]))
        hits = municipalities.loc[short == key]
    if len(hits) == 1:
        return str(hits["ags"].iloc[0])
    if len(hits) > 1:
        listed = "; ".join(
            f"{r.ags} {r.name}" + (f" ({r.kreis_name})" if "kreis_name" in hits else "")
            for r in hits.sort_values("ags").itertuples())
        raise InputError(where, f"{len(hits)} municipalities are named {text!r}: {listed}",
                         row=row, column=column, fix="give the AGS instead of the name")
    candidates: dict[str, tuple[str, str]] = {}
    for name, official, ags in zip(municipalities["name"], municipalities["name_official"],
                                   municipalities["ags"], strict=True):
        for variant in (name, official, str(name).split("(")[0]):
            if isinstance(variant, str) and variant:
                candidates.setdefault(_name_key(variant), (str(name), str(ags)))
    close = difflib.get_close_matches(key, list(candidates), n=6, cutoff=0.75)
    suggestions = list(dict.fromkeys(candidates[k] for k in close))[:3]
    if suggestions:
        fix = ("did you mean " + " or ".join(f"{n} ({a})" for n, a in suggestions)
               + "? Or give the 8-digit AGS")
    else:
        fix = "check the spelling against the Destatis name, or give the 8-digit AGS"
    raise InputError(where, f"no municipality named {text!r}", row=row, column=column,
                     fix=fix)


def _default_municipalities() -> gpd.GeoDataFrame:
    from wirgeo.municipalities import load_municipalities

    return load_municipalities()


# -------------------------------------------------------------------------- helpers


def _check_choice(frame: pd.DataFrame, column: str, allowed: tuple[str, ...], path) -> None:
    bad = ~frame[column].isin(allowed)
    if bad.any():
        first = frame.loc[bad].iloc[0]
        raise InputError(path, f"{first[column]!r} is not a valid {column}",
                         row=int(first["row"]), column=column,
                         fix=f"use one of {', '.join(allowed)}")


def _check_further_sources(frame: pd.DataFrame, path) -> None:
    if "further_sources" not in frame:
        frame["further_sources"] = ""
        return
    for row, value in zip(frame["row"], frame["further_sources"], strict=True):
        for url in value.split():
            if not _URL.match(url):
                raise InputError(path, f"{url!r} is not a URL", row=int(row),
                                 column="further_sources",
                                 fix="separate further http(s) URLs by spaces")


def _fill_optional(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column not in frame:
            frame[column] = ""


# --------------------------------------------------------------------------- centres


def load_centres(path: str | Path | None = None,
                 municipalities: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Load the WIR-Vielfaltszentren from ``data/wir_centres.csv``, validated and placed.

    Parameters
    ----------
    path : str or Path, optional
        The centre table; default ``data/wir_centres.csv``.
    municipalities : GeoDataFrame, optional
        The joined municipalities (default: Hessen from the official sources). Every host
        and town AGS must exist there; town coordinates come from it.

    Returns
    -------
    GeoDataFrame
        One point per centre in EPSG:25832 (the CRS of the municipalities), columns
        ``name``, ``host_type``, ``host_ags``, ``host_name``, ``kreis_ags`` (the Kreis the
        host lies in), ``organisation``, ``street``, ``postcode``, ``town``, ``town_ags``,
        ``status`` (confirmed / inferred), ``location_precision`` (``town``: the Destatis
        centre coordinate of ``town_ags``; ``address``: ``lon``/``lat`` from the file),
        ``lon``, ``lat`` (WGS84), ``source_url``, ``further_sources``, ``note``, ``row``
        (line in the file).

    Raises
    ------
    InputError
        Naming file, row and column: unknown or mismatching AGS, a host twice, a missing
        source URL, an unknown host type or status, coordinates outside the state.

    Examples
    --------
    >>> centres = load_centres()
    >>> len(centres), centres.crs.to_epsg()
    (33, 25832)
    >>> centres.host_type.value_counts().to_dict()
    {'landkreis': 21, 'sonderstatusstadt': 7, 'kreisfreie_stadt': 5}
    """
    path = Path(path) if path else _paths.data_dir() / _CENTRE_FILE
    frame = read_curated_csv(
        path,
        required=["name", "host_type", "host_ags", "host_name", "organisation", "town",
                  "town_ags", "status"],
        keys={"host_ags": (5, 8), "town_ags": 8},
        unique=["name", "host_ags"],
        optional=["street", "postcode", "lon", "lat", "further_sources", "note"],
    )
    _fill_optional(frame, ("street", "postcode", "lon", "lat", "note"))
    _check_choice(frame, "host_type", HOST_TYPES, path)
    _check_choice(frame, "status", CENTRE_STATUS, path)
    _check_further_sources(frame, path)
    gem = _default_municipalities() if municipalities is None else municipalities
    by_ags = gem.set_index("ags")
    kreis_status = gem.groupby("kreis_ags")["status"].agg(
        lambda s: "kreisfreie_stadt" if (s == "kreisfreie_stadt").any() else "landkreis")
    kreis_names = gem.groupby("kreis_ags")["kreis_name"].first()
    # the state's extent from the official centre coordinates; the 0.1° margin in the
    # check below (7–11 km) covers the border municipalities' outer parts
    minx, miny, maxx, maxy = gem.lon.min(), gem.lat.min(), gem.lon.max(), gem.lat.max()
    lons, lats, precision = [], [], []
    for r in frame.itertuples(index=False):
        row = int(r.row)
        want = 8 if r.host_type == "sonderstatusstadt" else 5
        if len(r.host_ags) != want:
            raise InputError(path, f"a {r.host_type} is named by its {want}-digit key, "
                             f"got {r.host_ags!r}", row=row, column="host_ags",
                             fix="5-digit Kreis AGS for Landkreise and kreisfreie Städte, "
                                 "8-digit Gemeinde AGS for Sonderstatusstädte")
        if want == 5:
            if r.host_ags not in kreis_status.index:
                close = difflib.get_close_matches(r.host_name, list(kreis_names), n=1,
                                                  cutoff=0.5)
                hint = (f"{close[0]} is {kreis_names[kreis_names == close[0]].index[0]}"
                        if close else "check the Kreis AGS")
                raise InputError(path, f"Kreis AGS {r.host_ags} is not in the data",
                                 row=row, column="host_ags", fix=hint)
            if kreis_status[r.host_ags] != r.host_type:
                raise InputError(path, f"{r.host_ags} ({kreis_names[r.host_ags]}) is a "
                                 f"{kreis_status[r.host_ags]}, not a {r.host_type}",
                                 row=row, column="host_type",
                                 fix=f"write host_type {kreis_status[r.host_ags]}")
        else:
            if r.host_ags not in by_ags.index:
                raise InputError(path, f"AGS {r.host_ags} is not in the data", row=row,
                                 column="host_ags", fix="check the 8-digit AGS")
            if by_ags.at[r.host_ags, "status"] != "sonderstatusstadt":
                raise InputError(path, f"{r.host_ags} ({by_ags.at[r.host_ags, 'name']}) is "
                                 "not a Sonderstatusstadt", row=row, column="host_ags",
                                 fix="name a Sonderstatusstadt, or a Kreis by its 5 digits")
        if r.town_ags not in by_ags.index:
            raise InputError(path, f"AGS {r.town_ags} is not in the data", row=row,
                             column="town_ags", fix="give the 8-digit AGS of the town where "
                                                    "the office sits")
        town = resolve_municipality(r.town, gem, source=path, row=row, column="town")
        if town != r.town_ags:
            raise InputError(path, f"town {r.town!r} is AGS {town}, but town_ags says "
                             f"{r.town_ags} ({by_ags.at[r.town_ags, 'name']})", row=row,
                             column="town_ags", fix="make town and town_ags name the same "
                                                    "municipality")
        if bool(r.lon) != bool(r.lat):
            raise InputError(path, "only one of lon and lat is filled", row=row,
                             column="lat" if r.lon else "lon",
                             fix="give both coordinates (WGS84 decimal degrees) or neither")
        if r.lon:
            coords = []
            for column, value in (("lon", r.lon), ("lat", r.lat)):
                try:
                    coords.append(float(value))
                except ValueError:
                    raise InputError(path, f"{value!r} is not a number", row=row,
                                     column=column, fix="write decimal degrees with a "
                                                        "point, e.g. 8.6538") from None
            lon, lat = coords
            if not (minx - 0.1 <= lon <= maxx + 0.1 and miny - 0.1 <= lat <= maxy + 0.1):
                raise InputError(path, f"({lon}, {lat}) lies outside the state", row=row,
                                 column="lon", fix="give WGS84 longitude then latitude, "
                                                   "e.g. lon 8.65, lat 49.87")
            precision.append("address")
        else:
            lon, lat = float(by_ags.at[r.town_ags, "lon"]), float(by_ags.at[r.town_ags, "lat"])
            precision.append("town")
        lons.append(lon)
        lats.append(lat)
    frame["lon"], frame["lat"] = lons, lats
    frame["location_precision"] = precision
    frame["kreis_ags"] = frame["host_ags"].str[:5]
    columns = ["name", "host_type", "host_ags", "host_name", "kreis_ags", "organisation",
               "street", "postcode", "town", "town_ags", "status", "location_precision",
               "lon", "lat", "source_url", "further_sources", "note", "row"]
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=4326).to_crs(25832)
    return gpd.GeoDataFrame(frame[columns], geometry=points).reset_index(drop=True)


# -------------------------------------------------------------------------- grantees


def _read_grantees(path: Path) -> pd.DataFrame:
    frame = read_curated_csv(
        path,
        required=["ags", "name", "round", "years", "project", "status"],
        keys={"ags": 8},
        unique=["ags"],
        optional=["consortium_id", "amount_eur", "further_sources", "note"],
    )
    _fill_optional(frame, ("consortium_id", "amount_eur", "note"))
    _check_choice(frame, "round", ROUNDS, path)
    _check_choice(frame, "status", GRANTEE_STATUS, path)
    _check_further_sources(frame, path)
    for row, value in zip(frame["row"], frame["amount_eur"], strict=True):
        if value and not value.isdigit():
            raise InputError(path, f"{value!r} is not a whole number of euros", row=int(row),
                             column="amount_eur", fix="write e.g. 20000 (no separators, no "
                                                      "currency sign), or leave it empty")
    sizes = frame.loc[frame["consortium_id"] != "", "consortium_id"].value_counts()
    lonely = sizes[sizes < 2]
    if len(lonely):
        cid = lonely.index[0]
        row = int(frame.loc[frame["consortium_id"] == cid, "row"].iloc[0])
        raise InputError(path, f"consortium {cid!r} has a single member", row=row,
                         column="consortium_id",
                         fix="give every member of a Verbund its own row with the same "
                             "consortium_id, or leave it empty for a single applicant")
    frame["amount_eur"] = pd.array([int(v) if v else pd.NA for v in frame["amount_eur"]],
                                   dtype="Int64")
    return frame


def load_grantees(path: str | Path | None = None,
                  municipalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load the documented KIV grantees from ``data/kiv_grantees.csv``, validated.

    The list is known to be incomplete (24–27 funded municipalities according to the
    ministry); add rows as they become known — every row needs its source URL.

    Parameters
    ----------
    path : str or Path, optional
        The grantee table; default ``data/kiv_grantees.csv``.
    municipalities : DataFrame, optional
        The joined municipalities (default: Hessen from the official sources). Every AGS
        must exist and the ``name`` column must name the same municipality.

    Returns
    -------
    DataFrame
        Columns ``ags``, ``name``, ``round`` (KIV I / KIV II / later / unknown),
        ``years``, ``consortium_id`` ("" for single applicants), ``project``,
        ``amount_eur`` (Int64, NA when unknown), ``status`` (confirmed / probable),
        ``source_url``, ``further_sources``, ``note``, ``row``, and from the
        municipalities ``name_official``, ``kreis_ags``, ``kreis_name``, ``population``.

    Examples
    --------
    >>> grantees = load_grantees()
    >>> grantees.loc[grantees.name == "Weiterstadt", ["ags", "round", "amount_eur"]
    ...              ].to_dict("records")
    [{'ags': '06432023', 'round': 'KIV II', 'amount_eur': 20000}]
    """
    path = Path(path) if path else _paths.data_dir() / _GRANTEE_FILE
    frame = _read_grantees(path)
    gem = _default_municipalities() if municipalities is None else municipalities
    for r in frame.itertuples(index=False):
        if not (gem["ags"] == r.ags).any():
            try:
                suggestion = resolve_municipality(r.name, gem)
                fix = f"{r.name} is AGS {suggestion}"
            except InputError:
                fix = "check the AGS against the Destatis Gemeindeverzeichnis"
            raise InputError(path, f"AGS {r.ags} is not in the municipality table",
                             row=int(r.row), column="ags", fix=fix)
        named = resolve_municipality(r.name, gem, source=path, row=int(r.row),
                                     column="name")
        if named != r.ags:
            actual = gem.loc[gem["ags"] == r.ags, "name"].iloc[0]
            raise InputError(path, f"name {r.name!r} is AGS {named}, but the row says "
                             f"{r.ags} ({actual})", row=int(r.row), column="ags",
                             fix="make ags and name name the same municipality")
    extra = gem.loc[gem["ags"].isin(frame["ags"]),
                    ["ags", "name_official", "kreis_ags", "kreis_name", "population"]]
    return frame.merge(pd.DataFrame(extra), on="ags", how="left")


def funded_ags(grantees: pd.DataFrame | None = None) -> set[str]:
    """AGS of the municipalities documented as KIV-funded.

    Parameters
    ----------
    grantees : DataFrame, optional
        From :func:`load_grantees`; default: ``data/kiv_grantees.csv`` read and checked on
        its own (without loading the municipalities).

    Examples
    --------
    >>> "06432023" in funded_ags()
    True
    """
    if grantees is None:
        grantees = _read_grantees(_paths.data_dir() / _GRANTEE_FILE)
    return set(grantees["ags"])


# ----------------------------------------------------------------------- eligibility


def _is_hessen(municipalities: pd.DataFrame) -> bool:
    return bool((municipalities["state"] == "06").any()) if "state" in municipalities else True


def _default_tables(municipalities: pd.DataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Load the curated centres and grantees, checked against ``municipalities``.

    A part of Hessen (one Kreis, say) lacks hosts and grantees of the other Kreise, so then
    the tables are checked against the whole state as the official sources give it.
    """
    try:
        return (load_centres(municipalities=municipalities),
                load_grantees(municipalities=municipalities))
    except InputError:
        if municipalities["ags"].nunique() >= len(_default_municipalities()):
            raise
        full = _default_municipalities()
        return load_centres(municipalities=full), load_grantees(municipalities=full)


def programme_tables(municipalities: pd.DataFrame, centres: gpd.GeoDataFrame | None = None,
                     grantees: pd.DataFrame | None = None
                     ) -> tuple[gpd.GeoDataFrame | None, pd.DataFrame | None]:
    """Return the centres and grantees to use with ``municipalities``.

    Tables given are kept; missing ones are the curated tables in ``data/`` for Hessen
    (checked against the municipalities, or the whole state for a part of it) and None
    for other states, which the curated tables do not describe.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> centres, grantees = programme_tables(load_municipalities())
    >>> len(centres), len(grantees)
    (33, 12)
    """
    if _is_hessen(municipalities) and (centres is None or grantees is None):
        default_centres, default_grantees = _default_tables(municipalities)
        centres = default_centres if centres is None else centres
        grantees = default_grantees if grantees is None else grantees
    return centres, grantees


def eligibility(municipalities: gpd.GeoDataFrame, rules: KivRules | None = None,
                grantees: pd.DataFrame | None = None,
                centres: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """KIV eligibility, funding and serving Vielfaltszentrum of every municipality.

    The classes, checked in this order:

    ``uninhabited``
        population 0 (gemeindefreie Gebiete);
    ``not_eligible_status``
        status in ``rules.excluded_status`` (kreisfreie Städte, Sonderstatusstädte: they
        host their own Vielfaltszentrum);
    ``eligible_single``
        population in the single-applicant band (10,000–50,000 by default);
    ``verbund_needed``
        fewer than ``rules.member_below`` inhabitants: only in a Verbund;
    ``not_eligible_large``
        above the band.

    Parameters
    ----------
    municipalities : GeoDataFrame
        The joined municipalities (:func:`wirgeo.municipalities.load`).
    rules : KivRules, optional
        Default: ``data/kiv_rules.toml``.
    grantees : DataFrame, optional
        Default: :func:`load_grantees` (Hessen; none for other states).
    centres : GeoDataFrame, optional
        Default: :func:`load_centres` (Hessen; none for other states).

    Returns
    -------
    GeoDataFrame
        A copy of ``municipalities`` plus ``eligibility``, ``eligibility_label``,
        ``funded`` (bool), ``funded_round``, ``funded_years``, ``funded_consortium_id``,
        ``centre_name``, ``centre_host_ags``, ``centre_status``, ``centre_precision`` and
        ``centre_distance_km`` (straight line on the ellipsoid from the municipality's
        centre coordinate to the centre's location, 0.1 km; NA without a centre).
        ``attrs`` gain ``rules`` (name) and ``rules_description``.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> frame = eligibility(load_municipalities())
    >>> row = frame.set_index("name").loc["Geisenheim"]
    >>> row.eligibility, bool(row.funded), row.centre_name
    ('eligible_single', True, 'WIR-Vielfaltszentrum Rheingau-Taunus-Kreis')
    """
    from pyproj import Geod

    rules = load_rules() if rules is None else rules
    centres, grantees = programme_tables(municipalities, centres, grantees)
    if grantees is None:
        grantees = _read_grantees(_paths.data_dir() / _GRANTEE_FILE).iloc[0:0]
    frame = municipalities.copy()
    pop = frame["population"].astype("int64")
    low = pop >= rules.single_min if rules.single_min_inclusive else pop > rules.single_min
    high = pop <= rules.single_max if rules.single_max_inclusive else pop < rules.single_max
    conditions = [pop == 0, frame["status"].isin(rules.excluded_status), low & high,
                  (pop > 0) & (pop < rules.member_below)]
    frame["eligibility"] = np.select(conditions, ["uninhabited", "not_eligible_status",
                                                  "eligible_single", "verbund_needed"],
                                     default="not_eligible_large").astype(object)
    frame["eligibility_label"] = frame["eligibility"].map(ELIGIBILITY_LABELS)

    funded = grantees.set_index("ags")
    frame["funded"] = frame["ags"].isin(funded.index)
    for column, source in (("funded_round", "round"), ("funded_years", "years"),
                           ("funded_consortium_id", "consortium_id")):
        frame[column] = frame["ags"].map(funded[source]).astype(object).fillna("")

    serving_key = np.where(frame["status"] == "sonderstatusstadt", frame["ags"],
                           frame["kreis_ags"])
    names = ("centre_name", "centre_host_ags", "centre_status", "centre_precision")
    if centres is not None and len(centres):
        by_host = centres.set_index("host_ags")
        key = pd.Series(serving_key, index=frame.index)
        has = key.isin(by_host.index)
        for column, source in zip(names, ("name", "host_ags", "status",
                                          "location_precision"), strict=True):
            frame[column] = key.map(by_host[source] if source != "host_ags" else
                                    pd.Series(by_host.index, index=by_host.index))
            frame[column] = frame[column].where(has, "").astype(object)
        geod = Geod(ellps="GRS80")
        c_lon = key.map(by_host["lon"]).to_numpy(dtype=float)
        c_lat = key.map(by_host["lat"]).to_numpy(dtype=float)
        _, _, metres = geod.inv(frame["lon"].to_numpy(dtype=float),
                                frame["lat"].to_numpy(dtype=float),
                                np.where(has, c_lon, 0.0), np.where(has, c_lat, 0.0))
        km = pd.Series(np.round(np.asarray(metres) / 1000.0, 1), index=frame.index)
        frame["centre_distance_km"] = km.where(has.to_numpy()).astype("Float64")
    else:
        for column in names:
            frame[column] = ""
        frame["centre_distance_km"] = pd.array([pd.NA] * len(frame), dtype="Float64")
    frame.attrs = dict(municipalities.attrs)
    frame.attrs["rules"] = rules.name
    frame.attrs["rules_description"] = rules.describe()
    geometry = frame.geometry.name
    return frame[[c for c in frame.columns if c != geometry] + [geometry]]


def eligibility_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Municipalities, population and funded count per eligibility class (+ total).

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
        rows.append({"eligibility": cls, "label": ELIGIBILITY_LABELS[cls],
                     "municipalities": len(part),
                     "population": int(part["population"].sum()),
                     "funded": int(part["funded"].sum())})
    rows.append({"eligibility": "total", "label": "gesamt", "municipalities": len(frame),
                 "population": int(frame["population"].sum()),
                 "funded": int(frame["funded"].sum())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------- Kreis summary


def kreis_summary(eligibility_frame: pd.DataFrame, *, total: bool = False) -> pd.DataFrame:
    """Per Kreis: municipalities and population per eligibility class, funded, centre.

    Parameters
    ----------
    eligibility_frame : DataFrame
        From :func:`eligibility`.
    total : bool
        Append a row for the whole state (``kreis_ags`` = the 2-digit state key).

    Returns
    -------
    DataFrame
        One row per Kreis, sorted by ``kreis_ags``: ``kreis_ags``, ``kreis_name``,
        ``kreis_type`` (Landkreis / kreisfreie Stadt), ``centre_name`` (the Landkreis
        centre, or the city's own), ``municipalities`` (all, incl. uninhabited),
        ``population``, ``n_<class>`` and ``pop_<class>`` for each eligibility class,
        ``funded``, ``share_small`` (share of inhabited municipalities that need a
        Verbund), ``mean_centre_km`` and ``max_centre_km`` (distance of the
        municipalities served by the Kreis centre).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> s = kreis_summary(eligibility(load_municipalities()))
    >>> len(s), int(s.population.sum())
    (26, 6420729)
    """
    rows = []
    for kreis_ags, part in eligibility_frame.groupby("kreis_ags", sort=True):
        kreisfrei = bool((part["status"] == "kreisfreie_stadt").any())
        served = part[part["centre_host_ags"] == kreis_ags]
        row = {"kreis_ags": kreis_ags, "kreis_name": part["kreis_name"].iloc[0],
               "kreis_type": "kreisfreie Stadt" if kreisfrei else "Landkreis",
               "centre_name": served["centre_name"].iloc[0] if len(served) else "",
               "municipalities": len(part), "population": int(part["population"].sum())}
        row.update(_class_figures(part))
        row["mean_centre_km"] = (round(float(served["centre_distance_km"].mean()), 1)
                                 if len(served) else np.nan)
        row["max_centre_km"] = (float(served["centre_distance_km"].max())
                                if len(served) else np.nan)
        rows.append(row)
    summary = pd.DataFrame(rows)
    if total and len(eligibility_frame):
        state = str(eligibility_frame["state"].iloc[0]) if "state" in eligibility_frame \
            else ""
        row = {"kreis_ags": state, "kreis_name": STATE_NAMES.get(state, "total"),
               "kreis_type": "Land", "centre_name": f"{len(summary)} Kreise",
               "municipalities": len(eligibility_frame),
               "population": int(eligibility_frame["population"].sum())}
        row.update(_class_figures(eligibility_frame))
        km = eligibility_frame["centre_distance_km"]
        row["mean_centre_km"] = round(float(km.mean()), 1) if km.notna().any() else np.nan
        row["max_centre_km"] = float(km.max()) if km.notna().any() else np.nan
        summary = pd.concat([summary, pd.DataFrame([row])], ignore_index=True)
    return summary


def _class_figures(part: pd.DataFrame) -> dict:
    figures = {}
    for cls in ELIGIBILITY_CLASSES:
        members = part["eligibility"] == cls
        figures[f"n_{cls}"] = int(members.sum())
        figures[f"pop_{cls}"] = int(part.loc[members, "population"].sum())
    figures["funded"] = int(part["funded"].sum())
    inhabited = int((part["population"] > 0).sum())
    figures["share_small"] = (round(figures["n_verbund_needed"] / inhabited, 4)
                              if inhabited else 0.0)
    return figures


# -------------------------------------------------------------------------- workbook

_KREIS_HEADERS = {
    "kreis_ags": "Kreis-AGS", "kreis_name": "Kreis", "kreis_type": "Art",
    "centre_name": "WIR-Vielfaltszentrum", "municipalities": "Gemeinden",
    "population": "Einwohner",
    **{f"n_{c}": f"{ELIGIBILITY_LABELS[c]}: Gemeinden" for c in ELIGIBILITY_CLASSES},
    **{f"pop_{c}": f"{ELIGIBILITY_LABELS[c]}: Einwohner" for c in ELIGIBILITY_CLASSES},
    "funded": "KIV-gefördert (bekannt)", "share_small": "Anteil Gemeinden unter Verbund-Grenze",
    "mean_centre_km": "Entfernung zum Zentrum Ø km",
    "max_centre_km": "Entfernung zum Zentrum max. km",
}
_MUNICIPALITY_HEADERS = {
    "ags": "AGS", "name": "Gemeinde", "name_official": "Name (Destatis)",
    "kreis_ags": "Kreis-AGS", "kreis_name": "Kreis", "status": "Status",
    "population": "Einwohner", "eligibility_label": "KIV", "eligibility": "KIV-Klasse",
    "funded": "KIV-gefördert", "funded_round": "Förderrunde", "funded_years": "Zeitraum",
    "funded_consortium_id": "Verbund-ID", "centre_name": "WIR-Vielfaltszentrum",
    "centre_distance_km": "Entfernung zum Zentrum km", "population_date": "Einwohner Stand",
}
_CENTRE_HEADERS = {
    "name": "Name", "host_type": "Träger-Art", "host_ags": "Träger-AGS",
    "host_name": "Träger", "organisation": "Stelle", "street": "Straße",
    "postcode": "PLZ", "town": "Ort", "town_ags": "Ort-AGS", "status": "Stelle bestätigt?",
    "location_precision": "Lage", "lon": "Länge (WGS84)", "lat": "Breite (WGS84)",
    "source_url": "Quelle", "further_sources": "weitere Quellen", "note": "Anmerkung",
}
_GRANTEE_HEADERS = {
    "ags": "AGS", "name": "Gemeinde", "kreis_name": "Kreis", "population": "Einwohner",
    "round": "Förderrunde", "years": "Zeitraum", "consortium_id": "Verbund-ID",
    "project": "Projekt", "amount_eur": "Betrag €", "status": "Beleg",
    "source_url": "Quelle", "further_sources": "weitere Quellen", "note": "Anmerkung",
}
_RULE_HEADERS = {
    "rule": "Regel", "value": "Wert", "assumption": "Annahme?", "quote": "Zitat",
    "source_url": "Quelle", "note": "Anmerkung",
}
_INTEGER_HEADERS = {"Einwohner", "Gemeinden", "Betrag €", "KIV-gefördert (bekannt)"}


def summary_sheets(eligibility_frame: pd.DataFrame, *, rules: KivRules | None = None,
                   centres: pd.DataFrame | None = None,
                   grantees: pd.DataFrame | None = None,
                   rules_path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Build the tables of the summary workbook, with readable (German) column names.

    Sheets: ``Kreise`` (with a state total), ``Gemeinden``, ``Vielfaltszentren``,
    ``KIV-Förderungen``, ``Regeln`` (every rule with quote and source) and ``Quellen``
    (attribution of BKG and Destatis, reference dates, curated tables, rule set).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> list(summary_sheets(eligibility(load_municipalities())))
    ['Kreise', 'Gemeinden', 'Vielfaltszentren', 'KIV-Förderungen', 'Regeln', 'Quellen']
    """
    from wirgeo import __version__

    rules = load_rules(rules_path) if rules is None else rules
    centres, grantees = programme_tables(eligibility_frame, centres, grantees)
    kreise = kreis_summary(eligibility_frame, total=True).rename(columns=_KREIS_HEADERS)
    gem = pd.DataFrame(eligibility_frame[[c for c in _MUNICIPALITY_HEADERS
                                          if c in eligibility_frame]]).copy()
    gem["funded"] = gem["funded"].map({True: "ja", False: "nein"})
    gem = gem.sort_values("ags").rename(columns=_MUNICIPALITY_HEADERS)
    sheets = {"Kreise": kreise, "Gemeinden": gem.reset_index(drop=True)}
    if centres is not None:
        sheets["Vielfaltszentren"] = pd.DataFrame(
            centres[list(_CENTRE_HEADERS)]).rename(columns=_CENTRE_HEADERS)
    if grantees is not None:
        sheets["KIV-Förderungen"] = pd.DataFrame(
            grantees[[c for c in _GRANTEE_HEADERS if c in grantees]]
        ).rename(columns=_GRANTEE_HEADERS)
    sources = rule_sources(rules_path)
    sheets["Regeln"] = pd.DataFrame(
        [{"rule": s.rule, "value": _plain(s.value), "assumption": "ja" if s.assumption
          else "nein", "quote": s.quote, "source_url": s.source_url, "note": s.note}
         for s in sources]).rename(columns=_RULE_HEADERS)
    attrs = eligibility_frame.attrs
    attribution = [a.strip() for a in str(attrs.get("attribution", "")).split("·") if a.strip()]
    n_grantees = 0 if grantees is None else len(grantees)
    lines = [("Geometrie (Gemeindegrenzen)", a) for a in attribution[:1]]
    lines += [("Einwohnerzahlen", a) for a in attribution[1:]]
    lines += [
        ("Gebietsstand der Grenzen", str(attrs.get("boundary_date", ""))),
        ("Stichtag der Einwohnerzahlen", str(attrs.get("population_date", ""))),
        ("KIV-Regeln", f"{rules.describe()} Datei: data/kiv_rules.toml (jede Regel mit "
                       "Zitat und Quelle im Blatt 'Regeln')"),
        ("WIR-Vielfaltszentren", f"data/wir_centres.csv: {0 if centres is None else len(centres)}"
                                 " Zentren, jede Zeile mit Quelle; Lage 'town' = amtlicher "
                                 "Mittelpunkt (Destatis) des Ortes, an dem die Stelle sitzt"),
        ("KIV-Förderungen", f"data/kiv_grantees.csv: {n_grantees} öffentlich belegte "
                            "Gemeinden. Die Liste ist unvollständig: das Ministerium nennt "
                            "24 bis 27 geförderte Kommunen."),
        ("Entfernungen", "Luftlinie (Ellipsoid GRS80) vom amtlichen Mittelpunkt der Gemeinde "
                         "zum Standort des Zentrums, auf 0,1 km gerundet"),
        ("Erstellt mit", f"wirgeo {__version__}"),
    ]
    sheets["Quellen"] = pd.DataFrame(lines, columns=["Angabe", "Wert"])
    return sheets


def _plain(value) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v:,}".replace(",", ".") if isinstance(v, int) else f"{k}: {v}"
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def _format_sheet(name: str, sheet, frame: pd.DataFrame) -> None:
    """Set number formats by column meaning; wrap long text in rules and sources."""
    from openpyxl.styles import Alignment, Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for j, column in enumerate(frame.columns, start=1):
        header = str(column)
        if header.endswith("Einwohner") or header.endswith("Gemeinden") or \
                header in _INTEGER_HEADERS:
            fmt = "#,##0"
        elif header.startswith("Anteil"):
            fmt = "0.0%"
        elif "km" in header:
            fmt = "0.0"
        elif "WGS84" in header:
            fmt = "0.000000"
        else:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=j,
                                       max_col=j):
            cell.number_format = fmt
    if name in ("Regeln", "Quellen"):
        from openpyxl.utils import get_column_letter

        for j in range(1, len(frame.columns) + 1):
            letter = get_column_letter(j)
            if sheet.column_dimensions[letter].width >= 40:
                sheet.column_dimensions[letter].width = 80
                for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_summary(eligibility_frame: pd.DataFrame, path: str | Path, **kwargs) -> Path:
    """Write the summary workbook (see :func:`summary_sheets`) atomically.

    The same inputs give a byte-identical file. Keyword arguments go to
    :func:`summary_sheets`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from wirgeo import load_municipalities
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "summary.xlsx"
    >>> write_summary(eligibility(load_municipalities()), out).name
    'summary.xlsx'
    """
    path = _output.check_output_path(path, formats=(".xlsx",))
    sheets = summary_sheets(eligibility_frame, **kwargs)
    return _output.write_workbook(path, sheets, formatter=_format_sheet)
