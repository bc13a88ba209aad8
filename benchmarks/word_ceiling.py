"""How well can any per-glyph width model predict a word it has not seen? A ceiling on real
filings (issue 12).

    python benchmarks/word_ceiling.py ../shared/real-court/*.pdf
    python benchmarks/word_ceiling.py ../shared/real-court/*.pdf --json
    python benchmarks/word_ceiling.py ../shared/real-court/*.pdf --min-letters 5
    python benchmarks/real.py ../shared/real-court/*.pdf --seeds 6 --json > run.json
    python benchmarks/word_ceiling.py ../shared/real-court/*.pdf --hidden run.json

The tool predicts a hidden word's width as a sum of its glyphs' advances (the font's, or the
ones the document's own words teach, `document.learned_advances`). Word lays a line out with
its own hinted widths and spreads rounding pixels over a word, so the printed width of a word
is not a sum of per-glyph constants. This script measures, on every printed word of each
filing (its extent: first glyph's origin to the origin of the space after it), what the best
model of that class could do, with no gap measurement involved:

- `font`: the font's advances alone (median |extent - sum of advances - median bias|);
- `per_glyph_held_out`: each glyph's own advance fitted by least squares on one word in two and
  tested on the others, both ways (the best sum-of-advances model, for a word it has not seen:
  the hidden name is never printed elsewhere when a redactor was careful);
- `gap_held_out`, `gap_typical_held_out`: the same, measured as a bar measures the word (from
  the end of the space before it), fitted by least squares or to the words' typical width
  (`redact.measure.advances._typical`);
- `same_word`: each occurrence of a word printed three times or more, predicted by the median
  of its other occurrences (how far a word's printed width varies with where it stands: no
  model of the word alone beats this).

Words whose extent is more than 0.5 pt off the font's prediction are set aside (a second text
layer, a tab, a justified space). Per producer family, pooled over its files' words.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from real import family  # noqa: E402

from redact.errors import RedactError
from redact.pdf.read import read_pdf

MIN_WORDS = 100  # per font and size
RIDGE_WORDS = 0.1  # barely: the best fit the words allow, kept finite for unseen glyphs
TYPICAL_PT = 0.06  # half a 600 dpi step
OFF_PT = 0.5  # a word this far off the font's prediction is not laid out like the others


def printed_words(path: Path) -> dict[tuple, list[tuple[str, float, float]]]:
    """Per (font, size): every word between two space glyphs on its line, as (text, extent,
    sum of the font's advances, gap), in points. The gap is what a bar over the word would
    measure: from the end of the space before it (its origin plus the line's median space
    advance) to the origin of the space after it."""
    out: dict[tuple, list] = defaultdict(list)
    layout = read_pdf(path, require_bars=False)
    for page in layout.pages:
        for line in page.lines:
            g = line.glyphs
            spaces = [i for i, x in enumerate(g) if x.text.isspace()]
            advances = [g[i + 1].x_pt - g[i].x_pt for i in spaces if i + 1 < len(g)]
            if not advances:
                continue
            space = float(np.median(advances))
            for a, b in zip(spaces, spaces[1:]):
                word = g[a + 1:b]
                if len(word) >= 2 and all(w.font == g[b].font and w.size_pt == g[b].size_pt
                                          for w in word):
                    out[word[0].font_size].append((
                        "".join(w.text for w in word), g[b].x_pt - word[0].x_pt,
                        sum(w.advance_pt for w in word), g[b].x_pt - g[a].x_pt - space))
    return out


class _Words:
    """One font's printed words as equations: their texts, extents, the font's sums of
    advances, gaps (see `printed_words`), and glyph counts; words far off the font's prediction
    set aside (a second text layer, a tab, a justified space)."""

    def __init__(self, words: list[tuple[str, float, float, float]]):
        text = [w[0] for w in words]
        extent, font, gap = (np.array([w[k] for w in words]) for k in (1, 2, 3))
        self.bias = float(np.median(extent - font))
        keep = (np.abs(extent - font - self.bias) <= OFF_PT) & (np.abs(gap - extent) <= OFF_PT)
        self.text = [t for t, k in zip(text, keep) if k]
        self.extent, self.font, self.gap = extent[keep], font[keep], gap[keep]
        chars = sorted({c for t in self.text for c in t})
        col = {c: i for i, c in enumerate(chars)}
        self.counts = np.zeros((len(self.text), len(chars) + 1))
        self.counts[:, -1] = 1.0  # the word's share of the line's spacing
        for i, t in enumerate(self.text):
            for c in t:
                self.counts[i, col[c]] += 1

    def fitted(self, y, fit, test, typical=False):
        """|error| on the `test` words of least squares of y over the glyph counts fitted on
        the `fit` words, as offsets from the font's advances (a glyph the fit never saw keeps
        the font's), drawn towards them by RIDGE_WORDS words; `typical`: refitted over the
        words within half a 600 dpi step of the fit, until those stop changing (the words'
        typical width, as `redact.measure.advances._typical`)."""
        c, r = self.counts[fit], (y - self.font)[fit]

        def solve(c, r):
            return np.linalg.solve(c.T @ c + RIDGE_WORDS * np.eye(c.shape[1]), c.T @ r)

        a = solve(c, r)
        near = None
        while typical:
            keep = np.abs(r - c @ a) <= TYPICAL_PT
            if keep.sum() < 0.5 * len(r) or (near is not None and np.array_equal(keep, near)):
                break
            near, a = keep, solve(c[keep], r[keep])
        return np.abs((y - self.font)[test] - self.counts[test] @ a)


def ceilings(words: list[tuple[str, float, float, float]], min_letters: int = 0
             ) -> dict[str, np.ndarray]:
    """Absolute errors of the predictions (see the module's doc) over these words; with
    `min_letters`, only of the words of that many lowercase letters or more (the fits still
    learn from every word), as the harness hides (`benchmarks/real.py`: ordinary words)."""
    eq = _Words(words)
    text, extent, font, gap = eq.text, eq.extent, eq.font, eq.gap
    bias = eq.bias
    tested = np.array([len(t) >= min_letters and (not min_letters or t.isalpha() and t.islower())
                       for t in text], bool)

    def fitted(y, fit, test, typical=False):
        return eq.fitted(y, fit, test & tested, typical)

    half = np.arange(len(text)) % 2 == 0
    every = np.ones(len(text), bool)
    same = defaultdict(list)
    for t, e, k in zip(text, extent, tested):
        if k:
            same[t].append(e)
    loo = [abs(v[i] - np.median(v[:i] + v[i + 1:])) for v in same.values() if len(v) >= 3
           for i in range(len(v))]
    return {"font": np.abs(extent - font - bias)[tested],
            "per_glyph_held_out": np.concatenate([fitted(extent, h, ~h) for h in (half, ~half)]),
            "per_glyph_in_sample": fitted(extent, every, every),
            "gap_held_out": np.concatenate([fitted(gap, h, ~h) for h in (half, ~half)]),
            "gap_typical_held_out": np.concatenate([fitted(gap, h, ~h, typical=True)
                                                    for h in (half, ~half)]),
            "gap_in_sample": fitted(gap, every, every),
            "same_word": np.array(loo)}


def hidden_ceilings(words: list[tuple[str, float, float, float]], hidden: set[str]
                    ) -> dict[str, np.ndarray]:
    """The same bound on the very words a harness run hid: each printed occurrence of a hidden
    text, predicted from every other word of the font with that text left out (as a careful
    redactor leaves it nowhere): its extent alone (no edge to measure) and as a bar measures
    it, each by least squares and to the typical width."""
    eq = _Words(words)
    out: dict[str, list] = {"extent_held_out": [], "extent_typical_held_out": [],
                            "gap_held_out": [], "gap_typical_held_out": []}
    for t in sorted(set(eq.text) & hidden):
        test = np.array([x == t for x in eq.text])
        out["extent_held_out"].append(eq.fitted(eq.extent, ~test, test))
        out["extent_typical_held_out"].append(eq.fitted(eq.extent, ~test, test, typical=True))
        out["gap_held_out"].append(eq.fitted(eq.gap, ~test, test))
        out["gap_typical_held_out"].append(eq.fitted(eq.gap, ~test, test, typical=True))
    return {k: np.concatenate(v) if v else np.array([]) for k, v in out.items()}


def on_hidden(results: dict, folder: Path) -> dict:
    """Per producer family, the bound of `hidden_ceilings` on the words of a `real.py --json`
    run, beside that run's own median |gap - truth| on them."""
    bound: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for res in results["files"]:
        rows = [r for r in res["rows"] if r["found"] and " " not in r["text"]]
        if not rows:
            continue
        found = printed_words(folder / res["file"])
        for words in found.values():
            if len(words) >= MIN_WORDS:
                for k, v in hidden_ceilings(words, {r["text"] for r in rows}).items():
                    bound[res["family"]][k].append(v)
        bound[res["family"]]["harness"].append(
            np.array([r["error_pt"] for r in rows if np.isfinite(r["error_pt"])]))
    return {fam: {k: {"bars": int(sum(x.size for x in v)),
                      "median_pt": round(float(np.median(np.concatenate(v))), 4)}
                  for k, v in d.items() if sum(x.size for x in v)}
            for fam, d in sorted(bound.items())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--min-letters", type=int, default=0, help="measure only words of this "
                    "many lowercase letters or more (5: the harness's ordinary words)")
    ap.add_argument("--hidden", type=Path, help="a `real.py --json` run's output: the bound on "
                    "the words it hid (each left out of the fit), beside its own median; the "
                    "PDFs are looked up beside the first one given")
    args = ap.parse_args()
    if args.hidden:
        out = on_hidden(json.loads(args.hidden.read_text()), args.pdfs[0].parent)
        if args.json:
            print(json.dumps(out, indent=1))
            return
        print("median |error| on the words the harness hid, pt (bars)")
        for fam, s in out.items():
            print(f"{fam:22s}" + "".join(f"  {k} {v['median_pt']:.3f} ({v['bars']})"
                                         for k, v in s.items()))
        return
    rows, pooled = [], defaultdict(lambda: defaultdict(list))
    for pdf in args.pdfs:
        try:
            found = printed_words(pdf)
        except RedactError:
            continue
        fam = family(pdf)
        for key, words in found.items():
            if len(words) < MIN_WORDS:
                continue
            errs = ceilings(words, args.min_letters)
            rows.append({"file": pdf.name, "family": fam, "font_name": key[0], "size_pt": key[1],
                         "words": int(errs["font"].size),
                         **{k: round(float(np.median(v)), 4) if v.size else None
                            for k, v in errs.items()}})
            for k, v in errs.items():
                pooled[fam][k].append(v)
    summary = {fam: {k: round(float(np.median(np.concatenate(v))), 4) for k, v in d.items()
                     if sum(x.size for x in v)} for fam, d in sorted(pooled.items())}
    if args.json:
        print(json.dumps({"files": rows, "summary": summary}, indent=1))
        return
    print("median |error| of a word's printed width, pt")
    cols = ("font", "per_glyph_held_out", "per_glyph_in_sample", "gap_held_out",
            "gap_typical_held_out", "gap_in_sample", "same_word")
    print(f"{'family':22s}" + "".join(f" {c:>19s}" for c in cols))
    for fam, s in summary.items():
        print(f"{fam:22s}" + "".join(f" {s.get(c, float('nan')):19.3f}" for c in cols))


if __name__ == "__main__":
    main()
