"""Lay the results out as output sheets (platform-neutral `OutputSheet`s): what they share, and the
Validation and Priorities sheets. The Heatmap sheet is laid out in `report_heatmap`, the Dashboard in
`report_dashboard`.

Layout constants live here so every writer (file, Excel, Google Sheets) draws the same sheets.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from addin.core.contract import (
    GENERATED_BANNER,
    PRIORITY_COLUMNS,
    SMALL_SAMPLE,
    VALIDATION_COLUMNS,
    Sheet,
)
from addin.core.model import Finding, OutputSheet, Ref, quote_sheet, tally
from addin.core.report_assumed import MARK_MEANING, marked
from addin.core.results import Results
from addin.core.styles import WRAPPED, Role, quadrant_role
from addin.core.words import counted

HEADER_ROW = 4
"""Row of the table header on Validation and Priorities, and of the matrix header on Heatmap."""
LINE_PT = 15.0
"""Height of one line of 11-point text, in points."""


def left_out_text(result: Results, sheets: Sequence[Sheet] | None = None) -> str:
    """ "2 recommendations left out because of errors: see Validation (R03, R07)." for each input table
    (of `sheets`, default all) with rows left out; "" when none.
    """
    parts = []
    for lo in result.left_out:
        sheet = Sheet(lo.sheet)
        if sheets is not None and sheet not in sheets:
            continue
        parts.append(lo.sentence())
    return " ".join(parts)


def banner(sheet: OutputSheet) -> None:
    """Row 1 of every output sheet. No timestamp: an unchanged input gives identical sheets."""
    sheet.put(1, 1, GENERATED_BANNER, Role.BANNER)


def lines_needed(text: str, width_chars: float) -> int:
    """How many lines `text` takes when wrapped at word breaks in a column `width_chars` wide (a width
    counts digits; ordinary text is narrower, about 1.1 characters per unit).
    """
    per_line = max(int(width_chars * 1.1) - 1, 4)
    return sum(len(textwrap.wrap(part, per_line)) or 1 for part in str(text).split("\n"))


def fit_rows(sheet: OutputSheet) -> None:
    """Set the height of every row holding wrapped text so all of it shows (writers do not measure
    text, and LibreOffice keeps a file's row heights as they are). Merged cells count their full width.
    """
    spans = {(m.first_row, m.first_col): m for m in sheet.merges}
    for (r, c), cell in sheet.cells.items():
        if cell.value is None or cell.style not in WRAPPED:
            continue
        merge = spans.get((r, c))
        last = merge.last_col if merge else c
        width = sum(sheet.col_widths.get(col, 8.43) for col in range(c, last + 1))
        lines = lines_needed(str(cell.value), width)
        if lines > 1:
            sheet.row_heights[r] = max(sheet.row_heights.get(r, 0.0), lines * LINE_PT + 3)


def interval_text(low: float | None, high: float | None, n: int, fmt: str, scale: float = 1.0) -> str | None:
    """ "67 to 82"; None without answers, or with one (a single answer has no interval)."""
    if n < 2 or low is None or high is None or math.isnan(low) or math.isnan(high):
        return None
    return f"{low * scale:{fmt}} to {high * scale:{fmt}}"


def answers(n: int | None) -> tuple[Any, Role]:
    """A sample size and its style: the number, or in words when it is small ("only 12 answers")."""
    if n is None or not n:
        return (0 if n is not None else None), Role.INT
    if n < SMALL_SAMPLE:
        return (f"only {n} answer{'s' if n != 1 else ''}", Role.RIGHT)
    return n, Role.INT


# ---------------------------------------------------------------- Validation


def appended(text: str) -> str:
    """ " <text>" to add a sentence to a line, or "" without one."""
    return f" {text}" if text else ""


def validation_sheet(findings: Sequence[Finding], left_out: str = "") -> OutputSheet:
    """One row per finding, errors first; row 2 counts them and says which rows were left out."""
    sheet = OutputSheet(Sheet.VALIDATION.value)
    banner(sheet)
    errors, warnings = tally(findings)  # the true numbers: a summed-up line stands for the rows it leaves out
    if findings:
        sheet.put(
            2,
            1,
            f"Validation: {counted(errors, 'error')}, {counted(warnings, 'warning')}. "
            "Errors leave a row out of the analysis; click a cell reference to jump to it."
            + (f" {left_out}" if left_out else ""),
            Role.ERROR if errors else Role.WARNING,
        )
    else:
        sheet.put(2, 1, "Validation: no problems found.", Role.OK)
    sheet.put_row(HEADER_ROW - 1, 1, [c.value if hasattr(c, "value") else c for c in VALIDATION_COLUMNS], Role.HEADER)
    for i, f in enumerate(findings):
        r = HEADER_ROW + i
        sheet.put(r, 1, f.severity.value, Role(f.severity.value))
        sheet.put(r, 2, f.rule.value)
        sheet.put(r, 3, f.sheet)
        link = f"{quote_sheet(f.sheet)}!{f.cell}" if f.cell else None
        sheet.put(r, 4, f.cell, Role.LINK if link else None, link)
        sheet.put(r, 5, f.message, Role.WRAP)
        sheet.put(r, 6, f.fix, Role.WRAP)
    sheet.col_widths = {1: 10, 2: 8, 3: 16, 4: 9, 5: 70, 6: 55}
    sheet.freeze = (HEADER_ROW, 1)
    fit_rows(sheet)
    return sheet


# ---------------------------------------------------------------- Priorities


def priorities_sheet(result: Results) -> tuple[OutputSheet, dict[str, Ref]]:
    """Recommendations ranked, quadrants coloured, rationale wrapped; then the pain nothing addresses."""
    sheet = OutputSheet(Sheet.PRIORITIES.value)
    banner(sheet)
    p = result.priorities
    sheet.put(
        2,
        1,
        f"Priorities: scored by {p.method.value}. Quadrants: high value = Value of at least "
        f"{p.value_threshold:,.1f}; low effort = at most {p.effort_threshold:g} person-weeks."
        + appended(left_out_text(result, (Sheet.RECOMMENDATIONS, Sheet.PAIN_POINTS))),
        Role.TITLE,
    )
    sheet.put_row(HEADER_ROW - 1, 1, [c.value for c in PRIORITY_COLUMNS], Role.HEADER)
    r = HEADER_ROW - 1
    for r, rec in enumerate(p.recommendations, start=HEADER_ROW):
        sheet.put(r, 1, rec.rank, Role.INT)
        sheet.put(r, 2, rec.id)
        sheet.put(r, 3, rec.title, Role.WRAP)
        sheet.put(r, 4, round(rec.score, 4), Role.NUM1)
        sheet.put(r, 5, round(rec.value, 4), Role.NUM1)
        sheet.put(r, 6, rec.effort, Role.NUM1)
        sheet.put(r, 7, rec.quadrant.value, quadrant_role(rec.quadrant.value))
        sheet.put(r, 8, marked(rec.addresses, rec.assumed), Role.WRAP)
        sheet.put(r, 9, rec.rationale, Role.WRAP)
    refs = {}
    if p.recommendations:
        refs = {
            "ids": Ref(sheet.name, HEADER_ROW, 2, r, 2),
            "score": Ref(sheet.name, HEADER_ROW, 4, r, 4),
            "value": Ref(sheet.name, HEADER_ROW, 5, r, 5),
            "effort": Ref(sheet.name, HEADER_ROW, 6, r, 6),
        }
    else:
        sheet.put(HEADER_ROW, 1, "No recommendations to rank yet.", Role.NOTE)
        r = HEADER_ROW
    if any(pain.assumed for pain in result.pain_points):
        sheet.put(r + 1, 1, MARK_MEANING, Role.NOTE)
    top = r + 3
    sheet.put(top, 1, "Pain points no recommendation addresses (highest pain first)", Role.SUBTITLE)
    sheet.put_row(top + 1, 1, ["Pain", "ID", "Description", "Stage"], Role.HEADER)
    assumed = [pain.id for pain in result.pain_points if pain.assumed]
    for i, pain in enumerate(result.unaddressed, start=top + 2):
        sheet.put(i, 1, round(pain.score, 1), Role.NUM1)
        sheet.put(i, 2, marked([pain.id], assumed))
        sheet.put(i, 3, pain.description, Role.WRAP)
        sheet.put(i, 4, pain.stage, Role.WRAP)
    if not result.unaddressed:
        sheet.put(top + 2, 1, "Every pain point is addressed by at least one recommendation.", Role.OK)
    sheet.col_widths = {1: 7, 2: 8, 3: 34, 4: 11, 5: 12, 6: 9, 7: 12, 8: 14, 9: 90}
    sheet.freeze = (HEADER_ROW, 3)
    fit_rows(sheet)
    return sheet, refs
