"""wirgeo's version: the one place it is written.

``pyproject.toml`` reads it from here when the package is built (setuptools' dynamic
``version``), and ``wirgeo.__version__``, ``wirgeo --version`` and every output that says
which wirgeo made it import it from here — a plain string, so asking for the version
costs nothing (no ``importlib.metadata``, no geopandas).

Examples
--------
>>> __version__.count(".") >= 2
True
"""

__version__ = "0.1.0"
