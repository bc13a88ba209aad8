"""Reading: a PDF -> pages of glyph lines and redaction bars, and the fonts at them.

    read        `read_pdf`: each page's glyphs, lines and bars, and the document's fonts
    layout      what reading makes: `Glyph`, `TextLine`, `Bar`, `Page`, `Layout`
    textstate   each glyph placed as the PDF's text state says (PDF 1.7, 9.4.4)
    lines       glyphs grouped into lines and columns
    transcript  a transcript's printed line and page numbers, and citations ("20:12")
    bars        which filled boxes are bars; the boxes of one redaction merged
    fonts       font metrics from the PDF itself: embedded programs, /Widths, substitutes
    leaks       the careless case: text still in the file under a box
    pdfium      the one opener of pdfium, which draws the pages
    internals   the only module that touches pdfplumber's and pdfminer's private attributes

Nothing here imports from the packages after it (measure, rank, transcripts).
"""
from .layout import Bar, Glyph, Layout, Page, TextLine
from .leaks import Finding, LeakReport, find_leaks
from .read import read_pdf

__all__ = ["read_pdf", "Layout", "Page", "TextLine", "Glyph", "Bar", "find_leaks", "LeakReport",
           "Finding"]
