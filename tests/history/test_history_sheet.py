"""The History sheet accumulates: one snapshot per run whose results changed, earlier rows never rewritten."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from addin.core import pipeline, report_history
from addin.core.contract import HISTORY_COLUMNS, HistoryCol, Sheet
from addin.core.errors import UnusableWorkbook
from addin.core.history import from_rows, journey_fingerprint
from addin.core.model import RawSheet, RawWorkbook
from addin.core.snapshots import snapshot
from addin.core.validation import validate
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "templates" / "examples" / "online-shop.xlsx"
T1, T2, T3 = "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"


# ------------------------------------------------------------------ the snapshot builder


def test_the_snapshot_holds_the_results_numbers_and_the_validated_journeys_fingerprint() -> None:
    raw = worked_example()
    result = pipeline.results(raw)
    snap = snapshot(result, T1)
    assert snap.taken == T1
    assert snap.fingerprint == journey_fingerprint(validate(raw)[0]) != ""
    assert [s.stage for s in snap.stages] == ["Browse", "Buy", "Use"]
    assert [s.pain_index for s in snap.stages] == [s.pain_index for s in result.stage_results]
    assert max(s.pain_index for s in snap.stages) == 100
    assert snap.top5 == tuple(r.id for r in result.priorities.recommendations[:5])
    assert snap.pain_point_ids == ("P1", "P2", "P3") and snap.recommendations == 3
    for s in snap.stages:  # the worked example has no Evidence: no answers, NaN, not None or 0
        assert s.csat.n == 0 and math.isnan(s.csat.value) and math.isnan(s.nps.low)


def test_the_snapshot_carries_evidence_estimates_with_n_and_interval() -> None:
    from addin.adapters.xlsx_reader import read_workbook

    result = pipeline.results(read_workbook(SHOP))
    snap = snapshot(result, T1)
    for s, r in zip(snap.stages, result.stage_results, strict=True):
        for name in ("csat", "nps", "ces"):
            got, want = getattr(s, name), getattr(r.metrics, name)
            assert (got.value, got.n, got.low, got.high) == (want.value, want.n, want.low, want.high)
            assert got.n > 0 and got.low < got.value < got.high


# ------------------------------------------------------------------ the sheet (pure)


def _with_history(raw: RawWorkbook, rows: list[list[Any]]) -> RawWorkbook:
    return RawWorkbook(raw.source, {**raw.sheets, "History": RawSheet("History", rows)})


def _rows(sheet: Any) -> list[list[Any]]:
    width = len(HISTORY_COLUMNS)
    return [
        [sheet.cells[(r, c)].value if (r, c) in sheet.cells else None for c in range(1, width + 1)]
        for r in range(2, sheet.max_row + 1)
        if any((r, c) in sheet.cells for c in range(1, width + 1))
    ]


def _history(outputs: list[Any]) -> Any:
    return next(o for o in outputs if o.name == Sheet.HISTORY.value)


def test_a_run_without_a_time_lays_out_only_the_four_replaced_sheets() -> None:
    assert Sheet.HISTORY.value not in [o.name for o in pipeline.run(worked_example()).outputs]


def test_the_same_input_twice_keeps_one_snapshot_and_a_change_adds_exactly_one() -> None:
    raw = worked_example()
    first = _history(pipeline.run(raw, taken=T1).outputs)
    assert [c.value for (r, _c), c in sorted(first.cells.items()) if r == 1][: len(HISTORY_COLUMNS)] == list(
        HISTORY_COLUMNS
    )
    kept = _rows(first)
    assert len(kept) == 3 and {row[0] for row in kept} == {T1}
    second = _history(pipeline.run(_with_history(raw, [list(HISTORY_COLUMNS), *kept]), taken=T2).outputs)
    assert _rows(second) == kept  # nothing appended, nothing rewritten
    pains = raw.sheets["PainPoints"]
    changed_pains = RawSheet(pains.name, [list(r) for r in pains.rows])
    changed_pains.rows[1][6] = 1  # P1's severity 5 -> 1
    changed = RawWorkbook(raw.source, {**raw.sheets, "PainPoints": changed_pains})
    third = _history(pipeline.run(_with_history(changed, [list(HISTORY_COLUMNS), *kept]), taken=T3).outputs)
    rows = _rows(third)
    assert rows[:3] == kept and len(rows) == 6 and {row[0] for row in rows[3:]} == {T3}
    snaps = from_rows(report_history.as_records(rows))
    assert [s.taken for s in snaps] == [T1, T3] and snaps[0].fingerprint != snaps[1].fingerprint
    assert third.charts and len(third.charts[0].series) == 3  # a pain-index line per stage


def test_history_rows_sorted_by_hand_are_still_the_snapshots_they_were() -> None:
    """Sorting the rows by stage (or any column) interleaves the snapshots: they are still read as they were,
    oldest first by their time, an unchanged input appends nothing and the trend keeps the journey's stage
    order; a changed input appends one snapshot that is compared with the latest, not the last rows."""
    raw = worked_example()
    first = _rows(_history(pipeline.run(raw, taken=T1).outputs))
    pains = raw.sheets["PainPoints"]
    changed_pains = RawSheet(pains.name, [list(r) for r in pains.rows])
    changed_pains.rows[1][6] = 1
    changed = RawWorkbook(raw.source, {**raw.sheets, "PainPoints": changed_pains})
    two = _rows(_history(pipeline.run(_with_history(changed, [list(HISTORY_COLUMNS), *first]), taken=T2).outputs))
    assert len(two) == 6
    stage, taken = HISTORY_COLUMNS.index(HistoryCol.STAGE), HISTORY_COLUMNS.index(HistoryCol.TAKEN)
    by_stage = sorted(two, key=lambda row: (row[stage], row[taken] == T1))  # Browse T2, Browse T1, Buy T2, ...
    assert [row[taken] for row in by_stage[:2]] == [T2, T1]
    snaps = from_rows(report_history.as_records(by_stage))
    assert [s.taken for s in snaps] == [T1, T2]
    assert [s.content() for s in snaps] == [s.content() for s in from_rows(report_history.as_records(two))]
    again = _history(pipeline.run(_with_history(changed, [list(HISTORY_COLUMNS), *by_stage]), taken=T3).outputs)
    assert _rows(again) == by_stage  # kept as the user sorted them, nothing appended
    header = [cell.value for (r, c), cell in sorted(again.cells.items()) if r == 1 and c > len(HISTORY_COLUMNS)]
    assert header == [str(HistoryCol.TAKEN), "Browse", "Buy", "Use"]
    back = _history(pipeline.run(_with_history(raw, [list(HISTORY_COLUMNS), *by_stage]), taken=T3).outputs)
    rows = _rows(back)
    assert rows[:6] == by_stage and {row[taken] for row in rows[6:]} == {T3} and len(rows) == 9


def test_an_empty_row_or_a_note_under_the_history_rows_is_kept_and_is_no_snapshot() -> None:
    raw = worked_example()
    first = _rows(_history(pipeline.run(raw, taken=T1).outputs))
    typed = [*first[:1], [], *first[1:], [None, None, None, "checked with the team"]]
    again = _history(pipeline.run(_with_history(raw, [list(HISTORY_COLUMNS), *typed]), taken=T2).outputs)
    width = len(HISTORY_COLUMNS)
    assert _rows(again) == [[*r, *[None] * (width - len(r))] for r in typed if r]  # kept, nothing appended
    (snap,) = from_rows(report_history.as_records(typed))
    assert snap.taken == T1 and [s.stage for s in snap.stages] == ["Browse", "Buy", "Use"]


def test_a_history_sheet_that_is_not_the_add_ins_is_refused_with_a_sentence() -> None:
    raw = _with_history(worked_example(), [["Date", "My notes"], ["2026-01-01", "keep me"]])
    with pytest.raises(UnusableWorkbook) as caught:
        pipeline.run(raw, taken=T1)
    assert "'History'" in caught.value.message and "cell A1" in caught.value.message
    assert caught.value.sheet == "History" and caught.value.cell == "A1"


def test_a_snapshot_keeps_each_stages_key_driver_share_and_reads_it_back() -> None:
    from addin.adapters.xlsx_reader import read_workbook

    raw = read_workbook(SHOP)  # the online shop's 300-respondent panel gives key drivers
    result = pipeline.results(raw)
    k = result.key_drivers
    assert k is not None and k.enough
    sheet = _history(pipeline.run(raw, taken=T1).outputs)
    (snap,) = from_rows(report_history.as_records(_rows(sheet)))
    shares = {s.stage: s.driver for s in snap.stages}
    for d in k.rows:
        got = shares.pop(d.stage)
        assert (got.value, got.n, got.low, got.high) == (d.importance, k.respondents, d.low, d.high)
    assert all(math.isnan(e.value) and e.n == 0 for e in shares.values())  # stages not analysed: blank
    assert sum(s.driver.value for s in snap.stages if not math.isnan(s.driver.value)) == pytest.approx(1.0)


def test_a_history_sheet_written_before_key_drivers_is_kept_and_read_as_it_was() -> None:
    """A sheet of the earlier 20 columns, its trend table right of them as that version placed it: its rows
    are kept value for value, the trend values are not read as key drivers, and an unchanged input without
    key drivers appends nothing."""
    from addin.core.contract import HISTORY_COLUMNS_BEFORE_DRIVERS

    raw = worked_example()
    first = _history(pipeline.run(raw, taken=T1).outputs)
    width = len(HISTORY_COLUMNS_BEFORE_DRIVERS)
    kept = [row[:width] for row in _rows(first)]
    trend_header = ["Taken", "Browse", "Buy", "Use"]
    old = [
        [*HISTORY_COLUMNS_BEFORE_DRIVERS, None, *trend_header],
        *(
            [*row, None, *(trend if i == 0 else [])]
            for i, (row, trend) in enumerate(zip(kept, [[T1, 40.0, 100.0, 7.0]] * 3, strict=True))
        ),
    ]
    second = _history(pipeline.run(_with_history(raw, old), taken=T2).outputs)
    rows = _rows(second)
    assert [row[:width] for row in rows] == kept and len(rows) == 3  # nothing appended
    assert all(v is None for row in rows for v in row[width:])  # no key drivers read from the trend table
    header = [c.value for (r, _c), c in sorted(second.cells.items()) if r == 1][: len(HISTORY_COLUMNS)]
    assert header == list(HISTORY_COLUMNS)  # written back with the full header


# ------------------------------------------------------------------ through the file


def _read_history(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [r[: len(HISTORY_COLUMNS)] for r in wb[Sheet.HISTORY.value].iter_rows(values_only=True)]
    finally:
        wb.close()
    assert rows[0] == tuple(str(c) for c in HISTORY_COLUMNS)
    return rows[1:]


def _change_an_input(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["PainPoints"]["G2"] = 5  # P01's severity 2 -> 5
    wb.save(path)


def _snapshots(rows: list[tuple[Any, ...]]) -> list[str]:
    return [s.taken for s in from_rows(report_history.as_records([list(r) for r in rows]))]


def _check_accumulates(path: Path, regenerate: Any) -> None:
    regenerate(path)
    first = _read_history(path)
    assert len(_snapshots(first)) == 1 and len(first) == 6  # six stages
    regenerate(path)
    assert _read_history(path) == first  # unchanged input: nothing appended
    _change_an_input(path)
    regenerate(path)
    rows = _read_history(path)
    assert rows[: len(first)] == first  # the earlier snapshot, value for value
    assert len(_snapshots(rows)) == 2 and len(rows) == 12
    fingerprint = HISTORY_COLUMNS.index(HistoryCol.FINGERPRINT)
    assert rows[-1][fingerprint] != first[0][fingerprint]


def test_regenerating_a_file_accumulates_history(tmp_path: Path) -> None:
    from addin.frontends.batch import regenerate_one

    def regenerate(path: Path) -> None:
        outcome = regenerate_one(path, None, None)
        assert outcome.status in (0, 1), outcome.message

    path = tmp_path / "shop.xlsx"
    shutil.copyfile(SHOP, path)
    _check_accumulates(path, regenerate)


@pytest.mark.slow  # three `python -m addin` processes: about 20 s on a shared machine
def test_python_m_addin_regenerate_accumulates_history(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def regenerate(path: Path) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "addin", "regenerate", str(path)], capture_output=True, text=True, env=env
        )
        assert done.returncode in (0, 1), done.stdout + done.stderr

    path = tmp_path / "shop.xlsx"
    shutil.copyfile(SHOP, path)
    _check_accumulates(path, regenerate)


def test_a_foreign_history_sheet_leaves_the_file_unchanged(tmp_path: Path) -> None:
    import openpyxl

    from addin.frontends.batch import regenerate_one

    path = tmp_path / "shop.xlsx"
    shutil.copyfile(SHOP, path)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("History").append(["My notes"])
    wb.save(path)
    before = path.read_bytes()
    outcome = regenerate_one(path, None, None)
    assert outcome.status not in (0, 1) and "History" in outcome.message and "A1" in outcome.message
    assert path.read_bytes() == before
