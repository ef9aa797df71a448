"""`read_table` reads a big sheet column by column and gets exactly the table the row loop gets."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.adapters.xlsx_reader import read_workbook
from addin.core import tables
from addin.core.contract import COLUMNS, Sheet
from addin.core.model import RawSheet

EVIDENCE = tuple(c.value for c in COLUMNS[Sheet.EVIDENCE])


def both_ways(sheet: RawSheet, expected: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    with monkeypatch.context() as m:
        m.setattr(tables, "COLUMNAR_ROWS", 10**9)
        rows = tables.read_table(sheet, expected)
    with monkeypatch.context() as m:
        m.setattr(tables, "COLUMNAR_ROWS", 0)
        columns = tables.read_table(sheet, expected)
    return rows, columns


def assert_same(a: tables.Table, b: tables.Table) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True, check_index_type=True)
    for col in a.frame:  # same Python objects too: True is not 1, a date is not a datetime
        left = [(type(v), "nan" if isinstance(v, float) and math.isnan(v) else v) for v in a.frame[col]]
        right = [(type(v), "nan" if isinstance(v, float) and math.isnan(v) else v) for v in b.frame[col]]
        assert left == right, col
    assert (a.columns, a.unknown_headers, a.duplicate_headers) == (b.columns, b.unknown_headers, b.duplicate_headers)


@pytest.mark.parametrize("example", ["online-shop", "saas-onboarding", "blank"])
def test_example_sheets(example_files: dict[str, Path], example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = read_workbook(example_files[example])
    for sheet, expected in COLUMNS.items():
        found = raw.find(sheet)
        if found is not None:
            assert_same(*both_ways(found, tuple(c.value for c in expected), monkeypatch))


def test_awkward_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[Any]] = [
        [" date ", "PERSONA", "Stage", "Stage", "Metric", "Score", "Comment", "Extra", "Touchpoint"],
        [dt.date(2026, 1, 1), " Ann ", "Buy", "dup", "CSAT", 5, "=SUM(A1)", "x"],  # short row
        [None, None, None, None, None, None, None, None, None],  # blank: dropped
        ["  ", "\u00a0", float("nan"), None, " ", np.float64("nan"), "", "kept aside", None],  # blank too
        [dt.datetime(2026, 1, 2, 3, 4), "Ann", "Use", None, "NPS", "7", None, None, "App"],
        ["2026-01-03", None, "Buy", None, "CES", 3.5, "  slow  ", None, "Web"],
        [46000, True, 1, None, "Emotion", -2, 1.0, None, " Web"],  # text, bool and numbers mixed
        [],  # an empty list, as a Sheets reader gives for a blank row
        [None, None, None, None, None, np.float64(2.5), None],
        [dt.time(9, 15), None, "Buy", None, "CSAT", False, dt.timedelta(days=1)],
    ]
    a, b = both_ways(RawSheet("Evidence", rows), EVIDENCE, monkeypatch)
    assert_same(a, b)
    assert list(b.frame.index) == [2, 5, 6, 7, 9, 10]
    assert b.frame.loc[7, "Persona"] is True and b.frame.loc[7, "Stage"] == 1
    assert b.frame.loc[6, "Comment"] == "slow" and b.frame.loc[5, "Touchpoint"] == "App"
    assert b.duplicate_headers == {"Stage": 4}


def test_no_known_column_and_header_only(monkeypatch: pytest.MonkeyPatch) -> None:
    cases: list[list[list[Any]]] = [[["Nothing", "known"], [1, 2], [3, 4]], [list(EVIDENCE)], []]
    for rows in cases:
        assert_same(*both_ways(RawSheet("Evidence", rows), EVIDENCE, monkeypatch))


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, -0.0, 2.5, float("nan"), 1e300]),
    st.sampled_from(["", " ", "\u00a0", "CSAT", " CSAT ", "1,200", "x"]),
    st.sampled_from([dt.date(2026, 1, 1), dt.datetime(2026, 1, 1), dt.time(1, 2), dt.timedelta(0)]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=10), max_size=25), st.booleans())
def test_any_cells(body: list[list[Any]], mixed: bool) -> None:
    """Whatever the cells, both ways give the same table (columns of one kind of value and mixed ones)."""
    header = list(EVIDENCE) if mixed else ["Score", "Comment", "Stage"]
    sheet = RawSheet("Evidence", [header, *body])
    with pytest.MonkeyPatch.context() as m:
        assert_same(*both_ways(sheet, EVIDENCE, m))


def test_texts_past_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "_MEMO_LIMIT", 2)
    body = [[f" comment {i % 7} ", None, "Buy" if i % 3 else " "] for i in range(50)]
    sheet = RawSheet("Evidence", [["Comment", "Score", "Stage"], *body])
    assert_same(*both_ways(sheet, EVIDENCE, monkeypatch))
