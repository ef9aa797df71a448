"""`Results.history`: what the History sheet holds and what these results change against its latest snapshot,
as data (the results JSON), the same notes the Dashboard gives after a run on that input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from addin.core import pipeline, results_json
from addin.core.contract import HISTORY_COLUMNS, Sheet
from addin.core.model import RawSheet, RawWorkbook
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "results.schema.json").read_text(encoding="utf-8"))
T1, T2 = "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"


def _with_history(raw: RawWorkbook, rows: list[list[Any]]) -> RawWorkbook:
    return RawWorkbook(raw.source, {**raw.sheets, "History": RawSheet("History", rows)})


def _history_rows(raw: RawWorkbook, taken: str) -> list[list[Any]]:
    sheet = next(o for o in pipeline.run(raw, taken=taken).outputs if o.name == Sheet.HISTORY.value)
    width = len(HISTORY_COLUMNS)
    return [
        [sheet.cells[(r, c)].value if (r, c) in sheet.cells else None for c in range(1, width + 1)]
        for r in range(1, sheet.max_row + 1)
        if any((r, c) in sheet.cells for c in range(1, width + 1))
    ]


def _severity_changed(raw: RawWorkbook) -> RawWorkbook:
    pains = raw.sheets["PainPoints"]
    changed = RawSheet(pains.name, [list(r) for r in pains.rows])
    changed.rows[1][6] = 1  # P1's severity 5 -> 1
    return RawWorkbook(raw.source, {**raw.sheets, "PainPoints": changed})


def test_without_a_history_sheet_a_run_would_append_the_first_snapshot() -> None:
    trail = pipeline.results(worked_example()).history
    assert trail is not None
    assert (trail.snapshots, trail.latest, trail.appends, trail.changes) == (0, None, True, ())


def test_unchanged_input_would_append_nothing_and_reports_no_change() -> None:
    raw = worked_example()
    kept = _history_rows(raw, T1)
    trail = pipeline.results(_with_history(raw, kept)).history
    assert trail is not None
    assert (trail.snapshots, trail.latest, trail.appends, trail.changes) == (1, T1, False, ())


def test_a_changed_input_reports_what_the_dashboard_will_say_after_the_run() -> None:
    raw = worked_example()
    kept = _history_rows(raw, T1)
    changed = _with_history(_severity_changed(raw), kept)
    trail = pipeline.results(changed).history
    assert trail is not None and trail.snapshots == 1 and trail.latest == T1 and trail.appends
    # P1 (at Buy) rated lower: Buy stays the worst stage (100), so Use's index against it rises
    assert [(c.kind, c.subject) for c in trail.changes] == [("pain index moved", "Use")]
    assert trail.changes[0].sentence == "Use's pain index rose from 17 to 36 since 2026-01-01 00:00 UTC"
    ran = pipeline.run(changed, taken=T2)
    dashboard = next(o for o in ran.outputs if o.name == Sheet.DASHBOARD.value)
    shown = [str(cell.value) for cell in dashboard.cells.values() if isinstance(cell.value, str)]
    for change in trail.changes:  # each note is on the Dashboard the run lays out, word for word
        assert change.sentence + "." in shown
    assert (
        ran.results is not None and ran.results.history == trail
    )  # the run reports what it compared against, before appending


def test_the_trail_is_in_the_results_json_and_follows_the_schema() -> None:
    raw = worked_example()
    changed = _with_history(_severity_changed(raw), _history_rows(raw, T1))
    data = json.loads(results_json.dumps(pipeline.results(changed)))
    jsonschema.validate(data, SCHEMA)
    assert data["history"]["latest"] == T1 and data["history"]["appends"] is True
    assert data["history"]["changes"] and all(
        set(c) == {"kind", "subject", "sentence"} for c in data["history"]["changes"]
    )


def test_a_history_sheet_that_is_not_the_add_ins_gives_results_without_a_trail() -> None:
    raw = _with_history(worked_example(), [["Date", "My notes"], ["2026-01-01", "keep me"]])
    result = pipeline.results(raw)
    assert result.history is None and result.stage_results  # reading is not refused; a run is


def test_python_m_addin_results_carries_the_trail(tmp_path: Path) -> None:
    import shutil

    book = tmp_path / "shop.xlsx"
    shutil.copyfile(ROOT / "templates" / "examples" / "online-shop.xlsx", book)
    env = {"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "addin"]
    subprocess.run([*run, "regenerate", str(book)], check=False, capture_output=True, env=env, timeout=300)
    out = subprocess.run([*run, "results", str(book)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    trail = json.loads(out.stdout)["history"]
    assert trail == {"snapshots": 1, "latest": "2026-01-01T00:00:00+00:00", "appends": False, "changes": []}
