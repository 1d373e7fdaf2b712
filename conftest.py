"""Shared fixtures: the real official files beside the checkout, a private cache.

Tests read the official files from ``../shared/data/raw`` (or ``WIRGEO_TEST_SOURCE``). They
are never skipped when the files are missing: the run fails and says where it looked.
With ``WIRGEO_TEST_DATA=bundle``, whatever names no source folder (the doctests) reads the
embedded bundle instead, e.g. ``WIRGEO_TEST_DATA=bundle pytest src/wirgeo``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED_RAW = Path(os.environ.get("WIRGEO_TEST_SOURCE", ROOT.parent / "shared" / "data" / "raw"))
HESSEN_GPKG = SHARED_RAW / "bkg" / "vg250_2016-01-01_hessen.gpkg"
GERMANY_GPKG = SHARED_RAW / "bkg" / "vg250_2016-01-01_deutschland.gpkg"
DESTATIS_XLSX = SHARED_RAW / "destatis" / "31122023_Auszug_GV.xlsx"


def pytest_configure(config):
    missing = [p for p in (HESSEN_GPKG, GERMANY_GPKG, DESTATIS_XLSX) if not p.is_file()]
    if missing:
        raise pytest.UsageError(
            "the official source files are missing: " + ", ".join(map(str, missing))
            + ". Tests read them from ../shared/data/raw beside the checkout "
            "(or set WIRGEO_TEST_SOURCE).")
    # A private cache for the whole run, so tests never depend on (or touch) geo/.
    cache = ROOT / ".pytest_cache" / "wirgeo-geo"
    os.environ["WIRGEO_GEO"] = str(cache)
    if os.environ.get("WIRGEO_TEST_DATA") == "bundle":
        os.environ.pop("WIRGEO_SOURCE", None)
    else:
        os.environ["WIRGEO_SOURCE"] = str(SHARED_RAW)
    # the run date every output states ("Stand"): fixed, so reruns stay byte-identical
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1796558400")  # 2026-12-06
    # results written from notebooks (export buttons) land here, not in out/
    os.environ["WIRGEO_OUT"] = str(ROOT / ".pytest_cache" / "wirgeo-out")
    # wirgeo reads the environment once, into its settings: read it again, should anything
    # have imported wirgeo before this hook (child processes read the variables themselves)
    from wirgeo.settings import settings

    settings.reload()


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["SHARED_RAW"] = SHARED_RAW


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    return SHARED_RAW


@pytest.fixture(scope="session")
def destatis_sheet() -> tuple[tuple, ...]:
    """Every row of the real Destatis sheet, read once a run with openpyxl only (independent
    of wirgeo's reader; reading all of Germany's rows takes seconds)."""
    import openpyxl

    book = openpyxl.load_workbook(DESTATIS_XLSX, read_only=True)
    try:
        return tuple(book["Onlineprodukt_Gemeinden31122023"].iter_rows(values_only=True))
    finally:
        book.close()


@pytest.fixture(scope="session")
def destatis_gv():
    """The real Destatis directory through wirgeo's reader (``read_destatis_gv``), once."""
    from wirgeo.sources import read_destatis_gv

    return read_destatis_gv(DESTATIS_XLSX)


@pytest.fixture(scope="session")
def hessen():
    """The joined Hessen dataset (municipalities, districts, regions, report)."""
    from wirgeo.municipalities import load

    return load("06", source=SHARED_RAW)


@pytest.fixture(scope="session")
def municipalities(hessen):
    return hessen.municipalities


@pytest.fixture(scope="session")
def planning(municipalities):
    """One planning run on Hessen under the default rules (eligibility + optimal plan)."""
    from wirgeo.planning import build

    return build(municipalities)


@pytest.fixture
def run_cli(capsys):
    """Run ``wirgeo`` in-process; return (exit code, stdout, stderr)."""
    from wirgeo.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def setting(monkeypatch):
    """Set wirgeo settings for one test: ``setting(geo=tmp_path / "geo", source=None)``.

    wirgeo reads the environment once (:mod:`wirgeo.settings`); a test changes the settings
    object, and the ``WIRGEO_*`` variable beside it for the processes the test starts.
    Both are restored after the test.
    """
    from wirgeo.settings import settings

    def use(**values):
        for name, value in values.items():
            text = None if value is None else str(value)
            monkeypatch.setattr(settings, name, text)
            if text is None:
                monkeypatch.delenv(f"WIRGEO_{name.upper()}", raising=False)
            else:
                monkeypatch.setenv(f"WIRGEO_{name.upper()}", text)

    return use


@pytest.fixture
def english(monkeypatch):
    """Speak English for one test, in the library and the command line (``WIRGEO_LANG``).

    German is the default; tests of what a message says read it in English, the message
    ids of the catalogs (tests/test_language.py checks both languages).
    """
    from wirgeo.settings import settings

    monkeypatch.setenv("WIRGEO_LANG", "en")
    with settings.override(language="en"):
        yield
