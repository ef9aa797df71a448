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
TOUCHPOINTS = ["Web", "App", "Shop", "Phone"]
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
                "Web",
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
    for _ in range(draw(st.integers(0, 40))):
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
                None,
                draw(st.sampled_from(stages)),
                draw(st.sampled_from(TOUCHPOINTS)),
                "Web",
                metric,
                draw(score),
                None,
            ]
        )
    method = draw(st.sampled_from(["RICE", "ICE", "Weighted"]))
    return {
        "stages": stages,
        "personas": personas,
        "pain_points": pains,
        "recommendations": recs,
        "evidence": evidence,
        "settings": [["Scoring method", method]],
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
    assert (after.heatmap.reindex_like(before.heatmap).fillna(0) >= before.heatmap - 1e-9).all().all()
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
    pd.testing.assert_frame_equal(before.priorities, after.priorities)
    pd.testing.assert_series_equal(before.summary.pain_index, after.summary.pain_index)
    pd.testing.assert_frame_equal(before.summary.metrics, after.summary.metrics, check_exact=False, rtol=1e-9)
    assert list(before.unaddressed.index) == list(after.unaddressed.index)


@given(st.integers(1, 2000), st.floats(0, 1))
def test_wilson_interval_contains_the_share_and_narrows_with_n(n: int, p: float) -> None:
    k = round(p * n)
    low, high = wilson(np.array([k]), np.array([n]))
    assert low[0] - 1e-12 <= k / n <= high[0] + 1e-12
    low4, high4 = wilson(np.array([4 * k]), np.array([4 * n]))
    assert high4[0] - low4[0] < high[0] - low[0]


@given(st.lists(st.integers(0, 10), min_size=2, max_size=200))
def test_nps_and_mean_intervals_contain_the_estimate_and_narrow(scores: list[int]) -> None:
    def metrics(values: list[int], metric: str) -> pd.Series:
        frame = pd.DataFrame({"Stage": "S", "Metric": metric, "Score": [float(v) for v in values]})
        return evidence_metrics(frame).loc["S"]

    for metric, prefix in (("NPS", "nps"), ("CES", "ces")):
        values = scores if metric == "NPS" else [1 + v % 7 for v in scores]
        m = metrics(values, metric)
        assert m[f"{prefix}_low"] - 1e-9 <= m[f"{prefix}_value"] <= m[f"{prefix}_high"] + 1e-9
        m4 = metrics(values * 4, metric)
        width, width4 = m[f"{prefix}_high"] - m[f"{prefix}_low"], m4[f"{prefix}_high"] - m4[f"{prefix}_low"]
        assert width4 <= width + 1e-9
        if width > 0 and not math.isclose(width, 200):  # a capped NPS interval cannot narrow further
            assert width4 < width
