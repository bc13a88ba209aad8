"""The text state of every glyph as the PDF writes it (PDF 1.7, 9.4.4), replayed on its own:
what tests compare `redact.pdf.textstate`'s placement with (test_producers)."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from pdfminer.pdfdevice import PDFTextDevice

from redact.pdf.fonts import unmapped_text
from redact.pdf.textstate import SpecSpacing


@dataclass(frozen=True)
class GlyphState:
    text: str
    x_pt: float  # origin on the page (pdfplumber's x0 for upright text)
    width_pt: float  # (w0 / 1000) * Tfs * Th, in page points
    char_spacing_pt: float  # Tc * Th after this glyph, in page points
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
            pred[i] = a.x_pt + a.width_pt + a.word_spacing_pt + a.char_spacing_pt + b.adjust_pt
    return pred


class _Recorder(SpecSpacing, PDFTextDevice):
    """A pdfminer device that draws nothing and writes down each glyph's text state."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.states: list[GlyphState] = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        return font.char_width(cid) * fontsize * scaling

    def placed(self, matrix, x, y, cid, font, width, charspace, wordspace, shift, units):
        from pdfminer import utils

        a = matrix[0]  # page points per text-space unit, for upright text
        origin = utils.apply_matrix_pt(utils.translate_matrix(matrix, (x, y)), (0, 0))
        try:
            text = font.to_unichr(cid)
        except Exception:
            text = unmapped_text(font, cid)
        self.states.append(GlyphState(text, origin[0], width * a, charspace * a, wordspace * a,
                                      shift * a, self.run, units))
