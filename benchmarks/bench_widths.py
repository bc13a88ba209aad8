"""Width engine speed, measured side by side in one run.

    python benchmarks/bench_widths.py            # a table
    python benchmarks/bench_widths.py --json     # one JSON line

- `candidates_per_s`: the Census surnames (88,799) measured by the engine in `redact.pdf.fonts`:
  the list is encoded once as indices into its own alphabet (`encode_once_s`, font-independent,
  cached with the list); per font, a table of advance + pair kerning over that alphabet is built
  and every width is one look-up per adjacent glyph pair, summed (numpy).
- `naive_per_s`: the same widths from a per-candidate Python loop over fontTools metrics
  (cmap, hmtx, a kerning-pair dict), on a slice of the list.
- `full_name_join_s`: one bar of a committed sample that hides a full name, ranked over every
  Census first name x surname pair (5,163 x 88,799 = 458 million) by the sorted-width join, with
  the lists already measured in the document's font (as they are after the first bar).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def engine_metrics():
    from redact.pdf.fonts import KERN_CHARS, FontMetrics, _font_file_advances, kerning_pairs

    with open(FONT, "rb") as fh:
        kern = kerning_pairs(fh.read(), KERN_CHARS)
    return FontMetrics("LiberationSerif", "embedded", _font_file_advances(FONT), kern_em=kern)


def naive_widths(texts) -> list[float]:
    """The obvious loop: per candidate, per character, fontTools look-ups."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    upem = font["head"].unitsPerEm
    kern = {(cmap[ord(a)], cmap[ord(b)]): v for (a, b), v in engine_metrics().kern_em.items()
            if ord(a) in cmap and ord(b) in cmap}
    out = []
    for text in texts:
        glyphs = [cmap.get(ord(ch)) for ch in text]
        if None in glyphs:
            out.append(float("nan"))
            continue
        w = sum(hmtx[g][0] for g in glyphs) / upem
        w += sum(kern.get((a, b), 0.0) for a, b in zip(glyphs, glyphs[1:]))
        out.append(w)
    return out


def full_name_join_s() -> tuple[float, int]:
    import redact

    key = json.loads((ROOT / "samples" / "reportlab-serif.json").read_text())["redactions"]
    doc = redact.open(ROOT / "samples" / "reportlab-serif.pdf")
    bar = next(r for r, k in zip(doc.redactions, key) if k["kind"] == "full"
               and not r.gap.separators)
    bar.guess(top=10)  # measures the lists in this font once, as any first bar does
    t = time.perf_counter()
    ranking = bar.guess(top=10)
    return time.perf_counter() - t, ranking.considered


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--naive-n", type=int, default=20_000)
    args = ap.parse_args(argv)
    from redact.pdf.fonts import encode_pairs
    from redact.rank.candidates import load_wordlist

    texts = load_wordlist("surnames").texts
    metrics = engine_metrics()
    t = time.perf_counter()
    enc = encode_pairs(texts)  # once per list, whatever the font
    encode_s = time.perf_counter() - t
    best = float("inf")
    for _ in range(5):  # per font: the pair table, then one look-up per glyph pair
        t = time.perf_counter()
        fast = metrics.measure_em(enc, kerning=True)
        best = min(best, time.perf_counter() - t)
    t = time.perf_counter()
    slow = naive_widths(texts[:args.naive_n])
    naive_s = time.perf_counter() - t
    agree = float(np.nanmax(np.abs(np.asarray(slow) - fast[:args.naive_n])))
    join_s, pairs = full_name_join_s()
    out = {"candidates": len(texts), "encode_once_s": round(encode_s, 4),
           "candidates_per_s": round(len(texts) / best),
           "naive_per_s": round(args.naive_n / naive_s),
           "ratio_vs_naive": round((len(texts) / best) / (args.naive_n / naive_s), 1),
           "max_width_difference_em": agree, "full_name_join_s": round(join_s, 3),
           "full_name_pairs_in_window": pairs}
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:28s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
