"""Notebooks are stored without outputs and stay thin (logic lives in src/wirgeo).

Executing them is the job of nbmake (``--nbmake`` in pyproject.toml collects every notebook
under ``notebooks/``); the JupyterLab real-client test is in tests/browser/.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_the_three_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_hessen_overview.ipynb",
                                           "02_consortium_planner.ipynb",
                                           "03_programme_coverage.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    cells = json.loads(path.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    cells = json.loads(path.read_text())["cells"]
    code = [("".join(c["source"])) for c in cells if c["cell_type"] == "code"]
    assert any(c["cell_type"] == "markdown" for c in cells)
    for source in code:
        tree = ast.parse(source)
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defined, f"{path.name}: define functions in src/wirgeo, not in notebooks"
        assert len(source.splitlines()) <= 15, f"{path.name}: a long cell belongs in the package"
