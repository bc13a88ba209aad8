"""Does the width model's error grow with the number of glyphs? The document's own visible words,
each hidden in turn and measured as a bar (as `redact calibrate` does), grouped by length: the
robust spread and the median (bias) of gap - predicted width per group.

    python benchmarks/calibration_by_length.py samples/libreoffice-*.pdf samples/pdftex-*.pdf

The ranking uses one sigma per font (the calibration's spread, at least) and subtracts the
calibration's bias; this shows whether a sigma growing with the glyph count would fit better.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redact  # noqa: E402
from redact.measure.gaps import calibration_gaps, robust_sd
from redact.measure.widths import predict_width

GROUPS = ((1, 3), (4, 5), (6, 7), (8, 9), (10, 40))


def by_length(pdf: Path, per_font: int = 2000) -> dict:
    doc = redact.open(pdf, require_bars=False)
    res, n = [], []
    for gap, word in calibration_gaps(doc.layout, set(doc.metrics), per_font=per_font):
        pred = predict_width(gap, doc.metrics[gap.font], [word], 1.0, doc.kerning[gap.font])[0]
        if np.isfinite(pred):
            res.append(gap.width_pt - pred)
            n.append(len(word))
    res, n = np.array(res), np.array(n)
    rows = []
    for lo, hi in GROUPS:
        inside = (n >= lo) & (n <= hi)
        if inside.sum() >= 5:
            rows.append({"glyphs": f"{lo}-{hi}", "words": int(inside.sum()),
                         "sigma_pt": round(robust_sd(res[inside]), 4),
                         "bias_pt": round(float(np.median(res[inside])), 4)})
    return {"file": str(pdf), "words": len(res), "groups": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out = [by_length(p) for p in args.pdfs]
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for r in out:
        print(f"{r['file']}: {r['words']} words")
        for g in r["groups"]:
            print(f"  {g['glyphs']:>6} glyphs: n {g['words']:4d}  sigma {g['sigma_pt']:.4f} pt  "
                  f"bias {g['bias_pt']:+.4f} pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
