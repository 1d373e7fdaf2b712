"""The consortium planner notebook in a real JupyterLab, driven in Debian's chromium.

JupyterLab runs on localhost from this venv, serving a copy of ``notebooks/``; the folium
map in the widget output loads Leaflet from its CDN, which the offline routes answer from
the npm copy. The test runs all cells through the menu, checks that the widgets and the map
render, changes a rule control and waits for the table to follow, and presses both export
buttons.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import lab
import pandas as pd
import pytest
import support

pytestmark = [pytest.mark.browser, pytest.mark.notebook]

ROOT = Path(__file__).resolve().parent.parent.parent


def _verbund_count(page) -> int:
    text = page.locator("h4", has_text="Verbünde").first.inner_text()  # the map legend
    return int(re.search(r"\((\d+)\)", text).group(1))


def test_consortium_planner_in_jupyterlab(browser, open_map, tmp_path):
    root = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    out = tmp_path / "out"
    env = {"WIRGEO_OUT": str(out), "WIRGEO_SOURCE": os.environ["WIRGEO_SOURCE"],
           "WIRGEO_GEO": os.environ["WIRGEO_GEO"]}
    with lab.jupyter_lab(root, tmp_path / "jupyter.log", env=env) as base:
        nb = lab.LabPage(browser, base, "02_consortium_planner.ipynb")
        try:
            nb.run_all()
            page = nb.page
            assert nb.errors_in_outputs() == []
            # the widgets
            for selector in (".widget-select-multiple", ".widget-dropdown",
                             ".widget-checkbox", ".widget-textarea", ".widget-button"):
                assert page.locator(selector).count() > 0, selector
            status = page.locator("p", has_text="small municipalities in").first
            before_status = status.inner_text()
            assert "(optimal)" in before_status
            # the map, drawn inside the output's iframe
            frame = next(f for f in page.frames if f.url == "about:srcdoc")
            frame.wait_for_function(
                "() => document.querySelectorAll('path.wirgeo-eligibility').length >= 425",
                timeout=60_000)
            assert frame.locator("path.wirgeo-consortia").count() > 0
            support.screenshot(page, "jupyterlab_planner")
            # change a control: at most two members per Verbund
            before = _verbund_count(page)
            page.locator(".widget-dropdown select").first.select_option("2")
            page.wait_for_function(
                """(old) => [...document.querySelectorAll('p')].some(p =>
                       p.textContent.includes('small municipalities in') &&
                       !p.textContent.includes(old))""",
                arg=before_status.split(" — ")[0], timeout=60_000)
            after = _verbund_count(page)
            assert after != before
            assert "Verbund of 2–2 members" in status.inner_text()
            # exports land in out/ and open
            page.get_by_role("button", name="Export map (HTML)").click()
            page.get_by_role("button", name="Export table (Excel)").click()
            page.wait_for_selector("text=/consortium_planner\\.xlsx/", timeout=30_000)
            support.screenshot(page, "jupyterlab_planner_changed")
        finally:
            problems = nb.log.errors + nb.routes.unrouted
            nb.close()
    assert problems == []
    sheets = pd.read_excel(out / "consortium_planner.xlsx", sheet_name=None, dtype=str)
    assert len(sheets["Verbünde"]) == after
    assert (sheets["Verbünde"]["n_members"].astype(int) <= 2).all()
    exported = open_map(out / "consortium_planner_map.html",
                        wait_for="path.wirgeo-eligibility")
    assert exported.drawn("wirgeo-eligibility") == 425
