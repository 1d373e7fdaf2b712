"""The KIV grantees: ``data/kiv_grantees.csv``, checked against the municipalities.

Municipalities documented as funded by KIV, by AGS, with round, years, project, amount
where known and a ``consortium_id`` shared by the members of one Verbund application. The
list is incomplete: the ministry speaks of 24–27 funded municipalities.

Examples
--------
>>> sorted(funded_ags())[:3]
['06431002', '06431013', '06432010']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from wirgeo.core import paths as _paths
from wirgeo.core.i18n import _, number
from wirgeo.errors import InputError
from wirgeo.municipalities import MunicipalityNames
from wirgeo.programme._checks import (
    check_choice,
    check_further_sources,
    fill_optional,
    require_municipalities,
    rows_of_kreise,
)
from wirgeo.sources import read_curated_csv

__all__ = ["GRANTEE_STATUS", "ROUNDS", "load_grantees", "grantees_of_kreise", "funded_ags"]

GRANTEE_STATUS = ("confirmed", "probable")
#: KIV rounds as the grantee table names them; the first three match the keys of
#: ``funding_ceiling_eur`` in the rules.
ROUNDS = ("KIV I", "KIV II", "later", "unknown")

_GRANTEE_FILE = "kiv_grantees.csv"
#: The plausibility bound of one grant: ten times the highest KIV ceiling (30,000 €).
MAX_AMOUNT_EUR = 300_000
#: Columns taken over from the municipality table.
_FROM_MUNICIPALITIES = ["ags", "name_official", "kreis_ags", "kreis_name", "population"]


def load_grantees(path: str | Path | None = None,
                  municipalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load the documented KIV grantees from ``data/kiv_grantees.csv``, validated.

    The list is known to be incomplete (24–27 funded municipalities according to the
    ministry); add rows as they become known — every row needs its source URL.

    Parameters
    ----------
    path : str or Path, optional
        The grantee table; default ``data/kiv_grantees.csv``.
    municipalities : DataFrame
        The joined municipalities (:func:`wirgeo.load_municipalities`); required. Every
        AGS must exist and the ``name`` column must name the same municipality.

    Returns
    -------
    DataFrame
        Columns ``ags``, ``name``, ``round`` (KIV I / KIV II / later / unknown),
        ``years``, ``consortium_id`` ("" for single applicants), ``project``,
        ``amount_eur`` (Int64, NA when unknown), ``status`` (confirmed / probable),
        ``source_url``, ``further_sources``, ``note``, ``row``, and from the
        municipalities ``name_official``, ``kreis_ags``, ``kreis_name``, ``population``.

    Raises
    ------
    ArgumentError
        ``municipalities`` not given.
    InputError
        Naming file, row and column: unknown AGS, a name of another municipality, a
        missing source URL, an unknown round or status, a Verbund of one.

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> grantees = load_grantees(municipalities=load_municipalities())
    >>> grantees.loc[grantees.name == "Weiterstadt", ["ags", "round", "amount_eur"]
    ...              ].to_dict("records")
    [{'ags': '06432023', 'round': 'KIV II', 'amount_eur': 20000}]
    """
    gem = require_municipalities(municipalities, "load_grantees")
    path = _grantee_path(path)
    return _checked(_read(path), path, gem)


def grantees_of_kreise(municipalities: pd.DataFrame, path: str | Path | None = None
                       ) -> pd.DataFrame:
    """The grantees in a Kreis of ``municipalities``, validated as in :func:`load_grantees`.

    For a part of the state: rows of Kreise the table does not have at all are left out;
    a row of a Kreis it has is checked fully (an AGS missing from it is an error).

    Examples
    --------
    >>> from wirgeo import load_municipalities
    >>> gem = load_municipalities()
    >>> grantees_of_kreise(gem[gem.kreis_ags == "06431"]).name.tolist()
    ['Bensheim', 'Lampertheim']
    """
    path = _grantee_path(path)
    frame = _read(path)
    kept = rows_of_kreise(frame, frame["ags"], municipalities["kreis_ags"])
    return _checked(kept, path, municipalities)


def funded_ags(grantees: pd.DataFrame | None = None) -> set[str]:
    """AGS of the municipalities documented as KIV-funded.

    Parameters
    ----------
    grantees : DataFrame, optional
        From :func:`load_grantees`; default: ``data/kiv_grantees.csv`` read and checked on
        its own (without the municipalities).

    Examples
    --------
    >>> "06432023" in funded_ags()
    True
    """
    if grantees is None:
        grantees = _read(_grantee_path(None))
    return set(grantees["ags"])


def _grantee_path(path: str | Path | None) -> Path:
    return Path(path) if path else _paths.data_dir() / _GRANTEE_FILE


def _read(path: Path) -> pd.DataFrame:
    """The grantee table with the checks that need nothing but the file."""
    frame = read_curated_csv(
        path,
        required=["ags", "name", "round", "years", "project", "status"],
        keys={"ags": 8},
        unique=["ags"],
        optional=["consortium_id", "amount_eur", "further_sources", "note"],
    )
    fill_optional(frame, ("consortium_id", "amount_eur", "note"))
    check_choice(frame, "round", ROUNDS, path)
    check_choice(frame, "status", GRANTEE_STATUS, path)
    check_further_sources(frame, path)
    _check_amounts(frame, path)
    _check_consortia(frame, path)
    frame["amount_eur"] = pd.array([int(v) if v else pd.NA for v in frame["amount_eur"]],
                                   dtype="Int64")
    return frame


def _check_amounts(frame: pd.DataFrame, path: Path) -> None:
    for row, value in zip(frame["row"], frame["amount_eur"], strict=True):
        # isascii: "2000²" is digits to str.isdigit() but no number to int()
        if value and not (value.isascii() and value.isdigit()):
            raise InputError(path, _("{value!r} is not a whole number of euros").format(
                                       value=value), row=int(row),
                             column="amount_eur", fix=_("write e.g. 20000 (no separators, no "
                                                        "currency sign), or leave it empty"))
        if value and int(value) > MAX_AMOUNT_EUR:
            raise InputError(path, _("{amount} € is not plausible for one KIV grant").format(
                                       amount=number(int(value))),
                             row=int(row), column="amount_eur",
                             fix=_("KIV grants are {low}–{high} €; wirgeo accepts up to "
                                   "{limit} €: check the figure").format(
                                 low=number(20_000), high=number(30_000),
                                 limit=number(MAX_AMOUNT_EUR)))


def _check_consortia(frame: pd.DataFrame, path: Path) -> None:
    """A Verbund application has a row per member, all with one ``consortium_id``."""
    sizes = frame.loc[frame["consortium_id"] != "", "consortium_id"].value_counts()
    lonely = sizes[sizes < 2]
    if len(lonely):
        cid = lonely.index[0]
        row = int(frame.loc[frame["consortium_id"] == cid, "row"].iloc[0])
        raise InputError(path, _("consortium {cid!r} has a single member").format(cid=cid),
                         row=row,
                         column="consortium_id",
                         fix=_("give every member of a Verbund its own row with the same "
                               "consortium_id, or leave it empty for a single applicant"))


def _checked(frame: pd.DataFrame, path: Path, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Check every row against the municipalities; add their official name, Kreis, size."""
    names = MunicipalityNames(municipalities)
    for r in frame.itertuples(index=False):
        _check_row(r, path, names)
    extra = municipalities.loc[municipalities["ags"].isin(frame["ags"]), _FROM_MUNICIPALITIES]
    return frame.merge(pd.DataFrame(extra), on="ags", how="left")


def _check_row(r: Any, path: Path, names: MunicipalityNames) -> None:
    """The AGS is in the table and the name names the same municipality."""
    gem = names.municipalities
    row = int(r.row)
    if not (gem["ags"] == r.ags).any():
        try:
            fix = _("{name} is AGS {ags}").format(name=r.name,
                                                  ags=names.resolve(r.name))
        except InputError:
            fix = _("check the AGS against the Destatis Gemeindeverzeichnis")
        raise InputError(path, _("AGS {ags} is not in the municipality table").format(
                                   ags=r.ags), row=row,
                         column="ags", fix=fix)
    status = gem.loc[gem["ags"] == r.ags, "status"].iloc[0] if "status" in gem else None
    if status == "kreisfreie_stadt":
        raise InputError(path, _("AGS {ags} ({name}) is a kreisfreie Stadt, and KIV funds "
                                 "only kreisangehörige Städte und Gemeinden").format(
                                   ags=r.ags, name=r.name), row=row,
                         column="ags", fix=_("check the AGS; kreisfreie Städte are no KIV "
                                             "applicants (rules: excluded_status)"))
    named = names.resolve(r.name, source=path, row=row, column="name")
    if named != r.ags:
        actual = gem.loc[gem["ags"] == r.ags, "name"].iloc[0]
        raise InputError(path, _("name {name!r} is AGS {named}, but the row says {ags} "
                                 "({actual})").format(
                                   name=r.name, named=named, ags=r.ags, actual=actual),
                         row=row, column="ags",
                         fix=_("make ags and name name the same municipality"))
