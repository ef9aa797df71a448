"""Snapshots: a stable fingerprint, one snapshot per distinct result, never a rewritten one; what changed."""

from __future__ import annotations

import copy
import dataclasses
import random

from addin.core.history import (
    ChangeKind,
    Estimate,
    Snapshot,
    StageSnapshot,
    from_rows,
    journey_fingerprint,
    rows_to_append,
    shown_time,
    to_rows,
    what_changed,
)
from addin.core.model import RawSheet, RawWorkbook
from addin.core.validation import validate
from tests.builders import raw_workbook, worked_example

EVIDENCE = [
    ["2026-04-02", "Alex", "Buy", "Checkout", "Web", "CSAT", 5, None, "r1"],
    ["2026-04-03", None, "Buy", "Checkout", "Web", "CSAT", 2, "slow", "r2"],
    [46100, "Bo", "Use", "Help centre", "Chat", "CES", 3, None, None],
    ["2026-05-01", None, "Browse", "Website", "Web", "NPS", 9, None, "r1"],
]


def _workbook(evidence: list[list[object]]) -> RawWorkbook:
    base = worked_example()
    table = raw_workbook(["Browse", "Buy", "Use"], evidence=evidence).sheets["Evidence"]
    return RawWorkbook(base.source, {**base.sheets, "Evidence": table})


def _shuffled(raw: RawWorkbook, seed: int) -> RawWorkbook:
    sheets = {}
    for name, sheet in raw.sheets.items():
        rows = [list(r) for r in sheet.rows]
        if name != "Journey" and len(rows) > 2:
            body = rows[1:]
            random.Random(seed).shuffle(body)
            rows = [rows[0], *body]
        sheets[name] = RawSheet(name, rows)
    return RawWorkbook(raw.source, sheets)


def test_the_fingerprint_ignores_row_order_and_sees_every_value() -> None:
    raw = _workbook(EVIDENCE)
    print_ = journey_fingerprint(validate(raw)[0])
    assert len(print_) == 64
    for seed in range(5):
        assert journey_fingerprint(validate(_shuffled(raw, seed))[0]) == print_
    # one value changed, anywhere, changes it
    changed = copy.deepcopy(EVIDENCE)
    changed[1][6] = 3
    assert journey_fingerprint(validate(_workbook(changed))[0]) != print_
    dated = copy.deepcopy(EVIDENCE)
    dated[0][0] = "2026-04-09"
    assert journey_fingerprint(validate(_workbook(dated))[0]) != print_
    who = copy.deepcopy(EVIDENCE)
    who[3][8] = "r9"
    assert journey_fingerprint(validate(_workbook(who))[0]) != print_
    # a duplicated row is a change too (rows are a multiset, not a set)
    assert journey_fingerprint(validate(_workbook([*EVIDENCE, EVIDENCE[0]]))[0]) != print_
    settings = validate(raw)[0]
    settings.settings = dataclasses.replace(settings.settings, journey_name="Another")
    assert journey_fingerprint(settings) != print_


def _snapshot(fingerprint: str, taken: str, csat: float = 0.6, top5: tuple[str, ...] = ("R1", "R2")) -> Snapshot:
    return Snapshot(
        taken,
        fingerprint,
        (
            StageSnapshot("Buy", 100.0, Estimate(csat, 400, csat - 0.05, csat + 0.05), Estimate(12.0, 300, 4.0, 20.0)),
            StageSnapshot("Use", 16.7, Estimate(), Estimate(), Estimate(3.0, 2, 1.04, 4.96)),
        ),
        top5,
        ("P1", "P2", "P3"),
        3,
    )


def test_unchanged_input_appends_once_and_a_change_exactly_once_more() -> None:
    sheet: list[dict[str, object]] = []
    run = _snapshot("abc", "2026-06-01T10:00:00Z")
    sheet += rows_to_append(sheet, run)
    assert len(from_rows(sheet)) == 1
    kept = copy.deepcopy(sheet)
    # the second run on the same input, later: nothing to add
    assert rows_to_append(sheet, dataclasses.replace(run, taken="2026-06-02T10:00:00Z")) == []
    changed = _snapshot("def", "2026-06-03T10:00:00Z", csat=0.5)
    new = rows_to_append(sheet, changed)
    sheet += new
    assert len(from_rows(sheet)) == 2 and len(new) == 2
    assert sheet[: len(kept)] == kept  # the first snapshot is never rewritten
    assert rows_to_append(sheet, changed) == []
    # read back as a sheet gives it (numbers as text, blanks as ""), the content is the same
    as_text = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in sheet]
    assert from_rows(as_text)[-1].content() == changed.content()
    assert rows_to_append(as_text, changed) == []


def test_same_inputs_with_different_results_append() -> None:
    sheet = to_rows(_snapshot("abc", "t1"))
    assert len(rows_to_append(sheet, _snapshot("abc", "t2", top5=("R2", "R1")))) == 2


def test_what_changed_since_the_last_run() -> None:
    last = _snapshot("abc", "2026-06-01", csat=0.64, top5=("R1", "R2", "R3", "R4", "R5"))
    now = dataclasses.replace(
        _snapshot("def", "2026-07-01", csat=0.51, top5=("R1", "R7", "R2", "R3", "R4")),
        pain_point_ids=("P1", "P3", "P4"),
    )
    now = dataclasses.replace(now, stages=(now.stages[0], dataclasses.replace(now.stages[1], pain_index=40.0)))
    notes = what_changed(last, now)
    assert [(n.kind, n.subject) for n in notes] == [
        (ChangeKind.METRIC, "Buy"),
        (ChangeKind.PAIN_INDEX, "Use"),
        (ChangeKind.ENTERED_TOP, "R7"),
        (ChangeKind.LEFT_TOP, "R5"),
        (ChangeKind.PAIN_ADDED, "P4"),
        (ChangeKind.PAIN_RESOLVED, "P2"),
    ]
    assert [n.sentence for n in notes] == [
        "Buy CSAT fell from 64 % to 51 % since 2026-06-01 (400 and 400 answers; significant)",
        "Use's pain index rose from 17 to 40 since 2026-06-01",
        "R7 entered the top 5 at rank 2",
        "R5 left the top 5",
        "Pain point P4 is new",
        "Pain point P2 is resolved (no longer on the PainPoints sheet)",
    ]
    assert what_changed(now, now) == [] and what_changed(None, now) == []
    # a small move in CSAT, NPS or the pain index is no change
    small = dataclasses.replace(_snapshot("x", "t", csat=0.62, top5=last.top5), pain_point_ids=last.pain_point_ids)
    assert what_changed(last, small) == []


def test_nps_and_ces_moves_are_tested_from_their_intervals() -> None:
    last = _snapshot("abc", "2026-06-01")
    buy = dataclasses.replace(
        last.stages[0], nps=Estimate(-10.0, 300, -18.0, -2.0), ces=Estimate(1.2, 200, 1.0, 1.4)
    )  # the CES interval is held at the bottom of the scale: its wider half (0.2) gives the error
    old_buy = dataclasses.replace(last.stages[0], ces=Estimate(1.6, 200, 1.4, 1.8))
    last = dataclasses.replace(last, stages=(old_buy, last.stages[1]))
    now = dataclasses.replace(last, fingerprint="def", stages=(buy, last.stages[1]))
    sentences = [n.sentence for n in what_changed(last, now)]
    assert sentences == [
        "Buy NPS fell from 12 to -10 since 2026-06-01 (300 and 300 answers; significant)",
        "Buy CES fell from 1.60 to 1.20 since 2026-06-01 (200 and 200 answers; significant)",
    ]
    # the same moves with wide intervals (few answers) are no change
    wide = dataclasses.replace(buy, nps=Estimate(-10.0, 20, -50.0, 30.0), ces=Estimate(1.2, 20, 1.0, 2.4))
    assert what_changed(last, dataclasses.replace(now, stages=(wide, last.stages[1]))) == []


def test_a_run_time_reads_as_people_write_it() -> None:
    """The clock's ISO time stays in the History sheet; the sentences show it as the Dashboard heading does."""
    last = _snapshot("abc", "2026-06-01T09:05:59+00:00", csat=0.64)
    now = _snapshot("def", "2026-07-01T10:00:00+00:00", csat=0.51)
    sentence = what_changed(last, now)[0].sentence
    assert sentence == "Buy CSAT fell from 64 % to 51 % since 2026-06-01 09:05 UTC (400 and 400 answers; significant)"
    assert "T09" not in sentence and "+00:00" not in sentence
    assert shown_time("2026-06-01T11:05:59+02:00") == "2026-06-01 09:05 UTC"
    assert shown_time("2026-06-01") == "2026-06-01" and shown_time("last week") == "last week"
