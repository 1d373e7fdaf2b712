"""Benchmark of the Kreis dossiers: ``wirgeo dossier --all`` for the 21 Landkreise.

Run: ``python bench/bench_dossier.py``. Plans Hessen once (default rules, with the plan
flexibility every dossier shows), then writes each Landkreis's dossier on its own and
times it, and the whole set with :func:`wirgeo.dossier.write_all`. Renders the pages of
the Vogelsbergkreis dossier to PNG with ``pdftoppm`` (kept in ``bench/artifacts/``) and
writes the figures into docs/benchmarks.md between ``<!-- bench:dossier:start -->`` and
``<!-- bench:dossier:end -->``. Exits 1 when a Kreis is over the 5 s target.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _report  # bench/ helper shared by every bench script
from _report import machine, table
from pypdf import PdfReader

from wirgeo import dossier
from wirgeo.municipalities import load
from wirgeo.planning import PlanningRequest

TARGET_S = 5.0
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def main() -> None:
    _report.use_shared_source()
    gem = load("06").municipalities
    started = time.perf_counter()
    run = PlanningRequest(flexibility=True).run(gem)
    t_plan = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # the first dossier of a process also imports matplotlib and Typst and reads the
        # fonts: timed apart, as `wirgeo dossier --kreis` pays it once
        started = time.perf_counter()
        dossier.write(run, "06535", folder / "warm-up.pdf")
        t_first = time.perf_counter() - started
        for key, name in dossier.landkreise(run):
            path = folder / dossier.file_name(key, name)
            started = time.perf_counter()
            dossier.write(run, key, path)
            seconds = time.perf_counter() - started
            rows.append({"Kreis": name, "seconds": round(seconds, 2),
                         "pages": len(PdfReader(path).pages),
                         "kB": round(path.stat().st_size / 1000)})
        started = time.perf_counter()
        written = dossier.write_all(run, folder / "all")
        t_all = time.perf_counter() - started
        total = sum(p.stat().st_size for p in written)
        vogelsberg = next(p for p in written if "Vogelsberg" in p.name)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(vogelsberg, ARTIFACTS / "dossier_vogelsbergkreis.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(vogelsberg),
                        str(ARTIFACTS / "dossier_vogelsbergkreis")], check=True)
    slowest = max(rows, key=lambda r: r["seconds"])
    body = [
        "## Kreis dossiers (`bench/bench_dossier.py`)", "",
        f"Measured {machine()}. Hessen, default rules; the statewide plan with its "
        f"flexibility once ({t_plan:.1f} s), then one dossier per Landkreis; the first "
        f"dossier of the process (imports, fonts) took {t_first:.1f} s and is not in the "
        "table.", "",
        "| figure | value |", "|---|---|",
        f"| `write_all`, 21 Landkreise | {t_all:.1f} s, {len(written)} PDFs, "
        f"{total / 1e6:.1f} MB in all |",
        f"| per Kreis | median {sorted(r['seconds'] for r in rows)[len(rows) // 2]:.2f} s, "
        f"slowest {slowest['seconds']:.2f} s ({slowest['Kreis']}); target {TARGET_S:.0f} s: "
        f"{'met' if slowest['seconds'] <= TARGET_S else 'not met'} |",
        f"| pages | {min(r['pages'] for r in rows)}–{max(r['pages'] for r in rows)} |",
        "", table(rows), "",
    ]
    _report.write_section("dossier", "\n".join(body))
    print("\n".join(body))
    if slowest["seconds"] > TARGET_S:
        sys.exit(1)


if __name__ == "__main__":
    main()
