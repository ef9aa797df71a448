"""Properties of the analysis that must hold for any journey (hypothesis)."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import pipeline
from addin.core.analysis import evidence_metrics, wilson
from addin.core.results import Results
from addin.core.results_json import to_dict
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


def _cells(result: Results) -> dict[tuple[str, str, str], float]:
    """Every cell of all three heatmaps: (dimension, row, stage) -> pain."""
    return {
        (h.dimension.value, row.label, stage): v
        for h in result.heatmaps
        for row in h.rows
        for stage, v in zip(result.stages, row.pain, strict=True)
    }


@given(journeys(), st.data())
def test_more_severity_or_frequency_never_lowers_pain_or_value(spec: dict[str, Any], data: Any) -> None:
    _, before = analyse(spec)
    i = data.draw(st.integers(0, len(spec["pain_points"]) - 1))
    col = data.draw(st.sampled_from([6, 7]))  # Severity or Frequency
    pid = spec["pain_points"][i][0]
    raised = {**spec, "pain_points": [list(p) for p in spec["pain_points"]]}
    raised["pain_points"][i][col] = min(5, raised["pain_points"][i][col] + data.draw(st.integers(1, 4)))
    _, after = analyse(raised)
    assert [h.dimension for h in after.heatmaps] == [h.dimension for h in before.heatmaps]
    grown = _cells(after)
    for key, value in _cells(before).items():  # every cell of all three heatmaps
        assert grown.get(key, 0.0) >= value - 1e-9, key
    for b, a in zip(before.stage_results, after.stage_results, strict=True):
        assert a.pain >= b.pain - 1e-9
    later = {r.id: r for r in after.priorities.recommendations}
    for rec in before.priorities.recommendations:
        if pid in rec.addresses:
            assert later[rec.id].value >= rec.value - 1e-9
            assert later[rec.id].score >= rec.score - 1e-9


@given(journeys(), st.data())
def test_more_effort_never_raises_a_score(spec: dict[str, Any], data: Any) -> None:
    _, before = analyse(spec)
    i = data.draw(st.integers(0, len(spec["recommendations"]) - 1))
    raised = {**spec, "recommendations": [list(r) for r in spec["recommendations"]]}
    raised["recommendations"][i][6] = raised["recommendations"][i][6] * data.draw(st.sampled_from([1.5, 2, 10]))
    _, after = analyse(raised)
    later = {r.id: r.score for r in after.priorities.recommendations}
    for rec in before.priorities.recommendations:
        assert later[rec.id] <= rec.score + 1e-9


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    """Results as {path: leaf} for comparing two of them number by number."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flat(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in _flat(item, f"{path}[{i}]").items()}
    return {path: value}


@given(journeys(), st.randoms(use_true_random=False))
def test_row_order_changes_no_result(spec: dict[str, Any], rnd: random.Random) -> None:
    _, before = analyse(spec)
    shuffled = dict(spec)
    for key in ("personas", "pain_points", "recommendations", "evidence"):
        rows = list(spec[key])
        rnd.shuffle(rows)
        shuffled[key] = rows
    _, after = analyse(shuffled)

    # where each pain point was typed moves with the rows; nothing else may change
    def comparable(r: Results) -> dict[str, Any]:
        r = replace(r, pain_points=(), findings=tuple(replace(f, cell="") for f in r.findings))
        return _flat(to_dict(r))

    b, a = comparable(before), comparable(after)
    assert list(a) == list(b)
    for key, value in b.items():
        if isinstance(value, float):
            assert a[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
        else:
            assert a[key] == value, key
    assert {p.id: p.score for p in after.pain_points} == pytest.approx({p.id: p.score for p in before.pain_points})


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
