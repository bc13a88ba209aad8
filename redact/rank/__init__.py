"""Ranking: candidates and their priors -> scores -> probabilities, and each bar's verdict.

    candidates  word lists (shipped and the user's), constraints, the default families
    seen        the names a document prints, as candidates with a prior of their own
    score       `rank`: every candidate scored against a gap; pairs by a sorted-width join
    link        joint solving: bars that may hide one surname lend each other evidence
    verdict     each bar's answer in a line: its evidence class and how concentrated it is

Reads `redact.pdf` and `redact.measure`; nothing here imports from transcripts.
"""
from .candidates import Constraints, Hypothesis, load_wordlist
from .score import Candidate, Ranking, rank
from .verdict import Verdict, bar_verdict

__all__ = ["rank", "Ranking", "Candidate", "Constraints", "Hypothesis", "load_wordlist",
           "Verdict", "bar_verdict"]
