"""Real court filings, re-redacted: how the tool does on what real producers write (issue 12).

    python benchmarks/real.py ../shared/real-court/*.pdf                # per producer family
    python benchmarks/real.py ../shared/real-court/*.pdf --per-kind 12 --json
    python benchmarks/real.py FILE.pdf --rows                           # every bar
    python benchmarks/real.py ../shared/real-court/*.pdf --seeds 6      # six draws of targets, pooled

For each PDF, words printed in it are blacked out with PyMuPDF (`samples/reredact.py`: surnames
after a title, "First Last" names, first names of such pairs, ordinary words; one line, one
font, text on both sides) into a temporary file, which the tool then reads. A name is blacked
out wherever the file prints it, as a careful redactor would (`--missed 1`: all but one, the
redactor's slip that the document's own names then give away, see `redact.rank.seen`). Per producer family
(from the document's Creator and Producer): bars found, the median and 90th percentile of
|gap - width of the truth| (the width the tool predicts for the printed text at that bar: the
whole model's error), and top-1 / top-10 per kind, beside the exact-width ceiling on the same
bars (the same ranking with the gap set to the truth's width, sigma 0.01 pt: what a perfect
measurement would give with these lists and priors). Names are ranked with the default lists,
ordinary words with `english`. The files are public records; only words printed in them are
hidden, and nothing is written beside them.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zlib
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import match  # noqa: E402

import redact  # noqa: E402
from redact.errors import RedactError
from redact.rank import candidates as cand

CEILING_SIGMA_PT = 0.01


def family(pdf: Path) -> str:
    """The producer family from the document's Creator and Producer (for grouping only; the
    tool itself never reads them)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        meta = doc.metadata
    creator, producer = str(meta.get("Creator", "")), str(meta.get("Producer", ""))
    both = f"{creator} / {producer}"
    if "PDFMaker" in both:
        return "word-pdfmaker"
    if "PScript5" in creator:
        return "pscript5-ghostscript" if "Ghostscript" in producer else "pscript5-distiller"
    if "Nuance" in both:
        return "nuance"
    if "Distiller" in producer:
        return "distiller"
    if "Microsoft" in both:
        return "word"
    if "iText" in producer and not creator.strip("- "):
        return "itext"
    return "other"


def ceiling_top(r, text: str, wordlists: list[str] | None, top: int = 10) -> list[str]:
    """The ranking of bar `r` with its gap set to `text`'s predicted width (sigma 0.01 pt)."""
    w = r.width_of(text)
    if not np.isfinite(w):
        return []
    g = replace(r.gap, end_pt=r.gap.start_pt + w, sigma_pt=CEILING_SIGMA_PT, separators=())
    hyps, _, _ = r.hypotheses(wordlists)
    return [c.text for c in r._rank(g, hyps, top, cand.Constraints()).candidates]


def evaluate(pdf: Path, per_kind: int, seed: int, work: Path, missed: int = 0) -> dict:
    import reredact

    fam = family(pdf)
    targets = reredact.choose(reredact.find_targets(pdf), per_kind,
                              seed + zlib.crc32(pdf.name.encode()))
    out = work / pdf.name
    key = reredact.redact(pdf, out, targets, missed=missed) if targets else []
    res = {"file": pdf.name, "family": fam, "targets": len(targets), "keyed": len(key), "rows": []}
    if not key:
        return res
    try:
        doc = redact.open(out)
    except RedactError as e:
        res["error"] = str(e)
        return res
    res["bars"] = len(doc.redactions)
    for r, k in match(doc, key):
        row = {"text": k["text"], "kind": k["kind"], "page": k["page"], "font": k["font"],
               "found": r is not None}
        if r is not None:
            lists = ["english"] if k["kind"] == "word" else None
            texts = [c.text for c in r.guess(lists, top=10).candidates]
            best = ceiling_top(r, k["text"], lists)
            truth_pt = r.width_of(k["text"])
            row.update(id=r.id, error_pt=abs(r.gap.width_pt - truth_pt), truth_pt=truth_pt,
                       residual_pt=r.gap.width_pt - truth_pt,
                       sigma_pt=r.gap.sigma_pt, top1=texts[:1] == [k["text"]],
                       top10=k["text"] in texts, ceiling_top1=best[:1] == [k["text"]],
                       ceiling_top10=k["text"] in best, context=f"{r.gap.context_left[-25:]}"
                       f"[{k['text']}]{r.gap.context_right[:25]}", source=(
                           r.metrics.source if r.metrics else None))
        res["rows"].append(row)
    return res


def pooled(draws: list[dict]) -> dict:
    """One file's results over several draws of targets, each bar once."""
    out = dict(draws[0], rows=[], targets=0, keyed=0)
    seen = set()
    for res in draws:
        out["targets"] += res["targets"]
        for row in res["rows"]:
            key = (row["page"], row["text"], row["kind"], row.get("context"))
            if key not in seen:
                seen.add(key)
                out["rows"].append(row)
    out["keyed"] = len(out["rows"])
    return out


def summarise(results: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for res in results:
        groups[res["family"]] += res["rows"]
        groups["all"] += res["rows"]
    out = {}
    for name, rows in sorted(groups.items()):
        found = [r for r in rows if r["found"]]
        errs = np.array([r["error_pt"] for r in found if np.isfinite(r["error_pt"])])
        s = {"keyed": len(rows), "found": len(found), "measured": int(errs.size),
             "median_error_pt": round(float(np.median(errs)), 4) if errs.size else None,
             "p90_error_pt": round(float(np.percentile(errs, 90)), 4) if errs.size else None}
        for kind in ("surname", "first", "full", "word"):
            ks = [r for r in found if r["kind"] == kind]
            if ks:
                s[kind] = {k: round(sum(r[k] for r in ks) / len(ks), 3)
                           for k in ("top1", "top10", "ceiling_top1", "ceiling_top10")}
                s[kind]["n"] = len(ks)
        out[name] = s
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--per-kind", type=int, default=8, help="targets of each kind per file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1, help="draws of targets (seeds SEED, SEED+1, "
                    "...), pooled: a bar drawn twice counts once. A family has a few files and "
                    "each draw 20-40 bars of it: one draw's median moves by 0.01 pt or more")
    ap.add_argument("--missed", type=int, default=0, help="occurrences of each hidden name "
                    "left printed (a redactor's slips; default: every occurrence blacked out)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--rows", action="store_true", help="print every bar")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        results = [pooled([evaluate(p, args.per_kind, seed, Path(tmp), args.missed)
                           for seed in range(args.seed, args.seed + args.seeds)])
                   for p in args.pdfs]
    summary = summarise(results)
    if args.json:
        print(json.dumps({"summary": summary, "files": results}, indent=1, default=float))
        return 0
    if args.rows:
        for res in results:
            print(res["file"], res["family"], res.get("error", ""))
            for r in res["rows"]:
                if r["found"]:
                    print(f"  {r['kind']:8s} err {r['error_pt']:7.3f} sd {r['sigma_pt']:.3f} "
                          f"top10 {int(r['top10'])} ceil {int(r['ceiling_top10'])} "
                          f"{r['source']}  {r['context']!r}")
                else:
                    print(f"  {r['kind']:8s} NOT FOUND {r['text']!r}")
    for name, s in summary.items():
        kinds = "  ".join(f"{k} {s[k]['top1']:.0%}/{s[k]['top10']:.0%} "
                          f"[{s[k]['ceiling_top1']:.0%}/{s[k]['ceiling_top10']:.0%}] (n {s[k]['n']})"
                          for k in ("surname", "first", "full", "word") if k in s)
        med = "-" if s["median_error_pt"] is None else f"{s['median_error_pt']:.3f}"
        p90 = "-" if s["p90_error_pt"] is None else f"{s['p90_error_pt']:.3f}"
        print(f"{name:22s} bars {s['found']}/{s['keyed']}  |gap-truth| median {med} p90 {p90} pt"
              f"  top-1/top-10 [exact-width ceiling]: {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
