"""The Evidence sheet, column by column: metric, score on its scale, stage, date and persona."""

from __future__ import annotations

import pandas as pd

from addin.core.contract import METRIC_SCALE, Col, Metric, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import Table, date_column_ok, lookup_column, numeric_column
from addin.core.validation.findings import Findings, report_rows
from addin.core.validation.references import persona_names, stage_names, unknown_stage, use_grid_stages

EVIDENCE_COLUMNS = [Col.STAGE, Col.TOUCHPOINT, Col.CHANNEL, Col.PERSONA, Col.METRIC, Col.SCORE]


def read_evidence(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """Column by column, once per distinct value: the Evidence sheet may hold hundreds of thousands of rows."""
    frame = table.frame
    if frame.empty:
        empty = {c: pd.Series(dtype=object) for c in [Col.DATE, *EVIDENCE_COLUMNS]}
        return pd.DataFrame(empty).astype({Col.SCORE: float})
    metric = lookup_column(frame[Col.METRIC], {norm(m.value): m.value for m in Metric})
    bad_metric = metric.isna()
    scales = ", ".join(f"{m.value} ({_scale(m)})" for m in Metric)
    report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_METRIC,
        table,
        Col.METRIC,
        bad_metric,
        lambda v, _: (
            "This row has no metric." if v is None else f"The metric '{v}' is not one of CSAT, CES, NPS, Emotion."
        ),
        f"Pick one of: {scales}.",
    )
    score = numeric_column(frame[Col.SCORE])
    low = metric.map({m.value: METRIC_SCALE[m][0] for m in Metric}).astype(float)
    high = metric.map({m.value: METRIC_SCALE[m][1] for m in Metric}).astype(float)
    bad_score = ~bad_metric & (score.isna() | (score < low) | (score > high))
    report_rows(
        found,
        Rule.EVIDENCE_BAD_SCORE,
        table,
        Col.SCORE,
        bad_score,
        lambda v, r: (
            "This row has no score."
            if v is None
            else f"The {metric[r]} score is '{v}', which is not on its scale ({_scale(Metric(metric[r]))})."
        ),
        f"Scales: {scales}.",
    )
    stage = lookup_column(frame[Col.STAGE], stage_names(journey))
    bad_stage = stage.isna()
    report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_STAGE,
        table,
        Col.STAGE,
        bad_stage,
        lambda v, _: unknown_stage(v, journey, blank="This row has no stage."),
        use_grid_stages(journey),
    )
    if table.columns.get(Col.DATE):
        report_rows(
            found,
            Rule.EVIDENCE_BAD_DATE,
            table,
            Col.DATE,
            ~date_column_ok(frame[Col.DATE]),
            lambda v, _: f"'{v}' is not a date; the row is kept.",
            "Type a date such as 2026-03-31, or format the cell as a date.",
        )
    persona = lookup_column(frame[Col.PERSONA], persona_names(journey.personas))
    bad_persona = frame[Col.PERSONA].notna() & persona.isna()
    report_rows(
        found,
        Rule.EVIDENCE_UNKNOWN_PERSONA,
        table,
        Col.PERSONA,
        bad_persona,
        lambda v, _: f"The persona '{v}' is not in the Personas sheet; the row counts for all customers only.",
        "Spell it as in Personas, or leave it blank.",
    )
    keep = ~(bad_metric | bad_score | bad_stage)
    dates = frame[Col.DATE][keep] if Col.DATE in frame.columns else pd.Series(None, index=frame.index[keep])
    return pd.DataFrame(
        {
            Col.DATE: dates,  # as typed; the journey map reads the date range of the evidence from it
            Col.STAGE: stage[keep],
            Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep],
            Col.CHANNEL: frame[Col.CHANNEL][keep],
            Col.PERSONA: persona[keep],
            Col.METRIC: metric[keep],
            Col.SCORE: score[keep],
        }
    )


def _scale(metric: Metric) -> str:
    low, high = METRIC_SCALE[metric]
    return f"{low:+g}..{high:+g}" if low < 0 else f"{low:g}-{high:g}"
