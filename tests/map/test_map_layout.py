"""The map's geometry, from the layout itself: text wraps inside its box, no two texts overlap, nothing is
shortened, nothing is smaller than MIN_FONT, and stages go to more pages before text gets smaller."""

from __future__ import annotations

import itertools
import re

import pytest

from addin.core.journey_map.fonts import text_width, wrap
from addin.core.journey_map.layout import A4_LANDSCAPE, MIN_COLUMN, MIN_FONT, MapLayout, Page, TextBox, layout

from .synthetic import synthetic

FREE = {"title", "subtitle", "legend"}
"""Texts that sit on the page itself, not in a cell."""


def overlaps(a: TextBox, b: TextBox, eps: float = 0.01) -> bool:
    return a.x < b.x + b.w - eps and b.x < a.x + a.w - eps and a.y < b.y + b.h - eps and b.y < a.y + a.h - eps


def inside_a_cell(t: TextBox, page: Page, eps: float = 0.01) -> bool:
    return any(
        r.h > 2
        and r.x - eps <= t.x
        and t.x + t.w <= r.x + r.w + eps
        and r.y - eps <= t.y
        and t.y + t.h <= r.y + r.h + eps
        for r in page.rects
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("stages", [3, 6, 12, 20])
@pytest.mark.parametrize("long", [False, True])
def test_no_two_texts_overlap_and_every_text_stays_in_its_box(stages: int, long: bool) -> None:
    m = synthetic(stages, long=long)
    lay = layout(m)
    for page in lay.pages:
        assert page.width == A4_LANDSCAPE[0]
        for a, b in itertools.combinations(page.texts, 2):
            assert not overlaps(a, b), f"{a.text!r} overlaps {b.text!r} on the page of {page.stages[0]}"
        for t in page.texts:
            assert t.x >= 0 and t.x + t.w <= page.width and t.y >= 0 and t.y + t.h <= page.height, t.text
            assert t.size >= MIN_FONT
            if t.role not in FREE:
                assert inside_a_cell(t, page), f"{t.text!r} ({t.role}) sticks out of its cell"


@pytest.mark.parametrize("stages", [3, 6, 12, 20])
def test_nothing_is_shortened_and_every_stage_is_drawn_once(stages: int) -> None:
    m = synthetic(stages, long=True)
    lay = layout(m)
    drawn = [s for page in lay.pages for s in page.stages]
    assert drawn == list(m.stages)
    for page in lay.pages:
        text = squash(" ".join(t.text for t in page.texts))
        for name in page.stages:
            assert squash(name) in text
        for p in m.pains:
            if p.stage in page.stages:
                assert squash(p.description) in text, p.id
        assert "\u2026" not in text and "..." not in text
        for lane in ("Goals", "Actions", "Thoughts", "Emotion", "Evidence"):
            assert lane in text, f"lane label {lane} is repeated on every page"


def test_stages_go_to_more_pages_before_text_gets_below_the_smallest_size() -> None:
    small = layout(synthetic(6))
    assert len(small.pages) == 1 and small.font_size > MIN_FONT
    wide = layout(synthetic(20))
    assert len(wide.pages) > 1
    for page in wide.pages:
        column = (A4_LANDSCAPE[0] - 2 * 24 - 80) / len(page.stages)
        assert column >= MIN_COLUMN
    assert all(t.size >= MIN_FONT for p in wide.pages for t in p.texts)
    assert all(p.height == A4_LANDSCAPE[1] for p in wide.pages), "every page is A4"


def test_a_stage_too_full_for_one_page_grows_its_page_rather_than_losing_text() -> None:
    m = synthetic(2, pains_per_stage=60, long=True)
    lay: MapLayout = layout(m)
    assert lay.font_size == MIN_FONT
    assert [len(p.stages) for p in lay.pages] == [1, 1]
    assert max(p.height for p in lay.pages) > A4_LANDSCAPE[1]
    text = squash(" ".join(t.text for p in lay.pages for t in p.texts))
    assert all(squash(p.description) in text for p in m.pains)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one",
        "a few words that wrap",
        "Supercalifragilisticexpialidociousness twice over",
        "line one\nline two",
        "é ü ß ★ 東京",
    ],
)
def test_wrap_keeps_every_character_and_every_line_fits(text: str) -> None:
    lines = wrap(text, 40, 8)
    assert squash("".join(lines)) == squash(text)
    assert all(text_width(line, 8) <= 40 for line in lines)
