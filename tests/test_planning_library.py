"""wirgeo.optimal_plan on any GeoDataFrame: own column names, any CRS, numbers as keys."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest

import wirgeo
from wirgeo.errors import ArgumentError, KeyFormatWarning
from wirgeo.municipalities.columns import standard_table


@pytest.fixture(scope="module")
def own_table(municipalities):
    """The Hessen table as a geopandas user has it: own names, WGS84, nothing else."""
    frame = municipalities[["ags", "name", "population", "geometry"]].rename(
        columns={"ags": "schluessel", "population": "einwohner"}).to_crs(4326)
    # an index of the user's own, so that alignment is tested and not assumed
    return frame.set_index(pd.Index([f"row{i}" for i in range(len(frame))]))


@pytest.fixture(scope="module")
def own_plan(own_table):
    return wirgeo.optimal_plan(own_table, key="schluessel", population="einwohner")


def test_own_columns_in_wgs84_give_the_statewide_plan(own_plan, own_table, planning):
    whole = own_plan.summary.whole
    assert (whole.covered, whole.small, whole.status) == (228, 246, "optimal")
    assert own_plan.proven
    assert set(own_plan.consortia["consortium_id"]) == \
        set(planning.plan.consortia["consortium_id"])
    expected = planning.plan.members.set_index("ags")["consortium_id"]
    labels = own_plan.labels
    assert labels.index.equals(own_table.index)
    got = pd.Series(labels.to_numpy(), index=own_table["schluessel"])
    assert got.fillna("").to_dict() == expected.reindex(got.index).fillna("").to_dict()


def test_results_are_tables_in_the_input_crs(own_plan, own_table):
    consortia = own_plan.consortia
    assert isinstance(consortia, gpd.GeoDataFrame)
    assert consortia.crs == own_table.crs
    assert consortia["consortium_id"].is_unique
    # no ;-joined lists anywhere: the members are rows
    assert not any(consortia[c].astype(str).str.contains(";").any()
                   for c in consortia.columns if c != "geometry")
    members = own_plan.members
    assert members.columns.tolist() == ["consortium_id", "ags", "name", "role"]
    assert members.groupby("consortium_id").size().to_dict() == \
        consortia.set_index("consortium_id")["n_members"].to_dict()
    assert int((members["role"] == "small").sum()) == 228
    assert own_plan.labels.notna().sum() == len(members)
    # each Verbund's outline covers its members' outlines (dissolved, same CRS)
    first = consortia.iloc[0]
    inside = own_table[own_plan.labels == first["consortium_id"]]
    assert first.geometry.buffer(1e-6).contains(inside.union_all())


def test_whole_number_keys_give_the_same_plan_padded(own_table, own_plan):
    numbers = own_table.assign(schluessel=own_table["schluessel"].astype(int))
    with pytest.warns(KeyFormatWarning, match="06411000"):
        again = wirgeo.optimal_plan(numbers, key="schluessel", population="einwohner")
    assert again.labels.equals(own_plan.labels)


@pytest.mark.parametrize("bad", ["6411x", "064110001", 6.5, -1])
def test_keys_that_are_no_keys_are_an_error(own_table, bad):
    keys = own_table["schluessel"].astype(object).copy()
    keys.iloc[3] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KeyFormatWarning)
        with pytest.raises(ArgumentError, match="schluessel") as caught:
            wirgeo.optimal_plan(own_table.assign(schluessel=keys), key="schluessel",
                                population="einwohner")
    assert "4" in str(caught.value)  # the row


def test_missing_columns_are_named(own_table):
    with pytest.raises(ArgumentError, match="'ags'"):
        wirgeo.optimal_plan(own_table, population="einwohner")
    with pytest.raises(ArgumentError, match="'population'"):
        wirgeo.optimal_plan(own_table, key="schluessel")


def test_the_assumptions_for_missing_columns(own_table):
    table = standard_table(own_table, key="schluessel", population="einwohner")
    assert (table["status"] == "kreisangehoerig").all()
    assert (table["kreis_ags"] == table["ags"].str[:5]).all()
    assert table.crs.to_epsg() == 25832
    assert table.index.equals(own_table.index)
    assert "schluessel" in own_table.columns  # the input is never changed


def test_a_standard_column_beside_the_named_one_is_an_error(own_table):
    with pytest.raises(ArgumentError, match="'population'"):
        standard_table(own_table.assign(population=1), key="schluessel",
                       population="einwohner")


def test_rule_changes_as_keywords(municipalities):
    vogelsberg = municipalities[municipalities["kreis_ags"] == "06535"]
    pairs = wirgeo.optimal_plan(vogelsberg, max_members=2)
    assert pairs.consortia["n_members"].max() == 2
    assert pairs.labels.index.equals(vogelsberg.index)


def test_a_libpysal_graph_as_adjacency(own_table, municipalities):
    from libpysal.graph import Graph

    from wirgeo.planning import build

    # the user's own graph, on their own row labels: exactly its pairs are neighbours
    graph = Graph.build_fuzzy_contiguity(own_table.to_crs(25832), buffer=1)
    result = wirgeo.optimal_plan(own_table, key="schluessel", population="einwohner",
                                 adjacency=graph)
    # the same as wirgeo's contiguity without links across uninhabited areas
    direct = build(municipalities, link_via_uninhabited=False, cache=False)
    assert (result.summary.whole.covered, result.summary.whole.small) == \
        (direct.plan.n_covered, direct.plan.n_small)
    assert set(result.consortia["consortium_id"]) == \
        set(direct.plan.consortia["consortium_id"])
    with pytest.raises(ArgumentError, match="adjacency"):
        wirgeo.optimal_plan(own_table.reset_index(drop=True), key="schluessel",
                            population="einwohner", adjacency=graph)


def test_maps_of_a_plan_of_an_own_table(own_table):
    """A table with only key, name, inhabitants and outlines draws both maps."""
    result = wirgeo.optimal_plan(own_table, key="schluessel", population="einwohner",
                                 kreise=["06535"])
    assert result.run.centres is None  # none known without a status column
    options = wirgeo.MapOptions(kreise=["06535"], tiles=None)
    page = wirgeo.planning_map(result, options).get_root().render()
    assert "wirgeo-consortia" in page and "06535" in page  # the Kreis named by its key
    assert wirgeo.static_map(result, options).axes
