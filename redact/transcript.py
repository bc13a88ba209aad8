"""Transcript pages: the numbers a court reporter prints around the testimony.

A deposition transcript numbers its lines 1 to 25 (some 28) in a column at the left and prints
its own page number at the top (or bottom) of each page; court filings add a stamp on every
page ("Case 1:15-cv-07433 Document 1257-12 Filed 05/03/22 Page 21 of 223"). None of these is
testimony: a line number is never part of a gap, a context or a candidate, and a bar's place
in the testimony is its citation, "printed page:line" ("20:12"), which is how lawyers, reporters
and the word index refer to it.

`number_lines` takes a page's glyph lines (as `document` groups them), recognises the line
numbers and the printed page number, and returns the lines without the number glyphs, each with
its number; `Page.printed_number` and `TextLine.number` keep what was found.
"""
from __future__ import annotations

import re

import numpy as np

MAX_LINE_NUMBER = 28
MIN_NUMBERED_LINES = 10  # a page numbers at least this many lines to be a transcript page
STAMP = re.compile(r"Case\s*\d+:\d+-\w+-\d+.*Document.*Filed.*Page\s*\d+\s*of\s*\d+", re.I)
PAGE_NUMBER = re.compile(r"^(?:Page\s*)?(\d{1,5})$", re.I)


def _leading_number(line) -> tuple[int | None, int]:
    """The integer a line starts with, when its digits stand apart from the text after them
    (a gap of at least one digit's width, or a space), and how many glyphs it spans."""
    glyphs = line.glyphs
    k = 0
    while k < len(glyphs) and glyphs[k].text.isdigit():
        k += 1
    if k == 0 or k > 2:
        return None, 0
    if k < len(glyphs):
        nxt, last = glyphs[k], glyphs[k - 1]
        if not nxt.is_space and nxt.x_pt - last.end_pt < 0.9 * last.advance_pt:
            return None, 0
    return int("".join(g.text for g in glyphs[:k])), k


def number_lines(lines: list) -> tuple[list, int | None]:
    """The page's lines with transcript line numbers taken off (each line's `number` set), and
    the printed page number; lines and None unchanged when the page is not a transcript page.
    A transcript page numbers at least MIN_NUMBERED_LINES lines, in increasing order down the
    page, in one column (their right edges agree within a few points)."""
    found = [(i, *_leading_number(line)) for i, line in enumerate(lines)]
    found = [(i, n, k) for i, n, k in found if n is not None and 1 <= n <= MAX_LINE_NUMBER]
    if len(found) < MIN_NUMBERED_LINES:
        return lines, None
    right = np.array([lines[i].glyphs[k - 1].end_pt for i, _, k in found])
    column = np.abs(right - np.median(right)) < 4.0
    found = [f for f, ok in zip(found, column) if ok]
    numbers = [n for _, n, _ in found]
    if len(found) < MIN_NUMBERED_LINES or any(b <= a for a, b in zip(numbers, numbers[1:])):
        return lines, None
    out = list(lines)
    for i, n, k in found:
        rest = lines[i].glyphs[k:]
        while rest and rest[0].is_space:
            rest = rest[1:]
        out[i] = type(lines[i])(lines[i].page, rest, number=n)
    first, last = min(i for i, _, _ in found), max(i for i, _, _ in found)
    printed = None
    for i in list(range(first - 1, -1, -1)) + list(range(last + 1, len(lines))):
        text = lines[i].text.strip()
        if STAMP.search(text):
            continue
        m = PAGE_NUMBER.match(text)
        if m:
            printed = int(m.group(1))
            break
    return [line for line in out if line.glyphs], printed


def citation(printed_page: int | None, line_number: int | None) -> str | None:
    """"page:line" as a transcript cites it, or None off the numbered lines."""
    if printed_page is None or line_number is None:
        return None
    return f"{printed_page}:{line_number}"
