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

from .document import BAR_MARK
from .errors import RedactError

SHIPPED = {  # name: (file, what it is)
    "surnames": ("census1990-surnames.tsv", "1990 US Census surnames, by share of population"),
    "first": ("census1990-first.tsv", "1990 US Census first names, by share of population"),
    "ssa-first": ("ssa-first.tsv", "US SSA baby names 1880-2017, by births"),
    "english": ("english-words.tsv", "50,000 English words, by frequency (wordfreq)"),
}
TITLE = re.compile(r"(?:^|[\s(])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Judge|Justice|Officer|Detective|Agent|"
                   r"Sgt|Sergeant|Lt|Capt|Senator|Rep|Gov|Rev|Hon)\.?\s*$", re.IGNORECASE)


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

    def subset(self, mask: np.ndarray, name: str | None = None) -> "Wordlist":
        return Wordlist(name or self.name, self.texts[mask], self.weights[mask])

    @functools.cached_property
    def upper(self) -> "Wordlist":
        """The entries in capitals, for text set in ALL CAPS (weights of merged entries add)."""
        return merged(f"{self.name} (caps)", np.char.upper(self.texts), self.weights)

    def reweighted(self, weights: np.ndarray, name: str) -> "Wordlist":
        """The same entries with other weights (sharing the encoding already made)."""
        out = Wordlist(name, self.texts, weights)
        out.__dict__["encoded"] = self.encoded
        return out

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
    `linked`: the surname list reweighted by the document's linked bars (see `redact.link`),
    used for a surname after a title and the surname of full names. `formats`: other ways of
    writing a name to try too (keys of FORMATS). `seen`: the names the document prints, per
    role ("first", "surname", "full": see `redact.seen`), which take `seen_share` of the prior
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
    for name, (file, what) in SHIPPED.items():
        path = shipped_path(name)
        with open(path, encoding="utf-8") as fh:
            head = fh.readline().lstrip("# ").strip()
        out.append({"name": name, "entries": len(load_wordlist(name)), "file": str(path),
                    "description": what, "source": head})
    return out


# --------------------------------------------------------------------------- word index evidence
def in_brackets(low: np.ndarray, brackets) -> np.ndarray:
    """Which lower-case texts sort strictly inside any of the (after, before) brackets."""
    ok = np.zeros(len(low), dtype=bool)
    for after, before in brackets:
        m = np.ones(len(low), dtype=bool)
        if after:
            m &= low > after.lower()
        if before:
            m &= low < before.lower()
        ok |= m
    return ok


ENGLISH_SHARE = 0.02  # of a hidden index entry's prior: an English word, not a name


def bracketed(hypotheses: list[Hypothesis], brackets, likelihoods=None,
              english: bool = True) -> list[Hypothesis]:
    """The families narrowed by the word index: the bar hides the word of one of the hidden
    entries (equally likely a priori), and an entry's word is a word of the list that sorts
    inside its bracket, by the list's prior renormalised within the bracket (a narrow bracket
    says more than a wide one). `likelihoods[e]`, when given, weighs entry e's words by further
    evidence (how well each fits the index bar's own width and the body bars its refs point
    to: a function of lower-case texts and the list's role, "first" or "surname").
    With `english`, English words in the brackets join as a small family, for a word in no
    name list (not after a title, where the word is a surname)."""
    likelihoods = likelihoods or [None] * len(brackets)
    lists = list({id(w): w for h in hypotheses for w in h.lists}.values())

    def inside(w: Wordlist, e: int) -> tuple[np.ndarray, np.ndarray]:
        """Entry e's words in list w, and their prior (within w) times the evidence."""
        at = np.flatnonzero(in_brackets(w.lower, [brackets[e]]))
        p = w.weights[at] / w.weights.sum()
        like = likelihoods[e]
        role = "first" if w.name.startswith("first") else (
            "surname" if w.name.startswith("surnames") else None)
        return at, (p * like(w.lower[at], role) if like is not None and at.size else p)

    # an entry's word is one word of all the lists together: its mass is shared among them
    mass = [sum(float(inside(w, e)[1].sum()) for w in lists) for e in range(len(brackets))]
    entries = [e for e in range(len(brackets)) if mass[e] > 0]

    def narrow(w: Wordlist, among: list[int]) -> tuple[Wordlist, float]:
        """List w cut to the words of these entries, each weighted by its share of its entry
        (averaged over them), and the list's total share (what its family is worth)."""
        mix = np.zeros(len(w))
        for e in among:
            at, p = inside(w, e)
            mix[at] += p / mass[e] / len(among)
        keep = mix > 0
        return Wordlist(f"{w.name} (index)", w.texts[keep], mix[keep]), float(mix.sum())

    out = []
    for h in hypotheses:
        if h.kind == "pair" and len(entries) >= 2:
            # a full name's two words are two different entries' words
            share = -np.log(len(entries) * (len(entries) - 1))
            for a in entries:
                for b in entries:
                    if a != b:
                        (fa, ta), (lb, tb) = narrow(h.lists[0], [a]), narrow(h.lists[1], [b])
                        if len(fa) and len(lb):
                            out.append(Hypothesis("pair", (fa, lb), h.log_weight + share
                                                  + float(np.log(ta) + np.log(tb))))
            continue
        parts = [narrow(w, entries) for w in h.lists]
        if all(len(w) for w, _ in parts):
            out.append(Hypothesis(h.kind, tuple(w for w, _ in parts),
                                  h.log_weight + float(sum(np.log(t) for _, t in parts))))
    if not english:
        return out
    words = load_wordlist("english")
    words = words.subset(in_brackets(words.lower, brackets), "english (index)")
    if len(words):
        titled = Wordlist(words.name, np.char.capitalize(words.texts), words.weights)
        out.append(Hypothesis("single", (titled,), float(np.log(ENGLISH_SHARE))))
    return out


def canonical(word: str) -> str:
    """An index word (lower case) as a name is written: its form in the Census lists."""
    for name in ("surnames", "first"):
        wl = load_wordlist(name)
        hit = np.flatnonzero(wl.lower == word.lower())
        if hit.size:
            return str(wl.texts[hit[0]])
    return word[:1].upper() + word[1:]


PAIR_UNSEEN = 0.05  # weight of a "First Last" pair the transcript never names alone, vs once
PAIR_TAKEN = 0.1  # and of one whose first name or surname it names alone with another word
UNKNOWN_NAME = 0.1  # a leaked word in no name list, vs one in a list
FIRST_AFTER_TITLE = 0.01  # a word the transcript puts after a title ("Mr. ▇") as a first name


def leak_texts(words, pairs: dict[frozenset, int] | None = None,
               titled: dict[str, int] | None = None) -> dict[str, float]:
    """The texts leaked words can make: each word (as a name is written), by whether it is a
    name at all (all of them are words of this line: how common a name is elsewhere says
    nothing of which of them a bar holds), and each "First Last" pair of two, by how common
    each is in that role and how often the transcript names that pair alone on a line
    (`pairs`, lower case; see `IndexSolver.named_pairs`): a pair named there is a person,
    a pair whose words are named there with others is not. A word the transcript puts after a
    title (`titled`, lower case; see `IndexSolver.titled_words`) is a surname: as the first
    word of a pair it weighs FIRST_AFTER_TITLE ("Dale George", called "Mr. George", is not
    "George Dale", however common George is as a first name)."""
    names = [canonical(w) for w in words]
    shares = {a: name_shares(a) for a in names}
    pairs = pairs or {}
    titled = titled or {}
    taken = {w for pair in pairs for w in pair}

    def best(word: str) -> float:
        return max(shares[word])

    def seen(a: str, b: str) -> float:
        count = pairs.get(frozenset((a.lower(), b.lower())), 0)
        if count:
            return count + PAIR_UNSEEN
        return PAIR_UNSEEN * (PAIR_TAKEN if {a.lower(), b.lower()} & taken else 1.0)

    out = {a: 1.0 if best(a) > 1e-6 else UNKNOWN_NAME for a in names}
    texts = {f"{a} {b}": shares[a][0] * shares[b][1] / best(a) / best(b) * seen(a, b)
             * (FIRST_AFTER_TITLE if titled.get(a.lower()) else 1.0)
             for a in names for b in names if a != b}
    total = sum(texts.values())
    out.update({t: w / total * sum(out.values()) for t, w in texts.items()} if total else {})
    return out


def name_share(wl: Wordlist, word: str) -> float:
    """The share of a list's weight a word holds (any case; 1e-7 when not in it)."""
    hit = np.flatnonzero(wl.lower == word.lower())
    return float(wl.weights[hit].sum() / wl.weights.sum()) if hit.size else 1e-7


def name_shares(word: str) -> tuple[float, float]:
    """A word's share of the first-name list and of the surname list (see `name_share`)."""
    return name_share(load_wordlist("first"), word), name_share(load_wordlist("surnames"), word)


def surname_share(text: str) -> float:
    """How much of a leaked single word's weight (`leak_texts`, by its likelier role) stays
    when the bar stands after a title and so hides a surname: its weight as a surname over
    its weight in its likelier role (1 for a word that is likelier a surname)."""
    first, last = name_shares(text)
    return last / max(first, last)


def leak_hypotheses(words: tuple[str, ...], others: list[Hypothesis], share: float = 0.95,
                    only: dict[str, float] | None = None,
                    pairs: dict[frozenset, int] | None = None,
                    titled: dict[str, int] | None = None) -> list[Hypothesis]:
    """The words the index leaks for a line (and "First Last" pairs of them, see `leak_texts`),
    with `share` of the prior; the usual families keep the rest (the bar may hide someone
    else). `only`: the texts this bar can hold once the line's other bars have theirs, with
    their weights."""
    texts = only or leak_texts(words, pairs, titled)
    singles = {t: w for t, w in texts.items() if " " not in t}
    pairs = {t: w for t, w in texts.items() if " " in t}
    out = []
    for part in (singles, pairs):  # single words and pairs each take half of the share
        if part:
            wl = Wordlist("index leak", np.array(list(part)), np.array(list(part.values())))
            out.append(Hypothesis("single", (wl,), float(np.log(share / (2 if singles and pairs else 1)))))
    return out + [Hypothesis(h.kind, h.lists, h.log_weight + float(np.log(1 - share)))
                  for h in others]


def entry_words(bracket) -> list[Wordlist]:
    """The words a hidden index entry may hold, one Wordlist per role of `assign.ROLES`
    (first names, surnames, English words capitalised), each word weighted by its role's
    share of the prior (English: ENGLISH_SHARE) times its share of its list."""
    out = []
    for name, share in (("first", (1 - ENGLISH_SHARE) / 2), ("surnames", (1 - ENGLISH_SHARE) / 2),
                        ("english", ENGLISH_SHARE)):
        wl = load_wordlist(name)
        m = in_brackets(wl.lower, [bracket])
        texts = wl.texts[m] if name != "english" else np.char.capitalize(wl.texts[m])
        out.append(Wordlist(f"{name} (index, joint)", texts, share * wl.weights[m] / wl.weights.sum()))
    return out


def index_word_hypotheses(after: str | None, before: str | None, factor=None) -> list[Hypothesis]:
    """Candidates for a bar in the word index itself: every name and English word, in lower
    case, that sorts between its visible neighbours (`entry_words`: a redacted word is a name
    far more often), weighted by `factor(lengths, role)` (what the body bars its refs point to
    say of its length, the list giving the word's role)."""
    texts, weights = [], []
    for role, wl in zip(("first", "surname", None), entry_words((after, before))):
        w = wl.weights
        if factor is not None and len(wl):
            w = w * factor(np.char.str_len(wl.lower), role)
        texts.append(wl.lower)
        weights.append(w)
    texts = np.concatenate(texts)
    if not len(texts):
        return []
    wl = merged("index words", texts, np.concatenate(weights))
    keep = wl.weights > 0
    return [Hypothesis("single", (wl.subset(keep),), 0.0)]


def merged(name: str, texts: np.ndarray, weights: np.ndarray) -> Wordlist:
    """A Wordlist of the distinct texts, each weighted by the sum of its weights."""
    uniq, inverse = np.unique(texts, return_inverse=True)
    return Wordlist(name, uniq, np.bincount(inverse.ravel(), weights=weights, minlength=len(uniq)))
