"""The README's worked example for trends, Holm and key drivers, number by number."""

from __future__ import annotations

import math

import numpy as np
import pytest

from addin.core import significance as sig
from addin.core.contract import TrendPeriod
from addin.core.drivers import lmg, subset_r2
from addin.core.evidence import METRICS
from addin.core.trends import Measure, Period, PeriodStats, trend_changes


def test_csat_share() -> None:
    assert round(264 / 412, 4) == 0.6408 and round(198 / 388, 4) == 0.5103
    assert 462 / 800 == 0.5775
    z, p = sig.share_test(264, 412, 198, 388)
    assert z == pytest.approx((198 / 388 - 264 / 412) / math.sqrt(0.5775 * 0.4225 * (1 / 412 + 1 / 388)))
    assert round(z, 3) == -3.734 and f"{p:.3g}" == "0.000189"


def test_nps() -> None:
    assert round(sig.nps_se(90, 40, 200), 3) == 5.420
    assert round(sig.nps_se(60, 54, 180), 3) == 5.927
    z, p = sig.nps_test(90, 40, 200, 60, 54, 180)
    assert round(z, 3) == -2.698 and f"{p:.3g}" == "0.00698"


def test_ces_welch() -> None:
    t, df, p = sig.welch_test(150, 3.10, 1.44, 120, 3.55, 2.25)
    assert round(t, 3) == 2.673 and round(df, 2) == 224.95 and f"{p:.3g}" == "0.00808"


def test_holm_and_the_sentence() -> None:
    p = [sig.share_test(264, 412, 198, 388)[1], sig.nps_test(90, 40, 200, 60, 54, 180)[1]]
    p.append(sig.welch_test(150, 3.10, 1.44, 120, 3.55, 2.25)[2])
    adjusted = sig.holm(p)
    assert [f"{a:.3g}" for a in adjusted] == ["0.000566", "0.014", "0.014"]
    assert round(adjusted[1], 5) == 0.01396
    # the same three comparisons from sufficient statistics, through trend_changes
    stats = np.zeros((1, 2, len(METRICS), 6))
    csat, nps, ces = (METRICS.index(m) for m in ("CSAT", "NPS", "CES"))
    stats[0, 0, csat] = [412, 0, 0, 264, 0, 0]
    stats[0, 1, csat] = [388, 0, 0, 198, 0, 0]
    stats[0, 0, nps] = [200, 0, 0, 0, 90, 40]
    stats[0, 1, nps] = [180, 0, 0, 0, 60, 54]
    for period, (n, mean, var) in enumerate([(150, 3.10, 1.44), (120, 3.55, 2.25)]):
        stats[0, period, ces] = [n, n * mean, var * (n - 1) + n * mean * mean, 0, 0, 0]
    periods = [Period(2026, 2, TrendPeriod.QUARTER), Period(2026, 3, TrendPeriod.QUARTER)]
    changes = trend_changes(PeriodStats(["Delivery"], periods, stats))
    tested = {c.measure: c for c in changes if c.tested}
    assert [tested[m].p for m in (Measure.CSAT, Measure.NPS, Measure.CES)] == pytest.approx(p)
    # (the CSAT mean is a fourth comparison here, without sums: both means 0, p = 1; Holm counts it too)
    assert tested[Measure.CSAT_MEAN].p == 1.0
    assert [c.p_adjusted for c in tested.values()] == pytest.approx(sig.holm([c.p for c in tested.values()]))
    assert all(tested[m].significant for m in (Measure.CSAT, Measure.NPS, Measure.CES))
    assert tested[Measure.CSAT].sentence == (
        "Delivery CSAT fell from 64 % to 51 % from Q2 to Q3 2026 (412 and 388 answers; significant)"
    )


def _with_correlations(corr: np.ndarray, n: int = 500) -> np.ndarray:
    """Data whose sample correlation matrix is exactly `corr`."""
    z = np.random.default_rng(0).normal(size=(n, len(corr)))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False)).T)
    return z @ np.linalg.cholesky(corr).T


def test_lmg_two_stages() -> None:
    # columns: NPS, Buy, Delivery
    data = _with_correlations(np.array([[1, 0.6, 0.4], [0.6, 1, 0.5], [0.4, 0.5, 1]]))
    y, x = data[:, 0], data[:, 1:]
    r2 = subset_r2(x, y)
    assert r2[0b01] == pytest.approx(0.36) and r2[0b10] == pytest.approx(0.16)
    assert r2[0b11] == pytest.approx((0.36 + 0.16 - 2 * 0.6 * 0.4 * 0.5) / (1 - 0.25)) and round(r2[0b11], 4) == 0.3733
    buy, delivery = lmg(x, y)
    assert round(buy, 4) == 0.2867 and round(delivery, 4) == 0.0867
    assert round(100 * buy / (buy + delivery)) == 77 and round(100 * delivery / (buy + delivery)) == 23
