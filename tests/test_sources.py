"""Reading the official formats: BKG VG250, Destatis GV-ISys, plain population CSV."""

from __future__ import annotations

import datetime as dt
import warnings

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest

from wirgeo.errors import InputError, SourceNotFoundError
from wirgeo.sources import (
    check_key,
    find_sources,
    read_curated_csv,
    read_destatis_gv,
    read_population,
    read_population_csv,
    read_vg250,
)

# what an error says is checked in English, its message id (test_language checks German)
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def hessen_gpkg(shared_raw):
    return shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg"


@pytest.fixture(scope="module")
def germany_gpkg(shared_raw):
    return shared_raw / "bkg" / "vg250_2016-01-01_deutschland.gpkg"


@pytest.fixture(scope="module")
def destatis_xlsx(shared_raw):
    return shared_raw / "destatis" / "31122023_Auszug_GV.xlsx"


@pytest.fixture(scope="module")
def destatis(destatis_gv):
    return destatis_gv


@pytest.fixture(scope="module")
def destatis_rows(destatis_sheet):
    """Title and header rows plus the Hessen rows of the real Destatis sheet."""
    rows = destatis_sheet
    head = rows[:6]
    hessen = [r for r in rows[6:] if r[2] == "06"]
    return head, hessen


def write_gv(path, head, body, sheet="Onlineprodukt_Gemeinden31122023"):
    """A Destatis-layout workbook made of real rows (possibly altered by the test)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Inhalt"
    ws = wb.create_sheet(sheet)
    for r in [*head, *body]:
        ws.append(list(r))
    wb.save(path)
    return path


# ------------------------------------------------------------------------- keys


def test_check_key_accepts_text_keys():
    assert check_key("06411000", 8, source="x") == "06411000"
    assert check_key(" 06 ", 2, source="x") == "06"


@pytest.mark.parametrize("value", [6411000, 6411000.0, "6411000"])
def test_check_key_explains_lost_leading_zero(value):
    with pytest.raises(InputError) as info:
        check_key(value, 8, source="pop.csv", row=4, column="AGS")
    text = str(info.value)
    assert "pop.csv, row 4, column 'AGS'" in text
    assert "leading zero" in text and "'06411000'" in text


@pytest.mark.parametrize("value", ["064110000000", "06A11000", ""])
def test_check_key_refuses_other_shapes(value):
    with pytest.raises(InputError):
        check_key(value, 8, source="x")


# ------------------------------------------------------------------------ VG250


def test_vg250_hessen_layers(hessen_gpkg):
    b = read_vg250(hessen_gpkg, "06")
    assert len(b.municipalities) == 430
    assert len(b.districts) == 26
    assert len(b.regions) == 3
    assert len(b.states) == 1
    assert b.municipalities.crs.to_epsg() == 25832
    assert b.municipalities["ags"].str.fullmatch(r"06\d{6}").all()
    assert b.districts["ags"].str.fullmatch(r"06\d{3}").all()
    assert b.date == dt.date(2016, 1, 1)
    assert "file name" in b.date_basis
    assert b.repaired == [] and b.water_parts == 0
    assert b.municipalities.geometry.is_valid.all()
    assert b.attribution == "© GeoBasis-DE / BKG 2016 (Daten verändert)"


@pytest.mark.germany
def test_vg250_germany_water_parts_do_not_duplicate(germany_gpkg):
    b = read_vg250(germany_gpkg, "01")  # Schleswig-Holstein: coastal water parts
    raw = pyogrio.read_dataframe(germany_gpkg, layer="vg250_gem", where="SN_L = '01'",
                                 read_geometry=False)
    assert b.water_parts == int((raw["GF"] == 2).sum()) > 0
    assert b.municipalities["ags"].is_unique
    assert set(b.municipalities["ags"]) == set(raw["AGS"])


@pytest.mark.germany
def test_vg250_germany_invalid_geometries_are_repaired_and_reported(germany_gpkg):
    raw = pyogrio.read_dataframe(germany_gpkg, layer="vg250_gem")
    invalid = raw[~raw.geometry.is_valid]
    assert len(invalid) == 11  # as documented in PROVENANCE.md
    repaired = []
    for state in sorted(invalid["SN_L"].unique()):
        b = read_vg250(germany_gpkg, state)
        repaired += b.repaired
        assert b.municipalities.geometry.is_valid.all()
        assert b.municipalities.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert sorted(repaired) == sorted(invalid["AGS"])


def test_vg250_date_from_bkg_aktualitaet(tmp_path, hessen_gpkg):
    folder = tmp_path / "vg250-ew_ebenen_1231"
    folder.mkdir()
    target = folder / "DE_VG250.gpkg"
    target.write_bytes(hessen_gpkg.read_bytes())
    (folder / "aktualitaet.txt").write_text("31.12.2023\n")
    b = read_vg250(target, "06")
    assert b.date == dt.date(2023, 12, 31)
    assert "aktualitaet" in b.date_basis


def test_vg250_date_from_wsk_when_nothing_else(tmp_path, hessen_gpkg):
    target = tmp_path / "boundaries.gpkg"
    target.write_bytes(hessen_gpkg.read_bytes())
    b = read_vg250(target, "06")
    wsk = pyogrio.read_dataframe(hessen_gpkg, layer="vg250_gem", read_geometry=False)["WSK"]
    assert b.date == dt.date.fromisoformat(max(wsk).replace("/", "-"))
    assert "WSK" in b.date_basis


def _copy_layers(src, dst, change=None):
    for layer in ("vg250_gem", "vg250_krs", "vg250_rbz", "vg250_lan"):
        gdf = gpd.read_file(src, layer=layer)
        if change:
            gdf = change(layer, gdf)
        if gdf is not None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "'crs' was not provided")
                gdf.to_file(dst, layer=layer, driver="GPKG")
    return dst


def test_vg250_ew_layout_with_ewz_and_water_parts(tmp_path, hessen_gpkg, destatis):
    """The current VG250-EW layout: EWZ on every layer, water parts sharing an AGS."""
    pop = destatis.for_state("06").municipalities.set_index("ags")["population"]

    def change(layer, gdf):
        gdf["EWZ"] = gdf["AGS"].map(pop).fillna(0).astype("int64")
        if layer == "vg250_gem":
            water = gdf[gdf["GEN"] == "Bad Karlshafen"].copy()
            water["GF"] = 2
            water["geometry"] = water.geometry.buffer(-500)
            gdf = pd.concat([gdf, water], ignore_index=True)
        return gdf

    target = _copy_layers(hessen_gpkg, tmp_path / "DE_VG250.gpkg", change)
    b = read_vg250(target, "06")
    assert b.has_ewz and b.water_parts == 1
    assert b.municipalities["ags"].is_unique and len(b.municipalities) == 430
    karlshafen = b.municipalities.set_index("name").loc["Bad Karlshafen"]
    assert karlshafen["ewz"] == pop[karlshafen["ags"]]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda layer, g: None if layer == "vg250_rbz" else g, "layer 'vg250_rbz' is missing"),
        (lambda layer, g: g.drop(columns=["GEN"]), "lacks the field(s) GEN"),
        (lambda layer, g: pd.concat([g, g.iloc[[5]]]) if layer == "vg250_gem" else g,
         "occurs on 2 land features"),
        (lambda layer, g: g.assign(AGS=g["AGS"].astype(int)), "stored as numbers"),
        (lambda layer, g: g.set_crs(None, allow_override=True), "no coordinate reference"),
    ],
    ids=["missing-layer", "missing-column", "duplicate-ags", "ags-as-numbers", "no-crs"],
)
def test_vg250_bad_input(tmp_path, hessen_gpkg, change, expected):
    target = _copy_layers(hessen_gpkg, tmp_path / "bad.gpkg", change)
    with pytest.raises(InputError) as info:
        read_vg250(target, "06")
    assert expected in str(info.value)
    assert "bad.gpkg" in str(info.value) and "Fix:" in str(info.value)


def test_vg250_empty_state_selection(hessen_gpkg):
    with pytest.raises(InputError, match=r"no feature with SN_L = '07' \(Rheinland-Pfalz\)"):
        read_vg250(hessen_gpkg, "07")


def test_vg250_not_a_geopackage(tmp_path):
    bad = tmp_path / "x.gpkg"
    bad.write_text("not a database")
    with pytest.raises(InputError, match="cannot be read as a GeoPackage"):
        read_vg250(bad)


# ---------------------------------------------------------------------- Destatis


def test_destatis_reads_every_state_with_string_keys(destatis):
    mun = destatis.municipalities
    assert destatis.reference_date == dt.date(2023, 12, 31)
    assert destatis.kind == "destatis"
    assert mun["ags"].str.fullmatch(r"\d{8}").all() and mun["ags"].is_unique
    assert mun["ags"].str[:2].nunique() == 16
    hessen = destatis.for_state("06").municipalities
    assert len(hessen) == 425
    assert int(hessen["population"].sum()) == 6_420_729
    assert hessen["textkennzeichen"].value_counts().to_dict() == {
        "64": 230, "63": 186, "61": 5, "66": 4}
    frankfurt = hessen.set_index("ags").loc["06412000"]
    assert frankfurt["name_official"] == "Frankfurt am Main, Stadt"
    assert frankfurt["lon"] == pytest.approx(8.682433)  # decimal comma in the source
    assert frankfurt["ars"] == "064120000000"
    assert frankfurt["urbanisation"] == "dicht besiedelt"
    assert frankfurt["population_male"] + frankfurt["population_female"] == frankfurt[
        "population"]
    assert len(destatis.districts[destatis.districts.kreis_ags.str[:2] == "06"]) == 26
    assert destatis.attribution.endswith("Gebietsstand 31.12.2023")


def test_destatis_small_copy_reads_the_same(tmp_path, destatis_rows, destatis):
    head, hessen = destatis_rows
    table = read_destatis_gv(write_gv(tmp_path / "gv.xlsx", head, hessen))
    pd.testing.assert_frame_equal(
        table.municipalities.drop(columns="row").reset_index(drop=True),
        destatis.for_state("06").municipalities.drop(columns="row").reset_index(drop=True))


def _first_gemeinde(hessen):
    return next(i for i, r in enumerate(hessen) if r[0] == "60")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (9, "viele", "'viele' is not a number"),
        (9, -5, "population -5 is negative"),
        (2, 6, "lost its leading zero"),
        (6, None, "key is empty"),
    ],
    ids=["non-numeric", "negative", "numeric-key", "missing-key"],
)
def test_destatis_bad_cells(tmp_path, destatis_rows, column, value, expected):
    head, hessen = destatis_rows
    body = [list(r) for r in hessen]
    i = _first_gemeinde(body)
    body[i][column] = value
    path = write_gv(tmp_path / "gv.xlsx", head, body)
    with pytest.raises(InputError) as info:
        read_destatis_gv(path)
    text = str(info.value)
    assert expected in text
    assert f"row {len(head) + i + 1}" in text and "gv.xlsx" in text


def test_destatis_duplicate_ags(tmp_path, destatis_rows):
    head, hessen = destatis_rows
    i = _first_gemeinde(hessen)
    body = [*hessen, hessen[i]]
    with pytest.raises(InputError, match=r"AGS 06411000 appears 2 times"):
        read_destatis_gv(write_gv(tmp_path / "gv.xlsx", head, body))


def test_destatis_wrong_sheet(tmp_path, destatis_rows):
    head, hessen = destatis_rows
    path = write_gv(tmp_path / "gv.xlsx", head, hessen, sheet="Tabelle1")
    with pytest.raises(InputError, match="no sheet named Onlineprodukt_Gemeinden"):
        read_destatis_gv(path)


def test_destatis_missing_column(tmp_path, destatis_rows):
    head, hessen = destatis_rows
    head = [list(r) for r in head]
    head[3][9] = "gesamt"  # "insgesamt" renamed: population column no longer found
    with pytest.raises(InputError, match="Bevölkerung insgesamt"):
        read_destatis_gv(write_gv(tmp_path / "gv.xlsx", head, hessen))


# ------------------------------------------------------------------- population CSV


def test_population_csv_semicolon_cp1252(tmp_path):
    path = tmp_path / "hsl.csv"
    path.write_bytes("Gemeindeschlüssel;Gemeinde;Einwohner;Stichtag\n"
                     "06411000;Darmstadt;165.123;31.12.2024\n"
                     "06412000;Frankfurt am Main;780000;31.12.2024\n".encode("cp1252"))
    table = read_population(path)
    assert table.kind == "csv"
    assert table.reference_date == dt.date(2024, 12, 31)
    assert table.municipalities["population"].tolist() == [165123, 780000]
    assert table.municipalities["name_official"].tolist() == ["Darmstadt", "Frankfurt am Main"]
    assert "hsl.csv" in table.attribution


def test_population_csv_date_argument(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("ags,population\n06411000,1\n")
    with pytest.raises(InputError, match="no date column"):
        read_population_csv(path)
    assert read_population_csv(path, dt.date(2024, 6, 30)).reference_date == dt.date(2024, 6,
                                                                                    30)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("06411000,5,2024-12-31\n06411000,6,2024-12-31\n", "AGS 06411000 appears 2 times"),
        ("06411000,-5,2024-12-31\n", "population -5 is negative"),
        ("06411000,abc,2024-12-31\n", "'abc' is not a number"),
        ("6411000,5,2024-12-31\n", "lost its leading zero"),
        ("06411000,5,2024-12-31\n06412000,5,2023-12-31\n", "2 different dates"),
        ("06411000,5,gestern\n", "'gestern' is not a date"),
    ],
    ids=["duplicate", "negative", "non-numeric", "lost-zero", "two-dates", "bad-date"],
)
def test_population_csv_bad_rows(tmp_path, body, expected):
    path = tmp_path / "pop.csv"
    path.write_text("ags,population,date\n" + body)
    with pytest.raises(InputError) as info:
        read_population_csv(path)
    assert expected in str(info.value)
    assert "pop.csv" in str(info.value)


def test_population_csv_missing_column(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("key;people\n06411000;5\n")
    with pytest.raises(InputError, match="no population column"):
        read_population_csv(path)


def test_population_csv_in_no_known_encoding(tmp_path):
    path = tmp_path / "pop.csv"
    # 0x81 is neither UTF-8 nor defined in Windows-1252
    path.write_bytes(b"ags,population,date\n06411000,\x81,2024-12-31\n")
    with pytest.raises(InputError, match="neither UTF-8 nor Windows-1252"):
        read_population_csv(path)


def test_population_unknown_extension(tmp_path):
    path = tmp_path / "pop.ods"
    path.write_text("x")
    with pytest.raises(InputError, match="unknown population file type"):
        read_population(path)


# ------------------------------------------------------------------- curated tables


def test_curated_csv_reads_and_numbers_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("ags,name,source_url\n 06411000 ,Darmstadt,https://www.darmstadt.de/\n")
    frame = read_curated_csv(path, required=["ags", "name"], keys={"ags": 8})
    assert frame.to_dict("records") == [
        {"row": 2, "ags": "06411000", "name": "Darmstadt", "source_url": "https://www.darmstadt.de/"}]


@pytest.mark.parametrize("url", ["see website", "www.example.org", "https:///no-host"])
def test_curated_csv_refuses_what_is_not_a_full_url(tmp_path, url):
    path = tmp_path / "t.csv"
    path.write_text(f"ags,source_url\n06411000,{url}\n")
    with pytest.raises(InputError, match="is not a URL") as info:
        read_curated_csv(path, required=["ags"])
    assert info.value.row == 2 and info.value.column == "source_url"


# ---------------------------------------------------------------------- finding


def test_find_sources_prefers_the_smallest_file_covering_the_state(shared_raw):
    hessen = find_sources(shared_raw, "06")
    assert hessen.boundaries.name == "vg250_2016-01-01_hessen.gpkg"
    assert hessen.population.name == "31122023_Auszug_GV.xlsx"
    assert find_sources(shared_raw, "07").boundaries.name == "vg250_2016-01-01_deutschland.gpkg"


def test_find_sources_names_expected_files(tmp_path):
    with pytest.raises(SourceNotFoundError) as info:
        find_sources(tmp_path / "nothing", "06")
    text = str(info.value)
    assert "vg250_gem" in text and "Onlineprodukt_Gemeinden" in text
    assert "wirgeo data download" in text and "WIRGEO_SOURCE" in text
