"""Robust statistics over short sequences of floats: what a line's or a document's spacing
measures, with the few values far off (a kerned pair, a tab, the glyphs beside a bar) left out.
Plain Python: a line's worth of values costs less to sort than to hand to numpy."""
from __future__ import annotations


def median(x) -> float:
    """The median of a short sequence (numpy's costs more to call than to sort a line's
    worth of values)."""
    v = sorted(float(e) for e in x)
    n = len(v)
    if not n:
        return float("nan")
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def robust_sd(x) -> float:
    """The spread of a normal sample with the same median absolute deviation."""
    if len(x) < 2:
        return 0.0
    m = median(x)
    return 1.4826 * median([abs(float(e) - m) for e in x])


def robust_mean(x, k: float = 3.0) -> float:
    """The mean of the values within `k` robust spreads of the median (0 for none). What a word
    of n glyphs accumulates is n times the mean extra; on a 600 dpi grid the extras take a few
    discrete values, and their median sits a fraction of a step off the mean. The values far
    off (a kerned pair, the glyphs beside a bar) are left out."""
    if not len(x):
        return 0.0
    m, sd = median(x), robust_sd(x)
    near = [float(e) for e in x if abs(float(e) - m) <= k * max(sd, 1e-3)]
    return sum(near) / len(near)
