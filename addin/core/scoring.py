"""What to fix first: recommendation value, score (RICE, ICE or Weighted), rank, quadrant and rationale.

Formulas (also in the README):
- Pain addressed P = sum of the pain scores of the pain points in `Addresses`.
- Impact: the user's RICE Impact, else derived from the pain: min(3, 3 x P / 100)
  (one pain point at severity 5 and frequency 5 is worth "massive").
- RICE:     Value = Reach x Impact x Confidence;                 Score = Value / Effort
- ICE:      Value = (Impact x 10/3) x (Confidence x 10);         Score = Value / Effort
- Weighted: Value = 100 x (wP x P/100 + wR x log10(1+Reach)/6 + wI x Impact/3 + wC x Confidence)
            / (wP + wR + wI + wC)
            Score = Value / Effort
Every score is non-decreasing in pain and non-increasing in Effort; ranks break ties by
Value (high first), Effort (low first), then ID, so row order never matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.contract import PRIORITY_COLUMNS, Col, Quadrant, ScoringMethod
from addin.core.journey import Journey, Settings
from addin.core.tables import text_values

SCORE_COLUMNS = [
    *PRIORITY_COLUMNS,  # what the Priorities sheet shows, then the numbers behind the rationale
    "Pain addressed",
    Col.REACH,
    "Impact used",
    "Impact derived",
    Col.CONFIDENCE,
]


def derived_impact(pain_addressed: float) -> float:
    """RICE impact from the pain a recommendation addresses: min(3, 3 x P / 100)."""
    return min(3.0, 3.0 * pain_addressed / 100.0)


def value_of(
    method: ScoringMethod, settings: Settings, pain: float, reach: float, impact: float, confidence: float
) -> float:
    if method is ScoringMethod.RICE:
        return reach * impact * confidence
    if method is ScoringMethod.ICE:
        return (impact * 10.0 / 3.0) * (confidence * 10.0)
    weights = (
        settings.weight_pain,
        settings.weight_reach,
        settings.weight_impact,
        settings.weight_confidence,
    )
    total = sum(weights) or 1.0
    terms = (pain / 100.0, math.log10(1.0 + reach) / 6.0, impact / 3.0, confidence)
    return 100.0 * sum(w * t for w, t in zip(weights, terms, strict=True)) / total


@dataclass(frozen=True)
class Scored:
    """Ranked recommendations (`SCORE_COLUMNS`) and the quadrant thresholds they were judged by."""

    frame: pd.DataFrame
    value_threshold: float
    effort_threshold: float
    method: ScoringMethod


def score_recommendations(journey: Journey, scores: pd.Series) -> Scored:
    """Ranked recommendations with Score, Value, Quadrant and a one-sentence Rationale."""
    recs = journey.recommendations
    settings = journey.settings
    method = settings.scoring_method
    if recs.empty:
        return Scored(pd.DataFrame(columns=SCORE_COLUMNS), 0.0, 0.0, method)
    titles = dict(zip(journey.pain_points[Col.ID], journey.pain_points[Col.DESCRIPTION], strict=True))
    rows = []
    for r in recs.to_dict("records"):
        addresses: tuple[str, ...] = r[Col.ADDRESSES]
        pain = float(sum(float(scores.get(p, 0.0)) for p in addresses))  # a pain point left out scores nothing
        given = r[Col.IMPACT]
        derived = bool(np.isnan(given))
        impact = derived_impact(pain) if derived else float(given)
        value = value_of(method, settings, pain, r[Col.REACH], impact, r[Col.CONFIDENCE])
        effort = float(r[Col.EFFORT])
        rows.append(
            {
                Col.ID: r[Col.ID],
                Col.TITLE: r[Col.TITLE],
                Col.SCORE: value / effort,
                Col.VALUE: value,
                Col.EFFORT: effort,
                Col.ADDRESSES: ", ".join(addresses),
                "Pain addressed": pain,
                Col.REACH: r[Col.REACH],
                "Impact used": impact,
                "Impact derived": derived,
                Col.CONFIDENCE: r[Col.CONFIDENCE],
                "_addresses": addresses,
            }
        )
    frame = pd.DataFrame(rows)
    frame[Col.TITLE] = text_values(frame[Col.TITLE])  # a blank title stays None (pandas 3 would read NaN)
    frame = frame.sort_values(
        by=[Col.SCORE, Col.VALUE, Col.EFFORT, Col.ID], ascending=[False, False, True, True], kind="mergesort"
    ).reset_index(drop=True)
    frame.insert(0, Col.RANK, np.arange(1, len(frame) + 1))
    v_thr = settings.value_threshold if settings.value_threshold is not None else float(frame[Col.VALUE].median())
    e_thr = settings.effort_threshold if settings.effort_threshold is not None else float(frame[Col.EFFORT].median())
    frame[Col.QUADRANT] = [
        quadrant(v, e, v_thr, e_thr) for v, e in zip(frame[Col.VALUE], frame[Col.EFFORT], strict=True)
    ]
    frame[Col.RATIONALE] = [rationale(method, row, titles, scores) for row in frame.to_dict("records")]
    return Scored(frame[[*SCORE_COLUMNS]], float(v_thr), float(e_thr), method)


def quadrant(value: float, effort: float, value_threshold: float, effort_threshold: float) -> str:
    """Quick win (high value, low effort), Big bet, Fill-in or Money pit; ties count as high/low."""
    high = value >= value_threshold
    low_effort = effort <= effort_threshold
    if high:
        return Quadrant.QUICK_WIN.value if low_effort else Quadrant.BIG_BET.value
    return Quadrant.FILL_IN.value if low_effort else Quadrant.MONEY_PIT.value


def _fmt(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{x:.0f}"


def rationale(method: ScoringMethod, row: dict, titles: dict, scores: pd.Series) -> str:
    """One sentence naming the pain points and numbers behind the score."""
    addresses: tuple[str, ...] = row["_addresses"]
    if addresses:
        named = sorted(addresses, key=lambda p: (-float(scores.get(p, -1.0)), str(p)))
        parts = [
            f"{p} (pain {float(scores[p]):.0f})" if p in scores else f"{p} (left out: see Validation)"
            for p in named[:3]
        ]
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        fixes = f"Fixes {', '.join(parts)}{more}"
    else:
        fixes = "Addresses no listed pain point"
    impact = row["Impact used"]
    impact_txt = (
        f"impact {_fmt(impact)} (from pain {row['Pain addressed']:.0f})"
        if row["Impact derived"]
        else f"impact {_fmt(impact)}"
    )
    conf = f"{row[Col.CONFIDENCE] * 100:.0f} % confidence"
    effort = f"{_fmt(row[Col.EFFORT])} person-week{'s' if row[Col.EFFORT] != 1 else ''}"
    if method is ScoringMethod.RICE:
        calc = f"{row[Col.REACH]:,.0f} customers x {impact_txt} x {conf} = {_fmt(row[Col.VALUE])}"
    elif method is ScoringMethod.ICE:
        calc = f"ICE of {impact_txt} and {conf} = {_fmt(row[Col.VALUE])}"
    else:
        calc = f"weighted value {_fmt(row[Col.VALUE])} from pain, reach, {impact_txt} and {conf}"
    return f"{fixes}: {calc}, / {effort} = {_fmt(row[Col.SCORE])}; {row[Col.QUADRANT].lower()}."
