"""Build a `JourneyMap` from what the pipeline has: the typed `Results` and the clean `Journey`.

`build_map` is the one function that knows where the map's numbers come from: scores, curves,
metrics and moments of truth from the `Results`; from the `Journey` only what the results do not
hold: the grid's lanes, and for a persona or channel view its own Evidence rows (their metrics).
`map_views` reads the `Map views` setting.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from addin.core.contract import MAP_VIEW_KINDS, Col, Lane, norm
from addin.core.evidence import evidence_metrics, group_codes
from addin.core.journey import ALL_CUSTOMERS, Journey
from addin.core.journey_map.data import JourneyMap, MapCurve, MapLane, MapPain, StageEvidence
from addin.core.report_dashboard import curve_style
from addin.core.results import CurveSource, EmotionCurve, Metrics, PainPoint, Results
from addin.core.tables import to_date

ABOVE: tuple[tuple[str, str], ...] = (
    (Lane.GOALS, "Goals"),
    (Lane.ACTIONS, "Actions"),
    (Lane.TOUCHPOINTS, "Touchpoints"),
    (Lane.CHANNELS, "Channels"),
    (Lane.THOUGHTS, "Thoughts"),
)
"""Grid lanes drawn above the emotion curves, in this order (a lane blank in every stage is left out)."""
BELOW: tuple[tuple[str, str], ...] = ((Lane.OPPORTUNITIES, "Opportunities"),)
"""Grid lanes drawn below the pain points."""
ALL_VIEW = "All customers"


def build_map(journey: Journey, a: Results, persona: str | None = None, channel: str | None = None) -> JourneyMap:
    """The map of the whole journey, or the view of one persona (its emotion curves, its pain points and
    those of no persona, its evidence, its weight) or of one channel (its pain points and evidence).

    `persona` and `channel` must be spelled as `map_views` or `find_view` return them.
    """
    stages = tuple(a.stages)
    evidence = journey.evidence
    pains: list[PainPoint] = list(a.pain_points)
    view = ALL_VIEW
    if persona is not None:
        view = f"Persona: {persona}{_weight(journey, persona)}"
        if not evidence.empty:
            evidence = evidence[evidence[Col.PERSONA] == persona]
        pains = [p for p in pains if p.persona is None or p.persona == persona]
    elif channel is not None:
        view = f"Channel: {channel}"
        key = norm(channel)
        if not evidence.empty:
            evidence = evidence[_matches(evidence[Col.CHANNEL], key)]
        pains = [p for p in pains if p.channel is not None and norm(p.channel) == key]
    top = max((p.score for p in a.pain_points), default=0.0)
    map_pains = tuple(
        MapPain(
            id=p.id,
            stage=p.stage,
            description=_text(p.description) or "(no description)",
            score=p.score,
            persona=_text(p.persona),
            channel=_text(p.channel),
            touchpoint=_text(p.touchpoint),
        )
        for p in pains
    )
    after = _lanes(journey, BELOW, len(stages))
    grid_pains = journey.lane(Lane.PAIN_POINTS) or []
    if not a.pain_points and any(_text(v) for v in grid_pains):
        after = (MapLane("Pain points (from the map)", _cells(grid_pains, len(stages))), *after)
    return JourneyMap(
        title=a.journey_name,
        view=view,
        stages=stages,
        lanes=_lanes(journey, ABOVE, len(stages)),
        pains=map_pains,
        curves=_curves(a, evidence, persona, channel),
        after=after,
        evidence=_evidence(a, evidence, persona is not None or channel is not None),
        dates=_dates(evidence),
        pain_max=max(100.0, top),
    )


def map_views(journey: Journey) -> tuple[list[tuple[str, str]], list[str]]:
    """The views the `Map views` setting asks for, as ("persona" | "channel", name), and the words of it
    that name neither a persona nor a channel.
    """
    text = journey.settings.map_views or ""
    wanted = [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]
    views: list[tuple[str, str]] = []
    unknown: list[str] = []
    for word in wanted:
        if norm(word) == MAP_VIEW_KINDS[0]:
            found = [("persona", p) for p in _personas(journey)]
        elif norm(word) == MAP_VIEW_KINDS[1]:
            found = [("channel", c) for c in channels(journey)]
        else:
            one = find_view(journey, word)
            found = [one] if one else []
            if not one:
                unknown.append(word)
        views.extend(v for v in found if v not in views)
    return views, unknown


def find_view(journey: Journey, name: str) -> tuple[str, str] | None:
    """("persona", name) or ("channel", name) for a name matched case- and space-insensitively."""
    key = norm(name)
    for p in _personas(journey):
        if norm(p) == key:
            return "persona", p
    for c in channels(journey):
        if norm(c) == key:
            return "channel", c
    return None


def channels(journey: Journey) -> list[str]:
    """Every channel named by a pain point or an Evidence row, one spelling each, sorted."""
    values = []
    for frame in (journey.pain_points, journey.evidence):
        if not frame.empty and Col.CHANNEL in frame:
            _codes, labels = group_codes(frame[Col.CHANNEL])
            values.extend(labels)
    out: dict[str, str] = {}
    for label in sorted(values, key=str):
        out.setdefault(norm(label), label)
    return sorted(out.values(), key=str.casefold)


def _personas(journey: Journey) -> list[str]:
    return [str(p) for p in journey.personas[Col.PERSONA]] if not journey.personas.empty else []


def _weight(journey: Journey, persona: str) -> str:
    frame = journey.personas
    if frame.empty:
        return ""
    row = frame[frame[Col.PERSONA] == persona]
    weight = float(row[Col.WEIGHT].iloc[0]) if len(row) else math.nan
    return f" ({weight:g} % of customers)" if not math.isnan(weight) else ""


def _matches(column: pd.Series, key: str) -> pd.Series:
    codes, labels = group_codes(column)
    hit = np.array([norm(label) == key for label in labels] + [False])
    return pd.Series(hit[codes], index=column.index)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _cells(values: list[Any], n: int) -> tuple[str | None, ...]:
    cells = [_text(v) for v in values[:n]]
    return tuple(cells + [None] * (n - len(cells)))


def _lanes(journey: Journey, which: tuple[tuple[str, str], ...], n: int) -> tuple[MapLane, ...]:
    out = []
    for lane, label in which:
        values = journey.lane(lane)
        if values is not None and any(_text(v) for v in values):
            out.append(MapLane(label, _cells(values, n)))
    return tuple(out)


def _curves(a: Results, evidence: pd.DataFrame, persona: str | None, channel: str | None) -> tuple[MapCurve, ...]:
    """The view's emotion curves: every curve, a persona's own two, or for a channel the grid's curve of
    all customers and the mean of the channel's own Emotion answers."""
    personas = sorted({c.persona for c in a.emotion if c.persona is not None})
    curves: list[EmotionCurve]
    if persona is not None:
        curves = [c for c in a.emotion if c.persona == persona]
    elif channel is not None:
        curves = [c for c in a.emotion if c.source is CurveSource.MAP and c.persona is None]
        own = evidence_metrics(evidence[evidence[Col.METRIC] == "Emotion"]) if not evidence.empty else pd.DataFrame()
        if "emotion_value" in own:
            means = own["emotion_value"].reindex(list(a.stages)).astype(float)
            curves.append(EmotionCurve(CurveSource.EVIDENCE, None, tuple(_number(v) for v in means)))
    else:
        curves = list(a.emotion)
    out = []
    for curve in curves:
        if not any(v is not None for v in curve.values):
            continue
        color, dashed = curve_style(curve, personas)
        who = curve.persona if curve.persona is not None else ALL_CUSTOMERS
        label = (who[:1].upper() + who[1:]) + (" (Evidence)" if dashed else "")
        out.append(MapCurve(label, tuple(_number(v) for v in curve.values), color, dashed))
    return tuple(out)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _evidence(a: Results, evidence: pd.DataFrame, filtered: bool) -> tuple[StageEvidence, ...]:
    """Per stage: the answers, CSAT and NPS (of the view's own Evidence rows when `filtered`), and the
    moment of truth (your lane's text, then the computed one)."""
    stages = list(a.stages)
    computed = {m.stage: f"pain index {m.pain_index:.0f}, emotion {m.emotion:+.1f}" for m in a.moments_of_truth}
    if filtered:
        frame = evidence_metrics(evidence) if not evidence.empty else pd.DataFrame(index=stages)
        rows = [_from_frame(frame.reindex(stages), s) for s in stages]
    else:
        rows = [_from_metrics(s.metrics) for s in a.stage_results]
    out = []
    for s, (answers, csat, csat_n, nps, nps_n) in zip(a.stage_results, rows, strict=True):
        moment = "; ".join(x for x in (s.your_moment_of_truth, computed.get(s.stage)) if x) or None
        out.append(StageEvidence(answers=answers, csat=csat, csat_n=csat_n, nps=nps, nps_n=nps_n, moment=moment))
    return tuple(out)


_Row = tuple[int, float | None, int, float | None, int]
"""Answers, CSAT % satisfied, its n, NPS, its n."""


def _from_metrics(m: Metrics) -> _Row:
    answers = m.csat.n + m.ces.n + m.nps.n + m.emotion.n
    csat = _percent(m.csat.value) if m.csat.n else None
    return answers, csat, m.csat.n, m.nps.value if m.nps.n else None, m.nps.n


def _from_frame(metrics: pd.DataFrame, stage: str) -> _Row:
    row = metrics.loc[stage]
    assert isinstance(row, pd.Series)
    n = {m: _count(row, m) for m in ("csat", "ces", "nps", "emotion")}
    csat = _percent(row.get("csat_value")) if n["csat"] else None
    return sum(n.values()), csat, n["csat"], _number(row.get("nps_value")) if n["nps"] else None, n["nps"]


def _count(row: pd.Series, metric: str) -> int:
    value = _number(row.get(f"{metric}_n"))
    return int(value) if value else 0


def _percent(value: Any) -> float | None:
    number = _number(value)
    return None if number is None else 100 * number


def _dates(evidence: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    if evidence.empty or Col.DATE not in evidence:
        return None
    column = evidence[Col.DATE].dropna()
    if column.empty:
        return None
    if pd.api.types.is_datetime64_any_dtype(column):  # as validation reads it
        return column.min().date(), column.max().date()
    dates = [d for d in (to_date(v) for v in pd.unique(column.to_numpy(dtype=object))) if d is not None]
    return (min(dates), max(dates)) if dates else None
