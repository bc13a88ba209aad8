"""Shared fixtures: the committed samples evaluated once, and fresh documents never seen."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "samples"))

import accuracy  # noqa: E402
import make_samples  # noqa: E402

SAMPLES = ROOT / "samples"


PRODUCER_TOOLS = {"reportlab": None, "libreoffice": ("soffice", "libreoffice"),
                  "chromium": ("chromium", "chromium-browser"), "pdftex": ("pdflatex",)}


def available_producers() -> tuple[str, ...]:
    """Producers installed here; in CI every one must be (.ci/run installs them)."""
    out = []
    for name, tools in PRODUCER_TOOLS.items():
        if tools is None or any(shutil.which(t) for t in tools):
            out.append(name)
        elif os.environ.get("CI"):
            raise RuntimeError(f"CI must install the {name} producer ({', '.join(tools)})")
    return tuple(out)


def run_cli(*args, timeout: float = 300):
    """`redact ARGS...` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "redact.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def reportlab_redacted(out: Path, pages: list[list[str]], secrets: list[str], size: float = 12,
                       pagesize=(612, 792), at=(72, 700)) -> Path:
    """A PDF drawn by reportlab in Helvetica (`pages`: each page's lines, top down, from `at`)
    with every occurrence of `secrets` redacted by PyMuPDF's apply_redactions."""
    from reportlab.pdfgen import canvas

    clear = out.with_name(out.stem + "-clear.pdf")
    c = canvas.Canvas(str(clear), pagesize=pagesize)
    for lines in pages:
        c.setFont("Helvetica", size)
        for i, line in enumerate(lines):
            c.drawString(at[0], at[1] - 20 * i, line)
        c.showPage()
    c.save()
    return pymupdf_redacted(clear, out, secrets)


def pymupdf_redacted(clear: Path, out: Path, secrets: list[str]) -> Path:
    """`clear` with every occurrence of `secrets` redacted by PyMuPDF's apply_redactions."""
    import pymupdf

    doc = pymupdf.open(clear)
    for page in doc:
        hits = [rect for s in secrets for rect in page.search_for(s)]
        for rect in hits:
            page.add_redact_annot(rect, fill=(0, 0, 0))
        if hits:
            page.apply_redactions()
    doc.save(out)
    return out


@pytest.fixture(scope="session")
def committed_results():
    return [accuracy.evaluate(SAMPLES / f"{name}.pdf") for name in make_samples.SAMPLES]


FRESH_SETS = 3  # one set holds ~14 people per kind: three keep the rates' spread near 3 points
FRESH_SEED = 90_000  # the committed samples use seeds 1000-1007


@pytest.fixture(scope="session")
def fresh_results(tmp_path_factory):
    """New documents of every proportional kind, made and redacted now: never seen before."""
    pdfs = accuracy.build_fresh(tmp_path_factory.mktemp("fresh"), FRESH_SETS, FRESH_SEED,
                                available_producers())
    return [accuracy.evaluate(p) for p in pdfs]


@pytest.fixture(scope="session")
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
