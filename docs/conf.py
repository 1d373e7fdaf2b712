"""Sphinx configuration of wirgeo's documentation site (``make docs``).

Built offline from the project's own files: the API reference from the numpydoc
docstrings (autodoc + numpydoc), the command-line reference from the parser itself
(``_ext/wirgeo_cli.py``), the Markdown pages of ``docs/`` through MyST, and the German
Handbuch. Warnings are errors (``make docs`` passes ``-W``).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

from wirgeo import __version__  # noqa: E402

project = "wirgeo"
author = "wirgeo contributors"
copyright = "wirgeo contributors"  # noqa: A001  (Sphinx reads this name)
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "wirgeo_cli",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "img/README*", "**/.ipynb_checkpoints"]
language = "en"

# numpydoc: the docstrings are numpydoc; members are listed by the pages themselves
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
autodoc_typehints = "none"  # the docstrings say the types, in words a reader knows
autodoc_member_order = "bysource"

# MyST: the Markdown pages as they are on GitHub (headings become anchors)
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]
# links into the repository (../src/…, ../README.md) are to files, not pages
suppress_warnings = ["myst.xref_missing", "myst.header"]

html_theme = "pydata_sphinx_theme"
html_title = f"wirgeo {version}"
html_static_path: list[str] = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # nothing loaded from the internet: no icon links, no analytics, no version switcher
    "icon_links": [],
}
html_show_sourcelink = False
# every page is at the top of the navigation: no empty "Section Navigation" column
html_sidebars = {"**": []}
smartquotes = False  # option names keep their two hyphens ("--lang", not "–lang")
