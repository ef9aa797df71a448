"""How import reads single cells: emotions, stage headers, placeholders, pain lists, lane names, severities."""

from __future__ import annotations

import pytest

from addin.core.contract import Lane
from addin.core.errors import UnusableWorkbook
from addin.core.importing.emotion import read_emotion, scale_of
from addin.core.importing.pains import split_items
from addin.core.importing.vocabulary import (
    FREQUENCY_WORDS,
    SEVERITY_WORDS,
    clean_stage,
    is_placeholder,
    lane_of,
    level_of,
    read_synonyms,
)


@pytest.mark.parametrize(
    ("cell", "value", "sure"),
    [
        ("Curious", 1, True),
        ("Very Happy", 2, True),
        ("very pleased", 2, True),
        ("nervous", -1, True),
        ("ANGRY", -2, True),
        ("Excited / Concerned", 0.5, False),
        ("😀", 1, True),
        ("😡😡", -2, True),
        (":(", -1, True),
        ("4/5", 1, True),
        ("I feel nervous about paying upfront", -1, False),
    ],
)
def test_emotion_words_emoji_and_fractions(cell: str, value: float, sure: bool) -> None:
    reading = read_emotion(cell)
    assert reading.value == value and reading.sure is sure, reading


@pytest.mark.parametrize("cell", ["It depends on the day", "not happy at all", "blue", "7 apples"])
def test_what_cannot_be_scored_is_not_guessed(cell: str) -> None:
    reading = read_emotion(cell)
    assert reading.value is None and not reading.sure and reading.how


def test_scores_move_onto_minus_two_plus_two() -> None:
    assert scale_of("Score", [1, 3, 5]) == (1, 5)
    assert scale_of("Score", [2, 8]) == (1, 10)
    assert scale_of("Satisfaction (1-10)", [2, 4]) == (1, 10)
    assert scale_of("Rating /5", [1, 2]) == (1, 5)
    assert scale_of("Emotion", [-1, 2]) == (-2, 2)
    assert [read_emotion(n, (1, 5)).value for n in (1, 2, 3, 4, 5)] == [-2, -1, 0, 1, 2]
    assert [read_emotion(n, (1, 10)).value for n in (1, 10)] == [-2, 2]
    outside = read_emotion(7, (1, 5))
    assert outside.value is None and "outside" in outside.how


@pytest.mark.parametrize(
    ("header", "stage"),
    [
        ("Research >>", "Research"),
        ("1. Plan", "Plan"),
        ("2. Validate / Test", "Validate / Test"),
        ("Step 3: Buy", "Buy"),
        ("Phase 2 - Onboard", "Onboard"),
        ("04) Renew →", "Renew"),
        ("Use & support", "Use & support"),
        ("24/7 support", "24/7 support"),
    ],
)
def test_stage_headers_lose_numbering_and_arrows(header: str, stage: str) -> None:
    assert clean_stage(header) == stage


@pytest.mark.parametrize(
    "cell",
    [
        "Fill in",
        "fill in here",
        "None captured on board",
        "TBD",
        " tbc ",
        "N/A",
        "-",
        "[add text]",
        "Lorem ipsum dolor",
        "Add your goal",
        "Type here",
    ],
)
def test_placeholders(cell: str) -> None:
    assert is_placeholder(cell)


@pytest.mark.parametrize("cell", ["Fill in the form twice", "None of the sizes fit", "Add to cart fails", 0])
def test_real_content_is_no_placeholder(cell: object) -> None:
    assert not is_placeholder(cell)


def test_pain_cells_split_into_items() -> None:
    assert split_items("Checkout is slow") == (["Checkout is slow"], "one sentence")
    assert split_items("- Fees late\n- No PayPal\n\n• Form resets")[0] == ["Fees late", "No PayPal", "Form resets"]
    assert split_items("Fees late; no PayPal; ")[0] == ["Fees late", "no PayPal"]
    assert split_items("1. Slow\n2) Confusing")[0] == ["Slow", "Confusing"]
    assert split_items("Slow, confusing and ugly")[0] == ["Slow, confusing and ugly"]
    assert split_items("TBD; Fees late")[0] == ["Fees late"]


@pytest.mark.parametrize(
    ("label", "lane"),
    [
        ("Customer Goal", Lane.GOALS),
        ("Goal or objective", Lane.GOALS),
        ("Doing (tasks)", Lane.ACTIONS),
        ("Customer Actions", Lane.ACTIONS),
        ("Customer Interaction", Lane.TOUCHPOINTS),
        ("Thinking", Lane.THOUGHTS),
        ("Saying", Lane.THOUGHTS),
        ("Customer Thoughts", Lane.THOUGHTS),
        ("Feeling (emoji)", Lane.EMOTION),
        ("Current Experience", Lane.EMOTION),
        ("Customer Expectation", Lane.EXPECTATIONS),
        ("Marketing Channel", Lane.CHANNELS),
        ("Painpoints in each step e.g. waiting, errors", Lane.PAIN_POINTS),
        ("Brand Opportunities", Lane.OPPORTUNITIES),
        ("Improvement Opportunity", Lane.OPPORTUNITIES),
        ("Opportunity for future state e.g. self-service", Lane.OPPORTUNITIES),
        ("KPI", Lane.KPIS),
    ],
)
def test_lane_names_of_the_issue_map_to_the_contract(label: str, lane: Lane) -> None:
    assert lane_of(label)[0] is lane


def test_unknown_labels_map_to_no_lane() -> None:
    assert lane_of("Research")[0] is None and lane_of("Persona: Anna")[0] is None and lane_of(None)[0] is None


def test_user_synonyms_win_and_are_checked() -> None:
    extra = read_synonyms(
        [["label", "lane"], ["Customer mood", "Emotion"], ["# a comment"], ["Kanal", "channels"]], "s"
    )
    assert lane_of("customer  MOOD", extra) == (Lane.EMOTION, "your synonyms")
    assert lane_of("Kanal", extra)[0] is Lane.CHANNELS
    with pytest.raises(UnusableWorkbook, match=r"s line 2: expected 'label,lane'"):
        read_synonyms([["Mood", "Emotion"], ["Vibe", "Feelingz"]], "s")


def test_severity_and_frequency_words() -> None:
    assert [level_of(w, SEVERITY_WORDS) for w in ("High", "medium", "LOW", "Critical", 4, "4", 7, "soon")] == [
        4,
        3,
        2,
        5,
        4,
        4,
        None,
        None,
    ]
    assert [level_of(w, FREQUENCY_WORDS) for w in ("Often", "sometimes", "rarely", "always")] == [4, 3, 2, 5]
