"""The exported planning map in a real browser (headless Debian chromium, offline).

Every page is opened through ``support.OfflineRoutes``: the CDN libraries come from
npm copies, tiles are blank, and the ``open_map`` fixture fails the test on any request
it could not answer, on console errors and on dialogs.
"""

from __future__ import annotations

import itertools

import folium
import pandas as pd
import pytest
import support

from wirgeo import maps
from wirgeo.core.i18n import speaking
from wirgeo.vocabulary import ELIGIBILITY
from wirgeo.wording import reason_text

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


@pytest.fixture(scope="module")
def frames(planning):
    """The real thematic tables: eligibility, centres, grantees, the optimal plan."""
    return maps.tables_of(planning)


@pytest.fixture(scope="module")
def shown(municipalities):
    return maps.display_geometry(municipalities).set_index("ags")


@pytest.fixture(scope="module")
def full_map(municipalities, frames, tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "hessen_planning_map.html"
    return maps.save_map(maps.planning_map(municipalities, **frames), path)


def inside(shown, ags):
    """A point inside a Gemeinde's drawn polygon: (lat, lon)."""
    point = shown.at[ags, "geometry"].representative_point()
    return point.y, point.x


def test_full_map_draws_every_gemeinde_and_layer(open_map, full_map, municipalities,
                                                 frames):
    page = open_map(full_map, wait_for="path.wirgeo-eligibility")
    assert page.count("path.wirgeo-eligibility") == len(municipalities) == 425
    assert page.drawn("wirgeo-eligibility") == 425  # all on screen at the fitted view
    assert page.count("path.wirgeo-population") == 0  # alternative layer starts off
    members = sum(len(s) for s in frames["consortia"]["member_ags"])
    assert page.count("path.wirgeo-consortia") == members
    assert page.count("path.wirgeo-unplaced") == len(frames["unplaced"])
    assert page.count("path.wirgeo-grantees") == frames["grantees"]["ags"].nunique()
    assert page.count("path.wirgeo-centres") == len(frames["centres"]) == 33
    assert page.count(".wirgeo-kreis") == municipalities["kreis_ags"].nunique()
    assert page.page.locator(".wirgeo-title h1").inner_text().endswith("Planungskarte Hessen")
    assert "6.420.729 Einwohner" in page.page.locator(".wirgeo-title p").inner_text()
    shot = support.screenshot(page.page, "planning_map")
    assert shot.stat().st_size > 20_000
    # Leaflet is inside the file: nothing but tiles was asked for
    assert {local for _, local in page.routes.served} <= {"page", "blank tile"}


def test_cdn_variant_loads_only_leaflet(open_map, municipalities, frames, tmp_path):
    path = maps.save_map(maps.planning_map(municipalities, kreise=["Kassel"], library="cdn",
                                           tiles=None, **frames), tmp_path / "cdn.html")
    page = open_map(path, wait_for="path.wirgeo-eligibility")
    cdn = [local for url, local in page.routes.served if local.startswith("leaflet/")]
    assert sorted(cdn) == ["leaflet/dist/leaflet.css", "leaflet/dist/leaflet.js"]


def test_attribution_with_dates_is_visible(open_map, full_map):
    page = open_map(full_map, wait_for="path.wirgeo-eligibility")
    attribution = page.page.locator(".leaflet-control-attribution")
    assert attribution.is_visible()
    text = attribution.inner_text()
    for part in ("OpenStreetMap", "GeoBasis-DE / BKG", "Destatis",
                 "Grenzen Stand 01.01.2016", "Bevölkerung Stand 31.12.2023"):
        assert part in text
    box = attribution.bounding_box()
    assert box["y"] + box["height"] <= 900 and box["x"] >= 0  # inside the viewport


def test_hovering_a_gemeinde_shows_name_and_population(open_map, full_map, shown, frames):
    page = open_map(full_map, wait_for="path.wirgeo-eligibility")
    elig = frames["eligibility"]
    # a Gemeinde eligible alone, in no Verbund and not a grantee: only its own tooltip
    row = elig[(elig["eligibility"] == "eligible_single") & ~elig["funded"]].iloc[0]
    lat, lon = inside(shown, row["ags"])
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    assert row["name"] in text and f"{row['population']:,}".replace(",", ".") in text
    assert ELIGIBILITY.label(row["eligibility"]) == "Einzelantrag möglich"
    assert ELIGIBILITY.label(row["eligibility"]) in text and row["centre_name"] in text


def test_switching_a_layer_off_hides_it_and_its_legend(open_map, full_map, frames):
    page = open_map(full_map, wait_for="path.wirgeo-consortia")
    members = page.count("path.wirgeo-consortia")
    legend = page.page.locator('.wirgeo-legend section[data-layer="consortia"]')
    assert members > 0 and legend.is_visible()
    page.toggle_layer("Vorgeschlagene Verbünde")
    assert page.count("path.wirgeo-consortia") == 0
    assert page.count("path.wirgeo-consortia-outline") == 0
    assert not legend.is_visible()
    page.toggle_layer("Vorgeschlagene Verbünde")
    assert page.count("path.wirgeo-consortia") == members and legend.is_visible()
    # switching the alternative population layer on draws every Gemeinde again
    page.toggle_layer("Gemeinden: Einwohnerzahl")
    assert page.count("path.wirgeo-population") == 425
    assert page.page.locator('.wirgeo-legend section[data-layer="population"]').is_visible()


def test_consortium_tooltip_lists_its_members(open_map, full_map, frames, shown):
    page = open_map(full_map, wait_for="path.wirgeo-consortia")
    group = frames["consortia"][frames["consortia"]["n_members"] == 3].iloc[0]
    members = list(group["member_ags"])
    lat, lon = inside(shown, members[0])
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    assert group["consortium_id"] in text
    for ags in members:
        assert shown.at[ags, "name"] in text
    assert f"{group['population']:,}".replace(",", ".") in text


def test_hover_names_the_gemeinde_under_the_cursor_first(open_map, full_map, frames, shown):
    page = open_map(full_map, wait_for="path.wirgeo-consortia")
    group = frames["consortia"][frames["consortia"]["n_members"] == 3].iloc[1]
    for ags in group["member_ags"]:
        lat, lon = inside(shown, ags)
        page.view(lat, lon, 11)
        lines = page.hover(lat, lon).splitlines()
        # first row: this Gemeinde; its Verbund comes after
        assert lines[0].split("\t")[-1].strip() == shown.at[ags, "name"]
        verbund = next(i for i, line in enumerate(lines) if group["consortium_id"] in line)
        assert verbund > 0


def test_tooltip_near_the_top_edge_stays_on_screen(open_map, full_map, shown):
    page = open_map(full_map, width=1366, height=768, wait_for="path.wirgeo-eligibility")
    north = shown.geometry.bounds["maxy"].idxmax()  # the northernmost Gemeinde
    lat, lon = inside(shown, north)
    page.view(lat, lon, 10)
    x, y = page.point(lat, lon)
    # move the map so that Gemeinde sits 15 px below the top edge, then hover it
    page.page.evaluate("([key, dy]) => { window[key].panBy([0, dy], {animate: false}); }",
                       [page.map_name, y - 15])
    page.hover(lat, lon)
    box = page.page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= 1366


def test_unplaced_tooltip_gives_the_reason(open_map, full_map, frames, shown):
    page = open_map(full_map, wait_for="path.wirgeo-unplaced")
    row = frames["unplaced"].iloc[0]
    lat, lon = inside(shown, row["ags"])
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    reason = reason_text(row["reason_code"], row["reason_figures"])
    with speaking("en"):
        assert reason_text(row["reason_code"], row["reason_figures"]) != reason  # German
    assert row["name"] in text and reason in text


def test_kreis_selection_draws_only_the_selection(open_map, municipalities, frames,
                                                  tmp_path):
    path = maps.save_map(maps.planning_map(municipalities, kreise=["Landkreis Kassel"],
                                           tiles=None, **frames), tmp_path / "kassel.html")
    page = open_map(path, wait_for="path.wirgeo-eligibility")
    expected = int((municipalities["kreis_name"] == "Landkreis Kassel").sum())
    assert page.count("path.wirgeo-eligibility") == expected
    assert page.drawn("wirgeo-eligibility") == expected
    assert not [u for u, how in page.routes.served if how == "blank tile"]  # no tiles
    support.screenshot(page.page, "planning_map_landkreis_kassel")


def test_centre_popup_shows_organisation_and_source(open_map, full_map, frames):
    page = open_map(full_map, wait_for="path.wirgeo-centres")
    centres = frames["centres"].to_crs(4326)  # the table is in EPSG:25832
    centre = centres[centres["street"] != ""].iloc[0]
    page.view(centre.geometry.y, centre.geometry.x, 12)
    text = page.click(centre.geometry.y, centre.geometry.x)
    assert centre["name"] in text and centre["organisation"] in text
    precision = ("Adresse" if centre["location_precision"] == "address"
                 else "Ortsmitte")
    assert centre["street"] in text and precision in text
    link = page.page.locator(".leaflet-popup-content a").last
    assert link.get_attribute("href") == centre["source_url"]
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_html_in_data_is_shown_as_text_and_runs_no_script(open_map, municipalities, frames,
                                                          tmp_path):
    mun = municipalities.copy()
    mun.attrs = dict(municipalities.attrs)
    unplaced = frames["unplaced"].iloc[[0]].assign(reason=XSS)
    ags = unplaced["ags"].iloc[0]
    mun.loc[mun["ags"] == ags, "name"] = XSS
    centres = frames["centres"].to_crs(4326)
    first = centres.index[0]
    centres.loc[first, "name"] = XSS
    centres.loc[first, "source_url"] = "javascript:window.__xss=1"
    eligibility = frames["eligibility"].assign(centre_name=XSS)
    # a funding round the vocabulary does not know is named as written, in the legend too
    grantees = frames["grantees"].iloc[[0]].assign(round=XSS)
    m = maps.planning_map(mun, eligibility=eligibility, centres=centres, unplaced=unplaced,
                          grantees=grantees, title=XSS)
    page = open_map(maps.save_map(m, tmp_path / "xss.html"),
                    wait_for="path.wirgeo-eligibility")
    shown = maps.display_geometry(mun).set_index("ags")
    lat, lon = inside(shown, ags)
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    assert text.count(XSS) == 2  # the name, and the reason, shown as text
    page.toggle_layer("Kleine Gemeinden ohne Verbund")
    text = page.hover(lat, lon)
    assert text.count(XSS) == 2  # the eligibility tooltip: name and serving centre
    centre = centres.iloc[0].geometry
    page.view(centre.y, centre.x, 12)
    popup = page.click(centre.y, centre.x)
    assert XSS in popup and "javascript:window.__xss=1" in popup
    assert page.count(".leaflet-popup-content a") == 0  # no link made of it
    assert XSS in page.page.locator(".wirgeo-title h1").inner_text()
    assert XSS in page.page.locator(".wirgeo-legend").inner_text()
    assert page.page.locator(".leaflet-container img[src='x']").count() == 0
    assert page.page.evaluate("window.__xss") is None
    assert page.log.dialogs == []


def test_default_folium_assets_are_all_routed_offline(open_map, municipalities):
    """Maps other code builds with folium's defaults (e.g. notebooks) work offline too."""
    m = municipalities.head(12).explore(column="population", tooltip=["name"])
    folium.Marker([50.5, 9.0], icon=folium.Icon(icon="info-sign", color="red")).add_to(m)
    folium.Marker([50.6, 9.1], icon=folium.Icon(icon="star", prefix="fa")).add_to(m)
    page = open_map(m.get_root().render(), wait_for=".awesome-marker")
    requested = {url for url, _ in page.routes.served}
    urls = [u for _, u in folium.Map.default_js + folium.Map.default_css]
    assert set(urls) <= requested
    assert any(how == "substitute" for _, how in page.routes.served)
    assert page.count("[class*=awesome-marker-icon-]") == 2  # icons, not their shadows
    assert page.count("path.leaflet-interactive") == 12


def test_cli_map_renders(open_map, run_cli, tmp_path, municipalities):
    """The acceptance run: the real planning map with every layer, from the command line."""
    out = tmp_path / "hessen_planning_map.html"
    code, stdout, stderr = run_cli("map", "--out", out)
    assert code == 0, stderr
    assert "(optimal)" in stdout
    assert out.stat().st_size <= 1_500_000
    page = open_map(out, wait_for="path.wirgeo-eligibility")
    assert page.drawn("wirgeo-eligibility") == len(municipalities)
    assert run_cli("consortia", "--out", tmp_path / "c.csv")[0] == 0
    consortia = pd.read_csv(tmp_path / "c.csv")
    assert page.drawn("wirgeo-consortia") == consortia["n_members"].sum()
    assert page.count(".wirgeo-centres") == 33
    assert page.drawn("wirgeo-unplaced") > 0
    titles = page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for title in ("KIV-Förderfähigkeit", "Verbünde", "ohne Verbund", "Geförderte",
                  "WIR-Vielfaltszentren", "Kreise"):
        assert any(title in t for t in titles), title
    assert any(how == "blank tile" for _, how in page.routes.served)  # base map requested
    attribution = page.page.locator(".leaflet-control-attribution").inner_text()
    assert "GeoBasis-DE / BKG" in attribution and "31.12.2023" in attribution


def test_kreis_view_names_every_gemeinde_without_overlaps(open_map, municipalities, frames,
                                                          tmp_path):
    path = maps.save_map(maps.planning_map(municipalities, kreise=["Vogelsbergkreis"],
                                           tiles=None, **frames), tmp_path / "vb.html")
    page = open_map(path, width=1366, height=768, wait_for="path.wirgeo-eligibility")
    page.page.wait_for_timeout(300)  # the labels are decluttered after the first draw
    shown = page.page.evaluate("""() => Array.from(document.querySelectorAll(
        '.wirgeo-name span, .wirgeo-verbund-id span')).filter(s =>
        s.offsetParent !== null && !s.classList.contains('wirgeo-hidden')).map(s => {
            const r = s.getBoundingClientRect();
            return [s.textContent, r.left, r.top, r.right, r.bottom]; })""")
    names = {text for text, *_ in shown}
    vogelsberg = municipalities[municipalities["kreis_name"] == "Vogelsbergkreis"]
    assert set(vogelsberg["name"]) <= names  # all at Kreis zoom
    for (_, *a), (_, *b) in itertools.combinations(shown, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_template_syntax_and_markup_in_every_field_show_as_text(open_map, municipalities,
                                                                frames, planning, tmp_path):
    """Issue 19: every text field of the map holds TRAP; it shows as written, nothing runs."""
    import dataclasses

    from hostile import EVALUATED, FILE_TRAP, hostile_tables, trap

    from wirgeo.planning import RunRecord

    mun, tables, places = hostile_tables(municipalities, frames)
    record = dataclasses.replace(RunRecord.of(planning), rules_file=f"{FILE_TRAP}.toml",
                                 scenario=trap("scenario"))
    m = maps.planning_map(mun, record=record, title=trap("title"), **tables)
    page = open_map(maps.save_map(m, tmp_path / f"{FILE_TRAP}.html"),
                    wait_for="path.wirgeo-eligibility")
    shown = maps.display_geometry(mun).set_index("ags")
    seen = []
    for ags in (places["unplaced"], places["member"]):
        lat, lon = inside(shown, ags)
        page.view(lat, lon, 11)
        page.hover(lat, lon)
        seen.append(page.page.locator(".leaflet-tooltip-pane").inner_text())
    assert all(trap(f) in seen[0] for f in ("name", "reason", "code", "kreis")), seen[0]
    assert trap("member") in seen[1] and trap("ckreis").replace(";", ", ") in seen[1]
    page.toggle_layer("Kleine Gemeinden ohne Verbund")
    page.toggle_layer("Vorgeschlagene Verbünde")
    lat, lon = inside(shown, places["unplaced"])
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    # the class label is the catalog's word for the class code (no text path from data)
    assert trap("centre") in text and trap("name") in text and "nur im Verbund" in text
    lat, lon = inside(shown, places["grantee"])
    page.view(lat, lon, 11)
    text = page.click(lat, lon)
    for field in ("project", "round", "years", "consortium_id"):
        assert trap(field) in text, field
    assert "javascript:window.__pwned=1" in text
    assert page.count(".leaflet-popup-content a") == 0  # no link made of javascript:
    centre = tables["centres"].to_crs(4326).iloc[0].geometry
    page.view(centre.y, centre.x, 12)
    text = page.click(centre.y, centre.x)
    for field in ("name", "organisation", "street", "postcode", "town"):
        assert trap(field) in text, field
    link = page.page.locator(".leaflet-popup-content a").last
    assert link.get_attribute("href") == "https://example.org/?q={{7*7}}&x=<b>"
    assert page.page.locator(".wirgeo-title h1").inner_text() == trap("title")
    assert page.page.title() == trap("title")
    page.page.locator(".wirgeo-info summary").click()
    info = page.page.locator(".wirgeo-info").inner_text()
    assert f"{FILE_TRAP}.toml" in info and trap("scenario") in info
    assert trap("kreis") in page.page.locator(".wirgeo-kreis").all_inner_texts()
    assert EVALUATED not in page.page.content()
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.locator("img[src='x']").count() == 0
    assert page.log.dialogs == [] and page.log.errors == []


def test_foreign_share_layer_switches_on_with_legend_and_tooltip(open_map, full_map, shown,
                                                                 municipalities):
    page = open_map(full_map, wait_for="path.wirgeo-eligibility")
    assert page.count("path.wirgeo-foreign-share") == 0  # off by default
    legend = page.page.locator('.wirgeo-legend section[data-layer="foreign_share"]')
    assert not legend.is_visible()
    page.toggle_layer("Gemeinden: Ausländeranteil (Zensus 2022)")
    assert page.count("path.wirgeo-foreign-share") == 425
    assert legend.is_visible() and "25% und mehr" in legend.inner_text()
    page.toggle_layer("Gemeinden: KIV-Förderfähigkeit")   # the classes would cover it
    page.toggle_layer("Vorgeschlagene Verbünde")
    row = municipalities.set_index("name").loc["Alsfeld"]
    lat, lon = inside(shown, row["ags"])
    page.view(lat, lon, 11)
    text = page.hover(lat, lon)
    assert "Alsfeld" in text and "11,5%" in text and "1.757" in text
    assert "Ausländerbeirat (§ 84 HGO)" in text and "Schätzung" in text
    support.screenshot(page.page, "foreign_share_layer")
