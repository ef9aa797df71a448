"""The README's worked example, number by number."""

from __future__ import annotations

import pandas as pd
import pytest

from addin.core import pipeline
from addin.core.analysis import NOT_GIVEN
from addin.core.contract import COLUMNS, Sheet
from addin.core.model import RawSheet
from addin.core.validation import validate
from tests.builders import worked_example

# Evidence for the worked example: (Persona, Stage, Touchpoint, Metric, scores)
EVIDENCE = [
    (None, "Browse", "Website", "CSAT", [5, 5, 4, 4]),
    ("Alex", "Buy", "Checkout", "CSAT", [5, 4, 2, 1]),
    ("Bo", "Buy", "Payment", "CSAT", [5, 5, 4, 3]),
    (None, "Use", "Help centre", "CSAT", [4, 2]),
    (None, "Use", "Help centre", "CES", [2, 4]),
    (None, "Buy", "checkout ", "NPS", [10, 9, 7, 3, 0]),  # same touchpoint, other spelling
    ("Alex", "Buy", "Checkout", "Emotion", [-2, -1]),
    ("Bo", "Buy", "Payment", "Emotion", [-1]),
    (None, "Browse", "Website", "Emotion", [1]),
]


@pytest.fixture(scope="module")
def result() -> tuple:
    raw = worked_example()
    header = [c.value for c in COLUMNS[Sheet.EVIDENCE]]
    rows = [
        [None, persona, stage, touchpoint, "Web", metric, score, None]
        for persona, stage, touchpoint, metric, scores in EVIDENCE
        for score in scores
    ]
    raw.sheets[Sheet.EVIDENCE.value] = RawSheet(Sheet.EVIDENCE.value, [header, *rows])
    journey, findings = validate(raw)
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


def test_all_three_heatmaps(result: tuple) -> None:
    _, _, a = result
    assert list(a.heatmaps) == ["Touchpoint", "Channel", "Persona"]  # the chosen one (default) first
    channel = a.heatmaps["Channel"]
    assert channel.to_dict("index") == {
        "Web": {"Browse": 0.0, "Buy": 96.0, "Use": 0.0},
        "App": {"Browse": 0.0, "Buy": 48.0, "Use": 0.0},
        "Chat": {"Browse": 0.0, "Buy": 0.0, "Use": 24.0},
    }
    persona = a.heatmaps["Persona"]
    assert list(persona.index) == ["Alex", "Bo", NOT_GIVEN]
    assert persona["Buy"].tolist() == [96.0, 48.0, 0.0] and persona["Use"].tolist() == [0.0, 0.0, 24.0]


def test_evidence_per_touchpoint(result: tuple) -> None:
    _, _, a = result
    m = a.touchpoint_metrics
    assert list(m.index) == ["Checkout", "Help centre", "Payment", "Website"]
    # CSAT = share of 4-5: Checkout 2/4, Help centre 1/2, Payment 3/4, Website 4/4
    assert m["csat_value"].tolist() == pytest.approx([0.5, 0.5, 0.75, 1.0])
    assert m["csat_mean_value"].tolist() == pytest.approx([3.0, 3.0, 4.25, 4.5])
    assert m["csat_n"].tolist() == [4, 2, 4, 4]
    # Wilson, z = 1.96: 2 of 4 -> 0.500 +- 0.350 = 0.150 to 0.850 (rounded); 4 of 4 -> 0.510 to 1
    assert (m.loc["Checkout", "csat_low"], m.loc["Checkout", "csat_high"]) == pytest.approx(
        (0.150039, 0.849961), abs=1e-6
    )
    assert (m.loc["Website", "csat_low"], m.loc["Website", "csat_high"]) == pytest.approx((0.510109, 1.0), abs=1e-6)
    # NPS at Checkout ("checkout " is the same touchpoint): 2 promoters, 1 passive, 2 detractors of 5
    # NPS = 40 % - 40 % = 0; interval 0 +- 1.96 x sqrt((0.4 + 0.4 - 0^2) / 5) x 100 = +-78.4
    assert m.loc["Checkout", "nps_value"] == pytest.approx(0.0)
    assert (m.loc["Checkout", "nps_low"], m.loc["Checkout", "nps_high"]) == pytest.approx((-78.3986, 78.3986), abs=1e-4)
    assert m.loc["Checkout", "nps_n"] == 5
    # CES at Help centre: answers 2 and 4 -> mean 3, sd 1.414, interval 3 +- 1.96 x 1.414 / sqrt(2)
    assert (m.loc["Help centre", "ces_value"], m.loc["Help centre", "ces_low"]) == pytest.approx((3.0, 1.040036))
    # a mean's interval stays on the answer scale: Payment CSAT 4.25 +- 0.94 ends at 5, not 5.19
    assert (m.loc["Payment", "csat_mean_low"], m.loc["Payment", "csat_mean_high"]) == pytest.approx((3.311739, 5.0))


def test_evidence_per_stage_flags_small_samples(result: tuple) -> None:
    _, _, a = result
    m = a.summary.metrics
    # Buy: Checkout and Payment CSAT answers 5 4 2 1 5 5 4 3 -> 5 of 8 satisfied
    assert m.loc["Buy", "csat_value"] == pytest.approx(0.625) and m.loc["Buy", "csat_n"] == 8
    assert m.loc["Use", "ces_n"] == 2


def test_emotion_from_evidence_per_stage_and_persona(result: tuple) -> None:
    _, _, a = result
    e, n = a.summary.emotion, a.summary.emotion_n
    assert list(e.index) == ["All customers", "Evidence: all customers", "Evidence: Alex", "Evidence: Bo"]
    assert e.loc["Evidence: all customers"].tolist()[:2] == pytest.approx([1.0, -4 / 3])
    assert pd.isna(e.loc["Evidence: all customers", "Use"])
    assert n.loc["Evidence: all customers"].tolist() == [1, 3, 0]
    assert e.loc["Evidence: Alex", "Buy"] == pytest.approx(-1.5) and n.loc["Evidence: Alex", "Buy"] == 2
    assert e.loc["Evidence: Bo", "Buy"] == pytest.approx(-1.0) and n.loc["Evidence: Bo", "Buy"] == 1


def test_importance_performance(result: tuple) -> None:
    _, _, a = result
    ipa = a.importance_performance
    # importance = pain per touchpoint (Website has none: 0); performance = CSAT % satisfied
    # thresholds are the medians: importance (24 + 48) / 2 = 36, performance (50 + 75) / 2 = 62.5
    assert ipa.attrs["importance_threshold"] == pytest.approx(36)
    assert ipa.attrs["performance_threshold"] == pytest.approx(62.5)
    assert ipa[["Importance", "Performance", "Quadrant"]].to_dict("index") == {
        "Checkout": {"Importance": 96.0, "Performance": 50.0, "Quadrant": "Concentrate here"},
        "Payment": {"Importance": 48.0, "Performance": 75.0, "Quadrant": "Keep up the good work"},
        "Help centre": {"Importance": 24.0, "Performance": 50.0, "Quadrant": "Low priority"},
        "Website": {"Importance": 0.0, "Performance": 100.0, "Quadrant": "Possible overkill"},
    }
