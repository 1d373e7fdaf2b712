"""Cold start: the quick commands never import the heavy libraries; one version everywhere.

Each case runs in a fresh interpreter (the test process has long imported everything) and
reports which modules the command left in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("geopandas", "pandas", "scipy", "matplotlib", "shapely", "pyogrio", "pyarrow",
         "libpysal", "folium", "openpyxl")

PROBE = """
import contextlib, io, json, sys
from wirgeo.cli import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(),
                  "modules": sorted(sys.modules)}))
"""


def _probe(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


@pytest.mark.parametrize("args", [
    ["--help"], ["--version"], ["rules"], ["rules", "--lang", "en"],
    ["consortia", "--help"], ["consortia", "--bogus"], ["partners"], ["nonsense"],
    ["map", "--out", "x.html", "--paper", "A5"],
])
def test_quick_commands_import_no_heavy_library(args):
    result = _probe(*args)
    loaded = {m.split(".")[0] for m in result["modules"]}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "Traceback" not in result["err"]
    if args[0] == "rules":
        assert result["code"] == 0 and "combined_min" in result["out"]
    elif "--help" in args or args == ["--version"]:
        assert result["code"] == 0 and result["out"]
    else:  # an argument error: exit 2 with argparse's message
        assert result["code"] == 2 and "Fehler:" in result["err"]


def test_the_version_has_one_source():
    from wirgeo import __version__
    from wirgeo._version import __version__ as written

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"]["attr"] == \
        "wirgeo._version.__version__"
    result = _probe("--version")
    assert __version__ == written and result["out"].strip() == f"wirgeo {written}"


def test_import_wirgeo_is_lazy_but_complete():
    code = ("import sys, wirgeo; before = 'geopandas' in sys.modules; "
            "f = wirgeo.load_municipalities; import json; "
            "print(json.dumps([before, 'geopandas' in sys.modules, f.__module__, "
            "sorted(set(wirgeo.__all__) - set(dir(wirgeo)))]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    before, after, module, missing = json.loads(done.stdout)
    assert (before, after, module, missing) == (False, True, "wirgeo.municipalities.load", [])


def test_lazy_packages_export_what_they_list():
    import importlib

    for name in ("wirgeo", "wirgeo.sources", "wirgeo.exports"):
        package = importlib.import_module(name)
        for attribute in package.__all__:
            assert getattr(package, attribute) is not None, (name, attribute)


def test_catalogs_are_compiled_once_and_kept_like_bytecode(tmp_path, monkeypatch):
    import wirgeo.locale as locale

    source = locale.catalog_path("de").read_bytes()
    kept = locale.compiled_path("de", source)
    locale._translations.cache_clear()
    kept.unlink(missing_ok=True)
    assert locale.gettext("German", "de") == "Deutsch" and kept.is_file()
    code = ("import sys; from wirgeo.locale import gettext; "
            "print(gettext('German', 'de'), 'babel.messages' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.split() == ["Deutsch", "False"]   # read, not parsed again
    kept.write_bytes(b"damaged")
    locale._translations.cache_clear()
    assert locale.gettext("German", "de") == "Deutsch"   # compiled afresh
    assert kept.read_bytes() != b"damaged"
    # another catalog text gets another file: an edited catalog is never read stale
    assert locale.compiled_path("de", source + b"\n") != kept
