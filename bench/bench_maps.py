"""Benchmark of the planning map: HTML size, vertices, build time, time to first draw.

Run ``python bench/bench_maps.py`` (``make bench`` runs every bench script). It prints
the figures and writes them into docs/benchmarks.md between the markers
``<!-- bench:maps:start -->`` and ``<!-- bench:maps:end -->``.

The thematic layers are the real ones (:func:`wirgeo.planning.build`: eligibility, the 33
centres, documented grantees, the optimal Verbund plan under the default rules). Browser
timings drive Debian's chromium offline through the routes of ``tests/browser/support.py``.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "browser"), str(ROOT / "bench")]

import folium  # noqa: E402
import shapely  # noqa: E402
from _report import SHARED_RAW, machine, write_section  # noqa: E402

from wirgeo import load, maps  # noqa: E402
from wirgeo.planning import build as build_planning  # noqa: E402

RUNS = 5
BUDGET = 1_500_000


def timed(func, runs=RUNS):
    """Median wall time of ``runs`` calls and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def draw_times(paths: dict[str, Path], count: int) -> dict[str, float]:
    """Median ms from navigation start until ``count`` Gemeinde shapes are drawn."""
    import support
    from playwright.sync_api import sync_playwright

    support.check_node_modules()
    results = {}
    with sync_playwright() as playwright:
        browser = support.launch(playwright)
        for name, (path, selector) in paths.items():
            samples = []
            for _ in range(RUNS):
                page, context = support.open_map(browser, path)
                # performance.now() counts from navigation start
                handle = page.page.wait_for_function(
                    """([sel, n]) => {
                        const drawn = Array.from(document.querySelectorAll(sel))
                            .filter(p => (p.getAttribute('d') || '').length > 4).length;
                        return drawn >= n ? performance.now() : false;
                    }""", arg=[selector, count], polling="raf", timeout=60_000)
                samples.append(handle.json_value())
                assert not page.routes.unrouted and not page.log.errors, (
                    page.routes.unrouted, page.log.errors)
                context.close()
            results[name] = statistics.median(samples)
        browser.close()
    return results


def readme_screenshot(target: Path, width: int = 780, height: int = 720) -> Path:
    """The README's picture: the full Hessen planning map, without base map tiles."""
    import support
    from playwright.sync_api import sync_playwright

    mun = load("06", source=SHARED_RAW).municipalities
    page_path = Path(tempfile.mkdtemp(prefix="wirgeo-shot-")) / "map.html"
    tables = build_planning(mun).map_tables()
    maps.save_map(maps.planning_map(mun, tiles=None, **tables), page_path)
    with sync_playwright() as playwright:
        browser = support.launch(playwright)
        page, context = support.open_map(browser, page_path, width=width, height=height,
                                         wait_for="path.wirgeo-eligibility")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(target))
        context.close()
        browser.close()
    return target


def main() -> dict:
    dataset = load("06", source=SHARED_RAW)
    mun = dataset.municipalities
    frames = build_planning(mun).map_tables()
    out = Path(tempfile.mkdtemp(prefix="wirgeo-bench-maps-"))
    figures: dict = {"python": platform.python_version(), "folium": folium.__version__,
                     "shapely": shapely.__version__}

    figures["vertices_full"] = maps.vertex_count(mun)
    tolerances = [0, 100, maps.DEFAULT_TOLERANCE_M, 300]
    rows = []
    for tolerance in tolerances:
        seconds, shown = timed(lambda t=tolerance: maps.display_geometry(mun, t))
        m = maps.planning_map(mun, tolerance_m=tolerance, **frames)
        size = maps.save_map(m, out / f"hessen_{int(tolerance)}.html").stat().st_size
        rows.append((tolerance, maps.vertex_count(shown), seconds, size))
    figures["tolerances"] = rows

    build, m = timed(lambda: maps.planning_map(mun, **frames))
    figures["build_s"] = build
    save, path = timed(lambda: maps.save_map(m, out / "hessen_planning_map.html"))
    figures["save_s"] = save
    figures["size_all_layers"] = path.stat().st_size
    base = maps.planning_map(mun)  # no thematic tables: Kreise, Regierungsbezirke, population
    figures["size_base_layers"] = maps.save_map(base, out / "base.html").stat().st_size
    kassel = maps.planning_map(mun, kreise=["Landkreis Kassel"], **frames)
    figures["size_kassel"] = maps.save_map(kassel, out / "kassel.html").stat().st_size

    explore_s, explore = timed(lambda: mun.explore(), runs=1)
    explore_path = out / "explore.html"
    explore.save(str(explore_path))
    figures["explore_s"] = explore_s
    figures["size_explore_full"] = explore_path.stat().st_size

    figures["draw_ms"] = draw_times({
        "planning map, all layers": (path, "path.wirgeo-eligibility"),
        "explore(), full resolution": (explore_path, "path.leaflet-interactive"),
    }, len(mun))
    figures["n"] = len(mun)
    figures["n_consortia"] = len(frames["consortia"])
    return figures


def report(f: dict) -> str:
    mb = 1e6
    lines = [
        "### Planning map (`bench/bench_maps.py`)",
        "",
        f"Full Hessen planning map, all layers ({f['n']} Gemeinden, 33 centres, "
        f"{f['n_consortia']} Verbünde of the optimal plan, unplaced, grantees, Kreise, "
        f"Regierungsbezirke); median of {RUNS} runs; measured {machine()}, folium "
        f"{f['folium']}, shapely {f['shapely']}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| HTML size, all layers (default tolerance {maps.DEFAULT_TOLERANCE_M:.0f} m) | "
        f"**{f['size_all_layers'] / mb:.2f} MB** (budget {BUDGET / mb:.1f} MB) |",
        f"| HTML size, base layers only (Kreise, Regierungsbezirke, population) | "
        f"{f['size_base_layers'] / mb:.2f} MB |",
        f"| HTML size, Landkreis Kassel, all layers | {f['size_kassel'] / mb:.2f} MB |",
        f"| `GeoDataFrame.explore()` of the municipalities, full resolution | "
        f"{f['size_explore_full'] / mb:.2f} MB ({f['explore_s']:.2f} s) |",
        f"| vertices, full resolution | {f['vertices_full']:,} |",
        f"| build `planning_map()` (simplify, layers) | {f['build_s']:.2f} s |",
        f"| render + write `save_map()` | {f['save_s']:.2f} s |",
    ]
    for name, ms in f["draw_ms"].items():
        lines.append(f"| headless chromium, navigation start → all {f['n']} Gemeinden "
                     f"drawn: {name} | {ms:,.0f} ms |")
    lines += [
        "",
        "Display simplification (`shapely.coverage_simplify`, then WGS84 and 1e-5° "
        "rounding; full map with all layers):",
        "",
        "| tolerance | vertices | of full | simplify + reproject | HTML size |",
        "|---|---|---|---|---|",
    ]
    for tolerance, vertices, seconds, size in f["tolerances"]:
        lines.append(f"| {tolerance:.0f} m | {vertices:,} | "
                     f"{vertices / f['vertices_full']:.0%} | {seconds:.2f} s | "
                     f"{size / mb:.2f} MB |")
    lines += ["", "The browser loads Leaflet from the npm copy (offline routes), tiles are "
              "blank; a real network adds the CDN and tile download time."]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--screenshot" in sys.argv:  # refresh docs/img/planning_map.png
        print(readme_screenshot(Path(sys.argv[sys.argv.index("--screenshot") + 1])))
    else:
        write_section("maps", report(main()))
