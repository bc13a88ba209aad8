"""The Python API that the CLI and notebooks share: a document's bars as objects.

    import redact
    doc = redact.open("samples/reportlab-serif.pdf")
    for r in doc.redactions:
        print(r.id, r.gap.width_pt, r.guess(top=5).candidates[0].text)

`open` reads the PDF (`redact.pdf`), measures it (`redact.measure`) and reads its word index
(`redact.transcripts`); each `Redaction` ranks its candidates (`redact.rank`) on demand. The
leak check (`leak_check`) is here too: it may need the document measured to read its index.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import proof
from .display import dataframe, esc, flat, html_table, rounded
from .errors import RedactError
from .measure import engine
from .measure.calibrate import Calibration, line_scale, measure_layout
from .measure.gaps import Gap
from .measure.widths import predict_width
from .measure.wordlist import Wordlist
from .pdf import transcript
from .pdf.fonts import FontMetrics
from .pdf.layout import Bar, Layout
from .pdf.leaks import LeakReport, find_leaks
from .pdf.read import read_pdf
from .rank import candidates as cand
from .rank import link, seen
from .rank.candidates import load_wordlist
from .rank.score import Candidate, Ranking, combine, count_fits, covering, rank
from .rank.verdict import bar_verdict
from .transcripts import hypotheses as hyp
from .transcripts import wordindex
from .transcripts.indexsolve import IndexSolver

logging.getLogger("fontTools").setLevel(logging.ERROR)
logging.getLogger("pdfminer").setLevel(logging.ERROR)

SPLIT_WORD_TOP = 200  # candidates kept per word of a bar split into words (see Gap.segments)

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
    document: RedactedDocument | None = field(default=None, repr=False)
    citation: str | None = None  # "printed page:line" on a transcript page (redact.pdf.transcript)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.bar.bbox

    @property
    def engine_model(self) -> str | None:
        """The redaction engine's width model for this bar's font (see `redact.measure.engine`)."""
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
        (see `rank.candidates.FORMATS`: "initial-last", "first-middle-last", "title-last",
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
            lists = hyp.index_word_hypotheses(after, before, solver.letters_factor(entry),
                                              doc.index.printed)
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
        return Ranking(candidates=out, considered=int(ok.sum()), unmeasurable=0, monospace=False,
                       note=note, fits=bool(out),
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
            solver = doc.index_solver
            hyps = hyp.index_word_hypotheses(after, before, solver.letters_factor(entry),
                                             doc.index.printed, solver.unlisted_letters(entry))
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
                return hyp.leak_hypotheses(ev.leaks, hyps, only=shared), ev.note() + (
                    "; the line's other bars take the rest"), links
            return hyp.leak_hypotheses(ev.leaks, hyps, pairs=solver.named_pairs,
                                        titled=solver.titled_words), ev.note(), links
        oe = solver.open_entries if ev is not None and not ev.cited else None
        if oe is not None and oe.position(self) is not None:
            return solver.assigned_hypotheses(self), ev.note() + (
                f": solved jointly with the {len(oe.entries)} entries hidden with their refs and "
                f"the {len(oe.bars)} body bars they explain"), links
        if ev is not None and ev.brackets:
            narrowed = hyp.bracketed(hyps, ev.brackets, [solver.entry_likelihood(e) for e in ev.entries],
                                      english=not cand.after_title(self.gap.context_left),
                                      unlisted=[solver.unlisted_likelihood(e) for e in ev.entries])
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

    def _linked(self) -> tuple[Wordlist | None, list[link.Link]]:
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
        """This bar's one-line answer (`rank.verdict.Verdict`): its evidence class (given away by a
        leak or the word index, narrowed by the index, width only) and how concentrated
        `ranking` (default: `guess()`) is, with the document's leak check."""
        ranking = ranking if ranking is not None else self.guess()
        return bar_verdict(self, ranking, self.document.leak_check() if self.document else None)

    def picture(self, text: str | None = None):
        """The line around the bar as published, and `text` (default: the best guess) drawn
        into the gap in the document's font, as a PIL image (see `redact.proof`)."""
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
            if ranking.other_probability is not None:
                out["other_probability"] = rounded(ranking.other_probability, 6)
            if ranking.note:
                out["note"] = ranking.note
        return out


_r = rounded


@dataclass
class RedactedDocument:
    path: Path
    layout: Layout  # the PDF as read: pages of glyph lines and bars, fonts (redact.pdf)
    redactions: list[Redaction] = field(default_factory=list)
    calibration: dict[str, Calibration] = field(default_factory=dict)  # by font name
    metrics: dict[str, FontMetrics] = field(default_factory=dict)  # by font name
    kerning: dict[str, bool] = field(default_factory=dict)  # did the producer kern this font
    engine: dict[str, engine.EngineModel] = field(default_factory=dict)  # removed text's model

    index: wordindex.WordIndex | None = None  # the transcript's word index, if it has one
    index_evidence: dict = field(default_factory=dict)  # bar id -> wordindex.Evidence
    index_entries: dict = field(default_factory=dict)  # bar id -> its entry, for index bars
    use_index: bool = True  # let the word index narrow the candidates (see `redact.transcripts.wordindex`)
    joint: bool = True  # solve linked bars jointly (see `redact.rank.link`)
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

    def linked(self, r: Redaction) -> tuple[Wordlist | None, list[link.Link]]:
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
        """The names the document prints, and where (see `redact.rank.seen`)."""
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
        `redact.transcripts.indexsolve`); None without a word index, or with it turned off."""
        return IndexSolver(self) if self.use_index and self.index is not None else None

    def leak_check(self, max_pages: int | None = None):
        """What the file leaks (`leak_check`, run once): text under its boxes, names
        its word index gives away, and what was not checked."""
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
    `joint=False` every bar is ranked on its own (no joint solving, see `redact.rank.link`); with
    `use_index=False` a transcript's word index is not used (see `redact.transcripts.wordindex`)."""
    return from_layout(read_pdf(path, password, require_bars), password, not require_bars,
                       joint, use_index)


def from_layout(doc: Layout, password: str = "", every_font: bool = False, joint: bool = True,
                use_index: bool = True) -> RedactedDocument:
    """`open` on a PDF already read (`pdf.read_pdf`): measure it (`measure.measure_layout`:
    the gaps, the fonts at the bars (with `every_font`, every font the text uses), the width
    model calibrated on the document's own words), read its word index, and make each bar a
    `Redaction`. `doc.path` is the file."""
    index = wordindex.read_index(doc)
    m = measure_layout(doc, every_font, load_wordlist("surnames").texts, _index_fonts(doc, index))
    out = RedactedDocument(Path(doc.path), doc, calibration=m.calibration, metrics=m.metrics,
                           kerning=m.kerning, joint=joint, password=password, use_index=use_index)
    out.index = index
    out.engine = m.engine
    hidden = {f: m.engine[f].metrics(fm) for f, fm in m.metrics.items()}
    line_of_bar = [li for page in doc.pages for li in page.line_of_bar]  # as doc.bars
    for (page, bar), rid, gap, li in zip(doc.bars, doc.bar_ids, m.gaps, line_of_bar):
        f = gap.font if gap.font in m.metrics else None
        line = page.lines[li] if li is not None else None
        cite = transcript.citation(page.printed_number, line.number if line else None)
        metrics = m.at_size(hidden[f], gap.size_pt) if f is not None else None
        sc = line_scale(m.metrics[f], line, doc.advance_offsets, m.scale[f]) if f else 1.0
        r = Redaction(rid, page.number, bar, gap, metrics, sc, m.kerning.get(f, False), out, cite)
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


def _index_fonts(doc: Layout, index) -> dict[int, tuple[str, float]]:
    """The font of the word each bar over an index entry's word hides: the index's own
    (`WordIndex.word_font`), by the bar's place in `doc.bars`."""
    if index is None or index.word_font is None:
        return {}
    words = {id(e.word_bar) for e in index.entries if e.word_bar is not None}
    return {i: index.word_font for i, (_, bar) in enumerate(doc.bars) if id(bar) in words}


def leak_check(path, password: str = "", max_pages: int | None = None, doc=None) -> LeakReport:
    """What the file leaks: text under its boxes on the first `max_pages` pages (all by
    default), and the names its word index gives away for bars on those pages. `doc`: the
    `api.RedactedDocument` already open on the file (its word index is reused, unless it was
    opened without it); otherwise those pages are read here. Raises RedactError on a file
    that cannot be read."""
    report = find_leaks(path, password, max_pages)
    report.index_check = _index_check(report, path, password, max_pages, doc)
    return report


def _index_check(report: LeakReport, path, password: str, max_pages: int | None, doc) -> str:
    """Add the word index's leaks to `report`; what was checked (`LeakReport.index_check`)."""
    if doc is not None and not doc.use_index:
        doc = None  # the ranking leaves the index out (--no-index); the check never does
    if doc is None:
        try:
            layout = read_pdf(path, password, require_bars=False, max_pages=max_pages)
        except RedactError as err:
            if "no text layer" in str(err):
                return "no word index (no text layer)"
            return f"not run: {err}"
        if wordindex.read_index(layout) is None:
            return "no word index"
        doc = from_layout(layout, password, every_font=True)
    elif doc.index is None:
        return "no word index"
    report.leaks += [f for f in doc.index_leaks() if max_pages is None or f.page <= max_pages]
    return "checked"
