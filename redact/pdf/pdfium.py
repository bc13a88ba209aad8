"""The one place that opens a PDF with pdfium (pypdfium2) and draws its pages.

pdfium draws a page as a viewer shows it: the bars are found dark in its drawing
(`bars.PageRenderer`), a leak is text that draws under a box (`leaks`), and a proof is the
page as drawn (`redact.proof`).
"""
from __future__ import annotations

import numpy as np

from ..errors import RedactError


def open_pdf(path, password: str = ""):
    """The file as a `pypdfium2.PdfDocument` (close it when done); pdfium's own error when it
    cannot open it (`open_checked` says why in one line)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(str(path), password=password or None)


def open_checked(path, password: str = ""):
    """`open_pdf`, raising RedactError (exit 2) with the reason: encrypted, or unreadable."""
    import pypdfium2 as pdfium

    try:
        return open_pdf(path, password)
    except pdfium.PdfiumError as err:
        msg = str(err).lower()
        if "password" in msg:
            raise RedactError(f"{path}: encrypted; " + ("wrong password" if password else
                              "give its password with --password")) from None
        raise RedactError(f"{path}: cannot be read as a PDF ({err})") from None


def gray(page, scale: float, forms: bool = False) -> np.ndarray:
    """A page drawn in grey levels (rows x columns, 0 black to 255 white) at `scale` pixels
    per point; with `forms`, its form fields and annotations drawn too."""
    a = page.render(scale=scale, grayscale=True, may_draw_forms=forms).to_numpy()
    return a[..., 0] if a.ndim == 3 else a


def hide_text(page) -> list[tuple[float, float, float, float]]:
    """Make every text object of the page invisible (in pdfium's copy: the file is never
    written); the bounds (left, bottom, right, top, in PDF space) of those that were drawn
    invisible or as a clip already."""
    import pypdfium2.raw as raw

    invisible = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=8):
        if raw.FPDFTextObj_GetTextRenderMode(obj.raw) in (raw.FPDF_TEXTRENDERMODE_INVISIBLE,
                                                           raw.FPDF_TEXTRENDERMODE_CLIP):
            invisible.append(obj.get_bounds())
        raw.FPDFTextObj_SetTextRenderMode(obj.raw, raw.FPDF_TEXTRENDERMODE_INVISIBLE)
    return invisible
