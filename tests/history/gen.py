"""Generated evidence and respondents for the history, trend and key-driver tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.contract import Col, Metric

STAGES = ["Browse", "Buy", "Delivery", "Support"]
QUARTER_DAYS = {q: dt.date(2026, 3 * q - 2, 1) for q in (1, 2, 3, 4)}
SCALES = {
    Metric.CSAT: np.arange(1, 6),
    Metric.NPS: np.arange(0, 11),
    Metric.CES: np.arange(1, 8),
    Metric.EMOTION: np.arange(-2, 3),
}
CSAT_BASE = np.array([0.06, 0.10, 0.20, 0.34, 0.30])
"""64 % answer 4-5."""
CSAT_DROPPED = np.array([0.10, 0.14, 0.25, 0.27, 0.24])
"""51 % answer 4-5, and a lower mean."""
NPS_BASE = np.array([2, 2, 3, 3, 4, 6, 8, 12, 20, 20, 20]) / 100
CES_BASE = np.array([0.25, 0.25, 0.2, 0.12, 0.08, 0.06, 0.04])
EMOTION_BASE = np.array([0.1, 0.2, 0.3, 0.25, 0.15])


def evidence_rows(
    seed: int, n: int, drop: tuple[str, int] | None = None, quarters: tuple[int, ...] = (1, 2, 3, 4)
) -> list[list[object]]:
    """Evidence sheet rows (Date, Persona, Stage, Touchpoint, Channel, Metric, Score, Comment, Respondent):
    n answers per stage, quarter and metric, dates spread over each quarter; `drop` = (stage, quarter) where
    CSAT falls from 64 % to 51 % satisfied."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = []
    for stage in STAGES:
        for q in quarters:
            for metric, probs in (
                (Metric.CSAT, CSAT_DROPPED if drop == (stage, q) else CSAT_BASE),
                (Metric.NPS, NPS_BASE),
                (Metric.CES, CES_BASE),
                (Metric.EMOTION, EMOTION_BASE),
            ):
                scores = rng.choice(SCALES[metric], size=n, p=probs)
                days = rng.integers(0, 89, size=n)
                start = QUARTER_DAYS[q]
                rows += [
                    [start + dt.timedelta(days=int(d)), None, stage, None, None, metric.value, int(s), None, None]
                    for s, d in zip(scores, days, strict=True)
                ]
    return rows


def evidence_frame(seed: int, n: int) -> pd.DataFrame:
    """Answers without any change, as the validated Evidence frame (Stage, Metric, Score, Date), built with
    numpy only (fast enough for hundreds of runs)."""
    rng = np.random.default_rng(seed)
    parts = []
    for stage in STAGES:
        for q, start in QUARTER_DAYS.items():
            for metric, probs in (
                (Metric.CSAT, CSAT_BASE),
                (Metric.NPS, NPS_BASE),
                (Metric.CES, CES_BASE),
                (Metric.EMOTION, EMOTION_BASE),
            ):
                days = np.datetime64(start) + rng.integers(0, 89, size=n).astype("timedelta64[D]")
                parts.append((stage, metric.value, rng.choice(SCALES[metric], size=n, p=probs), days, q))
    return pd.DataFrame(
        {
            Col.STAGE: np.repeat([p[0] for p in parts], n),
            Col.METRIC: np.repeat([p[1] for p in parts], n),
            Col.SCORE: np.concatenate([p[2] for p in parts]).astype(float),
            Col.DATE: pd.to_datetime(np.concatenate([p[3] for p in parts])),
        }
    )


def respondents(seed: int, n: int, weights: dict[str, float], noise: float = 1.0) -> pd.DataFrame:
    """A validated Evidence frame of n respondents, each with one CSAT answer per stage (1-5) and one NPS
    answer (0-10) = a linear function of their stage answers with the given weights, plus noise, rounded."""
    rng = np.random.default_rng(seed)
    stages = list(weights)
    csat = rng.integers(1, 6, size=(n, len(stages)))
    latent = csat @ np.array([weights[s] for s in stages]) + rng.normal(0, noise, n)
    latent = (latent - latent.mean()) / latent.std() * 2.2 + 6.5
    nps = np.clip(np.round(latent), 0, 10)
    out = {Col.STAGE: [], Col.METRIC: [], Col.SCORE: [], Col.RESPONDENT: []}
    for i in range(n):
        for j, stage in enumerate(stages):
            out[Col.STAGE].append(stage)
            out[Col.METRIC].append(Metric.CSAT.value)
            out[Col.SCORE].append(float(csat[i, j]))
            out[Col.RESPONDENT].append(f"r{i}")
        out[Col.STAGE].append(stages[-1])
        out[Col.METRIC].append(Metric.NPS.value)
        out[Col.SCORE].append(float(nps[i]))
        out[Col.RESPONDENT].append(f"r{i}")
    return pd.DataFrame(out)


def respondent_rows(
    seed: int, n: int, weights: dict[str, float], means: dict[str, float], noise: float = 1.0
) -> list[list[object]]:
    """Evidence sheet rows (Date, Persona, Stage, Touchpoint, Channel, Metric, Score, Comment, Respondent) of
    n respondents: at each stage one CSAT answer around the stage's mean (the planted performance, 1-5) and
    one NPS answer (at the last stage) = their stage answers weighted by `weights` (the planted importance)
    plus noise, scaled to 0-10 and rounded."""
    rng = np.random.default_rng(seed)
    stages = list(weights)
    centre = np.array([means[s] for s in stages])
    csat = np.clip(np.rint(centre + rng.normal(0, 1, (n, len(stages)))), 1, 5)
    latent = (csat - centre) @ np.array([weights[s] for s in stages]) + rng.normal(0, noise, n)
    nps = np.clip(np.rint(7 + latent / latent.std() * 2), 0, 10)
    rows: list[list[object]] = []
    for i in range(n):
        who = f"c{i:04d}"
        rows += [[None, None, s, None, None, "CSAT", int(csat[i, j]), None, who] for j, s in enumerate(stages)]
        rows.append([None, None, stages[-1], None, None, "NPS", int(nps[i]), None, who])
    return rows
