"""Joint solving: bars that hide one surname lend each other evidence.

A document that names a person in full ("John Smith") and later by title ("Mr. Smith") hides
the same surname at both bars, and bars of equal width after a title most likely hide the same
name. Each bar's width is evidence about that surname: a title bar's likelihood of each surname;
a full-name bar's likelihood of "F S" summed over first names F by their prior. Bar j's
evidence for surname S, relative to a surname drawn from the prior, is

    r_j(S) = p(width_j | S) / sum_S' prior(S') p(width_j | S')     (1 on average over the prior)

and a bar's surname prior becomes the Census prior times, for each kind of linked bar,

    factor(S) = (1 - LINK_WEIGHT) + LINK_WEIGHT * sum_j w_j r_j(S) / sum_j w_j

a mixture: with chance LINK_WEIGHT the person is one of the linked bars' (each in proportion to
w_j, the chance bar j hides a name of that kind at all), otherwise someone else. Ranking with that
prior gives each bar the joint posterior of its own width and its links'. A title bar links to
the other title bars of its width (the same name again) and to the full-name bars; a full-name bar
links to the title bars, one per distinct width (one person each).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import candidates as cand
from .score import log_likelihood, logsumexp, surname_log_likelihood

LINK_WEIGHT = 0.5  # chance a linked bar names the same person


@dataclass(frozen=True)
class Evidence:
    """What one bar says of the surname it may hide."""

    id: str
    kind: str  # "title" (a surname after a title) or "full" (perhaps "First Last")
    log_ratio: np.ndarray  # log r(S) for every surname of the Census list
    weight: float  # chance the bar hides a surname of this kind at all

    @functools.cached_property
    def ratio(self) -> np.ndarray:
        """r(S) itself (computed once: every linked bar reuses it)."""
        return np.exp(self.log_ratio)


@dataclass(frozen=True)
class Link:
    """A bar whose evidence entered another bar's ranking, and why."""

    id: str
    why: str
    weight: float  # chance it hides a name of the kind linked (a full name, a surname)
    bayes_factor: float  # how much likelier its width is if it holds this bar's best surnames

    def to_dict(self) -> dict:
        return {"id": self.id, "why": self.why, "weight": round(self.weight, 3),
                "bayes_factor": float(f"{self.bayes_factor:.3g}")}


def evidence(r) -> Evidence:
    """A bar's evidence about its surname (`r` is an `api.Redaction`)."""
    surnames = cand.load_wordlist("surnames")
    lp = surnames.log_prior
    if cand.after_title(r.gap.context_left):
        ll = log_likelihood(r.gap, r.metrics, surnames, r.scale, r.kerning)
        return Evidence(r.id, "title", ll - logsumexp(ll + lp), 1.0)
    first = cand.load_wordlist("first")
    sll = surname_log_likelihood(r.gap, r.metrics, first, surnames, r.scale, r.kerning)
    masses = {"full": logsumexp(sll + lp),
              "first": logsumexp(log_likelihood(r.gap, r.metrics, first, r.scale, r.kerning)
                            + first.log_prior),
              "surname": logsumexp(log_likelihood(r.gap, r.metrics, surnames, r.scale, r.kerning) + lp)}
    logs = {k: np.log(cand.FAMILY_SHARES[k]) + m for k, m in masses.items()}
    total = logsumexp(np.array(list(logs.values())))
    weight = float(np.exp(logs["full"] - total)) if np.isfinite(total) else 0.0
    log_ratio = sll - masses["full"] if np.isfinite(masses["full"]) else np.zeros(len(surnames))
    return Evidence(r.id, "full", log_ratio, weight)


def _factor(group: list[Evidence]) -> np.ndarray | None:
    total = sum(e.weight for e in group)
    if total <= 0:
        return None
    mix = sum(e.weight * e.ratio for e in group) / total
    return np.asarray((1 - LINK_WEIGHT) + LINK_WEIGHT * mix)


def linked_prior(r, peers: list):
    """The surname list `r` draws from, reweighted by the bars among `peers` (bars in its font
    and size) that may hide its surname, and the links whose widths agree with it (Bayes factor
    above 1), strongest first; (None, []) when nothing links. A title bar links to the title
    bars of its width and to the full-name bars; a full-name bar to the title bars, grouped by
    width (one person a width). `r` and `peers` are `api.Redaction`s."""
    titles = [t for t in peers if cand.after_title(t.gap.context_left)]
    if cand.after_title(r.gap.context_left):
        same = set(r.same_width())
        kinds = [([t for t in titles if t.id in same],
                  "a bar after a title, of the same width: most likely the same name"),
                 ([t for t in peers if not cand.after_title(t.gap.context_left)],
                  "a bar that may hide this person's full name")]
        kinds = [([r.document.evidence(t) for t in bars], why) for bars, why in kinds if bars]
    else:
        groups: dict[int, list] = {}
        for t in titles:
            groups.setdefault(int(round(t.gap.width_pt / max(2 * t.gap.sigma_pt, 1e-3))), []).append(t)
        kinds = [([_merged(g, r.document) for g in groups.values()],
                  "bars after a title (the same person named later as Mr./Ms. X)")] if groups else []
    if not kinds:
        return None, []
    own = r.document.evidence(r)
    surnames = cand.load_wordlist("surnames")
    factor = np.ones(len(surnames))
    links = []
    own_post = np.exp(own.log_ratio + surnames.log_prior)
    for group, why in kinds:
        f = _factor(group)
        if f is None:
            continue
        factor = factor * f
        for e in group:
            bf = float(own_post @ e.ratio)
            links.append(Link(e.id, why, e.weight, bf))
    if not links:
        return None, []
    agree = sorted((lk for lk in links if lk.bayes_factor > 1), key=lambda lk: -lk.bayes_factor)
    return surnames.reweighted(surnames.weights * factor, "surnames (linked)"), agree


def _merged(group: list, document) -> Evidence:
    """Bars of one width after a title, as one person's evidence (the first bar's, named
    with all their ids)."""
    e = document.evidence(group[0])
    merged = Evidence(", ".join(t.id for t in group), e.kind, e.log_ratio, e.weight)
    merged.__dict__["ratio"] = e.ratio
    return merged
