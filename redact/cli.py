"""The `redact` command: a thin shell over `redact.api`.

    redact scan FILE [--json | --csv]
    redact guess FILE [--redaction ID ...] [--wordlist NAME_OR_PATH ...] [--top N] [--json | --csv]
    redact report FILE -o report.html
    redact leaks FOLDER [FILE ...] [--from-list LIST] --jsonl [-o out.jsonl] [--workers N]

scan, leaks, guess and audit also run over many files (see `redact.batch`).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import signal
import sys
import threading
from pathlib import Path

from rich.markup import escape

from . import __version__, batch, commands, terminal
from .api import CAVEAT, RedactedDocument, leak_check
from .display import count, flat, points, rounded
from .errors import INTERNAL_ERROR, NOTHING_FOUND, UNUSABLE_INPUT, RedactError, internal_error_line
from .pdf.leaks import KINDS
from .rank.candidates import FORMATS, SHIPPED, Constraints, shipped_lists
from .rank.score import percent

MAX_TOP = 1000  # candidates a bar at most: more says nothing a list of 1,000 does not

EXAMPLES = """examples:
  redact scan samples/reportlab-serif.pdf
  redact calibrate samples/libreoffice-serif.pdf
  redact audit samples/reportlab-serif.pdf
  redact leaks filing.pdf --json
  redact index transcript.pdf
  redact wordlists
  redact guess samples/reportlab-serif.pdf --top 5
  redact guess samples/reportlab-serif.pdf --csv > guesses.csv
  redact report samples/reportlab-serif.pdf -o report.html
  redact guess samples/reportlab-serif.pdf --redaction p1-3 --wordlist surnames --json
  redact guess report.pdf --wordlist my-suspects.txt      (one name a line, optional TAB weight)
  redact guess index.pdf -r p3-2 --wordlist surnames --after Avery --before Baker
  redact leaks filings/ --jsonl -o leaks.jsonl --workers 2     (resumes: done files are skipped)
  redact scan filings/ --from-list more.txt -o scan.jsonl --scheduler tcp://10.0.0.5:8786
"""


GLOSSARY = """words the output uses:
  bar         a black box; its id (p3-2) is page 3's second bar; █p3-4█ in a context is
              another bar of the same line
  gap         the width the hidden text fills: from the end of the last visible glyph before
              the bar to the first one after it, in points (1/72 inch)
  sigma       the gap's measured uncertainty (one standard deviation), in points, tested on
              the document's own visible words (redact calibrate)
  residual    the gap minus a candidate's width: near 0 (within a few sigma) when it fits
  probability how likely a candidate is among those considered, given its width and how
              common it is; it assumes the hidden text is one of them and the model holds
  other       where the word index narrows a bar: the probability that the word is in
              none of the lists ("x% that it is a word in none of the lists")
  verdict     a bar's evidence: "given away" (a leak or the word index prints the text),
              "narrowed by the index", "width only" (a monospaced font: a letter count), or
              "not measured"; "90% in N": the best N candidates hold 90% of the probability
  considered  candidates scored against the gap (every word of the lists, every
              first x last pair); the same count in guess and audit
  bits        what the width gives away: log2(candidates / those within 1 sigma)
  linked      bars solved jointly because they may hide the same surname; their Bayes
              factor is how much likelier the two widths are if they do
  leak        text still in the file under a box (copy it out), or a name the transcript's
              word index prints for a hidden line; a label (REDACTED, (b)(6)) is no leak
  engine      how the redaction tool measured the removed text: "exact" widths, or
              "whole-units" (MuPDF rounds each glyph to whole font units)
  AAAAAA+Font a font subset (only the glyphs the document uses); the prefix is not a name
"""


class _Parser(argparse.ArgumentParser):
    """argparse with errors in one line (exit 2), as every other bad input gets."""

    def error(self, message: str):
        where = self.prog.removeprefix("redact").strip()
        self.exit(2, f"redact: {where + ': ' if where else ''}{message} (see --help)\n")


def whole(lo: int, hi: int):
    """An argparse type: a whole number from `lo` to `hi`."""
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = None
        if n is None or not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"must be a whole number from {lo:,} to {hi:,}, "
                                             f"not {text!r}")
        return n
    return parse


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="redact", description="Measure redaction bars in a PDF and rank the texts that fit "
        "them. Results are probabilistic.", epilog=EXAMPLES + "\n" + GLOSSARY,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"redact {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, tables: bool = True) -> argparse.ArgumentParser:
        """A command over one PDF: FILE, --password, and --json / --csv; the commands of
        `batch.COMMANDS` over many (files, folders, a list) too."""
        cmd = sub.add_parser(name, help=help, epilog=EXAMPLES + "\n" + GLOSSARY,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        if name in batch.COMMANDS:
            cmd.add_argument("files", nargs="*", metavar="FILE",
                             help="PDFs, and folders of them (searched recursively)")
            many = cmd.add_argument_group("many files (one JSON record per file and line)")
            many.add_argument("--from-list", metavar="LIST",
                              help="a file naming more PDFs or folders, one a line")
            many.add_argument("--jsonl", action="store_true",
                              help="one JSON record per file and line (on stdout unless -o)")
            many.add_argument("--output", "-o", metavar="OUT.jsonl",
                              help="append the records to this file; files already in it are "
                              "skipped (a run resumes)")
            many.add_argument("--workers", type=whole(0, 1024), default=None,
                              help="Dask worker processes on this machine (default: the core "
                              f"count, or none for {batch.AUTO_SERIAL_FILES} small files or "
                              "fewer; 0: one file after another in this process, no Dask)")
            many.add_argument("--scheduler", metavar="ADDRESS",
                              help="run on an existing Dask cluster (tcp://HOST:8786) instead")
            many.add_argument("--timeout", type=whole(1, 10**6), metavar="SECONDS",
                              default=int(batch.FILE_SECONDS),
                              help=f"stop a file after this long ({batch.FILE_SECONDS:g})")
            many.add_argument("--memory-limit", default=batch.MEMORY_LIMIT, metavar="SIZE",
                              help=f"per worker process ({batch.MEMORY_LIMIT})")
        else:
            cmd.add_argument("file")
        cmd.add_argument("--password", default="", help="the PDF's password, if it is encrypted")
        if tables:
            out = cmd.add_mutually_exclusive_group()
            out.add_argument("--json", action="store_true", help="print JSON")
            out.add_argument("--csv", action="store_true", help="print CSV (one row a bar or candidate)")
        return cmd

    def ranking(cmd: argparse.ArgumentParser, top: bool = True) -> None:
        """The options of a ranking (`Redaction.guess`): guess, audit and report share them."""
        cmd.add_argument("--redaction", "-r", action="append", metavar="ID",
                         help="only this bar (as `scan` lists it, e.g. p1-3); repeatable")
        cmd.add_argument("--wordlist", "-w", action="append", metavar="NAME_OR_PATH",
                         help=f"a shipped list ({', '.join(SHIPPED)}) or a file; repeatable. "
                         "Default: surnames after Mr./Ms./Dr., otherwise first names, surnames "
                         "and 'First Last' pairs")
        if top:
            cmd.add_argument("--top", "-n", type=whole(1, MAX_TOP), default=10,
                             help=f"candidates per bar (10; at most {MAX_TOP})")
        cmd.add_argument("--independent", action="store_true",
                         help="rank every bar on its own; by default bars that may hide one "
                         "surname (Mr. X twice, a full name and Mr. X) are solved jointly")
        cmd.add_argument("--no-index", action="store_true",
                         help="do not use a transcript's word index (by default its leaks, "
                         "brackets and refs narrow the candidates)")
        cmd.add_argument("--formats", metavar="LIST", default="",
                         help="other ways to write a name, comma-separated: "
                         + ", ".join(FORMATS) + " (default: First Last only)")
        known = cmd.add_argument_group("what else you know of the hidden text")
        known.add_argument("--length", type=whole(1, 1000),
                           help="its number of characters, spaces included")
        known.add_argument("--starts", metavar="LETTERS", help="its first letters")
        known.add_argument("--ends", metavar="LETTERS", help="its last letters")
        known.add_argument("--regex", metavar="PATTERN", help="a pattern the whole text matches")
        known.add_argument("--after", metavar="WORD", help="it sorts after this word (word index)")
        known.add_argument("--before", metavar="WORD", help="it sorts before this word")

    command("scan", "list every bar with its gap, font and context")
    ranking(command("guess", "rank candidate texts for each bar"))
    ranking(command("audit", "for a redactor: how much each bar leaks"), top=False)
    command("calibrate", "test the width model on the document's own words")
    lk = command("leaks", "find text still in the file under boxes that hide it (exit 1 if any)")
    lk.add_argument("--max-pages", type=whole(1, 10**9), metavar="N",
                    help="check only the first N pages")
    rep = command("report", "write one HTML file: every bar, its candidates and pictures of "
                  "them in the gap", tables=False)
    rep.add_argument("--output", "-o", required=True, help="the HTML file to write")
    rep.add_argument("--proofs", type=whole(0, 50), default=1,
                     help="pictures of the best N candidates drawn into the gap (1); a plot of "
                     "every candidate's residual shows where they differ")
    ranking(rep)
    command("index", "show a transcript's word index: entries, bars, brackets, refs, leaks")
    wl = sub.add_parser("wordlists", help="list the shipped word lists")
    wl.add_argument("--json", action="store_true", help="print JSON")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in batch.COMMANDS:
        if not args.files and args.from_list is None:
            print(f"redact: {args.command}: give a PDF (or folders of them, or --from-list LIST)",
                  file=sys.stderr)
            return UNUSABLE_INPUT
        if _many(args):
            return _archive(args)
        args.file = args.files[0]
    return run(args)


def _many(args) -> bool:
    """Whether a command runs over many files: several named, a folder, a list, or records
    asked for."""
    return (len(args.files) != 1 or args.from_list is not None or args.jsonl
            or args.output is not None or os.path.isdir(args.files[0]))


def run(args) -> int:
    """One command on one file (`args.file`), printing what it prints; its exit code."""
    try:
        if args.command == "wordlists":
            return _wordlists(args)
        if args.command == "leaks":
            return _leaks(args)
        doc = commands.open_document(args.command, args.file, options(args))
        for note in doc.layout.notes:
            print(f"redact: warning: {note}", file=sys.stderr)
        if args.command == "scan":
            return _scan(doc, args)
        if args.command == "calibrate":
            return _calibrate(doc, args)
        if args.command == "audit":
            return _audit(doc, args)
        if args.command == "report":
            return _report(doc, args)
        if args.command == "index":
            return _index(doc, args)
        return _guess(doc, args)
    except RedactError as err:
        message = str(err)
        if err.exit_code == NOTHING_FOUND and args.command in commands.RANKING:
            # no bars to rank: the leaks are still news
            message += commands.leaks_without_bars(args.file, args.password)
        print(f"redact: {message}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # our bug: one line, exit 3; REDACT_DEBUG=1 shows the traceback
        if os.environ.get("REDACT_DEBUG"):
            raise
        print(f"redact: {internal_error_line(exc)}", file=sys.stderr)
        return INTERNAL_ERROR


def options(args) -> commands.Options:
    """The command's options as `commands.Options` (what the batch runner is given too)."""
    get = functools.partial(getattr, args)
    constraints = Constraints(get("length", None), get("starts", None), get("ends", None),
                              get("regex", None), get("after", None), get("before", None))
    return commands.Options(
        password=get("password", ""), redactions=tuple(get("redaction", None) or ()),
        wordlists=tuple(w) if (w := get("wordlist", None)) is not None else None,
        top=get("top", 10), joint=not get("independent", False),
        use_index=not get("no_index", False), constraints=constraints,
        formats=tuple(f.strip() for f in get("formats", "").split(",") if f.strip()),
        max_pages=get("max_pages", None))


def _archive(args) -> int:
    """The command over many files (`redact.batch`): records on stdout or appended to
    --output, a progress bar on a terminal, and a summary line on stderr."""
    if args.csv or args.json:
        print(f"redact: {args.command}: over many files the output is JSON lines "
              "(--jsonl, or -o OUT.jsonl)", file=sys.stderr)
        return UNUSABLE_INPUT
    try:
        paths = batch.inputs(args.files, args.from_list)
    except OSError as err:
        print(f"redact: {args.from_list}: cannot read the list ({err.strerror})", file=sys.stderr)
        return UNUSABLE_INPUT
    if not paths:
        where = ", ".join([*args.files, *([args.from_list] if args.from_list else [])])
        print(f"redact: {args.command}: no PDF found in {where}", file=sys.stderr)
        return UNUSABLE_INPUT
    out_path = os.path.abspath(args.output) if args.output else None
    if out_path and out_path in {os.path.abspath(p) for p in paths}:
        print("redact: the output would overwrite an input: choose another -o", file=sys.stderr)
        return UNUSABLE_INPUT
    done = batch.done_files(Path(out_path)) if out_path else set()
    try:
        sink = open(out_path, "a", encoding="utf-8") if out_path else sys.stdout
    except OSError as err:
        print(f"redact: {args.output}: cannot write ({err.strerror})", file=sys.stderr)
        return UNUSABLE_INPUT
    with contextlib.ExitStack() as stack:
        if out_path:
            stack.enter_context(sink)
            if sink.tell() and not _ends_with_newline(out_path):
                sink.write("\n")  # the last run was killed mid-line: start a fresh one

        def write(rec: dict) -> None:
            sink.write(json.dumps(rec, ensure_ascii=False) + "\n")
            sink.flush()

        advance = stack.enter_context(terminal.progress(len(paths), f"{args.command}: files"))
        stack.enter_context(_terminate_as_interrupt())
        try:
            summary = batch.run(paths, args.command, options(args), write, workers=args.workers,
                                  scheduler=args.scheduler, timeout_s=args.timeout,
                                  memory_limit=args.memory_limit, done=done,
                                  progress=lambda rec: advance())
        except KeyboardInterrupt:
            print(f"redact: {args.command}: interrupted; the files finished are recorded"
                  + (": the same command resumes" if out_path else ""), file=sys.stderr)
            return 130
    print(f"redact: {args.command}: {summary.line()}", file=sys.stderr)
    return summary.exit_code


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM (`kill`, `timeout`, a batch system) stops an archive run as Ctrl-C does, so the
    records already finished are written (in the main thread only, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _scan(doc: RedactedDocument, args) -> int:
    if args.csv:
        return terminal.csv_rows(doc.records())
    if args.json:
        return terminal.json_out(commands.scan_data(doc))
    rows = []
    for r in doc.redactions:
        g = r.gap
        gap = f"{g.width_pt:.3f} ± {g.sigma_pt:.3f}" if g.measurable else "—"
        rows.append([r.id, str(r.page), ", ".join(f"{v:.1f}" for v in r.bbox), terminal.font_label(r),
                     f"{g.size_pt:g}" if g.size_pt else "—", gap, terminal.line(r, 25)])
    terminal.console().print(terminal.table(f"{doc.path}: {count(len(doc), 'bar')}",
                            ["id", "page", "box (x0, top, x1, bottom)", "font", "size", "gap pt",
                             "line (other bars as █id█)"], rows, numeric=("page", "size", "gap pt")))
    return 0


def _wordlists(args) -> int:
    rows = shipped_lists()
    if args.json:
        return terminal.json_out({"wordlists": rows})
    terminal.console().print(terminal.table(
        "shipped word lists (use with --wordlist NAME; your own: --wordlist FILE)",
        ["name", "entries", "what", "source"],
        [[r["name"], f"{r['entries']:,}", escape(r["description"]), escape(r["source"])]
         for r in rows], numeric=("entries",)))
    return 0


def _audit(doc: RedactedDocument, args) -> int:
    opts = options(args)
    check = doc.leak_check()
    with terminal.progress(len(commands.select(doc, opts.redactions)), "auditing") as advance:
        rows, orders = commands.audit_rows(doc, opts, check, advance)
    status = commands.found(check)
    if args.csv:
        return terminal.csv_rows([flat(row) for row in rows], status)
    if args.json:
        return terminal.json_out(commands.audit_data(doc, check, rows), status)
    con = terminal.console()
    terminal.print_check(con, check, args.file)
    table = []
    for _, row in sorted(zip(orders, rows), key=lambda it: it[0]):
        v = row["verdict"]
        style = terminal.STYLE[v["strength"]]
        if not row["measurable"]:
            table.append([row["id"], "—", "—", "—", f"[{style}]{escape(v['short'])}[/]"])
            continue
        table.append([row["id"], f"{row['considered']:,}", f"{row['fit_within_sigma']:,}",
                      f"{row['bits']:.1f}", f"[{style}]{escape(v['short'])}[/]"])
    con.print(terminal.table(f"{doc.path}: what each bar gives away (strongest first)",
                     ["id", "candidates", "within 1 sigma", "bits", "verdict"], table,
                     numeric=("candidates", "within 1 sigma", "bits")))
    con.print("[dim]Fewer fitting candidates and a higher best-guess probability mean a bar "
              "leaks more; widen the box to the line or redact whole phrases to stop it. "
              "sigma: the width's measured uncertainty; bits: log2(candidates / those within 1 "
              "sigma); \"90% in N\": the best N candidates hold 90% of the probability.[/dim]")
    return status


def _calibrate(doc: RedactedDocument, args) -> int:
    rows = commands.calibration_rows(doc)
    if args.csv:
        return terminal.csv_rows(rows)
    if args.json:
        return terminal.json_out({"file": str(doc.path), "fonts": rows})
    table = []
    for r in rows:
        src = r["metrics"] + (f" + {r['substitute']}" if r["substitute"] else "")
        eng = r["engine"]
        engine = (f"{eng['model']} ({eng['whole_offsets']}/{eng['offsets']} whole)"
                  if eng and eng["offsets"] else (eng["model"] if eng else "—"))
        table.append([escape(r["font"]), str(r["words"]), f"{r['bias_pt']:+.4f}",
                      f"{r['median_abs_pt']:.4f}", f"{r['p95_abs_pt']:.4f}", f"{r['sigma_pt']:.4f}",
                      escape(src) + ("; kerned" if r["kerning"] else ""), engine])
    numbers = ("words", "bias", "median", "p95", "sigma")
    terminal.console().print(terminal.table(
        f"{doc.path}: each visible word hidden in turn; residual = gap - predicted width, in "
        "points: its bias, median and 95th percentile of |residual|, and the sigma the bars use",
        ["font", *numbers, "metrics", "engine"], table, numeric=numbers))
    if not rows:
        print("no font with enough visible words to calibrate on")
    return 0


def _leaks(args) -> int:
    report = leak_check(args.file, args.password, args.max_pages)
    status = commands.leaks_status(report)
    unchecked = commands.unchecked_error(args.file, report)
    if unchecked:
        print(f"redact: {unchecked}", file=sys.stderr)
    if args.csv:
        return terminal.csv_rows([{**f.to_dict(), "finding": "leak"} for f in report.leaks]
                    + [{**f.to_dict(), "finding": "label"} for f in report.labels], status)
    if args.json:
        return terminal.json_out(report.to_dict(), status)
    con = terminal.console()
    if report.leaks:
        rows = [[str(f.page), f.citation or "", escape(f.text), KINDS.get(f.kind, (f.kind,))[0],
                 ", ".join(f"{v:.1f}" for v in f.bbox)] for f in report.leaks]
        con.print(terminal.table(f"{args.file}: {report.headline()}",
                         ["page", "citation", "text", "how", "box (x0, top, x1, bottom)"], rows,
                         numeric=("page", "citation")))
        if not report.complete:
            con.print(f"[yellow]Not checked in full: {escape(report.unchecked_text())}[/yellow]",
                      soft_wrap=True)
    else:
        con.print(f"{escape(str(args.file))}: {escape(report.headline())}", soft_wrap=True)
    if report.labels:
        con.print(f"[dim]{count(len(report.labels), 'label')} or stamps on boxes, not leaks: "
                  + escape("; ".join(f"p{f.page} {f.text!r}" for f in report.labels[:6]))
                  + (" ..." if len(report.labels) > 6 else "") + "[/dim]")
    for note in report.notes:
        con.print(f"[yellow]{escape(note)}[/yellow]")
    return status


def _report(doc: RedactedDocument, args) -> int:
    from . import report

    out = os.path.abspath(args.output)
    if out == os.path.abspath(args.file):
        raise RedactError("the report would overwrite the PDF: choose another --output", 2)
    if not os.path.isdir(os.path.dirname(out)):
        raise RedactError(f"{args.output}: no such directory to write the report in", 2)
    opts = options(args)
    chosen = commands.select(doc, opts.redactions)
    check = doc.leak_check()
    with terminal.progress(len(chosen), "report") as advance:
        try:
            path = report.write(doc, out, top=args.top, proofs=args.proofs,
                                wordlists=args.wordlist, constraints=opts.constraints,
                                formats=opts.formats,
                                redactions=chosen, progress=advance, leak_check=check)
        except OSError as err:
            raise RedactError(f"{args.output}: cannot write the report ({err.strerror})", 2) from None
    print(f"{path}: {count(len(chosen), 'bar')}, each with its verdict, crop and candidates "
          "(results are probabilistic: see the report's caveat)")
    print(f"{args.file}: {commands.check_line(check)}")
    return NOTHING_FOUND if check.leaks else 0


def _index(doc: RedactedDocument, args) -> int:
    """The word index as read: every entry (hidden ones with their bracket), the bars on it,
    and what it gives away about the body's bars."""
    data = commands.index_data(doc)
    leaks = data["leaks"]
    if args.csv:
        return terminal.csv_rows([{k: v for k, v in row.items()} for row in data["entries"]])
    if args.json:
        return terminal.json_out(data)
    con = terminal.console()
    hidden = [row for row in data["entries"] if row["hidden"]]
    con.print(f"{doc.path}: word index on pages {', '.join(map(str, data['pages']))}: "
              f"{len(data['entries'])} entries, {len(hidden)} hidden")
    if hidden:
        con.print(terminal.table("hidden entries", ["bars", "after", "before", "refs"],
                         [[", ".join(filter(None, row["bars"])), escape(row["after"] or "—"),
                           escape(row["before"] or "—"), ", ".join(row["refs"][:8]) or "hidden"]
                          for row in hidden]))
    if leaks:
        con.print(terminal.table("names the index gives away", ["page", "citation", "text"],
                         [[str(f["page"]), f["citation"] or "", escape(f["text"])] for f in leaks],
                         numeric=("page", "citation")))
    return 0


def _guess(doc: RedactedDocument, args) -> int:
    opts = options(args)
    check = doc.leak_check()
    with terminal.progress(len(commands.select(doc, opts.redactions)), "ranking") as advance:
        results = commands.ranked(doc, opts, check, advance)
    status = commands.found(check)
    if args.csv:
        return terminal.csv_rows([{"id": r.id, "page": r.page, "gap.width_pt": rounded(r.gap.width_pt),
                      "gap.sigma_pt": rounded(r.gap.sigma_pt),
                      **flat({"verdict": v.to_dict()}), **row}
                     for r, k, v in results for row in k.records()], status)
    if args.json:
        return terminal.json_out(commands.guess_data(doc, check, results), status)
    con = terminal.console()
    terminal.print_check(con, check, args.file)
    for r, k, v in sorted(results, key=lambda it: it[2].order):
        g = r.gap
        cite = f" ({r.citation})" if r.citation else ""
        head = (f"[bold]{r.id}[/bold] page {r.page}{cite}  gap {g.width_pt:.3f} ± {g.sigma_pt:.3f} pt "
                f"(box {g.box_width_pt:.2f})  {escape(terminal.font_label(r))} {g.size_pt or 0:g} pt") \
            if g.measurable else f"[bold]{r.id}[/bold] page {r.page}{cite}"
        con.print(head)
        con.print(f"  {terminal.line(r, 40, markup=True)}", highlight=False)
        con.print(f"  [{terminal.STYLE[v.strength]}]{escape(v.line())}[/]", highlight=False)
        if g.note and g.measurable:
            con.print(f"  [dim]{escape(g.note)}[/dim]")
        if k.note:
            con.print(f"  [yellow]{escape(k.note)}[/yellow]")
        if k.candidates:
            look = terminal.STYLE[v.strength] if v.strength != "given away" else "default"
            rows = [[f"[{look}]{cell}[/]" for cell in
                     (str(i), escape(c.text), points(c.width_pt), points(c.residual_pt, True),
                      percent(c.probability), escape(c.wordlist))]
                    for i, c in enumerate(k.candidates, 1)]
            con.print(terminal.table(None, ["#", "candidate", "width pt", "residual pt", "probability",
                                    "wordlist"], rows,
                             numeric=("#", "width pt", "residual pt", "probability"), edge=False))
        con.print(f"  [dim]{count(k.considered, 'candidate')} scored"
                  + (f", {count(k.unmeasurable, 'candidate')} unmeasurable (a character no "
                     "font source knows)" if k.unmeasurable else "") + "[/dim]\n")
    con.print(f"[dim]{CAVEAT}[/dim]")
    return status


if __name__ == "__main__":
    sys.exit(main())
