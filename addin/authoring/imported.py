"""Write an imported journey as a new workbook: our template (drop-downs, Tables, Instructions) filled in,
plus an `Import` sheet listing every decision, the cell it came from and what to confirm."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook

from addin.authoring import template
from addin.authoring.examples import ExampleJourney
from addin.core.contract import COLUMNS, IMPORT_COLUMNS, Lane, Sheet
from addin.core.importing.model import Decision, ImportedJourney

MAX_CELL = 32_000
"""Excel holds at most 32,767 characters in a cell."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONFIRM_FILL = PatternFill("solid", fgColor="FFF2CC")
WIDTHS = (44, 30, 90, 50)


def _clean(value: Any) -> Any:
    """A value as a cell can hold it: no control characters, at most `MAX_CELL` characters, no empty text."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)[:MAX_CELL] or None  # an empty text would be a cell without text
    return value


def build(journey: ImportedJourney) -> Workbook:
    """The new workbook, as an openpyxl Workbook (save it with `template.to_bytes`)."""
    n = len(journey.stages)
    for lane, values in journey.lanes.items():
        for stage, value in zip(journey.stages, values, strict=False):
            if isinstance(value, str) and len(value) > MAX_CELL:
                journey.decisions.append(
                    Decision(
                        "",
                        f"Journey lane '{lane}', {stage}",
                        f"{len(value):,} characters: cut at {MAX_CELL:,}",
                        "Excel holds no more in a cell; shorten it or keep the rest elsewhere.",
                    )
                )
    lanes: dict[str, list[Any]] = {lane.value: list(journey.lanes.get(lane.value, [None] * n)) for lane in Lane}
    lanes.update({k: list(v) for k, v in journey.lanes.items() if k not in lanes})
    ex = ExampleJourney(
        key="import",
        name=_clean(journey.name),
        stages=[_clean(s) for s in journey.stages],
        lanes={k: [_clean(v) for v in values] for k, values in lanes.items()},
        personas=[(_clean(a), _clean(b), c) for a, b, c in journey.personas],
        pain_points=[tuple(_clean(row[c.value]) for c in COLUMNS[Sheet.PAIN_POINTS]) for row in journey.pains],
        recommendations=[],
        funnel=[],
        touchpoints={},
        settings=[("Journey name", _clean(journey.name))],
        evidence_rows=0,
    )
    wb = template.build_journey(ex)
    wb[Sheet.INSTRUCTIONS.value]["A2"] = (
        f"Imported: {ex.name}. The Import sheet lists what was read from where, and what to confirm."
    )
    _import_sheet(wb, journey)
    for ws in wb.worksheets:  # what came from the sources stays text, even when it starts with "="
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return wb


def _import_sheet(wb: Workbook, journey: ImportedJourney) -> None:
    ws = wb.create_sheet(Sheet.IMPORT.value, index=1)
    for c, name in enumerate(IMPORT_COLUMNS, start=1):
        cell = ws.cell(1, c, name.value)
        cell.font = template.HEADER_FONT
        cell.fill = template.HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = WIDTHS[c - 1]
    for r, d in enumerate(journey.decisions, start=2):
        for c, value in enumerate((d.origin, d.target, d.decision, d.confirm), start=1):
            cell = ws.cell(r, c, _clean(value) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if d.confirm:
                cell.fill = CONFIRM_FILL
        if d.confirm:
            ws.cell(r, 4).font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{max(2, len(journey.decisions) + 1)}"
