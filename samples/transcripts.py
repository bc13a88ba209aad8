"""Deposition transcripts with the court reporter's word index, made by reportlab and redacted by
PyMuPDF: the samples for reading a transcript as Slate read the Maxwell deposition.

    python samples/make_samples.py --only transcript-veritext-word    # one (make_samples builds all)

A transcript here is an excerpt of a longer deposition filed as an exhibit: printed page numbers
start past 1 (so a citation's page is the printed one, not the PDF's), 25 numbered lines a page
in Courier 12, Q./A. turns and counsel's speaker lines, a court stamp at the top of every page
and a reporter's footer. The hidden people (drawn from the 1990 Census lists; no real person)
are named several times: "Mr. Smith", "John Smith", "John". The word index lists every word of
the body, lowercase, with its page:line references, in one of three layouts:

- `veritext`: four columns in Times 9, a "[first - last]" header, letter headings, refs grouped
  by page ("12:4,9 15:20") and wrapped with an indent;
- `minuscript`: three columns in Helvetica 9, "word (count) 12:4,9;15:20";
- `plain`: one column in Courier 10, the word, then its refs at a tab stop ("4:7, 5:19").

The body's mentions of the hidden people are always redacted. The index is redacted by variant:
`leak` (the index is left as it is, as in the 2020 Maxwell release), `word` (each hidden
person's index word is blacked out, its refs left), `entry` (the whole entry, refs too). The
answer key lists every bar: page, box, text, kind (`surname`, `first`, `full`, `index-word`,
`index-entry`), and for body bars the citation ("printed page:line").
"""
from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_samples import CITIES, MONTHS, Story, print_html  # noqa: E402

LINES_PER_PAGE = 25
BODY_PAGES = 8
LINE_CHARS = 52  # Courier 12 from x = 96 keeps a line inside the right margin
FIRST_PRINTED_PAGE = 17
LAYOUTS = ("veritext", "minuscript", "plain")
VARIANTS = ("leak", "word", "entry")
COUNSEL = ["KESSLER", "OKAFOR", "LINDQVIST"]
THINGS = ["invoice", "contract", "shipment", "account", "letter", "ledger", "wire"]

TURNS = [
    ("Q. Did you meet {T} {L} in {city}?", "A. Yes. {F} {L} was there with {T2} {L2}."),
    ("Q. When did you first speak with {F}?", "A. In {month}, at the office in {city}."),
    ("Q. What did {T} {L} tell you about the {thing}?", "A. That {F} had signed the {thing}."),
    ("Q. Who else knew about the {thing}?", "A. {FULL} and {FULL2}, I believe."),
    ("Q. Did {F} ever call you at home?", "A. Once or twice. {T} {L} called more often."),
    ("Q. Where did you keep the {thing}?", "A. {T2} {L2} kept it in {city}."),
    ("Q. Was {FULL} present at the meeting?", "A. No. {F2} was, and so was {T} {L}."),
    ("Q. Have you read the {thing} since then?", "A. No, I have not."),
]


@dataclass
class Mention:
    """A hidden person's name on a body line: its text and kind."""

    text: str
    kind: str


def _cast(story: Story, rng: random.Random):
    hidden = story.people[:rng.randint(3, 5)]
    visible = story.people[14:20]  # Story's people past the first 14 are not secret
    return hidden, visible


FILLERS = [
    ("Q. Did anyone discuss the {w1} with you?", "A. Only the {w2}, and later the {w3}."),
    ("Q. What did you mean by {w1}?", "A. I meant the {w2} we had in {city}."),
    ("Q. Was the {w1} ever mentioned?", "A. Not that I recall. The {w2} was."),
]


def _vocabulary() -> list[str]:
    """Ordinary words for the testimony around the names (the shipped English list)."""
    words = []
    for line in (HERE.parent / "wordlists" / "english-words.tsv").read_text().splitlines()[1:]:
        w = line.split("\t")[0]
        if w.isalpha() and w.islower() and 4 <= len(w) <= 10:
            words.append(w)
    return words[300:6000]


def body_lines(story: Story, rng: random.Random, pages: int = BODY_PAGES) -> tuple[list[list[str]], list]:
    """The body's pages of 25 lines, and the hidden people. About half the turns are about
    ordinary things (words from the English list), so the index is as dense as a real one."""
    hidden, visible = _cast(story, rng)
    vocabulary = _vocabulary()
    lines: list[str] = []
    while len(lines) < pages * LINES_PER_PAGE:
        if rng.random() < 0.08:
            lines.append(f"MR. {rng.choice(COUNSEL)}: Objection. Form.")
            continue
        if rng.random() < 0.5:
            q, a = rng.choice(FILLERS)
            w1, w2, w3 = rng.sample(vocabulary, 3)
            filled = [t.format(w1=w1, w2=w2, w3=w3, city=rng.choice(CITIES)) for t in (q, a)]
            if all(len(t) <= LINE_CHARS for t in filled):
                lines.extend(filled)
            continue
        q, a = rng.choice(TURNS)
        x = rng.choice(hidden)
        y = rng.choice(hidden + visible)
        if y is x:
            y = next(p for p in visible if p is not x)
        filled = [t.format(T=x.title, L=x.last, F=x.first, FULL=x.full, T2=y.title, L2=y.last,
                           F2=y.first, FULL2=y.full, city=rng.choice(CITIES),
                           month=rng.choice(MONTHS), thing=rng.choice(THINGS)) for t in (q, a)]
        if all(len(t) <= LINE_CHARS for t in filled):
            lines.extend(filled)
    lines = lines[:pages * LINES_PER_PAGE]
    return [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)], hidden


WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def word_index(pages: list[list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Every word of the body, lowercase, with its (printed page, line) references."""
    refs: dict[str, list[tuple[int, int]]] = {}
    for p, lines in enumerate(pages):
        for n, line in enumerate(lines, 1):
            for w in WORD.findall(line):
                w = w.lower().strip("'")
                at = (FIRST_PRINTED_PAGE + p, n)
                if w and at not in refs.setdefault(w, []):
                    refs[w].append(at)
    return dict(sorted(refs.items()))


def refs_text(refs: list[tuple[int, int]], layout: str) -> str:
    by_page: dict[int, list[int]] = {}
    for p, n in refs:
        by_page.setdefault(p, []).append(n)
    if layout == "plain":
        return ", ".join(f"{p}:{n}" for p, n in refs)
    groups = [f"{p}:" + ",".join(map(str, ns)) for p, ns in by_page.items()]
    return (";" if layout == "minuscript" else " ").join(groups)


# --------------------------------------------------------------------------- drawing
@dataclass
class Drawn:
    """Where an index entry was drawn: PDF page index and its lines' boxes (top-left origin)."""

    word: str
    page: int
    word_box: tuple[float, float, float, float]
    line_boxes: list[tuple[float, float, float, float]]


PAGE_W, PAGE_H = 612.0, 792.0


def _box(x: float, baseline: float, width: float, size: float):
    """A text box in PyMuPDF's coordinates (origin top left) from reportlab's baseline."""
    return (x - 0.2, PAGE_H - baseline - 0.78 * size, x + width + 0.2, PAGE_H - baseline + 0.2 * size)


def draw(out: Path, pages: list[list[str]], index: dict, layout: str) -> list[Drawn]:
    """The body pages, then the index pages; returns where each index entry was drawn."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), invariant=1)
    total = len(pages) + 3
    for i, lines in enumerate(pages):
        _stamp(c, i + 1, total)
        c.setFont("Courier", 12)
        c.drawRightString(540, 722, str(FIRST_PRINTED_PAGE + i))
        for n, text in enumerate(lines, 1):
            y = 690 - 24 * (n - 1)
            c.drawRightString(80, y, str(n))
            c.drawString(96, y, text)
        c.setFont("Helvetica", 8)
        c.drawCentredString(PAGE_W / 2, 40, "Synthetic Reporting Services  555-0100")
        c.showPage()
    spec = {"veritext": ("Times-Roman", 9.0, 4, 11.0), "minuscript": ("Helvetica", 9.0, 3, 11.0),
            "plain": ("Courier", 10.0, 1, 13.0)}[layout]
    font, size, columns, leading = spec
    col_w = (PAGE_W - 108) / columns
    # the index as rows: a letter heading, an entry's first line, or a wrapped line of refs
    rows: list[dict] = []
    letter = ""
    for word, refs in index.items():
        if layout == "veritext" and word[0].upper() != letter:
            letter = word[0].upper()
            rows.append({"kind": "heading", "text": letter, "indent": 0.0})
        rtext = refs_text(refs, layout)
        if layout == "plain":
            parts = _wrap(rtext.split(" "), font, size, PAGE_W - 54 - 220)
            rows.append({"kind": "entry", "word": word, "text": word, "refs": parts[0],
                         "indent": 0.0})
            rows += [{"kind": "more", "text": "", "refs": t, "indent": 0.0} for t in parts[1:]]
            continue
        head = f"{word} ({len(refs)})" if layout == "minuscript" else word
        tokens = re.findall(r"[^,; ]+[,; ]?", rtext)  # wrap after a comma, a semicolon, a space
        lines = _wrap(tokens, font, size, col_w - 8 - stringWidth(head + " ", font, size),
                      col_w - 20, sep="")
        rows.append({"kind": "entry", "word": word, "text": f"{head} {lines[0]}", "indent": 0.0})
        rows += [{"kind": "more", "text": t, "indent": 10.0} for t in lines[1:]]
    per_column = int((PAGE_H - 150) / leading)
    per_page = per_column * columns
    drawn: list[Drawn] = []
    for p in range(0, len(rows), per_page):
        page_rows = rows[p:p + per_page]
        number = len(pages) + p // per_page
        _stamp(c, number + 1, total)
        words = [r["word"] for r in page_rows if r["kind"] == "entry"]
        if layout == "veritext" and words:
            c.setFont("Times-Roman", 9)
            c.drawCentredString(PAGE_W / 2, 730, f"[{words[0]} - {words[-1]}]")
        c.setFont("Helvetica", 8)
        c.drawCentredString(PAGE_W / 2, 40, f"Page {FIRST_PRINTED_PAGE + number}")
        current = None
        for i, r in enumerate(page_rows):
            x = 54 + (i // per_column) * col_w + r["indent"]
            y = 696 - (i % per_column) * leading
            bold = r["kind"] == "heading" and font == "Times-Roman"
            c.setFont("Times-Bold" if bold else font, size)
            if r["text"]:
                c.drawString(x, y, r["text"])
            if layout == "plain" and r.get("refs"):
                c.drawString(220, y, r["refs"])
            end = 220 + stringWidth(r["refs"], font, size) if layout == "plain" and r.get("refs") \
                else x + stringWidth(r["text"], font, size)
            start = x if r["text"] else 220
            if r["kind"] == "entry":
                current = Drawn(r["word"], number, _box(x, y, stringWidth(r["word"], font, size), size),
                                [_box(start, y, end - start, size)])
                drawn.append(current)
            elif r["kind"] == "more" and current is not None:
                current.line_boxes.append(_box(start, y, end - start, size))
        c.showPage()
    c.save()
    return drawn


def _wrap(tokens: list[str], font: str, size: float, first: float, rest: float | None = None,
          sep: str = " ") -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    rest = first if rest is None else rest
    lines, cur = [], ""
    for t in tokens:
        trial = (cur + sep + t) if cur else t
        if cur and stringWidth(trial, font, size) > (rest if lines else first):
            lines.append(cur)
            cur = t
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return [line.strip() for line in lines]


def _stamp(c, page: int, total: int) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(54, 770, f"Case 1:20-cv-04711-ABC   Document 88-2   Filed 03/14/21   "
                          f"Page {page} of {total}")


# --------------------------------------------------------------------------- redaction
def redact(src: Path, dst: Path, pages: list[list[str]], hidden, drawn: list[Drawn],
           variant: str) -> list[dict]:
    """Black out every body mention of the hidden people, and the index by `variant`."""
    import pymupdf

    forms = {p.full: "full" for p in hidden}
    forms.update({p.last: "surname" for p in hidden})
    forms.update({p.first: "first" for p in hidden})
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, sorted(forms, key=len,
                                                                              reverse=True)))
                         + r")(?![A-Za-z])")
    doc = pymupdf.open(src)
    key = []
    for i, lines in enumerate(pages):
        page = doc[i]
        # the testimony's lines as the PDF holds them: text right of the line numbers, top down
        rows = _visual_lines(_chars(page), gutter=14.0)
        left = Counter(round(ln[0][1][0]) for _, ln in rows).most_common(1)[0][0]
        body = [(base, ln) for base, ln in rows if abs(ln[0][1][0] - left) <= 2]
        for n, (text, (_, ln)) in enumerate(zip(lines, body[-len(lines):]), 1):
            spaced = _respace(ln)
            for m in pattern.finditer(spaced[0]):
                chars = [cb[1] for k, cb in zip(spaced[1], ln) if m.start() <= k < m.end()]
                box = pymupdf.Rect(chars[0])
                for b in chars[1:]:
                    box |= pymupdf.Rect(b)
                page.add_redact_annot(box, fill=(0, 0, 0))
                key.append({"page": i + 1, "bbox": [round(v, 3) for v in box],
                            "text": m.group(1), "kind": forms[m.group(1)],
                            "citation": f"{FIRST_PRINTED_PAGE + i}:{n}"})
    hidden_words = {p.last.lower() for p in hidden} | {p.first.lower() for p in hidden}
    if variant != "leak":
        for d in drawn:
            if d.word not in hidden_words:
                continue
            boxes = [d.word_box] if variant == "word" else d.line_boxes
            for b in boxes:
                b = _tight(doc[d.page], pymupdf.Rect(b))
                # the index's lines are set close: glyph boxes of the lines above and below
                # reach into this one's, and PyMuPDF removes every glyph a box touches
                h = b.height
                b = pymupdf.Rect(b.x0, b.y0 + 0.25 * h, b.x1, b.y1 - 0.25 * h)
                doc[d.page].add_redact_annot(b, fill=(0, 0, 0))
                key.append({"page": d.page + 1, "bbox": [round(v, 3) for v in b],
                            "text": d.word, "kind": f"index-{variant}"})
        # the "[first - last]" header names a page's first and last entries: black them out too
        for d in drawn:
            page = doc[d.page]
            for rect in page.search_for(d.word, clip=pymupdf.Rect(0, 55, PAGE_W, 70)):
                if d.word in hidden_words:
                    page.add_redact_annot(rect, fill=(0, 0, 0))
    for page in doc:
        page.apply_redactions()
    doc.save(dst, garbage=3, deflate=True)
    return key


def _respace(ln) -> tuple[str, list[int]]:
    """A visual line's text with spaces put back where the glyphs leave a gap (Chromium writes
    no space glyphs), and each glyph's position in that text."""
    text, at = "", []
    for k, (c, box) in enumerate(ln):
        if k and c != " " and ln[k - 1][0] != " " and box[0] - ln[k - 1][1][2] > 1.5:
            text += " "
        at.append(len(text))
        text += c
    return text, at


def _tight(page, rect):
    """The union of the glyph boxes whose centres lie in `rect`: the box a user who selects
    that text and redacts it gets (PyMuPDF's own glyph boxes, as `search_for` gives them)."""
    import pymupdf

    out = None
    for c, bbox, _ in _chars(page, clip=rect):
        box = pymupdf.Rect(bbox)
        if c.strip() and rect.contains((box.tl + box.br) / 2):
            out = box if out is None else out | box
    return out if out is not None else rect


TRANSCRIPTS = {f"transcript-{layout}-{variant}": ("reportlab", layout, variant)
               for layout in LAYOUTS for variant in VARIANTS}
# Chromium print-to-PDF (Skia): Liberation Mono body, no space glyphs at all, the index in CSS
# columns; redacted from the positions PyMuPDF reads back
TRANSCRIPTS.update({f"transcript-chromium-{layout}-{variant}": ("chromium", layout, variant)
                    for layout in LAYOUTS for variant in ("leak", "word")})


# --------------------------------------------------------------------------- Chromium
CHROME_INDEX = {"veritext": ("Liberation Serif", 9, 4), "minuscript": ("Liberation Sans", 9, 3),
                "plain": ("Liberation Mono", 10, 1)}


def draw_chromium(out: Path, pages: list[list[str]], index: dict, layout: str) -> None:
    """The same transcript printed by headless Chromium from HTML: absolutely placed numbered
    lines in Liberation Mono 12, then the index in CSS columns (wrapped refs hang indented)."""
    import html

    font, size, columns = CHROME_INDEX[layout]
    body = []
    for i, lines in enumerate(pages):
        rows = "".join(f'<div class="ln" style="top:{66 + 24 * n}pt">{n + 1}</div>'
                       f'<div class="tx" style="top:{66 + 24 * n}pt">{html.escape(t)}</div>'
                       for n, t in enumerate(lines))
        body.append(f'<div class="page"><div class="pno">{FIRST_PRINTED_PAGE + i}</div>{rows}</div>')
    entries = []
    letter = ""
    for word, refs in index.items():
        if layout == "veritext" and word[0].upper() != letter:
            letter = word[0].upper()
            entries.append(f'<p class="h">{letter}</p>')
        head = f"{word} ({len(refs)})" if layout == "minuscript" else word
        rtext = re.sub(r"([,;])", r"\1<wbr>", html.escape(refs_text(refs, layout)))
        if layout == "plain":
            entries.append(f'<p class="t"><span class="w">{head}</span><span class="r">{rtext}</span></p>')
        else:
            entries.append(f'<p class="e">{head} {rtext}</p>')
    css = f"""@page {{ size: 8.5in 11in; margin: 54pt }}
body {{ margin: 0 }}
.page {{ position: relative; height: 684pt; page-break-after: always; overflow: hidden }}
.pno {{ position: absolute; right: 18pt; top: 20pt; font: 12pt 'Liberation Mono' }}
.ln {{ position: absolute; left: 0; width: 26pt; text-align: right; font: 12pt 'Liberation Mono' }}
.tx {{ position: absolute; left: 42pt; font: 12pt 'Liberation Mono'; white-space: pre }}
.idx {{ column-count: {columns}; column-gap: 14pt; column-fill: auto; font: {size}pt '{font}';
        line-height: {size + 2.5}pt }}
.idx p {{ margin: 0; break-inside: auto }}
.e {{ padding-left: 10pt; text-indent: -10pt }}
.h {{ font-weight: bold }}
.t {{ display: flex }} .w {{ flex: 0 0 150pt }} .r {{ flex: 1 }}"""
    print_html(f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head>"
               f"<body>{''.join(body)}<div class='idx'>{''.join(entries)}</div></body></html>", out)


def _chars(page, clip=None):
    """PyMuPDF's characters of a page (or of `clip` on it): (char, bbox, baseline) in reading
    order."""
    out = []
    for block in page.get_text("rawdict", clip=clip)["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for ch in span["chars"]:
                    out.append((ch["c"], ch["bbox"], round(ch["origin"][1], 1)))
    return out


def _visual_lines(chars, gutter: float = 6.0):
    """Characters grouped by baseline, then split where a gap wider than `gutter` points opens
    (columns, tab stops): lists of (char, bbox), left to right."""
    rows: dict[float, list] = {}
    for c, box, base in chars:
        rows.setdefault(base, []).append((c, box))
    out = []
    for base in sorted(rows):
        row = sorted(rows[base], key=lambda cb: cb[1][0])
        cur = [row[0]]
        for prev, nxt in zip(row, row[1:]):
            if nxt[1][0] - prev[1][2] > gutter:
                out.append((base, cur))
                cur = []
            cur.append(nxt)
        out.append((base, cur))
    return out


def drawn_from_pdf(doc, first_index_page: int, index: dict, layout: str) -> list[Drawn]:
    """Where each index entry ended up, read back from the PDF (for producers whose layout is
    not computed here): an entry's first line begins with its word at a column's left edge;
    the lines below it that begin with a digit, or are indented, are its wrapped refs."""
    drawn: list[Drawn] = []
    words = set(index)
    for pno in range(first_index_page, len(doc)):
        lines = _visual_lines(_chars(doc[pno]))
        starts = sorted({round(ln[0][1][0]) for _, ln in lines})
        lefts: list[float] = []
        for x in starts:
            if not lefts or x - lefts[-1] > 40:
                lefts.append(x)
        by_col: dict[int, list] = {}
        for base, ln in lines:
            col = max(i for i, x in enumerate(lefts) if x <= ln[0][1][0] + 2)
            by_col.setdefault(col, []).append((base, ln))
        for col in sorted(by_col):
            current = None
            for base, ln in sorted(by_col[col], key=lambda bl: bl[0]):
                text = "".join(c for c, _ in ln)
                head = re.match(r"[a-z][a-z']*", text)
                at_left = abs(ln[0][1][0] - lefts[col]) <= 2
                boxes = [b for _, b in ln]
                union = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                         max(b[2] for b in boxes), max(b[3] for b in boxes))
                if at_left and head and head.group(0) in words:
                    w = head.group(0)
                    wb = [b for _, b in ln[:len(w)]]
                    word_box = (wb[0][0], min(b[1] for b in wb), wb[-1][2], max(b[3] for b in wb))
                    current = Drawn(w, pno, word_box, [union])
                    drawn.append(current)
                elif current is not None and (not at_left or text[:1].isdigit()):
                    current.line_boxes.append(union)
    return drawn


def build(name: str, out_dir: Path, seed: int, pages: int = BODY_PAGES) -> Path:
    """One transcript (`pages` pages of testimony, then its index), redacted, with its key."""
    producer, layout, variant = TRANSCRIPTS[name]
    story = Story(seed)
    rng = random.Random(seed)
    pages, hidden = body_lines(story, rng, pages)
    index = word_index(pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{name}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        clear = Path(tmp) / f"{name}.pdf"
        if producer == "chromium":
            import pymupdf

            draw_chromium(clear, pages, index, layout)
            with pymupdf.open(clear) as printed:
                drawn = drawn_from_pdf(printed, len(pages), index, layout)
        else:
            drawn = draw(clear, pages, index, layout)
        key = redact(clear, final, pages, hidden, drawn, variant)
    answer = {"producer": producer, "font": "Courier" if producer == "reportlab" else
              "Liberation Mono", "size": 12, "layout": layout,
              "variant": variant, "seed": seed, "pages": len(pages),
              "first_printed_page": FIRST_PRINTED_PAGE,
              "people": [{"first": p.first, "last": p.last} for p in hidden],
              "redactions": key}
    final.with_suffix(".json").write_text(json.dumps(answer, indent=1) + "\n")
    return final
