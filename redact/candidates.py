"""Candidate texts and their prior weights: shipped word lists, user lists, and the default choice.

A word list is a text file, one entry a line, optionally `text<TAB>weight`; lines starting with
`#` are comments. Shipped lists live in `wordlists/` beside the package (see its README).
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import RedactError

WORDLIST_DIR = Path(os.environ.get("REDACT_WORDLISTS", Path(__file__).resolve().parent.parent / "wordlists"))
SHIPPED = {
    "surnames": ("census1990-surnames.tsv", "1990 US Census surnames (88,799)"),
    "first": ("census1990-first.tsv", "1990 US Census first names (5,163)"),
}
TITLE = re.compile(r"(?:^|[\s(])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Judge|Justice|Officer|Detective|Agent|"
                   r"Sgt|Sergeant|Lt|Capt|Senator|Rep|Gov|Rev|Hon)\.?\s*$")


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on it
class Wordlist:
    name: str
    texts: np.ndarray  # str
    weights: np.ndarray  # float, > 0

    @property
    def log_prior(self) -> np.ndarray:
        """Log probability of each entry within this list."""
        return np.log(self.weights) - np.log(self.weights.sum())

    def __len__(self) -> int:
        return len(self.texts)

    @functools.cached_property
    def encoded(self):
        """The entries as glyph-pair indices over their own alphabet (see fonts.Encoded):
        computed once per list, whatever the font."""
        from .fonts import encode_pairs

        return encode_pairs(self.texts)


@dataclass(frozen=True)
class Hypothesis:
    """One family of candidates for a bar: single entries of a list, or `first + " " + last`
    pairs of two lists; `log_weight` is the family's prior share."""

    kind: str  # "single" or "pair"
    lists: tuple[Wordlist, ...]
    log_weight: float

    @property
    def label(self) -> str:
        return " + ".join(w.name for w in self.lists)


def load_wordlist(name_or_path: str) -> Wordlist:
    """A shipped list by name (`surnames`, `first`) or a user's file."""
    if name_or_path in SHIPPED:
        return _load(str(WORDLIST_DIR / SHIPPED[name_or_path][0]), name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise RedactError(f"{name_or_path}: no such word list (shipped: {', '.join(SHIPPED)})")
    return _load(str(path), path.stem)


@functools.lru_cache(maxsize=16)
def _load(path: str, name: str) -> Wordlist:
    texts: list[str] = []
    weights: list[float] = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                text, _, weight = line.partition("\t")
                try:
                    w = float(weight) if weight.strip() else 1.0
                except ValueError:
                    raise RedactError(f"{path}:{n}: weight {weight!r} is not a number") from None
                if w > 0 and text.strip():
                    texts.append(text.strip())
                    weights.append(w)
    except UnicodeDecodeError:
        raise RedactError(f"{path}: word lists must be UTF-8 text") from None
    if not texts:
        raise RedactError(f"{path}: the word list is empty")
    return Wordlist(name, np.array(texts), np.array(weights, dtype=float))


def after_title(context_left: str) -> bool:
    """True when the text just before a bar is a title such as `Mr.` or `Judge`."""
    return bool(TITLE.search(context_left))


def default_hypotheses(context_left: str) -> list[Hypothesis]:
    """What a bar most likely hides, from its left context: a surname after a title; otherwise a
    first name, a surname, or a full "First Last" name (half the prior on full names)."""
    surnames = load_wordlist("surnames")
    if after_title(context_left):
        return [Hypothesis("single", (surnames,), 0.0)]
    first = load_wordlist("first")
    return [Hypothesis("single", (first,), np.log(0.25)),
            Hypothesis("single", (surnames,), np.log(0.25)),
            Hypothesis("pair", (first, surnames), np.log(0.5))]


def user_hypotheses(names: list[str]) -> list[Hypothesis]:
    """Each list the user names is one family, with an equal share of the prior."""
    lists = [load_wordlist(n) for n in names]
    return [Hypothesis("single", (w,), -np.log(len(lists))) for w in lists]


def word_hypotheses(context_left: str, index: int, count: int) -> list[Hypothesis]:
    """Lists for word `index` of a redaction known to hold `count` words: the last word is a
    surname; earlier words are first (or middle) names, or surnames after a title."""
    if index == count - 1 or after_title(context_left):
        return [Hypothesis("single", (load_wordlist("surnames"),), 0.0)]
    return [Hypothesis("single", (load_wordlist("first"),), 0.0)]
