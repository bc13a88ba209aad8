"""One verdict, everywhere: what a file leaks, and how strong each bar's answer is.

Every command that speaks of leaks (`leaks`, `guess`, `audit`, `report`, and the archive's
records of them) takes its findings from `leak_check`, with the same options, so no two of them
can disagree: text still under a box (`redact.pdf.leaks`) and names a transcript's word index gives
away (`redact.transcripts.indexsolve`). A limit on pages limits pages, never a kind of check, and what was
not checked is said (`LeakReport.unchecked_text`).

Each bar then gets a `Verdict`: its evidence class (given away by a leak or the index; narrowed
by the index; width only; not measured) and how concentrated its answer is (the best
candidate's probability, and how many candidates hold 90% of it), so a 99% index leak and a 1%
guess among thousands never look alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..display import plural
from ..pdf.leaks import Finding, LeakReport
from .score import COVER_RANKED, Ranking, percent

GIVEN_AWAY, NARROWED, WIDTH_ONLY, NOT_MEASURED = (
    "given away", "narrowed by the index", "width only", "not measured")
EVIDENCE = (GIVEN_AWAY, NARROWED, WIDTH_ONLY, NOT_MEASURED)  # strongest first
STRONG = 0.9  # a best candidate this probable is a strong answer
WEAK = 0.5  # below this, a weak one
OVERLAP = 0.5  # share of a leak's box on a bar that puts the leak at that bar


@dataclass(frozen=True)
class Verdict:
    """One bar's answer in a line: its evidence class and how concentrated the answer is."""

    id: str
    evidence: str  # one of EVIDENCE
    top_probability: float | None  # the best candidate's (None: no candidate fits, or none)
    covering_90: int | None  # candidates holding 90% of the probability (None: over COVER_RANKED)
    considered: int  # candidates scored
    best: str | None = None  # the best candidate's text
    leak: Finding | None = None  # the text a leak gives away
    monospace: bool = False  # the width is a letter count only
    note: str = ""  # why a bar was not measured

    @property
    def strength(self) -> str:
        """For styling and sorting: "given away", "strong", "moderate", "weak" or "none"."""
        if self.leak is not None:
            return "given away"
        if self.top_probability is None:
            return "none"
        return ("strong" if self.top_probability >= STRONG else
                "moderate" if self.top_probability >= WEAK else "weak")

    @property
    def order(self) -> tuple:
        """Strongest first: a sort key."""
        return (EVIDENCE.index(self.evidence), -(self.top_probability or 0.0))

    def line(self) -> str:
        """The verdict in words, one line."""
        if self.leak is not None:
            f = self.leak
            if f.kind == "index":
                return (f'{GIVEN_AWAY} by the word index: "{f.text}"'
                        + (f" (cited at {f.citation})" if f.citation else ""))
            return f'{GIVEN_AWAY}: "{f.text}" is still in the file under the box (redact leaks)'
        if self.evidence == NOT_MEASURED:
            return f"{NOT_MEASURED}: {self.note or 'the gap could not be measured'}"
        what = self.evidence + (" (monospaced: a letter count)" if self.monospace else "")
        if self.top_probability is None:
            return f"{what}: no candidate fits; the hidden text is in none of the lists"
        cover = (f"{self.covering_90:,}" if self.covering_90 is not None
                 else f"more than {COVER_RANKED:,}")
        return (f'{what}: best "{self.best}" {percent(self.top_probability)}; 90% of the '
                f"probability is spread over {cover} of {self.considered:,} "
                f"{plural(self.considered, 'candidate')}")

    def short(self) -> str:
        """The verdict for a table cell: "width only: 13.8%, 90% in 750"."""
        if self.leak is not None:
            return f'{GIVEN_AWAY}: "{self.leak.text}"'
        if self.evidence == NOT_MEASURED:
            return NOT_MEASURED
        what = "narrowed" if self.evidence == NARROWED else "letter count" if self.monospace \
            else self.evidence
        if self.top_probability is None:
            return f"{what}: no candidate fits"
        cover = f"{self.covering_90:,}" if self.covering_90 is not None else f">{COVER_RANKED:,}"
        return f"{what}: {percent(self.top_probability)}, 90% in {cover}"

    def to_dict(self) -> dict:
        return {"evidence": self.evidence, "strength": self.strength, "short": self.short(),
                "top_probability": None if self.top_probability is None
                else round(self.top_probability, 6),
                "covering_90": self.covering_90, "line": self.line(),
                "leak": self.leak.to_dict() if self.leak is not None else None}


def bar_verdict(r, ranking: Ranking | None, report: LeakReport | None = None) -> Verdict:
    """Bar `r`'s verdict (an `api.Redaction`), from its ranking and the file's leak check."""
    leak = leak_at(r, report) if report is not None else None
    best = ranking.candidates[0] if ranking is not None and ranking.candidates else None
    top = best.probability if best is not None else None
    doc = r.document
    narrowed = doc is not None and doc.use_index and (
        r.id in doc.index_evidence or r.index_entry() is not None)
    if leak is not None:
        evidence = GIVEN_AWAY
    elif ranking is None or (not r.gap.measurable and r.index_entry() is None):
        evidence = NOT_MEASURED
    else:
        evidence = NARROWED if narrowed else WIDTH_ONLY
    return Verdict(r.id, evidence, top, ranking.covering_90 if ranking is not None else None,
                   ranking.considered if ranking is not None else 0,
                   best.text if best is not None else None, leak,
                   bool(r.metrics is not None and r.metrics.monospace), r.gap.note)


def leak_at(r, report: LeakReport) -> Finding | None:
    """The leak found at bar `r`: the word index's for it, or text under its box."""
    x0, top, x1, bottom = r.bbox
    for f in report.leaks:
        if f.page != r.page:
            continue
        fx0, ftop, fx1, fbottom = f.bbox
        w = max(0.0, min(x1, fx1) - max(x0, fx0))
        h = max(0.0, min(bottom, fbottom) - max(top, ftop))
        area = max((fx1 - fx0) * (fbottom - ftop), 1e-9)
        if w * h >= OVERLAP * area:
            return f
    return None

