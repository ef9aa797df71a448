"""The live-book writer colours heatmap cells at the scale's fixed points, like the file's colour scale."""

from __future__ import annotations

from addin.adapters.xlwings_book import scale_fills
from addin.core.model import ColorScale, OutputSheet, Ref

COLORS = ("FFFFCC", "FD8D3C", "BD0026")


def test_fixed_points_decide_the_colours() -> None:
    sheet = OutputSheet("Heatmap")
    for col, value in enumerate([0.0, 10.0, 20.0], start=1):
        sheet.put(1, col, value)
    fills = scale_fills(sheet, ColorScale(Ref("Heatmap", 1, 1, 1, 3), COLORS, (0.0, 20.0, 40.0)))
    # 20 sits at the middle point: the middle colour, not the top one as min/median/max would give
    assert fills[(1, 1)] == "FFFFCC" and fills[(1, 3)] == "FD8D3C"
    data_driven = scale_fills(sheet, ColorScale(Ref("Heatmap", 1, 1, 1, 3), COLORS))
    assert data_driven[(1, 3)] == "BD0026" and data_driven[(1, 2)] == "FD8D3C"
