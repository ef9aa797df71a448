"""The advance-width tables the layout measures with are the font matplotlib draws with."""

from __future__ import annotations

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

from addin.core.journey_map import fonts
from addin.core.journey_map.render import FONT


@pytest.mark.parametrize(("weight", "table"), [("normal", fonts.REGULAR), ("bold", fonts.BOLD)])
def test_tables_are_the_shipped_fonts_advance_widths(weight: str, table: dict[str, float]) -> None:
    path = font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight), fallback_to_default=False)
    font = FT2Font(path)
    font.set_size(1000, 72)
    assert len(table) > 300
    for ch, width in table.items():
        glyph = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
        assert glyph.linearHoriAdvance / 65536 / 1000 == pytest.approx(width, abs=0.0006), ch


def test_an_unknown_character_counts_wider_than_an_average_one() -> None:
    assert fonts.text_width("\u6771", 10) >= 10 * max(fonts.REGULAR["a"], fonts.REGULAR["M"])
