"""Metric sources, bar merging, and measurement on real producer output."""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SAMPLES

import redact
from redact.pdf.fonts import FontMetrics, encode_pairs, split_name


def test_metric_sources():
    serif = redact.open(SAMPLES / "reportlab-serif.pdf").redactions[0].metrics
    assert serif.source == "widths" and serif.substitute == "LiberationSerif-Regular.ttf"
    times = redact.open(SAMPLES / "reportlab-times.pdf").redactions[0].metrics
    assert times.source == "afm"
    courier = redact.open(SAMPLES / "transcript-courier.pdf").redactions[0].metrics
    assert courier.monospace


def test_pdf_widths_win_over_the_substitute():
    """Characters the document printed keep the document's own widths."""
    doc = redact.open(SAMPLES / "libreoffice-serif.pdf")
    m = doc.redactions[0].metrics
    for line in doc.layout.pages[0].lines[:5]:
        for g in line.glyphs:
            if g.font == m.name and g.text in m.advance_em:
                assert abs(m.advance_em[g.text] * g.size_pt - g.advance_pt) < 1e-3


def test_unknown_glyph_is_unmeasurable():
    m = FontMetrics("X", "widths", {"a": 0.5, "b": 0.25, " ": 0.25})
    w = m.measure_em(encode_pairs(["ab", "a b", "a\u738b"]))
    assert w[0] == 0.75 and w[1] == 1.0 and np.isnan(w[2])
    r = redact.open(SAMPLES / "reportlab-serif.pdf").redactions[0]
    assert np.isnan(r.width_of("\u738b\u5c0f\u660e"))


def test_substitute_must_agree_with_document_widths():
    from redact.pdf.fonts import find_substitute

    liberation = dict(find_substitute("Arial", {"a": 0.556, "b": 0.556, "c": 0.5})[1])
    assert liberation  # Liberation Sans agrees with Arial's widths
    wrong = {"a": 0.6, "b": 0.6, "c": 0.6}  # widths no Arial-compatible font has
    assert find_substitute("Arial", wrong)[0] is None


@pytest.mark.parametrize("name,expect", [
    ("ABCDEF+TimesNewRomanPS-BoldItalicMT", ("timesnewroman", True, True)),
    ("ArialMT", ("arial", False, False)),
    ("Calibri,Bold", ("calibri", True, False)),
    ("Helvetica-Oblique", ("helvetica", False, True)),
])
def test_font_names(name, expect):
    assert split_name(name) == expect


def test_per_word_boxes_merge_into_one_bar(tmp_path):
    """A full name redacted word by word (a visible space between the boxes) is one bar with
    two parts, and its gap still fits the name."""
    import make_samples
    import pymupdf

    clear = tmp_path / "clear.pdf"
    make_samples.make_reportlab(["The letter was signed by Jonathan Whitfield on the morning "
                                 "of March 3 in the presence of the clerk."], clear,
                                "Liberation Serif", 11, False)
    doc = pymupdf.open(clear)
    page = doc[0]
    for word in ("Jonathan", "Whitfield"):
        for rect in page.search_for(word):
            page.add_redact_annot(rect, fill=(0, 0, 0))
    page.apply_redactions()
    out = tmp_path / "red.pdf"
    doc.save(out)
    rd = redact.open(out)
    assert len(rd.redactions) == 1
    r = rd.redactions[0]
    assert len(r.bar.parts) == 2
    assert abs(r.gap.width_pt - r.width_of("Jonathan Whitfield")) < 0.05
    # the visible space between the boxes splits the gap into two words, each measured alone
    first, last = r.gap.segments()
    for seg, word in ((first, "Jonathan"), (last, "Whitfield")):
        assert abs(seg.width_pt - r.metrics.measure_em(encode_pairs([word]))[0] * seg.size_pt) < 0.02
    ranking = r.guess(top=200)
    assert "split into 2 words" in ranking.note
    texts = [c.text for c in ranking.candidates]
    assert "Jonathan Whitfield" in texts
    assert all(len(t.split()) == 2 for t in texts)


def test_gap_matches_true_width_on_reportlab():
    key = json.loads((SAMPLES / "reportlab-sans.json").read_text())["redactions"]
    doc = redact.open(SAMPLES / "reportlab-sans.pdf")
    both = [(r, k) for r, k in zip(doc.redactions, key) if r.gap.edges == "both"]
    assert len(both) > 10
    errs = [abs(r.gap.width_pt - r.width_of(k["text"])) for r, k in both]
    assert np.median(errs) < 0.02 and max(errs) < 0.05


def test_title_context_means_surnames():
    from redact.rank.candidates import after_title, default_hypotheses

    assert after_title("the deposition of Mr. ")
    assert after_title("(Dr.")
    assert not after_title("signed by ")
    assert [h.label for h in default_hypotheses("met with Ms. ")] == ["surnames"]
    assert len(default_hypotheses("met with ")) == 3


def test_wordlist_weights(tmp_path):
    from redact.rank.candidates import load_wordlist

    path = tmp_path / "w.txt"
    path.write_text("# comment\nAlpha\t3\nBeta\n\nGamma\t0.5\n")
    wl = load_wordlist(str(path))
    assert list(wl.texts) == ["Alpha", "Beta", "Gamma"]
    assert list(wl.weights) == [3.0, 1.0, 0.5]
    assert np.isclose(np.exp(wl.log_prior).sum(), 1.0)
    surnames = load_wordlist("surnames")
    assert len(surnames) == 88_799 and surnames.texts[0] == "Smith"
    assert len(load_wordlist("first")) == 5_163


def test_width_engine_equals_the_naive_loop():
    """The vectorised engine (pair look-ups over the list's alphabet) gives the same widths,
    kerning included, as a plain loop over fontTools metrics."""
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "benchmarks"))
    import bench_widths

    from redact.rank.candidates import load_wordlist

    texts = load_wordlist("surnames").texts[::40]
    m = bench_widths.engine_metrics()
    assert m.kern_em
    fast = m.measure_em(load_wordlist("surnames").encoded, kerning=True)[::40]
    slow = np.array(bench_widths.naive_widths(texts))
    assert np.allclose(fast, slow, atol=1e-9, equal_nan=True)
    kerned = m.inner_kern_em(texts)
    assert (kerned != 0).sum() > 10  # the comparison covers kerned names


def test_notebook_display_and_records():
    doc = redact.open(SAMPLES / "reportlab-serif.pdf")
    rows = doc.records()
    assert len(rows) == len(doc) and rows[0]["id"] == "p1-1" and rows[0]["gap.width_pt"] > 0
    html = doc._repr_html_()
    assert html.count("<tr>") == len(doc) + 1
    ranking = doc.redactions[2].guess(top=5)
    recs = ranking.records()
    assert [r["rank"] for r in recs] == [1, 2, 3, 4, 5]
    assert recs[0]["text"] in ranking._repr_html_()


def test_surname_likelihood_of_a_full_name_bar_sums_over_first_names():
    """The convolution that gives a full-name bar's evidence on each surname matches the direct
    sum over every first name, and the hidden surname is supported (ratio above 1)."""
    import redact
    from redact.measure.widths import Frame
    from redact.measure.wordlist import Wordlist
    from redact.rank import link
    from redact.rank.candidates import load_wordlist
    from redact.rank.score import _loglik, surname_log_likelihood

    doc = redact.open(SAMPLES / "memo-six-bars.pdf")
    r = doc["p1-1"]  # "Sandra Vincent"
    first, surnames = load_wordlist("first"), load_wordlist("surnames")
    some = Wordlist("some", np.array(["Vincent", "Smith", "Garcia"]), np.ones(3))
    got = surname_log_likelihood(r.gap, r.metrics, first, some, r.scale, r.kerning)
    frame = Frame.of(r.gap, r.metrics, r.scale, r.kerning)
    f, s = frame.items(first, "first"), frame.items(some, "last")
    for j in range(3):
        ll = _loglik(r.gap.width_pt - f.value_pt - s.value_pt[j] - frame.pair_joint_pt,
                     r.gap.sigma_for_pt(f.n_spaces + 1)) + f.log_prior
        ll = ll[np.isfinite(ll)]
        want = ll.max() + np.log(np.exp(ll - ll.max()).sum())
        assert abs(got[j] - want) < 0.005
    ev = link.evidence(r)
    assert ev.kind == "full" and ev.weight > 0.5
    # first names are dense in width, so the support is weak (see benchmarks/ceiling.py)
    assert ev.log_ratio[list(surnames.texts).index("Vincent")] > 0


def test_mupdf_measures_removed_type1_glyphs_in_whole_units():
    """MuPDF wrote the removed text's width as TJ numbers in whole font units: the model is
    chosen on those numbers (every pdfTeX bar's is whole; by chance 1 in 10 would be), the
    removed text of the Type 1 font is measured in whole units, and the visible text's
    calibration keeps the exact ones. Where no bar left a TJ number the exact model stands."""
    import redact

    tex = redact.open(SAMPLES / "pdftex-lmodern.pdf")
    (model,) = tex.engine.values()
    assert model.model == "whole-units" and model.whole_offsets == model.offsets >= 10
    assert model.chance_whole < 0.2
    exact = next(iter(tex.metrics.values()))
    hidden = tex.redactions[0].metrics
    assert hidden is not exact and tex.redactions[0].to_dict()["engine_model"] == "whole-units"
    assert all(abs(w * 1000 - round(w * 1000)) < 1e-9 for w in hidden.advance_em.values())
    assert max(abs(hidden.advance_em[c] - exact.advance_em[c]) for c in "abcdefghij") > 1e-4
    memo = redact.open(SAMPLES / "memo-six-bars.pdf")  # the glyph after each bar is a new run
    assert all(m.model == "exact" and m.offsets == 0 for m in memo.engine.values())
    assert all(r.metrics is memo.metrics[r.gap.font] for r in memo.redactions)


def test_the_engine_model_ignores_the_producer_string(tmp_path):
    """A re-save drops MuPDF's header comment; the evidence (the TJ numbers) is still there."""
    import redact

    data = (SAMPLES / "pdftex-lmodern.pdf").read_bytes()
    assert b"Written by MuPDF" in data[:1024]
    plain = tmp_path / "resaved.pdf"
    plain.write_bytes(data.replace(b"Written by MuPDF", b" " * len(b"Written by MuPDF"), 1))
    doc = redact.open(plain)
    assert [m.model for m in doc.engine.values()] == ["whole-units"]
    errors = []
    key = json.loads((SAMPLES / "pdftex-lmodern.json").read_text())["redactions"]
    for r, k in zip(doc.redactions, key):
        if r.gap.measurable and r.page == k["page"] and abs(r.bbox[0] - k["bbox"][0]) < 1:
            errors.append(abs(r.gap.width_pt - r.width_of(k["text"])))
    assert len(errors) >= 10 and float(np.median(errors)) <= 0.025


def test_whole_units_round_half_away_from_zero():
    from redact.pdf.fonts import FontMetrics

    m = FontMetrics("x", "widths", {"a": 0.2225, "b": 0.2235, "c": 0.5555}, units_per_em=1000)
    w = m.in_whole_units().advance_em
    assert (round(w["a"] * 1000), round(w["b"] * 1000), round(w["c"] * 1000)) == (223, 224, 556)
    m2 = FontMetrics("y", "widths", {"a": 0.25}, units_per_em=2048)
    assert m2.in_whole_units().advance_em["a"] == 512 / 2048


def test_best_scores_are_a_stable_sort_without_sorting_the_rest():
    """The ranking takes its best candidates by partition: the same indices, in the same order,
    as a stable argsort would give, ties (equal widths and priors) in list order included."""
    from redact.rank.score import _best

    rng = np.random.default_rng(7)
    for n in (3, 60, 5000):
        for k in (1, 10, 48):
            tied = rng.integers(0, 12, n).astype(float)
            tied[rng.random(n) < 0.2] = -np.inf  # candidates the constraints rule out
            for score in (tied, rng.normal(size=n)):
                assert _best(score, k).tolist() == np.argsort(-score, kind="stable")[:k].tolist()
