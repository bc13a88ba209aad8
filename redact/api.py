"""The Python API that the CLI and notebooks share.

    import redact
    doc = redact.open("samples/reportlab-serif.pdf")
    for r in doc.redactions:
        print(r.id, r.gap.width_pt, r.guess(top=5).candidates[0].text)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import candidates as cand
from . import link
from .display import dataframe, esc, html_table
from .document import Bar, Document, read_pdf
from .fonts import FontMetrics, producer_kerns, read_metrics
from .measure import Gap, calibration_gaps, measure_document, robust_sd
from .rank import Ranking, combine, count_fits, predict_width, rank

logging.getLogger("fontTools").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)

CAVEAT = ("Probabilities assume the hidden text is one of the candidates considered and that "
          "the width model holds; treat them as leads to verify, not as findings.")


@dataclass
class Redaction:
    """One bar, its gap and the font at it; `guess()` ranks candidates for it."""

    id: str
    page: int
    bar: Bar
    gap: Gap
    metrics: FontMetrics | None
    scale: float = 1.0  # page points per (em x size), fitted on the line's glyphs
    kerning: bool = False  # the producer applied the font's pair kerning
    document: "RedactedDocument | None" = field(default=None, repr=False)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.bar.bbox

    def __repr__(self) -> str:
        g = self.gap
        gap = f"{g.width_pt:.3f} ± {g.sigma_pt:.3f} pt" if g.measurable else "unmeasurable"
        return f"<Redaction {self.id} page {self.page}: gap {gap}, {g.font} {g.size_pt or 0:g} pt>"

    def guess(self, wordlists: list[str] | None = None, top: int = 10,
              constraints: cand.Constraints | None = None, formats: tuple[str, ...] = ()) -> Ranking:
        """Rank candidates. With no `wordlists`, the default picks from the left context:
        surnames after a title, otherwise first names, surnames and "First Last" pairs.
        `constraints` (length, first/last letters, pattern, alphabetical bracket) keep only the
        candidates that meet them. `formats`: other ways of writing a name to try as well
        (see `candidates.FORMATS`: "initial-last", "first-middle-last", "title-last",
        "last-first", "possessive")."""
        constraints = constraints or cand.Constraints()
        if not self.gap.measurable or self.metrics is None:
            return Ranking([], 0, 0, False, self.gap.note or "the gap could not be measured")
        segments = self.gap.segments()
        if len(segments) == 1:
            hyps, note = self.hypotheses(wordlists, formats)
            ranking = self._rank(self.gap, hyps, top, constraints)
            return replace(ranking, note="; ".join(filter(None, [ranking.note, note])))
        # one word per segment: a first name (or a surname after a title) first, a surname last
        if len(segments) > 3 and not wordlists:
            return Ranking([], 0, 0, False, f"the bar hides {len(segments)} words: more than a "
                           "name; rank them with --wordlist lists of words or phrases")
        per_word = []
        for i, seg in enumerate(segments):
            if wordlists:
                hyps = cand.user_hypotheses(wordlists)
            else:
                hyps = cand.word_hypotheses(self.gap.context_left, i, len(segments))
            per_word.append(self._rank(seg, hyps, min(max(top, 20), 200), cand.Constraints()))
        return combine(per_word, self.gap.width_pt, top)

    def hypotheses(self, wordlists: list[str] | None = None,
                   formats: tuple[str, ...] = ()) -> tuple[list[cand.Hypothesis], str]:
        """The candidate families for this bar, and a note on how they were chosen: the user's
        lists, or names chosen by context (surnames after a title; full names linked to the
        document's title bars; capitals in capitalised text)."""
        if wordlists:
            return cand.user_hypotheses(wordlists), ""
        linked, links = self._linked()
        hyps = cand.default_hypotheses(self.gap.context_left, linked, tuple(formats))
        if cand.all_caps(self.gap.context_left, self.gap.context_right):
            return cand.in_caps(hyps), "the text around the bar is in capitals: so are the names"
        if not links:
            return hyps, ""
        ids = [lk.id for lk in links]
        shown = "; ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        return hyps, (f"solved jointly with the bars that may hide the same surname; "
                      f"{len(links)} agree ({shown}): their widths reweight the surname prior")

    def _linked(self) -> tuple[cand.Wordlist | None, list[link.Link]]:
        """The reweighted surname list and the links (see `RedactedDocument.linked`)."""
        return self.document.linked(self) if self.document else (None, [])

    def links(self) -> list[link.Link]:
        """The bars solved jointly with this one, why, and how strongly their widths agree."""
        return self._linked()[1]

    def _rank(self, gap: Gap, hyps, top: int, constraints: cand.Constraints) -> Ranking:
        return rank(gap, self.metrics, hyps, top=top, scale=self.scale, kerning=self.kerning,
                    constraints=constraints)

    def same_width(self) -> list[str]:
        """Other bars of the document in the same font and size whose hidden texts have the same
        width within two sigma (spaces at the edges set aside): most likely the same text."""
        if not self.document or not self.gap.measurable:
            return []
        g = self.gap
        return [o.id for o in self.document.redactions
                if o is not self and o.gap.measurable and o.gap.font == g.font
                and o.gap.size_pt == g.size_pt
                and abs(o.gap.text_width_pt - g.text_width_pt)
                <= 2 * np.hypot(o.gap.sigma_pt, g.sigma_pt)]

    def audit(self, wordlists: list[str] | None = None) -> dict:
        """How much this bar leaks: how many candidates of the lists fit its gap within one
        sigma, and the bits that width takes away (log2 of candidates over fitting ones)."""
        if not self.gap.measurable or self.metrics is None:
            return {"id": self.id, "measurable": False, "note": self.gap.note}
        hyps, _ = self.hypotheses(wordlists)
        total, fit = count_fits(self.gap, self.metrics, hyps, self.scale, self.kerning)
        best = self.guess(wordlists, top=1).candidates
        return {"id": self.id, "measurable": True, "lists": [h.label for h in hyps],
                "candidates": total, "fit_within_sigma": fit,
                "bits": round(float(np.log2(total / max(fit, 1))), 2) if total else 0.0,
                "top_probability": round(best[0].probability, 4) if best else 0.0,
                "sigma": _r(self.gap.sigma_pt)}

    def picture(self, text: str | None = None):
        """The line around the bar as published, and `text` (default: the best guess) drawn
        into the gap in the document's font, as a PIL image (see `redact.proof`)."""
        from . import proof

        if text is None:
            best = self.guess(top=1).candidates
            if not best:
                return proof.crop(self)
            text = best[0].text
        return proof.picture(self, text)

    def width_of(self, text: str) -> float:
        """The gap `text` would leave at this bar, in points (NaN if unmeasurable)."""
        if not self.gap.measurable or self.metrics is None:
            return float("nan")
        return float(predict_width(self.gap, self.metrics, [text], self.scale, self.kerning)[0])

    def to_dict(self, ranking: Ranking | None = None) -> dict:
        g = self.gap
        out = {
            "id": self.id,
            "page": self.page,
            "bbox": [round(v, 3) for v in self.bar.bbox],
            "font": {"name": g.font, "size": g.size_pt,
                     "metrics": self.metrics.source if self.metrics else None,
                     "substitute": self.metrics.substitute if self.metrics else None,
                     "monospace": self.metrics.monospace if self.metrics else None,
                     "kerning": self.kerning},
            "gap": {"width": _r(g.width_pt), "sigma": _r(g.sigma_pt), "box_width": _r(g.box_width_pt),
                    "edges": g.edges, "spaces": [g.spaces_left, g.spaces_right],
                    "space_width": _r(g.line.space_pt) if g.line else None, "note": g.note},
            "context": {"left": g.context_left, "right": g.context_right},
        }
        if len(self.bar.parts) > 1:
            out["parts"] = [[round(a, 3), round(b, 3)] for a, b in self.bar.parts]
        out["same_width"] = self.same_width()
        if ranking is not None:
            out["linked"] = [lk.to_dict() for lk in self.links()]
            out["candidates"] = [
                {"text": c.text, "width": _r(c.width_pt), "probability": round(c.probability, 6),
                 "residual": _r(c.residual_pt), "list": c.source, "metrics": c.metrics}
                for c in ranking.candidates]
            out["considered"] = ranking.considered
            out["unmeasurable"] = ranking.unmeasurable
            if ranking.note:
                out["note"] = ranking.note
        return out


def _r(x: float | None, nd: int = 3):
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


@dataclass(frozen=True)
class Calibration:
    """The width model tested on the document itself: every sampled visible word hidden in
    turn, measured as a bar, and compared with its predicted width."""

    font: str
    words: int
    bias_pt: float  # median of gap - predicted width
    median_abs_pt: float
    p95_abs_pt: float
    sigma_pt: float  # robust spread of the residuals: the sigma ranking uses (at least)

    def to_dict(self) -> dict:
        return {"font": self.font, "words": self.words, "bias": _r(self.bias_pt, 4),
                "median_abs": _r(self.median_abs_pt, 4), "p95_abs": _r(self.p95_abs_pt, 4),
                "sigma": _r(self.sigma_pt, 4)}


@dataclass
class RedactedDocument:
    path: Path
    document: Document
    redactions: list[Redaction] = field(default_factory=list)
    calibration: dict[str, Calibration] = field(default_factory=dict)  # by font name
    metrics: dict[str, FontMetrics] = field(default_factory=dict)  # by font name
    kerning: dict[str, bool] = field(default_factory=dict)  # did the producer kern this font

    joint: bool = True  # solve linked bars jointly (see `redact.link`)
    password: str = field(default="", repr=False)  # to render pages (see `redact.proof`)

    def peers(self, r: Redaction) -> list[Redaction]:
        """Other one-word-group bars in r's font and size: the bars that can share a name."""
        return [t for t in self.redactions
                if t is not r and t.gap.measurable and t.metrics is r.metrics
                and t.gap.size_pt == r.gap.size_pt and len(t.gap.segments()) == 1]

    def evidence(self, r: Redaction) -> link.Evidence:
        """What bar `r`'s width says of the surname it may hide (computed once)."""
        cache = self.__dict__.setdefault("_evidence", {})
        if r.id not in cache:
            cache[r.id] = link.evidence(r)
        return cache[r.id]

    def linked(self, r: Redaction) -> tuple[cand.Wordlist | None, list[link.Link]]:
        """The surname list `r` draws from when other bars may hide the same surname, and
        those links (None, [] when none do, or when `joint` is off)."""
        cache = self.__dict__.setdefault("_linked", {})
        if r.id in cache:
            return cache[r.id]
        out = None, []
        if (self.joint and r.gap.measurable and r.metrics is not None and not r.metrics.monospace
                and len(r.gap.segments()) == 1
                and not cand.all_caps(r.gap.context_left, r.gap.context_right)):
            out = link.linked_prior(r, self.peers(r))
        cache[r.id] = out
        return out

    def records(self) -> list[dict]:
        """One plain dict a bar: id, page, box, font, gap and context (for tables)."""
        out = []
        for r in self.redactions:
            d = r.to_dict()
            out.append({"id": r.id, "page": r.page, "x0": d["bbox"][0], "top": d["bbox"][1],
                        "x1": d["bbox"][2], "bottom": d["bbox"][3], "font": d["font"]["name"],
                        "size": d["font"]["size"], "gap_pt": d["gap"]["width"],
                        "sigma_pt": d["gap"]["sigma"], "box_pt": d["gap"]["box_width"],
                        "left": d["context"]["left"], "right": d["context"]["right"]})
        return out

    def to_dataframe(self):
        """The bars as a pandas DataFrame (pandas is not a dependency: install it)."""
        return dataframe(self.records())

    def _repr_html_(self) -> str:
        """A table of the bars for Jupyter."""
        rows = [[r["id"], str(r["page"]), esc(r["font"]), str(r["size"]),
                 f"{r['gap_pt']} ± {r['sigma_pt']}",
                 f"…{esc(r['left'][-30:])} <b>█████</b> {esc(r['right'][:30])}…"]
                for r in self.records()]
        return html_table(["id", "page", "font", "size", "gap pt", "context"], rows,
                          before=f"<p><b>{esc(self.path)}</b>: {len(self)} redactions</p>")

    def __repr__(self) -> str:
        return f"<RedactedDocument {self.path}: {len(self)} redactions>"

    def __getitem__(self, rid: str) -> Redaction:
        for r in self.redactions:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def __len__(self) -> int:
        return len(self.redactions)


def open(path, password: str = "", require_bars: bool = True,  # noqa: A001
         joint: bool = True) -> RedactedDocument:
    """Read a PDF, find its bars, measure each gap, read the fonts at them, and calibrate the
    width model on the document's own visible words. With `require_bars=False` a document
    without bars opens too, and every font its text uses is read and calibrated. With
    `joint=False` every bar is ranked on its own (no joint solving, see `redact.link`)."""
    doc = read_pdf(path, password, require_bars)
    gaps = measure_document(doc)
    lines = [line for page in doc.pages for line in page.lines]
    fonts = {g.font for g in gaps if g.font is not None}
    if not require_bars:
        fonts |= {g.font for line in lines for g in line.glyphs}
    fonts &= set(doc.fonts)
    metrics = {f: read_metrics(doc.fonts[f]) for f in sorted(fonts)}
    kerning = {f: producer_kerns(m, lines) for f, m in metrics.items()}
    scale = {f: _font_scale(m, lines) for f, m in metrics.items()}
    calibration = calibrate(doc, metrics, kerning, scale)
    out = RedactedDocument(Path(path), doc, calibration=calibration, metrics=metrics,
                           kerning=kerning, joint=joint, password=password)
    hidden = removed_text_metrics(doc, metrics)
    counters: dict[int, int] = {}
    for (page, bar), gap in zip(doc.bars, gaps):
        counters[page.number] = counters.get(page.number, 0) + 1
        f = gap.font if gap.font in metrics else None
        if f in calibration and calibration[f].sigma_pt > gap.sigma_pt:
            gap = replace(gap, sigma_pt=calibration[f].sigma_pt)
        out.redactions.append(Redaction(
            f"p{page.number}-{counters[page.number]}", page.number, bar, gap,
            hidden.get(f), scale.get(f, 1.0), kerning.get(f, False), out))
    return out


def removed_text_metrics(doc: Document, metrics: dict[str, FontMetrics]) -> dict[str, FontMetrics]:
    """The metrics of the text a redaction engine removed, per font: the width it left is the
    engine's measure of the glyphs. MuPDF (PyMuPDF's apply_redactions) measures Type 1 glyphs
    in whole font units; everywhere else the font's own advances hold."""
    if doc.writer != "mupdf":
        return metrics
    return {f: m.in_whole_units() if doc.fonts[f].program_kind == "type1" else m
            for f, m in metrics.items()}


def calibrate(doc: Document, metrics: dict[str, FontMetrics], kerning: dict[str, bool],
              scale: dict[str, float]) -> dict[str, Calibration]:
    """Hide the document's visible words in turn and measure how well their widths predict
    their gaps, per font (see `measure.calibration_gaps`)."""
    residuals: dict[str, list[float]] = {}
    for gap, word in calibration_gaps(doc, set(metrics)):
        f = gap.font
        pred = predict_width(gap, metrics[f], [word], scale[f], kerning[f])[0]
        if np.isfinite(pred):
            residuals.setdefault(f, []).append(gap.width_pt - pred)
    out = {}
    for f, res in residuals.items():
        r = np.asarray(res)
        if len(r) < 5:
            continue
        a = np.abs(r)
        out[f] = Calibration(f, len(r), float(np.median(r)), float(np.median(a)),
                             float(np.percentile(a, 95)), robust_sd(r))
    return out


def _font_scale(metrics: FontMetrics, lines) -> float:
    """Horizontal scaling of the text in this font, fitted on its visible glyphs."""
    glyphs = [g for line in lines for g in line.glyphs if g.font == metrics.name]
    scale, _ = metrics.fit_scale(glyphs)
    return scale if np.isfinite(scale) and scale > 0 else 1.0
