"""Benchmark of the consortium engine: Hessen side by side with a greedy baseline and
PySAL spopt's max-p heuristic, then the whole of Germany.

Run: ``python bench/bench_consortia.py [--skip-germany] [--germany-time-limit S]``.
Prints the figures and writes them into docs/benchmarks.md between the markers
``<!-- bench:consortia:start -->`` and ``<!-- bench:consortia:end -->``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

from wirgeo import _output
from wirgeo.adjacency import contiguity
from wirgeo.consortia import greedy_plan, plan
from wirgeo.municipalities import load
from wirgeo.rules import load_rules
from wirgeo.sources import resolve_source_dir

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:consortia:start -->", "<!-- bench:consortia:end -->"
STATES = [f"{i:02d}" for i in range(1, 17)]
SEED = 20240101
# spopt defaults are 99 and 10; at 240 units that runs for over ten minutes
ITER_CONSTRUCTION = int(os.environ.get("MAXP_CONSTRUCTION", "3"))
ITER_SA = int(os.environ.get("MAXP_SA", "1"))


def maxp(municipalities, adjacency, rules) -> tuple[int, int, int, float]:
    """spopt MaxPHeuristic on the small municipalities, one run per connected component.

    Returns (small municipalities in regions meeting the rules, such regions, all
    regions, seconds). Regions with more than ``max_members`` members, or outside the
    combined population band, are not consortia and are not counted.
    """
    from libpysal.graph import Graph
    from spopt.region import MaxPHeuristic

    small = municipalities[municipalities.population.map(rules.is_small)
                           & ~municipalities.status.isin(rules.excluded_status)]
    small = small.set_index("ags").sort_index()
    keep = set(small.index)
    edges = adjacency.borders[adjacency.borders.ags_a.isin(keep)
                              & adjacency.borders.ags_b.isin(keep)]
    graph = Graph.from_arrays(
        np.r_[edges.ags_a, edges.ags_b], np.r_[edges.ags_b, edges.ags_a],
        np.ones(2 * len(edges)))
    labels = graph.component_labels
    started = time.perf_counter()
    covered = good = regions = 0
    np.random.seed(SEED)  # MaxPHeuristic draws from the global numpy state
    for label in sorted(labels.unique()):
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = MaxPHeuristic(part.reset_index(), w, ["population"], "population",
                                  rules.combined_min, top_n=2, verbose=False,
                                  max_iterations_construction=ITER_CONSTRUCTION,
                                  max_iterations_sa=ITER_SA)
            model.solve()
        sizes = pd.Series(part.population.to_numpy()).groupby(model.labels_)
        for _, members in sizes:
            regions += 1
            total = int(members.sum())
            if (rules.min_members <= len(members) <= rules.max_members
                    and rules.combined_min <= total <= rules.combined_max):
                good += 1
                covered += len(members)
    return covered, good, regions, time.perf_counter() - started


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
    m_cov, m_good, m_all, m_sec = maxp(gem, adjacency, rules)
    print(best.summary_line(), f"{t_plan:.2f} s; with adjacency {full.seconds:.2f} s")
    print(greedy.summary_line(), f"{greedy.seconds:.2f} s")
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
        f"| spopt MaxPHeuristic (threshold {rules.combined_min:,}, seed {SEED}) | "
        f"{m_cov} of {best.n_small} | {m_good} regions meet the rules (of {m_all}) | no | "
        f"{m_sec:.2f} s |",
        "",
    ]


def germany(rows: list[str], source: Path, limit: float) -> None:
    germany_file = source / "bkg" / "vg250_2016-01-01_deutschland.gpkg"
    t = time.perf_counter()
    frames = [load(state, boundaries=germany_file, strict=False).municipalities
              for state in STATES]
    gem = pd.concat(frames, ignore_index=True)
    t_load = time.perf_counter() - t
    rules = load_rules()
    t = time.perf_counter()
    adjacency = contiguity(gem)
    t_adj = time.perf_counter() - t
    result = plan(gem, rules, adjacency=adjacency, time_limit=limit)
    greedy = greedy_plan(gem, rules, adjacency=adjacency)
    log = result.solver_log
    biggest = log.sort_values("candidates").iloc[-1] if len(log) else None
    print(result.summary_line(), f"{result.seconds:.1f} s (+ contiguity {t_adj:.1f} s)")
    print(greedy.summary_line())
    rows += [
        "### Germany, Hessian rules applied nationwide",
        "",
        f"{len(gem):,} units from the Germany boundary file whose AGS match the population "
        f"table (16 states loaded with `strict=False`, {t_load:.0f} s incl. cache), "
        f"{len(adjacency.islands)} islands.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| result | {result.summary_line()} |",
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
    body = "\n".join([START, "## Consortium engine (`bench/bench_consortia.py`)", "",
                      f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, "
                      f"Python {platform.python_version()}, SciPy {scipy.__version__} "
                      "(HiGHS).", "", *rows, END])
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# Benchmarks\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + body + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    _output.write_text(DOC, text)
    print(f"wrote {DOC}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-germany", action="store_true")
    parser.add_argument("--germany-time-limit", type=float, default=120.0)
    args = parser.parse_args()
    rows: list[str] = []
    hessen(rows)
    if not args.skip_germany:
        germany(rows, resolve_source_dir(None), args.germany_time_limit)
    write_section(rows)


if __name__ == "__main__":
    main()
