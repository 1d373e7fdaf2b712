"""Reading and validating everything that comes from outside wirgeo.

This module owns all outside input. The official formats are read here and checked
once; everything after it can trust the frames it gets:

* BKG VG250 / VG250-EW GeoPackages ("Verwaltungsgebiete 1:250 000, Ebenen") with their
  official layer names (``vg250_gem``, ``vg250_krs``, ``vg250_rbz``, ``vg250_lan``) and
  field names (``AGS``, ``ARS``/``RS``, ``GEN``, ``BEZ``, ``GF``, ``SN_L``, ``WSK``,
  optionally ``EWZ``), for any state;
* the Destatis municipality directory ("Gemeinden in Deutschland nach Fläche,
  Bevölkerung und Postleitzahl", sheet ``Onlineprodukt_Gemeinden<date>``);
* a plain population CSV (AGS, population, reference date) for newer figures;
* our own curated CSV tables in ``data/`` (every row with a source URL).

Keys (AGS, ARS) are strings everywhere. A key that was turned into a number somewhere
on its way (and lost its leading zero) is detected and explained, not repaired silently.

Examples
--------
>>> from wirgeo.sources import read_population_csv
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> _ = path.write_text("AGS;Einwohner;Stichtag\\n06411000;165000;2024-12-31\\n")
>>> table = read_population_csv(path)
>>> table.municipalities[["ags", "population"]].to_dict("records")
[{'ags': '06411000', 'population': 165000}]
>>> str(table.reference_date)
'2024-12-31'
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wirgeo.core import paths as _paths
from wirgeo.errors import InputError, SourceNotFoundError

__all__ = [
    "VG250_LAYERS",
    "STATE_NAMES",
    "Boundaries",
    "PopulationTable",
    "SourceFiles",
    "resolve_source_dir",
    "find_sources",
    "read_vg250",
    "read_destatis_gv",
    "read_population_csv",
    "read_population",
    "read_curated_csv",
    "file_sha256",
    "check_key",
    "BKG_ATTRIBUTION",
    "DESTATIS_ATTRIBUTION",
]

VG250_LAYERS = ("vg250_gem", "vg250_krs", "vg250_rbz", "vg250_lan")
_REQUIRED_VG250_FIELDS = ("AGS", "GEN", "BEZ", "GF", "SN_L")

STATE_NAMES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}

BKG_ATTRIBUTION = "© GeoBasis-DE / BKG {year} (Daten verändert)"
DESTATIS_ATTRIBUTION = (
    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, "
    "Gebietsstand {date}"
)

# GF ("Geofaktor") in VG250: 4 = land with structure; 2 = water with structure (lakes,
# Wadden Sea); 1 and 3 are the same without structure. Land parts carry the municipality.
_LAND_GF = 4
_WATER_GF = (1, 2)

HOW_TO_GET_SOURCES = (
    "Run `wirgeo data download` (needs internet) to fetch the current BKG VG250-EW "
    "GeoPackage and the Destatis municipality directory into the source folder, or copy "
    "them there by hand: BKG https://daten.gdz.bkg.bund.de/produkte/vg/ (product "
    "vg250-ew_ebenen_1231, GeoPackage) and Destatis "
    "https://www.destatis.de (Gemeindeverzeichnis -> 'Gemeinden in Deutschland nach "
    "Fläche, Bevölkerung und Postleitzahl', xlsx). Point wirgeo at another folder with "
    "--source DIR or the environment variable WIRGEO_SOURCE."
)


# --------------------------------------------------------------------------- keys


def check_key(value, length: int, *, source, row=None, column=None) -> str:
    """Return ``value`` as an official key of ``length`` digits, or raise.

    A key that arrives as a number, or as a string one or more digits short, was almost
    certainly read as a number somewhere (spreadsheet, CSV import) and lost its leading
    zeros; that is explained in the error rather than repaired behind the user's back.

    Examples
    --------
    >>> check_key("06411000", 8, source="x.csv")
    '06411000'
    >>> check_key(6411000, 8, source="x.csv", row=2, column="AGS")
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: x.csv, row 2, column 'AGS': key 6411000 is a number, not text: \
it lost its leading zero (should probably be '06411000'). Fix: store keys as text (in Excel: \
format the column as Text; in CSV: keep the zeros, e.g. 06411000).
    """
    fix = (
        "store keys as text (in Excel: format the column as Text; in CSV: keep the zeros, "
        f"e.g. {'0' * (length - 7) + '6411000' if length >= 7 else '06'})"
    )
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise InputError(source, f"key {value!r} is not a {length}-digit key",
                             row=row, column=column, fix=fix)
        text = str(int(value))
        hint = f"should probably be {text.zfill(length)!r}" if len(text) < length else ""
        raise InputError(
            source,
            f"key {text} is a number, not text: it lost its leading zero"
            + (f" ({hint})" if hint else ""),
            row=row, column=column, fix=fix,
        )
    text = "" if value is None else str(value).strip()
    if not text:
        raise InputError(source, "key is empty", row=row, column=column,
                         fix=f"fill in the {length}-digit official key")
    if not text.isdigit():
        raise InputError(source, f"key {text!r} is not made of digits", row=row,
                         column=column, fix=f"use the {length}-digit official key (AGS)")
    if len(text) < length:
        raise InputError(
            source,
            f"key {text!r} has {len(text)} digits instead of {length}: it was probably read "
            f"as a number and lost its leading zero (should probably be "
            f"{text.zfill(length)!r})",
            row=row, column=column, fix=fix,
        )
    if len(text) > length:
        raise InputError(source, f"key {text!r} has {len(text)} digits instead of {length}",
                         row=row, column=column,
                         fix=f"use the {length}-digit key (AGS), not the 12-digit ARS")
    return text


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, hex encoded.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------ source folder


@dataclass(frozen=True)
class SourceFiles:
    """The official files one load uses."""

    boundaries: Path
    population: Path | None

    def describe(self) -> str:
        """One line per file."""
        pop = self.population if self.population else "(population from the EWZ field)"
        return f"boundaries: {self.boundaries}\npopulation: {pop}"


def resolve_source_dir(source: str | Path | None = None) -> Path:
    """The folder holding the official files.

    ``source`` if given, else the environment variable ``WIRGEO_SOURCE``, else
    ``geo/sources/`` in the checkout.
    """
    if source is not None:
        return Path(source).expanduser()
    env = os.environ.get("WIRGEO_SOURCE")
    if env:
        return Path(env).expanduser()
    return _paths.default_source_dir()


def _expected_files_text(folder: Path) -> str:
    return (
        f"wirgeo expects in {folder}:\n"
        "  - a BKG VG250 or VG250-EW GeoPackage (*.gpkg, layers vg250_gem, vg250_krs, "
        "vg250_rbz, vg250_lan), e.g. bkg/DE_VG250.gpkg or bkg/vg250_2016-01-01_hessen.gpkg\n"
        "  - a Destatis municipality directory (*.xlsx, sheet Onlineprodukt_Gemeinden<date>), "
        "e.g. destatis/31122023_Auszug_GV.xlsx"
    )


def _gpkg_states(path: Path) -> set[str] | None:
    """States a VG250 GeoPackage covers (from its ``vg250_lan`` layer), None if not VG250."""
    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
    except Exception:  # not a readable GeoPackage: not a candidate
        return None
    if "vg250_lan" not in layers or "vg250_gem" not in layers:
        return None
    try:
        lan = pyogrio.read_dataframe(path, layer="vg250_lan", columns=["SN_L"],
                                     read_geometry=False)
    except Exception:
        return None
    return {str(v).zfill(2) for v in lan["SN_L"]}


def find_sources(
    source: str | Path | None = None,
    state: str = "06",
    *,
    boundaries: str | Path | None = None,
    population: str | Path | None = None,
) -> SourceFiles:
    """Locate the boundary GeoPackage and population table for ``state``.

    Among all VG250 GeoPackages in the source folder (searched recursively) the smallest
    one whose ``vg250_lan`` layer covers the state is used, so a Hessen extract is preferred
    to the whole of Germany. Among Destatis directories the one with the latest reference
    date (from the file name ``DDMMYYYY_Auszug_GV.xlsx``) wins. Explicit ``boundaries`` or
    ``population`` paths bypass the search.

    Raises
    ------
    SourceNotFoundError
        Listing exactly which files are expected and how to get them.
    """
    folder = resolve_source_dir(source)
    if boundaries is not None:
        bpath = Path(boundaries)
        if not bpath.is_file():
            raise SourceNotFoundError(bpath, "boundary file not found",
                                      fix="give the path of a VG250 GeoPackage")
    else:
        if not folder.is_dir():
            raise SourceNotFoundError(
                folder, "source folder not found\n" + _expected_files_text(folder),
                fix=HOW_TO_GET_SOURCES)
        found = []
        for path in sorted(folder.rglob("*.gpkg")):
            states = _gpkg_states(path)
            if states and state in states:
                found.append((path.stat().st_size, str(path), path))
        if not found:
            raise SourceNotFoundError(
                folder,
                f"no VG250 GeoPackage covering state {state} "
                f"({STATE_NAMES.get(state, 'unknown state')}) found\n"
                + _expected_files_text(folder),
                fix=HOW_TO_GET_SOURCES)
        bpath = min(found)[2]
    if population is not None:
        ppath: Path | None = Path(population)
        if not ppath.is_file():
            raise SourceNotFoundError(ppath, "population file not found",
                                      fix="give the path of a Destatis xlsx or a CSV with "
                                          "columns ags, population, date")
    else:
        candidates = sorted(folder.rglob("*.xlsx")) if folder.is_dir() else []

        def sort_key(p: Path):
            m = re.match(r"(\d{2})(\d{2})(\d{4})", p.name)
            return (m.group(3), m.group(2), m.group(1)) if m else ("0", "0", "0"), p.name

        candidates = [p for p in candidates if not p.name.startswith("~$")]
        ppath = max(candidates, key=sort_key) if candidates else None
        if ppath is None and not _has_ewz(bpath):
            raise SourceNotFoundError(
                folder, "no population table found (and the boundaries carry no EWZ field)\n"
                + _expected_files_text(folder), fix=HOW_TO_GET_SOURCES)
    return SourceFiles(boundaries=bpath, population=ppath)


def _has_ewz(path: Path) -> bool:
    try:
        info = pyogrio.read_info(path, layer="vg250_gem")
    except Exception:
        return False
    return "EWZ" in list(info["fields"])


# ------------------------------------------------------------------ VG250 boundaries


@dataclass
class Boundaries:
    """The VG250 layers of one state, land parts only, keyed by AGS.

    Attributes
    ----------
    municipalities, districts, regions, states : GeoDataFrame
        ``vg250_gem``, ``vg250_krs``, ``vg250_rbz``, ``vg250_lan`` with columns ``ags``,
        ``ars``, ``name`` (``GEN``), ``type`` (``BEZ``), ``wsk`` (date), ``ewz``
        (population, VG250-EW only) and ``geometry`` (EPSG:25832 as published).
    date : datetime.date
        Reference date of the boundaries.
    date_basis : str
        Where the date comes from (``aktualitaet.txt``, the file name, or the latest
        ``WSK``).
    repaired : list of str
        AGS of municipalities whose geometry was invalid and repaired with ``make_valid``.
    water_parts : int
        Water features (``GF`` 1/2) that share a municipality's AGS and were not used.
    """

    path: Path
    state: str
    municipalities: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    states: gpd.GeoDataFrame
    date: dt.date
    date_basis: str
    repaired: list[str] = field(default_factory=list)
    water_parts: int = 0
    has_ewz: bool = False

    @property
    def attribution(self) -> str:
        """Attribution line required by BKG."""
        return BKG_ATTRIBUTION.format(year=self.date.year)


def _boundary_date(path: Path, wsk: pd.Series) -> tuple[dt.date, str]:
    """Reference date of a VG250 file, from the product, else from the data itself."""
    # BKG ships aktualitaet.txt beside the data in every download ("01.01.2025").
    for candidate in (path.with_name("aktualitaet.txt"), path.parent.parent / "aktualitaet.txt"):
        if candidate.is_file():
            m = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", candidate.read_text(errors="replace"))
            if m:
                return dt.date(int(m[3]), int(m[2]), int(m[1])), f"{candidate.name} of the product"
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), "product date in the file name"
    dates = pd.to_datetime(wsk.dropna().astype(str).str.replace("/", "-"), errors="coerce")
    if dates.notna().any():
        latest = dates.max().date()
        return latest, "latest legal-effect date (WSK) in the data; the product may be newer"
    raise InputError(path, "cannot tell the date of the boundaries (no aktualitaet.txt, no "
                     "date in the file name, no WSK field)",
                     fix="keep aktualitaet.txt from the BKG download beside the GeoPackage")


def _polygonal(geom):
    """Polygonal part of a repaired geometry (make_valid may add stray lines/points)."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _read_layer(path: Path, layer: str, state: str, available: set[str]) -> gpd.GeoDataFrame:
    if layer not in available:
        raise InputError(path, f"layer {layer!r} is missing (layers found: "
                         f"{', '.join(sorted(available)) or 'none'})",
                         fix="use an unmodified BKG VG250 GeoPackage ('Ebenen' product)")
    info = pyogrio.read_info(path, layer=layer)
    fields = list(info["fields"])
    missing = [f for f in _REQUIRED_VG250_FIELDS if f not in fields]
    if missing:
        raise InputError(path, f"layer {layer!r} lacks the field(s) {', '.join(missing)}",
                         column=missing[0],
                         fix="use an unmodified BKG VG250 GeoPackage with official field names")
    types = dict(zip(fields, info["dtypes"], strict=True))
    for key in ("AGS", "SN_L"):
        if not str(types[key]).startswith(("object", "str")):
            raise InputError(path, f"layer {layer!r}: field {key} is stored as numbers "
                             f"({types[key]}), so leading zeros are lost", column=key,
                             fix="use the original BKG file, where keys are text")
    if info["crs"] is None:
        raise InputError(path, f"layer {layer!r} has no coordinate reference system",
                         fix="use the BKG GeoPackage as published (EPSG:25832) or assign "
                             "the CRS in a GIS before reading")
    gdf = pyogrio.read_dataframe(path, layer=layer, where=f"SN_L = '{state}'")
    if gdf.crs is None:  # pragma: no cover - read_info already checked
        raise InputError(path, f"layer {layer!r} has no coordinate reference system")
    return gdf


def read_vg250(path: str | Path, state: str = "06") -> Boundaries:
    """Read the four VG250 layers of one state.

    Land parts (``GF == 4``) make the units; water parts (``GF`` 1/2) share their
    municipality's AGS and are counted, not kept, so they never create duplicates. Invalid
    geometries are repaired with ``make_valid`` and listed in ``repaired``.

    Parameters
    ----------
    path : str or Path
        A VG250 or VG250-EW GeoPackage (any state coverage).
    state : str
        Two-digit state key (``SN_L``); Hessen is ``"06"``.

    Examples
    --------
    >>> b = read_vg250(SHARED_RAW / "bkg/vg250_2016-01-01_hessen.gpkg")
    >>> len(b.municipalities), str(b.date)
    (430, '2016-01-01')
    """
    path = Path(path)
    state = check_key(state, 2, source="state", column="state")
    if not path.is_file():
        raise SourceNotFoundError(path, "boundary file not found", fix=HOW_TO_GET_SOURCES)
    try:
        available = {name for name, _ in pyogrio.list_layers(path)}
    except Exception as exc:
        raise InputError(path, f"cannot be read as a GeoPackage ({exc})",
                         fix="give a BKG VG250 GeoPackage (.gpkg)") from exc

    frames = {}
    repaired: list[str] = []
    water = 0
    for layer in VG250_LAYERS:
        raw = _read_layer(path, layer, state, available)
        if raw.empty and layer in ("vg250_gem", "vg250_lan"):
            raise InputError(path, f"layer {layer!r} has no feature with SN_L = '{state}' "
                             f"({STATE_NAMES.get(state, 'no such state')})", column="SN_L",
                             fix="choose a state the file covers (Hessen = 06) or use the "
                                 "Germany file")
        gf = pd.to_numeric(raw["GF"], errors="coerce")
        land = raw[gf == _LAND_GF].copy()
        if layer == "vg250_gem":
            water = int(gf.isin(_WATER_GF).sum())
        dup = land["AGS"][land["AGS"].duplicated()]
        if len(dup):
            first = dup.iloc[0]
            rows = [int(i) + 1 for i in np.flatnonzero(raw["AGS"].to_numpy() == first)]
            raise InputError(path, f"layer {layer!r}: AGS {first} occurs on {len(rows)} land "
                             f"features (GF 4) (features {rows})", column="AGS",
                             fix="each unit must have one land feature; use the original file")
        invalid = ~land.geometry.is_valid
        if invalid.any():
            if layer == "vg250_gem":
                repaired.extend(sorted(land.loc[invalid, "AGS"].tolist()))
            land.loc[invalid, "geometry"] = land.loc[invalid].geometry.make_valid().apply(
                _polygonal)
        for key in ("AGS",):
            land[key] = land[key].astype(str)
        out = gpd.GeoDataFrame(
            {
                "ags": land["AGS"].to_numpy(),
                "ars": (land["ARS"] if "ARS" in land else land.get("RS", land["AGS"])).astype(
                    str).to_numpy(),
                "name": land["GEN"].astype(str).to_numpy(),
                "type": land["BEZ"].astype(str).to_numpy(),
                "wsk": land["WSK"].astype(str).to_numpy() if "WSK" in land else None,
            },
            geometry=land.geometry.to_numpy(),
            crs=raw.crs,
        )
        if "EWZ" in land:
            ewz = pd.to_numeric(land["EWZ"], errors="coerce")
            out.insert(4, "ewz", ewz.astype("Int64").to_numpy())
        out = out.sort_values("ags", kind="stable").reset_index(drop=True)
        frames[layer] = out

    gem = frames["vg250_gem"]
    bad = gem["ags"][gem["ags"].str.len() != 8]
    if len(bad):
        raise InputError(path, f"layer 'vg250_gem': AGS {bad.iloc[0]!r} is not 8 digits",
                         column="AGS", fix="use the original BKG file")
    date, basis = _boundary_date(path, gem["wsk"] if "wsk" in gem else pd.Series([]))
    return Boundaries(
        path=path, state=state,
        municipalities=gem, districts=frames["vg250_krs"], regions=frames["vg250_rbz"],
        states=frames["vg250_lan"], date=date, date_basis=basis,
        repaired=repaired, water_parts=water, has_ewz="ewz" in gem,
    )


# --------------------------------------------------------------------- population


@dataclass
class PopulationTable:
    """Population per municipality from one official table.

    Attributes
    ----------
    municipalities : DataFrame
        One row per municipality: ``ags`` (8 digits), ``ars`` (12 digits or NA),
        ``name_official``, ``textkennzeichen`` (61 kreisfreie Stadt, 63 Stadt, 64 Gemeinde,
        66 gemeindefreies Gebiet), ``population``, ``population_male``,
        ``population_female``, ``area_km2``, ``postcode``, ``lon``, ``lat`` (centre, WGS84),
        ``urbanisation_code`` and ``urbanisation`` (degree of urbanisation), and ``row``
        (row in the source file).
    districts : DataFrame
        Kreise named in the table (``kreis_ags``, ``kreis_name_official``,
        ``textkennzeichen``); empty for a CSV.
    reference_date : datetime.date
        Date the population refers to.
    kind : str
        ``"destatis"``, ``"csv"`` or ``"vg250-ew"``.
    """

    path: Path | None
    municipalities: pd.DataFrame
    districts: pd.DataFrame
    reference_date: dt.date
    kind: str

    @property
    def attribution(self) -> str:
        """Attribution line for the population source."""
        date = self.reference_date.strftime("%d.%m.%Y")
        if self.kind == "destatis":
            return DESTATIS_ATTRIBUTION.format(date=date)
        if self.kind == "vg250-ew":
            return f"Einwohnerzahlen aus BKG VG250-EW, Stand {date}"
        name = self.path.name if self.path else "population table"
        return f"Bevölkerung: {name}, Stichtag {date}"

    def for_state(self, state: str) -> PopulationTable:
        """The rows of one state."""
        mun = self.municipalities[self.municipalities["ags"].str[:2] == state]
        dis = self.districts[self.districts["kreis_ags"].str[:2] == state]
        return PopulationTable(self.path, mun.reset_index(drop=True),
                               dis.reset_index(drop=True), self.reference_date, self.kind)


_MUNICIPALITY_COLUMNS = [
    "ags", "ars", "name_official", "textkennzeichen", "population", "population_male",
    "population_female", "area_km2", "postcode", "lon", "lat", "urbanisation_code",
    "urbanisation", "row",
]


def _norm_header(value) -> str:
    text = "" if value is None else str(value)
    text = re.sub(r"[\s\-]+", "", text).lower()
    return re.sub(r"\d\)$", "", text)  # footnote markers such as "Fläche km2 1)"


def _parse_number(value, *, source, row, column, integer: bool, allow_empty: bool = True):
    """Numbers as the official tables write them: 1234, '1 234', '9,43751', ''."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_empty:
            return None
        raise InputError(source, "value is empty", row=row, column=column,
                         fix="fill in a number")
    if isinstance(value, bool):
        raise InputError(source, f"{value!r} is not a number", row=row, column=column)
    if isinstance(value, (int, np.integer)):
        number = float(value)
    elif isinstance(value, (float, np.floating)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if integer:
            # thousands separators in German (1.234) or English (1,234) style
            if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+", text):
                text = text.replace(".", "").replace(",", "")
        else:
            if "," in text and "." in text:
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise InputError(source, f"{value!r} is not a number", row=row, column=column,
                             fix="write a plain number, e.g. 12345") from None
    if np.isnan(number):
        if allow_empty:
            return None
        raise InputError(source, "value is empty", row=row, column=column)
    if integer:
        if not float(number).is_integer():
            raise InputError(source, f"{value!r} is not a whole number", row=row,
                             column=column, fix="population counts are whole numbers")
        return int(number)
    return number


def _parse_date(text: str) -> dt.date | None:
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    return None


def read_destatis_gv(path: str | Path) -> PopulationTable:
    """Read the Destatis municipality directory ("Gemeinden in Deutschland ...").

    The sheet ``Onlineprodukt_Gemeinden<date>`` has several header rows, then one row per
    territorial unit (``Satzart`` 10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis,
    50 Gemeindeverband, 60 Gemeinde). Columns are found by their header text, so the
    quarterly and yearly layouts both read. The reference date comes from the title row.

    Examples
    --------
    >>> t = read_destatis_gv(SHARED_RAW / "destatis/31122023_Auszug_GV.xlsx")
    >>> int(t.for_state("06").municipalities.population.sum())
    6420729
    """
    import openpyxl

    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, "population file not found", fix=HOW_TO_GET_SOURCES)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(path, f"cannot be read as an Excel workbook ({exc})",
                         fix="give the Destatis xlsx as downloaded") from exc
    try:
        sheets = [s for s in workbook.sheetnames if s.startswith("Onlineprodukt_Gemeinden")]
        if not sheets:
            raise InputError(path, "no sheet named Onlineprodukt_Gemeinden<date> (sheets: "
                             f"{', '.join(workbook.sheetnames)})",
                             fix="give the Destatis file 'Gemeinden in Deutschland nach "
                                 "Fläche, Bevölkerung und Postleitzahl' (GV-ISys, xlsx)")
        sheet = sheets[0]
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()

    # The header: the row whose first cell reads "Satz-art", and the one below it.
    header_at = next((i for i, r in enumerate(rows[:30])
                      if r and _norm_header(r[0]).startswith("satzart")), None)
    if header_at is None:
        raise InputError(path, f"sheet {sheet!r}: no header row starting with 'Satzart' in "
                         "the first 30 rows", fix="give the Destatis file unchanged")
    top, sub = rows[header_at], rows[header_at + 1]
    columns: dict[str, int] = {}
    group = ""
    for j in range(len(top)):
        if top[j] is not None:
            group = _norm_header(top[j])
        s = _norm_header(sub[j]) if j < len(sub) else ""
        name = None
        if group.startswith("satzart"):
            name = "satzart"
        elif group.startswith("textkenn"):
            name = "textkennzeichen"
        elif group.startswith("amtlicherregionalschlüssel") or group.startswith(
                "amtlichergemeindeschlüssel"):
            name = {"land": "land", "rb": "rb", "kreis": "kreis", "vb": "vb",
                    "gem": "gem"}.get(s)
        elif group.startswith("gemeindename"):
            name = "name"
        elif group.startswith("fläche"):
            name = "area"
        elif group.startswith("bevölkerung") or group.startswith("bevoelkerung"):
            name = {"insgesamt": "pop", "männlich": "male", "weiblich": "female",
                    "jekm2": "density"}.get(s)
        elif group.startswith("postleit"):
            name = "postcode"
        elif group.startswith("geografischemittelpunkt"):
            name = {"längengrad": "lon", "breitengrad": "lat"}.get(s)
        elif group.startswith("gradderverstädterung"):
            name = {"schlüssel": "urb_code", "bezeichnung": "urb"}.get(s)
        if name and name not in columns:
            columns[name] = j
    labels = {"satzart": "Satzart", "textkennzeichen": "Textkennzeichen",
              "land": "Land", "rb": "RB", "kreis": "Kreis", "gem": "Gem",
              "name": "Gemeindename", "pop": "Bevölkerung insgesamt"}
    missing = [labels[c] for c in labels if c not in columns]
    if missing:
        raise InputError(path, f"sheet {sheet!r}: column(s) {', '.join(missing)} not found "
                         f"in header rows {header_at + 1}-{header_at + 2}",
                         column=missing[0], fix="give the Destatis file unchanged")

    title = " ".join(str(c) for r in rows[:header_at] for c in r if c)
    date = _parse_date(title)
    if date is None:
        m = re.search(r"(\d{2})(\d{2})(\d{4})$", sheet)
        date = dt.date(int(m[3]), int(m[2]), int(m[1])) if m else None
    if date is None:
        raise InputError(path, "cannot find the reference date in the title rows",
                         fix="give the Destatis file unchanged")

    def cell(r, name):
        j = columns.get(name)
        return r[j] if j is not None and j < len(r) else None

    municipalities = []
    districts = []
    for i in range(header_at + 2, len(rows)):
        r = rows[i]
        excel_row = i + 1
        if not r or r[0] is None:
            continue
        satzart = str(r[0]).strip()
        if satzart not in {"10", "20", "30", "40", "50", "60"}:
            continue
        # Keys arrive as text in the official file; numbers mean they lost their zeros.
        land = check_key(cell(r, "land"), 2, source=path, row=excel_row, column="Land")
        if satzart == "40":
            rb = check_key(cell(r, "rb"), 1, source=path, row=excel_row, column="RB")
            kreis = check_key(cell(r, "kreis"), 2, source=path, row=excel_row, column="Kreis")
            districts.append({"kreis_ags": land + rb + kreis,
                              "kreis_name_official": str(cell(r, "name")).strip(),
                              "textkennzeichen": str(cell(r, "textkennzeichen") or "").strip()})
        if satzart != "60":
            continue
        rb = check_key(cell(r, "rb"), 1, source=path, row=excel_row, column="RB")
        kreis = check_key(cell(r, "kreis"), 2, source=path, row=excel_row, column="Kreis")
        gem = check_key(cell(r, "gem"), 3, source=path, row=excel_row, column="Gem")
        vb_raw = cell(r, "vb")
        vb = check_key(vb_raw, 4, source=path, row=excel_row, column="VB") if vb_raw else None
        population = _parse_number(cell(r, "pop"), source=path, row=excel_row,
                                   column="Bevölkerung insgesamt", integer=True,
                                   allow_empty=False)
        if population < 0:
            raise InputError(path, f"population {population} is negative", row=excel_row,
                             column="Bevölkerung insgesamt", fix="give the Destatis file "
                             "unchanged")

        def number(name, integer=False, label=None, _r=r, _row=excel_row):
            return _parse_number(cell(_r, name), source=path, row=_row,
                                 column=label or name, integer=integer)

        postcode = cell(r, "postcode")
        municipalities.append({
            "ags": land + rb + kreis + gem,
            "ars": land + rb + kreis + vb + gem if vb else None,
            "name_official": str(cell(r, "name")).strip(),
            "textkennzeichen": str(cell(r, "textkennzeichen") or "").strip(),
            "population": population,
            "population_male": number("male", True, "männlich"),
            "population_female": number("female", True, "weiblich"),
            "area_km2": number("area", label="Fläche km2"),
            "postcode": (str(postcode).strip() or None) if postcode is not None else None,
            "lon": number("lon", label="Längengrad"),
            "lat": number("lat", label="Breitengrad"),
            "urbanisation_code": (str(cell(r, "urb_code")).strip() or None)
            if cell(r, "urb_code") is not None else None,
            "urbanisation": (str(cell(r, "urb")).strip() or None)
            if cell(r, "urb") is not None else None,
            "row": excel_row,
        })
    if not municipalities:
        raise InputError(path, f"sheet {sheet!r} has no municipality rows (Satzart 60)",
                         column="Satzart", fix="give the Destatis file unchanged")
    mun = _municipality_frame(municipalities)
    _check_unique(mun, path, column="AGS (Land+RB+Kreis+Gem)")
    dis = pd.DataFrame(districts, columns=["kreis_ags", "kreis_name_official", "textkennzeichen"])
    return PopulationTable(path, mun, dis, date, "destatis")


def _municipality_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=_MUNICIPALITY_COLUMNS)
    for col in ("population", "population_male", "population_female"):
        frame[col] = frame[col].astype("Int64")
    for col in ("area_km2", "lon", "lat"):
        frame[col] = frame[col].astype("float64")
    return frame


def _check_unique(frame: pd.DataFrame, path, column: str) -> None:
    dup = frame["ags"].duplicated(keep=False)
    if dup.any():
        ags = frame.loc[dup, "ags"].iloc[0]
        rows = frame.loc[frame["ags"] == ags, "row"].tolist()
        raise InputError(path, f"AGS {ags} appears {len(rows)} times (rows "
                         f"{', '.join(map(str, rows))})", row=rows[1], column=column,
                         fix="keep exactly one row per municipality")


_CSV_ALIASES = {
    "ags": ("ags", "gemeindeschlüssel", "gemeindeschluessel", "gkz", "schlüssel",
            "amtlichergemeindeschlüssel", "key"),
    "population": ("population", "einwohner", "einwohnerzahl", "bevölkerung", "bevoelkerung",
                   "ewz", "insgesamt", "bevölkerunginsgesamt"),
    "date": ("date", "stichtag", "reference_date", "referencedate", "datum", "stand"),
    "name": ("name", "gemeinde", "gemeindename"),
}


def read_population_csv(path: str | Path, reference_date: dt.date | None = None
                        ) -> PopulationTable:
    """Read a plain population table: AGS, population, reference date.

    Comma or semicolon separated, UTF-8 (with or without BOM) or Windows-1252. Header
    names are matched case-insensitively with German aliases (``AGS``/``Gemeindeschlüssel``,
    ``Einwohner``/``Bevölkerung``, ``Stichtag``). The date column may be left out if
    ``reference_date`` is given; all rows must share one date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = p.write_text("ags,population,date\\n6411000,165000,2024-12-31\\n")
    >>> read_population_csv(p)
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...p.csv, row 2, column 'ags': key '6411000' has 7 digits \
instead of 8: it was probably read as a number and lost its leading zero (should probably \
be '06411000'). Fix: ...
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, "population file not found",
                                  fix="give the path of a CSV with columns ags, population, "
                                      "date")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise InputError(path, "file is empty", fix="write a header row: ags;population;date")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    normalised = [_norm_header(h) for h in header]
    index = {}
    for key, aliases in _CSV_ALIASES.items():
        for j, h in enumerate(normalised):
            if h in aliases:
                index[key] = j
                break
    for key in ("ags", "population"):
        if key not in index:
            raise InputError(path, f"no {key} column in the header ({', '.join(header)})",
                             row=1, column=key,
                             fix="name the columns ags;population;date")
    if "date" not in index and reference_date is None:
        raise InputError(path, "no date column (Stichtag) and no reference date given",
                         row=1, column="date",
                         fix="add a column 'date' with the reference date, e.g. 2024-12-31")
    records = []
    dates = set()
    for n, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) < len(header):
            raise InputError(path, f"row has {len(values)} fields, header has {len(header)}",
                             row=n, fix=f"separate fields with {delimiter!r}")
        ags = check_key(values[index["ags"]].strip(), 8, source=path, row=n,
                        column=header[index["ags"]])
        population = _parse_number(values[index["population"]], source=path, row=n,
                                   column=header[index["population"]], integer=True,
                                   allow_empty=False)
        if population < 0:
            raise InputError(path, f"population {population} is negative", row=n,
                             column=header[index["population"]],
                             fix="population must be 0 or more")
        if "date" in index:
            date = _parse_date(values[index["date"]])
            if date is None:
                raise InputError(path, f"{values[index['date']]!r} is not a date", row=n,
                                 column=header[index["date"]],
                                 fix="write dates as 2024-12-31 or 31.12.2024")
            dates.add(date)
        record = dict.fromkeys(_MUNICIPALITY_COLUMNS)
        record.update(ags=ags, population=population, row=n,
                      name_official=values[index["name"]].strip() if "name" in index else None)
        records.append(record)
    if not records:
        raise InputError(path, "no data rows", fix="add one row per municipality")
    if len(dates) > 1:
        raise InputError(path, f"rows carry {len(dates)} different dates "
                         f"({', '.join(sorted(map(str, dates)))})", column="date",
                         fix="give one reference date for the whole table")
    date = dates.pop() if dates else reference_date
    frame = _municipality_frame(records)
    _check_unique(frame, path, column=header[index["ags"]])
    return PopulationTable(path, frame, pd.DataFrame(columns=["kreis_ags",
                           "kreis_name_official", "textkennzeichen"]), date, "csv")


def read_population(path: str | Path) -> PopulationTable:
    """Read a population table by its extension (``.xlsx`` Destatis, ``.csv`` plain)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_destatis_gv(path)
    if suffix in (".csv", ".txt"):
        return read_population_csv(path)
    raise InputError(path, f"unknown population file type {suffix!r}",
                     fix="give a Destatis .xlsx or a .csv with columns ags, population, date")


def population_from_ewz(boundaries: Boundaries) -> PopulationTable:
    """Population carried by a VG250-EW file (field ``EWZ``), dated like the boundaries."""
    gem = boundaries.municipalities
    if "ewz" not in gem:
        raise InputError(boundaries.path, "the boundaries carry no EWZ field",
                         column="EWZ", fix="give a population table with --population")
    records = []
    for i, (ags, ewz) in enumerate(zip(gem["ags"], gem["ewz"], strict=True)):
        record = dict.fromkeys(_MUNICIPALITY_COLUMNS)
        if pd.isna(ewz) or ewz < 0:
            raise InputError(boundaries.path, f"EWZ of AGS {ags} is {ewz}", row=i + 1,
                             column="EWZ", fix="use the original VG250-EW file")
        record.update(ags=ags, population=int(ewz), row=i + 1)
        records.append(record)
    return PopulationTable(boundaries.path, _municipality_frame(records),
                           pd.DataFrame(columns=["kreis_ags", "kreis_name_official",
                                                 "textkennzeichen"]),
                           boundaries.date, "vg250-ew")


# ------------------------------------------------------------------ curated tables


def read_curated_csv(
    path: str | Path,
    *,
    required: Iterable[str],
    keys: Mapping[str, int | tuple[int, ...]] | None = None,
    dates: Iterable[str] = (),
    unique: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> pd.DataFrame:
    """Read one of our curated tables from ``data/`` and check it.

    Every table has a ``source_url`` column that must be filled on every row (an http(s)
    URL). Key columns must hold official keys of the given length(s); date columns ISO
    dates. Unknown columns are refused, so a typo in a header cannot silently drop data.
    The frame gets a ``row`` column with the line number in the file (header = 1).

    Parameters
    ----------
    path : str or Path
    required : iterable of str
        Columns that must be present and non-empty on every row (besides ``source_url``).
    keys : mapping of column to length(s)
        Columns holding official keys.
    dates : iterable of str
        Columns holding ISO dates (``YYYY-MM-DD``).
    unique : iterable of str
        Columns whose values must not repeat.
    optional : iterable of str
        Further columns that may be present and may be empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("ags,name,source_url\\n06411000,Darmstadt,\\n")
    >>> read_curated_csv(p, required=["ags", "name"], keys={"ags": 8})
    Traceback (most recent call last):
    ...
    wirgeo.errors.InputError: ...t.csv, row 2, column 'source_url': value is empty. Fix: \
every row needs the URL of the public page the fact comes from.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceNotFoundError(path, "curated table not found",
                                  fix="restore it from git (it belongs to the repository)")
    required = list(required)
    keys = dict(keys or {})
    dates = list(dates)
    allowed = set(required) | set(keys) | set(dates) | set(optional) | {"source_url"}
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(path, f"cannot be read as UTF-8 CSV ({exc})",
                         fix="save the table as UTF-8 CSV with a comma separator") from exc
    unknown = [c for c in frame.columns if c not in allowed]
    if unknown:
        raise InputError(path, f"unknown column {unknown[0]!r}", row=1, column=unknown[0],
                         fix=f"use only the columns {', '.join(sorted(allowed))}")
    for column in [*required, "source_url"]:
        if column not in frame.columns:
            raise InputError(path, "column is missing", row=1, column=column,
                             fix=f"add the column {column!r} to the header")
    frame = frame.apply(lambda s: s.str.strip())
    frame.insert(0, "row", np.arange(2, len(frame) + 2))
    for column in [*required, "source_url"]:
        empty = frame[column] == ""
        if empty.any():
            row = int(frame.loc[empty, "row"].iloc[0])
            fix = ("every row needs the URL of the public page the fact comes from"
                   if column == "source_url" else f"fill in {column}")
            raise InputError(path, "value is empty", row=row, column=column, fix=fix)
    bad_url = ~frame["source_url"].str.match(r"https?://\S+$")
    if bad_url.any():
        row = int(frame.loc[bad_url, "row"].iloc[0])
        raise InputError(path, f"{frame.loc[bad_url, 'source_url'].iloc[0]!r} is not a URL",
                         row=row, column="source_url", fix="give a full http(s) URL")
    for column, lengths in keys.items():
        lengths = (lengths,) if isinstance(lengths, int) else tuple(lengths)
        if column not in frame:
            continue
        for row, value in zip(frame["row"], frame[column], strict=True):
            if value == "" and column not in required:
                continue
            if value.isdigit() and len(value) in lengths:
                continue
            # explain against the nearest allowed length (a 7-digit AGS lost a zero)
            target = min((n for n in lengths if n >= len(value)), default=max(lengths))
            check_key(value, target, source=path, row=int(row), column=column)
    for column in dates:
        if column not in frame:
            continue
        for row, value in zip(frame["row"], frame[column], strict=True):
            if value == "" and column not in required:
                continue
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise InputError(path, f"{value!r} is not a date", row=int(row),
                                 column=column, fix="write dates as YYYY-MM-DD") from None
    for column in unique:
        dup = frame[column].duplicated(keep=False) & (frame[column] != "")
        if dup.any():
            rows = frame.loc[dup, "row"].tolist()
            raise InputError(path, f"{frame.loc[dup, column].iloc[0]!r} appears more than "
                             f"once (rows {', '.join(map(str, rows))})", row=rows[1],
                             column=column, fix="keep one row per entry")
    return frame.reset_index(drop=True)


def read_json(path: Path) -> dict:
    """Small JSON side files (checksum memo, download manifest); empty if absent/broken."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
