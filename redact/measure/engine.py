"""The redaction engine's measure of the glyphs it removed: which width model the gaps follow.

An engine that removes text keeps the glyphs after it in place by moving them by the width it
measured for the removed glyphs, and that measure is the engine's, not the font's: MuPDF
(PyMuPDF's `apply_redactions`, `mutool`) asks FreeType for each removed glyph's advance, which
for a Type 1 program is a whole number of font units (FreeType rounds the charstring width
to an integer, half away from zero), and writes their sum as one TJ number before the next
glyph. So a Latin Modern "e" (444.444 units) leaves 444 units, and a name's gap is the sum of
its rounded advances.

The model is chosen on the document's own evidence, per font, never on a producer string: the
TJ numbers written where bars are (read by the text-state replay, `redact.pdf.textstate`). Where a
bar's removed text was replaced by a TJ number within one text run, that number is the engine's
measure. Under the whole-unit model it is an integer; under the exact model it is the sum of
the font's exact advances, which for a font with fractional advances is an integer only by
chance (how often is measured on the surname list in that font). The model with the higher
likelihood on those numbers is kept; with no such bar, or a font whose advances are whole
units already (where both models agree), the exact model stands.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..pdf.fonts import FontMetrics
from ..pdf.layout import Layout
from ..pdf.textstate import TextRuns
from .gaps import Gap
from .wordlist import Wordlist

EXACT, WHOLE_UNITS = "exact", "whole-units"
INTEGER_TOL_UNITS = 0.01  # a TJ number this close to an integer is one
MISS_RATE = 0.05  # how often a whole-unit engine's number may fail to be an integer (Tc, Tw)


@dataclass(frozen=True)
class EngineModel:
    """The width model for the text an engine removed in one font, and the evidence for it."""

    font: str
    model: str  # EXACT or WHOLE_UNITS
    offsets: int  # bars whose removed text became one TJ number in this font
    whole_offsets: int  # of those, the numbers that are whole font units
    chance_whole: float  # how often the exact model gives a whole number (surnames in the font)

    def to_dict(self) -> dict:
        return {"font": self.font, "model": self.model, "offsets": self.offsets,
                "whole_offsets": self.whole_offsets, "chance_whole": round(self.chance_whole, 4)}

    def metrics(self, m: FontMetrics) -> FontMetrics:
        """The metrics the removed text's width follows."""
        return m.in_whole_units() if self.model == WHOLE_UNITS else m


def has_fractional_advances(m: FontMetrics) -> bool:
    """Whether rounding the font's advances to whole units changes any (else both models agree)."""
    units = np.array([w for w in m.advance_em.values() if w > 0]) * 1000
    return bool(units.size) and bool(np.any(np.abs(units - np.round(units)) > 1e-6))


def chance_whole(m: FontMetrics, texts) -> float:
    """How often an exact width in this font is a whole number of units: over `texts`."""
    wl = Wordlist("texts", np.asarray(texts), np.ones(len(texts)))
    units = m.measure_em(wl.encoded) * 1000
    units = units[np.isfinite(units)]
    if not units.size:
        return 1.0
    return float(np.mean(np.abs(units - np.round(units)) <= INTEGER_TOL_UNITS))


def choose(font: str, offsets_units: list[float], chance: float) -> EngineModel:
    """The model that explains the TJ numbers best: k whole numbers of n are likely
    (1 - MISS_RATE)^k MISS_RATE^(n-k) under whole units and chance^k (1 - chance)^(n-k) under
    the exact model."""
    u = np.asarray(offsets_units, dtype=float)
    n = len(u)
    k = int(np.sum(np.abs(u - np.round(u)) <= INTEGER_TOL_UNITS))
    c = min(max(chance, 1e-6), 1 - 1e-6)
    whole = k * np.log(1 - MISS_RATE) + (n - k) * np.log(MISS_RATE)
    exact = k * np.log(c) + (n - k) * np.log(1 - c)
    return EngineModel(font, WHOLE_UNITS if n and whole > exact else EXACT, n, k, chance)


def removed_offsets(runs_by_page: dict[int, TextRuns], bars_by_page: dict[int, list]
                    ) -> dict[str, list[float]]:
    """Per font, the TJ numbers (in thousandths of text space) written where a bar's removed
    text was: at the first glyph after a bar, when the glyph before the bar is of the same
    text run. `runs_by_page`: page number -> how its glyphs were drawn (`textstate.TextRuns`,
    recorded when the page was read); `bars_by_page`: page number -> the gaps (measure.Gap) of
    its bars."""
    out: dict[str, list[float]] = {}
    for number, gaps in bars_by_page.items():
        st = runs_by_page.get(number)
        if st is None or not len(st.x_pt):
            continue
        for g in gaps:
            if g.left is None or g.right is None:
                continue
            i = int(np.argmin(np.abs(st.x_pt - g.right.x_pt)))
            if i == 0 or abs(st.x_pt[i] - g.right.x_pt) > 0.01 or st.text[i] != g.right.text:
                continue
            if st.run[i - 1] == st.run[i] and abs(st.x_pt[i - 1] - g.left.x_pt) < 0.01:
                out.setdefault(g.font, []).append(-float(st.adjust_units[i]))
    return out


def engine_models(layout: Layout, gaps: list[Gap], metrics: dict[str, FontMetrics],
                  texts) -> dict[str, EngineModel]:
    """Per font, the redaction engine's width model, chosen on the TJ numbers written at the
    document's bars (see this module). Only fonts whose advances are not whole units
    already are replayed (for the others both models agree). `texts`: what an exact width is
    tested on (`chance_whole`): the shipped surnames."""
    fractional = {f for f, m in metrics.items() if has_fractional_advances(m)}
    by_page: dict[int, list[Gap]] = {}
    for (page, _), gap in zip(layout.bars, gaps):
        if gap.font in fractional and gap.measurable:
            by_page.setdefault(page.number, []).append(gap)
    runs = {page.number: page.text_runs for page in layout.pages if page.text_runs is not None}
    offsets = removed_offsets(runs, by_page) if by_page else {}
    return {f: choose(f, offsets.get(f, []), chance_whole(m, texts) if f in offsets else 0.0)
            for f, m in metrics.items()}
