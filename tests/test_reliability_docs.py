"""docs/reliability.md: at least 60 cases, and every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ROW = re.compile(r"^\| (\d+) \|.*\| `(tests/[\w/]+\.py)::(\w+)` \|$")


def _rows():
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    return [_ROW.match(line) for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]


def test_the_matrix_has_at_least_60_numbered_cases_each_with_a_test():
    rows = _rows()
    assert all(rows), [r for r in rows if not r]  # every numbered row ends with its test
    numbers = [int(r[1]) for r in rows]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 60


def test_every_test_named_in_the_matrix_exists():
    missing = []
    for row in _rows():
        path, name = ROOT / row[2], row[3]
        if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(
                encoding="utf-8"), re.M):
            missing.append(f"{row[2]}::{name}")
    assert missing == []
