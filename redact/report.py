"""One self-contained HTML report of a document: every bar, its gap, its candidates, and the
pictures that show each candidate in the gap (see `redact.proof`).

    from redact import report
    report.write(redact.open("samples/reportlab-serif.pdf"), "report.html")

The file holds its pictures inline (PNG data URIs), no script and no outside resource: it opens
offline, and can be mailed or archived as it is.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import __version__, proof
from .api import CAVEAT, RedactedDocument, Redaction
from .api import leak_check as run_leak_check
from .display import count, esc, points
from .errors import RedactError
from .pdf.layout import BAR_MARK
from .pdf.leaks import KINDS, LeakReport
from .rank.candidates import Constraints
from .rank.score import Ranking, percent
from .rank.verdict import Verdict, bar_verdict

PROOF_PX_PER_PT = 3.0  # pictures in the report: 216 dpi keeps a long document's file small

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin: 0 0 .3em; }
.caveat { background: #fff6d6; border-left: 4px solid #e0a800; padding: .6em 1em; }
section.bar { border-top: 1px solid #ccc; padding: 1em 0; }
.context { font-family: Georgia, serif; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { padding: .15em .7em; text-align: right; border-bottom: 1px solid #eee; }
td.text, th.text { text-align: left; }
img { max-width: 100%; border: 1px solid #ddd; display: block; }
figure { margin: .6em 0; } figcaption { font-size: .9em; color: #555; }
.note { color: #8a5a00; } .muted { color: #777; font-size: .9em; }
.leak { color: #a00000; } .verdict { font-weight: 600; }
.other { background: #555; color: #fff; font: .8em monospace; }
.hidden { background: #000; color: #fff; font: .8em monospace; }
tr.s-given-away td, section.s-given-away .verdict { color: #a00000; font-weight: 700; }
tr.s-strong td { font-weight: 600; }
tr.s-weak td, tr.s-none td, section.s-weak .verdict, section.s-none .verdict { color: #888; }
"""


def render(doc: RedactedDocument, top: int = 10, proofs: int = 1,
           wordlists: list[str] | None = None, constraints: Constraints | None = None,
           formats: tuple[str, ...] = (), redactions: list[Redaction] | None = None,
           progress=None, leak_check: LeakReport | None = None) -> str:
    """The report as one HTML string: first the leak check (text still under boxes, names the
    word index gives away: `api.leak_check`, run here unless given), then every bar with its
    verdict, strongest first: `top` candidates (ranked as `Redaction.guess` ranks them with
    `wordlists`, `constraints` and `formats`), a plot of their residuals, and pictures of the
    best `proofs` drawn into the gap. `redactions`: only these bars (default: all).
    `progress`: called with no argument after each bar."""
    check = leak_check
    error = ""
    if check is None:
        try:
            check = run_leak_check(doc.path, doc.password, doc=doc)
        except RedactError as err:
            error = str(err)
    bars = []
    for r in doc.redactions if redactions is None else redactions:
        ranking = r.guess(wordlists, top=top, constraints=constraints, formats=formats)
        bars.append((r, ranking, bar_verdict(r, ranking, check)))
        if progress:
            progress()
    bars.sort(key=lambda it: it[2].order)
    summary = []
    for r, ranking, v in bars:
        best = ranking.candidates[0] if ranking.candidates else None
        summary.append(f'<tr class="{_css(v)}"><td class="text"><a href="#{esc(r.id)}">{esc(r.id)}'
                       f"</a></td><td>{r.page}</td><td>{_gap(r)}</td>"
                       f'<td class="text">{esc(best.text) if best else "—"}</td>'
                       f"<td>{percent(best.probability) if best else '—'}</td>"
                       f'<td class="text">{esc(v.line())}</td></tr>')
    sections = [_section(r, ranking, v, proofs) for r, ranking, v in bars]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>redact report: {esc(doc.path.name)}</title><style>{STYLE}</style></head>
<body>
<h1>Redactions in {esc(doc.path.name)}</h1>
<p class="muted">{count(len(bars), "bar")} &middot; made by redact {__version__} on {stamp}</p>
<p class="caveat"><b>Results are probabilistic.</b> Each bar's width is measured from the glyphs
on either side of it and compared with the width every candidate would take in the document's
font. {esc(CAVEAT)} A candidate that fits is a lead, not a finding. Bars are listed strongest
first: <b>given away</b> (a leak, or the word index, prints the text), <b>narrowed by the
index</b>, <b>width only</b>; "90% over N" says how many candidates share 90% of the
probability.</p>
{_leaks(check, error)}
<table><thead><tr><th class="text">bar</th><th>page</th><th>gap (pt)</th>
<th class="text">best guess</th><th>probability</th><th class="text">verdict</th></tr></thead>
<tbody>{''.join(summary)}</tbody></table>
{''.join(sections)}
</body></html>
"""


def write(doc: RedactedDocument, path: str | Path, **kwargs) -> Path:
    """Write the report (see `render`) to `path`."""
    path = Path(path)
    path.write_text(render(doc, **kwargs), encoding="utf-8")
    return path


def _leaks(check: LeakReport | None, error: str = "") -> str:
    """The leak check's answer (see `api.leak_check`): text the file still holds under
    boxes, names its word index gives away, and what was not checked."""
    if check is None:
        return f'<p class="note"><b>The leak check could not run:</b> {esc(error)}</p>'
    if not check.leaks:
        cls = "muted" if check.complete else "note"
        return f'<p class="{cls}"><b>{esc(check.headline())}</b></p>'
    rows = "".join(f'<tr><td>{f.page}</td><td class="text">{esc(KINDS.get(f.kind, (f.kind,))[0])}'
                   f'</td><td class="text"><b>{esc(f.text)}</b></td>'
                   f'<td class="text">{esc(f.citation or "")}</td></tr>' for f in check.leaks)
    rest = (f'<p class="note">Not checked in full: {esc(check.unchecked_text())}</p>'
            if not check.complete else "")
    return (f'<p class="leak"><b>{esc(check.headline())}</b> (copy the text from the PDF, or '
            "read the index, to confirm):</p><table><thead><tr><th>page</th>"
            '<th class="text">what</th><th class="text">text</th><th class="text">citation</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>{rest}")


def _css(v: Verdict) -> str:
    """A verdict's strength as a CSS class (the rows and sections are styled by it)."""
    return "s-" + v.strength.replace(" ", "-")


def _gap(r: Redaction) -> str:
    g = r.gap
    return f"{g.width_pt:.3f} ± {g.sigma_pt:.3f}" if g.measurable else "—"


def _index_slots(r: Redaction) -> list[str]:
    """Crops of the word index where the entries that may hold this bar's word are blacked
    out, each with its bracket (the evidence the ranking used, see `redact.transcripts.wordindex`)."""
    doc = r.document
    ev = doc.index_evidence.get(r.id) if doc is not None and doc.use_index else None
    if ev is None or not ev.cited:
        return []
    out = []
    for entry, (after, before) in list(zip(ev.entries, ev.brackets))[:4]:
        slot = doc.redaction_of(doc.index.entries[entry].word_bar)
        if slot is not None:
            out.append(f"<figure>{_img(proof.crop(slot, PROOF_PX_PER_PT), 'crop', 'index slot')}"
                       f"<figcaption>the word index ({esc(slot.id)}): a hidden entry between "
                       f"<b>{esc(after)}</b> and <b>{esc(before)}</b>, citing {esc(r.citation)}"
                       "</figcaption></figure>")
    return out


def _img(img, cls: str, alt: str) -> str:
    data = base64.b64encode(proof.png_bytes(img)).decode("ascii")
    return f'<img class="{cls}" alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def _section(r: Redaction, ranking: Ranking, verdict: Verdict, proofs: int) -> str:
    g = r.gap
    cite = f" &middot; transcript {esc(r.citation)}" if r.citation else ""
    parts = [f'<section class="bar {_css(verdict)}" id="{esc(r.id)}"><h2>{esc(r.id)} &middot; '
             f"page {r.page}{cite}</h2>",
             f'<p class="verdict">{esc(verdict.line())}</p>',
             f'<p class="context">…{_marked(g.context_left[-60:])} <span class="hidden">'
             f'&nbsp;{esc(r.id)}&nbsp;</span> {_marked(g.context_right[:60])}…</p>']
    facts = [f"box {g.box_width_pt:.2f} pt wide"]
    if g.measurable:
        m = r.metrics
        src = (m.source + (f" + {m.substitute}" if m.substitute else "")) if m else "no metrics"
        facts = [f"gap <b>{g.width_pt:.3f} ± {g.sigma_pt:.3f} pt</b> between the glyphs "
                 f"on either side ({g.edges} edges measured)", *facts,
                 f"font {esc(g.font)} at {g.size_pt:g} pt ({esc(src)})"]
    parts.append("<p>" + "; ".join(facts) + "</p>")
    if g.note:
        parts.append(f'<p class="note">{esc(g.note)}</p>')
    parts.append(_img(proof.crop(r, PROOF_PX_PER_PT), "crop", f"the line around {r.id} as published"))
    if ranking.note:
        parts.append(f'<p class="note">{esc(ranking.note)}</p>')
    parts += _index_slots(r)
    links = ranking.linked
    if links:
        parts.append("<p class=\"muted\">Solved jointly with " + "; ".join(
            f'<a href="#{esc(lk.id.split(", ")[0])}">{esc(lk.id)}</a> ({esc(lk.why)}, '
            f"Bayes factor {lk.bayes_factor:.3g}: how much more likely the two widths are if "
            "the bars hide one name)" for lk in links[:6]) + "</p>")
    if ranking.candidates:
        rows = "".join(
            f'<tr><td>{i}</td><td class="text"><b>{esc(c.text)}</b></td><td>{points(c.width_pt)}</td>'
            f'<td>{points(c.residual_pt, True)}</td><td>{percent(c.probability)}</td>'
            f'<td class="text">{esc(c.wordlist)}</td></tr>'
            for i, c in enumerate(ranking.candidates, 1))
        parts.append('<table><thead><tr><th>#</th><th class="text">candidate</th><th>width pt'
                     '</th><th>residual pt</th><th>probability</th><th class="text">wordlist</th>'
                     f"</tr></thead><tbody>{rows}</tbody></table>")
        parts.append(f'<p class="muted">{count(ranking.considered, "candidate")} scored.</p>')
        if g.measurable and any(np.isfinite(c.residual_pt) for c in ranking.candidates):
            parts.append(f"<figure>{_img(proof.residual_plot(r, ranking.candidates), 'plot', 'residuals')}"
                         "<figcaption>Where the candidates differ: each one's residual (the gap "
                         "minus its width) against the measured uncertainty. A dot outside the "
                         "grey band fits worse than the measurement allows.</figcaption></figure>")
        drawn = [c for c in ranking.candidates[:proofs] if np.isfinite(c.residual_pt)] \
            if g.measurable and r.metrics is not None else []
        for i, c in enumerate(drawn, 1):
            img = proof.candidate_panel(r, c.text, PROOF_PX_PER_PT)
            parts.append(f"<figure>{_img(img, 'proof', f'{c.text} drawn into the gap')}"
                         f"<figcaption>{i}. <b>{esc(c.text)}</b> drawn into the gap in the "
                         f"document's font: {percent(c.probability)}, residual "
                         f"{points(c.residual_pt, True)} pt"
                         " (red ticks: the measured gap; blue tick: where the candidate ends)"
                         "</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts)


def _marked(text: str) -> str:
    """Context text with the line's other bars as numbered black blocks."""
    out, last = [], 0
    for m in BAR_MARK.finditer(text):
        out.append(esc(text[last:m.start()]))
        out.append(f'<span class="other">&nbsp;{esc(m.group(1))}&nbsp;</span>')
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)
