"""The text state behind each glyph's position (PDF 1.7, 9.4.4).

A glyph's advance in text space is tx = ((w0 / 1000) * Tfs + Tc + Tw) * Th, with Tw only after
the single-byte code 32; a number n in a TJ array moves the next glyph by -(n / 1000) * Tfs * Th;
the text matrix and the CTM take that to the page. This module replays a page's content stream
and records, for every glyph, the terms of that sum, so a position can be explained (and
predicted) term by term: how much is font width, how much character or word spacing, how much a
producer's explicit TJ correction.

pdfminer.six (under pdfplumber) applies Tw after code 32 of two-byte fonts too; the record
follows pdfminer so that it explains pdfplumber's positions exactly.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from pdfminer.pdfdevice import PDFTextDevice


@dataclass(frozen=True)
class GlyphState:
    text: str
    x_pt: float  # origin on the page (pdfplumber's x0 for upright text)
    width_pt: float  # (w0 / 1000) * Tfs * Th, in page points
    char_spacing_pt: float  # Tc * Th before the next glyph of the same string, in page points
    word_spacing_pt: float  # Tw * Th after this glyph when it is code 32, in page points
    adjust_pt: float  # TJ numbers just before this glyph, in page points (positive: right)
    run: int  # which text-showing operator (Tj, TJ, ', ") drew it
    adjust_units: float = 0.0  # the same TJ numbers as written (thousandths of text space)


def text_states(path: str | os.PathLike, pages: list[int] | None = None,
                password: str = "") -> dict[int, list[GlyphState]]:
    """Glyph states per 1-based page number, in drawing order (pdfplumber's `chars` order)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    out: dict[int, list[GlyphState]] = {}
    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh), password=password)
        rsrc = PDFResourceManager()
        for number, page in enumerate(PDFPage.create_pages(doc), 1):
            if pages is not None and number not in pages:
                continue
            device = _Recorder(rsrc)
            PDFPageInterpreter(rsrc, device).process_page(page)
            out[number] = device.states
    return out


def predicted_x(states: list[GlyphState]) -> np.ndarray:
    """Each glyph's origin predicted from the previous glyph of the same run and the text state
    (NaN for the first glyph of a run): x[i-1] + width + spacing + the TJ shift before it."""
    pred = np.full(len(states), np.nan)
    for i in range(1, len(states)):
        a, b = states[i - 1], states[i]
        if a.run == b.run:
            pred[i] = a.x_pt + a.width_pt + a.word_spacing_pt + b.char_spacing_pt + b.adjust_pt
    return pred


class _Recorder(PDFTextDevice):
    """A pdfminer device that draws nothing and writes down each glyph's text state."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.states: list[GlyphState] = []
        self.run = -1

    def render_string(self, textstate, seq, ncs, graphicstate):
        self.run += 1
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace,
                                 wordspace, rise, dxscale, ncs, graphicstate):
        from pdfminer import utils

        (x, y) = pos
        a = matrix[0]  # page points per text-space unit, for upright text
        adjust = units = 0.0
        need_charspace = False  # as pdfminer: Tc before every glyph but a string's first
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                adjust -= obj * dxscale
                units += obj
                need_charspace = True
                continue
            if not isinstance(obj, bytes):
                continue
            for cid in font.decode(obj):
                spacing = charspace if need_charspace else 0.0
                x += spacing
                origin = utils.apply_matrix_pt(utils.translate_matrix(matrix, (x, y)), (0, 0))
                width = font.char_width(cid) * fontsize * scaling
                try:
                    text = font.to_unichr(cid)
                except Exception:
                    text = ""
                ws = wordspace if cid == 32 and wordspace else 0.0
                self.states.append(GlyphState(text, origin[0], width * a, spacing * a, ws * a,
                                              adjust * a, self.run, units))
                x += width + ws
                adjust = units = 0.0
                need_charspace = True
        return (x, y)
