"""Benchmark of the plan flexibility analysis on Hessen, with the full check of all Verbünde.

Run: ``python bench/bench_flexibility.py [--repeat N]``. Times
:func:`wirgeo.consortia.plan_flexibility` on the default Hessen plan, then forbids every
Verbund of the plan in a MILP built here from ``Plan.candidates`` with scipy (not with the
engine's helpers): a Verbund marked firm must lower the maximum, one marked flexible must
not. Prints the figures and writes them into docs/benchmarks.md between the markers
``<!-- bench:flexibility:start -->`` and ``<!-- bench:flexibility:end -->``. Exits 1 when
the check finds a Verbund marked wrongly.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _report  # bench/ helper shared by every bench script
import numpy as np
import pandas as pd
import scipy
from _report import machine, table
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

import wirgeo.consortia.flexibility as flexibility_module
from wirgeo.consortia import plan, plan_flexibility
from wirgeo.core.i18n import speaking
from wirgeo.municipalities import load
from wirgeo.rules import load_rules
from wirgeo.wording import flexibility_summary, plan_summary


def forbidden_optimum(candidates: pd.DataFrame, forbid: int) -> int:
    """Most small municipalities over the whole state with candidate ``forbid`` left out."""
    groups = [list(g) for g in candidates.member_ags]
    units = {a: i for i, a in enumerate(sorted({a for g in groups for a in g}))}
    rows = [units[a] for g in groups for a in g]
    cols = [k for k, g in enumerate(groups) for _ in g]
    A = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(groups)))
    high = np.ones(len(groups))
    high[forbid] = 0
    res = milp(-candidates.n_small.to_numpy(dtype=float), integrality=np.ones(len(groups)),
               bounds=Bounds(0, high), constraints=[LinearConstraint(A, -np.inf, 1)],
               options={"mip_rel_gap": 0.0})
    if res.status != 0:
        raise RuntimeError(f"check MILP not solved: {res.message}")
    return round(-res.fun)


def check_all(result, flex) -> tuple[int, float]:
    """Forbid every Verbund; the number marked wrongly and the seconds it took."""
    position = {a: k for k, a in enumerate(result.candidates.member_ags)}
    started = time.perf_counter()
    wrong = 0
    for row in flex.consortia.itertuples():
        if row.flexibility == "locked":
            continue
        lowered = forbidden_optimum(result.candidates, position[row.member_ags]) \
            < flex.maximum
        if lowered != (row.flexibility == "firm"):
            wrong += 1
            print(f"WRONG: {row.consortium_id} {row.member_names} marked "
                  f"{row.flexibility}, forbidding it {'lowers' if lowered else 'keeps'} "
                  "the maximum")
    return wrong, time.perf_counter() - started


def main() -> None:
    with speaking("en"):  # docs/benchmarks.md is written in English
        measure()


def measure() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args()
    _report.use_shared_source()
    gem = load("06").municipalities
    result = plan(gem, load_rules())
    times, flex = [], None
    for _ in range(args.repeat):
        load_before = os.getloadavg()[0]
        flexibility_module._MEMO.clear()   # time the analysis, not the session's memory
        flex = plan_flexibility(result)
        times.append((flex.seconds, load_before))
        print(f"{flexibility_summary(flex)}: {flex.seconds:.1f} s (load {load_before:.1f})")
    assert flex is not None
    wrong, t_check = check_all(result, flex)
    counts = flex.consortia.flexibility.value_counts()
    placed = flex.members.placed_in.value_counts()
    log = flex.log
    big = log[log.candidates > 50]
    flexible = flex.consortia.loc[flex.consortia.flexibility == "flexible", "n_alternatives"]
    body = [
        "## Plan flexibility (`bench/bench_flexibility.py`)", "",
        f"Measured {machine()}, SciPy {scipy.__version__} (HiGHS). Hessen, default rules "
        f"({plan_summary(result)}).", "",
        "| figure | value |", "|---|---|",
        f"| result | {flexibility_summary(flex)} |",
        "| time per run | " + ", ".join(f"{s:.1f} s (load {la:.1f})" for s, la in times)
        + " |",
        f"| budget | 10 s: {'met' if min(s for s, _ in times) <= 10 else 'not met'} |",
        f"| MILPs solved | {flex.n_solves} |",
        f"| Verbünde firm / flexible | {int(counts.get('firm', 0))} / "
        f"{int(counts.get('flexible', 0))} |",
        f"| alternatives per flexible Verbund | median {int(flexible.median())}, "
        f"min {int(flexible.min())}, max {int(flexible.max())} |",
        f"| candidate groups in some maximum plan | "
        f"{int(flex.candidates.in_some_maximum.sum())} of {len(flex.candidates)} |",
        f"| small municipalities placed in every / some / no maximum plan | "
        f"{int(placed.get('every', 0))} / {int(placed.get('some', 0))} / "
        f"{int(placed.get('none', 0))} |",
        f"| check: every Verbund forbidden in its own MILP | {len(flex.consortia)} "
        f"solves, {t_check:.1f} s, {wrong} marked wrongly |",
        "",
        "Components with more than 50 candidate groups:", "",
        table(big.to_dict("records")), "",
    ]
    _report.write_section("flexibility", "\n".join(body))
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
