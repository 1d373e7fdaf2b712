"""Benchmark of the maps: HTML size (offline and CDN), vertices, build time, time to first
draw, and the print maps' time and size.

Run ``python bench/bench_maps.py`` (``make bench`` runs every bench script). It prints
the figures and writes them into docs/benchmarks.md between the markers
``<!-- bench:maps:start -->`` and ``<!-- bench:maps:end -->``.
``python bench/bench_maps.py --screenshots docs/images`` refreshes the pictures of
docs/maps.md (statewide, Vogelsbergkreis, Kassel at 1366×768 and 1920×1080, print maps).

The thematic layers are the real ones (:func:`wirgeo.planning.build`: eligibility, the 33
centres, documented grantees, the optimal Verbund plan under the default rules). Browser
timings drive Debian's chromium offline through the routes of ``tests/browser/support.py``.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "browser"), str(ROOT / "bench")]

import folium  # noqa: E402
import shapely  # noqa: E402
from _report import SHARED_RAW, machine, write_section  # noqa: E402
from _report import timed as _timed  # noqa: E402

from wirgeo import load, maps  # noqa: E402
from wirgeo.planning import build as build_planning  # noqa: E402

RUNS = 5
PRINT_RUNS = 3
BUDGET = 1_500_000
#: The views of the docs' screenshots: file stem → Kreise (() = all of Hessen).
VIEWS = {"hessen": (), "vogelsbergkreis": ("Vogelsbergkreis",), "kassel": ("Kassel",)}
SIZES = ((1366, 768), (1920, 1080))


def timed(func, runs=RUNS):
    """Median wall time of ``runs`` calls and the last result."""
    return _timed(func, runs)


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
    tables = maps.tables_of(build_planning(mun))
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
    frames = maps.tables_of(build_planning(mun))
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
    cdn = maps.planning_map(mun, library="cdn", **frames)
    figures["size_cdn"] = maps.save_map(cdn, out / "cdn.html").stat().st_size
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
    figures["print"] = print_maps(mun, frames, out)
    return figures


def print_maps(mun, frames: dict, out: Path) -> list[tuple[str, str, float, float, int]]:
    """(view, format, draw s, write s, bytes) of the print maps, A4 landscape."""
    import matplotlib
    import matplotlib.image

    rows = []
    for name, kreise in (("Hessen", ()), ("Vogelsbergkreis", ("Vogelsbergkreis",))):
        draw, fig = timed(lambda k=kreise: maps.static_map(mun, kreise=k, **frames),
                          runs=PRINT_RUNS)
        for suffix in (".pdf", ".png", ".svg"):
            target = out / f"print_{name}{suffix}"
            write, _ = timed(lambda t=target, f=fig: maps.save_static_map(f, t),
                             runs=PRINT_RUNS)
            label = suffix[1:].upper()
            if suffix == ".png":
                label += f", {matplotlib.image.imread(target).shape[1]:,} px wide"
            rows.append((name, label, draw, write, target.stat().st_size))
    return rows


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
        f"| HTML size, all layers, self-contained (Leaflet inside; default tolerance "
        f"{maps.DEFAULT_TOLERANCE_M:.0f} m) | "
        f"**{f['size_all_layers'] / mb:.2f} MB** (budget {BUDGET / mb:.1f} MB) |",
        f"| HTML size, all layers, `--cdn` (Leaflet linked from jsDelivr) | "
        f"{f['size_cdn'] / mb:.2f} MB |",
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
    lines += ["", "The page carries Leaflet itself, so the browser needs no network; tiles "
              "are blank (offline routes), a real network adds their download time.",
              "", f"Print maps (`maps.static_map`, A4 landscape, all layers; median of "
              f"{PRINT_RUNS} runs):", "",
              "| view | file | draw | write | size |", "|---|---|---|---|---|"]
    for name, label, draw, write, size in f["print"]:
        lines.append(f"| {name} | {label} | {draw:.2f} s | {write:.2f} s | "
                     f"{size / mb:.2f} MB |")
    return "\n".join(lines)


def screenshots(folder: Path) -> list[Path]:
    """PNG pictures of the HTML map (every view, both sizes) and of the print maps."""
    import support
    from playwright.sync_api import sync_playwright

    mun = load("06", source=SHARED_RAW).municipalities
    tables = maps.tables_of(build_planning(mun))
    tmp = Path(tempfile.mkdtemp(prefix="wirgeo-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = support.launch(playwright)
        for stem, kreise in VIEWS.items():
            page_path = maps.save_map(maps.planning_map(mun, kreise=kreise, tiles=None,
                                                        **tables), tmp / f"{stem}.html")
            for width, height in SIZES:
                page, context = support.open_map(browser, page_path, width=width,
                                                 height=height,
                                                 wait_for="path.wirgeo-eligibility")
                page.page.wait_for_timeout(500)  # labels decluttered after the first draw
                written.append(_small_png(page.page.screenshot(),
                                          folder / f"map_{stem}_{width}x{height}.png"))
                context.close()
        browser.close()
    for stem, kreise, orientation in (("hessen", (), "landscape"),
                                      ("vogelsbergkreis", ("Vogelsbergkreis",), "portrait")):
        fig = maps.static_map(mun, kreise=kreise, orientation=orientation, **tables)
        png = maps.save_static_map(fig, tmp / f"print_{stem}.png", dpi=110)
        written.append(_small_png(png.read_bytes(), folder / f"print_{stem}.png"))
    return written


def _small_png(data: bytes, target: Path) -> Path:
    """Write a screenshot as PNG, with a 256-colour palette if it would exceed 290 kB."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.save(target, optimize=True)
    if target.stat().st_size > 290_000:  # too big: an exact palette if it has ≤ 256 colours
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                       dither=Image.Dither.NONE).save(target, optimize=True)
    return target


if __name__ == "__main__":
    if "--screenshot" in sys.argv:  # refresh docs/img/planning_map.png
        print(readme_screenshot(Path(sys.argv[sys.argv.index("--screenshot") + 1])))
    elif "--screenshots" in sys.argv:  # refresh docs/images/
        for shot in screenshots(Path(sys.argv[sys.argv.index("--screenshots") + 1])):
            print(shot, f"{shot.stat().st_size / 1e3:.0f} kB")
    else:
        write_section("maps", report(main()))
