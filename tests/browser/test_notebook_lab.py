"""The consortium planner notebook in a real JupyterLab, driven in Debian's chromium.

JupyterLab runs on localhost from this venv, serving a copy of ``notebooks/``; the live
map is our own anywidget with the Leaflet wirgeo ships, so the page needs no CDN. The test
works as a planner would, at 1366×768 with the file browser open: runs all cells, zooms
the map into one Kreis, changes a rule and checks that the table and the Verbund layer
follow while zoom and centre stay, measures how long that took, checks that no control
label is cut off (also at 1920×1080), and presses the export buttons. Screenshots land in
``artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lab
import pandas as pd
import planner_lab
import pytest
import support

pytestmark = [pytest.mark.browser, pytest.mark.notebook]

ROOT = Path(__file__).resolve().parent.parent.parent

#: The Vogelsbergkreis, as a planner zooms to it.
VOGELSBERG = (50.58, 9.22, 10.0)


def _count(heading: str) -> int:
    return int(re.search(r"\((\d+)\)", heading).group(1))


def test_consortium_planner_in_jupyterlab(browser, jupyter, open_map, municipalities):
    shutil.copytree(ROOT / "notebooks", jupyter.root / "planner")
    out = jupyter.out      # the notebook writes to the default place (WIRGEO_OUT)
    with jupyter.kernels() as base:
        frames = planner_lab.Frames()
        nb = lab.LabPage(browser, base, "planner/02_consortium_planner.ipynb", width=1366,
                         height=768,
                         on_page=frames.attach)
        try:
            page = nb.page
            planner_lab.open_file_browser(page)
            nb.run_all()
            assert nb.errors_in_outputs() == []
            planner_lab.wait_for_map(page)
            status = page.locator(".wirgeo-status").inner_text()
            assert "228 von 246 kleinen Gemeinden in 92 Verbünden" in status
            assert "bewiesen optimal" in status
            # the map does not fit the state into a drawn-over corner: a Verbund layer
            start = planner_lab.view(page)
            assert start["groups"] == 92 and start["outlines"]
            # zoom into the Vogelsbergkreis, then change a rule
            planner_lab.zoom_to(page, *VOGELSBERG)
            zoomed = planner_lab.view(page)
            assert zoomed["zoom"] == VOGELSBERG[2]
            planner_lab.show_planner(page)
            # hovering a Gemeinde names it, its Kreis and its Verbund or reason
            box = page.locator(planner_lab.MAP).bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            tip = page.locator(".leaflet-tooltip").first
            tip.wait_for(timeout=10_000)
            assert "Vogelsbergkreis" in tip.inner_text()
            support.screenshot(page, "jupyterlab_planner_hover")
            page.mouse.move(box["x"] - 200, box["y"])
            support.screenshot(page, "jupyterlab_planner_1366x768")
            first = planner_lab.change(page, "max_members", 2, frames)
            after = planner_lab.view(page)
            assert (after["zoom"], after["lat"], after["lng"]) == (
                zoomed["zoom"], zoomed["lat"], zoomed["lng"])
            assert after["revision"] > zoomed["revision"]
            assert after["outlines"] != zoomed["outlines"] and after["groups"] != 92
            assert _count(first["heading"]) != _count(first["heading_before"])
            assert "Verbund aus 2–2 Mitgliedern" in page.locator(".wirgeo-status").inner_text()
            support.screenshot(page, "jupyterlab_planner_changed_1366x768")
            # one change back, a second latency figure (bench/bench_planner.py measures more)
            samples = [first, planner_lab.change(page, "max_members", 3, frames)]
            still = planner_lab.view(page)
            assert (still["zoom"], still["lat"], still["lng"]) == (
                zoomed["zoom"], zoomed["lat"], zoomed["lng"])
            (support.ARTIFACTS / "planner_latency.json").write_text(
                json.dumps(samples, indent=1, ensure_ascii=False))
            # a Kreis and an exclusion, typed like a planner: name, Enter
            planner_lab.type_tag(page.locator(".wirgeo-kreise-search"), "Vogelsbergkreis")
            page.wait_for_function("""() => document.querySelector('.wirgeo-status')
                .innerText.startsWith('Vogelsbergkreis:')""", timeout=60_000)
            assert "Nur der Ausschnitt hat sich geändert" in page.locator(
                "p.wirgeo-note").inner_text()
            assert page.locator(".jupyter-widget-tag", has_text="Vogelsbergkreis").count() == 1
            planner_lab.type_tag(page.locator(".wirgeo-exclude-search"),
                                 "Ulrichstein (Vogelsbergkreis)")
            page.wait_for_function("""() => document.querySelector('.wirgeo-status')
                .innerText.includes('Ulrichstein')""", timeout=60_000)
            still = planner_lab.view(page)
            assert (still["zoom"], still["lat"], still["lng"]) == (
                zoomed["zoom"], zoomed["lat"], zoomed["lng"])
            # nothing cut off, in both sizes
            assert planner_lab.clipped_labels(page) == []
            page.set_viewport_size({"width": 1920, "height": 1080})
            page.wait_for_timeout(500)
            planner_lab.show_planner(page)
            assert planner_lab.clipped_labels(page) == []
            support.screenshot(page, "jupyterlab_planner_1920x1080")
            page.set_viewport_size({"width": 1366, "height": 768})
            # exports land in out/ under names of their own and are listed
            shown = _count(planner_lab.table_heading(page))
            page.get_by_role("button", name="Tabellen (Excel)").click()
            page.get_by_role("button", name="Karte (HTML)").click()
            page.locator(".lm-TabBar-tab", has_text="Exporte").click()
            page.locator(".lm-TabBar-tab", has_text="Exporte").scroll_into_view_if_needed()
            page.wait_for_selector("text=/planer_.*\\.html/", timeout=60_000)
            page.wait_for_selector("text=/planer_.*\\.xlsx/", timeout=60_000)
            support.screenshot(page, "jupyterlab_planner_exports")
        finally:
            problems = nb.log.errors + nb.routes.unrouted
            nb.close()
    assert problems == []
    workbook = next(out.glob("planer_*.xlsx"))
    sheets = pd.read_excel(workbook, sheet_name=None, dtype=str)
    assert len(sheets["Verbünde"]) == shown
    exported = open_map(next(out.glob("planer_*.html")), wait_for="path.wirgeo-eligibility")
    # the exported map is the folium map of the selection (the Vogelsbergkreis)
    assert exported.drawn("wirgeo-eligibility") == municipalities["kreis_ags"].eq("06535").sum()


_TRAP_NOTEBOOK = '''\
import sys
sys.path.insert(0, {tests!r})
from hostile import trap
from wirgeo import load_municipalities
from wirgeo.widgets import ConsortiumPlanner

gemeinden = load_municipalities().copy()
gemeinden.attrs = {{**gemeinden.attrs, "attribution": trap("attribution")}}
for ags, field in {places!r}.items():
    gemeinden.loc[gemeinden["ags"] == ags, "name"] = trap(field)
gemeinden.loc[gemeinden["kreis_ags"] == {kreis!r}, "kreis_name"] = trap("kreis")
planner = ConsortiumPlanner(gemeinden, out_dir={out!r})
planner
'''


def _hover_live_map(page, lat: float, lng: float) -> str:
    """Move the mouse over a place of the live map; return the tooltip's text."""
    planner_lab.zoom_to(page, lat, lng, 11)
    x, y = page.evaluate(f"""() => {{
        const box = document.querySelector('{planner_lab.MAP}');
        const p = box.wirgeoMap.latLngToContainerPoint([{lat}, {lng}]);
        const r = box.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }}""")
    page.mouse.move(0, 0)
    page.mouse.move(x, y)
    tip = page.locator(".wirgeo-live-map .leaflet-tooltip").last
    tip.wait_for(state="visible", timeout=10_000)
    return tip.inner_text()


def test_markup_and_template_syntax_in_the_live_planner_show_as_text(browser, jupyter,
                                                                     tmp_path, planning):
    """Issue 19: Gemeinde and Kreis names with markup run no script in JupyterLab."""
    import nbformat
    from hostile import EVALUATED, trap

    unplaced = planning.unplaced["ags"].iloc[0]
    member = planning.consortia["member_ags"].iloc[0][0]
    places = {unplaced: "unplaced", member: "member"}
    root = jupyter.folder("trap")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        _TRAP_NOTEBOOK.format(tests=str(ROOT / "tests"), places=places,
                              kreis=unplaced[:5], out=str(tmp_path / "out")))],
        metadata={"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                 "language": "python", "name": "python3"}})
    nbformat.write(notebook, root / "trap.ipynb")
    points = planning.municipalities.set_index("ags").loc[[unplaced, member]].geometry \
        .representative_point().to_crs(4326)
    with jupyter.kernels() as base:
        nb = lab.LabPage(browser, base, "trap/trap.ipynb", width=1366, height=768)
        try:
            page = nb.page
            page.evaluate("() => { window.__pwned = undefined; }")
            nb.run_all()
            assert nb.errors_in_outputs() == []
            planner_lab.wait_for_map(page)
            planner_lab.show_planner(page)
            first = _hover_live_map(page, points[unplaced].y, points[unplaced].x)
            second = _hover_live_map(page, points[member].y, points[member].x)
            legend = page.locator(".wirgeo-live-map .wirgeo-legend")
            legend.locator("summary").click()
            sources = legend.inner_text()
            tables = page.locator(".wirgeo-planner").inner_text()
            support.screenshot(page, "jupyterlab_planner_trap")
            pwned = page.evaluate("() => window.__pwned")
            images = page.locator("img[src='x']").count()
            content = page.content()
        finally:
            problems = nb.log.errors + nb.log.dialogs + nb.routes.unrouted
            nb.close()
    assert trap("unplaced") in first and trap("kreis") in first
    assert trap("member") in second
    assert trap("attribution") in sources
    assert trap("member") in tables  # the Verbund table: member names as text
    assert pwned is None and images == 0 and EVALUATED not in content
    assert problems == []
