"""Re-redact real PDFs: black out words that are visible in them, with PyMuPDF, and keep a key.

Real filings (`../shared/real-court/`) are public records; their hidden text is not ours to
read. What they can tell is how real producers place glyphs, so `benchmarks/real.py` hides words
that are printed in them (surnames after a title, "First Last" names, first names, ordinary
words), redacts them the way a court would (PyMuPDF `add_redact_annot` + `apply_redactions`)
into a temporary file, and checks the tool against what was printed there. Nothing here is
committed: the redacted copies live in a temporary directory.

A target is one word or one "First Last" pair on one line, in one font and size, with visible
text on both sides, away from the court's stamp. A name is blacked out wherever the file prints
it (a careful redactor), but for the first `missed` other occurrences (a redactor's slip); only
the targets are keyed. A target whose redaction removed anything but its own glyphs (or not all
of them) is dropped from the key.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

KINDS = ("surname", "full", "first", "word")
TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.\s+([A-Z][a-z]+)\b")
PAIR = re.compile(r"(?<![A-Za-z.])([A-Z][a-z]+) ([A-Z][a-z]+)\b")
WORD = re.compile(r"(?<![A-Za-z'-])([a-z]{5,})(?![A-Za-z'-])")
STAMP = re.compile(r"Case\s+\S+.*(Document|Filed|Page)")


@dataclass(frozen=True)
class Target:
    page: int  # 1-based
    text: str
    kind: str  # surname | full | first | word
    bbox: tuple[float, float, float, float]  # the glyphs' union (PyMuPDF / pdfplumber top-left)
    font: str
    size_pt: float
    line: str  # the line's text as printed, for the key and for checking the redaction


def _lists():
    from redact.rank.candidates import load_wordlist

    first = set(load_wordlist("first").texts.tolist())
    last = set(load_wordlist("surnames").texts.tolist())
    english = set(load_wordlist("english").texts.tolist())
    return first, last, english


def _lines(page):
    """Each text line of a PyMuPDF page: its characters with their span's font and size."""
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            chars = [(ch, span["font"], round(span["size"], 2))
                     for span in line["spans"] for ch in span["chars"]]
            if chars and abs(line["dir"][1]) < 1e-3:  # upright text only
                yield chars


def find_targets(pdf: Path) -> list[Target]:
    """Every place in `pdf` a target could be cut from (see the module's docstring)."""
    import pymupdf

    first, last, english = _lists()
    out = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for chars in _lines(page):
                text = "".join(c["c"] for c, _, _ in chars)
                if STAMP.search(text):
                    continue
                spans = []
                for m in TITLED.finditer(text):
                    if m.group(1) in last:
                        spans.append((m.start(1), m.end(1), "surname"))
                for m in PAIR.finditer(text):
                    f, s = m.group(1), m.group(2)
                    if f in first and s in last and f.lower() not in english:
                        spans.append((m.start(1), m.end(2), "full"))
                        spans.append((m.start(1), m.end(1), "first"))
                for m in WORD.finditer(text):
                    if m.group(1) in english:
                        spans.append((m.start(1), m.end(1), "word"))
                for a, b, kind in spans:
                    sel = chars[a:b]
                    if len({(f, s) for _, f, s in sel}) != 1:
                        continue  # one font, one size
                    if not text[:a].strip() or not text[b:].strip():
                        continue  # visible text on both sides
                    x0 = min(c["bbox"][0] for c, _, _ in sel)
                    x1 = max(c["bbox"][2] for c, _, _ in sel)
                    y0 = min(c["bbox"][1] for c, _, _ in sel)
                    y1 = max(c["bbox"][3] for c, _, _ in sel)
                    out.append(Target(page.number + 1, text[a:b], kind, (x0, y0, x1, y1),
                                      sel[0][1], sel[0][2], text))
    return out


def choose(targets: list[Target], per_kind: int, seed: int) -> list[Target]:
    """Up to `per_kind` targets of each kind, at most one per line, drawn at random."""
    rng = random.Random(seed)
    pool = targets[:]
    rng.shuffle(pool)
    used: set[tuple[int, float]] = set()
    count = dict.fromkeys(KINDS, 0)
    out = []
    for t in pool:
        line = (t.page, round((t.bbox[1] + t.bbox[3]) / 2))
        if count[t.kind] >= per_kind or line in used:
            continue
        used.add(line)
        count[t.kind] += 1
        out.append(t)
    return sorted(out, key=lambda t: (t.page, t.bbox[1], t.bbox[0]))


def _row_glyphs(lines: list, t: Target, boxes=()) -> tuple[int, int]:
    """Visible glyphs (not spaces) on the target's row, of a page's `_lines`: all of them, and
    those inside the target's box or any of `boxes` (x0, top, x1, bottom)."""
    x0, y0, x1, y1 = t.bbox
    mid = (y0 + y1) / 2
    row = [c for chars in lines for c, _, _ in chars
           if not c["c"].isspace() and abs((c["bbox"][1] + c["bbox"][3]) / 2 - mid) < 1]
    spans = [(x0, x1)] + [(b[0], b[2]) for b in boxes if b[1] < mid < b[3]]
    inside = [c for c in row if any(a - 0.1 < (c["bbox"][0] + c["bbox"][2]) / 2 < b + 0.1
                                    for a, b in spans)]
    return len(row), len(inside)


def _other_occurrences(page, names: set[str], targets: list[Target]) -> list[tuple]:
    """Boxes of every word on the page that is one of `names` (any case, a possessive too),
    other than the targets' own: a careful redactor blacks out a name everywhere."""
    own = [t.bbox for t in targets if t.page == page.number + 1]
    out = []
    for x0, y0, x1, y1, word, *_ in page.get_text("words"):
        core = re.sub(r"(?:['\u2019]s)?[^A-Za-z-]*$", "", re.sub(r"^[^A-Za-z]+", "", word))
        if core.lower() in names and not any(
                a[0] - 1 < (x0 + x1) / 2 < a[2] + 1 and a[1] - 1 < (y0 + y1) / 2 < a[3] + 1
                for a in own):
            out.append((x0, y0, x1, y1, core))
    return out


def redact(src: Path, dst: Path, targets: list[Target], everywhere: bool = True,
           missed: int = 0) -> list[dict]:
    """Black out `targets` in a copy of `src` at `dst`, and (`everywhere`) every other
    occurrence of the names among them, as a careful redactor would (they are not keyed), but
    the first `missed` of each name (a redactor's slip: the name stays printed there); the key
    rows of the targets whose redaction removed exactly their own glyphs."""
    import pymupdf

    names = {w.lower() for t in targets if t.kind != "word" for w in t.text.split()}
    doc = pymupdf.open(src)
    lines = {page.number + 1: list(_lines(page)) for page in doc}  # read each page once
    dark = [(t.page, tuple(d["rect"])) for t in targets for d in doc[t.page - 1].get_drawings()
            if d.get("fill") is not None and sum(d["fill"]) < 0.9]  # the filing's own bars
    extra = {}
    left = dict.fromkeys(names, missed)
    for page in doc:
        found = _other_occurrences(page, names, targets) if everywhere and names else []
        for x0, y0, x1, y1, core in found:
            if left[core.lower()] > 0:
                left[core.lower()] -= 1
                continue
            # the word's own glyphs: the core's share of the word box, from its characters
            box = _glyph_box(lines[page.number + 1], (x0, y0, x1, y1), core)
            if box is not None:
                extra.setdefault(page.number + 1, []).append(box)
    counts = [_row_glyphs(lines[t.page], t, extra.get(t.page, [])) for t in targets]
    for number, (x0, y0, x1, y1) in [(t.page, t.bbox) for t in targets] + [
            (number, box) for number, boxes in extra.items() for box in boxes]:
        mid, half = (y0 + y1) / 2, 0.4 * (y1 - y0)  # 80% of the line: not the next line's glyphs
        doc[number - 1].add_redact_annot(pymupdf.Rect(x0 + 0.2, mid - half, x1 - 0.2, mid + half),
                                         fill=(0, 0, 0))
    for page in doc:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    doc.save(dst, garbage=3, deflate=True)
    doc.close()
    boxes = [(t.page, t.bbox) for t in targets] + [
        (number, box) for number, bs in extra.items() for box in bs]
    key = []
    with pymupdf.open(dst) as out:
        after = {number: list(_lines(out[number - 1])) for number in {t.page for t in targets}}
        for t, (row, inside) in zip(targets, counts):
            if _row_glyphs(after[t.page], t) != (row - inside, 0):
                continue  # the redaction took more (or less) than the target
            if any(_beside(t, box) for number, box in boxes + dark
                   if number == t.page and box != t.bbox):
                continue  # another box a space away (or the filing's own): one bar, or the wrong one
            key.append({"page": t.page, "bbox": [round(v, 3) for v in t.bbox], "text": t.text,
                        "kind": t.kind, "font": t.font, "size": t.size_pt})
    return key


def _beside(t: Target, box) -> bool:
    """Whether `box` reaches into the target's row (a tenth of its height) within one em of it."""
    x0, y0, x1, y1 = box
    overlap = min(y1, t.bbox[3]) - max(y0, t.bbox[1])
    return (overlap > 0.1 * (t.bbox[3] - t.bbox[1]) and x0 < t.bbox[2] + t.size_pt
            and x1 > t.bbox[0] - t.size_pt)


def _glyph_box(lines: list, word_box, core: str):
    """The union of the glyph boxes of `core` inside a word's box (a name without its
    punctuation or possessive), of a page's `_lines`, or None."""
    x0, y0, x1, y1 = word_box
    for chars in lines:
        text = "".join(c["c"] for c, _, _ in chars)
        for m in re.finditer(re.escape(core), text):
            sel = [c for c, _, _ in chars[m.start():m.end()]]
            cx = (sel[0]["bbox"][0] + sel[-1]["bbox"][2]) / 2
            cy = (sel[0]["bbox"][1] + sel[0]["bbox"][3]) / 2
            if x0 - 1 < cx < x1 + 1 and y0 - 1 < cy < y1 + 1:
                return (min(c["bbox"][0] for c in sel), min(c["bbox"][1] for c in sel),
                        max(c["bbox"][2] for c in sel), max(c["bbox"][3] for c in sel))
    return None
