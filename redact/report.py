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

from . import __version__, proof
from .api import CAVEAT, RedactedDocument, Redaction
from .display import esc, points
from .errors import RedactError
from .candidates import Constraints
from .leaks import find_leaks
from .rank import Ranking, percent

PROOF_PX_PER_PT = 3.0  # pictures in the report: 216 dpi keeps a long document's file small

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin: 0 0 .3em; }
.caveat { background: #fff6d6; border-left: 4px solid #e0a800; padding: .6em 1em; }
section.bar { border-top: 1px solid #ccc; padding: 1em 0; }
.context { font-family: Georgia, serif; } .hidden { background: #000; color: #000; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { padding: .15em .7em; text-align: right; border-bottom: 1px solid #eee; }
td.text, th.text { text-align: left; }
img { max-width: 100%; border: 1px solid #ddd; display: block; }
figure { margin: .6em 0; } figcaption { font-size: .9em; color: #555; }
.note { color: #8a5a00; } .muted { color: #777; font-size: .9em; }
"""


def render(doc: RedactedDocument, top: int = 10, proofs: int = 3,
           wordlists: list[str] | None = None, constraints: Constraints | None = None,
           formats: tuple[str, ...] = (), redactions: list[Redaction] | None = None,
           progress=None) -> str:
    """The report as one HTML string: `top` candidates a bar (ranked as `Redaction.guess` ranks
    them with `wordlists`, `constraints` and `formats`), pictures of the best `proofs`, and
    first the leak check (text still under boxes needs no guessing). `redactions`: only these
    bars (default: all). `progress`: called with no argument after each bar."""
    sections, summary = [], []
    for r in doc.redactions if redactions is None else redactions:
        ranking = (r.guess(wordlists, top=top, constraints=constraints, formats=formats)
                   if r.gap.measurable else None)
        sections.append(_section(r, ranking, proofs))
        best = ranking.candidates[0] if ranking and ranking.candidates else None
        summary.append(f'<tr><td class="text"><a href="#{esc(r.id)}">{esc(r.id)}</a></td>'
                       f"<td>{r.page}</td><td>{_gap(r)}</td>"
                       f'<td class="text">{esc(best.text) if best else "—"}</td>'
                       f"<td>{percent(best.probability) if best else '—'}</td></tr>")
        if progress:
            progress()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>redact report: {esc(doc.path.name)}</title><style>{STYLE}</style></head>
<body>
<h1>Redactions in {esc(doc.path.name)}</h1>
<p class="muted">{len(doc)} bars &middot; made by redact {__version__} on {stamp}</p>
<p class="caveat"><b>Results are probabilistic.</b> Each bar's width is measured from the glyphs
on either side of it and compared with the width every candidate would take in the document's
font. {esc(CAVEAT)} A candidate that fits is a lead, not a finding.</p>
{_leaks(doc)}
<table><thead><tr><th class="text">bar</th><th>page</th><th>gap (pt)</th>
<th class="text">best guess</th><th>probability</th></tr></thead>
<tbody>{''.join(summary)}</tbody></table>
{''.join(sections)}
</body></html>
"""


def write(doc: RedactedDocument, path: str | Path, **kwargs) -> Path:
    """Write the report (see `render`) to `path`."""
    path = Path(path)
    path.write_text(render(doc, **kwargs), encoding="utf-8")
    return path


def _leaks(doc: RedactedDocument) -> str:
    """The leak check's findings (see `redact.leaks`): text the file still holds under boxes."""
    try:
        found = find_leaks(doc.path, doc.password)
    except RedactError as err:
        return f'<p class="note">The leak check could not run: {esc(err)}</p>'
    if not found.leaks and not found.complete:
        pages = ", ".join(str(u["page"]) for u in found.unchecked)
        return (f'<p class="note"><b>Leak check incomplete:</b> no text hidden under boxes on the '
                f"{found.checked_pages} pages checked, but pages {esc(pages)} could not be "
                "checked.</p>")
    if not found.leaks:
        return ("<p>Leak check: no text is hidden under the boxes of this file (what they "
                "covered was removed), so the widths below are the evidence.</p>")
    rows = "".join(f'<tr><td>{f.page}</td><td class="text">{esc(f.kind)}</td>'
                   f'<td class="text"><b>{esc(f.text)}</b></td></tr>' for f in found.leaks)
    return (f'<p class="note"><b>Leak check: {len(found.leaks)} boxes still have their text '
            "under them</b> (copy it from the PDF to confirm):</p><table><thead><tr><th>page</th>"
            f'<th class="text">how</th><th class="text">text</th></tr></thead><tbody>{rows}'
            "</tbody></table>")


def _gap(r: Redaction) -> str:
    g = r.gap
    return f"{g.width_pt:.3f} ± {g.sigma_pt:.3f}" if g.measurable else "—"


def _index_slots(r: Redaction) -> list[str]:
    """Crops of the word index where the entries that may hold this bar's word are blacked
    out, each with its bracket (the evidence the ranking used, see `redact.wordindex`)."""
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


def _section(r: Redaction, ranking: Ranking | None, proofs: int) -> str:
    g = r.gap
    cite = f" &middot; transcript {esc(r.citation)}" if r.citation else ""
    parts = [f'<section class="bar" id="{esc(r.id)}"><h2>{esc(r.id)} &middot; page {r.page}{cite}</h2>',
             f'<p class="context">…{esc(g.context_left[-60:])} <span class="hidden">'
             f'{"█" * 6}</span> {esc(g.context_right[:60])}…</p>']
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
    if ranking is None:
        parts.append("<p>The gap could not be measured: no candidates.</p></section>")
        return "".join(parts)
    if ranking.note:
        parts.append(f'<p class="note">{esc(ranking.note)}</p>')
    parts += _index_slots(r)
    links = ranking.linked
    if links:
        parts.append("<p class=\"muted\">Solved jointly with " + "; ".join(
            f'<a href="#{esc(lk.id.split(", ")[0])}">{esc(lk.id)}</a> ({esc(lk.why)}, '
            f"Bayes factor {lk.bayes_factor:.3g})" for lk in links[:6]) + "</p>")
    if ranking.candidates:
        rows = "".join(
            f'<tr><td>{i}</td><td class="text"><b>{esc(c.text)}</b></td><td>{points(c.width_pt)}</td>'
            f'<td>{points(c.residual_pt, True)}</td><td>{percent(c.probability)}</td>'
            f'<td class="text">{esc(c.wordlist)}</td></tr>'
            for i, c in enumerate(ranking.candidates, 1))
        parts.append('<table><thead><tr><th>#</th><th class="text">candidate</th><th>width pt'
                     '</th><th>residual pt</th><th>probability</th><th class="text">wordlist</th>'
                     f"</tr></thead><tbody>{rows}</tbody></table>")
        parts.append(f'<p class="muted">{ranking.considered:,} candidates scored.</p>')
        for i, c in enumerate(ranking.candidates[:proofs], 1):
            img = proof.candidate_panel(r, c.text, PROOF_PX_PER_PT)
            parts.append(f"<figure>{_img(img, 'proof', f'{c.text} drawn into the gap')}"
                         f"<figcaption>{i}. <b>{esc(c.text)}</b> drawn into the gap in the "
                         f"document's font: {percent(c.probability)}, residual {points(c.residual_pt, True)} pt"
                         " (red ticks: the measured gap; blue tick: where the candidate ends)"
                         "</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts)
