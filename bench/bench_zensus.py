"""What the Zensus 2022 work costs: preferences after coverage, and the minimal-change compare.

Every figure is a ratio against a yardstick measured in the same run on the same machine:

* the need tie-break (``tie_break="foreign_residents"``) against the plain Hessen plan;
* the new plan of ``data compare`` that keeps the most Verbünde of the old plan against
  the same plan made from scratch (both on the Zensus 2022 figures).

Run: ``python bench/bench_zensus.py``; writes the section ``zensus`` of
docs/benchmarks.md.
"""

from __future__ import annotations

from _report import SHARED_RAW, machine, table, timed, write_section

from wirgeo.municipalities import load
from wirgeo.planning import PlanningRequest, compare_populations

RUNS = 5
ZENSUS = SHARED_RAW / "zensus2022" / "census2022_municipality_demographics_housing_hessen.csv"


def main() -> None:
    gem = load("06", source=SHARED_RAW).municipalities
    zensus = load("06", source=SHARED_RAW, population=ZENSUS).municipalities
    plain, base = timed(lambda: PlanningRequest().run(gem), RUNS)
    need, run = timed(lambda: PlanningRequest(tie_break="foreign_residents").run(gem), RUNS)
    minimal, kept = timed(lambda: compare_populations(gem, zensus), runs=3)
    scratch, fresh = timed(lambda: compare_populations(gem, zensus, minimal_change=False),
                           runs=3)
    rows = [
        {"measure": "Hessen plan, default rules (yardstick)", "median s": f"{plain:.2f}",
         "ratio": "1.00", "result": base.plan.summary_line("en")},
        {"measure": "… with the need tie-break (foreign residents)", "median s": f"{need:.2f}",
         "ratio": f"{need / plain:.2f}",
         "result": f"{run.plan.summary_line('en')}; "
                   f"{run.plan.preference_values()['foreign_residents']:,} foreign residents"},
        {"measure": "data compare 2023 → Zensus 2022, from scratch (yardstick)",
         "median s": f"{scratch:.2f}", "ratio": "1.00",
         "result": f"{len(fresh.kept)} of {len(fresh.old.plan.consortia)} Verbünde kept"},
        {"measure": "… keeping the most Verbünde of the old plan", "median s": f"{minimal:.2f}",
         "ratio": f"{minimal / scratch:.2f}",
         "result": f"{len(kept.kept)} of {len(kept.old.plan.consortia)} Verbünde kept"},
    ]
    write_section("zensus", "## Zensus 2022: preferences and the minimal-change compare\n\n"
                  f"Measured {machine()}; medians of {RUNS} runs (compare: 3). "
                  "Ratios against the yardstick of the same run.\n\n" + table(rows) + "\n")


if __name__ == "__main__":
    main()
