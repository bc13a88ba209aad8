"""Each command over one file as a function that returns plain data.

    from redact import commands
    outcome = commands.run("guess", "samples/reportlab-serif.pdf", commands.Options(top=5))
    outcome.exit_code, outcome.data["redactions"][0]["candidates"][0]

`run` is what `redact COMMAND FILE --json` does, as data: the JSON result, the exit status,
the warnings met and the one-line error. The CLI prints it (tables, JSON or CSV); the batch
runner (`redact.batch`) records it, one record per file. Both build the same `Options`.
The steps `run` takes are here too, for the CLI's tables: `ranked` (each bar with its ranking
and verdict), `audit_rows`, `calibration_rows`, and each command's `*_data`.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .api import CAVEAT, RedactedDocument, Redaction, leak_check
from .api import open as open_pdf
from .errors import INTERNAL_ERROR, NOTHING_FOUND, UNUSABLE_INPUT, RedactError, internal_error_line
from .pdf.leaks import LeakReport
from .rank.candidates import Constraints
from .rank.score import Ranking
from .rank.verdict import Verdict, bar_verdict

COMMANDS = ("scan", "leaks", "guess", "audit", "calibrate", "index")  # what `run` runs
RANKING = ("guess", "audit", "report")  # the commands that rank candidates for bars


@dataclass(frozen=True, kw_only=True)
class Options:
    """What a command is asked, as `redact COMMAND --help` lists it."""

    password: str = ""
    redactions: tuple[str, ...] = ()  # bar ids (`scan` lists them); none: every bar
    wordlists: tuple[str, ...] | None = None  # shipped list names or files; None: the default
    top: int = 10  # candidates per bar
    joint: bool = True  # bars that may hide one surname are solved jointly
    use_index: bool = True  # a transcript's word index narrows the candidates
    constraints: Constraints = field(default_factory=Constraints)
    formats: tuple[str, ...] = ()  # other ways to write a name (`rank.candidates.FORMATS`)
    max_pages: int | None = None  # `leaks`: the first N pages only

    @property
    def wordlist_list(self) -> list[str] | None:
        return list(self.wordlists) if self.wordlists is not None else None


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """A command's answer on one file: its JSON data (None when it has none), its exit code
    (`redact.errors`), the warnings met, and the one-line error that ended it."""

    data: dict | None
    exit_code: int
    warnings: tuple[str, ...] = ()
    error: str | None = None


def run(command: str, path: str | os.PathLike, options: Options | None = None) -> Outcome:
    """`command` on the file at `path`, as data. Never raises (an internal error is exit 3
    and its one line)."""
    options = options or Options()
    warnings: list[str] = []
    try:
        if command == "leaks":
            report = leak_check(path, options.password, options.max_pages)
            return Outcome(data=report.to_dict(), exit_code=leaks_status(report),
                           error=unchecked_error(path, report))
        doc = open_document(command, path, options)
        warnings += doc.layout.notes
        if command == "scan":
            data, status = scan_data(doc), 0
        elif command == "calibrate":
            data, status = {"file": str(doc.path), "fonts": calibration_rows(doc)}, 0
        elif command == "index":
            data, status = index_data(doc), 0
        elif command == "audit":
            check = doc.leak_check()
            data, status = audit_data(doc, check, audit_rows(doc, options, check)[0]), \
                found(check)
        elif command == "guess":
            check = doc.leak_check()
            data, status = guess_data(doc, check, ranked(doc, options, check)), found(check)
        else:
            raise ValueError(f"no command {command!r} runs over one file as data")
        return Outcome(data=data, exit_code=status, warnings=tuple(warnings))
    except RedactError as err:
        message = str(err)
        if err.exit_code == NOTHING_FOUND and command in RANKING:
            message += leaks_without_bars(path, options.password)
        return Outcome(data=None, exit_code=err.exit_code, warnings=tuple(warnings),
                       error=message)
    except Exception as exc:  # our bug: one line, exit 3
        if os.environ.get("REDACT_DEBUG"):
            raise
        return Outcome(data=None, exit_code=INTERNAL_ERROR, warnings=tuple(warnings),
                       error=internal_error_line(exc))


def open_document(command: str, path, options: Options) -> RedactedDocument:
    """The document a command works on: `calibrate` and `index` open files without bars too."""
    return open_pdf(path, options.password, require_bars=command not in ("calibrate", "index"),
                    joint=options.joint, use_index=options.use_index)


def found(check: LeakReport) -> int:
    """A command's exit status after its leak check: 1 when the check found a leak."""
    return NOTHING_FOUND if check.leaks else 0


def leaks_status(report: LeakReport) -> int:
    """`leaks`' exit status: a leak found is the answer (1); pages or checks left out forbid
    saying "clean" (2)."""
    return NOTHING_FOUND if report.leaks else (0 if report.complete else UNUSABLE_INPUT)


def unchecked_error(path, report: LeakReport) -> str | None:
    """`leaks`' error when it did not check the whole file (None when it did)."""
    return None if report.complete else f"{path}: not checked in full: {report.unchecked_text()}"


def check_line(check: LeakReport) -> str:
    """The leak check's answer in one line, pointing to `redact leaks` when it found any."""
    return check.headline() + (" (redact leaks lists them)" if check.leaks else "")


def leaks_without_bars(path, password: str) -> str:
    """The leak check's answer for a file without bars, to follow the line that says so."""
    try:
        check = leak_check(path, password)
    except RedactError:
        return ""
    return "; " + check_line(check)


def select(doc: RedactedDocument, ids: tuple[str, ...] | list[str] | None) -> list[Redaction]:
    """The bars asked for by id (all when none is); an unknown id is unusable input."""
    if not ids:
        return doc.redactions
    known = {r.id for r in doc.redactions}
    missing = [i for i in ids if i not in known]
    if missing:
        raise RedactError(f"no redaction {', '.join(missing)} (scan lists: "
                          f"{', '.join(sorted(known))})", UNUSABLE_INPUT)
    return [doc[i] for i in ids]


def scan_data(doc: RedactedDocument) -> dict:
    return {"file": str(doc.path), "pages": len(doc.layout.pages),
            "redactions": [r.to_dict() for r in doc.redactions]}


Ranked = list[tuple[Redaction, Ranking, Verdict]]


def ranked(doc: RedactedDocument, options: Options, check: LeakReport,
           advance: Callable[[], None] = lambda: None) -> Ranked:
    """Each bar asked for, with its ranking and its verdict (`advance()` after each)."""
    out = []
    for r in select(doc, options.redactions):
        ranking = r.guess(options.wordlist_list, top=options.top,
                          constraints=options.constraints, formats=options.formats)
        out.append((r, ranking, bar_verdict(r, ranking, check)))
        advance()
    return out


def guess_data(doc: RedactedDocument, check: LeakReport, results: Ranked) -> dict:
    return {"file": str(doc.path), "pages": len(doc.layout.pages), "caveat": CAVEAT,
            "leak_check": check.to_dict(),
            "redactions": [{**r.to_dict(k), "verdict": v.to_dict()} for r, k, v in results]}


def audit_rows(doc: RedactedDocument, options: Options, check: LeakReport,
               advance: Callable[[], None] = lambda: None) -> tuple[list[dict], list]:
    """Each bar asked for: how much it leaks (`Redaction.audit`) with its verdict; and each
    row's place when sorted strongest first (`Verdict.order`)."""
    rows, orders = [], []
    for r in select(doc, options.redactions):
        ranking = r.guess(options.wordlist_list, top=1, constraints=options.constraints,
                          formats=options.formats)
        verdict = bar_verdict(r, ranking, check)
        rows.append({**r.audit(options.wordlist_list, options.constraints, options.formats,
                               ranking=ranking),
                     "page": r.page, "context_left": r.gap.context_left[-30:],
                     "verdict": verdict.to_dict()})
        orders.append(verdict.order)
        advance()
    return rows, orders


def audit_data(doc: RedactedDocument, check: LeakReport, rows: list[dict]) -> dict:
    return {"file": str(doc.path), "pages": len(doc.layout.pages),
            "leak_check": check.to_dict(), "redactions": rows}


def calibration_rows(doc: RedactedDocument) -> list[dict]:
    """Per font: the width model tested on the document's words, and where its metrics and
    engine model come from."""
    rows = []
    for font, cal in sorted(doc.calibration.items()):
        m = doc.metrics[font]
        eng = doc.engine.get(font)
        rows.append({**cal.to_dict(), "metrics": m.source, "substitute": m.substitute,
                     "kerning": doc.kerning.get(font, False), "monospace": m.monospace,
                     "engine": eng.to_dict() if eng else None})
    return rows


def index_data(doc: RedactedDocument) -> dict:
    """The word index as read: every entry (hidden ones with their bars), its leaks, and what
    it says of each bar of the body. Raises RedactError (exit 1) without a word index."""
    if doc.index is None:
        raise RedactError(f"{doc.path}: no word index found (pages of alphabetical entries "
                          "with page:line references)", NOTHING_FOUND)
    data = doc.index.to_dict()
    for e, row in zip(doc.index.entries, data["entries"]):
        row["bars"] = [r.id if (r := doc.redaction_of(b)) else None for b in e.bars]
    leaks = [f.to_dict() for f in doc.index_leaks()]
    body = {rid: ev.to_dict() for rid, ev in doc.index_evidence.items()}
    return {"file": str(doc.path), **data, "leaks": leaks, "body": body}
