"""Hessian (or any German state's) municipalities: official boundaries joined to population.

The join is the table every answer of wirgeo rests on. It is strict by default: every
inhabited municipality must have both a boundary and a population figure, and the
:class:`JoinReport` states what was matched, dissolved, repaired and left out, with both
reference dates. Territorial changes between the boundary date and the population date
(``data/territorial_changes.csv``) are applied by dissolving the old units into the new one.

Columns of the municipality table (EPSG:25832):

=====================  ============================================================
``ags``                8-digit Amtlicher Gemeindeschlüssel (string)
``ars``                12-digit Amtlicher Regionalschlüssel (string, may be NA)
``name``               short name as BKG writes it (``GEN``), e.g. ``Allendorf (Eder)``
``name_official``      name in the population table, e.g. ``Allendorf (Eder)``,
                       ``Bad Homburg v.d. Höhe, Stadt``
``type``               ``Stadt``, ``Gemeinde`` or ``gemeindefreies Gebiet``
``status``             ``kreisfreie_stadt``, ``sonderstatusstadt``, ``kreisangehoerig``
                       or ``gemeindefrei``
``kreis_ags``          5-digit Kreis key; ``kreis_name`` its name, e.g.
                       ``Landkreis Kassel`` or ``Kassel`` (kreisfreie Stadt)
``rbz_ags``            3-digit Regierungsbezirk key; ``rbz_name`` e.g.
                       ``Regierungsbezirk Darmstadt`` (NA in states without one)
``state``              2-digit state key
``population``         inhabitants at ``population_date`` (0 for gemeindefrei)
``population_male``,   as in the population table (NA for a plain CSV)
``population_female``
``population_date``    reference date of the population (ISO string)
``boundary_date``      reference date of the boundaries (ISO string)
``area_km2``           official area, else computed from the boundary
``postcode``           postcode of the town hall (Destatis)
``lon``, ``lat``       official centre coordinate (WGS84, Destatis); else a point
                       inside the boundary
``urbanisation_code``  degree of urbanisation (01 dicht, 02 mittel, 03 gering
``urbanisation``       besiedelt) and its label
``census_population``  Zensus 2022 (15.05.2022): inhabitants at the census
``foreign_share``,     Zensus 2022 shares in percent, as published: foreign nationals,
``migration_share``,   migration background (Einwanderungsgeschichte), under 18,
``under18_share``,     60 and older; missing (NA) where withheld or without a row
``over60_share``
``foreign_residents``  an **estimate**: ``foreign_share`` × ``census_population``
                       (:mod:`~wirgeo.municipalities.census`)
``merged_from``        ``;``-joined AGS of units dissolved into this one, else ""
``geometry``           MultiPolygon, full resolution
=====================  ============================================================

The package: :mod:`~wirgeo.municipalities.join` (the join and its curated tables),
:mod:`~wirgeo.municipalities.report` (:class:`JoinReport`),
:mod:`~wirgeo.municipalities.load` (sources, cache),
:mod:`~wirgeo.municipalities.resolve` (names and keys of municipalities and Kreise),
:mod:`~wirgeo.municipalities.validate` (:func:`check_municipalities`: the table at the
public boundary of every function that takes one),
:mod:`~wirgeo.municipalities.territory` (rows of merged Gemeinden put on the new one),
:mod:`~wirgeo.municipalities.census` (the Zensus 2022 indicators) and
:mod:`~wirgeo.municipalities.bundle` (building the embedded dataset from the official files).

Examples
--------
>>> from wirgeo import load_municipalities
>>> gem = load_municipalities(state="06")
>>> len(gem), int(gem.population.sum())
(425, 6420729)
"""

from wirgeo.municipalities.bundle import build_bundle
from wirgeo.municipalities.census import (
    CENSUS_COLUMNS,
    INDICATOR_COLUMNS,
    CensusReport,
    census_on_territory,
)
from wirgeo.municipalities.join import (
    MUNICIPALITY_COLUMNS,
    Dataset,
    join,
    read_sonderstatus,
    read_territorial_changes,
)
from wirgeo.municipalities.load import load, load_districts, load_municipalities
from wirgeo.municipalities.report import Change, JoinReport
from wirgeo.municipalities.resolve import (
    MunicipalityNames,
    resolve_kreise,
    resolve_municipalities,
    resolve_municipality,
)
from wirgeo.municipalities.validate import check_municipalities
from wirgeo.rules import STATUS_VALUES

__all__ = [
    "MUNICIPALITY_COLUMNS",
    "STATUS_VALUES",
    "check_municipalities",
    "Change",
    "JoinReport",
    "Dataset",
    "load",
    "load_municipalities",
    "load_districts",
    "join",
    "read_territorial_changes",
    "read_sonderstatus",
    "resolve_municipality",
    "resolve_municipalities",
    "MunicipalityNames",
    "resolve_kreise",
    "build_bundle",
    "CENSUS_COLUMNS",
    "INDICATOR_COLUMNS",
    "CensusReport",
    "census_on_territory",
]
