"""The careless case: text still in the PDF under a box that hides it.

One mechanism covers the ways text ends up hidden: a character leaks when the page looks the same
with and without it. Each page is rendered twice with pdfium (annotations included): as it is,
and with every text object made invisible. A character of the text layer whose box does not
change between the two renders cannot be seen by a reader: something is drawn over it (a box of
any colour, an image, an annotation, a cross-hatch), or it is drawn in the colour under it. That
holds whatever the drawing order, colour or shape, and needs no list of redaction styles.

Two kinds of text are invisible by design and are judged differently:
- an invisible text layer (render mode 3, the OCR layer of a scan) leaks only where the scan
  under it is a dark, uniform patch: a box burnt into the image over text the OCR kept;
- text that *is* visible on a dark box ("REDACTED", a white label) is a label, not a leak.

Hidden texts that carry no content are set aside as x-ray (Free Law Project) does: whitespace and
punctuation, a single letter or digit (a box grazing a neighbour), one character repeated (XXXX),
label words ("Redacted", "Privileged", "Confidential"), undecodable text, and documents where
every hidden text is a date (a redaction tool's date stamps). An unapplied /Redact annotation
leaks the text under it whether or not that text is visible.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np

from ..display import count
from ..errors import RedactError, raised_reading
from ..limits import PageTimeout, deadline, render_scale
from .internals import use_layout
from .pdfium import gray, hide_text, open_checked
from .read import check_readable
from .textstate import page_layout, take_chars

SCALE = 2.0  # pixels per point (144 dpi): a period at 6 pt still darkens a pixel
VISIBLE_DIFF = 10  # grey levels (of 255) a glyph must change somewhere in its box to be seen
DARK = 90  # mean grey level below which a uniform patch is a dark box
UNIFORM = 25  # grey-level range within which a patch is uniform
PARTLY = 0.3  # share of a visible glyph's box on a dark box that makes it part of a hidden word
LABEL_WORDS = re.compile(r"redacted and publicly filed|name redacted|redacted|redaction|"
                         r"confidential|privileged?|withheld|sealed|under seal|"
                         r"b\s*\(\s*\d\s*\)(\s*\(\s*[a-z]\s*\))?|ex\.?\s*\d+", re.IGNORECASE)
DATE = re.compile(r"[0-3]?\d[/\-.][0-3]?\d[/\-.]\d{2,4}")


@dataclass(frozen=True)
class Finding:
    """Text found at a box: a leak (hidden but present) or a label (set on the box on purpose)."""

    page: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in points, top-left origin
    text: str
    # covered | under-dark-scan | unapplied-annotation | index | label | placeholder |
    # date-stamp | line-number
    kind: str
    citation: str | None = None  # "page:line" for a transcript's bar (kind index)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["bbox"] = [round(v, 2) for v in self.bbox]
        return d


# what each kind of leak is (`Finding.kind`): a table's word, and a count's noun (one, many)
KINDS = {"covered": ("under a box", "box with its text still under it",
                     "boxes with their text still under them"),
         "under-dark-scan": ("OCR under a burnt-in box", "box burnt into the scan over OCR text",
                             "boxes burnt into the scan over OCR text"),
         "unapplied-annotation": ("annotation not applied", "redaction annotation never applied",
                                  "redaction annotations never applied"),
         "index": ("word index", "name the word index gives away",
                   "names the word index gives away")}


@dataclass
class LeakReport:
    file: str
    pages: int
    leaks: list[Finding] = field(default_factory=list)
    labels: list[Finding] = field(default_factory=list)  # not leaks: shown so a reader can check
    notes: list[str] = field(default_factory=list)
    checked_pages: int = 0  # pages whose check finished
    unchecked: list[dict] = field(default_factory=list)  # {"page", "reason"}: pages that failed
    limit_pages: int | None = None  # only the first pages were asked for (--max-pages)
    # the word index check (`api.leak_check`): "checked", "no word index", or "not run: why"
    # ("": this report is the check under boxes alone, `find_leaks`)
    index_check: str = ""

    @property
    def asked_pages(self) -> int:
        """The pages the check was asked to cover."""
        return self.pages if self.limit_pages is None else min(self.limit_pages, self.pages)

    @property
    def complete(self) -> bool:
        """Every page of the file was checked, in every way: only then can "no leak" be said."""
        return (not self.unchecked and self.asked_pages == self.pages
                and not self.index_check.startswith("not run"))

    def unchecked_text(self) -> str:
        """What was not checked, in words ("" when everything was)."""
        out = []
        if self.unchecked:
            shown = ", ".join(f"{u['page']} ({u['reason']})" for u in self.unchecked[:5])
            more = len(self.unchecked) - 5
            out.append(f"{len(self.unchecked)} of {self.asked_pages} pages could not be checked: "
                       + shown + (f" and {more} more" if more > 0 else ""))
        if self.asked_pages < self.pages:
            out.append(f"pages {self.asked_pages + 1}-{self.pages} were not checked "
                       f"(--max-pages {self.limit_pages}), nor any word index on them")
        if self.index_check.startswith("not run"):
            out.append("the word index check was " + self.index_check)
        return "; ".join(out)

    def counts_text(self) -> str:
        """The leaks by kind, in words: "3 boxes with their text still under them, 1 name the
        word index gives away"."""
        by_kind: dict[str, int] = {}
        for f in self.leaks:
            by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        return ", ".join(f"{n} {KINDS.get(k, (k, k, k))[1 if n == 1 else 2]}"
                         for k, n in by_kind.items())

    def headline(self) -> str:
        """The check's answer in one line, as every command says it."""
        if self.leaks:
            return (f"leak check: {count(len(self.leaks), 'leak')} ({self.counts_text()}): "
                    "no guessing needed there")
        if self.complete:
            index = {"checked": "and the word index", "no word index": "(no word index)",
                     "": ""}.get(self.index_check, f"(word index: {self.index_check})")
            pages = "its only page" if self.pages == 1 else f"all {self.pages:,} pages"
            return (f"leak check: no hidden text found: {pages} checked for text under boxes "
                    f"{index}").rstrip()
        return (f"leak check NOT checked in full: no hidden text on the "
                f"{count(self.checked_pages, 'page')} checked, but {self.unchecked_text()}")

    def to_dict(self) -> dict:
        return {"file": self.file, "pages": self.pages, "checked_pages": self.checked_pages,
                "unchecked": self.unchecked, "limit_pages": self.limit_pages,
                "index_check": self.index_check, "complete": self.complete,
                "leaks": [f.to_dict() for f in self.leaks],
                "labels": [f.to_dict() for f in self.labels], "notes": self.notes}


def find_leaks(path, password: str = "", max_pages: int | None = None) -> LeakReport:
    """Every text the PDF holds but does not show, page by page (see the module's doc).
    Raises RedactError on a file that cannot be read; the file is only read."""
    import pdfplumber

    path, _ = check_readable(path)
    pdf = open_checked(path, password)
    report = LeakReport(str(path), len(pdf), limit_pages=max_pages)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(path, password=password) as pl:
                for i in range(report.asked_pages):
                    if i >= len(pl.pages):  # a damaged page tree: the two readers disagree
                        report.unchecked.append({"page": i + 1, "reason": "damaged (its text "
                                                 "cannot be read)"})
                        continue
                    try:
                        with deadline():
                            _check_page(pl.pages[i], pdf[i], i + 1, report)
                        report.checked_pages += 1
                    except PageTimeout as exc:
                        report.unchecked.append({"page": i + 1, "reason": str(exc)})
                    except Exception as exc:  # one damaged page: say so, check the rest
                        if not raised_reading(exc):
                            raise  # our bug: exit 3, never a page quietly passed over
                        report.unchecked.append({"page": i + 1, "reason": "damaged "
                                                 f"({type(exc).__name__})"})
    except RedactError:
        raise
    except Exception as exc:
        if not raised_reading(exc):
            raise
        raise RedactError(f"{path}: cannot be read as a PDF ({type(exc).__name__})") from None
    finally:
        pdf.close()
    _date_stamps(report)
    return report


# --------------------------------------------------------------------------- one page
def _renders(pdf_page, width_pt: float, height_pt: float):
    """(as published, with every text object invisible, scale, bounds of invisible-mode text)."""
    scale = render_scale(width_pt, height_pt, SCALE)

    def render():
        return gray(pdf_page, scale, forms=True).astype(np.int16)

    before = render()
    invisible = hide_text(pdf_page)
    after = render()
    return before, after, scale, invisible


def _check_page(pl_page, pdf_page, number: int, report: LeakReport) -> None:
    layout, _ = page_layout(pl_page)  # the glyphs as redact.pdf.read reads them
    chars = take_chars(pl_page, layout)
    use_layout(pl_page, layout)
    x_off, top_off = float(pl_page.bbox[0]), float(pl_page.bbox[1])
    height_pdf = float(pl_page.height)
    before, after, s, invisible = _renders(pdf_page, float(pl_page.width), height_pdf)
    h, w = before.shape
    redact_annots = [a for a in pl_page.annots
                     if str((a.get("data") or {}).get("Subtype", "")).strip("/'") == "Redact"]
    hidden, labels, annotated = [], [], {id(a): [] for a in redact_annots}
    for c in chars:
        if not c["text"].strip():
            continue
        x0, x1 = c["x0"] - x_off, c["x1"] - x_off
        top, bottom = c["top"] - top_off, c["bottom"] - top_off
        for a in redact_annots:
            if c["x0"] < a["x1"] and c["x1"] > a["x0"] and c["top"] < a["bottom"] and c["bottom"] > a["top"]:
                annotated[id(a)].append(c)
        r0, r1 = max(int(top * s), 0), min(int(np.ceil(bottom * s)), h)
        c0, c1 = max(int(x0 * s), 0), min(int(np.ceil(x1 * s)), w)
        if r1 <= r0 or c1 <= c0:
            continue  # off the page
        seen = before[r0:r1, c0:c1]
        ground = after[r0:r1, c0:c1]  # what the glyph is drawn on
        if int(np.abs(seen - ground).max()) >= VISIBLE_DIFF:
            if ground.mean() < DARK and np.ptp(ground) < UNIFORM:
                labels.append(c)
            elif (ground < DARK).mean() >= PARTLY:  # half under a box: goes with its word
                hidden.append((c, "partly"))
            continue
        cx, cy = (c["x0"] + c["x1"]) / 2, height_pdf - (c["top"] + c["bottom"]) / 2 + top_off
        if any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in invisible):
            if seen.mean() < DARK and np.ptp(seen) < UNIFORM:  # an OCR layer under a burnt-in box
                hidden.append((c, "under-dark-scan"))
            continue
        hidden.append((c, "covered"))
    marks = {id(c): k for c, k in hidden}
    seen_chars = [c for c in chars if id(c) not in marks and c["text"].strip()]
    margin = _number_columns(seen_chars)
    for kind in ("covered", "under-dark-scan"):
        for group in _runs([c for c, k in hidden if k in (kind, "partly")]):
            if any(marks[id(c)] == kind for c in group):
                _add(report, number, group, kind, seen_chars, margin)
    for group in _runs(labels):
        report.labels.append(Finding(number, _bbox(group), _text(group), "label"))
    for a in redact_annots:
        chars = annotated[id(a)]
        text = _text(chars) if chars else ""
        if _meaningful(text):
            report.leaks.append(Finding(number, (a["x0"], a["top"], a["x1"], a["bottom"]), text,
                                        "unapplied-annotation"))


def _add(report: LeakReport, page: int, group: list[dict], kind: str,
         seen: list[dict] = (), margin: list[float] = ()) -> None:
    """File a hidden run of characters: a leak, or one of the hidden texts that carry no content
    (see the module's docstring). `seen`: the page's visible characters, which complete a word
    a box cuts ("P" + "rivilege" is the label "Privilege"); `margin`: where the page's visible
    line numbers stand (a hidden "31" there is one more line number, not a leak)."""
    text = _text(group)
    if not _meaningful(text):
        return
    alnum = re.sub(r"[^0-9A-Za-z]", "", text)
    whole = _text(_whole_words(group, seen))
    if len(set(alnum.lower())) == 1:
        report.labels.append(Finding(page, _bbox(group), text, "placeholder"))
    elif not LABEL_WORDS.sub("", whole).strip(" .,:;-_()[]"):
        report.labels.append(Finding(page, _bbox(group), text, "label"))
    elif re.fullmatch(r"\d{1,2}", text) and any(
            abs((group[0]["x0"] + group[-1]["x1"]) / 2 - x) < 2.0 for x in margin):
        report.labels.append(Finding(page, _bbox(group), text, "line-number"))
    else:
        report.leaks.append(Finding(page, _bbox(group), text, kind))


def _whole_words(group: list[dict], seen: list[dict]) -> list[dict]:
    """The run with the visible characters of its size that touch it on its line (the rest of
    a word a box edge cuts), in reading order."""
    out = list(group)
    size = max(group[0].get("size", 10.0), 1.0)
    for side in (-1, 1):
        while True:
            end = out[0] if side < 0 else out[-1]
            near = [c for c in seen if abs(c["top"] - end["top"]) < 0.5 * size
                    and abs(c.get("size", size) - size) < 0.2 * size and (
                    abs(c["x1"] - end["x0"]) < 0.2 * size if side < 0
                    else abs(c["x0"] - end["x1"]) < 0.2 * size) and c not in out]
            if not near:
                break
            out = [near[0]] + out if side < 0 else out + [near[0]]
    return out


def _number_columns(seen: list[dict]) -> list[float]:
    """The x centres of the page's columns of visible line numbers: five or more bare numbers
    of one or two digits, one above another."""
    centres = [(w[0]["x0"] + w[-1]["x1"]) / 2 for w in _runs(seen)
               if re.fullmatch(r"\d{1,2}", _text(w))]
    out = []
    for x in sorted(centres):
        if sum(abs(x - y) < 2.0 for y in centres) >= 5 and not any(abs(x - o) < 2.0 for o in out):
            out.append(x)
    return out


def _meaningful(text: str) -> bool:
    """Two letters or digits at least, and nothing undecodable."""
    return "\ufffd" not in text and len(re.findall(r"[^\W_]", text)) >= 2


def _date_stamps(report: LeakReport) -> None:
    """A document whose every hidden text is a date holds a redaction tool's date stamps."""
    if report.leaks and all(f.kind == "covered" and not DATE.sub("", f.text).strip()
                            for f in report.leaks):
        report.labels += [Finding(f.page, f.bbox, f.text, "date-stamp") for f in report.leaks]
        report.notes.append("every hidden text is a date: date stamps of the redaction tool, "
                            "not leaks")
        report.leaks = []


# --------------------------------------------------------------------------- grouping
def _runs(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into runs: one line, no gap wider than a space or two."""
    groups: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"] / 2), c["x0"])):
        last = groups[-1][-1] if groups else None
        size = max(c.get("size", 10.0), 1.0)
        if (last is not None and abs(c["top"] - last["top"]) < 0.5 * size
                and -0.5 * size < c["x0"] - last["x1"] < 1.5 * size):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _text(chars: list[dict]) -> str:
    out = ""
    for i, c in enumerate(chars):
        if i and c["x0"] - chars[i - 1]["x1"] > 0.2 * max(c.get("size", 10.0), 1.0):
            out += " "
        out += c["text"]
    return out


def _bbox(chars: list[dict]) -> tuple[float, float, float, float]:
    return (min(c["x0"] for c in chars), min(c["top"] for c in chars),
            max(c["x1"] for c in chars), max(c["bottom"] for c in chars))

