"""The project's own files: environment.yml in step with pyproject.toml, README commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


#: PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"typst": "typst-py"}


def test_environment_yml_lists_the_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for group in ("test", "bench", "notebook", "docs"):
        wanted |= {_name(r) for r in project["optional-dependencies"][group]}
    wanted = {CONDA_NAMES.get(name, name) for name in wanted}
    env = (ROOT / "environment.yml").read_text()
    deps = env.split("dependencies:", 1)[1]
    listed = {_name(line.strip()[2:]) for line in deps.splitlines()
              if line.startswith("  - ") and not line.strip().startswith("- pip")}
    listed.discard("python")
    assert wanted == listed
    assert "-e ." in env


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert readme.index("```") < readme.index("\n## ") if "\n## " in readme else True
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["wirgeo"] == "wirgeo.cli:main"


def test_an_installed_wheel_carries_every_curated_table():
    """`pip install .` without a checkout finds data/ in <prefix>/share/wirgeo/data."""
    import fnmatch

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = tool["data-files"]["share/wirgeo/data"]
    for path in (ROOT / "data").iterdir():
        assert any(fnmatch.fnmatch(f"data/{path.name}", p) for p in patterns), path.name
    assert "data/*.parquet" in tool["package-data"]["wirgeo.sources"]


def test_the_package_says_it_carries_types():
    """PEP 561: ``py.typed`` is in the package and in the wheel's package data."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "py.typed" in tool["package-data"]["wirgeo"]
    assert (ROOT / "src" / "wirgeo" / "py.typed").is_file()
