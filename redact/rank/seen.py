"""The names a document prints: candidates with a prior of their own.

Redactors miss occurrences. A name blacked out in one place is often printed in another (a
speaker label "MR. NICOLAYSEN:", a caption, a signature block, one "Ms. Chen" left out), or its
surname is visible where the full name is hidden. So the names visible in the document are
candidates in their own right: a share SEEN_SHARE of every bar's prior goes to them (by how
often each is printed), the rest to the usual lists. A name that fits the bar's width then
rises to the top, and the output says on which pages it was seen.

What counts as a printed name, by the Census lists and how names are written:
- a surname: a capitalised word of the surname list after a title ("Mr. Smith", "MS. CHEN:"),
  or the second word of a "First Last" pair;
- a first name: the first word of such a pair (of the first-name list);
- a full name: the pair itself, both words capitalised (or both in capitals), a middle initial
  between them or none, the first of the first-name list and the second of the surname list.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..measure.wordlist import Wordlist
from .candidates import load_wordlist

SEEN_SHARE = 0.05  # of a bar's prior on the names the document prints
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Judge|Justice|Officer|Detective|Agent|Sgt|Rev|Hon)"
TITLED = re.compile(rf"\b(?i:{_TITLE})\.?\s+([A-Z][A-Za-z'-]+)")
_NAME = r"[A-Z][a-z]+|[A-Z]{2,}"  # "Smith", or "SMITH" in a caption or signature block
TITLE_WORD = re.compile(rf"(?i:{_TITLE}|Chief|Associate|Justices?|Honorable|Magistrate)")
# a word printed in lower case in running text (not a word index's entry: "wright 17:2")
LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z'-]+(?![a-z'-]|\s*[\[(]?\d)")
# a place or a firm, not a person: a first word that begins place names ("Santa Ana", "Van
# Nuys"), and words that end or follow a place or a firm's name ("Franklin Street", "Reed Smith
# LLP", "Murray Co.")
PLACE_FIRST = {"santa", "san", "los", "las", "la", "le", "de", "del", "van", "von", "fort",
               "mount", "lake", "port", "new", "north", "south", "east", "west", "saint"}
PLACE_WORD = {"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive",
              "suite", "floor", "plaza", "center", "park", "building", "hills", "gate",
              "day", "county", "city", "state", "university", "college", "school", "law",
              "co", "company", "corp", "corporation", "inc", "llp", "llc", "lp", "group",
              "associates", "partners", "bank", "trust", "foundation", "hospital"}
ADDRESS = re.compile(r"\S+@\S+|\S*(?:www\.|https?:|\.com|\.gov|\.org)\S*")  # not words
# every two capitalised words in a row, overlapping ("Judge Ruth Baker": "Ruth Baker" too)
PAIR = re.compile(rf"(?<![A-Za-z.])(?=({_NAME})\s+(?:[A-Z]\.\s+)?({_NAME})\b)")
NAME_NEXT = re.compile(rf"\s+(?:[A-Z]\.\s+)?(?:{_NAME})\b")  # "Judge Ruth| Baker": a full name
NEXT_WORD = re.compile(r"[\s,]*([A-Za-z]+)")  # the word after a pair ("Reed Smith| LLP")


@dataclass
class SeenNames:
    """Per role, each printed name (as the lists write it) and the pages it is printed on."""

    surnames: dict[str, list[int]] = field(default_factory=dict)
    first: dict[str, list[int]] = field(default_factory=dict)
    full: dict[str, list[int]] = field(default_factory=dict)

    def pages(self, text: str) -> list[int]:
        """The pages a candidate's text is printed on (any role), in order, once each."""
        out = self.full.get(text) or self.surnames.get(text) or self.first.get(text) or []
        return sorted(set(out))

    def __bool__(self) -> bool:
        return bool(self.surnames or self.first or self.full)

    @functools.cached_property
    def wordlists(self) -> dict:
        """Per role ("first", "surname", "full"), the printed names as a candidates.Wordlist
        named "seen in the document", weighted by how often each is printed."""
        import numpy as np

        out = {}
        for role, found in (("first", self.first), ("surname", self.surnames),
                            ("full", self.full)):
            if found:
                texts = sorted(found)
                out[role] = Wordlist("seen in the document", np.array(texts),
                                     np.array([float(len(found[t])) for t in texts]))
        return out


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[dict[str, str], dict[str, str]]:
    first = {t.lower(): t for t in load_wordlist("first").texts.tolist()}
    last = {t.lower(): t for t in load_wordlist("surnames").texts.tolist()}
    return first, last


RUNNING_TEXT = 3  # lower-case words a line holds when it is running text, not a word index's
COMMON_WORDS = 300  # the English list's most frequent words: not a first name at a sentence start
SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+|\b[QA]\.\s+|[\"“(]\s*)$")


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """The most frequent English words ("in", "may", "will"): capitalised at a sentence start
    ("In March", "May Day") they say nothing of a name."""
    import numpy as np

    english = load_wordlist("english")
    return frozenset(str(t) for t in english.texts[np.argsort(-english.weights)[:COMMON_WORDS]])


def seen_names(lines) -> SeenNames:
    """The names printed on `lines` ((page number, text) pairs, the document's visible text).
    A phrase is a name only with evidence (see the module's doc): a title before a surname
    (itself no title: "Mr. Justice" names nobody), or two words of the name lists, both
    capitalised, neither of them a word the document prints in lower case ("In Re", "Palmer
    File", "Manual Notice": the capitals of a heading or a sentence start), and the first not
    a common English word at a sentence start ("May Smith" begins a sentence ambiguously)."""
    first, last = _lists()
    common = _common_words()
    lines = list(lines)
    lower = set()  # the words of running text printed in lower case (a line of three or more)
    for _, text in lines:
        words = LOWER_WORD.findall(ADDRESS.sub(" ", text))
        if len(words) >= RUNNING_TEXT:
            lower.update(words)
    out = SeenNames()
    before = ""  # the previous line's text: does this one start a sentence?
    for page, text in lines:
        for m in TITLED.finditer(text):
            word = last.get(m.group(1).lower())
            full = NAME_NEXT.match(text, m.end())
            if (word and not full and not TITLE_WORD.fullmatch(m.group(1))
                    and word.lower() not in PLACE_WORD):
                out.surnames.setdefault(word, []).append(page)
        for m in PAIR.finditer(text):
            a, b = m.group(1), m.group(2)
            f, s = first.get(a.lower()), last.get(b.lower())
            if not (f and s and a.isupper() == b.isupper()) or {a.lower(), b.lower()} & lower:
                continue
            after = NEXT_WORD.match(text, m.end(2))
            if (a.lower() in PLACE_FIRST or b.lower() in PLACE_WORD
                    or (after is not None and after.group(1).lower() in PLACE_WORD)):
                continue  # a place or a firm
            lead = text[:m.start()]
            if not lead.strip():  # the line starts with it: the previous line leads in
                lead = before.rstrip() + " " if before.strip() else ""
            if a.lower() in common and SENTENCE_START.search(lead):
                continue  # a capital that only starts a sentence
            out.first.setdefault(f, []).append(page)
            out.surnames.setdefault(s, []).append(page)
            out.full.setdefault(f"{f} {s}", []).append(page)
        before = text
    return out
