"""Benchmark of the planner in a real JupyterLab: seconds and bytes from a change to its update.

Run ``python bench/bench_planner.py`` (``make bench`` runs every bench script). It starts
JupyterLab on a copy of ``notebooks/`` (as ``tests/browser/test_notebook_lab.py`` does),
opens the planner notebook in Debian's chromium at 1366×768, runs it, zooms into the
Vogelsbergkreis and changes the rule controls like a planner, several samples per
control. Each sample is timed in the page from the input event until both the status and
the table are updated and the live map has drawn the new plan; the bytes are the
websocket frames the page received meanwhile; the kernel's own time is the one the status
line states. The minimum population moves by 100 each round, so each round's settings are
new; a setting the planner has computed before in the session (switching a rule back) comes
from its cache, and such samples are reported on rows of their own.

The figures go into docs/benchmarks.md between ``<!-- bench:planner:start -->`` and
``<!-- bench:planner:end -->``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "browser"), str(ROOT / "bench")]

from _report import SHARED_RAW, machine, table, write_section  # noqa: E402

ROUNDS = 5
#: The programme allows 2–3 members; 4 is a what-if the planner offers, measured apart.
EXTRA = (("max_members", 4),)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _row(name: str, samples: list[dict]) -> dict:
    seconds = [s["seconds"] for s in samples]
    sizes = [s["bytes"] for s in samples]
    kernel = [s["kernel_s"] for s in samples if s["kernel_s"] is not None]
    return {"change": name, "samples": len(samples),
            "p50 s": f"{statistics.median(seconds):.2f}", "p95 s": f"{_p95(seconds):.2f}",
            "max s": f"{max(seconds):.2f}",
            "kernel p50 s": f"{statistics.median(kernel):.2f}" if kernel else "",
            "kB per change (median / max)":
                f"{statistics.median(sizes) / 1000:.0f} / {max(sizes) / 1000:.0f}"}


def measure() -> tuple[list[dict], list[dict], int]:
    import lab
    import planner_lab
    import support
    from playwright.sync_api import sync_playwright

    support.check_node_modules()
    work = Path(tempfile.mkdtemp(prefix="wirgeo-bench-planner-"))
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    env = {"WIRGEO_OUT": str(work / "out"), "WIRGEO_SOURCE": str(SHARED_RAW),
           "WIRGEO_GEO": os.environ.get("WIRGEO_GEO", str(work / "geo"))}
    samples: list[dict] = []
    extra: list[dict] = []
    try:
        with sync_playwright() as playwright, lab.jupyter_lab(
                work / "notebooks", work / "jupyter.log", env=env) as base:
            browser = support.launch(playwright)
            frames = planner_lab.Frames()
            nb = lab.LabPage(browser, base, "02_consortium_planner.ipynb", width=1366,
                             height=768, on_page=frames.attach)
            page = nb.page
            planner_lab.open_file_browser(page)
            nb.run_all()
            planner_lab.wait_for_map(page)
            first = frames.received
            planner_lab.zoom_to(page, 50.58, 9.22, 10.0)
            state = {"combined_min": 10_000, "max_members": 3, "same_kreis": False,
                     "mutual": False}
            seen = {tuple(state.values())}
            for r in range(ROUNDS):
                for name, value in (("combined_min", 10_000 + 100 * (r + 1)),
                                    ("max_members", 2), ("max_members", 3),
                                    ("same_kreis", True), ("same_kreis", False),
                                    ("mutual", True), ("mutual", False)):
                    state[name] = value
                    sample = planner_lab.change(page, name, value, frames)
                    sample["cached"] = tuple(state.values()) in seen
                    seen.add(tuple(state.values()))
                    samples.append(sample)
            planner_lab.change(page, "combined_min", 10_000, frames)
            extra = [planner_lab.change(page, n, v, frames) for n, v in EXTRA]
            nb.close()
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return samples, extra, first


def main() -> None:
    load = os.getloadavg()[0]
    samples, extra, first = measure()
    new = [s for s in samples if not s["cached"]]
    controls = sorted({s["control"] for s in new})
    rows = [_row(f"{name} (new setting)", [s for s in new if s["control"] == name])
            for name in controls]
    rows.append(_row("**every new setting**", new))
    rows.append(_row("a setting switched back (cache)", [s for s in samples if s["cached"]]))
    rows.append(_row("**every change**", samples))
    rows += [_row(f"{s['control']} = {s['value']} (new)", [s]) for s in extra[:1]]
    seconds = [s["seconds"] for s in samples]
    fresh = [s["seconds"] for s in new]
    body = "\n".join([
        "## Planner in JupyterLab (`bench/bench_planner.py`)", "",
        f"Measured {machine()} (load average {load:.1f} when it started); JupyterLab in "
        "Debian's chromium at 1366×768 with the file browser open, all of Hessen, map "
        "zoomed into the Vogelsbergkreis. Seconds from the input event until status, "
        "table and live map show the new plan; bytes are the websocket frames received "
        "meanwhile (plan layers, tables, status); kernel = the planner's own time for "
        "plan and update, as its status line states.", "",
        table(rows), "",
        f"All {len(seconds)} rule changes: p50 {statistics.median(seconds):.2f} s, "
        f"p95 {_p95(seconds):.2f} s; the {len(fresh)} new settings alone: p50 "
        f"{statistics.median(fresh):.2f} s, p95 {_p95(fresh):.2f} s (targets 0.5 s and "
        "1 s). Sent once when the planner "
        f"opens (Leaflet, 425 outlines, first plan, controls): {first / 1e6:.2f} MB.",
    ])
    write_section("planner", body)


if __name__ == "__main__":
    main()
