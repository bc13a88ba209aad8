"""Deposition transcripts and their word index (issue 11): citations, the index as read, names
the index gives away, brackets that narrow the candidates, and the outputs that show them.
Fresh transcripts of every index layout and redaction variant are made once for the module."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import SAMPLES, available_producers, run_cli

import redact

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
    every hidden name away at its citation (refs wrapped over lines, columns and pages read
    whole; a line's words shared out among its bars by the pairs the transcript names alone
    and by the title before a bar). Which of two names of one length on one line is in which
    bar is a coin toss: most bars, not all, get their own."""
    for name in [n for n in scored if n.endswith("-leak")]:
        rows = [r for r in scored[name]["rows"]
                if not r["kind"].startswith("index")]
        assert all(r["leaked"] for r in rows), (name, [r for r in rows if not r["leaked"]])
        assert sum(r["leaked_bar"] for r in rows) >= 0.9 * len(rows), name


@pytest.mark.parametrize("name, seed", [
    ("transcript-plain-leak", 9406),  # "Dale George", called "Mr. George": not "George Dale"
    ("transcript-chromium-veritext-leak", 9509),  # a wrapped ref beside another column's last row
])
def test_every_name_left_in_the_index_leaks(tmp_path, name, seed):
    """Two transcripts that once lost a leak: a person whose first name is a common surname
    and surname a common first name (the words the transcript puts after a title are
    surnames), and a list of refs that wraps onto the index page's last row, beside another
    column's (a lone number there is a ref, not the page's number)."""
    import transcripts

    if name.startswith("transcript-chromium") and "chromium" not in available_producers():
        pytest.skip("chromium not installed")
    pdf = transcripts.build(name, tmp_path, seed, 8)
    key = json.loads(pdf.with_suffix(".json").read_text())
    said: dict[str, list[str]] = {}
    for f in redact.open(pdf).index_leaks():
        said.setdefault(f.citation, []).append(f.text)
    missed = [(k["text"], k["citation"]) for k in key["redactions"]
              if not k["kind"].startswith("index") and k["text"] not in said.get(k["citation"], [])]
    assert not missed, missed


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


def test_wrapped_refs_continue_their_page():
    """A list of lines wraps after its comma: the next line's leading numbers are lines of the
    same page ("19:17," then "21 20:17" is 19:21, 20:17), a list that ends without a comma
    carries nothing over."""
    from redact.transcripts.wordindex import refs_in

    refs, carry = refs_in("17:7 18:2,8,17 19:17,")
    assert refs[-1] == (19, 17) and carry == 19
    assert refs_in("21 20:17,18", carry) == ([(19, 21), (20, 17), (20, 18)], None)
    assert refs_in("13,15;24:3,", 21) == ([(21, 13), (21, 15), (24, 3)], 24)  # Min-U-Script
    assert refs_in("21 20:17", None)[0] == [(20, 17)]  # nothing carried: "21" is not a ref


def test_hidden_entries_are_assigned_jointly():
    """Two entries hidden with their refs, each a priori as likely a 6-letter first name as an
    8-letter surname; the body has bare 6-letter bars and 8-letter bars after "Mr.": together
    the entries must explain both, so one is the first name and the other the surname, and
    the entry whose bracket favours the surname takes it."""
    from redact.transcripts import assign

    prior = np.zeros((2, len(assign.ROLES), assign.MAX_LETTERS + 1))
    prior[:, 0, 6] = prior[:, 1, 8] = 1.0
    prior[1, 1, 8] = 3.0  # entry 1's bracket holds more 8-letter surnames
    post = assign.posterior(prior, np.array([6, 6, 6, 8, 8]),
                            np.array([False, False, False, True, True]))
    first, surname = post.classes[:, 0, 6], post.classes[:, 1, 8]
    assert first.sum() == pytest.approx(1.0, abs=0.05)  # exactly one first name
    assert surname.sum() == pytest.approx(1.0, abs=0.05)
    assert surname[1] > 0.6  # and the surname is likelier entry 1's
    # each bar: the entry that holds its class
    assert post.single[3, :, 1].sum() > 0.95 and post.single[0, :, 0].sum() > 0.95


def _extents(refs, sd: float):
    """Extents of entries that print `refs` refs, a point per ref, measured within sd."""
    from redact.transcripts import assign, wordindex

    coef = np.zeros(1 + len(wordindex.EXTENT_TERMS))
    coef[1 + wordindex.EXTENT_TERMS.index("refs")] = 1.0
    return assign.Extents(np.array(refs, float), np.ones(len(refs)),
                          wordindex.ExtentFit(coef, sd), 1.0)


def test_printed_refs_tell_which_entry_holds_which_class():
    """Two entries, each a priori a 4- or a 6-letter surname alike; the body names a 4-letter
    surname on 40 lines and a 6-letter one on 20. Only the refs each entry prints (measured
    from its bar in the index) tell which is which, and they decide it both ways."""
    from redact.transcripts import assign

    prior = np.zeros((2, len(assign.ROLES), assign.MAX_LETTERS + 1))
    prior[:, 1, 4] = prior[:, 1, 6] = 1.0
    letters, titled = np.array([4] * 40 + [6] * 20), np.ones(60, dtype=bool)
    for refs, first in (([40, 20], 4), ([20, 40], 6)):
        post = assign.posterior(prior, letters, titled, extents=_extents(refs, 3.0))
        assert post.classes[0, 1, first] > 0.95, (refs, post.classes[:, 1, [4, 6]])
        assert post.classes[1, 1, 10 - first] > 0.95
    # without the refs it is a coin toss
    post = assign.posterior(prior, letters, titled)
    assert 0.2 < post.classes[0, 1, 4] < 0.8


def test_first_name_and_surname_pair_as_one_person():
    """Two 4-letter first names (entries 0 and 2), an 8-letter surname (1) and a 6-letter one
    (3). "First Last" of 13 letters fits either first name with the 8-letter surname, yet each
    first name belongs to one person: the 11-letter full names take the other first name to
    the 6-letter surname, and the refs tell which first name is named in full 30 times."""
    from redact.transcripts import assign

    prior = np.zeros((4, len(assign.ROLES), assign.MAX_LETTERS + 1))
    prior[[0, 2], 0, 4] = prior[1, 1, 8] = prior[3, 1, 6] = 1.0
    kinds = [(4, False)] * 20 + [(13, False)] * 30 + [(11, False)] * 5 + [(8, True)] * 10 \
        + [(6, True)] * 10
    letters, titled = np.array([k[0] for k in kinds]), np.array([k[1] for k in kinds])
    post = assign.posterior(prior, letters, titled, extents=_extents([40, 40, 15, 15], 2.0))
    assert post.pair[20, 0, 1] > 0.9, post.pair[20]  # "First Last" of 13: entries 0 and 1
    assert post.pair[50, 2, 3] > 0.9, post.pair[50]  # of 11: entries 2 and 3


def test_hidden_entries_span_what_they_print(fresh):
    """A whole entry blacked out still spans what it printed: the index's own fit of extent
    on letters, refs, rows, pages and digits (`wordindex.ExtentFit`), read at the hidden
    word and the lines it cites, gives its bars' extent within a ref (the joint weighs
    which lines each entry cites by it)."""
    from redact.transcripts import wordindex

    checked = 0
    for name in [n for n in fresh if n.endswith("-entry")]:
        pdf = fresh[name]
        key = json.loads(pdf.with_suffix(".json").read_text())
        lines: dict[str, set] = {}
        for k in key["redactions"]:
            if not k["kind"].startswith("index"):
                for w in k["text"].lower().split():
                    lines.setdefault(w, set()).add(tuple(map(int, k["citation"].split(":"))))
        doc = redact.open(pdf)
        solver = doc.index_solver
        entries = doc.index.open_entries()
        ext = solver.extents(entries)
        for k, e in enumerate(entries):
            after, before = doc.index.bracket(e)
            inside = [w for w in lines if (after or "") < w < (before or "~")]
            if len(inside) != 1 or doc.index.entries[e].refs:
                continue
            word = inside[0]
            predicted = ext.fit.extent_pt(wordindex.extent_terms(len(word), lines[word],
                                                                 ext.rows[k]))
            assert abs(predicted - ext.extent_pt[k]) <= ext.pt_per_ref, \
                (name, word, predicted, ext.extent_pt[k], ext.pt_per_ref)
            checked += 1
    assert checked >= 10


def test_a_column_of_hidden_entries_keeps_its_gutter(tmp_path):
    """A Veritext-like index page whose third column is mostly blacked-out entries: the bars
    leave no gap in their lines, yet the gutter before the fourth column stands (the bars say
    nothing either way), so the fourth column's entries are not read as the wrapped refs of a
    long entry ("did") beside them: every entry prints as wide as its refs say (the index's
    extent fit stays tight)."""
    import transcripts

    from redact.transcripts import wordindex

    pdf = transcripts.build("transcript-veritext-entry", tmp_path, 7202, 40)
    index = redact.open(pdf).index
    fit = wordindex.fit_extent(index)
    assert fit is not None and fit.sd_pt < 30, fit
    words = {e.word for e in index.entries}
    assert {"economics", "elite", "elizabeth", "else"} <= words  # the fourth column's


def test_whole_hidden_entries_get_their_class_from_the_body(fresh):
    """Where whole entries are blacked out (refs too), the body bars they must explain
    together (letter counts, "Mr." before a surname, full names as two entries) tell each
    entry's role and length far better than its bracket alone: the joint posterior puts on
    the true class (role, letters) at least 1.5 times the prior's mass, and the body bars it
    explains rank their names from it."""
    mass = {"prior": 0.0, "posterior": 0.0}
    n = 0
    for name in [n for n in fresh if n.endswith("-entry")]:
        pdf = fresh[name]
        people = json.loads(pdf.with_suffix(".json").read_text())["people"]
        firsts = {p["first"].lower() for p in people}
        words = sorted(firsts | {p["last"].lower() for p in people})
        doc = redact.open(pdf)
        oe = doc.index_solver.open_entries
        assert oe is not None and len(oe.entries) >= len(words) - 1, name
        for k, e in enumerate(oe.entries):
            after, before = doc.index.bracket(e)
            inside = [w for w in words if (after or "") < w < (before or "~")]
            if len(inside) != 1:
                continue
            role, letters = (0 if inside[0] in firsts else 1), len(inside[0])
            mass["prior"] += oe.prior[k, role, letters] / oe.prior[k].sum()
            mass["posterior"] += oe.posterior.classes[k, role, letters]
            n += 1
        bar = oe.bars[0]
        assert "solved jointly" in bar.guess(top=3).note
    assert n >= 10 and mass["posterior"] >= 1.5 * mass["prior"], (n, mass)


def test_timestamps_at_the_right_margin_stay_out_of_gaps(tmp_path):
    """A videotaped deposition prints the time at the right of each line ("10:32:15"): it is
    not testimony. A name at the end of a line is measured to its own end, not to the time,
    and no context holds the time."""
    import pymupdf
    from reportlab.pdfgen import canvas

    clear = tmp_path / "timed-clear.pdf"
    c = canvas.Canvas(str(clear), pagesize=(612, 792))
    texts = ["Q. Please state your name.", "A. John Carter.", "Q. Did you work with Mr. Ashworth",
             "A. Yes, for years.", "Q. Where?", "A. In Dayton, with Ms. Pruitt"] * 5
    c.setFont("Courier", 12)
    c.drawString(300, 760, "17")
    for i, text in enumerate(texts[:25]):
        y = 720 - 24 * i
        c.drawRightString(100, y, str(i + 1))
        c.drawString(110, y, text)
        c.drawString(500, y, f"10:{32 + i // 10:02d}:{(7 * i) % 60:02d}")
    c.save()
    doc = pymupdf.open(clear)
    for rect in doc[0].search_for("Ashworth") + doc[0].search_for("Pruitt"):
        doc[0].add_redact_annot(rect, fill=(0, 0, 0))
    doc[0].apply_redactions()
    doc.save(tmp_path / "timed.pdf")
    red = redact.open(tmp_path / "timed.pdf")
    assert len(red) == 8
    for r in red:
        assert r.citation and r.citation.startswith("17:")
        assert not re.search(r"\d\d:\d\d", r.gap.context_left + r.gap.context_right), r.id
        truth = "Ashworth" if "Mr." in r.gap.context_left[-5:] else "Pruitt"
        assert abs(r.gap.width_pt - r.width_of(truth)) < 0.05, (r.id, r.gap.width_pt, r.width_of(truth))
