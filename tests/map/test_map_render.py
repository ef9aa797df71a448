"""What matplotlib draws is what the layout computed: every line of text, as rendered, lies inside the box
the layout gave it (so the overlap and wrap tests of the layout hold for the picture too), and PDF and SVG
carry real text in embedded TrueType fonts."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from addin.core.journey_map.layout import LINE, layout
from addin.core.journey_map.render import RC, page_figure, save

from .synthetic import synthetic

TOLERANCE = 0.75
"""Points: the font's own rounding (hinting off, kerning on) against the advance-width tables."""


@pytest.mark.parametrize("stages", [3, 12, 20])
def test_every_rendered_line_lies_inside_its_layout_box(stages: int) -> None:
    lay = layout(synthetic(stages, long=True))
    for page in lay.pages:
        fig = page_figure(page)
        with matplotlib.rc_context(RC):  # as the figure is saved
            renderer = FigureCanvasAgg(fig).get_renderer()
            fig.draw(renderer)
            extents = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
        artists = iter(zip(fig.axes[0].texts, extents, strict=True))
        scale = 72 / fig.dpi
        for box in page.texts:
            for i, line in enumerate(box.lines):
                if not line:
                    continue
                artist, ext = next(artists)
                assert artist.get_text() == line
                x0, x1 = ext.x0 * scale, ext.x1 * scale
                top, bottom = page.height - ext.y1 * scale, page.height - ext.y0 * scale
                line_top = box.y + i * LINE * box.size
                assert box.x - TOLERANCE <= x0 and x1 <= box.x + box.w + TOLERANCE, (line, x1, box.x + box.w)
                assert line_top - TOLERANCE <= top and bottom <= line_top + LINE * box.size + TOLERANCE, line


def test_pdf_and_svg_hold_real_text(tmp_path: Path) -> None:
    lay = layout(synthetic(6))
    (pdf,) = save(lay, tmp_path / "map.pdf")
    (svg,) = save(lay, tmp_path / "map.svg")
    raw = pdf.read_bytes()
    assert b"/FontFile2" in raw, "TrueType fonts embedded (pdf.fonttype 42), not Type 3 outlines"
    assert b"/Type3" not in raw
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8"))
    assert any("Stage 1:" in t for t in texts), "SVG text is <text>, not paths"
