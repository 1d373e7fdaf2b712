"""Shared by the bench scripts: print figures and keep them in docs/benchmarks.md.

Each script owns one section of docs/benchmarks.md, between the markers
``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``; running a script replaces
only its own section, so the scripts never overwrite each other's figures.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
SHARED_RAW = Path(os.environ.get("WIRGEO_TEST_SOURCE", ROOT.parent / "shared" / "data" / "raw"))

_HEADER = """# Benchmarks

Figures measured by the scripts in `bench/` (`make bench` runs them all). Each section is
rewritten by its own script; the machine and date are stated in every section. Speed and size
are measured here, never asserted in tests.
"""


def use_shared_source() -> None:
    """Read the official files beside the checkout, unless ``WIRGEO_SOURCE`` names others.

    wirgeo reads its settings from the environment once, at import: the setting is set in
    this process, the variable for the processes the script starts.
    """
    from wirgeo.settings import settings

    os.environ.setdefault("WIRGEO_SOURCE", str(SHARED_RAW))
    settings.source = settings.source or os.environ["WIRGEO_SOURCE"]


def machine() -> str:
    """One line describing where the figures were measured."""
    cores = os.cpu_count()
    return (f"{dt.date.today().isoformat()}, {platform.machine()}, {cores} cores, "
            f"Python {platform.python_version()}")


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls of ``func``, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def table(rows: list[dict]) -> str:
    """A Markdown table from a list of dicts with the same keys."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def write_section(name: str, body: str) -> None:
    """Print ``body`` and put it into docs/benchmarks.md as section ``name``."""
    print(body)
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.is_file() else _HEADER
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n")
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(text, encoding="utf-8")
