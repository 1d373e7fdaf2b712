"""Files for people: tables, workbooks and the summary workbook.

Everything wirgeo writes for a planner goes through here, atomically and byte-identically
for the same inputs (:mod:`wirgeo.core.files`):

:mod:`~wirgeo.exports.tables`
    :func:`write_table` — one table as ``.csv``, ``.xlsx``, ``.geojson``, ``.gpkg`` or
    ``.parquet``, :func:`check_output_path` to refuse an unknown format before any
    work is done, and :func:`for_files` — an engine table with its codes' words (reasons,
    rule violations, labels) as a file holds it;
:mod:`~wirgeo.exports.workbook`
    :func:`write_workbook` — several tables as the sheets of one Excel workbook;
:mod:`~wirgeo.exports.summary`
    :func:`summary_sheets` and :func:`write_summary` — the programme's summary workbook
    (Kreise, Gemeinden, centres, grantees, rules, sources) with headers in the reader's
    language (German by default);
:mod:`~wirgeo.exports.plan`
    :func:`write_plan` and :func:`write_plan_workbook` — the Verbund plan for scripts and
    as the workbook the command line and the planner share;
:mod:`~wirgeo.exports.releases`
    :func:`release_workbook` and :func:`write_release` — two population releases
    compared (``wirgeo data compare``), one sheet per question;
:mod:`~wirgeo.exports.outputs`
    :func:`write_outputs` — the demo's whole set of outputs, from any front end;
:mod:`~wirgeo.exports.negotiation`
    :func:`write_negotiation`, :func:`write_check`, :func:`write_comparison` — a planner's
    plan document (CSV and its workbook twin) and what ``wirgeo plan`` found in it.

Examples
--------
>>> from wirgeo.exports import TABLE_FORMATS
>>> TABLE_FORMATS
('.csv', '.xlsx', '.geojson', '.gpkg', '.parquet')
"""

from typing import TYPE_CHECKING

from wirgeo.core.lazy import lazy_exports

if TYPE_CHECKING:
    from wirgeo.exports.negotiation import write_check, write_comparison, write_negotiation
    from wirgeo.exports.outputs import OUTPUT_FILES, readme_text, run_json, write_outputs
    from wirgeo.exports.plan import plan_sheets, plan_workbook, write_plan, write_plan_workbook
    from wirgeo.exports.releases import release_workbook, write_release
    from wirgeo.exports.sheets import COLUMNS, Sheet, for_people, people_table
    from wirgeo.exports.summary import summary_sheets, summary_workbook, write_summary
    from wirgeo.exports.tables import TABLE_FORMATS, check_output_path, for_files, write_table
    from wirgeo.exports.workbook import SheetFormatter, write_workbook

# imported on first use: writing one table (`wirgeo partners --out`) loads no map library
__getattr__, __dir__ = lazy_exports(__name__, {
    "negotiation": ("write_check", "write_comparison", "write_negotiation"),
    "outputs": ("OUTPUT_FILES", "readme_text", "run_json", "write_outputs"),
    "plan": ("plan_sheets", "plan_workbook", "write_plan", "write_plan_workbook"),
    "releases": ("release_workbook", "write_release"),
    "sheets": ("COLUMNS", "Sheet", "for_people", "people_table"),
    "summary": ("summary_sheets", "summary_workbook", "write_summary"),
    "tables": ("TABLE_FORMATS", "check_output_path", "for_files", "write_table"),
    "workbook": ("SheetFormatter", "write_workbook"),
})

__all__ = [
    "TABLE_FORMATS",
    "SheetFormatter",
    "check_output_path",
    "write_table",
    "for_files",
    "write_workbook",
    "summary_sheets",
    "summary_workbook",
    "write_summary",
    "COLUMNS",
    "Sheet",
    "for_people",
    "people_table",
    "plan_workbook",
    "plan_sheets",
    "write_plan",
    "write_plan_workbook",
    "OUTPUT_FILES",
    "readme_text",
    "run_json",
    "write_outputs",
    "release_workbook",
    "write_release",
    "write_negotiation",
    "write_check",
    "write_comparison",
]
