"""The words of wirgeo's answers: the engine's codes and figures as sentences people read.

The engine (``rules``, ``municipalities``, ``programme``, ``consortia``, ``planning``)
returns codes and the figures a sentence needs; every front end (the command line, the
maps, the workbooks, the dossier, the planner) says them with the functions here, so all of
them say the same sentence. Each speaks the active language
(:func:`wirgeo.core.i18n.speaking`); the words come from the catalogs of
:mod:`wirgeo.locale`.

===========================  =============================================================
:func:`reason_text`          why a municipality is (not) in a Verbund (``reason_code`` and
                             ``reason_figures`` of ``Plan.members``)
:func:`with_reasons`         a table with that sentence as ``reason``
:func:`violations_text`      the rules a locked Verbund breaks (``rule_violations``)
:func:`plan_summary`         a plan in one line; :func:`summary_line` a run (or a view of
                             some Kreise); :func:`coverage_line` the figures of either
:func:`flexibility_summary`  firm and flexible Verbünde in one line
:func:`preference_text`      a preference among the best plans and the plan's total
:func:`describe_rules`       a rule set in one paragraph
:func:`record_rows`          how a run was made (run sheets, info boxes, README)
:func:`report_text`          the data check; :func:`data_source_line` which data was read
:func:`with_labels`          eligibility labels beside the codes of a table
:func:`verbund_name`         a Verbund named by its members ("Schlitz – Grebenau –
                             Schwalmtal"); :func:`verbund_names`, :func:`verbund_numbers`
                             of a table (the short numbers of a print map)
:func:`check_sentence`       a Verbund of a plan document checked; :func:`placed_line`,
                             :func:`check_line` the document's figures;
                             :func:`cost_lines` what its decisions cost
===========================  =============================================================

Examples
--------
>>> from wirgeo.core.i18n import speaking
>>> from wirgeo.rules import KivRules
>>> with speaking("en"):
...     describe_rules(KivRules()).split(";")[0]
"Rules 'default': single applicants 10,000–50,000 (upper bound included)"
"""

from typing import TYPE_CHECKING

from wirgeo.core.lazy import lazy_exports

if TYPE_CHECKING:
    from wirgeo.wording.names import name_key, verbund_name, verbund_names, verbund_numbers
    from wirgeo.wording.negotiation import check_line, check_sentence, cost_lines, placed_line
    from wirgeo.wording.reasons import (
        reason_text,
        violation_text,
        violations_text,
        with_reasons,
        with_violations,
    )
    from wirgeo.wording.record import record_rows, result_text, scope_text
    from wirgeo.wording.report import data_source_line, date_basis, report_text
    from wirgeo.wording.rules import describe_rules
    from wirgeo.wording.summaries import (
        coverage_line,
        flexibility_summary,
        plan_summary,
        preference_text,
        summary_line,
    )
    from wirgeo.wording.tables import with_labels

# imported on first use: `wirgeo rules` says its rules without loading pandas
__getattr__, __dir__ = lazy_exports(__name__, {
    "names": ("name_key", "verbund_name", "verbund_names", "verbund_numbers"),
    "negotiation": ("check_line", "check_sentence", "cost_lines", "placed_line"),
    "reasons": ("reason_text", "violation_text", "violations_text", "with_reasons",
                "with_violations"),
    "record": ("record_rows", "result_text", "scope_text"),
    "report": ("data_source_line", "date_basis", "report_text"),
    "rules": ("describe_rules",),
    "summaries": ("coverage_line", "flexibility_summary", "plan_summary", "preference_text",
                  "summary_line"),
    "tables": ("with_labels",),
})

__all__ = ["reason_text", "violation_text", "violations_text", "with_reasons",
           "with_violations", "record_rows", "result_text", "scope_text", "data_source_line",
           "date_basis", "report_text", "describe_rules", "coverage_line",
           "flexibility_summary", "plan_summary", "summary_line", "with_labels",
           "check_sentence", "check_line", "cost_lines", "placed_line", "preference_text",
           "verbund_name", "verbund_names", "verbund_numbers", "name_key"]
