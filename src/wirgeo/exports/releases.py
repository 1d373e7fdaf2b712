"""Two population releases compared, as a workbook for people (``wirgeo data compare``).

One sheet per question a planner asks of a new release, in the reader's language with
number formats: the overview (both plans side by side), who changes KIV class (with both
figures), which Verbünde of the old plan break and why, the new plan (each Verbund marked
when it is kept from the old one) and what stays; then the run record (rules, both
releases with their dates and attribution). ``.csv`` and the other machine formats keep
the class changes with their English columns (:func:`write_release`).

Examples
--------
>>> import tempfile, pathlib
>>> from wirgeo import load_municipalities
>>> from wirgeo.planning import compare_populations
>>> gem = load_municipalities()
>>> moved = gem.assign(population=gem["population"].where(gem["name"] != "Schotten", 9_900))
>>> comparison = compare_populations(gem, moved)
>>> list(release_workbook(comparison, "de"))
['Übersicht', 'Klassenwechsel', 'Verbünde, die brechen', 'Neuer Plan', 'Was bleibt', 'Lauf']
>>> out = pathlib.Path(tempfile.mkdtemp()) / "compare.xlsx"
>>> write_release(comparison, out).name
'compare.xlsx'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wirgeo.core.i18n import _, date, language, translate
from wirgeo.exports.sheets import (
    SHEET_MESSAGES,
    SHEET_NAMES,
    Sheet,
    for_people,
    frames,
    people_formatter,
    rows_sheet,
)
from wirgeo.exports.tables import check_output_path, write_table
from wirgeo.exports.workbook import write_workbook
from wirgeo.planning import ReleaseComparison, RunRecord
from wirgeo.vocabulary import ELIGIBILITY

__all__ = ["release_workbook", "write_release"]

_CHANGE_COLUMNS = ("ags", "name", "kreis_name", "population_old", "population_new",
                   "difference", "class_old", "class_new", "consortium_old",
                   "consortium_new")
_BROKEN_COLUMNS = {"consortium_id": "consortium_id", "member_names": "member_names",
                   "population_old": "population_old", "population_new": "population_new",
                   "release_status": "status", "problems": "problems",
                   "member_ags": "member_ags"}
_PLAN_COLUMNS = ("consortium_id", "member_names", "population", "kreis_names", "same_kreis",
                 "shared_border_km", "kept", "member_ags")
_KEPT_COLUMNS = ("consortium_id", "member_names", "population_old", "population_new",
                 "member_ags")


def _overview(comparison: ReleaseComparison, lang: str) -> Sheet:
    """The questions and their answers in one column each, old and new plan side by side."""
    summary = comparison.summary
    old, new = summary["old"], summary["new"]
    # figures stay numbers (Excel shows them with its thousands separator)
    rows: list[tuple[str, object, object]] = [
        (_("Population as of", lang), date(str(old["population_date"]), lang),
         date(str(new["population_date"]), lang)),
        (_("Inhabitants in all", lang), int(old["population_total"]),
         int(new["population_total"])),
        *[(ELIGIBILITY.label(code, lang), int(old[code]), int(new[code]))
          for code in ("eligible_single", "verbund_needed", "not_eligible_large")],
        (_("Gemeinden changing KIV class", lang), "", len(comparison.changes)),
        (_("Plan", lang), str(old["summary"]), str(new["summary"])),
        (_("Verbünde of the old plan kept", lang), int(old["kept"]), int(new["kept"])),
        (_("Verbünde of the old plan that break", lang), "", len(comparison.broken)),
        (_("How the new plan is chosen", lang), "",
         _("among the plans placing the most small Gemeinden under the new figures, the "
           "one keeping the most Verbünde of the old plan (proven)", lang)),
    ]
    header = [_("Question", lang), _("Old release", lang), _("New release", lang)]
    return Sheet(pd.DataFrame(rows, columns=header), dict.fromkeys(header[1:], "#,##0"),
                 wrap=True)


def _record_rows(comparison: ReleaseComparison, lang: str) -> list[tuple[str, str]]:
    """The run record of the new plan, with the old release named as well."""
    rows = RunRecord.of(comparison.new, lang).rows(lang)
    attrs = comparison.old.municipalities.attrs
    rows.append((_("Old release", lang), " · ".join(
        part for part in (str(attrs.get("population_file", "")),
                          date(str(attrs["population_date"]), lang)
                          if attrs.get("population_date") else "",
                          str(attrs.get("attribution", ""))) if part)))
    return rows


def release_workbook(comparison: ReleaseComparison, lang: str | None = None
                     ) -> dict[str, Sheet]:
    """The sheets of the compare workbook (see the module), named in ``lang``."""
    lang = language(lang or comparison.new.lang)
    sheets = {
        translate(SHEET_MESSAGES["overview"], lang): _overview(comparison, lang),
        translate(SHEET_MESSAGES["class_changes"], lang): for_people(comparison.changes,
                                                             _CHANGE_COLUMNS, lang),
        translate(SHEET_MESSAGES["broken"], lang): for_people(comparison.broken, _BROKEN_COLUMNS,
                                                      lang, wrap=True),
        translate(SHEET_MESSAGES["new_plan"], lang): for_people(comparison.plan, _PLAN_COLUMNS,
                                                        lang),
        translate(SHEET_MESSAGES["stays"], lang): for_people(comparison.kept, _KEPT_COLUMNS, lang),
        SHEET_NAMES["run"][lang]: rows_sheet(_record_rows(comparison, lang), lang),
    }
    return sheets


def write_release(comparison: ReleaseComparison, path: str | Path,
                  lang: str | None = None) -> Path:
    """Write the comparison by extension: ``.xlsx`` the workbook, else the class changes.

    The same inputs give a byte-identical file.
    """
    path = check_output_path(path)
    if path.suffix.lower() != ".xlsx":
        return write_table(comparison.changes, path, sheet_name="Änderungen")
    sheets = release_workbook(comparison, lang)
    return write_workbook(path, frames(sheets), formatter=people_formatter(sheets))
