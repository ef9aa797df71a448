"""The Map output sheet: the journey map as pictures (the whole journey, then the views the `Map views`
setting asks for, one picture per page), then the same map as cells, for an editable copy: stages
across, lanes down, the emotion curves as numbers, and every pain point with its score.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

from addin.core.contract import Sheet
from addin.core.journey import Journey
from addin.core.journey_map.build import build_map, map_views
from addin.core.journey_map.data import JourneyMap
from addin.core.journey_map.layout import Page, evidence_lines, layout
from addin.core.model import OutputSheet, PageSetup, Picture
from addin.core.printing import col_px
from addin.core.report import banner, fit_rows
from addin.core.results import Results
from addin.core.styles import Role

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

PICTURE_SHARE = 0.75
"""Width of a map picture as a share of the sheet's printed width: a page of the map is as tall as A4
landscape, the printable part of the paper a little flatter, so a picture any wider would not fit on
one printed page, with the sheet's title above the first."""
ROW_PT = 15.0
"""Height of the rows under the pictures (set explicitly, so every program places the cells below alike)."""
LABEL_COL = 24
"""Width of column A (lane names)."""


def stage_col(stages: int) -> float:
    """Width of one stage column: 26 for a few stages, narrower for many (never below 14), so the sheet
    printed one page wide keeps its text legible."""
    return max(14.0, min(26.0, round(150 / max(stages, 1), 1)))


def map_sheet(journey: Journey, a: Results) -> OutputSheet:
    """The Map sheet of a result; the journey gives the lanes and the views' own rows."""
    sheet = OutputSheet(Sheet.MAP.value)
    banner(sheet)
    whole = build_map(journey, a)
    views, unknown = map_views(journey)
    maps = [whole, *[build_map(journey, a, **{kind: name}) for kind, name in views]]
    sheet.put(2, 1, f"Map: {a.journey_name}", Role.TITLE)
    note = (
        "The journey map as pictures (the whole journey"
        + (f", then {len(views)} view{'s' if len(views) != 1 else ''} from Settings > Map views" if views else "")
        + "), then the same map as cells below them."
    )
    if unknown:
        named = ", ".join(f"'{u}'" for u in unknown)
        note += f" Settings > Map views names {named}: neither a persona nor a channel, so no view was drawn."
    sheet.put(3, 1, note, Role.NOTE if not unknown else Role.WARNING)
    row = 5
    breaks = []
    widths: dict[int, float] = {
        1: LABEL_COL,
        **{c: stage_col(len(whole.stages)) for c in range(2, len(whole.stages) + 2)},
    }
    sheet_px = sum(col_px(w) for w in widths.values())
    picture_px = round(PICTURE_SHARE * max(sheet_px, 880 / PICTURE_SHARE))
    for i, m in enumerate(maps):
        lay = layout(m)
        for k, page in enumerate(lay.pages):
            if row > 5:
                breaks.append(row)
            w_px, h_px = picture_px, round(picture_px * page.height / page.width)
            sheet.pictures.append(
                Picture(
                    f"addin_map_{i + 1}_{k + 1}",
                    (row, 1),
                    partial(_figure, page),
                    width_px=w_px,
                    height_px=h_px,
                )
            )
            rows = math.ceil(h_px / (ROW_PT * 96 / 72))
            sheet.row_heights.update({r: ROW_PT for r in range(row, row + rows)})
            row += rows
    breaks.append(row)
    _cells(sheet, whole, row)
    sheet.col_widths = widths
    fit_rows(sheet)
    sheet.page = PageSetup(row_breaks=tuple(breaks))  # a page per picture, then the cells
    return sheet


def _figure(page: Page) -> Figure:
    from addin.core.journey_map.render import page_figure

    return page_figure(page)


def _cells(sheet: OutputSheet, m: JourneyMap, top: int) -> None:
    sheet.put(top, 1, "The map as cells (copy them to edit the map elsewhere)", Role.SUBTITLE)
    head = top + 1
    sheet.put(head, 1, "Lane", Role.HEADER)
    sheet.put_row(head, 2, list(m.stages), Role.HEADER)
    r = head + 1
    for lane in m.lanes:
        sheet.put(r, 1, lane.name, Role.ROWHEAD)
        sheet.put_row(r, 2, list(lane.cells), Role.WRAP)
        r += 1
    for curve in m.curves:
        sheet.put(r, 1, f"Emotion: {curve.name}", Role.ROWHEAD)
        sheet.put_row(r, 2, [None if v is None else round(v, 2) for v in curve.values], Role.NUM1)
        r += 1
    sheet.put(r, 1, "Pain points (ID, pain score)", Role.ROWHEAD)
    for j, stage in enumerate(m.stages, start=2):
        text = "\n".join(f"{p.id} ({p.score:.0f}): {p.description}" for p in m.pains_at(stage))
        sheet.put(r, j, text or None, Role.WRAP)
    r += 1
    for lane in m.after:
        sheet.put(r, 1, lane.name, Role.ROWHEAD)
        sheet.put_row(r, 2, list(lane.cells), Role.WRAP)
        r += 1
    sheet.put(r, 1, "Moments of truth", Role.ROWHEAD)
    sheet.put_row(r, 2, [e.moment for e in m.evidence], Role.WRAP)
    r += 1
    sheet.put(r, 1, "Evidence", Role.ROWHEAD)
    sheet.put_row(r, 2, ["\n".join(evidence_lines(e)) for e in m.evidence], Role.WRAP)
