"""The Journey grid: its stages across the first row, its lanes down the first column, and the emotion lanes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import EMOTION_LANE_PREFIX, EMOTION_RANGE, Col, Lane, norm
from addin.core.journey import ALL_CUSTOMERS, Journey
from addin.core.model import RawSheet, a1
from addin.core.rules import Rule
from addin.core.tables import is_blank, to_number
from addin.core.validation.cells import quoted
from addin.core.validation.findings import Findings, suggest
from addin.core.validation.references import persona_names

KNOWN_LANES = {norm(lane.value) for lane in Lane}


def read_grid(sheet: RawSheet, personas: pd.DataFrame, found: Findings) -> Journey:
    """A `Journey` of the grid's stages, lanes and emotion curves (one per emotion lane, by persona)."""
    rows = sheet.rows
    header = rows[0] if rows else []
    lane_col = next((i for i, v in enumerate(header, start=1) if norm(v) == norm(Col.LANE)), 1)
    stages, stage_cols = _read_stages(sheet.name, header, lane_col, found)
    journey = Journey(stages=stages)
    emotion_rows, has_content = _read_lanes(sheet.name, rows, lane_col, stage_cols, journey, personas, found)
    for i, stage in enumerate(stages):
        if not has_content[i]:
            found.add(
                Rule.EMPTY_STAGE,
                sheet.name,
                a1(1, stage_cols[i]),
                f"The stage '{stage}' has nothing in any lane.",
                "Fill in at least the touchpoints and the emotion, or delete the column.",
            )
    journey.emotions = pd.DataFrame.from_dict(emotion_rows, orient="index", columns=stages, dtype=float)
    return journey


def _read_stages(sheet: str, header: list[Any], lane_col: int, found: Findings) -> tuple[list[str], list[int]]:
    """The stage names across the header row after the lane column, and the column of each; a blank or repeated
    stage name is reported and its column ignored, and a grid without stages is reported."""
    stages: list[str] = []
    stage_cols: list[int] = []
    last = max((i for i, v in enumerate(header, start=1) if not is_blank(v)), default=0)
    seen: dict[str, int] = {}
    for idx in range(lane_col + 1, last + 1):
        value = header[idx - 1]
        if is_blank(value):
            found.add(
                Rule.BLANK_STAGE,
                sheet,
                a1(1, idx),
                "This stage column has no name; its cells are ignored.",
                "Type the stage name in the header row, or delete the empty column.",
            )
            continue
        name = " ".join(str(value).split())
        if norm(name) in seen:
            found.add(
                Rule.DUPLICATE_STAGE,
                sheet,
                a1(1, idx),
                f"The stage '{name}' appears twice (also in {a1(1, seen[norm(name)])}); this column is ignored.",
                "Give each stage one column, or rename one of them (if the two header cells are merged, unmerge them).",
            )
            continue
        seen[norm(name)] = idx
        stages.append(name)
        stage_cols.append(idx)
    if not stages:
        found.add(
            Rule.NO_STAGES,
            sheet,
            a1(1, lane_col + 1),
            "The Journey sheet has no stage columns.",
            "Type the stages (e.g. Awareness, Consideration, Purchase) across the first row, after 'Lane'.",
        )
    return stages, stage_cols


def _read_lanes(
    sheet: str,
    rows: list[list[Any]],
    lane_col: int,
    stage_cols: list[int],
    journey: Journey,
    personas: pd.DataFrame,
    found: Findings,
) -> tuple[dict[str, list[float]], list[bool]]:
    """Fill `journey.lanes` from the rows below the header, one lane a row; returns the emotion curves (by
    persona, `ALL_CUSTOMERS` for the Emotion lane) and, per stage, whether any lane has something in it.

    A row with content but no lane name, and a lane named twice, are reported and not analysed."""
    known_personas = persona_names(personas)
    emotion_rows: dict[str, list[float]] = {}
    has_content = [False] * len(stage_cols)
    lane_rows: dict[str, int] = {}
    for r, values in enumerate(rows[1:], start=2):
        if not values:  # a row with no cell at all (a sparse sheet has a million of them): nothing to read
            continue
        lane = values[lane_col - 1] if lane_col - 1 < len(values) else None
        cells = [values[c - 1] if c - 1 < len(values) else None for c in stage_cols]
        if is_blank(lane):
            if any(not is_blank(v) for v in cells):
                found.add(
                    Rule.UNKNOWN_LANE,
                    sheet,
                    a1(r, lane_col),
                    "This row has content but no lane name; it is kept but not analysed.",
                    "Type the lane name (e.g. Touchpoints) in the first column.",
                )
            continue
        lane_name = " ".join(str(lane).split())
        key = norm(lane_name)
        if key in lane_rows:
            found.add(
                Rule.DUPLICATE_LANE,
                sheet,
                a1(r, lane_col),
                f"The lane '{lane_name}' appears twice (also in {a1(lane_rows[key], lane_col)}); "
                "this row is not analysed.",
                "Merge the two rows into one, or rename one of them.",
            )
            continue
        lane_rows[key] = r
        for i, v in enumerate(cells):
            if not is_blank(v):
                has_content[i] = True
        journey.lanes[lane_name] = [None if is_blank(v) else v for v in cells]
        curve = _curve_of(sheet, r, lane_col, lane_name, known_personas, found)
        if curve is not None:
            emotion_rows[curve] = _emotion_row(sheet, r, stage_cols, cells, lane_name, found)
    return emotion_rows, has_content


def _curve_of(
    sheet: str, r: int, lane_col: int, lane_name: str, known_personas: dict[str, str], found: Findings
) -> str | None:
    """Whose emotion curve the lane `lane_name` (in row `r`) is: `ALL_CUSTOMERS` for the Emotion lane, the persona
    of an "Emotion: <persona>" lane (reported when not in Personas), None for any other lane (reported when it is
    not a lane the add-in knows)."""
    key = norm(lane_name)
    if key == norm(Lane.EMOTION):
        return ALL_CUSTOMERS
    if key.startswith(norm(EMOTION_LANE_PREFIX)):
        persona = " ".join(lane_name.split(":", 1)[1].split())
        if norm(persona) not in known_personas:
            who = f"the persona '{persona}', who is not in Personas" if persona else "no persona"
            found.add(
                Rule.EMOTION_UNKNOWN_PERSONA,
                sheet,
                a1(r, lane_col),
                f"The lane '{lane_name}' names {who}.{suggest(persona, known_personas.values())}",
                "Spell the persona as in the Personas sheet, or add the persona there.",
            )
        return known_personas.get(norm(persona), persona)
    if key not in KNOWN_LANES:
        found.add(
            Rule.UNKNOWN_LANE,
            sheet,
            a1(r, lane_col),
            f"'{lane_name}' is not a lane the add-in knows; it is kept as is."
            + suggest(lane_name, [lane.value for lane in Lane]),
            "Known lanes: " + ", ".join(lane.value for lane in Lane) + ".",
        )
    return None


def _emotion_row(sheet: str, r: int, cols: list[int], cells: list[Any], lane: str, found: Findings) -> list[float]:
    """The numbers of an emotion lane's row `r`, one per stage column: NaN for a blank cell and, reported, for one
    that is not a number from -2 to +2."""
    out: list[float] = []
    low, high = EMOTION_RANGE
    for col, value in zip(cols, cells, strict=True):
        if is_blank(value):
            out.append(np.nan)
            continue
        number = to_number(value)
        if number is None:
            found.add(
                Rule.EMOTION_NOT_NUMBER,
                sheet,
                a1(r, col),
                f"'{lane}' should be a number from -2 (very negative) to +2 (very positive), not {quoted(value)}.",
                "Type a number from -2 to 2.",
            )
            out.append(np.nan)
        elif not low <= number <= high:
            found.add(
                Rule.EMOTION_OUT_OF_RANGE,
                sheet,
                a1(r, col),
                f"'{lane}' is {number:g}, outside the scale -2..+2.",
                "Type a number from -2 (very negative) to 2 (very positive).",
            )
            out.append(np.nan)
        else:
            out.append(number)
    return out
