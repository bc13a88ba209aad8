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
