"""How long `guess` takes over every bar of a long transcript whose index entries are hidden
whole (issue 26: 100 pages in under 30 s, 400 pages under 2 minutes, on one core).

    python benchmarks/index_speed.py                  # 100 and 400 pages
    python benchmarks/index_speed.py --pages 100 --layout veritext

A fresh transcript (`samples/transcripts.py`, reportlab, whole entries hidden) of each length
is made in a temporary directory, opened (`redact.open`: read, measure, calibrate, read the
index) and every bar ranked, as `redact guess` does; CPU seconds of this process.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

import redact  # noqa: E402


def timed(pages: int, layout: str, seed: int, work: Path) -> dict:
    import transcripts

    pdf = transcripts.build(f"transcript-{layout}-entry", work / str(pages), seed + pages, pages)
    start = time.process_time()
    doc = redact.open(pdf)
    opened = time.process_time()
    for r in doc.redactions:
        r.guess(top=10)
    done = time.process_time()
    return {"pages": pages, "bars": len(doc.redactions), "open_s": round(opened - start, 1),
            "guess_s": round(done - opened, 1), "total_s": round(done - start, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[100, 400])
    ap.add_argument("--layout", default="plain", choices=("plain", "veritext", "minuscript"))
    ap.add_argument("--seed", type=int, default=555_000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for pages in args.pages:
            t = timed(pages, args.layout, args.seed, Path(tmp))
            print(f"{t['pages']} pages, {t['bars']} bars: open {t['open_s']} s, guess every bar "
                  f"{t['guess_s']} s, total {t['total_s']} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
