"""Where wirgeo finds its curated tables, official sources and cache.

The curated tables in ``data/`` and the folders ``geo/`` and ``out/`` sit at the top of
the checkout. They are located from the package's own position (an editable install
from ``src/``), so a notebook started in ``notebooks/`` finds the same files as the
command line started at the top. A regular ``pip install`` has no checkout: the wheel
carries the curated tables as data files in ``<prefix>/share/wirgeo/data`` and the
prepared layers and outputs go to the working folder. Environment variables override each
location (read once into :data:`wirgeo.settings.settings`: ``home``, ``data``, ``geo``,
``out``; a script or a test sets those).
"""

from __future__ import annotations

import sys
from pathlib import Path

from wirgeo.settings import settings

__all__ = ["project_root", "data_dir", "geo_dir", "cache_dir", "default_source_dir", "out_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent  # wirgeo/core


def project_root() -> Path:
    """Top folder of the checkout (``WIRGEO_HOME`` overrides)."""
    if settings.home:
        return Path(settings.home).expanduser().resolve()
    # src/wirgeo/core/paths.py -> the checkout is two levels above the package
    candidate = _PACKAGE_DIR.parent.parent.parent
    if (candidate / "data").is_dir():
        return candidate
    return Path.cwd()


def data_dir() -> Path:
    """Folder of the curated programme tables (``WIRGEO_DATA`` overrides).

    The checkout's ``data/``; for an installed wheel the copy it installs in
    ``<prefix>/share/wirgeo/data``.
    """
    if settings.data:
        return Path(settings.data).expanduser().resolve()
    checkout = project_root() / "data"
    installed = Path(sys.prefix) / "share" / "wirgeo" / "data"
    if not checkout.is_dir() and installed.is_dir():
        return installed
    return checkout


def geo_dir() -> Path:
    """Folder for prepared layers and downloaded sources (``WIRGEO_GEO`` overrides)."""
    folder = settings.geo
    return Path(folder).expanduser().resolve() if folder else project_root() / "geo"


def cache_dir() -> Path:
    """Folder of prepared layers, keyed by source checksums."""
    return geo_dir() / "cache"


def default_source_dir() -> Path:
    """Source folder used when neither ``--source`` nor ``WIRGEO_SOURCE`` is given."""
    return geo_dir() / "sources"


def out_dir() -> Path:
    """Folder for results written from notebooks (``WIRGEO_OUT`` overrides; CLI: --out)."""
    folder = settings.out
    return Path(folder).expanduser().resolve() if folder else project_root() / "out"
