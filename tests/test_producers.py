"""Producer physics: kerning, justification, TeX's wider sentence spaces, calibration, leftovers."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES, pymupdf_redacted, reportlab_redacted

import redact
from redact.rank import candidates as cand

XRAY = Path(__file__).resolve().parent.parent.parent / "shared" / "xray-assets"


@pytest.mark.parametrize("name,kerns", [("reportlab-serif", False), ("libreoffice-serif", True),
                                        ("chromium-serif", True), ("pdftex-lmodern", True)])
def test_kerning_decided_per_document(name, kerns):
    doc = redact.open(SAMPLES / f"{name}.pdf")
    assert doc.redactions[0].kerning is kerns


def test_kerning_at_the_bar_edges_counts():
    """LibreOffice kerns a space against a capital; a name after a visible space keeps it."""
    doc = redact.open(SAMPLES / "libreoffice-serif.pdf")
    m = doc.redactions[0].metrics
    assert m.kern_em[(" ", "A")] < 0 and m.kern_em[("T", "a")] < 0


@pytest.mark.parametrize("name", ["chromium-serif", "reportlab-serif", "pdftex-lmodern"])
def test_justified_gaps_match(name):
    key = json.loads((SAMPLES / f"{name}.json").read_text())["redactions"]
    doc = redact.open(SAMPLES / f"{name}.pdf")
    errs = [abs(r.gap.width_pt - r.width_of(k["text"]))
            for r, k in zip(doc.redactions, key) if r.gap.edges == "both"]
    assert len(errs) > 10 and np.median(errs) < 0.03


def test_tex_sentence_space_after_title():
    """pdfTeX sets a wider space after 'Mr.' (its sentence space); the gap after a title must
    hold that space, not a plain one."""
    key = json.loads((SAMPLES / "pdftex-lmodern.json").read_text())["redactions"]
    doc = redact.open(SAMPLES / "pdftex-lmodern.pdf")
    after = [(r, k) for r, k in zip(doc.redactions, key)
             if r.gap.left is not None and r.gap.left.text == "." and r.gap.edges == "both"]
    assert len(after) >= 5
    for r, _ in after:
        assert r.gap.left_space_pt > r.gap.line.space_pt
    errs = [abs(r.gap.width_pt - r.width_of(k["text"])) for r, k in after]
    assert np.median(errs) < 0.05


def test_calibrate_reports_residuals_per_font():
    p = subprocess.run([sys.executable, "-m", "redact.cli", "calibrate",
                        str(SAMPLES / "libreoffice-serif.pdf"), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    (font,) = json.loads(p.stdout)["fonts"]
    assert font["words"] >= 100 and font["kerning"] is True
    assert 0.01 < font["median_abs_pt"] < 0.1 and font["p95_abs_pt"] >= font["median_abs_pt"]
    # ranking uses at least that spread
    doc = redact.open(SAMPLES / "libreoffice-serif.pdf")
    assert all(r.gap.sigma_pt >= doc.calibration[r.gap.font].sigma_pt - 1e-12
               for r in doc.redactions if r.gap.font in doc.calibration)
    exact = redact.open(SAMPLES / "reportlab-serif.pdf").calibration
    assert max(c.median_abs_pt for c in exact.values()) < 0.005


def test_monospace_falls_back_to_count():
    doc = redact.open(SAMPLES / "transcript-courier.pdf")
    r = doc.redactions[0]
    ranking = r.guess(top=10)
    assert "character count" in ranking.note
    n = len(ranking.candidates[0].text)
    assert all(len(c.text) == n for c in ranking.candidates if " " not in c.text)


@pytest.mark.skipif(not XRAY.exists(), reason="shared x-ray assets not beside the repo")
def test_spaces_left_under_a_box_split_it_into_words():
    doc = redact.open(XRAY / "whitespace_redactions.pdf")
    (r,) = doc.redactions
    segments = r.gap.segments()
    assert len(segments) == 7
    # the words and the visible spaces between them add up to the whole gap
    spaces = sum(s.line.space_pt for s in segments[1:])
    assert abs(sum(s.width_pt for s in segments) + spaces - r.gap.width_pt) < 1e-6
    assert "7 words" in r.guess().note


@pytest.mark.skipif(not XRAY.exists(), reason="shared x-ray assets not beside the repo")
@pytest.mark.parametrize("name", ["whitespace_redaction_with_comma.pdf", "multi_line_redaction_ok.pdf",
                                  "rectangles_yes.pdf", "ok_words.pdf", "no_bad_redactions.5.5.pdf"])
def test_real_court_pages_run_clean(name):
    p = subprocess.run([sys.executable, "-m", "redact.cli", "guess", str(XRAY / name), "--top", "3",
                        "--json"], capture_output=True, text=True, timeout=600)
    assert p.returncode in (0, 1), p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) <= 1
    if p.returncode == 0:
        assert json.loads(p.stdout)["redactions"]


@pytest.mark.parametrize("name", ["reportlab-serif", "reportlab-times", "libreoffice-serif",
                                  "chromium-serif", "pdftex-lmodern", "transcript-courier"])
def test_text_state_explains_every_position(name):
    """Replaying Tc, Tw, Tz, TJ numbers and the text matrix predicts each visible glyph's
    origin from the previous one to 0.001 pt, on every producer."""
    import pdfplumber
    from replay import predicted_x, text_states

    from redact.pdf.textstate import page_layout

    path = SAMPLES / f"{name}.pdf"
    states = text_states(path)
    checked = 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            page._layout, runs = page_layout(page, record_runs=True)  # as document reads
            xs = np.array([c["x0"] for c in page.chars])
            st = states[number]
            assert len(st) == len(xs)
            assert np.abs(np.array([s.x_pt for s in st]) - xs).max() < 0.001
            assert np.abs(runs.x_pt - xs).max() < 0.001  # the one replay records the same
            assert runs.adjust_units.tolist() == pytest.approx([s.adjust_units for s in st])
            pred = predicted_x(st)
            ok = ~np.isnan(pred)
            checked += int(ok.sum())
            assert np.abs(pred[ok] - xs[ok]).max() < 0.001
    assert checked > 500
    if name == "reportlab-serif":  # justified by word spacing alone
        assert max(s.word_spacing_pt for s in states[1]) > 0.5
    if name == "libreoffice-serif":  # positioned by TJ corrections
        assert np.mean([s.adjust_pt != 0 for s in states[1]]) > 0.3


def test_alphabetical_bracket_narrows_a_word_index():
    """The transcript ends with a word index; a redacted entry sorts between its visible
    neighbours, which cuts the surnames that can fit and lifts the hidden one."""
    from redact.rank.candidates import Constraints

    doc = redact.open(SAMPLES / "transcript-courier.pdf")
    key = json.loads((SAMPLES / "transcript-courier.json").read_text())["redactions"]
    index_page = max(k["page"] for k in key)
    plain = bracketed = 0
    entries = [(r, k) for r, k in zip(doc.redactions, key) if r.page == index_page]
    assert len(entries) >= 5
    for r, k in entries:
        page = doc.layout.pages[r.page - 1]
        li = page.line_of_bar[page.bars.index(r.bar)]
        words = [line.text.split()[0] if line.text.split() else "" for line in page.lines]
        above = next(w for w in reversed(words[:li]) if w.isalpha())
        below = next(w for w in words[li + 1:] if w.isalpha())
        assert above.lower() < k["text"].lower() < below.lower()
        a = r.guess(["surnames"], top=10)
        b = r.guess(["surnames"], top=10, constraints=Constraints(after=above, before=below))
        assert b.considered * 5 < a.considered
        assert all(above.lower() < c.text.lower() < below.lower() for c in b.candidates)
        plain += k["text"] in [c.text for c in a.candidates]
        bracketed += k["text"] in [c.text for c in b.candidates]
    assert bracketed >= 2 * max(plain, 1) and bracketed >= len(entries) // 3


def test_constraints_filter_candidates():
    from redact.rank.candidates import Constraints

    r = redact.open(SAMPLES / "reportlab-serif.pdf").redactions[0]
    ranking = r.guess(top=20, constraints=Constraints(starts="Ma", ends="n"))
    assert ranking.candidates
    assert all(c.text.lower().startswith("ma") and c.text.endswith("n") for c in ranking.candidates)
    ranking = r.guess(top=20, constraints=Constraints(regex=r"[A-Z][a-z]+ [A-Z][a-z]+"))
    assert all(" " in c.text for c in ranking.candidates)


def test_all_caps_context_ranks_capitals(tmp_path):
    red = reportlab_redacted(tmp_path / "caps.pdf", [[
        "DEPOSITION OF JAMES SMITH, TAKEN ON MARCH 3 IN BOSTON"]], ["JAMES SMITH"])
    r = redact.open(red).redactions[0]
    texts = [c.text for c in r.guess(top=10).candidates]
    assert all(t == t.upper() for t in texts)
    assert "JAMES SMITH" in texts


def test_joint_solving_links_bars_that_hide_one_surname():
    """Title bars of one width link to each other (the same surname again), full-name bars to
    the title bars, and the output says so: every pair of title bars hiding the same surname is
    linked, most links join bars that hide the same text, and full names rank with the linked
    surname list."""
    doc = redact.open(SAMPLES / "chromium-serif.pdf")
    key = json.loads((SAMPLES / "chromium-serif.json").read_text())["redactions"]
    text = {r.id: k["text"] for r, k in zip(doc.redactions, key)}
    titles = [r for r in doc.redactions if cand.after_title(r.gap.context_left)]
    tp = fp = fn = 0
    for r in titles:
        linked = {i for lk in r.links() if "same width" in lk.why for i in lk.id.split(", ")}
        same = {o.id for o in titles if o is not r and text[o.id] == text[r.id]}
        tp, fp, fn = tp + len(linked & same), fp + len(linked - same), fn + len(same - linked)
    assert tp > 20 and fn == 0 and fp <= 0.35 * (tp + fp)
    d = titles[0].to_dict(titles[0].guess())
    assert d["linked"] and {"id", "why", "weight", "bayes_factor"} <= set(d["linked"][0])
    full = [(r, k) for r, k in zip(doc.redactions, key) if k["kind"] == "full"]
    ranking = full[0][0].guess()
    assert "solved jointly" in ranking.note and "surnames (linked)" in ranking.candidates[0].wordlist
    hits = sum(k["text"] in [c.text for c in r.guess().candidates] for r, k in full)
    assert hits >= 0.15 * len(full)
    alone = redact.open(SAMPLES / "chromium-serif.pdf", joint=False)
    assert all(not r.links() for r in alone.redactions)


def test_name_formats(tmp_path):
    """Initials, middle initials, a hidden title and "Last, First" are found when asked for."""
    texts = ["Mr. Brown", "Robert A. Johnson", "Williams, James", "J. Smith"]
    red = reportlab_redacted(tmp_path / "fmt.pdf", [[
        f"The letter was signed by {t} at the office downtown." for t in texts]], texts, size=11)
    rd = redact.open(red)
    assert len(rd.redactions) == len(texts)
    every = ("initial-last", "first-middle-last", "title-last", "last-first", "possessive")
    found = 0
    for r, t in zip(rd.redactions, texts):
        plain = [c.text for c in r.guess(top=2000).candidates]
        assert t not in plain  # "First Last" alone cannot write these
        ranked = [c.text for c in r.guess(top=2000, formats=every).candidates]
        found += t in ranked
        assert abs(r.width_of(t) - r.gap.width_pt) < 0.05
    assert found >= 3


def test_a_bar_beside_a_line_number_or_a_footnote_mark_sits_on_its_line(tmp_path):
    """Pleading paper numbers its lines in the margin a few points off the text's baseline, and
    a footnote mark rides above the line: a box over the line's first word, or over the word
    before the mark, covers half their height too. Neither is a second line under the box (a
    block over several lines, left unmeasured): the bar is measured on its own line."""
    from reportlab.pdfgen import canvas

    clear, out = tmp_path / "clear.pdf", tmp_path / "pleading.pdf"
    c = canvas.Canvas(str(clear), pagesize=(612, 792))
    body = ["Whitfield signed the lease in March of that year, as the record",
            "shows, and the court later noted that the lease named Whitfield"]
    for i, line in enumerate(body):
        y = 700 - 24 * i
        c.setFont("Helvetica", 12)
        c.drawString(40, y - 2.5, str(i + 1))  # the margin's line number, off the baseline
        c.drawString(72, y, line)
    c.setFont("Helvetica", 8)
    c.drawString(72 + c.stringWidth(body[1], "Helvetica", 12) + 0.5, 700 - 24 + 5, "8")
    c.save()
    pymupdf_redacted(clear, out, ["Whitfield"])

    red = redact.open(out)
    assert len(red) == 2
    for r in red:
        assert r.gap.measurable, (r.id, r.gap.note)
        assert abs(r.width_of("Whitfield") - r.gap.width_pt) < 0.02, (r.id, r.gap.width_pt)
