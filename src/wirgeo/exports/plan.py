"""The Verbund plan as files: the tables scripts read and the workbook people open.

One workbook serves the command line (``wirgeo consortia --out plan.xlsx``), the demo and
the planner's Excel export: the Verbünde, every municipality with its Verbund or reason,
the small municipalities without one, and the run record (sheet ``Lauf``) — in the run's
language, for the run's view (a Kreis selection shows the statewide Verbünde with a member
there). Machine tables (CSV, GeoJSON, …) keep the documented English columns.

Examples
--------
>>> import tempfile, pathlib
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import PlanningRequest
>>> run = PlanningRequest(kreise=("Vogelsbergkreis",)).run(load_municipalities())
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_plan(run, out / "plan.csv", members=out / "members.csv")]
['plan.csv', 'members.csv']
>>> list(plan_sheets(run))
['Verbünde', 'Gemeinden', 'Ohne Verbund', 'Lauf']
>>> list(plan_sheets(run, lang="en"))
['Consortia', 'Municipalities', 'Unplaced', 'Run']
>>> pd.read_csv(out / "members.csv", dtype=str).set_index("name").at["Alsfeld", "reason"]
'16.205 Einwohner: kann allein beantragen (10.000–50.000).'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _, speaking
from wirgeo.exports.sheets import Sheet, for_people, frames, people_formatter, sheet_name
from wirgeo.exports.sheets import rows_sheet as _rows_sheet
from wirgeo.exports.tables import check_output_path, for_files, write_table
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import Planning, RunRecord
from wirgeo.vocabulary import near_threshold_label
from wirgeo.wording import record_rows, verbund_names

__all__ = ["plan_workbook", "plan_sheets", "write_plan_workbook", "write_plan"]

# flexibility, alternatives, placed_in and partner_names only when the run computed the
# plan's flexibility (PlanningRequest(flexibility=True)); missing columns are left out
_CONSORTIUM_COLUMNS = ("consortium_name", "consortium_id", "near_members", "member_names",
                       "n_members", "population",
                       "kreis_names", "same_kreis", "shared_border_km", "flexibility",
                       "n_alternatives", "alternatives", "lead_name", "linked_via_names",
                       "locked", "rule_violations", "member_ags")
_MEMBER_COLUMNS = ("ags", "name", "kreis_name", "population", "near_threshold_label",
                   "consortium_name", "consortium_id", "reason", "placed_in", "partner_names")
_UNPLACED_COLUMNS = ("ags", "name", "kreis_name", "population", "reason")


def plan_workbook(run: Planning, lang: str | None = None) -> dict[str, Sheet]:
    """The sheets of the plan workbook with their number formats (in ``lang``)."""
    with speaking(lang):
        record = RunRecord.of(run)
        notes = [(_("Lead"), _("the member with most inhabitants: a natural applicant for the "
                               "consortium"))]
        consortia, members = _with_names_and_risks(run)
        sheets = {
            "consortia": for_people(for_files(consortia), _CONSORTIUM_COLUMNS),
            "gemeinden": for_people(for_files(members), _MEMBER_COLUMNS, wrap=True),
            "unplaced": for_people(for_files(run.unplaced), _UNPLACED_COLUMNS, wrap=True),
            "run": _rows_sheet(record_rows(record) + notes),
        }
        return {sheet_name(key): sheet for key, sheet in sheets.items()}


def _with_names_and_risks(run: Planning) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Verbünde and Gemeinden with each Verbund's display name and who is near a threshold.

    Near a threshold: the eligibility's flag (the next population release may change the
    route).
    """
    consortia = pd.DataFrame(run.consortia)
    members = pd.DataFrame(run.members)
    names = verbund_names(pd.DataFrame(run.plan.consortia))
    near = run.eligibility.set_index("ags")["near_threshold"].fillna("").astype(str) \
        if "near_threshold" in run.eligibility.columns else pd.Series(dtype=str)
    town = run.municipalities.set_index("ags")["name"]
    consortia["consortium_name"] = consortia["consortium_id"].map(names)
    consortia["near_members"] = consortia["member_ags"].map(lambda members: ", ".join(
        f"{town[a]} ({near_threshold_label(near[a])})" for a in members
        if near.get(a, "")))
    members["consortium_name"] = members["consortium_id"].map(names)
    members["near_threshold"] = members["ags"].map(near).fillna("")
    return consortia, members


def plan_sheets(run: Planning, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """The tables of the plan workbook: Verbünde, Gemeinden, Ohne Verbund, Lauf."""
    return frames(plan_workbook(run, lang))


def write_plan_workbook(run: Planning, path: str | Path, lang: str | None = None) -> Path:
    """Write :func:`plan_workbook` as one Excel workbook, atomically and byte-identically."""
    path = check_output_path(path, formats=(".xlsx",))
    sheets = plan_workbook(run, lang)
    return write_workbook(path, frames(sheets), formatter=people_formatter(sheets))


def write_plan(run: Planning, path: str | Path, *, members: str | Path | None = None,
               lang: str | None = None) -> list[Path]:
    """Write the plan by the extension of ``path``; ``members`` adds the member table.

    ``.xlsx`` gets the workbook for people (:func:`write_plan_workbook`); any other format
    of :data:`~wirgeo.exports.tables.TABLE_FORMATS` one row per Verbund of the run's view,
    with the documented columns (and the outline where the format holds geometries); the
    reasons and rule violations in them are sentences in ``lang``.
    """
    path = check_output_path(path)
    with speaking(lang):
        if path.suffix.lower() == ".xlsx":
            written = [write_plan_workbook(run, path)]
        else:
            written = [write_table(for_files(run.consortia), path,
                                   sheet_name=sheet_name("consortia"))]
        if members is not None:
            written.append(write_table(for_files(run.members), members,
                                       sheet_name=sheet_name("gemeinden")))
    return written
