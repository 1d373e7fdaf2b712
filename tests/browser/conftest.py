"""Browser fixtures: one headless Debian chromium per session, pages opened offline.

Helpers live in ``support.py`` so the notebook (JupyterLab) tests can reuse them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import lab
import pytest
import support

# tests/hostile.py (the traps of issue 19) for the browser tests too
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    support.check_node_modules()
    with sync_playwright() as playwright:
        chromium = support.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def jupyter(tmp_path_factory):
    """One JupyterLab on localhost for the session's notebook tests (:class:`lab.Lab`).

    It serves a folder of this session; results of notebooks that write to the default
    place land in ``jupyter.out`` (``WIRGEO_OUT``).
    """
    top = tmp_path_factory.mktemp("jupyterlab")
    root, out = top / "work", top / "out"
    root.mkdir()
    env = {"WIRGEO_OUT": str(out), "WIRGEO_SOURCE": os.environ["WIRGEO_SOURCE"],
           "WIRGEO_GEO": os.environ["WIRGEO_GEO"]}
    with lab.jupyter_lab(root, top / "jupyter.log", env=env) as base:
        yield lab.Lab(base, root, out)


@pytest.fixture
def open_map(browser):
    """Open an HTML file or text offline: ``open_map(path, width=, height=, wait_for=)``.

    Every page opened this way is checked when the test ends: no request left the
    routes unanswered, no console error, no dialog.
    """
    opened = []

    def open_(content, **kwargs) -> support.MapPage:
        page, context = support.open_map(browser, content, **kwargs)
        opened.append((page, context))
        return page

    yield open_
    problems = []
    for page, context in opened:
        problems += [f"unrouted request: {u}" for u in page.routes.unrouted]
        problems += page.log.errors + [f"dialog: {d}" for d in page.log.dialogs]
        context.close()
    assert not problems, "\n".join(problems)
