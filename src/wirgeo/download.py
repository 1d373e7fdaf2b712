"""Deprecated: use :mod:`wirgeo.sources.download`; this name goes in the next release.

The download of the official releases moved into the package that owns all outside
input. The old names still work for one release and warn when used
(``from wirgeo.download import download_sources`` warns at the import statement).

The warning comes from the module's ``__getattr__`` rather than from its body, so that
importing the module alone (pytest collects the doctests of every module in
``src/wirgeo`` with warnings as errors) stays silent, and every use of an old name warns.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as type checkers should see them
    from wirgeo.sources.download import (  # noqa: F401
        DEFAULT_RELEASES,
        Release,
        download_sources,
        read_registry,
    )

__all__ = ["Release", "DEFAULT_RELEASES", "read_registry", "download_sources"]


def __getattr__(name: str) -> Any:
    """Hand out the old names from :mod:`wirgeo.sources.download`, with a warning."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(f"wirgeo.download is deprecated: import {name} from "
                  "wirgeo.sources.download (wirgeo.download goes in the next release)",
                  DeprecationWarning, stacklevel=2)
    from wirgeo.sources import download

    return getattr(download, name)
