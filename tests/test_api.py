"""The top-level API: every name resolves, is documented with an example; the map doors."""

from __future__ import annotations

import inspect

import folium
import pytest
from matplotlib.figure import Figure

import wirgeo
from wirgeo.errors import ArgumentError

#: Names of ``wirgeo.__all__`` that are not functions or classes with examples of their own.
_DATA_NAMES = {"__version__"}
_ERRORS = {"WirgeoError", "InputError", "ArgumentError", "JoinError", "RulesError",
           "SourceNotFoundError"}


@pytest.mark.parametrize("name", sorted(set(wirgeo.__all__) - _DATA_NAMES))
def test_every_public_name_resolves_and_is_documented(name):
    value = getattr(wirgeo, name)
    doc = inspect.getdoc(value.__call__ if name == "dossier" else value) or ""
    assert doc, name
    if name not in _ERRORS | {"Dataset", "JoinReport"}:
        assert "Examples" in doc or ">>>" in doc, f"{name} has no example"
    assert name in dir(wirgeo)


def test_help_gives_a_map_of_the_api():
    doc = inspect.getdoc(wirgeo) or ""
    for name in ("optimal_plan", "eligibility", "planning_map", "static_map", "save_map",
                 "dossier", "complete_negotiation"):
        assert f":func:`{name}`" in doc


def test_dossier_is_the_package_and_the_function():
    from wirgeo import dossier

    assert dossier is wirgeo.dossier and callable(dossier)
    assert dossier.write is wirgeo.dossier.write  # the package's own names still work


@pytest.fixture(scope="module")
def vogelsberg(municipalities):
    return wirgeo.optimal_plan(municipalities, kreise=["Vogelsbergkreis"])


def test_both_maps_take_the_plan_and_one_options_type(vogelsberg):
    options = wirgeo.MapOptions(kreise=["Vogelsbergkreis"], tiles=None,
                                orientation="portrait")
    m = wirgeo.planning_map(vogelsberg, options)
    assert type(m) is folium.Map
    page = m.get_root().render()
    assert "wirgeo-info" in page  # the run record came with the plan
    fig = wirgeo.static_map(vogelsberg, options)
    assert isinstance(fig, Figure)
    width, height = fig.get_size_inches()
    assert height > width  # portrait, from the same options


def test_a_run_draws_like_its_result(vogelsberg):
    a = wirgeo.planning_map(vogelsberg, tiles=None)
    b = wirgeo.planning_map(vogelsberg.run, tiles=None)
    assert a.get_root().render().count("wirgeo-consortia") == \
        b.get_root().render().count("wirgeo-consortia")


def test_tables_beside_a_plan_are_an_error(vogelsberg):
    with pytest.raises(ArgumentError, match="consortia"):
        wirgeo.planning_map(vogelsberg, consortia=vogelsberg.run.plan.consortia)
    with pytest.raises(ArgumentError, match="unplaced"):
        wirgeo.static_map(vogelsberg, unplaced=vogelsberg.run.unplaced)


def test_a_base_map_from_a_table_alone(municipalities):
    m = wirgeo.planning_map(municipalities, wirgeo.MapOptions(kreise=["06535"], tiles=None))
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert "Kreise" in names and not any(n.startswith("Vorgeschlagene") for n in names)


def test_subpackages_load_on_first_use():
    import subprocess
    import sys

    code = ("import sys, wirgeo; assert 'geopandas' not in sys.modules; "
            "print(wirgeo.consortia.plan.__module__, 'consortia' in dir(wirgeo))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["wirgeo.consortia.suggest", "True"]
