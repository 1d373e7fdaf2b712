"""Thematic tables for the map tests, built here from the REAL Hessen municipalities.

The programme module (eligibility, centres, grantees) and the consortium engine produce
these tables in wirgeo itself; the map only relies on their documented columns (see
``wirgeo.maps``). Until those modules are merged, the map tests and ``bench/bench_maps.py``
use the stand-ins below:

* eligibility: classified here from the raw population and status columns (10,000–50,000
  single applicant, under 10,000 Verbund, kreisfrei/Sonderstatus excluded);
* centres: the 33 WIR-Vielfaltszentren with the host towns and addresses collected in
  ``../shared/programme/wir_centres.csv``, placed at the Destatis town coordinate;
* grantees: the publicly documented KIV grantees of ``../shared/programme/kiv_grantees.csv``;
* consortia / unplaced: a *greedy* pairing of neighbouring small Gemeinden (real
  neighbours, found on full-resolution geometry) — a stand-in with realistic size, not
  the optimal plan of the consortium engine.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["eligibility_frame", "centres_frame", "grantees_frame", "consortia_frames",
           "all_frames"]

LABELS = {
    "eligible_single": "eligible alone (10,000–50,000)",
    "verbund_needed": "eligible in a Verbund (under 10,000)",
    "not_eligible_large": "not eligible: over 50,000",
    "not_eligible_status": "not eligible: kreisfrei / Sonderstatus (own centre)",
    "uninhabited": "uninhabited (gemeindefrei)",
}

# Landkreis -> town of the Kreisverwaltung hosting its centre (street, postcode if known).
LANDKREIS_CENTRES = {
    "06431": ("Heppenheim (Bergstraße)", "", ""),
    "06432": ("Darmstadt", "", ""),
    "06433": ("Groß-Gerau", "", ""),
    "06434": ("Bad Homburg v.d. Höhe", "", ""),
    "06435": ("Gelnhausen", "", ""),
    "06436": ("Hofheim am Taunus", "Am Kreishaus 1-5", "65719"),
    "06437": ("Erbach", "Michelstädter Straße 12", "64711"),
    "06438": ("Dietzenbach", "", ""),
    "06439": ("Bad Schwalbach", "Heimbacher Straße 7", "65307"),
    "06440": ("Friedberg (Hessen)", "", ""),
    "06531": ("Gießen", "Riversplatz", ""),
    "06532": ("Wetzlar", "Karl-Kellner-Ring 51", "35576"),
    "06533": ("Limburg a.d. Lahn", "", ""),
    "06534": ("Marburg", "", ""),
    "06535": ("Lauterbach (Hessen)", "Goldhelg 20", "36341"),
    "06631": ("Fulda", "", ""),
    "06632": ("Bad Hersfeld", "", ""),
    "06633": ("Kassel", "", ""),
    "06634": ("Homberg (Efze)", "", ""),
    "06635": ("Korbach", "", ""),
    "06636": ("Eschwege", "", ""),
}

GRANTEES = [  # name, round, years, project, amount, source
    ("Eltville am Rhein", "KIV I", "2018/2019", "Integrations- und Vielfaltsstrategie "
     "Eltville", None, "https://petra-mueller-klepper.de/aktuelles/integration-gezielt-"
     "voranbringen-land-unterstuetzt-kommunen/"),
    ("Geisenheim", "KIV I", "2018/2019", "Kommunale Integrations- und Vielfaltsstrategie "
     "Hochschulstadt Geisenheim", None, "https://www.hessen-tageblatt.com/geisenheim-am-"
     "rhein-vielfalt-und-integration-in-geisenheim-hochschulstadt-geisenheim-erstellt-"
     "kommunale-integrations-und-vielfaltsstrategie-66185"),
    ("Niedernhausen", "KIV I", "Nov 2018 – Oct 2019", "Integrationsstrategie für die "
     "Gemeinde Niedernhausen", None, "https://fluchtpunktndh.social/2018/11/01/"
     "integrationsstrategie-in-der-kommune-niedernhausen/"),
    ("Seligenstadt", "KIV I", "2018/2019", "Zusammen.Leben.Seligenstadt", None,
     "https://www.op-online.de/region/seligenstadt/auf-dem-weg-zum-vielfaltsmanager-"
     "90088005.html"),
    ("Weiterstadt", "KIV II", "2020–2021", "Kommunale Integrations- und "
     "Vielfaltsstrategie Weiterstadt", 20_000, "https://www.weiterstadt.de/verwaltung-"
     "service/aktuelles/aktuelle-meldungen/detail.php?we_objectID=8050"),
    ("Bensheim", "KIV II", "2020 – autumn 2021", "Kommunale Integrations- und "
     "Vielfaltsstrategien (KIV) Bensheim", 20_000, "https://www.morgenweb.de/"
     "bergstraesser-anzeiger_artikel,-bensheim-integration-aktivitaeten-buendeln-akteure-"
     "vernetzen-_arid,1657683.html"),
    ("Idstein", "KIV III", "from 15 March 2022", "WIR in Idstein – Zusammenleben "
     "gemeinsam gestalten", None, "https://www.idstein.de/artikel/pressemitteilungen/2022/"
     "wir-in-idstein/"),
]


def _by_name(mun: pd.DataFrame, name: str) -> pd.Series:
    rows = mun[mun["name"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


def grantees_frame(mun: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = []
    for name, rnd, years, project, amount, url in GRANTEES:
        g = _by_name(mun, name)
        rows.append({"ags": g["ags"], "name": name, "round": rnd, "years": years,
                     "project": project, "amount_eur": amount, "source_url": url,
                     "consortium_id": None})
    frame = pd.DataFrame(rows)
    frame.attrs["attribution"] = "KIV grantees: public sources, see source_url"
    return frame


def centres_frame(mun: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows = []
    kreise = mun.drop_duplicates("kreis_ags").set_index("kreis_ags")["kreis_name"]
    for kreis, (town, street, postcode) in LANDKREIS_CENTRES.items():
        t = _by_name(mun, town)
        rows.append({"name": f"WIR-Vielfaltszentrum {kreise[kreis]}",
                     "host_type": "landkreis", "host_ags": kreis,
                     "organisation": f"Kreisverwaltung {kreise[kreis]}", "street": street,
                     "postcode": postcode, "town": town,
                     "location_precision": "address" if street else "town",
                     "status": "found", "source_url": "https://soziales.hessen.de/",
                     "lon": t["lon"], "lat": t["lat"]})
    cities = mun[mun["status"].isin(["kreisfreie_stadt", "sonderstatusstadt"])]
    for c in cities.itertuples():
        rows.append({"name": f"WIR-Vielfaltszentrum {c.name}", "host_type": c.status,
                     "host_ags": c.ags, "organisation": f"Stadt {c.name}", "street": "",
                     "postcode": "", "town": c.name, "location_precision": "town",
                     "status": "found", "source_url": "https://soziales.hessen.de/",
                     "lon": c.lon, "lat": c.lat})
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]),
                            geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                            crs=4326)


def _distance_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0088 * 2 * np.arcsin(np.sqrt(a))


def eligibility_frame(mun: gpd.GeoDataFrame, grantees: pd.DataFrame | None = None,
                      centres: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    grantees = grantees_frame(mun) if grantees is None else grantees
    centres = centres_frame(mun) if centres is None else centres
    pop, status = mun["population"], mun["status"]
    cls = np.select(
        [status.eq("gemeindefrei"), status.isin(["kreisfreie_stadt", "sonderstatusstadt"]),
         pop > 50_000, pop >= 10_000],
        ["uninhabited", "not_eligible_status", "not_eligible_large", "eligible_single"],
        default="verbund_needed")
    out = mun.copy()
    out["eligibility"] = cls
    out["eligibility_label"] = out["eligibility"].map(LABELS)
    funded = grantees.groupby("ags").agg(round=("round", "first"), years=("years", "first"))
    out["funded"] = out["ags"].isin(funded.index)
    out["funded_round"] = out["ags"].map(funded["round"])
    out["funded_years"] = out["ags"].map(funded["years"])
    # Own centre for kreisfreie Städte and Sonderstatusstädte, else the Landkreis centre.
    by_host = centres.set_index("host_ags")
    host = np.where(out["ags"].isin(by_host.index), out["ags"], out["kreis_ags"])
    host = pd.Series(host, index=out.index).where(
        pd.Series(host, index=out.index).isin(by_host.index))
    centre = by_host.reindex(host)
    out["centre_name"] = centre["name"].to_numpy()
    out["centre_distance_km"] = np.round(_distance_km(
        out["lon"].to_numpy(), out["lat"].to_numpy(), centre.geometry.x.to_numpy(),
        centre.geometry.y.to_numpy()), 1)
    return out


def consortia_frames(mun: gpd.GeoDataFrame, exclude=()) -> tuple[gpd.GeoDataFrame,
                                                                  pd.DataFrame]:
    """Greedy Verbünde of neighbouring small Gemeinden, and the small ones left over."""
    small = mun[(mun["status"] == "kreisangehoerig") & (mun["population"] > 0)
                & (mun["population"] < 10_000) & ~mun["ags"].isin(list(exclude))]
    small = small.sort_values("ags").reset_index(drop=True)
    geoms = small.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=1.0)
    neighbours = {i: sorted(set(right[left == i]) - {i}) for i in range(len(small))}
    pop = small["population"].to_numpy()
    used: set[int] = set()
    groups = []
    for i in range(len(small)):
        if i in used:
            continue
        free = [j for j in neighbours[i] if j not in used]
        if not free:
            continue
        j = max(free, key=lambda k: (pop[k], -k))
        group = [i, j]
        if pop[i] + pop[j] < 10_000:
            third = [k for k in set(neighbours[i]) | set(neighbours[j])
                     if k not in used and k not in group]
            if not third:
                continue
            group.append(max(third, key=lambda k: (pop[k], -k)))
            if pop[group].sum() < 10_000:
                continue
        used.update(group)
        groups.append(sorted(group))
    rows, shapes = [], []
    for n, group in enumerate(groups, start=1):
        members = small.iloc[group]
        border = 0.0
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                border += shapely.intersection(geoms[group[a]].boundary,
                                               geoms[group[b]].boundary).length
        kreise = sorted(members["kreis_ags"].unique())
        rows.append({"consortium_id": f"V{n:03d}", "n_members": len(group),
                     "member_ags": ";".join(members["ags"]),
                     "member_names": ";".join(members["name"]),
                     "population": int(members["population"].sum()),
                     "kreis_ags": ";".join(kreise),
                     "kreis_names": ";".join(members.drop_duplicates("kreis_ags")
                                             .sort_values("kreis_ags")["kreis_name"]),
                     "same_kreis": len(kreise) == 1,
                     "shared_border_km": round(border / 1000, 2)})
        shapes.append(shapely.union_all(members.geometry.to_numpy()))
    consortia = gpd.GeoDataFrame(rows, geometry=shapes, crs=mun.crs)
    left_over = small.drop(index=sorted(used))
    unplaced = pd.DataFrame({
        "ags": left_over["ags"], "name": left_over["name"],
        "kreis_name": left_over["kreis_name"], "population": left_over["population"],
        "reason_code": "stand_in_greedy",
        "reason": "greedy stand-in: no unused small neighbour left with which the "
                  "combined population reaches 10,000",
    }).reset_index(drop=True)
    return consortia, unplaced


_CACHE: dict[int, dict] = {}


def all_frames(mun: gpd.GeoDataFrame) -> dict:
    """Every thematic table for ``mun``, as keyword arguments of ``planning_map``.

    Cached per frame object (the test session's ``municipalities`` fixture is one object).
    """
    key = id(mun)
    if key not in _CACHE:
        grantees = grantees_frame(mun)
        centres = centres_frame(mun)
        consortia, unplaced = consortia_frames(mun, exclude=grantees["ags"])
        _CACHE[key] = {"eligibility": eligibility_frame(mun, grantees, centres),
                       "centres": centres, "grantees": grantees, "consortia": consortia,
                       "unplaced": unplaced, "_mun": mun}
    return {k: v for k, v in _CACHE[key].items() if not k.startswith("_")}
