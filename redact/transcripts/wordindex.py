"""The court reporter's word index at the back of a transcript: entries, references and bars.

An index lists every word of the testimony in alphabetical order with its page:line references
("clinton 20:12 31:4"). Three layouts are read: Veritext-like (columns, "word 12:4,9 15:20",
wrapped refs indented, letter headings, a "[first - last]" header), Min-U-Script-like ("word
(count) 12:4,9;15:20") and a plain concordance (the word, then "4:7, 5:19" at a tab stop).

What it gives the rest of the tool, per body bar (by its citation, see `redact.pdf.transcript`):
- leaks: a visible entry whose refs point at the bar's line while the word is not visible
  there: the bar hides that word, no guessing needed (Slate's "Clinton" between "clients" and
  "clock");
- brackets: a hidden entry (a bar over the word) sorts between its visible neighbours, and its
  refs, when visible, tie it to the body bars it hides; with refs hidden too, it may be any
  body bar's word.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..pdf.layout import Bar
from ..pdf.transcript import PAGE_NUMBER, STAMP, citation

REF = re.compile(r"(?<![\d:])([1-9]\d{0,4}):([1-9]\d?(?:,[1-9]\d?(?!\d*:))*)(?![\d:])")
WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-](?=[^\W\d_]))*", re.UNICODE)
COUNT = re.compile(r"^\((\d+)\)")
CONTINUED = re.compile(r"^\s*([1-9]\d?(?:,[1-9]\d?)*)(?![\d:])")  # "21 20:17": line 21 of the page above
HEADER = re.compile(r"^\[.*\]$")
NUMBER_ENTRY = re.compile(r"^[$]?\d[^\s:]*(?:\s|$)")  # "103 3:15", "06-1037 1:6", "55-year-old"
MIN_REFS = 10  # an index page holds at least this many page:line references
CAPITALISED_SHARE = 0.005  # an index whose visible words are capitalised this often prints names so
MIN_CHECKED = 3  # refs an entry's parse is checked on before it can be called misread
RUNNING_SHARE = 0.5  # a line printed at one place on this share of the pages runs on every page


@dataclass
class Entry:
    """One entry of the index, in alphabetical order."""

    word: str | None  # None when a bar hides it
    refs: list[tuple[int, int]]  # (printed page, line) references that are visible
    page: int  # the PDF page it is on
    count: int | None = None  # "(12)" in a Min-U-Script-like index
    word_bar: Bar | None = None  # the bar over the word
    bars: list = field(default_factory=list)  # every bar of the entry (word, refs, wrapped refs)
    refs_hidden: bool = False  # a bar covers its references (all or some)
    extent_pt: float = 0.0  # what it spans, summed over its rows (text and bars alike)
    rows: int = 0  # the lines of its column it takes
    capitalised: bool = False  # the word is printed with a capital ("Breyer"), as some indexes print names
    font: tuple[str, float] | None = None  # the word's font and size (as its first glyph's)
    # the parse checked against the body (`check_refs`): refs to lines without a bar that print
    # the word, of those whose line could be checked (exists, or its page does, with no bar)
    refs_landed: int = 0
    refs_checked: int = 0

    @property
    def hidden(self) -> bool:
        return self.word is None

    @property
    def misread(self) -> bool:
        """Its refs were attributed wrongly: the count it prints ("(3)") is not the refs read,
        or of at least MIN_CHECKED lines they cite that could show it, fewer than half do
        (another entry's refs, a column read as one)."""
        if self.count is not None and not self.refs_hidden and self.count != len(self.refs):
            return True
        return self.refs_checked >= MIN_CHECKED and self.refs_landed < 0.5 * self.refs_checked

    def to_dict(self) -> dict:
        return {"word": self.word, "refs": [f"{p}:{n}" for p, n in self.refs], "page": self.page,
                "count": self.count, "hidden": self.hidden, "refs_hidden": self.refs_hidden,
                "word_bar": list(self.word_bar.bbox) if self.word_bar is not None else None}


@dataclass
class WordIndex:
    entries: list[Entry]
    pages: list[int]  # the PDF pages it is on

    @functools.cached_property
    def names_capitalised(self) -> bool:
        """Whether this index prints names as the testimony does ("Breyer 9:2", "court 1:1"),
        not every word in lower case: some of its visible words are capitalised. A hidden
        name's width in the index is then that of the capitalised word."""
        shown = [e for e in self.entries if e.word]
        return sum(e.capitalised for e in shown) >= max(3, CAPITALISED_SHARE * len(shown))

    @functools.cached_property
    def word_font(self) -> tuple[str, float] | None:
        """The font and size the index prints its words in (bold, in some), which may not be
        that of the refs beside them: a bar over an entry's word hides a word in this font."""
        fonts = Counter(e.font for e in self.entries if e.word and e.font)
        return fonts.most_common(1)[0][0] if fonts else None

    def printed(self, texts: np.ndarray, role: str | None = None) -> list[tuple[np.ndarray, float]]:
        """The forms `texts` take in this index, each with its share: lower case; where the
        index capitalises names (`names_capitalised`), a first name or a surname (`role`)
        capitalised, another word in either form (hidden words are names and proper nouns more
        often than the visible ones)."""
        low = np.char.lower(texts.astype(str))
        if not self.names_capitalised:
            return [(low, 1.0)]
        if role in ("first", "surname"):
            return [(np.char.capitalize(low), 1.0)]
        return [(low, 0.5), (np.char.capitalize(low), 0.5)]  # a hidden word is often a proper noun

    def bracket(self, i: int) -> tuple[str | None, str | None]:
        """The nearest visible words before and after entry i: it sorts strictly between."""
        after = next((e.word for e in reversed(self.entries[:i]) if e.word), None)
        before = next((e.word for e in self.entries[i + 1:] if e.word), None)
        return after, before

    @functools.cached_property
    def _citing(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for p, n in dict.fromkeys(e.refs):
                out.setdefault(f"{p}:{n}", []).append(i)
        return out

    def citing(self, citation: str) -> list[int]:
        """The entries whose visible refs include this citation."""
        return self._citing.get(citation, [])

    def open_entries(self) -> list[int]:
        """Hidden entries whose refs are hidden too: they may cite any line."""
        return [i for i, e in enumerate(self.entries) if e.hidden and (e.refs_hidden or not e.refs)]

    @functools.cached_property
    def _entry_by_bar(self) -> dict[int, int]:
        return {id(b): i for i, e in enumerate(self.entries) for b in e.bars}

    def entry_of_bar(self, bar) -> int | None:
        """The entry a bar on the index pages belongs to (its word, refs or wrapped refs)."""
        return self._entry_by_bar.get(id(bar))

    def to_dict(self) -> dict:
        return {"pages": self.pages, "entries": [
            {**e.to_dict(), "after": self.bracket(i)[0] if e.hidden else None,
             "before": self.bracket(i)[1] if e.hidden else None}
            for i, e in enumerate(self.entries)]}


def refs_in(text: str, page: int | None = None) -> tuple[list[tuple[int, int]], int | None]:
    """Every page:line reference in a text: "12:4,9 15:20" -> (12, 4), (12, 9), (15, 20).
    A list of lines wraps after its comma ("18:2,8,17 19:17," then "21 20:17"): `page` is the
    page a wrapped text's leading lines belong to. Returns the references and the page the next
    text continues (None unless this one ends with a comma)."""
    out = []
    lead = CONTINUED.match(text) if page is not None else None
    if lead and page is not None:
        out += [(page, int(n)) for n in lead.group(1).split(",")]
    last = page if lead else None
    for m in REF.finditer(text):
        last = int(m.group(1))
        out += [(last, int(n)) for n in m.group(2).split(",")]
    return out, (last if text.rstrip().endswith(",") else None)


def _is_index_page(page) -> bool:
    return page.printed_number is None and sum(
        len(REF.findall(line.text)) for line in page.lines) >= MIN_REFS


def _running_key(line) -> tuple[str, int, int]:
    """A line's text with its numbers as "#", and where it starts (to the point)."""
    x = line.glyphs[0].x_pt if line.glyphs else 0.0
    return re.sub(r"\d+", "#", " ".join(line.text.split())), round(line.baseline_pt), round(x)


def running_lines(pages) -> set[tuple[str, int, int]]:
    """The lines printed at one place on most of `pages`: running headers and footers
    ("Official - Subject to Final Review", "Page 66", the reporter's name), keys of
    `_running_key` seen on at least `RUNNING_SHARE` of the pages and on three. A line of
    references ("#:#") is never one: an index may wrap at the same row of many pages."""
    seen: dict[tuple[str, int, int], int] = {}
    for page in pages:
        for key in {_running_key(line) for line in page.lines if line.text.strip()}:
            seen[key] = seen.get(key, 0) + 1
    least = max(3, RUNNING_SHARE * len(pages))
    return {key for key, n in seen.items()
            if n >= least and (key[0] == "#" or re.search(r"[^\W\d_]", key[0]))}


def read_index(layout) -> WordIndex | None:
    """The word index of a transcript (`pdf.layout.Layout`), or None when it has none."""
    pages = [p for p in layout.pages if _is_index_page(p)]
    if not pages:
        return None
    entries: list[Entry] = []
    carry = None
    running = running_lines(layout.pages) | running_lines(pages)  # the index's own too
    for page in pages:
        carry = _read_page(page, entries, carry, running)
    words = [e.word for e in entries if e.word]
    ordered = sum(a.lower() <= b.lower() for a, b in zip(words, words[1:]))
    if len(words) < 5 or ordered < 0.8 * (len(words) - 1):
        return None  # not alphabetical: not a word index
    check_refs(entries, layout, {p.number for p in pages})
    return WordIndex(entries, [p.number for p in pages])


SHOWN = re.compile(r"[^\W\d_][\w'’-]*")  # the words a line shows


def check_refs(entries: list[Entry], layout, index_pages: set[int]) -> None:
    """Check each visible entry's parse against the testimony: every line it cites that
    exists (or whose page does) and holds no bar should print the word (`Entry.misread`).
    Where most entries fail, the body's citations were not read (its line numbers): nothing is
    marked then."""
    lines: dict[str, tuple[set[str], bool]] = {}
    pages: set[int] = set()
    for page in layout.pages:
        if page.number in index_pages or page.printed_number is None:
            continue
        pages.add(page.printed_number)
        barred = set(page.line_of_bar)
        for k, line in enumerate(page.lines):
            cite = citation(page.printed_number, line.number)
            if cite is not None:
                words, bar = lines.get(cite, (set(), False))
                lines[cite] = (words | {w.lower() for w in SHOWN.findall(line.text)},
                               bar or k in barred)
    for e in entries:
        if not e.word:
            continue
        forms = {e.word, e.word + "'s", e.word + "’s"}
        for p, n in dict.fromkeys(e.refs):
            shown = lines.get(f"{p}:{n}")
            if shown is None and p not in pages:
                continue  # a page the body does not have (or whose number was not read)
            if shown is not None and shown[1]:
                continue  # a bar may hide it there
            e.refs_checked += 1
            e.refs_landed += shown is not None and bool(forms & shown[0])
    checked = [e for e in entries if e.refs_checked]
    if checked and sum(e.misread for e in checked) > 0.5 * len(checked):
        for e in entries:
            e.refs_landed = e.refs_checked = 0


@dataclass
class _Piece:
    x0: float
    x1: float
    baseline: float
    text: str | None  # None for a bar
    bar: Bar | None = None
    font: tuple[str, float] | None = None  # the first glyph's font and size


def _read_page(page, entries: list[Entry], carry: int | None = None,
               running: set[tuple[str, int, int]] | None = None) -> int | None:
    """Append the entries of one index page; `carry` is the page a list of refs wrapped from
    the page before continues (see `refs_in`), and the return value that of this page. Lines
    of `running` (see `running_lines`) are the page's furniture, not entries."""
    pieces: list[_Piece] = []
    edges = (min(line.baseline_pt for line in page.lines),
             max(line.baseline_pt for line in page.lines)) if page.lines else ()
    for line in page.lines:
        text = line.text.strip()
        if not text or STAMP.search(text) or HEADER.match(text) or (
                running and _running_key(line) in running):
            continue
        if PAGE_NUMBER.match(text) and line.baseline_pt in edges and not any(
                o is not line and abs(o.baseline_pt - line.baseline_pt) < 1.0 for o in page.lines):
            continue  # the page's number, alone above or below everything (a lone "7" within,
            # or beside another column's last row, is a wrapped ref)
        g = [x for x in line.glyphs if not x.is_space]
        pieces.append(_Piece(g[0].x_pt, g[-1].end_pt, line.baseline_pt, text,
                             font=(g[0].font, round(g[0].size_pt, 2))))
    for bar in page.bars:
        base = bar.bottom_pt - 0.2 * (bar.bottom_pt - bar.top_pt)
        pieces.append(_Piece(bar.x0_pt, bar.x1_pt, base, None, bar))
    if not pieces:
        return carry
    # columns: where visible entries start (lines that begin with a word)
    starts = sorted(p.x0 for p in pieces if p.text is not None and WORD.match(p.text)) or \
        sorted(p.x0 for p in pieces)
    lefts: list[float] = []
    for x in starts:
        if not lefts or x - lefts[-1] > 40:
            lefts.append(x)
    first_x = min(p.x0 for p in pieces)
    if first_x < lefts[0] - 40:  # a first column of nothing but refs wrapped from the page before
        lefts.insert(0, first_x)

    def column_at(x: float) -> int:
        return max(0, int(np.searchsorted(lefts, x + 2.0, "right")) - 1)

    def column(p: _Piece) -> int:
        return column_at(p.x0)

    if len(lefts) >= 2:  # a column of nothing but wrapped refs starts no entry: from the grid
        pitch = min(b - a for a, b in zip(lefts, lefts[1:]))
        for x in sorted(p.x0 for p in pieces):
            k = column_at(x)
            if x >= lefts[k] + 0.9 * pitch:
                lefts.insert(k + 1, lefts[k] + pitch)
    size = np.median([ln.glyphs[0].size_pt for ln in page.lines]) if page.lines else 10.0

    # a bar sits on the baseline of the text beside it in its column, if any
    texts = [p for p in pieces if p.text is not None]
    for p in pieces:
        if p.bar is not None:
            beside = [t for t in texts if column(t) == column(p)
                      and p.bar.top_pt <= t.baseline <= p.bar.bottom_pt + 0.4 * size]
            if beside:
                p.baseline = min(beside, key=lambda t: abs(t.x0 - p.x1)).baseline
    rows: dict[tuple[int, int], list[_Piece]] = {}
    for p in pieces:
        key = (column(p), int(round(p.baseline / (0.5 * size))))
        rows.setdefault(key, []).append(p)
    current: Entry | None = entries[-1] if entries else None  # refs may wrap onto this page
    for (col, _), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[1][0].baseline)):
        row.sort(key=lambda p: p.x0)
        first = row[0]
        at_left = abs(first.x0 - lefts[col]) <= 2.0
        text = " ".join(p.text for p in row if p.text)
        if first.text is not None and re.fullmatch(r"[A-Z]", first.text) and len(row) == 1:
            continue  # a letter heading
        starts_entry = at_left and (first.text is None or WORD.match(first.text))
        if at_left and carry is None and first.text is not None and NUMBER_ENTRY.match(text):
            current = None  # "103 3:15 4:1": a number's entry, not a word's (and not listed)
            continue
        if starts_entry:
            bars = [p.bar for p in row if p.bar is not None]
            if first.text is None:
                word, capitalised = None, False
                rest = text
            else:
                m = WORD.match(first.text)
                word = m.group(0).rstrip(".").lower()
                capitalised = m.group(0)[:1].isupper() and not m.group(0).isupper()
                rest = first.text[m.end():] + " " + " ".join(p.text for p in row[1:] if p.text)
            rest = rest.strip()
            cm = COUNT.match(rest)
            refs, carry = refs_in(rest)
            current = Entry(word, refs, page.number, int(cm.group(1)) if cm else None,
                            first.bar if first.text is None else None, bars,
                            capitalised=first.text is not None and capitalised, font=first.font)
            # a row that is all bar hides the refs with the word
            current.refs_hidden = first.text is None and not text
            entries.append(current)
            current.extent_pt, current.rows = max(p.x1 for p in row) - row[0].x0, 1
        elif current is not None:  # wrapped references of the entry above
            refs, carry = refs_in(text, carry)
            current.refs += refs
            current.bars += [p.bar for p in row if p.bar is not None]
            if any(p.bar is not None for p in row) and not text:
                current.refs_hidden = True
            current.extent_pt += max(p.x1 for p in row) - row[0].x0
            current.rows += 1
    return carry


@dataclass(frozen=True)
class Evidence:
    """What the index says of one body bar (by its citation)."""

    citation: str
    leaks: tuple[str, ...]  # visible index words that cite the line but are not visible on it
    entries: tuple[int, ...]  # hidden entries that may hold the bar's words
    brackets: tuple[tuple[str | None, str | None], ...]  # their alphabetical brackets
    cited: bool  # the entries' visible refs cite this line (else: entries whose refs are hidden)

    def to_dict(self) -> dict:
        return {"citation": self.citation, "leaks": list(self.leaks),
                "entries": [{"entry": i, "after": a, "before": b}
                            for i, (a, b) in zip(self.entries, self.brackets)],
                "cited": self.cited}

    def note(self) -> str:
        if self.leaks:
            one = len(self.leaks) == 1
            return (f"index: {', '.join(repr(w) for w in self.leaks)} cite{'s' if one else ''} "
                    f"{self.citation} but {'is' if one else 'are'} not visible there")
        spans = "; ".join(f"between {a!r} and {b!r}" for a, b in self.brackets[:4])
        how = f"refs {self.citation}" if self.cited else "its refs hidden too"
        return f"index: a hidden entry {spans} ({how})"


def evidence(index: WordIndex, citation: str, line_text: str) -> Evidence | None:
    """The index's evidence on a bar at `citation` whose line shows `line_text`."""
    shown = {w.lower() for w in SHOWN.findall(line_text)}
    cited = index.citing(citation)
    leaks = tuple(dict.fromkeys(index.entries[i].word for i in cited
                                if not index.entries[i].hidden and not index.entries[i].misread
                                and index.entries[i].word not in shown))
    hidden = [i for i in cited if index.entries[i].hidden]
    is_cited = bool(hidden)
    if not hidden:
        hidden = index.open_entries()
    if not leaks and not hidden:
        return None
    return Evidence(citation, leaks, tuple(hidden), tuple(index.bracket(i) for i in hidden),
                    is_cited)


BARE_SURNAME = 0.5  # a witness says "Mr. Smith" or "John", less often a bare "Smith"


def letters_factor(lengths: np.ndarray, lines: list[list[tuple[int, bool]]],
                   role: str | None = None) -> np.ndarray:
    """How well words of these lengths fit the body bars an entry's refs point to: over the
    refs, the product of each line's fit (1 when a bar there hides exactly that many
    characters, 0.2 when the word could be one word of a longer bar, 0.01 otherwise: the
    reporter's slip), times how the role the list gives the word (`role` "first" or
    "surname") meets how transcripts name people, averaged over the lines it fits: a bar after
    a title hides a surname (it does not explain a first name: 0.01), and a word alone in a bar
    with no title before it is more often a first name (a surname there: BARE_SURNAME). The
    role is one fact about the word, however many lines cite it: averaged, not multiplied (a
    surname cited bare on forty lines, a case's name, is not ruled out forty times).
    `lines[k]`: the bars on ref line k as (characters, a title stands before it)."""
    lengths = np.asarray(lengths)
    if len(lengths) > 64:  # a few dozen distinct lengths among thousands of words
        distinct, back = np.unique(lengths, return_inverse=True)
        return letters_factor(distinct, lines, role)[back.ravel()]
    out = np.ones(len(lengths))
    roles = np.zeros(len(lengths))
    fitted = np.zeros(len(lengths))
    for bars in lines:
        f = np.full(len(lengths), 0.01)
        r = np.zeros(len(lengths))
        for count, title in bars:
            f = np.maximum(f, np.where(lengths == count, 1.0,
                                       np.where(lengths <= count - 2, 0.2, 0.01)))
            exact = 0.01 if title and role == "first" else (
                BARE_SURNAME if not title and role == "surname" else 1.0)
            r = np.maximum(r, np.where(lengths == count, exact, 0.0))
        out *= f
        roles += r
        fitted += r > 0
    return out * np.where(fitted > 0, roles / np.maximum(fitted, 1), 1.0)


EXTENT_TERMS = ("letters", "refs", "rows", "pages", "line_digits", "page_digits",
                "ref_page_digits")


def digits(n) -> np.ndarray:
    """How many digits each of these whole numbers prints (0 for none: 0 or less)."""
    n = np.asarray(n)
    return np.where(n > 0, np.floor(np.log10(np.maximum(n, 1))) + 1, 0)


def extent_terms(letters: int, refs, rows: int) -> np.ndarray:
    """An entry's `EXTENT_TERMS`, after an intercept: its word's letters, its distinct refs
    (page, line), rows, distinct pages, and the digits its line numbers, its pages once and
    its pages once per ref print (layouts print a page once for its lines or once per ref)."""
    refs = sorted(set(refs))
    pages = sorted({p for p, _ in refs})
    return np.array([1.0, letters, len(refs), rows, len(pages),
                     digits([n for _, n in refs]).sum(), digits(pages).sum(),
                     digits([p for p, _ in refs]).sum()])


@dataclass(frozen=True)
class ExtentFit:
    """How far an entry spans on the index page (`Entry.extent_pt`, summed over its rows) from
    what it prints: an intercept and a width per each of `EXTENT_TERMS` (the digits matter:
    a ref to line 12 prints wider than one to line 4). Least squares over the visible
    entries; `sd_pt` the residual spread of those with many refs (entries as long as a
    person's)."""

    coef: np.ndarray  # (intercept, *EXTENT_TERMS), in points
    sd_pt: float

    def extent_pt(self, terms: np.ndarray) -> np.ndarray:
        """What entries of these `extent_terms` (..., 1 + terms) span."""
        return np.asarray(terms) @ self.coef

    def per(self, term: str) -> float:
        """The width one more of a term takes."""
        return float(self.coef[1 + EXTENT_TERMS.index(term)])


MIN_FIT = 30  # visible entries with refs needed to fit `ExtentFit`


def fit_extent(index: WordIndex) -> ExtentFit | None:
    """The index's own `ExtentFit` (None with fewer than MIN_FIT visible entries, or when more
    refs do not print wider)."""
    seen = [e for e in index.entries if e.word and e.refs and not e.bars and e.rows]
    if len(seen) < MIN_FIT:
        return None
    a = np.array([extent_terms(len(e.word), e.refs, e.rows) for e in seen])
    y = np.array([e.extent_pt for e in seen])
    coef = np.linalg.lstsq(a, y, rcond=None)[0]
    if coef[2] <= 0:
        return None
    residual = y - a @ coef
    long = a[:, 2] >= 10
    sd = float(np.std(residual[long] if long.sum() >= 5 else residual))
    return ExtentFit(coef, max(sd, 1.0))
