"""Whole index entries blacked out: which hidden entry each body bar hides, solved jointly.

When a bar covers an index entry's word and its references, nothing ties that entry to one
body bar. Yet the hidden entries together hold every hidden word of the testimony (a real index
lists every word), and each of them cites at least one line. On a monospaced transcript a body
bar tells its letter count and, by the title before it ("Mr. ▇"), whether it hides a surname;
a word's fit to a bar depends on nothing else. So the unknowns are one class per hidden entry,
(role, letters): a first name, a surname or another word, of so many letters, and the words
of a class are ranked by their prior within the entry's alphabetical bracket.

The model, for n hidden entries with classes z_1..z_n:
- each body bar hides the word of one entry, or, when no title stands before it, with
  probability `full_share` "First Last" of two entries; a word explains a bar when its letters
  match (a pair: both words and the space), its role weighing how (ROLE_SINGLE, ROLE_PAIR:
  transcripts say "Mr. Smith" or "John"); SLIP: something no hidden entry explains;
- a first name and a surname are one person's: the entries are matched in pairs (`mate`, part
  of the state), and "First Last" of two entries not matched weighs STRANGERS (a surname two
  people share); so each first name takes one surname's full names, not a share of all;
- people are named at their own rates, not known (a Dirichlet prior, alpha 1): bars of one
  kind (letters, title) are explained as well as the best explanation the classes offer, and
  N such bars that k entries (or pairs) explain equally are shared among them in
  C(N + k - 1, k - 1) ways. So the evidence says which classes the entries must hold, and only
  mildly how many share one (far less than if every entry were named as often);
- an entry that is no best explanation of any bar is unlikely (UNCITED): an index lists
  words that occur;
- an entry's bars in the index span what it prints (`Extents`, `IndexSolver.extents`): its
  word's letters, and the lines it cites (all of a kind it alone explains, a Dirichlet share
  of those it explains with others), their digits and the pages they fall on, by the index's
  own fit over its visible entries (`Model._extent_loglik`). This tells which entry holds
  which class when the bars alone cannot (two surnames, two brackets).
The posterior over the classes and mates is sampled by annealed Gibbs sweeps (deterministic
seed), each entry's class and mate drawn together, each sweep followed by swaps of two
entries' classes; from the samples come each entry's class
marginals and each bar's responsibilities: how likely it hides entry i's word (as a first
name, surname or other word), or the pair (i, j).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .wordindex import BARE_SURNAME, ExtentFit, digits

ROLES = ("first", "surname", "word")
MAX_LETTERS = 24
SLIP = 1e-4  # a bar no hidden entry explains (a word outside the lists, a reporter's slip)
UNCITED = 0.01  # an entry that is the best explanation of no bar
# how a word alone in a bar fits it, by role, with no title before it / after a title
ROLE_SINGLE = {False: (1.0, BARE_SURNAME, 1.0), True: (0.01, 1.0, 0.01)}
ROLE_PAIR = 0.02  # a "First Last" bar whose two words are not (first name, surname)
STRANGERS = 0.05  # a "First Last" of two entries not matched as one person (a shared surname)
SD_REFS = 3.0  # the least spread of an extent, in refs: a share of lines is not exactly its mean


@dataclass
class Assignment:
    """The joint posterior (see the module's docstring)."""

    classes: np.ndarray  # (entries, ROLES, letters + 1): each entry's class marginals
    single: np.ndarray  # (bars, entries, ROLES): P(the bar hides entry i's word alone, in that role)
    pair: np.ndarray  # (bars, entries, entries): P(the bar hides "word_i word_j")
    other: np.ndarray  # (bars,): P(no hidden entry explains the bar)


@dataclass
class Extents:
    """What the bars over the hidden entries span in the index (`extent_pt`, summed over an
    entry's `rows`; NaN where they say nothing), and how the index's visible entries span
    by what they print (`fit`: the width per letter, ref, row, page and digit, see
    `wordindex.ExtentFit`). `pt_per_ref`: what one more ref of the body's lines spans, its
    digits and page included (the unit of the lines' shares)."""

    extent_pt: np.ndarray  # (n,)
    rows: np.ndarray  # (n,)
    fit: ExtentFit
    pt_per_ref: float


def _fits(letters: np.ndarray, titled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F1 (bars, K) and F2 (bars, K, K) over the flattened classes (role, letters)."""
    L = np.arange(MAX_LETTERS + 1)
    role_single = np.array([ROLE_SINGLE[bool(t)] for t in titled])  # (bars, ROLES)
    f1 = (L[None, None, :] == letters[:, None, None]) * role_single[:, :, None]
    roles = np.full((len(ROLES), len(ROLES)), ROLE_PAIR)
    roles[0, 1] = 1.0
    total = L[:, None] + 1 + L[None, :]  # (L1, L2)
    f2 = ((total[None] == letters[:, None, None])[:, None, :, None, :]
          * roles[None, :, None, :, None])
    f2 = f2 * np.where(titled, 0.0, 1.0)[:, None, None, None, None]  # "Mr. ▇": a surname alone
    k = len(ROLES) * (MAX_LETTERS + 1)
    return f1.reshape(len(letters), k), f2.reshape(len(letters), k, k)


class Model:
    """The joint model of the module's docstring over n entries and m body bars, in the
    classes some entry may take (`live`, indices into the flattened (ROLES, letters)).
    Arguments as `posterior`'s."""

    def __init__(self, prior: np.ndarray, letters: np.ndarray, titled: np.ndarray, *,
                 extents: Extents | None = None, cites: np.ndarray | None = None,
                 full_share: float = 0.5) -> None:
        n, m = self.n, self.m = prior.shape[0], len(letters)
        letters = np.minimum(np.asarray(letters, dtype=int), 2 * MAX_LETTERS + 1)
        titled = np.asarray(titled, dtype=bool)
        # bars of one letter count and title fit every class alike: the likelihood is per group
        groups, group_of, self.size = np.unique(np.stack([letters, titled]), axis=1,
                                                return_inverse=True, return_counts=True)
        self.group_of = group_of.ravel()
        f1, f2 = _fits(groups[0], groups[1].astype(bool))
        self.n_classes = k = f1.shape[1]
        with np.errstate(divide="ignore"):
            logprior = np.log(prior.reshape(n, k) / prior.reshape(n, k).sum(axis=1, keepdims=True))
        self.live = live = np.flatnonzero(np.isfinite(logprior).any(axis=0))
        f1, f2, self.logprior = f1[:, live], f2[:, live][:, :, live], logprior[:, live]
        rho = np.where(groups[1].astype(bool), 0.0, full_share)[:, None]
        self.f1, self.f2 = (1 - rho) * f1, rho[:, :, None] * f2
        # the explanations of a bar: entry j alone (the first n), or "word_j word_k" (j != k)
        self.pj, self.pk = (a.ravel() for a in np.nonzero(1 - np.eye(n)))
        self.member = np.zeros((n + len(self.pj), n))  # (explanations, entries): who takes part
        self.member[np.arange(n), np.arange(n)] = 1
        self.member[n + np.arange(len(self.pj)), self.pj] = 1
        self.member[n + np.arange(len(self.pj)), self.pk] = 1
        # the lines each group's bars are on (an entry cites a line once), page by page, and
        # the digits they print: line numbers, and page numbers once per line
        cites = np.stack([-1 - np.arange(m), np.zeros(m, int)], axis=1) if cites is None \
            else np.asarray(cites, dtype=int)
        page_numbers, page_of = np.unique(cites[:, 0], return_inverse=True)
        self.page_digits = digits(page_numbers)
        self.on_page = np.zeros((len(self.size), len(page_numbers)))
        self.line_digits, self.ref_page_digits = np.zeros(len(self.size)), np.zeros(len(self.size))
        for g in range(len(self.size)):
            first = np.unique(cites[self.group_of == g], axis=0, return_index=True)[1]
            at = np.flatnonzero(self.group_of == g)[first]
            np.add.at(self.on_page[g], page_of.ravel()[at], 1)
            self.line_digits[g] = digits(cites[at, 1]).sum()
            self.ref_page_digits[g] = digits(cites[at, 0]).sum()
        self.span = self.on_page.sum(axis=1)
        self.letters_of = live % (MAX_LETTERS + 1)  # each live class's letters
        self.extents = None
        if extents is not None and np.isfinite(extents.extent_pt).any():
            self.known = np.isfinite(extents.extent_pt)
            self.extents = extents
        self.strangers = STRANGERS  # annealing brings it down from 1
        # log C(N + k - 1, k - 1): the ways N bars of a kind are shared among k explanations
        self.lfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, m + n * n + n + 2)))])

    def pair_weight(self, mate: np.ndarray) -> np.ndarray:
        """(..., pairs): 1 for the two entries of one person ("First Last"), STRANGERS else;
        for a matching (n,) or several (..., n)."""
        return np.where(mate[..., self.pj] == self.pk, 1.0, self.strangers)

    def fits(self, z: np.ndarray, mate: np.ndarray) -> np.ndarray:
        """(groups, explanations): how each explanation fits each group's bars."""
        return self.fits_many(z[None], mate)[:, 0]

    def fits_many(self, zs: np.ndarray, mate: np.ndarray) -> np.ndarray:
        """(groups, configurations, explanations): as `fits`, for each row of zs."""
        return np.concatenate([self.f1[:, zs],
                               self.f2[:, zs[:, self.pj], zs[:, self.pk]] * self.pair_weight(mate)],
                              axis=2)

    def fits_for(self, z: np.ndarray, mates: np.ndarray, i: int,
                 classes: np.ndarray) -> np.ndarray:
        """(groups, classes, matchings, explanations): as `fits`, with entry i in each of
        `classes` and the entries matched as each row of `mates` (matchings, n)."""
        n, pj, pk = self.n, self.pj, self.pk
        out = np.repeat(np.concatenate([self.f1[:, z], self.f2[:, z[pj], z[pk]]],
                                       axis=1)[:, None, :], len(classes), axis=1)
        out[:, :, i] = self.f1[:, classes]
        a, b = np.flatnonzero(pj == i), np.flatnonzero(pk == i)
        out[:, :, n + a] = self.f2[:, classes][:, :, z[pk[a]]]
        out[:, :, n + b] = self.f2[:, z[pj[b]]][:, :, classes].transpose(0, 2, 1)
        w = np.concatenate([np.ones((len(mates), n)), self.pair_weight(mates)], axis=1)
        return out[:, :, None, :] * w[None, None]

    def loglik(self, x: np.ndarray, zs: np.ndarray, refs_weight: float = 1.0) -> np.ndarray:
        """The log likelihood of the body bars under each of x's (groups, ..., explanations),
        the configurations zs (..., n); the refs' term weighed by `refs_weight` (annealing
        brings it in late)."""
        best = x.max(axis=-1)
        top = (x >= 0.999 * best[..., None]) & (best[..., None] > 0)
        ways = np.maximum(top.sum(axis=-1), 1)
        s = self.size.reshape((-1,) + (1,) * (x.ndim - 2))
        lfact = self.lfact
        out = (s * np.log(best + SLIP) + np.where(
            best > 0, lfact[s + ways - 1] - lfact[s] - lfact[ways - 1], 0.0)).sum(axis=0)
        u = top @ self.member  # (groups, ..., entries): best explanations each entry is in
        out += np.log(UNCITED) * (~(u > 0).any(axis=0)).sum(axis=-1)
        if self.extents is not None and refs_weight > 0:
            out += refs_weight * self._extent_loglik(top, ways, u, zs)
        return out

    def _extent_loglik(self, top: np.ndarray, ways: np.ndarray, u: np.ndarray,
                       zs: np.ndarray) -> np.ndarray:
        """log N(extent; predicted, C): how well the extents the hidden entries span in the
        index (`Extents`) fit what they would print citing the lines they explain. An entry
        cites every line of a kind it alone explains, and a share of those k explanations
        share; a pair's lines count for both its words. The shares are Dirichlet (alpha 1),
        here in their Gaussian form: N lines shared among k explanations give each N / k,
        covariance N^2 / (k^2 (k + 1)) (k I - 1), so entries that share a kind trade lines
        (their sum is fixed). An entry's extent follows from its letters (its class), its
        lines (their digits) and the distinct pages they fall on (the occupancy of its share
        of each kind's lines, page by page), by the index's own fit."""
        n, known, ext = self.n, self.known, self.extents
        g = top.shape[0]
        flat = top.reshape(g, -1, top.shape[-1]).astype(float)  # (groups, configs, explanations)
        u = u.reshape(g, -1, n)[:, :, known]  # (groups, configs, entries measured)
        k = np.maximum(ways.reshape(g, -1), 1).astype(float)
        share = u / k[..., None]  # of each kind's lines, what each entry cites
        missed = np.log(np.maximum(1 - share, 1e-12)).transpose(1, 2, 0) @ self.on_page
        cited = 1 - np.exp(missed)  # (configs, entries, pages): the entry cites the page
        per_line = np.stack([self.span, self.line_digits, self.ref_page_digits], axis=1)
        lines = np.tensordot(share, per_line, axes=(0, 0))  # (configs, entries, 3)
        terms = np.stack(np.broadcast_arrays(
            1.0, self.letters_of[zs.reshape(-1, n)[:, known]], lines[..., 0], ext.rows[known],
            cited.sum(axis=2), lines[..., 1], cited @ self.page_digits, lines[..., 2]), axis=-1)
        predicted = terms @ ext.fit.coef  # (configs, entries)
        # the shares' covariance, in lines
        span = self.span[:, None]
        c = span ** 2 / (k ** 2 * (k + 1))
        # sum over kinds and their explanations of c k m m^T (m: who takes part)
        outer = self._outer(np.einsum("gc,gce->ce", c * k, flat))
        cov = outer[:, known][:, :, known] \
            - (c[..., None] * u).transpose(1, 2, 0) @ u.transpose(1, 0, 2)
        sd = max(ext.fit.sd_pt, SD_REFS * ext.pt_per_ref)
        cov = ext.pt_per_ref ** 2 * cov + sd ** 2 * np.eye(known.sum())
        r = ext.extent_pt[known] - predicted
        logdet = np.linalg.slogdet(cov)[1]
        quad = np.einsum("ci,ci->c", r, np.linalg.solve(cov, r[..., None])[..., 0])
        return (-0.5 * (quad + logdet)).reshape(top.shape[1:-1])

    def _outer(self, w: np.ndarray) -> np.ndarray:
        """sum_e w[c, e] m_e m_e^T for each configuration c (m_e: who takes part in
        explanation e), without the (explanations, entries^2) product: an entry alone adds to
        its diagonal; "word_j word_k" adds to (j, j), (k, k), (j, k) and (k, j)."""
        n = self.n
        pairs = np.zeros((w.shape[0], n, n))
        pairs[:, self.pj, self.pk] = w[:, n:]
        out = pairs + pairs.transpose(0, 2, 1)
        diagonal = np.arange(n)
        out[:, diagonal, diagonal] += w[:, :n] + pairs.sum(axis=2) + pairs.sum(axis=1)
        return out

    def score(self, z: np.ndarray, mate: np.ndarray, refs_weight: float = 1.0) -> float:
        """The log posterior of (z, mate) (up to a constant)."""
        return float(self.scores(z[None], mate, refs_weight)[0])

    def scores(self, zs: np.ndarray, mate: np.ndarray, refs_weight: float = 1.0) -> np.ndarray:
        """The log posterior of each configuration zs (configs, n) with `mate` (n,), or each
        with its own matching (configs, n)."""
        return self.logprior[np.arange(self.n), zs].sum(axis=1) \
            + self.loglik(self.fits_many(zs, mate), zs, refs_weight)

    def rematch(self, mate: np.ndarray, i: int) -> np.ndarray:
        """(n + 1, n): the matchings reachable by re-pairing entry i: with each other entry j
        (their old mates, if both had one, pair with each other), or with none (last row)."""
        n = self.n
        out = np.repeat(mate[None], n + 1, axis=0)
        for j in range(n + 1):
            row, a = out[j], mate[i]
            b = mate[j] if j < n else -1
            if j == i or (j < n and a == j):
                continue
            for x in (i, a, j, b):
                if 0 <= x < n:
                    row[x] = -1
            if j < n:
                row[i], row[j] = j, i
                if a >= 0 and b >= 0:
                    row[a], row[b] = b, a
        return out

    def _gibbs(self, z, mate, i, classes, options, beta, rng, refs_weight) -> None:
        """Draw entry i's class among `classes` and the matching among `options` at once."""
        zs = np.repeat(z[None], len(classes), axis=0)
        zs[:, i] = classes
        zs = np.repeat(zs[:, None], len(options), axis=1)
        logp = self.logprior[i, classes][:, None] + beta * self.loglik(
            self.fits_for(z, options, i, classes), zs, refs_weight)
        p = np.exp(logp - logp.max()).ravel()
        c, m = np.unravel_index(rng.choice(len(p), p=p / p.sum()), logp.shape)
        z[i], mate[:] = classes[c], options[m]

    def sweep(self, z: np.ndarray, mate: np.ndarray, beta: float, rng: np.random.Generator,
              refs_weight: float = 1.0) -> None:
        """One Gibbs sweep over the entries' classes and their mates at inverse temperature
        beta, then swaps of two entries' classes (they move between modes single-entry
        updates cannot cross)."""
        for i in range(self.n):  # its class and mate at once: a person changes together
            classes = np.flatnonzero(np.isfinite(self.logprior[i]))
            # while strangers pair as freely as persons, who is one person does not matter
            options = mate[None] if self.strangers >= 1 else self.rematch(mate, i)
            self._gibbs(z, mate, i, classes, options, beta, rng, refs_weight)
        # swaps of two entries' classes, each accepted by Barker's rule: with their mates kept
        # (two people trade a surname's length), or exchanged too (the two entries trade all
        # they hold: a first name and a surname stay one person's); the scores of all of them
        # at once, again after one is taken
        moves = [(i, j, w) for i in range(self.n) for j in range(i + 1, self.n)
                 for w in (False, True)]
        moves = [moves[k] for k in rng.permutation(len(moves))]
        while moves:
            moves = [(i, j, w) for i, j, w in moves if (z[i] != z[j] or w)
                     and (not w or (mate[i] != j and max(mate[i], mate[j]) >= 0))
                     and np.isfinite(self.logprior[i, z[j]] + self.logprior[j, z[i]])]
            if not moves:
                break
            zs = np.repeat(z[None], len(moves) + 1, axis=0)
            mates = np.repeat(mate[None], len(moves) + 1, axis=0)
            for k, (i, j, w) in enumerate(moves, 1):
                zs[k, [i, j]] = z[j], z[i]
                if w:
                    mates[k] = self.exchange(mate, i, j)
            scores = self.scores(zs, mates, refs_weight)
            for k in range(1, len(moves) + 1):
                if rng.random() < 0.5 * (1 + np.tanh(0.5 * beta * (scores[k] - scores[0]))):
                    z[:], mate[:] = zs[k], mates[k]
                    moves = moves[k:]
                    break
            else:
                break

    @staticmethod
    def exchange(mate: np.ndarray, i: int, j: int) -> np.ndarray:
        """The matching with entries i and j trading their mates (each takes the other's)."""
        out = mate.copy()
        a, b = mate[i], mate[j]
        out[i], out[j] = b, a
        if a >= 0:
            out[a] = j
        if b >= 0:
            out[b] = i
        return out

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """A configuration drawn from the prior."""
        return np.array([rng.choice(len(p), p=p / p.sum()) for p in np.exp(self.logprior)])


def posterior(prior: np.ndarray, letters: np.ndarray, titled: np.ndarray, *,
              extents: Extents | None = None, cites: np.ndarray | None = None,
              full_share: float = 0.5, chains: int = 4, starts: int = 16, anneal: int = 60,
              pairing: int = 40, sweeps: int = 100, burn: int = 20, seed: int = 0) -> Assignment:
    """The joint posterior of n hidden entries' classes given m body bars.

    prior: (n, ROLES, MAX_LETTERS + 1), each entry's prior mass per class (the words of its
    bracket, in that role and of that length; any scale, some mass for every entry). letters:
    (m,) characters each bar hides (a pair counts its space); titled: (m,) a title stands
    before the bar. extents: what the index's bars over the entries span (see `Extents`,
    `Model._extent_loglik`); cites: (m, 2) the printed page and line each bar is on
    (default: a line and a page each).
    The posterior is sharp and has far-apart modes (which entry is the surname of 8 letters,
    which the first name of 6): `starts` chains are annealed from draws of the prior (the
    likelihood tempered from 1% to full over `anneal` sweeps, any two entries a pair; the
    extents' term comes in over the second half: the classes present are found first, then
    which entry holds which); the `chains` likeliest go on: who is one person (strangers'
    pairs fade out over `pairing` sweeps), then `sweeps` of sampling. Each weighs by how
    likely its samples are (a chain in a far less likely mode weighs nothing; modes of like
    score, such as two entries of one class swapped, share).
    """
    model = Model(prior, letters, titled, extents=extents, cites=cites, full_share=full_share)
    n, live, groups = model.n, model.live, len(model.size)
    rng = np.random.default_rng(seed)
    annealed = []
    for _ in range(max(starts, chains)):  # the classes, with any two entries a pair
        z, mate = model.draw(rng), np.full(n, -1)
        model.strangers = 1.0
        for t in range(anneal):  # the refs' term comes in over the second half
            heat = t / max(anneal - 1, 1)
            model.sweep(z, mate, 0.01 + 0.99 * heat, rng, max(0.0, 2 * heat - 1))
        annealed.append((model.score(z, mate), len(annealed), z))
    runs = []
    for _, _, z in sorted(annealed, key=lambda a: a[:2], reverse=True)[:chains]:
        mate = np.full(n, -1)
        for t in range(pairing):  # then who is one person: strangers' pairs fade out
            model.strangers = 1 - (1 - STRANGERS) * (t + 1) / pairing
            model.sweep(z, mate, 1.0, rng)
        counts = np.zeros((n, len(live)))
        single = np.zeros((groups, n, len(live)))
        pair = np.zeros((groups, n, n))
        other = np.zeros(groups)
        total_score = 0.0
        for t in range(sweeps):
            model.sweep(z, mate, 1.0, rng)
            if t < burn:
                continue
            total_score += model.score(z, mate)
            counts[np.arange(n), z] += 1
            # a bar is explained by any entry (or pair) whose class fits it, shared alike
            x = model.fits(z, mate)
            total = x.sum(axis=1) + SLIP
            single[:, np.arange(n), z] += x[:, :n] / total[:, None]
            pair[:, model.pj, model.pk] += x[:, n:] / total[:, None]
            other += SLIP / total
        runs.append((total_score / (sweeps - burn), counts, single, pair, other))
    # chains in modes of like score share the mass (by their mean log posterior); a chain
    # stuck in a far worse mode gets none
    mean = np.array([r[0] for r in runs])
    weight = np.exp(mean - mean.max())
    weight /= weight.sum()
    counts, single, pair, other = (sum(w * r[k] for w, r in zip(weight, runs)) for k in range(1, 5))
    kept = sweeps - burn
    full = np.zeros((n, model.n_classes))
    full[:, live] = counts / kept
    one = np.zeros((groups, n, model.n_classes))
    one[:, :, live] = single / kept
    shape = (len(ROLES), MAX_LETTERS + 1)
    one = one.reshape(groups, n, *shape).sum(axis=3)
    g = model.group_of
    return Assignment(full.reshape(n, *shape), one[g], (pair / kept)[g], (other / kept)[g])
