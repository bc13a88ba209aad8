"""What reading a PDF makes: pages of glyph lines and redaction bars.

Everything here is in PDF points with the origin at the page's top left (pdfplumber's `top`).
A `Glyph` keeps its origin and its advance as positioned on the page; a `Bar` is one redaction
(boxes of one redaction on one line already merged); a `TextLine` is the glyphs of one baseline;
a `Layout` is the whole document as read (`read.read_pdf`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .textstate import TextRuns

SIZE_STEP_PT = 0.5  # word processors set font sizes in half points


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
    # (`measure.gaps.tracked_edges`), not read off the glyph beside it
    tracked: set[tuple[str, float]] = field(default_factory=set)

    @property
    def bars(self) -> list[tuple[Page, Bar]]:
        return [(p, b) for p in self.pages for b in p.bars]

    @property
    def bar_ids(self) -> list[str]:
        """Each bar's id (see `bar_id`), in the order of `bars`."""
        return [bar_id(p.number, k) for p in self.pages for k in range(len(p.bars))]
