"""Hostile and broken input beyond the bad files of test_cli: huge pages, many pages, forms
nested deep, a broken embedded font, and the leak check on unusable files."""
from __future__ import annotations

import hashlib
import json
import time

import pytest
from conftest import SAMPLES, reportlab_redacted, run_cli
from test_cli import _make_bad

MEMO = SAMPLES / "memo-six-bars.pdf"


def run(*args):
    return run_cli(*args, timeout=600)  # the large documents take longer


def _clean(p, codes=(0, 1, 2)):
    assert p.returncode in codes, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr, p.stderr
    errors = [line for line in p.stderr.splitlines() if not line.startswith("redact: warning")]
    assert len(errors) <= 1, p.stderr


LEAKS_EXPECTED = {"not_a_pdf": (2, "not a PDF"), "empty": (2, "not a PDF"),
                  "encrypted": (2, "password"), "missing": (2, "no such file"),
                  "no_text": (0, ""), "no_bars": (0, "")}


@pytest.mark.parametrize("kind", sorted(LEAKS_EXPECTED) + ["truncated"])
def test_leaks_on_bad_input(tmp_path, kind):
    path = _make_bad(tmp_path)[kind]
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    p = run("leaks", path)
    _clean(p)
    if kind in LEAKS_EXPECTED:  # a truncated file may be repaired by pdfium, or refused
        code, words = LEAKS_EXPECTED[kind]
        assert p.returncode == code and words in p.stderr, (p.returncode, p.stderr)
    after = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    assert before == after


def test_huge_page_is_rendered_within_the_cap(tmp_path):
    """A 200 x 200 inch page (the PDF maximum) with a redacted name: measured, not exhausted."""
    red = reportlab_redacted(tmp_path / "huge.pdf", [[
        "The letter was signed by Harold Whitcombe at noon."]], ["Harold Whitcombe"],
        pagesize=(14400, 14400), at=(7000, 7000))
    start = time.monotonic()
    p = run("scan", red, "--json")
    _clean(p, (0,))
    assert len(json.loads(p.stdout)["redactions"]) == 1
    _clean(run("leaks", red), (0,))
    assert time.monotonic() - start < 120


def test_thousands_of_pages(tmp_path):
    pages = [[f"Page {i + 1}: filed for the record."] for i in range(2000)]
    pages[1234] = ["Page 1235: filed by Marian Oakes for the record."]
    red = reportlab_redacted(tmp_path / "long.pdf", pages, ["Marian Oakes"], size=10,
                             pagesize=(300, 100), at=(20, 50))
    p = run("scan", red, "--json")
    _clean(p, (0,))
    (bar,) = json.loads(p.stdout)["redactions"]
    assert bar["page"] == 1235
    # the first 300 pages only: no leak there, but not a clean file either (exit 2, said)
    limited = run("leaks", red, "--max-pages", "300")
    _clean(limited, (2,))
    assert "pages 301-2000 were not checked" in limited.stderr


def test_forms_nested_deep(tmp_path):
    """A page drawn as a form inside a form, 25 deep (MuPDF will not nest more): read, or
    refused in one line."""
    import pymupdf

    src = pymupdf.open(MEMO)
    for _ in range(25):
        outer = pymupdf.open()
        page = outer.new_page(width=612, height=792)
        page.show_pdf_page(page.rect, src, 0)
        src = outer
    nested = tmp_path / "nested.pdf"
    src.save(nested)
    for command in ("scan", "leaks", "guess"):
        _clean(run(command, nested))


def test_broken_embedded_font(tmp_path):
    """The font program replaced by garbage: the text and /Widths still serve."""
    import pymupdf

    doc = pymupdf.open(MEMO)
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Length1")[0] != "null":  # the TrueType program
            doc.update_stream(xref, b"\x00\x01\x00\x00" + bytes(range(256)) * 40)
    broken = tmp_path / "broken-font.pdf"
    doc.save(broken)
    p = run("guess", broken, "--json", "--top", "3")
    _clean(p, (0,))
    out = json.loads(p.stdout)
    assert len(out["redactions"]) == 6 and out["redactions"][-1]["candidates"]
    _clean(run("leaks", broken))
