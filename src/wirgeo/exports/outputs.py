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

import os
import shutil
from pathlib import Path
from typing import Any

from wirgeo import maps
from wirgeo.core.files import remove_orphans, scratch_folder, write_text
from wirgeo.core.i18n import language
from wirgeo.core.inputs import check_outputs
from wirgeo.errors import InputError
from wirgeo.exports.plan import write_plan_workbook
from wirgeo.exports.summary import write_summary
from wirgeo.exports.tables import write_table
from wirgeo.planning import Planning, RunRecord

__all__ = ["OUTPUT_FILES", "write_outputs", "readme_text"]

#: The files of the output set, in the order they are written.
OUTPUT_FILES = ("municipalities.gpkg", "summary.xlsx", "plan.xlsx", "consortia.csv",
                "unplaced.csv", "hessen_planning_map.html", "run.json", "README.txt")

_DESCRIPTIONS = {
    "de": {
        "municipalities.gpkg": "alle Gemeinden mit Grenzen, Einwohnern und amtlichen "
                               "Schlüsseln (GeoPackage, für GIS)",
        "summary.xlsx": "Übersicht: Kreise, Gemeinden, Vielfaltszentren, KIV-Förderungen, "
                        "Regeln, Quellen, Lauf (Excel) — zum Öffnen",
        "plan.xlsx": "der Verbund-Vorschlag: Verbünde, Gemeinden mit Begründung, Gemeinden "
                     "ohne Verbund, Lauf (Excel) — zum Öffnen",
        "consortia.csv": "die Verbünde, eine Zeile je Verbund (CSV für Skripte, englische "
                         "Spaltennamen)",
        "unplaced.csv": "kleine Gemeinden ohne Verbund mit Begründung (CSV für Skripte)",
        "hessen_planning_map.html": "die Planungskarte (eine HTML-Datei, im Browser "
                                    "öffnen)",
        "run.json": "wie dieser Lauf entstand: Regeln, Daten, Version (für Skripte)",
        "README.txt": "diese Datei",
    },
    "en": {
        "municipalities.gpkg": "every municipality with boundary, population and official "
                               "keys (GeoPackage, for GIS)",
        "summary.xlsx": "overview: Kreise, municipalities, centres, KIV grants, rules, "
                        "sources, run (Excel) — open this",
        "plan.xlsx": "the suggested consortia: consortia, municipalities with reasons, "
                     "unplaced, run (Excel) — open this",
        "consortia.csv": "the consortia, one row each (CSV for scripts)",
        "unplaced.csv": "small municipalities without a consortium, with reasons (CSV for "
                        "scripts)",
        "hessen_planning_map.html": "the planning map (one HTML file, open it in a "
                                    "browser)",
        "run.json": "how this run was made: rules, data, version (for scripts)",
        "README.txt": "this file",
    },
}


def readme_text(record: RunRecord, lang: str | None = None) -> str:
    """The ``README.txt`` of an output folder: the files, which to open, the run."""
    lang = language(lang or record.lang)
    de = lang == "de"
    lines = ["wirgeo — " + ("Ergebnisse dieses Laufs" if de else "results of this run"), "",
             ("Zum Lesen: plan.xlsx, summary.xlsx und hessen_planning_map.html. Die "
              "CSV-Dateien sind für Skripte (Komma-getrennt, UTF-8, englische Spaltennamen)."
              if de else
              "To read: plan.xlsx, summary.xlsx and hessen_planning_map.html. The CSV files "
              "are for scripts (comma-separated, UTF-8)."), ""]
    lines += [f"  {name:<20} {text}" for name, text in _DESCRIPTIONS[lang].items()]
    lines += ["", "Lauf" if de else "Run"]
    lines += [f"  {label}: {value}" for label, value in record.rows(lang)]
    return "\n".join(lines) + "\n"


def write_outputs(run: Planning, dataset: Any, out_dir: str | Path) -> list[Path]:
    """Write the joined table, the workbooks, the plan tables, the map and the record.

    Parameters
    ----------
    run : Planning
        A planning run (:meth:`wirgeo.planning.PlanningRequest.run`); its language and
        view decide the texts and what the plan files show.
    dataset : wirgeo.municipalities.Dataset
        The dataset the run was computed on (its municipalities are written as they are).
    out_dir : str or Path
        Output folder (created when missing).

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
        raise InputError(out, "the output folder is a file",
                         fix="give a folder (or a new name) as the output folder")
    for target in targets:
        if target.is_dir():
            raise InputError(target, "an output file of the set is a folder here",
                             fix="remove or rename that folder, or write into another "
                                 "output folder")


def _write_set(run: Planning, dataset: Any, folder: Path) -> list[Path]:
    record = RunRecord.of(run)
    rules_path = run.request.rules_file if run.request is not None else None
    planning_map = maps.planning_map(dataset.municipalities, kreise=run.kreise,
                                     lang=run.lang, record=record, **run.map_tables())
    return [
        write_table(dataset.municipalities, folder / OUTPUT_FILES[0],
                    layer=Path(OUTPUT_FILES[0]).stem),
        # the summary is about eligibility: its record is that of `wirgeo summary`
        write_summary(run.eligibility, folder / OUTPUT_FILES[1], rules=run.rules,
                      centres=run.centres, grantees=run.grantees, rules_path=rules_path,
                      record=RunRecord.for_rules(run.rules, run.eligibility, run.request)),
        write_plan_workbook(run, folder / OUTPUT_FILES[2]),
        write_table(run.consortia, folder / OUTPUT_FILES[3]),
        write_table(run.unplaced, folder / OUTPUT_FILES[4]),
        maps.save_map(planning_map, folder / OUTPUT_FILES[5]),
        write_text(folder / OUTPUT_FILES[6], record.to_json()),
        write_text(folder / OUTPUT_FILES[7], readme_text(record)),
    ]
