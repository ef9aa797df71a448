"""Evidence aggregated where it lives: what an engine (DuckDB, Spark) returns for a source in the
Evidence layout, checked against the journey the way the Evidence sheet's rows are.

An engine never sends rows back, only sufficient statistics per (stage, touchpoint, persona,
channel, metric) as the source spells them, plus per group how many rows had no score on their
metric's scale (`bad`). Here the groups are matched to the grid's stages and the Personas sheet;
what cannot be used is a finding that says how many answers it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.contract import Col, Metric, Sheet, norm
from addin.core.evidence import GROUP_KEYS, PERIOD_KEYS, STAT_COLUMNS, empty_stats
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.sources.spec import SourceRow
from addin.core.tables import lookup_column
from addin.core.validation.findings import Findings, suggest
from addin.core.validation.references import persona_names, stage_names

METRIC_KEY = "metric_key"
"""The engine's column for the metric as the source spells it, trimmed and lower-cased."""
BAD = "bad"
"""The engine's column counting rows whose score is blank or off its metric's scale."""


@dataclass
class AggregatedSource:
    """A source an engine aggregated: its display name, the engine that did it, and the groups."""

    name: str
    engine: str
    groups: pd.DataFrame
    """Stage, Touchpoint, Persona, Channel, metric_key, year, month, n, sum, sumsq, ge4, ge9, le6, bad."""


def checked_stats(source: AggregatedSource, row: SourceRow, journey: Journey, found: Findings) -> pd.DataFrame:
    """The groups that can be used, in `grouped_stats` form plus `PERIOD_KEYS` (year and month of the
    Date, NaN without one: the trends' statistics); findings for the rest (with their counts)."""
    frame = source.groups
    if frame.empty:
        return empty_stats()
    sheet = Sheet.EVIDENCE_SOURCES.value
    n = frame["n"].to_numpy(dtype=float)
    bad = frame[BAD].to_numpy(dtype=float)
    metric = frame[METRIC_KEY].map({norm(m.value): m.value for m in Metric})
    unknown_metric = metric.isna().to_numpy()
    off_scale = int(bad[~unknown_metric].sum())
    if unknown_metric.any():
        names = sorted({str(v) for v in frame[METRIC_KEY][unknown_metric]})
        shown = ", ".join(f"'{v}'" for v in names[:5])
        count = int((n + bad)[unknown_metric].sum())
        found.add(
            Rule.SOURCE_UNKNOWN_LABEL,
            sheet,
            row.cell(Col.METRIC),
            f"{count:,} rows of {source.name} have a metric that is not CSAT, CES, NPS or Emotion ({shown}); "
            "they are left out.",
            "Correct the Metric column of the source, or leave those rows out.",
        )
    if off_scale:
        found.add(
            Rule.SOURCE_UNKNOWN_LABEL,
            sheet,
            row.cell(Col.FILE),
            f"{off_scale:,} rows of {source.name} have no score, or one off their metric's scale; they are left out.",
            "Scores: CSAT 1-5, CES 1-7, NPS 0-10, Emotion -2..+2.",
        )
    stage = lookup_column(frame[Col.STAGE], stage_names(journey))
    unknown_stage = stage.isna().to_numpy() & ~unknown_metric
    if unknown_stage.any():
        named = sorted({str(v) for v in frame[Col.STAGE][unknown_stage].dropna()})
        what = f"the stage '{named[0]}'{suggest(named[0], journey.stages)}" if named else "no stage"
        found.add(
            Rule.SOURCE_UNKNOWN_STAGE,
            sheet,
            row.cell(Col.STAGE),
            f"{int(n[unknown_stage].sum()):,} answers from {source.name} name {what}, which is not in the Journey "
            "grid; they are left out.",
            "Correct the Stage column of the source, or give this row a Stage.",
        )
    persona = lookup_column(frame[Col.PERSONA], persona_names(journey.personas))
    keep = ~(unknown_metric | unknown_stage) & (n > 0)
    out = pd.DataFrame(
        {
            Col.STAGE: stage[keep].to_numpy(dtype=object),
            Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep].to_numpy(dtype=object),
            Col.PERSONA: persona[keep].to_numpy(dtype=object),
            Col.CHANNEL: frame[Col.CHANNEL][keep].to_numpy(dtype=object),
            Col.METRIC: metric[keep].to_numpy(dtype=object),
        }
    )
    out = out.astype(object).where(out.notna(), None)
    for s in STAT_COLUMNS + PERIOD_KEYS:
        out[s] = frame[s].to_numpy(dtype=float)[keep] if s in frame else np.full(int(keep.sum()), np.nan)
    return out[list(GROUP_KEYS + STAT_COLUMNS + PERIOD_KEYS)]


def total_answers(stats: pd.DataFrame | None) -> int:
    """How many answers grouped statistics hold (0 for None)."""
    return int(np.nansum(stats["n"].to_numpy(dtype=float))) if stats is not None and len(stats) else 0
