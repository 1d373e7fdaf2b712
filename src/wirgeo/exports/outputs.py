"""The demo's set of outputs: everything ``wirgeo demo`` writes, from any front end.

The set is written all or nothing: every file is first written into a staging folder
inside the output folder and moved into place only when all are complete, ``run.json``
last; an error or an interrupt leaves the previous set as it was and no temporary files.

Files for people (open these): the plan and the summary as Excel workbooks in the run's
language, the planning map as one HTML file, and ``README.txt`` saying what each file is.
Files for scripts: the joined table (GeoPackage), the plan and the unplaced municipalities
as CSV with the documented English columns, and ``run.json``, the run record.

Examples
--------
>>> OUTPUT_FILES
('municipalities.gpkg', 'summary.xlsx', 'plan.xlsx', 'consortia.csv', 'unplaced.csv', \
'hessen_planning_map.html', 'run.json', 'README.txt')
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from wirgeo import maps
from wirgeo.core.files import remove_orphans, scratch_folder, write_text
from wirgeo.core.i18n import N_, _, language, speaking, translate
from wirgeo.core.inputs import check_outputs
from wirgeo.errors import InputError
from wirgeo.exports.plan import write_plan_workbook
from wirgeo.exports.summary import write_summary
from wirgeo.exports.tables import for_files, write_table
from wirgeo.municipalities import Dataset
from wirgeo.planning import Planning, RunRecord
from wirgeo.wording import data_source_line, describe_rules, record_rows, result_text

__all__ = ["OUTPUT_FILES", "write_outputs", "readme_text", "run_json"]

#: The files of the output set, in the order they are written.
OUTPUT_FILES = ("municipalities.gpkg", "summary.xlsx", "plan.xlsx", "consortia.csv",
                "unplaced.csv", "hessen_planning_map.html", "run.json", "README.txt")

#: What each file of the set is (README.txt).
_DESCRIPTIONS = {
    "municipalities.gpkg": N_("every municipality with boundary, population and official "
                              "keys (GeoPackage, for GIS)"),
    "summary.xlsx": N_("overview: Kreise, municipalities, centres, KIV grants, rules, "
                       "sources, run (Excel) — open this"),
    "plan.xlsx": N_("the suggested consortia: consortia, municipalities with reasons, "
                    "unplaced, run (Excel) — open this"),
    "consortia.csv": N_("the consortia, one row each (CSV for scripts, English column names)"),
    "unplaced.csv": N_("small municipalities without a consortium, with reasons (CSV for "
                       "scripts)"),
    "hessen_planning_map.html": N_("the planning map (one HTML file, open it in a browser)"),
    "run.json": N_("how this run was made: rules, data, version (for scripts)"),
    "README.txt": N_("this file"),
}


def readme_text(record: RunRecord, lang: str | None = None) -> str:
    """The ``README.txt`` of an output folder: the files, which to open, the run."""
    with speaking(lang):
        lines = ["wirgeo — " + _("results of this run"), "",
                 _("To read: plan.xlsx, summary.xlsx and hessen_planning_map.html. The CSV "
                   "files are for scripts (comma-separated, UTF-8, English column names)."), ""]
        lines += [f"  {name:<20} {translate(text)}" for name, text in _DESCRIPTIONS.items()]
        lines += ["", _("Run")]
        lines += [f"  {label}: {value}" for label, value in record_rows(record)]
        return "\n".join(lines) + "\n"


def run_json(record: RunRecord) -> str:
    """``run.json``: the record's figures and codes, and what the files say in words.

    :meth:`~wirgeo.planning.RunRecord.to_dict`, with ``summary`` and ``data_source`` as
    the files say them (their figures and code as ``summary_figures`` and
    ``data_source_code``), ``rules_description`` and ``lang`` (the files' language).
    """
    data = record.to_dict()
    data["summary_figures"] = data.pop("summary")
    data["data_source_code"] = record.data_source
    if record.data_source and record.boundary_date and record.population_date:
        data["data_source"] = data_source_line(record.attrs)
    data.update(summary=result_text(record), rules_description=describe_rules(record.rules),
                lang=language())
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_outputs(run: Planning, dataset: Dataset, out_dir: str | Path, *,
                  lang: str | None = None) -> list[Path]:
    """Write the joined table, the workbooks, the plan tables, the map and the record.

    Parameters
    ----------
    run : Planning
        A planning run (:meth:`wirgeo.planning.PlanningRequest.run`); its view decides
        what the plan files show.
    dataset : wirgeo.municipalities.Dataset
        The dataset the run was computed on (its municipalities are written as they are).
    out_dir : str or Path
        Output folder (created when missing).
    lang : str, optional
        Language of every text in the files (default: the setting; German).

    Returns
    -------
    list of Path
        The files written, in the order of :data:`OUTPUT_FILES`.

    Raises
    ------
    InputError
        A target is a folder, or the output folder cannot hold files — before anything
        is written.
    """
    out = Path(out_dir)
    targets = [out / name for name in OUTPUT_FILES]
    _check_targets(out, targets)
    check_outputs(targets)  # moved into place below, not through atomic_path
    out.mkdir(parents=True, exist_ok=True)
    remove_orphans(out, _STAGING_PREFIX)  # of runs that were killed, whatever their age
    staging = scratch_folder(out, _STAGING_PREFIX)
    try:
        with speaking(lang):
            staged = _write_set(run, dataset, staging)
        # run.json is moved last: a folder whose run.json matches its files is complete
        order = sorted(range(len(staged)), key=lambda i: OUTPUT_FILES[i] == "run.json")
        for i in order:
            os.replace(staged[i], targets[i])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


_STAGING_PREFIX = ".wirgeo-staging-"


def _check_targets(out: Path, targets: list[Path]) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(out, _("the output folder is a file"),
                         fix=_("give a folder (or a new name) as the output folder"))
    for target in targets:
        if target.is_dir():
            raise InputError(target, _("an output file of the set is a folder here"),
                             fix=_("remove or rename that folder, or write into another "
                                   "output folder"))


def _write_set(run: Planning, dataset: Any, folder: Path) -> list[Path]:
    record = RunRecord.of(run)
    rules_path = run.request.rules_file if run.request is not None else None
    planning_map = maps.planning_map(run, kreise=run.kreise)
    return [
        write_table(dataset.municipalities, folder / OUTPUT_FILES[0],
                    layer=Path(OUTPUT_FILES[0]).stem),
        # the summary is about eligibility: its record is that of `wirgeo summary`
        write_summary(run.eligibility, folder / OUTPUT_FILES[1], rules=run.rules,
                      centres=run.centres, grantees=run.grantees, rules_path=rules_path,
                      record=RunRecord.for_rules(run.rules, run.eligibility, run.request)),
        write_plan_workbook(run, folder / OUTPUT_FILES[2]),
        write_table(for_files(run.consortia), folder / OUTPUT_FILES[3]),
        write_table(for_files(run.unplaced), folder / OUTPUT_FILES[4]),
        maps.save_map(planning_map, folder / OUTPUT_FILES[5]),
        write_text(folder / OUTPUT_FILES[6], run_json(record)),
        write_text(folder / OUTPUT_FILES[7], readme_text(record)),
    ]
