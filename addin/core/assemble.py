"""From the analysis' frames to the typed `Results`: the one step where pandas values become plain ones.

Everything a writer shows is decided here or in the analysis before it (which stage hurts most, where
customers leave, what the moments of truth are, in what order touchpoints come); the layout modules only
format what they get.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from addin.core import analysis, drivers, scoring, trends
from addin.core.contract import Col, HeatmapDimension, Lane, Quadrant, Severity, Sheet
from addin.core.evidence import NOT_GIVEN, EvidenceResults
from addin.core.journey import ALL_CUSTOMERS, Journey
from addin.core.model import Finding
from addin.core.names import norm
from addin.core.results import (
    CurveSource,
    EmotionCurve,
    Estimate,
    EvidenceTrends,
    FunnelStage,
    Heatmap,
    HeatmapRow,
    ImportancePerformance,
    IPAQuadrant,
    IPARow,
    KeyDriverRow,
    KeyDrivers,
    LeftOut,
    Metrics,
    MomentOfTruth,
    PainPoint,
    Priorities,
    Recommendation,
    Results,
    StageResult,
    TouchpointResult,
    TrendChange,
    Unaddressed,
)
from addin.core.sources.aggregated import total_answers


def number(value: Any) -> float | None:
    """A float, or None for a blank, NaN or infinite value."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def text(value: Any) -> str | None:
    """A string, or None for a blank (None, NaN, only spaces)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    s = str(value)
    return s if s.strip() else None


def results(
    journey: Journey,
    scores: pd.Series,
    left: pd.Series,
    findings: Sequence[Finding],
    source: str,
) -> Results:
    """The typed results of a run: `scores` per pain point, `left` the unaddressed ones (highest first)."""
    stages = tuple(journey.stages)
    maps = analysis.heatmaps(journey, scores)
    evidence = analysis.analyse_evidence(
        journey.evidence, journey.stages, _persona_names(journey), journey.evidence_stats
    )
    heatmaps = tuple(_heatmap(d, t, stages) for d, t in maps.items())
    touch_map = maps[HeatmapDimension.TOUCHPOINT]
    stage_results, worst_pain, worst_drop = _stages(journey, scores, evidence)
    curves = _curves(journey, evidence, stages)
    basis, base = emotion_baseline(curves, len(stages))
    threshold = journey.settings.moment_of_truth_pain_index
    moments = tuple(
        MomentOfTruth(
            s.stage,
            s.pain_index,
            emo,
            f"pain index {s.pain_index:.0f} (high: {threshold:.0f} or more) and emotion {emo:+.1f} (below 0)",
        )
        for s, emo in zip(stage_results, base, strict=True)
        if s.pain_index >= threshold and emo is not None and emo < 0
    )
    info = {str(pid): (text(st), text(d)) for pid, st, d in _pain_triples(journey)}
    return Results(
        source=source,
        journey_name=journey.settings.journey_name,
        stages=stages,
        heatmap_rows=journey.settings.heatmap_rows,
        pain_points=_pain_points(journey, scores),
        heatmaps=heatmaps,
        stage_results=stage_results,
        emotion=curves,
        moments_of_truth=moments,
        moment_basis=basis,
        worst_pain_stage=worst_pain,
        worst_drop_stage=worst_drop,
        touchpoints=_touchpoints(evidence.by_touchpoint, touch_map),
        importance_performance=_ipa(analysis.importance_performance(touch_map, evidence.by_touchpoint)),
        priorities=_priorities(scoring.score_recommendations(journey, scores), _assumed_ids(journey)),
        unaddressed=tuple(
            Unaddressed(str(pid), float(v), *info.get(str(pid), (None, None))) for pid, v in left.items()
        ),
        findings=tuple(findings),
        left_out=tuple(journey.left_out) if journey.left_out else left_out(findings),
        evidence_rows=len(journey.evidence) + total_answers(journey.evidence_stats),
        event_logs=tuple(journey.event_journeys),
        trends=evidence_trends(journey),
        key_drivers=key_drivers(journey),
    )


def key_drivers(journey: Journey) -> KeyDrivers | None:
    """Key drivers of the respondents' overall score and the stage-level importance-performance (None when
    no Evidence row has a Respondent)."""
    ev = journey.evidence
    if not len(ev) or Col.RESPONDENT.value not in ev or not ev[Col.RESPONDENT].notna().any():
        return None
    d = drivers.key_drivers(ev, journey.stages)
    placed, i_thr, p_thr = drivers.stage_quadrants(d)
    rows = sorted(
        (
            KeyDriverRow(s.stage, s.importance, s.low, s.high, s.r2_part, s.performance, quadrant, advice)
            for s, (quadrant, advice) in zip(d.drivers, placed, strict=True)
        ),
        key=lambda r: (-round(r.importance, 9), journey.stages.index(r.stage)),
    )
    return KeyDrivers(
        outcome=d.outcome,
        respondents=d.n,
        min_respondents=d.min_respondents,
        enough=d.enough,
        reason=d.reason,
        r2=number(d.r2),
        resamples=drivers.BOOTSTRAP,
        left_out=tuple(d.left_out),
        rows=tuple(rows),
        importance_threshold=number(i_thr),
        performance_threshold=number(p_thr),
    )


def evidence_trends(journey: Journey) -> EvidenceTrends | None:
    """Period-to-period changes of the evidence (the Date of each answer, by the Settings' trend period):
    the Evidence rows' statistics per period plus those an evidence engine returned per month."""
    kind = journey.settings.trend_period
    stats = trends.merge(
        trends.evidence_by_period(journey.evidence, journey.stages, kind),
        trends.stats_by_period(journey.evidence_stats, journey.stages, kind),
    )
    if not stats.periods:
        return None
    changes = trends.trend_changes(stats)
    return EvidenceTrends(
        journey.settings.trend_period.value,
        sum(c.tested for c in changes),
        trends.MIN_ANSWERS,
        tuple(
            TrendChange(
                c.stage,
                c.measure.value,
                c.before_period.label,
                c.after_period.label,
                float(c.before),
                float(c.after),
                c.n_before,
                c.n_after,
                float(c.p_adjusted),
                c.sentence,
            )
            for c in trends.significant_changes(changes)
        ),
    )


TABLES = (Sheet.PERSONAS, Sheet.PAIN_POINTS, Sheet.RECOMMENDATIONS, Sheet.EVIDENCE, Sheet.FUNNEL)
"""The input tables whose rows an error leaves out of the analysis."""


def left_out(findings: Sequence[Finding]) -> tuple[LeftOut, ...]:
    """Per input table, the rows an error finding points at (each row once), and the rules of those errors.

    A rule shown 25 times and then summed up in one line (a finding without a cell) may leave out more rows
    than are named: then the count is a lower bound (`at_least`).
    """
    out = []
    for table in TABLES:
        rows: set[int] = set()
        rules: set[str] = set()
        capped = False
        for f in findings:
            if f.severity is not Severity.ERROR or norm(f.sheet) != norm(table):
                continue
            m = re.fullmatch(r"\$?[A-Za-z]+\$?(\d+)", f.cell)
            if m is None:
                capped = capped or not f.cell
                if not f.cell:
                    rules.add(str(f.rule))
                continue
            if int(m.group(1)) > 1:  # row 1 is the header: a missing column, not a row left out
                rows.add(int(m.group(1)))
                rules.add(str(f.rule))
        if rows:
            out.append(LeftOut(table.value, len(rows), tuple(sorted(rules)), at_least=capped))
    return tuple(out)


def _persona_names(journey: Journey) -> list[str]:
    return [] if journey.personas.empty else [str(p) for p in journey.personas[Col.PERSONA]]


def _pain_triples(journey: Journey) -> list[tuple[Any, Any, Any]]:
    p = journey.pain_points
    if p.empty:
        return []
    return list(zip(p[Col.ID], p[Col.STAGE], p[Col.DESCRIPTION], strict=True))


def _assumed_ids(journey: Journey) -> set[str]:
    """The pain points with an assumed Severity or Frequency."""
    return {pid for ids in journey.assumed.values() for pid in ids}


def _pain_points(journey: Journey, scores: pd.Series) -> tuple[PainPoint, ...]:
    pains = journey.pain_points
    if pains.empty:
        return ()
    factors = analysis.persona_factors(journey.personas)
    out = []
    for r in pains.to_dict("records"):
        pid = str(r[Col.ID])
        assumed = tuple(col for col, ids in journey.assumed.items() if pid in ids)
        persona = text(r[Col.PERSONA])
        out.append(
            PainPoint(
                id=pid,
                stage=str(r[Col.STAGE]),
                touchpoint=text(r[Col.TOUCHPOINT]),
                channel=text(r[Col.CHANNEL]),
                persona=persona,
                description=text(r[Col.DESCRIPTION]),
                severity=int(r[Col.SEVERITY]),
                frequency=int(r[Col.FREQUENCY]),
                persona_factor=float(factors.get(r[Col.PERSONA], 1.0)) if persona is not None else 1.0,
                score=float(scores[pid]),
                cell=journey.pain_cells.get(pid, ""),
                assumed=assumed,
            )
        )
    return tuple(out)


def _heatmap(dimension: HeatmapDimension, table: pd.DataFrame, stages: tuple[str, ...]) -> Heatmap:
    rows = tuple(
        HeatmapRow(str(label), tuple(float(v) for v in values.to_numpy(dtype=float)), float(values.sum()))
        for label, values in table.reindex(columns=list(stages), fill_value=0.0).iterrows()
    )
    top = float(table.to_numpy(dtype=float).max()) if table.size else 0.0
    top = top if top > 0 else 1.0
    return Heatmap(dimension, rows, (0.0, top / 2, top))


def _estimate(frame: pd.DataFrame, row: Any, name: str) -> Estimate:
    """One metric of one group from an evidence metrics frame (no answers: value None, n 0)."""
    if f"{name}_n" not in frame or row not in frame.index:
        return Estimate(None, 0)
    n = int(number(frame.at[row, f"{name}_n"]) or 0)
    if not n:
        return Estimate(None, 0)

    def get(col: str) -> float | None:
        return number(frame.at[row, col])

    low, high = get(f"{name}_low"), get(f"{name}_high")
    if n < 2:
        low = high = None
    return Estimate(get(f"{name}_value"), n, low, high)


def _metrics(frame: pd.DataFrame, row: Any) -> Metrics:
    return Metrics(
        csat=_estimate(frame, row, "csat"),
        csat_mean=_estimate(frame, row, "csat_mean"),
        ces=_estimate(frame, row, "ces"),
        nps=_estimate(frame, row, "nps"),
        emotion=_estimate(frame, row, "emotion"),
    )


def _stages(
    journey: Journey, scores: pd.Series, evidence: EvidenceResults
) -> tuple[tuple[StageResult, ...], str | None, str | None]:
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
    fun = analysis.funnel(journey)
    lane = journey.lane(Lane.MOMENTS_OF_TRUTH) or []
    yours = {s: str(v) for s, v in zip(stages, lane, strict=False) if v is not None}
    out = []
    for stage in stages:
        funnel = None
        if stage in fun.index:
            f = {k: number(v) for k, v in fun.loc[stage].items()}
            funnel = FunnelStage(
                f["Entered"] or 0.0,
                f["Completed"] or 0.0,
                f["Conversion"],
                f["Drop-off"] or 0.0,
                f["Drop-off share"],
            )
        out.append(
            StageResult(
                stage,
                float(total[stage]),
                float(index[stage]),
                int(count[stage]),
                _metrics(evidence.by_stage, stage),
                funnel,
                yours.get(stage),
            )
        )
    worst_pain = str(total.astype(float).idxmax()) if len(total) and top > 0 else None
    return tuple(out), worst_pain, _worst_drop(out)


def _worst_drop(stages: Sequence[StageResult]) -> str | None:
    """The stage with the largest drop-off rate, the share of those who entered it that did not complete it
    (ties: the earlier stage). Every funnel loses most customers at its top, so counts would say little.
    """
    best: tuple[float, str] | None = None
    for s in stages:
        f = s.funnel
        if f is None or f.drop_off <= 0 or f.drop_off_share is None:
            continue
        if best is None or f.drop_off_share > best[0] + 1e-12:
            best = (f.drop_off_share, s.stage)
    return best[1] if best else None


def _curves(journey: Journey, evidence: EvidenceResults, stages: tuple[str, ...]) -> tuple[EmotionCurve, ...]:
    out = []
    grid = journey.emotions.reindex(columns=list(stages)).astype(float)
    for label, values in grid.iterrows():
        persona = None if label == ALL_CUSTOMERS else str(label)
        out.append(EmotionCurve(CurveSource.MAP, persona, tuple(number(v) for v in values.to_numpy())))
    for persona, (_, values), (_, counts) in zip(
        evidence.emotion_personas, evidence.emotion.iterrows(), evidence.emotion_n.iterrows(), strict=True
    ):
        out.append(
            EmotionCurve(
                CurveSource.EVIDENCE,
                persona,
                tuple(number(v) for v in values.to_numpy()),
                tuple(int(n) for n in counts.to_numpy()),
            )
        )
    return tuple(out)


def emotion_baseline(curves: Sequence[EmotionCurve], n: int) -> tuple[str, tuple[float | None, ...]]:
    """What a moment of truth judges emotion by, and its values per stage: the grid's `Emotion` lane; else
    the mean of the persona lanes; else the Evidence mean for all customers.
    """
    grid = [c for c in curves if c.source is CurveSource.MAP]
    for c in grid:
        if c.persona is None:
            return "the Emotion lane", c.values
    if grid:
        means = []
        for i in range(n):
            seen = [v for c in grid if (v := c.values[i]) is not None]
            means.append(float(np.mean(seen)) if seen else None)
        return "the mean of the persona emotion lanes", tuple(means)
    for c in curves:
        if c.source is CurveSource.EVIDENCE and c.persona is None:
            return "the Evidence answers", c.values
    return "", (None,) * n


def _touchpoints(metrics: pd.DataFrame, touch_map: pd.DataFrame) -> tuple[TouchpointResult, ...]:
    if metrics.empty:
        return ()
    pain = touch_map.sum(axis=1) if len(touch_map) else pd.Series(dtype=float)
    pain_by = {norm(k): float(v) for k, v in pain.items()}
    labels = list(metrics.index)
    order = sorted(labels, key=lambda t: (t == NOT_GIVEN, -pain_by.get(norm(t), 0.0), str(t)))
    return tuple(TouchpointResult(str(t), pain_by.get(norm(t), 0.0), _metrics(metrics, t)) for t in order)


def _ipa(table: analysis.IPATable) -> ImportancePerformance:
    f = table.frame
    rows = tuple(
        IPARow(
            str(t),
            float(rec["Importance"]),
            float(rec["Performance"]),
            int(rec["CSAT answers"]),
            IPAQuadrant(str(rec["Quadrant"])),
            str(rec["Advice"]),
        )
        for t, rec in f.iterrows()
    )
    return ImportancePerformance(
        rows,
        number(table.importance_threshold),
        number(table.performance_threshold),
        enough=table.enough,
        min_touchpoints=analysis.IPA_MIN_TOUCHPOINTS,
        min_answers=analysis.IPA_MIN_ANSWERS,
    )


def _priorities(scored: scoring.Scored, assumed: set[str]) -> Priorities:
    recs = tuple(
        Recommendation(
            rank=int(r[Col.RANK]),
            id=str(r[Col.ID]),
            title=text(r[Col.TITLE]),
            score=float(r[Col.SCORE]),
            value=float(r[Col.VALUE]),
            effort=float(r[Col.EFFORT]),
            quadrant=Quadrant(str(r[Col.QUADRANT])),
            addresses=tuple(str(p) for p in str(r[Col.ADDRESSES]).split(", ") if p),
            rationale=str(r[Col.RATIONALE]),
            pain_addressed=float(r["Pain addressed"]),
            reach=float(r[Col.REACH]),
            impact=float(r["Impact used"]),
            impact_derived=bool(r["Impact derived"]),
            confidence=float(r[Col.CONFIDENCE]),
            assumed=tuple(p for p in str(r[Col.ADDRESSES]).split(", ") if p in assumed),
        )
        for r in scored.frame.to_dict("records")
    )
    return Priorities(scored.method, scored.value_threshold, scored.effort_threshold, recs)
