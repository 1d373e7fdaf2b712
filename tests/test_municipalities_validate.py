"""The Python API checks the municipality table at its door (issue 19, item 6).

Every public function that takes the table — eligibility, consortia.plan, planning.build,
PlanningRequest.run, the map functions — goes through
wirgeo.municipalities.check_municipalities: keys given as numbers are read with their
leading zeros and said (KeyFormatWarning), never a silently wrong plan; anything else that
is not a municipality table is one ArgumentError naming the argument, column and row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely

from wirgeo import maps
from wirgeo.consortia import plan
from wirgeo.errors import ArgumentError, KeyFormatWarning
from wirgeo.municipalities import check_municipalities
from wirgeo.planning import PlanningRequest, build
from wirgeo.programme import eligibility
from wirgeo.rules import KivRules


@pytest.fixture(autouse=True)
def english():
    """The messages in English, as the assertions read them (the CLI: --lang en)."""
    from wirgeo.settings import settings

    with settings.override(language="en"):
        yield


def _variant(municipalities, **columns):
    frame = municipalities.assign(**columns)
    frame.attrs = dict(municipalities.attrs)
    return frame


@pytest.fixture(scope="module")
def vogelsberg(municipalities):
    """One Kreis: the checks are the same, the plans quick."""
    frame = municipalities[municipalities["kreis_ags"] == "06535"].copy()
    frame.attrs = dict(municipalities.attrs)
    return frame


@pytest.mark.parametrize("keys", [
    lambda s: s.astype("int64"),             # the "0 von 246 … (optimal)"
    lambda s: s.astype("int64").astype(float),
    lambda s: s.str.lstrip("0"),             # a spreadsheet dropped the zero
])
def test_whole_number_keys_are_read_with_their_zeros_and_said(municipalities, planning,
                                                              keys):
    frame = _variant(municipalities, ags=keys(municipalities["ags"]),
                     kreis_ags=municipalities["kreis_ags"].astype("int64"))
    with pytest.warns(KeyFormatWarning, match="'ags': .* -> '06411000'; 'kreis_ags'"):
        run = build(frame)
    summary = run.summary().whole  # the same optimal plan, not "0 of 246"
    assert (summary.covered, summary.small) == (228, 246)
    assert run.consortia["consortium_id"].tolist() == \
        planning.consortia["consortium_id"].tolist()
    assert frame["ags"].dtype != object or frame["ags"].iloc[0] != "06411000"  # untouched


def test_a_loaded_table_passes_unchanged_and_silently(municipalities):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_municipalities(municipalities) is municipalities


def _bad_tables(m):
    nan_outline = m.geometry.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nan_outline.iloc[2] = shapely.MultiPolygon([shapely.Polygon(
            [(0, 0), (np.nan, 0), (1, 1)])])
    return [
        ("a string", "text", "got str"),
        ("no rows", m.head(0), "has no rows"),
        ("no column", m.drop(columns="population"), "no column 'population'"),
        ("bad key", _variant(m, ags=m["ags"].where(m.index != 3, "0641100x")),
         "column 'ags', row 4: '0641100x' is not a key of 8 digits"),
        ("long key", _variant(m, ags=m["ags"].where(m.index != 0, "064110001")),
         "'064110001'"),
        ("missing key", _variant(m, ags=m["ags"].where(m.index != 1, None)), "row 2"),
        ("key twice", _variant(m, ags=m["ags"].where(m.index != 1, m["ags"].iloc[0])),
         "appears twice"),
        ("text population", _variant(m, population=m["population"].astype(object).where(
            m.index != 0, "viele")), "'viele' is not a number of inhabitants"),
        ("negative", _variant(m, population=m["population"].where(m.index != 0, -5)),
         "-5"),
        ("fraction", _variant(m, population=m["population"].astype(float).where(
            m.index != 0, 10.5)), "10.5"),
        ("NaN", _variant(m, population=m["population"].astype(float).where(
            m.index != 0, np.nan)), "row 1"),
        ("status", _variant(m, status=m["status"].where(m.index != 0, "Stadt")),
         "unknown status 'Stadt'"),
        ("no CRS", m.set_crs(None, allow_override=True), "no coordinate reference system"),
        ("points", m.set_geometry(m.geometry.centroid), "not an area"),
        ("NaN outline", m.set_geometry(nan_outline), "not numbers (NaN)"),
    ]


@pytest.mark.parametrize("call", ["eligibility", "plan", "build", "run", "planning_map",
                                  "static_map"])
def test_every_public_function_refuses_a_table_that_is_not_one(vogelsberg, call):
    functions = {
        "eligibility": lambda t: eligibility(t),
        "plan": lambda t: plan(t, KivRules()),
        "build": lambda t: build(t),
        "run": lambda t: PlanningRequest(flexibility=False).run(t),
        "planning_map": lambda t: maps.planning_map(t, tiles=None),
        "static_map": lambda t: maps.static_map(t),
    }
    for name, table, expected in _bad_tables(vogelsberg.reset_index(drop=True)):
        if call == "eligibility" and name in ("no CRS", "points", "NaN outline"):
            continue  # eligibility reads no outlines
        with pytest.raises(ArgumentError) as info:
            functions[call](table)
        message = str(info.value)
        assert message.startswith("argument 'municipalities'"), (name, message)
        assert expected in message, (name, message)


def test_rules_of_the_wrong_type_name_the_argument(vogelsberg):
    for call in (lambda: eligibility(vogelsberg, rules={"max_members": 2}),
                 lambda: build(vogelsberg, rules="default"),
                 lambda: plan(vogelsberg, 3)):
        with pytest.raises(ArgumentError, match="argument 'rules': expects KivRules"):
            call()


def test_other_column_names_are_parameters(vogelsberg):
    frame = vogelsberg.rename(columns={"ags": "key", "population": "people"})
    frame = frame.assign(key=frame["key"].astype("int64"))
    with pytest.warns(KeyFormatWarning):
        checked = check_municipalities(frame, key="key", population="people")
    assert checked["key"].str.len().eq(8).all() and "ags" not in checked
