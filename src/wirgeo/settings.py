"""wirgeo's settings: one object, read from the environment once.

Like ``geopandas.options`` or osmnx's ``settings``, :data:`settings` is the one place a
setting lives. It is filled from the environment when wirgeo is imported; after that the
library reads the object, never the environment. Front ends set it for the length of one
action with :meth:`Settings.override` (the command line: ``--lang``), scripts may assign
to it directly.

=================  ==================  ==============================================
setting            environment         meaning
=================  ==================  ==============================================
``language``       ``WIRGEO_LANG``     language of every word people read (``de``,
                                       ``en``); ``None`` = German
``cache``          ``WIRGEO_CACHE``    keep prepared data and results (plans, their
                                       flexibility, contiguity) in the on-disk cache
                                       and answer from it (default on; ``0``,
                                       ``false``, ``no`` or ``off`` turn it off; the
                                       command line: ``--no-cache``)
``home``           ``WIRGEO_HOME``     top folder of the checkout (default: found from
                                       the package's place, else the working folder)
``data``           ``WIRGEO_DATA``     folder of the curated tables (default
                                       ``<home>/data``)
``geo``            ``WIRGEO_GEO``      folder of prepared layers, downloads and the
                                       cache (default ``<home>/geo``)
``out``            ``WIRGEO_OUT``      folder of results written from notebooks
                                       (default ``<home>/out``)
``source``         ``WIRGEO_SOURCE``   folder of the official files (default
                                       ``<geo>/sources``, else the embedded bundle;
                                       the command line: ``--source``)
``date_epoch``     ``SOURCE_DATE_     "now" of the run date outputs state, in seconds
                   EPOCH``             since 1970 (reproducible builds); ``None`` =
                                       today (:func:`wirgeo.planning.record.run_date`
                                       checks it)
=================  ==================  ==============================================

The folders are kept as written; :mod:`wirgeo.core.paths` turns them into paths.

Examples
--------
>>> from wirgeo.settings import Settings
>>> Settings.from_environment({"WIRGEO_LANG": "EN "}).language
'en'
>>> Settings.from_environment({}).language is None
True
>>> Settings.from_environment({"WIRGEO_CACHE": "Off"}).cache
False
>>> Settings.from_environment({"WIRGEO_GEO": "/tmp/geo", "WIRGEO_OUT": ""}).geo
'/tmp/geo'
>>> Settings.from_environment({"WIRGEO_OUT": ""}).out is None
True
>>> s = Settings()
>>> with s.override(language="en"):
...     s.language
'en'
>>> s.language is None
True
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Settings", "settings"]

# what turns a switch off when written into an environment variable
_OFF = ("0", "false", "no", "off")
# the folder settings, each read from WIRGEO_<NAME> (an empty value counts as unset)
_FOLDERS = ("home", "data", "geo", "out", "source")


@dataclass
class Settings:
    """Every setting of wirgeo (see the module docstring for the table).

    A value read from the environment is kept as it was written (trimmed, lower case);
    whoever uses it checks it and names the variable in the error, so a bad
    ``WIRGEO_LANG`` never stops ``import wirgeo``.
    """

    language: str | None = None
    cache: bool = True
    home: str | None = None
    data: str | None = None
    geo: str | None = None
    out: str | None = None
    source: str | None = None
    date_epoch: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment (default :data:`os.environ`) describes."""
        env = os.environ if environ is None else environ
        lang = env.get("WIRGEO_LANG", "").strip().lower()
        cache = env.get("WIRGEO_CACHE", "").strip().lower() not in _OFF
        folders = {name: env.get(f"WIRGEO_{name.upper()}") or None for name in _FOLDERS}
        epoch = env.get("SOURCE_DATE_EPOCH", "").strip() or None
        return cls(language=lang or None, cache=cache, **folders, date_epoch=epoch)

    def reload(self, environ: Mapping[str, str] | None = None) -> None:
        """Read the environment again (a front end does it once per command)."""
        fresh = Settings.from_environment(environ)
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(fresh, field.name))

    @contextlib.contextmanager
    def override(self, **values: Any) -> Iterator[Settings]:
        """Set some values for the length of a ``with`` block, then restore them."""
        names = {field.name for field in dataclasses.fields(self)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise TypeError(f"unknown setting {unknown[0]!r}")
        before = {name: getattr(self, name) for name in values}
        for name, value in values.items():
            setattr(self, name, value)
        try:
            yield self
        finally:
            for name, value in before.items():
                setattr(self, name, value)


#: The settings of this process (read from the environment at import).
settings = Settings.from_environment()
