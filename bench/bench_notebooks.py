"""Execution time of each notebook from a fresh kernel (as nbmake runs them in CI).

Warm data cache (the first notebook of a fresh checkout also prepares the cache; see the
data benchmark for that figure). Target: under a minute each.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from _report import ROOT, SHARED_RAW, machine, table, write_section
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def run(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started


def main() -> None:
    import os

    os.environ.setdefault("WIRGEO_SOURCE", str(SHARED_RAW))
    rows = []
    for path in NOTEBOOKS:
        seconds = [run(path) for _ in range(2)]
        rows.append({"notebook": path.name, "best of 2 (s)": f"{min(seconds):.1f}",
                     "first run (s)": f"{seconds[0]:.1f}"})
    write_section("notebooks", "## Notebooks (execution from a fresh kernel)\n\n"
                  f"Measured {machine()}; all cells, real Hessen data, warm data cache.\n\n"
                  + table(rows) + "\n\nTarget: under a minute each.\n")


if __name__ == "__main__":
    main()
