"""The `redact` command: a thin shell over `redact.api`.

    redact scan FILE [--json | --csv]
    redact guess FILE [--redaction ID ...] [--wordlist NAME_OR_PATH ...] [--top N] [--json | --csv]
    redact report FILE -o report.html
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys

from . import __version__
from .api import CAVEAT, RedactedDocument
from .api import open as open_pdf
from .candidates import FORMATS, SHIPPED, Constraints, shipped_lists
from .errors import RedactError

EXAMPLES = """examples:
  redact scan samples/reportlab-serif.pdf
  redact calibrate samples/libreoffice-serif.pdf
  redact audit samples/reportlab-serif.pdf
  redact leaks filing.pdf --json
  redact wordlists
  redact guess samples/reportlab-serif.pdf --top 5
  redact guess samples/reportlab-serif.pdf --csv > guesses.csv
  redact report samples/reportlab-serif.pdf -o report.html
  redact guess samples/reportlab-serif.pdf --redaction p1-3 --wordlist surnames --json
  redact guess report.pdf --wordlist my-suspects.txt      (one name a line, optional TAB weight)
  redact guess index.pdf -r p3-2 --wordlist surnames --after Avery --before Baker
"""


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="redact", description="Measure redaction bars in a PDF and rank the texts that fit "
        "them. Results are probabilistic.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"redact {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    def on_file(name: str, help: str) -> argparse.ArgumentParser:
        """A command over one PDF: FILE, --password and --json."""
        cmd = sub.add_parser(name, help=help, epilog=EXAMPLES,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.add_argument("file")
        cmd.add_argument("--password", default="", help="the PDF's password, if it is encrypted")
        out = cmd.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="print JSON")
        out.add_argument("--csv", action="store_true", help="print CSV (one row a bar or candidate)")
        return cmd

    on_file("scan", "list every bar with its gap, font and context")
    audit = on_file("audit", "for a redactor: how much each bar leaks")
    audit.add_argument("--wordlist", "-w", action="append", metavar="NAME_OR_PATH",
                       help="lists an adversary would try (default: as `guess` chooses)")
    on_file("calibrate", "test the width model on the document's own words")
    lk = on_file("leaks", "find text still in the file under boxes that hide it (exit 1 if any)")
    lk.add_argument("--max-pages", type=int, metavar="N", help="check only the first N pages")
    wl = sub.add_parser("wordlists", help="list the shipped word lists")
    wl.add_argument("--json", action="store_true", help="print JSON")
    guess = on_file("guess", "rank candidate texts for each bar")
    guess.add_argument("--redaction", "-r", action="append", metavar="ID",
                       help="only this bar (as `scan` lists it, e.g. p1-3); repeatable")
    guess.add_argument("--wordlist", "-w", action="append", metavar="NAME_OR_PATH",
                       help=f"a shipped list ({', '.join(SHIPPED)}) or a file; repeatable. "
                       "Default: surnames after Mr./Ms./Dr., otherwise first names, surnames "
                       "and 'First Last' pairs")
    guess.add_argument("--top", "-n", type=int, default=10, help="candidates per bar (10)")
    guess.add_argument("--independent", action="store_true",
                       help="rank every bar on its own; by default bars that may hide one "
                       "surname (Mr. X twice, a full name and Mr. X) are solved jointly")
    guess.add_argument("--formats", metavar="LIST", default="",
                       help="other ways to write a name, comma-separated: "
                       + ", ".join(FORMATS) + " (default: First Last only)")
    rep = sub.add_parser("report", help="write one HTML file: every bar, its candidates and "
                         "pictures of them in the gap", epilog=EXAMPLES,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("file")
    rep.add_argument("--output", "-o", required=True, help="the HTML file to write")
    rep.add_argument("--password", default="", help="the PDF's password, if it is encrypted")
    rep.add_argument("--wordlist", "-w", action="append", metavar="NAME_OR_PATH",
                     help="lists to rank (default: as `guess` chooses)")
    rep.add_argument("--top", "-n", type=int, default=10, help="candidates per bar (10)")
    rep.add_argument("--proofs", type=int, default=3, help="pictures per bar: the best N (3)")
    known = guess.add_argument_group("what else you know of the hidden text")
    known.add_argument("--length", type=int, help="its number of characters, spaces included")
    known.add_argument("--starts", metavar="LETTERS", help="its first letters")
    known.add_argument("--ends", metavar="LETTERS", help="its last letters")
    known.add_argument("--regex", metavar="PATTERN", help="a pattern the whole text matches")
    known.add_argument("--after", metavar="WORD", help="it sorts after this word (word index)")
    known.add_argument("--before", metavar="WORD", help="it sorts before this word")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "wordlists":
            return _wordlists(args)
        if args.command == "leaks":
            return _leaks(args)
        doc = open_pdf(args.file, args.password, require_bars=args.command != "calibrate",
                       joint=not getattr(args, "independent", False))
        for note in doc.document.notes:
            print(f"redact: warning: {note}", file=sys.stderr)
        if args.command == "scan":
            return _scan(doc, args)
        if args.command == "calibrate":
            return _calibrate(doc, args)
        if args.command == "audit":
            return _audit(doc, args)
        if args.command == "report":
            return _report(doc, args)
        return _guess(doc, args)
    except RedactError as err:
        print(f"redact: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # never a traceback for the user; REDACT_DEBUG=1 shows it
        if os.environ.get("REDACT_DEBUG"):
            raise
        print(f"redact: internal error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1


@contextlib.contextmanager
def _progress(total: int, what: str):
    """A progress bar on stderr while bars are ranked, only on a terminal: yields `advance()`."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def _csv(rows: list[dict]) -> int:
    fields = list(dict.fromkeys(k for row in rows for k in row))
    w = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                    for k, v in row.items()})
    return 0


def _select(doc: RedactedDocument, ids: list[str] | None):
    if not ids:
        return doc.redactions
    known = {r.id for r in doc.redactions}
    missing = [i for i in ids if i not in known]
    if missing:
        raise RedactError(f"no redaction {', '.join(missing)} (scan lists: {', '.join(sorted(known))})", 2)
    return [doc[i] for i in ids]


def _scan(doc: RedactedDocument, args) -> int:
    if args.csv:
        return _csv(doc.records())
    if args.json:
        print(json.dumps({"file": str(doc.path), "redactions": [r.to_dict() for r in doc.redactions]},
                         indent=1, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{doc.path}: {len(doc)} redactions", title_justify="left")
    for col in ("id", "page", "box (x0, top, x1, bottom)", "font", "size", "gap pt", "left", "right"):
        t.add_column(col, justify="right" if col in ("page", "size", "gap pt") else "left")
    for r in doc.redactions:
        g = r.gap
        gap = f"{g.width_pt:.3f} ± {g.sigma_pt:.3f}" if g.measurable else "—"
        t.add_row(r.id, str(r.page), ", ".join(f"{v:.1f}" for v in r.bbox), _font(r),
                  f"{g.size_pt:g}" if g.size_pt else "—", gap, g.context_left[-25:],
                  g.context_right[:25])
    Console().print(t)
    return 0


def _wordlists(args) -> int:
    rows = shipped_lists()
    if args.json:
        print(json.dumps({"wordlists": rows}, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title="shipped word lists (use with --wordlist NAME; your own: --wordlist FILE)",
              title_justify="left")
    for col in ("name", "entries", "what", "source"):
        t.add_column(col, justify="right" if col == "entries" else "left")
    for r in rows:
        t.add_row(r["name"], f"{r['entries']:,}", r["description"], r["source"])
    Console().print(t)
    return 0


def _audit(doc: RedactedDocument, args) -> int:
    with _progress(len(doc.redactions), "auditing") as advance:
        rows = []
        for r in doc.redactions:
            rows.append({**r.audit(args.wordlist), "page": r.page, "context": r.gap.context_left[-30:]})
            advance()
    if args.csv:
        return _csv(rows)
    if args.json:
        print(json.dumps({"file": str(doc.path), "redactions": rows}, indent=1, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{doc.path}: what each bar's width gives away", title_justify="left")
    for col in ("id", "candidates", "fit within 1 sigma", "bits leaked", "best guess p", "left"):
        t.add_column(col, justify="left" if col in ("id", "left") else "right")
    for r in rows:
        if not r["measurable"]:
            t.add_row(r["id"], "—", "—", "—", "—", r["context"])
            continue
        t.add_row(r["id"], f"{r['candidates']:,}", f"{r['fit_within_sigma']:,}", f"{r['bits']:.1f}",
                  f"{r['top_probability']:.1%}", r["context"])
    con = Console()
    con.print(t)
    con.print("[dim]Fewer fitting candidates and a higher best-guess probability mean a bar "
              "leaks more; widen the box to the line or redact whole phrases to stop it.[/dim]")
    return 0


def _calibrate(doc: RedactedDocument, args) -> int:
    rows = []
    for font, cal in sorted(doc.calibration.items()):
        m = doc.metrics[font]
        rows.append({**cal.to_dict(), "metrics": m.source, "substitute": m.substitute,
                     "kerning": doc.kerning.get(font, False), "monospace": m.monospace})
    if args.csv:
        return _csv(rows)
    if args.json:
        print(json.dumps({"file": str(doc.path), "fonts": rows}, indent=1, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{doc.path}: each visible word hidden in turn (residual = gap - predicted)",
              title_justify="left")
    for col in ("font", "words", "bias pt", "median |res| pt", "p95 |res| pt", "sigma pt",
                "metrics", "kerning"):
        t.add_column(col, justify="left" if col in ("font", "metrics") else "right")
    for r in rows:
        src = r["metrics"] + (f" + {r['substitute']}" if r["substitute"] else "")
        t.add_row(r["font"], str(r["words"]), f"{r['bias']:+.4f}", f"{r['median_abs']:.4f}",
                  f"{r['p95_abs']:.4f}", f"{r['sigma']:.4f}", src, "yes" if r["kerning"] else "no")
    Console().print(t)
    if not rows:
        print("no font with enough visible words to calibrate on")
    return 0


def _leaks(args) -> int:
    from .leaks import find_leaks

    report = find_leaks(args.file, args.password, args.max_pages)
    status = 1 if report.leaks else 0
    if args.csv:
        _csv([{**f.to_dict(), "finding": "leak"} for f in report.leaks]
             + [{**f.to_dict(), "finding": "label"} for f in report.labels])
        return status
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
        return status
    from rich.console import Console
    from rich.table import Table

    con = Console()
    if report.leaks:
        t = Table(title=f"{args.file}: {len(report.leaks)} boxes with text still under them",
                  title_justify="left")
        for col in ("page", "box (x0, top, x1, bottom)", "how", "text"):
            t.add_column(col, justify="right" if col == "page" else "left")
        for f in report.leaks:
            t.add_row(str(f.page), ", ".join(f"{v:.1f}" for v in f.bbox), f.kind, f.text)
        con.print(t)
    else:
        con.print(f"{args.file}: no hidden text found on {report.pages} pages")
    if report.labels:
        con.print(f"[dim]{len(report.labels)} labels or stamps on boxes, not leaks: "
                  + "; ".join(f"p{f.page} {f.text!r}" for f in report.labels[:6])
                  + (" ..." if len(report.labels) > 6 else "") + "[/dim]")
    for note in report.notes:
        con.print(f"[yellow]{note}[/yellow]")
    return status


def _report(doc: RedactedDocument, args) -> int:
    from . import report

    out = os.path.abspath(args.output)
    if out == os.path.abspath(args.file):
        raise RedactError("the report would overwrite the PDF: choose another --output", 2)
    if not os.path.isdir(os.path.dirname(out)):
        raise RedactError(f"{args.output}: no such directory to write the report in", 2)
    with _progress(len(doc.redactions), "report") as advance:
        try:
            path = report.write(doc, out, top=args.top, proofs=args.proofs,
                                wordlists=args.wordlist, progress=advance)
        except OSError as err:
            raise RedactError(f"{args.output}: cannot write the report ({err.strerror})", 2) from None
    print(f"{path}: {len(doc)} bars, each with its crop and pictures of its best "
          f"{args.proofs} candidates (results are probabilistic: see the report's caveat)")
    return 0


def _font(r) -> str:
    if r.metrics is None:
        return "—"
    src = r.metrics.source + (f" + {r.metrics.substitute}" if r.metrics.substitute else "")
    return f"{r.gap.font} [{src}]"


def _guess(doc: RedactedDocument, args) -> int:
    chosen = _select(doc, args.redaction)
    known = Constraints(args.length, args.starts, args.ends, args.regex, args.after, args.before)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    with _progress(len(chosen), "ranking") as advance:
        results = []
        for r in chosen:
            results.append((r, r.guess(args.wordlist, top=args.top, constraints=known,
                                       formats=formats)))
            advance()
    if args.csv:
        return _csv([{"id": r.id, "page": r.page, "gap_pt": r.gap.width_pt if r.gap.measurable
                      else None, "sigma_pt": r.gap.sigma_pt, **row}
                     for r, k in results for row in k.records()])
    if args.json:
        print(json.dumps({"file": str(doc.path), "caveat": CAVEAT,
                          "redactions": [r.to_dict(k) for r, k in results]}, indent=1,
                         ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    con = Console()
    for r, k in results:
        g = r.gap
        head = (f"[bold]{r.id}[/bold] page {r.page}  gap {g.width_pt:.3f} ± {g.sigma_pt:.3f} pt "
                f"(box {g.box_width_pt:.2f})  {_font(r)} {g.size_pt or 0:g} pt") if g.measurable \
            else f"[bold]{r.id}[/bold] page {r.page}  {g.note}"
        con.print(head)
        con.print(f"  …{g.context_left[-40:]} [reverse]█████[/reverse] {g.context_right[:40]}…",
                  highlight=False)
        if g.note and g.measurable:
            con.print(f"  [dim]{g.note}[/dim]")
        if k.note:
            con.print(f"  [yellow]{k.note}[/yellow]")
        if k.candidates:
            t = Table(show_edge=False, pad_edge=False)
            for col in ("#", "candidate", "width pt", "residual", "probability", "list"):
                t.add_column(col, justify="left" if col in ("candidate", "list") else "right")
            for i, c in enumerate(k.candidates, 1):
                t.add_row(str(i), c.text, f"{c.width_pt:.3f}", f"{c.residual_pt:+.3f}",
                          f"{c.probability:.1%}", c.source)
            con.print(t)
        con.print(f"  [dim]{k.considered:,} candidates scored, {k.unmeasurable:,} unmeasurable[/dim]\n")
    con.print(f"[dim]{CAVEAT}[/dim]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
