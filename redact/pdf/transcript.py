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


TIMESTAMP = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


def _runs(glyphs) -> list[tuple[int, int]]:
    """Index ranges of the glyph runs that stand apart: split at spaces and at gaps of more
    than a third of the glyph's advance (producers that place words without space glyphs)."""
    out, start = [], None
    for i, g in enumerate(glyphs):
        if g.is_space:
            if start is not None:
                out.append((start, i))
                start = None
            continue
        if start is not None and g.x_pt - glyphs[i - 1].end_pt > 0.33 * max(g.advance_pt, 0.1):
            out.append((start, i))
            start = None
        if start is None:
            start = i
    if start is not None:
        out.append((start, len(glyphs)))
    return out


def _leading_number(line) -> tuple[int | None, int]:
    """The line number a line starts with, after a timestamp if the reporter prints one
    ("02:04 10 falsely ..."), and how many glyphs (timestamp and number) to take off. The
    number stands apart from the text after it (a space or a gap), and has one or two digits."""
    glyphs = line.glyphs
    runs = _runs(glyphs)
    if not runs:
        return None, 0
    k = 0
    text = "".join(g.text for g in glyphs[runs[0][0]:runs[0][1]])
    if TIMESTAMP.fullmatch(text) and len(runs) > 1:
        k = 1
    a, b = runs[k]
    digits = "".join(g.text for g in glyphs[a:b])
    if not digits.isdigit() or len(digits) > 2:
        # a timestamp run straight into the number: "02:0410" is "02:04" then "10"
        m = TIMESTAMP.match(digits) if k == 0 else None
        if m is None or not digits[m.end():].isdigit() or not 1 <= len(digits) - m.end() <= 2:
            return None, 0
        digits = digits[m.end():]
    return int(digits), b


def number_lines(lines: list) -> tuple[list, int | None]:
    """The page's lines with transcript line numbers taken off (each line's `number` set), and
    the printed page number; lines and None unchanged when the page is not a transcript page.
    A transcript page numbers at least MIN_NUMBERED_LINES lines, in increasing order down the
    page, in one column (their right edges agree within a few points)."""
    lines = _join_lone_numbers(lines)
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


def _join_lone_numbers(lines: list) -> list:
    """A line number set a little off its text's baseline is a line of its own: join it (and
    a timestamp line beside it) to the text line nearest its baseline, within half its size."""
    lone = [i for i, ln in enumerate(lines)
            if ln.text.strip().isdigit() and len(ln.text.strip()) <= 2]
    if len(lone) < MIN_NUMBERED_LINES:
        return lines
    out = list(lines)
    used = set()
    for i in lone:
        num = lines[i]
        near = [j for j, ln in enumerate(lines) if j != i and j not in lone and j not in used
                and abs(ln.baseline_pt - num.baseline_pt) <= 0.5 * num.glyphs[0].size_pt
                and ln.glyphs[0].x_pt > num.glyphs[-1].end_pt]
        if near:
            j = min(near, key=lambda j: abs(lines[j].baseline_pt - num.baseline_pt))
            used.add(j)
            out[j] = type(num)(num.page, num.glyphs + lines[j].glyphs, lines[j].number)
            out[i] = None
    return [ln for ln in out if ln is not None]


def citation(printed_page: int | None, line_number: int | None) -> str | None:
    """"page:line" as a transcript cites it, or None off the numbered lines."""
    if printed_page is None or line_number is None:
        return None
    return f"{printed_page}:{line_number}"


def parse_citation(citation: str | None) -> tuple[int, int] | None:
    """(printed page, line) of a citation as `citation` writes it; None for none."""
    page, _, line = (citation or "").partition(":")
    return (int(page), int(line)) if page.isdigit() and line.isdigit() else None
