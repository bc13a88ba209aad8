"""The width model tested on the document itself, and a layout measured with it.

Every visible word is hidden in turn and its gap compared with its predicted width, per font:
the bias and spread found set each bar's bias and the floor of its sigma. Before that, the
producer's own layout is learned where the fonts' advances do not explain it (`learn_advances`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..display import rounded as _r
from ..pdf.fonts import FontMetrics, producer_kerns, read_metrics
from ..pdf.layout import Layout, size_key
from .advances import learned_advances, set_advances
from .engine import EngineModel, engine_models
from .gaps import (
    SIGMA_FLOOR_PT,
    Gap,
    calibration_gaps,
    font_word_spacing,
    laid_out_extras,
    measure_document,
    robust_sd,
)
from .widths import predict_width

TAIL_SIGMAS = 3.0  # a calibration residual this many robust spreads off is in the tail


@dataclass(frozen=True)
class Calibration:
    """The width model tested on the document itself: every sampled visible word hidden in
    turn, measured as a bar, and compared with its predicted width."""

    font: str
    words: int
    bias_pt: float  # median of gap - predicted width
    median_abs_pt: float
    p95_abs_pt: float
    sigma_pt: float  # the sigma the bars of this font use at least: the spread, or the floor
    tail_share: float = 0.0  # the share of residuals beyond TAIL_SIGMAS of it
    tail_sigma_pt: float = 0.0  # and their spread (the likelihood's heavy tail)
    spread_pt: float = 0.0  # the residuals' robust spread itself (0 where the widths are exact)

    def to_dict(self) -> dict:
        return {"font": self.font, "words": self.words, "bias_pt": _r(self.bias_pt, 4),
                "median_abs_pt": _r(self.median_abs_pt, 4), "p95_abs_pt": _r(self.p95_abs_pt, 4),
                "sigma_pt": _r(self.sigma_pt, 4), "spread_pt": _r(self.spread_pt, 4),
                "tail_share": _r(self.tail_share, 4), "tail_sigma_pt": _r(self.tail_sigma_pt, 4)}


class LaidOut:
    """A font's metrics at one size as the producer laid it out there (`FontMetrics.laid_out`
    with the document's learned `advance_offsets`), made once per font and size: the ranking's
    caches key on the metrics object."""

    def __init__(self, offsets):
        self.offsets, self.made = offsets, {}

    def __call__(self, m: FontMetrics, size_pt: float) -> FontMetrics:
        off = self.offsets.get((m.name, size_key(size_pt)))
        if off is None:
            return m
        key = (id(m), size_key(size_pt))
        if key not in self.made:
            self.made[key] = (m, m.laid_out(off, size_pt))  # m kept alive: its id stays its own
        return self.made[key][1]


def learn_advances(doc: Layout, metrics: dict[str, FontMetrics], kerning: dict[str, bool],
                    scale: dict[str, float], lines) -> dict | None:
    """Learn, once, how the producer laid out the fonts it does not kern
    (`advances.learned_advances`); the spacing extras left between the learned advances
    (`gaps.laid_out_extras`, found once), or None where nothing was learned. Word reaches the page two
    ways. Through PDFMaker each glyph advances by Word's own width for it: the glyphs take the
    learned advances, and a bar's edges are the glyphs beside it. Through a driver that rounds
    Word's ideal layout to its grid (Nuance) each glyph sits at its ideal position give or
    take a pixel: the glyphs keep the font's advances, and a bar's edges are fitted on its
    line (`Layout.tracked`). The document's own words decide, font by font: the way whose
    calibration error (median) is smaller."""
    if doc.advance_offsets or doc.tracked:
        return laid_out_extras(doc)
    learned = learned_advances(lines, {f for f, kerns in kerning.items() if not kerns})
    if not learned:
        return None
    fonts = {font for font, _ in learned}
    taught = {f: m for f, m in metrics.items() if f in fonts}

    def calibrated(layout: Layout, extras: dict) -> dict[str, Calibration]:
        return calibrate(layout, taught, kerning, scale, LaidOut(layout.advance_offsets), extras)

    # the first way on a copy that tracks every learned font (its glyphs as they are, and no
    # extras between learned advances); the second on the document, its advances learned
    as_tracked = calibrated(replace(doc, tracked=set(learned)), {})
    set_advances(doc, learned)
    extras = laid_out_extras(doc)
    with_learned = calibrated(doc, extras)
    tracked = {f for f in fonts if f in with_learned and f in as_tracked
               and as_tracked[f].median_abs_pt < with_learned[f].median_abs_pt}
    doc.tracked = {k for k in learned if k[0] in tracked}
    set_advances(doc, {k: v for k, v in learned.items() if k[0] not in tracked})
    # each font's extras are its own lines': those kept are as they were
    return {k: v for k, v in extras.items() if k in doc.advance_offsets}


def calibrate(doc: Layout, metrics: dict[str, FontMetrics], kerning: dict[str, bool],
              scale: dict[str, float], at_size=lambda m, size: m,
              extras: dict | None = None) -> dict[str, Calibration]:
    """Hide the document's visible words in turn and measure how well their widths predict
    their gaps, per font (see `gaps.calibration_gaps`; `extras`: the document's
    `gaps.laid_out_extras`, when known)."""
    residuals: dict[str, list[float]] = {}
    for gap, word in calibration_gaps(doc, set(metrics), extras=extras):
        f = gap.font
        if f is None:  # every calibration gap is in a font of `metrics`
            continue
        pred = predict_width(gap, at_size(metrics[f], gap.size_pt), [word], scale[f], kerning[f])[0]
        if np.isfinite(pred):
            residuals.setdefault(f, []).append(gap.width_pt - pred)
    out = {}
    for f, res in residuals.items():
        r = np.asarray(res)
        if len(r) < 5:
            continue
        a = np.abs(r)
        sd = robust_sd(r)
        # a producer on a 600 dpi grid moves a word by one step (0.12 pt) now and then, which
        # the median's spread never sees: the words beyond TAIL_SIGMAS of it make a tail
        off = np.abs(r - np.median(r))
        far = off > TAIL_SIGMAS * max(sd, SIGMA_FLOOR_PT)
        share = float(far.mean()) if far.sum() >= 3 else 0.0
        tail = float(np.sqrt(np.mean(off[far] ** 2))) if share else 0.0
        out[f] = Calibration(f, len(r), float(np.median(r)), float(np.median(a)),
                             float(np.percentile(a, 95)), max(sd, SIGMA_FLOOR_PT), min(share, 0.5),
                             tail, spread_pt=sd)
    return out


def font_scale(metrics: FontMetrics, lines, offsets) -> float:
    """Horizontal scaling of the text in this font, fitted on its visible glyphs (their font
    advances: without the producer's learned offsets)."""
    glyphs = [g for line in lines for g in line.glyphs if g.font == metrics.name]
    glyphs = [replace(g, advance_pt=g.advance_pt - offsets[g.font_size].of(g.text))
              if g.font_size in offsets else g for g in glyphs]
    scale, _ = metrics.fit_scale(glyphs)
    return scale if np.isfinite(scale) and scale > 0 else 1.0


LINE_SCALE_GLYPHS = 3  # glyphs of the font a line needs to show its own horizontal scaling


def line_scale(metrics: FontMetrics, line, offsets, scale_of_font: float) -> float:
    """The horizontal scaling on the bar's own line, where it shows one (an OCR text layer
    fits each line to the scan with its own Tz); else the font's. The glyphs' advances carry
    the scaling exactly, so a line's ratio is no estimate: where it agrees with the font's, it
    is the font's."""
    if line is None:
        return scale_of_font
    glyphs = [g for g in line.glyphs if g.font == metrics.name and not g.is_space
              and metrics.advance_em.get(g.text, 0) > 0]
    if len(glyphs) < LINE_SCALE_GLYPHS:
        return scale_of_font
    scale = font_scale(metrics, [line], offsets)
    return scale_of_font if abs(scale - scale_of_font) < 1e-3 * scale_of_font else scale


@dataclass(frozen=True, kw_only=True)
class Measured:
    """A layout measured: each bar's gap (with its font's calibration: bias, and sigma's
    floor), the fonts read at the bars, and the width model tested on the document's words."""

    gaps: list[Gap]  # as `Layout.bars`
    metrics: dict[str, FontMetrics]  # the fonts as the PDF shows them
    kerning: dict[str, bool]  # whether the producer kerned each font
    scale: dict[str, float]  # each font's horizontal scaling
    calibration: dict[str, Calibration]
    at_size: LaidOut  # a font at a size as the producer laid it out
    engine: dict[str, EngineModel]  # the redaction engine's width model, per font


def measure_layout(doc: Layout, every_font: bool = False, texts=(),
                   fonts_at: dict[int, tuple[str, float]] | None = None) -> Measured:
    """Measure every bar's gap, read the fonts at the bars (with `every_font`, every font the
    text uses), learn how the producer laid the fonts out (`learn_advances`, which sets the
    layout's advances), calibrate, and measure the gaps again on the advances learned.
    `texts`: what the engine model tests exact widths on (`engine.engine_models`). `fonts_at`:
    the font and size of the text some bars hide, known from the document's structure (a word
    index prints its words in a font of their own), by the bar's place in `doc.bars`."""
    def refont(gaps: list[Gap]) -> list[Gap]:
        for i, (font, size) in (fonts_at or {}).items():
            g = gaps[i]
            if font in doc.fonts and font != g.font:
                # the glyph spacing of that font's own text, not its neighbours' (Tc is set
                # run by run: Acrobat PDFWriter spaces a bold index word and its refs apart)
                spacing = font_word_spacing(doc, font, size)
                if spacing is None or g.line is None:
                    gaps[i] = replace(g, font=font, size_pt=size)
                    continue
                extra, spread = spacing
                gaps[i] = replace(g, font=font, size_pt=size, sigma_pt=max(g.sigma_pt, spread),
                                  line=replace(g.line, glyph_extra_pt=extra,
                                               pre_space_extra_pt=extra))
        return gaps

    gaps = refont(measure_document(doc))
    lines = [line for page in doc.pages for line in page.lines]
    fonts = {g.font for g in gaps if g.font is not None}
    if every_font:
        fonts |= {g.font for line in lines for g in line.glyphs}
    fonts &= set(doc.fonts)
    metrics = {f: read_metrics(doc.fonts[f]) for f in sorted(fonts)}
    kerning = {f: producer_kerns(m, lines) for f, m in metrics.items()}
    scale = {f: font_scale(m, lines, doc.advance_offsets) for f, m in metrics.items()}
    extras = learn_advances(doc, metrics, kerning, scale, lines)
    if extras is not None:
        gaps = refont(measure_document(doc, extras))  # again, on the advances the producer laid out
    at_size = LaidOut(doc.advance_offsets)
    calibration = calibrate(doc, metrics, kerning, scale, at_size, extras or {})
    engine = engine_models(doc, gaps, metrics, texts)
    for i, gap in enumerate(gaps):
        cal = calibration.get(gap.font) if gap.font in metrics else None
        if cal is not None:  # what the document's own words measure: bias, and sigma's floor
            gaps[i] = replace(gap, sigma_pt=max(gap.sigma_pt, cal.sigma_pt), bias_pt=cal.bias_pt,
                              tail_share=cal.tail_share, tail_sigma_pt=cal.tail_sigma_pt)
    return Measured(gaps=gaps, metrics=metrics, kerning=kerning, scale=scale,
                    calibration=calibration, at_size=at_size, engine=engine)
