"""Properties of import over generated grids: wherever the grid sits, whichever way round, however its stages
are decorated and its lanes named (any synonym), the stages, lanes, emotions and pain points come back."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.contract import Lane
from addin.core.importing import import_sources
from addin.core.importing.emotion import EMOTION_WORDS
from addin.core.importing.vocabulary import LANE_SYNONYMS
from addin.core.model import RawSheet, RawWorkbook

STAGE_WORDS = ("Discover", "Research", "Compare", "Buy", "Pay", "Deliver", "Use", "Renew", "Return", "Refer")
DECORATIONS = ("{}", "{} >>", "{} →", "{n}. {}", "Step {n}: {}", "Phase {n} - {}", "{n}) {}")
WORDS = [w for w in EMOTION_WORDS if " " not in w]


@st.composite
def grids(draw: Any) -> tuple[RawWorkbook, list[str], dict[str, list[Any]], list[float], int]:
    stages = draw(st.lists(st.sampled_from(STAGE_WORDS), min_size=2, max_size=6, unique=True))
    decorate = draw(st.sampled_from(DECORATIONS))
    headers = [decorate.format(s, n=i) for i, s in enumerate(stages, start=1)]
    lanes = draw(
        st.lists(st.sampled_from([Lane.GOALS, Lane.TOUCHPOINTS, Lane.ACTIONS, Lane.CHANNELS]), unique=True, max_size=3)
    )
    labels = {lane: draw(st.sampled_from(LANE_SYNONYMS[lane])) for lane in lanes}
    emotion_label = draw(st.sampled_from([s for s in LANE_SYNONYMS[Lane.EMOTION] if s not in ("score", "rating")]))
    pain_label = draw(st.sampled_from(LANE_SYNONYMS[Lane.PAIN_POINTS]))
    words = [draw(st.sampled_from(WORDS)) for _ in stages]
    pains = [draw(st.lists(st.sampled_from(["Slow", "Costly", "Confusing", "Broken"]), unique=True, max_size=3))
             for _ in stages]  # fmt: skip
    grid: list[list[Any]] = [["", *headers]]
    text = {lane: [f"{lane.value} at {s}" for s in stages] for lane in lanes}
    grid += [[labels[lane], *text[lane]] for lane in lanes]
    grid.append([emotion_label, *words])
    grid.append([pain_label, *["; ".join(p) or None for p in pains]])
    if draw(st.booleans()):  # stages down instead of across
        grid = [list(col) for col in zip(*grid, strict=True)]
        grid[0][0] = "Stage"
    top, left = draw(st.integers(0, 4)), draw(st.integers(0, 3))
    rows: list[list[Any]] = [[None] * (left + len(grid[0])) for _ in range(top)]
    if top >= 2 and draw(st.booleans()):
        rows[0][left] = "Our customer journey"  # a title, a blank row under it
    rows += [[None] * left + row for row in grid]
    book = RawWorkbook("map.xlsx", {"Sheet1": RawSheet("Sheet1", rows)})
    expected = {lane.value: text[lane] for lane in lanes}
    return book, stages, expected, [float(EMOTION_WORDS[w]) for w in words], sum(len(p) for p in pains)


@settings(max_examples=80, deadline=None)
@given(grids())
def test_any_grid_comes_back(case: tuple[RawWorkbook, list[str], dict[str, list[Any]], list[float], int]) -> None:
    book, stages, lanes, emotion, pains = case
    journey = import_sources([book])
    assert journey.stages == stages
    for lane, values in lanes.items():
        assert journey.lanes[lane] == values
    assert journey.lanes[Lane.EMOTION.value] == emotion
    assert len(journey.pains) == pains
    assert all(p["Stage"] in stages and p["Severity"] == 3 for p in journey.pains)
