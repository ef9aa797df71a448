"""Significance tests from sufficient statistics, with numpy and math only (no scipy).

- `nps_test`: NPS z = (NPS2 - NPS1) / sqrt(SE1^2 + SE2^2), SE = 100 x sqrt((p + d - (p - d)^2) / n)
- `share_test`: two-proportion z test with the pooled share
- `welch_test`: Welch's t test for two means, the Welch-Satterthwaite degrees of freedom
- `holm`: Holm's step-down adjustment of p-values for the number of comparisons

Every test is two-sided and returns (statistic, p). Normal tails come from `math.erfc`; Student's t
tail is the regularized incomplete beta function I_x(a, b), evaluated by its continued fraction
(modified Lentz; Numerical Recipes, section 6.4): p = I_{df / (df + t^2)}(df / 2, 1 / 2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_EPS = 1e-15
_TINY = 1e-300


def normal_p(z: float) -> float:
    """Two-sided p of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (modified Lentz), converging fast for x < (a + 1) / (a + b + 2)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_p(t: float, df: float) -> float:
    """Two-sided p of Student's t with `df` degrees of freedom (df may be fractional)."""
    if math.isinf(t):
        return 0.0
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def _p_from_zero_se(difference: float) -> tuple[float, float]:
    """Both groups without spread: equal values are no change, different ones are certain."""
    if difference == 0:
        return 0.0, 1.0
    return math.copysign(math.inf, difference), 0.0


def share_test(k1: float, n1: float, k2: float, n2: float) -> tuple[float, float]:
    """Two-proportion z test (pooled): z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)), p = (k1 + k2) / (n1 + n2)."""
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    if se == 0:
        return _p_from_zero_se(p2 - p1)
    z = (p2 - p1) / se
    return z, normal_p(z)


def nps_se(promoters: float, detractors: float, n: float) -> float:
    """Standard error of an NPS (in points): 100 x sqrt((p + d - (p - d)^2) / n) with p, d the shares."""
    p, d = promoters / n, detractors / n
    return 100.0 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)


def nps_test(prom1: float, det1: float, n1: float, prom2: float, det2: float, n2: float) -> tuple[float, float]:
    """z = (NPS2 - NPS1) / sqrt(SE1^2 + SE2^2), NPS in points (-100..100)."""
    nps1 = 100.0 * (prom1 - det1) / n1
    nps2 = 100.0 * (prom2 - det2) / n2
    se = math.hypot(nps_se(prom1, det1, n1), nps_se(prom2, det2, n2))
    if se == 0:
        return _p_from_zero_se(nps2 - nps1)
    z = (nps2 - nps1) / se
    return z, normal_p(z)


def welch_test(
    n1: float, mean1: float, var1: float, n2: float, mean2: float, var2: float
) -> tuple[float, float, float]:
    """Welch's t test: t = (m2 - m1) / sqrt(v1/n1 + v2/n2), df by Welch-Satterthwaite. Returns (t, df, p).

    Needs at least 2 answers per group (`var` the sample variance, n - 1 in the denominator).
    """
    a, b = var1 / n1, var2 / n2
    se2 = a + b
    if se2 <= 0:
        t, p = _p_from_zero_se(mean2 - mean1)
        return t, math.inf, p
    t = (mean2 - mean1) / math.sqrt(se2)
    df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    return t, df, t_p(t, df)


def holm(p: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values: sort ascending, p_(i) x (m - i + 1), running maximum, at most 1.

    A comparison is significant at level alpha when its adjusted p is at most alpha; this keeps the chance
    of any false finding among the m comparisons at most alpha, whatever their dependence.
    """
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted
