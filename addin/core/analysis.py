"""Where the journey hurts: pain scores, the three heatmaps, funnel, importance-performance per touchpoint
and coverage. Evidence metrics are in `addin.core.evidence`; per-stage results and moments of truth are
put together in `addin.core.assemble`.

Pure functions over the clean `Journey`; no I/O. Every result is independent of
the order of rows in any input sheet (groupings are sorted, never first-seen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.contract import Col, HeatmapDimension
from addin.core.evidence import (
    NOT_GIVEN,
    EvidenceResults,
    analyse_evidence,
    evidence_metrics,
    wilson,
)
from addin.core.journey import Journey
from addin.core.names import norm
from addin.core.results import IPAQuadrant

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


IPA_ADVICE: dict[IPAQuadrant, str] = {
    IPAQuadrant.CONCENTRATE: "much pain, few satisfied: fix this first",
    IPAQuadrant.KEEP_UP: "much pain, many satisfied: keep it working, fix its pain points",
    IPAQuadrant.LOW_PRIORITY: "little pain, few satisfied: watch it",
    IPAQuadrant.OVERKILL: "little pain, many satisfied: effort may be better spent elsewhere",
}


IPA_MIN_TOUCHPOINTS = 3
"""Importance-performance places touchpoints in quadrants only when at least this many touchpoints ..."""
IPA_MIN_ANSWERS = 2
"""... have at least this many CSAT answers each; a touchpoint with fewer is "not enough evidence"."""


@dataclass(frozen=True)
class IPATable:
    """The importance-performance rows and the two medians they are judged by (NaN when not judged)."""

    frame: pd.DataFrame
    importance_threshold: float = float("nan")
    performance_threshold: float = float("nan")
    enough: bool = False
    """Whether enough touchpoints have enough CSAT answers for quadrants (see IPA_MIN_*)."""


def importance_performance(touch_heatmap: pd.DataFrame, by_touchpoint: pd.DataFrame) -> IPATable:
    """Per touchpoint with CSAT answers: Importance = its summed pain score, Performance = CSAT share
    satisfied (%), and the quadrant against the medians (a value at a median counts as high).

    Only touchpoints with at least IPA_MIN_ANSWERS answers are placed in a quadrant and count for the
    medians, and only when there are at least IPA_MIN_TOUCHPOINTS of them; every other touchpoint with
    answers is "Not enough evidence". Touchpoints match case- and space-insensitively; one with answers
    but no pain point has importance 0. Rows: quadrant order, then importance (high first), then name.
    """
    columns = ["Importance", "Performance", "CSAT answers", "Quadrant", "Advice"]
    empty = pd.DataFrame(columns=columns)
    empty.index.name = Col.TOUCHPOINT.value
    if by_touchpoint.empty or "csat_value" not in by_touchpoint:
        return IPATable(empty)
    rated = by_touchpoint[(by_touchpoint["csat_n"] > 0) & (by_touchpoint.index != NOT_GIVEN)]
    if not len(rated):
        return IPATable(empty)
    pain = touch_heatmap.sum(axis=1) if len(touch_heatmap) else pd.Series(dtype=float)
    pain_by_key = {norm(label): float(v) for label, v in pain.items() if label != NOT_GIVEN}
    labels = {norm(label): str(label) for label in pain.index}
    importance = np.array([pain_by_key.get(norm(t), 0.0) for t in rated.index])
    performance = 100 * rated["csat_value"].to_numpy(dtype=float)
    n = rated["csat_n"].to_numpy(dtype=np.int64)
    judged = n >= IPA_MIN_ANSWERS
    enough = int(judged.sum()) >= IPA_MIN_TOUCHPOINTS
    if enough:
        quadrant, i_thr, p_thr = quadrants(importance, performance, judged)
    else:
        i_thr = p_thr = float("nan")
        quadrant = np.full(len(rated), IPAQuadrant.NOT_ENOUGH.value, dtype=object)
    frame = pd.DataFrame(
        {
            "Importance": importance,
            "Performance": performance,
            "CSAT answers": n,
            "Quadrant": quadrant,
            "Advice": [_advice(IPAQuadrant(q), int(k), enough) for q, k in zip(quadrant, n, strict=True)],
        },
        index=pd.Index([labels.get(norm(t), str(t)) for t in rated.index], name=Col.TOUCHPOINT.value),
    )
    rank = {q.value: i for i, q in enumerate(IPAQuadrant)}
    keys = [
        (rank[str(q)], -round(float(v), 9), str(t))
        for q, v, t in zip(frame["Quadrant"], frame["Importance"], frame.index, strict=True)
    ]
    frame = frame.iloc[sorted(range(len(frame)), key=keys.__getitem__)]
    return IPATable(frame, i_thr, p_thr, enough)


def quadrants(
    importance: np.ndarray, performance: np.ndarray, judged: np.ndarray | None = None
) -> tuple[np.ndarray, float, float]:
    """The importance-performance rule, shared by touchpoints (stated importance) and stages (derived
    importance, `addin.core.drivers`): the thresholds are the medians of the judged rows, a value at a
    median counts as high; high importance and low performance is "Concentrate here", and so on. Rows not
    judged are "Not enough evidence". Returns the quadrants (their values) and the two thresholds."""
    judged = np.ones(len(importance), dtype=bool) if judged is None else judged
    i_thr, p_thr = float(np.median(importance[judged])), float(np.median(performance[judged]))
    high_i = importance >= i_thr - 1e-9
    high_p = performance >= p_thr - 1e-9
    placed = np.where(
        high_i,
        np.where(high_p, IPAQuadrant.KEEP_UP.value, IPAQuadrant.CONCENTRATE.value),
        np.where(high_p, IPAQuadrant.OVERKILL.value, IPAQuadrant.LOW_PRIORITY.value),
    )
    return np.where(judged, placed, IPAQuadrant.NOT_ENOUGH.value).astype(object), i_thr, p_thr


def _advice(quadrant: IPAQuadrant, answers: int, enough: bool) -> str:
    if quadrant is not IPAQuadrant.NOT_ENOUGH:
        return IPA_ADVICE[quadrant]
    if answers < IPA_MIN_ANSWERS:
        return f"only {answers} CSAT answer{'s' if answers != 1 else ''}: at least {IPA_MIN_ANSWERS} are needed"
    return f"quadrants need at least {IPA_MIN_TOUCHPOINTS} touchpoints with {IPA_MIN_ANSWERS} or more CSAT answers each"


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


def unaddressed(journey: Journey, scores: pd.Series) -> pd.Series:
    """Pain points no recommendation addresses, highest pain first (ties by ID)."""
    addressed = {pid for ids in journey.recommendations.get(Col.ADDRESSES, []) for pid in ids}
    left = scores[[pid not in addressed for pid in scores.index]]
    order = sorted(left.index, key=lambda pid: (-round(float(left[pid]), 9), str(pid)))
    return left.loc[order]
