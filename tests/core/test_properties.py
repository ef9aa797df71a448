"""Properties of the analysis that must hold for any journey (hypothesis)."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import pipeline
from addin.core.analysis import evidence_metrics, wilson
from addin.core.validation import validate
from tests.builders import raw_workbook

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

STAGES = ["Aware", "Choose", "Buy", "Use", "Stay"]
TOUCHPOINTS = ["Web", "App", "Shop", "Phone", "web ", " APP"]  # spellings differing in case/spaces are one row
CHANNELS = ["Online", "Store", "Call", "online"]
PERSONAS = ["Ann", "Ben", "Cy"]


@st.composite
def journeys(draw: Any) -> dict[str, Any]:
    n_stages = draw(st.integers(2, 5))
    stages = STAGES[:n_stages]
    n_personas = draw(st.integers(0, 3))
    weighted = draw(st.booleans())
    personas = [[PERSONAS[i], "", draw(st.integers(1, 80)) if weighted else None] for i in range(n_personas)]
    n_pains = draw(st.integers(1, 12))
    pains = []
    for i in range(n_pains):
        persona = draw(st.sampled_from([None, *[p[0] for p in personas]]))
        pains.append(
            [
                f"P{i}",
                draw(st.sampled_from(stages)),
                draw(st.sampled_from(TOUCHPOINTS)),
                draw(st.sampled_from(CHANNELS)),
                persona,
                f"pain {i}",
                draw(st.integers(1, 5)),
                draw(st.integers(1, 5)),
                "survey",
            ]
        )
    recs = []
    for i in range(draw(st.integers(1, 8))):
        addresses = draw(st.lists(st.sampled_from([p[0] for p in pains]), max_size=3, unique=True))
        impact = draw(st.sampled_from([None, None, 0.25, 0.5, 1, 2, 3]))
        recs.append(
            [
                f"R{i}",
                f"rec {i}",
                ", ".join(addresses),
                draw(st.integers(0, 5000)),
                impact,
                draw(st.integers(0, 100)),
                draw(st.sampled_from([0.5, 1, 2, 3, 5, 8])),
                "",
                "",
            ]
        )
    evidence = []
    for _ in range(draw(st.integers(0, 60))):
        metric, score = draw(
            st.sampled_from(
                [
                    ("CSAT", st.integers(1, 5)),
                    ("NPS", st.integers(0, 10)),
                    ("CES", st.integers(1, 7)),
                    ("Emotion", st.integers(-2, 2)),
                ]
            )
        )
        evidence.append(
            [
                None,
                draw(st.sampled_from([None, *[p[0] for p in personas]])),
                draw(st.sampled_from(stages)),
                draw(st.sampled_from([None, *TOUCHPOINTS])),
                draw(st.sampled_from(CHANNELS)),
                metric,
                draw(score),
                None,
            ]
        )
    method = draw(st.sampled_from(["RICE", "ICE", "Weighted"]))
    rows = draw(st.sampled_from(["Touchpoint", "Channel", "Persona"]))
    return {
        "stages": stages,
        "personas": personas,
        "pain_points": pains,
        "recommendations": recs,
        "evidence": evidence,
        "settings": [["Scoring method", method], ["Heatmap rows", rows]],
        "lanes": {"Emotion": [draw(st.integers(-2, 2)) for _ in stages]},
    }


def analyse(spec: dict[str, Any]) -> Any:
    journey, findings = validate(raw_workbook(**spec))
    assert not [f for f in findings if f.severity.value == "error"], findings
    return journey, pipeline.analyse(journey)


@given(journeys(), st.data())
def test_more_severity_or_frequency_never_lowers_pain_or_value(spec: dict[str, Any], data: Any) -> None:
    _, before = analyse(spec)
    i = data.draw(st.integers(0, len(spec["pain_points"]) - 1))
    col = data.draw(st.sampled_from([6, 7]))  # Severity or Frequency
    pid = spec["pain_points"][i][0]
    raised = {**spec, "pain_points": [list(p) for p in spec["pain_points"]]}
    raised["pain_points"][i][col] = min(5, raised["pain_points"][i][col] + data.draw(st.integers(1, 4)))
    _, after = analyse(raised)
    assert list(after.heatmaps) == list(before.heatmaps)
    for dim, table in before.heatmaps.items():  # every cell of all three heatmaps
        assert (after.heatmaps[dim].reindex_like(table).fillna(0) >= table - 1e-9).all().all(), dim
    assert (after.summary.pain_total >= before.summary.pain_total - 1e-9).all()
    b = before.priorities.set_index("ID")
    a = after.priorities.set_index("ID")
    for rid in b.index:
        if pid in b.loc[rid, "Addresses"].split(", "):
            assert a.loc[rid, "Value"] >= b.loc[rid, "Value"] - 1e-9
            assert a.loc[rid, "Score"] >= b.loc[rid, "Score"] - 1e-9


@given(journeys(), st.data())
def test_more_effort_never_raises_a_score(spec: dict[str, Any], data: Any) -> None:
    _, before = analyse(spec)
    i = data.draw(st.integers(0, len(spec["recommendations"]) - 1))
    raised = {**spec, "recommendations": [list(r) for r in spec["recommendations"]]}
    raised["recommendations"][i][6] = raised["recommendations"][i][6] * data.draw(st.sampled_from([1.5, 2, 10]))
    _, after = analyse(raised)
    b = before.priorities.set_index("ID")["Score"]
    a = after.priorities.set_index("ID")["Score"].reindex(b.index)
    assert (a <= b + 1e-9).all()


@given(journeys(), st.randoms(use_true_random=False))
def test_row_order_changes_no_result(spec: dict[str, Any], rnd: random.Random) -> None:
    _, before = analyse(spec)
    shuffled = dict(spec)
    for key in ("personas", "pain_points", "recommendations", "evidence"):
        rows = list(spec[key])
        rnd.shuffle(rows)
        shuffled[key] = rows
    _, after = analyse(shuffled)
    pd.testing.assert_frame_equal(before.heatmap, after.heatmap)
    assert list(before.heatmaps) == list(after.heatmaps)
    for dim, table in before.heatmaps.items():
        pd.testing.assert_frame_equal(table, after.heatmaps[dim])
    pd.testing.assert_frame_equal(before.priorities, after.priorities)
    pd.testing.assert_series_equal(before.summary.pain_index, after.summary.pain_index)
    same = {"check_exact": False, "rtol": 1e-9}
    pd.testing.assert_frame_equal(before.summary.metrics, after.summary.metrics, **same)
    pd.testing.assert_frame_equal(before.touchpoint_metrics, after.touchpoint_metrics, **same)
    pd.testing.assert_frame_equal(before.summary.emotion, after.summary.emotion, **same)
    pd.testing.assert_frame_equal(before.summary.emotion_n, after.summary.emotion_n)
    pd.testing.assert_frame_equal(before.importance_performance, after.importance_performance, **same)
    assert before.importance_performance.attrs == after.importance_performance.attrs
    assert before.summary.moments_of_truth == after.summary.moments_of_truth
    assert list(before.unaddressed.index) == list(after.unaddressed.index)


@given(st.integers(1, 2000), st.floats(0, 1))
def test_wilson_interval_contains_the_share_and_narrows_with_n(n: int, p: float) -> None:
    k = round(p * n)
    low, high = wilson(np.array([k]), np.array([n]))
    assert low[0] - 1e-12 <= k / n <= high[0] + 1e-12
    low4, high4 = wilson(np.array([4 * k]), np.array([4 * n]))
    assert high4[0] - low4[0] < high[0] - low[0]


@given(st.lists(st.integers(0, 10), min_size=2, max_size=200), st.sampled_from(["Stage", "Touchpoint"]))
def test_intervals_contain_the_estimate_and_narrow(scores: list[int], by: str) -> None:
    """Every metric, per stage and per touchpoint: the interval holds the estimate and four times the
    answers (same spread) give a narrower interval.
    """

    def metrics(values: list[int], metric: str) -> pd.Series:
        frame = pd.DataFrame({by: "S", "Metric": metric, "Score": [float(v) for v in values]})
        return evidence_metrics(frame, by=by).loc["S"]

    scales = {
        "NPS": lambda v: v,
        "CES": lambda v: 1 + v % 7,
        "CSAT": lambda v: 1 + v % 5,
        "Emotion": lambda v: v % 5 - 2,
    }
    prefixes = {"NPS": ["nps"], "CES": ["ces"], "CSAT": ["csat", "csat_mean"], "Emotion": ["emotion"]}
    for metric, scale in scales.items():
        values = [scale(v) for v in scores]
        m, m4 = metrics(values, metric), metrics(values * 4, metric)
        for prefix in prefixes[metric]:
            assert m[f"{prefix}_n"] == len(values) and m4[f"{prefix}_n"] == 4 * len(values)
            assert m[f"{prefix}_low"] - 1e-9 <= m[f"{prefix}_value"] <= m[f"{prefix}_high"] + 1e-9
            width = m[f"{prefix}_high"] - m[f"{prefix}_low"]
            width4 = m4[f"{prefix}_high"] - m4[f"{prefix}_low"]
            assert width4 <= width + 1e-9
            # an interval held to the whole scale (NPS -100..100, CSAT 1..5) may not narrow yet
            full = {"nps": 200, "csat": 1, "csat_mean": 4, "ces": 6, "emotion": 4}[prefix]
            if width > 1e-12 and not math.isclose(width, full):
                assert width4 < width


def test_one_answer_has_no_interval_for_a_mean() -> None:
    frame = pd.DataFrame({"Stage": ["S"], "Metric": ["CES"], "Score": [3.0]})
    m = evidence_metrics(frame).loc["S"]
    assert m["ces_value"] == 3 and m["ces_n"] == 1 and math.isnan(m["ces_low"]) and math.isnan(m["ces_high"])
