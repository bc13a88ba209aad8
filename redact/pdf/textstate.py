"""The text state behind each glyph's position (PDF 1.7, 9.4.4).

A glyph's advance in text space is tx = ((w0 / 1000) * Tfs + Tc + Tw) * Th, with Tw only after
the single-byte code 32; a number n in a TJ array moves the next glyph by -(n / 1000) * Tfs * Th;
the text matrix and the CTM take that to the page. This module replays a page's content stream
and places every glyph by that sum (`page_layout`), recording each text-showing operator's
runs and TJ numbers (`TextRuns`, what `measure.engine` reads); the tests replay it term by term
(tests/replay.py).

pdfminer.six (under pdfplumber) adds Tc before every glyph but a string's first, so never after a
string's last glyph: where a redaction engine splits a string at the box (MuPDF writes
`(text before)Tj [-2360]TJ (text after)Tj`), pdfminer shows the rest of the line moved by one Tc
(0.12 pt in real Courier transcripts) where every viewer draws it unmoved. `SpecSpacing` places
glyphs as the specification says (Tc after every glyph), and `page_layout` reads a pdfplumber
page with it; `redact.pdf.read` reads every page that way. pdfminer also applies Tw after code
32 of two-byte fonts; that is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fonts import unmapped_text
from .internals import children, set_children


class SpecSpacing:
    """A pdfminer device mixin: horizontal strings placed as PDF 1.7 9.4.4 says. After every
    glyph its width, Tc, and Tw after code 32; a TJ number moves the next glyph. `placed` is
    told each glyph's terms (for the record), `run` says which text-showing operator drew it;
    `render_char` draws it and returns its width."""

    run = -1  # the text-showing operators (Tj, TJ, ', ") met so far, less one

    def render_string(self, textstate, seq, ncs, graphicstate):
        self.run += 1
        if not isinstance(seq, (list, tuple)):  # a damaged stream's `5 TJ`: nothing to draw
            return
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace,
                                 wordspace, rise, dxscale, ncs, graphicstate):
        from pdfminer import utils

        (x, y) = pos
        shift = units = 0.0  # TJ numbers since the last glyph: page-bound, and as written
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                shift -= obj * dxscale
                units += obj
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    width = self.render_char(utils.translate_matrix(matrix, (x, y)), font,
                                             fontsize, scaling, rise, cid, ncs, graphicstate)
                    ws = wordspace if cid == 32 and wordspace else 0.0
                    self.placed(matrix, x, y, cid, font, width, charspace, ws, shift, units)
                    x += width + charspace + ws
                    shift = units = 0.0
        return (x, y)

    def placed(self, matrix, x, y, cid, font, width, charspace, wordspace, shift, units) -> None:
        pass


@dataclass(frozen=True)
class TextRuns:
    """A page's glyphs in drawing order as the replay placed them: where each is, which
    text-showing operator drew it, and the TJ numbers written just before it. Where a redaction
    engine removed text from a string, the number it wrote in its place tells how it measured
    what it removed (see `redact.measure.engine`)."""

    x_pt: np.ndarray  # origin on the page
    run: np.ndarray  # which text-showing operator (Tj, TJ, ', ") drew it
    adjust_units: np.ndarray  # TJ numbers just before it, as written (thousandths of text space)
    text: tuple[str, ...]


def page_layout(pl_page, record_runs: bool = False):
    """A pdfplumber page's layout (its `chars`, `rects`, `curves`) with glyphs placed by
    `SpecSpacing`, and codes no map gives text named by the embedded program's glyph names or
    left unknown (`fonts.unmapped_text`: U+FFFD, never pdfminer's "(cid:N)"); with
    `record_runs`, the page's `TextRuns` from the same replay (else None). Set the layout as
    the page's `_layout` before reading its objects."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    xs: list[float] = []
    runs: list[int] = []
    units: list[float] = []
    texts: list[str] = []

    class Aggregator(SpecSpacing, PDFPageAggregatorWithMarkedContent):
        def handle_undefined_char(self, font, cid: int) -> str:
            return unmapped_text(font, cid)  # never "(cid:N)"

        def placed(self, matrix, x, y, cid, font, width, charspace, wordspace, shift, n):
            if not record_runs:
                return
            char = children(self.cur_item)[-1]  # the LTChar render_char just added
            xs.append(char.matrix[4])
            runs.append(self.run)
            units.append(n)
            texts.append(char.get_text())

    device = Aggregator(pl_page.pdf.rsrcmgr, pageno=pl_page.page_number,
                        laparams=pl_page.pdf.laparams)
    PDFPageInterpreter(pl_page.pdf.rsrcmgr, device).process_page(pl_page.page_obj)
    if not record_runs:
        return device.get_result(), None
    x_off = float(pl_page.mediabox[0])
    return device.get_result(), TextRuns(np.array(xs) + x_off, np.array(runs, dtype=np.int32),
                                         np.array(units, dtype=np.float32), tuple(texts))


def take_chars(pl_page, layout) -> list[dict]:
    """The characters of a page's `layout` (from `page_layout`) as pdfplumber's char dicts,
    with the keys redact reads (text, x0, x1, y0, y1, top, bottom, doctop, fontname, size,
    matrix, upright, adv), in pdfplumber's order; they are taken out of the layout, so that
    pdfplumber, given it as the page's `_layout`, converts only the rest (its conversion of
    every attribute of every character costs more than the replay itself)."""
    from pdfminer.layout import LTChar, LTContainer

    height = float(pl_page.height)
    mb_x0, mb_top = (float(v) for v in pl_page.mediabox[:2])
    doctop = float(pl_page.initial_doctop)
    chars: list[dict] = []

    def walk(container) -> None:
        keep = []
        for obj in children(container):
            if isinstance(obj, LTChar):
                top = height - obj.y1 + mb_top
                name = obj.fontname
                chars.append({
                    "text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                    "y0": obj.y0, "y1": obj.y1, "top": top,
                    "bottom": height - obj.y0 + mb_top, "doctop": doctop + top,
                    "fontname": name.decode("latin-1") if isinstance(name, bytes) else name,
                    "size": obj.size, "matrix": obj.matrix, "upright": obj.upright,
                    "adv": obj.adv})
                continue
            if isinstance(obj, LTContainer):
                walk(obj)
            keep.append(obj)
        set_children(container, keep)

    walk(layout)
    return chars
