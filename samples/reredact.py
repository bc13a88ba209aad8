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
    black_out(doc, [(t.page, t.bbox) for t in targets] + [
        (number, box) for number, boxes in extra.items() for box in boxes], dst)
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


def black_out(doc, boxes, dst: Path) -> None:
    """Redact each (page, box) of an open PyMuPDF `doc` as a court would, into `dst`: the box
    at 80% of its line's height (not the next line's glyphs), the glyphs under it removed."""
    import pymupdf

    for number, (x0, y0, x1, y1) in boxes:
        mid, half = (y0 + y1) / 2, 0.4 * (y1 - y0)
        doc[number - 1].add_redact_annot(pymupdf.Rect(x0 + 0.2, mid - half, x1 - 0.2, mid + half),
                                         fill=(0, 0, 0))
    for page in doc:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    doc.save(dst, garbage=3, deflate=True)
    doc.close()


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


# --- transcripts: a name hidden in the body, and in the word index as the variant says -------

REF_TOKEN = re.compile(r"^\[?\d+:\d+(?:,\d+)*[,;\]]?$|^\d+(?:,\d+)+,?$|^\d{1,2},?$")
TITLES = {"JUSTICE", "Justice", "MR.", "Mr.", "MS.", "Ms.", "MRS.", "Mrs.", "DR.", "Dr."}
NOT_NAMES = {"Chief", "Justice", "Honor", "General", "Deputy", "Solicitor", "Judge"}  # titles
VARIANTS = ("leak", "word", "entry")


@dataclass(frozen=True)
class Name:
    """A name printed in a transcript's word index, and where it is printed."""
    text: str  # as the index prints it ("Scalia")
    kind: str  # surname (printed after a title somewhere) | proper (another capitalised name)
    body: tuple  # (page, box) of each body occurrence: the name's own glyphs
    word: tuple  # (page, box) of the index entry's word
    refs: tuple  # (page, box) of each row of the entry's refs, continuation rows included


def _tokens(page) -> list[tuple]:
    return [(x0, y0, x1, y1, w) for x0, y0, x1, y1, w, *_ in page.get_text("words")]


def _entry_rows(tokens: list[tuple], entry: tuple) -> list[tuple]:
    """The boxes of an index entry's refs: the rest of the entry's row in its column, then the
    rows below that hold only refs and start right of the entry's left edge (indented
    continuations), up to the next entry."""
    x0, y0, x1, y1, _ = entry
    height = y1 - y0
    lefts = sorted({round(t[0]) for t in tokens if t[4][:1].isalpha()})
    right = min([v for v in lefts if v > x1 + 2] + [10_000])  # the next column starts there
    rows, y = [], y0
    while True:
        row = sorted((t for t in tokens if abs(t[1] - y) < height / 3
                      and x0 - 1 < t[0] < right - 1), key=lambda t: t[0])
        if y != y0:
            if not row or row[0][0] < x0 + 2:
                break  # a new entry at the column's edge, or nothing
        refs = [t for t in row if t[0] > x1 + 0.5 or y != y0]
        if not refs or not all(REF_TOKEN.match(t[4]) for t in refs):
            break
        rows.append((refs[0][0], min(t[1] for t in refs), refs[-1][2], max(t[3] for t in refs)))
        y += height
    return rows


def transcript_names(pdf: Path, index_pages: set[int]) -> list[Name]:
    """Every capitalised word the index lists that the body prints capitalised and never in
    lower case, and whose entry is found with its refs: a surname where the body prints it
    after a title ("JUSTICE SCALIA:", "Mr. Hungar"), else a proper noun ("Teleflex")."""
    import pymupdf

    with pymupdf.open(pdf) as doc:
        entries: dict[str, list] = {}
        for number in sorted(index_pages):
            tokens = _tokens(doc[number - 1])
            for t in tokens:
                w = t[4]
                if len(w) >= 3 and w[0].isupper() and w[1:].islower() and w.isalpha():
                    rows = _entry_rows(tokens, t)
                    if rows:
                        entries.setdefault(w, []).append((number, t[:4], rows))
        body: dict[str, list] = {w: [] for w in entries}
        by_lower = {w.lower(): w for w in entries}
        titled: set[str] = set()
        lower: set[str] = set()
        for page in doc:
            if page.number + 1 in index_pages:
                continue
            lines = list(_lines(page))
            tokens = _tokens(page)
            for i, (x0, y0, x1, y1, word) in enumerate(tokens):
                core = re.sub(r"(?:['\u2019]s)?[^A-Za-z-]*$", "", re.sub(r"^[^A-Za-z]+", "", word))
                w = by_lower.get(core.lower())
                if w is None:
                    continue
                if core.islower():
                    lower.add(w)
                    continue
                box = _glyph_box(lines, (x0, y0, x1, y1), core)
                if box is not None:
                    body[w].append((page.number + 1, box))
                    before = tokens[i - 1] if i else None
                    if before and abs(before[1] - y0) < 1 and before[4] in TITLES:
                        titled.add(w)
    out = []
    for w, found in entries.items():
        if len(found) != 1 or w in lower or not body[w] or w in NOT_NAMES:
            continue  # listed twice (two columns' parse disagree), or an ordinary word
        number, box, rows = found[0]
        kind = "surname" if w in titled else "proper"
        out.append(Name(w, kind, tuple(body[w]), ((number, box),),
                        tuple((number, r) for r in rows)))
    return out


def redact_transcript(src: Path, dst: Path, names: list[Name], variant: str) -> list[dict]:
    """Black out every body occurrence of `names` in a copy of `src` at `dst`, and in the index
    nothing (`leak`), the entry's word (`word`) or the word and its refs (`entry`); the key: a
    row per body bar (kind surname | proper) and per index bar (index-word | index-entry)."""
    import pymupdf

    boxes = []  # (page, box, key row or None)
    for n in names:
        boxes += [(p, b, {"kind": n.kind}) for p, b in n.body]
        if variant != "leak":
            boxes += [(p, b, {"kind": f"index-{variant}"}) for p, b in n.word]
        if variant == "entry":
            boxes += [(p, b, None) for p, b in n.refs]
        for _, _, row in boxes:
            if row is not None:
                row.setdefault("text", n.text)
    black_out(pymupdf.open(src), [(p, b) for p, b, _ in boxes], dst)
    return [{"page": p, "bbox": [round(v, 3) for v in b], **row} for p, b, row in boxes if row]
