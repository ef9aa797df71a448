"""The History sheet: the one output sheet that is appended to.

Row 1 holds the `HistoryCol` header, every row under it one stage of one snapshot (`history.to_rows`).
A run reads the rows the sheet has (`previous`), keeps them as they were (values unchanged, never
rewritten) and puts the rows of its own snapshot under them, only when its results differ from the
last snapshot's (`history.next_snapshot`). Right of the rows, a small table of the pain index per
snapshot and stage (recomputed on every run from the rows) feeds one trend chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from addin.core import history
from addin.core.contract import HISTORY_COLUMNS, HISTORY_COLUMNS_BEFORE_DRIVERS, HistoryCol, Sheet
from addin.core.errors import UnusableWorkbook
from addin.core.model import ChartKind, ChartSpec, OutputSheet, RawWorkbook, Ref, Series, a1
from addin.core.names import norm
from addin.core.results import HistoryChange, HistoryTrail, Results
from addin.core.snapshots import snapshot as take_snapshot
from addin.core.styles import Role

TREND_GAP = 1
"""Empty columns between the rows and the trend table."""
_WIDTHS = {HistoryCol.TAKEN: 22.0, HistoryCol.FINGERPRINT: 18.0, HistoryCol.STAGE: 16.0, HistoryCol.TOP_5: 24.0}


def previous(raw: RawWorkbook) -> list[list[Any]]:
    """The History sheet's rows under its header, as read (trailing empty cells and rows dropped); [] when
    the workbook has no History sheet. A History sheet whose row 1 is not the header is refused (it would
    not be kept): a sentence names the sheet and the cell."""
    sheet = raw.find(Sheet.HISTORY)
    if sheet is None or not any(_trim(r) for r in sheet.rows):
        return []
    header = _trim(sheet.rows[0]) if sheet.rows else []
    width = _header_width(header)
    for col, want in enumerate(HISTORY_COLUMNS[:width]):
        got = header[col] if col < len(header) else None
        if norm(str(got or "")) != norm(want):
            raise UnusableWorkbook(
                f"{raw.source}: the sheet '{sheet.name}' is not the add-in's History (cell {a1(1, col + 1)} "
                f"holds {got!r}, not '{want}'), so it was not changed. Rename that sheet to keep it; the next "
                "run starts a new History.",
                path=raw.source,
                sheet=sheet.name,
                cell=a1(1, col + 1),
            )
    rows = [_trim(r[:width]) for r in sheet.rows[1:]]  # right of them: the trend table, recomputed
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _header_width(header: Sequence[Any]) -> int:
    """How many columns the History sheet's rows have: all of `HISTORY_COLUMNS`, or those of a sheet written
    before snapshots kept key drivers (`HISTORY_COLUMNS_BEFORE_DRIVERS`, followed by the trend table)."""
    after = len(HISTORY_COLUMNS_BEFORE_DRIVERS)
    following = header[after] if len(header) > after else None
    if following is None or norm(str(following)) != norm(HISTORY_COLUMNS[after]):
        return after
    return len(HISTORY_COLUMNS)


def as_records(rows: Sequence[Sequence[Any]]) -> list[dict[str, object]]:
    """Rows as read, keyed by `HistoryCol` (what `history.from_rows` takes)."""
    return [{str(c): (row[i] if i < len(row) else None) for i, c in enumerate(HISTORY_COLUMNS)} for row in rows]


@dataclass(frozen=True)
class Kept:
    """The History sheet as read: its rows (as `previous` gives them) and the snapshots they hold, oldest
    first, parsed once for the trail and the sheet."""

    rows: list[list[Any]]
    snapshots: list[history.Snapshot]


def read(raw: RawWorkbook) -> Kept:
    """The History sheet's rows and snapshots (none without one); refused as `previous` refuses it."""
    rows = previous(raw)
    return Kept(rows, history.from_rows(as_records(rows)))


def snapshots(raw: RawWorkbook) -> list[history.Snapshot]:
    """The snapshots the History sheet holds, oldest first."""
    return read(raw).snapshots


def trail(kept: Kept, result: Results) -> HistoryTrail:
    """What the History sheet holds and what `result` changes against its latest snapshot (the notes a run
    would append)."""
    current = take_snapshot(result, "")
    latest = kept.snapshots[-1] if kept.snapshots else None
    return HistoryTrail(
        snapshots=len(kept.snapshots),
        latest=latest.taken if latest else None,
        appends=history.next_snapshot(kept.snapshots, current) is not None,
        changes=tuple(HistoryChange(str(n.kind), n.subject, n.sentence) for n in history.what_changed(latest, current)),
    )


def history_sheet(kept: Kept, snapshot: history.Snapshot) -> tuple[OutputSheet, list[history.Snapshot]]:
    """The History sheet: its rows as read, unchanged, then `snapshot`'s rows if it differs from the latest
    one, then the trend table and chart. Also returns the snapshots it holds, oldest first."""
    sheet = OutputSheet(Sheet.HISTORY.value, freeze=(2, 1))
    sheet.put_row(1, 1, list(HISTORY_COLUMNS), Role.HEADER)
    for i, col in enumerate(HISTORY_COLUMNS, start=1):
        sheet.col_widths[i] = _WIDTHS.get(col, 10.0)
    for r, row in enumerate(kept.rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.put(r, c, value)
    before = kept.snapshots
    appended = history.next_snapshot(before, snapshot)
    for r, record in enumerate(history.to_rows(appended) if appended else [], start=2 + len(kept.rows)):
        for c, col in enumerate(HISTORY_COLUMNS, start=1):
            if record[col] is not None:  # a blank stays an empty cell, as a kept row has it
                sheet.put(r, c, record[col])
    held = [*before, appended] if appended else before  # this run is the latest
    _trend(sheet, held, [s.stage for s in snapshot.stages])
    return sheet, held


def since_last(kept: Sequence[history.Snapshot]) -> list[str] | None:
    """What changed from the snapshot before the latest to the latest, as a heading and sentences (the
    Dashboard's block); None with fewer than two snapshots. A run on unchanged input appends nothing, so
    it shows the same block as the run before it."""
    if len(kept) < 2:
        return None
    last, current = kept[-2], kept[-1]
    notes = history.what_changed(last, current)
    heading = f"What changed since the run of {history.shown_time(last.taken)} (History keeps {len(kept):,} snapshots)"
    if not notes:
        return [
            heading,
            f"Nothing worth reporting: no metric moved significantly, no pain index by {history.PAIN_INDEX_STEP:.0f} "
            "points or more; the top 5 and the pain points are as they were.",
        ]
    return [heading, *(n.sentence + "." for n in notes)]


def _trend(sheet: OutputSheet, kept: list[history.Snapshot], stages: list[str]) -> None:
    """Pain index per snapshot (rows) and stage (columns: `stages`, this run's in journey order), and a line
    per stage."""
    if not kept:
        return
    c0 = len(HISTORY_COLUMNS) + TREND_GAP + 1
    sheet.put_row(1, c0, [str(HistoryCol.TAKEN), *stages], Role.HEADER)
    sheet.col_widths[c0] = 22.0
    for r, snap in enumerate(kept, start=2):
        sheet.put(r, c0, snap.taken)
        pains = {s.stage: s.pain_index for s in snap.stages}
        for c, stage in enumerate(stages, start=c0 + 1):
            if stage in pains:
                sheet.put(r, c, pains[stage], Role.NUM1)
    last = 1 + len(kept)
    sheet.charts.append(
        ChartSpec(
            "addin_history",
            ChartKind.LINE,
            "Pain index per stage over the snapshots",
            (last + 2, c0),
            tuple(Series(stage, Ref(sheet.name, 2, c, last, c)) for c, stage in enumerate(stages, start=c0 + 1)),
            categories=Ref(sheet.name, 2, c0, last, c0),
            y_title="Pain index",
            y_min=0,
            y_max=100,
        )
    )


def _trim(row: Sequence[Any]) -> list[Any]:
    out = list(row)
    while out and (out[-1] is None or (isinstance(out[-1], str) and not out[-1].strip())):
        out.pop()
    return out
