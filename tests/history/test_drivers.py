"""Key drivers: LMG shares recover a planted order of stage importance; too few respondents say so."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from addin.core.contract import Col
from addin.core.drivers import BOOTSTRAP, MIN_RESPONDENTS, key_drivers, lmg
from addin.core.validation import validate
from tests.builders import raw_workbook
from tests.history.gen import respondents

WEIGHTS = {"Browse": 0.2, "Buy": 1.6, "Delivery": 0.9, "Support": 0.5}


def test_key_drivers_recover_the_planted_order() -> None:
    result = key_drivers(respondents(seed=3, n=400, weights=WEIGHTS), list(WEIGHTS))
    assert result.enough and result.outcome == "NPS" and result.n == 400
    order = [d.stage for d in sorted(result.drivers, key=lambda d: -d.importance)]
    assert order == ["Buy", "Delivery", "Support", "Browse"]
    assert sum(d.importance for d in result.drivers) == pytest.approx(1.0)
    assert sum(d.r2_part for d in result.drivers) == pytest.approx(result.r2)
    for d in result.drivers:
        assert d.low <= d.importance <= d.high
    buy = next(d for d in result.drivers if d.stage == "Buy")
    browse = next(d for d in result.drivers if d.stage == "Browse")
    assert browse.high < buy.low  # the intervals separate the strongest from the weakest
    assert result.sentences[0].startswith("Buy explains ")


def test_the_order_is_recovered_over_seeds() -> None:
    for seed in range(5):
        result = key_drivers(respondents(seed=seed, n=300, weights=WEIGHTS), list(WEIGHTS))
        assert [d.stage for d in sorted(result.drivers, key=lambda d: -d.importance)][:2] == ["Buy", "Delivery"]


def test_lmg_is_the_average_over_orderings() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4))
    x[:, 1] += 0.7 * x[:, 0]  # correlated stages: where LMG differs from squared correlations
    y = x @ np.array([1.0, 0.5, 0.2, 0.0]) + rng.normal(size=120)

    def r2(cols: list[int]) -> float:
        if not cols:
            return 0.0
        design = np.column_stack([np.ones(len(y)), x[:, cols]])
        residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        return 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))

    orderings = list(itertools.permutations(range(4)))
    brute = np.zeros(4)
    for order in orderings:
        for i, j in enumerate(order):
            brute[j] += r2(list(order[: i + 1])) - r2(list(order[:i]))
    assert lmg(x, y) == pytest.approx(brute / len(orderings), abs=1e-9)
    assert lmg(x, y).sum() == pytest.approx(r2([0, 1, 2, 3]), abs=1e-9)


def test_a_stage_without_spread_or_a_copy_of_another_is_handled() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(80, 3))
    x[:, 1] = 4.0  # everyone gave the same answer
    x = np.column_stack([x, 2 * x[:, 0]])  # an exact copy of stage 0
    y = x[:, 0] + rng.normal(size=80)
    parts = lmg(x, y)
    assert parts[1] == pytest.approx(0.0, abs=1e-9)
    assert parts[0] == pytest.approx(parts[3], abs=1e-6)  # the copy shares the credit equally


def test_not_enough_respondents() -> None:
    few = respondents(seed=1, n=MIN_RESPONDENTS - 1, weights=WEIGHTS)
    result = key_drivers(few, list(WEIGHTS))
    assert not result.enough and result.drivers == []
    assert result.sentences == [
        "Key drivers: not enough respondents. They need at least 30 respondents with NPS and a CSAT answer "
        "at every stage analysed; there are 29."
    ]


def test_complete_cases_and_stages_most_respondents_skipped() -> None:
    frame = respondents(seed=2, n=200, weights=WEIGHTS)
    # 60 respondents skipped Support: they are left out; a stage only 10 answered is left out instead
    skip = frame[Col.RESPONDENT].isin([f"r{i}" for i in range(60)]) & (frame[Col.STAGE] == "Support")
    skip &= frame[Col.METRIC] == "CSAT"
    extra = pd.DataFrame(
        {Col.STAGE: "Returns", Col.METRIC: "CSAT", Col.SCORE: 3.0, Col.RESPONDENT: [f"r{i}" for i in range(10)]}
    )
    result = key_drivers(pd.concat([frame[~skip], extra]), [*WEIGHTS, "Returns"])
    assert result.n == 140 and result.left_out == ["Returns"]
    assert [d.stage for d in result.drivers] == list(WEIGHTS)
    assert result.sentences[-1] == "Returns is left out: fewer than half of the respondents answered CSAT there"


def test_overall_csat_when_nobody_gave_nps_and_respondents_come_from_the_sheet() -> None:
    rng = np.random.default_rng(5)
    rows = [
        [None, None, stage, None, None, "CSAT", int(rng.integers(1, 6)), None, 1000 + r]
        for r in range(40)
        for stage in ("Buy", "Use")
    ]
    journey, _ = validate(raw_workbook(["Buy", "Use"], evidence=rows))
    assert journey.evidence[Col.RESPONDENT].iloc[0] == "1000"
    result = key_drivers(journey.evidence, journey.stages)
    assert result.enough and result.outcome == "overall CSAT" and result.n == 40
    assert sum(d.importance for d in result.drivers) == pytest.approx(1.0)
    assert BOOTSTRAP == 200


def test_blank_respondents_mean_no_drivers() -> None:
    journey, _ = validate(raw_workbook(["Buy"], evidence=[[None, None, "Buy", None, None, "CSAT", 5, None]]))
    assert journey.evidence[Col.RESPONDENT].isna().all()
    assert not key_drivers(journey.evidence, journey.stages).enough
