"""Real transcripts, re-redacted: the word-index attack on layouts this project did not make (issue 26).

    python benchmarks/real_transcripts.py ../shared/real-transcripts/*.pdf          # per split
    python benchmarks/real_transcripts.py ../shared/real-transcripts/*.pdf --split held-out
    python benchmarks/real_transcripts.py FILE.pdf --rows --variants word           # every bar
    python benchmarks/real_transcripts.py ../shared/real-transcripts/*.pdf --json

For each transcript, names its word index prints are blacked out with PyMuPDF
(`samples/reredact.py`: `transcript_names`, `redact_transcript`) into a temporary file: every
body occurrence of each chosen name (a careful redactor), and in the index, by variant, nothing
(`leak`: the index left as printed, as in the Maxwell deposition), the entry's word (`word`),
or the word and its refs (`entry`). A name is a *surname* when the body prints it after a title
("JUSTICE SCALIA:", "Mr. Hungar"); other capitalised index words are *proper* nouns
("Teleflex", "Florida"). Per split and variant: top-1 / top-10 of the body bars by kind and of
the index bars, the share of body bars whose name `redact leaks` gives away at the right
citation (`leak`), the expected calibration error of the stated top-1 probability (ECE, leaks
included: a given-away bar states its probability too), bars with no candidate, and the
slowest file's time to rank every keyed bar.

The split is by file and fixed before any figure was looked at (`SPLIT`): `tune` is what the
word index's rules may be fitted on, `held-out` is only ever reported. The files are public
records; only words printed in them are hidden, and nothing is written beside them.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import match, reliability  # noqa: E402

import redact  # noqa: E402
from redact.errors import RedactError  # noqa: E402

# by file, fixed before the first run: each side has Distiller 5 (fonts embedded), a
# non-embedded Courier New, and the tune side the one district-court transcript
SPLIT = {
    "scotus-04-1350": "tune", "scotus-05-1120": "tune", "scotus-06-1037": "tune",
    "gov.uscourts.cacd.739768.66.0": "tune",
    "scotus-05-1056": "held-out", "scotus-05-11284": "held-out", "scotus-06-11429": "held-out",
    "scotus-08-1151": "held-out",
}
BODY_KINDS = ("surname", "proper")


def choose(names: list, surnames: int, proper: int, seed: int) -> list:
    rng = random.Random(seed)
    out = []
    for kind, n in (("surname", surnames), ("proper", proper)):
        pool = sorted((x for x in names if x.kind == kind), key=lambda x: x.text)
        rng.shuffle(pool)
        out += pool[:n]
    return out


def evaluate(pdf: Path, variant: str, work: Path, surnames: int, proper: int, per_name: int,
             seed: int) -> dict:
    import reredact

    res = {"file": pdf.stem, "split": SPLIT.get(pdf.stem, "held-out"), "variant": variant,
           "rows": []}
    original = redact.open(pdf, require_bars=False)
    if original.index is None:
        res["error"] = "no word index read in the original"
        return res
    names = reredact.transcript_names(pdf, {e.page for e in original.index.entries})
    chosen = choose(names, surnames, proper, seed + zlib.crc32(pdf.name.encode()))
    if not chosen:
        res["error"] = "no name in the index"
        return res
    out = work / f"{pdf.stem}-{variant}.pdf"
    key = reredact.redact_transcript(pdf, out, chosen, variant)
    rng = random.Random(seed)
    keyed = []  # at most per_name body bars of each name (a justice speaks 50 times)
    for n in chosen:
        rows = [k for k in key if k["text"] == n.text and k["kind"] in BODY_KINDS]
        keyed += rng.sample(rows, min(per_name, len(rows)))
        keyed += [k for k in key if k["text"] == n.text and k["kind"] not in BODY_KINDS]
    start = time.process_time()
    try:
        doc = redact.open(out)
    except RedactError as e:
        res["error"] = str(e)
        return res
    found = doc.index_leaks() if doc.index is not None else []
    given = {(f.page, round(f.bbox[0]), round(f.bbox[1])): f.text for f in found}
    for r, k in match(doc, keyed):
        row = {"text": k["text"], "kind": k["kind"], "page": k["page"], "found": r is not None}
        if r is not None:
            ranking = r.guess(top=10)
            texts = [c.text.lower() for c in ranking.candidates]
            truth = k["text"].lower()
            row.update(top1=texts[:1] == [truth], top10=truth in texts,
                       top_probability=(ranking.candidates[0].probability
                                        if ranking.candidates else None),
                       best=texts[0] if texts else None,
                       font=r.metrics.name if r.metrics else r.gap.font,
                       leaked=given.get((r.page, round(r.bbox[0]), round(r.bbox[1])),
                                        "").lower() == truth)
        res["rows"].append(row)
    res["seconds"] = round(time.process_time() - start, 1)
    res["bars"] = len(doc.redactions)
    res["index"] = doc.index is not None
    return res


def summarise(results: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    slowest: dict[str, float] = defaultdict(float)
    for res in results:
        for name in (f"{res['split']}-{res['variant']}", f"{res['file']}-{res['variant']}"):
            groups[name] += res["rows"]
            slowest[name] = max(slowest[name], res.get("seconds", 0.0))
    out = {}
    for name, rows in groups.items():
        found = [r for r in rows if r["found"]]
        s: dict = {"keyed": len(rows), "found": len(found), "slowest_s": slowest[name],
                   "no_candidate": sum(r["top_probability"] is None for r in found)}
        for kind in ("surname", "proper", "index-word", "index-entry"):
            ks = [r for r in found if r["kind"] == kind]
            if ks:
                s[kind] = {"n": len(ks), "top1": round(sum(r["top1"] for r in ks) / len(ks), 3),
                           "top10": round(sum(r["top10"] for r in ks) / len(ks), 3)}
        body = [r for r in found if r["kind"] in BODY_KINDS]
        if body and name.endswith("-leak"):
            s["leaked"] = round(sum(r["leaked"] for r in body) / len(body), 3)
        cal = reliability(found)
        s["ece"], s["table"] = cal["ece"], cal["table"]
        out[name] = s
    return out


def line(name: str, s: dict) -> str:
    kinds = "  ".join(f"{k} {s[k]['top1']:.0%}/{s[k]['top10']:.0%} (n {s[k]['n']})"
                      for k in ("surname", "proper", "index-word", "index-entry") if k in s)
    leak = f"  leaked {s['leaked']:.0%}" if "leaked" in s else ""
    return (f"{name:36s} bars {s['found']}/{s['keyed']}  none-fit {s['no_candidate']}  "
            f"top-1/top-10: {kinds}{leak}  ECE {s['ece']}  slowest {s['slowest_s']} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--variants", default="leak,word,entry")
    ap.add_argument("--split", choices=("tune", "held-out", "all"), default="all")
    ap.add_argument("--surnames", type=int, default=4, help="surnames hidden per file")
    ap.add_argument("--proper", type=int, default=2, help="other proper nouns hidden per file")
    ap.add_argument("--per-name", type=int, default=6, help="body bars keyed per name")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", action="store_true", help="print every bar")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    pdfs = [p for p in args.pdfs if args.split == "all" or SPLIT.get(p.stem, "held-out") == args.split]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            for variant in args.variants.split(","):
                results.append(evaluate(pdf, variant, Path(tmp), args.surnames, args.proper,
                                        args.per_name, args.seed))
                if not args.json:
                    res = results[-1]
                    print(f"# {res['file']} {variant}: {res.get('error', '')}"
                          f"{len(res['rows'])} keyed, {res.get('seconds', '-')} s", file=sys.stderr)
    summary = summarise(results)
    if args.json:
        print(json.dumps({"summary": summary, "files": results}, indent=1, default=float))
        return 0
    if args.rows:
        for res in results:
            print(res["file"], res["variant"], res.get("error", ""))
            for r in res["rows"]:
                print(f"  {r['kind']:12s} {r['text']:12s} " + (
                    f"top1 {int(r['top1'])} top10 {int(r['top10'])} p {r['top_probability']} "
                    f"best {r['best']!r} font {r['font']} leaked {int(r['leaked'])}"
                    if r["found"] else "NOT FOUND"))
    for name in sorted(summary, key=lambda n: (n.split("-")[0] not in ("tune", "held"), n)):
        print(line(name, summary[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
