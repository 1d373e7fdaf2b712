"""Benchmark of the consortium engine: Hessen side by side with a greedy baseline and
PySAL spopt's max-p heuristic, then the whole of Germany.

Run: ``python bench/bench_consortia.py [--skip-germany] [--germany-time-limit S]``.
Prints the figures and writes them into docs/benchmarks.md between the markers
``<!-- bench:consortia:start -->`` and ``<!-- bench:consortia:end -->``.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import _report  # bench/ helper shared by every bench script
import numpy as np
import pandas as pd
import scipy
from _report import machine

from wirgeo.adjacency import contiguity
from wirgeo.consortia import greedy_plan, plan
from wirgeo.core.i18n import speaking
from wirgeo.municipalities import load
from wirgeo.rules import load_rules
from wirgeo.sources import resolve_source_dir
from wirgeo.wording import plan_summary

STATES = [f"{i:02d}" for i in range(1, 17)]
SEED = 20240101
ITER_CONSTRUCTION = int(os.environ.get("MAXP_CONSTRUCTION", "99"))  # spopt's defaults
ITER_SA = int(os.environ.get("MAXP_SA", "10"))


def _maxp_labels(part, w, threshold, seed) -> list:
    """One MaxPHeuristic run, in this process; its labels.

    spopt 0.7's annealing phase never ends on these instances, not even on a component
    of three municipalities: ``_perform_sa`` re-picks candidate moves that are all
    invalid without counting them as non-improving. It only reshuffles units between
    regions for homogeneity anyway; the number of regions p comes from the construction
    phase. So the annealing is skipped here (for the length of the call), and the regions
    are those of max-p's construction phase.
    """
    import spopt.region.maxp as maxp_module
    from spopt.region import MaxPHeuristic

    def no_annealing(labels, regions, region_attrs, *args):
        return [labels, regions, region_attrs]

    annealing = maxp_module._perform_sa
    maxp_module._perform_sa = no_annealing
    try:
        np.random.seed(seed)  # MaxPHeuristic draws from the global numpy state
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = MaxPHeuristic(part, w, ["flat"], "population", threshold, top_n=2,
                                  verbose=False,
                                  max_iterations_construction=ITER_CONSTRUCTION,
                                  max_iterations_sa=ITER_SA)
            model.solve()
    finally:
        maxp_module._perform_sa = annealing
    return list(model.labels_)


def maxp(municipalities, adjacency, rules) -> dict:
    """spopt MaxPHeuristic on the small municipalities, one run per connected component.

    Every run is timed in this process (the seconds are max-p's own: an earlier harness
    forked a process per component and reported 6.4 s for what takes 0.2 s). Regions with
    more than ``max_members`` members, or outside the combined population band, are not
    consortia and are not counted.
    """
    from libpysal.graph import Graph

    # max-p also minimises heterogeneity in `attrs_name`; a flat attribute leaves only
    # the threshold objective
    small = municipalities[municipalities.population.map(rules.is_small)
                           & ~municipalities.status.isin(rules.excluded_status)]
    small = small.set_index("ags").sort_index().assign(flat=0.0)
    keep = set(small.index)
    edges = adjacency.borders[adjacency.borders.ags_a.isin(keep)
                              & adjacency.borders.ags_b.isin(keep)]
    graph = Graph.from_arrays(
        np.r_[edges.ags_a, edges.ags_b], np.r_[edges.ags_b, edges.ags_a],
        np.ones(2 * len(edges)))
    labels = graph.component_labels
    result = {"covered": 0, "good": 0, "regions": 0, "seconds": 0.0}
    components = sorted(labels.unique(), key=lambda c: ((labels == c).sum(), c))
    for label in components:
        ids = sorted(labels.index[labels == label])
        part = small.loc[ids]
        if len(ids) < 2 or part.population.sum() < rules.combined_min:
            continue  # no region can meet the threshold here
        at = {a: k for k, a in enumerate(ids)}  # spopt wants positional ids
        inner = edges[edges.ags_a.isin(at) & edges.ags_b.isin(at)]
        a, b = inner.ags_a.map(at).to_numpy(), inner.ags_b.map(at).to_numpy()
        order = np.lexsort((np.r_[b, a], np.r_[a, b]))
        w = Graph.from_arrays(np.r_[a, b][order], np.r_[b, a][order],
                              np.ones(2 * len(a))).to_W()
        started = time.perf_counter()
        found = _maxp_labels(part.reset_index(), w, rules.combined_min, SEED)
        result["seconds"] += time.perf_counter() - started
        for _, members in pd.Series(part.population.to_numpy()).groupby(found):
            result["regions"] += 1
            total = int(members.sum())
            if (rules.min_members <= len(members) <= rules.max_members
                    and rules.combined_min <= total <= rules.combined_max):
                result["good"] += 1
                result["covered"] += len(members)
    return result


def hessen(rows: list[str]) -> None:
    rules = load_rules()
    gem = load("06").municipalities
    t = time.perf_counter()
    adjacency = contiguity(gem)
    t_adj = time.perf_counter() - t
    best = plan(gem, rules, adjacency=adjacency)
    t = time.perf_counter()
    best = plan(gem, rules, adjacency=adjacency)  # second run: no import warm-up
    t_plan = time.perf_counter() - t
    full = plan(gem, rules)
    greedy = greedy_plan(gem, rules, adjacency=adjacency)
    mp = maxp(gem, adjacency, rules)
    m_cov, m_good, m_all, m_sec = mp["covered"], mp["good"], mp["regions"], mp["seconds"]
    print(plan_summary(best), f"{t_plan:.2f} s; with adjacency {full.seconds:.2f} s")
    print(plan_summary(greedy), f"{greedy.seconds:.2f} s")
    print(f"max-p: {m_cov} small municipalities in {m_good} valid regions of {m_all}, "
          f"{m_sec:.2f} s")
    rows += [
        "### Hessen, default rules",
        "",
        f"{best.n_small} small municipalities may be planned; {best.n_candidates} feasible "
        f"groups. Contiguity on full outlines: {t_adj:.2f} s.",
        "",
        "| method | small municipalities covered | consortia | proven | time |",
        "|---|---:|---:|---|---:|",
        f"| wirgeo (MILP, HiGHS) | {best.n_covered} of {best.n_small} | "
        f"{len(best.consortia)} | {best.status} | {t_plan:.2f} s "
        f"({full.seconds:.2f} s incl. contiguity) |",
        f"| greedy, most constrained first | {greedy.n_covered} of {greedy.n_small} | "
        f"{len(greedy.consortia)} | no | {greedy.seconds:.2f} s |",
        f"| spopt MaxPHeuristic (threshold {rules.combined_min:,}, seed {SEED}, "
        f"{ITER_CONSTRUCTION} construction iterations, annealing skipped) | "
        f"{m_cov} of {best.n_small} | {m_good} regions meet the rules (of {m_all}) | no | "
        f"{m_sec:.2f} s (in-process) |",
        "",
        "max-p counts only its regions with 2–3 members and 10,000–50,000 inhabitants. Its "
        "annealing phase is skipped: in spopt 0.7 it never ends on these instances (see "
        "`_maxp_labels`); max-p's number of regions comes from the construction phase.",
        "",
    ]


def germany(rows: list[str], source: Path, limit: float) -> None:
    germany_file = source / "bkg" / "vg250_2016-01-01_deutschland.gpkg"
    t = time.perf_counter()
    gem = load("de", boundaries=germany_file, strict=False).municipalities
    t_load = time.perf_counter() - t
    rules = load_rules()
    t = time.perf_counter()
    adjacency = contiguity(gem)
    t_adj = time.perf_counter() - t
    result = plan(gem, rules, adjacency=adjacency, time_limit=limit)
    greedy = greedy_plan(gem, rules, adjacency=adjacency)
    log = result.solver_log
    biggest = log.sort_values("candidates").iloc[-1] if len(log) else None
    print(plan_summary(result), f"{result.seconds:.1f} s (+ contiguity {t_adj:.1f} s)")
    print(plan_summary(greedy))
    rows += [
        "### Germany, Hessian rules applied nationwide",
        "",
        f"{len(gem):,} units from the Germany boundary file whose AGS match the population "
        f"table (`load(\"de\", strict=False)`, {t_load:.1f} s incl. cache), "
        f"{len(adjacency.islands)} islands.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| result | {plan_summary(result)} |",
        f"| status / gap | {result.status} / {100 * result.gap:.3f} %"
        + (f" ({result.gap_level})" if result.gap_level else "") + " |",
        f"| candidates (feasible groups) | {result.n_candidates:,} |",
        f"| components solved | {len(log)}"
        + (f"; largest {int(biggest.units):,} municipalities, {int(biggest.candidates):,} "
           f"candidates, {biggest.seconds:.1f} s" if biggest is not None else "") + " |",
        f"| time: contiguity | {t_adj:.1f} s |",
        f"| time: plan (enumeration, solve, reasons) | {result.seconds:.1f} s "
        f"(limit {limit:.0f} s) |",
        f"| greedy baseline | {greedy.n_covered:,} covered in {len(greedy.consortia):,} "
        "consortia |",
        "",
    ]


def write_section(rows: list[str]) -> None:
    header = ["## Consortium engine (`bench/bench_consortia.py`)", "",
              f"Measured {machine()}, SciPy {scipy.__version__} (HiGHS); load average "
              f"{os.getloadavg()[0]:.1f} at the end (the machine is shared).", ""]
    _report.write_section("consortia", "\n".join([*header, *rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-germany", action="store_true")
    parser.add_argument("--germany-time-limit", type=float, default=120.0)
    args = parser.parse_args()
    _report.use_shared_source()
    rows: list[str] = []
    with speaking("en"):  # docs/benchmarks.md is written in English
        hessen(rows)
        if not args.skip_germany:
            germany(rows, resolve_source_dir(None), args.germany_time_limit)
    write_section(rows)


if __name__ == "__main__":
    main()
