"""The Evidence sheet, column by column: metric, score on its scale, stage, date, persona and respondent."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.contract import METRIC_SCALE, Col, Metric, Sheet, norm
from addin.core.journey import Journey
from addin.core.rules import Rule
from addin.core.tables import Table, date_column_ok, lookup_column, numeric_column, to_date, typed_frame
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
        return typed_frame(Sheet.EVIDENCE, {c: [] for c in EVIDENCE_COLUMNS})
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
    why = [
        rule.value
        for rule, bad in (
            (Rule.EVIDENCE_UNKNOWN_METRIC, bad_metric),
            (Rule.EVIDENCE_BAD_SCORE, bad_score),
            (Rule.EVIDENCE_UNKNOWN_STAGE, bad_stage),
        )
        if bad.any()
    ]
    found.leave_out(table.sheet, int((~keep).sum()), why)
    return typed_frame(
        Sheet.EVIDENCE,
        {
            Col.STAGE: stage[keep],
            Col.TOUCHPOINT: frame[Col.TOUCHPOINT][keep],
            Col.CHANNEL: frame[Col.CHANNEL][keep],
            Col.PERSONA: persona[keep],
            Col.METRIC: metric[keep],
            Col.SCORE: score[keep],
            Col.DATE: dates(frame[Col.DATE][keep]),
            Col.RESPONDENT: respondents(frame[Col.RESPONDENT][keep]),
        },
    )


def dates(values: pd.Series) -> pd.Series:
    """The date of each cell as datetime64[s] (NaT where blank or not a date; seconds, so years up to 9999
    fit), read as `tables.to_date` reads one cell (date and datetime values, Excel serial numbers, text
    dates), once per distinct value."""
    codes, uniques = pd.factorize(_bools_apart(values, None))
    uniques = np.asarray(uniques, dtype=object)
    # date and datetime cells (the common case) go to numpy as they are, which drops the time as to_date does
    plain = np.fromiter(
        (isinstance(u, dt.date) and getattr(u, "tzinfo", None) is None for u in uniques), dtype=bool, count=len(uniques)
    )
    days = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype="datetime64[s]")  # the last: code -1, blank
    if plain.any():
        try:  # pandas converts date objects in C; numpy is the fallback (10 x slower) for what pandas refuses
            days[:-1][plain] = pd.to_datetime(pd.Series(uniques[plain])).dt.normalize().to_numpy("datetime64[s]")
        except (ValueError, TypeError, OverflowError):
            days[:-1][plain] = np.array(list(uniques[plain]), dtype="datetime64[D]")
    rest = np.flatnonzero(~plain)
    if len(rest):
        days[rest] = np.array([to_date(u) for u in uniques[rest]], dtype="datetime64[D]")
    return pd.Series(days[codes], index=values.index)


def respondents(values: pd.Series) -> pd.Series:
    """The respondent of each row as text (a number typed as 1042 and "1042" are one respondent); None if
    blank. Once per distinct value."""
    codes, uniques = pd.factorize(_bools_apart(values, "text"))
    lookup = np.array([_respondent(u) for u in uniques] + [None], dtype=object)
    return pd.Series(lookup[codes], index=values.index, dtype=object)


def _bools_apart(values: pd.Series, as_: str | None) -> np.ndarray:
    """The values as an object array with TRUE/FALSE cells made None (no date) or their text: pandas hashes
    True like 1, so they would share a distinct value."""
    arr = values.to_numpy(dtype=object).copy()
    flags = np.fromiter((type(v) is bool for v in arr), dtype=bool, count=len(arr))
    if flags.any():
        arr[flags] = [None if as_ is None else str(v) for v in arr[flags]]
    return arr


def _respondent(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) or None


def _scale(metric: Metric) -> str:
    low, high = METRIC_SCALE[metric]
    return f"{low:+g}..{high:+g}" if low < 0 else f"{low:g}-{high:g}"
