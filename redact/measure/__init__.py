"""Measuring: bars -> gaps with uncertainty, and the width model tested on the document.

    gaps        each bar's gap: from the last visible glyph before it to the first after it
    advances    the advances a producer laid glyphs out with, learned from visible words
    widths      the width model: the gap a text would leave at a bar
    wordlist    texts with weights, encoded once for measuring in any font
    engine      the redaction engine's width model (exact, or whole font units)
    calibrate   `measure_layout`: the gaps, the fonts at them, and the calibration on the
                document's own visible words (each bar's bias and sigma floor)

Reads `redact.pdf`; nothing here imports from rank or transcripts.
"""
from .calibrate import Calibration, Measured, measure_layout
from .gaps import Gap, LineFit
from .widths import predict_width
from .wordlist import Wordlist

__all__ = ["measure_layout", "Measured", "Calibration", "Gap", "LineFit", "predict_width",
           "Wordlist"]
