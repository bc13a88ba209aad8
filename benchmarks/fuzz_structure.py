"""Structure-aware fuzzing over real filings and transcripts: damaged input is damaged input.

    python benchmarks/fuzz_structure.py --mutants 10000 --workers 2 --seed 1   # the long run
    python benchmarks/fuzz_structure.py --mutants 200 --json

Each mutant is one of the real documents in ../shared (real-court/, real-transcripts/; read
from there, never copied into the repository), cut to a few pages (the first two and the last,
where a transcript's word index is), a word it prints on each page blacked out (so that the
bars are measured and ranked), then damaged where a PDF's structure is, one to three times:

- a page's content stream: an operand of the wrong type, an operand too many or too few, an
  operator dropped or repeated (`BT` without `ET`);
- resources: a font, the fonts, an XObject or all of a page's resources gone;
- fonts: the embedded program cut or flipped, /Widths short or of strings, /FirstChar beyond
  /LastChar, the ToUnicode CMap or the /Differences garbled, a CID font's /W or descendants;
- the page: its MediaBox empty, negative or of strings, /Rotate odd, /Annots garbage;
- the file: xref offsets wrong, entries gone, startxref or the trailer's /Root broken.

Every mutant runs one command (`scan`, `leaks`, `guess`, `index`) through benchmarks/fuzz.py's
worker process, which catches hangs and native crashes. The answer must be a clean exit (0, 1
or 2), never our own bug (exit 3), a traceback, a hang or a crash. PyMuPDF makes the mutants
(sample-making only: the package never imports it). Nothing a command prints about a real
document is shown: only exit statuses and error lines of the failures.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzz  # noqa: E402

SHARED = ROOT.parent / "shared"
COMMANDS = {**fuzz.COMMANDS, "index": ["index", "--json"]}
KEEP_PAGES = 2  # the first pages of a source kept, and its last (a transcript's index)

# a PDF token: a string (nesting one level), a hex string, a dict bracket, an array bracket, a
# name, a number, or a bare word (an operator, true, false, null)
TOKEN = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|"
                   rb"/[^\s/\[\]()<>{}%]*|[+-]?(?:\d+\.?\d*|\.\d+)|[^\s/\[\]()<>{}%]+")
WORDS = {b"true", b"false", b"null"}
WRONG = [b"0", b"-1", b"1e30", b"3.5", b"99999999999", b"(x)", b"()", b"<00ff>", b"/Nope",
         b"/F1", b"[]", b"[(a) 5 (b)]", b"[[1] 2]", b"<< /A 1 >>", b"true", b"null"]
CONTENT_OPS = ("operand_type", "operand_count", "operator_drop", "operator_repeat")
OBJECT_OPS = ("missing_font", "missing_fonts", "missing_xobject", "missing_resources",
              "font_program", "widths", "first_last", "tounicode", "differences", "cid_font",
              "mediabox", "rotate", "annots")
FILE_OPS = ("xref_offset", "xref_entry", "startxref", "trailer_root")
OPS = CONTENT_OPS + OBJECT_OPS + FILE_OPS


def sources() -> list[Path]:
    return sorted(p for d in ("real-court", "real-transcripts") for p in (SHARED / d).glob("*.pdf"))


def cut(path: Path) -> bytes:
    """The source's first KEEP_PAGES pages and its last, as a new PDF (uncompressed xref),
    with a word of each page blacked out by PyMuPDF's redaction (a word it prints, so the bars
    are measured and ranked: a mutant reaches the whole pipeline, not only "no bars")."""
    import pymupdf

    doc = pymupdf.open(path)
    pages = sorted({*range(min(KEEP_PAGES, len(doc))), len(doc) - 1})
    doc.select(pages)
    for page in doc:
        words = [w for w in page.get_text("words") if len(w[4]) >= 4 and w[4].isalpha()]
        if words:
            w = words[len(words) // 2]
            page.add_redact_annot(pymupdf.Rect(w[:4]), fill=(0, 0, 0))
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE)
    return doc.tobytes(garbage=1)


def _tokens(data: bytes) -> list[bytes] | None:
    """The content stream's tokens, or None where an inline image's bytes make it unsafe."""
    if re.search(rb"\bBI\b", data):
        return None
    return TOKEN.findall(data)


def _is_operator(tok: bytes) -> bool:
    return tok[:1].isalpha() or tok in (b"'", b'"')  # true, false, null too: callers tell them


def mutate_content(data: bytes, op: str, rng: random.Random) -> bytes:
    toks = _tokens(data)
    if not toks:
        return data
    ops = [i for i, t in enumerate(toks) if _is_operator(t) and t not in WORDS]
    operands = [i for i, t in enumerate(toks) if not _is_operator(t) or t in WORDS]
    if op == "operand_type" and operands:
        toks[rng.choice(operands)] = rng.choice(WRONG)
    elif op == "operand_count" and ops:
        i = rng.choice(ops)
        if rng.random() < 0.5 and i > 0 and not _is_operator(toks[i - 1]):
            del toks[i - 1]
        else:
            toks.insert(i, rng.choice(WRONG))
    elif op == "operator_drop" and ops:
        del toks[rng.choice(ops)]
    elif op == "operator_repeat" and ops:
        i = rng.choice(ops)
        toks.insert(i, toks[i])
    return b" ".join(toks)


def _fonts(doc) -> list[int]:
    return sorted({f[0] for page in doc for f in page.get_fonts(full=True) if f[0] > 0})


def _font_files(doc, xref: int) -> list[int]:
    """The xrefs of a font's embedded programs (its descendant's for a Type0 font)."""
    out = []
    for x in [xref, *_descendants(doc, xref)]:
        kind, val = doc.xref_get_key(x, "FontDescriptor")
        if kind == "xref":
            fd = int(val.split()[0])
            for key in ("FontFile", "FontFile2", "FontFile3"):
                kind, val = doc.xref_get_key(fd, key)
                if kind == "xref":
                    out.append(int(val.split()[0]))
    return out


def _descendants(doc, xref: int) -> list[int]:
    kind, val = doc.xref_get_key(xref, "DescendantFonts")
    if kind == "array":
        return [int(x) for x in re.findall(r"(\d+) 0 R", val)]
    if kind == "xref":
        inner = doc.xref_object(int(val.split()[0]))
        return [int(x) for x in re.findall(r"(\d+) 0 R", inner)]
    return []


def _garble(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    if not b:
        return b"\x00"
    how = rng.choice(("truncate", "flip", "zero"))
    i = rng.randrange(len(b))
    if how == "truncate":
        del b[i:]
    elif how == "flip":
        for k in range(i, min(i + rng.randint(1, 64), len(b))):
            b[k] ^= 1 << rng.randrange(8)
    else:
        b[i:i + 256] = bytes(len(b[i:i + 256]))
    return bytes(b)


def mutate_objects(doc, op: str, rng: random.Random) -> None:
    """One damage to the document's objects (PyMuPDF, in memory)."""
    page = doc[rng.randrange(len(doc))]
    fonts = _fonts(doc)
    font = rng.choice(fonts) if fonts else None
    if op in CONTENT_OPS:
        contents = page.get_contents()
        if contents:
            x = rng.choice(contents)
            doc.update_stream(x, mutate_content(doc.xref_stream(x) or b"", op, rng))
    elif op == "missing_font":
        names = [f[4] for f in page.get_fonts(full=True)]
        if names:
            doc.xref_set_key(page.xref, f"Resources/Font/{rng.choice(names)}", "null")
    elif op == "missing_fonts":
        doc.xref_set_key(page.xref, "Resources/Font", "<<>>")
    elif op == "missing_xobject":
        doc.xref_set_key(page.xref, "Resources/XObject", "null")
    elif op == "missing_resources":
        doc.xref_set_key(page.xref, "Resources", rng.choice(["null", "<<>>", "5", "(x)"]))
    elif op == "font_program" and font is not None:
        for x in _font_files(doc, font)[:1]:
            doc.update_stream(x, _garble(doc.xref_stream(x) or b"", rng))
    elif op == "widths" and font is not None:
        doc.xref_set_key(font, "Widths", rng.choice(
            ["[]", "[500]", "[(a) (b) /c]", "[null null]", "[-1e30 1e30]", "5", "<< >>"]))
    elif op == "first_last" and font is not None:
        first, last = rng.choice([(200, 32), (-5, 300), (0, 100000), (2**31, 2**31 + 2)])
        doc.xref_set_key(font, "FirstChar", str(first))
        doc.xref_set_key(font, "LastChar", str(last))
    elif op == "tounicode" and font is not None:
        kind, val = doc.xref_get_key(font, "ToUnicode")
        if kind == "xref":
            x = int(val.split()[0])
            doc.update_stream(x, _garble(doc.xref_stream(x) or b"", rng))
        else:
            doc.xref_set_key(font, "ToUnicode", rng.choice(["null", "5", "/Identity-H"]))
    elif op == "differences" and font is not None:
        doc.xref_set_key(font, "Encoding", rng.choice([
            "<< /Differences [32 /space 9999 /A -4 /B (x) 65] >>", "<< /Differences 5 >>",
            "/NoSuchEncoding", "<< /BaseEncoding /Nope /Differences [0] >>"]))
    elif op == "cid_font" and font is not None:
        ds = _descendants(doc, font)
        if ds:
            doc.xref_set_key(ds[0], "W", rng.choice(["[1 [500 (a)] 3 2]", "[0 65535 1e30]",
                                                     "[5]", "(x)", "[[1] 2 3]"]))
        else:
            doc.xref_set_key(font, "Subtype", rng.choice(["/Type0", "/Type3", "/Nope"]))
    elif op == "mediabox":
        doc.xref_set_key(page.xref, "MediaBox", rng.choice(
            ["[0 0 0 0]", "[0 0 -612 -792]", "[(a) 0 612 792]", "[0 0 1e9 1e9]", "[0 0 612]"]))
    elif op == "rotate":
        doc.xref_set_key(page.xref, "Rotate", rng.choice(["45", "-90", "(x)", "1e30"]))
    elif op == "annots":
        doc.xref_set_key(page.xref, "Annots", rng.choice(
            ["[5 (x) << /Subtype /Redact >>]", "(x)", "[<< /Subtype /Redact /Rect [1 2] >>]"]))


def mutate_file(data: bytes, op: str, rng: random.Random) -> bytes:
    """One damage to the file's cross-reference table or trailer."""
    m = list(re.finditer(rb"(\d{10}) (\d{5}) n", data))
    if op == "xref_offset" and m:
        e = rng.choice(m)
        new = b"%010d" % rng.choice([0, 1, len(data) - 1, 10**9, int(e.group(1)) + 7])
        return data[:e.start(1)] + new + data[e.end(1):]
    if op == "xref_entry" and m:
        e = rng.choice(m)
        return data[:e.start()] + b"0000000000 65535 f" + data[e.end():]
    if op == "startxref":
        return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % rng.choice([0, 5, 10**9]), data)
    if op == "trailer_root":
        return re.sub(rb"/Root \d+ 0 R", rng.choice([b"/Root 9999 0 R", b"/Root (x)", b""]), data)
    return data


def make_mutant(base: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    import pymupdf

    plan = [rng.choice(OPS) for _ in range(rng.randint(1, 3))]
    doc = pymupdf.open(stream=base, filetype="pdf")
    for op in plan:
        if op not in FILE_OPS:
            try:
                mutate_objects(doc, op, rng)
            except Exception:  # PyMuPDF refused this damage: the mutant goes without it
                pass
    data = doc.tobytes(garbage=0, no_new_id=True)
    for op in plan:
        if op in FILE_OPS:
            data = mutate_file(data, op, rng)
    return data, plan


def campaign(mutants: int, seed: int, workers: int = 1, timeout: float = 60.0) -> dict:
    bases = {p.name: cut(p) for p in sources()}
    counts: Counter = Counter()
    per_op: Counter = Counter()
    bad: list[dict] = []
    lock = threading.Lock()
    jobs = iter(range(mutants))

    def work(w: int, tmp: Path) -> None:
        worker = fuzz.Worker(timeout, COMMANDS)
        try:
            while True:
                with lock:
                    i = next(jobs, None)
                if i is None:
                    return
                rng = random.Random(f"{seed}-{i}")
                name = rng.choice(sorted(bases))
                data, plan = make_mutant(bases[name], rng)
                command = rng.choice(sorted(COMMANDS))
                path = tmp / f"mutant-{w}.pdf"
                path.write_bytes(data)
                out = worker.run(command, path)
                failed = (out.kind != "exit" or out.status not in (0, 1, 2) or out.traceback
                          or out.internal or path.read_bytes() != data)
                with lock:
                    counts[out.kind if out.kind != "exit" else f"exit {out.status}"] += 1
                    counts["internal errors"] += out.internal
                    counts["tracebacks"] += out.traceback
                    per_op.update(set(plan))
                    if failed:
                        last = out.stderr.strip().splitlines()[-1:] if out.stderr else []
                        bad.append({"mutant": i, "source": name, "plan": plan,
                                    "command": command, "kind": out.kind,
                                    "status": out.status, "error": last})
        finally:
            worker.close()

    with tempfile.TemporaryDirectory() as tmp:
        threads = [threading.Thread(target=work, args=(w, Path(tmp))) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return {"mutants": mutants, "seed": seed, "sources": len(bases),
            "outcomes": dict(counts), "damages": dict(per_op), "failures": len(bad),
            "bad": bad[:50]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="worker processes run side by side")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a mutant hangs")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result = campaign(args.mutants, args.seed, args.workers, args.timeout)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(json.dumps({k: result[k] for k in ("mutants", "sources", "outcomes", "failures")}))
        for b in result["bad"]:
            print(b)
    return 1 if result["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
