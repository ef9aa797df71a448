"""Rows never vanish without a word: what can be kept is kept, what is left out is reported at its cell and
counted per table ("2 recommendations left out because of errors: see Validation")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from addin.core.contract import Col, Sheet
from addin.core.model import LeftOut
from addin.core.pipeline import check, run
from addin.core.rules import Rule
from addin.core.validation import validate
from addin.frontends import batch
from tests.builders import raw_workbook

PAINS = [
    ["P1", "Buy", "Checkout", "Web", None, "Shipping cost shown late", 5, 4, "analytics"],
    ["P2", "Buy", "Payment", "App", None, "Card declined", 3, 5, "support"],
    ["P3", "Use", "Help centre", "Chat", None, "Slow answers", 2, 3, "survey"],
]


def journey_with(recommendations: list[list[Any]], pains: list[list[Any]] | None = None) -> Any:
    return raw_workbook(
        stages=["Browse", "Buy", "Use"],
        lanes={"Emotion": [1, -2, 0]},
        pain_points=pains if pains is not None else PAINS,
        recommendations=recommendations,
    )


def rec(rid: str, addresses: Any, effort: Any = 1, reach: Any = 100) -> list[Any]:
    return [rid, f"Fix {rid}", addresses, reach, None, 80, effort, None, None]


def findings_of(raw: Any, rule: Rule) -> list[Any]:
    return [f for f in check(raw) if f.rule == rule.value]


def test_effort_in_weeks_is_read_as_person_weeks_with_a_warning_at_its_cell() -> None:
    raw = journey_with([rec("R1", "P1", effort="2 weeks"), rec("R2", "P2", effort=" 1.5 wk "), rec("R3", "P3")])
    journey, found = validate(raw)
    efforts = dict(zip(journey.recommendations[Col.ID], journey.recommendations[Col.EFFORT], strict=True))
    assert efforts == {"R1": 2.0, "R2": 1.5, "R3": 1.0}
    warned = [(f.severity.value, f.cell, f.message) for f in found if f.rule == Rule.REC_EFFORT_WITH_UNIT.value]
    assert warned == [
        ("warning", "G2", "Effort is '2 weeks'; it is read as 2 person-weeks."),
        ("warning", "G3", "Effort is '1.5 wk'; it is read as 1.5 person-weeks."),
    ]
    assert journey.left_out == []


@pytest.mark.parametrize("effort", ["2 days", "two weeks", "weeks", "0 weeks"])
def test_effort_in_another_unit_or_no_number_is_an_error_at_its_cell(effort: str) -> None:
    raw = journey_with([rec("R1", "P1", effort=effort), rec("R2", "P2")])
    errors = findings_of(raw, Rule.REC_BAD_EFFORT)
    assert [(f.cell, f.severity.value) for f in errors] == [("G2", "error")]
    result = run(raw)
    assert result.left_out == [LeftOut(Sheet.RECOMMENDATIONS.value, 1, (Rule.REC_BAD_EFFORT.value,))]


def test_an_unknown_id_in_addresses_is_ignored_and_the_rest_kept() -> None:
    raw = journey_with([rec("R1", "P3, P9"), rec("R2", "P1, P2")])
    journey, found = validate(raw)
    addresses = dict(zip(journey.recommendations[Col.ID], journey.recommendations[Col.ADDRESSES], strict=True))
    assert addresses == {"R1": ("P3",), "R2": ("P1", "P2")}
    unknown = [f for f in found if f.rule == Rule.REC_UNKNOWN_PAIN.value]
    assert [(f.cell, f.severity.value) for f in unknown] == [("C2", "warning")]
    assert "'P9'" in unknown[0].message and "other IDs are kept" in unknown[0].message
    everything = check(raw)
    assert not [f for f in everything if f.rule == Rule.UNADDRESSED_PAIN.value], "P3 is addressed by R1"
    priorities = next(s for s in run(raw).outputs if s.name == Sheet.PRIORITIES.value)
    assert any(row[1] == "R1" and row[7] == "P3" for row in priorities.grid() if row)


def test_a_recommendation_keeps_the_addresses_of_a_pain_point_with_an_error() -> None:
    pains = [*PAINS, ["P4", "Nowhere", "Help centre", "Chat", None, "Lost in menus", 4, 4, "survey"]]
    raw = journey_with([rec("R1", "P4, P1"), rec("R2", "P4")], pains)
    result = run(raw)
    priorities = next(s for s in result.outputs if s.name == Sheet.PRIORITIES.value)
    shown = {row[1]: row[7] for row in priorities.grid() if row and row[1] in ("R1", "R2")}
    assert shown == {"R1": "P4, P1", "R2": "P4"}
    rationale = {row[1]: row[8] for row in priorities.grid() if row and row[1] in ("R1", "R2")}
    assert "P4 (left out: see Validation)" in rationale["R2"]
    # the pain point's own error is reported on it, not again on the recommendations
    assert {f.rule for f in result.findings if f.sheet == Sheet.RECOMMENDATIONS.value} <= {Rule.REC_NO_VALUE.value}
    assert [f.cell for f in result.findings if f.rule == Rule.PAIN_UNKNOWN_STAGE.value] == ["B5"]
    assert result.left_out == [LeftOut(Sheet.PAIN_POINTS.value, 1, (Rule.PAIN_UNKNOWN_STAGE.value,))]


@pytest.mark.parametrize("written", ["P2; P3", "P2/P3", "P2 P3", "P2\nP3", "P2,P3", " p2 ;  P3 ", "P2 / P3\n"])
def test_addresses_lists_are_read_whatever_the_separator(written: str) -> None:
    raw = journey_with([rec("R1", written)])
    journey, found = validate(raw)
    assert journey.recommendations[Col.ADDRESSES].tolist() == [("P2", "P3")]
    assert not [f for f in found if f.rule == Rule.REC_UNKNOWN_PAIN.value]


def test_an_id_with_a_space_in_it_stays_one_id() -> None:
    pains = [["Pay 1", *PAINS[1][1:]], ["Pay", *PAINS[0][1:]], ["1", *PAINS[2][1:]]]
    raw = journey_with([rec("R1", "Pay 1")], pains)
    journey, _ = validate(raw)
    assert journey.recommendations[Col.ADDRESSES].tolist() == [("Pay 1",)]


def test_each_table_says_how_many_rows_were_left_out_and_why() -> None:
    raw = journey_with([rec("R1", "P1", effort="soon"), rec("R2", "P2", reach=-1), rec("R3", "P3"), rec("R1", "P2")])
    result = run(raw)
    assert result.left_out == [LeftOut(Sheet.RECOMMENDATIONS.value, 3, ("R02", "R04", "R07"))]
    said = "3 recommendations left out because of errors: see Validation (R02, R04, R07)."
    assert result.left_out[0].sentence() == said
    message = batch.regenerated(Path("j.xlsx"), Path("j.xlsx"), result, []).message
    assert said in message


def test_evidence_rows_left_out_are_counted_without_a_row_by_row_pass() -> None:
    raw = raw_workbook(
        stages=["Browse", "Buy"],
        pain_points=[PAINS[0]],
        recommendations=[rec("R1", "P1")],
        evidence=[[None, None, "Buy", "Checkout", "Web", "CSAT", 4, None]] * 3
        + [[None, None, "Buy", "Checkout", "Web", "CSAT", 9, None]] * 40
        + [[None, None, "Nowhere", "Checkout", "Web", "NPS", 9, None]] * 2,
    )
    result = run(raw)
    assert result.left_out == [LeftOut(Sheet.EVIDENCE.value, 42, ("E02", "E03"))]
    assert result.left_out[0].sentence() == "42 evidence rows left out because of errors: see Validation (E02, E03)."


def test_one_row_with_one_error_reads_as_an_error() -> None:
    said = "1 funnel row left out because of an error: see Validation (F02)."
    assert LeftOut("Funnel", 1, ("F02",)).sentence() == said
