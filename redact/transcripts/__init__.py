"""Transcripts: the court reporter's word index, read and applied to the bars.

    wordindex   the index at the back: entries, page:line references, bars on it, and the
                evidence it gives a body line
    hypotheses  candidates built from the index: a hidden entry's bracket, the words a
                cited line takes
    assign      whole index entries blacked out: which hidden entry each body bar hides
    indexsolve  the index applied to one document's bars: what it gives away and narrows

A transcript's printed line numbers are read with its pages (`redact.pdf.transcript`).
Reads pdf, measure and rank.
"""
from .indexsolve import IndexSolver
from .wordindex import WordIndex, read_index

__all__ = ["read_index", "WordIndex", "IndexSolver"]
