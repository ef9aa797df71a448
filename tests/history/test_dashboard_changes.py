"""The Dashboard says what changed since the last run (from the History sheet) and which changes in the
evidence from one period to the next are significant."""

from __future__ import annotations

from typing import Any

from addin.core import pipeline
from addin.core.contract import HISTORY_COLUMNS, Sheet
from addin.core.model import OutputSheet, RawSheet, RawWorkbook
from addin.core.report_dashboard import RIGHT_COL
from tests.builders import raw_workbook, worked_example
from tests.history.gen import STAGES, evidence_rows

T1, T2, T3 = "2026-01-01T09:00:00+00:00", "2026-02-01T09:00:00+00:00", "2026-03-01T09:00:00+00:00"


def _sheet(outputs: list[OutputSheet], name: Sheet) -> OutputSheet:
    return next(o for o in outputs if o.name == name.value)


def _texts(sheet: OutputSheet) -> list[str]:
    return [str(c.value) for _r, _c, c in sheet.iter_cells() if isinstance(c.value, str)]


def _block(dashboard: OutputSheet) -> list[str]:
    return [str(dashboard.cells[(r, RIGHT_COL)].value) for r in range(3, 8) if (r, RIGHT_COL) in dashboard.cells]


def _then(raw: RawWorkbook, history: OutputSheet) -> RawWorkbook:
    """`raw` with the History sheet as the last run wrote it."""
    rows: list[list[Any]] = [[None] * len(HISTORY_COLUMNS) for _ in range(history.max_row)]
    for (r, c), cell in history.cells.items():
        if c <= len(HISTORY_COLUMNS):
            rows[r - 1][c - 1] = cell.value
    return RawWorkbook(raw.source, {**raw.sheets, "History": RawSheet("History", rows)})


def _with_pain_points(raw: RawWorkbook, extra: list[list[Any]]) -> RawWorkbook:
    pains = raw.sheets["PainPoints"]
    return RawWorkbook(raw.source, {**raw.sheets, "PainPoints": RawSheet(pains.name, [*pains.rows, *extra])})


def test_the_first_run_has_no_block_and_a_change_is_said_in_sentences() -> None:
    raw = worked_example()
    first = pipeline.run(raw, taken=T1).outputs
    assert _block(_sheet(first, Sheet.DASHBOARD)) == []
    changed = _with_pain_points(raw, [["P4", "Browse", "Website", "Web", None, "Search finds nothing", 5, 5, "survey"]])
    second = pipeline.run(_then(changed, _sheet(first, Sheet.HISTORY)), taken=T2).outputs
    block = _block(_sheet(second, Sheet.DASHBOARD))
    assert block[0].startswith("What changed since the run of 2026-01-01 09:00 UTC (History keeps 2 snapshots)")
    assert "Pain point P4 is new." in block
    assert any(line.startswith("Browse's pain index rose from 0 to ") for line in block), block
    # an unchanged third run appends nothing and shows the same block: the sheets do not drift
    third = pipeline.run(_then(changed, _sheet(second, Sheet.HISTORY)), taken=T3).outputs
    assert _block(_sheet(third, Sheet.DASHBOARD)) == block
    assert _sheet(third, Sheet.HISTORY).cells == _sheet(second, Sheet.HISTORY).cells


def test_a_resolved_pain_point_and_a_new_run_without_changes_are_told_apart() -> None:
    raw = worked_example()
    first = pipeline.run(raw, taken=T1).outputs
    pains = raw.sheets["PainPoints"]
    fewer = RawWorkbook(raw.source, {**raw.sheets, "PainPoints": RawSheet(pains.name, pains.rows[:-1])})  # P3 gone
    block = _block(_sheet(pipeline.run(_then(fewer, _sheet(first, Sheet.HISTORY)), taken=T2).outputs, Sheet.DASHBOARD))
    assert "Pain point P3 is resolved (no longer on the PainPoints sheet)." in block


def test_a_planted_drop_in_the_evidence_is_on_the_dashboard_and_nothing_else() -> None:
    raw = raw_workbook(stages=STAGES, evidence=evidence_rows(seed=7, n=600, drop=("Delivery", 3)))
    result = pipeline.results(raw)
    assert result.trends is not None and result.trends.tested == 4 * 5 * 3
    assert {(c.stage, c.measure) for c in result.trends.significant} <= {
        ("Delivery", "CSAT"),
        ("Delivery", "CSAT mean"),
    }
    texts = _texts(_sheet(pipeline.run(raw).outputs, Sheet.DASHBOARD))
    heading = next(t for t in texts if t.startswith("Trends in the evidence"))
    assert "by quarter" in heading
    fall = next(t for t in texts if t.startswith("Delivery CSAT fell from 6"))
    assert fall.endswith("from Q2 to Q3 2026 (600 and 600 answers; significant).")
    assert not any(t.startswith(("Awareness", "Purchase", "Consideration")) for t in texts)


def test_without_a_planted_change_the_dashboard_says_none_is_significant() -> None:
    raw = raw_workbook(stages=STAGES, evidence=evidence_rows(seed=11, n=200))
    texts = _texts(_sheet(pipeline.run(raw).outputs, Sheet.DASHBOARD))
    assert "No significant change from one quarter to the next (60 tested)." in texts


def test_without_dated_evidence_there_is_no_trend_block() -> None:
    result = pipeline.results(worked_example())
    assert result.trends is None
    assert not any(
        t.startswith("Trends in the evidence")
        for t in _texts(_sheet(pipeline.run(worked_example()).outputs, Sheet.DASHBOARD))
    )
