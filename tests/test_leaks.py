"""The leak check: text still under boxes, against x-ray's verdicts and careless documents made
with reportlab and PyMuPDF."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SAMPLES, run_cli
from redact.leaks import find_leaks

XRAY = ROOT.parent / "shared" / "xray-assets"

# x-ray's verdicts (../shared/xray-assets/README.md): files with bad redactions, and how many
# boxes its suite expects. Every other asset has none.
XRAY_BAD = {"rectangles_yes.pdf": 3, "hidden_text_on_visible_text.pdf": 2}
# Where we differ, and why (the closing note and README say the same):
# - hidden_text_on_visible_text.pdf: x-ray's suite marks it an expected failure; we find the text
#   under the two overlapping white squares as one run ("TROOPPER, LLC"), not two boxes.
# - rectangles_yes_2.pdf: x-ray's suite checks only that it finds the box; the box hides "def"
#   of "abcdefghi" and that text is still in the file: a leak.
OURS_ALSO_BAD = {"rectangles_yes_2.pdf": "def"}


@pytest.mark.skipif(not XRAY.exists(), reason="../shared/xray-assets not beside the repository")
def test_leaks_match_xray_verdicts():
    for pdf in sorted(XRAY.glob("*.pdf")):
        report = find_leaks(pdf)
        texts = [f.text for f in report.leaks]
        if pdf.name in XRAY_BAD:
            assert report.leaks, pdf.name
        elif pdf.name in OURS_ALSO_BAD:
            assert texts == [OURS_ALSO_BAD[pdf.name]], (pdf.name, texts)
        else:
            assert not report.leaks, (pdf.name, texts)
    yes = find_leaks(XRAY / "rectangles_yes.pdf")
    assert len(yes.leaks) == 3 and "did not disclose all relevant medical history" in yes.leaks[1].text
    hidden = find_leaks(XRAY / "hidden_text_on_visible_text.pdf")
    assert [f.text for f in hidden.leaks] == ["TROOPPER, LLC"]
    # labels and stamps are reported as such, not as leaks
    assert [f.text for f in find_leaks(XRAY / "ok_words.pdf").labels] == ["Privilege"]
    stamps = find_leaks(XRAY / "no_bad_redactions.8.1.pdf")
    assert stamps.labels and all(f.kind == "date-stamp" for f in stamps.labels)


@pytest.mark.skipif(not XRAY.exists(), reason="../shared/xray-assets not beside the repository")
def test_leaks_json_and_exit_status():
    p = run_cli("leaks", XRAY / "rectangles_yes.pdf", "--json")
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert out["file"].endswith("rectangles_yes.pdf") and len(out["leaks"]) == 3
    assert set(out["leaks"][0]) >= {"page", "bbox", "text"} and len(out["leaks"][0]["bbox"]) == 4
    p = run_cli("leaks", SAMPLES / "memo-six-bars.pdf", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["leaks"] == []


@pytest.fixture(scope="module")
def careless(tmp_path_factory) -> Path:
    """One page, one line per way of hiding text badly (and two ways of not leaking), drawn by
    reportlab; an unapplied /Redact annotation added by PyMuPDF."""
    import pymupdf
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    tmp = tmp_path_factory.mktemp("careless")
    clear = tmp / "clear.pdf"
    c = canvas.Canvas(str(clear), pagesize=(612, 792))
    c.setFont("Helvetica", 12)

    def line(y, before, secret, after=" was there."):
        c.setFillColorRGB(0, 0, 0)
        c.drawString(72, y, before)
        x = 72 + c.stringWidth(before, "Helvetica", 12)
        return x, c.stringWidth(secret, "Helvetica", 12)

    x, w = line(700, "Under a box: ", "Amelia Hartwell")
    c.drawString(x, 700, "Amelia Hartwell")
    c.rect(x - 1, 697, w + 2, 13, stroke=0, fill=1)  # black box drawn after the text
    x, w = line(670, "Black on black: ", "Bruno Castellan")
    c.rect(x - 1, 667, w + 2, 13, stroke=0, fill=1)  # box first, then text in its colour
    c.drawString(x, 670, "Bruno Castellan")
    x, w = line(640, "White box: ", "Cora Lindqvist")
    c.drawString(x, 640, "Cora Lindqvist")
    c.setFillColorRGB(1, 1, 1)
    c.rect(x - 1, 637, w + 2, 13, stroke=0, fill=1)
    x, w = line(610, "Cross-hatched: ", "Dario Mendelson")
    c.drawString(x, 610, "Dario Mendelson")
    c.rect(x - 1, 607, w + 2, 13, stroke=0, fill=1)
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    for k in range(0, int(w) + 13, 6):
        c.line(x - 1 + k, 607, x - 1 + k - 13, 620)
        c.line(x - 1 + k - 13, 607, x - 1 + k, 620)
    x, w = line(580, "Under an image: ", "Esme Okonkwo")
    c.drawString(x, 580, "Esme Okonkwo")
    black = Image.new("RGB", (40, 10), (0, 0, 0))
    c.drawImage(ImageReader(black), x - 1, 577, w + 2, 13)
    x, w = line(550, "A label: ", "REDACTED")
    c.setFillColorRGB(0, 0, 0)
    c.rect(x - 1, 547, w + 2, 13, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(x, 550, "REDACTED")
    # a scan: an image with a dark box burnt in, under an invisible OCR layer
    scan = Image.new("RGB", (400, 20), (255, 255, 255))  # one pixel a point
    x0 = c.stringWidth("Scanned page mentions ", "Helvetica", 12)
    scan.paste((0, 0, 0), (int(x0) - 1, 2, int(x0 + c.stringWidth("Farah Quintero", "Helvetica", 12)) + 2, 18))
    c.drawImage(ImageReader(scan), 72, 515, 400, 20)
    t = c.beginText(72, 520)
    t.setTextRenderMode(3)
    t.setFont("Helvetica", 12)
    t.textLine("Scanned page mentions " + "Farah Quintero" + " near the end")
    t.setTextRenderMode(0)
    c.drawText(t)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(72, 480, "The annotated name Gideon Achterberg is still plain to see.")
    c.save()
    out = tmp / "careless.pdf"
    doc = pymupdf.open(clear)
    for rect in doc[0].search_for("Gideon Achterberg"):
        doc[0].add_redact_annot(rect, fill=(0, 0, 0))  # marked, never applied
    doc.save(out)
    return out


def test_every_careless_redaction_is_found(careless):
    before = careless.read_bytes()
    report = find_leaks(careless)
    found = {f.text: f.kind for f in report.leaks}
    assert found.get("Amelia Hartwell") == "covered"
    assert found.get("Bruno Castellan") == "covered"
    assert found.get("Cora Lindqvist") == "covered"
    assert found.get("Dario Mendelson") == "covered"
    assert found.get("Esme Okonkwo") == "covered"
    assert found.get("Farah Quintero") == "under-dark-scan"
    assert found.get("Gideon Achterberg") == "unapplied-annotation"
    assert "REDACTED" not in " ".join(found) and [f.text for f in report.labels] == ["REDACTED"]
    # the invisible OCR text over the white part of the scan is not a leak
    assert not any("Scanned" in t for t in found)
    assert careless.read_bytes() == before  # never written
    for f in report.leaks:
        assert np.all(np.isfinite(f.bbox)) and f.page == 1


def test_report_opens_with_the_leaks(careless, tmp_path):
    out = tmp_path / "report.html"
    p = run_cli("report", careless, "-o", out, "--proofs", "1")
    assert p.returncode == 0, p.stderr
    html = out.read_text()
    head = html[:html.index('<section class="bar"')]
    assert "Leak check: 7 boxes still have their text under them" in head
    assert "Amelia Hartwell" in head and "Gideon Achterberg" in head
