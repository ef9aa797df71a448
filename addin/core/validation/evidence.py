"""The Evidence sheet, column by column: metric, score on its scale, stage, date, persona and respondent."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.contract import METRIC_SCALE, Col, Metric, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import (
    EXCEL_DATE_RANGE,
    EXCEL_EPOCH,
    Table,
    date_column_ok,
    lookup_column,
    map_distinct,
    numeric_column,
    to_date,
)
from addin.core.validation.findings import Findings, report_rows
from addin.core.validation.references import persona_names, stage_names, unknown_stage, use_grid_stages

EVIDENCE_COLUMNS = [
    Col.STAGE,
    Col.TOUCHPOINT,
    Col.CHANNEL,
    Col.PERSONA,
    Col.METRIC,
    Col.SCORE,
    Col.DATE,
    Col.RESPONDENT,
]


def read_evidence(table: Table, journey: Journey, found: Findings) -> pd.DataFrame:
    """Column by column, once per distinct value: the Evidence sheet may hold hundreds of thousands of rows."""
    frame = table.frame
    if frame.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
        return empty.astype({Col.SCORE: float, Col.DATE: "datetime64[ns]"})
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
    return pd.DataFrame(
        {
            Col.STAGE: stage[keep],
            Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep],
            Col.CHANNEL: frame[Col.CHANNEL][keep],
            Col.PERSONA: persona[keep],
            Col.METRIC: metric[keep],
            Col.SCORE: score[keep],
            Col.DATE: dates(frame[Col.DATE][keep]),
            Col.RESPONDENT: respondents(frame[Col.RESPONDENT][keep]),
        }
    )


def dates(values: pd.Series) -> pd.Series:
    """The date of each cell as datetime64 (NaT where blank or not a date), read as `tables.to_date` reads
    one cell: date and datetime values, Excel serial numbers, text dates (once per distinct text)."""
    arr = values.to_numpy(dtype=object)
    out = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    if not len(arr):
        return pd.Series(out, index=values.index)
    blank = np.asarray(pd.isna(arr), dtype=bool)
    number = np.array([isinstance(v, int | float) and not isinstance(v, bool) for v in arr]) & ~blank
    if number.any():
        serial = arr[number].astype(float)
        ok = (serial >= EXCEL_DATE_RANGE[0]) & (serial < EXCEL_DATE_RANGE[1])
        days = np.where(ok, np.floor(np.where(ok, serial, 0)), np.nan)
        epoch = np.datetime64(EXCEL_EPOCH.date(), "ns")
        parsed = np.full(len(serial), np.datetime64("NaT"), dtype="datetime64[ns]")
        parsed[ok] = epoch + days[ok].astype(np.int64).astype("timedelta64[D]")
        out[number] = parsed
    stamp = np.array([isinstance(v, dt.date) for v in arr]) & ~blank  # datetime is a date too
    if stamp.any():
        out[stamp] = pd.to_datetime(pd.Series(arr[stamp], dtype=object)).dt.normalize().to_numpy("datetime64[ns]")
    rest = ~number & ~stamp & ~blank
    if rest.any():
        parsed_rest = pd.Series(map_distinct(arr[rest], to_date), dtype=object)
        out[rest] = pd.to_datetime(parsed_rest).to_numpy(dtype="datetime64[ns]")
    return pd.Series(out, index=values.index)


def respondents(values: pd.Series) -> pd.Series:
    """The respondent of each row as text (a number typed as 1042 and "1042" are one respondent); None if blank."""

    def text(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return " ".join(str(v).split()) or None

    return pd.Series(map_distinct(values, text), index=values.index, dtype=object)


def _scale(metric: Metric) -> str:
    low, high = METRIC_SCALE[metric]
    return f"{low:+g}..{high:+g}" if low < 0 else f"{low:g}-{high:g}"
