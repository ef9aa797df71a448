"""Big Evidence sheets: checked column by column (no per-row Python), and the report stays readable.

The whole-column helpers must say exactly what the one-value functions say, for any mix of values.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core import tables
from addin.core.contract import Col, norm
from addin.core.model import RawSheet
from addin.core.validation import MAX_ROWS_PER_RULE, validate
from tests.builders import raw_workbook

STAGES = ["Browse", "Buy", "Use"]


def evidence_rows(n: int, *, broken: bool) -> list[list[Any]]:
    """n rows cycling through four mistakes (or none): metric, score, stage, date."""
    rows = []
    for i in range(n):
        row: list[Any] = [dt.date(2026, 1, 1 + i % 28), None, STAGES[i % 3], "Web", "Web", "CSAT", 1 + i % 5, None]
        if broken:
            kind = i % 4
            if kind == 0:
                row[5] = "Happiness"
            elif kind == 1:
                row[6] = 99
            elif kind == 2:
                row[2] = "Checkout page"
            else:
                row[0] = f"week {i % 52}"
        rows.append(row)
    return rows


def test_many_bad_rows_give_a_short_report_with_the_true_counts() -> None:
    n = 200_000
    raw = raw_workbook(STAGES, lanes={"Emotion": [1, -1, 0]}, evidence=evidence_rows(n, broken=True))
    journey, findings = validate(raw)
    assert len(journey.evidence) == n // 4  # a bad date is a warning: the row is kept
    per_rule = {rule: [f for f in findings if f.rule == rule] for rule in ("E01", "E02", "E03", "E04")}
    for rule, items in per_rule.items():
        assert len(items) == MAX_ROWS_PER_RULE + 1, rule
        assert (
            items[-1].message
            == f"... and {n // 4 - MAX_ROWS_PER_RULE:,} more rows with the same problem ({n // 4:,} in all)."
        )
        first = int(items[0].cell[1:])
        assert [f.cell for f in items[:3]] == [f"{items[0].cell[0]}{first + 4 * k}" for k in range(3)], rule
    assert per_rule["E01"][0].cell == "F2" and per_rule["E02"][0].cell == "G3"
    assert per_rule["E03"][0].cell == "C4" and per_rule["E04"][0].cell == "A5"
    assert len(findings) < 120


def test_each_distinct_text_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"to_date": 0, "to_number": 0}
    for name in calls:
        real = getattr(tables, name)

        def counting(value: Any, _real: Any = real, _name: str = name) -> Any:
            calls[_name] += 1
            return _real(value)

        monkeypatch.setattr(tables, name, counting)
    rows = evidence_rows(40_000, broken=True)
    for i, row in enumerate(rows):
        row[6] = str(row[6]) if i % 2 else row[6]  # half the scores stored as text
    validate(raw_workbook(STAGES, lanes={"Emotion": [1, -1, 0]}, evidence=rows))
    assert calls["to_date"] <= 52  # "week 0" .. "week 51"
    assert calls["to_number"] <= 10  # "1" .. "5" and "99"


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3_000_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "  ", " 4 ", "1,200", "0,8", "-3", "\u22122", "+1.5", "x", "80%", "1e3", ".", "inf", "nan"]),
    st.sampled_from(["2026-03-31", "31.03.2026", "03/31/2026", "31/31/2026", "March 31, 2026", "someday"]),
    st.dates(dt.date(1900, 1, 2), dt.date(9999, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(9999, 1, 1)),
    st.text(max_size=6),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(values, max_size=40))
def test_whole_column_helpers_agree_with_the_one_value_functions(items: list[Any]) -> None:
    series = pd.Series(items, dtype=object, index=range(2, len(items) + 2))
    numbers = tables.numeric_column(series).tolist()
    expected = [tables.to_number(v) for v in items]
    assert [None if math.isnan(x) else x for x in numbers] == expected
    blank = [v is None or (isinstance(v, float) and math.isnan(v)) for v in items]
    assert tables.date_column_ok(series).tolist() == [
        b or tables.to_date(v) is not None for b, v in zip(blank, items, strict=True)
    ]
    cleaned, is_blank = tables.clean_values(np.array(items, dtype=object))
    assert is_blank.tolist() == [tables.is_blank(v) for v in items]
    assert cleaned.tolist() == [None if tables.is_blank(v) else (v.strip() if isinstance(v, str) else v) for v in items]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.sampled_from(["Buy", " buy ", "BUY", "B uy", "Use", "use  ", "x", ""])), max_size=30
    )
)
def test_lookup_column_agrees_with_a_dictionary_lookup(items: list[Any]) -> None:
    mapping = {norm(s): s for s in STAGES}
    found = tables.lookup_column(pd.Series(items, dtype=object), mapping).tolist()
    assert found == [None if tables.is_blank(v) else mapping.get(norm(v)) for v in items]


def test_read_table_pads_ragged_rows_and_drops_blank_ones() -> None:
    sheet = RawSheet(
        "PainPoints",
        [["ID", "Stage", " severity "], ["P1", "Buy"], [None, "  ", None, "ignored"], ["P2", "Use", 3, 4, 5], []],
    )
    table = tables.read_table(sheet, (Col.ID, Col.STAGE, Col.SEVERITY))
    assert table.frame.index.tolist() == [2, 4]
    assert table.frame[Col.SEVERITY].tolist() == [None, 3]
    assert table.columns == {Col.ID: 1, Col.STAGE: 2, Col.SEVERITY: 3} and table.width == 3
