"""The embedded dataset: rebuilt from the official files, read as the official files are.

Mirrors ``wirgeo.sources.bundle`` (the file format) and ``wirgeo.municipalities.bundle``
(the build). Every comparison is against a load of the official files in
``../shared/data/raw``.
"""

from __future__ import annotations

import doctest
import json
import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from wirgeo.core.i18n import speaking
from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.municipalities import build_bundle, load
from wirgeo.settings import settings
from wirgeo.sources import EMBEDDED_BUNDLES, bundle_info, find_sources, read_bundle
from wirgeo.wording import data_source_line, report_text

COMMITTED = EMBEDDED_BUNDLES["06"]


@pytest.fixture
def no_source_folder(setting, tmp_path):
    """No --source, no WIRGEO_SOURCE, an empty geo/ (so no geo/sources/): a fresh install."""
    setting(source=None, geo=tmp_path / "geo")
    return tmp_path


@pytest.fixture(scope="module")
def from_bundle():
    """The Hessen dataset read from the committed bundle (not through the cache)."""
    with settings.override(source=None):
        return load("06", cache=False)


# ------------------------------------------------------------------ the committed file


def test_rebuilding_from_the_official_files_gives_the_committed_bundle(shared_raw, tmp_path,
                                                                      municipalities):
    # whatever ran before in the process: once PROJ has identified a CRS, EPSG:25832 came
    # back without its datum ensemble and the bundle's metadata differed
    assert municipalities.crs.to_epsg() == 25832
    rebuilt = build_bundle(shared_raw, tmp_path / "rebuilt.parquet")
    old, new = pq.read_table(COMMITTED), pq.read_table(rebuilt)
    assert new.schema.equals(old.schema, check_metadata=False)
    assert new.equals(old)  # every value, every WKB byte of every boundary
    for key in (b"geo", b"wirgeo"):
        assert json.loads(new.schema.metadata[key]) == json.loads(old.schema.metadata[key])
    if pq.ParquetFile(rebuilt).metadata.created_by == pq.ParquetFile(
            COMMITTED).metadata.created_by:
        # same pyarrow as the committed file was written with: the same bytes
        assert rebuilt.read_bytes() == COMMITTED.read_bytes()
    again = build_bundle(shared_raw, tmp_path / "again.parquet")
    assert again.read_bytes() == rebuilt.read_bytes()


def test_bundle_is_small_and_keeps_every_vertex(hessen):
    assert COMMITTED.stat().st_size < 1_000_000
    boundaries, _ = read_bundle()
    geoms = boundaries.municipalities.geometry.to_numpy()
    assert shapely.get_num_coordinates(geoms).sum() == shapely.get_num_coordinates(
        hessen.municipalities.geometry.to_numpy()).sum() == 82_471
    columns = pq.read_schema(COMMITTED).names
    # nothing the join derives is stored
    assert not {"kreis_ags", "kreis_name", "rbz_ags", "rbz_name", "state", "status",
                "population_date", "boundary_date"} & set(columns)


def test_bundle_names_its_sources_licences_and_dates(shared_raw):
    info = bundle_info()
    bkg, destatis, census = info["sources"]
    census_file = ("zensus2022/census2022_municipality_demographics_housing_hessen.csv")
    for source, path in ((bkg, shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg"),
                         (destatis, shared_raw / "destatis" / "31122023_Auszug_GV.xlsx"),
                         (census, shared_raw / census_file)):
        assert source["file"] == path.name and source["size"] == path.stat().st_size
        assert len(source["sha256"]) == 64
    assert destatis["sha256"].startswith("0ced8a6431307efa")
    assert "GeoNutzV" in bkg["licence"] and "dl-de/by-2-0" in bkg["licence"]
    assert "mit Quellenangabe gestattet" in destatis["licence"]
    assert bkg["attribution"] == "© GeoBasis-DE / BKG 2016 (Daten verändert)"
    assert destatis["attribution"].endswith("Gebietsstand 31.12.2023")
    assert (bkg["date"], destatis["date"], info["territory_date"]) == (
        "2016-01-01", "2023-12-31", "2023-12-31")
    assert [c["new_ags"] for c in info["territorial_changes"]] == [
        "06437016", "06633030", "06635001"]
    assert info["units"] == 425 and len(info["kreise"]) == 26 and len(info["regions"]) == 3
    # the Zensus 2022 table: provenance, licence, attribution with its date, the merge
    assert census["sha256"].startswith("f33179a3d20b6163") and census["rows"] == 422
    assert "dl-de/by-2-0" in census["licence"]
    assert census["attribution"] == ("Statistische Ämter des Bundes und der Länder, "
                                     "Zensus 2022 (15.05.2022)")
    assert census["merges"] == [{"new_ags": "06635001", "new_name": "Allendorf (Eder)",
                                 "old_ags": ["06635005"], "in_force": "2021-01-01"}]


# ------------------------------------------------------- the same table as the files


def test_bundle_gives_the_same_municipality_table(hessen, from_bundle):
    official, embedded = hessen.municipalities, from_bundle.municipalities
    assert_geodataframe_equal(official, embedded, check_less_precise=False)
    assert (official.dtypes == embedded.dtypes).all()
    assert shapely.equals_exact(official.geometry.to_numpy(),
                                embedded.geometry.to_numpy(), 0).all()
    assert official.attrs["attribution"] == embedded.attrs["attribution"]
    assert from_bundle.report.embedded and not hessen.report.embedded
    for figure in ("gemeinden", "gemeindefrei", "kreise", "population_total",
                   "small_gemeinden", "matched", "kreisfreie_staedte"):
        assert getattr(from_bundle.report, figure) == getattr(hessen.report, figure)
    assert from_bundle.report.changes == hessen.report.changes


def test_kreise_and_regions_dissolved_from_the_gemeinden_match_the_official_layers(
        hessen, from_bundle):
    for layer, key in (("districts", "kreis_ags"), ("regions", "rbz_ags")):
        official, dissolved = getattr(hessen, layer), getattr(from_bundle, layer)
        # same keys, names and figures (areas rounded to 0.01 km² included)
        pd.testing.assert_frame_equal(pd.DataFrame(official.drop(columns="geometry")),
                                      pd.DataFrame(dissolved.drop(columns="geometry")))
        area_official = official.geometry.area.to_numpy()
        area_dissolved = dissolved.geometry.area.to_numpy()
        # measured: relative difference below 1e-14, symmetric difference 0 m²
        assert (abs(area_dissolved - area_official) / area_official).max() < 1e-9, key
        assert official.geometry.symmetric_difference(dissolved.geometry).area.max() < 1.0


def test_no_source_folder_at_all_loads_the_bundle(no_source_folder, hessen):
    files = find_sources()
    assert files.embedded and files.boundaries == COMMITTED and files.population is None
    dataset = load()
    assert dataset.report.data_source == "embedded bundle"
    assert len(dataset.municipalities) == 425
    assert int(dataset.municipalities["population"].sum()) == 6_420_729
    text = report_text(dataset.report)
    assert "eingebaute Kopie" in text and "wirgeo data download" in text
    assert "erstellt aus vg250_2016-01-01_hessen.gpkg" in text
    assert dataset.municipalities.attrs["data_source"] == "embedded bundle"
    assert "eingebaute Kopie" in data_source_line(dataset.municipalities.attrs)
    with speaking("en"):
        assert "made from vg250_2016-01-01_hessen.gpkg" in report_text(dataset.report)
    # a second load comes from the cache, still saying where the data came from
    again = load()
    assert again.report.from_cache and again.report.embedded


def test_doctest_examples_run_on_the_bundle(no_source_folder, shared_raw):
    """Docstring examples need no source folder (they load the bundle).

    The examples of the loading modules and of the candidate enumeration (plans of one
    Kreis); the other modules load the same way (``load_municipalities()``), and their
    statewide plans on the bundle would plan the same table again: the bundle is the
    official files' table (``test_rebuilding_from_the_official_files_gives_the_committed_bundle``).
    """
    import wirgeo.consortia.enumeration
    import wirgeo.municipalities
    import wirgeo.sources.bundle

    for module in (wirgeo.municipalities, wirgeo.sources.bundle,
                   wirgeo.consortia.enumeration):
        failed, attempted = doctest.testmod(module, extraglobs={"SHARED_RAW": shared_raw})
        assert attempted > 0 and failed == 0, module.__name__


def test_population_file_is_joined_to_the_bundle_boundaries(no_source_folder, tmp_path,
                                                             municipalities):
    inhabited = municipalities["population"] > 0
    pop = municipalities[["ags", "population"]].assign(
        population=municipalities["population"] + inhabited, date="2024-12-31")
    path = tmp_path / "pop.csv"
    pop.to_csv(path, index=False)
    dataset = load(population=path)
    assert dataset.report.data_source == "embedded bundle + population file"
    assert dataset.report.population_date == "2024-12-31"
    assert int(dataset.municipalities["population"].sum()) == 6_420_729 + 421
    line = data_source_line(dataset.municipalities.attrs)
    assert "Einwohnerzahlen aus pop.csv" in line
    with speaking("en"):
        assert "population of pop.csv" in data_source_line(dataset.municipalities.attrs)


def test_outputs_name_the_data_source(from_bundle):
    from wirgeo.maps.validation import attribution

    line = attribution(from_bundle.municipalities, [])
    assert "eingebaute Kopie der amtlichen Dateien" in line and "wirgeo data download" in line


# -------------------------------------------------------------- what stays an error


def test_a_folder_named_explicitly_is_never_replaced_by_the_bundle(english, tmp_path):
    with pytest.raises(SourceNotFoundError, match="source folder not found"):
        find_sources(tmp_path / "typo")


def test_other_states_without_sources_keep_the_expected_files_message(no_source_folder):
    with pytest.raises(SourceNotFoundError) as info:
        find_sources(state="07")
    text = str(info.value)
    assert "vg250_gem" in text and "Auszug_GV.xlsx" in text and "wirgeo data download" in text
    assert "(auch keine eingebaute Kopie: wirgeo bringt nur eine für Hessen (06) mit)" in text


def test_bundle_for_another_state_is_refused(english):
    with pytest.raises(InputError, match="covers state 06"):
        read_bundle(COMMITTED, state="07")


def test_a_parquet_file_that_is_not_a_bundle_is_refused(english, tmp_path, municipalities):
    other = tmp_path / "other.parquet"
    gpd.GeoDataFrame(municipalities[["ags", "geometry"]]).to_parquet(other)
    with pytest.raises(InputError, match="not a wirgeo bundle") as info:
        read_bundle(other)
    assert "other.parquet" in str(info.value) and "Fix:" in str(info.value)
    with pytest.raises(SourceNotFoundError, match="bundle file not found"):
        read_bundle(tmp_path / "missing.parquet")


# ------------------------------------------------------------------------- the CLI


def test_cli_data_bundle_writes_and_names_the_sources(run_cli, shared_raw, tmp_path):
    target = tmp_path / "hessen.parquet"
    code, out, err = run_cli("data", "bundle", "--source", shared_raw, "--out", target)
    assert code == 0, err
    assert f"geschrieben {target}" in out and "425 Einheiten in Hessen" in out
    assert "sha256 0ced8a6431307efa64c1576a072781dee24382acfc5abf26f16dbabbe90f2be8" in out
    assert pq.read_table(target).equals(pq.read_table(COMMITTED))


def test_cli_data_bundle_needs_out_for_other_states(english, run_cli, shared_raw):
    code, out, err = run_cli("data", "bundle", "--source", shared_raw, "--state", "07")
    assert code == 2 and "--out: wirgeo embeds no dataset for state 07" in err


def test_cli_without_any_source_folder_uses_the_bundle(tmp_path):
    """The console entry point in a fresh process: no ../shared, no WIRGEO_SOURCE."""
    env = {k: v for k, v in os.environ.items() if k != "WIRGEO_SOURCE"}
    env.update(WIRGEO_GEO=str(tmp_path / "geo"), PYTHONWARNINGS="ignore")
    result = subprocess.run([sys.executable, "-m", "wirgeo.cli", "data", "check"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "eingebaute Kopie (kein Quellordner gefunden)" in result.stdout
    assert "Einwohner insgesamt       6.420.729" in result.stdout
    assert "Ergebnis: OK" in result.stdout
