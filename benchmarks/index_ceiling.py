"""The ceiling for the word index (issue 11): bracket + letter count + Census frequency, with the
link between index entry and body bar known.

    python benchmarks/index_ceiling.py --trials 60 --seed 7000
    python benchmarks/index_ceiling.py --trials 20 --pages 40      # a denser index

For transcripts made as `samples/transcripts.py` makes them (same testimony, same vocabulary),
each hidden person's surname is ranked among the Census surnames that sort between its visible
index neighbours and have its letter count (what a monospaced body bar gives), by frequency;
a full name among the pairs (first name in its own bracket, surname in its own, total letters
known). Nothing else is used: no index bar widths, no role from a title, no joint evidence over
several bars. `benchmarks/index_accuracy.py` prints what the tool reaches with all of it.

For whole entries hidden (refs too: the `entry` variant), `surname-entry` / `first-entry` give
the ceiling of any method that reads the bracket, letter count, role and Census frequency, even
one told every hidden entry's role and letter count: a bar's word is any hidden entry's of its
class, since nothing of these tells apart two entries of one class (only the widths of the
entry bars, which hold the refs as well, could).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from redact.rank.candidates import load_wordlist
from redact.transcripts.hypotheses import in_brackets


def _bracket(word: str, visible: list[str]) -> tuple[str | None, str | None]:
    below = [v for v in visible if v < word]
    above = [v for v in visible if v > word]
    return (below[-1] if below else None), (above[0] if above else None)


def _rank(order_key: np.ndarray, truth_index: int) -> int:
    """1-based rank of the truth by descending weight (ties count against it)."""
    return int((order_key >= order_key[truth_index]).sum())


def transcript(seed: int, pages: int = 8) -> tuple[list, list[str]]:
    """The hidden people and the visible index words of the transcript `samples/transcripts.py`
    makes from `seed` (its body and index, before any drawing)."""
    import transcripts
    from make_samples import Story

    story = Story(seed)
    body, hidden = transcripts.body_lines(story, random.Random(seed), pages)
    index = transcripts.word_index(body)
    secret = {p.last.lower() for p in hidden} | {p.first.lower() for p in hidden}
    return hidden, sorted(set(index) - secret)


def ranks(hidden: list, visible: list[str]) -> dict[str, dict[str, int | None]]:
    """Per kind of bar, each hidden word's 1-based rank under the ceiling (None: not in the
    lists or outside its bracket). Kinds: surname, first, full (link known), and
    surname-entry, first-entry (whole entries hidden)."""
    first, last = load_wordlist("first"), load_wordlist("surnames")
    out: dict[str, dict[str, int | None]] = {
        "surname": {}, "full": {}, "first": {}, "surname-entry": {}, "first-entry": {}}
    for p in hidden:
        for kind, wl, word in (("surname", last, p.last), ("first", first, p.first)):
            m = in_brackets(wl.lower, [_bracket(word.lower(), visible)]) & (
                np.char.str_len(wl.texts) == len(word))
            hit = np.flatnonzero(m & (wl.texts == word))
            out[kind][word] = (_rank(wl.weights[m], int(np.flatnonzero(wl.texts[m] == word)[0]))
                               if hit.size else None)
        # whole entries hidden (refs too): even knowing every hidden entry's role and letter
        # count, a bar cannot tell apart the entries of its class: its word is any of theirs
        for kind, wl, word, role in (("surname-entry", last, p.last, "last"),
                                     ("first-entry", first, p.first, "first")):
            same = [getattr(q, role) for q in hidden if len(getattr(q, role)) == len(word)]
            texts, weights = [], []
            for other in dict.fromkeys(same):
                m = in_brackets(wl.lower, [_bracket(other.lower(), visible)]) & (
                    np.char.str_len(wl.texts) == len(word))
                if m.any():
                    texts.append(wl.texts[m])
                    weights.append(wl.weights[m] / wl.weights[m].sum() / len(set(same)))
            hit = np.array([], dtype=int)
            if texts:
                texts, weights = np.concatenate(texts), np.concatenate(weights)
                uniq, inv = np.unique(texts, return_inverse=True)
                w = np.bincount(inv.ravel(), weights=weights)
                hit = np.flatnonzero(uniq == word)
            out[kind][word] = _rank(w, int(hit[0])) if hit.size else None
        # a full name: first in its bracket, surname in its own, total letters known
        mf = in_brackets(first.lower, [_bracket(p.first.lower(), visible)])
        ml = in_brackets(last.lower, [_bracket(p.last.lower(), visible)])
        n = len(p.first) + len(p.last)
        fl, fw, ft = np.char.str_len(first.texts[mf]), first.weights[mf], first.texts[mf]
        ll, lw, lt = np.char.str_len(last.texts[ml]), last.weights[ml], last.texts[ml]
        pairs = [(fw[i] * lw[j], ft[i] == p.first and lt[j] == p.last)
                 for i in range(len(ft)) for j in np.flatnonzero(ll == n - fl[i])]
        full = f"{p.first} {p.last}"
        if pairs and any(t for _, t in pairs):
            w = np.array([x for x, _ in pairs])
            out["full"][full] = _rank(w, next(k for k, (_, t) in enumerate(pairs) if t))
        else:
            out["full"][full] = None
    return out


def trial(seed: int, pages: int = 8) -> dict[str, list[int | None]]:
    """Each hidden person's rank per kind, on the transcript made from `seed`."""
    return {kind: list(rs.values()) for kind, rs in ranks(*transcript(seed, pages)).items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7000)
    ap.add_argument("--pages", type=int, default=8, help="pages of testimony, as in "
                    "benchmarks/index_accuracy.py")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    ranks = {"surname": [], "first": [], "full": [], "surname-entry": [], "first-entry": []}
    for t in range(args.trials):
        for kind, rs in trial(args.seed + t, args.pages).items():
            ranks[kind] += rs
    summary = {k: {"n": len(rs), "top1": round(sum(r == 1 for r in rs) / len(rs), 3),
                   "top10": round(sum(r is not None and r <= 10 for r in rs) / len(rs), 3)}
               for k, rs in ranks.items()}
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        for k, s in summary.items():
            how = ("(whole entries hidden: bracket + letter count + Census, every hidden entry's "
                   "role and letter count known, not which of a class is the bar's)"
                   if k.endswith("-entry") else
                   "(bracket + letter count + Census frequency, link known)")
            print(f"{k:14s} n {s['n']:4d}  top-1 {s['top1']:.0%}  top-10 {s['top10']:.0%}  {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
