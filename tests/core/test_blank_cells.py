"""A blank cell never shows as "nan", "None" or "NaT": not on an output sheet, in a chart, in a picture, in a
console line or in `check --json`.

pandas 3 reads a text column as its `str` dtype, whose blank is NaN: one blank Title printed "Fix first: R01 nan"
on the Dashboard, "R01 nan" as a Top 10 label and in the sync summary. Each contract column (and each Journey
lane) is blanked in turn, in one cell (the column then mixes text and blanks, which is what pandas 3 reads
differently) and in every cell, in both examples.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from addin.adapters.xlsx_reader import read_workbook
from addin.core.contract import COLUMNS, Col, Sheet, norm
from addin.core.model import RawWorkbook, RunResult
from addin.core.pipeline import run
from addin.frontends import batch, cli, sync

MISSING = re.compile(r"\b(nan|NaN|None|NaT|<NA>)\b")
EXAMPLES = ("online-shop", "saas-onboarding")
LANES = ("Touchpoints", "Channels", "Emotion", "Moments of truth", "Pain points", "Owner")
_RAW: dict[str, RawWorkbook] = {}


def example(name: str, example_files: dict[str, Path]) -> RawWorkbook:
    if name not in _RAW:
        _RAW[name] = read_workbook(example_files[name])
    return copy.deepcopy(_RAW[name])


def blank_column(raw: RawWorkbook, sheet: str, column: str, every: bool) -> None:
    rows = raw.sheets[sheet].rows
    j = [norm(h) for h in rows[0]].index(norm(column))
    for row in rows[1:] if every else rows[1:2]:
        row[j] = None


def blank_lane(raw: RawWorkbook, lane: str, every: bool) -> None:
    for row in raw.sheets[Sheet.JOURNEY.value].rows[1:]:
        if norm(row[0]) == norm(lane):
            for j in range(1, len(row) if every else 2):
                row[j] = None
            return
    raise AssertionError(f"the example has no {lane} lane")


def figure_texts(result: RunResult) -> Iterator[tuple[str, str]]:
    """Every text placed in the pictures (titles, axis and tick labels, legends, annotations)."""
    from matplotlib.text import Text

    for sheet in result.outputs:
        for picture in sheet.pictures:
            fig = picture.figure()
            for t in fig.findobj(Text):
                yield f"{sheet.name} picture {picture.name}", t.get_text()


def everything_said(result: RunResult) -> Iterator[tuple[str, str]]:
    """(where, text) of everything a user reads: output cells, charts, pictures, console lines, JSON."""
    for sheet in result.outputs:
        for (r, c), cell in sheet.cells.items():
            if isinstance(cell.value, str):
                yield f"{sheet.name} cell {r},{c}", cell.value
        for chart in sheet.charts:
            for text in (chart.title, chart.x_title, chart.y_title, *(s.name for s in chart.series)):
                yield f"{sheet.name} chart {chart.name}", text
    yield from figure_texts(result)
    found = result.findings  # what `check` finds, and the C01 warnings of the analysis
    as_json = [dict(file="x.xlsx", **f.as_dict()) for f in found]
    yield "check --json", json.dumps(as_json, ensure_ascii=False)
    for line in cli.finding_lines([f.as_dict() for f in found]):
        yield "check", line
    outcome = batch.regenerated(Path("x.xlsx"), Path("x.xlsx"), result, [])
    yield "regenerate", outcome.message
    for line in cli.finding_lines(outcome.findings):
        yield "regenerate", line
    for fact in result.summary.key_facts:
        yield "demo", fact
    synced = sync.SyncOutcome("id", 0, "Journey", result.findings, result.summary, written=True)
    for line in sync.describe(synced):
        yield "sync", line
    yield "sync --json", json.dumps(synced.as_json(), ensure_ascii=False)


def assert_no_missing_marker(raw: RawWorkbook) -> None:
    result = run(raw)
    said = list(everything_said(result))
    bad = [(where, text) for where, text in said if text and MISSING.search(text)]
    assert not bad, bad[:5]


CASES = [
    pytest.param(ex, sheet.value, col.value, every, id=f"{ex}-{sheet.value}-{col.value}-{'all' if every else 'one'}")
    for ex in EXAMPLES
    for sheet, cols in COLUMNS.items()
    for col in cols
    for every in ((False, True) if ex == EXAMPLES[0] else (False,))
]
"""Each column blanked in one cell in both examples, and in every cell in the first (the two readings pandas 3
treats differently: a column that mixes text and blanks, and a column of blanks only)."""


@pytest.mark.slow
@pytest.mark.parametrize(("ex", "sheet", "column", "every"), CASES)
def test_a_blanked_column_never_reads_as_nan(
    example_files: dict[str, Path], ex: str, sheet: str, column: str, every: bool
) -> None:
    raw = example(ex, example_files)
    blank_column(raw, sheet, column, every)
    assert_no_missing_marker(raw)


@pytest.mark.slow
@pytest.mark.parametrize("lane", LANES)
@pytest.mark.parametrize("every", [False, True], ids=["one", "all"])
def test_a_blanked_lane_never_reads_as_nan(example_files: dict[str, Path], lane: str, every: bool) -> None:
    ex = EXAMPLES[0]
    raw = example(ex, example_files)
    blank_lane(raw, lane, every)
    assert_no_missing_marker(raw)


def test_one_blank_title_is_left_blank_where_the_title_is_shown(example_files: dict[str, Path]) -> None:
    """The issue's case, quick: R01 without a title is 'R01 (no title)' on the Dashboard, its chart and the console."""
    raw = example("online-shop", example_files)
    blank_column(raw, Sheet.RECOMMENDATIONS.value, Col.TITLE.value, every=False)
    result = run(raw)
    facts = result.summary.key_facts
    assert "Fix first: R01 (no title) (score 56,700, quick win)." in facts
    dashboard = next(s for s in result.outputs if s.name == Sheet.DASHBOARD.value)
    labels = {c.value for c in dashboard.cells.values() if isinstance(c.value, str) and c.value.startswith("R01")}
    assert "R01 (no title)" in labels and labels <= {"R01", "R01 (no title)"}  # the ID column, the Top 10 label
    top = result.summary.top[0]
    assert top.title is None
    lines = sync.describe(sync.SyncOutcome("id", 0, "Journey", result.findings, result.summary, written=True))
    assert "  Fix first: R01 (no title) (score 56,700, Quick win)." in lines
    assert_no_missing_marker(raw)


def test_validated_tables_have_the_contract_dtypes(example_files: dict[str, Path]) -> None:
    """Each validated frame holds each contract column with the dtype `contract.KINDS` declares; text blanks are
    None (never NaN), whatever pandas version reads them."""
    from addin.core.contract import DTYPES, KINDS
    from addin.core.validation import validate

    raw = example("online-shop", example_files)
    for sheet, col in ((Sheet.RECOMMENDATIONS, Col.TITLE), (Sheet.PAIN_POINTS, Col.TOUCHPOINT)):
        blank_column(raw, sheet.value, col.value, every=False)
    journey, _ = validate(raw)
    frames = {
        Sheet.PERSONAS: journey.personas,
        Sheet.PAIN_POINTS: journey.pain_points,
        Sheet.RECOMMENDATIONS: journey.recommendations,
        Sheet.EVIDENCE: journey.evidence,
        Sheet.FUNNEL: journey.funnel,
    }
    for sheet, frame in frames.items():
        for col, kind in KINDS[sheet].items():
            if col in frame.columns:
                assert str(frame[col].dtype) == DTYPES[kind], (sheet, col, frame[col].dtype)
    assert journey.recommendations[Col.TITLE].iloc[0] is None
    assert journey.pain_points[Col.TOUCHPOINT].iloc[0] is None


def test_every_reader_blank_reads_as_none() -> None:
    """Blanks as the readers give them (None from a file or Excel, "" from Google, NaN, NaT, pd.NA, spaces) are
    one blank, None, once the table is read; a row blank in every column is skipped."""
    import pandas as pd

    from addin.core.model import RawSheet
    from addin.core.tables import read_table

    header = [c.value for c in COLUMNS[Sheet.FUNNEL]]
    rows = [header, ["Buy", "", 5], ["Use", pd.NaT, pd.NA], ["  ", float("nan"), None], [None, None, None]]
    table = read_table(RawSheet("Funnel", rows), COLUMNS[Sheet.FUNNEL])
    assert table.frame.index.tolist() == [2, 3]
    assert table.frame.to_dict("list") == {"Stage": ["Buy", "Use"], "Entered": [None, None], "Completed": [5, None]}
