"""Accuracy on documents with answer keys: bars found, |gap - true width|, top-1 / top-10 rates.

    python benchmarks/accuracy.py samples/*.pdf            # the committed samples
    python benchmarks/accuracy.py --fresh 3 --seed 90000 --out /tmp/fresh   # never seen (as tests)
    python benchmarks/accuracy.py samples/*.pdf --json
    python benchmarks/accuracy.py samples/*.pdf --independent   # no joint solving

A key is `NAME.json` beside each PDF (see samples/make_samples.py). A bar matches a key entry
when their boxes overlap on the same page. "true width" is the gap the tool predicts for the
key's text at that bar, so |gap - true width| is the whole model's error.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redact  # noqa: E402


def match(doc, key: list[dict]) -> list[tuple[object, dict | None]]:
    """Pair each key entry with the bar that covers it (None when no bar does)."""
    out = []
    for k in key:
        x0, top, x1, bottom = k["bbox"]
        best = None
        for r in doc.redactions:
            if r.page != k["page"]:
                continue
            bx0, btop, bx1, bbottom = r.bbox
            ox = min(x1, bx1) - max(x0, bx0)
            oy = min(bottom, bbottom) - max(top, btop)
            if ox > 0.5 * (x1 - x0) and oy > 0:
                best = r
        out.append((best, k))
    return out


def evaluate(pdf: Path, top: int = 10, joint: bool = True) -> dict:
    key = json.loads(pdf.with_suffix(".json").read_text())
    doc = redact.open(pdf, joint=joint)
    rows = []
    for r, k in match(doc, key["redactions"]):
        row = {"text": k["text"], "kind": k["kind"], "found": r is not None}
        if r is not None:
            ranking = r.guess(top=top)
            texts = [c.text for c in ranking.candidates]
            stated = ranking.candidates[0].probability if ranking.candidates else None
            row.update(id=r.id, error_pt=abs(r.gap.width_pt - r.width_of(k["text"])),
                       sigma_pt=r.gap.sigma_pt, top1=texts[:1] == [k["text"]],
                       top_probability=stated,
                       top10=k["text"] in texts, rank=texts.index(k["text"]) + 1 if k["text"] in texts else None)
        rows.append(row)
    # the people a document names in full and by title and surname, both hidden (joint solving)
    surnames = {r["text"] for r in rows if r["kind"] == "surname"}
    full_lasts = {r["text"].split()[-1] for r in rows if r["kind"] == "full"}
    for r in rows:
        r["linked"] = ((r["kind"] == "full" and r["text"].split()[-1] in surnames)
                       or (r["kind"] == "surname" and r["text"] in full_lasts))
    return {"file": str(pdf), "producer": key["producer"], "font": key["font"], "size": key["size"],
            "bars": len(doc.redactions), "keyed": len(key["redactions"]), "rows": rows}


def summarise(results: list[dict]) -> dict:
    """Per producer and overall: bars found, median/p90 error, top-1/top-10 per kind."""
    groups = defaultdict(list)
    for res in results:
        groups[res["producer"]].extend(res["rows"])
        groups["all"].extend(res["rows"])
    out = {}
    for name, rows in groups.items():
        found = [r for r in rows if r["found"]]
        errs = np.array([r["error_pt"] for r in found if np.isfinite(r["error_pt"])])
        s = {"keyed": len(rows), "found": len(found),
             "median_error_pt": round(float(np.median(errs)), 4) if errs.size else None,
             "p90_error_pt": round(float(np.percentile(errs, 90)), 4) if errs.size else None}
        for kind in ("surname", "first", "full"):
            ks = [r for r in found if r["kind"] == kind]
            if ks:
                s[kind] = {"n": len(ks), "top1": round(sum(r["top1"] for r in ks) / len(ks), 3),
                           "top10": round(sum(r["top10"] for r in ks) / len(ks), 3)}
        for kind in ("surname", "full"):  # people named in full and as "Mr. X"
            ks = [r for r in found if r["kind"] == kind and r.get("linked")]
            if ks:
                s[f"linked_{kind}"] = {"n": len(ks),
                                       "top1": round(sum(r["top1"] for r in ks) / len(ks), 3),
                                       "top10": round(sum(r["top10"] for r in ks) / len(ks), 3)}
        s["calibration"] = reliability(found)
        names = [r for r in found if r["kind"] in ("surname", "first")]
        if names:
            s["names_top10"] = round(sum(r["top10"] for r in names) / len(names), 3)
        out[name] = s
    return out


BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(rows: list[dict]) -> dict:
    """How often the best candidate is right against the probability stated for it: per bin of
    stated probability (n, mean stated, share right) and the expected calibration error (ECE:
    the bins' |share right - mean stated|, weighted by their share of the bars). Bars whose
    ranking states no probability (nothing fits) are counted apart."""
    rated = [r for r in rows if r.get("top_probability") is not None]
    p = np.array([r["top_probability"] for r in rated], dtype=float)
    hit = np.array([r["top1"] for r in rated], dtype=float)
    table = []
    ece = 0.0
    for lo, hi in zip(BINS[:-1], BINS[1:]):
        inside = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        n = int(inside.sum())
        if n:
            conf, acc = float(p[inside].mean()), float(hit[inside].mean())
            ece += n / len(p) * abs(acc - conf)
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": n, "stated": round(conf, 3),
                          "right": round(acc, 3)})
    return {"bars": len(rated), "unrated": len(rows) - len(rated),
            "ece": round(ece, 4) if len(p) else None, "table": table}


def build_fresh(out: Path, sets: int, seed: int,
                producers=("reportlab", "libreoffice", "chromium", "pdftex")) -> list[Path]:
    """New documents of every proportional sample kind: `sets` of them, seeds from `seed`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
    import make_samples

    pdfs = []
    for i in range(sets):
        for j, (name, spec) in enumerate(make_samples.SAMPLES.items()):
            if spec[0] in producers:
                pdfs.append(make_samples.build(name, out / f"set{i}", seed + 100 * i + j))
    return pdfs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--fresh", type=int, default=0, help="make this many new sets of samples")
    ap.add_argument("--seed", type=int, default=90_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/redact-fresh"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--independent", action="store_true",
                    help="rank every bar on its own (no joint solving of linked bars)")
    args = ap.parse_args(argv)
    pdfs = list(args.pdfs)
    if args.fresh:
        pdfs += build_fresh(args.out, args.fresh, args.seed)
    results = [evaluate(p, joint=not args.independent) for p in pdfs]
    summary = summarise(results)
    if args.json:
        print(json.dumps({"summary": summary, "files": results}, indent=1, default=float))
    else:
        for name, s in summary.items():
            cal = s.pop("calibration")
            print(name, json.dumps(s))
            print(f"  calibration of the best candidate: ECE {cal['ece']} over {cal['bars']} "
                  f"bars ({cal['unrated']} with no fit)")
            for b in cal["table"]:
                print(f"    stated {b['bin']}: n {b['n']:4d}  mean stated {b['stated']:.3f}  "
                      f"right {b['right']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
