"""The README's worked example, number by number."""

from __future__ import annotations

import json

import pytest

from addin.core import pipeline
from addin.core.contract import COLUMNS, Sheet
from addin.core.evidence import NOT_GIVEN
from addin.core.model import RawSheet
from addin.core.results_json import dumps
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
    # every number below is read from the results JSON that `python -m addin results` prints
    return journey, findings, json.loads(dumps(pipeline.analyse(journey, findings)))


def by(items: list[dict], key: str) -> dict:
    return {item[key]: item for item in items}


def stage(a: dict, name: str) -> dict:
    return by(a["stage_results"], "stage")[name]


def heatmap(a: dict, dimension: str) -> dict[str, list[float]]:
    (h,) = [h for h in a["heatmaps"] if h["dimension"] == dimension]
    return {row["label"]: row["pain"] for row in h["rows"]}


def test_pain_scores(result: tuple) -> None:
    _, findings, a = result
    assert [f for f in findings if f.severity.value == "error"] == []
    # persona factors: Alex 60 / mean 50 = 1.2, Bo 40 / 50 = 0.8, no persona = 1
    points = by(a["pain_points"], "id")
    assert {pid: p["score"] for pid, p in points.items()} == pytest.approx({"P1": 96.0, "P2": 48.0, "P3": 24.0})
    assert {pid: p["persona_factor"] for pid, p in points.items()} == pytest.approx({"P1": 1.2, "P2": 0.8, "P3": 1})


def test_heatmap_and_pain_index(result: tuple) -> None:
    _, _, a = result
    assert a["stages"] == ["Browse", "Buy", "Use"]
    # rows sorted by total pain, highest first
    assert heatmap(a, "Touchpoint") == {
        "Checkout": [0.0, 96.0, 0.0],
        "Payment": [0.0, 48.0, 0.0],
        "Help centre": [0.0, 0.0, 24.0],
    }
    assert list(heatmap(a, "Touchpoint")) == ["Checkout", "Payment", "Help centre"]
    assert [s["pain"] for s in a["stage_results"]] == pytest.approx([0, 144, 24])
    assert [s["pain_index"] for s in a["stage_results"]] == pytest.approx([0, 100, 100 * 24 / 144])
    assert [m["stage"] for m in a["moments_of_truth"]] == ["Buy"]


def test_rice_scores_ranks_and_quadrants(result: tuple) -> None:
    _, _, a = result
    recs = a["priorities"]["recommendations"]
    p = by(recs, "id")
    # R1: impact derived = min(3, 3 x 96/100) = 2.88; value = 1000 x 2.88 x 0.8 = 2304; / 2 = 1152
    # R2: impact given 2; value = 500 x 2 x 0.5 = 500; / 1 = 500
    # R3: impact derived = 3 x 24/100 = 0.72; value = 2000 x 0.72 x 1.0 = 1440; / 4 = 360
    assert p["R1"]["impact"] == pytest.approx(2.88) and p["R1"]["impact_derived"] is True
    assert {k: r["value"] for k, r in p.items()} == pytest.approx({"R1": 2304, "R2": 500, "R3": 1440})
    assert {k: r["score"] for k, r in p.items()} == pytest.approx({"R1": 1152, "R2": 500, "R3": 360})
    assert [r["id"] for r in recs] == ["R1", "R2", "R3"]
    assert [r["rank"] for r in recs] == [1, 2, 3]
    # thresholds: median value 1440, median effort 2
    assert a["priorities"]["value_threshold"] == pytest.approx(1440)
    assert a["priorities"]["effort_threshold"] == pytest.approx(2)
    assert a["priorities"]["method"] == "RICE"
    assert {k: r["quadrant"] for k, r in p.items()} == {"R1": "Quick win", "R2": "Fill-in", "R3": "Big bet"}
    assert p["R1"]["rationale"] == (
        "Fixes P1 (pain 96): 1,000 customers x impact 2.88 (from pain 96) x 80 % confidence = 2,304, "
        "/ 2 person-weeks = 1,152; quick win."
    )


def test_everything_is_addressed_so_no_coverage_warning(result: tuple) -> None:
    _, _, a = result
    assert a["unaddressed"] == []


def test_all_three_heatmaps(result: tuple) -> None:
    _, _, a = result
    assert [h["dimension"] for h in a["heatmaps"]] == ["Touchpoint", "Channel", "Persona"]  # chosen one first
    assert heatmap(a, "Channel") == {"Web": [0.0, 96.0, 0.0], "App": [0.0, 48.0, 0.0], "Chat": [0.0, 0.0, 24.0]}
    persona = heatmap(a, "Persona")
    assert list(persona) == ["Alex", "Bo", NOT_GIVEN]
    assert [v[1] for v in persona.values()] == [96.0, 48.0, 0.0] and [v[2] for v in persona.values()] == [0, 0, 24]


def test_evidence_per_touchpoint(result: tuple) -> None:
    _, _, a = result
    m = {t["touchpoint"]: t["metrics"] for t in a["touchpoints"]}
    assert [t["touchpoint"] for t in a["touchpoints"]] == ["Checkout", "Payment", "Help centre", "Website"]
    # CSAT = share of 4-5: Checkout 2/4, Help centre 1/2, Payment 3/4, Website 4/4
    order = ["Checkout", "Help centre", "Payment", "Website"]
    assert [m[t]["csat"]["value"] for t in order] == pytest.approx([0.5, 0.5, 0.75, 1.0])
    assert [m[t]["csat_mean"]["value"] for t in order] == pytest.approx([3.0, 3.0, 4.25, 4.5])
    assert [m[t]["csat"]["n"] for t in order] == [4, 2, 4, 4]
    # Wilson, z = 1.96: 2 of 4 -> 0.500 +- 0.350 = 0.150 to 0.850 (rounded); 4 of 4 -> 0.510 to 1
    checkout = m["Checkout"]
    assert (checkout["csat"]["low"], checkout["csat"]["high"]) == pytest.approx((0.150039, 0.849961), abs=1e-6)
    assert (m["Website"]["csat"]["low"], m["Website"]["csat"]["high"]) == pytest.approx((0.510109, 1.0), abs=1e-6)
    # NPS at Checkout ("checkout " is the same touchpoint): 2 promoters, 1 passive, 2 detractors of 5
    # NPS = 40 % - 40 % = 0; interval 0 +- 1.96 x sqrt((0.4 + 0.4 - 0^2) / 5) x 100 = +-78.4
    assert checkout["nps"]["value"] == pytest.approx(0.0) and checkout["nps"]["n"] == 5
    assert (checkout["nps"]["low"], checkout["nps"]["high"]) == pytest.approx((-78.3986, 78.3986), abs=1e-4)
    # CES at Help centre: answers 2 and 4 -> mean 3, sd 1.414, interval 3 +- 1.96 x 1.414 / sqrt(2)
    help_ces = m["Help centre"]["ces"]
    assert (help_ces["value"], help_ces["low"], help_ces["high"]) == pytest.approx((3.0, 1.040036, 4.959964))
    # a mean's interval stays on the answer scale: Payment CSAT 4.25 +- 0.94 ends at 5, not 5.19
    mean = m["Payment"]["csat_mean"]
    assert (mean["low"], mean["high"]) == pytest.approx((3.311739, 5.0))


def test_evidence_per_stage_flags_small_samples(result: tuple) -> None:
    _, _, a = result
    # Buy: Checkout and Payment CSAT answers 5 4 2 1 5 5 4 3 -> 5 of 8 satisfied
    buy = stage(a, "Buy")["metrics"]
    assert buy["csat"]["value"] == pytest.approx(0.625) and buy["csat"]["n"] == 8
    assert stage(a, "Use")["metrics"]["ces"]["n"] == 2


def test_emotion_from_evidence_per_stage_and_persona(result: tuple) -> None:
    _, _, a = result
    curves = [(c["source"], c["persona"]) for c in a["emotion"]]
    assert curves == [("map", None), ("evidence", None), ("evidence", "Alex"), ("evidence", "Bo")]
    everyone = a["emotion"][1]
    assert everyone["values"][:2] == pytest.approx([1.0, -4 / 3]) and everyone["values"][2] is None
    assert everyone["answers"] == [1, 3, 0]
    alex, bo = a["emotion"][2], a["emotion"][3]
    assert alex["values"][1] == pytest.approx(-1.5) and alex["answers"][1] == 2
    assert bo["values"][1] == pytest.approx(-1.0) and bo["answers"][1] == 1


def test_importance_performance(result: tuple) -> None:
    _, _, a = result
    ipa = a["importance_performance"]
    # importance = pain per touchpoint (Website has none: 0); performance = CSAT % satisfied
    # thresholds are the medians: importance (24 + 48) / 2 = 36, performance (50 + 75) / 2 = 62.5
    assert ipa["importance_threshold"] == pytest.approx(36)
    assert ipa["performance_threshold"] == pytest.approx(62.5)
    assert {r["touchpoint"]: (r["importance"], r["performance"], r["quadrant"]) for r in ipa["rows"]} == {
        "Checkout": (96.0, 50.0, "Concentrate here"),
        "Payment": (48.0, 75.0, "Keep up the good work"),
        "Help centre": (24.0, 50.0, "Low priority"),
        "Website": (0.0, 100.0, "Possible overkill"),
    }
