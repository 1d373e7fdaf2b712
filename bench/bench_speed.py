"""Instant answers: everyday commands as ratios of Python importing the libraries, same run.

Run: ``python bench/bench_speed.py [--repeat N] [--skip-germany]``. Each figure is the
median wall time of fresh processes, divided by the yardstick measured in the same run
(``python -c "import geopandas"``, and ``import geopandas, scipy.optimize`` for the
commands that plan), so a busy machine slows both alike; the load average is stated
beside every figure. Also the ``python -X importtime`` figures of ``--help`` and ``rules``.
Writes docs/benchmarks.md between ``<!-- bench:speed:start -->`` and
``<!-- bench:speed:end -->``.

"First" runs start from a private, empty result cache (the data layers already prepared,
as after ``wirgeo data check``); "repeated" runs read the answers the first run kept.
Germany cold starts from an empty cache (the 55 MB GeoPackage and the Destatis workbook
read, every state joined, contiguity and plan computed); warm is the same command again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _report  # bench/ helper shared by every bench script
from _report import machine, table

PYTHON = sys.executable
WIRGEO = [PYTHON, "-m", "wirgeo.cli"]
YARD = [PYTHON, "-c", "import geopandas"]
YARD_SOLVE = [PYTHON, "-c", "import geopandas, scipy.optimize"]


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of one process, and the load average when it started."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return seconds, load


def _median(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [_run(command, env) for _ in range(repeat)]
    return statistics.median(s for s, _ in runs), max(load for _, load in runs)


def _importtime(args: list[str], env: dict[str, str]) -> tuple[float, list[tuple[str, int]]]:
    """Total import microseconds of a command and its five most expensive top modules."""
    done = subprocess.run([PYTHON, "-X", "importtime", "-m", "wirgeo.cli", *args], env=env,
                          capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:          # top-level imports only
            rows.append((m.group(4), int(m.group(2))))
    total = sum(us for _, us in rows)
    return total / 1e6, sorted(rows, key=lambda r: -r[1])[:5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-germany", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "WIRGEO_SOURCE": os.environ.get("WIRGEO_SOURCE",
                                                          str(_report.SHARED_RAW))}
    env.pop("WIRGEO_CACHE", None)
    rows: list[dict] = []
    out = Path(tempfile.mkdtemp(prefix="wirgeo-bench-"))
    geo = out / "geo"
    private = {**env, "WIRGEO_GEO": str(geo)}
    subprocess.run([*WIRGEO, "data", "check"], env=private, capture_output=True, check=True)

    yard, yard_load = _median(YARD, env, args.repeat)
    yard_solve, solve_load = _median(YARD_SOLVE, env, args.repeat)

    def add(what: str, seconds: float, load: float, *, against: float = yard,
            goal: str = "") -> None:
        print(f"{what}: {seconds:.2f} s = {seconds / against:.2f}x (load {load:.1f})",
              flush=True)
        rows.append({"what": what, "seconds": f"{seconds:.2f}",
                     "ratio": f"{seconds / against:.2f}×" + (
                         " of geopandas + scipy.optimize" if against is yard_solve else ""),
                     "goal": goal, "load": f"{load:.1f}"})

    add("`python -c \"import geopandas\"` (yardstick)", yard, yard_load)
    add("`python -c \"import geopandas, scipy.optimize\"` (yardstick)", yard_solve,
        solve_load)
    for what, command, goal in (
            ("`wirgeo --help`", ["--help"], "≤ 0.3×"),
            ("`wirgeo --version`", ["--version"], ""),
            ("`wirgeo rules`", ["rules"], "≤ 0.5×"),
            ("argument error (`wirgeo consortia`)", ["consortia", "--lang", "de"], "")):
        if what.startswith("argument"):
            runs = []
            for _ in range(args.repeat):
                load = os.getloadavg()[0]
                started = time.perf_counter()
                subprocess.run([*WIRGEO, *command], env=env, capture_output=True)
                runs.append((time.perf_counter() - started, load))
            add(what, statistics.median(s for s, _ in runs), max(x for _, x in runs),
                goal=goal)
        else:
            add(what, *_median([*WIRGEO, *command], env, args.repeat), goal=goal)

    partners = [*WIRGEO, "partners", "Freiensteinau"]
    add("`wirgeo partners Freiensteinau`, first (plan + flexibility computed)",
        *_run(partners, private), against=yard_solve)
    add("`wirgeo partners Freiensteinau`, repeated (from the cache)",
        *_median(partners, private, args.repeat), against=yard_solve, goal="≤ 2×")
    demo = [*WIRGEO, "demo", "--out-dir", str(out / "demo")]
    shutil.rmtree(geo / "cache" / "results", ignore_errors=True)
    add("`wirgeo demo`, first", *_run(demo, private))
    add("`wirgeo demo`, repeated", *_median(demo, private, 3))
    dossier = [*WIRGEO, "dossier", "--kreis", "Vogelsbergkreis", "--out",
               str(out / "vogelsberg.pdf")]
    add("`wirgeo dossier --kreis Vogelsbergkreis` (plan from the cache)",
        *_median(dossier, private, 3))
    flex = [PYTHON, "-c", "from wirgeo import load_municipalities as m; "
            "from wirgeo.consortia import plan, plan_flexibility; "
            "from wirgeo.rules import load_rules as r; plan_flexibility(plan(m(), r()))"]
    add("flexibility of the Hessen plan (process: load, plan, analysis)",
        *_median(flex, private, 3))
    if not args.skip_germany:
        germany = [*WIRGEO, "consortia", "--state", "de", "--allow-unmatched", "--out",
                   str(out / "germany.csv")]
        cold = {**env, "WIRGEO_GEO": str(out / "germany-geo")}
        add("Germany, cold (`consortia --state de --allow-unmatched`, empty cache)",
            *_run(germany, cold))
        add("Germany, warm (the same again)", *_median(germany, cold, 3),
            goal="≤ 15 s")

    lines = ["## Instant answers (`bench/bench_speed.py`)", "",
             f"Measured {machine()}; median of {args.repeat} fresh processes per figure "
             "(first and cold runs once); the load average (1 min) when each began — the "
             "machine is shared, so the ratios, not the seconds, are the figures to compare.",
             "", table(rows), ""]
    lines += ["`python -X importtime` (top-level imports, cumulative):", ""]
    for what, command in (("`wirgeo --help`", ["--help"]), ("`wirgeo rules`", ["rules"]),
                          ("`wirgeo partners Freiensteinau` (from the cache)",
                           ["partners", "Freiensteinau"])):
        total, top = _importtime(command, private)
        lines.append(f"- {what}: {total:.3f} s of imports; most: " + ", ".join(
            f"{name} {us / 1e3:.0f} ms" for name, us in top))
    lines.append("")
    _report.write_section("speed", "\n".join(lines))
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
