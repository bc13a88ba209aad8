"""The width model: the gap a text would leave at a bar, in points.

A text's width in the gap's font and size (its glyphs' advances, kerned where the producer
kerns), plus the line's fitted spacing per glyph and per space (`Gap.width_model`), plus the
part every candidate shares (`Frame.constant`: the kerning of a hidden space against the
visible neighbour, and the calibration's bias). `Frame` holds one gap's model; `predict_width`
applies it to a few texts. The ranking (`rank.score`), the calibration, the joint solving and
the word index all measure with it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..pdf.fonts import FontMetrics
from .gaps import Gap
from .wordlist import Wordlist


@dataclass(frozen=True)
class Items:
    """A word list measured in one font: per entry its width term and its space count."""

    texts: np.ndarray
    value_pt: np.ndarray  # text width + per-space and per-glyph extras (NaN: unmeasurable)
    n_spaces: np.ndarray
    log_prior: np.ndarray


def _texts_in_font(wl: Wordlist, metrics: FontMetrics, kerning: bool):
    """(width in em, kerning included if asked; inner spaces; other characters) per entry."""
    n_spaces = np.char.count(wl.texts, " ")
    width_em = metrics.measure_em(wl.encoded, kerning)
    return width_em, n_spaces, np.char.str_len(wl.texts) - n_spaces


class _SameTexts:
    """A word list as a cache key: its entries (their encoding), not its weights, so that the
    reweighted copies joint solving makes share what was measured for the original."""

    __slots__ = ("wl",)

    def __init__(self, wl: Wordlist):
        self.wl = wl

    def __hash__(self) -> int:
        return id(self.wl.encoded)

    def __eq__(self, other) -> bool:
        return isinstance(other, _SameTexts) and self.wl.encoded is other.wl.encoded


@functools.lru_cache(maxsize=64)
def _list_in_font(key: _SameTexts, metrics: FontMetrics, kerning: bool):
    """`_texts_in_font` of a word list, computed once per list and font."""
    return _texts_in_font(key.wl, metrics, kerning)


@functools.lru_cache(maxsize=256)
def _edge_kerns(key: _SameTexts, metrics: FontMetrics, before: str | None, after: str | None):
    return metrics.edge_kern_em(key.wl.texts, before, after)


def _measure_list(wl: Wordlist, metrics: FontMetrics, size_pt: float, model, kerning: bool,
                  before: str | None, after: str | None, cached: bool = True) -> Items:
    """Each entry's width term in this gap; `before`/`after` are the characters it kerns
    against at its edges (None: no kerning there)."""
    per_space, per_glyph, _ = model
    key = _SameTexts(wl)
    width_em, n_spaces, n_glyphs = (_list_in_font(key, metrics, kerning) if cached
                                    else _texts_in_font(wl, metrics, kerning))
    if kerning:
        width_em = width_em + (_edge_kerns(key, metrics, before, after) if cached
                               else metrics.edge_kern_em(wl.texts, before, after))
    value = width_em * size_pt + per_space * n_spaces + per_glyph * n_glyphs
    return Items(wl.texts, value, n_spaces, wl.log_prior)


@dataclass(frozen=True)
class Frame:
    """One gap's width model in one font: what every candidate's predicted gap is built from.
    A candidate's prediction is its `Items.value_pt` plus `constant`; a pair's is the two
    parts' values plus `pair_joint_pt` (the space between them included)."""

    gap: Gap
    metrics: FontMetrics
    size_pt: float
    model: tuple[float, float, float]  # Gap.width_model
    kerning: bool
    before: str | None  # what the hidden text kerns against at its edges
    after: str | None
    constant: float
    pair_joint_pt: float

    @classmethod
    def of(cls, gap: Gap, metrics: FontMetrics, scale: float, kerning: bool) -> Frame:
        size = gap.size_pt * scale
        space = space_glyph_pt(gap, metrics, size)
        model = gap.width_model(space)
        before, after = edge_chars(gap)
        constant = _constant(gap, metrics, model, size, kerning) + gap.bias_pt
        return cls(gap, metrics, size, model, kerning, before, after, constant,
                   space + model[0] + constant)

    def items(self, wl: Wordlist, part: str = "single", cached: bool = True) -> Items:
        """A list measured here, as a whole text ("single") or as the first or last word of a
        pair (which kerns against the space between the words)."""
        before = " " if part == "last" else self.before
        after = " " if part == "first" else self.after
        return _measure_list(wl, self.metrics, self.size_pt, self.model, self.kerning, before,
                             after, cached)


def edge_chars(gap: Gap) -> tuple[str | None, str | None]:
    """The characters a hidden text kerns against: a hidden space, or the visible neighbour."""
    left = " " if gap.spaces_left else (gap.left.text if gap.left else None)
    right = " " if gap.spaces_right else (gap.right.text if gap.right else None)
    return left, right


def predict_width(gap: Gap, metrics: FontMetrics, texts, scale: float = 1.0,
                  kerning: bool = False) -> np.ndarray:
    """The gap each text would leave at this bar, in points (NaN: unmeasurable)."""
    texts = np.asarray(texts, dtype=str)
    frame = Frame.of(gap, metrics, scale, kerning)
    return frame.items(Wordlist("texts", texts, np.ones(len(texts))), cached=False).value_pt \
        + frame.constant


def space_glyph_pt(gap: Gap, metrics: FontMetrics, size: float) -> float:
    """The font's space advance; with no space glyph known, the line's own space stands in."""
    w = metrics.advance_em.get(" ", np.nan) * size
    return w if np.isfinite(w) else gap.line.space_pt


def _constant(gap: Gap, metrics: FontMetrics, model, size: float, kerning: bool) -> float:
    """The part of every prediction that does not depend on the hidden text."""
    constant = model[2]
    if kerning and gap.spaces_left and gap.left is not None:  # the visible glyph kerns the space
        constant += metrics.kern_em.get((gap.left.text, " "), 0.0) * size
    if kerning and gap.spaces_right and gap.right is not None:
        constant += metrics.kern_em.get((" ", gap.right.text), 0.0) * size
    return constant
