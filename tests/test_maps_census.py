"""The Zensus 2022 on the maps: the foreign-share layer, print map, planner tooltip, dossier."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from pdf import pdf_text

from wirgeo import maps
from wirgeo.errors import ArgumentError
from wirgeo.maps import styles
from wirgeo.maps.layers import _foreign_share_keys


@pytest.fixture(scope="module")
def frames(planning):
    return maps.tables_of(planning)


def _features(html: str) -> list[dict]:
    """The shared Gemeinden features (the collection whose features name a Kreis)."""
    found = [json.loads(data)["features"]
             for data in re.findall(r"var features_\d+ = (.*);\n", html)]
    found = [f for f in found if any("kreis" in x["properties"] for x in f)]
    assert len(found) == 1
    return found[0]


def test_classes_follow_the_published_share_and_withheld_is_no_data(municipalities):
    table = municipalities.copy()
    table.loc[table["name"] == "Alsfeld", "foreign_share"] = pd.NA  # withheld
    keys = _foreign_share_keys(table).set_axis(table["name"])
    assert keys["Alsfeld"] == "na"
    assert keys["Frankfurt am Main"] == "f5"         # 28.3 %
    assert keys[table.loc[table["population"] == 0, "name"]].eq("none").all()
    share = table.set_index("name")["foreign_share"].astype(float)
    for name in ("Darmstadt", "Schotten", "Ulrichstein"):
        low = max(b for b in styles.FOREIGN_SHARE_BINS if b <= share[name])
        assert keys[name] == f"f{styles.FOREIGN_SHARE_BINS.index(low)}"


def test_the_layer_is_drawn_off_with_its_legend_and_attribution(municipalities, frames):
    table = municipalities.copy()
    table.loc[table["name"] == "Alsfeld", "foreign_share"] = pd.NA
    m = maps.planning_map(table, tiles=None, **frames)
    html = m.get_root().render()
    groups = {c.layer_name: c for c in m._children.values()
              if hasattr(c, "layer_name") and c.layer_name}
    layer = groups["Gemeinden: Ausländeranteil (Zensus 2022)"]
    assert layer.show is False                          # off by default
    assert 'data-layer=\\"foreign_share\\"' in html
    assert "keine Angabe (geheim gehalten oder nicht in der Tabelle)" in html
    props = {f["properties"]["name"]: f["properties"] for f in _features(html)}
    assert props["Alsfeld"]["s_f"] == "na" and props["Alsfeld"]["fs"].startswith(
        "keine Angabe")
    assert props["Darmstadt"]["fs"] == "20,8%" and props["Darmstadt"]["fr"] == "33.648"
    assert props["Darmstadt"]["abr"] == "wahrscheinlich Pflicht (Schätzung)"
    attribution = json.loads(re.findall(r"addAttribution\((.*)\);", html)[-1])
    assert "Statistische Ämter des Bundes und der Länder, Zensus 2022 (15.05.2022)" in \
        attribution


def test_without_the_census_there_is_no_layer(municipalities):
    bare = municipalities.assign(foreign_share=pd.NA)
    m = maps.planning_map(bare, tiles=None, layers=["population", "kreise"])
    names = [getattr(c, "layer_name", "") for c in m._children.values()]
    assert not any("Zensus" in str(n) for n in names)
    with pytest.raises(ArgumentError, match="braucht die Zensus-2022-Kennzahlen"):
        maps.planning_map(bare, tiles=None, layers=["foreign_share"])


def test_data_text_in_the_layer_stays_text(municipalities):
    # the layer's own values are numbers and catalog words; the name it shows comes
    # through the shared features: markup escaped, template syntax never evaluated
    table = municipalities.copy()
    table.loc[table["name"] == "Alsfeld", "name"] = "{{ 7*7 }}<img src=x onerror=alert(1)>"
    html = maps.planning_map(table, tiles=None, layers=["foreign_share"]).get_root().render()
    props = {f["properties"]["ags"]: f["properties"] for f in _features(html)}
    name = props["06535001"]["name"]
    assert "7*7" in name and not name.startswith("49")
    assert name.endswith("&lt;img src=x onerror=alert(1)&gt;")
    assert all(re.fullmatch(r"[\d.,%]*", props["06535001"][k])
               for k in ("fs", "fr", "ms", "u18", "o60"))
    assert "<img src=x onerror" not in html


def test_print_map_filled_by_the_foreign_share(municipalities, frames, tmp_path):
    figure = maps.static_map(municipalities, layers=["foreign_share"],
                             consortia=frames["consortia"], centres=frames["centres"])
    path = maps.save_static_map(figure, tmp_path / "census.pdf")
    text = pdf_text(path)
    assert "Ausländeranteil (Zensus 2022)" in text
    assert "unter 5%" in text and "25% und mehr" in text
    assert "Zensus 2022 (15.05.2022)" in text
    again = maps.save_static_map(maps.static_map(
        municipalities, layers=["foreign_share"], consortia=frames["consortia"],
        centres=frames["centres"]), tmp_path / "again.pdf")
    assert again.read_bytes() == path.read_bytes()


def test_planner_tooltip_and_sources_carry_the_census(municipalities):
    from wirgeo.widgets.live_map import LiveMap

    live = LiveMap(municipalities, lang="en")
    props = {f["properties"]["n"]: f["properties"] for f in live.outlines["features"]}
    assert props["Darmstadt"]["z"].startswith("Foreign nationals 20.8% · ≈ 33,648 foreign "
                                              "residents (estimate)")
    assert "Zensus 2022 (15.05.2022)" in live.attribution


def test_dossier_table_has_the_indicators(planning):
    from wirgeo.dossier.content import kreis_content

    content = kreis_content(planning, "Vogelsbergkreis", lang="de")
    header = content["routes_header"]
    assert header[3:5] == ["Ausländeranteil", "≈ ausländische Einwohner"]
    rows = {row[0]: row for row in content["routes"]}
    assert rows["Alsfeld"][3:5] == ["11,5%", "1.757 †"]
    assert "keine rechtliche Feststellung" in content["census_note"]
    assert any(r[0] == "Zensus 2022" for r in content["sources"])
