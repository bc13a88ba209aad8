"""Candidates -> scores -> probabilities.

Each candidate's predicted gap (`measure.widths`) is compared with the measured one: a Gaussian
likelihood on the residual (sigma from the measurement, growing with the spaces a candidate
holds) times the candidate's prior (its family's share times its weight within its list),
normalised over every candidate considered. Full-name pairs are searched by a sorted-width
join: for each first name, only the surnames whose widths put the pair within `WINDOW_SIGMA` of
the gap are scored.

The probabilities are conditional on the hidden text being one of the candidates considered:
a name in no list gets no probability, and a wrong width model makes them overconfident.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..display import dataframe, esc, html_table, points, rounded
from ..measure.gaps import Gap
from ..measure.widths import Frame, Items
from ..measure.wordlist import Wordlist
from ..pdf.fonts import FontMetrics
from .candidates import Constraints, Hypothesis

WINDOW_SIGMA = 6.0  # pairs further than this from the gap carry no weight worth counting
PAIR_CHUNK = 2_000_000  # pairs scored at once
GROUPS_KEPT = 8  # surname lists grouped by width, kept for the next bars (see _WidthGroups.of)


FIT_SIGMA = 5.0  # a candidate further than this from the gap does not fit it
COVER_SHARE = 0.9  # `Ranking.covering_90`: the candidates that hold this share of the probability
COVER_RANKED = 1000  # counted among this many of the best, at most

PAIR_CHECK_CHUNK = 200_000  # pairs spelled out at once to test a whole-text constraint


@dataclass(frozen=True)
class Candidate:
    text: str
    width_pt: float  # the gap this candidate would leave, spaces and spacing included
    probability: float | None  # None when no candidate fits the gap (see Ranking.fits)
    residual_pt: float  # gap minus width
    wordlist: str  # the list (or lists) it came from
    metrics: str  # where its glyph widths came from

    def to_dict(self) -> dict:
        """The attributes by name (widths rounded to 1/1000 pt; None where not measured)."""
        return {"text": self.text, "width_pt": rounded(self.width_pt),
                "probability": rounded(self.probability, 6),
                "residual_pt": rounded(self.residual_pt), "wordlist": self.wordlist,
                "metrics": self.metrics}


@dataclass(frozen=True, kw_only=True)
class Ranking:
    candidates: list[Candidate]
    considered: int  # candidates scored (pairs inside the window included)
    unmeasurable: int  # candidates with a character no metric source knows
    monospace: bool  # width tells only the character count
    note: str = ""
    fits: bool = False  # some candidate is within FIT_SIGMA of the gap; else no probabilities
    linked: tuple = ()  # the links (redact.rank.link.Link) whose evidence this ranking used
    # the fewest candidates that together hold 90% of the probability (None: more than the
    # COVER_RANKED best, or no probabilities): how concentrated the answer is
    covering_90: int | None = None
    # the probability that the text is none of the candidates (a word in no list), where the
    # hypotheses weigh that (`Hypothesis` kind "other"); None where they do not
    other_probability: float | None = None

    @classmethod
    def empty(cls, note: str, considered: int = 0, unmeasurable: int = 0,
              monospace: bool = False) -> Ranking:
        """A ranking with no candidates, and why."""
        return cls(candidates=[], considered=considered, unmeasurable=unmeasurable,
                   monospace=monospace, note=note)

    def records(self) -> list[dict]:
        """The candidates as plain dicts: `rank` and the attributes of each `Candidate`."""
        return [{"rank": i, **c.to_dict()} for i, c in enumerate(self.candidates, 1)]

    def to_dataframe(self):
        """The candidates as a pandas DataFrame (pandas is not a dependency: install it)."""
        return dataframe(self.records())

    def _repr_html_(self) -> str:
        """A table for Jupyter."""
        rows = [[str(r["rank"]), f"<b>{esc(r['text'])}</b>", points(r["width_pt"]),
                 points(r["residual_pt"], True), percent(r["probability"]), esc(r["wordlist"])]
                for r in self.records()]
        return html_table(
            ["#", "candidate", "width pt", "residual pt", "probability", "wordlist"], rows,
            before=f"<p><i>{esc(self.note)}</i></p>" if self.note else "",
            after=f"<p><small>{self.considered:,} candidates scored; probabilities assume the "
                  "hidden text is one of them.</small></p>")


def _measured(frame: Frame, hyp: Hypothesis) -> list[Items]:
    """A hypothesis's lists measured in the gap's frame: one list, or a pair's two parts."""
    if hyp.kind == "single":
        return [frame.items(hyp.lists[0])]
    return [frame.items(hyp.lists[0], "first"), frame.items(hyp.lists[1], "last")]


def _loglik(residual, sigma, gap: Gap | None = None):
    """log N(residual; 0, sigma), or, where the document's own words show a heavy tail
    (`Gap.tail_share` of them far off), the mixture with a wide Gaussian of that share."""
    core = -0.5 * (residual / sigma) ** 2 - np.log(sigma)
    if gap is None or gap.tail_share <= 0:
        return core
    wide = np.hypot(sigma, gap.tail_sigma_pt)
    tail = -0.5 * (residual / wide) ** 2 - np.log(wide)
    return np.logaddexp(np.log1p(-gap.tail_share) + core, np.log(gap.tail_share) + tail)


def rank(gap: Gap, metrics: FontMetrics, hypotheses: list[Hypothesis], top: int = 10,
         scale: float = 1.0, kerning: bool = False,
         constraints: Constraints = Constraints()) -> Ranking:
    """Score every candidate of every hypothesis against one gap; return the `top` best.
    `kerning`: the producer applied the font's pair kerning (see `pdf.fonts.producer_kerns`);
    `constraints`: what else is known of the text (only candidates meeting them count)."""
    frame = Frame.of(gap, metrics, scale, kerning)
    scores, texts, widths, sources = [], [], [], []  # sources: each family's label
    considered = unmeasurable = 0
    other = [h for h in hypotheses if h.kind == "other"]
    residuals, sigmas = [], []  # of every single candidate: what a word in no list is like
    for hyp in hypotheses:
        if hyp.kind == "other":
            continue
        items = _measured(frame, hyp)
        unmeasurable += int(sum(np.isnan(it.value_pt).sum() for it in items))
        if hyp.kind == "single":
            it = items[0]
            ok = np.isfinite(it.value_pt) & constraints.mask(it.texts)
            pred = it.value_pt[ok] + frame.constant
            sigma = gap.sigma_for_pt(it.n_spaces[ok])
            s = _loglik(gap.width_pt - pred, sigma, gap) + it.log_prior[ok] + hyp.log_weight
            if other:
                residuals.append(gap.width_pt - pred)
                sigmas.append(np.broadcast_to(sigma, pred.shape))
            considered += int(ok.sum())
            scores.append(s)
            texts.append(it.texts[ok])
            widths.append(pred)
            sources.append(hyp.label)
        else:
            s, t, w, _ = _constrained_pairs(gap, items[0], items[1], frame.pair_joint_pt,
                                            hyp.log_weight, top, constraints)
            considered += _pair_count(items[0], items[1], constraints)
            scores.append(s)
            texts.append(t)
            widths.append(w)
            sources.append(hyp.label)
    if not scores or sum(len(s) for s in scores) == 0:
        return Ranking.empty("no candidate fits", considered, unmeasurable, metrics.monospace)
    score = np.concatenate(scores)
    ends = np.cumsum([len(s) for s in scores])  # where each family's entries end
    # pair families carry their whole mass in a logsumexp term at the end of the score array
    mass = logsumexp(score)
    other_score = None
    if other and residuals:
        other_score = (other_log_likelihood(np.concatenate(residuals), np.concatenate(sigmas),
                                            gap, metrics.monospace)
                       + logsumexp(np.array([h.log_weight for h in other])))
        mass = float(np.logaddexp(mass, other_score))
    # the best, highest first: the first 4 top + 8 become candidates, all count for covering_90
    # (a prefix of `_best` is `_best` of fewer)
    ranked = _best(score, max(COVER_RANKED, 4 * top + 8))
    named = ranked[:COVER_RANKED]
    named = named[np.isfinite(np.concatenate(widths)[named])]  # not a family's mass holder
    cover = covering(np.exp(score[named] - mass))
    best: dict[str, Candidate] = {}  # one entry per text: a name in two lists sums its mass
    for i in ranked[:4 * top + 8]:
        f = int(np.searchsorted(ends, i, "right"))  # the family, and the entry in it
        j = i - (int(ends[f - 1]) if f else 0)
        t, w, source = str(texts[f][j]), float(widths[f][j]), sources[f]
        if t == "":  # a family's mass holder, not a candidate
            continue
        p = float(np.exp(score[i] - mass))
        if t in best:
            best[t] = replace(best[t], probability=best[t].probability + p,
                              wordlist=best[t].wordlist + " | " + source)
        else:
            best[t] = Candidate(t, w, p, float(gap.width_pt - w), source, metrics.sources_for(t))
    out = sorted(best.values(), key=lambda c: -c.probability)[:top]
    notes = ["monospaced font: the width tells only the character count"] if metrics.monospace else []
    fits = any(bool(abs(c.residual_pt) <= FIT_SIGMA * gap.sigma_for_pt(c.text.count(" ")))
               for c in out)
    if out and not fits:  # nothing considered explains the gap: no probability means anything
        notes.append(f"no candidate fits: the best is {abs(out[0].residual_pt):.2f} pt off the "
                     f"gap (over {FIT_SIGMA:g} sigma); the hidden text is in none of the lists "
                     "(or the constraints), so no probabilities are given")
        out = [replace(c, probability=None) for c in sorted(out, key=lambda c: abs(c.residual_pt))]
    other_p = float(np.exp(other_score - mass)) if other_score is not None and fits else None
    if other_p is not None and other_p >= 0.005:
        notes.append(f"{other_p:.0%} that it is a word in none of the lists")
    return Ranking(candidates=out, considered=considered, unmeasurable=unmeasurable,
                   monospace=metrics.monospace, note="; ".join(notes), fits=fits,
                   covering_90=cover if fits else None, other_probability=other_p)


OTHER_BANDWIDTH_EM = 0.5  # how smoothly the widths of words in no list spread (proportional fonts)


def other_log_likelihood(residuals: np.ndarray, sigmas: np.ndarray, gap: Gap,
                         monospace: bool) -> float:
    """log p(measured gap | a word in no list), on `_loglik`'s scale: the density of the
    candidates' widths at the gap, each spread by its sigma and, in a proportional font, by
    half an em more (a word in no list may take any width near theirs; in a monospaced font
    it still takes a whole number of characters)."""
    h = 0.0 if monospace else OTHER_BANDWIDTH_EM * (gap.size_pt or 0.0)
    wide = np.hypot(sigmas, h)
    return float(logsumexp(-0.5 * (residuals / wide) ** 2 - np.log(wide)) - np.log(len(residuals)))


def covering(probabilities) -> int | None:
    """How many of these probabilities, largest first, it takes to hold COVER_SHARE of the
    whole (None: all of them do not)."""
    p = np.sort(np.asarray(probabilities, dtype=float))[::-1]
    reached = np.flatnonzero(np.cumsum(p) >= COVER_SHARE - 1e-9)
    return int(reached[0]) + 1 if len(reached) else None


def _pair_count(first: Items, last: Items, constraints: Constraints) -> int:
    """The "First Last" pairs of two measured lists that the constraints allow: every pair of
    the words that can take part (`Constraints.pair_parts`; under a whole-text constraint an
    upper bound). `rank` and `count_fits` count alike."""
    ok_first, ok_last = constraints.pair_parts(first.texts, last.texts)
    return (int((np.isfinite(first.value_pt) & ok_first).sum())
            * int((np.isfinite(last.value_pt) & ok_last).sum()))


def _best(score: np.ndarray, k: int) -> np.ndarray:
    """The indices of the `k` highest scores, highest first, ties in index order: the first `k`
    of a stable argsort of -score, without sorting the rest."""
    if len(score) <= k or np.isnan(score).any():
        return np.argsort(-score, kind="stable")[:k]
    kth = np.partition(score, len(score) - k)[len(score) - k]  # the k-th highest
    near = np.flatnonzero(score >= kth)  # in index order, ties at the k-th included
    return near[np.argsort(-score[near], kind="stable")][:k]


def percent(p: float | None) -> str:
    """A probability for people: "12.3%", or "—" when none is given."""
    return "—" if p is None else f"{p:.1%}"


def peak_log_likelihood(gap: Gap) -> float:
    """`log_likelihood` of a text that fits the gap exactly (one word, no space)."""
    return float(_loglik(np.zeros(1), gap.sigma_for_pt(np.zeros(1)), gap)[0])


def log_likelihood(gap: Gap, metrics: FontMetrics, wl: Wordlist, scale: float = 1.0,
                   kerning: bool = False) -> np.ndarray:
    """log p(measured gap | entry) for every entry of one list (-inf where unmeasurable)."""
    frame = Frame.of(gap, metrics, scale, kerning)
    it = frame.items(wl)
    ll = _loglik(gap.width_pt - it.value_pt - frame.constant, gap.sigma_for_pt(it.n_spaces),
                 gap)
    return np.where(np.isfinite(ll), ll, -np.inf)


def posterior(gap: Gap, metrics: FontMetrics, wl: Wordlist, scale: float = 1.0,
              kerning: bool = False) -> np.ndarray:
    """Posterior probability of every entry of one list for one gap (0 where unmeasurable)."""
    score = log_likelihood(gap, metrics, wl, scale, kerning) + wl.log_prior
    return np.exp(score - logsumexp(score))


def surname_log_likelihood(gap: Gap, metrics: FontMetrics, first: Wordlist, last: Wordlist,
                           scale: float = 1.0, kerning: bool = False) -> np.ndarray:
    """For every entry S of `last`: log p(measured gap | the bar hides "F S"), summed over the
    first names F of `first` by their prior (-inf where no pair comes near the gap). This is
    what a full-name bar says of a surname the document names elsewhere.

    The sum over first names is a convolution: their prior mass, spread on a fine grid of
    widths (a tenth of sigma, each name shared linearly between its two nearest nodes), times
    the Gaussian likelihood kernel, read at the width each surname leaves for its first name."""
    frame = Frame.of(gap, metrics, scale, kerning)
    f, s = frame.items(first, "first"), frame.items(last, "last")
    ok = np.isfinite(f.value_pt)
    out = np.full(len(last), -np.inf)
    if not ok.any():
        return out
    sigma = float(np.max(gap.sigma_for_pt(f.n_spaces[ok] + 1)))
    step = sigma / 10
    lo = float(f.value_pt[ok].min())
    pos = (f.value_pt[ok] - lo) / step
    i0 = np.floor(pos).astype(np.int64)
    frac = pos - i0
    mass = np.exp(f.log_prior[ok])
    n = int(i0.max()) + 2
    grid = np.bincount(i0, mass * (1 - frac), n) + np.bincount(i0 + 1, mass * frac, n)
    half = int(np.ceil(WINDOW_SIGMA * 10))
    kernel = np.exp(_loglik(np.arange(-half, half + 1) * step, sigma, gap))
    conv = np.convolve(grid, kernel)  # conv[k + half] = sum_j grid[j] kernel(k - j)
    at = (gap.width_pt - frame.pair_joint_pt - s.value_pt - lo) / step + half
    fin = np.isfinite(at) & (at >= 0) & (at <= len(conv) - 1)
    val = np.interp(at[fin], np.arange(len(conv)), conv)
    with np.errstate(divide="ignore"):
        out[fin] = np.log(val)
    return out


def count_fits(gap: Gap, metrics: FontMetrics, hypotheses: list[Hypothesis], scale: float = 1.0,
               kerning: bool = False, k: float = 1.0,
               constraints: Constraints = Constraints()) -> tuple[int, int]:
    """(candidates measured, candidates whose predicted gap is within k sigma of the measured
    one), over what the constraints allow; pairs counted by the sorted-width join without
    listing them. Under a constraint a pair must be spelled out to test, the first count is
    the pairs of the words that can take part (an upper bound); the second is exact."""
    frame = Frame.of(gap, metrics, scale, kerning)
    total = fit = 0
    for hyp in hypotheses:
        if hyp.kind == "other":
            continue
        items = _measured(frame, hyp)
        if hyp.kind == "single":
            it = items[0]
            ok = np.isfinite(it.value_pt) & constraints.mask(it.texts)
            resid = gap.width_pt - it.value_pt[ok] - frame.constant
            total += int(ok.sum())
            fit += int((np.abs(resid) <= k * gap.sigma_for_pt(it.n_spaces[ok])).sum())
            continue
        ok_first, ok_last = constraints.pair_parts(items[0].texts, items[1].texts)
        first, last = _subset(items[0], ok_first), _subset(items[1], ok_last)
        fv = first.value_pt[np.isfinite(first.value_pt)]
        lv = np.sort(last.value_pt[np.isfinite(last.value_pt)])
        total += _pair_count(items[0], items[1], constraints)
        half = k * float(gap.sigma_for_pt(1))
        if not constraints:
            target = gap.width_pt - frame.pair_joint_pt - fv
            fit += int((np.searchsorted(lv, target + half, "right")
                        - np.searchsorted(lv, target - half, "left")).sum())
            continue
        groups = _WidthGroups.of(last)
        for fidx, gg, head in _pair_chunks(gap, first, groups, frame.pair_joint_pt,
                                           PAIR_CHECK_CHUNK):
            fidx, jj, _ = _spelled(first, last, groups, fidx, gg, head, constraints.mask)
            resid = gap.width_pt - frame.pair_joint_pt - first.value_pt[fidx] - last.value_pt[jj]
            fit += int((np.abs(resid) <= half).sum())
    return total, fit


def combine(rankings: list[Ranking], gap_width_pt: float, top: int = 10,
            constraints: Constraints = Constraints()) -> Ranking:
    """Rank the joint texts of a bar split into words (see `Gap.segments`): each word ranked on
    its own gap, a joint text's probability the product of its words'. Words' own lists and
    widths are independent given the split, so the product is the joint posterior over the
    candidates each word's ranking kept. `constraints` apply to the joint texts: the ones they
    allow are renormalised among themselves (over the combinations of each word's ranking)."""
    # (texts, log probability, summed residual)
    combos: list[tuple[tuple[Candidate, ...], float, float]] = [((), 0.0, 0.0)]
    beam = max(top, 50) if not constraints else 5_000
    for rk in rankings:
        if not rk.candidates:
            return Ranking.empty(rk.note or "a word of the bar has no candidate")
        if not rk.fits:
            return Ranking.empty("a word of the bar fits no candidate: " + rk.note)
        nxt = [(t + (c,), lp + float(np.log(max(c.probability or 0.0, 1e-300))), r + c.residual_pt)
               for t, lp, r in combos for c in rk.candidates]
        nxt.sort(key=lambda x: -x[1])
        combos = nxt[:beam]
    note = f"split into {len(rankings)} words at spaces left visible inside the bar"
    considered = int(np.prod([max(rk.considered, 1) for rk in rankings]))
    if constraints:
        texts = np.array([" ".join(c.text for c in t) for t, _, _ in combos], dtype=str)
        ok = constraints.mask(texts) if len(texts) else np.zeros(0, bool)
        combos = [c for c, keep in zip(combos, ok) if keep]
        if not combos:
            return Ranking.empty(note + "; no combination of the words' candidates meets the "
                                 "constraints")
        mass = logsumexp(np.array([lp for _, lp, _ in combos]))
        combos = [(t, lp - mass, r) for t, lp, r in combos]
        considered = len(combos)
        note += (f"; probabilities over the {len(combos):,} combinations of each word's best "
                 "candidates that meet the constraints")
    out = [Candidate(" ".join(c.text for c in texts), gap_width_pt - r, float(np.exp(lp)), r,
                     " + ".join(c.wordlist for c in texts),
                     next((c.metrics for c in texts if c.metrics.startswith("substitute")),
                          texts[0].metrics))
           for texts, lp, r in combos[:top]]
    return Ranking(candidates=out, considered=considered,
                   unmeasurable=sum(rk.unmeasurable for rk in rankings),
                   monospace=any(rk.monospace for rk in rankings), note=note, fits=True,
                   covering_90=covering([np.exp(lp) for _, lp, _ in combos[:COVER_RANKED]]))


def _constrained_pairs(gap: Gap, first: Items, last: Items, joint_pt: float,
                       log_weight: float, top: int, constraints: Constraints):
    """Every "first last" pair of the two lists near the gap that meets the constraints,
    scored: the best `top` as candidates, and the mass of all the others in one entry with
    empty text (so that probabilities normalise over exactly the pairs the constraints allow).
    Each list is first cut to the words that can be part of an allowed pair
    (`Constraints.pair_parts`); a length alone is then met exactly by joining each first-name
    length with the surnames of the remaining length; any other constraint is tested on every
    pair in the window, spelled out."""
    ok_first, ok_last = constraints.pair_parts(first.texts, last.texts)
    first, last = _subset(first, ok_first), _subset(last, ok_last)
    if not len(first.texts) or not len(last.texts):
        return np.empty(0), np.empty(0, dtype=object), np.empty(0), 0
    if constraints.whole_text:
        parts = [_join_pairs(gap, first, last, joint_pt, log_weight, top, constraints.mask)]
    elif constraints.length is None:
        parts = [_join_pairs(gap, first, last, joint_pt, log_weight, top)]
    else:
        lf, ll = np.char.str_len(first.texts), np.char.str_len(last.texts)
        parts = [_join_pairs(gap, _subset(first, lf == n), _subset(last, ll == constraints.length - 1 - n),
                             joint_pt, log_weight, top) for n in np.unique(lf)]
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.empty(0), np.empty(0, dtype=object), np.empty(0), 0
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]), sum(p[3] for p in parts))


def _subset(items: Items, mask: np.ndarray) -> Items:
    return Items(items.texts[mask], items.value_pt[mask], items.n_spaces[mask], items.log_prior[mask])


@dataclass(frozen=True)
class _WidthGroups:
    """A list's measurable entries sorted by width, equal widths grouped: `order[starts[g]:
    starts[g] + sizes[g]]` are group g's entries, most frequent first."""

    order: np.ndarray
    value_pt: np.ndarray  # per group
    starts: np.ndarray
    sizes: np.ndarray
    log_mass: np.ndarray  # per group: log of its summed prior
    log_best: np.ndarray  # per group: its most frequent member's log prior
    max_spaces: int  # the most spaces an entry holds

    @classmethod
    def of(cls, items: Items) -> _WidthGroups:
        """The groups of a list as measured at one gap. Bars of one font and line model measure
        a list alike: the last few groupings are kept, keyed by the measured values."""
        key = (items.value_pt.tobytes(), items.log_prior.tobytes(), items.n_spaces.tobytes())
        found = _GROUPS.pop(key, None)
        if found is None:
            found = cls._grouped(items)
        _GROUPS[key] = found  # most recent last
        while len(_GROUPS) > GROUPS_KEPT:
            del _GROUPS[next(iter(_GROUPS))]
        return found

    @classmethod
    def _grouped(cls, items: Items) -> _WidthGroups:
        li = np.flatnonzero(np.isfinite(items.value_pt))
        order = li[np.lexsort((-items.log_prior[li], items.value_pt[li]))]
        lv, lp = items.value_pt[order], items.log_prior[order]
        starts = np.flatnonzero(np.r_[True, np.diff(lv) != 0]) if len(lv) else np.empty(0, int)
        return cls(order, lv[starts], starts, np.diff(np.r_[starts, len(lv)]),
                   np.logaddexp.reduceat(lp, starts) if len(lv) else np.empty(0), lp[starts],
                   int(items.n_spaces.max(initial=0)))


_GROUPS: dict[tuple[bytes, bytes, bytes], _WidthGroups] = {}


def _pair_chunks(gap: Gap, first: Items, groups: _WidthGroups, joint_pt: float,
                 chunk: int = PAIR_CHUNK):
    """Every (first name, surname group) pair whose width falls within the window of the gap,
    found by a sorted-width join (meet in the middle), in chunks of at most `chunk` pairs:
    yields (first-name indices, group indices, log likelihood + first name's log prior)."""
    fi = np.flatnonzero(np.isfinite(first.value_pt))
    n_sp_max = int(first.n_spaces.max(initial=0)) + groups.max_spaces + 1
    half = WINDOW_SIGMA * float(np.max(gap.sigma_for_pt(n_sp_max)))
    target = gap.width_pt - joint_pt - first.value_pt[fi]
    lo = np.searchsorted(groups.value_pt, target - half, "left")
    counts = np.searchsorted(groups.value_pt, target + half, "right") - lo
    cum = np.cumsum(counts)
    start = 0
    while start < len(fi):
        base = cum[start - 1] if start else 0
        stop = max(int(np.searchsorted(cum, base + chunk, "right")), start + 1)
        c = counts[start:stop]
        if c.sum():
            ii = np.repeat(np.arange(start, stop), c)
            gg = lo[ii] + np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
            fidx = fi[ii]
            pred = first.value_pt[fidx] + groups.value_pt[gg] + joint_pt
            yield fidx, gg, (_loglik(gap.width_pt - pred,
                                     gap.sigma_for_pt(first.n_spaces[fidx] + 1), gap)
                             + first.log_prior[fidx])
        start = stop


def _spelled(first: Items, last: Items, groups: _WidthGroups, fidx: np.ndarray,
             gg: np.ndarray, head: np.ndarray, allowed):
    """(first name, surname group) pairs expanded into (first name, surname) pairs, spelled
    "first last" and kept where `allowed` passes them: (first indices, surname indices, head)."""
    sizes = groups.sizes[gg]
    fidx, head = np.repeat(fidx, sizes), np.repeat(head, sizes)
    jj = groups.order[np.repeat(groups.starts[gg] - np.cumsum(sizes) + sizes, sizes)
                      + np.arange(int(sizes.sum()))]
    ok = allowed(np.char.add(np.char.add(first.texts[fidx], " "), last.texts[jj]))
    return fidx[ok], jj[ok], head[ok]


def _join_pairs(gap: Gap, first: Items, last: Items, joint_pt: float, log_weight: float,
                top: int, allowed=None):
    """Score every "first last" pair whose width falls within the window of the gap (see
    `_pair_chunks`). Surnames of equal width form one group: a pair of a first name and a group
    is scored once, with the group's summed prior for the mass and its most frequent member for
    the ranking; only the best `top` (first, group) pairs are expanded into names. With
    `allowed` (a test of whole texts, see `Constraints.mask`), every pair in the window is
    spelled out and tested instead, and only the allowed ones count. Returns (scores, texts,
    widths, n_pairs) for the best `top` pairs, plus one entry with empty text holding the log
    of the mass of all other pairs."""
    groups = _WidthGroups.of(last)
    n_pairs = 0
    masses = []
    best_s = np.empty(0)
    best_f = np.empty(0, dtype=np.int64)
    best_j = np.empty(0, dtype=np.int64)  # a surname (allowed) or a width group (not)
    chunk = PAIR_CHUNK if allowed is None else PAIR_CHECK_CHUNK
    for fidx, gg, head in _pair_chunks(gap, first, groups, joint_pt, chunk):
        head = head + log_weight
        if allowed is None:
            n_pairs += int(groups.sizes[gg].sum())
            masses.append(logsumexp(head + groups.log_mass[gg]))
            s, jj = head + groups.log_best[gg], gg
        else:  # every member of every group, spelled out and tested
            fidx, jj, head = _spelled(first, last, groups, fidx, gg, head, allowed)
            s = head + last.log_prior[jj]
            n_pairs += len(s)
            masses.append(logsumexp(s))
        s = np.concatenate([best_s, s])
        fs = np.concatenate([best_f, fidx])
        js = np.concatenate([best_j, jj])
        keep = np.argpartition(-s, top)[:top] if len(s) > top else np.arange(len(s))
        best_s, best_f, best_j = s[keep], fs[keep], js[keep]
    if allowed is None:  # expand the best (first, group) pairs into their most frequent members
        cand_f, cand_j = [], []
        for f, g in zip(best_f, best_j):
            members = groups.order[groups.starts[g]:groups.starts[g] + min(groups.sizes[g], top)]
            cand_f.extend([f] * len(members))
            cand_j.extend(members)
        cand_f = np.asarray(cand_f, dtype=np.int64)
        cand_j = np.asarray(cand_j, dtype=np.int64)
    else:
        cand_f, cand_j = best_f, best_j
    pred = first.value_pt[cand_f] + last.value_pt[cand_j] + joint_pt
    n_sp = first.n_spaces[cand_f] + last.n_spaces[cand_j] + 1
    sc = (_loglik(gap.width_pt - pred, gap.sigma_for_pt(n_sp), gap) + first.log_prior[cand_f]
          + last.log_prior[cand_j] + log_weight)
    keep = np.argsort(-sc, kind="stable")[:top]
    sc, cand_f, cand_j, pred = sc[keep], cand_f[keep], cand_j[keep], pred[keep]
    total = logsumexp(np.array(masses))
    shown = logsumexp(sc)
    rest = total + np.log1p(-np.exp(shown - total)) if total > shown + 1e-12 else -np.inf
    texts = np.array([f"{first.texts[i]} {last.texts[j]}" for i, j in zip(cand_f, cand_j)] + [""],
                     dtype=object)
    return np.append(sc, rest), texts, np.append(pred, np.nan), n_pairs


def logsumexp(x: np.ndarray) -> float:
    """log(sum(exp(x))) over the finite entries of x (-inf when there are none)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return -np.inf
    m = float(np.max(x))
    return m + float(np.log(np.sum(np.exp(x - m))))
