"""Answer labels of the common scales decode to the contract's scores; anything else is reported."""

from __future__ import annotations

import pandas as pd
import pytest

from addin.core.contract import METRIC_SCALE, Metric
from addin.core.sources.labels import DEFAULT_SCALES, SCALE_LABELS, LabelsError, default_labels, parse_labels


@pytest.mark.parametrize(
    ("metric", "answer", "score"),
    [
        (Metric.NPS, "9 - Extremely likely", 9),
        (Metric.NPS, "10 (Extremely likely)", 10),
        (Metric.NPS, "Extremely likely", 10),
        (Metric.NPS, "0 - Not at all likely", 0),
        (Metric.NPS, "  not at all LIKELY. ", 0),
        (Metric.NPS, 7, 7),
        (Metric.CSAT, "Very satisfied", 5),
        (Metric.CSAT, "Neither satisfied nor dissatisfied", 3),
        (Metric.CSAT, "Agree", 4),
        (Metric.CSAT, "5 - Very satisfied", 5),
        (Metric.CES, "Very easy", 1),
        (Metric.CES, "Somewhat difficult", 5),
        (Metric.EMOTION, "Very negative", -2),
        (Metric.EMOTION, "-1", -1),
    ],
)
def test_common_labels(metric: Metric, answer: object, score: float) -> None:
    scores, unknown = default_labels(metric).decode(pd.Series([answer], dtype=object), metric)
    assert unknown == {} and scores.tolist() == [score]


@pytest.mark.parametrize(
    ("metric", "answer"),
    [(Metric.NPS, "11"), (Metric.CSAT, "Kinda"), (Metric.CSAT, "0"), (Metric.CES, "8 - Hard"), (Metric.NPS, "-1")],
)
def test_answers_off_the_scale_are_unknown_with_their_first_position(metric: Metric, answer: str) -> None:
    answers = pd.Series(["3", None, answer, answer], dtype=object)
    scores, unknown = default_labels(metric).decode(answers, metric)
    assert unknown == {answer: 2}
    assert pd.isna(scores[1]) and pd.isna(scores[2]) and pd.isna(scores[3])


def test_every_known_label_is_on_its_metrics_scale() -> None:
    for metric, scales in DEFAULT_SCALES.items():
        low, high = METRIC_SCALE[metric]
        for scale in scales:
            assert all(low <= v <= high for v in SCALE_LABELS[scale].values()), scale


def test_own_labels_win_over_a_named_scale() -> None:
    labels = parse_labels("satisfaction-5; Loved it = 5; Satisfied=3", Metric.CSAT)
    scores, unknown = labels.decode(pd.Series(["loved it", "Satisfied", "Very dissatisfied"]), Metric.CSAT)
    assert scores.tolist() == [5, 3, 1] and unknown == {}


@pytest.mark.parametrize("text", ["likert-9", "Loved it=lots"])
def test_unreadable_labels_say_what_to_write(text: str) -> None:
    with pytest.raises(LabelsError, match=r"label=score|known scale"):
        parse_labels(text, Metric.CSAT)
