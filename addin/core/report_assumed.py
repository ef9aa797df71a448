"""What the output sheets say about results that rest on assumed Severity or Frequency (`PainPoint.assumed`):
one sentence for the Heatmap and the Dashboard, and a mark next to each pain point on Priorities."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from addin.core.contract import Col, Sheet
from addin.core.results import PainPoint, Results
from addin.core.words import counted

ASSUMED_MARK: Final = "*"
"""Put after a pain point's ID on Priorities when its Severity or Frequency is assumed."""
MARK_MEANING: Final = (
    f"{ASSUMED_MARK} after a pain point: its Severity or Frequency is assumed, not rated, and the score rests on "
    f"it. Rate it on {Sheet.PAIN_POINTS.value}, or clear its Confirm cell on the {Sheet.IMPORT.value} sheet if "
    "the value is right."
)


def _level(pains: list[PainPoint], col: str) -> str:
    """ "an assumed Severity (3)": the value when all of them have the same one."""
    values = {p.severity if col == Col.SEVERITY.value else p.frequency for p in pains}
    return f"{col} ({values.pop()})" if len(values) == 1 else col


def assumed_sentence(a: Results) -> str | None:
    """ "12 of 15 pain points have an assumed Severity (3): confirm them on PainPoints." (None: nothing assumed)."""
    by_col = {col: [p for p in a.pain_points if col in p.assumed] for col in (Col.SEVERITY.value, Col.FREQUENCY.value)}
    by_col = {col: pains for col, pains in by_col.items() if pains}
    if not by_col:
        return None
    total = counted(len(a.pain_points), "pain point")
    (first, pains), *rest = by_col.items()
    verb = "has" if len(pains) == 1 else "have"
    text = f"{len(pains):,} of {total} {verb} an assumed {_level(pains, first)}"
    for col, more in rest:
        if [p.id for p in more] == [p.id for p in pains]:
            text += f" and {_level(more, col)}"
        else:
            text += f", {len(more):,} an assumed {_level(more, col)}"
    return f"{text}: the scores rest on it; confirm them on {Sheet.PAIN_POINTS.value}."


def marked(ids: Iterable[str], assumed: Iterable[str]) -> str:
    """Pain-point IDs joined with ", ", each assumed one marked: "P01*, P02"."""
    rest = set(assumed)
    return ", ".join(f"{pid}{ASSUMED_MARK}" if pid in rest else pid for pid in ids)
