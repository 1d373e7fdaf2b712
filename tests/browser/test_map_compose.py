"""A planning map is an ordinary folium.Map: a user's own layers are drawn and listed.

A geopandas user takes ``wirgeo.planning_map(result)``, adds a ``folium.GeoJson`` or a
``FeatureGroup`` of their own (and perhaps a ``LayerControl``) and writes it with
``wirgeo.save_map``. The page must draw their layer, list it in the layer control, raise
no script error and ask the network for nothing (tiles off; Leaflet is in the file).
Layer names carry markup and template syntax: a name is shown, never run.
"""

from __future__ import annotations

import folium
import pytest
import shapely
import support

import wirgeo

pytestmark = pytest.mark.browser

OWN_NAME = "Unsere Standorte {{ 7*7 }}"


@pytest.fixture(scope="module")
def result(municipalities):
    return wirgeo.optimal_plan(municipalities, kreise=["Vogelsbergkreis"])


def own_layers(m: folium.Map, municipalities) -> None:
    """A GeoJson of two Gemeinden and a FeatureGroup with a circle, as a user adds them."""
    two = municipalities[municipalities["name"].isin(["Schotten", "Ulrichstein"])]
    folium.GeoJson(two[["name", "geometry"]].to_crs(4326).to_json(), name=OWN_NAME,
                   style_function=lambda _: {"color": "#ff00ff", "weight": 4,
                                             "className": "own-geojson"}).add_to(m)
    group = folium.FeatureGroup(name="Treffpunkte").add_to(m)
    point = shapely.get_coordinates(two.to_crs(4326).geometry.iloc[0].representative_point())
    folium.CircleMarker([point[0][1], point[0][0]], radius=8,
                        class_name="own-circle").add_to(group)


@pytest.mark.parametrize("own_control", [False, True], ids=["map-control", "own-control"])
def test_own_layers_are_drawn_and_listed_offline(browser, result, municipalities, tmp_path,
                                                 own_control):
    m = wirgeo.planning_map(result, wirgeo.MapOptions(tiles=None))
    assert type(m) is folium.Map
    own_layers(m, municipalities)
    if own_control:
        folium.LayerControl(collapsed=False).add_to(m)
    path = wirgeo.save_map(m, tmp_path / "own.html")
    context, shown, refused = support.open_refusing_everything(
        browser, path, wait_for="path.wirgeo-consortia")
    page, log = shown.page, shown.log
    try:
        assert not [e for e in log.errors if e.startswith("pageerror")], log.errors
        assert not log.errors and not log.dialogs
        assert refused == []
        # drawn: the GeoJson's two outlines and the circle, with the map's own layers
        assert page.locator("path.own-geojson").count() == 2
        assert page.locator("path.own-circle").count() == 1
        assert page.locator("path.wirgeo-consortia").count() > 0
        # listed: one layer control, with the own layers beside wirgeo's
        assert page.locator(".leaflet-control-layers").count() == 1
        names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        names = [n.strip() for n in names]
        assert OWN_NAME in names and "Treffpunkte" in names  # shown, not evaluated
        assert "Vorgeschlagene Verbünde (4)" in names, names
        # and the control works for them: off and on again
        page.locator(".leaflet-control-layers-overlays label").filter(
            has_text="Unsere Standorte").locator("input").click()
        assert page.locator("path.own-geojson").count() == 0
        page.locator(".leaflet-control-layers-overlays label").filter(
            has_text="Unsere Standorte").locator("input").click()
        assert page.locator("path.own-geojson").count() == 2
        support.screenshot(page, f"own_layers_{'own' if own_control else 'map'}_control")
    finally:
        context.close()


def test_saving_twice_gives_the_same_bytes(result, municipalities, tmp_path):
    m = wirgeo.planning_map(result, tiles=None)
    own_layers(m, municipalities)
    first = wirgeo.save_map(m, tmp_path / "a.html").read_bytes()
    assert wirgeo.save_map(m, tmp_path / "b.html").read_bytes() == first
    assert b"{{ 7*7 }}" in first and b">49<" not in first
