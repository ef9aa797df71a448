"""Numbers that rest on assumptions: pain points read from the grid when there is no PainPoints sheet, and
imported pain points whose Severity and Frequency no source gave (their rows on the Import sheet say so).

A grid alone is enough for a first heatmap: its Pain points lane gives pain points (one per item of a
cell) at Severity 3 and Frequency 3, assumed. A value stops being assumed when the user types another
one, or clears the Confirm cell of its row on the Import sheet.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import ASSUMED_LEVEL, COLUMNS, Col, Lane, Sheet, norm
from addin.core.journey import Journey
from addin.core.model import RawWorkbook, a1
from addin.core.rules import Rule
from addin.core.tables import Table, is_blank, to_number
from addin.core.validation.findings import Findings
from addin.core.words import counted

LEVELS = (Col.SEVERITY.value, Col.FREQUENCY.value)
_NOTE = re.compile(r"^(Severity|Frequency)(?: and (Severity|Frequency))? assumed (\d)\b")
_TARGET = re.compile(r"^PainPoints (\S+)$")


def assumed_note(columns: list[str], value: int = ASSUMED_LEVEL) -> str:
    """The Confirm text of an imported pain point with assumed levels (`assumed_in` reads it back)."""
    them = "them" if len(columns) > 1 else "it"
    return f"{' and '.join(columns)} assumed {value}: rate {them}, then clear this cell."


def assumed_in(raw: RawWorkbook, pains: pd.DataFrame) -> dict[str, list[str]]:
    """Column -> IDs of the pain points whose value there is still the one the Import sheet says was assumed."""
    out: dict[str, list[str]] = {col: [] for col in LEVELS}
    sheet = raw.find(Sheet.IMPORT)
    if sheet is None or not sheet.rows or pains.empty:
        return out
    header = [norm(v) for v in sheet.rows[0]]
    try:
        to, confirm = header.index(norm(Col.TO)), header.index(norm(Col.CONFIRM))
    except ValueError:
        return out
    current = {str(pid): row for pid, row in zip(pains[Col.ID], pains.to_dict("records"), strict=True)}
    for row in sheet.rows[1:]:
        target = _TARGET.match(str(row[to])) if to < len(row) and not is_blank(row[to]) else None
        note = _NOTE.match(str(row[confirm])) if confirm < len(row) and not is_blank(row[confirm]) else None
        if target is None or note is None or target.group(1) not in current:
            continue
        value = int(note.group(3))
        for col in filter(None, note.groups()[:2]):
            if to_number(current[target.group(1)][col]) == value:
                out[col].append(target.group(1))
    return out


def check_assumed(raw: RawWorkbook, journey: Journey, found: Findings, from_grid: bool = False) -> None:
    """Note in `journey.assumed` which pain points' levels are assumed (all of them when they were read from the
    grid, `pains_from_grid` warned), and one warning per level that rests on assumptions: how many of how many."""
    total = len(journey.pain_points)
    if from_grid:
        ids = [] if journey.pain_points.empty else [str(p) for p in journey.pain_points[Col.ID]]
        journey.assumed = {col: list(ids) for col in LEVELS}
        return
    journey.assumed = assumed_in(raw, journey.pain_points)
    for col, ids in journey.assumed.items():
        if ids:
            shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
            found.add(
                Rule.ASSUMED_LEVELS,
                Sheet.PAIN_POINTS.value,
                a1(1, COLUMNS[Sheet.PAIN_POINTS].index(Col(col)) + 1),
                f"{col} assumed for {len(ids):,} of {counted(total, 'pain point')} ({shown}): the heatmap and the "
                "priorities rest on it.",
                f"Rate them in PainPoints ({col} 1-5), or clear their Confirm cell on the Import sheet if "
                f"{ASSUMED_LEVEL} is right.",
            )


def pains_from_grid(journey: Journey, found: Findings) -> Table:
    """PainPoints read from the grid's Pain points lane (one per sentence or list item) when the workbook has no
    PainPoints sheet, each at the assumed Severity and Frequency."""
    from addin.core.importing.pains import split_items

    lane = next((name for name in journey.lanes if norm(name) == norm(Lane.PAIN_POINTS)), None)
    records: list[dict[str, Any]] = []
    for stage, cell in zip(journey.stages, journey.lanes.get(lane, []) if lane else [], strict=False):
        if isinstance(cell, str):
            for item in split_items(cell)[0]:
                records.append({Col.STAGE.value: stage, Col.DESCRIPTION.value: item})
    width = max(2, len(str(len(records))))
    for n, rec in enumerate(records, start=1):
        rec.update(
            {Col.ID.value: f"P{n:0{width}d}", Col.SEVERITY.value: ASSUMED_LEVEL, Col.FREQUENCY.value: ASSUMED_LEVEL}
        )
    columns = [c.value for c in COLUMNS[Sheet.PAIN_POINTS]]
    frame = pd.DataFrame(
        {c: np.array([r.get(c) for r in records], dtype=object) for c in columns},
        index=pd.Index(range(2, len(records) + 2), name="row"),
        dtype=object,
    )
    if records:
        found.add(
            Rule.ASSUMED_LEVELS,
            Sheet.JOURNEY.value,
            a1(1, 1),
            f"There is no PainPoints sheet: {counted(len(records), 'pain point')} read from the Journey grid's "
            f"'{lane}' lane, each at Severity {ASSUMED_LEVEL} and Frequency {ASSUMED_LEVEL} (assumed).",
            "Add a PainPoints sheet to rate them (python -m addin import FILE --out NEW.xlsx makes one for you).",
        )
    return Table(Sheet.PAIN_POINTS.value, frame, {c: i for i, c in enumerate(columns, start=1)})
