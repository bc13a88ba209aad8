"""Glyphs -> lines: a page's glyphs grouped by baseline, and a line split where columns
(a gutter several lines share) divide it.
"""
from __future__ import annotations

import numpy as np

from .layout import Glyph, TextLine


def group_lines(page: int, glyphs: list[Glyph]) -> list[TextLine]:
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


def split_columns(lines: list[TextLine], boxes=()) -> list[TextLine]:
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
