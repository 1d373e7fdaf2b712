"""Population from any official source: a table file by its type, or VG250-EW's ``EWZ``.

:func:`read_population` picks the reader by the file's extension (Destatis ``.xlsx``, plain
``.csv``); :func:`population_from_ewz` takes the figures a VG250-EW GeoPackage carries.
All return a :class:`~wirgeo.sources.population_table.PopulationTable`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.errors import InputError
from wirgeo.sources._parsing import MAX_POPULATION
from wirgeo.sources.destatis import read_destatis_gv
from wirgeo.sources.population_csv import read_population_csv
from wirgeo.sources.population_table import (
    PopulationTable,
    blank_record,
    municipality_frame,
    no_districts,
)
from wirgeo.sources.vg250 import Boundaries

__all__ = ["read_population", "population_from_ewz"]


def read_population(path: str | Path) -> PopulationTable:
    """Read a population table by its extension (``.xlsx`` Destatis, ``.csv`` plain)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_destatis_gv(path)
    if suffix in (".csv", ".txt"):
        return read_population_csv(path)
    raise InputError(path, _("unknown population file type {suffix!r}").format(suffix=suffix),
                     fix=_("give a Destatis .xlsx or a .csv with columns ags, population, "
                           "date"))


def population_from_ewz(boundaries: Boundaries) -> PopulationTable:
    """Population carried by a VG250-EW file (field ``EWZ``), dated like the boundaries."""
    gem = boundaries.municipalities
    if "ewz" not in gem:
        raise InputError(boundaries.path, _("the boundaries carry no EWZ field"),
                         column="EWZ", fix=_("pass a population table as `population`"))
    records = []
    for i, (ags, ewz) in enumerate(zip(gem["ags"], gem["ewz"], strict=True)):
        if pd.isna(ewz) or ewz < 0:
            raise InputError(boundaries.path, _("EWZ of AGS {ags} is {ewz}").format(
                                                  ags=ags, ewz=ewz), row=i + 1,
                             column="EWZ", fix=_("use the original VG250-EW file"))
        if ewz > MAX_POPULATION:  # the same plausibility bound as every population table
            raise InputError(boundaries.path, _("EWZ of AGS {ags} is {ewz}, not plausible "
                                                "for one Gemeinde").format(ags=ags, ewz=ewz),
                             row=i + 1, column="EWZ",
                             fix=_("use the original VG250-EW file"))
        record = blank_record()
        record.update(ags=ags, population=int(ewz), row=i + 1)
        records.append(record)
    return PopulationTable(boundaries.path, municipality_frame(records), no_districts(),
                           boundaries.date, "vg250-ew")
