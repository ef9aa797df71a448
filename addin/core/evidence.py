"""Evidence metrics: CSAT, CES, NPS and Emotion per stage, per touchpoint and per persona, with
sample sizes and 95 % intervals.

Built for hundreds of thousands of rows: each grouping column is coded once (pandas hashing, or a
categorical's codes), then every statistic is one `numpy.bincount` over (group, metric) keys. The
statistics are additive (answers, sum, sum of squares, counts of answers >= 4, >= 9, <= 6), so no
row is looked at in Python and no boolean filter runs over the whole frame per metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import METRIC_SCALE, Col, Metric
from addin.core.names import norm

NOT_GIVEN = "(not given)"
Z95 = 1.959963984540054
"""z for a two-sided 95 % interval."""

METRICS: tuple[Metric, ...] = (Metric.CSAT, Metric.CES, Metric.NPS, Metric.EMOTION)
"""Order of the metric axis of the sufficient statistics."""
_N, _SUM, _SUMSQ, _GE4, _GE9, _LE6 = range(6)
"""Sufficient statistics per (group, metric): answers, sum, sum of squares, answers >= 4, >= 9 and <= 6."""


def wilson(successes: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a share, vectorised. Returns (low, high); NaN where n = 0."""
    n = n.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def group_codes(values: pd.Series, canonical: bool = True) -> tuple[np.ndarray, list[str]]:
    """An integer code per row (-1 = blank) and the label of each code, labels sorted.

    With `canonical`, spellings that differ only in case or spaces share one code (labelled with
    the alphabetically first spelling, so row order never changes a label). Only the distinct
    values are looked at in Python; the rows are coded by pandas' hashing (or a categorical's codes).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw = values.cat.codes.to_numpy()
        uniques = list(values.cat.categories)
    else:
        raw, uniq = pd.factorize(values, sort=False)
        uniques = list(uniq)
    keys = [norm(u) if canonical else str(u) for u in uniques]
    labels: dict[str, str] = {}
    for key, value in sorted(zip(keys, uniques, strict=True), key=lambda kv: (kv[0], str(kv[1]))):
        if key and key not in labels:
            labels[key] = " ".join(str(value).split()) if canonical else str(value)
    ordered = sorted(labels)
    position = {k: i for i, k in enumerate(ordered)}
    remap = np.array([position.get(k, -1) for k in keys] + [-1], dtype=np.int64)
    return remap[raw], [labels[k] for k in ordered]


_METRIC_NAMES = frozenset(m.value for m in Metric)


def _metric_codes(metric: pd.Series) -> np.ndarray:
    codes, labels = group_codes(metric, canonical=False)
    lookup = np.array([METRICS.index(Metric(m)) if m in _METRIC_NAMES else -1 for m in labels] + [-1])
    return lookup[codes]


def sufficient_stats(codes: np.ndarray, n_groups: int, metric_codes: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Additive statistics per (group, metric), shape (groups, 4, 6): one bincount per statistic.

    Rows with a negative group or metric code are left out.
    """
    return _sum_stats(codes, n_groups, metric_codes, _row_stats(score))


def _row_stats(score: np.ndarray) -> np.ndarray:
    """The six statistics of single answers, shape (rows, 6)."""
    out = np.empty((len(score), 6))
    out[:, _N] = 1.0
    out[:, _SUM] = score
    out[:, _SUMSQ] = score * score
    out[:, _GE4] = score >= 4
    out[:, _GE9] = score >= 9
    out[:, _LE6] = score <= 6
    return out


def _sum_stats(codes: np.ndarray, n_groups: int, metric_codes: np.ndarray, stats: np.ndarray) -> np.ndarray:
    """Add up rows of statistics (answers or groups of answers) per (group, metric): shape (groups, 4, 6)."""
    m = len(METRICS)
    key = codes * m + metric_codes
    if (codes < 0).any() or (metric_codes < 0).any():
        keep = (codes >= 0) & (metric_codes >= 0)
        key, stats = key[keep], stats[keep]
    size = n_groups * m
    out = np.empty((size, 6))
    for j in range(6):
        out[:, j] = np.bincount(key, weights=stats[:, j], minlength=size)
    return out.reshape(n_groups, m, 6)


GROUP_KEYS: tuple[str, ...] = (Col.STAGE, Col.TOUCHPOINT, Col.PERSONA, Col.CHANNEL, Col.METRIC)
"""What evidence statistics are grouped by: the contract between the core and each evidence engine."""
STAT_COLUMNS: tuple[str, ...] = ("n", "sum", "sumsq", "ge4", "ge9", "le6")
"""The sufficient statistics of a group: answers, sum, sum of squares, answers >= 4, >= 9 and <= 6."""
PERIOD_KEYS: tuple[str, ...] = ("year", "month")
"""What an evidence engine also groups by, from the Date of each answer (both blank when it has none):
one query serves the trends by month and by quarter (a quarter is three months, summed in the core)."""


def empty_stats() -> pd.DataFrame:
    """Grouped statistics of no answers (the columns every engine returns)."""
    frame = pd.DataFrame({k: pd.Series(dtype=object) for k in GROUP_KEYS})
    for s in STAT_COLUMNS:
        frame[s] = pd.Series(dtype=float)
    return frame


def grouped_stats(evidence: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows as grouped sufficient statistics: one row per distinct (stage, touchpoint, persona,
    channel, metric) as spelled, with the six statistics. Blank keys are None. Rows without a score or
    a known metric are left out. Vectorised: each key column is coded once, then one bincount per
    statistic over the combined key.
    """
    if evidence.empty:
        return empty_stats()
    score = _scores(evidence)
    metric = _metric_codes(evidence[Col.METRIC])
    keep = (metric >= 0) & ~np.isnan(score)
    key = np.zeros(len(evidence), dtype=np.int64)
    labels: list[tuple[np.ndarray, np.ndarray]] = []
    for col in GROUP_KEYS[:-1]:
        if col in evidence:
            codes, uniques = pd.factorize(evidence[col], sort=False, use_na_sentinel=True)
            found = np.asarray(uniques, dtype=object)
        else:
            codes, found = np.full(len(evidence), -1, dtype=np.int64), np.empty(0, dtype=object)
        size = len(found) + 1
        if key.max(initial=0) > np.iinfo(np.int64).max // (size * 8):
            raise OverflowError("too many distinct evidence groups")
        codes = np.where(codes < 0, len(found), codes)
        labels.append((codes, np.concatenate([found, np.array([None], dtype=object)])))
        key = key * size + codes
    key = key * len(METRICS) + np.where(metric < 0, 0, metric)
    key = key[keep]
    if not len(key):
        return empty_stats()
    inverse, groups = pd.factorize(key, sort=True)
    first = np.empty(len(groups), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)  # the last write wins: each group's first row
    stats = _row_stats(score[keep])
    rows = np.flatnonzero(keep)[first]
    frame = pd.DataFrame(
        {col: values[codes[rows]] for col, (codes, values) in zip(GROUP_KEYS[:-1], labels, strict=True)},
        dtype=object,
    )
    frame[Col.METRIC] = np.array([m.value for m in METRICS], dtype=object)[metric[rows]]
    for j, s in enumerate(STAT_COLUMNS):
        frame[s] = np.bincount(inverse, weights=stats[:, j], minlength=len(groups))
    return frame


def metrics_frame(stats: np.ndarray, index: list[str]) -> pd.DataFrame:
    """Metric columns from sufficient statistics: <name>_value, _low, _high, _n for csat (share
    satisfied), csat_mean, ces, nps and emotion. A metric no group has is left out.
    """
    out: dict[str, np.ndarray] = {}
    for j, metric in enumerate(METRICS):
        s = stats[:, j, :]
        n = s[:, _N]
        if not n.any():
            continue
        if metric is Metric.CSAT:
            with np.errstate(invalid="ignore", divide="ignore"):
                share = s[:, _GE4] / n
            low, high = wilson(s[:, _GE4], n)
            _put(out, "csat", share, low, high, n)
            _put(out, "csat_mean", *_mean_ci(s, METRIC_SCALE[metric]))
        elif metric is Metric.NPS:
            with np.errstate(invalid="ignore", divide="ignore"):
                prom = s[:, _GE9] / n
                det = s[:, _LE6] / n
                nps = prom - det
                half = Z95 * np.sqrt(np.clip((prom + det - nps**2) / n, 0, None))
            _put(out, "nps", 100 * nps, 100 * np.maximum(nps - half, -1), 100 * np.minimum(nps + half, 1), n)
        else:
            _put(out, "ces" if metric is Metric.CES else "emotion", *_mean_ci(s, METRIC_SCALE[metric]))
    frame = pd.DataFrame(out, index=pd.Index(index, dtype=object))
    for col in [c for c in out if c.endswith("_n")]:
        frame[col] = frame[col].astype(np.int64)
    return frame


def _put(out: dict[str, np.ndarray], name: str, value: Any, low: Any, high: Any, n: np.ndarray) -> None:
    out[f"{name}_value"], out[f"{name}_low"], out[f"{name}_high"], out[f"{name}_n"] = value, low, high, n


def _mean_ci(s: np.ndarray, scale: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean with the normal 95 % interval mean +- 1.96 x sd / sqrt(n), kept within the answer scale;
    no interval below 2 answers.
    """
    n = s[:, _N]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s[:, _SUM] / n
        var = np.clip((s[:, _SUMSQ] - n * mean * mean) / (n - 1), 0, None)
        half = np.where(n >= 2, Z95 * np.sqrt(var / n), np.nan)
    low, high = scale
    return mean, np.maximum(mean - half, low), np.minimum(mean + half, high), n


def evidence_metrics(evidence: pd.DataFrame, by: str = Col.STAGE) -> pd.DataFrame:
    """Per group of `by` (sorted; blank = "(not given)"): CSAT share of 4-5 and mean, CES mean, NPS,
    Emotion mean, each with n and a 95 % interval. See `metrics_frame` for the columns.

    Vectorised: the group and metric columns are coded once, then one bincount per statistic.
    """
    if evidence.empty:
        return pd.DataFrame()
    codes, labels = group_codes(evidence[by], canonical=by != Col.STAGE)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = [*labels, NOT_GIVEN]
    stats = sufficient_stats(codes, len(labels), _metric_codes(evidence[Col.METRIC]), _scores(evidence))
    present = stats[:, :, _N].sum(axis=1) > 0
    return metrics_frame(stats[present], [label for label, p in zip(labels, present, strict=True) if p])


def _scores(evidence: pd.DataFrame) -> np.ndarray:
    return evidence[Col.SCORE].to_numpy(dtype=float, na_value=np.nan)


EVIDENCE_ALL = "Evidence: all customers"
EVIDENCE_PREFIX = "Evidence: "


@dataclass
class EvidenceResults:
    """Evidence metrics per stage and per touchpoint, and emotion means per stage and persona.

    - `by_stage`: index = the journey's stages (grid order), columns as `metrics_frame`
    - `by_touchpoint`: index = touchpoints (sorted, "(not given)" last), columns as `metrics_frame`
    - `emotion` / `emotion_n`: index = EVIDENCE_ALL, then "Evidence: <persona>" per persona with
      Emotion answers (alphabetical), columns = stages; mean and number of answers
    """

    by_stage: pd.DataFrame
    by_touchpoint: pd.DataFrame
    emotion: pd.DataFrame
    emotion_n: pd.DataFrame
    emotion_personas: tuple[str | None, ...] = field(default_factory=tuple)
    """The persona of each row of `emotion` (None = all customers)."""


def analyse_evidence(
    evidence: pd.DataFrame, stages: list[str], personas: list[str], stats: pd.DataFrame | None = None
) -> EvidenceResults:
    """Every evidence metric the sheets show: from the rows (grouped once) plus any `stats` an evidence
    engine aggregated where the data lives (same columns as `grouped_stats`)."""
    grouped = grouped_stats(evidence)
    if stats is not None and len(stats):
        grouped = (
            pd.concat([grouped, stats[list(GROUP_KEYS + STAT_COLUMNS)]], ignore_index=True) if len(grouped) else stats
        )
    return analyse_stats(grouped, stages, personas)


def analyse_stats(grouped: pd.DataFrame, stages: list[str], personas: list[str]) -> EvidenceResults:
    """Every evidence metric the sheets show, from grouped sufficient statistics."""
    empty = pd.DataFrame(columns=stages, dtype=float)
    if grouped.empty:
        return EvidenceResults(pd.DataFrame(index=stages), pd.DataFrame(), empty, empty.astype(np.int64))
    metric = _metric_codes(grouped[Col.METRIC])
    values = grouped[list(STAT_COLUMNS)].to_numpy(dtype=float)
    stage_codes, stage_labels = group_codes(grouped[Col.STAGE], canonical=False)
    position = {s: i for i, s in enumerate(stages)}
    to_grid = np.array([position.get(s, -1) for s in stage_labels] + [-1], dtype=np.int64)
    stage = to_grid[stage_codes]
    by_stage = metrics_frame(_sum_stats(stage, len(stages), metric, values), stages)

    tp_codes, tp_labels = group_codes(grouped[Col.TOUCHPOINT])
    if (tp_codes < 0).any():
        tp_codes = np.where(tp_codes < 0, len(tp_labels), tp_codes)
        tp_labels = [*tp_labels, NOT_GIVEN]
    tp_stats = _sum_stats(tp_codes, len(tp_labels), metric, values)
    present = tp_stats[:, :, _N].sum(axis=1) > 0
    by_touchpoint = metrics_frame(tp_stats[present], [t for t, p in zip(tp_labels, present, strict=True) if p])
    by_touchpoint.index.name = Col.TOUCHPOINT.value

    # emotion per (stage, persona): persona code P = no persona (counts for all customers only)
    persona_codes, persona_labels = group_codes(grouped[Col.PERSONA], canonical=False)
    personas = sorted(set(personas))  # Personas sheet row order must not change the curves' order
    p_pos = {p: i for i, p in enumerate(personas)}
    p_count = len(personas)
    to_persona = np.array([p_pos.get(p, p_count) for p in persona_labels] + [p_count], dtype=np.int64)
    persona = to_persona[persona_codes]
    is_emotion = (metric == METRICS.index(Metric.EMOTION)) & (stage >= 0)
    key = np.where(is_emotion, stage * (p_count + 1) + persona, 0)
    size = len(stages) * (p_count + 1)
    n = np.bincount(key, weights=np.where(is_emotion, values[:, _N], 0.0), minlength=size)
    n = n.reshape(len(stages), p_count + 1)
    total = np.bincount(key, weights=np.where(is_emotion, values[:, _SUM], 0.0), minlength=size)
    total = total.reshape(len(stages), p_count + 1)
    counts = np.column_stack([n.sum(axis=1), n[:, :p_count]]).T
    sums = np.column_stack([total.sum(axis=1), total[:, :p_count]]).T
    names = [EVIDENCE_ALL, *[EVIDENCE_PREFIX + p for p in personas]]
    who: list[str | None] = [None, *personas]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    keep = [i for i in range(len(names)) if counts[i].any()]
    emotion = pd.DataFrame(means[keep], index=[names[i] for i in keep], columns=stages)
    emotion_n = pd.DataFrame(counts[keep].astype(np.int64), index=[names[i] for i in keep], columns=stages)
    return EvidenceResults(by_stage, by_touchpoint, emotion, emotion_n, tuple(who[i] for i in keep))
