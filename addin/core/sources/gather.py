"""Read every listed source through the reader a front end passes in, and add what they hold to the
journey: survey answers to its evidence, an event log's funnel and paths to its funnel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from addin.core.contract import Col, Sheet
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.sources.aggregated import AggregatedSource, checked_stats
from addin.core.sources.events import funnel_frame, journey_from_events
from addin.core.sources.formats import Format
from addin.core.sources.spec import SourceRow
from addin.core.sources.surveys import LoadedSource, evidence_rows
from addin.core.validation.findings import Findings

SourceReader = Callable[[str, Format | None, Sequence[SourceRow]], list[LoadedSource | AggregatedSource]]
"""(File cell, Format or None, the rows listing that file) -> the files read, or aggregated where they
live (Evidence layout). Raises SourceError."""


def group_rows(rows: Sequence[SourceRow]) -> dict[tuple[str, Format | None], list[SourceRow]]:
    """Rows that name the same file and format, in sheet order: each file is read once."""
    groups: dict[tuple[str, Format | None], list[SourceRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    return groups


def gather(journey: Journey, read: SourceReader, found: Findings) -> None:
    """Add the evidence and event logs of `journey.sources` to the journey."""
    parts = [journey.evidence] if len(journey.evidence) else []
    stats: list[pd.DataFrame] = []
    for (pattern, fmt), rows in group_rows(journey.sources).items():
        loaded = read(pattern, fmt, rows)
        stats += [checked_stats(s, rows[0], journey, found) for s in loaded if isinstance(s, AggregatedSource)]
        files = [s for s in loaded if isinstance(s, LoadedSource)]
        events = [s for s in files if s.header.format is Format.EVENTS]
        for source in files:
            if source.header.format is not Format.EVENTS:
                parts.append(evidence_rows(source, rows, journey, found))
        if events:
            joined = LoadedSource(
                pattern if len(events) > 1 else events[0].name,
                events[0].header,
                pd.concat([e.frame for e in events], ignore_index=True) if len(events) > 1 else events[0].frame,
            )
            journey.event_journeys.append(journey_from_events(joined, rows, journey, found))
    stats = [s for s in stats if len(s)]
    if stats:
        journey.evidence_stats = pd.concat(stats, ignore_index=True) if len(stats) > 1 else stats[0]
    parts = [p for p in parts if len(p)]
    if parts:
        journey.evidence = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    used = [e for e in journey.event_journeys if e.customers]
    if used:
        first = used[0]
        if len(journey.funnel):
            found.add(
                Rule.SOURCE_FUNNEL_REPLACED,
                Sheet.FUNNEL.value,
                "A1",
                f"The funnel comes from the event log {first.source}; the Funnel sheet's rows are not used.",
                "Delete the Funnel sheet's rows, or remove the event log from EvidenceSources to use them.",
            )
        journey.funnel = funnel_frame(first).astype({Col.ENTERED: float, Col.COMPLETED: float})
