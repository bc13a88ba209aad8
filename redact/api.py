"""The Python API that the CLI and notebooks share.

    import redact
    doc = redact.open("samples/reportlab-serif.pdf")
    for r in doc.redactions:
        print(r.id, r.gap.width_pt, r.guess(top=5).candidates[0].text)
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import candidates as cand
from . import engine, link, seen, transcript, wordindex
from .display import dataframe, esc, flat, html_table, rounded
from .document import Bar, Layout, learned_advances, read_pdf, set_advances, size_key
from .fonts import FontMetrics, producer_kerns, read_metrics
from .measure import (SIGMA_FLOOR_PT, Gap, calibration_gaps, laid_out_extras,
                      measure_document, robust_sd)
from .rank import Candidate, Ranking, combine, count_fits, covering, predict_width, rank

logging.getLogger("fontTools").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)

SPLIT_WORD_TOP = 200  # candidates kept per word of a bar split into words (see Gap.segments)

TAIL_SIGMAS = 3.0  # a calibration residual this many robust spreads off is in the tail

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
    citation: str | None = None  # "printed page:line" on a transcript page (redact.transcript)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.bar.bbox

    @property
    def engine_model(self) -> str | None:
        """The redaction engine's width model for this bar's font (see `redact.engine`)."""
        m = self.document.engine.get(self.gap.font) if self.document else None
        return m.model if m else None

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
        if not isinstance(top, (int, np.integer)) or top < 1:
            raise ValueError(f"top must be a whole number of at least 1, not {top!r}")
        doc = self.document
        entry = self.index_entry() if not wordlists else None
        if entry is not None and (doc.index.entries[entry].refs_hidden
                                  or doc.index.entries[entry].word_bar is not self.bar):
            return self._rank_entry(entry, top, constraints)  # needs no measured gap
        if not self.gap.measurable or self.metrics is None:
            return Ranking.empty(self.gap.note or "the gap could not be measured")
        segments = self.gap.segments()
        if len(segments) == 1:
            hyps, note, links = self.hypotheses(wordlists, formats)
            ranking = self._rank(self.gap, hyps, top, constraints)
            where = doc.seen_note(ranking.candidates) if doc is not None and not wordlists else ""
            return replace(ranking, note="; ".join(filter(None, [ranking.note, note, where])),
                           linked=tuple(links))
        # one word per segment: a first name (or a surname after a title) first, a surname last
        if len(segments) > 3 and not wordlists:
            return Ranking.empty(f"the bar hides {len(segments)} words: more than a name; "
                                 "rank them with --wordlist lists of words or phrases")
        per_word = []
        for i, seg in enumerate(segments):
            if wordlists:
                hyps = cand.user_hypotheses(wordlists)
            else:
                hyps = cand.word_hypotheses(self.gap.context_left, i, len(segments))
            per_word.append(self._rank(seg, hyps, SPLIT_WORD_TOP, cand.Constraints()))
        return combine(per_word, self.gap.width_pt, top, constraints)

    def index_entry(self) -> int | None:
        """The word index entry this bar is on (None for a bar elsewhere, or with the index
        turned off)."""
        doc = self.document
        return doc.index_entries.get(self.id) if doc is not None and doc.use_index else None

    def _rank_entry(self, entry: int, top: int, constraints: cand.Constraints) -> Ranking:
        """A bar over a whole index entry (its refs too), or over its wrapped refs: its width
        bounds the word but does not measure it, so the words of the bracket are ranked by
        their prior and what the document says of them (see `IndexSolver.entry_likelihood`)."""
        doc = self.document
        solver = doc.index_solver
        after, before = doc.index.bracket(entry)
        e = doc.index.entries[entry]
        if e.word_bar is None:
            return Ranking.empty("a bar over wrapped references of an index entry")
        oe = solver.open_entries
        note = (f"index entry between {after!r} and {before!r}, its refs hidden too: the bar "
                "bounds the word's width but does not measure it; ranked by frequency")
        if oe is not None and entry in oe.entries and e.word_bar is self.bar:
            wl = oe.entry_ranking(oe.entries.index(entry))
            weights = wl.weights
            note += (f" and by the {len(oe.bars)} body bars the {len(oe.entries)} entries hidden "
                     "with their refs explain together")
        else:
            lists = cand.index_word_hypotheses(after, before, solver.letters_factor(entry))
            if not lists:
                return Ranking.empty(f"index entry between {after!r} and {before!r}: "
                               "no word of the lists sorts there")
            wl = lists[0].lists[0]
            bound = solver.index_bar_likelihood(entry) if e.word_bar is self.bar else None
            weights = wl.weights * bound(wl.texts) if bound is not None else wl.weights
        ok = constraints.mask(wl.texts) & (weights > 0)
        weights = np.where(ok, weights, 0.0)
        order = np.argsort(-weights, kind="stable")[:top]
        total = weights.sum()
        out = [Candidate(str(wl.texts[i]), float("nan"), float(weights[i] / total), float("nan"),
                         wl.name, self.metrics.source if self.metrics else "") for i in order
               if weights[i] > 0] if total > 0 else []
        return Ranking(out, int(ok.sum()), 0, False, note, fits=bool(out),
                       covering_90=covering(weights / total) if total > 0 else None)

    def hypotheses(self, wordlists: list[str] | None = None, formats: tuple[str, ...] = ()
                   ) -> tuple[list[cand.Hypothesis], str, list[link.Link]]:
        """The candidate families for this bar, a note on how they were chosen, and the links
        whose evidence reweights them: the user's lists (no links), or names chosen by context
        (surnames after a title; full names linked to the document's title bars; capitals in
        capitalised text)."""
        if wordlists:
            return cand.user_hypotheses(wordlists), "", []
        doc = self.document
        entry = self.index_entry()
        if entry is not None:  # a bar in the word index: a lower-case word between its neighbours
            after, before = doc.index.bracket(entry)
            hyps = cand.index_word_hypotheses(after, before, doc.index_solver.letters_factor(entry))
            refs = ", ".join(f"{p}:{n}" for p, n in doc.index.entries[entry].refs[:6])
            return hyps, (f"index entry between {after!r} and {before!r}"
                          + (f", refs {refs}" if refs else ", refs hidden")), []
        linked, links = self._linked()
        hyps = cand.default_hypotheses(self.gap.context_left, linked, tuple(formats),
                                       doc.seen.wordlists if doc else None, seen.SEEN_SHARE)
        ev = doc.index_evidence.get(self.id) if doc and doc.use_index else None
        solver = doc.index_solver if ev is not None else None
        if ev is not None and ev.leaks:
            shared = solver.line_leaks(self)
            if shared:  # other bars on the line take some of the leaked words
                return cand.leak_hypotheses(ev.leaks, hyps, only=shared), ev.note() + (
                    "; the line's other bars take the rest"), links
            return cand.leak_hypotheses(ev.leaks, hyps, pairs=solver.named_pairs,
                                        titled=solver.titled_words), ev.note(), links
        oe = solver.open_entries if ev is not None and not ev.cited else None
        if oe is not None and oe.position(self) is not None:
            return solver.assigned_hypotheses(self), ev.note() + (
                f": solved jointly with the {len(oe.entries)} entries hidden with their refs and "
                f"the {len(oe.bars)} body bars they explain"), links
        if ev is not None and ev.brackets:
            narrowed = cand.bracketed(hyps, ev.brackets, [solver.entry_likelihood(e) for e in ev.entries],
                                      english=not cand.after_title(self.gap.context_left))
            if narrowed:
                return narrowed, ev.note(), links
            return hyps, ev.note() + ": the brackets admit nothing from the lists", links
        if cand.all_caps(self.gap.context_left, self.gap.context_right):
            return cand.in_caps(hyps), "the text around the bar is in capitals: so are the names", []
        if not links:
            return hyps, "", []
        ids = [lk.id for lk in links]
        shown = "; ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        return hyps, (f"solved jointly with the bars that may hide the same surname; "
                      f"{len(links)} agree ({shown}): their widths reweight the surname prior"), links

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
        ids, widths, sigmas = self.document.text_widths(g.font, g.size_pt)
        near = np.abs(widths - g.text_width_pt) <= 2 * np.hypot(sigmas, g.sigma_pt)
        return [i for i, ok in zip(ids, near) if ok and i != self.id]

    def audit(self, wordlists: list[str] | None = None, constraints: cand.Constraints | None = None,
              formats: tuple[str, ...] = (), ranking: Ranking | None = None) -> dict:
        """How much this bar leaks to someone who tries these lists (and knows what the
        constraints say): how many candidates fit its gap within one sigma, the bits that
        width takes away (log2 of candidates over fitting ones), and the probability of the
        best guess (from `ranking`, when the caller has ranked the bar already)."""
        if not self.gap.measurable or self.metrics is None:
            return {"id": self.id, "measurable": False, "note": self.gap.note}
        constraints = constraints or cand.Constraints()
        hyps, _, _ = self.hypotheses(wordlists, formats)
        total, fit = count_fits(self.gap, self.metrics, hyps, self.scale, self.kerning,
                                constraints=constraints)
        ranking = ranking or self.guess(wordlists, top=1, constraints=constraints, formats=formats)
        best = ranking.candidates
        return {"id": self.id, "measurable": True, "lists": [h.label for h in hyps],
                "considered": total, "fit_within_sigma": fit,
                "bits": round(float(np.log2(total / max(fit, 1))), 2) if total else 0.0,
                "top_probability": _r(best[0].probability, 4) if best else None,
                "sigma_pt": _r(self.gap.sigma_pt)}

    def verdict(self, ranking: Ranking | None = None):
        """This bar's one-line answer (`verdict.Verdict`): its evidence class (given away by a
        leak or the word index, narrowed by the index, width only) and how concentrated
        `ranking` (default: `guess()`) is, with the document's leak check."""
        from .verdict import bar_verdict

        ranking = ranking if ranking is not None else self.guess()
        return bar_verdict(self, ranking, self.document.leak_check() if self.document else None)

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
        """The bar as JSON: every key is the attribute it comes from (`gap.width_pt` is
        `r.gap.width_pt`); with a ranking, its candidates and what it used."""
        g, m = self.gap, self.metrics
        out = {
            "id": self.id,
            "page": self.page,
            "bbox": [round(v, 3) for v in self.bar.bbox],
            "gap": {"width_pt": _r(g.width_pt), "sigma_pt": _r(g.sigma_pt),
                    "box_width_pt": _r(g.box_width_pt), "measurable": g.measurable,
                    "edges": g.edges, "spaces_left": g.spaces_left, "spaces_right": g.spaces_right,
                    "font": g.font, "size_pt": g.size_pt, "context_left": g.context_left,
                    "context_right": g.context_right, "note": g.note},
            "metrics": {"source": m.source if m else None, "substitute": m.substitute if m else None,
                        "monospace": m.monospace if m else None},
            "kerning": self.kerning,
            "engine_model": self.engine_model,
        }
        out["citation"] = self.citation
        doc = self.document
        if doc is not None and doc.use_index:
            ev = doc.index_evidence.get(self.id)
            entry = self.index_entry()
            if ev is not None:
                out["index"] = ev.to_dict()
            elif entry is not None:
                after, before = doc.index.bracket(entry)
                e = doc.index.entries[entry]
                out["index"] = {"entry_bar": True, "after": after, "before": before,
                                "refs": [f"{p}:{n}" for p, n in e.refs]}
        if len(self.bar.parts) > 1:
            out["parts"] = [[round(a, 3), round(b, 3)] for a, b in self.bar.parts]
        out["same_width"] = self.same_width()
        if ranking is not None:
            out["linked"] = [lk.to_dict() for lk in ranking.linked]
            out["fits"] = ranking.fits
            out["candidates"] = [c.to_dict() for c in ranking.candidates]
            out["considered"] = ranking.considered
            out["unmeasurable"] = ranking.unmeasurable
            if ranking.note:
                out["note"] = ranking.note
        return out


_r = rounded


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


@dataclass
class RedactedDocument:
    path: Path
    layout: Layout  # the PDF as read: pages of glyph lines and bars, fonts (redact.document)
    redactions: list[Redaction] = field(default_factory=list)
    calibration: dict[str, Calibration] = field(default_factory=dict)  # by font name
    metrics: dict[str, FontMetrics] = field(default_factory=dict)  # by font name
    kerning: dict[str, bool] = field(default_factory=dict)  # did the producer kern this font
    engine: dict[str, "engine.EngineModel"] = field(default_factory=dict)  # removed text's model

    index: "wordindex.WordIndex | None" = None  # the transcript's word index, if it has one
    index_evidence: dict = field(default_factory=dict)  # bar id -> wordindex.Evidence
    index_entries: dict = field(default_factory=dict)  # bar id -> its entry, for index bars
    use_index: bool = True  # let the word index narrow the candidates (see `redact.wordindex`)
    joint: bool = True  # solve linked bars jointly (see `redact.link`)
    password: str = field(default="", repr=False)  # to render pages (see `redact.proof`)

    def peers(self, r: Redaction) -> list[Redaction]:
        """Other one-word-group bars in r's font and size: the bars that can share a name."""
        groups = self.__dict__.get("_peers")
        if groups is None:
            groups = self.__dict__["_peers"] = {}
            for t in self.redactions:
                if t.gap.measurable and len(t.gap.segments()) == 1:
                    groups.setdefault((id(t.metrics), t.gap.size_pt), []).append(t)
        return [t for t in groups.get((id(r.metrics), r.gap.size_pt), []) if t is not r]

    def text_widths(self, font: str, size_pt: float) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The measurable bars in this font and size: their ids, `gap.text_width_pt` and
        `gap.sigma_pt` (computed once)."""
        table = self.__dict__.get("_text_widths")
        if table is None:
            rows: dict = {}
            for t in self.redactions:
                if t.gap.measurable:
                    rows.setdefault((t.gap.font, t.gap.size_pt), []).append(
                        (t.id, t.gap.text_width_pt, t.gap.sigma_pt))
            table = self.__dict__["_text_widths"] = {
                k: ([v[0] for v in vs], np.array([v[1] for v in vs]), np.array([v[2] for v in vs]))
                for k, vs in rows.items()}
        return table.get((font, size_pt), ([], np.empty(0), np.empty(0)))

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

    @functools.cached_property
    def _by_bar(self) -> dict[int, Redaction]:
        return {id(r.bar): r for r in self.redactions}

    def redaction_of(self, bar) -> Redaction | None:
        """The redaction a bar (document.Bar) is measured as."""
        return self._by_bar.get(id(bar))

    @functools.cached_property
    def by_citation(self) -> dict[str, list[Redaction]]:
        """The bars on each transcript line, by its citation."""
        out: dict[str, list[Redaction]] = {}
        for r in self.redactions:
            if r.citation:
                out.setdefault(r.citation, []).append(r)
        return out

    def on_line(self, citation: str | None) -> list[Redaction]:
        """The bars on a transcript line, by its citation."""
        return self.by_citation.get(citation, []) if citation else []

    @functools.cached_property
    def seen(self) -> seen.SeenNames:
        """The names the document prints, and where (see `redact.seen`)."""
        return seen.seen_names((page.number, line.text) for page in self.layout.pages
                               for line in page.lines)

    def seen_note(self, candidates) -> str:
        """Where the document prints the candidates that are names it prints."""
        shown = [f"{c.text} (p. {', '.join(map(str, self.seen.pages(c.text)[:5]))})"
                 for c in candidates if self.seen.pages(c.text)]
        return ("seen in the document: " + "; ".join(shown[:5])) if shown else ""

    @functools.cached_property
    def index_solver(self):
        """What the word index says of the bars, worked out over the whole document (see
        `redact.indexsolve`); None without a word index, or with it turned off."""
        from .indexsolve import IndexSolver

        return IndexSolver(self) if self.use_index and self.index is not None else None

    def leak_check(self, max_pages: int | None = None):
        """What the file leaks (`verdict.leak_check`, run once): text under its boxes, names
        its word index gives away, and what was not checked."""
        from .verdict import leak_check

        cache = self.__dict__.setdefault("_leak_check", {})
        if max_pages not in cache:
            cache[max_pages] = leak_check(self.path, self.password, max_pages, doc=self)
        return cache[max_pages]

    def index_leaks(self) -> list:
        """Bars whose hidden text the word index gives away (see `IndexSolver.leaks`)."""
        return self.index_solver.leaks() if self.index_solver is not None else []

    def records(self) -> list[dict]:
        """One flat record a bar: its JSON (`Redaction.to_dict`) with nested keys joined by "."
        (`gap.width_pt`), for tables and DataFrames."""
        return [flat(r.to_dict()) for r in self.redactions]

    def to_dataframe(self):
        """The bars as a pandas DataFrame (pip install 'redact[pandas]')."""
        return dataframe(self.records())

    def _repr_html_(self) -> str:
        """A table of the bars for Jupyter."""
        rows = [[r.id, str(r.page), esc(r.gap.font), f"{r.gap.size_pt or 0:g}",
                 f"{r.gap.width_pt:.3f} ± {r.gap.sigma_pt:.3f}" if r.gap.measurable else "—",
                 f"…{esc(r.gap.context_left[-30:])} <b>█████</b> {esc(r.gap.context_right[:30])}…"]
                for r in self.redactions]
        return html_table(["id", "page", "font", "size pt", "gap pt", "context"], rows,
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

    def __iter__(self):
        return iter(self.redactions)


def open(path, password: str = "", require_bars: bool = True,  # noqa: A001
         joint: bool = True, use_index: bool = True) -> RedactedDocument:
    """Read a PDF, find its bars, measure each gap, read the fonts at them, and calibrate the
    width model on the document's own visible words. With `require_bars=False` a document
    without bars opens too, and every font its text uses is read and calibrated. With
    `joint=False` every bar is ranked on its own (no joint solving, see `redact.link`); with
    `use_index=False` a transcript's word index is not used (see `redact.wordindex`)."""
    return from_layout(read_pdf(path, password, require_bars), password, not require_bars,
                       joint, use_index)


def from_layout(doc: Layout, password: str = "", every_font: bool = False, joint: bool = True,
                use_index: bool = True) -> RedactedDocument:
    """`open` on a PDF already read (`document.read_pdf`): measure, read the fonts at the
    bars (with `every_font`, every font the text uses), calibrate. `doc.path` is the file."""
    path = doc.path
    gaps = measure_document(doc)
    lines = [line for page in doc.pages for line in page.lines]
    fonts = {g.font for g in gaps if g.font is not None}
    if every_font:
        fonts |= {g.font for line in lines for g in line.glyphs}
    fonts &= set(doc.fonts)
    metrics = {f: read_metrics(doc.fonts[f]) for f in sorted(fonts)}
    kerning = {f: producer_kerns(m, lines) for f, m in metrics.items()}
    scale = {f: _font_scale(m, lines, doc.advance_offsets) for f, m in metrics.items()}
    extras = _learn_advances(doc, metrics, kerning, scale, lines)
    if extras is not None:
        gaps = measure_document(doc, extras)  # again, on the advances the producer laid out
    extras = extras or {}
    at_size = _LaidOut(doc.advance_offsets)
    calibration = calibrate(doc, metrics, kerning, scale, at_size, extras)
    out = RedactedDocument(Path(path), doc, calibration=calibration, metrics=metrics,
                           kerning=kerning, joint=joint, password=password, use_index=use_index)
    out.index = wordindex.read_index(doc)
    out.engine = engine_models(doc, gaps, metrics)
    hidden = {f: out.engine[f].metrics(m) for f, m in metrics.items()}
    line_of_bar = [li for page in doc.pages for li in page.line_of_bar]  # as doc.bars
    for (page, bar), rid, gap, li in zip(doc.bars, doc.bar_ids, gaps, line_of_bar):
        f = gap.font if gap.font in metrics else None
        if f in calibration:  # what the document's own words measure: bias, and sigma's floor
            cal = calibration[f]
            gap = replace(gap, sigma_pt=max(gap.sigma_pt, cal.sigma_pt), bias_pt=cal.bias_pt,
                          tail_share=cal.tail_share, tail_sigma_pt=cal.tail_sigma_pt)
        line = page.lines[li] if li is not None else None
        cite = transcript.citation(page.printed_number, line.number if line else None)
        m = at_size(hidden[f], gap.size_pt) if f is not None else None
        sc = _line_scale(metrics[f], line, doc.advance_offsets, scale[f]) if f else 1.0
        r = Redaction(rid, page.number, bar, gap,
                      m, sc, kerning.get(f, False), out, cite)
        out.redactions.append(r)
        if out.index is not None:
            entry = out.index.entry_of_bar(bar)
            if entry is not None:
                out.index_entries[r.id] = entry
            elif cite is not None:
                ev = wordindex.evidence(out.index, cite, line.text)
                if ev is not None:
                    out.index_evidence[r.id] = ev
    return out


def engine_models(layout: Layout, gaps: list[Gap], metrics: dict[str, FontMetrics]
                  ) -> dict[str, engine.EngineModel]:
    """Per font, the redaction engine's width model, chosen on the TJ numbers written at the
    document's bars (see `redact.engine`). Only fonts whose advances are not whole units
    already are replayed (for the others both models agree)."""
    fractional = {f for f, m in metrics.items() if engine.has_fractional_advances(m)}
    by_page: dict[int, list[Gap]] = {}
    for (page, _), gap in zip(layout.bars, gaps):
        if gap.font in fractional and gap.measurable:
            by_page.setdefault(page.number, []).append(gap)
    runs = {page.number: page.text_runs for page in layout.pages if page.text_runs is not None}
    offsets = engine.removed_offsets(runs, by_page) if by_page else {}
    surnames = cand.load_wordlist("surnames").texts
    return {f: engine.choose(f, offsets.get(f, []),
                             engine.chance_whole(m, surnames) if f in offsets else 0.0)
            for f, m in metrics.items()}


class _LaidOut:
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


def _learn_advances(doc: Layout, metrics: dict[str, FontMetrics], kerning: dict[str, bool],
                    scale: dict[str, float], lines) -> dict | None:
    """Learn, once, how the producer laid out the fonts it does not kern
    (`document.learned_advances`); the spacing extras left between the learned advances
    (`measure.laid_out_extras`, found once), or None where nothing was learned. Word reaches the page two
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

    def calibrated(extras: dict) -> dict[str, Calibration]:
        return calibrate(doc, taught, kerning, scale, _LaidOut(doc.advance_offsets), extras)

    doc.tracked = set(learned)
    as_tracked = calibrated({})  # no learned advances: no extras between them
    doc.tracked = set()
    set_advances(doc, learned)
    extras = laid_out_extras(doc)
    with_learned = calibrated(extras)
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
    their gaps, per font (see `measure.calibration_gaps`; `extras`: the document's
    `measure.laid_out_extras`, when known)."""
    residuals: dict[str, list[float]] = {}
    for gap, word in calibration_gaps(doc, set(metrics), extras=extras):
        f = gap.font
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


def _font_scale(metrics: FontMetrics, lines, offsets) -> float:
    """Horizontal scaling of the text in this font, fitted on its visible glyphs (their font
    advances: without the producer's learned offsets)."""
    glyphs = [g for line in lines for g in line.glyphs if g.font == metrics.name]
    glyphs = [replace(g, advance_pt=g.advance_pt - offsets[g.font_size].of(g.text))
              if g.font_size in offsets else g for g in glyphs]
    scale, _ = metrics.fit_scale(glyphs)
    return scale if np.isfinite(scale) and scale > 0 else 1.0


LINE_SCALE_GLYPHS = 3  # glyphs of the font a line needs to show its own horizontal scaling


def _line_scale(metrics: FontMetrics, line, offsets, font_scale: float) -> float:
    """The horizontal scaling on the bar's own line, where it shows one (an OCR text layer
    fits each line to the scan with its own Tz); else the font's. The glyphs' advances carry
    the scaling exactly, so a line's ratio is no estimate: where it agrees with the font's, it
    is the font's."""
    if line is None:
        return font_scale
    glyphs = [g for g in line.glyphs if g.font == metrics.name and not g.is_space
              and metrics.advance_em.get(g.text, 0) > 0]
    if len(glyphs) < LINE_SCALE_GLYPHS:
        return font_scale
    scale = _font_scale(metrics, [line], offsets)
    return font_scale if abs(scale - font_scale) < 1e-3 * font_scale else scale
