"""How often a phrase `redact.rank.seen` takes for a printed name is one.

    python benchmarks/seen_precision.py samples/*.pdf
    python benchmarks/seen_precision.py ../shared/real-court/*.pdf ../shared/real-transcripts/*.pdf

Every phrase taken as a name (full names, and surnames not part of one) is counted once per file
and judged against NOT_NAMES: phrases a person reading the files judged not to be a person's
name (a place, a firm, a heading, a sentence's first words, half of a name). The judgment was
made by reading what these files print; a new file's phrases need reading too (`--list` prints
them). Prints the count, the phrases judged not names, and the precision.
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from redact.errors import RedactError
from redact.pdf.read import read_pdf
from redact.rank.seen import seen_names

NOT_NAMES = re.compile(
    r"(In|See|Santa) .*|Beverly Hills|Florida (Law|State)|(Franklin|Laurel) Street|Golden Gate|"
    r"Justice|King Day|Matthew Enter|Murray Co|Palmer File|Suite|Van (Dyke|Nest)|Jim Van|Na|"
    r"Reed Smith|Manual Notice|Bryan Cave|Orange|Levi William")


def phrases(path: str) -> list[str]:
    """The names `redact.rank.seen` finds in a file: full names, and surnames not part of one."""
    layout = read_pdf(path, require_bars=False)
    seen = seen_names((p.number, line.text) for p in layout.pages for line in p.lines)
    return sorted(set(seen.full) | {s for s in seen.surnames
                                    if not any(f.endswith(" " + s) for f in seen.full)})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+")
    ap.add_argument("--list", action="store_true", help="print each file's phrases")
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    taken, wrong = 0, []
    for path in opts.pdfs:
        try:
            found = phrases(path)
        except RedactError as err:
            print(f"skipped: {err}", file=sys.stderr)
            continue
        taken += len(found)
        wrong += [p for p in found if NOT_NAMES.fullmatch(p)]
        if opts.list:
            print(path, found)
    out = {"files": len(opts.pdfs), "phrases": taken, "not_names": len(wrong),
           "precision": round(1 - len(wrong) / taken, 3) if taken else None,
           "judged_not_names": sorted(set(wrong))}
    print(json.dumps(out, indent=1) if opts.json else
          f"{taken} phrases taken for names, {len(wrong)} not names: precision "
          f"{out['precision']}\n{sorted(set(wrong))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
