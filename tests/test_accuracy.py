"""Issue 2's bar: every bar found, and the hidden first name or surname in the top 10 for at
least half of those redactions, on the committed samples and on documents never seen."""
from __future__ import annotations

import pytest

from accuracy import summarise


def _check(results, label):
    for res in results:
        assert res["bars"] == res["keyed"], f"{res['file']}: {res['bars']} bars for {res['keyed']} keyed"
        assert all(row["found"] for row in res["rows"]), res["file"]
    summary = summarise([r for r in results if r["producer"] != "transcript"])
    for producer, s in summary.items():
        assert s["names_top10"] >= 0.5, f"{label} {producer}: {s}"
    return summary


def test_committed_samples(committed_results):
    summary = _check(committed_results, "committed")
    assert summary["reportlab"]["median_error_pt"] <= 0.02
    assert summary["libreoffice"]["median_error_pt"] <= 0.1


def test_fresh_documents(fresh_results):
    summary = _check(fresh_results, "fresh")
    assert summary["reportlab"]["median_error_pt"] <= 0.02
    if "libreoffice" in summary:
        assert summary["libreoffice"]["median_error_pt"] <= 0.1


@pytest.mark.parametrize("name", ["reportlab-serif", "reportlab-sans", "reportlab-times"])
def test_reportlab_gap_within_two_hundredths(committed_results, name):
    res = next(r for r in committed_results if r["file"].endswith(f"{name}.pdf"))
    both = sorted(row["error_pt"] for row in res["rows"])
    assert both[len(both) // 2] <= 0.02


def test_transcript_says_monospace(committed_results):
    import redact
    from conftest import SAMPLES

    doc = redact.open(SAMPLES / "transcript-courier.pdf")
    r = doc.redactions[0]
    assert r.metrics.monospace
    assert "character count" in r.guess(top=3).note
