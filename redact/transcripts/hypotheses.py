"""What the word index adds to the candidates: priors built from its entries.

A hidden index entry lies alphabetically between its visible neighbours (`bracketed`, and the
words a bracket allows, `entry_words`); a body bar whose line the index cites takes the words
the index prints for that line (`leak_hypotheses`), weighted by how likely each is a first name
or a surname (`name_shares`).
"""
from __future__ import annotations

import numpy as np

from ..measure.wordlist import Wordlist, merged
from ..rank.candidates import Hypothesis, load_wordlist


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
# of a hidden index word's prior: a word in none of the lists (on the tune split of
# benchmarks/real_transcripts.py, 10 of the 184 capitalised words the indexes print)
OTHER_SHARE = 0.05


def other_hypothesis(listed: list[float], unlisted: list[float | None]) -> list[Hypothesis]:
    """The family "a word in no list" (`Hypothesis` kind "other") for a bar that hides one
    of some hidden entries' words, each equally likely: per entry, the evidence on the word
    (its likelihood, 1 for a perfect fit) averaged over the listed words by their prior
    (`listed`) and over words in no list (`unlisted`, None: no evidence) against OTHER_SHARE.
    `score.rank` weighs it by how a word in no list would fit the bar's own width."""
    shares = []
    for a, u in zip(listed, unlisted):
        u = 1.0 if u is None else u
        both = OTHER_SHARE * u + (1 - OTHER_SHARE) * a
        shares.append(OTHER_SHARE * u / both if both > 0 else OTHER_SHARE)
    o = min(float(np.mean(shares)) if shares else OTHER_SHARE, 1 - 1e-12)
    return [Hypothesis("other", (), float(np.log(o) - np.log1p(-o)))] if o > 0 else []


def bracketed(hypotheses: list[Hypothesis], brackets, likelihoods=None,
              english: bool = True, unlisted=None) -> list[Hypothesis]:
    """The families narrowed by the word index: the bar hides the word of one of the hidden
    entries (equally likely a priori), and an entry's word is a word of the list that sorts
    inside its bracket, by the list's prior renormalised within the bracket (a narrow bracket
    says more than a wide one). `likelihoods[e]`, when given, weighs entry e's words by further
    evidence (how well each fits the index bar's own width and the body bars its refs point
    to: a function of lower-case texts and the list's role, "first" or "surname").
    With `english`, English words in the brackets join as a small family, for a word in no
    name list (not after a title, where the word is a surname). `unlisted[e]`: the evidence's
    likelihood for a word in no list (`other_hypothesis`)."""
    likelihoods = likelihoods or [None] * len(brackets)
    lists = list({id(w): w for h in hypotheses for w in h.lists}.values())

    found: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def inside(w: Wordlist, e: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entry e's words in list w, their prior (within w), and that times the evidence
        (computed once a list and entry: the evidence weighs the index bar's width)."""
        if (id(w), e) not in found:
            at = np.flatnonzero(in_brackets(w.lower, [brackets[e]]))
            p = w.weights[at] / w.weights.sum()
            like = likelihoods[e]
            role = "first" if w.name.startswith("first") else (
                "surname" if w.name.startswith("surnames") else None)
            found[id(w), e] = at, p, (p * like(w.lower[at], role) if like is not None and at.size
                                      else p)
        return found[id(w), e]

    # an entry's word is one word of all the lists together: its mass is shared among them
    mass = [sum(float(inside(w, e)[2].sum()) for w in lists) for e in range(len(brackets))]
    entries = [e for e in range(len(brackets)) if mass[e] > 0]
    prior = [sum(float(inside(w, e)[1].sum()) for w in lists) for e in range(len(brackets))]
    listed = [m / p if p > 0 else 0.0 for m, p in zip(mass, prior)]
    other = other_hypothesis(listed, list(unlisted or [None] * len(brackets)))

    def narrow(w: Wordlist, among: list[int]) -> tuple[Wordlist, float]:
        """List w cut to the words of these entries, each weighted by its share of its entry
        (averaged over them), and the list's total share (what its family is worth)."""
        mix = np.zeros(len(w))
        for e in among:
            at, _, p = inside(w, e)
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
        return out + other
    # English words join as a family worth ENGLISH_SHARE of a name, on the names' scale: each
    # word by its prior within the list times the same evidence (the index bar's width, the
    # letter counts of the bars the entry cites), over the names' mass of its entry
    words = load_wordlist("english")
    mix = np.zeros(len(words))
    for e in entries or range(len(brackets)):
        at, _, p = inside(words, e)  # role None: "english" is no name list
        mix[at] += p / (mass[e] if mass[e] > 0 else 1.0) / max(len(entries), 1)
    keep = mix > 0
    if keep.any():
        titled = Wordlist("english (index)", np.char.capitalize(words.texts[keep]), mix[keep])
        out.append(Hypothesis("single", (titled,),
                              float(np.log(ENGLISH_SHARE) + np.log(mix[keep].sum()))))
    return out + other


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
    doubles = {t: w for t, w in texts.items() if " " in t}
    out = []
    for part in (singles, doubles):  # single words and pairs each take half of the share
        if part:
            wl = Wordlist("index leak", np.array(list(part)), np.array(list(part.values())))
            half = 2 if singles and doubles else 1
            out.append(Hypothesis("single", (wl,), float(np.log(share / half))))
    return out + [Hypothesis(h.kind, h.lists, h.log_weight + float(np.log(1 - share)))
                  for h in others]


ROLE_SHARES = {"first": (1 - ENGLISH_SHARE) / 2, "surname": (1 - ENGLISH_SHARE) / 2,
               None: ENGLISH_SHARE}  # an index word's prior, by the role of its list


def entry_words(bracket) -> list[Wordlist]:
    """The words a hidden index entry may hold, one Wordlist per role of `assign.ROLES`
    (first names, surnames, English words capitalised), each word weighted by its role's
    share of the prior (English: ENGLISH_SHARE) times its share of its list."""
    out = []
    for name, share in zip(("first", "surnames", "english"), ROLE_SHARES.values()):
        wl = load_wordlist(name)
        m = in_brackets(wl.lower, [bracket])
        texts = wl.texts[m] if name != "english" else np.char.capitalize(wl.texts[m])
        out.append(Wordlist(f"{name} (index, joint)", texts, share * wl.weights[m] / wl.weights.sum()))
    return out


def index_word_hypotheses(after: str | None, before: str | None, factor=None,
                          forms=None, unlisted: float | None = None) -> list[Hypothesis]:
    """Candidates for a bar in the word index itself: every name and English word that sorts
    between its visible neighbours (`entry_words`: a redacted word is a name far more often),
    in each form the index prints words (`forms`: `WordIndex.printed`; lower case by default),
    by the form's share, weighted by `factor(lengths, role)` (what the body
    bars its refs point to say of its length, the list giving the word's role), and a word in
    no list (`other_hypothesis`; `unlisted`: what `factor` gives such a word)."""
    texts, weights = [], []
    prior = evidence = 0.0
    for role, wl in zip(("first", "surname", None), entry_words((after, before))):
        w = wl.weights
        prior += float(w.sum())
        if factor is not None and len(wl):
            w = w * factor(np.char.str_len(wl.lower), role)
        evidence += float(w.sum())
        shown = forms(wl.lower, role) if forms is not None else [(wl.lower, 1.0)]
        texts += [t for t, _ in shown]
        weights += [w * share for _, share in shown]
    texts = np.concatenate(texts)
    if not len(texts):
        return []
    wl = merged("index words", texts, np.concatenate(weights))
    keep = wl.weights > 0
    listed = evidence / prior if prior > 0 else 0.0
    return [Hypothesis("single", (wl.subset(keep),), 0.0)] + other_hypothesis([listed], [unlisted])
