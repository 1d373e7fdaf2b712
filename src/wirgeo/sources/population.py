"""Population from any official source: a table file by its type, or VG250-EW's ``EWZ``.

:func:`read_population` picks the reader by the file's extension (Destatis ``.xlsx``, plain
``.csv``, the Zensus 2022 table by its header); :func:`population_from_ewz` takes the
figures a VG250-EW GeoPackage carries; :func:`overlay_population` puts a release of only
the changed rows on the full release it changes.
All return a :class:`~wirgeo.sources.population_table.PopulationTable`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wirgeo.errors import InputError
from wirgeo.sources._parsing import MAX_POPULATION
from wirgeo.sources._text import read_text
from wirgeo.sources.destatis import read_destatis_gv
from wirgeo.sources.population_csv import read_population_csv
from wirgeo.sources.population_table import (
    PopulationTable,
    blank_record,
    municipality_frame,
    no_districts,
)
from wirgeo.sources.vg250 import Boundaries
from wirgeo.sources.zensus import is_zensus_header, read_zensus

__all__ = ["read_population", "population_from_ewz", "overlay_population"]


def read_population(path: str | Path) -> PopulationTable:
    """Read a population table by its extension (``.xlsx`` Destatis, ``.csv`` plain).

    A CSV with the header of the Zensus 2022 table (``population_census22``) is read as
    that table (:func:`~wirgeo.sources.zensus.read_zensus`): its census population is the
    release, dated 15.05.2022.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_destatis_gv(path)
    if suffix in (".csv", ".txt"):
        if path.is_file() and is_zensus_header(_first_line(path)):
            return read_zensus(path).population_table()
        return read_population_csv(path)
    raise InputError(path, f"unknown population file type {suffix!r}",
                     fix="give a Destatis .xlsx or a .csv with columns ags, population, date")


def _first_line(path: Path) -> str:
    """The header line of a text table ("" for an empty file)."""
    text = read_text(path)[0]
    return text.splitlines()[0] if text.strip() else ""


def population_from_ewz(boundaries: Boundaries) -> PopulationTable:
    """Population carried by a VG250-EW file (field ``EWZ``), dated like the boundaries."""
    gem = boundaries.municipalities
    if "ewz" not in gem:
        raise InputError(boundaries.path, "the boundaries carry no EWZ field",
                         column="EWZ", fix="pass a population table as `population`")
    records = []
    for i, (ags, ewz) in enumerate(zip(gem["ags"], gem["ewz"], strict=True)):
        if pd.isna(ewz) or ewz < 0:
            raise InputError(boundaries.path, f"EWZ of AGS {ags} is {ewz}", row=i + 1,
                             column="EWZ", fix="use the original VG250-EW file")
        if ewz > MAX_POPULATION:  # the same plausibility bound as every population table
            raise InputError(boundaries.path, f"EWZ of AGS {ags} is {ewz}, not plausible "
                             "for one Gemeinde", row=i + 1, column="EWZ",
                             fix="use the original VG250-EW file")
        record = blank_record()
        record.update(ags=ags, population=int(ewz), row=i + 1)
        records.append(record)
    return PopulationTable(boundaries.path, municipality_frame(records), no_districts(),
                           boundaries.date, "vg250-ew")


def overlay_population(basis: PopulationTable, changes: PopulationTable) -> PopulationTable:
    """A release of only the changed rows, on the full release it changes.

    The rows of ``changes`` replace those of ``basis`` with the same AGS (a new AGS is
    added); every other Gemeinde keeps the basis's row. The result is dated and named
    like ``changes`` and remembers ``basis`` (its attribution names both).

    Examples
    --------
    >>> import datetime as dt, pandas as pd
    >>> from wirgeo.sources.population_table import municipality_frame, no_districts
    >>> def table(rows, date):
    ...     frame = municipality_frame([{"ags": a, "population": p, "row": i + 1}
    ...                                 for i, (a, p) in enumerate(rows)])
    ...     return PopulationTable(None, frame, no_districts(), date, "csv")
    >>> old = table([("06411000", 165000), ("06412000", 770000)], dt.date(2023, 12, 31))
    >>> new = table([("06412000", 775000)], dt.date(2024, 12, 31))
    >>> both = overlay_population(old, new)
    >>> both.municipalities[["ags", "population"]].to_dict("records")
    [{'ags': '06411000', 'population': 165000}, {'ags': '06412000', 'population': 775000}]
    >>> str(both.reference_date), both.basis is old
    ('2024-12-31', True)
    """
    changed = set(changes.municipalities["ags"])
    kept = basis.municipalities[~basis.municipalities["ags"].isin(changed)]
    rows = pd.concat([kept, changes.municipalities], ignore_index=True)
    rows = rows.sort_values("ags", kind="stable").reset_index(drop=True)
    districts = changes.districts if len(changes.districts) else basis.districts
    return PopulationTable(changes.path, rows, districts, changes.reference_date,
                           changes.kind, basis)
