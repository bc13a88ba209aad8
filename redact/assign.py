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
- people are named at their own rates, not known (a Dirichlet prior, alpha 1): bars of one
  kind (letters, title) are explained as well as the best explanation the classes offer, and
  N such bars that k entries (or pairs) explain equally are shared among them in
  C(N + k - 1, k - 1) ways. So the evidence says which classes the entries must hold, and only
  mildly how many share one (far less than if every entry were named as often);
- an entry that is no best explanation of any bar is unlikely (UNCITED): an index lists
  words that occur;
- where the index shows how many refs an entry prints (its bar spans them, see
  `IndexSolver.printed_refs`), the lines it cites must match: all of a kind it alone explains,
  a Dirichlet share of those it explains with others (`Model._refs_loglik`). This tells
  which entry holds which class when the bars alone cannot (two surnames, two brackets).
The posterior over the classes is sampled by annealed Gibbs sweeps (deterministic seed), each
followed by swaps of two entries' classes; from the samples come each entry's class
marginals and each bar's responsibilities: how likely it hides entry i's word (as a first
name, surname or other word), or the pair (i, j).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .wordindex import BARE_SURNAME

ROLES = ("first", "surname", "word")
MAX_LETTERS = 24
SLIP = 1e-4  # a bar no hidden entry explains (a word outside the lists, a reporter's slip)
UNCITED = 0.01  # an entry that is the best explanation of no bar
# how a word alone in a bar fits it, by role, with no title before it / after a title
ROLE_SINGLE = {False: (1.0, BARE_SURNAME, 1.0), True: (0.01, 1.0, 0.01)}
ROLE_PAIR = 0.02  # a "First Last" bar whose two words are not (first name, surname)


@dataclass
class Assignment:
    """The joint posterior (see the module's docstring)."""

    classes: np.ndarray  # (entries, ROLES, letters + 1): each entry's class marginals
    single: np.ndarray  # (bars, entries, ROLES): P(the bar hides entry i's word alone, in that role)
    pair: np.ndarray  # (bars, entries, entries): P(the bar hides "word_i word_j")
    other: np.ndarray  # (bars,): P(no hidden entry explains the bar)


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
                 refs: np.ndarray | None = None, refs_sd: np.ndarray | None = None,
                 lines: np.ndarray | None = None, full_share: float = 0.5) -> None:
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
        # (explanations, entries^2): member m m^T per explanation, flattened
        self.member_outer = np.einsum("ei,ej->eij", self.member, self.member).reshape(-1, n * n)
        # the lines each group's bars are on (an entry cites a line once)
        lines = np.arange(m) if lines is None else np.asarray(lines)
        self.span = np.array([len(set(lines[self.group_of == g])) for g in range(len(self.size))],
                             dtype=float)
        self.refs = None
        if refs is not None and np.isfinite(refs).any():
            refs = np.asarray(refs, dtype=float)
            self.known = np.isfinite(refs)
            self.refs = np.where(self.known, refs, 0.0)
            self.refs_sd = np.where(self.known, refs_sd, 1.0)
        # log C(N + k - 1, k - 1): the ways N bars of a kind are shared among k explanations
        self.lfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, m + n * n + n + 2)))])

    def fits(self, z: np.ndarray) -> np.ndarray:
        """(groups, explanations): how each explanation fits each group's bars."""
        return np.concatenate([self.f1[:, z], self.f2[:, z[self.pj], z[self.pk]]], axis=1)

    def fits_for(self, z: np.ndarray, i: int, classes: np.ndarray) -> np.ndarray:
        """(groups, classes, explanations): as `fits`, with entry i in each of `classes`."""
        n, pj, pk = self.n, self.pj, self.pk
        out = np.repeat(self.fits(z)[:, None, :], len(classes), axis=1)
        out[:, :, i] = self.f1[:, classes]
        a, b = np.flatnonzero(pj == i), np.flatnonzero(pk == i)
        out[:, :, n + a] = self.f2[:, classes][:, :, z[pk[a]]]
        out[:, :, n + b] = self.f2[:, z[pj[b]]][:, :, classes].transpose(0, 2, 1)
        return out

    def loglik(self, x: np.ndarray, refs_weight: float = 1.0) -> np.ndarray:
        """The log likelihood of the body bars under each of x's (groups, ..., explanations);
        the refs' term weighed by `refs_weight` (annealing brings it in late)."""
        best = x.max(axis=-1)
        top = (x >= 0.999 * best[..., None]) & (best[..., None] > 0)
        ways = np.maximum(top.sum(axis=-1), 1)
        s = self.size.reshape((-1,) + (1,) * (x.ndim - 2))
        lfact = self.lfact
        out = (s * np.log(best + SLIP) + np.where(
            best > 0, lfact[s + ways - 1] - lfact[s] - lfact[ways - 1], 0.0)).sum(axis=0)
        u = top @ self.member  # (groups, ..., entries): best explanations each entry is in
        out += np.log(UNCITED) * (~(u > 0).any(axis=0)).sum(axis=-1)
        if self.refs is not None:
            out += refs_weight * self._refs_loglik(top, ways, u)
        return out

    def _refs_loglik(self, top: np.ndarray, ways: np.ndarray, u: np.ndarray) -> np.ndarray:
        """log N(refs; mean, C): how well the refs the entries print (`refs`, measured with
        `refs_sd`) fit the lines they cite. An entry cites every line of a kind it alone
        explains, and a share of those k explanations share; a pair's lines count for both
        its words. The shares are Dirichlet (alpha 1), here in their Gaussian form: N lines
        shared among k explanations give each N / k, covariance N^2 / (k^2 (k + 1)) (k I - 1),
        so entries that share a kind trade lines (their sum is fixed)."""
        n, known = self.n, self.known
        g = top.shape[0]
        flat = top.reshape(g, -1, top.shape[-1]).astype(float)  # (groups, configs, explanations)
        u = u.reshape(g, -1, n)  # (groups, configs, entries)
        k = np.maximum(ways.reshape(g, -1), 1).astype(float)
        span = self.span[:, None]
        mean = np.einsum("gc,gci->ci", span / k, u)
        outer = (flat @ self.member_outer).reshape(g, -1, n, n)  # sum over explanations of m m^T
        c = span ** 2 / (k ** 2 * (k + 1))
        cov = np.einsum("gc,gcij->cij", c * k, outer) - np.einsum("gc,gci,gcj->cij", c, u, u)
        cov = cov[:, known][:, :, known] + np.diag(self.refs_sd[known] ** 2)
        r = (self.refs - mean)[:, known]
        logdet = np.linalg.slogdet(cov)[1]
        quad = np.einsum("ci,ci->c", r, np.linalg.solve(cov, r[..., None])[..., 0])
        return (-0.5 * (quad + logdet)).reshape(top.shape[1:-1])

    def score(self, z: np.ndarray, refs_weight: float = 1.0) -> float:
        """The log posterior of z (up to a constant)."""
        return float(self.logprior[np.arange(self.n), z].sum()
                     + self.loglik(self.fits(z)[:, None, :], refs_weight)[0])

    def sweep(self, z: np.ndarray, beta: float, rng: np.random.Generator,
              refs_weight: float = 1.0) -> None:
        """One Gibbs sweep over the entries at inverse temperature beta, then swaps of two
        entries' classes (they move between modes single-entry updates cannot cross)."""
        for i in range(self.n):
            classes = np.flatnonzero(np.isfinite(self.logprior[i]))
            logp = self.logprior[i, classes] + beta * self.loglik(self.fits_for(z, i, classes),
                                                                   refs_weight)
            p = np.exp(logp - logp.max())
            z[i] = classes[rng.choice(len(p), p=p / p.sum())]
        now = self.score(z, refs_weight)
        for i in range(self.n):
            for j in range(i + 1, self.n):
                if z[i] == z[j] or not np.isfinite(self.logprior[i, z[j]] + self.logprior[j, z[i]]):
                    continue
                z[i], z[j] = z[j], z[i]
                swapped = self.score(z, refs_weight)
                if rng.random() < 0.5 * (1 + np.tanh(0.5 * beta * (swapped - now))):
                    now = swapped
                else:
                    z[i], z[j] = z[j], z[i]

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """A configuration drawn from the prior."""
        return np.array([rng.choice(len(p), p=p / p.sum()) for p in np.exp(self.logprior)])


def posterior(prior: np.ndarray, letters: np.ndarray, titled: np.ndarray, *,
              refs: np.ndarray | None = None, refs_sd: np.ndarray | None = None,
              lines: np.ndarray | None = None, full_share: float = 0.5, chains: int = 4,
              anneal: int = 100, sweeps: int = 200, burn: int = 40, seed: int = 0) -> Assignment:
    """The joint posterior of n hidden entries' classes given m body bars.

    prior: (n, ROLES, MAX_LETTERS + 1), each entry's prior mass per class (the words of its
    bracket, in that role and of that length; any scale, some mass for every entry). letters:
    (m,) characters each bar hides (a pair counts its space); titled: (m,) a title stands
    before the bar. refs, refs_sd: (n,) how many refs each entry prints, as measured from its
    bar in the index (NaN: not known), and the measure's standard deviation (see
    `Model._refs_loglik`); lines: (m,) the line each bar is on (default: a line each).
    The posterior is sharp and has far-apart modes (which entry is the surname of 8 letters,
    which the first name of 6): each of `chains` chains is annealed from a draw of the prior
    (the likelihood tempered from 1% to full over `anneal` sweeps), then sampled, and weighs
    by how likely its samples are (a chain in a far less likely mode weighs nothing; modes of
    like score, such as two entries of one class swapped, share). The refs' term, sharp where
    the index prints refs in a monospaced font, comes in over the second half of the
    annealing: the classes present are found first, then which entry holds which.
    """
    model = Model(prior, letters, titled, refs=refs, refs_sd=refs_sd, lines=lines,
                  full_share=full_share)
    n, live, groups = model.n, model.live, len(model.size)
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(chains):
        z = model.draw(rng)
        for t in range(anneal):  # the refs' term comes in over the second half
            heat = t / max(anneal - 1, 1)
            model.sweep(z, 0.01 + 0.99 * heat, rng, max(0.0, 2 * heat - 1))
        counts = np.zeros((n, len(live)))
        single = np.zeros((groups, n, len(live)))
        pair = np.zeros((groups, n, n))
        other = np.zeros(groups)
        total_score = 0.0
        for t in range(sweeps):
            model.sweep(z, 1.0, rng)
            if t < burn:
                continue
            total_score += model.score(z)
            counts[np.arange(n), z] += 1
            # a bar is explained by any entry (or pair) whose class fits it, shared alike
            x = model.fits(z)
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
