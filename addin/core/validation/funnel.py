"""The Funnel sheet: a stage of the grid per row, in the grid's order, and no more customers completing than entered."""

from __future__ import annotations

import pandas as pd

from addin.core.contract import Col, Sheet
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import Table, to_number, typed_frame
from addin.core.validation.cells import quoted, rows_of
from addin.core.validation.findings import Findings, flag
from addin.core.validation.references import stage_names, stage_of, unknown_stage, use_grid_stages


def read_funnel(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """The Funnel rows without errors (stage, entered, completed); flags rows out of the grid's order once."""
    stages = stage_names(journey)
    records = []
    sheet = table.sheet
    order: list[str] = []
    for r, rec in rows_of(table):
        mark = found.mark()
        stage_raw = rec.get(Col.STAGE)
        stage = stage_of(stage_raw, stages)
        ok = True
        if stage is None:
            flag(
                found,
                Rule.FUNNEL_UNKNOWN_STAGE,
                table,
                r,
                Col.STAGE,
                unknown_stage(stage_raw, journey, blank="This funnel row has no stage."),
                use_grid_stages(journey),
            )
            ok = False
        counts = {}
        for col in (Col.ENTERED, Col.COMPLETED):
            number = to_number(rec.get(col))
            if number is None or number < 0:
                flag(
                    found,
                    Rule.FUNNEL_BAD_COUNT,
                    table,
                    r,
                    col,
                    f"{col} is {quoted(rec.get(col))}; it should be a count of customers (0 or more).",
                    "Type the number of customers from your analytics.",
                )
                ok = False
            counts[col] = number
        entered, completed = counts[Col.ENTERED], counts[Col.COMPLETED]
        if ok and entered is not None and completed is not None and completed > entered:
            flag(
                found,
                Rule.FUNNEL_COMPLETED_OVER_ENTERED,
                table,
                r,
                Col.COMPLETED,
                f"{completed:,.0f} customers completed '{stage}' but only {entered:,.0f} entered it.",
                "Check both counts: Completed cannot be more than Entered.",
            )
            ok = False
        if stage is not None:
            order.append(stage)
        if ok:
            records.append({Col.STAGE: stage, Col.ENTERED: entered, Col.COMPLETED: completed})
        else:
            found.leave_out(table.sheet, 1, found.errors_since(mark))
    grid_order = [s for s in journey.stages if s in order]
    listed = list(dict.fromkeys(order))
    if listed != grid_order:
        found.add(
            Rule.STAGE_ORDER,
            sheet,
            table.header_cell(Col.STAGE),
            "The Funnel lists the stages in another order than the Journey grid ("
            + ", ".join(listed)
            + "); drop-off is shown in the grid's order.",
            "Sort the Funnel rows in journey order: " + ", ".join(journey.stages) + ".",
        )
    return typed_frame(Sheet.FUNNEL, records)
