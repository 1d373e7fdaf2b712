"""The Verbund plan as files: the tables scripts read and the workbook people open.

One workbook serves the command line (``wirgeo consortia --out plan.xlsx``) and the
planner's Excel export: the Verbünde, every municipality with its Verbund or reason, and
the rules of the run.

Examples
--------
>>> import tempfile, pathlib
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(kreise=("Vogelsbergkreis",), plan_within_kreise=True).run(
...     load_municipalities())
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_plan(run, out / "plan.csv", members=out / "members.csv")]
['plan.csv', 'members.csv']
>>> list(plan_sheets(run))
['Verbünde', 'Gemeinden', 'Regeln']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wirgeo.exports.tables import check_output_path, write_table
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import Planning

__all__ = ["plan_sheets", "write_plan_workbook", "write_plan"]


def plan_sheets(run: Planning) -> dict[str, pd.DataFrame]:
    """The sheets of the plan workbook: ``Verbünde``, ``Gemeinden``, ``Regeln``."""
    plan = run.plan
    rules = pd.DataFrame({"rule": ["rules", "summary", "sources"],
                          "value": [run.rules.describe(), plan.summary_line(),
                                    run.municipalities.attrs.get("attribution", "")]})
    return {"Verbünde": pd.DataFrame(plan.consortia.drop(columns="geometry")),
            "Gemeinden": pd.DataFrame(plan.members.drop(columns="geometry")),
            "Regeln": rules}


def write_plan_workbook(run: Planning, path: str | Path) -> Path:
    """Write :func:`plan_sheets` as one Excel workbook, atomically and byte-identically."""
    path = check_output_path(path, formats=(".xlsx",))
    return write_workbook(path, plan_sheets(run))


def write_plan(run: Planning, path: str | Path, *, members: str | Path | None = None
               ) -> list[Path]:
    """Write the plan by the extension of ``path``; ``members`` adds the member table.

    ``.xlsx`` gets the whole workbook (:func:`write_plan_workbook`); any other format of
    :data:`~wirgeo.exports.tables.TABLE_FORMATS` one row per Verbund (with its outline
    where the format holds geometries).
    """
    path = check_output_path(path)
    if path.suffix.lower() == ".xlsx":
        written = [write_plan_workbook(run, path)]
    else:
        written = [write_table(run.plan.consortia, path, sheet_name="Verbünde")]
    if members is not None:
        written.append(write_table(run.plan.members, members, sheet_name="Gemeinden"))
    return written
