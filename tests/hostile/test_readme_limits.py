"""The README's "Hostile files" table names every case of the corpus and only tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

from tests.hostile import test_limits
from tests.hostile.corpus import CASES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### Hostile files", 1)[1].split("\n### ", 1)[0]


def test_every_case_is_in_the_readme_and_no_other() -> None:
    named = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", SECTION))  # `far-cell-journey`, not `--jobs`
    assert named == {c.name for c in CASES}


def test_every_test_the_readme_names_exists() -> None:
    for name in re.findall(r"::(test_\w+)", SECTION) + re.findall(r"`(test_\w+)`", SECTION):
        assert hasattr(test_limits, name), name
