"""Whatever a person types anywhere, validation reports it and never fails: every finding names a rule and a cell."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import pipeline
from addin.core.contract import COLUMNS, Sheet
from addin.core.model import RawSheet, RawWorkbook
from addin.core.rules import RULE_INFO, Rule

CELL = re.compile(r"^([A-Z]{1,3}[1-9][0-9]*)?$")
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "P01", "p01", "R01", "Purchase", "purchase ", "Busy parent", "80%", "0,5", "CSAT"]),
    st.sampled_from(["NPS", "Emotion", "RICE", "Scoring method", "Weight: pain", "-1", "3", "x", "=SUM(A1)"]),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
    st.text(max_size=8),
)
rows = st.lists(st.lists(anything, max_size=10), max_size=8)


def sheet_of(name: Sheet, header_kept: bool, body: list[list[Any]]) -> RawSheet:
    header: list[Any] = [c.value for c in COLUMNS[name]] if header_kept else ["junk", None, "ID"]
    return RawSheet(name.value, [header, *body])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    grid=st.lists(st.lists(anything, min_size=1, max_size=8), min_size=1, max_size=8),
    tables=st.dictionaries(st.sampled_from(list(COLUMNS)), st.tuples(st.booleans(), rows)),
)
def test_any_content_gives_findings_not_a_crash(
    grid: list[list[Any]], tables: dict[Sheet, tuple[bool, list[list[Any]]]]
) -> None:
    sheets = {Sheet.JOURNEY.value: RawSheet(Sheet.JOURNEY.value, grid)}
    for name, (kept, body) in tables.items():
        sheets[name.value] = sheet_of(name, kept, body)
    findings = pipeline.check(RawWorkbook("any.xlsx", sheets))
    codes = {r.value: r for r in Rule}
    for f in findings:
        assert f.rule in codes and f.severity is RULE_INFO[codes[f.rule]][0]
        assert CELL.match(f.cell), f
        assert f.message and f.fix
    severities = [f.severity.value for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")
