"""The command line: JSON shape, tables, and one-line errors on bad input."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "reportlab-serif.pdf"


def test_guess_json_shape():
    key = json.loads(SAMPLE.with_suffix(".json").read_text())["redactions"]
    p = run_cli("guess", SAMPLE, "--redaction", "p1-3", "--top", "5", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["file"].endswith("reportlab-serif.pdf")
    (r,) = out["redactions"]
    assert r["id"] == "p1-3" and r["page"] == 1
    assert len(r["bbox"]) == 4 and r["bbox"][0] < r["bbox"][2] and r["bbox"][1] < r["bbox"][3]
    assert r["gap"]["size_pt"] == 11 and r["gap"]["font"]
    assert r["metrics"]["source"] in ("widths", "embedded", "afm")
    assert set(r["gap"]) >= {"width_pt", "sigma_pt", "box_width_pt", "context_left", "context_right"}
    assert 1 <= len(r["candidates"]) <= 5
    c = r["candidates"][0]
    assert set(c) >= {"text", "width_pt", "probability", "residual_pt", "wordlist"}
    probs = [c["probability"] for c in r["candidates"]]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1.0 + 1e-9
    # the bar is the one the key says, and its gap matches the best candidate's width
    k = [k for k in key if k["page"] == 1]
    assert any(abs(k["bbox"][0] - r["bbox"][0]) < 0.5 for k in k)
    assert abs(c["width_pt"] - r["gap"]["width_pt"]) < 5 * r["gap"]["sigma_pt"]


def test_scan_lists_every_bar():
    key = json.loads(SAMPLE.with_suffix(".json").read_text())["redactions"]
    p = run_cli("scan", SAMPLE, "--json")
    assert p.returncode == 0, p.stderr
    bars = json.loads(p.stdout)["redactions"]
    assert len(bars) == len(key)
    assert all("candidates" not in b for b in bars)
    table = run_cli("scan", SAMPLE)
    assert table.returncode == 0 and "p1-1" in table.stdout


def test_human_output_has_caveat_and_table():
    p = run_cli("guess", SAMPLE, "-r", "p1-1", "--top", "3")
    assert p.returncode == 0, p.stderr
    assert "probability" in p.stdout and "not as findings" in p.stdout.replace("\n", " ")


def test_user_wordlist_with_weights(tmp_path):
    key = json.loads(SAMPLE.with_suffix(".json").read_text())["redactions"]
    truth = next(k for k in key if k["kind"] == "surname")
    wl = tmp_path / "suspects.txt"
    wl.write_text(f"# my list\nMontgomery-Smith\t5\n{truth['text']}\nLi\t2\nWolfeschlegelstein\n")
    p = run_cli("scan", SAMPLE, "--json")
    bar = next(b for b in json.loads(p.stdout)["redactions"]
               if b["page"] == truth["page"] and abs(b["bbox"][0] - truth["bbox"][0]) < 0.5)
    p = run_cli("guess", SAMPLE, "-r", bar["id"], "-w", wl, "--json")
    assert p.returncode == 0, p.stderr
    cands = json.loads(p.stdout)["redactions"][0]["candidates"]
    assert cands[0]["text"] == truth["text"] and cands[0]["probability"] > 0.99


def _make_bad(tmp_path):
    import pymupdf
    from reportlab.pdfgen import canvas

    bad = {}
    bad["not_a_pdf"] = tmp_path / "notes.pdf"
    bad["not_a_pdf"].write_text("just text\n")
    bad["empty"] = tmp_path / "empty.pdf"
    bad["empty"].write_bytes(b"")
    bad["truncated"] = tmp_path / "truncated.pdf"
    bad["truncated"].write_bytes(SAMPLE.read_bytes()[:9000])
    bad["encrypted"] = tmp_path / "encrypted.pdf"
    doc = pymupdf.open(SAMPLE)
    doc.save(bad["encrypted"], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="o")
    bad["no_text"] = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(bad["no_text"]))
    c.rect(100, 100, 60, 12, fill=1)
    c.save()
    bad["no_bars"] = tmp_path / "clean.pdf"
    c = canvas.Canvas(str(bad["no_bars"]))
    c.drawString(100, 700, "Nothing is hidden on this page.")
    c.save()
    bad["missing"] = tmp_path / "missing.pdf"
    return bad


EXPECTED = {"not_a_pdf": (2, "not a PDF"), "empty": (2, "not a PDF"), "truncated": (2, "truncated"),
            "encrypted": (2, "password"), "no_text": (2, "no text layer"),
            "no_bars": (1, "no redaction bars"), "missing": (2, "no such file")}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["scan", "guess"])
def test_bad_input_one_line_error(tmp_path, kind, command):
    path = _make_bad(tmp_path)[kind]
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    p = run_cli(command, path)
    code, words = EXPECTED[kind]
    assert p.returncode == code, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert len(p.stderr.strip().splitlines()) == 1 and words in p.stderr
    after = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    assert before == after


def test_encrypted_with_password(tmp_path):
    path = _make_bad(tmp_path)["encrypted"]
    p = run_cli("scan", path, "--password", "secret", "--json")
    assert p.returncode == 0, p.stderr
    assert len(json.loads(p.stdout)["redactions"]) > 10


def test_unknown_redaction_id():
    p = run_cli("guess", SAMPLE, "-r", "p9-99")
    assert p.returncode == 2 and "no redaction p9-99" in p.stderr


def test_wordlists_command():
    p = run_cli("wordlists", "--json")
    assert p.returncode == 0, p.stderr
    rows = {r["name"]: r for r in json.loads(p.stdout)["wordlists"]}
    assert rows["surnames"]["entries"] == 88_799 and rows["first"]["entries"] == 5_163
    assert rows["ssa-first"]["entries"] > 90_000 and rows["english"]["entries"] == 50_000
    assert all(r["source"] for r in rows.values())


def test_audit_counts_what_fits():
    p = run_cli("audit", SAMPLE, "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)["redactions"]
    key = json.loads(SAMPLE.with_suffix(".json").read_text())["redactions"]
    assert len(rows) == len(key)
    for r in rows:
        assert r["measurable"] and 0 < r["fit_within_sigma"] < r["considered"]
        assert abs(r["bits"] - np.log2(r["considered"] / r["fit_within_sigma"])) < 0.01
    # after a title: the surname list alone (reweighted when joint solving links the bar), and
    # the surnames the document prints (redact.rank.seen): an attacker tries those first
    import redact

    printed = len(redact.open(SAMPLE).seen.surnames)
    surname_only = [r for r in rows if [x for x in r["lists"] if x != "seen in the document"]
                    in (["surnames"], ["surnames (linked)"])]
    assert surname_only and all(
        r["considered"] == 88_799 + printed * ("seen in the document" in r["lists"])
        for r in surname_only)
