"""Answer labels to scores: the common survey scales, and the user's own list of labels.

A label is matched the way a person reads it: case, spaces and end punctuation do not count, and a
label that starts with its number ("9 - Extremely likely", "10 (Extremely likely)") is that number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from addin.core.contract import METRIC_SCALE, Metric


class Scale(StrEnum):
    """The answer scales whose labels the add-in knows, by the name a user writes in `Labels`."""

    NPS = "nps-0-10"
    SATISFACTION = "satisfaction-5"
    AGREEMENT_5 = "agreement-5"
    EASE = "ease-7"
    AGREEMENT_EASY = "agreement-7-easy"
    EMOTION = "emotion-5"


SCALE_LABELS: dict[Scale, dict[str, float]] = {
    Scale.NPS: {
        "not at all likely": 0,
        "not likely at all": 0,
        "extremely unlikely": 0,
        "extremely likely": 10,
    },
    Scale.SATISFACTION: {
        "very dissatisfied": 1,
        "extremely dissatisfied": 1,
        "dissatisfied": 2,
        "somewhat dissatisfied": 2,
        "neither satisfied nor dissatisfied": 3,
        "neutral": 3,
        "somewhat satisfied": 4,
        "satisfied": 4,
        "very satisfied": 5,
        "extremely satisfied": 5,
    },
    Scale.AGREEMENT_5: {
        "strongly disagree": 1,
        "disagree": 2,
        "neither agree nor disagree": 3,
        "neutral": 3,
        "agree": 4,
        "strongly agree": 5,
    },
    Scale.EASE: {
        "very easy": 1,
        "extremely easy": 1,
        "easy": 2,
        "somewhat easy": 3,
        "neither easy nor difficult": 4,
        "neutral": 4,
        "somewhat difficult": 5,
        "difficult": 6,
        "very difficult": 7,
        "extremely difficult": 7,
    },
    Scale.AGREEMENT_EASY: {
        "strongly agree": 1,
        "agree": 2,
        "somewhat agree": 3,
        "neither agree nor disagree": 4,
        "neutral": 4,
        "somewhat disagree": 5,
        "disagree": 6,
        "strongly disagree": 7,
    },
    Scale.EMOTION: {
        "very negative": -2,
        "very unhappy": -2,
        "negative": -1,
        "unhappy": -1,
        "neutral": 0,
        "positive": 1,
        "happy": 1,
        "very positive": 2,
        "very happy": 2,
    },
}
"""Label -> score of each scale, labels written as `label_key` leaves them.

CES runs from 1 (least effort) to 7, as the contract has it: `ease-7` puts Very easy at 1, and
`agreement-7-easy` is for a statement that says the task was easy ("Strongly agree" = 1)."""

DEFAULT_SCALES: dict[Metric, tuple[Scale, ...]] = {
    Metric.NPS: (Scale.NPS,),
    Metric.CSAT: (Scale.SATISFACTION, Scale.AGREEMENT_5),
    Metric.CES: (Scale.EASE,),
    Metric.EMOTION: (Scale.EMOTION,),
}
"""The scales tried, in order, for a metric whose source names no `Labels`."""

_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–—:=(]|$))")
_END_PUNCTUATION = " .!?;:,\"'()[]"


def label_key(label: object) -> str:
    """How a label is compared: case-folded, spaces folded, end punctuation dropped."""
    return " ".join(str(label).split()).casefold().strip(_END_PUNCTUATION)


class LabelsError(ValueError):
    """A `Labels` cell that cannot be read; its message says what to write instead."""


@dataclass(frozen=True)
class Labels:
    """How one question's answers become scores: label -> score (numbers on the scale count as they are).

    `description` completes "the answer 'x' is neither ..." in a finding."""

    scores: Mapping[str, float]
    description: str

    def decode(self, answers: pd.Series, metric: Metric) -> tuple[np.ndarray, dict[str, int]]:
        """Score per answer (NaN where blank or unknown) and the unknown answers with their first position.

        A number (or a label starting with one) inside the metric's scale is taken as is; a number
        outside it counts as unknown. Each distinct answer is looked at once.
        """
        low, high = METRIC_SCALE[metric]
        codes, found = pd.factorize(answers, sort=False)
        uniques = list(found)
        table = np.full(len(uniques) + 1, np.nan)
        unknown: dict[str, int] = {}
        for i, value in enumerate(uniques):
            score = self._score(value, low, high)
            if score is None:
                if str(value).strip():
                    unknown[str(value)] = -1
            else:
                table[i] = score
        scores = table[codes]
        if unknown:
            first = {}
            for position, code in enumerate(codes):
                if code >= 0:
                    text = str(uniques[code])
                    if text in unknown and text not in first:
                        first[text] = position
                        if len(first) == len(unknown):
                            break
            unknown = first
        return scores, unknown

    def _score(self, value: object, low: float, high: float) -> float | None:
        if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
            number = float(value)
            if np.isnan(number):
                return None
            return number if low <= number <= high else None
        text = str(value)
        if not text.strip():
            return None
        key = label_key(text)
        if key in self.scores:
            return float(self.scores[key])
        match = _LEADING_NUMBER.match(text)
        if match:
            number = float(match.group(1).replace(",", "."))
            return number if low <= number <= high else None
        return None


def default_labels(metric: Metric) -> Labels:
    """The labels of the metric's common scales (see `DEFAULT_SCALES`)."""
    scores: dict[str, float] = {}
    for scale in reversed(DEFAULT_SCALES[metric]):
        scores.update(SCALE_LABELS[scale])
    names = " or ".join(s.value for s in DEFAULT_SCALES[metric])
    return Labels(scores, f"{_scale_words(metric)} nor a label of {names}")


def _scale_words(metric: Metric) -> str:
    low, high = METRIC_SCALE[metric]
    return f"a number on the {metric.value} scale ({low:g} to {high:g})"


def parse_labels(text: str, metric: Metric) -> Labels:
    """The `Labels` cell of an EvidenceSources row: blank, a scale name, or `label=score; ...`.

    Blank gives the metric's default scales. A scale name and explicit pairs may be mixed
    ("satisfaction-5; Loved it=5"): the pairs win.
    """
    if not text or not str(text).strip():
        return default_labels(metric)
    scores: dict[str, float] = {}
    explicit: dict[str, float] = {}
    names = []
    parts = [p for p in re.split(r"[;\n]", str(text)) if p.strip()]
    for part in parts:
        if "=" in part:
            label, _, number = part.rpartition("=")
            try:
                explicit[label_key(label)] = float(number.strip().replace(",", "."))
            except ValueError:
                raise LabelsError(
                    f"'{part.strip()}' gives no number after '='; write label=score, e.g. 'Very satisfied=5'"
                ) from None
            continue
        name = part.strip().casefold()
        scale = next((s for s in Scale if s.value == name), None)
        if scale is None:
            known = ", ".join(s.value for s in Scale)
            raise LabelsError(f"'{part.strip()}' is not a known scale ({known}) nor a label=score pair")
        scores.update(SCALE_LABELS[scale])
        names.append(scale.value)
    scores.update(explicit)
    said = [f"a label of {n}" for n in names] + (["one of this row's own labels"] if explicit else [])
    return Labels(scores, f"{_scale_words(metric)} nor " + " or ".join(said))
