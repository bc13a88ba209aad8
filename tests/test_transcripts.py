"""Deposition transcripts and their word index (issue 11): citations, the index as read, names
the index gives away, brackets that narrow the candidates, and the outputs that show them.
Fresh transcripts of every index layout and redaction variant are made once for the module."""
from __future__ import annotations

import json
import re

import pytest

import redact
from conftest import SAMPLES, available_producers, run_cli

FRESH_SEED = 31_000


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    import transcripts  # samples/, on the path by conftest

    out = tmp_path_factory.mktemp("transcripts")
    made = available_producers()
    return {name: transcripts.build(name, out, FRESH_SEED + i)
            for i, (name, (producer, _, _)) in enumerate(transcripts.TRANSCRIPTS.items())
            if producer in made}


@pytest.fixture(scope="module")
def scored(fresh):
    import index_accuracy  # benchmarks/

    return {name: index_accuracy.evaluate(pdf) for name, pdf in fresh.items()}


def test_every_bar_is_found_and_cited(scored):
    """Every keyed bar is found, and every body bar's citation is its printed page:line."""
    for name, res in scored.items():
        assert res["bars"] == res["keyed"], name
        body = [r for r in res["rows"] if not r["kind"].startswith("index")]
        assert body and all(r["found"] and r["citation_ok"] for r in body), name


def test_line_numbers_stay_out_of_contexts(fresh):
    doc = redact.open(fresh["transcript-plain-leak"])
    r = doc.redactions[0]
    assert r.citation and r.citation.startswith("17:")
    first_body_line = doc.layout.pages[0].lines[2]
    assert first_body_line.number == 1 and first_body_line.text.startswith("Q.")
    assert not any(c.isdigit() for c in r.gap.context_left[:3])


@pytest.mark.parametrize("layout", ["veritext", "minuscript", "plain"])
def test_the_index_is_read_in_every_layout(fresh, layout):
    """Entries in alphabetical order, every hidden entry found, and each hidden word inside the
    bracket of its visible neighbours."""
    names = [f"transcript-{layout}-word", f"transcript-{layout}-entry",
             f"transcript-chromium-{layout}-word"]
    for name in [n for n in names if n in fresh]:  # Chromium writes no space glyphs
        variant = name.rsplit("-", 1)[1]
        pdf = fresh[name]
        key = json.loads(pdf.with_suffix(".json").read_text())
        doc = redact.open(pdf)
        index = doc.index
        words = [e.word for e in index.entries if e.word]
        assert len(words) > 100 and words == sorted(words)
        hidden = [i for i, e in enumerate(index.entries) if e.hidden]
        truths = sorted({k["text"] for k in key["redactions"] if k["kind"].startswith("index")})
        assert len(hidden) == len(truths), (name, len(hidden), truths)
        brackets = [index.bracket(i) for i in hidden]
        for truth, (after, before) in zip(truths, brackets):
            assert (after or "") < truth < (before or "~"), (truth, after, before)
        if variant == "word":
            assert all(index.entries[i].refs for i in hidden), name  # refs left visible


def test_names_left_in_the_index_are_leaks_with_their_citation(scored):
    """In the `leak` variant the index still names the hidden people: `redact leaks` gives
    most body bars away outright (a line with two hidden names of one length is ambiguous)."""
    for name in [n for n in scored if n.endswith("-leak")]:
        rows = [r for r in scored[name]["rows"]
                if not r["kind"].startswith("index")]
        assert sum(r["leaked"] for r in rows) >= 0.8 * len(rows), name


def test_leaks_command_reports_index_leaks(fresh):
    pdf = fresh["transcript-veritext-leak"]
    p = run_cli("leaks", pdf, "--json")
    assert p.returncode == 1, p.stderr
    found = [f for f in json.loads(p.stdout)["leaks"] if f["kind"] == "index"]
    key = {(k["citation"], k["text"]) for k in json.loads(pdf.with_suffix(".json").read_text())["redactions"]}
    assert found and sum((f["citation"], f["text"]) in key for f in found) >= 0.9 * len(found)


def test_the_index_narrows_hidden_names(scored, fresh):
    """With the index words blacked out but their refs visible, brackets and the index bars'
    widths narrow the body's names; without the index the same bars rank far worse."""
    import index_accuracy

    with_index = index_accuracy.summarise([scored[n] for n in scored if n.endswith("-word")])
    without = index_accuracy.summarise([index_accuracy.evaluate(fresh[n], use_index=False)
                                        for n in fresh if n.endswith("-word")])
    s, w = with_index["all-word"], without["all-word"]
    assert s["surname"]["top10"] >= 0.6 and s["surname"]["top10"] >= w["surname"]["top10"] + 0.3
    assert s["first"]["top10"] >= 0.8


def test_guess_json_has_citation_and_index(fresh):
    pdf = fresh["transcript-veritext-word"]
    out = json.loads(run_cli("guess", pdf, "--json", "--top", "3").stdout)
    body = [r for r in out["redactions"] if r["citation"]]
    assert body and sum("index" in r for r in body) >= 0.9 * len(body)
    entry_bars = [r for r in out["redactions"] if r.get("index", {}).get("entry_bar")]
    assert entry_bars and all(r["index"]["after"] and r["index"]["refs"] for r in entry_bars)
    plain = json.loads(run_cli("guess", pdf, "--json", "--top", "3", "--no-index").stdout)
    assert all("index" not in r for r in plain["redactions"])


def test_index_command(fresh):
    pdf = fresh["transcript-minuscript-word"]
    p = run_cli("index", pdf, "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    hidden = [e for e in data["entries"] if e["hidden"]]
    assert hidden and all(e["after"] and e["bars"] for e in hidden)
    assert all(e["count"] for e in data["entries"])  # Min-U-Script prints each word's count
    memo = run_cli("index", SAMPLES / "memo-six-bars.pdf")
    assert memo.returncode == 1 and "no word index" in memo.stderr


REAL = SAMPLES.parent.parent / "shared" / "real-court" / "gov.uscourts.cacd.600795.150.0.pdf"


@pytest.mark.skipif(not REAL.exists(), reason="../shared/real-court not beside the repository")
def test_a_real_court_transcript_is_cited(tmp_path):
    """A real transcript (USA v. Roh, 2019: Courier, a timestamp and a line number before
    every line, the printed page at the top, the court's stamp): a name visible in it, blacked
    out here by PyMuPDF, gets bars cited by printed page and line, with no timestamp or line
    number in any context."""
    import pymupdf

    doc = pymupdf.open(REAL)
    for number in range(2, 7):
        page = doc[number]
        for rect in page.search_for("Nicolaysen"):
            page.add_redact_annot(rect, fill=(0, 0, 0))
        page.apply_redactions()
    out = tmp_path / "roh.pdf"
    doc.save(out)
    red = redact.open(out)
    assert len(red) >= 6 and all(r.citation for r in red)
    for r in red:
        page, line = map(int, r.citation.split(":"))
        assert page == r.page and 1 <= line <= 25, r.citation  # this transcript prints its PDF page
        assert not re.search(r"\d\d:\d\d", r.gap.context_left + r.gap.context_right), r.id
    assert red["p4-1"].citation == "4:2"  # "Mr. Nicolaysen at any point" is page 4, line 2
    assert red.index is None  # timestamps (02:04) are not page:line references


def test_whole_entry_bars_are_ranked_in_strict_json(fresh):
    """A bar over a whole index entry (refs too) bounds its word's width without measuring it:
    its candidates come by frequency within the bracket, with no width (null, never NaN)."""
    pdf = fresh["transcript-plain-entry"]
    out = run_cli("guess", pdf, "--json", "--top", "10")
    assert out.returncode == 0, out.stderr

    def refuse(constant):
        raise AssertionError(f"{constant} in JSON")

    bars = json.loads(out.stdout, parse_constant=refuse)["redactions"]
    key = json.loads(pdf.with_suffix(".json").read_text())["redactions"]
    entry_bars = [b for b in bars if b.get("index", {}).get("entry_bar")]
    assert entry_bars and all(b["candidates"] for b in entry_bars)
    truths = {k["text"] for k in key if k["kind"] == "index-entry"}
    hits = sum(bool({c["text"] for c in b["candidates"]} & truths) for b in entry_bars)
    assert hits >= 0.4 * len(entry_bars), (hits, len(entry_bars))
