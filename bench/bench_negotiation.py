"""Benchmark of the plan document on Hessen: check, complete, and what decisions cost.

Run: ``python bench/bench_negotiation.py [--repeat N]``. A document is made from the
default optimal plan (92 Verbünde): the first 10 Verbünde agreed, 5 refused, 5 small
Gemeinden of other Verbünde declined, the rest proposed. Timed on one
:class:`wirgeo.planning.NegotiationBasis` (data, rules and contiguity prepared once, as
the planner holds it) and the planner's hand edits, against a yardstick measured in the
same run:
:func:`wirgeo.consortia.plan` with the same contiguity — one optimal plan of Hessen.
Figures are medians of ``--repeat`` runs and their ratio to the yardstick; they are
written into docs/benchmarks.md between ``<!-- bench:negotiation:start -->`` and
``<!-- bench:negotiation:end -->``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _report  # bench/ helper shared by every bench script
from _report import machine, timed

from wirgeo.consortia import plan
from wirgeo.core.i18n import speaking
from wirgeo.municipalities import load
from wirgeo.planning import NegotiationBasis, new_negotiation
from wirgeo.planning.run import build
from wirgeo.programme import funded_ags
from wirgeo.sources import Negotiation
from wirgeo.wording import plan_summary


def document_of(run) -> Negotiation:
    """The optimal plan with 10 Verbünde agreed, 5 refused and 5 Gemeinden declined."""
    rows = new_negotiation(run).rows.drop(columns="row")
    labels = list(dict.fromkeys(rows["verbund"]))
    status = dict.fromkeys(labels[:10], "agreed") | dict.fromkeys(labels[10:15], "rejected")
    rows["status"] = rows["verbund"].map(status).fillna("proposed")
    declined = rows[rows["verbund"].isin(labels[20:25])].groupby("verbund").head(1)
    rows.loc[declined.index, ["verbund", "status"]] = ["", "declined"]
    return Negotiation.from_rows(rows.to_dict("records"))


def planner_clicks(gem, count: int) -> list[float]:
    """Seconds of ``count`` hand edits in the planner's editor (kernel side, all Hessen).

    Alsfeld (too large for a Verbund) into the Verbund of Romrod and out again: every
    second edit makes the Verbund invalid. What the browser adds is measured in the
    JupyterLab test (``tests/browser/test_plan_editor_lab.py``).
    """
    from wirgeo.widgets import ConsortiumPlanner

    planner = ConsortiumPlanner(gem, lang="de")
    editor = planner.editor
    editor.start()
    editor.click("06535014")                  # Romrod: selects its Verbund
    seconds = []
    for _ in range(count):
        editor.click("06535001")              # Alsfeld in (invalid) or out (valid)
        seconds.append(editor.seconds)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args()
    _report.use_shared_source()
    gem = load("06").municipalities
    started = time.perf_counter()
    basis = NegotiationBasis.of(gem)
    prepare = time.perf_counter() - started
    funded = funded_ags()
    load_before = os.getloadavg()[0]
    yard, optimum = timed(lambda: plan(gem, basis.rules, funded=funded,
                                       adjacency=basis.adjacency), args.repeat)
    document = document_of(build(gem, adjacency=basis.adjacency))
    t_check, check = timed(lambda: basis.check(document), args.repeat)
    t_plain, _ = timed(lambda: basis.complete(document, costs=False), args.repeat)
    t_full, done = timed(lambda: basis.complete(document), args.repeat)
    clicks = planner_clicks(gem, max(args.repeat, 10))
    load_after = os.getloadavg()[0]
    n = len(done.costs)
    with speaking("en"):  # docs/benchmarks.md is written in English
        optimal_line, completed_line = plan_summary(optimum), plan_summary(done.plan)
    rows = [
        ("yardstick: one optimal plan of Hessen (`consortia.plan`)", yard, optimal_line),
        ("check: 92 Verbünde against the rules", t_check,
         f"{int(check.verbuende['valid'].sum())} of {len(check.verbuende)} valid"),
        ("complete, without costs", t_plain, completed_line),
        (f"complete with the cost of each of {n} decisions", t_full,
         f"{done.covered} instead of {done.covered_free}"),
        ("planner: one hand edit (click → document, check of every Verbund, map data, "
         f"figures), p50 of {len(clicks)}", statistics.median(clicks),
         f"p90 {sorted(clicks)[int(0.9 * (len(clicks) - 1))]:.3f} s; target ≤ 0.3 s"),
    ]
    body = [
        "## Plan documents (`bench/bench_negotiation.py`)", "",
        f"Measured {machine()}, load {load_before:.1f} → {load_after:.1f}. Hessen, default "
        "rules; a document made from the optimal plan: 10 Verbünde agreed, 5 refused, 5 "
        "Gemeinden declined, 72 proposed. Medians of "
        f"{args.repeat} runs on one `NegotiationBasis` (data, rules, contiguity prepared "
        f"once: {prepare:.2f} s), as ratios to a yardstick measured in the same run.", "",
        "| step | seconds | × yardstick | result |", "|---|---:|---:|---|",
        *[f"| {name} | {s:.3f} | {s / yard:.2f} | {what} |" for name, s, what in rows],
        "",
        f"Per decision the cost takes {(t_full - t_plain) / max(n, 1):.3f} s "
        f"({(t_full - t_plain) / max(n, 1) / yard:.2f} × yardstick): one coverage MILP on the "
        "part of the candidate graph the decision touches.", "",
    ]
    _report.write_section("negotiation", "\n".join(body))


if __name__ == "__main__":
    main()
