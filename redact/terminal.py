"""How the CLI shows data on a terminal: rich tables whose numbers are never cut, CSV and JSON
on stdout, a progress bar, a bar's line with the other bars of it as numbered blocks, and the
leak check's one-line answer.
"""
from __future__ import annotations

import contextlib
import csv
import json
import sys

from rich.markup import escape

from . import commands
from .display import rounded


@contextlib.contextmanager
def progress(total: int, what: str):
    """A progress bar on stderr while bars are ranked, only on a terminal: yields `advance()`."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def csv_rows(rows: list[dict], status: int = 0) -> int:
    """Rows as CSV on stdout (columns: the JSON paths); numbers as JSON rounds them."""
    fields = list(dict.fromkeys(k for row in rows for k in row))
    w = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                    else rounded(v, 6) if isinstance(v, float) else v for k, v in row.items()})
    return status


def json_out(data: dict, status: int = 0) -> int:
    """A command's JSON result, written to stdout as it is encoded (a long transcript's is tens
    of megabytes); returns `status`."""
    json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return status


def font_label(r) -> str:
    if r.metrics is None:
        return "—"
    src = r.metrics.source + (f" + {r.metrics.substitute}" if r.metrics.substitute else "")
    return f"{r.gap.font} [{src}]"


STYLE = {"given away": "bold red", "strong": "bold", "moderate": "default", "weak": "dim",
         "none": "dim"}  # a verdict's strength (`rank.verdict.Verdict.strength`), as tables show it


TEXT_MIN_WIDTH = 8  # a text column folds, but never narrower than this (or its widest cell)


def console():
    from rich.console import Console

    return Console()


def table(title: str | None, columns: list[str], rows: list[list[str]],
           numeric: tuple[str, ...] = (), edge: bool = True):
    """A rich table whose numbers never wrap or get cut (their columns are as wide as their
    widest cell); text columns fold onto more lines on a narrow terminal."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, title_justify="left", show_edge=edge, pad_edge=edge)
    for i, col in enumerate(columns):
        if col in numeric:
            wide = max([Text.from_markup(row[i]).cell_len for row in rows] + [1])
            t.add_column(col, justify="right", no_wrap=True, min_width=wide)
        else:  # folds onto more lines, but keeps a word's width where it can
            wide = max([Text.from_markup(row[i]).cell_len for row in rows] + [len(col)])
            t.add_column(col, overflow="fold", min_width=min(wide, TEXT_MIN_WIDTH))
    for row in rows:
        t.add_row(*row)
    return t


def line(r, chars: int, markup: bool = False) -> str:
    """The bar's line as the page shows it: the text either side, this bar as a block with its
    id, every other bar of the line as a numbered block (█p1-4█)."""
    g = r.gap
    left, right = g.context_left[-chars:], g.context_right[:chars]
    if not markup:
        return f"…{left} ▐{r.id}▌ {right}…"
    return f"…{escape(left)} [reverse] {r.id} [/reverse] {escape(right)}…"


def print_check(con, check, file) -> None:
    """The leak check's answer, as every command prints it before its own output."""
    style = "bold red" if check.leaks else ("yellow" if not check.complete else "dim")
    # soft_wrap: one line whatever the terminal's width, so grep and a pipe see the whole answer
    con.print(f"[{style}]{escape(str(file))}: {escape(commands.check_line(check))}[/]", soft_wrap=True)
