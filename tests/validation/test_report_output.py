"""What a person sees: the Validation sheet (errors first, each cell a link) and `check` grouped by sheet."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from addin.core.contract import VALIDATION_COLUMNS
from addin.core.model import quote_sheet
from addin.core.report import HEADER_ROW
from addin.frontends.cli import main
from tests.validation.conftest import Mutation

CheckJson = Callable[..., tuple[int, list[dict[str, Any]]]]
KEYS = ["file", "severity", "rule", "sheet", "cell", "message", "fix", "count"]


def mistakes(wb: Workbook, _: Path) -> None:
    wb["Settings"]["B3"] = "RICH"  # found before the others, but Settings comes last in the contract
    wb["Recommendations"]["F2"] = 0.9  # a warning
    wb["PainPoints"]["G2"] = 9  # an error
    wb["Journey"]["B8"] = "happy"  # an error
    wb["Evidence"]["A2"] = "someday"  # a warning


def addresses_all(wb: Workbook, _: Path) -> None:
    wb["Recommendations"]["C2"] = "P06, P13, P21"


def test_validation_sheet_lists_errors_first_each_cell_a_link_to_that_cell(
    broken: Callable[[Mutation], Path], check_json: CheckJson
) -> None:
    path = broken(mistakes)
    _, expected = check_json(path)
    assert main(["regenerate", str(path)]) == 1
    ws = openpyxl.load_workbook(path)["Validation"]
    assert [c.value for c in ws[HEADER_ROW - 1]][:6] == [str(c) for c in VALIDATION_COLUMNS]
    rows = list(ws.iter_rows(min_row=HEADER_ROW))
    assert [(r[0].value, r[1].value, r[2].value, r[3].value or "") for r in rows] == [
        (f["severity"], f["rule"], f["sheet"], f["cell"]) for f in expected
    ]
    severities = [r[0].value for r in rows]
    assert severities == sorted(severities, key=lambda s: s != "error") and "warning" in severities
    assert [r[2].value for r in rows if r[0].value == "error"] == ["Journey", "PainPoints", "Settings"]
    for r in rows:
        if r[3].value:
            assert r[3].hyperlink is not None, r[3].coordinate
            assert r[3].hyperlink.location == f"{quote_sheet(r[2].value)}!{r[3].value}"
    assert "3 error" in ws["A2"].value and "4 warning" in ws["A2"].value  # 2 of them C01


def test_a_clean_workbook_says_no_problems_found(
    broken: Callable[[Mutation], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(addresses_all)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: no problems found."
    assert main(["regenerate", str(path)]) == 0
    ws = openpyxl.load_workbook(path)["Validation"]
    assert ws["A2"].value == "Validation: no problems found."
    assert ws.max_row < HEADER_ROW


def test_check_prints_findings_grouped_by_sheet_in_plain_words(
    broken: Callable[[Mutation], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken(mistakes)
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: 3 errors, 4 warnings."
    sheets = [line.strip().rstrip(":") for line in lines if re.fullmatch(r"  \S+:", line)]
    assert sheets == ["Journey", "PainPoints", "Settings", "Recommendations", "Evidence"]  # sheets with errors first
    assert len(sheets) == len(set(sheets)), "one group per sheet"
    findings = [line for line in lines[1:] if line.startswith("    ")]
    assert len(findings) == 7
    assert all(re.match(r"    (error|warning) +[A-Z]\d\d [A-Z]+\d+: .+ Fix: .+", line) for line in findings)
    assert "    error   P04 G2: Severity of P01 is '9'" in "\n".join(lines)


def test_json_objects_have_exactly_the_documented_keys(
    broken: Callable[[Mutation], Path], check_json: CheckJson
) -> None:
    path = broken(mistakes)
    status, findings = check_json(path)
    assert status == 1
    assert findings and all(list(f) == KEYS for f in findings)
    assert all(isinstance(v, str) for f in findings for k, v in f.items() if k != "count")
    assert all(f["count"] == 1 for f in findings), "nothing summed up here: each object is one finding"
    assert findings[0]["severity"] == "error"


def test_the_summary_line_of_a_capped_rule_follows_its_last_row(
    broken: Callable[[Mutation], Path], check_json: CheckJson
) -> None:
    def many_bad_scores(wb: Workbook, _: Path) -> None:
        for row in range(2, 102):
            wb["Evidence"].cell(row, 7).value = 99

    _, findings = check_json(broken(many_bad_scores))
    e02 = [i for i, f in enumerate(findings) if f["rule"] == "E02"]
    assert len(e02) == 26 and e02 == list(range(e02[0], e02[0] + 26)), "shown rows, then the summary, together"
    summary = findings[e02[-1]]
    assert summary["cell"] == "" and summary["message"] == "... and 75 more rows with the same problem (100 in all)."
