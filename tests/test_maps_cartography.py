"""Cartography on the real Hessen plan: colours of touching Verbünde, legends, labels.

The touching pairs are re-derived here from the full-resolution contiguity
(:func:`wirgeo.adjacency.contiguity`), not taken from the map code.
"""

from __future__ import annotations

import itertools
import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from wirgeo import maps
from wirgeo.adjacency import contiguity
from wirgeo.maps import styles
from wirgeo.maps.colouring import delta_e, simulate_cvd, verbund_colours


@pytest.fixture(scope="module")
def tables(planning):
    return maps.tables_of(planning)


@pytest.fixture(scope="module")
def touching_pairs(municipalities, planning):
    """Pairs of Verbund ids whose members share a border (not only an uninhabited link)."""
    consortia = planning.plan.consortia
    group = {a: c for c, members in zip(consortia["consortium_id"], consortia["member_ags"],
                                        strict=True) for a in members}
    borders = contiguity(municipalities).borders
    pairs = set()
    for a, b, via, length in zip(borders["ags_a"], borders["ags_b"], borders["via"],
                                 borders["border_m"], strict=True):
        if not via and length > 0 and a in group and b in group and group[a] != group[b]:
            pairs.add(tuple(sorted((group[a], group[b]))))
    return pairs


@pytest.fixture(scope="module")
def full_html(municipalities, tables, tmp_path_factory):
    path = tmp_path_factory.mktemp("carto") / "hessen.html"
    return maps.save_map(maps.planning_map(municipalities, **tables), path).read_text(
        encoding="utf-8")


def test_touching_verbuende_never_share_a_colour_and_differ_clearly(municipalities, planning,
                                                                     touching_pairs):
    assert len(touching_pairs) >= 100  # the statewide plan: 117 touching pairs
    index = verbund_colours(planning.plan.consortia, municipalities)
    assert set(index) == set(planning.plan.consortia["consortium_id"])
    colour = {c: styles.GROUP_COLOURS[i] for c, i in index.items()}
    for a, b in touching_pairs:
        assert colour[a] != colour[b], (a, b)
        assert delta_e(colour[a], colour[b]) >= 30, (a, b, colour[a], colour[b])
        for kind in ("deuteranopia", "protanopia"):  # colour-blind readers too
            assert delta_e(simulate_cvd(colour[a], kind),
                           simulate_cvd(colour[b], kind)) >= 30, (a, b, kind)


def test_verbund_colours_differ_from_the_classes_beneath_and_unplaced_from_amber():
    used = styles.GROUP_COLOURS[:4]  # the spare is never needed on a real plan
    # every class a member of a Verbund can have (uninhabited areas are never members)
    beneath = [c for k, c in styles.ELIGIBILITY_COLOURS.items() if k != "uninhabited"]
    for group, klass in itertools.product(used, beneath):
        assert delta_e(group, klass) >= 30, (group, klass)
    for a, b in itertools.combinations(used, 2):
        assert delta_e(a, b) >= 30
    # unplaced: no fill of its own over the amber "nur im Verbund", a dashed dark-red ring
    amber = styles.ELIGIBILITY_COLOURS["verbund_needed"]
    assert styles.UNPLACED_STYLE["fillOpacity"] == 0 and "dashArray" in styles.UNPLACED_STYLE
    assert delta_e(styles.UNPLACED_COLOUR, amber) >= 30


def _legend_section(html: str, layer: str) -> str:
    control = json.loads(re.findall(r'div\.innerHTML = (".*?");\n', html)[-1])
    return control.split(f'data-layer="{layer}">')[1].split("</section>")[0]


def test_legend_lists_exactly_the_verbund_colours_drawn(full_html, municipalities, tables):
    features = [f for data in re.findall(r"var features_\d+ = (.*);\n", full_html)
                for f in json.loads(data)["features"]]
    keys = {f["properties"]["s_c"] for f in features if f["properties"].get("s_c")}
    drawn = {styles.GROUP_COLOURS[int(k[1:].rstrip("o"))] for k in keys}
    legend = set(re.findall(r"background:(#[0-9A-Fa-f]{6})",
                            _legend_section(full_html, "consortia")))
    assert legend == drawn and len(drawn) >= 3
    # the print map: its legend's swatches are the Verbund colours of its map, no more
    fig = maps.static_map(municipalities, kreise=["Vogelsbergkreis"], **tables)
    group = {c.upper() for c in styles.GROUP_COLOURS}

    def colours(artists):
        return {to_hex(c).upper() for a in artists for c in np.atleast_2d(a.get_facecolor())
                if to_hex(c).upper() in group}

    on_map = colours(fig.axes[0].collections)
    in_legend = colours(fig.legends[0].findobj(Rectangle))
    assert on_map == in_legend and len(on_map) >= 3


def test_legend_has_no_entry_for_what_is_not_drawn(municipalities, tables):
    m = maps.planning_map(municipalities, kreise=["Kassel"], tiles=None, **tables)
    html = m.get_root().render()
    # the kreisfreie Stadt Kassel: no Verbund, nobody unplaced, no grantee
    for layer in ("consortia", "unplaced", "grantees"):
        assert f'data-layer=\\"{layer}\\"' not in html, layer
    assert 'data-layer=\\"eligibility\\"' in html


def test_kreis_labels_are_full_names_off_the_centre_markers(full_html, municipalities,
                                                           tables):
    labels = [f for data in re.findall(r"var features_\d+ = (.*);\n", full_html)
              for f in json.loads(data)["features"]
              if "wirgeo-kreis" in f["properties"].get("label_class", "")]
    names = {f["properties"]["label"] for f in labels}
    assert names == set(municipalities["kreis_name"])  # "Landkreis Kassel", "Kassel"
    points = gpd.GeoSeries([shapely.Point(f["geometry"]["coordinates"]) for f in labels],
                           crs=4326).to_crs(25832)
    centres = tables["centres"].geometry
    nearest = [float(centres.distance(p).min()) for p in points]
    assert min(nearest) >= 900  # no Kreis name sits on a centre marker (≈ 1 km at zoom 9)


def test_every_gemeinde_and_verbund_has_a_label(full_html, municipalities, tables):
    labels = [f["properties"] for data in re.findall(r"var features_\d+ = (.*);\n", full_html)
              for f in json.loads(data)["features"] if "label_class" in f["properties"]]
    names = [p["label"] for p in labels if "wirgeo-name" in p["label_class"]]
    ids = [p["label"] for p in labels if "wirgeo-verbund-id" in p["label_class"]]
    assert sorted(names) == sorted(municipalities["name"])
    assert sorted(ids) == sorted(tables["consortia"]["consortium_id"])


def test_optional_flexibility_and_near_threshold_columns(municipalities, tables, tmp_path):
    consortia = tables["consortia"].assign(flexibility=[
        "firm" if i % 2 == 0 else "flexible" for i in range(len(tables["consortia"]))])
    eligibility = tables["eligibility"]       # carries near_threshold from the rules
    assert set(eligibility.loc[eligibility["name"] == "Schlitz", "near_threshold"]) == {
        "below_10000"}
    m = maps.planning_map(municipalities, kreise=["Vogelsbergkreis"], tiles=None,
                          **{**tables, "consortia": consortia, "eligibility": eligibility})
    html = maps.save_map(m, tmp_path / "v.html").read_text(encoding="utf-8")
    # the labels of the vocabulary, as the workbooks and the planner say them
    assert "fest: in jedem besten Plan" in html and "flexibel: Alternativen ohne Verlust" in html
    # Schlitz (9.987) and Schotten (10.053) lie in the Vogelsbergkreis: each says which side
    assert "knapp unter 10.000" in html and "knapp über 10.000" in html
    # the legend entry (the legend is written as JSON: non-ASCII escaped)
    assert "knapp unter oder über einer KIV-Schwelle (2)" in html


def test_every_kreis_map_shows_the_ids_of_the_statewide_verbuende_there(municipalities,
                                                                        tables):
    """The map of each of the 26 Kreise names exactly the statewide Verbünde with a member
    there, by their stable ids (the German-first issue: one answer everywhere)."""
    import re

    consortia = tables["consortia"]
    kreise = municipalities.drop_duplicates("kreis_ags")["kreis_ags"].tolist()
    assert len(kreise) == 26
    for key in kreise:
        expected = {cid for cid, members in zip(consortia["consortium_id"],
                                                consortia["member_ags"], strict=True)
                    if any(a[:5] == key for a in members)}
        html = maps.planning_map(municipalities, kreise=[key], tiles=None,
                                 **tables).get_root().render()
        # the Verbund labels drawn on the map (a reason sentence may name another Verbund)
        labels = set(re.findall(r'"label":"(V\d{8}-[0-9a-f]{4})"', html))
        in_tooltips = set(re.findall(r'"verbund":"(V\d{8}-[0-9a-f]{4})', html))
        assert labels == expected and in_tooltips == expected, key


def test_cli_map_of_a_kreis_shows_the_same_ids(run_cli, tmp_path, tables):
    import re

    out = tmp_path / "fulda.html"
    code, _, err = run_cli("map", "--kreis", "Fulda", "--out", out, "--no-tiles",
                           "--no-flexibility")
    assert code == 0, err
    consortia = tables["consortia"]
    expected = {cid for cid, kreise in zip(consortia["consortium_id"],
                                           consortia["kreis_ags"], strict=True)
                if "06631" in kreise}
    html = out.read_text(encoding="utf-8")
    assert set(re.findall(r'"label":"(V\d{8}-[0-9a-f]{4})"', html)) == expected
