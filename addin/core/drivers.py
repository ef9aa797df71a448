"""Key drivers: how much each stage's satisfaction explains the same respondents' overall score.

Rules (the README states them too):
- A respondent is an Evidence row's `Respondent`. Their satisfaction at a stage = the mean of their CSAT
  answers at that stage (1-5).
- The overall score = the respondent's mean NPS answer (0-10, any stage) when any respondent has an NPS
  answer; else their mean CSAT over all their CSAT answers (then the stages are parts of the score).
- Stages: those at which at least half of the respondents with an overall score answered CSAT (the others
  are listed as left out). Complete cases: a respondent counts when they have the overall score and a
  CSAT answer at every one of those stages; the others are left out.
- At least `MIN_RESPONDENTS` complete respondents and stages + 10, else "not enough respondents".
- Importance = the Shapley decomposition of R^2 of the linear regression of the overall score on the
  stages (LMG): each stage's R^2 increment averaged over all orderings of the stages, computed exactly
  over all 2^k subsets (k <= `MAX_STAGES`). The importances add up to R^2; shown as shares of R^2.
- 95 % interval: percentile bootstrap over respondents, `BOOTSTRAP` resamples, seed `SEED`.
- Stage-level importance-performance: importance = the stage's share (derived importance), performance =
  the complete respondents' mean CSAT there; quadrants by the touchpoint rule (`analysis.quadrants`:
  against the medians, a value at a median counts as high), with at least `MIN_QUADRANT_STAGES` stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from addin.core.analysis import quadrants
from addin.core.contract import Col, Metric
from addin.core.results import IPAQuadrant

MIN_RESPONDENTS = 30
MAX_STAGES = 12
BOOTSTRAP = 200
SEED = 20260401
STAGE_COVERAGE = 0.5
"""A stage is analysed when at least this share of the respondents with an overall score answered CSAT there."""
MIN_QUADRANT_STAGES = 3
"""Stages analysed needed before stages are placed in importance-performance quadrants."""
DRIVER_ADVICE: dict[IPAQuadrant, str] = {
    IPAQuadrant.CONCENTRATE: "strong driver, low CSAT: fix this first",
    IPAQuadrant.KEEP_UP: "strong driver, high CSAT: keep it working",
    IPAQuadrant.LOW_PRIORITY: "weak driver, low CSAT: watch it",
    IPAQuadrant.OVERKILL: "weak driver, high CSAT: effort may be better spent elsewhere",
}
"""What a stage's quadrant means (strong = importance at least the median, high = performance at least the
median), worded like the touchpoint table's."""


@dataclass(frozen=True)
class StageDriver:
    """One stage's derived importance: `importance` the LMG share of R^2 (0..1, the stages add up to 1),
    `r2_part` the same in R^2 units, `low`/`high` its bootstrap 95 % interval (shares), `performance` the
    complete respondents' mean CSAT at the stage."""

    stage: str
    importance: float
    r2_part: float
    low: float
    high: float
    performance: float


@dataclass
class Drivers:
    """Key drivers of the overall score. `enough` False: `drivers` is empty and `sentence` says why."""

    outcome: str
    n: int
    r2: float
    drivers: list[StageDriver]
    left_out: list[str] = field(default_factory=list)
    enough: bool = True
    reason: str = ""
    min_respondents: int = MIN_RESPONDENTS
    """The stated n: complete respondents needed, max(MIN_RESPONDENTS, stages + 10)."""

    @property
    def sentences(self) -> list[str]:
        if not self.enough:
            return [self.reason]
        out = [
            f"{d.stage} explains {100 * d.importance:.0f} % of what the stages explain of {self.outcome} "
            f"(95 % interval {100 * d.low:.0f} to {100 * d.high:.0f} %; {self.n:,} respondents, "
            f"R² {self.r2:.2f})"
            for d in sorted(self.drivers, key=lambda d: -d.importance)
        ]
        out += [f"{s} is left out: fewer than half of the respondents answered CSAT there" for s in self.left_out]
        return out


def respondent_table(evidence: pd.DataFrame, stages: list[str]) -> tuple[pd.DataFrame, pd.Series, str]:
    """Per respondent (index): mean CSAT per stage (columns in grid order, NaN = no answer), the overall score
    and its name ("NPS" or "overall CSAT")."""
    if evidence.empty or Col.RESPONDENT not in evidence:
        return pd.DataFrame(columns=stages, dtype=float), pd.Series(dtype=float), Metric.NPS.value
    rows = evidence[evidence[Col.RESPONDENT].notna()]
    csat = rows[rows[Col.METRIC] == Metric.CSAT.value]
    nps = rows[rows[Col.METRIC] == Metric.NPS.value]
    grid = csat.pivot_table(index=Col.RESPONDENT, columns=Col.STAGE, values=Col.SCORE, aggfunc="mean")
    grid = grid.reindex(columns=[s for s in stages if s in grid.columns])
    if len(nps):
        return grid, nps.groupby(Col.RESPONDENT)[Col.SCORE].mean(), Metric.NPS.value
    return grid, csat.groupby(Col.RESPONDENT)[Col.SCORE].mean(), "overall CSAT"


def key_drivers(evidence: pd.DataFrame, stages: list[str]) -> Drivers:
    """Key drivers from the validated Evidence frame (Stage, Metric, Score, Respondent)."""
    grid, overall, outcome = respondent_table(evidence, stages)
    scored = grid.reindex(overall.index)
    coverage = scored.notna().mean() if len(scored) else pd.Series(dtype=float)
    used = [s for s in grid.columns if coverage.get(s, 0.0) >= STAGE_COVERAGE]
    left_out = [s for s in grid.columns if s not in used]
    complete = scored[used].dropna()
    n, k = len(complete), len(used)
    need = max(MIN_RESPONDENTS, k + 10)
    if k == 0 or n < need:
        reason = (
            f"Key drivers: not enough respondents. They need at least {need} respondents with {outcome} and a CSAT "
            f"answer at every stage analysed; there are {n}."
        )
        return Drivers(outcome, n, math.nan, [], left_out, False, reason, need)
    if k > MAX_STAGES:
        reason = f"Key drivers are computed for up to {MAX_STAGES} stages; {k} stages have respondents' answers."
        return Drivers(outcome, n, math.nan, [], left_out, False, reason, need)
    x = complete.to_numpy(dtype=float)
    y = overall.reindex(complete.index).to_numpy(dtype=float)
    if np.var(y) == 0:
        reason = f"Key drivers: every one of the {n} respondents gave the same {outcome}, so nothing explains it."
        return Drivers(outcome, n, 0.0, [], left_out, False, reason, need)
    parts = lmg(x, y)
    r2 = float(parts.sum())
    low, high = bootstrap_interval(x, y)
    share = parts / r2 if r2 > 0 else np.zeros(k)
    drivers = [
        StageDriver(s, float(share[j]), float(parts[j]), float(low[j]), float(high[j]), float(x[:, j].mean()))
        for j, s in enumerate(used)
    ]
    return Drivers(outcome, n, r2, drivers, left_out, min_respondents=need)


def subset_r2(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """R^2 of the least-squares regression of y on every subset of x's columns (with an intercept), indexed by
    the subset's bit mask (bit j = column j); R^2 of the empty set is 0. From the correlations:
    R^2(S) = r_S' R_SS^-1 r_S. A column without variance explains nothing; a column that is an exact linear
    function of others gets a ridge of 1e-9 on the diagonal so the solve stays defined."""
    k = x.shape[1]
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    sd = np.sqrt((xc * xc).sum(axis=0))
    flat = sd == 0
    z = xc / np.where(flat, 1.0, sd)
    corr = z.T @ z
    corr[flat, :] = 0.0
    corr[:, flat] = 0.0
    corr[np.diag_indices(k)] = 1.0 + 1e-9
    ry = z.T @ yc / math.sqrt(float(yc @ yc))
    ry[flat] = 0.0
    r2 = np.zeros(1 << k)
    for group, cols in _subsets(k)[2]:
        a = corr[cols[:, :, None], cols[:, None, :]]
        b = ry[cols]
        beta = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        r2[group] = np.einsum("ci,ci->c", beta, b)
    return np.clip(r2, 0.0, 1.0)


@lru_cache(maxsize=MAX_STAGES + 1)
def _subsets(k: int) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Bit masks 0..2^k - 1, their sizes, and per size >= 1 (masks, their column indexes)."""
    masks = np.arange(1 << k)
    sizes = np.array([bin(m).count("1") for m in masks])
    groups = []
    for size in range(1, k + 1):
        group = masks[sizes == size]
        groups.append((group, np.array([[j for j in range(k) if m >> j & 1] for m in group])))
    return masks, sizes, groups


def lmg(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each column's Shapley share of R^2: sum over the subsets S of the other columns of
    |S|! (k - |S| - 1)! / k! x (R^2(S + j) - R^2(S)). The shares add up to R^2 of all columns."""
    k = x.shape[1]
    r2 = subset_r2(x, y)
    masks, sizes, _ = _subsets(k)
    weight = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)])
    out = np.zeros(k)
    for j in range(k):
        without = masks[(masks >> j & 1) == 0]
        out[j] = float(np.sum(weight[sizes[without]] * (r2[without | 1 << j] - r2[without])))
    return out


def bootstrap_interval(
    x: np.ndarray, y: np.ndarray, resamples: int = BOOTSTRAP, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile 95 % interval of each column's LMG share of R^2, resampling rows with replacement.
    A resample whose overall score does not vary is drawn again."""
    rng = np.random.default_rng(seed)
    n, k = x.shape
    shares = np.empty((resamples, k))
    done = 0
    while done < resamples:
        pick = rng.integers(0, n, n)
        yb = y[pick]
        if np.var(yb) == 0:
            continue
        parts = lmg(x[pick], yb)
        total = parts.sum()
        shares[done] = parts / total if total > 0 else 0.0
        done += 1
    return np.percentile(shares, 2.5, axis=0), np.percentile(shares, 97.5, axis=0)


def stage_quadrants(drivers: Drivers) -> tuple[list[tuple[IPAQuadrant, str]], float, float]:
    """Per driver (in `drivers.drivers` order): its quadrant and advice, judged by derived importance and
    performance against their medians; and the two medians (NaN below `MIN_QUADRANT_STAGES` stages)."""
    rows = drivers.drivers
    if len(rows) < MIN_QUADRANT_STAGES:
        advice = f"quadrants need at least {MIN_QUADRANT_STAGES} stages with respondents' answers"
        return [(IPAQuadrant.NOT_ENOUGH, advice) for _ in rows], math.nan, math.nan
    placed, i_thr, p_thr = quadrants(np.array([d.importance for d in rows]), np.array([d.performance for d in rows]))
    out = [(IPAQuadrant(str(q)), DRIVER_ADVICE[IPAQuadrant(str(q))]) for q in placed]
    return out, i_thr, p_thr
