"""Deposition transcripts and their word index: how often the hidden names are recovered.

    python benchmarks/index_accuracy.py --sets 3 --seed 7000          # fresh transcripts, every kind
    python benchmarks/index_accuracy.py --sets 1 --pages 40           # longer testimony, denser index
    python benchmarks/index_accuracy.py samples/transcript-*.pdf      # the committed ones
    python benchmarks/index_accuracy.py --sets 3 --json

For every producer (reportlab; Chromium, which writes no space glyphs), layout of index
(veritext, minuscript, plain) and way it was redacted (`leak`:
left as it was; `word`: the hidden words blacked out; `entry`: whole entries), per kind of bar:
top-1 / top-10 of the hidden text, citations right, and for the `leak` variant how many body
names `redact leaks` gives away with the right text and citation (and how many to the right
bar of their line: two names of one length on one line are a coin toss). Beside each, in
brackets, the ceiling of issue 11 (`benchmarks/index_ceiling.py`: bracket + letter count +
Census frequency with the link known; for whole entries, every hidden entry's class known) on
the same bars: the transcript is remade from its key's seed. How rare the drawn names are moves
a few transcripts' figures by tens of points; the ceiling beside them moves with them.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import match  # noqa: E402
from index_ceiling import ranks, transcript  # noqa: E402

import redact  # noqa: E402

KINDS = ("surname", "first", "full", "index-word", "index-entry")


def ceiling_ranks(key: dict) -> dict[str, dict[str, int | None]]:
    """The ceiling's rank of every hidden word of the transcript behind `key`, per kind of body
    bar (its seed and pages remake its body and index; a key that lacks "pages" is 8 pages)."""
    out = ranks(*transcript(key["seed"], key.get("pages", 8)))
    if key["variant"] == "entry":  # whole entries: the class-known ceiling, none for full names
        return {"surname": out["surname-entry"], "first": out["first-entry"]}
    return {k: out[k] for k in ("surname", "first", "full")}


def evaluate(pdf: Path, use_index: bool = True) -> dict:
    key = json.loads(pdf.with_suffix(".json").read_text())
    ceiling = ceiling_ranks(key)
    doc = redact.open(pdf, use_index=use_index)
    found = doc.index_leaks() if use_index else []
    leaks = {(f.page, round(f.bbox[0]), round(f.bbox[1])): f for f in found}
    said: dict[str, list[str]] = defaultdict(list)  # what the leaks give each line
    for f in found:
        said[f.citation].append(f.text)
    rows = []
    for r, k in match(doc, key["redactions"]):
        row = {"text": k["text"], "kind": k["kind"], "found": r is not None}
        if r is not None:
            texts = [c.text for c in r.guess(top=10).candidates]
            row.update(top1=texts[:1] == [k["text"]], top10=k["text"] in texts,
                       citation_ok=r.citation == k.get("citation"))
            if k["text"] in ceiling.get(k["kind"], {}):
                rank = ceiling[k["kind"]][k["text"]]
                row["ceiling_top10"] = rank is not None and rank <= 10
            leak = leaks.get((r.page, round(r.bbox[0]), round(r.bbox[1])))
            # the name given away at its citation (on a line with two names of one length,
            # which bar holds which is a coin toss: `leaked_bar` counts the bar exactly)
            row["leaked"] = k["text"] in said.get(k.get("citation"), [])
            if row["leaked"]:
                said[k["citation"]].remove(k["text"])
            row["leaked_bar"] = bool(leak and leak.text == k["text"]
                                     and leak.citation == k.get("citation"))
        rows.append(row)
    return {"file": str(pdf), "producer": key["producer"], "layout": key["layout"],
            "variant": key["variant"],
            "bars": len(doc.redactions), "keyed": len(key["redactions"]), "rows": rows}


def summarise(results: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for res in results:
        groups[f"{res['producer']}-{res['layout']}-{res['variant']}"] += res["rows"]
        groups[f"all-{res['variant']}"] += res["rows"]
    out = {}
    for name, rows in sorted(groups.items()):
        found = [r for r in rows if r["found"]]
        s = {"keyed": len(rows), "found": len(found)}
        body = [r for r in found if not r["kind"].startswith("index")]
        if body:
            s["citations_ok"] = round(sum(r["citation_ok"] for r in body) / len(body), 3)
            if name.endswith("-leak"):
                s["leaked"] = round(sum(r["leaked"] for r in body) / len(body), 3)
                s["leaked_bar"] = round(sum(r["leaked_bar"] for r in body) / len(body), 3)
        for kind in KINDS:
            ks = [r for r in found if r["kind"] == kind]
            if ks:
                s[kind] = {"n": len(ks), "top1": round(sum(r["top1"] for r in ks) / len(ks), 3),
                           "top10": round(sum(r["top10"] for r in ks) / len(ks), 3)}
                if all("ceiling_top10" in r for r in ks):  # on the same bars
                    s[kind]["ceiling_top10"] = round(
                        sum(r["ceiling_top10"] for r in ks) / len(ks), 3)
        out[name] = s
    return out


def build(out: Path, sets: int, seed: int, pages: int = 8) -> list[Path]:
    import transcripts

    return [transcripts.build(name, out / f"set{i}", seed + 100 * i + j, pages)
            for i in range(sets) for j, name in enumerate(transcripts.TRANSCRIPTS)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--sets", type=int, default=0,
                    help="make this many fresh sets (every producer, layout and variant)")
    ap.add_argument("--seed", type=int, default=7000)
    ap.add_argument("--pages", type=int, default=8, help="pages of testimony (the samples: 8; "
                    "a real deposition runs to hundreds, and its index is that much denser)")
    ap.add_argument("--no-index", action="store_true", help="rank without the word index")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = list(args.pdfs) + (build(Path(tmp), args.sets, args.seed, args.pages)
                                 if args.sets else [])
        results = [evaluate(p, not args.no_index) for p in pdfs]
    summary = summarise(results)
    if args.json:
        print(json.dumps({"summary": summary, "files": results}, indent=1))
        return 0
    for name, s in summary.items():
        kinds = "  ".join(
            f"{k} {s[k]['top1']:.0%}/{s[k]['top10']:.0%}"
            + (f" [{s[k]['ceiling_top10']:.0%}]" if "ceiling_top10" in s[k] else "")
            + f" (n {s[k]['n']})" for k in KINDS if k in s)
        extra = (f"  leaked {s['leaked']:.0%} (that bar {s['leaked_bar']:.0%})"
                 if "leaked" in s else "")
        print(f"{name:32s} citations {s.get('citations_ok', 0):.0%}{extra}  top-1/top-10 "
              f"[ceiling's top-10 on the same bars]: {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
