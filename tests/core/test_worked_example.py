"""The README's worked example, number by number."""

from __future__ import annotations

import pandas as pd
import pytest

from addin.core import pipeline
from addin.core.validation import validate
from tests.builders import worked_example


@pytest.fixture(scope="module")
def result() -> tuple:
    journey, findings = validate(worked_example())
    return journey, findings, pipeline.analyse(journey)


def test_pain_scores(result: tuple) -> None:
    _, findings, a = result
    assert [f for f in findings if f.severity.value == "error"] == []
    # persona factors: Alex 60 / mean 50 = 1.2, Bo 40 / 50 = 0.8, no persona = 1
    assert a.pain_scores.to_dict() == pytest.approx({"P1": 96.0, "P2": 48.0, "P3": 24.0})


def test_heatmap_and_pain_index(result: tuple) -> None:
    _, _, a = result
    expected = pd.DataFrame(
        {"Browse": [0.0, 0.0, 0.0], "Buy": [96.0, 0.0, 48.0], "Use": [0.0, 24.0, 0.0]},
        index=pd.Index(["Checkout", "Help centre", "Payment"], name="Touchpoint"),
    )
    # rows sorted by total pain, highest first
    expected = expected.loc[["Checkout", "Payment", "Help centre"]]
    pd.testing.assert_frame_equal(a.heatmap, expected, check_names=False)
    assert a.summary.pain_total.to_dict() == pytest.approx({"Browse": 0, "Buy": 144, "Use": 24})
    assert a.summary.pain_index.to_dict() == pytest.approx({"Browse": 0, "Buy": 100, "Use": 100 * 24 / 144})
    assert [stage for stage, _ in a.summary.moments_of_truth] == ["Buy"]


def test_rice_scores_ranks_and_quadrants(result: tuple) -> None:
    _, _, a = result
    p = a.priorities.set_index("ID")
    # R1: impact derived = min(3, 3 x 96/100) = 2.88; value = 1000 x 2.88 x 0.8 = 2304; / 2 = 1152
    # R2: impact given 2; value = 500 x 2 x 0.5 = 500; / 1 = 500
    # R3: impact derived = 3 x 24/100 = 0.72; value = 2000 x 0.72 x 1.0 = 1440; / 4 = 360
    assert p.loc["R1", "Impact used"] == pytest.approx(2.88)
    assert p["Value"].to_dict() == pytest.approx({"R1": 2304, "R2": 500, "R3": 1440})
    assert p["Score"].to_dict() == pytest.approx({"R1": 1152, "R2": 500, "R3": 360})
    assert list(a.priorities["ID"]) == ["R1", "R2", "R3"]
    assert list(a.priorities["Rank"]) == [1, 2, 3]
    # thresholds: median value 1440, median effort 2
    assert a.priorities.attrs["value_threshold"] == pytest.approx(1440)
    assert a.priorities.attrs["effort_threshold"] == pytest.approx(2)
    assert p["Quadrant"].to_dict() == {"R1": "Quick win", "R2": "Fill-in", "R3": "Big bet"}
    assert p.loc["R1", "Rationale"] == (
        "Fixes P1 (pain 96): 1,000 customers x impact 2.88 (from pain 96) x 80 % confidence = 2,304, "
        "/ 2 person-weeks = 1,152; quick win."
    )


def test_everything_is_addressed_so_no_coverage_warning(result: tuple) -> None:
    _, _, a = result
    assert a.unaddressed.empty
