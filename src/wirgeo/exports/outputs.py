"""The demo's set of outputs: everything ``wirgeo demo`` writes, from any front end.

Examples
--------
>>> import tempfile, pathlib
>>> OUTPUT_FILES
('municipalities.gpkg', 'summary.xlsx', 'consortia.csv', 'unplaced.csv', \
'hessen_planning_map.html')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wirgeo import maps
from wirgeo.exports.summary import write_summary
from wirgeo.exports.tables import write_table
from wirgeo.planning import Planning

__all__ = ["OUTPUT_FILES", "write_outputs"]

#: The files of the output set, in the order they are written.
OUTPUT_FILES = ("municipalities.gpkg", "summary.xlsx", "consortia.csv", "unplaced.csv",
                "hessen_planning_map.html")


def write_outputs(run: Planning, dataset: Any, out_dir: str | Path) -> list[Path]:
    """Write the joined table, the summary workbook, the plan and the map into ``out_dir``.

    Parameters
    ----------
    run : Planning
        A planning run (:meth:`wirgeo.planning.PlanningRequest.run`).
    dataset : wirgeo.municipalities.Dataset
        The dataset the run was computed on (its municipalities are written as they are).
    out_dir : str or Path
        Output folder (created when missing).

    Returns
    -------
    list of Path
        The files written, in the order of :data:`OUTPUT_FILES`.
    """
    out = Path(out_dir)
    names = dict(zip(("table", "summary", "consortia", "unplaced", "map"), OUTPUT_FILES,
                     strict=True))
    rules_path = run.request.rules_file if run.request is not None else None
    planning_map = maps.planning_map(dataset.municipalities, **run.map_tables())
    return [
        write_table(dataset.municipalities, out / names["table"]),
        write_summary(run.eligibility, out / names["summary"], centres=run.centres,
                      grantees=run.grantees, rules_path=rules_path),
        write_table(run.plan.consortia, out / names["consortia"]),
        write_table(run.unplaced, out / names["unplaced"]),
        maps.save_map(planning_map, out / names["map"]),
    ]
