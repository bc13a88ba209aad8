"""The advances a producer laid the glyphs out with, learned from the document's own words.

Word through PDFMaker advances each glyph by Word's own width for it, not the font's; the
positions of enough visible words of a font and size teach each glyph's offset from the font's
advance (a ridge regression over the words' spans, `learned_advances`), which `set_advances`
then gives the glyphs. `measure.calibrate` decides, font by font, whether to keep them.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..pdf.layout import AdvanceOffsets, Glyph, Layout, TextLine
from ..pdf.words import LAYOUT_WORDS, split_words
from ..robust import robust_mean

MIN_LEARNED_WORDS = 100  # words a (font, size) needs before its glyphs' own advances are learned
MAX_LEARNED_WORDS = 10_000  # words enough to learn them from: a long document's are sampled
PRIOR_WORDS = 5.0  # how many words' evidence the font's own advance weighs against a learned one
LEARNED_GAIN = 0.9  # learned advances are kept when they cut the held-out error to this share
EXACT_PT = 0.005  # positions that the font's advances already give this closely need nothing


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
        for word in split_words(line.glyphs, LAYOUT_WORDS):
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
