"""Coverage: every pain point no recommendation addresses is listed with its pain score, largest first."""

from __future__ import annotations

from addin.core import pipeline
from addin.core.validation import MAX_ROWS_PER_RULE
from tests.builders import raw_workbook


def pain(pid: str, severity: int, frequency: int) -> list[object]:
    return [pid, "Buy", "Checkout", "Web", None, f"Pain {pid}", severity, frequency, "survey"]


def test_unaddressed_pain_points_largest_first_with_their_score_and_cell() -> None:
    raw = raw_workbook(
        ["Browse", "Buy"],
        lanes={"Emotion": [1, -1]},
        pain_points=[pain("P1", 2, 2), pain("P2", 5, 5), pain("P3", 3, 4), pain("P4", 5, 4)],
        recommendations=[["R1", "Fix P4", "P4", 100, None, 80, 1, None, None]],
    )
    c01 = [f for f in pipeline.check(raw) if f.rule == "C01"]
    assert [(f.cell, f.severity.value) for f in c01] == [("A3", "warning"), ("A4", "warning"), ("A2", "warning")]
    assert [f.message.split(" is not")[0] for f in c01] == [
        "Pain point P2 (pain 100)",
        "Pain point P3 (pain 48)",
        "Pain point P1 (pain 16)",
    ]


def test_a_long_list_is_capped_with_the_rest_named() -> None:
    pains = [pain(f"P{i:02d}", 1 + i % 5, 3) for i in range(MAX_ROWS_PER_RULE + 5)]
    raw = raw_workbook(["Browse", "Buy"], lanes={"Emotion": [1, -1]}, pain_points=pains)
    c01 = [f for f in pipeline.check(raw) if f.rule == "C01"]
    assert len(c01) == MAX_ROWS_PER_RULE + 1
    assert c01[-1].cell == "" and c01[-1].message.startswith("... and 5 more pain points")
    scores = [float(f.message.split("(pain ")[1].split(")")[0]) for f in c01[:-1]]
    assert scores == sorted(scores, reverse=True)
