"""A line's glyphs -> words: the one word splitter.

A word is a run of glyphs between space glyphs, each glyph starting close to where the one
before it ends. How close depends on what the words are for: measuring a producer's layout
wants words of one font and size whose glyphs sit where their advances put them
(`LAYOUT_WORDS`); hiding visible words in turn to calibrate wants what a reader sees as a word
(`SEEN_WORDS`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import Glyph


@dataclass(frozen=True, kw_only=True)
class WordRule:
    """Where one word ends and the next begins, in em of the later glyph's size."""

    gap_em: float  # a glyph starting this far or further past the previous one's end
    overlap_em: float = math.inf  # or starting this far or further back over it
    one_font: bool = False  # a change of font or size ends a word too
    min_glyphs: int = 1  # shorter runs are not words


# spans to measure a layout on: two glyphs or more of one font, within a fifth of an em
LAYOUT_WORDS = WordRule(gap_em=0.2, overlap_em=0.2, one_font=True, min_glyphs=2)
# what a reader sees as a word: glyphs closer than WORD_GAP_EM, whatever their font
WORD_GAP_EM = 0.12
SEEN_WORDS = WordRule(gap_em=WORD_GAP_EM)


def split_words(glyphs: list[Glyph], rule: WordRule) -> list[list[Glyph]]:
    """The words of a line's glyphs (in order) by `rule`; space glyphs belong to none."""
    out: list[list[Glyph]] = []
    run: list[Glyph] = []
    for g in glyphs:
        if g.is_space:
            _close(out, run, rule)
            run = []
            continue
        if run:
            last = run[-1]
            d = g.x_pt - last.end_pt
            if (d >= rule.gap_em * g.size_pt or -d >= rule.overlap_em * g.size_pt
                    or rule.one_font and (g.font != last.font or g.size_pt != last.size_pt)):
                _close(out, run, rule)
                run = []
        run.append(g)
    _close(out, run, rule)
    return out


def _close(out: list[list[Glyph]], run: list[Glyph], rule: WordRule) -> None:
    if len(run) >= rule.min_glyphs:
        out.append(run)
