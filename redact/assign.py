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
- an entry that explains no bar at all is unlikely (UNCITED): an index lists words that occur.
The posterior over the classes is sampled by annealed Gibbs sweeps (deterministic seed), each
followed by swaps of two entries' classes (which change the prior only); from the samples come
each entry's class marginals and each bar's responsibilities: how likely it hides entry i's
word (as a first name, surname or other word), or the pair (i, j).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .wordindex import BARE_SURNAME

ROLES = ("first", "surname", "word")
MAX_LETTERS = 24
SLIP = 1e-4  # a bar no hidden entry explains (a word outside the lists, a reporter's slip)
UNCITED = 0.01  # an entry whose class explains no bar
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


def posterior(prior: np.ndarray, letters: np.ndarray, titled: np.ndarray, *,
              full_share: float = 0.5, chains: int = 4, anneal: int = 100, sweeps: int = 200,
              burn: int = 40, seed: int = 0) -> Assignment:
    """The joint posterior of n hidden entries' classes given m body bars.

    prior: (n, ROLES, MAX_LETTERS + 1), each entry's prior mass per class (the words of its
    bracket, in that role and of that length; any scale, some mass for every entry). letters: (m,) characters each bar
    hides (a pair counts its space); titled: (m,) a title stands before the bar.
    The posterior is sharp and has far-apart modes (which entry is the surname of 8 letters,
    which the first name of 6): each of `chains` chains is annealed from a draw of the prior
    (the likelihood tempered from 1% to full over `anneal` sweeps), then sampled; the chain
    whose samples are likeliest is kept (the others sit in modes far less likely)."""
    n, m = prior.shape[0], len(letters)
    letters = np.minimum(np.asarray(letters, dtype=int), 2 * MAX_LETTERS + 1)
    titled = np.asarray(titled, dtype=bool)
    # bars of one letter count and title fit every class alike: the likelihood is per group
    groups, group_of, size = np.unique(np.stack([letters, titled]), axis=1,
                                       return_inverse=True, return_counts=True)
    f1, f2 = _fits(groups[0], groups[1].astype(bool))
    k = f1.shape[1]
    with np.errstate(divide="ignore"):
        logprior = np.log(prior.reshape(n, k) / prior.reshape(n, k).sum(axis=1, keepdims=True))
    live = np.flatnonzero(np.isfinite(logprior).any(axis=0))  # classes some entry may take
    f1, f2, logprior = f1[:, live], f2[:, live][:, :, live], logprior[:, live]
    rho = np.where(groups[1].astype(bool), 0.0, full_share)[:, None]
    f1, f2 = (1 - rho) * f1, rho[:, :, None] * f2
    explains = (f1 > 0.05).any(axis=0)  # class explains some bar alone
    pair_explains = (f2 > 0.05).any(axis=0)  # (K, K): the pair explains some bar
    rng = np.random.default_rng(seed)

    # log C(N + k - 1, k - 1): the ways N bars of a kind are shared among k explanations
    lfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, m + n * n + n + 2)))])

    def shares(best: np.ndarray, ways: np.ndarray) -> np.ndarray:
        k = np.maximum(ways, 1)
        return (size[:, None] * np.log(best + SLIP)
                + np.where(best > 0, lfact[size[:, None] + k - 1] - lfact[size][:, None] - lfact[k - 1], 0.0))

    def sweep(z: np.ndarray, beta: float) -> None:
        offdiag = 1 - np.eye(n - 1)
        for i in range(n):
            others = np.delete(z, i)
            a = f1[:, others]  # (groups, n - 1): the other entries alone
            b = f2[:, others][:, :, others] * offdiag[None]  # and in pairs
            mine = np.concatenate([f1[:, :, None], f2[:, :, others], f2[:, others, :].transpose(0, 2, 1)],
                                  axis=2)  # (groups, K, 1 + 2(n - 1)): entry i in class c
            rest = np.maximum(a.max(axis=1, initial=0.0), b.reshape(len(b), -1).max(axis=1, initial=0.0))
            best = np.maximum(rest[:, None], mine.max(axis=2))  # (groups, K)
            near = 0.999 * best
            ways = ((a[:, None, :] >= near[:, :, None]).sum(axis=2)
                    + (b.reshape(len(b), 1, -1) >= near[:, :, None]).sum(axis=2)
                    + (mine >= near[:, :, None]).sum(axis=2))
            cited = explains | pair_explains[:, others].any(axis=1) | pair_explains[others, :].any(axis=0)
            loglik = shares(best, ways).sum(axis=0) + np.where(cited, 0.0, np.log(UNCITED))
            logp = logprior[i] + beta * loglik
            p = np.exp(logp - logp.max())
            z[i] = rng.choice(len(p), p=p / p.sum())
        # the likelihood does not change when two entries swap classes, only their priors do:
        # swaps move between modes single-entry updates cannot cross
        for i in range(n):
            for j in range(i + 1, n):
                now = logprior[i, z[i]] + logprior[j, z[j]]
                swapped = logprior[i, z[j]] + logprior[j, z[i]]
                if np.isfinite(swapped) and rng.random() < 1 / (1 + np.exp(now - swapped)):
                    z[i], z[j] = z[j], z[i]

    def score(z: np.ndarray) -> float:
        """The log posterior of z (up to a constant)."""
        every = np.concatenate([f1[:, z], (f2[:, z][:, :, z] * (1 - np.eye(n))[None]).reshape(len(f1), -1)],
                               axis=1)
        best = every.max(axis=1)
        ways = (every >= 0.999 * best[:, None]).sum(axis=1)
        cited = explains[z] | (pair_explains[z][:, z] * (1 - np.eye(n))).any(axis=1) | \
            (pair_explains[z][:, z] * (1 - np.eye(n))).any(axis=0)
        return float(logprior[np.arange(n), z].sum() + shares(best[:, None], ways[:, None]).sum()
                     + np.log(UNCITED) * (~cited).sum())

    best = None
    for _ in range(chains):
        z = np.array([rng.choice(len(p), p=p / p.sum()) for p in np.exp(logprior)])
        for t in range(anneal):
            sweep(z, 0.01 + 0.99 * t / max(anneal - 1, 1))
        counts = np.zeros((n, len(live)))
        single = np.zeros((len(size), n, len(live)))
        pair = np.zeros((len(size), n, n))
        other = np.zeros(len(size))
        total_score = 0.0
        for t in range(sweeps):
            sweep(z, 1.0)
            if t < burn:
                continue
            total_score += score(z)
            counts[np.arange(n), z] += 1
            # a bar is explained by any entry (or pair) whose class fits it, shared alike
            t1 = f1[:, z]  # (groups, n)
            t2 = f2[:, z][:, :, z] * (1 - np.eye(n))[None]
            total = t1.sum(axis=1) + t2.sum(axis=(1, 2)) + SLIP
            single[:, np.arange(n), z] += t1 / total[:, None]
            pair += t2 / total[:, None, None]
            other += SLIP / total
        if best is None or total_score > best[0]:
            best = (total_score, counts, single, pair, other)
    _, counts, single, pair, other = best
    kept = sweeps - burn
    full = np.zeros((n, k))
    full[:, live] = counts / kept
    one = np.zeros((len(size), n, k))
    one[:, :, live] = single / kept
    shape = (len(ROLES), MAX_LETTERS + 1)
    one = one.reshape(len(size), n, *shape).sum(axis=3)
    return Assignment(full.reshape(n, *shape), one[group_of], (pair / kept)[group_of],
                      (other / kept)[group_of])
