"""The word index applied to one document's bars: what it gives away, and what it narrows.

`redact.transcripts.wordindex` reads the index and says, per citation, which visible words cite a line they
are not on and which hidden entries may hold its words. This module works that out over the
document's bars together:
- a line's leaked words are shared out among its bars (`line_assignments`), by the persons the
  transcript names alone elsewhere (`named_pairs`), the words it puts after a title
  (`titled_words`: surnames) and the titles before the bars;
- a hidden entry's word is weighed by its own bar in the index's font and by the letter counts
  of the body bars its refs cite (`entry_likelihood`);
- entries hidden with their refs are solved jointly with the body bars only they can explain
  (`open_entries`, `redact.transcripts.assign`).
`RedactedDocument.index_solver` holds one; `Redaction.hypotheses` and `_rank_entry` ask it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..measure.widths import predict_width
from ..measure.wordlist import Wordlist, merged
from ..pdf import transcript
from ..pdf.leaks import Finding
from ..rank import candidates as cand
from ..rank.score import log_likelihood, other_log_likelihood, peak_log_likelihood
from . import assign, wordindex
from . import hypotheses as hyp

# how often an index bar's width misleads beyond what the document's own calibration allows
# (its heavy tail is in the likelihood already): a wrong font. None of the 64 index-word bars
# of the samples and of the tune split of benchmarks/real_transcripts.py was off by more than
# 1.6 sigma once the index's own font was read (issue 26)
INDEX_WIDTH_SLIP = 1e-6


class IndexSolver:
    """The word index's evidence over one `RedactedDocument` (which has an index)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.index: wordindex.WordIndex = doc.index

    @functools.cached_property
    def named_pairs(self) -> dict[frozenset, int]:
        """Who the transcript names as "First Last": the pairs of leaked words that the index
        gives, and nothing else, to a line holding a single bar (counted per line). A line
        with several bars shares its words out by these (a full-name bar holds a pair the
        transcript names elsewhere, not any first name with any surname)."""
        out: dict[frozenset, int] = {}
        for bars in self.doc.by_citation.values():
            ev = self.doc.index_evidence.get(bars[0].id) if len(bars) == 1 else None
            if ev is not None and len(ev.leaks) == 2:
                pair = frozenset(ev.leaks)
                out[pair] = out.get(pair, 0) + 1
        return out

    @functools.cached_property
    def titled_words(self) -> dict[str, int]:
        """The words the transcript puts after a title: those the index gives, and nothing
        else, to a line whose single bar follows "Mr."/"Ms."/... (counted per line)."""
        out: dict[str, int] = {}
        for bars in self.doc.by_citation.values():
            ev = self.doc.index_evidence.get(bars[0].id) if len(bars) == 1 else None
            if (ev is not None and len(ev.leaks) == 1
                    and cand.after_title(bars[0].gap.context_left)):
                out[ev.leaks[0]] = out.get(ev.leaks[0], 0) + 1
        return out

    def line_leaks(self, r) -> dict[str, float] | None:
        """When several bars share a line the index gives words away for, the words are shared
        out among them (`line_assignments`). Returns the texts bar `r` holds in some such
        assignment, weighted by the assignments that give it (None when `r` is alone on its
        line, or no assignment fits every bar)."""
        found = self.line_assignments(r.citation)
        k = _position(found[0], r) if found else None
        if k is None:
            return None
        bars, assignments = found
        marginal: dict[str, float] = {}
        for w, texts in assignments:
            marginal[texts[k]] = marginal.get(texts[k], 0.0) + w
        return marginal

    def line_assignments(self, citation: str | None):
        """The ways the words the index leaks for a line can be shared out among its bars:
        each bar holds one leaked word or a "First Last" pair of two, no word used twice on
        the line, each text fitting its bar's width (within 3 sigma). Returns (bars, [(weight,
        texts, one per bar)]) with the weight of each assignment the product of its texts'
        (`hypotheses.leak_texts`), or None when the line has fewer than two such bars (or
        more than four) or no assignment fits."""
        cache = self.__dict__.setdefault("_line_assignments", {})
        if citation in cache:
            return cache[citation]
        bars = [t for t in self.doc.on_line(citation) if t.gap.measurable
                and t.metrics is not None and t.id in self.doc.index_evidence
                and self.doc.index_evidence[t.id].leaks]
        cache[citation] = None
        if not 2 <= len(bars) <= 4:
            return None
        weight = hyp.leak_texts(self.doc.index_evidence[bars[0].id].leaks, self.named_pairs,
                                 self.titled_words)
        options = [(text, set(text.split(" "))) for text in weight]
        fitting = []
        for t in bars:
            widths = predict_width(t.gap, t.metrics, [o[0] for o in options], t.scale, t.kerning)
            ok = np.abs(t.gap.width_pt - widths) <= 3 * t.gap.sigma_for_pt(
                np.array([o[0].count(" ") for o in options]))
            fitting.append([o for o, keep in zip(options, ok) if keep])
        # a bar after a title ("Mr. ▇") holds a surname
        titled = [cand.after_title(t.gap.context_left) for t in bars]
        assignments: list[tuple[float, tuple[str, ...]]] = []

        def share_out(k: int, used: set, texts: tuple[str, ...], w: float) -> None:
            if k == len(bars):
                assignments.append((w, texts))
                return
            for text, words in fitting[k]:
                if not words & used:
                    role = hyp.surname_share(text) if titled[k] and len(words) == 1 else 1.0
                    share_out(k + 1, used | words, texts + (text,), w * weight[text] * role)
        share_out(0, set(), (), 1.0)
        cache[citation] = (bars, assignments) if assignments else None
        return cache[citation]

    def entry_likelihood(self, entry: int):
        """Everything the document says of hidden entry `entry`'s word beyond its bracket: how
        well a word (lower case) fits the bar over it in the index's own font, and the body
        bars its refs point to (their letter counts, and whether a title stands before them,
        which makes the word a surname). A function of (texts, role), role "first", "surname"
        or None; None when there is no such evidence."""
        width = self.index_bar_likelihood(entry)
        lines = self._ref_bars(entry)
        if width is None and not any(lines):
            return None

        def like(texts: np.ndarray, role: str | None = None) -> np.ndarray:
            out = width(texts, role) if width is not None else np.ones(len(texts))
            if any(lines):
                out = out * wordindex.letters_factor(np.char.str_len(texts), lines, role)
            return out
        return like

    def index_bar_likelihood(self, entry: int):
        """How well words fit the bar over the entry's word. When the bar hides the entry's
        refs too, its width only bounds the word's (a word wider than the bar cannot be it)."""
        e = self.index.entries[entry]
        r = self.doc.redaction_of(e.word_bar)
        if r is None or not r.gap.measurable or r.metrics is None:
            return None
        if e.refs_hidden:
            def bound(texts: np.ndarray, role: str | None = None) -> np.ndarray:
                w = np.min([predict_width(r.gap, r.metrics, t, r.scale, r.kerning)
                            for t, _ in self.index.printed(texts, role)], axis=0)
                return np.where(np.isfinite(w) & (w > r.gap.width_pt + 3 * r.gap.sigma_pt),
                                1e-3, 1.0)
            return bound
        if r.metrics.monospace:
            return None  # a letter count the body bars give as well

        peak = peak_log_likelihood(r.gap)

        def like(texts: np.ndarray, role: str | None = None) -> np.ndarray:
            # the word as the index prints it, in each form by its share
            ll = np.logaddexp.reduce([
                log_likelihood(r.gap, r.metrics, Wordlist("index", t, np.ones(len(t))), r.scale,
                               r.kerning) + np.log(share)
                for t, share in self.index.printed(texts, role) if share > 0], axis=0)
            if not np.isfinite(ll).any():
                return np.ones(len(texts))
            # 1 for an exact fit; a slip (another font, a box drawn wide) at INDEX_WIDTH_SLIP
            return (1 - INDEX_WIDTH_SLIP) * np.exp(np.minimum(ll - peak, 0.0)) + INDEX_WIDTH_SLIP
        return like

    def unlisted_likelihood(self, entry: int) -> float | None:
        """What the evidence of `entry_likelihood` gives a word in no list: the letter counts
        and the index bar's width as they would fit a word like the bracket's (unweighted by
        frequency; a width spread by half an em more: such a word may take any width near
        theirs). None without evidence."""
        cache = self.__dict__.setdefault("_unlisted_cache", {})
        if entry not in cache:
            cache[entry] = self._unlisted_likelihood(entry)
        return cache[entry]

    def _unlisted_likelihood(self, entry: int) -> float | None:
        texts = self._bracket_words(entry)
        if self.entry_likelihood(entry) is None or not len(texts):
            return None
        letters = self.unlisted_letters(entry)
        return (1.0 if letters is None else letters) * self._unlisted_width(entry, texts)

    def unlisted_letters(self, entry: int) -> float | None:
        """What `letters_factor` gives a word in no list: its mean over the bracket's words,
        each in every role by the roles' shares of an index word's prior (a word in no list
        is a first name, a surname or another word as often as a listed one)."""
        cache = self.__dict__.setdefault("_unlisted_letters_cache", {})
        if entry not in cache:
            cache[entry] = self._unlisted_letters(entry)
        return cache[entry]

    def _unlisted_letters(self, entry: int) -> float | None:
        lines = self._ref_bars(entry)
        texts = self._bracket_words(entry)
        if not any(lines) or not len(texts):
            return None
        lengths = np.char.str_len(texts)
        return float(sum(share * np.mean(wordindex.letters_factor(lengths, lines, role))
                         for role, share in hyp.ROLE_SHARES.items()))

    def _bracket_words(self, entry: int) -> np.ndarray:
        """Every listed word (lower case) that sorts inside the entry's bracket."""
        cache = self.__dict__.setdefault("_bracket_words_cache", {})
        if entry not in cache:
            cache[entry] = np.concatenate([wl.lower for wl in
                                           hyp.entry_words(self.index.bracket(entry))])
        return cache[entry]

    def _unlisted_width(self, entry: int, texts: np.ndarray) -> float:
        e = self.index.entries[entry]
        r = self.doc.redaction_of(e.word_bar)
        if (r is None or not r.gap.measurable or r.metrics is None or r.metrics.monospace
                or e.refs_hidden):
            return 1.0
        widths = np.min([np.abs(r.gap.width_pt - predict_width(r.gap, r.metrics, t, r.scale,
                                                               r.kerning))
                         for t, _ in self.index.printed(texts)], axis=0)
        widths = widths[np.isfinite(widths)]
        if not widths.size:
            return 1.0
        # the density `rank` gives a word in no list, over a perfect fit's (1 / sigma)
        sigma = r.gap.sigma_pt
        fit = float(np.exp(other_log_likelihood(widths, np.full(widths.shape, sigma), r.gap,
                                                monospace=False) + np.log(sigma)))
        return (1 - INDEX_WIDTH_SLIP) * fit + INDEX_WIDTH_SLIP

    def _ref_bars(self, entry: int) -> list[list[tuple[int, bool]]]:
        """Per visible ref of an entry: the monospaced body bars on that line, as (characters
        hidden, a title stands before it). An entry whose refs are hidden too cites some body
        bar that no visible ref explains: one line of all such bars. Computed once an entry."""
        cache = self.__dict__.setdefault("_ref_bars_cache", {})
        if entry not in cache:
            cache[entry] = self._count_ref_bars(entry)
        return cache[entry]

    def _count_ref_bars(self, entry: int) -> list[list[tuple[int, bool]]]:
        def counted(bars) -> list[tuple[int, bool]]:
            return [(_letters(r), cand.after_title(r.gap.context_left)) for r in bars
                    if _monospaced(r)]
        e = self.index.entries[entry]
        if e.hidden and not e.refs:
            return [counted(self.unexplained)]
        return [counted(self.doc.on_line(f"{p}:{n}")) for p, n in e.refs]

    @functools.cached_property
    def unexplained(self) -> list:
        """The measurable monospaced body bars whose words the entries hidden with their refs
        may hold: neither given away by a visible entry nor cited by the visible refs of an
        entry whose refs are all visible. (An open entry may show some refs, a wrapped row the
        redactor missed: the bars those cite stay in the joint, with that entry among their
        explanations, and a full name there may hold another open entry's word.)"""
        ev = self.doc.index_evidence
        open_ = set(self.index.open_entries())
        return [r for r in self.doc.redactions if r.id in ev and not ev[r.id].leaks
                and _monospaced(r) and (not ev[r.id].cited or set(ev[r.id].entries) <= open_)]

    @functools.cached_property
    def open_entries(self) -> OpenEntries | None:
        """The index entries hidden with their refs, solved jointly with the monospaced body
        bars that no visible ref explains (see `redact.transcripts.assign`); None when there are none."""
        entries, bars = self.index.open_entries(), self.unexplained
        if not entries or not bars:
            return None
        words, prior = [], np.zeros((len(entries), len(assign.ROLES), assign.MAX_LETTERS + 1))
        for k, e in enumerate(entries):
            bound = self.index_bar_likelihood(e)
            lists = hyp.entry_words(self.index.bracket(e))
            if bound is not None:
                lists = [wl.reweighted(wl.weights * bound(wl.lower), wl.name) if len(wl) else wl
                         for wl in lists]
            words.append(lists)
            for role, wl in enumerate(lists):
                lengths = np.minimum(np.char.str_len(wl.lower), assign.MAX_LETTERS)
                prior[k, role] = np.bincount(lengths, weights=wl.weights,
                                             minlength=assign.MAX_LETTERS + 1)
        keep = prior.sum(axis=(1, 2)) > 0  # an entry no word of the lists can hold is left out
        entries, words, prior = [e for e, k in zip(entries, keep) if k], \
            [w for w, k in zip(words, keep) if k], prior[keep]
        if not entries:
            return None
        cites = np.array([transcript.parse_citation(r.citation) or (-1 - k, 0)
                          for k, r in enumerate(bars)])
        post = assign.posterior(prior, np.array([_letters(r) for r in bars]),
                                np.array([cand.after_title(r.gap.context_left) for r in bars]),
                                extents=self.extents(entries), cites=cites)
        return OpenEntries(entries, bars, words, prior, post)

    def extents(self, entries: list[int]) -> assign.Extents | None:
        """What the bars over entries hidden with their refs span (their visible rows too),
        and the index's own fit of extent on what an entry prints (`wordindex.ExtentFit`):
        the joint matches them to the lines each entry would cite (`assign.Extents`). None
        where the index gives no fit; NaN for an extent no entry of the body's lines prints
        (a misread entry)."""
        fit = wordindex.fit_extent(self.index)
        if fit is None:
            return None
        cited = {transcript.parse_citation(r.citation) for r in self.unexplained}
        lines = sorted(c for c in cited if c is not None)
        if not lines:
            return None
        extent = np.array([self.index.entries[e].extent_pt for e in entries])
        rows = np.array([self.index.entries[e].rows for e in entries])
        pt_per_ref = fit.per("refs") + float(np.mean(
            fit.per("line_digits") * wordindex.digits([n for _, n in lines])
            + fit.per("ref_page_digits") * wordindex.digits([p for p, _ in lines])))
        if pt_per_ref <= 0:
            return None
        spread = 3 * max(fit.sd_pt, pt_per_ref)
        for k, row in enumerate(rows):
            few = fit.extent_pt(wordindex.extent_terms(1, lines[:1], row))
            many = fit.extent_pt(wordindex.extent_terms(assign.MAX_LETTERS, lines, row))
            if not min(few, many) - spread <= extent[k] <= max(few, many) + spread:
                extent[k] = np.nan
        return assign.Extents(extent, rows, fit, pt_per_ref)

    def assigned_hypotheses(self, r) -> list[cand.Hypothesis]:
        """The candidates of a body bar that only entries hidden with their refs explain: per
        entry and role, the words of its bracket with the bar's letter count, each by how likely
        the bar hides that entry's word (`redact.transcripts.assign`); "First Last" of two entries by how
        likely the bar hides that pair; the usual families share what nothing explains."""
        oe = self.open_entries
        b, post = oe.position(r), oe.posterior
        letters = _letters(r)
        texts, weights = [], []
        for i in range(len(oe.entries)):
            for role, wl in enumerate(oe.words[i]):
                p = post.single[b, i, role]
                keep = np.char.str_len(wl.texts) == letters
                if p > 1e-9 and keep.any() and wl.weights[keep].sum() > 0:
                    texts.append(wl.texts[keep])
                    weights.append(p * wl.weights[keep] / wl.weights[keep].sum())
        out = []
        if texts:
            wl = merged("index (joint)", np.concatenate(texts), np.concatenate(weights))
            out.append(cand.Hypothesis("single", (wl.subset(wl.weights > 0),),
                                       float(np.log(wl.weights.sum()))))
        for i, j in zip(*np.nonzero(post.pair[b] > 1e-4)):
            parts = []
            for k, role in ((i, 0), (j, 1)):
                w = oe.word_weights(k, role)
                parts.append(Wordlist(oe.words[k][role].name, oe.words[k][role].texts[w > 0],
                                           w[w > 0]))
            if all(len(p) for p in parts):
                out.append(cand.Hypothesis("pair", tuple(parts), float(np.log(post.pair[b, i, j]))))
        return out + [cand.Hypothesis(h.kind, h.lists, h.log_weight + float(np.log(post.other[b])))
                      for h in cand.default_hypotheses(r.gap.context_left)]

    def letters_factor(self, entry: int):
        """For a word index entry: how well each word length fits the body bars its refs point
        to (see `wordindex.letters_factor`), as a function of lengths and the word's role
        ("first", "surname" or None); None without refs."""
        lines = self._ref_bars(entry)
        if not any(lines):
            return None
        return lambda lengths, role=None: wordindex.letters_factor(lengths, lines, role)

    def leaks(self) -> list:
        """Bars whose hidden text the word index gives away (see `redact.transcripts.wordindex`): a visible
        index word cites the bar's line, is not visible there, and fits the bar's width. One
        `pdf.leaks.Finding` of kind "index" per such bar, with the text and its citation."""
        out = []
        for r in self.doc.redactions:
            ev = self.doc.index_evidence.get(r.id)
            if ev is None or not ev.leaks or not r.gap.measurable:
                continue
            best = r.guess(top=1)
            shared = self.line_assignments(r.citation)
            k = _position(shared[0], r) if shared else None
            if k is not None:  # the line's most likely assignment: no text twice
                if best.fits:
                    out.append(Finding(r.page, r.bbox, max(shared[1], key=lambda a: a[0])[1][k],
                                       "index", r.citation))
            elif best.fits and best.candidates and "index leak" in best.candidates[0].wordlist:
                out.append(Finding(r.page, r.bbox, best.candidates[0].text, "index", r.citation))
        return out


def _position(bars: list, r) -> int | None:
    """Where bar r is in a list of bars (by identity), or None."""
    return next((k for k, b in enumerate(bars) if b is r), None)


def _monospaced(r) -> bool:
    """A measurable bar in a monospaced font: its width is a count of characters."""
    return r.gap.measurable and r.metrics is not None and r.metrics.monospace


def _letters(r) -> int:
    """The characters a bar hides on a monospaced line (its spaces too)."""
    return int(round(r.gap.text_width_pt / (next(iter(r.metrics.advance_em.values()))
                                           * r.gap.size_pt * r.scale)))


@dataclass
class OpenEntries:
    """Index entries hidden with their refs, and the body bars only they can explain, solved
    jointly (`redact.transcripts.assign`). `words[i][role]`: entry i's words in that role (a Wordlist of
    the bracket, weighted by share of the prior and by the index bar's bound)."""

    entries: list[int]
    bars: list  # api.Redaction
    words: list[list[Wordlist]]
    prior: np.ndarray  # (entries, ROLES, letters)
    posterior: assign.Assignment

    def position(self, r) -> int | None:
        return _position(self.bars, r)

    def entry_ranking(self, i: int) -> Wordlist:
        """Entry i's words (lower case, as the index prints them) by their posterior."""
        return merged("index words (joint)",
                           np.concatenate([wl.lower for wl in self.words[i]]),
                           np.concatenate([self.word_weights(i, role)
                                           for role in range(len(self.words[i]))]))

    def word_weights(self, i: int, role: int) -> np.ndarray:
        """Entry i's words in a role by P(word | class) x P(class | everything)."""
        wl = self.words[i][role]
        lengths = np.minimum(np.char.str_len(wl.lower), assign.MAX_LETTERS)
        mass = self.prior[i, role, lengths]
        return np.where(mass > 0, wl.weights / np.where(mass > 0, mass, 1)
                        * self.posterior.classes[i, role, lengths], 0.0)


