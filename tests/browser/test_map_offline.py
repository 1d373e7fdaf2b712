"""The exported map with no network at all: every request but the file itself refused.

Planners e-mail the HTML map to colleagues whose networks block CDNs and tile servers.
Unlike the other browser tests (which answer CDN requests from npm copies), this page
gets nothing: the map must carry Leaflet inside, draw every layer, legend and tooltip,
and say politely that the base map is missing.
"""

from __future__ import annotations

import pytest
import support

from wirgeo import maps

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_map(municipalities, planning, tmp_path_factory):
    """The full Hessen map as `wirgeo map` writes it: inline library, OSM tiles."""
    path = tmp_path_factory.mktemp("offline") / "hessen.html"
    return maps.save_map(maps.planning_map(municipalities, **maps.tables_of(planning)), path)


def test_offline_map_draws_everything(browser, offline_map, municipalities, planning):
    context, page, refused = support.open_refusing_everything(
        browser, offline_map, wait_for="path.wirgeo-eligibility")
    try:
        assert page.map_name  # Leaflet is defined: it came from the file
        assert page.count("path.wirgeo-eligibility") == len(municipalities) == 425
        assert page.drawn("wirgeo-eligibility") == 425
        consortia = planning.plan.consortia
        members = sum(len(s) for s in consortia["member_ags"])
        assert page.count("path.wirgeo-consortia") == members
        assert page.count("path.wirgeo-consortia-outline") > 0
        legend = page.page.locator(".wirgeo-legend")
        assert legend.is_visible() and "Verbünde" in legend.inner_text()
        # only tiles were asked for, and their absence is said on the map
        assert refused and all("tile.openstreetmap.org" in url for url in refused)
        page.page.wait_for_selector(".wirgeo-tile-note", timeout=5000)
        assert "Hintergrundkarte" in page.page.locator(".wirgeo-tile-note").inner_text()
        # tooltips work: hover a Verbund member
        group = consortia.iloc[0]
        shown = maps.display_geometry(municipalities).set_index("ags")
        first = group["member_ags"][0]
        point = shown.at[first, "geometry"].representative_point()
        page.view(point.y, point.x, 11)
        assert shown.at[first, "name"] in page.hover(point.y, point.x)
        support.screenshot(page.page, "offline_map")
        # the failed tiles are the only console errors; no script error at all
        assert not [e for e in page.log.errors if e.startswith("pageerror")]
        assert not [e for e in page.log.errors if "ERR_FAILED" not in e
                    and "Failed to load resource" not in e]
    finally:
        context.close()
