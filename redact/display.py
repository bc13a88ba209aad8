"""Plain-data and notebook views shared by the domain objects (documents, rankings)."""
from __future__ import annotations

import html
import math


def html_table(headers: list[str], rows: list[list[str]], before: str = "", after: str = "") -> str:
    """An HTML table for Jupyter. Cells are HTML already (escape text with `esc`)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"{before}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{after}"


def esc(text) -> str:
    return html.escape(str(text))


def dataframe(records: list[dict]):
    """Records as a pandas DataFrame (pandas is not a dependency: install it)."""
    import pandas as pd

    return pd.DataFrame.from_records(records)


def rounded(x, nd: int = 3):
    """A number for JSON: rounded, or None when missing or not finite."""
    return None if x is None or not math.isfinite(x) else round(float(x), nd)


def flat(d: dict, prefix: str = "") -> dict:
    """A nested dict as one record: nested keys joined by "." (pandas' json_normalize
    convention), so a record's column is the JSON path of the same quantity."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def points(x, signed: bool = False) -> str:
    """A width for people: "12.345" (or "+0.012"), or "—" where none was measured."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """`word` for one, its plural for any other count: f"{n} {plural(n, 'bar')}"."""
    return word if n == 1 else (many or word + ("es" if word.endswith(("s", "x")) else "s"))


def count(n: int, word: str, many: str | None = None) -> str:
    """A count and its noun: "1 bar", "2 bars", "1,024 pages"."""
    return f"{n:,} {plural(n, word, many)}"
