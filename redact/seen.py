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

SEEN_SHARE = 0.05  # of a bar's prior on the names the document prints
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Judge|Justice|Officer|Detective|Agent|Sgt|Rev|Hon)"
TITLED = re.compile(rf"\b(?i:{_TITLE})\.?\s+([A-Z][A-Za-z'-]+)")
_NAME = r"[A-Z][a-z]+|[A-Z]{2,}"  # "Smith", or "SMITH" in a caption or signature block
PAIR = re.compile(rf"(?<![A-Za-z.])({_NAME})\s+(?:[A-Z]\.\s+)?({_NAME})\b")


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

        from .candidates import Wordlist

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
    from .candidates import load_wordlist

    first = {t.lower(): t for t in load_wordlist("first").texts.tolist()}
    last = {t.lower(): t for t in load_wordlist("surnames").texts.tolist()}
    return first, last


def seen_names(lines) -> SeenNames:
    """The names printed on `lines` ((page number, text) pairs, the document's visible text)."""
    first, last = _lists()
    out = SeenNames()
    for page, text in lines:
        for m in TITLED.finditer(text):
            word = last.get(m.group(1).lower())
            if word:
                out.surnames.setdefault(word, []).append(page)
        for m in PAIR.finditer(text):
            a, b = m.group(1), m.group(2)
            f, s = first.get(a.lower()), last.get(b.lower())
            if f and s and a.isupper() == b.isupper():
                out.first.setdefault(f, []).append(page)
                out.surnames.setdefault(s, []).append(page)
                out.full.setdefault(f"{f} {s}", []).append(page)
    return out
