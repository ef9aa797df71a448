"""Trends in the evidence: each stage's metrics by period (month or quarter of the Date), the change from one
period to the next, and whether it is significant once corrected for the number of comparisons (Holm).

Everything is computed from sufficient statistics per (stage, period, metric), the additive arrays of
`addin.core.evidence.sufficient_stats` (answers, sum, sum of squares, answers >= 4, >= 9, <= 6), so it
scales to any number of rows and another engine (a database, a warehouse query) can feed `trend_changes`
with the same array.

Measures and their tests (two-sided, `ALPHA` family-wise):
- CSAT: share of answers 4-5, two-proportion z test (pooled)
- NPS: z = (NPS2 - NPS1) / sqrt(SE1^2 + SE2^2), SE = 100 x sqrt((p + d - (p - d)^2) / n)
- CSAT mean, CES, Emotion: means, Welch's t test
A change is tested when both periods have at least `MIN_ANSWERS` answers; the family Holm corrects for is
every change tested in the run (all stages, measures and pairs of periods).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from addin.core.contract import Col, Metric, TrendPeriod
from addin.core.evidence import (
    METRICS,
    PERIOD_KEYS,
    STAT_COLUMNS,
    _metric_codes,
    _scores,
    _sum_stats,
    group_codes,
    metrics_frame,
    sufficient_stats,
)
from addin.core.significance import holm, nps_test, share_test, welch_test

ALPHA = 0.05
"""Family-wise level: the chance that a run reports any change when nothing changed is at most this."""
MIN_ANSWERS = 10
"""A change is tested only when both periods have at least this many answers."""
_N, _SUM, _SUMSQ, _GE4, _GE9, _LE6 = range(6)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Measure(StrEnum):
    """What a trend follows, as the sentences name it."""

    CSAT = "CSAT"
    CSAT_MEAN = "CSAT mean"
    NPS = "NPS"
    CES = "CES"
    EMOTION = "Emotion"


_MEASURE_METRIC = {
    Measure.CSAT: Metric.CSAT,
    Measure.CSAT_MEAN: Metric.CSAT,
    Measure.NPS: Metric.NPS,
    Measure.CES: Metric.CES,
    Measure.EMOTION: Metric.EMOTION,
}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month (number 1-12) or quarter (1-4) of a year."""

    year: int
    number: int
    kind: TrendPeriod

    @property
    def short(self) -> str:
        return f"Q{self.number}" if self.kind is TrendPeriod.QUARTER else _MONTHS[self.number - 1]

    @property
    def label(self) -> str:
        """'Q3 2026' or 'March 2026'."""
        return f"{self.short} {self.year}"


def span(before: Period, after: Period) -> str:
    """'from Q2 to Q3 2026' within a year, 'from Q4 2025 to Q1 2026' across years."""
    if before.year == after.year:
        return f"from {before.short} to {after.short} {after.year}"
    return f"from {before.label} to {after.label}"


@dataclass
class PeriodStats:
    """Sufficient statistics per stage and period: `stats[s, p, m, :]` for stage s, period p, metric m in
    `METRICS` order, the six statistics in `sufficient_stats` order. Rows without a date are left out."""

    stages: list[str]
    periods: list[Period]
    stats: np.ndarray


def period_codes(dates: pd.Series, kind: TrendPeriod) -> tuple[np.ndarray, list[Period]]:
    """A code per row (-1 = no date) and the periods in calendar order."""
    stamp = pd.to_datetime(dates, errors="coerce")
    year = stamp.dt.year.to_numpy(dtype=float, na_value=np.nan)
    return month_codes(year, stamp.dt.month.to_numpy(dtype=float, na_value=np.nan), kind)


def month_codes(year: np.ndarray, month: np.ndarray, kind: TrendPeriod) -> tuple[np.ndarray, list[Period]]:
    """A code per (year, month 1-12) pair (-1 = NaN, no date) and the periods in calendar order: the
    month itself, or its quarter."""
    ok = ~(np.isnan(year) | np.isnan(month))
    sub = np.nan_to_num(month) if kind is not TrendPeriod.QUARTER else (np.nan_to_num(month) - 1) // 3 + 1
    key = np.where(ok, np.nan_to_num(year) * 100 + sub, -1).astype(np.int64)
    distinct = np.unique(key[ok])
    codes = np.full(len(key), -1, dtype=np.int64)
    codes[ok] = np.searchsorted(distinct, key[ok])
    return codes, [Period(int(k // 100), int(k % 100), kind) for k in distinct]


def _grid_codes(stage: pd.Series, stages: list[str]) -> np.ndarray:
    """Each row's position in the grid's stages (-1 = not one of them)."""
    s_codes, s_labels = group_codes(stage, canonical=False)
    position = {s: i for i, s in enumerate(stages)}
    return np.array([position.get(s, -1) for s in s_labels] + [-1], dtype=np.int64)[s_codes]


def evidence_by_period(evidence: pd.DataFrame, stages: list[str], kind: TrendPeriod) -> PeriodStats:
    """One bincount pass over the validated Evidence frame (Stage, Metric, Score, Date)."""
    if evidence.empty or Col.DATE not in evidence:
        return PeriodStats(list(stages), [], np.zeros((len(stages), 0, len(METRICS), 6)))
    p_codes, periods = period_codes(evidence[Col.DATE], kind)
    stage = _grid_codes(evidence[Col.STAGE], stages)
    codes = np.where((stage >= 0) & (p_codes >= 0), stage * len(periods) + p_codes, -1)
    stats = sufficient_stats(codes, len(stages) * len(periods), _metric_codes(evidence[Col.METRIC]), _scores(evidence))
    return PeriodStats(list(stages), periods, stats.reshape(len(stages), len(periods), len(METRICS), 6))


def stats_by_period(grouped: pd.DataFrame | None, stages: list[str], kind: TrendPeriod) -> PeriodStats:
    """The same from grouped statistics an evidence engine returned per `PERIOD_KEYS` (year and month of
    the Date; groups without them count in no period)."""
    if grouped is None or not len(grouped) or any(k not in grouped for k in PERIOD_KEYS):
        return PeriodStats(list(stages), [], np.zeros((len(stages), 0, len(METRICS), 6)))
    year, month = (grouped[k].to_numpy(dtype=float, na_value=np.nan) for k in PERIOD_KEYS)
    p_codes, periods = month_codes(year, month, kind)
    stage = _grid_codes(grouped[Col.STAGE], stages)
    codes = np.where((stage >= 0) & (p_codes >= 0), stage * len(periods) + p_codes, -1)
    values = grouped[list(STAT_COLUMNS)].to_numpy(dtype=float)
    stats = _sum_stats(codes, len(stages) * len(periods), _metric_codes(grouped[Col.METRIC]), values)
    return PeriodStats(list(stages), periods, stats.reshape(len(stages), len(periods), len(METRICS), 6))


def merge(a: PeriodStats, b: PeriodStats) -> PeriodStats:
    """The statistics of both (same stages): the union of their periods, the sums where both have one."""
    periods = sorted(set(a.periods) | set(b.periods))
    stats = np.zeros((len(a.stages), len(periods), len(METRICS), 6))
    for part in (a, b):
        if part.periods:
            stats[:, [periods.index(p) for p in part.periods]] += part.stats
    return PeriodStats(list(a.stages), periods, stats)


def period_table(ps: PeriodStats) -> pd.DataFrame:
    """Evidence by period: index (Stage, Period label), columns as `evidence.metrics_frame`; only pairs with
    answers, stages in grid order, periods in calendar order."""
    flat = ps.stats.reshape(len(ps.stages) * len(ps.periods), len(METRICS), 6)
    present = flat[:, :, _N].sum(axis=1) > 0
    pairs = [(s, p.label) for s in ps.stages for p in ps.periods]
    frame = metrics_frame(flat[present], [f"{s}\x1f{p}" for (s, p), keep in zip(pairs, present, strict=True) if keep])
    frame.index = pd.MultiIndex.from_tuples(
        [(s, p) for (s, p), keep in zip(pairs, present, strict=True) if keep], names=[Col.STAGE.value, "Period"]
    )
    return frame


@dataclass(frozen=True)
class Change:
    """The change of one measure at one stage from one period to the next one with answers.

    Values are in the measure's unit: CSAT as a % satisfied, NPS in points, the others as means.
    `p` is NaN (and `significant` False) when a period has fewer than `MIN_ANSWERS` answers.
    """

    stage: str
    measure: Measure
    before_period: Period
    after_period: Period
    before: float
    after: float
    n_before: int
    n_after: int
    statistic: float
    p: float
    p_adjusted: float
    significant: bool

    @property
    def tested(self) -> bool:
        return not math.isnan(self.p)

    @property
    def sentence(self) -> str:
        """'Delivery CSAT fell from 64 % to 51 % from Q2 to Q3 2026 (412 and 388 answers; significant)'."""
        b, a = _shown(self.measure, self.before), _shown(self.measure, self.after)
        moved = f"stayed at {a}" if a == b else f"{'rose' if self.after > self.before else 'fell'} from {b} to {a}"
        verdict = (
            "too few answers to test" if not self.tested else ("significant" if self.significant else "not significant")
        )
        when = span(self.before_period, self.after_period)
        return f"{self.stage} {self.measure} {moved} {when} ({self.n_before:,} and {self.n_after:,} answers; {verdict})"


def _shown(measure: Measure, value: float) -> str:
    if measure is Measure.CSAT:
        return f"{value:.0f} %"
    if measure is Measure.NPS:
        return f"{value:.0f}"
    return f"{value:.2f}"


def _value(measure: Measure, s: np.ndarray) -> float:
    n = s[_N]
    if measure is Measure.CSAT:
        return 100.0 * s[_GE4] / n
    if measure is Measure.NPS:
        return 100.0 * (s[_GE9] - s[_LE6]) / n
    return s[_SUM] / n


def _variance(s: np.ndarray) -> float:
    n = s[_N]
    return max((s[_SUMSQ] - s[_SUM] * s[_SUM] / n) / (n - 1), 0.0)


def _test(measure: Measure, s1: np.ndarray, s2: np.ndarray) -> tuple[float, float]:
    if measure is Measure.CSAT:
        return share_test(s1[_GE4], s1[_N], s2[_GE4], s2[_N])
    if measure is Measure.NPS:
        return nps_test(s1[_GE9], s1[_LE6], s1[_N], s2[_GE9], s2[_LE6], s2[_N])
    t, _df, p = welch_test(s1[_N], s1[_SUM] / s1[_N], _variance(s1), s2[_N], s2[_SUM] / s2[_N], _variance(s2))
    return t, p


def trend_changes(ps: PeriodStats, alpha: float = ALPHA, min_answers: int = MIN_ANSWERS) -> list[Change]:
    """Every change from one period to the next one with answers, per stage (grid order) and measure
    (`Measure` order), Holm-corrected over all the changes tested."""
    raw: list[tuple[str, Measure, int, int, float, float]] = []
    for s, stage in enumerate(ps.stages):
        for measure in Measure:
            m = METRICS.index(_MEASURE_METRIC[measure])
            answered = [p for p in range(len(ps.periods)) if ps.stats[s, p, m, _N] > 0]
            for p1, p2 in itertools.pairwise(answered):
                s1, s2 = ps.stats[s, p1, m], ps.stats[s, p2, m]
                if min(s1[_N], s2[_N]) >= max(min_answers, 2):
                    statistic, p = _test(measure, s1, s2)
                else:
                    statistic, p = math.nan, math.nan
                raw.append((stage, measure, p1, p2, statistic, p))
    tested = [i for i, r in enumerate(raw) if not math.isnan(r[5])]
    adjusted = dict(zip(tested, holm([raw[i][5] for i in tested]), strict=True))
    out = []
    for i, (stage, measure, p1, p2, statistic, p) in enumerate(raw):
        m = METRICS.index(_MEASURE_METRIC[measure])
        s1, s2 = ps.stats[ps.stages.index(stage), p1, m], ps.stats[ps.stages.index(stage), p2, m]
        q = adjusted.get(i, math.nan)
        out.append(
            Change(
                stage,
                measure,
                ps.periods[p1],
                ps.periods[p2],
                _value(measure, s1),
                _value(measure, s2),
                int(s1[_N]),
                int(s2[_N]),
                statistic,
                p,
                q,
                bool(q <= alpha),
            )
        )
    return out


def significant_changes(changes: list[Change]) -> list[Change]:
    """The significant ones, largest adjusted evidence first (smallest adjusted p, then stage and measure order)."""
    ranked = sorted((c.p_adjusted, i) for i, c in enumerate(changes) if c.significant)
    return [changes[i] for _, i in ranked]
