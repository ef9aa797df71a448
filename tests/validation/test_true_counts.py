"""The counts people read are the true numbers of errors and warnings, though the lists stay capped.

30 bad evidence rows show 25 E02 rows and one line that sums up the other 5: every count (check and
regenerate on the console, the Validation sheet, `check --json`, `results` JSON, the run summary, sync)
says 30 errors, never 26 (the 25 lines and the summing-up line counted as findings).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.model import tally
from addin.core.validation import MAX_ROWS_PER_RULE
from addin.core.words import counted
from addin.frontends.cli import main
from addin.frontends.sync import SyncOutcome, describe
from tests.builders import raw_workbook
from tests.validation.conftest import Mutation

BAD = MAX_ROWS_PER_RULE + 5
CheckJson = Callable[..., tuple[int, list[dict[str, Any]]]]


def bad_scores(wb: Workbook, _: Path) -> None:
    """`BAD` evidence scores off the scale: one E02 error each (the example has no other error)."""
    for row in range(2, 2 + BAD):
        wb["Evidence"].cell(row, 7).value = 99


@pytest.fixture
def capped(broken: Callable[[Mutation], Path], check_json: CheckJson) -> tuple[Path, int]:
    """The broken example and its true number of warnings (the clean example's, which the scores do not change)."""
    path = broken(lambda wb, p: None)
    _, clean = check_json(path)
    assert not any(f["severity"] == "error" for f in clean) and all(f["cell"] for f in clean), "nothing capped"
    return broken(bad_scores), len(clean)


def test_check_and_regenerate_say_the_true_count_while_showing_25(
    capped: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, warnings = capped
    expected = f"{counted(BAD, 'error')}, {counted(warnings, 'warning')}."
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: {expected}"
    assert sum(" E02 " in line for line in out) == MAX_ROWS_PER_RULE + 1, "the list stays capped"
    assert main(["regenerate", str(path)]) == 1
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith(f"{path}: {expected}")
    ws = openpyxl.load_workbook(path)["Validation"]
    assert ws["A2"].value.startswith(f"Validation: {expected}")
    e02 = [r for r in ws.iter_rows(values_only=True) if r[1] == "E02"]
    assert len(e02) == MAX_ROWS_PER_RULE + 1 and e02[-1][3] in (None, "")


def test_check_json_counts_add_up_to_the_true_numbers(capped: tuple[Path, int], check_json: CheckJson) -> None:
    path, warnings = capped
    status, rows = check_json(path)
    assert status == 1
    e02 = [f for f in rows if f["rule"] == "E02"]
    assert len(e02) == MAX_ROWS_PER_RULE + 1
    assert [f["count"] for f in e02] == [1] * MAX_ROWS_PER_RULE + [BAD - MAX_ROWS_PER_RULE]
    assert tally(rows) == (BAD, warnings)


def test_results_json_and_the_run_summary_count_every_error(
    capped: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, warnings = capped
    capsys.readouterr()
    assert main(["results", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    errors = sum(f["count"] for f in data["findings"] if f["severity"] == "error")
    assert errors == BAD
    assert sum(f["count"] for f in data["findings"]) == BAD + warnings
    summary = pipeline.run(read_workbook(path)).summary
    assert (summary.errors, summary.warnings) == (BAD, warnings)


def test_sync_says_the_true_count(capped: tuple[Path, int]) -> None:
    path, warnings = capped
    result = pipeline.run(read_workbook(path))
    outcome = SyncOutcome("1AbC", 1, title="Shop", findings=result.findings, summary=result.summary, written=True)
    assert f"{counted(BAD, 'error')} and {counted(warnings, 'warning')} need attention" in describe(outcome)[0]
    counts = outcome.as_json()["findings"]
    assert (counts["errors"], counts["warnings"]) == (BAD, warnings)
    assert len(counts["list"]) < BAD + warnings, "the list stays capped"


def test_a_long_coverage_list_counts_every_pain_point() -> None:
    pains = [
        [f"P{i:02d}", "Buy", "Checkout", "Web", None, f"Pain {i}", 3, 3, "survey"] for i in range(MAX_ROWS_PER_RULE + 7)
    ]
    raw = raw_workbook(["Browse", "Buy"], lanes={"Emotion": [1, -1]}, pain_points=pains)
    c01 = [f for f in pipeline.check(raw) if f.rule == "C01"]
    assert len(c01) == MAX_ROWS_PER_RULE + 1
    assert tally(c01) == (0, MAX_ROWS_PER_RULE + 7)
