"""The two significance tests of the fairness audit, with nothing but :mod:`math`.

- :func:`chi_square_independence`: Pearson's chi-square test of independence on a
  groups x (seated, not seated) table, with its p-value from the chi-square
  distribution (regularised upper incomplete gamma function).
- :func:`fisher_exact`: Fisher's exact test on a 2 x 2 table (one group against the
  rest), two-sided, summing every table at most as likely as the one observed.

>>> round(chi_square_sf(3.841458820694124, 1), 6)
0.05
>>> round(fisher_exact(3, 1, 1, 3), 4)
0.4857
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

__all__ = ["ChiSquare", "chi_square_independence", "chi_square_sf", "fisher_exact"]

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 10_000


def _lower_series(a: float, x: float) -> float:
    # P(a, x) by its power series; converges quickly for x < a + 1.
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_ITERATIONS):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_fraction(a: float, x: float) -> float:
    # Q(a, x) by its continued fraction (modified Lentz); converges for x >= a + 1.
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def chi_square_sf(statistic: float, df: int) -> float:
    """The probability that a chi-square variable with ``df`` degrees exceeds ``statistic``.

    :param statistic: the observed statistic (0 or more).
    :param df: degrees of freedom (1 or more).
    :returns: the upper-tail probability, in [0, 1].
    :raises ValueError: for ``df < 1`` or a negative statistic.
    """
    if df < 1 or statistic < 0 or math.isnan(statistic):
        raise ValueError("chi_square_sf needs df >= 1 and a statistic >= 0")
    a, x = df / 2.0, statistic / 2.0
    if x == 0.0:
        return 1.0
    if x < a + 1.0:
        return min(1.0, max(0.0, 1.0 - _lower_series(a, x)))
    return min(1.0, max(0.0, _upper_fraction(a, x)))


@attrs.frozen(kw_only=True)
class ChiSquare:
    """Pearson's chi-square test of independence of group and outcome.

    :param statistic: the chi-square statistic.
    :param df: degrees of freedom: (groups - 1) for a groups x 2 table.
    :param p_value: the probability of a statistic at least this large if seats went to
        applicants independently of the group.
    :param min_expected: the smallest expected cell count.
    :param reliable: Cochran's rule holds: every expected count is at least 1 and at
        least 80% of them are 5 or more; otherwise prefer the per-group exact tests.
    """

    statistic: float
    df: int
    p_value: float
    min_expected: float
    reliable: bool


def chi_square_independence(table: Sequence[tuple[int, int]]) -> ChiSquare | None:
    """Pearson's chi-square test on rows of (seated, not seated) counts.

    Rows without applicants are left out.

    :param table: one ``(seated, not_seated)`` pair per group.
    :returns: the test, or ``None`` when it is undefined (fewer than two groups, or
        nobody or everybody seated).
    """
    rows = [(a, b) for a, b in table if a + b > 0]
    seated = sum(a for a, _ in rows)
    total = sum(a + b for a, b in rows)
    if len(rows) < 2 or seated in (0, total):
        return None
    columns = (seated, total - seated)
    statistic = 0.0
    expected_counts: list[float] = []
    for row in rows:
        size = row[0] + row[1]
        for observed, column in zip(row, columns, strict=True):
            expected = size * column / total
            expected_counts.append(expected)
            statistic += (observed - expected) ** 2 / expected
    df = len(rows) - 1
    at_least_five = sum(e >= 5 for e in expected_counts) / len(expected_counts)
    smallest = min(expected_counts)
    return ChiSquare(
        statistic=statistic,
        df=df,
        p_value=chi_square_sf(statistic, df),
        min_expected=smallest,
        reliable=smallest >= 1 and at_least_five >= 0.8,
    )


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on ``[[a, b], [c, d]]``.

    Here: ``a`` seated and ``b`` not seated in the group, ``c`` and ``d`` in the rest.
    With the margins fixed, the count ``a`` follows a hypergeometric distribution; the
    p-value sums the probabilities of every table no more likely than the one observed.

    :returns: the p-value, in [0, 1]; 1.0 when a margin is empty.
    :raises ValueError: for a negative count.
    """
    if min(a, b, c, d) < 0:
        raise ValueError("counts must be 0 or more")
    group, seated, total = a + b, a + c, a + b + c + d
    if group in (0, total) or seated in (0, total):
        return 1.0
    base = _log_choose(total, group)
    low, high = max(0, group + seated - total), min(group, seated)

    def log_p(k: int) -> float:
        return _log_choose(seated, k) + _log_choose(total - seated, group - k) - base

    observed = log_p(a)
    # A relative tolerance, so that tables exactly as likely as the observed one count
    # despite rounding (the convention of R's fisher.test).
    cutoff = observed + math.log1p(1e-7)
    p = math.fsum(math.exp(lp) for k in range(low, high + 1) if (lp := log_p(k)) <= cutoff)
    return min(1.0, p)
