"""How often can width alone put the hidden name in the top 10? A simulated ceiling.

Names are drawn from the shipped Census lists by their own frequencies (as the samples draw
them), their widths computed exactly in one font and blurred by a Gaussian of sigma, and ranked
by the exact posterior (Census prior x width likelihood): the best any ranker with these priors
can do at that sigma. No PDF is involved: this bounds the accuracy targets, it does not test
the tool.

    python benchmarks/ceiling.py                 # Liberation Serif 11 pt, sigma 0.005/0.015/0.06
    python benchmarks/ceiling.py --json --trials 2000

Scenarios: a surname alone; a first name alone; a "First Last" bar alone; and the linked case
(the person named in full at one bar and as "Mr. Last" at another, the link known): the full
name and the surname ranked on both bars jointly.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redact.pdf.fonts import FontMetrics, _font_file_advances, system_fonts
from redact.rank import candidates as cand


def font_widths(family: str, size: float):
    path = next(f[4] for f in system_fonts() if f[0] == family and not f[1] and not f[2])
    adv = _font_file_advances(path)
    m = FontMetrics(family, "file", adv)
    first, surnames = cand.load_wordlist("first"), cand.load_wordlist("surnames")
    wf = m.measure_em(first.encoded) * size
    ws = m.measure_em(surnames.encoded) * size
    return first, surnames, wf, ws, adv[" "] * size


def _top10(score: np.ndarray, true: int) -> bool:
    return bool((score > score[true]).sum() < 10)


def _pairs(target_f: np.ndarray, ws_sorted: np.ndarray, half: float):
    """(first index, sorted-surname index) of every pair within `half` of the full bar, by a
    sorted-width join: `target_f` is the surname width each first name leaves."""
    lo = np.searchsorted(ws_sorted, target_f - half)
    c = np.searchsorted(ws_sorted, target_f + half) - lo
    ii = np.repeat(np.arange(len(target_f)), c)
    jj = lo[ii] + np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
    return ii, jj


def simulate(trials: int, sigma: float, family: str = "liberationserif", size: float = 11.0,
             seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    first, surnames, wf, ws, space = font_widths(family, size)
    okf, oks = np.isfinite(wf), np.isfinite(ws)
    lpf = np.where(okf, first.log_prior, -np.inf)
    lps = np.where(oks, surnames.log_prior, -np.inf)
    pf = np.exp(lpf) / np.exp(lpf).sum()
    ps = np.exp(lps) / np.exp(lps).sum()
    hits = dict.fromkeys(["surname", "first", "full", "full_linked", "surname_linked"], 0)
    order_s = np.flatnonzero(oks)[np.argsort(ws[oks])]
    ws_sorted = ws[order_s]
    fi_ok = np.flatnonzero(okf)
    for _ in range(trials):
        F = rng.choice(len(first), p=pf)
        S = rng.choice(len(surnames), p=ps)
        w_s = ws[S] + rng.normal(0, sigma)  # a title bar: the surname alone
        w_f = wf[F] + rng.normal(0, sigma)  # a first-name bar
        w_full = wf[F] + space + ws[S] + rng.normal(0, sigma)  # a full-name bar
        ll_s = np.where(oks, -0.5 * ((w_s - ws) / sigma) ** 2, -np.inf)
        hits["surname"] += _top10(ll_s + lps, S)
        hits["first"] += _top10(np.where(okf, -0.5 * ((w_f - wf) / sigma) ** 2 + lpf, -np.inf), F)
        ii, jj = _pairs(w_full - space - wf[fi_ok], ws_sorted, 6 * sigma)
        f_idx, s_idx = fi_ok[ii], order_s[jj]
        pair = lpf[f_idx] + lps[s_idx] - 0.5 * ((w_full - space - wf[f_idx] - ws[s_idx]) / sigma) ** 2
        true = np.flatnonzero((f_idx == F) & (s_idx == S))
        if true.size:
            hits["full"] += _top10(pair, true[0])
            hits["full_linked"] += _top10(pair + ll_s[s_idx], true[0])
        # a surname's evidence from the full bar: its pairs summed over first names
        m = float((pair - lps[s_idx]).max())
        acc = np.bincount(s_idx, np.exp(pair - lps[s_idx] - m), minlength=len(surnames))
        with np.errstate(divide="ignore"):
            full_ll = np.log(acc) + m
        hits["surname_linked"] += _top10(ll_s + lps + full_ll, S)
    return {"sigma_pt": sigma, "trials": trials, "font": family, "size_pt": size,
            **{f"{k}_top10": round(v / trials, 3) for k, v in hits.items()}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=500)
    ap.add_argument("--sigma", type=float, nargs="*", default=[0.005, 0.015, 0.06])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = [simulate(args.trials, s) for s in args.sigma]
    for row in rows:
        print(json.dumps(row) if args.json else
              "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
