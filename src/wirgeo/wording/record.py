"""How a run was made, in words: :func:`record_rows` and :func:`scope_text`.

The lines of a workbook's run sheet, a map's info box, the dossier's last page and an
output folder's README, from one :class:`~wirgeo.planning.RunRecord`.
"""

from __future__ import annotations

from wirgeo.core.i18n import _, date, number, pgettext
from wirgeo.planning import RunRecord
from wirgeo.wording.reasons import violations_text
from wirgeo.wording.report import data_source_line
from wirgeo.wording.rules import describe_rules
from wirgeo.wording.summaries import preference_text, summary_line

__all__ = ["record_rows", "scope_text", "result_text"]


def scope_text(record: RunRecord) -> str:
    """Statewide, a view of some Kreise, or a plan only within them."""
    names = ", ".join(n for _key, n in record.kreise)
    if record.scope == "statewide":
        return _("statewide plan")
    if record.scope == "view":
        return _("view of the statewide plan: {kreise}").format(kreise=names)
    return _("planned only within these Kreise: {kreise}").format(kreise=names)


def result_text(record: RunRecord) -> str:
    """What the run achieved (its summary line), or its rules when it made no plan."""
    if record.summary is None:
        return describe_rules(record.rules)
    return summary_line(record.summary)


def _listed(items: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{n} ({a})" for a, n in items) or _("none")


def record_rows(record: RunRecord) -> list[tuple[str, str]]:
    """(label, value) lines for a run sheet or an info box."""
    overrides = ", ".join(f"{k} = {v}" for k, v in sorted(record.overrides.items()))
    low, high = record.single_band
    rows = [
        (_("As of"), date(record.run_date)),
        # a run without a plan has no result to state: its rules are the next lines
        *([(_("Result"), summary_line(record.summary))] if record.summary is not None
          else []),
        (_("Scope"), scope_text(record)),
        (_("Rule set"), record.rules_name),
        (_("Rules file"), record.rules_file or "—"),
        (_("Scenario"), record.scenario or pgettext("scenario", "none")),
        (_("Overrides"), overrides or _("none")),
        (_("Single applicants"), _("{low}–{high} inhabitants").format(low=number(low),
                                                                      high=number(high))),
        (_("Rules"), describe_rules(record.rules)),
        (_("Excluded"), _listed(record.exclude)),
        (_("Locked consortia"),
         "; ".join(_listed(group) for group in record.locks) or _("none")),
        (_("Boundaries as of"), date(record.boundary_date) if record.boundary_date else "—"),
        (_("Population as of"),
         date(record.population_date) if record.population_date else "—"),
    ]
    if record.preferences:
        rows.append((_("Preferred after coverage"), "; ".join(
            preference_text(name, value) for name, value in record.preferences)))
    if record.broken_locks:
        rows.append((_("Rule violations of locked consortia"),
                     "; ".join(f"{cid}: {violations_text(why)}"
                               for cid, why in record.broken_locks)))
    if record.data_source and record.boundary_date and record.population_date:
        rows.append((_("Data source"), data_source_line(record.attrs)))
    if record.boundaries_file:
        rows.append((_("Boundaries (file)"), record.boundaries_file))
    if record.population_file:
        rows.append((_("Population (file)"), record.population_file))
    rows += [(_("Attribution"), " · ".join(record.attribution)),
             (_("Made with"), f"wirgeo {record.wirgeo_version}")]
    rows += list(record.extra.items())
    return rows
