"""Validation keeps the Evidence Date (parsed) and Respondent columns, read as one cell is read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core import tables
from addin.core.contract import Col
from addin.core.validation import validate
from addin.core.validation.evidence import dates, respondents
from tests.builders import raw_workbook

cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3_000_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "  ", "2026-03-31", "31.03.2026", "03/31/2026", "31/31/2026", "March 31, 2026", "x", "1"]),
    st.dates(dt.date(1900, 1, 2), dt.date(9999, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(9999, 1, 1)),
    st.text(max_size=6),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(cells, max_size=40))
def test_the_date_column_agrees_with_to_date(items: list[Any]) -> None:
    got = dates(pd.Series(items, dtype=object)).tolist()
    expected = [tables.to_date(v) for v in items]
    assert [None if pd.isna(g) else g.date() for g in got] == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.booleans(), st.integers(0, 5), st.floats(0, 5), st.text(max_size=4))))
def test_respondents_are_text_and_numbers_typed_either_way_are_one(items: list[Any]) -> None:
    got = respondents(pd.Series(items, dtype=object)).tolist()
    for value, text in zip(items, got, strict=True):
        if (
            value is None
            or (isinstance(value, float) and value != value)
            or (isinstance(value, str) and not value.split())
        ):
            assert text is None
        elif isinstance(value, bool):
            assert text == str(value)
        elif isinstance(value, float) and value.is_integer():
            assert text == str(int(value))
        else:
            assert text == " ".join(str(value).split())


def test_validation_returns_date_and_respondent() -> None:
    rows = [
        [dt.datetime(2026, 4, 2, 9, 30), None, "Buy", None, None, "CSAT", 5, None, 1042],
        ["2026-04-03", None, "Buy", None, None, "NPS", 9, None, "1042"],
        ["someday", None, "Buy", None, None, "CSAT", 4, None, " r 7 "],
        [46000, None, "Buy", None, None, "CSAT", 9, None, "bad score: left out"],
    ]
    journey, found = validate(raw_workbook(["Buy"], evidence=rows))
    ev = journey.evidence
    assert ev[Col.DATE].dtype == "datetime64[s]"
    assert ev[Col.DATE].tolist()[:2] == [pd.Timestamp("2026-04-02"), pd.Timestamp("2026-04-03")]
    assert pd.isna(ev[Col.DATE].iloc[2])  # not a date: a warning, the row is kept without one
    assert ev[Col.RESPONDENT].tolist() == ["1042", "1042", "r 7"]
    assert {f.rule for f in found} >= {"E04", "E02"}


def test_a_sheet_without_the_new_columns_is_fine() -> None:
    header = ["Persona", "Stage", "Metric", "Score"]
    raw = raw_workbook(["Buy"])
    from addin.core.model import RawSheet

    raw.sheets["Evidence"] = RawSheet("Evidence", [header, [None, "Buy", "CSAT", 4]])
    journey, found = validate(raw)
    assert not [f for f in found if f.sheet == "Evidence"]
    assert journey.evidence[Col.DATE].isna().all() and journey.evidence[Col.RESPONDENT].isna().all()
