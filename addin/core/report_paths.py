"""How customers really move, from each event log: times between stages, the most common paths,
skips and returns. A block of the Heatmap sheet, under the per-stage tables."""

from __future__ import annotations

from collections.abc import Sequence

from addin.core.model import OutputSheet
from addin.core.results import EventJourney
from addin.core.styles import Role


def paths_block(sheet: OutputSheet, row: int, journeys: Sequence[EventJourney]) -> int:
    """Write one block per event log from `row` on; returns the first row after them."""
    for log in journeys:
        if not log.customers:
            continue
        sheet.put(row, 1, f"How customers really move: {log.source} ({log.customers:,} customers)", Role.SUBTITLE)
        sheet.put(
            row + 1,
            1,
            f"{log.in_order:,} customers ({log.in_order / log.customers:.0%}) follow the map's order; "
            f"{log.went_back:,} ({log.went_back / log.customers:.0%}) went back to an earlier stage.",
            Role.NOTE,
        )
        row += 3
        sheet.put_row(row, 1, ["From", "To", "Customers", "Median hours", "90th percentile hours"], Role.HEADER)
        for i, t in enumerate(log.transitions, start=1):
            sheet.put_row(row + i, 1, [t.from_stage, t.to_stage])
            sheet.put(row + i, 3, t.customers, Role.INT)
            sheet.put(row + i, 4, round(t.median_hours, 1), Role.NUM1)
            sheet.put(row + i, 5, round(t.p90_hours, 1), Role.NUM1)
        row += len(log.transitions) + 2
        sheet.put_row(row, 1, ["Most common paths", "Customers", "Share", "In the map's order"], Role.HEADER)
        for i, p in enumerate(log.paths, start=1):
            sheet.put(row + i, 1, " > ".join(p.stages), Role.WRAP)
            sheet.put(row + i, 2, p.customers, Role.INT)
            sheet.put(row + i, 3, p.share, Role.PCT)
            sheet.put(row + i, 4, "yes" if p.in_map_order else "no")
        row += len(log.paths) + 2
        sheet.put_row(row, 1, ["Stage", "Skipped by"], Role.HEADER)
        for i, (stage, skipped) in enumerate(log.skipped, start=1):
            sheet.put(row + i, 1, stage)
            sheet.put(row + i, 2, skipped, Role.INT)
        row += len(log.skipped) + 3
    return row
