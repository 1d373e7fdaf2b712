"""The join of boundaries and population, on the real Hessen (and Rheinland-Pfalz) data."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import shapely

from wirgeo.core.i18n import speaking
from wirgeo.core.paths import data_dir
from wirgeo.errors import ArgumentError, InputError, JoinError
from wirgeo.municipalities import (
    STATUS_VALUES,
    load,
    read_territorial_changes,
)
from wirgeo.wording import report_text

DOCUMENTED_COLUMNS = [
    "ags", "ars", "name", "name_official", "type", "status", "kreis_ags", "kreis_name",
    "rbz_ags", "rbz_name", "state", "population", "population_male", "population_female",
    "population_date", "boundary_date", "area_km2", "postcode", "lon", "lat",
    "urbanisation_code", "urbanisation", "census_population", "foreign_share",
    "migration_share", "under18_share", "over60_share", "foreign_residents", "merged_from",
    "geometry",
]


@pytest.fixture(scope="module")
def raw_hessen(destatis_sheet):
    """Hessen rows of the Destatis sheet, read with openpyxl only (independent of wirgeo)."""
    rows = [r for r in destatis_sheet if r[0] == "60" and r[2] == "06"]
    return pd.DataFrame({"ags": [r[2] + r[3] + r[4] + r[6] for r in rows],
                         "tk": [r[1] for r in rows], "population": [r[9] for r in rows]})


def test_hessen_figures(hessen, raw_hessen):
    mun, report = hessen.municipalities, hessen.report
    assert report.ok and report.strict
    assert report.gemeinden == 421 and report.gemeindefrei == 4
    assert report.kreise == 26 and len(hessen.districts) == 26
    assert report.population_total == 6_420_729 == int(raw_hessen["population"].sum())
    assert report.small_gemeinden == 246
    assert len(report.changes_applied) == 3
    assert report.matched == 425
    assert report.boundaries_without_population == []
    assert report.population_without_boundary == []
    assert report.kreisfreie_staedte == 5 and report.sonderstatusstaedte == 7
    assert report.boundary_date == "2016-01-01" and report.population_date == "2023-12-31"
    assert len(mun) == 425
    assert sorted(mun["ags"]) == sorted(raw_hessen["ags"])


def test_hessen_columns_and_keys(municipalities):
    mun = municipalities
    assert list(mun.columns) == DOCUMENTED_COLUMNS
    assert mun.crs.to_epsg() == 25832
    assert mun["ags"].str.fullmatch(r"06\d{6}").all() and mun["ags"].is_unique
    assert (mun["kreis_ags"] == mun["ags"].str[:5]).all()
    assert set(mun["status"]) <= set(STATUS_VALUES)
    assert mun.geometry.is_valid.all()
    assert (mun.geom_type == "MultiPolygon").all()
    assert mun["kreis_name"].notna().all() and mun["rbz_name"].notna().all()
    assert set(mun["rbz_name"]) == {"Regierungsbezirk Darmstadt", "Regierungsbezirk Gießen",
                                    "Regierungsbezirk Kassel"}
    assert mun.attrs["attribution"].startswith("© GeoBasis-DE / BKG 2016")
    assert "Destatis" in mun.attrs["attribution"]


def test_population_matches_raw_table_row_by_row(municipalities, raw_hessen):
    joined = municipalities.set_index("ags")["population"]
    raw = raw_hessen.set_index("ags")["population"]
    assert (joined.sort_index() == raw.sort_index()).all()


def test_status_classes(municipalities, raw_hessen):
    mun = municipalities.set_index("ags")
    raw_kreisfrei = set(raw_hessen.loc[raw_hessen.tk == "61", "ags"])
    assert set(mun.index[mun.status == "kreisfreie_stadt"]) == raw_kreisfrei
    assert mun.loc["06435014", "status"] == "sonderstatusstadt"  # Hanau
    assert mun.loc["06412000", "kreis_name"] == "Frankfurt am Main"
    assert mun.loc["06611000", "kreis_name"] == "Kassel"  # kreisfreie Stadt
    assert mun.loc["06633001", "kreis_name"] == "Landkreis Kassel"
    gemfrei = mun[mun.status == "gemeindefrei"]
    assert len(gemfrei) == 4 and (gemfrei.population == 0).all()
    assert set(gemfrei.index) == set(raw_hessen.loc[raw_hessen.tk == "66", "ags"])
    assert (gemfrei["type"] == "gemeindefreies Gebiet").all()


def test_mergers_dissolve_old_units(hessen, shared_raw):
    import geopandas as gpd

    mun = hessen.municipalities.set_index("ags")
    old = gpd.read_file(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg",
                        layer="vg250_gem").set_index("AGS")
    changes = read_territorial_changes()
    for new, group in changes.groupby("new_ags"):
        row = mun.loc[new]
        assert row["name"] == group["new_name"].iloc[0]
        assert row["merged_from"] == ";".join(sorted(group["old_ags"]))
        union = shapely.union_all(old.loc[list(group["old_ags"])].geometry.to_numpy())
        assert row.geometry.symmetric_difference(union).area < 1.0
        for gone in set(group["old_ags"]) - {new}:
            assert gone not in mun.index
    text = report_text(hessen.report)
    assert "06437016 Oberzent ← 06437002, 06437008, 06437014, 06437015" in text
    assert [c.action for c in hessen.report.changes] == ["dissolved"] * 3  # codes


def test_districts_sum_their_municipalities(hessen):
    dis = hessen.districts.set_index("kreis_ags")
    sums = hessen.municipalities.groupby("kreis_ags")["population"].sum()
    assert (dis["population"] == sums).all()
    assert int(dis["kreisfrei"].sum()) == 5
    assert int(dis["n_gemeinden"].sum()) == 421
    assert int(dis["n_small"].sum()) == 246
    assert dis.loc["06437", "name"] == "Odenwaldkreis"


def test_report_text_has_every_figure(hessen):
    text = report_text(hessen.report)  # German by default
    for figure in ("421 + 4 gemeindefreie Gebiete", "Kreise                    26",
                   "6.420.729", "3 angewandt", "Grenzen ohne Einwohner    0",
                   "Einwohner ohne Grenze     0", "Stand 01.01.2016", "Stand 31.12.2023",
                   "© GeoBasis-DE / BKG 2016", "Gebietsstand 31.12.2023", "Ergebnis: OK"):
        assert figure in text, figure
    with speaking("en"):
        text = report_text(hessen.report)
    for figure in ("6,420,729", "3 applied", "boundaries w/o population 0",
                   "population w/o boundary   0", "as of 1 Jan 2016", "as of 31 Dec 2023",
                   "result: OK"):
        assert figure in text, figure


def test_warm_load_reads_the_cache_and_equals_a_cold_load(hessen, shared_raw):
    cold = load("06", source=shared_raw, cache=False)
    assert not cold.report.from_cache
    warm = load("06", source=shared_raw)
    assert warm.report.from_cache
    pd.testing.assert_frame_equal(pd.DataFrame(warm.municipalities.drop(columns="geometry")),
                                  pd.DataFrame(cold.municipalities.drop(columns="geometry")))
    assert warm.municipalities.geom_equals_exact(cold.municipalities.geometry, 0).all()
    pd.testing.assert_frame_equal(pd.DataFrame(warm.districts.drop(columns="geometry")),
                                  pd.DataFrame(cold.districts.drop(columns="geometry")))
    assert warm.report.population_total == cold.report.population_total


def test_cache_key_follows_curated_tables(tmp_path, shared_raw, setting):
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    setting(data=data, geo=tmp_path / "geo")
    first = load("06", source=shared_raw)
    assert not first.report.from_cache
    # drop the Wesertal merger: the old units must come back, not a stale cached table
    changes = (data / "territorial_changes.csv").read_text().splitlines()
    (data / "territorial_changes.csv").write_text(
        "\n".join(line for line in changes if "Wesertal" not in line) + "\n")
    with pytest.raises(JoinError) as info:
        load("06", source=shared_raw)
    assert "06633021" in str(info.value) and "06633030" in str(info.value)


def test_population_csv_override(tmp_path, shared_raw, municipalities):
    pop = municipalities[["ags", "population"]].assign(population=lambda d: d.population + 1,
                                                       date="2024-12-31")
    path = tmp_path / "newer.csv"
    pop.to_csv(path, sep=";", index=False)
    dataset = load("06", source=shared_raw, population=path, cache=False)
    assert dataset.report.population_total == 6_420_729 + 425
    assert dataset.report.population_date == "2024-12-31"
    assert dataset.report.population_kind == "csv"
    assert (dataset.municipalities["population_date"] == "2024-12-31").all()
    # attributes the CSV lacks are filled from the geometry, not left empty
    assert dataset.municipalities[["area_km2", "lon", "lat"]].notna().all().all()


def test_population_csv_missing_municipality_is_named(tmp_path, shared_raw, municipalities):
    pop = municipalities[["ags", "population"]].assign(date="2024-12-31")
    pop = pop[pop.ags != "06531005"]  # Gießen
    path = tmp_path / "partial.csv"
    pop.to_csv(path, index=False)
    with pytest.raises(JoinError, match="06531005 Gießen"):
        load("06", source=shared_raw, population=path, cache=False)
    explore = load("06", source=shared_raw, population=path, cache=False, strict=False)
    assert len(explore.municipalities) == 424
    assert explore.report.boundaries_without_population == [("06531005", "Gießen")]


@pytest.mark.germany
def test_rheinland_pfalz_strict_and_explore(shared_raw):
    """2016 boundaries and 2023 population do not fully match in RLP; no change table."""
    with pytest.raises(JoinError) as info:
        load("07", source=shared_raw, cache=False)
    text = str(info.value)
    for key in ("07132074", "07132084", "07232021", "07232052", "07339027", "07339061",
                "07132502", "07232502"):
        assert key in text
    assert "--allow-unmatched" in text
    report = info.value.report
    assert report.matched == 2299
    explore = load("07", source=shared_raw, strict=False, cache=False)
    assert len(explore.municipalities) == 2299
    assert explore.municipalities["ags"].str.startswith("07").all()
    assert explore.report.population_total < explore.report.population_table_total
    assert len(explore.districts) == 36


def test_bad_state_key(english, shared_raw):
    with pytest.raises(InputError, match="lost its leading zero"):
        load("6", source=shared_raw)


# ------------------------------------------------- VG250-EW: EWZ against the population


def _vg250_ew(src, dst, ewz_of):
    """A VG250-EW-like copy of the real Hessen file: ``EWZ`` on the municipality layer."""
    import warnings

    import geopandas as gpd

    for layer in ("vg250_gem", "vg250_krs", "vg250_rbz", "vg250_lan"):
        gdf = gpd.read_file(src, layer=layer)
        gdf["EWZ"] = gdf["AGS"].map(ewz_of).fillna(0).astype("int64")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "'crs' was not provided")
            gdf.to_file(dst, layer=layer, driver="GPKG")
    return dst


def test_ewz_of_the_boundaries_is_compared_with_the_population_table(
        tmp_path, shared_raw, municipalities, run_cli):
    pop = municipalities.set_index("ags")["population"].to_dict()
    # the old units of a merger carry its inhabitants between them (first part), as an
    # older VG250-EW would
    for new, group in read_territorial_changes().groupby("new_ags"):
        olds = sorted(group["old_ags"])
        pop.update(dict.fromkeys(olds, 0))
        pop[olds[0]] = municipalities.set_index("ags").at[new, "population"]
    pop["06412000"] += 250   # Frankfurt am Main
    pop["06611000"] -= 7     # Kassel
    gpkg = _vg250_ew(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg",
                     tmp_path / "vg250-ew_2016-01-01.gpkg", pop)
    xlsx = shared_raw / "destatis" / "31122023_Auszug_GV.xlsx"
    report = load("06", boundaries=gpkg, population=xlsx, cache=False).report
    assert report.ewz_compared == 425
    frankfurt = municipalities.set_index("ags").at["06412000", "population"]
    kassel = municipalities.set_index("ags").at["06611000", "population"]
    assert report.ewz_differences == [
        ("06412000", "Frankfurt am Main", frankfurt + 250, frankfurt),
        ("06611000", "Kassel", kassel - 7, kassel)]
    with speaking("en"):
        text = report_text(report)
    assert "EWZ of the boundaries     2 of 425 differ from the population table " \
           "(06412000, 06611000)" in text
    assert f"largest: 06412000 Frankfurt am Main: EWZ {frankfurt + 250:,}, population " \
           f"table {frankfurt:,} (−250)" in text
    assert "2 von 425 weichen von der Einwohnertabelle ab" in report_text(report)
    code, out, err = run_cli("data", "check", "--boundaries", gpkg, "--population", xlsx,
                             "--no-cache")
    assert code == 0, err
    assert "2 von 425 weichen" in out
    # without a population table the EWZ is the population: nothing to compare
    alone = load("06", boundaries=gpkg, source=tmp_path, cache=False, strict=False).report
    assert alone.population_kind == "vg250-ew" and alone.ewz_compared == 0
    assert "EWZ der Grenzen" not in str(alone)


def test_a_kreis_is_found_without_its_kreis_ending(municipalities):
    """"Vogelsberg" is the Vogelsbergkreis, "Main-Kinzig" the Main-Kinzig-Kreis (issue 25)."""
    from wirgeo.municipalities import resolve_kreise

    assert resolve_kreise("Vogelsberg", municipalities) == ("06535",)
    assert resolve_kreise(["Main-Kinzig", "werra-meissner"], municipalities) == (
        "06435", "06636")
    with pytest.raises(ArgumentError, match="Vogelsbergkreis"):
        resolve_kreise("Vogelsburg", municipalities)
