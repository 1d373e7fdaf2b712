"""The table every population reader returns: :class:`PopulationTable`.

The Destatis directory, a plain CSV and the ``EWZ`` field of VG250-EW all end up in the
same columns (:data:`MUNICIPALITY_COLUMNS`), so the join never asks where the figures
came from. The helpers here build and check those frames for the readers of this package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _
from wirgeo.errors import InputError

__all__ = ["DESTATIS_ATTRIBUTION", "PopulationTable"]

#: The attribution of the Zensus 2022 results (:mod:`wirgeo.sources.zensus` dates it).
ZENSUS_ATTRIBUTION = "Statistische Ämter des Bundes und der Länder, Zensus 2022"

DESTATIS_ATTRIBUTION = (
    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, "
    "Gebietsstand {date}"
)

#: Columns of :attr:`PopulationTable.municipalities`, in this order.
MUNICIPALITY_COLUMNS = [
    "ags", "ars", "name_official", "textkennzeichen", "population", "population_male",
    "population_female", "area_km2", "postcode", "lon", "lat", "urbanisation_code",
    "urbanisation", "row",
]
#: Columns of :attr:`PopulationTable.districts`.
DISTRICT_COLUMNS = ["kreis_ags", "kreis_name_official", "textkennzeichen"]


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
        ``"destatis"``, ``"csv"``, ``"vg250-ew"`` or ``"zensus2022"`` (the census
        population of the Zensus 2022 table).
    basis : PopulationTable, optional
        For a release of only the changed rows: the full release it changes (the rows
        of the other Gemeinden come from it; :func:`wirgeo.sources.overlay_population`).
    """

    path: Path | None
    municipalities: pd.DataFrame
    districts: pd.DataFrame
    reference_date: dt.date
    kind: str
    basis: PopulationTable | None = None

    @property
    def attribution(self) -> str:
        """Attribution line for the population source (and the basis of a partial one)."""
        if self.basis is not None:
            own = PopulationTable(self.path, self.municipalities, self.districts,
                                  self.reference_date, self.kind).attribution
            return _("{release}; the other Gemeinden: {basis}").format(
                release=own, basis=self.basis.attribution)
        date = self.reference_date.strftime("%d.%m.%Y")
        if self.kind == "destatis":
            return DESTATIS_ATTRIBUTION.format(date=date)
        if self.kind == "vg250-ew":
            return f"Einwohnerzahlen aus BKG VG250-EW, Stand {date}"
        if self.kind == "zensus2022":  # the census population as a release
            return f"{ZENSUS_ATTRIBUTION} ({date})"
        name = self.path.name if self.path else "population table"
        return f"Bevölkerung: {name}, Stichtag {date}"

    def for_state(self, state: str) -> PopulationTable:
        """The rows of one state."""
        mun = self.municipalities[self.municipalities["ags"].str[:2] == state]
        dis = self.districts[self.districts["kreis_ags"].str[:2] == state]
        return PopulationTable(self.path, mun.reset_index(drop=True),
                               dis.reset_index(drop=True), self.reference_date, self.kind,
                               self.basis)


def blank_record() -> dict[str, object]:
    """One municipality row with every column empty, to be filled by a reader."""
    return dict.fromkeys(MUNICIPALITY_COLUMNS)


def municipality_frame(records: Sequence[dict[str, object]]) -> pd.DataFrame:
    """The municipality rows as a frame with the documented dtypes."""
    frame = pd.DataFrame.from_records(records, columns=MUNICIPALITY_COLUMNS)
    for col in ("population", "population_male", "population_female"):
        frame[col] = frame[col].astype("Int64")
    for col in ("area_km2", "lon", "lat"):
        frame[col] = frame[col].astype("float64")
    return frame


def no_districts() -> pd.DataFrame:
    """The empty district frame of tables that name no Kreise (CSV, VG250-EW)."""
    return pd.DataFrame(columns=DISTRICT_COLUMNS)


def check_unique_ags(frame: pd.DataFrame, path: str | Path | None, column: str) -> None:
    """Refuse a table that lists one AGS on several rows, naming the rows."""
    dup = frame["ags"].duplicated(keep=False)
    if dup.any():
        ags = frame.loc[dup, "ags"].iloc[0]
        rows = frame.loc[frame["ags"] == ags, "row"].tolist()
        raise InputError(path, f"AGS {ags} appears {len(rows)} times (rows "
                         f"{', '.join(map(str, rows))})", row=rows[1], column=column,
                         fix="keep exactly one row per municipality")
