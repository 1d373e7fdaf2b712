"""Cold preparation and warm load of the joined Hessen municipalities.

Cold: read the BKG GeoPackage and the Destatis xlsx, join, dissolve the mergers and write
the GeoParquet cache (an empty cache folder each run). Warm: read the cache. Median of
several runs, each in a fresh process so import time is measured separately.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

from _report import SHARED_RAW, machine, table, write_section

RUNS = 5

_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import wirgeo
t1 = time.perf_counter()
d = wirgeo.load("06", source=sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "cached": d.report.from_cache,
                  "rows": len(d.municipalities)}))
"""


def probe(cache: str) -> dict:
    env = {**os.environ, "WIRGEO_GEO": cache}
    out = subprocess.run([sys.executable, "-c", _PROBE, str(SHARED_RAW)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    cold, warm, imports = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            first = probe(cache)
            assert not first["cached"] and first["rows"] == 425
            cold.append(first["load"])
            second = probe(cache)
            assert second["cached"]
            warm.append(second["load"])
            imports.append(second["import"])
    rows = [
        {"step": "cold preparation (read VG250 + Destatis, join, write cache)",
         "median s": f"{statistics.median(cold):.2f}", "min s": f"{min(cold):.2f}"},
        {"step": "warm load (GeoParquet cache)", "median s": f"{statistics.median(warm):.3f}",
         "min s": f"{min(warm):.3f}"},
        {"step": "import wirgeo", "median s": f"{statistics.median(imports):.2f}",
         "min s": f"{min(imports):.2f}"},
    ]
    write_section("data", "## Data preparation (Hessen, 425 units)\n\n"
                  f"Measured {machine()}; {RUNS} runs, each in a fresh process.\n\n"
                  + table(rows) + "\n\nTarget for the warm load: under 1 s.\n")


if __name__ == "__main__":
    main()
