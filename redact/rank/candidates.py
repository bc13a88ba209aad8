"""Candidate texts and their prior weights: shipped word lists, user lists, and the default choice.

A word list is a text file, one entry a line, optionally `text<TAB>weight`; lines starting with
`#` are comments. The shipped lists are the package data `redact.wordlists` (the repository's
`wordlists/` folder, with their provenance in its README), read through `importlib.resources` so
that they are found in a wheel's install as in a checkout.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import RedactError
from ..measure.wordlist import Wordlist
from ..pdf.layout import BAR_MARK

SHIPPED = {  # name: (file, what it is)
    "surnames": ("census1990-surnames.tsv", "1990 US Census surnames, by share of population"),
    "first": ("census1990-first.tsv", "1990 US Census first names, by share of population"),
    "ssa-first": ("ssa-first.tsv", "US SSA baby names 1880-2017, by births"),
    "english": ("english-words.tsv", "50,000 English words, by frequency (wordfreq)"),
}
TITLE = re.compile(r"(?:^|[\s(])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Judge|Justice|Officer|Detective|Agent|"
                   r"Sgt|Sergeant|Lt|Capt|Senator|Rep|Gov|Rev|Hon)\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Hypothesis:
    """One family of candidates for a bar: single entries of a list, or `first + " " + last`
    pairs of two lists; `log_weight` is the family's prior share."""

    kind: str  # "single", "pair", or "other": a word in no list (no lists; see `score.rank`)
    lists: tuple[Wordlist, ...]
    log_weight: float

    @property
    def label(self) -> str:
        return " + ".join(w.name for w in self.lists)


def shipped_path(name: str) -> Path:
    """The file of a shipped list, inside the installed package."""
    return Path(str(resources.files("redact.wordlists").joinpath(SHIPPED[name][0])))


def load_wordlist(name_or_path: str) -> Wordlist:
    """A shipped list by name (`surnames`, `first`) or a user's file."""
    if name_or_path in SHIPPED:
        return _load(str(shipped_path(name_or_path)), name_or_path)
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


def all_caps(context_left: str, context_right: str) -> bool:
    """The text around a bar is set in capitals (a heading, a caption, a transcript style)."""
    letters = [c for c in BAR_MARK.sub(" ", context_left)[-25:] + BAR_MARK.sub(" ", context_right)[:25]
               if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def in_caps(hypotheses: list[Hypothesis]) -> list[Hypothesis]:
    """The same hypotheses over capitalised lists."""
    return [Hypothesis(h.kind, tuple(w.upper for w in h.lists), h.log_weight) for h in hypotheses]


def after_title(context_left: str) -> bool:
    """True when the text just before a bar is a title such as `Mr.` or `Judge`."""
    return bool(TITLE.search(context_left))


# Ways a name is written, beyond "First Last", and the share of the full-name prior each takes
# when asked for (`formats`); "First Last" keeps the rest.
FORMATS = {
    "first-middle-last": 0.15,  # John A. Smith
    "initial-last": 0.10,  # J. Smith
    "title-last": 0.10,  # Mr. Smith, with the title hidden too
    "last-first": 0.05,  # Smith, John
    "possessive": 0.05,  # Smith's (a share of the surname prior)
}
TITLES = {"Mr.": 4.0, "Ms.": 2.5, "Mrs.": 1.5, "Dr.": 1.0, "Miss": 0.3, "Judge": 0.3,
          "Officer": 0.2, "Detective": 0.2, "Agent": 0.1}


# The default prior of a bar not after a title: a first name, a surname, or a full name.
FAMILY_SHARES = {"first": 0.25, "surname": 0.25, "full": 0.5}


def default_hypotheses(context_left: str, linked: Wordlist | None = None,
                       formats: tuple[str, ...] = (), seen: dict[str, Wordlist] | None = None,
                       seen_share: float = 0.0) -> list[Hypothesis]:
    """What a bar most likely hides, from its left context: a surname after a title; otherwise a
    first name, a surname, or a full "First Last" name (half the prior on full names).
    `linked`: the surname list reweighted by the document's linked bars (see `redact.rank.link`),
    used for a surname after a title and the surname of full names. `formats`: other ways of
    writing a name to try too (keys of FORMATS). `seen`: the names the document prints, per
    role ("first", "surname", "full": see `redact.rank.seen`), which take `seen_share` of the prior
    (split as the roles split it), the lists the rest."""
    hyps = _list_hypotheses(context_left, linked, formats)
    seen = {role: wl for role, wl in (seen or {}).items() if len(wl.texts)}
    if not seen or seen_share <= 0:
        return hyps
    roles = ("surname",) if after_title(context_left) else ("first", "surname", "full")
    shares = {"surname": 1.0} if len(roles) == 1 else FAMILY_SHARES
    own = [Hypothesis("single", (seen[r],), float(np.log(seen_share * shares[r])))
           for r in roles if r in seen]
    if not own:
        return hyps
    rest = float(np.log(1 - seen_share))
    return own + [Hypothesis(h.kind, h.lists, h.log_weight + rest) for h in hyps]


def _list_hypotheses(context_left: str, linked: Wordlist | None,
                     formats: tuple[str, ...]) -> list[Hypothesis]:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise RedactError(f"unknown name format {', '.join(sorted(unknown))} "
                          f"(known: {', '.join(FORMATS)})")
    surnames = load_wordlist("surnames")
    last = linked or surnames
    own = 0.1 if "possessive" in formats else 0.0
    if after_title(context_left):
        hyps = [Hypothesis("single", (last,), np.log(1 - own))]
        return hyps + ([Hypothesis("single", (derived("possessive"),), np.log(own))] if own else [])
    first = load_wordlist("first")
    pairs = {"first-last": (first, last), "first-middle-last": (derived("first-middle"), last),
             "initial-last": (derived("initials"), last), "title-last": (derived("titles"), last),
             "last-first": (derived("surnames-comma"), first)}
    shares = {f: FORMATS[f] for f in formats if f in pairs}
    shares["first-last"] = 1 - sum(shares.values())
    family = FAMILY_SHARES
    hyps = [Hypothesis("single", (first,), np.log(family["first"])),
            Hypothesis("single", (surnames,), np.log(family["surname"] * (1 - own)))]
    if own:
        hyps.append(Hypothesis("single", (derived("possessive"),), np.log(family["surname"] * own)))
    return hyps + [Hypothesis("pair", pairs[f], np.log(family["full"] * share))
                   for f, share in shares.items()]


@functools.lru_cache(maxsize=8)
def derived(name: str) -> Wordlist:
    """Lists made from the Census lists: `initials` ("J."), `first-middle` ("John A."),
    `titles` ("Mr."), `surnames-comma` ("Smith,"), `possessive` ("Smith's")."""
    first, surnames = load_wordlist("first"), load_wordlist("surnames")
    if name == "initials" or name == "first-middle":
        letters = np.array([t[0] for t in first.texts])
        initials = sorted(set(letters))
        w = np.array([first.weights[letters == c].sum() for c in initials])
        if name == "initials":
            return Wordlist(name, np.array([f"{c}." for c in initials]), w)
        texts = np.char.add(np.repeat(first.texts, len(initials)),
                            np.tile(np.array([f" {c}." for c in initials]), len(first)))
        return Wordlist(name, texts, np.outer(first.weights, w / w.sum()).ravel())
    if name == "titles":
        return Wordlist(name, np.array(list(TITLES)), np.array(list(TITLES.values())))
    if name == "surnames-comma":
        return Wordlist(name, np.char.add(surnames.texts, ","), surnames.weights)
    if name == "possessive":
        return Wordlist(name, np.concatenate([np.char.add(surnames.texts, "'s"),
                                              np.char.add(surnames.texts, "\u2019s")]),
                        np.concatenate([surnames.weights, surnames.weights]))
    raise KeyError(name)


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


@dataclass(frozen=True)
class Constraints:
    """What a user knows about the hidden text besides its width. Every field is optional.

    `length`: characters, spaces included (on a monospaced page the width gives just this);
    `starts`/`ends`: its first/last letters (case-insensitive); `regex`: a pattern the whole
    text must match (Python syntax, case-sensitive); `after`/`before`: it sorts strictly between
    two words (case-insensitive), as an entry of an alphabetical word index does."""

    length: int | None = None
    starts: str | None = None
    ends: str | None = None
    regex: str | None = None
    after: str | None = None
    before: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def mask(self, texts: np.ndarray) -> np.ndarray:
        """Which texts satisfy every constraint (vectorised where numpy can)."""
        ok = np.ones(len(texts), dtype=bool)
        if not len(texts):
            return ok
        folded = np.char.lower(texts) if (self.starts or self.ends or self.after or self.before) else None
        if self.length is not None:
            ok &= np.char.str_len(texts) == self.length
        if self.starts:
            ok &= np.char.startswith(folded, self.starts.lower())
        if self.ends:
            ok &= np.char.endswith(folded, self.ends.lower())
        if self.after:
            ok &= folded > self.after.lower()
        if self.before:
            ok &= folded < self.before.lower()
        if self.regex:
            try:
                pattern = re.compile(self.regex)
            except re.error as err:
                raise RedactError(f"--regex {self.regex!r}: {err}") from None
            ok &= np.fromiter((bool(pattern.fullmatch(t)) for t in texts), bool, len(texts))
        return ok

    @property
    def whole_text(self) -> bool:
        """Constraints that a "first last" pair must be spelled out to test (all but length)."""
        return any(v is not None for v in (self.starts, self.ends, self.regex, self.after,
                                           self.before))

    def pair_parts(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which first words and which last words can be part of an allowed "first last" text:
        necessary conditions, tested word by word (the pairs themselves are tested whole)."""
        ok_first = np.ones(len(first), dtype=bool)
        ok_last = np.ones(len(last), dtype=bool)
        if self.length is not None:
            ok_first &= np.char.str_len(first) <= self.length - 2
            ok_last &= np.char.str_len(last) <= self.length - 2
        if self.starts or self.after or self.before:
            heads = [t.lower() + " " for t in first]  # how every pair begins
            if self.starts:
                s = self.starts.lower()
                ok_first &= np.array([h[:len(s)] == s[:len(h)] for h in heads], dtype=bool)
            if self.after:  # "h..." > a needs h >= a's first len(h) letters
                a = self.after.lower()
                ok_first &= np.array([h >= a[:len(h)] for h in heads], dtype=bool)
            if self.before:
                b = self.before.lower()
                ok_first &= np.array([h <= b[:len(h)] for h in heads], dtype=bool)
        if self.ends:
            e = self.ends.lower()
            tails = [" " + t.lower() for t in last]  # how every pair ends
            ok_last &= np.array([t[-len(e):] == e[-len(t):] for t in tails], dtype=bool)
        return ok_first, ok_last


def shipped_lists() -> list[dict]:
    """The shipped lists: name, entries, file, and the source line the file starts with."""
    out = []
    for name, (_, what) in SHIPPED.items():
        path = shipped_path(name)
        with open(path, encoding="utf-8") as fh:
            head = fh.readline().lstrip("# ").strip()
        out.append({"name": name, "entries": len(load_wordlist(name)), "file": str(path),
                    "description": what, "source": head})
    return out
