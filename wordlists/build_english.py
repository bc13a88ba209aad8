"""Write `english-words.tsv`: the 50,000 most frequent English words with their frequencies.

Run once by hand (`pip install wordfreq && python wordlists/build_english.py`); the output is
committed. Source: wordfreq (Robyn Speer; code Apache-2.0, data CC BY-SA 4.0, built from
Wikipedia, subtitles, news, books, web text and more). Weight = occurrences per million words.
"""
from __future__ import annotations

from pathlib import Path

import wordfreq

HERE = Path(__file__).resolve().parent
N = 50_000


def main() -> None:
    words = wordfreq.top_n_list("en", N)
    with open(HERE / "english-words.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# English words, top 50,000 by wordfreq (Robyn Speer), data CC BY-SA 4.0. "
                 "weight = per million words.\n")
        for w in words:
            fh.write(f"{w}\t{wordfreq.word_frequency(w, 'en') * 1e6:.6g}\n")
    print(f"words: {len(words)}")


if __name__ == "__main__":
    main()
