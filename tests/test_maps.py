"""Planning maps on the real Hessen data: display geometry, layers, escaping, export, CLI.

The thematic tables are the real ones (:func:`wirgeo.planning.build`: eligibility, centres,
grantees, the optimal Verbund plan). What the page does in a browser is tested in
``tests/browser``.
"""

from __future__ import annotations

import dataclasses
import html as html_module
import json
import re

import folium
import numpy as np
import pandas as pd
import pytest
import shapely
from hostile import EVALUATED, FILE_TRAP, MARKUP, hostile_tables, trap

from wirgeo import maps
from wirgeo.errors import ArgumentError, InputError
from wirgeo.maps import styles
from wirgeo.maps._html import _link
from wirgeo.vocabulary import ELIGIBILITY, OUTCOMES

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


@pytest.fixture(scope="module")
def shown(municipalities):
    return maps.display_geometry(municipalities)


@pytest.fixture(scope="module")
def frames(planning):
    """The real thematic tables: eligibility, centres, grantees, the optimal plan."""
    return maps.tables_of(planning)


@pytest.fixture(scope="module")
def full_html(municipalities, frames, tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "hessen.html"
    maps.save_map(maps.planning_map(municipalities, **frames), path)
    return path.read_text(encoding="utf-8")


def shared_features(html: str) -> dict:
    """The FeatureCollections written into the page, by variable name."""
    return {name: json.loads(data)
            for name, data in re.findall(r"var (features_\d+) = (.*);\n", html)}


def gemeinden(html: str) -> list[dict]:
    """The features of the shared Gemeinden collection (the one with Kreis names)."""
    found = [data["features"] for data in shared_features(html).values()
             if any("kreis" in f["properties"] for f in data["features"])]
    assert len(found) == 1
    return found[0]


# ------------------------------------------------------------- display geometry


def test_display_geometry_is_a_valid_coverage_without_gaps(municipalities, shown):
    assert municipalities.is_valid_coverage()  # the source is a clean coverage
    assert shown.crs.to_epsg() == 4326
    assert len(shown) == len(municipalities)
    assert shown.is_valid.all() and not shown.is_empty.any()
    # No overlaps, and no gap narrower than 1e-4° (~10 m) anywhere: a sliver opened by
    # simplification or rounding would be reported as an invalid edge.
    assert shown.is_valid_coverage(gap_width=1e-4)
    assert shown.invalid_coverage_edges(gap_width=1e-4).is_empty.all()
    union = shapely.union_all(shown.geometry.to_numpy())
    # planar degrees are fine here: only equality of the two sums matters
    areas = shapely.area(shown.geometry.to_numpy())
    assert union.area == pytest.approx(areas.sum(), rel=1e-9)


def test_display_geometry_keeps_every_adjacency(municipalities, shown):
    full = municipalities.geometry.to_numpy()
    thin = shown.geometry.to_numpy()
    left, right = shapely.STRtree(full).query(full, predicate="intersects")
    pairs = [(a, b) for a, b in zip(left, right, strict=True) if a < b]
    assert len(pairs) > 1000
    for a, b in pairs:
        assert shapely.intersects(thin[a], thin[b]), (municipalities.name[a],
                                                      municipalities.name[b])
        assert shapely.intersection(thin[a], thin[b]).area == 0


def test_display_geometry_rounds_simplifies_and_leaves_the_input_alone(municipalities):
    before = municipalities.copy()
    shown = maps.display_geometry(municipalities, tolerance_m=200)
    coords = shapely.get_coordinates(shown.geometry.to_numpy())
    assert np.abs(coords * 1e5 - np.round(coords * 1e5)).max() < 1e-6
    assert maps.vertex_count(shown) < 0.4 * maps.vertex_count(municipalities)
    assert municipalities.crs == before.crs
    assert municipalities.geometry.geom_equals_exact(before.geometry, 0).all()
    pd.testing.assert_frame_equal(municipalities.drop(columns="geometry"),
                                  before.drop(columns="geometry"))
    assert shown.attrs["display_tolerance_m"] == 200
    assert shown.attrs["population_date"] == municipalities.attrs["population_date"]


def test_tolerance_controls_the_simplification(municipalities):
    counts = [maps.vertex_count(maps.display_geometry(municipalities, t))
              for t in (0, 100, 400)]
    assert counts[0] > counts[1] > counts[2]
    # tolerance 0 only reprojects and rounds (rounding merges a few repeated points)
    assert counts[0] >= 0.95 * maps.vertex_count(municipalities)


@pytest.mark.parametrize("bad", [-1, float("nan"), "50", True])
def test_bad_tolerance_is_an_input_error(english, municipalities, bad):
    with pytest.raises(InputError, match="tolerance"):
        maps.display_geometry(municipalities, bad)
    with pytest.raises(ArgumentError, match="argument 'tolerance_m'"):
        maps.MapOptions(tolerance_m=bad)


def test_display_geometry_needs_metres(english, municipalities):
    with pytest.raises(InputError, match="projected CRS"):
        maps.display_geometry(municipalities.to_crs(4326))


# ---------------------------------------------------------------------- map


def test_planning_map_has_every_layer_legend_and_attribution(municipalities, frames,
                                                             full_html):
    m = maps.planning_map(municipalities, **frames)
    assert isinstance(m, folium.Map)
    groups = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert groups == [  # German by default
        "Gemeinden: KIV-Förderfähigkeit", "Gemeinden: Einwohnerzahl",
        "Gemeinden: Ausländeranteil (Zensus 2022)",
        f"Vorgeschlagene Verbünde ({len(frames['consortia'])})",
        f"Kleine Gemeinden ohne Verbund ({len(frames['unplaced'])})",
        f"KIV-Geförderte ({frames['grantees']['ags'].nunique()})",
        f"WIR-Vielfaltszentren ({len(frames['centres'])})", "Kreise", "Regierungsbezirke",
        "Namen der Gemeinden"]
    assert "L.control.layers" in full_html
    for section in ("eligibility", "population", "foreign_share", "consortia", "unplaced",
                    "grantees", "centres"):
        assert f'data-layer=\\"{section}\\"' in full_html
    # (the last call: Leaflet's own source, inside the page, names the method too)
    attribution = re.findall(r"addAttribution\((.*)\);", full_html)[-1]
    text = json.loads(attribution)
    for part in ("GeoBasis-DE / BKG", "Destatis", "Grenzen Stand 01.01.2016",
                 "Bevölkerung Stand 31.12.2023",
                 "Statistische Ämter des Bundes und der Länder, Zensus 2022 (15.05.2022)"):
        assert part in text
    # nothing is loaded from a CDN: Leaflet is inside the page
    assert re.findall(r'<script src="([^"]+)"', full_html) == []
    assert re.findall(r'<link[^>]+href="([^"]+)"', full_html) == []


def test_the_page_carries_leaflet_and_stays_in_budget(municipalities, frames, full_html):
    from wirgeo.maps import _library

    # written verbatim into <script>/<style>: neither file may close its element early
    assert "</script" not in _library.leaflet_js().lower()
    assert "</style" not in _library.leaflet_css().lower()
    assert _library.leaflet_js() in full_html and _library.leaflet_css() in full_html
    assert len(full_html.encode()) <= 1_500_000  # the budget for all of Hessen
    cdn = maps.planning_map(municipalities, kreise=["Kassel"], library="cdn", **frames)
    html = cdn.get_root().render()
    assert re.findall(r'<script src="([^"]+)"', html) == [_library.LEAFLET_CDN_JS]
    assert _library.leaflet_js() not in html
    with pytest.raises(ArgumentError, match="Argument 'library'"):
        maps.MapOptions(library="offline")


def test_every_gemeinde_is_drawn_once_with_its_tooltip_data(municipalities, frames,
                                                            full_html):
    features = gemeinden(full_html)
    props = pd.DataFrame([f["properties"] for f in features])
    assert len(props) == len(municipalities)
    assert (props["s_p"] != "").all() and (props["s_e"] != "").all()
    expected = municipalities.set_index("ags")
    row = props.set_index("ags").loc["06439003"]  # Eltville am Rhein, a grantee
    assert row["name"] == "Eltville am Rhein"
    # German thousands separator: "17.040", never "17,040"
    assert row["pop"] == f"{expected.at['06439003', 'population']:,}".replace(",", ".")
    assert row["funded"].startswith("KIV I")
    assert "Rheingau-Taunus-Kreis" in row["centre"] and "km" in row["centre"]
    counts = props["s_e"].value_counts().to_dict()
    assert counts == frames["eligibility"]["eligibility"].value_counts().to_dict()
    # consortium members carry their group's tooltip, others nothing of it
    members = {a for s in frames["consortia"]["member_ags"] for a in s}
    assert set(props.loc[props["s_c"].notna(), "ags"]) == members
    assert set(props.loc[props["s_u"].notna(), "ags"]) == set(frames["unplaced"]["ags"])


def test_population_classes_follow_the_kiv_thresholds(municipalities, full_html):
    props = pd.DataFrame([f["properties"] for f in gemeinden(full_html)]).set_index("ags")
    pop = municipalities.set_index("ags")["population"]
    assert (props.loc[pop[pop == 0].index, "s_p"] == "none").all()
    at_10k = props.loc[pop[(pop >= 10_000) & (pop < 20_000)].index, "s_p"].unique()
    below = props.loc[pop[(pop >= 5_000) & (pop < 10_000)].index, "s_p"].unique()
    assert len(at_10k) == 1 and len(below) == 1 and at_10k[0] != below[0]


def test_full_hessen_map_with_all_layers_is_at_most_1_5_mb(full_html):
    assert len(full_html.encode("utf-8")) <= 1_500_000


def test_export_is_byte_identical(municipalities, frames, tmp_path, full_html):
    path = maps.save_map(maps.planning_map(municipalities, **frames), tmp_path / "again.html")
    assert path.read_text(encoding="utf-8") == full_html
    assert not re.search(r"_[0-9a-f]{32}\b", full_html)  # no random folium ids left


def test_saving_again_after_a_notebook_display_gives_the_same_file(municipalities, tmp_path):
    m = maps.planning_map(municipalities, kreise=["06611", "06633"], tiles=None)
    first = maps.save_map(m, tmp_path / "a.html").read_bytes()
    assert maps.save_map(m, tmp_path / "b.html").read_bytes() == first
    m._repr_html_()  # what a notebook does: a render with folium's random ids
    assert maps.save_map(m, tmp_path / "c.html").read_bytes() == first
    added = re.findall(rb"(\w+_\d+)\s*\.addTo\((\w+_\d+)\)", first)
    assert added and len(added) == len(set(added))  # nothing added twice
    # an element a user adds later gets a sequential id too
    folium.Marker([51.3, 9.5], tooltip="Rathaus").add_to(m)
    text = maps.save_map(m, tmp_path / "d.html").read_text(encoding="utf-8")
    assert not re.search(r"_[0-9a-f]{32}\b", text) and "Rathaus" in text


def test_kreis_selection_draws_only_its_gemeinden(municipalities, frames, tmp_path):
    kassel = municipalities[municipalities["kreis_name"] == "Landkreis Kassel"]
    m = maps.planning_map(municipalities, kreise=["Landkreis Kassel"], tiles=None, **frames)
    html = maps.save_map(m, tmp_path / "kassel.html").read_text(encoding="utf-8")
    props = pd.DataFrame([f["properties"] for f in gemeinden(html)])
    drawn = props[props["s_e"].notna()]
    assert sorted(drawn["ags"]) == sorted(kassel["ags"])
    # a Verbund with members outside the selection is drawn whole
    consortia = frames["consortia"]
    touching = consortia[[any(a.startswith("06633") for a in m)
                          for m in consortia["member_ags"]]]
    members = {a for s in touching["member_ags"] for a in s}
    assert members <= set(props["ags"])
    assert "tile.openstreetmap.org" not in html
    assert "Landkreis Kassel" in html.split("<title>")[1].split("</title>")[0]
    labels = [f["properties"]["label"] for data in shared_features(html).values()
              for f in data["features"] if "wirgeo-kreis" in f["properties"].get(
                  "label_class", "")]
    assert labels == ["Landkreis Kassel"]  # the full official name


def test_kreis_by_key_and_unknown_kreis(english, municipalities):
    m = maps.planning_map(municipalities, kreise=["06611"], layers=["population"],
                          tiles=None)
    assert "planning map Kassel" in m.get_root().title
    # the one Kreis resolver (wirgeo.municipalities.resolve_kreise) answers with its key
    with pytest.raises(ArgumentError, match=r"argument 'kreise'.*did you mean .*"
                                            r"Landkreis Kassel \(06633\)"):
        maps.planning_map(municipalities, kreise=["Landkreis Kasel"])


def test_kreis_without_its_prefix(municipalities):
    """Kreise are named as everywhere else: "Fulda" is the Landkreis Fulda."""
    m = maps.planning_map(municipalities, kreise=["Fulda"], layers=["kreise"], tiles=None)
    assert m.get_root().title.endswith("Planungskarte Landkreis Fulda")
    english = maps.planning_map(municipalities, kreise=["Fulda"], layers=["kreise"],
                                tiles=None, lang="en")
    assert english.get_root().title.endswith("planning map Landkreis Fulda")


# ---------------------------------------------------------------- security


def test_data_strings_are_escaped_everywhere(municipalities, frames, tmp_path):
    mun = municipalities.copy()
    mun.attrs = dict(municipalities.attrs)
    target = frames["unplaced"]["ags"].iloc[0]
    mun.loc[mun["ags"] == target, "name"] = XSS
    member = frames["consortia"]["member_ags"].iloc[0][0]
    mun.loc[mun["ags"] == member, "name"] = XSS
    unplaced = frames["unplaced"].assign(reason=XSS)
    centres = frames["centres"].copy()
    centres.loc[0, "name"] = XSS
    centres.loc[1, "source_url"] = "javascript:alert(1)"
    grantees = frames["grantees"].assign(project=XSS)
    eligibility = frames["eligibility"].assign(eligibility_label=XSS)
    m = maps.planning_map(mun, eligibility=eligibility, centres=centres, grantees=grantees,
                          consortia=frames["consortia"], unplaced=unplaced,
                          title=f"Plan {XSS}")
    html = maps.save_map(m, tmp_path / "xss.html").read_text(encoding="utf-8")
    assert "<img" not in html
    assert "javascript:alert" not in html.replace('"javascript:alert(1)"', "")
    assert 'href="javascript' not in html and "href=\\\"javascript" not in html
    # the text survives, escaped: JSON carries "&lt;img src=x …"
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__xss=1;alert(1)\\u0026quot;" \
        "\\u0026gt;" in html


@pytest.fixture(scope="module")
def hostile_html(municipalities, frames, planning, tmp_path_factory):
    """The planning map with template syntax and markup in every text field, as saved."""
    from wirgeo.planning import RunRecord

    mun, tables, _ = hostile_tables(municipalities, frames)
    record = dataclasses.replace(RunRecord.of(planning), rules_file=f"{FILE_TRAP}.toml",
                                 scenario=trap("scenario"),
                                 boundaries_file=mun.attrs["boundaries_file"],
                                 population_file=mun.attrs["population_file"])
    m = maps.planning_map(mun, record=record, title=trap("title"), **tables)
    return maps.save_map(m, tmp_path_factory.mktemp("hostile") / f"{FILE_TRAP}.html"
                         ).read_text(encoding="utf-8")


def _texts(html: str) -> str:
    """Every text the page's data and controls carry, decoded and HTML-unescaped."""
    texts = [str(v) for data in shared_features(html).values() for f in data["features"]
             for v in f["properties"].values()]
    texts += [json.loads(m) for m in re.findall(r"div\.innerHTML = (\".*\");", html)]
    texts += [json.loads(m) for m in re.findall(r"addAttribution\((\".*\")\);", html)]
    return html_module.unescape("\n".join(texts))


def test_template_syntax_in_data_is_never_evaluated(hostile_html):
    # folium renders the page's text a second time: {{ 7*7 }} would become 49 (issue 19)
    assert EVALUATED not in hostile_html
    for piece in MARKUP:
        assert piece not in hostile_html, piece
    assert 'href="javascript' not in hostile_html and "href=\\u0026quot;javascript" \
        not in hostile_html


def test_every_hostile_field_reaches_the_page_as_escaped_text(hostile_html):
    # (the class label is the catalog's word for the class code: no text path from data)
    texts = _texts(hostile_html)
    assert trap("ckreis").replace(";", ", ") in texts  # Kreis names listed with ", "
    for field in ("name", "member", "kreis", "reason", "code", "centre", "funded",
                  "project", "round", "years", "consortium_id", "organisation",
                  "street", "postcode", "town", "title", "scenario"):
        assert trap(field) in texts, field
    assert f"{FILE_TRAP}.toml" in texts and f"/data/{FILE_TRAP}.csv" in texts
    title = re.search(r"<title>(.*)</title>", hostile_html).group(1)
    assert html_module.unescape(title) == trap("title")
    # an https address becomes a link, its text escaped inside the attribute
    sources = {f["properties"].get("source") for data in shared_features(hostile_html).values()
               for f in data["features"]}
    assert '<a href="https://example.org/?q=&#123;&#123;7*7&#125;&#125;&amp;x=&lt;b&gt;" ' \
        'target="_blank" rel="noopener noreferrer">example.org</a>' in sources


def test_the_page_renders_each_template_once(municipalities):
    """Text an element renders is written as it is, not rendered again as a template."""
    m = maps.planning_map(municipalities, kreise=["06535"], tiles=None, layers=["kreise"])
    folium.Marker([50.6, 9.2], tooltip="X{{ 7*7 }}Y").add_to(m)
    for text in (m.get_root().render(), m._repr_html_()):
        assert "X49Y" not in text
    assert "X{{ 7*7 }}Y" in m.get_root().render()


def test_comparison_map_with_hostile_scenario_names(municipalities, tmp_path):
    from wirgeo.planning import compare
    from wirgeo.rules import KivRules

    name = trap("scenario")
    cmp = compare(municipalities, {"default": KivRules(), name: KivRules(contiguity="mutual")})
    text = maps.save_map(maps.comparison_map(cmp, name, tiles=None),
                         tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert EVALUATED not in text
    for piece in MARKUP:
        assert piece not in text, piece


def test_template_syntax_in_data_is_shown_not_run(municipalities, frames, tmp_path):
    # folium renders its scripts as Jinja templates a second time: braces in a name, a
    # reason or the title must reach the page as characters, never as template code
    mun = municipalities.copy()
    mun.attrs = dict(municipalities.attrs)
    target = frames["unplaced"]["ags"].iloc[0]
    mun.loc[mun["ags"] == target, "name"] = "{{ 7*7 }}"
    unplaced = frames["unplaced"].assign(reason="{% if true %}ja{% endif %}")
    m = maps.planning_map(mun, eligibility=frames["eligibility"], unplaced=unplaced,
                          title="Plan {{ 6*7 }}")
    html = maps.save_map(m, tmp_path / "braces.html").read_text(encoding="utf-8")
    assert "{{" not in html and "{%" not in html and ">42<" not in html
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125;" in html
    assert "<title>Plan &#123;&#123; 6*7 &#125;&#125;</title>" in html


def test_links_only_for_http_urls():
    assert _link("https://example.org/a?b=1&c=<x>").startswith(
        '<a href="https://example.org/a?b=1&amp;c=&lt;x&gt;" target="_blank"')
    assert _link("javascript:alert(1)") == "javascript:alert(1)"
    # a quote cannot end the attribute: escaped inside a link, and text with a space in
    # it is no URL at all (wirgeo.core.text.is_http_url)
    assert _link('http://x"onmouseover="alert(1)').count('"') == 6
    assert '"' not in _link('http://x" onmouseover="alert(1)')
    assert _link(None) == ""


# ------------------------------------------------------------- table contracts


def test_layer_without_its_table_is_an_error(english, municipalities):
    with pytest.raises(ArgumentError, match="layer 'consortia' needs the consortia table"):
        maps.planning_map(municipalities, layers=["consortia"])


def test_missing_column_names_the_column(english, municipalities, frames):
    with pytest.raises(InputError, match="column 'centre_name'"):
        maps.planning_map(municipalities,
                          eligibility=frames["eligibility"].drop(columns="centre_name"))


def test_unknown_class_and_unknown_ags_are_errors(english, municipalities, frames):
    bad = frames["eligibility"].copy()
    bad.loc[bad.index[3], "eligibility"] = "maybe"
    with pytest.raises(InputError, match="row 4, column 'eligibility': unknown class"):
        maps.planning_map(municipalities, eligibility=bad)
    grantees = frames["grantees"].copy()
    grantees.loc[grantees.index[1], "ags"] = "06999999"
    with pytest.raises(InputError, match=r"row \d+, column 'ags': AGS '06999999'"):
        maps.planning_map(municipalities, grantees=grantees)
    consortia = frames["consortia"].copy()
    consortia.loc[consortia.index[0], "member_ags"] = "06633001;07111000"
    with pytest.raises(InputError, match="member AGS 07111000"):
        maps.planning_map(municipalities, consortia=consortia)


def test_centres_need_points_with_a_crs(municipalities, frames):
    plain = pd.DataFrame(frames["centres"].drop(columns="geometry"))
    with pytest.raises(InputError, match="GeoDataFrame"):
        maps.planning_map(municipalities, centres=plain)


def test_municipalities_without_attribution_are_refused(municipalities):
    bare = municipalities.copy()
    bare.attrs = {}
    with pytest.raises(InputError, match="attribution"):
        maps.planning_map(bare)


def test_unknown_layer_option(english):
    with pytest.raises(InputError, match="unknown layer 'rivers'"):
        maps.MapOptions(layers=("kreise", "rivers"))


@pytest.mark.parametrize("option", ["layers", "hidden"])
def test_option_errors_name_the_python_argument(english, option):
    with pytest.raises(ArgumentError, match=f"^argument '{option}': unknown layer 'rivers'"):
        maps.MapOptions(**{option: ["rivers"]})


def test_every_class_and_outcome_has_its_colour():
    assert tuple(styles.ELIGIBILITY_COLOURS) == ELIGIBILITY.codes == maps.ELIGIBILITY_CLASSES
    assert tuple(styles.OUTCOME_COLOURS) == OUTCOMES.codes
    # one message id per text; the catalogs say it in each language (tests/test_locale.py)
    assert set(styles.LAYER_TITLES) == set(styles.LAYERS) | {"labels"}
    assert set(styles.LEGEND_TITLES) <= set(styles.LAYER_TITLES) | {"legend"}


# ------------------------------------------------------------------- export


def test_failed_export_leaves_the_old_file(municipalities, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    m = maps.planning_map(municipalities, kreise=["06611"], tiles=None)

    def broken(**kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(m.get_root(), "render", broken)
    with pytest.raises(RuntimeError):
        maps.save_map(m, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


# ---------------------------------------------------------------------- CLI


def test_cli_map_writes_a_selection(run_cli, tmp_path, municipalities):
    out = tmp_path / "kassel.html"
    code, stdout, stderr = run_cli("map", "--out", out, "--kreis", "Landkreis Kassel",
                                   "Kassel", "--no-tiles", "--layers", "kreise,population")
    assert code == 0, stderr
    assert f"geschrieben {out}" in stdout  # German by default
    html = out.read_text(encoding="utf-8")
    props = pd.DataFrame([f["properties"] for f in gemeinden(html)])
    selected = municipalities["kreis_name"].isin(["Landkreis Kassel", "Kassel"])
    assert sorted(props["ags"]) == sorted(municipalities.loc[selected, "ags"])
    assert "tile.openstreetmap.org" not in html and "Regierungsbezirke" not in html


def test_cli_map_default_is_the_whole_state_with_tiles(run_cli, tmp_path):
    out = tmp_path / "hessen.html"
    code, _, stderr = run_cli("map", "--out", out)
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in html and len(gemeinden(html)) == 425


@pytest.mark.parametrize("args, message", [
    (["--out", "{tmp}/m.docx"], "written as HTML, PNG, PDF or SVG"),
    (["--out", "{tmp}/m.html", "--kreis", "Kreis Nirgendwo"], "no Kreis named"),
    (["--out", "{tmp}/m.html", "--layers", "kreise,rivers"], "unknown layer 'rivers'"),
    (["--out", "{tmp}/m.html", "--tolerance", "-5"], "tolerance"),
])
def test_cli_map_bad_input_exits_2_and_writes_nothing(english, run_cli, tmp_path, args, message):
    code, stdout, stderr = run_cli("map", *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert message in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ language

#: English texts the German map must not contain (layer names, legend, tooltips, dates).
ENGLISH = ("Suggested", "Legend", "Population", "inhabitants", "left unplaced", "Members",
           "Combined population", "Reason", "Funded", "boundaries as of", "population as of",
           "KIV eligibility", "hover for", "click for", "Base map", "planning map", "yes",
           "town centre", "street address")


def test_german_map_has_no_english_labels_and_german_numbers(full_html, municipalities,
                                                            frames):
    from wirgeo.maps import _library

    ours = full_html.replace(_library.leaflet_js(), "").replace(_library.leaflet_css(), "")
    found = [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", ours)]
    assert found == []
    assert "6.420.729 Einwohner" in ours and "6,420,729" not in ours
    english = maps.planning_map(municipalities, lang="en", **frames).get_root().render()
    assert "6,420,729 inhabitants" in english and "Suggested consortia" in english
    assert "Vorgeschlagene" not in english


def test_cli_map_with_template_syntax_in_title_and_curated_tables(run_cli, tmp_path):
    """`wirgeo map --title` and remarks in the curated tables: text on the page, never run."""
    import csv

    from wirgeo.core import paths

    def hostile_copy(name: str, columns: tuple[str, ...]) -> str:
        with open(paths.data_dir() / name, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for i, row in enumerate(rows):
            row.update({c: f"{trap(c)} {i}" for c in columns})  # names stay unique
        path = tmp_path / f"{FILE_TRAP}_{name}"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return str(path)

    grantees = hostile_copy("kiv_grantees.csv", ("project", "years", "note"))
    centres = hostile_copy("wir_centres.csv", ("name", "organisation", "note"))
    out = tmp_path / "karte.html"
    code, _, err = run_cli("map", "--out", out, "--title", trap("title"), "--grantees",
                           grantees, "--centres", centres, "--no-flexibility", "--no-tiles")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert EVALUATED not in text
    for piece in MARKUP:
        assert piece not in text, piece
    assert html_module.unescape(re.search(r"<title>(.*)</title>", text).group(1)) == \
        trap("title")
    texts = _texts(text)
    assert f'{trap("project")} 0' in texts and f'{trap("organisation")} 0' in texts


def test_map_option_changes_name_every_option():
    """planning_map(…, title=…) and static_map(…, paper=…) are typed by MapOptionChanges:
    the same fields, with the same types, as MapOptions."""
    import typing

    from wirgeo.maps.compose import MapOptionChanges, MapOptions

    options = typing.get_type_hints(MapOptions)
    fields = {f.name: options[f.name] for f in dataclasses.fields(MapOptions)}
    assert typing.get_type_hints(MapOptionChanges) == fields
