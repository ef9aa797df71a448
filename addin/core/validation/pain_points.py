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

SOURCES = {s.value for s in Source}
"""The sources a pain point's Source may name."""


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
        stage = _stage(table, r, rec.get(Col.STAGE), name, stages, journey, found)
        levels = _levels(table, r, rec, pid, found)
        persona, persona_ok = _persona(table, r, rec.get(Col.PERSONA), personas, found)
        source = _source(table, r, rec.get(Col.SOURCE), found)
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
        if ok and stage is not None and None not in levels.values() and persona_ok:
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


def _stage(
    table: Table, r: int, value: Any, name: str, stages: dict[str, str], journey: Journey, found: Findings
) -> str | None:
    """The Journey stage a pain point's Stage cell names, or None after reporting that it names none."""
    stage = stage_of(value, stages)
    if stage is None:
        what = "no stage" if is_blank(value) else f"the stage '{value}', which is not in the Journey grid"
        hint = suggest(str(value), journey.stages) if not is_blank(value) else ""
        flag(
            found,
            Rule.PAIN_UNKNOWN_STAGE,
            table,
            r,
            Col.STAGE,
            f"{name} has {what}.{hint}",
            "Pick one of the stages of the Journey sheet: " + ", ".join(journey.stages) + ".",
        )
    return stage


def _levels(table: Table, r: int, rec: dict[str, Any], pid: str | None, found: Findings) -> dict[str, int | None]:
    """Severity and frequency of a pain point as whole numbers from 1 to 5, by column; None (reported) for one
    that is not."""
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
    return levels


def _persona(table: Table, r: int, value: Any, personas: dict[str, str], found: Findings) -> tuple[str | None, bool]:
    """(the persona a pain point's Persona cell names, None when blank (all customers); False after reporting
    that it names one not in Personas)."""
    if is_blank(value):
        return None, True
    persona = personas.get(norm(value))
    if persona is None:
        flag(
            found,
            Rule.PAIN_UNKNOWN_PERSONA,
            table,
            r,
            Col.PERSONA,
            f"The persona '{value}' is not in the Personas sheet." + suggest(str(value), personas.values()),
            "Spell it as in Personas, add the persona there, or leave the cell blank (all customers).",
        )
        return None, False
    return persona, True


def _source(table: Table, r: int, value: Any, found: Findings) -> str | None:
    """The `norm` of a pain point's Source, None when blank; one not in the list is noted and kept as is."""
    source = None if is_blank(value) else norm(value)
    if source is not None and source not in SOURCES:
        flag(
            found,
            Rule.PAIN_UNKNOWN_SOURCE,
            table,
            r,
            Col.SOURCE,
            f"The source '{value}' is not one of: {', '.join(s.value for s in Source)}; it is kept as is."
            + suggest(str(value), SOURCES),
            "Pick a source from the list.",
        )
    return source
