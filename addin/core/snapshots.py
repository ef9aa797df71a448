"""From a run's `Results` to the snapshot the History sheet keeps (`history.Snapshot`).

The time a snapshot is taken is given by the caller (a front end reads the clock; the core does not).
"""

from __future__ import annotations

import math

from addin.core import history
from addin.core.results import Estimate, KeyDriverRow, Results

TOP = history.TOP


def snapshot(result: Results, taken: str) -> history.Snapshot:
    """The snapshot of `result` taken at `taken` (UTC, ISO 8601): per stage the pain index and CSAT share,
    NPS and CES with n and interval, and its key-driver share with n (respondents) and interval; the top 5
    recommendation IDs in rank order; the pain-point IDs; counts. `result.fingerprint` is the validated
    journey's (`pipeline.analyse` sets it)."""
    k = result.key_drivers
    drivers = {d.stage: d for d in k.rows} if k is not None and k.enough else {}
    stages = tuple(
        history.StageSnapshot(
            s.stage,
            float(s.pain_index),
            _estimate(s.metrics.csat),
            _estimate(s.metrics.nps),
            _estimate(s.metrics.ces),
            _driver(drivers.get(s.stage), k.respondents if k is not None else 0),
        )
        for s in result.stage_results
    )
    recommendations = result.priorities.recommendations
    return history.Snapshot(
        taken=taken,
        fingerprint=result.fingerprint,
        stages=stages,
        top5=tuple(r.id for r in recommendations[:TOP]),
        pain_point_ids=tuple(sorted(p.id for p in result.pain_points)),
        recommendations=len(recommendations),
    )


def _estimate(e: Estimate) -> history.Estimate:
    """The results' estimate (None where a number does not exist) as history's (NaN)."""
    return history.Estimate(_nan(e.value), e.n if e.value is not None else 0, _nan(e.low), _nan(e.high))


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _driver(row: KeyDriverRow | None, respondents: int) -> history.Estimate:
    """A stage's key-driver share as history's estimate (none: the stage was not analysed, or no key drivers)."""
    if row is None:
        return history.Estimate()
    return history.Estimate(float(row.importance), respondents, float(row.low), float(row.high))
