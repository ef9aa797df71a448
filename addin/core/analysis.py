"""Where the journey hurts: pain scores, heatmaps, per-stage summaries, evidence metrics, funnel.

Pure functions over the clean `Journey`; no I/O. Every result is independent of
the order of rows in any input sheet (groupings are sorted, never first-seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from addin.core.contract import SMALL_SAMPLE, Col, HeatmapDimension, Metric
from addin.core.journey import ALL_CUSTOMERS, Journey

NOT_GIVEN = "(not given)"
Z95 = 1.959963984540054


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
    """Group spellings that differ only in case/spaces under one label (the alphabetically first)."""
    keys = values.map(lambda v: " ".join(str(v).split()).casefold() if v is not None else None)
    labels: dict[str, str] = {}
    for key, value in sorted(zip(keys, values, strict=True), key=lambda kv: (str(kv[0]), str(kv[1]))):
        if key is not None and key not in labels:
            labels[key] = " ".join(str(value).split())
    return keys.map(lambda k: labels.get(k, NOT_GIVEN) if k is not None else NOT_GIVEN)


def heatmap(journey: Journey, scores: pd.Series, dimension: HeatmapDimension) -> pd.DataFrame:
    """Summed pain per (row of `dimension`, stage). Rows sorted by total pain (desc), then name."""
    pains = journey.pain_points
    if pains.empty:
        return pd.DataFrame(columns=journey.stages, dtype=float)
    rows = _canonical_labels(pains[dimension.value])
    frame = pd.DataFrame({"row": rows.to_numpy(), "stage": pains[Col.STAGE].to_numpy(),
                          "pain": scores.loc[pains[Col.ID]].to_numpy()})
    table = frame.pivot_table(index="row", columns="stage", values="pain", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=journey.stages, fill_value=0.0).astype(float)
    order = sorted(table.index, key=lambda r: (-round(float(table.loc[r].sum()), 9), r == NOT_GIVEN, r))
    table = table.loc[order]
    table.index.name = dimension.value
    table.columns.name = None
    return table


@dataclass
class MetricStat:
    """One evidence metric for one group: estimate, 95 % interval, sample size."""

    value: float
    low: float
    high: float
    n: int

    @property
    def small(self) -> bool:
        return self.n < SMALL_SAMPLE


def wilson(successes: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share, vectorised. Returns (low, high); NaN where n = 0."""
    n = n.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def evidence_metrics(evidence: pd.DataFrame, by: str = Col.STAGE) -> pd.DataFrame:
    """Per group of `by`: CSAT share of 4-5 and mean, CES mean, NPS, Emotion mean, each with n and 95 % CI.

    Columns: <metric>_value, _low, _high, _n for csat (share), csat_mean, ces, nps, emotion.
    Vectorised: one groupby per metric over the whole frame.
    """
    out: dict[str, pd.Series] = {}
    if evidence.empty:
        return pd.DataFrame()
    ev = evidence[[by, Col.METRIC, Col.SCORE]]
    for metric in Metric:
        sub = ev[ev[Col.METRIC] == metric.value]
        if sub.empty:
            continue
        g = sub.groupby(by, sort=True, observed=True)[Col.SCORE]
        score = sub[Col.SCORE]
        if metric is Metric.CSAT:
            sat = (score >= 4).groupby(sub[by], sort=True, observed=True).sum()
            n = g.count()
            low, high = wilson(sat.to_numpy(float), n.to_numpy(float))
            out.update(csat_value=sat / n, csat_low=pd.Series(low, n.index), csat_high=pd.Series(high, n.index),
                       csat_n=n)
            _mean_ci(out, "csat_mean", g)
        elif metric is Metric.NPS:
            n = g.count()
            prom = (score >= 9).groupby(sub[by], sort=True, observed=True).sum() / n
            det = (score <= 6).groupby(sub[by], sort=True, observed=True).sum() / n
            nps = prom - det
            with np.errstate(invalid="ignore", divide="ignore"):
                var = (prom + det - nps**2) / n
            half = Z95 * np.sqrt(var.clip(lower=0))
            out.update(nps_value=100 * nps, nps_low=100 * (nps - half).clip(lower=-1),
                       nps_high=100 * (nps + half).clip(upper=1), nps_n=n)
        else:
            _mean_ci(out, "ces" if metric is Metric.CES else "emotion", g)
    return pd.DataFrame(out)


def _mean_ci(out: dict[str, pd.Series], name: str, g: pd.core.groupby.SeriesGroupBy) -> None:
    mean = g.mean()
    n = g.count()
    sd = g.std(ddof=1).fillna(0.0)
    half = Z95 * sd / np.sqrt(n.astype(float))
    out[f"{name}_value"] = mean
    out[f"{name}_low"] = mean - half
    out[f"{name}_high"] = mean + half
    out[f"{name}_n"] = n


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
    return pd.DataFrame({
        "Entered": grouped[Col.ENTERED], "Completed": grouped[Col.COMPLETED],
        "Conversion": conversion, "Drop-off": drop, "Drop-off share": 1 - conversion,
    })


@dataclass
class StageSummary:
    """Everything per stage that the Heatmap summary rows and the Dashboard show."""

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


def stage_summary(journey: Journey, scores: pd.Series) -> StageSummary:
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
    emotion = _emotion_curves(journey)
    metrics = evidence_metrics(journey.evidence).reindex(stages)
    fun = funnel(journey)
    worst = None
    if not fun.empty and fun["Drop-off"].notna().any() and float(fun["Drop-off"].max()) > 0:
        worst = str(fun["Drop-off"].astype(float).idxmax())
    summary = StageSummary(stages, total, index, count, emotion, metrics, fun, worst)
    summary.moments_of_truth = moments_of_truth(summary, journey.settings.moment_of_truth_pain_index)
    lane = journey.lane("Moments of truth") or []
    summary.user_moments = {s: str(v) for s, v in zip(stages, lane, strict=False) if v is not None}
    return summary


def _emotion_curves(journey: Journey) -> pd.DataFrame:
    """Emotion per curve and stage: the grid's lanes, plus `Evidence (n)` means where Evidence has Emotion."""
    curves = journey.emotions.copy()
    ev = journey.evidence
    if not ev.empty:
        emo = ev[ev[Col.METRIC] == Metric.EMOTION.value]
        if not emo.empty:
            mean = emo.groupby(Col.STAGE, sort=True)[Col.SCORE].mean().reindex(journey.stages)
            curves.loc["Evidence (all customers)"] = mean.to_numpy()
    return curves


def moments_of_truth(summary: StageSummary, pain_threshold: float) -> list[tuple[str, str]]:
    """Stages with a high pain index and a negative emotion, each with the reason in words."""
    found: list[tuple[str, str]] = []
    curves = summary.emotion
    base = curves.loc[ALL_CUSTOMERS] if ALL_CUSTOMERS in curves.index else curves.mean(axis=0)
    for stage in summary.stages:
        idx = float(summary.pain_index.get(stage, 0.0))
        emo = base.get(stage, np.nan) if len(base) else np.nan
        if idx >= pain_threshold and not np.isnan(emo) and emo < 0:
            found.append((stage, f"pain index {idx:.0f} (threshold {pain_threshold:.0f}) and emotion {emo:+.1f}"))
    return found


def unaddressed(journey: Journey, scores: pd.Series) -> pd.Series:
    """Pain points no recommendation addresses, highest pain first (ties by ID)."""
    addressed = {pid for ids in journey.recommendations.get(Col.ADDRESSES, []) for pid in ids}
    left = scores[[pid not in addressed for pid in scores.index]]
    order = sorted(left.index, key=lambda pid: (-round(float(left[pid]), 9), str(pid)))
    return left.loc[order]
