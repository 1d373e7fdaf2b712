"""A small synthetic dataset in the official formats, for fast hostile-input tests.

Six Gemeinden in the VG250 layout (one Landkreis 06440 with five, one kreisfreie Stadt
06412), a population CSV, and curated tables that agree with them: the CLI reads it in a
fraction of a second with ``--no-cache``, so the fuzz suite (tests/test_fuzz.py) and the
reliability tests can run it hundreds of times. The tests here check that the untouched
dataset gives the right figures, so a fuzz failure is the input's doing.
"""

from __future__ import annotations

import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import MultiPolygon, box

ROOT = Path(__file__).resolve().parent.parent

#: AGS, name, BEZ, population: five small or middle Gemeinden and one kreisfreie Stadt.
GEMEINDEN = [
    ("06440001", "Altdorf", "Gemeinde", 4_000),
    ("06440002", "Bergheim", "Gemeinde", 5_000),
    ("06440003", "Chausseehaus", "Gemeinde", 3_000),
    ("06440004", "Dorfen", "Stadt", 20_000),
    ("06440005", "Eichen", "Gemeinde", 6_000),
    ("06412000", "Frankfurt am Main", "Kreisfreie Stadt", 700_000),
]
TOTAL = sum(g[3] for g in GEMEINDEN)
_SIDE = 5_000.0  # metres; squares in a row near Friedberg (EPSG:25832)
_X0, _Y0 = 470_000.0, 5_560_000.0

CENTRES = (
    "name,host_type,host_ags,host_name,organisation,street,postcode,town,town_ags,status,"
    "lon,lat,source_url,further_sources,note\n"
    "WIR-Vielfaltszentrum Wetteraukreis,landkreis,06440,Wetteraukreis,Kreisverwaltung,,,"
    "Dorfen,06440004,inferred,,,https://example.org/wetterau,,\n"
)
GRANTEES = (
    "ags,name,round,years,consortium_id,project,amount_eur,status,source_url,"
    "further_sources,note\n"
    "06440004,Dorfen,KIV II,2020/2021,,Strategie Dorfen,20000,confirmed,"
    "https://example.org/dorfen,,\n"
)
SONDERSTATUS = "ags,name,source_url\n"
CHANGES = "old_ags,old_name,new_ags,new_name,in_force,source_url\n"


def german(n: int) -> str:
    """A whole number as the German output writes it (738.000)."""
    return f"{n:,}".replace(",", ".")


def population_csv(rows=None, sep=";") -> str:
    """The population table of the dataset (``rows``: (ags, population) pairs)."""
    rows = rows if rows is not None else [(g[0], g[3]) for g in GEMEINDEN]
    return f"ags{sep}population{sep}date\n" + "".join(
        f"{a}{sep}{p}{sep}2023-12-31\n" for a, p in rows)


def _square(i: int) -> MultiPolygon:
    return MultiPolygon([box(_X0 + i * _SIDE, _Y0, _X0 + (i + 1) * _SIDE, _Y0 + _SIDE)])


def write_boundaries(path: Path, crs: int = 25832, empty: bool = False,
                     names: dict[str, str] | None = None) -> Path:
    """The four VG250 layers of the dataset as one GeoPackage.

    ``names`` replaces the name (``GEN``) of Gemeinden and Kreise by their key.
    """
    names = names or {}
    gem = gpd.GeoDataFrame(
        {"AGS": [g[0] for g in GEMEINDEN], "ARS": [g[0][:5] + "0000" + g[0][5:]
                                                    for g in GEMEINDEN],
         "GEN": [names.get(g[0], g[1]) for g in GEMEINDEN], "BEZ": [g[2] for g in GEMEINDEN],
         "GF": [4] * len(GEMEINDEN), "SN_L": ["06"] * len(GEMEINDEN),
         "WSK": ["2020-01-01"] * len(GEMEINDEN)},
        geometry=[MultiPolygon() if empty else _square(i) for i in range(len(GEMEINDEN))],
        crs=25832)
    krs = gpd.GeoDataFrame(
        {"AGS": ["06412", "06440"], "ARS": ["06412", "06440"],
         "GEN": [names.get("06412", "Frankfurt am Main"), names.get("06440", "Wetteraukreis")],
         "BEZ": ["Kreisfreie Stadt", "Landkreis"], "GF": [4, 4], "SN_L": ["06", "06"],
         "WSK": ["2020-01-01"] * 2},
        geometry=[_square(5), MultiPolygon([box(_X0, _Y0, _X0 + 5 * _SIDE, _Y0 + _SIDE)])],
        crs=25832)
    whole = MultiPolygon([box(_X0, _Y0, _X0 + 6 * _SIDE, _Y0 + _SIDE)])
    rbz = gpd.GeoDataFrame({"AGS": ["064"], "ARS": ["064"], "GEN": ["Darmstadt"],
                            "BEZ": ["Regierungsbezirk"], "GF": [4], "SN_L": ["06"],
                            "WSK": ["2020-01-01"]}, geometry=[whole], crs=25832)
    lan = gpd.GeoDataFrame({"AGS": ["06"], "ARS": ["06"], "GEN": ["Hessen"], "BEZ": ["Land"],
                            "GF": [4], "SN_L": ["06"], "WSK": ["2020-01-01"]},
                           geometry=[whole], crs=25832)
    for layer, frame in (("vg250_gem", gem), ("vg250_krs", krs), ("vg250_rbz", rbz),
                         ("vg250_lan", lan)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame.to_crs(crs).to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    return path


@dataclass
class Synthetic:
    """Paths of one synthetic dataset; ``args`` are the CLI options that read it."""

    folder: Path
    boundaries: Path
    population: Path
    data: Path

    def args(self, *extra: object) -> list[str]:
        return ["--boundaries", str(self.boundaries), "--population", str(self.population),
                "--no-cache", *map(str, extra)]


def make_synthetic(folder: Path) -> Synthetic:
    """Write the dataset into ``folder``: boundaries, population, curated ``data/``."""
    folder.mkdir(parents=True, exist_ok=True)
    boundaries = write_boundaries(folder / "vg250_2023-12-31_synthetic.gpkg")
    population = folder / "population.csv"
    population.write_text(population_csv(), encoding="utf-8")
    data = folder / "data"
    data.mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "kiv_rules.toml", data / "kiv_rules.toml")
    shutil.copy(ROOT / "data" / "hgo_auslaenderbeirat.csv", data / "hgo_auslaenderbeirat.csv")
    for name, text in (("wir_centres.csv", CENTRES), ("kiv_grantees.csv", GRANTEES),
                       ("sonderstatusstaedte.csv", SONDERSTATUS),
                       ("territorial_changes.csv", CHANGES)):
        (data / name).write_text(text, encoding="utf-8")
    return Synthetic(folder, boundaries, population, data)


@pytest.fixture
def synthetic(tmp_path, setting):
    """The synthetic dataset, with the ``data`` setting pointing at its curated tables."""
    dataset = make_synthetic(tmp_path / "synthetic")
    setting(data=dataset.data, geo=tmp_path / "geo")
    return dataset


def test_synthetic_dataset_reads_with_its_totals(synthetic, run_cli):
    code, out, err = run_cli("data", "check", *synthetic.args())
    assert code == 0, err
    assert f"Einwohner insgesamt       {german(TOTAL)}" in out
    assert "Traceback" not in err


def test_synthetic_dataset_eligibility(synthetic, run_cli):
    code, out, err = run_cli("eligibility", *synthetic.args())
    assert code == 0, err
    assert "Traceback" not in err and "Dorfen" not in err
