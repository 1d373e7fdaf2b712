"""Screenshots of the planner's hand edits for docs/planner.md, taken in a real JupyterLab.

Run: ``.venv/bin/python tools/planner_screenshots.py`` (needs chromium and the browser
test's node modules, like ``tests/browser``). A month of negotiation in the
Vogelsbergkreis, done with the mouse: Alsfeld clicked into the Verbund of Romrod (invalid,
its tooltip names the rules), a Verbund agreed with a note, Romrod declining, then
*optimal ergänzen*. The PNGs go to ``docs/images/`` (palette-reduced, small).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import lab  # noqa: E402 - the browser tests' helpers
import planner_lab  # noqa: E402
import support  # noqa: E402
from PIL import Image  # noqa: E402

OUT = ROOT / "docs" / "images"
CELL = ["from wirgeo.widgets import ConsortiumPlanner\n",
        "planner = ConsortiumPlanner(out_dir={out!r})\n", "planner"]


def _revision(page) -> int:
    return page.evaluate(f"() => Number(document.querySelector('{planner_lab.MAP}')"
                         ".dataset.revision)")


def _after(page, action) -> None:
    """Do ``action`` and wait until the map has drawn what it did."""
    before = _revision(page)
    action()
    page.wait_for_function(f"""(r) => Number(document.querySelector(
        '{planner_lab.MAP}').dataset.revision) > r""", arg=before, timeout=120_000)
    page.wait_for_timeout(300)


def _click(page, name: str) -> None:
    page.locator(planner_lab.MAP).scroll_into_view_if_needed()
    _after(page, lambda: page.mouse.click(*planner_lab.gemeinde_point(page, name)))


def _shot(page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                             dither=Image.Dither.NONE).save(path, optimize=True)
    print(path, path.stat().st_size)


def _scroll_to_map(page) -> None:
    page.evaluate(f"""() => document.querySelector('{planner_lab.MAP}')
        .scrollIntoView({{block: 'start'}})""")
    page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer, "
                  ".jp-Notebook').scrollBy(0, -110)")
    page.wait_for_timeout(300)


def main() -> None:
    """Drive the planner through the month and write the three screenshots."""
    os.environ.setdefault("WIRGEO_SOURCE", str(ROOT.parent / "shared" / "data" / "raw"))
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = Path(tmp) / "work"
        root.mkdir()
        cell = [CELL[0], CELL[1].format(out=str(Path(tmp) / "out")), CELL[2]]
        (root / "planer.ipynb").write_text(json.dumps({
            "cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                       "outputs": [], "source": cell}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}))
        browser = support.launch(playwright)
        with lab.jupyter_lab(root, Path(tmp) / "jupyter.log") as base:
            nb = lab.LabPage(browser, base, "planer.ipynb", width=1366, height=900)
            page = nb.page
            nb.run_all()
            planner_lab.wait_for_map(page)
            _after(page, lambda: page.locator(".wirgeo-editor button",
                                              has_text="Diesen Plan bearbeiten").click())
            planner_lab.zoom_to(page, 50.70, 9.25, 10.25)
            _click(page, "Romrod")
            _click(page, "Alsfeld")
            _scroll_to_map(page)
            page.mouse.move(*planner_lab.gemeinde_point(page, "Alsfeld"))
            page.locator(".leaflet-tooltip").first.wait_for(timeout=10_000)
            _shot(page, "planner_edit_invalid")
            _click(page, "Alsfeld")                       # out again: valid
            # November: Herbstein's Verbund agreed, with a note; Romrod takes no part
            editor = page.locator(".wirgeo-editor")
            # no Verbund selected: the next click selects the Verbund it hits
            _after(page, lambda: editor.locator("select").nth(0).select_option(index=0))
            _click(page, "Herbstein")
            editor.locator("select").nth(1).select_option(label="vereinbart")
            editor.locator(".widget-text input").nth(0).fill("Oberer Vogelsberg")
            editor.locator(".widget-text input").nth(1).fill("Beschlüsse aller Räte bis 14.11.")
            _after(page, lambda: editor.locator(
                "button", has_text="Status und Anmerkung setzen").click())
            page.locator(".wirgeo-editor button", has_text="Klick: nimmt nicht teil").click()
            _click(page, "Romrod")
            page.locator(".wirgeo-editor button", has_text="Klick: in den Verbund").click()
            _scroll_to_map(page)
            page.mouse.move(*planner_lab.gemeinde_point(page, "Herbstein"))
            page.locator(".leaflet-tooltip").first.wait_for(timeout=10_000)
            _shot(page, "planner_edit_agreed")
            _after(page, lambda: page.locator(".wirgeo-editor button",
                                              has_text="optimal ergänzen").click())
            page.wait_for_function("""() => document.querySelector('.wirgeo-edit-status')
                .innerText.includes('ergänzt')""", timeout=120_000)
            page.locator(".wirgeo-edit-status").scroll_into_view_if_needed()
            page.mouse.move(5, 5)
            _shot(page, "planner_edit_completed")
            nb.close()
        browser.close()


if __name__ == "__main__":
    main()
