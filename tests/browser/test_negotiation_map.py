"""The map of two plan documents in a real browser (headless Debian chromium, offline).

Labels and document names are the planner's own text: markup must show as text and run
nothing, template syntax must show as written (folium renders its scripts as templates a
second time, so ``{{ 7*7 }}`` must not become ``49``).
"""

from __future__ import annotations

import pytest
import support

from wirgeo import maps
from wirgeo.planning import NegotiationBasis, PlanningRequest
from wirgeo.sources import Negotiation

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'
TEMPLATE = "{{ 7*7 }} {% if true %}ja{% endif %}"
FELDATAL, MUECKE, ULRICHSTEIN = "06535003", "06535013", "06535018"


@pytest.fixture(scope="module")
def drawn(municipalities, tmp_path_factory):
    a = Negotiation.from_rows([{"verbund": XSS, "ags": ags, "status": "agreed"}
                               for ags in (FELDATAL, MUECKE)])
    b = Negotiation.from_rows([{"verbund": TEMPLATE, "ags": ags, "status": "applied"}
                               for ags in (FELDATAL, MUECKE, ULRICHSTEIN)])
    comparison = NegotiationBasis.of(municipalities).compare(a, b)
    m = maps.negotiation_map(comparison, municipalities, names=(XSS, "{{ name }}.csv"))
    return maps.save_map(m, tmp_path_factory.mktemp("negotiation") / "vergleich.html")


def test_the_planners_text_is_shown_as_written_and_runs_nothing(open_map, drawn,
                                                                 municipalities):
    page = open_map(drawn, wait_for="path.wirgeo-changed")
    shown = maps.display_geometry(municipalities).set_index("ags")
    point = shown.at[ULRICHSTEIN, "geometry"].representative_point()
    page.view(point.y, point.x, 11)
    text = page.hover(point.y, point.x)
    assert "Ulrichstein" in text and "neu in einem Verbund" in text
    assert f"{TEMPLATE} (beantragt)" in text and "49" not in text
    point = shown.at[FELDATAL, "geometry"].representative_point()
    text = page.hover(point.y, point.x)
    assert f"{XSS} (vereinbart)" in text and f"in {XSS}" in text
    assert "in {{ name }}.csv" in text
    title = page.page.locator(".wirgeo-title h1").inner_text()
    assert title == f"Plan {XSS} gegenüber {{{{ name }}}}.csv: 3 Gemeinden anders platziert"
    legend = page.page.locator(".wirgeo-legend").inner_text()
    assert f"Verbünde in {XSS}" in legend and "Verbünde in {{ name }}.csv" in legend
    assert page.page.locator(".leaflet-container img[src='x']").count() == 0
    assert page.page.evaluate("window.__xss") is None
    assert page.drawn("wirgeo-plan-a") == 1 and page.drawn("wirgeo-plan-b") == 1


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_a_month_of_talks_on_the_map(open_map, municipalities, tmp_path, width, height):
    """Last month's document against this month's: the picture for docs/planner.md."""
    vogelsberg = NegotiationBasis.of(municipalities,
                                     PlanningRequest(kreise=("Vogelsbergkreis",)))
    nord = [{"verbund": "Nord", "ags": a, "status": "agreed"} for a in (FELDATAL, MUECKE)]
    alt = [{"verbund": "Alt", "ags": a, "status": "in_talks"}
           for a in ("06535006", "06535015", "06535017")]
    october = Negotiation.from_rows(nord + alt)
    november = vogelsberg.complete(Negotiation.from_rows(
        nord + [{**r, "status": "rejected"} for r in alt]
        + [{"verbund": "", "ags": "06535014", "status": "declined"}]), costs=False).document
    m = maps.negotiation_map(vogelsberg.compare(october, november), municipalities,
                             names=("Oktober", "November"))
    page = open_map(maps.save_map(m, tmp_path / "monat.html"), width=width, height=height,
                    wait_for="path.wirgeo-changed")
    assert page.drawn("wirgeo-changed") > 5
    assert page.drawn("wirgeo-plan-a") == 2 and page.drawn("wirgeo-plan-b") >= 5
    # Schwalmtal: its group was refused, and no other Verbund is left for it
    point = maps.display_geometry(municipalities).set_index("ags").at[
        "06535017", "geometry"].representative_point()
    text = page.hover(point.y, point.x)
    assert "Schwalmtal" in text and "nicht mehr im Verbund" in text
    assert "Alt (im Gespräch)" in text
    support.screenshot(page.page, f"negotiation_map_{width}x{height}")
