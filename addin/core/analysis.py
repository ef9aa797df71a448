"""Where the journey hurts: pain scores, the three heatmaps, per-stage summaries, funnel, moments of
truth, importance-performance per touchpoint and coverage. Evidence metrics are in `addin.core.evidence`.

Pure functions over the clean `Journey`; no I/O. Every result is independent of
the order of rows in any input sheet (groupings are sorted, never first-seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from addin.core.contract import Col, HeatmapDimension, norm
from addin.core.evidence import (
    EVIDENCE_ALL,
    EVIDENCE_PREFIX,
    NOT_GIVEN,
    EvidenceResults,
    analyse_evidence,
    evidence_metrics,
    wilson,
)
from addin.core.journey import ALL_CUSTOMERS, Journey

__all__ = ["NOT_GIVEN", "EvidenceResults", "analyse_evidence", "evidence_metrics", "wilson"]


def persona_factors(personas: pd.DataFrame) -> dict[str, float]:
    """Persona weight relative to the mean weight; 1.0 where no weights are given.

    A persona with a blank weight counts as the mean weight (factor 1).
    """
    if personas.empty:
        return {}
    weights = personas[Col.WEIGHT].astype(float)
    given = weights.dropna()
    mean = float(given.mean()) if len(given) else float("nan")
    if not len(given) or mean <= 0:
        return {p: 1.0 for p in personas[Col.PERSONA]}
    return {p: (w / mean if not np.isnan(w) else 1.0) for p, w in zip(personas[Col.PERSONA], weights, strict=True)}


def pain_scores(journey: Journey) -> pd.Series:
    """Pain score per pain-point ID: 100 x (Severity/5) x (Frequency/5) x persona factor."""
    pains = journey.pain_points
    if pains.empty:
        return pd.Series(dtype=float, name="Pain")
    factors = persona_factors(journey.personas)
    factor = pains[Col.PERSONA].map(lambda p: factors.get(p, 1.0) if p is not None else 1.0).astype(float)
    score = 100.0 * (pains[Col.SEVERITY] / 5.0) * (pains[Col.FREQUENCY] / 5.0) * factor
    return pd.Series(score.to_numpy(), index=pains[Col.ID].to_numpy(), name="Pain")


def _canonical_labels(values: pd.Series) -> pd.Series:
    """Group spellings that differ only in case/spaces under one label (the alphabetically first);
    blanks are NOT_GIVEN.
    """
    keys = [None if _blank(v) else norm(v) or None for v in values]
    labels: dict[str, str] = {}
    for key, value in sorted(zip(keys, values, strict=True), key=lambda kv: (str(kv[0]), str(kv[1]))):
        if key is not None and key not in labels:
            labels[key] = " ".join(str(value).split())
    return pd.Series([labels[k] if k is not None else NOT_GIVEN for k in keys], index=values.index, dtype=object)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()


def heatmap(journey: Journey, scores: pd.Series, dimension: HeatmapDimension) -> pd.DataFrame:
    """Summed pain per (row of `dimension`, stage). Rows sorted by total pain (desc), then name."""
    pains = journey.pain_points
    if pains.empty:
        return pd.DataFrame(columns=journey.stages, dtype=float)
    rows = _canonical_labels(pains[dimension.value])
    frame = pd.DataFrame(
        {
            "row": rows.to_numpy(),
            "stage": pains[Col.STAGE].to_numpy(),
            "pain": scores.loc[pains[Col.ID]].to_numpy(),
        }
    )
    table = frame.pivot_table(index="row", columns="stage", values="pain", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=journey.stages, fill_value=0.0).astype(float)
    totals = table.sum(axis=1)
    order = sorted(table.index, key=lambda r: (-round(float(totals[r]), 9), r == NOT_GIVEN, str(r)))
    table = table.loc[order]
    table.index.name = dimension.value
    table.columns.name = None
    return table


def heatmaps(journey: Journey, scores: pd.Series) -> dict[HeatmapDimension, pd.DataFrame]:
    """All three heatmaps (Touchpoint, Channel, Persona), the Settings-chosen one first."""
    chosen = journey.settings.heatmap_rows
    order = [chosen, *[d for d in HeatmapDimension if d is not chosen]]
    return {d: heatmap(journey, scores, d) for d in order}


# ---------------------------------------------------------------- importance-performance


class IPAQuadrant(StrEnum):
    """Importance-performance quadrants (Martilla and James)."""

    CONCENTRATE = "Concentrate here"
    KEEP_UP = "Keep up the good work"
    LOW_PRIORITY = "Low priority"
    OVERKILL = "Possible overkill"


IPA_ADVICE: dict[IPAQuadrant, str] = {
    IPAQuadrant.CONCENTRATE: "much pain, few satisfied: fix this first",
    IPAQuadrant.KEEP_UP: "much pain, many satisfied: keep it working, fix its pain points",
    IPAQuadrant.LOW_PRIORITY: "little pain, few satisfied: watch it",
    IPAQuadrant.OVERKILL: "little pain, many satisfied: effort may be better spent elsewhere",
}


def importance_performance(touch_heatmap: pd.DataFrame, by_touchpoint: pd.DataFrame) -> pd.DataFrame:
    """Per touchpoint with CSAT answers: Importance = its summed pain score, Performance = CSAT share
    satisfied (%), and the quadrant against the medians (a value at a median counts as high).

    Touchpoints match case- and space-insensitively; one with answers but no pain point has
    importance 0. Rows: quadrant order, then importance (high first), then name. The thresholds are
    in `attrs`. Empty when fewer than two touchpoints have CSAT answers.
    """
    columns = ["Importance", "Performance", "CSAT answers", "Quadrant", "Advice"]
    empty = pd.DataFrame(columns=columns)
    empty.index.name = Col.TOUCHPOINT.value
    if by_touchpoint.empty or "csat_value" not in by_touchpoint:
        return empty
    rated = by_touchpoint[(by_touchpoint["csat_n"] > 0) & (by_touchpoint.index != NOT_GIVEN)]
    if len(rated) < 2:
        return empty
    pain = touch_heatmap.sum(axis=1) if len(touch_heatmap) else pd.Series(dtype=float)
    pain_by_key = {norm(label): float(v) for label, v in pain.items() if label != NOT_GIVEN}
    labels = {norm(label): str(label) for label in pain.index}
    importance = np.array([pain_by_key.get(norm(t), 0.0) for t in rated.index])
    performance = 100 * rated["csat_value"].to_numpy(dtype=float)
    i_thr, p_thr = float(np.median(importance)), float(np.median(performance))
    high_i = importance >= i_thr - 1e-9
    high_p = performance >= p_thr - 1e-9
    quadrant = np.where(
        high_i,
        np.where(high_p, IPAQuadrant.KEEP_UP.value, IPAQuadrant.CONCENTRATE.value),
        np.where(high_p, IPAQuadrant.OVERKILL.value, IPAQuadrant.LOW_PRIORITY.value),
    )
    frame = pd.DataFrame(
        {
            "Importance": importance,
            "Performance": performance,
            "CSAT answers": rated["csat_n"].to_numpy(dtype=np.int64),
            "Quadrant": quadrant,
            "Advice": [IPA_ADVICE[IPAQuadrant(q)] for q in quadrant],
        },
        index=pd.Index([labels.get(norm(t), str(t)) for t in rated.index], name=Col.TOUCHPOINT.value),
    )
    rank = {q.value: i for i, q in enumerate(IPAQuadrant)}
    keys = [
        (rank[str(q)], -round(float(v), 9), str(t))
        for q, v, t in zip(frame["Quadrant"], frame["Importance"], frame.index, strict=True)
    ]
    frame = frame.iloc[sorted(range(len(frame)), key=keys.__getitem__)]
    frame.attrs["importance_threshold"] = i_thr
    frame.attrs["performance_threshold"] = p_thr
    return frame


def funnel(journey: Journey) -> pd.DataFrame:
    """Per stage (grid order): Entered, Completed, conversion, drop-off (customers and share)."""
    f = journey.funnel
    if f.empty:
        return pd.DataFrame(columns=["Entered", "Completed", "Conversion", "Drop-off", "Drop-off share"])
    grouped = f.groupby(Col.STAGE, sort=True)[[Col.ENTERED, Col.COMPLETED]].sum()
    grouped = grouped.reindex([s for s in journey.stages if s in grouped.index])
    with np.errstate(invalid="ignore", divide="ignore"):
        conversion = grouped[Col.COMPLETED] / grouped[Col.ENTERED].replace(0, np.nan)
    drop = grouped[Col.ENTERED] - grouped[Col.COMPLETED]
    return pd.DataFrame(
        {
            "Entered": grouped[Col.ENTERED],
            "Completed": grouped[Col.COMPLETED],
            "Conversion": conversion,
            "Drop-off": drop,
            "Drop-off share": 1 - conversion,
        }
    )


@dataclass
class StageSummary:
    """Everything per stage that the Heatmap summary rows and the Dashboard show.

    `emotion`: the grid's curves (ALL_CUSTOMERS, then one per persona lane), then the Evidence
    curves (EVIDENCE_ALL, "Evidence: <persona>"); `emotion_n`: answers behind each Evidence curve.
    """

    stages: list[str]
    pain_total: pd.Series
    pain_index: pd.Series
    pain_count: pd.Series
    emotion: pd.DataFrame
    metrics: pd.DataFrame
    funnel: pd.DataFrame
    worst_drop_stage: str | None
    moments_of_truth: list[tuple[str, str]] = field(default_factory=list)
    user_moments: dict[str, str] = field(default_factory=dict)
    emotion_n: pd.DataFrame = field(default_factory=pd.DataFrame)


def stage_summary(journey: Journey, scores: pd.Series, evidence: EvidenceResults | None = None) -> StageSummary:
    """Pain, pain index (worst stage = 100), emotion, evidence metrics, funnel and moments of truth per stage."""
    stages = journey.stages
    pains = journey.pain_points
    if pains.empty:
        total = pd.Series(0.0, index=stages)
        count = pd.Series(0, index=stages)
    else:
        per = pd.Series(scores.loc[pains[Col.ID]].to_numpy(), index=pains[Col.STAGE].to_numpy())
        total = per.groupby(level=0).sum().reindex(stages, fill_value=0.0).astype(float)
        count = per.groupby(level=0).size().reindex(stages, fill_value=0).astype(int)
    top = float(total.max()) if len(total) else 0.0
    index = (100.0 * total / top) if top > 0 else total * 0.0
    if evidence is None:
        evidence = analyse_evidence(journey.evidence, stages, _persona_names(journey), journey.evidence_stats)
    emotion = pd.concat([journey.emotions.reindex(columns=stages).astype(float), evidence.emotion])
    fun = funnel(journey)
    worst = None
    if not fun.empty and fun["Drop-off"].notna().any() and float(fun["Drop-off"].max()) > 0:
        worst = str(fun["Drop-off"].astype(float).idxmax())
    summary = StageSummary(stages, total, index, count, emotion, evidence.by_stage, fun, worst)
    summary.emotion_n = evidence.emotion_n
    summary.moments_of_truth = moments_of_truth(summary, journey.settings.moment_of_truth_pain_index)
    lane = journey.lane("Moments of truth") or []
    summary.user_moments = {s: str(v) for s, v in zip(stages, lane, strict=False) if v is not None}
    return summary


def _persona_names(journey: Journey) -> list[str]:
    if journey.personas.empty:
        return []
    return [str(p) for p in journey.personas[Col.PERSONA]]


def emotion_baseline(curves: pd.DataFrame) -> tuple[pd.Series, str]:
    """The emotion a moment of truth is judged by, and where it comes from: the grid's `Emotion`
    lane; else the mean of the persona lanes; else the Evidence mean for all customers.
    """
    if ALL_CUSTOMERS in curves.index:
        return _row(curves, ALL_CUSTOMERS), "the Emotion lane"
    grid = [c for c in curves.index if not str(c).startswith(EVIDENCE_PREFIX)]
    if grid:
        return curves.loc[grid].mean(axis=0), "the mean of the persona emotion lanes"
    if EVIDENCE_ALL in curves.index:
        return _row(curves, EVIDENCE_ALL), "the Evidence answers"
    return pd.Series(dtype=float), ""


def _row(frame: pd.DataFrame, label: str) -> pd.Series:
    return pd.Series(frame.loc[label].to_numpy(dtype=float), index=frame.columns)


def moments_of_truth(summary: StageSummary, pain_threshold: float) -> list[tuple[str, str]]:
    """Stages with a high pain index and a negative emotion, each with the reason in words."""
    found: list[tuple[str, str]] = []
    base, _source = emotion_baseline(summary.emotion)
    for stage in summary.stages:
        idx = float(summary.pain_index.get(stage, 0.0))
        emo = float(base.get(stage, np.nan)) if len(base) else np.nan
        if idx >= pain_threshold and not np.isnan(emo) and emo < 0:
            found.append(
                (
                    stage,
                    f"pain index {idx:.0f} (high: {pain_threshold:.0f} or more) and emotion {emo:+.1f} (below 0)",
                )
            )
    return found


def unaddressed(journey: Journey, scores: pd.Series) -> pd.Series:
    """Pain points no recommendation addresses, highest pain first (ties by ID)."""
    addressed = {pid for ids in journey.recommendations.get(Col.ADDRESSES, []) for pid in ids}
    left = scores[[pid not in addressed for pid in scores.index]]
    order = sorted(left.index, key=lambda pid: (-round(float(left[pid]), 9), str(pid)))
    return left.loc[order]
