"""Results resting on assumed Severity or Frequency say so where they are used: a sentence under the heatmap and
on the Dashboard, a mark after each assumed pain point on Priorities; rating or confirming them removes it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from addin.adapters.xlsx_reader import read_workbook
from addin.core import pipeline
from addin.core.contract import Sheet
from addin.core.report_assumed import MARK_MEANING
from addin.frontends.batch import regenerate_one
from addin.frontends.cli import main
from tests.importing.corpus import write_title_grid
from tests.importing.test_grid_alone import _grid_only


def _texts(path: Path, sheet: Sheet) -> list[str]:
    rows = read_workbook(path, (sheet.value,)).sheets[sheet.value].rows
    return [str(v) for row in rows for v in row if v is not None]


def _row_of(ws: object, column: int, value: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == value)  # type: ignore[attr-defined]


def _imported(tmp_path: Path) -> Path:
    """An imported grid (no pain table: every level assumed) with two recommendations."""
    (src,) = write_title_grid(tmp_path)
    out = tmp_path / "journey.xlsx"
    assert main(["import", str(src), "--out", str(out)]) == 0
    wb = load_workbook(out)
    ws = wb[Sheet.RECOMMENDATIONS.value]
    header = [c.value for c in ws[1]]
    for r, (rid, addresses) in enumerate((("R01", "P01"), ("R02", "P02, P03")), start=2):
        row = {"ID": rid, "Title": f"Fix {addresses}", "Addresses": addresses, "Reach": 100, "Impact": 2}
        row |= {"Confidence": 0.8, "Effort": 2}
        for key, value in row.items():
            ws.cell(r, header.index(key) + 1, value)
    wb.save(out)
    return out


def _addresses(path: Path) -> dict[str, str]:
    rows = read_workbook(path, (Sheet.PRIORITIES.value,)).sheets[Sheet.PRIORITIES.value].rows
    header = next(row for row in rows if "Addresses" in row)
    i, a = header.index("ID"), header.index("Addresses")
    return {str(row[i]): str(row[a]) for row in rows if len(row) > a and str(row[i] or "").startswith("R0")}


def test_assumed_levels_are_marked_until_rated_or_confirmed(tmp_path: Path) -> None:
    out = _imported(tmp_path)
    assert regenerate_one(out, None, None).status == 0
    said = "3 of 3 pain points have an assumed Severity (3) and Frequency (3)"
    assert any(t.startswith(said) for t in _texts(out, Sheet.HEATMAP))
    assert any(t.startswith(said) for t in _texts(out, Sheet.DASHBOARD))
    assert _addresses(out) == {"R01": "P01*", "R02": "P02*, P03*"}
    assert MARK_MEANING in _texts(out, Sheet.PRIORITIES)
    result = pipeline.results(read_workbook(out))
    assert {p.id: p.assumed for p in result.pain_points} == {
        "P01": ("Severity", "Frequency"),
        "P02": ("Severity", "Frequency"),
        "P03": ("Severity", "Frequency"),
    }
    assert {r.id: r.assumed for r in result.priorities.recommendations} == {"R01": ("P01",), "R02": ("P02", "P03")}

    wb = load_workbook(out)
    pains = wb[Sheet.PAIN_POINTS.value]
    pains.cell(_row_of(pains, 1, "P01"), 7).value = 5  # rated: Severity 5, Frequency still assumed
    wb.save(out)
    assert regenerate_one(out, None, None).status == 0
    said = "2 of 3 pain points have an assumed Severity (3), 3 an assumed Frequency (3)"
    assert any(t.startswith(said) for t in _texts(out, Sheet.HEATMAP))

    wb = load_workbook(out)
    pains = wb[Sheet.PAIN_POINTS.value]
    pains.cell(_row_of(pains, 1, "P01"), 8).value = 4  # P01 rated fully
    imp = wb[Sheet.IMPORT.value]
    imp.cell(_row_of(imp, 2, "PainPoints P02"), 4).value = None  # 3 is right for P02: confirmed
    wb.save(out)
    assert regenerate_one(out, None, None).status == 0
    assert _addresses(out) == {"R01": "P01", "R02": "P02, P03*"}
    said = "1 of 3 pain points has an assumed Severity (3) and Frequency (3)"
    assert any(t.startswith(said) for t in _texts(out, Sheet.HEATMAP))

    wb = load_workbook(out)
    imp = wb[Sheet.IMPORT.value]
    imp.cell(_row_of(imp, 2, "PainPoints P03"), 4).value = None
    wb.save(out)
    assert regenerate_one(out, None, None).status == 0
    assert _addresses(out) == {"R01": "P01", "R02": "P02, P03"}
    for sheet in (Sheet.HEATMAP, Sheet.DASHBOARD, Sheet.PRIORITIES):
        texts = _texts(out, sheet)
        assert not any("assumed" in t for t in texts), sheet


def test_a_grid_alone_says_its_levels_are_assumed(tmp_path: Path) -> None:
    path = _grid_only(tmp_path / "grid.xlsx")
    assert regenerate_one(path, None, None).status == 0
    said = "3 of 3 pain points have an assumed Severity (3) and Frequency (3)"
    assert any(t.startswith(said) for t in _texts(path, Sheet.HEATMAP))
    assert any(t.startswith(said) for t in _texts(path, Sheet.DASHBOARD))
