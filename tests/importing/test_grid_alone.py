"""A grid alone is enough: a workbook with only a Journey sheet gives a heatmap, and what rests on assumed
Severity and Frequency is said, for a grid's pain points and for imported ones, until the user rates them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.contract import Sheet
from addin.core.validation import validate
from addin.frontends.batch import check_one, regenerate_one
from addin.frontends.cli import main
from tests.importing.corpus import write_title_grid


def _grid_only(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Journey"
    for row in (
        ["Lane", "Find", "Buy", "Use"],
        ["Touchpoints", "Web", "Checkout", "App"],
        ["Emotion", 1, -2, 0],
        ["Pain points", "Slow search", "Fees shown late; no PayPal", None],
    ):
        ws.append(row)
    wb.save(path)
    return path


def test_a_workbook_with_only_a_grid_is_no_error_and_gives_a_heatmap(tmp_path: Path) -> None:
    path = _grid_only(tmp_path / "grid.xlsx")
    checked = check_one(path)
    assert checked.status == 0
    missing = sorted(f["sheet"] for f in checked.findings if f["rule"] == "S01")
    assert missing == ["PainPoints", "Personas", "Recommendations", "Settings"]
    assert all(f["severity"] == "warning" for f in checked.findings)
    (c02,) = [f for f in checked.findings if f["rule"] == "C02"]
    assert "3 pain points read from the Journey grid's 'Pain points' lane" in c02["message"]
    journey, _ = validate(read_workbook(path))
    assert list(journey.pain_points["Description"]) == ["Slow search", "Fees shown late", "no PayPal"]
    assert list(journey.pain_points["Stage"]) == ["Find", "Buy", "Buy"]
    heatmap = pipeline.analyse(journey).heatmap
    assert sum(row.total for row in heatmap.rows) > 0
    assert regenerate_one(path, None, None).status == 0


def _c02(path: Path) -> dict[str, str]:
    return {f["message"].split(" assumed")[0]: f["message"] for f in check_one(path).findings if f["rule"] == "C02"}


def test_imported_assumptions_are_said_until_the_user_rates_or_confirms(tmp_path: Path) -> None:
    (src,) = write_title_grid(tmp_path)
    out = tmp_path / "journey.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 0
    said = _c02(out)
    assert said["Severity"].startswith("Severity assumed for 3 of 3 pain points (P01, P02, P03)")
    assert said["Frequency"].startswith("Frequency assumed for 3 of 3 pain points")
    wb = load_workbook(out)
    wb[Sheet.PAIN_POINTS.value]["G2"] = 5  # the user rates P01's severity
    imp = wb[Sheet.IMPORT.value]
    row = next(r for r in range(2, imp.max_row + 1) if imp.cell(r, 2).value == "PainPoints P02")
    imp.cell(row, 4).value = None  # and confirms that 3 is right for P02
    wb.save(out)
    said = _c02(out)
    assert said["Severity"].startswith("Severity assumed for 1 of 3 pain points (P03)")
    assert said["Frequency"].startswith("Frequency assumed for 2 of 3 pain points (P01, P03)")
    assert regenerate_one(out, None, None).status == 0
    validation = read_workbook(out, (Sheet.VALIDATION.value,)).sheets[Sheet.VALIDATION.value]
    texts = [str(v) for row in validation.rows for v in row if v]
    assert any(t.startswith("Severity assumed for 1 of 3 pain points") for t in texts)
