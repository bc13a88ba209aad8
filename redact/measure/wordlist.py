"""A word list: texts with weights, encoded once for measuring in any font.

`Wordlist` is what the width model measures and the ranking weighs; `rank.candidates` loads the
shipped lists and the user's into it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..pdf.fonts import encode_pairs


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on it
class Wordlist:
    name: str
    texts: np.ndarray  # str
    weights: np.ndarray  # float, > 0

    @functools.cached_property
    def log_prior(self) -> np.ndarray:
        """Log probability of each entry within this list."""
        return np.log(self.weights) - np.log(self.weights.sum())

    def __len__(self) -> int:
        return len(self.texts)

    @functools.cached_property
    def lower(self) -> np.ndarray:
        """The entries in lower case (as a word index prints them)."""
        return np.char.lower(self.texts)

    def subset(self, mask: np.ndarray, name: str | None = None) -> Wordlist:
        return Wordlist(name or self.name, self.texts[mask], self.weights[mask])

    @functools.cached_property
    def upper(self) -> Wordlist:
        """The entries in capitals, for text set in ALL CAPS (weights of merged entries add)."""
        return merged(f"{self.name} (caps)", np.char.upper(self.texts), self.weights)

    def reweighted(self, weights: np.ndarray, name: str) -> Wordlist:
        """The same entries with other weights (sharing the encoding already made)."""
        out = Wordlist(name, self.texts, weights)
        out.__dict__["encoded"] = self.encoded
        return out

    @functools.cached_property
    def encoded(self):
        """The entries as glyph-pair indices over their own alphabet (see fonts.Encoded):
        computed once per list, whatever the font."""
        return encode_pairs(self.texts)


def merged(name: str, texts: np.ndarray, weights: np.ndarray) -> Wordlist:
    """A Wordlist of the distinct texts, each weighted by the sum of its weights."""
    uniq, inverse = np.unique(texts, return_inverse=True)
    return Wordlist(name, uniq, np.bincount(inverse.ravel(), weights=weights, minlength=len(uniq)))
