"""The PainPoints sheet: unique IDs, known stages and personas, severity and frequency from 1 to 5."""

from __future__ import annotations

from typing import Any

import pandas as pd

from addin.core.contract import COLUMNS, FREQUENCY_SCALE, SEVERITY_SCALE, Col, Sheet, Source, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import Table, is_blank, to_number, typed_frame
from addin.core.validation.cells import cell_text, quoted, rows_of
from addin.core.validation.findings import Findings, flag, suggest
from addin.core.validation.ids import UniqueIds
from addin.core.validation.references import persona_names, stage_names, stage_of

LEVELS = (
    (Col.SEVERITY, SEVERITY_SCALE, Rule.PAIN_BAD_SEVERITY, "1 (minor) to 5 (blocks the customer)"),
    (Col.FREQUENCY, FREQUENCY_SCALE, Rule.PAIN_BAD_FREQUENCY, "1 (rare) to 5 (almost every customer)"),
)
"""The two 1-5 scales of a pain point: column, scale, rule when it is off the scale, and what its ends mean."""


def _whole_on(value: Any, scale: tuple[int, int]) -> int | None:
    """The value as a whole number on `scale`, or None."""
    number = to_number(value)
    low, high = scale
    if number is None or number != int(number) or not low <= number <= high:
        return None
    return int(number)


def read_pain_points(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """The pain points without errors, one row each; records the cell of each ID in `journey.pain_cells`."""
    stages = stage_names(journey)
    personas = persona_names(journey.personas)
    sources = {s.value for s in Source}
    records: list[dict[str, Any]] = []
    ids = UniqueIds(
        found,
        table,
        "pain point",
        Rule.PAIN_BLANK_ID,
        Rule.PAIN_DUPLICATE_ID,
        "Give it a short unique ID such as P12, so recommendations can refer to it.",
    )
    for r, rec in rows_of(table):
        mark = found.mark()
        pid, ok = ids.check(r, rec.get(Col.ID))
        if pid is not None and ok:
            journey.pain_cells[pid] = table.cell(r, Col.ID)
        name = f"Pain point {pid}" if pid else "This pain point"
        stage_raw = rec.get(Col.STAGE)
        stage = stage_of(stage_raw, stages)
        if stage is None:
            what = "no stage" if is_blank(stage_raw) else f"the stage '{stage_raw}', which is not in the Journey grid"
            hint = suggest(str(stage_raw), journey.stages) if not is_blank(stage_raw) else ""
            flag(
                found,
                Rule.PAIN_UNKNOWN_STAGE,
                table,
                r,
                Col.STAGE,
                f"{name} has {what}.{hint}",
                "Pick one of the stages of the Journey sheet: " + ", ".join(journey.stages) + ".",
            )
            ok = False
        levels: dict[str, int | None] = {}
        for col, bounds, rule, scale in LEVELS:
            levels[col] = _whole_on(rec.get(col), bounds)
            if levels[col] is None:
                flag(
                    found,
                    rule,
                    table,
                    r,
                    col,
                    f"{col} of {pid or 'this pain point'} is {quoted(rec.get(col))}; it should be "
                    f"a whole number from {scale}.",
                    "Type 1, 2, 3, 4 or 5.",
                )
                ok = False
        persona_raw = rec.get(Col.PERSONA)
        persona = None
        if not is_blank(persona_raw):
            persona = personas.get(norm(persona_raw))
            if persona is None:
                flag(
                    found,
                    Rule.PAIN_UNKNOWN_PERSONA,
                    table,
                    r,
                    Col.PERSONA,
                    f"The persona '{persona_raw}' is not in the Personas sheet."
                    + suggest(str(persona_raw), personas.values()),
                    "Spell it as in Personas, add the persona there, or leave the cell blank (all customers).",
                )
                ok = False
        source_raw = rec.get(Col.SOURCE)
        source = None if is_blank(source_raw) else norm(source_raw)
        if source is not None and source not in sources:
            flag(
                found,
                Rule.PAIN_UNKNOWN_SOURCE,
                table,
                r,
                Col.SOURCE,
                f"The source '{source_raw}' is not one of: {', '.join(s.value for s in Source)}; it is kept as is."
                + suggest(str(source_raw), sources),
                "Pick a source from the list.",
            )
        if is_blank(rec.get(Col.DESCRIPTION)):
            flag(
                found,
                Rule.PAIN_BLANK_DESCRIPTION,
                table,
                r,
                Col.DESCRIPTION,
                f"{name} has no description.",
                "Say in a sentence what hurts, in the customer's words if you have them.",
            )
        if ok:
            records.append(
                {
                    Col.ID: pid,
                    Col.STAGE: stage,
                    Col.TOUCHPOINT: cell_text(rec.get(Col.TOUCHPOINT)),
                    Col.CHANNEL: cell_text(rec.get(Col.CHANNEL)),
                    Col.PERSONA: persona,
                    Col.DESCRIPTION: cell_text(rec.get(Col.DESCRIPTION)),
                    Col.SEVERITY: levels[Col.SEVERITY],
                    Col.FREQUENCY: levels[Col.FREQUENCY],
                    Col.SOURCE: source,
                    "row": r,
                }
            )
        else:
            found.leave_out(table.sheet, 1, found.errors_since(mark))
    return typed_frame(Sheet.PAIN_POINTS, records, [*COLUMNS[Sheet.PAIN_POINTS], "row"])
