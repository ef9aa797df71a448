"""Evidence trends: a planted drop is found, nothing else is, and a run without change rarely reports one."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from addin.core import significance as sig
from addin.core.contract import Col, Metric, TrendPeriod
from addin.core.trends import Measure, Period, evidence_by_period, period_table, significant_changes, trend_changes
from addin.core.validation import validate
from tests.builders import raw_workbook
from tests.history.gen import STAGES, evidence_frame, evidence_rows


def test_a_planted_drop_is_significant_and_nothing_else_is() -> None:
    raw = raw_workbook(stages=STAGES, evidence=evidence_rows(seed=7, n=600, drop=("Delivery", 3)))
    journey, _ = validate(raw)
    changes = trend_changes(evidence_by_period(journey.evidence, journey.stages, TrendPeriod.QUARTER))
    assert len(changes) == 4 * 5 * 3 and all(c.tested for c in changes)
    found = significant_changes(changes)
    fall = next(c for c in changes if (c.stage, c.measure, c.before_period.number) == ("Delivery", Measure.CSAT, 2))
    assert fall.significant and fall.after < fall.before
    assert fall in found
    # every significant change is the planted one: Delivery's CSAT (share or mean), into or out of Q3
    for c in found:
        assert c.stage == "Delivery" and c.measure in (Measure.CSAT, Measure.CSAT_MEAN), c.sentence
        assert 3 in (c.before_period.number, c.after_period.number), c.sentence
    assert fall.sentence.startswith("Delivery CSAT fell from 6") and fall.sentence.endswith(
        "from Q2 to Q3 2026 (600 and 600 answers; significant)"
    )


def test_the_period_setting_is_read_and_months_group_by_calendar_month() -> None:
    rows = [
        [dt.date(2026, 1, 31), None, "Buy", None, None, "CSAT", 5, None, None],
        [dt.date(2026, 2, 1), None, "Buy", None, None, "CSAT", 4, None, None],
        ["2026-02-28", None, "Buy", None, None, "CSAT", 1, None, None],
        [None, None, "Buy", None, None, "CSAT", 1, None, None],  # no date: not in any period
    ]
    journey, found = validate(raw_workbook(["Buy"], evidence=rows, settings=[["Trend period", "Month"]]))
    assert not [f for f in found if f.severity == "error"]
    assert journey.settings.trend_period is TrendPeriod.MONTH
    ps = evidence_by_period(journey.evidence, journey.stages, journey.settings.trend_period)
    assert [p.label for p in ps.periods] == ["January 2026", "February 2026"]
    table = period_table(ps)
    assert table.loc[("Buy", "January 2026"), "csat_n"] == 1
    assert table.loc[("Buy", "February 2026"), "csat_value"] == 0.5
    change = next(c for c in trend_changes(ps) if c.measure is Measure.CSAT)
    assert not change.tested and change.sentence == (
        "Buy CSAT fell from 100 % to 50 % from January to February 2026 (1 and 2 answers; too few answers to test)"
    )


def test_periods_across_years_are_named_in_full() -> None:
    frame = pd.DataFrame(
        {
            Col.STAGE: ["Buy"] * 4,
            Col.METRIC: ["NPS"] * 4,
            Col.SCORE: [10.0, 0, 9, 9],
            Col.DATE: pd.to_datetime(["2025-12-01", "2025-11-02", "2026-01-05", "2026-03-31"]),
        }
    )
    ps = evidence_by_period(frame, ["Buy"], TrendPeriod.QUARTER)
    assert ps.periods == [Period(2025, 4, TrendPeriod.QUARTER), Period(2026, 1, TrendPeriod.QUARTER)]
    (change,) = [c for c in trend_changes(ps, min_answers=2) if c.measure is Measure.NPS]
    assert (change.before, change.after) == (0.0, 100.0)
    assert "rose from 0 to 100 from Q4 2025 to Q1 2026 (2 and 2 answers;" in change.sentence


@pytest.mark.slow
def test_without_a_change_fewer_than_5_percent_of_runs_report_one() -> None:
    runs, any_change, any_uncorrected, raw_p = 300, 0, 0, []
    for seed in range(runs):
        changes = trend_changes(evidence_by_period(evidence_frame(seed, n=120), STAGES, TrendPeriod.QUARTER))
        assert len(changes) == 60
        any_change += any(c.significant for c in changes)
        any_uncorrected += any(c.p <= 0.05 for c in changes)
        raw_p += [c.p for c in changes]
    assert any_change / runs < 0.05
    # the tests themselves are calibrated: about 5 % of single comparisons fall below 0.05 ...
    assert 0.035 < np.mean(np.array(raw_p) <= 0.05) < 0.065
    # ... so without Holm's correction nearly every run would report a change
    assert any_uncorrected / runs > 0.8


def test_tails_agree_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats", reason="scipy is the independent check of the t tail")
    special = pytest.importorskip("scipy.special", reason="scipy is the independent check of the beta function")
    for a, b, x in [(0.5, 0.5, 0.3), (10, 0.5, 0.99), (200, 0.5, 0.5), (3.3, 0.5, 1e-3), (2.5, 7, 0.4)]:
        assert sig.betainc(a, b, x) == pytest.approx(special.betainc(a, b, x), rel=1e-10)
    for t, df in [(2.0, 5), (1.96, 1000), (10, 3.5), (0.1, 2), (-3.0, 17.3)]:
        assert sig.t_p(t, df) == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-9)
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, 30), rng.normal(0.6, 2, 50)
    t, df, p = sig.welch_test(len(x), x.mean(), x.var(ddof=1), len(y), y.mean(), y.var(ddof=1))
    ref = stats.ttest_ind(y, x, equal_var=False)
    assert (t, df, p) == pytest.approx((ref.statistic, ref.df, ref.pvalue), rel=1e-9)
    z, p = sig.share_test(40, 100, 55, 100)
    assert p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_holm_steps_down() -> None:
    assert sig.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert sig.holm([0.5, 0.9]) == [1.0, 1.0]
    assert sig.holm([]) == []


def test_groups_without_spread() -> None:
    assert sig.share_test(10, 10, 20, 20) == (0.0, 1.0)
    assert sig.welch_test(5, 3.0, 0.0, 5, 3.0, 0.0)[2] == 1.0
    assert sig.welch_test(5, 3.0, 0.0, 5, 4.0, 0.0)[2] == 0.0
    z, p = sig.nps_test(10, 0, 10, 0, 10, 10)
    assert math.isinf(z) and z < 0 and p == 0.0


def test_nps_z_is_the_formula() -> None:
    # NPS 1: 50 promoters, 20 detractors of 100 = 30; NPS 2: 30 and 30 of 200 = 0
    se1 = 100 * math.sqrt((0.5 + 0.2 - 0.3**2) / 100)
    se2 = 100 * math.sqrt((0.15 + 0.15 - 0.0) / 200)
    z, p = sig.nps_test(50, 20, 100, 30, 30, 200)
    assert z == pytest.approx(-30 / math.hypot(se1, se2))
    assert p == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_no_dates_no_trends() -> None:
    journey, _ = validate(raw_workbook(["Buy"], evidence=[[None, None, "Buy", None, None, "CSAT", 5, None, None]]))
    ps = evidence_by_period(journey.evidence, journey.stages, TrendPeriod.QUARTER)
    assert ps.periods == [] and trend_changes(ps) == []
    assert journey.evidence[Col.METRIC].tolist() == [Metric.CSAT.value]
