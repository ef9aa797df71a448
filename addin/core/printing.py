"""Page setup of the output sheets, so each prints the way a person would lay it out by hand: A4
landscape, one page wide, the table header repeated on every page, the Dashboard without its
chart-data block, and page breaks placed so no chart or picture is cut by a page edge.

Breaks are computed from the sheet's own geometry (column widths, row heights, where each chart and
picture sits and how big it is), the way the spreadsheet programs measure it: a column of width w
is about 7w + 5 pixels, a default row 20 pixels, 96 pixels to the inch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from addin.core.contract import Sheet
from addin.core.model import OutputSheet, Ref
from addin.core.report import HEADER_ROW
from addin.core.report_dashboard import CHART_DATA_COL

PAPER_IN = (11.69, 8.27)
"""A4 landscape, inches."""
MARGINS_IN = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.5, "header": 0.2, "footer": 0.2}
"""Page margins the writers set (inches)."""
PX_PER_IN = 96
DEFAULT_COL = 8.43
DEFAULT_ROW_PT = 15.0
SAFETY = 0.9
"""Share of a page's height the breaks fill: room for the programs' own rounding of widths and heights."""


def col_px(width: float) -> float:
    return width * 7 + 5


def apply(outputs: Sequence[OutputSheet]) -> None:
    """Give every output sheet its page setup (in place)."""
    for sheet in outputs:
        title_rows = None
        last_col = None
        if sheet.name in (Sheet.VALIDATION, Sheet.PRIORITIES):
            title_rows = (HEADER_ROW - 1, HEADER_ROW - 1)
        elif sheet.name == Sheet.HEATMAP:
            title_rows = (HEADER_ROW, HEADER_ROW)
        elif sheet.name == Sheet.DASHBOARD:
            last_col = CHART_DATA_COL - 1  # the chart-data block is for the charts, not for paper
        setup(sheet, title_rows=title_rows, last_col=last_col)


def setup(sheet: OutputSheet, *, title_rows: tuple[int, int] | None = None, last_col: int | None = None) -> None:
    """Set `sheet.page`: print area, title rows and breaks (keeping breaks the sheet already asks for)."""
    objects = _objects(sheet, last_col)
    if title_rows and any(top <= title_rows[1] and last >= title_rows[0] for top, last, _w, _c in objects):
        title_rows = None  # a chart or picture in the title rows would be printed again on every page
    right = max([sheet.max_col, 1, *(o[3] for o in objects)]) if last_col is None else last_col
    bottom = max([sheet.max_row, 1, *(o[1] for o in objects)])
    width_px = sum(col_px(sheet.col_widths.get(c, DEFAULT_COL)) for c in range(1, right + 1))
    width_px = max([width_px, *(o[2] for o in objects)])
    page_w = (PAPER_IN[0] - MARGINS_IN["left"] - MARGINS_IN["right"]) * PX_PER_IN
    page_h = (PAPER_IN[1] - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * PX_PER_IN
    scale = min(1.0, page_w / width_px)
    titles = sum(_row_px(sheet, r) for r in range(title_rows[0], title_rows[1] + 1)) if title_rows else 0.0
    capacity = page_h / scale * SAFETY - titles
    spans = [(top, last) for top, last, _w, _c in objects]
    breaks = _breaks(sheet, bottom, capacity, spans, set(sheet.page.row_breaks))
    sheet.page = replace(
        sheet.page,
        title_rows=title_rows,
        area=Ref(sheet.name, 1, 1, bottom, right),
        row_breaks=tuple(breaks),
    )


def _row_px(sheet: OutputSheet, row: int) -> float:
    return sheet.row_heights.get(row, DEFAULT_ROW_PT) * PX_PER_IN / 72


def _objects(sheet: OutputSheet, last_col: int | None) -> list[tuple[int, int, float, int]]:
    """(first row, last row, right edge in px, last column) of every chart and picture inside the area."""
    boxes: list[tuple[int, int, float, float]] = [
        (c.anchor[0], c.anchor[1], c.width_cm / 2.54 * PX_PER_IN, c.height_cm / 2.54 * PX_PER_IN) for c in sheet.charts
    ]
    boxes += [(p.anchor[0], p.anchor[1], float(p.width_px), float(p.height_px)) for p in sheet.pictures]
    out = []
    for row, col, w, h in boxes:
        if last_col is not None and col > last_col:
            continue
        left = sum(col_px(sheet.col_widths.get(c, DEFAULT_COL)) for c in range(1, col))
        right_col, x = col, left
        while x + col_px(sheet.col_widths.get(right_col, DEFAULT_COL)) < left + w:
            x += col_px(sheet.col_widths.get(right_col, DEFAULT_COL))
            right_col += 1
        last, y = row, 0.0
        while y + _row_px(sheet, last) < h:
            y += _row_px(sheet, last)
            last += 1
        out.append((row, last, left + w, right_col))
    return out


def _breaks(
    sheet: OutputSheet, bottom: int, capacity: float, spans: list[tuple[int, int]], forced: set[int]
) -> list[int]:
    """Rows a new page starts at: the forced ones, and wherever the page is full, moved up to the top
    of a chart or picture the edge would cut (unless that one is taller than a page).
    """
    out: list[int] = []
    start, used = 1, 0.0
    for r in range(1, bottom + 1):
        h = _row_px(sheet, r)
        if r in forced and r > start:
            out.append(r)
            start, used = r, 0.0
        elif used + h > capacity and r > start:
            b = r
            moved = True
            while moved:
                moved = False
                for top, last in spans:
                    if top < b <= last and top > start:
                        b, moved = top, True
            out.append(b)
            start = b
            used = sum(_row_px(sheet, x) for x in range(b, r))
        used += h
    return sorted(set(out))
