"""Packages whose public names are imported on first use (PEP 562).

``import wirgeo`` or ``import wirgeo.sources`` must not load geopandas, pandas or scipy
before a name that needs them is used: ``wirgeo --help`` and ``wirgeo rules`` should answer
in a fraction of the time those libraries take to import. A package's ``__init__`` lists
which submodule holds each public name and gets its ``__getattr__`` and ``__dir__`` from
:func:`lazy_exports`; the names then behave as if imported eagerly (``from wirgeo.sources
import read_vg250`` works), only later. Type checkers read the same names from an
``if TYPE_CHECKING:`` block of imports.

Examples
--------
>>> getattr_, dir_ = lazy_exports("wirgeo.core", {"text": ("closest",)})
>>> getattr_("closest")("Fuldda", ["Fulda", "Kassel"])
['Fulda']
>>> "closest" in dir_()
True
>>> getattr_("nothing")
Traceback (most recent call last):
...
AttributeError: module 'wirgeo.core' has no attribute 'nothing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, Iterable[str]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose names load on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping
        Submodule (relative to ``package``, e.g. ``"load"``) → the public names it holds.

    Returns
    -------
    tuple
        The module-level ``__getattr__`` and ``__dir__`` of the package.
    """
    where = {name: f"{package}.{module}" for module, names in exports.items()
             for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        # kept in the package's namespace: the next look-up is an ordinary attribute
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
