"""wirgeo.core.files: outputs written atomically and byte for byte the same every run."""

from __future__ import annotations

import os
import sqlite3

import pyogrio

from wirgeo.core.files import FIXED_ISO, pinned_ogr_date
from wirgeo.exports import write_table


def test_a_geopackage_is_byte_identical_without_touching_the_environment(municipalities,
                                                                        tmp_path):
    """The GeoPackage's last_change is pinned through GDAL, not through os.environ."""
    frame = municipalities[["ags", "name", "population", "geometry"]].head(20)
    before = dict(os.environ)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = write_table(frame, tmp_path / "one" / "t.gpkg")
    second = write_table(frame, tmp_path / "two" / "t.gpkg")
    assert dict(os.environ) == before
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    assert first.read_bytes() == second.read_bytes()
    with sqlite3.connect(first) as db:
        stamps = {row[0] for row in db.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {FIXED_ISO}


def test_the_pinned_date_restores_what_was_set_before():
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2011-11-11T11:11:11Z"})
    try:
        with pinned_ogr_date():
            assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") == FIXED_ISO
        assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") == "2011-11-11T11:11:11Z"
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
