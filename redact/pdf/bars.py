"""Filled boxes -> redaction bars: which fills are bars (they draw dark, they are neither
rules nor backgrounds), and the boxes of one redaction on one line merged into one `Bar`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import raised_reading
from ..limits import render_scale
from .layout import Bar, TextLine
from .pdfium import gray, open_pdf

DARK_LUMINANCE = 0.35  # a fill is a bar when it renders darker than this (0 black, 1 white)
MIN_BAR_WIDTH_PT = 2.0
MIN_BAR_HEIGHT_PT = 3.0  # thinner fills are rules, underlines and table borders
MAX_PAGE_FRACTION = 0.5  # a fill over half the page is a background, not a bar
DRAW_PX_PER_PT = 2.0  # pages are drawn at this scale to see which fills are dark


# --------------------------------------------------------------------------- bars
def candidate_boxes(pl_page) -> list[tuple[float, float, float, float]]:
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
    return [(float(b[0]), float(b[1]), float(b[2]), float(b[3])) for b in boxes
            if b[2] - b[0] >= MIN_BAR_WIDTH_PT and b[3] - b[1] >= MIN_BAR_HEIGHT_PT
            and (b[2] - b[0]) * (b[3] - b[1]) <= MAX_PAGE_FRACTION * page_area]


def _rectangular(obj: dict, tol: float = 0.5) -> bool:
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    return all((abs(x - x0) <= tol or abs(x - x1) <= tol) and (abs(y - top) <= tol or abs(y - bottom) <= tol)
               for x, y in obj.get("pts", []))


class PageRenderer:
    """Renders pages (lazily, at 72 dpi) to decide which boxes render dark: the colour space,
    patterns, and anything painted over the box all count, as they do for a reader."""

    def __init__(self, path: Path, password: str):
        self.path = path
        self.password = password or None
        self._pdf: Any = None  # a pypdfium2.PdfDocument, opened on the first page drawn

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def dark(self, index: int, boxes, page_height: float, page_width: float = 612.0):
        try:
            if self._pdf is None:
                self._pdf = open_pdf(self.path, self.password or "")
            pg = self._pdf[index]
            try:
                scale = render_scale(page_width, page_height, DRAW_PX_PER_PT)
                img = gray(pg, scale).astype(np.float32) / 255.0
            finally:
                pg.close()
        except Exception as exc:  # a page pdfium cannot draw: keep every candidate box
            if not raised_reading(exc):
                raise
            return boxes
        out = []
        for x0, top, x1, bottom in boxes:
            # sample the inner part of the box, away from anti-aliased edges
            r0, r1 = int(top * scale) + 2, int(bottom * scale) - 2
            c0, c1 = int(x0 * scale) + 2, int(x1 * scale) - 2
            patch = img[max(r0, 0):max(r1, r0 + 1), max(c0, 0):max(c1, c0 + 1)]
            if patch.size and float(np.median(patch)) < DARK_LUMINANCE:
                out.append((x0, top, x1, bottom))
        return out


def merge_bars(page: int, boxes, lines: list[TextLine]) -> tuple[list[Bar], list[int | None]]:
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
