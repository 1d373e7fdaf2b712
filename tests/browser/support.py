"""Shared helpers of the browser tests: launch Debian's chromium, route the CDNs offline.

Exported folium maps load their JavaScript and CSS from public CDNs and their base map
from tile servers. The tests have no internet, so :class:`OfflineRoutes` answers every
request the page makes:

* CDN URLs from local copies of the *same* library versions, installed from the npm
  registry into ``tests/browser/node_modules`` (``make node-deps`` = ``npm ci`` with
  ``package.json`` + ``package-lock.json`` in this folder);
* the two folium assets that are not on npm with a minimal, clearly marked substitute;
* tile requests with one blank 256×256 PNG;
* pages the test serves itself (``serve(url, path)``).

Anything else is answered with an abort and recorded in ``unrouted``; tests assert that
list is empty, so a new CDN dependency fails loudly instead of silently rendering half a
map. The notebook (JupyterLab) tests reuse all of this through the fixtures in
``conftest.py``.
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"

CHROMIUM = Path(os.environ.get("WIRGEO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

#: CDN files and folders -> their place in node_modules. The versions in these URLs are
#: the ones folium's and branca's templates reference; ``test_assets.py`` checks them
#: against the installed folium and the package.json of each npm package.
CDN_FILES = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    # cdnjs flattens the plugin's js/ and css/ folders; the npm mirror keeps them apart.
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.js": "drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.css":
        "drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css",
}
CDN_FOLDERS = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/": "leaflet/",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/": "bootstrap/",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/":
        "@fortawesome/fontawesome-free/",
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/": "d3/",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/images/":
        "drmonty-leaflet-awesome-markers/css/images/",
}
#: npm package -> the version the CDN URLs above name (must equal node_modules' version).
NPM_VERSIONS = {"leaflet": "1.9.3", "bootstrap": "5.2.2", "@fortawesome/fontawesome-free":
                "6.2.0", "jquery": "3.7.1", "d3": "3.5.5",
                "drmonty-leaflet-awesome-markers": "2.0.2"}

#: Assets folium references that are on no npm package in that version. They only style
#: Bootstrap-3 glyph icons and rotated awesome-markers, which no wirgeo map uses; the
#: tests serve an empty stylesheet that says what it stands in for.
SUBSTITUTES = {
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css":
        "bootstrap-glyphicons.css 3.0.0 (Bootstrap 3 RC glyph icons; not on npm)",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css":
        "leaflet.awesome.rotate.min.css (folium's GitHub repository; not on npm)",
}

# Hosts of the tile servers folium/xyzservices use; any image under them gets the blank.
TILE_HOSTS = re.compile(r"(^|\.)(tile\.openstreetmap\.org|openstreetmap\.(fr|de)|"
                        r"basemaps\.cartocdn\.com|geodatenzentrum\.de|arcgisonline\.com|"
                        r"tile\.opentopomap\.org|stadiamaps\.com)$")

CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png",
                 ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
                 ".svg": "image/svg+xml", ".eot": "application/vnd.ms-fontobject",
                 ".html": "text/html; charset=utf-8", ".map": "application/json",
                 ".json": "application/json"}


def blank_tile(size: int = 256) -> bytes:
    """A fully transparent ``size``×``size`` PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00" * (4 * size) for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


BLANK_TILE = blank_tile()


def cdn_file(url: str) -> Path | None:
    """The local npm file for a CDN URL, or None when no CDN package covers it."""
    clean = url.split("?", 1)[0].split("#", 1)[0]
    if clean in CDN_FILES:
        return NODE_MODULES / CDN_FILES[clean]
    for prefix, folder in CDN_FOLDERS.items():
        if clean.startswith(prefix):
            return NODE_MODULES / folder / clean[len(prefix):]
    return None


def check_node_modules() -> None:
    """Fail with the fix when the npm copies are not installed."""
    missing = [p for p in NPM_VERSIONS if not (NODE_MODULES / p / "package.json").is_file()]
    if missing:
        raise RuntimeError(f"npm packages missing in {NODE_MODULES}: {', '.join(missing)}. "
                           "Run `make node-deps` (npm ci in tests/browser).")


@dataclass
class OfflineRoutes:
    """Answers every request of a page from local files; records what it could not.

    Use with Playwright: ``page.route("**/*", routes.handle)``.
    """

    pages: dict[str, Path | str] = field(default_factory=dict)
    served: list[tuple[str, str]] = field(default_factory=list)
    unrouted: list[str] = field(default_factory=list)
    #: Hosts whose requests go through unchanged (a local JupyterLab server).
    local_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")

    def serve(self, url: str, content: Path | str) -> str:
        """Serve ``content`` (a file, or HTML text) at ``url``; return the URL."""
        self.pages[url] = content
        return url

    def handle(self, route) -> None:
        url = route.request.url
        if url in self.pages:
            content = self.pages[url]
            body = content.read_bytes() if isinstance(content, Path) else content.encode()
            self.served.append((url, "page"))
            route.fulfill(status=200, body=body, headers={
                "content-type": CONTENT_TYPES[".html"]})
            return
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in self.local_hosts:
            route.continue_()
            return
        local = cdn_file(url)
        if local is not None and local.is_file():
            self.served.append((url, str(local.relative_to(NODE_MODULES))))
            route.fulfill(status=200, body=local.read_bytes(), headers={
                "content-type": CONTENT_TYPES.get(local.suffix, "application/octet-stream"),
                "access-control-allow-origin": "*"})
            return
        clean = url.split("?", 1)[0]
        if clean in SUBSTITUTES:
            self.served.append((url, "substitute"))
            route.fulfill(status=200, headers={"content-type": "text/css"},
                          body=f"/* wirgeo test substitute for {SUBSTITUTES[clean]} */\n")
            return
        host = urlparse(url).hostname or ""
        if TILE_HOSTS.search(host):
            self.served.append((url, "blank tile"))
            route.fulfill(status=200, body=BLANK_TILE, headers={"content-type": "image/png"})
            return
        self.unrouted.append(url)
        route.abort()


def launch(playwright):
    """Launch Debian's chromium headless (never a downloaded browser)."""
    if not CHROMIUM.is_file():
        raise RuntimeError(f"chromium not found at {CHROMIUM}. Run `make browser-deps` "
                           "(apt-get install chromium) or set WIRGEO_CHROMIUM.")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


@dataclass
class PageLog:
    """Console errors, uncaught exceptions and dialogs of one page."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda msg: self.errors.append(f"console: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

        def dialog(d):
            self.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)


def screenshot(page, name: str) -> Path:
    """Write a PNG of the page into artifacts/browser/ (git-ignored); return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


PAGE_URL = "http://wirgeo.test/map.html"


class MapPage:
    """A folium map opened offline in a page, with helpers to look at it like a user."""

    def __init__(self, page, log: PageLog, routes: OfflineRoutes):
        self.page = page
        self.log = log
        self.routes = routes
        # folium names the map variable map_<id>; find it instead of guessing the id.
        self.map_name = page.evaluate("""() => Object.keys(window).find(
            k => k.startsWith('map_') && window[k] instanceof L.Map)""")

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def drawn(self, css_class: str) -> int:
        """Number of SVG paths of a layer that have geometry on screen."""
        return self.page.evaluate("""(cls) => Array.from(document.querySelectorAll(
            'path.' + cls)).filter(p => (p.getAttribute('d') || '').length > 4).length""",
                                  css_class)

    def view(self, lat: float, lon: float, zoom: float) -> None:
        # (braces: return nothing — serialising the returned L.Map takes seconds)
        self.page.evaluate("([key, lat, lon, zoom]) => { window[key].setView([lat, lon], zoom,"
                           " {animate: false}); }", [self.map_name, lat, lon, zoom])

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """Page coordinates of a place on the map."""
        return tuple(self.page.evaluate("""([key, lat, lon]) => {
            const map = window[key];
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""", [self.map_name, lat, lon]))

    def hover(self, lat: float, lon: float) -> str:
        """Move the mouse to a place; return the text of the tooltip that opens."""
        self.page.mouse.move(0, 0)
        x, y = self.point(lat, lon)
        self.page.mouse.move(x, y)
        tooltip = self.page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last
        tooltip.wait_for(state="visible", timeout=5000)
        return tooltip.inner_text()

    def click(self, lat: float, lon: float) -> str:
        """Click a place; return the text of the popup that opens."""
        x, y = self.point(lat, lon)
        self.page.mouse.click(x, y)
        popup = self.page.locator(".leaflet-popup-content").last
        popup.wait_for(state="visible", timeout=5000)
        return popup.inner_text()

    def toggle_layer(self, title_start: str) -> None:
        """Click the layer control's checkbox of the layer whose title starts so."""
        self.page.locator(".leaflet-control-layers-overlays label").filter(
            has_text=title_start).locator("input").click()


def open_map(browser, content: Path | str, *, width: int = 1200, height: int = 900,
             wait_for: str | None = None):
    """Open a map page offline in a new browser context; return (MapPage, context).

    ``wait_for`` is a CSS selector that must exist before the page counts as drawn.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog()
    log.attach(page)
    routes = OfflineRoutes()
    page.route("**/*", routes.handle)
    page.goto(routes.serve(PAGE_URL, content), wait_until="load")
    if wait_for:
        page.wait_for_selector(wait_for, state="attached", timeout=15000)
    return MapPage(page, log, routes), context


def open_refusing_everything(browser, path: Path, *, wait_for: str):
    """Open the file ``path`` with no network at all: every other request is aborted.

    Returns (context, MapPage, refused URLs); ``wait_for`` is a CSS selector that must
    exist before the page counts as drawn.
    """
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log = PageLog()
    log.attach(page)
    refused: list[str] = []

    def handle(route):
        if route.request.url == PAGE_URL:
            route.fulfill(status=200, body=path.read_bytes(),
                          headers={"content-type": "text/html; charset=utf-8"})
        elif route.request.url.startswith("data:"):
            route.continue_()  # inline images of the file itself, not a request
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    page.goto(PAGE_URL, wait_until="load")
    page.wait_for_selector(wait_for, state="attached", timeout=15000)
    return context, MapPage(page, log, OfflineRoutes()), refused
