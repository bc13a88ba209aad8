"""PDF -> glyph lines and redaction bars.

Everything here is in PDF points with the origin at the page's top left (pdfplumber's `top`).
A `Glyph` keeps its origin and its advance as positioned on the page; a `Bar` is one redaction
(boxes of one redaction on one line already merged); a `TextLine` is the glyphs of one baseline.
"""
from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .errors import NOTHING_FOUND, RedactError, raised_reading
from .limits import PageTimeout, deadline, render_scale
from .robust import robust_mean
from .textstate import TextRuns, page_layout, take_chars
from .transcript import number_lines

DARK_LUMINANCE = 0.35  # a fill is a bar when it renders darker than this (0 black, 1 white)
MIN_BAR_WIDTH_PT = 2.0
MIN_BAR_HEIGHT_PT = 3.0  # thinner fills are rules, underlines and table borders
MAX_PAGE_FRACTION = 0.5  # a fill over half the page is a background, not a bar
SIZE_STEP_PT = 0.5  # word processors set font sizes in half points
DEVICE_PIXEL_PT = 72 / 600  # a printer driver writes the size in whole pixels per em at 600 dpi
MIN_LAYOUT_WORDS = 20  # words a (font, size) needs before its laid-out size is fitted
MIN_LEARNED_WORDS = 100  # words a (font, size) needs before its glyphs' own advances are learned
MAX_LEARNED_WORDS = 10_000  # words enough to learn them from: a long document's are sampled
PRIOR_WORDS = 5.0  # how many words' evidence the font's own advance weighs against a learned one
LEARNED_GAIN = 0.9  # learned advances are kept when they cut the held-out error to this share
EXACT_PT = 0.005  # positions that the font's advances already give this closely need nothing


@dataclass(frozen=True, slots=True)
class Glyph:
    text: str
    x_pt: float  # origin, where the glyph's advance starts
    advance_pt: float  # font width x size x scaling, without Tc/Tw (pdfplumber's x1 - x0)
    top_pt: float
    bottom_pt: float
    baseline_pt: float
    font: str
    size_pt: float

    @property
    def end_pt(self) -> float:
        return self.x_pt + self.advance_pt

    @property
    def center_pt(self) -> float:
        return self.x_pt + self.advance_pt / 2

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def font_size(self) -> tuple[str, float]:
        """The glyph's font and size as the document's per-size tables key them (pdfminer's
        matrix arithmetic leaves sizes such as 12.000000000000004)."""
        return self.font, size_key(self.size_pt)


def size_key(size_pt: float) -> float:
    return round(size_pt, 3)


@dataclass
class TextLine:
    page: int
    glyphs: list[Glyph]
    number: int | None = None  # the transcript line number printed beside it (see `transcript`)

    # a line's extent and baseline, computed once: the glyphs that later take their laid-out
    # size and advances (`layout_sizes`, `set_advances`) keep their vertical place
    @functools.cached_property
    def top_pt(self) -> float:
        return min(g.top_pt for g in self.glyphs)

    @functools.cached_property
    def bottom_pt(self) -> float:
        return max(g.bottom_pt for g in self.glyphs)

    @functools.cached_property
    def baseline_pt(self) -> float:
        return float(np.median([g.baseline_pt for g in self.glyphs]))

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True)
class Bar:
    """One redaction on one line: the union of its boxes, and each box's x-range."""

    page: int
    x0_pt: float
    top_pt: float
    x1_pt: float
    bottom_pt: float
    parts: tuple[tuple[float, float], ...] = ()

    @property
    def width_pt(self) -> float:
        return self.x1_pt - self.x0_pt

    @property
    def height_pt(self) -> float:
        return self.bottom_pt - self.top_pt

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0_pt, self.top_pt, self.x1_pt, self.bottom_pt)


def bar_id(page_number: int, k: int) -> str:
    """The id of a page's k-th bar (0-based, in reading order): "p3-2" is page 3's second."""
    return f"p{page_number}-{k + 1}"


BAR_MARK = re.compile(r"█(p\d+-\d+)█")  # another bar, as a context shows it: "█p1-4█"


def bar_mark(rid: str) -> str:
    """Another bar of the line, as a context shows it (a numbered block: `BAR_MARK`)."""
    return f"█{rid}█"


@dataclass
class Page:
    number: int  # 1-based
    width_pt: float
    height_pt: float
    lines: list[TextLine]
    bars: list[Bar]
    line_of_bar: list[int | None] = field(default_factory=list)  # index into lines, per bar
    printed_number: int | None = None  # a transcript's own page number (see `transcript`)
    text_runs: TextRuns | None = None  # how the glyphs were drawn, kept on pages with bars


@dataclass(frozen=True)
class FontResource:
    """A PDF font, read while the file is open: what `fonts` needs to know its widths."""

    name: str  # BaseFont, as the glyphs carry it
    font: object  # pdfminer's PDFFont: the code -> Unicode maps and the parsed widths
    widths: tuple | None  # the dictionary's own /Widths (simple fonts), from first_char on
    first_char: int
    program: bytes | None  # the embedded font program (FontFile, FontFile2 or FontFile3), decoded
    program_kind: str = ""  # "type1" (FontFile), "truetype" (FontFile2), or the FontFile3 /Subtype
    type1_lengths: tuple[int, int] = (0, 0)  # /Length1 and /Length2 of a Type 1 program


@dataclass(frozen=True)
class AdvanceOffsets:
    """How far the advances one font at one size was laid out with depart from the font's:
    `common_pt` for every glyph (the typical extra between two glyphs of a word), plus each
    glyph's own learned offset (see `learned_advances`)."""

    common_pt: float
    glyph_pt: dict[str, float]

    def of(self, char: str) -> float:
        return 0.0 if char.isspace() else self.common_pt + self.glyph_pt.get(char, 0.0)


@dataclass
class Layout:
    path: Path
    pages: list[Page]
    fonts: dict[str, FontResource]  # by the name glyphs carry
    notes: list[str] = field(default_factory=list)  # pages skipped, and why
    # per (font, size): how far each glyph's advance as the producer laid it out departs from
    # the font's (Word's own layout widths), learned from the document's words (see
    # `learned_advances`); the glyphs' advance_pt already include it
    advance_offsets: dict[tuple[str, float], AdvanceOffsets] = field(default_factory=dict)
    # per (font, size): text whose glyphs sit at the producer's ideal layout (the font's own
    # advances) rounded to a device grid with an error that does not accumulate (Word printing
    # through a GDI driver, as Nuance writes it): a bar's edges are fitted on the whole line
    # (`measure.tracked_edges`), not read off the glyph beside it
    tracked: set[tuple[str, float]] = field(default_factory=set)

    @property
    def bars(self) -> list[tuple[Page, Bar]]:
        return [(p, b) for p in self.pages for b in p.bars]

    @property
    def bar_ids(self) -> list[str]:
        """Each bar's id (see `bar_id`), in the order of `bars`."""
        return [bar_id(p.number, k) for p in self.pages for k in range(len(p.bars))]


# --------------------------------------------------------------------------- opening
def check_readable(path: str | os.PathLike) -> tuple[Path, bytes]:
    """The path and the file's first KiB, if it names a file that starts like a PDF;
    RedactError otherwise."""
    path = Path(path)
    if not path.exists():
        raise RedactError(f"{path}: no such file")
    if path.is_dir():
        raise RedactError(f"{path}: is a directory, not a PDF")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise RedactError(f"{path}: not a PDF (no %PDF- header)")
    return path, head


def read_pdf(path: str | os.PathLike, password: str = "", require_bars: bool = True,
             max_pages: int | None = None) -> Layout:
    """Read glyphs, lines and bars from every page (the first `max_pages`, when given). Raises
    RedactError on unusable input. The file is only ever opened for reading."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    path, head = check_readable(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pdf = pdfplumber.open(path, password=password)
            with pdf:
                return _read(path, pdf, password, require_bars, max_pages)
    except RedactError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
        if not raised_reading(exc):
            raise  # our own bug: the CLI says so (exit 3), never "damaged"
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise RedactError(f"{path}: encrypted; " + ("wrong password" if password else
                              "give its password with --password")) from None
        name = type(cause).__name__
        if "Encrypt" in name or "Password" in name:
            raise RedactError(f"{path}: encrypted with an unsupported scheme") from None
        raise RedactError(f"{path}: cannot be read as a PDF (truncated or damaged: {name})") from None


def _read(path: Path, pdf, password: str, require_bars: bool, max_pages: int | None = None
          ) -> Layout:
    fonts: dict[str, FontResource] = {}
    if not pdf.pages:
        raise RedactError(f"{path}: the PDF has no pages")
    renders = _PageRenderer(path, password)
    try:
        pages, n_glyphs, notes = _read_pages(pdf, renders, fonts, max_pages)
    finally:
        renders.close()
    _to_layout_sizes(pages)
    if n_glyphs == 0:
        raise RedactError(f"{path}: no text layer (scanned image?); nothing to measure against")
    if require_bars and not any(p.bars for p in pages):
        if notes:  # "no bars" cannot be said of pages that were not read
            raise RedactError(f"{path}: no redaction bars on the pages read, but {len(notes)} "
                              f"could not be read ({notes[0]}{', ...' if len(notes) > 1 else ''})")
        raise RedactError(f"{path}: no redaction bars found", NOTHING_FOUND)
    return Layout(path, pages, fonts, notes)


def _read_pages(pdf, renders: "_PageRenderer", fonts: dict[str, FontResource],
                max_pages: int | None = None):
    """Every page in turn, each released (pdfplumber's cache of its objects) once read: the
    pages, how many glyphs they hold, and the notes on pages skipped."""
    pages: list[Page] = []
    n_glyphs = 0
    notes: list[str] = []
    for pl_page in pdf.pages[:max_pages]:
        try:
            with deadline():
                glyphs, page = _read_page(pl_page, renders, fonts)
        except PageTimeout as exc:
            notes.append(f"page {pl_page.page_number} skipped: {exc}")
            glyphs, page = [], Page(pl_page.page_number, float(pl_page.width),
                                    float(pl_page.height), [], [], [])
        finally:
            pl_page.close()
        n_glyphs += len(glyphs)
        pages.append(page)
    return pages, n_glyphs, notes


def _read_page(pl_page, renders: "_PageRenderer", fonts: dict[str, FontResource]):
    """One page's glyphs and its Page (lines and bars); new fonts are added to `fonts`.
    Glyphs are placed as the PDF specification says (see `textstate.page_layout`); a glyph
    drawn again within a point of itself (Nuance and Word make bold by overprinting) is one."""
    layout, runs = page_layout(pl_page, record_runs=True)
    chars = dedupe_chars(take_chars(pl_page, layout))
    pl_page._layout = layout  # what is left: rects, curves, lines
    shared: dict[float, float] = {}  # a line's glyphs share their vertical coordinates
    glyphs = [_glyph(c, shared) for c in chars if c.get("upright", True) and c["text"]]
    boxes = _candidate_boxes(pl_page)
    if boxes:
        boxes = renders.dark(pl_page.page_number - 1, boxes, pl_page.height, pl_page.width)
    lines, printed = number_lines(_group_lines(pl_page.page_number, glyphs))
    lines = _split_columns(lines, boxes)
    bars, line_of_bar = _merge_bars(pl_page.page_number, boxes, lines)
    if glyphs:
        for name, spec in _font_specs(pl_page).items():
            if name not in fonts:
                fonts[name] = _font_resource(name, spec)
    page = Page(pl_page.page_number, float(pl_page.width), float(pl_page.height), lines, bars,
                line_of_bar, printed, runs if bars else None)
    return glyphs, page


def layout_sizes(lines: list[TextLine]) -> dict[tuple[str, float], float]:
    """The size each (font, size) was laid out at, where it differs from the size the PDF
    draws it at. Word lays a line out at its nominal size (a half point) and a printer driver
    (PScript5, PDFMaker, Nuance) writes the font at a whole number of 600 dpi pixels per em:
    14 pt becomes 14.04 or 13.92 pt, 10 pt 10.08 or 9.96 pt, while every glyph stays where the
    14 pt (10 pt) layout put it. The scale from the words' spans (first glyph's origin to last
    glyph's origin, against their advances) decides: the nominal size within one pixel when the
    spans are closer to its scale than to 1."""
    spans: dict[tuple[str, float], list[tuple[float, float]]] = {}
    for line in lines:
        for word in _words_of(line.glyphs):
            key = word[0].font_size
            spans.setdefault(key, []).append(
                (word[-1].x_pt - word[0].x_pt, sum(g.advance_pt for g in word[:-1])))
    out = {}
    for (font, size), sw in spans.items():
        nominal = round(size / SIZE_STEP_PT) * SIZE_STEP_PT
        if len(sw) < MIN_LAYOUT_WORDS or nominal == size or abs(nominal - size) > DEVICE_PIXEL_PT:
            continue
        span, width = np.asarray(sw).T
        scale = float(span @ width / (width @ width))
        if abs(scale - nominal / size) < abs(scale - 1.0):
            out[(font, size)] = nominal
    return out


def _words_of(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Runs of two or more glyphs of one font and size, each starting within a fifth of an em
    of the previous glyph's end: the words, whose spans hold no space."""
    words, run = [], []
    last = None
    for g in glyphs:
        space = g.text.isspace()
        if last is not None and (space or g.font != last.font or g.size_pt != last.size_pt
                                 or abs(g.x_pt - last.x_pt - last.advance_pt) > 0.2 * g.size_pt):
            if len(run) >= 2:
                words.append(run)
            run, last = [], None
        if not space:
            run.append(g)
            last = g
    if len(run) >= 2:
        words.append(run)
    return words


def _to_layout_sizes(pages: list[Page]) -> None:
    """Glyphs take the size their text was laid out at (`layout_sizes`), their advances
    scaled with it: what a glyph's advance means downstream is where the layout put the next."""
    sizes = layout_sizes([line for p in pages for line in p.lines])
    if not sizes:
        return
    for page in pages:
        for line in page.lines:
            line.glyphs = [g if g.font_size not in sizes else replace(
                g, size_pt=sizes[g.font_size], advance_pt=g.advance_pt * sizes[g.font_size] / g.size_pt)
                for g in line.glyphs]


def set_advances(layout: Layout, offsets: dict[tuple[str, float], AdvanceOffsets]) -> None:
    """Move the glyphs' advances to these offsets from the font's (none: the font's own),
    from whatever offsets they had."""
    old = layout.advance_offsets
    keys = set(old) | set(offsets)
    none = AdvanceOffsets(0.0, {})

    def shift(g: Glyph) -> Glyph:
        k = g.font_size
        if k not in keys:
            return g
        d = offsets.get(k, none).of(g.text) - old.get(k, none).of(g.text)
        return replace(g, advance_pt=g.advance_pt + d) if d else g

    for page in layout.pages:
        for line in page.lines:
            line.glyphs = [shift(g) for g in line.glyphs]
    layout.advance_offsets = dict(offsets)


def learned_advances(lines: list[TextLine], fonts: set[str]
                     ) -> dict[tuple[str, float], AdvanceOffsets]:
    """Per (font, size), each glyph's advance offset (points) as the producer laid it out.
    Word lays a line out with its own widths (hinted, per size) and the driver rounds every
    position to a 600 dpi grid: a glyph's advance departs from the font's by a few hundredths of
    a point, much the same way each time it is drawn. Every word on the page is an equation
    (`_WordEquations`): the glyphs' advances plus the typical extra between two glyphs give its
    span. Each glyph's offset is fitted over the document's words, drawn towards zero by
    PRIOR_WORDS words' weight, in whichever of `FITS` predicts held-out words best (one word in
    two, fitted on the others, both ways) as a bar measures a word: from its first glyph to the
    space after it (so a font needs MIN_LEARNED_WORDS / 2 words followed by a space). The
    offsets are kept where that held-out median error is at most LEARNED_GAIN of what the
    font's advances leave."""
    words: dict[tuple[str, float], list[tuple[list[Glyph], Glyph | None]]] = {}
    for line in lines:
        at = {id(g): i for i, g in enumerate(line.glyphs)}
        for word in _words_of(line.glyphs):
            if word[0].font not in fonts:
                continue
            j = at[id(word[-1])] + 1
            after = line.glyphs[j] if j < len(line.glyphs) else None
            ends = after is not None and after.is_space and after.font_size == word[0].font_size
            words.setdefault(word[0].font_size, []).append((word, after if ends else None))
    out = {}
    for key, found in words.items():
        if len(found) < MIN_LEARNED_WORDS:
            continue
        found = found[::-(-len(found) // MAX_LEARNED_WORDS)]  # spread over the document
        if len({round(g.advance_pt, 3) for w, _ in found for g in w}) == 1:
            continue  # monospaced: every glyph keeps the one cell
        eq = _WordEquations(found)
        if (np.abs(eq.span_resid).mean() <= EXACT_PT
                or eq.ends_at_space.sum() < MIN_LEARNED_WORDS // 2):
            continue
        half = np.arange(len(found)) % 2 == 0
        held = {fit: np.concatenate([eq.held_out_error(fit, h) for h in (half, ~half)])
                for fit in FITS}
        best = min(held, key=lambda fit: np.median(held[fit]))
        if np.median(held[best]) < LEARNED_GAIN * np.median(eq.font_error()):
            delta = eq.fit(best, np.ones(len(found), bool))
            out[key] = AdvanceOffsets(eq.extra_pt, dict(zip(eq.chars, delta[:-1].tolist())))
    return out


# How a font's advance offsets may be fitted: over the words' spans (first glyph's origin to
# the last's) or their extents (to the origin of the space after them, the frame a bar measures
# in), by least squares or to the words' typical width (`_typical`). Which predicts a word best
# differs between Word's drivers and between filings (on the development filings each of the
# four wins somewhere); the held-out words choose.
FITS = (("span", "mean"), ("span", "typical"), ("extent", "mean"), ("extent", "typical"))
TYPICAL_PT = 0.06  # half a 600 dpi step: a word this close to its fit counts as typical
TYPICAL_ROUNDS = 10
OFF_EXTENT_PT = 0.5  # a space this far off (a tab, a second text layer) ends no word


class _WordEquations:
    """One font at one size: each word's glyph counts and what the font's advances leave
    unexplained of its span (to its last glyph's origin) and of its extent (to the origin of
    the space after it, where one follows)."""

    def __init__(self, found: list[tuple[list[Glyph], Glyph | None]]):
        ws = [w for w, _ in found]
        self.chars = sorted({g.text for w in ws for g in w})
        col = {c: i for i, c in enumerate(self.chars)}
        n = len(self.chars)
        self.extra_pt = float(np.median([b.x_pt - a.end_pt for w in ws for a, b in zip(w, w[1:])]))
        self.span_counts = np.zeros((len(ws), n))
        self.extent_counts = np.zeros((len(ws), n + 1))  # the last column: the space's extra
        self.span_resid = np.zeros(len(ws))
        self.extent_resid = np.full(len(ws), np.nan)
        for i, (w, after) in enumerate(found):
            for g in w[:-1]:
                self.span_counts[i, col[g.text]] += 1
            for g in w:
                self.extent_counts[i, col[g.text]] += 1
            self.extent_counts[i, n] = 1.0
            spanned = sum(g.advance_pt + self.extra_pt for g in w[:-1])
            self.span_resid[i] = w[-1].x_pt - w[0].x_pt - spanned
            if after is not None:
                self.extent_resid[i] = (after.x_pt - w[0].x_pt - spanned - w[-1].advance_pt
                                        - self.extra_pt)
        ends = np.isfinite(self.extent_resid)
        if ends.any():
            typical = np.median(self.extent_resid[ends])
            ends &= np.abs(np.nan_to_num(self.extent_resid) - typical) <= OFF_EXTENT_PT
        self.ends_at_space = ends

    def fit(self, how: tuple[str, str], rows: np.ndarray) -> np.ndarray:
        """Each glyph's offset, and last the extra before a space, fitted on `rows`."""
        frame, estimate = how
        solve = _ridge if estimate == "mean" else _typical
        ends = rows & self.ends_at_space
        if frame == "extent":
            return solve(self.extent_counts[ends], self.extent_resid[ends])
        delta = solve(self.span_counts[rows], self.span_resid[rows])
        before_space = self.extent_resid[ends] - self.extent_counts[ends, :-1] @ delta
        return np.append(delta, robust_mean(before_space))

    def held_out_error(self, how: tuple[str, str], fitted: np.ndarray) -> np.ndarray:
        """|error| of the extents of the words not in `fitted`, fitted on those in it."""
        test = ~fitted & self.ends_at_space
        return np.abs(self.extent_resid[test] - self.extent_counts[test] @ self.fit(how, fitted))

    def font_error(self) -> np.ndarray:
        """|error| of the extents the font's own advances give, with the typical extras."""
        r = self.extent_resid[self.ends_at_space]
        return np.abs(r - robust_mean(r))


def _typical(counts: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """Offsets that give each word its typical width: least squares, then again over only the
    words within TYPICAL_PT of their fit, until those stop changing. A 600 dpi grid moves a
    word by a pixel now and then, one way more often than the other: the mean over all words
    leans towards those steps, the words' typical width does not."""
    delta = _ridge(counts, resid)
    near = None
    for _ in range(TYPICAL_ROUNDS):
        keep = np.abs(resid - counts @ delta) <= TYPICAL_PT
        if keep.sum() < 0.5 * len(resid) or (near is not None and np.array_equal(keep, near)):
            break
        near, delta = keep, _ridge(counts[keep], resid[keep])
    return delta


def _ridge(counts: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """Offsets that explain `resid` from the glyph `counts`, each drawn towards zero."""
    a = counts.T @ counts + PRIOR_WORDS * np.eye(counts.shape[1])
    return np.linalg.solve(a, counts.T @ resid)


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """A character drawn again within `tolerance` of itself (same text, both coordinates) is
    one: Nuance and Word make bold by overprinting, and some files carry two text layers. Of
    each group the top-left one stays, in drawing order (as pdfplumber's `dedupe_chars` with
    no extra attributes, in linear time: its own sorts by list position)."""
    cells: dict[tuple, list[int]] = {}
    kept: list[list] = []  # [drawing index, char, x, y]
    near = [(0, 0)] + [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]
    moved = False
    for i, c in enumerate(chars):
        x, y = float(c["x0"]), float(c["doctop"])
        cx, cy = int(x // tolerance), int(y // tolerance)
        up, text = c.get("upright", True), c["text"]
        slot = None
        for dx, dy in near:
            for s in cells.get((up, text, cx + dx, cy + dy), ()):
                if abs(kept[s][2] - x) <= tolerance and abs(kept[s][3] - y) <= tolerance:
                    slot = s
                    break
            if slot is not None:
                break
        if slot is None:
            cells.setdefault((up, text, cx, cy), []).append(len(kept))
            kept.append([i, c, x, y])
        elif (y, x) < (kept[slot][3], kept[slot][2]):
            kept[slot] = [i, c, x, y]
            moved = True
    if moved:
        kept.sort(key=lambda k: k[0])
    return [k[1] for k in kept]


def _glyph(c: dict, shared: dict[float, float]) -> Glyph:
    """A pdfplumber char as a Glyph. Its advance, vertical coordinates and size are drawn from `shared`
    (one float object per value on the page): a page's glyphs repeat a few values, and a
    400-page transcript holds most of a million glyphs."""
    # The origin's page-space y is the text matrix's f; the bbox bottom sits `descent` below it.
    m = c.get("matrix")
    baseline = float(c["bottom"]) + (float(c["y0"]) - float(m[5]) if m is not None else 0.0)
    one = (lambda v: shared.setdefault(v, v))
    return Glyph(
        text=c["text"],
        x_pt=float(c["x0"]),
        advance_pt=one(float(c["x1"]) - float(c["x0"])),
        top_pt=one(float(c["top"])),
        bottom_pt=one(float(c["bottom"])),
        baseline_pt=one(baseline),
        font=str(c["fontname"]),
        size_pt=one(float(c["size"])),
    )


def _group_lines(page: int, glyphs: list[Glyph]) -> list[TextLine]:
    """Glyphs sharing a baseline (within a fifth of their size) form a line, sorted by x."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.baseline_pt, g.x_pt)):
        if lines and abs(g.baseline_pt - lines[-1][0].baseline_pt) <= 0.2 * max(g.size_pt, 1):
            lines[-1].append(g)
        else:
            lines.append([g])
    return [TextLine(page, sorted(gs, key=lambda g: g.x_pt)) for gs in lines]


GUTTER_SHARE = 0.6  # of the lines that cross an x, how many must have a gap there
MIN_GUTTER_LINES = 3


def _uncovered(x0: float, x1: float, boxes) -> list[tuple[float, float]]:
    """The parts of [x0, x1] no box's x-range covers."""
    out = [(x0, x1)]
    for b0, b1 in boxes:
        out = [part for a, b in out
               for part in ((a, min(b, b0)), (max(a, b1), b)) if part[1] > part[0]]
    return out


def _split_columns(lines: list[TextLine], boxes=()) -> list[TextLine]:
    """Lines split at column gutters: x positions where most of the lines that extend across
    them have a gap wider than half their font size (no ink between). An index in four columns,
    or a word and its references at a tab stop, becomes one line per column, so that a bar's
    neighbours are in its own column. Single-column text has no such x (its word gaps and bars
    fall at different places on different lines). A dark box is ink, like the text it hides;
    the white beside it may be a word space or a gutter, so there the other lines decide (a
    column of hidden entries beside a gutter)."""
    if len(lines) < MIN_GUTTER_LINES:
        return lines
    inked = [[g for g in line.glyphs if not g.is_space] for line in lines]
    lo = min((gs[0].x_pt for gs in inked if gs), default=0.0)
    hi = max((gs[-1].end_pt for gs in inked if gs), default=0.0)
    n = int(hi - lo) + 2
    if n < 3 or n > 20000:
        return lines
    cover = np.zeros(n)
    span = np.zeros(n)
    for line, gs in zip(lines, inked):
        if len(gs) < 2:
            continue
        span[int(gs[0].x_pt - lo) + 1:int(gs[-1].end_pt - lo)] += 1
        barred = [(x0, x1) for x0, top, x1, bottom in boxes
                  if top < line.bottom_pt and bottom > line.top_pt]
        for a, b in zip(gs, gs[1:]):
            if b.x_pt - a.end_pt <= 0.5 * max(a.size_pt, 1.0):
                continue
            if not any(x0 < b.x_pt and x1 > a.end_pt for x0, x1 in barred):
                cover[int(a.end_pt - lo) + 1:int(b.x_pt - lo)] += 1
                continue
            # a bar is ink; the white beside it says nothing (a word space or a gutter):
            # other lines decide there
            for x0, x1 in _uncovered(a.end_pt, b.x_pt, barred):
                span[int(x0 - lo) + 1:int(x1 - lo)] -= 1
    gutter = (cover >= MIN_GUTTER_LINES) & (cover >= GUTTER_SHARE * np.maximum(span, 1))
    if not gutter.any():
        return lines
    edges = np.flatnonzero(np.diff(np.r_[0, gutter.astype(int), 0]))
    gutters = [(lo + a, lo + b) for a, b in zip(edges[::2], edges[1::2])]
    out = []
    for line in lines:
        # cut where two glyphs (spaces included) leave a gap of a third of an em that meets
        # the gutter; a line that crosses it (a stamp, a heading) is not cut
        cuts = []
        for a, b in gutters:
            gs = line.glyphs
            pairs = [k for k in range(1, len(gs))
                     if gs[k].x_pt - gs[k - 1].end_pt >= 0.3 * max(gs[k].size_pt, 1.0)
                     and gs[k - 1].end_pt <= b and gs[k].x_pt >= a]
            if pairs:
                mid = (a + b) / 2
                cuts.append(min(pairs, key=lambda k: abs((gs[k - 1].end_pt + gs[k].x_pt) / 2 - mid)))
        for gs in np.split(np.array(line.glyphs, dtype=object), sorted(set(cuts))):
            if any(not g.is_space for g in gs):
                out.append(TextLine(line.page, list(gs), line.number))
    return out


# --------------------------------------------------------------------------- bars
def _candidate_boxes(pl_page) -> list[tuple[float, float, float, float]]:
    """Filled boxes (rects, closed rectangular paths) and thick stroked lines of bar-like size."""
    page_area = float(pl_page.width) * float(pl_page.height)
    boxes = []
    for obj in list(pl_page.rects) + list(pl_page.curves):
        if not obj.get("fill"):
            continue
        if obj["object_type"] == "curve" and not _rectangular(obj):
            continue
        boxes.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    for obj in pl_page.lines:
        lw = float(obj.get("linewidth") or 0)
        if obj.get("stroke") and lw >= MIN_BAR_HEIGHT_PT and abs(obj["top"] - obj["bottom"]) < 0.5:
            y = (obj["top"] + obj["bottom"]) / 2
            boxes.append((obj["x0"], y - lw / 2, obj["x1"], y + lw / 2))
    return [tuple(map(float, b)) for b in boxes
            if b[2] - b[0] >= MIN_BAR_WIDTH_PT and b[3] - b[1] >= MIN_BAR_HEIGHT_PT
            and (b[2] - b[0]) * (b[3] - b[1]) <= MAX_PAGE_FRACTION * page_area]


def _rectangular(obj: dict, tol: float = 0.5) -> bool:
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    return all((abs(x - x0) <= tol or abs(x - x1) <= tol) and (abs(y - top) <= tol or abs(y - bottom) <= tol)
               for x, y in obj.get("pts", []))


class _PageRenderer:
    """Renders pages (lazily, at 72 dpi) to decide which boxes render dark: the colour space,
    patterns, and anything painted over the box all count, as they do for a reader."""

    def __init__(self, path: Path, password: str):
        self.path = path
        self.password = password or None
        self._pdf = None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def dark(self, index: int, boxes, page_height: float, page_width: float = 612.0):
        try:
            import pypdfium2 as pdfium

            if self._pdf is None:
                self._pdf = pdfium.PdfDocument(str(self.path), password=self.password)
            pg = self._pdf[index]
            try:
                scale = render_scale(page_width, page_height, 2.0)
                img = pg.render(scale=scale, grayscale=True).to_numpy().astype(np.float32) / 255.0
            finally:
                pg.close()
        except Exception as exc:  # a page pdfium cannot draw: keep every candidate box
            if not raised_reading(exc):
                raise
            return boxes
        if img.ndim == 3:
            img = img[..., 0]
        out = []
        for x0, top, x1, bottom in boxes:
            # sample the inner part of the box, away from anti-aliased edges
            r0, r1 = int(top * scale) + 2, int(bottom * scale) - 2
            c0, c1 = int(x0 * scale) + 2, int(x1 * scale) - 2
            patch = img[max(r0, 0):max(r1, r0 + 1), max(c0, 0):max(c1, c0 + 1)]
            if patch.size and float(np.median(patch)) < DARK_LUMINANCE:
                out.append((x0, top, x1, bottom))
        return out


def _merge_bars(page: int, boxes, lines: list[TextLine]) -> tuple[list[Bar], list[int | None]]:
    """Assign each box to the line it covers and merge the boxes of one redaction on one line:
    boxes that touch, overlap, or have only spaces between them (one box per word or letter)."""
    assigned = [(_line_for(box, lines), box) for box in boxes]
    merged: list[tuple[int | None, list]] = []
    for li, box in sorted(assigned, key=lambda t: (-1 if t[0] is None else t[0], t[1][0])):
        if merged and li is not None and merged[-1][0] == li and _joins(merged[-1][1][-1], box, lines[li]):
            merged[-1][1].append(box)
        else:
            merged.append((li, [box]))
    bars, line_of_bar = [], []
    for li, group in merged:
        x0 = min(b[0] for b in group)
        x1 = max(b[2] for b in group)
        top = min(b[1] for b in group)
        bottom = max(b[3] for b in group)
        parts = tuple(sorted((b[0], b[2]) for b in group))
        bars.append(Bar(page, x0, top, x1, bottom, parts))
        line_of_bar.append(li)
    order = sorted(range(len(bars)), key=lambda i: (bars[i].top_pt, bars[i].x0_pt))
    return [bars[i] for i in order], [line_of_bar[i] for i in order]


def _line_for(box, lines: list[TextLine]) -> int | None:
    """The line a box sits on. Of the lines whose height the box covers by half or more and
    that come within an em and a half of it (a line farther off is another column's: pleading
    line numbers), those it overlaps horizontally, or where it overlaps none (a box over a
    line's last word) all of them: the one whose height it covers most, the nearest of those
    on one baseline (columns). None where another of them, on another baseline, is covered
    about as much: a block over several lines (a footnote marker or a rule beside the line
    is not)."""
    x0, top, x1, bottom = box

    def distance(i: int) -> float:
        a, b = lines[i].glyphs[0].x_pt, lines[i].glyphs[-1].end_pt
        return max(a - x1, x0 - b, 0.0)

    found = []  # (line, the share of its height the box covers)
    for i, line in enumerate(lines):
        share = (min(bottom, line.bottom_pt) - max(top, line.top_pt)) / max(
            line.bottom_pt - line.top_pt, 1e-6)
        if share >= 0.5 and distance(i) <= 1.5 * max(line.glyphs[0].size_pt, 1.0):
            found.append((i, share))
    over = [f for f in found if distance(f[0]) == 0.0] or found
    if not over:
        return None
    best, most = max(over, key=lambda f: (round(f[1], 2), -distance(f[0])))
    base = lines[best].baseline_pt
    if any(abs(lines[i].baseline_pt - base) > 0.2 * max(lines[i].glyphs[0].size_pt, 1)
           and share >= most - SAME_COVER for i, share in over):
        return None
    return best


SAME_COVER = 0.1  # shares of two lines' heights a box covers that count as the same


def _joins(prev_box, box, line: TextLine) -> bool:
    """Two boxes on one line belong to one redaction when nothing but spaces lies between."""
    gap = box[0] - prev_box[2]
    size = float(np.median([g.size_pt for g in line.glyphs]))
    if gap > 1.5 * size:
        return False
    between = [g for g in line.glyphs if prev_box[2] - 0.01 < g.center_pt < box[0] + 0.01]
    return all(g.is_space for g in between)


def _font_specs(pl_page) -> dict[str, object]:
    """Font dictionaries reachable from the page, forms included, keyed by BaseFont."""
    from pdfminer.pdftypes import resolve1

    specs: dict[str, object] = {}

    def walk(resources, depth: int) -> None:
        resources = resolve1(resources) or {}
        if not isinstance(resources, dict) or depth > 8:
            return
        for ref in (resolve1(resources.get("Font")) or {}).values():
            spec = resolve1(ref)
            if isinstance(spec, dict) and "BaseFont" in spec:
                name = resolve1(spec["BaseFont"])
                name = getattr(name, "name", name)
                if isinstance(name, bytes):
                    name = name.decode("latin-1")
                specs.setdefault(str(name), spec)
        for ref in (resolve1(resources.get("XObject")) or {}).values():
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", None)
            if attrs and "Resources" in attrs:
                walk(attrs["Resources"], depth + 1)

    walk(pl_page.page_obj.resources, 0)
    return specs


def _whole(x) -> int:
    """A length from a font stream's dictionary: 0 unless it is a sane whole number."""
    return int(x) if isinstance(x, (int, float)) and 0 <= x < 2**31 else 0


def _font_resource(name: str, spec: dict) -> FontResource:
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdftypes import resolve1

    try:
        font = PDFResourceManager(caching=False).get_font(None, spec)
    except Exception:
        font = None
    widths = resolve1(spec.get("Widths"))
    widths = tuple(resolve1(w) for w in widths) if isinstance(widths, list) else None
    first = resolve1(spec.get("FirstChar", 0))
    desc = resolve1(spec.get("FontDescriptor"))
    if not isinstance(desc, dict):  # composite fonts keep it on the descendant
        kids = resolve1(spec.get("DescendantFonts"))
        kid = resolve1(kids[0]) if isinstance(kids, list) and kids else None
        desc = resolve1(kid.get("FontDescriptor")) if isinstance(kid, dict) else None
    program, kind, lengths = None, "", (0, 0)
    if isinstance(desc, dict):
        for key in ("FontFile", "FontFile2", "FontFile3"):
            stream = resolve1(desc.get(key))
            if stream is None:
                continue
            try:
                program = stream.get_data()
            except Exception:
                break
            attrs = getattr(stream, "attrs", {})
            if key == "FontFile":
                kind = "type1"
                lengths = (_whole(resolve1(attrs.get("Length1", 0))),
                           _whole(resolve1(attrs.get("Length2", 0))))
            elif key == "FontFile2":
                kind = "truetype"
            else:
                sub = resolve1(attrs.get("Subtype"))
                kind = str(getattr(sub, "name", sub) or "cff")
            break
    return FontResource(name, font, widths, _whole(first),
                        program, kind, lengths)
