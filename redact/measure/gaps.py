"""Bars -> gaps with uncertainty.

The gap of a bar runs from the end of the last visible glyph before it (origin + full advance,
character and word spacing included) to the origin of the first visible glyph after it. What the
bar hides fills that gap: the hidden text, plus one inter-word space on each side that borders a
word rather than a visible space or punctuation.

Each line is fitted on its own visible glyphs: the extra advance after an ordinary glyph (Tc,
kerning, rounding) and after a space (Tc + Tw: justification), or, where a producer writes no
space glyphs, the distance between words. Their spread is the line's uncertainty.
A bar with no glyph on one side is measured to its box edge, corrected by the offset between box
edges and glyph edges measured on the document's other bars. Where the producer rounds an ideal
layout to its device grid (`Layout.tracked`: Word through Nuance), the glyphs beside a bar are
each a pixel or so off and the line as a whole is not: the bar's edges are fitted on the whole
line (`tracked_edges`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from ..pdf.layout import Bar, Glyph, Layout, Page, TextLine, bar_id, bar_mark
from ..pdf.words import SEEN_WORDS, WORD_GAP_EM, split_words
from ..robust import median, robust_mean, robust_sd

PUNCTUATION = ".,;:!?"  # characters after which a producer may set a wider space
SIGMA_FLOOR_PT = 0.015  # positions are written with finite precision; engines nudge by ~0.01 pt
OPENERS = set("([{\"'\u201c\u2018/-\u2013\u2014$#@")
CLOSERS = set(".,;:!?)]}\"'\u201d\u2019/-\u2013\u2014%")


@dataclass(frozen=True)
class LineFit:
    """How one line places its glyphs beyond their font widths. Producers differ: reportlab puts
    all justification on the space (Tw); LibreOffice splits it between the space and the glyph
    before it; Chromium writes no space glyphs at all."""

    glyph_extra_pt: float  # median extra advance between two glyphs of a word (Tc, rounding)
    pre_space_extra_pt: float  # extra advance of a glyph followed by a space
    space_pt: float  # full advance of one inter-word space (glyph + Tc + Tw, or the word gap)
    glyph_sigma_pt: float  # robust spread of the glyph extras: the noise on one position
    space_sigma_pt: float  # robust spread of the space advances
    explicit_spaces: bool  # the producer writes space glyphs
    # spaces after punctuation, where they differ (TeX's space factor widens them after . ? !)
    space_after_pt: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Gap:
    """What a bar hides, measured from the glyphs around it."""

    start_pt: float  # end of the last visible glyph before the bar (or the corrected box edge)
    end_pt: float  # origin of the first visible glyph after it (or the corrected box edge)
    sigma_pt: float  # uncertainty of the width, before the spaces a candidate adds
    box_width_pt: float
    left: Glyph | None
    right: Glyph | None
    spaces_left: int  # hidden inter-word spaces the gap holds at its left / right edge
    spaces_right: int
    left_space_pt: float  # width of the hidden space at the left edge, when there is one
    line: LineFit | None
    font: str | None
    size_pt: float | None
    context_left: str
    context_right: str
    note: str = ""  # why a gap is only partly measured, or not at all
    separators: tuple[Glyph, ...] = ()  # visible spaces inside the bar: word boundaries
    bias_pt: float = 0.0  # how much wider than predicted the document's own words measure
    # the share of the document's own words measured far off the core spread (a 600 dpi grid's
    # occasional step), and their spread: the likelihood's heavy tail (see rank.score._loglik)
    tail_share: float = 0.0
    tail_sigma_pt: float = 0.0

    @classmethod
    def unmeasured(cls, box_width_pt: float, note: str) -> Gap:
        """A bar no glyphs measure, and why."""
        nan = float("nan")
        return cls(start_pt=nan, end_pt=nan, sigma_pt=nan, box_width_pt=box_width_pt, left=None,
                   right=None, spaces_left=0, spaces_right=0, left_space_pt=nan, line=None,
                   font=None, size_pt=None, context_left="", context_right="", note=note)

    def segments(self) -> list[Gap]:
        """The gap split at visible spaces left inside it (spaces left under a box, or a space
        between two boxes of one redaction): one gap per hidden word, each measured between
        visible glyphs. A gap without such spaces is its own only segment."""
        if not self.separators:
            return [self]
        out, start, left, sl = [], self.start_pt, self.left, self.spaces_left
        for sep in self.separators:
            out.append(replace(self, start_pt=start, end_pt=sep.x_pt, left=left, right=sep,
                               spaces_left=sl, spaces_right=0, separators=()))
            start, left, sl = sep.x_pt + self.line.space_pt, sep, 0
        out.append(replace(self, start_pt=start, left=left, spaces_left=sl, separators=()))
        return out

    @property
    def width_pt(self) -> float:
        return self.end_pt - self.start_pt

    def width_model(self, space_glyph_pt: float) -> tuple[float, float, float]:
        """The gap a hidden text fills is linear in what the text holds:
        `text_pt + per_space * n_spaces + per_glyph * n_glyphs + constant`, where `text_pt` is its
        width from font metrics (inner spaces at the font's space width `space_glyph_pt`),
        `n_spaces` its inner spaces and `n_glyphs` its other characters. The terms carry this
        line's spacing extras and the hidden spaces at the gap's edges."""
        f = self.line
        per_space = f.space_pt - space_glyph_pt + f.pre_space_extra_pt - f.glyph_extra_pt
        constant = (self.last_extra_pt - f.glyph_extra_pt + self.spaces_left * self.left_space_pt
                    + self.spaces_right * f.space_pt)
        return per_space, f.glyph_extra_pt, constant

    @property
    def last_extra_pt(self) -> float:
        """The spacing extra after the hidden text's last glyph: the line's pre-space extra
        when a space follows it (hidden or visible), its plain glyph extra otherwise."""
        f = self.line
        followed_by_space = self.spaces_right > 0 or (self.right is not None and self.right.is_space)
        return f.pre_space_extra_pt if followed_by_space else f.glyph_extra_pt

    @property
    def text_width_pt(self) -> float:
        """The width left for the hidden text itself, once the hidden spaces at the edges and
        the spacing extras are taken away: comparable between bars in different contexts."""
        return self.width_pt - self.width_model(0.0)[2]

    def sigma_for_pt(self, n_spaces):
        """Uncertainty of the gap for hidden texts with `n_spaces` inner spaces."""
        sd = self.line.space_sigma_pt if self.line and np.isfinite(self.line.space_sigma_pt) else 0.0
        n = np.asarray(n_spaces) + self.spaces_left + self.spaces_right
        return np.sqrt(self.sigma_pt ** 2 + n * sd ** 2)

    @property
    def edges(self) -> str:
        return {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
            (self.left is not None, self.right is not None), "none")

    @property
    def measurable(self) -> bool:
        return self.font is not None and bool(np.isfinite(self.width_pt))


def laid_out_extras(doc: Layout) -> dict[tuple[str, float], tuple[float, float]]:
    """Per font and size whose advances the document taught (`advances.learned_advances`: Word
    on a 600 dpi grid), the spacing extras left once they are taken: (between two glyphs of a
    word, before a space), robust means over the whole document. Word does not letter-space a
    line; what is left between its glyphs is the grid's rounding residue, the same on every
    line. A line's own few pairs would add their noise once per glyph of a hidden word. Where
    the lines do differ (`_lines_spaced`: Distiller writes a character spacing per line), each
    line keeps its own."""
    if not doc.advance_offsets:
        return {}
    inner: dict[tuple, list[list[float]]] = {}
    pre: dict[tuple, list[float]] = {}
    for page in doc.pages:
        for line in page.lines:
            on_line: dict[tuple, list[float]] = {}
            for a, b in zip(line.glyphs, line.glyphs[1:]):
                key = a.font_size
                if a.is_space or key not in doc.advance_offsets:
                    continue
                d = b.x_pt - a.end_pt
                if b.is_space:
                    pre.setdefault(key, []).append(d)
                elif b.font_size == key and d <= WORD_GAP_EM * a.size_pt:
                    on_line.setdefault(key, []).append(d)
            for key, ds in on_line.items():
                inner.setdefault(key, []).append(ds)
    return {key: (robust_mean([d for ds in inner.get(key, []) for d in ds]),
                  robust_mean(pre.get(key, [])))
            for key in doc.advance_offsets if not _lines_spaced(inner.get(key, []))}


LINE_PAIRS = 8  # glyph pairs a line needs to show its own spacing
LINES_SPACED_Z = 2.0  # lines whose extras depart from the document's by this many of their own
# standard errors (the median line) are spaced each their own way


def _lines_spaced(lines: list[list[float]]) -> bool:
    """Whether the lines' extras between glyphs differ from line to line by more than their
    own scatter explains: the producer spaced each line (a character spacing per line)."""
    lines = [ds for ds in lines if len(ds) >= LINE_PAIRS]
    if len(lines) < 3:
        return False
    typical = median([d for ds in lines for d in ds])
    z = [abs(median(ds) - typical) * np.sqrt(len(ds)) / (1.2533 * max(robust_sd(ds), 1e-4))
         for ds in lines]
    return median(z) > LINES_SPACED_Z


def line_extras(extras: dict[tuple[str, float], tuple[float, float]], line: TextLine
                ) -> tuple[float, float] | None:
    """The document's extras (`laid_out_extras`) for the line's most common font and size."""
    keys = [g.font_size for g in line.glyphs if not g.is_space]
    if not extras or not keys:
        return None
    return extras.get(max(set(keys), key=keys.count))


def fit_line(line: TextLine, bars: list[Bar],
             extras: tuple[float, float] | None = None) -> LineFit | None:
    """Fit the line's spacing from consecutive visible glyphs that none of its bars separates.
    `extras`: the document's own (glyph, pre-space) extras for text whose advances it taught
    (`laid_out_extras`), used in place of the line's; elsewhere (kerning producers, exact
    positions) the line's median glyph extra keeps kerned pairs out."""
    g = line.glyphs
    size = float(np.median([x.size_pt for x in g])) if g else 0.0
    inner, pre = [], []
    spaces: dict[str, list[float]] = {}  # by the punctuation before them ("" after a word)
    words: dict[str, list[float]] = {}
    for i, (a, b) in enumerate(zip(g, g[1:])):
        if any(a.center_pt < bar.x1_pt and bar.x0_pt < b.center_pt for bar in bars):
            continue
        d = b.x_pt - a.end_pt
        if a.is_space:
            before = g[i - 1].text if i and g[i - 1].text in PUNCTUATION else ""
            spaces.setdefault(before, []).append(a.advance_pt + d)
        elif b.is_space:
            pre.append(d)
        elif d > WORD_GAP_EM * size:
            words.setdefault(a.text if a.text in PUNCTUATION else "", []).append(d)
        else:
            inner.append(d)
    if not (inner or spaces or words):
        return None
    med = (lambda x: median(x) if x else 0.0)
    extra = median(inner) if inner else 0.0
    pre_extra = robust_mean(pre) if pre else extra
    if extras is not None:
        extra, pre_extra = extras
    found = spaces or words
    plain = found.get("") or [v for vs in found.values() for v in vs]
    after = {c: med(v) for c, v in found.items() if c}
    if spaces:
        return LineFit(extra, pre_extra, robust_mean(plain), robust_sd(inner),
                       robust_sd(plain), True, after)
    nan = float("nan")
    return LineFit(extra, 0.0, med(plain) if plain else nan, robust_sd(inner),
                   robust_sd(plain) if plain else nan, False, after)


def measure_document(doc: Layout, extras: dict | None = None) -> list[Gap]:
    """One Gap per bar, in the order of `doc.bars`. `extras`: the document's
    `laid_out_extras`, when the caller has them already."""
    raw: list[tuple[Page, Bar, int | None, LineFit | None]] = []
    extras = laid_out_extras(doc) if extras is None else extras
    for page in doc.pages:
        fits: dict[int, LineFit | None] = {}
        for bar, li in zip(page.bars, page.line_of_bar):
            if li is None:
                raw.append((page, bar, None, None))
                continue
            if li not in fits:
                on_line = [b for b, lj in zip(page.bars, page.line_of_bar) if lj == li]
                line = page.lines[li]
                fits[li] = fit_line(line, on_line, line_extras(extras, line))
            raw.append((page, bar, li, fits[li]))
    # document-wide fallbacks: the typical space per font size, and box-edge offsets
    fitted = [f for *_, f in raw if f is not None and np.isfinite(f.space_pt)]
    spaces = [f.space_pt for f in fitted]
    doc_space = float(np.median(spaces)) if spaces else float("nan")
    doc_space_sd = robust_sd(spaces) if len(spaces) > 2 else float("nan")
    doc_widen = _fit_widening(fitted)
    typical = typical_fits(doc, extras) if any(f is None for *_, f in raw) else {}
    gaps = [_measure(page, bar, li, fit, doc_space, doc_space_sd, doc_widen, typical, doc.tracked)
            for page, bar, li, fit in raw]
    left_off, right_off = _box_offsets(gaps, [b for _, b, _, _ in raw])
    return [_close_edges(g, b, left_off, right_off) for g, (_, b, _, _) in zip(gaps, raw)]


def calibration_gaps(doc: Layout, fonts: set[str], per_font: int = 300,
                     extras: dict | None = None) -> list[tuple[Gap, str]]:
    """Visible words hidden in turn: each word of the given fonts (letters only, three or more,
    away from bars, a glyph on each side) becomes a virtual bar, measured exactly as a real one.
    Returns (gap, the word) pairs, at most `per_font` per font, spread over the document."""
    found: dict[str, list[tuple[object, int, list[Glyph]]]] = {f: [] for f in fonts}
    for page in doc.pages:
        for li, line in enumerate(page.lines):
            real = [b for b, lj in zip(page.bars, page.line_of_bar) if lj == li]
            for word in split_words(line.glyphs, SEEN_WORDS):
                font = word[0].font
                if font not in found or len(word) < 3 or not all(g.text.isalpha() for g in word):
                    continue
                i0 = line.glyphs.index(word[0])
                i1 = i0 + len(word)
                if i0 == 0 or i1 >= len(line.glyphs):
                    continue
                lo, hi = line.glyphs[i0 - 1].center_pt, line.glyphs[i1].center_pt
                if any(b.x0_pt < hi and lo < b.x1_pt for b in real):
                    continue
                found[font].append((page, li, word))
    out = []
    extras = laid_out_extras(doc) if extras is None else extras
    for font, words in found.items():
        step = max(1, len(words) // per_font)
        for page, li, word in words[::step][:per_font]:
            line = page.lines[li]
            real = [b for b, lj in zip(page.bars, page.line_of_bar) if lj == li]
            bar = Bar(page.number, word[0].x_pt, line.top_pt, word[-1].end_pt, line.bottom_pt)
            fit = fit_line(line, real + [bar], line_extras(extras, line))
            gap = _measure(page, bar, li, fit, float("nan"), float("nan"), {}, None, doc.tracked)
            if (gap.measurable and gap.font == font and gap.line is not None
                    and np.isfinite(gap.line.space_pt)):
                out.append((gap, "".join(g.text for g in word)))
    return out


def _fit_widening(fits: list[LineFit]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """How the space after each punctuation mark relates to the line's plain space, from the
    lines that show both: the observed (plain, after) pairs, sorted, to interpolate between.
    Most producers keep them equal; TeX widens a sentence space, by more on stretched lines and
    less on shrunk ones, so the relation is read from the document rather than assumed."""
    pts: dict[str, list[tuple[float, float]]] = {}
    for f in fits:
        for c, w in f.space_after_pt.items():
            pts.setdefault(c, []).append((f.space_pt, w))
    out = {}
    for c, xy in pts.items():
        a = np.asarray(sorted(xy))
        out[c] = (a[:, 0], a[:, 1])
    return out


def _widened(space_pt: float, xs: np.ndarray, ys: np.ndarray) -> float:
    """The space after punctuation on a line whose plain space is `space_pt`: interpolated
    between the document's lines, extrapolated along the nearest two beyond them."""
    if len(xs) == 1 or np.ptp(xs) < 1e-6:
        return space_pt + float(np.median(ys - xs))
    if xs[0] <= space_pt <= xs[-1]:
        return float(np.interp(space_pt, xs, ys))
    i = [0, 1] if space_pt < xs[0] else [-2, -1]
    x0, x1 = xs[i]
    if x1 - x0 < 1e-6:
        return space_pt + float(ys[i[0]] - xs[i[0]])
    slope = (ys[i[1]] - ys[i[0]]) / (x1 - x0)
    return float(ys[i[0]] + slope * (space_pt - x0))


TYPICAL_LINES = 100  # lines per font and size fitted for the document's typical spacing


def typical_fits(doc: Layout, extras: dict | None = None) -> dict[tuple[str, float], LineFit]:
    """The document's typical spacing per font and size: the medians of the fits of up to
    TYPICAL_LINES of its lines (of one font, ten glyphs or more, spread over the document). A
    bar whose line has nothing to fit (a glyph alone, a piece of a line split at the bar) is
    measured with it: a producer that writes every glyph 0.1 pt short of its font width (a
    600 dpi grid) does so there too."""
    found: dict[tuple[str, float], list[TextLine]] = {}
    for page in doc.pages:
        for line in page.lines:
            g = [x for x in line.glyphs if not x.is_space]
            if len(g) >= 10 and len({x.font for x in g}) == 1:
                found.setdefault((g[0].font, round(g[0].size_pt, 2)), []).append(line)
    out = {}
    for key, lines in found.items():
        step = max(1, len(lines) // TYPICAL_LINES)
        fits = [fit_line(line, [], line_extras(extras, line)) for line in lines[::step]]
        fits = [f for f in fits if f is not None]
        if not fits:
            continue
        med = (lambda vals: float(np.nanmedian(vals)) if np.isfinite(vals).any() else float("nan"))
        out[key] = LineFit(med([f.glyph_extra_pt for f in fits]),
                           med([f.pre_space_extra_pt for f in fits]),
                           med([f.space_pt for f in fits]),
                           max(med([f.glyph_sigma_pt for f in fits]), 0.05),
                           med([f.space_sigma_pt for f in fits]),
                           bool(np.mean([f.explicit_spaces for f in fits]) > 0.5))
    return out


def font_word_spacing(doc: Layout, font: str, size_pt: float) -> tuple[float, float] | None:
    """How the document spaces the glyphs of whole words in `font` at `size_pt`: every run of
    its glyphs up to the next glyph, measured against the sum of their advances. Returns the
    typical extra per glyph and the spread of a word's total about it (a producer that sets Tc
    word by word, to fit each word to a device grid, makes a word's width uncertain by that
    much); None where the font prints no word."""
    found: list[tuple[float, int]] = []  # (extent - advances, glyphs) of each run
    for page in doc.pages:
        for line in page.lines:
            g = line.glyphs
            start = 0
            for k in range(1, len(g) + 1):
                if k < len(g) and g[k].font == font and not g[k].is_space and g[start].font == font:
                    continue
                run = g[start:k]
                if (k < len(g) and run and run[0].font == font and not run[0].is_space
                        and abs(run[0].size_pt - size_pt) < 0.01 and len(run) >= 2):
                    found.append((g[k].x_pt - run[0].x_pt - sum(x.advance_pt for x in run),
                                  len(run)))
                start = k
    if len(found) < 5:
        return None
    residual = np.array([r for r, _ in found])
    glyphs = np.array([n for _, n in found], dtype=float)
    extra = float(np.median(residual / glyphs))
    # the plain spread: a word's offset is the producer's grid, not an outlier to trim
    return extra, float(np.std(residual - extra * glyphs))


def _fallback_fit(glyph: Glyph | None, typical: dict, doc_space: float,
                  doc_space_sd: float) -> LineFit:
    """The fit of a line with nothing to fit: the document's typical one for the glyph's font
    and size, or none but the document's space."""
    fit = typical.get((glyph.font, round(glyph.size_pt, 2))) if glyph is not None else None
    if fit is None:
        return LineFit(0.0, 0.0, doc_space, 0.05, doc_space_sd, False)
    if not np.isfinite(fit.space_pt):
        fit = replace(fit, space_pt=doc_space, space_sigma_pt=doc_space_sd)
    return replace(fit, explicit_spaces=False)


def _measure(page, bar: Bar, li, fit: LineFit | None, doc_space: float, doc_space_sd: float,
             doc_widen: dict[str, tuple[np.ndarray, np.ndarray]],
             typical: dict[tuple[str, float], LineFit] | None = None,
             tracked: set[tuple[str, float]] = frozenset()) -> Gap:
    nan = float("nan")
    typical = typical or {}
    if li is None:
        beside = _band_line(page, bar)
        if beside is None:
            return Gap.unmeasured(bar.width_pt, "the box covers several lines or no text line")
        # alone in its column (a word at a tab stop, a whole index entry): the box's own edges
        # measure it, in the font of the text beside it on its baseline (see _close_edges)
        g0 = beside.glyphs[0]
        fit = _fallback_fit(g0, typical, doc_space, doc_space_sd)
        return Gap(start_pt=nan, end_pt=nan, sigma_pt=0.0, box_width_pt=bar.width_pt, left=None,
                   right=None, spaces_left=0, spaces_right=0, left_space_pt=0.0, line=fit,
                   font=g0.font, size_pt=g0.size_pt, context_left="", context_right="")
    line = page.lines[li]
    left = [g for g in line.glyphs if g.center_pt < bar.x0_pt]
    right = [g for g in line.glyphs if g.center_pt > bar.x1_pt]
    lg = left[-1] if left else None
    rg = right[0] if right else None
    if fit is None:  # nothing to fit on the line: the document's typical spacing stands
        fit = _fallback_fit(next((g for g in (rg, lg) if g is not None and not g.is_space),
                                 rg or lg), typical, doc_space, doc_space_sd)
    elif not np.isfinite(fit.space_pt) and np.isfinite(doc_space):
        fit = replace(fit, space_pt=doc_space, space_sigma_pt=doc_space_sd)
    # the text's font is that of the glyphs beside the bar, or where both are spaces, of the
    # nearest that are not: a producer may set the spaces in a font and size of their own
    # (Nuance after Word: 10 pt spaces in 12 pt text)
    near = (lg, rg, next((g for g in reversed(left) if not g.is_space), None),
            next((g for g in right if not g.is_space), None))
    font_glyph = next((g for g in near if g is not None and not g.is_space), lg or rg)
    # the producer's ideal layout, rounded (`tracked_edges`): its advances are the font's own
    on_line = lg is not None and rg is not None and font_glyph.font_size in tracked
    if on_line:
        fit = replace(fit, glyph_extra_pt=0.0, pre_space_extra_pt=0.0)
    sl = 0 if lg is None or lg.is_space or lg.text in OPENERS else 1
    sr = 0 if rg is None or rg.is_space or rg.text in CLOSERS else 1
    left_space = 0.0
    if sl:  # the hidden space after a visible glyph: wider after punctuation in some producers
        left_space = fit.space_after_pt.get(lg.text)
        if left_space is None:
            left_space = (_widened(fit.space_pt, *doc_widen[lg.text]) if lg.text in doc_widen
                          else fit.space_pt)
    start = end = nan
    if lg is not None:
        # the gap starts after the left glyph's full advance, its spacing extras included
        if lg.is_space:
            start = lg.x_pt + fit.space_pt
        else:
            start = lg.end_pt + (fit.pre_space_extra_pt if sl else fit.glyph_extra_pt)
    if rg is not None:
        end = rg.x_pt
    if on_line:
        fitted = tracked_edges(line, bar, lg, rg, fit.space_pt)
        if fitted is not None:
            start, end = fitted
    noise = fit.glyph_sigma_pt
    sigma = float(np.hypot(SIGMA_FLOOR_PT, np.sqrt(2) * noise))
    ctx_l, ctx_r = _contexts(page, li, bar)
    if li > 0 and len(ctx_l.strip()) < 12:  # a bar at a line start: the previous line leads in
        ctx_l = _marked_text(page, li - 1, left_of=None) + " " + ctx_l
    seps = tuple(g for g in line.glyphs if g.is_space and bar.x0_pt <= g.center_pt <= bar.x1_pt
                 and fit.explicit_spaces)
    return Gap(start_pt=start, end_pt=end, sigma_pt=sigma, box_width_pt=bar.width_pt, left=lg,
               right=rg, spaces_left=sl, spaces_right=sr, left_space_pt=left_space, line=fit,
               font=font_glyph.font if font_glyph else None,
               size_pt=font_glyph.size_pt if font_glyph else None,
               context_left=ctx_l[-60:].lstrip(), context_right=ctx_r[:60].rstrip(),
               separators=seps)


def _contexts(page, li: int, bar: Bar) -> tuple[str, str]:
    """The text of the bar's line to its left and to its right, every other bar of the line
    in it as a numbered block ("met █p1-4█ in Reno": who did what is read as the page shows it)."""
    return (_marked_text(page, li, right_of=None, left_of=bar.x0_pt, skip=bar),
            _marked_text(page, li, right_of=bar.x1_pt, left_of=None, skip=bar))


def _marked_text(page, li: int, right_of: float | None = None, left_of: float | None = None,
                 skip: Bar | None = None) -> str:
    """Line `li` of the page between two x positions (None: to the line's end), its glyphs'
    text and its bars (but `skip`) as numbered blocks, in reading order."""
    def inside(x: float) -> bool:
        return (right_of is None or x > right_of) and (left_of is None or x < left_of)

    items = [(g.center_pt, g.text) for g in page.lines[li].glyphs if inside(g.center_pt)]
    items += [((b.x0_pt + b.x1_pt) / 2, f" {bar_mark(bar_id(page.number, k))} ")
              for k, (b, lj) in enumerate(zip(page.bars, page.line_of_bar))
              if lj == li and b is not skip and inside((b.x0_pt + b.x1_pt) / 2)]
    text = "".join(t for _, t in sorted(items, key=lambda it: it[0]))
    return re.sub(r" *( █[^█]+█ ) *", r"\1", text)


JUMP_EM = 0.1  # a glyph this far from where the one before puts it starts a new stretch (a tab,
# a column, a word hidden under another bar)
SPACE_JUMP = 3.0  # a space this many typical spaces wide is a tab


def tracked_edges(line: TextLine, bar: Bar, lg: Glyph, rg: Glyph, space_pt: float
                  ) -> tuple[float, float] | None:
    """A bar's edges (start, end) where the producer rounds an ideal layout to its device grid
    (`Layout.tracked`). Word printing through a GDI driver places every glyph at its ideal
    position (the font's advances from the line's start, justification on the spaces) within
    about a device pixel, and the error does not accumulate along the line: the glyph beside
    a bar is off by up to a pixel, the line as a whole is not. So the line's visible glyphs
    are fitted by least squares: each stretch of the line (the text before the bar, after it,
    and after any tab or other jump) at an offset of its own, each glyph at the font advances
    and the spaces (one width for the line) before it in its stretch. The bar starts at the
    fitted end of the glyph before it and ends at the fitted origin of the glyph after it (None
    where the line cannot be fitted: the glyphs beside the bar stand)."""
    g = [x for x in line.glyphs if not bar.x0_pt < x.center_pt < bar.x1_pt]
    il = next(i for i, x in enumerate(g) if x is lg)
    ir = il + 1
    spaces = [b.x_pt - a.x_pt for a, b in zip(g, g[1:]) if a.is_space and a is not lg]
    typical_space = median(spaces) if spaces else space_pt
    em = float(np.median([x.size_pt for x in g]))
    stretch, advances, n_spaces = np.zeros(len(g), int), np.zeros(len(g)), np.zeros(len(g))
    for k in range(1, len(g)):
        a, d = g[k - 1], g[k].x_pt - g[k - 1].x_pt
        jump = (k == ir or (not a.is_space and abs(d - a.advance_pt) > JUMP_EM * em)
                or (a.is_space and not 0.0 < d < SPACE_JUMP * typical_space))
        if jump:
            stretch[k] = stretch[k - 1] + 1
        else:
            stretch[k] = stretch[k - 1]
            advances[k] = advances[k - 1] + (0.0 if a.is_space else a.advance_pt)
            n_spaces[k] = n_spaces[k - 1] + a.is_space
    cols = [stretch == j for j in range(stretch[-1] + 1)]
    if n_spaces.any():
        cols.append(n_spaces)
    A = np.column_stack(cols).astype(float)
    x = np.array([v.x_pt for v in g]) - advances
    if np.linalg.matrix_rank(A) < A.shape[1]:
        return None
    coef, *_ = np.linalg.lstsq(A, x, rcond=None)
    fitted = A @ coef + advances
    space = coef[-1] if n_spaces.any() else space_pt
    return fitted[il] + (space if lg.is_space else lg.advance_pt), fitted[ir]


BOX_EDGE_SIGMA_PT = 1.0  # without calibration: an unknown engine may pad its boxes by a point


def _box_offsets(gaps: list[Gap], bars: list[Bar]):
    """How far box edges sit from the hidden text's edges, measured on bars with glyphs on both
    sides: ((median, spread) left, (median, spread) right), or None with fewer than 3 such bars."""
    lo, ro = [], []
    for g, bar in zip(gaps, bars):
        if g.edges != "both" or g.line is None or not np.isfinite(g.line.space_pt):
            continue
        lo.append(bar.x0_pt - (g.start_pt + g.spaces_left * g.left_space_pt))
        ro.append(bar.x1_pt - (g.end_pt - g.spaces_right * g.line.space_pt - g.last_extra_pt))
    if len(lo) < 3:
        return None, None
    return (float(np.median(lo)), robust_sd(lo)), (float(np.median(ro)), robust_sd(ro))


def _band_line(page, bar: Bar):
    """A text line on the bar's baseline (in another column), if the bar sits on one line's
    band: the line whose vertical extent the bar overlaps by at least half, nearest in x."""
    lines = [ln for ln in page.lines
             if min(bar.bottom_pt, ln.bottom_pt) - max(bar.top_pt, ln.top_pt)
             >= 0.5 * max(ln.bottom_pt - ln.top_pt, 1e-6)]
    if not lines or max(ln.baseline_pt for ln in lines) - min(ln.baseline_pt for ln in lines) > 1.0:
        return None
    return min(lines, key=lambda ln: min(abs(ln.glyphs[0].x_pt - bar.x1_pt),
                                         abs(ln.glyphs[-1].end_pt - bar.x0_pt)))


def _close_edges(g: Gap, bar: Bar, left_off, right_off) -> Gap:
    """Measure a side without a glyph to the box edge, less the document's own box offset."""
    if g.font is None or g.edges == "both":
        return g
    start, end, var = g.start_pt, g.end_pt, g.sigma_pt ** 2
    if g.left is None:
        off, sd = left_off or (0.0, BOX_EDGE_SIGMA_PT)
        start, var = bar.x0_pt - off, var + max(sd, SIGMA_FLOOR_PT) ** 2
    if g.right is None:
        off, sd = right_off or (0.0, BOX_EDGE_SIGMA_PT)
        end, var = bar.x1_pt - off, var + max(sd, SIGMA_FLOOR_PT) ** 2
    note = {"right": "bar at the start of its line: measured from the box's left edge",
            "left": "bar at the end of its line: measured to the box's right edge",
            "none": "bar fills its line: measured between the box edges"}[g.edges]
    return replace(g, start_pt=start, end_pt=end, sigma_pt=float(np.sqrt(var)), note=note)
