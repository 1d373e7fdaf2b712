"""Reading and validating everything that comes from outside wirgeo.

This package owns all outside input. The official formats are read here and checked
once; everything after it can trust the frames it gets:

* BKG VG250 / VG250-EW GeoPackages ("Verwaltungsgebiete 1:250 000, Ebenen") with their
  official layer names (``vg250_gem``, ``vg250_krs``, ``vg250_rbz``, ``vg250_lan``) and
  field names (``AGS``, ``ARS``/``RS``, ``GEN``, ``BEZ``, ``GF``, ``SN_L``, ``WSK``,
  optionally ``EWZ``), for any state;
* the Destatis municipality directory ("Gemeinden in Deutschland nach Fläche,
  Bevölkerung und Postleitzahl", sheet ``Onlineprodukt_Gemeinden<date>``);
* a plain population CSV (AGS, population, reference date) for newer figures;
* the Zensus 2022 results per Gemeinde (population, age, foreign nationals, migration;
  :mod:`~wirgeo.sources.zensus`), also read as a population release;
* our own curated CSV tables in ``data/`` (every row with a source URL);
* the embedded dataset shipped with wirgeo (one GeoParquet file made from the official
  files by ``wirgeo data bundle``), used when there is no source folder.

Keys (AGS, ARS) are strings everywhere. A key that was turned into a number somewhere
on its way (and lost its leading zero) is detected and explained, not repaired silently.

Where things live: :mod:`~wirgeo.sources.discovery` (the source folder and which files in
it are used), :mod:`~wirgeo.sources.vg250` (boundaries), :mod:`~wirgeo.sources.destatis`,
:mod:`~wirgeo.sources.population_csv` and :mod:`~wirgeo.sources.population` (population,
all as a :class:`~wirgeo.sources.population_table.PopulationTable`),
:mod:`~wirgeo.sources.curated` (the format of our own tables), :mod:`~wirgeo.sources.keys`
(official keys, checksums), :mod:`~wirgeo.sources.states` (state names),
:mod:`~wirgeo.sources.download` (``wirgeo data download``) and
:mod:`~wirgeo.sources.bundle` (the embedded dataset used when no source folder exists).

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

from typing import TYPE_CHECKING

from wirgeo.core.lazy import lazy_exports

if TYPE_CHECKING:
    from wirgeo.sources._parsing import MAX_POPULATION
    from wirgeo.sources._text import read_text, read_toml
    from wirgeo.sources.bundle import (
        bundle_info,
        bundle_path,
        read_bundle,
        read_bundle_census,
        write_bundle,
    )
    from wirgeo.sources.curated import read_curated_csv, read_json
    from wirgeo.sources.destatis import read_destatis_gv
    from wirgeo.sources.discovery import (
        EMBEDDED_BUNDLES,
        HOW_TO_GET_SOURCES,
        SourceFiles,
        find_census,
        find_sources,
        given_basis,
        resolve_source_dir,
    )
    from wirgeo.sources.keys import check_key, file_sha256
    from wirgeo.sources.negotiation import Negotiation, read_negotiation
    from wirgeo.sources.population import (
        overlay_population,
        population_from_ewz,
        read_population,
    )
    from wirgeo.sources.population_csv import read_population_csv
    from wirgeo.sources.population_table import DESTATIS_ATTRIBUTION, PopulationTable
    from wirgeo.sources.states import STATE_NAMES
    from wirgeo.sources.vg250 import BKG_ATTRIBUTION, VG250_LAYERS, Boundaries, read_vg250
    from wirgeo.sources.zensus import (
        ZENSUS_ATTRIBUTION,
        ZENSUS_DATE,
        ZensusTable,
        is_zensus_header,
        read_zensus,
    )

# imported on first use: `wirgeo rules` reads text files without loading geopandas
__getattr__, __dir__ = lazy_exports(__name__, {
    "_parsing": ("MAX_POPULATION",),
    "_text": ("read_text", "read_toml"),
    "bundle": ("bundle_info", "bundle_path", "read_bundle", "read_bundle_census",
               "write_bundle"),
    "curated": ("read_curated_csv", "read_json"),
    "destatis": ("read_destatis_gv",),
    "discovery": ("EMBEDDED_BUNDLES", "HOW_TO_GET_SOURCES", "SourceFiles", "find_census",
                  "find_sources", "given_basis", "resolve_source_dir"),
    "keys": ("check_key", "file_sha256"),
    "negotiation": ("Negotiation", "read_negotiation"),
    "population": ("overlay_population", "population_from_ewz", "read_population"),
    "population_csv": ("read_population_csv",),
    "population_table": ("DESTATIS_ATTRIBUTION", "PopulationTable"),
    "states": ("STATE_NAMES",),
    "vg250": ("BKG_ATTRIBUTION", "VG250_LAYERS", "Boundaries", "read_vg250"),
    "zensus": ("ZENSUS_ATTRIBUTION", "ZENSUS_DATE", "ZensusTable", "is_zensus_header",
               "read_zensus"),
})

__all__ = [
    "VG250_LAYERS",
    "STATE_NAMES",
    "Boundaries",
    "PopulationTable",
    "SourceFiles",
    "resolve_source_dir",
    "find_sources",
    "find_census",
    "given_basis",
    "read_vg250",
    "read_destatis_gv",
    "read_population_csv",
    "Negotiation",
    "read_negotiation",
    "read_population",
    "read_curated_csv",
    "file_sha256",
    "check_key",
    "BKG_ATTRIBUTION",
    "DESTATIS_ATTRIBUTION",
    "HOW_TO_GET_SOURCES",
    "population_from_ewz",
    "overlay_population",
    "read_json",
    "read_text",
    "read_toml",
    "MAX_POPULATION",
    "EMBEDDED_BUNDLES",
    "bundle_path",
    "bundle_info",
    "read_bundle",
    "read_bundle_census",
    "write_bundle",
    "ZENSUS_ATTRIBUTION",
    "ZENSUS_DATE",
    "ZensusTable",
    "is_zensus_header",
    "read_zensus",
]
