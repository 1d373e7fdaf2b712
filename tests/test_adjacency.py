"""Contiguity on full outlines: tolerance, shared borders, uninhabited links, islands."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from libpysal.graph import Graph
from shapely.geometry import box

from wirgeo.adjacency import contiguity
from wirgeo.errors import InputError


def _frame(boxes, populations, crs=25832):
    return gpd.GeoDataFrame(
        {"ags": [f"0600000{i}" for i in range(len(boxes))], "name": [f"M{i}" for i in
                                                                    range(len(boxes))],
         "population": populations},
        geometry=[shapely.MultiPolygon([b]) for b in boxes], crs=crs)


def test_sub_metre_gap_counts_as_border_only_within_the_buffer():
    frame = _frame([box(0, 0, 1000, 1000), box(1000.5, 0, 2000, 1000)], [5000, 6000])
    assert len(contiguity(frame, buffer=1.0).borders) == 1
    assert len(contiguity(frame, buffer=0.1).borders) == 0
    assert contiguity(frame, buffer=0.1).islands == ("06000000", "06000001")


def test_shared_border_length_in_metres():
    frame = _frame([box(0, 0, 1000, 1000), box(1000, 250, 2000, 750)], [5000, 6000])
    adj = contiguity(frame)
    assert adj.border_m("06000000", "06000001") == pytest.approx(500, abs=3)
    assert adj.border_m("06000001", "06000000") == adj.border_m("06000000", "06000001")


def test_corner_contact_is_a_neighbour_with_almost_no_border():
    frame = _frame([box(0, 0, 1000, 1000), box(1000, 1000, 2000, 2000)], [5000, 6000])
    adj = contiguity(frame)
    assert adj.neighbours("06000000") == ["06000001"]
    assert adj.border_m("06000000", "06000001") < 5


def test_uninhabited_areas_link_the_municipalities_around_them():
    # A | F1 F2 | B   (F1, F2 uninhabited and adjacent: they act as one area)
    frame = _frame([box(0, 0, 1, 1000), box(1, 0, 1000, 1000), box(1000, 0, 2000, 1000),
                    box(2000, 0, 3000, 1000)], [5000, 0, 0, 6000])
    frame.loc[:, "geometry"] = [shapely.MultiPolygon([box(0, 0, 1000, 1000)]),
                                shapely.MultiPolygon([box(1000, 0, 2000, 1000)]),
                                shapely.MultiPolygon([box(2000, 0, 3000, 1000)]),
                                shapely.MultiPolygon([box(3000, 0, 4000, 1000)])]
    linked = contiguity(frame)
    assert linked.neighbours("06000000") == ["06000003"]
    row = linked.borders.iloc[0]
    assert (row.border_m, row.via) == (0.0, "06000001;06000002")
    cut = contiguity(frame, link_via_uninhabited=False)
    assert cut.islands == ("06000000", "06000003")
    assert linked.graph.n == 2 and linked.uninhabited == ("06000001", "06000002")


def test_bad_input_is_refused_with_a_clear_error(english):
    frame = _frame([box(0, 0, 1, 1), box(1, 0, 2, 1)], [1, 2])
    with pytest.raises(InputError, match="appears twice"):
        contiguity(frame.assign(ags="06000000"))
    with pytest.raises(InputError, match="projected CRS"):
        contiguity(frame.set_crs(4326, allow_override=True))
    with pytest.raises(InputError, match="buffer"):
        contiguity(frame, buffer=-1)
    with pytest.raises(InputError, match="no column 'population'"):
        contiguity(frame.drop(columns="population"))
    with pytest.raises(InputError, match="not an inhabited municipality"):
        contiguity(frame).neighbours("06999999")


def test_hessen_graph(municipalities):
    adj = contiguity(municipalities)
    names = municipalities.set_index("ags")["name"]
    assert adj.graph.n == 421 and adj.islands == () and adj.graph.n_components == 1
    direct = adj.borders[adj.borders.via == ""]
    assert (direct.border_m > 0).all()
    # Hessen's outlines share vertices: every direct border is measured from both sides
    assert direct.border_m.max() < 30_000
    # Reinhardshagen and Wesertal reach Hessen only across the Gutsbezirk Reinhardswald
    cut = contiguity(municipalities, link_via_uninhabited=False)
    assert sorted(names[list(cut.islands)]) == ["Reinhardshagen", "Wesertal"]
    via = adj.borders[adj.borders.via != ""]
    assert set(via.via) == {"06435200", "06633200", "06636200"}  # Michelbuch links nobody
    assert set(adj.graph.unique_ids) == set(municipalities.ags[municipalities.population > 0])


@pytest.mark.germany
def test_germany_touch_without_shared_vertex(shared_raw):
    from wirgeo.municipalities import load

    germany = shared_raw / "bkg" / "vg250_2016-01-01_deutschland.gpkg"
    for state, ags in (("14", "14522080"), ("13", "13076167")):  # Döbeln, Kloster Tempzin
        frame = load(state, boundaries=germany, strict=False).municipalities
        assert ags in set(frame.ags)
        # libpysal's vertex contiguity sees no neighbour at all (no shared vertex) ...
        vertex = Graph.build_contiguity(frame.set_index("ags").geometry, rook=False)
        assert ags in set(vertex.isolates), ags
        # ... the tolerant full-resolution contiguity finds them
        assert len(contiguity(frame, buffer=1.0).neighbours(ags)) >= 3, ags
