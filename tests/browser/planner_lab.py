"""Driving the consortium planner in a real JupyterLab: the map's view, updates, bytes.

Shared by ``test_notebook_lab.py`` (acceptance: the view survives a change, no label is
clipped, screenshots) and ``bench/bench_planner.py`` (latency and bytes per change, several
samples per control). Everything is read from the page itself: the live map's container
carries ``data-revision`` and ``data-groups`` once it has drawn a plan, and its Leaflet map
object (``wirgeoMap``) gives zoom and centre; the bytes are the websocket frames the page
receives between a change and its update.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

MAP = ".wirgeo-live-map"

#: Texts of the planner's controls (German, as the notebook starts).
CONTROL_LABELS = {"max_members": "Höchstzahl Mitglieder",
                  "combined_min": "Mindesteinwohner zusammen",
                  "same_kreis": "alle Mitglieder in einem Kreis",
                  "mutual": "alle Mitglieder grenzen aneinander"}


@dataclass
class Frames:
    """Bytes of the websocket frames the page received (kernel → browser)."""

    received: int = 0
    log: list[int] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_socket(ws) -> None:
            ws.on("framereceived", self._frame)

        page.on("websocket", on_socket)

    def _frame(self, payload) -> None:
        size = len(payload) if isinstance(payload, (bytes, str)) else 0
        if isinstance(payload, str):
            size = len(payload.encode("utf-8"))
        self.received += size


def wait_for_map(page, timeout: float = 120_000) -> None:
    """Wait until the live map has drawn its 425 Gemeinden and a plan."""
    page.wait_for_function(
        f"""() => {{
            const box = document.querySelector('{MAP}');
            return box && box.dataset.revision &&
                box.querySelectorAll('path.leaflet-interactive').length >= 425;
        }}""", timeout=timeout)


def view(page) -> dict:
    """Zoom, centre and what the Verbund layer shows, from the page's map object."""
    return page.evaluate(
        f"""() => {{
            const box = document.querySelector('{MAP}');
            const map = box.wirgeoMap;
            const c = map.getCenter();
            const outlines = [...box.querySelectorAll('path:not(.leaflet-interactive)')]
                .map(p => p.getAttribute('d')).sort().join('|');
            return {{zoom: map.getZoom(), lat: c.lat, lng: c.lng,
                     revision: Number(box.dataset.revision),
                     groups: Number(box.dataset.groups), outlines}};
        }}""")


def zoom_to(page, lat: float, lng: float, zoom: float) -> None:
    """Put the map where a planner would zoom in (no animation)."""
    page.evaluate(f"""() => document.querySelector('{MAP}').wirgeoMap.setView(
        [{lat}, {lng}], {zoom}, {{animate: false}})""")
    page.wait_for_timeout(300)  # the view is reported back to the kernel (moveend)


def gemeinde_point(page, name: str) -> list[float]:
    """Where Gemeinde ``name`` is on the page (the centre of its outline on the live map)."""
    return page.evaluate(f"""(name) => {{
        const box = document.querySelector('{MAP}');
        const layer = box.wirgeoLayers.find((l) => l.feature.properties.n === name);
        const p = box.wirgeoMap.latLngToContainerPoint(layer.getCenter());
        const r = box.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }}""", name)


def show_planner(page) -> None:
    """Scroll the notebook so the planner's top is at the top of the window."""
    page.evaluate("() => document.querySelector('.wirgeo-planner').scrollIntoView("
                  "{block: 'start'})")
    page.wait_for_timeout(200)


def table_heading(page) -> str:
    return page.locator(".wirgeo-planner h4.wirgeo-count").first.inner_text()


def control(page, name: str):
    """The input of one control, found through its visible label."""
    label = CONTROL_LABELS[name]
    if name in ("same_kreis", "mutual"):
        return page.locator(".wirgeo-planner .widget-checkbox", has_text=label).locator("input")
    box = page.locator(".wirgeo-planner .widget-vbox", has=page.locator(
        ".wirgeo-label", has_text=label)).last
    return box.locator("select" if name == "max_members" else "input")


def change(page, name: str, value, frames: Frames | None = None,
           timeout: float = 60_000) -> dict:
    """Set one control like a planner; wait until table and map are updated.

    Returns seconds until the table changed and until the map drew the new plan (from
    the input event, measured in the page), and the bytes received meanwhile.
    """
    before = view(page)
    heading = table_heading(page)
    status = page.locator(".wirgeo-status").inner_text()
    received = frames.received if frames else 0
    page.evaluate("() => { window.__wirgeoT0 = performance.now(); }")
    target = control(page, name)
    if name == "max_members":
        target.select_option(str(value))
    elif name in ("same_kreis", "mutual"):
        target.set_checked(bool(value))
    else:
        target.fill(str(value))
        target.press("Enter")
    handle = page.wait_for_function(
        f"""([revision, status]) => {{
            const box = document.querySelector('{MAP}');
            const now = performance.now();
            const s = document.querySelector('.wirgeo-status');
            if (s && s.innerText !== status && window.__wirgeoTable === undefined)
                window.__wirgeoTable = now;
            if (Number(box.dataset.revision) > revision && window.__wirgeoMap === undefined)
                window.__wirgeoMap = now;
            if (window.__wirgeoTable === undefined || window.__wirgeoMap === undefined)
                return false;
            const r = [window.__wirgeoTable - window.__wirgeoT0,
                       window.__wirgeoMap - window.__wirgeoT0];
            window.__wirgeoTable = undefined; window.__wirgeoMap = undefined;
            return r;
        }}""", arg=[before["revision"], status], timeout=timeout, polling=10)
    table_ms, map_ms = handle.json_value()
    time.sleep(0.05)  # let the last frames of this update arrive before counting
    said = re.search(r" (\d+),(\d+) s", page.locator(".wirgeo-status").inner_text())
    return {"control": name, "value": value, "table_s": table_ms / 1000,
            "kernel_s": float(f"{said.group(1)}.{said.group(2)}") if said else None,
            "map_s": map_ms / 1000, "seconds": max(table_ms, map_ms) / 1000,
            "bytes": (frames.received - received) if frames else None,
            "heading_before": heading, "heading": table_heading(page)}


def type_tag(search, text: str) -> None:
    """Type a name into a search box (Kreise, exclusions) key by key, as a planner does."""
    field = search.locator("input")
    field.click()
    field.press_sequentially(text, delay=5)


def open_file_browser(page) -> None:
    """Make sure JupyterLab's file browser is open on the left (as planners keep it)."""
    if not page.locator("#filebrowser").is_visible():
        page.locator(".jp-SideBar [data-id='filebrowser']").first.click()
        page.wait_for_selector("#filebrowser", state="visible")


def clipped_labels(page) -> list[str]:
    """Texts of the planner's labels, buttons and tabs narrower than their text."""
    return page.evaluate(
        """() => {
            const found = [];
            const els = document.querySelectorAll(
                '.wirgeo-planner label, .wirgeo-planner .wirgeo-label, ' +
                '.wirgeo-planner button, .wirgeo-planner .lm-TabBar-tabLabel, ' +
                '.wirgeo-planner .widget-label-basic span, .wirgeo-planner select, ' +
                '.wirgeo-planner summary, .wirgeo-planner .wirgeo-legend div');
            for (const el of els) {
                const text = el.innerText.trim();
                if (!text || el.offsetParent === null) continue;
                const range = document.createRange();
                range.selectNodeContents(el);
                const textWidth = range.getBoundingClientRect().width;
                const box = el.getBoundingClientRect();
                const cut = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
                if (cut || textWidth > box.width + 1) found.push(
                    `${text} (${Math.round(textWidth)} > ${Math.round(box.width)} px)`);
            }
            return found;
        }""")
