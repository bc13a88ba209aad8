"""One verdict, everywhere: every command that speaks of leaks says the same of every file,
a page limit never turns a leaking file clean, and each bar's answer shows how strong it is."""
from __future__ import annotations

import contextlib
import io
import json
import os
from html import escape as html_escape
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from redact import batch, cli
from redact.api import leak_check
from redact.rank.verdict import GIVEN_AWAY

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = sorted((SHARED / "real-court").glob("*.pdf")) + sorted(
    (SHARED / "real-transcripts").glob("*.pdf"))[:2]
PLAIN_LEAK = SAMPLES / "transcript-chromium-plain-leak.pdf"


def _main(*args) -> tuple[int, str, str]:
    """`redact ARGS` in this process (the samples' fonts and lists are read once)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _findings(leaks: list[dict]) -> list[tuple]:
    return sorted((f["page"], f["kind"], f["text"], f.get("citation")) for f in leaks)


def _agree(pdf: Path, tmp_path: Path, every_command: bool = True) -> list[tuple]:
    """The leak findings of `leaks`, `guess`, `audit`, `report` and an archive record of
    `guess` on one file: all the same, and the exit status says "leak found" in every one.
    `every_command=False`: `leaks` and `guess` only (the others take the leak check as `guess`
    does: from the document it opened)."""
    code, out, err = _main("leaks", pdf, "--json")
    assert code in (0, 1), err
    want = _findings(json.loads(out)["leaks"])
    status = 1 if want else 0
    fast = ["-w", "surnames", "--independent", "--top", "1"]  # the leak check is the same
    code, out, err = _main("guess", pdf, "--json", *fast)
    if code == 1 and not out:  # no bars: the one line still gives the leak check's answer
        assert "no redaction bars" in err and f"{len(want)} leak" in err if want else \
            "no hidden text found" in err, err
        return want
    assert code == status, ("guess", pdf.name, err)
    guessed = json.loads(out)
    assert _findings(guessed["leak_check"]["leaks"]) == want, ("guess", pdf.name)
    if not every_command:
        return want
    one = ["-r", guessed["redactions"][0]["id"]]
    code, out, err = _main("audit", pdf, "--json", *one, *fast[:-2])
    assert code == status, ("audit", pdf.name, err)
    assert _findings(json.loads(out)["leak_check"]["leaks"]) == want, ("audit", pdf.name)
    html = tmp_path / f"{pdf.stem}.html"
    code, out, err = _main("report", pdf, "-o", html, *one, *fast[:-2], "--proofs", "0")
    assert code == status, ("report", pdf.name, err)
    head = html.read_text()
    head = head[:head.find('<section class="bar"')]
    for _, _, text, _ in want:
        assert html_escape(text) in head, (pdf.name, text)
    if not want:
        assert "no hidden text found" in head
    args = cli.build_parser().parse_args(["guess", str(pdf), *one, *fast])
    records: list[dict] = []
    batch.run([pdf], "guess", cli.options(args), records.append, workers=0)
    assert records[0]["exit_code"] == status
    assert _findings(records[0]["result"]["leak_check"]["leaks"]) == want
    return want


@pytest.mark.parametrize("pdf", sorted(SAMPLES.glob("*.pdf")), ids=lambda p: p.stem)
def test_every_command_gives_one_verdict_on_the_samples(pdf, tmp_path):
    found = _agree(pdf, tmp_path)
    if "leak" in pdf.stem:  # the transcripts whose index still prints the hidden names
        assert found and all(kind == "index" for _, kind, _, _ in found)


@pytest.mark.skipif(not REAL, reason="../shared/real-court is not here")
def test_every_command_gives_one_verdict_on_real_filings(tmp_path):
    for pdf in REAL:
        _agree(pdf, tmp_path, every_command=False)  # the findings are compared, never printed


def test_a_page_limit_limits_pages_never_a_check():
    """--max-pages that covers the file finds every leak (the word index included); one
    that does not never says "clean": it says what it did not check and exits 2."""
    full = leak_check(PLAIN_LEAK)
    assert full.leaks and full.index_check == "checked" and full.complete
    code, out, err = _main("leaks", PLAIN_LEAK, "--max-pages", "50", "--json")
    assert code == 1 and _findings(json.loads(out)["leaks"]) == _findings(
        [f.to_dict() for f in full.leaks])
    code, out, err = _main("leaks", PLAIN_LEAK, "--max-pages", "3")
    assert code == 2 and "no hidden text found" not in out
    assert "pages 4-15 were not checked" in out and "nor any word index on them" in err
    limited = json.loads(_main("leaks", PLAIN_LEAK, "--max-pages", "3", "--json")[1])
    assert limited["complete"] is False and limited["limit_pages"] == 3


def test_a_careless_box_is_a_leak_in_guess_and_audit(careless):
    """Text still under a bar: guess and audit name it at the bar and point to `leaks`."""
    code, out, err = _main("guess", careless, "--top", "3")
    assert code == 1, err
    assert "leak check: 7 leaks" in " ".join(out.split())
    assert 'given away: "Amelia Hartwell" is still in the file under the box' in " ".join(out.split())
    code, out, err = _main("audit", careless, "--json")
    rows = json.loads(out)["redactions"]
    given = {r["verdict"]["leak"]["text"] for r in rows if r["verdict"]["evidence"] == GIVEN_AWAY}
    assert {"Amelia Hartwell", "Bruno Castellan"} <= given


def test_verdicts_show_strength_and_sort_strongest_first():
    """An index leak is given away at high probability; a width-only bar says how many
    candidates share 90% of its probability; the table lists the given-away bars first."""
    code, out, err = _main("guess", SAMPLES / "transcript-veritext-leak.pdf", "--json",
                           "--top", "3")
    assert code == 1, err
    bars = json.loads(out)["redactions"]
    given = [b for b in bars if b["verdict"]["evidence"] == GIVEN_AWAY]
    assert len(given) == len(json.loads(out)["leak_check"]["leaks"]) > 0
    for b in given:
        assert b["candidates"][0]["text"] == b["verdict"]["leak"]["text"]
    code, out, err = _main("guess", SAMPLES / "transcript-veritext-leak.pdf", "--json",
                           "--no-index", "-r", given[0]["id"])
    assert code == 1 and len(json.loads(out)["leak_check"]["leaks"]) == len(given)  # the check
    assert json.loads(out)["redactions"][0]["verdict"]["evidence"] == GIVEN_AWAY  # never drops it
    code, out, err = _main("guess", SAMPLES / "memo-six-bars.pdf", "--json")
    bars = json.loads(out)["redactions"]
    for b in bars:
        v = b["verdict"]
        assert v["evidence"] == "width only" and v["strength"] in ("weak", "moderate", "strong")
        assert v["covering_90"] is None or v["covering_90"] >= 1
        assert b["considered"] == 88_799 or b["considered"] > 10**8
    code, out, err = _main("audit", SAMPLES / "transcript-veritext-leak.pdf")
    rows = [line for line in out.splitlines() if line.startswith("│ p")]
    kinds = ["given away" in line for line in rows]
    assert kinds == sorted(kinds, reverse=True) and kinds[0]


def test_guess_and_audit_count_the_same_candidates():
    code, out, _ = _main("guess", SAMPLES / "memo-six-bars.pdf", "--json", "--top", "1")
    guessed = {b["id"]: b["considered"] for b in json.loads(out)["redactions"]}
    code, out, _ = _main("audit", SAMPLES / "memo-six-bars.pdf", "--json")
    audited = {r["id"]: r["considered"] for r in json.loads(out)["redactions"]}
    assert guessed == audited and max(guessed.values()) > 400_000_000


def test_a_context_shows_every_bar_of_its_line():
    """"On March 24, ▇ met ▇ in Reno": each bar's context shows the other as a numbered block."""
    code, out, _ = _main("scan", SAMPLES / "memo-six-bars.pdf", "--json")
    bars = {b["id"]: b["gap"] for b in json.loads(out)["redactions"]}
    assert bars["p1-1"]["context_right"].startswith(" met █p1-2█ in Reno")
    assert bars["p1-2"]["context_left"].endswith("On March 24, █p1-1█ met ")
    code, out, _ = _main("guess", SAMPLES / "memo-six-bars.pdf", "-r", "p1-2", "--top", "1")
    assert "█p1-1█ met" in out and " p1-2 " in out


def test_names_the_document_prints_are_names():
    """"In December" at a sentence start, "In Re", a street or a firm are not names."""
    import redact

    for name in ("libreoffice-carlito", "reportlab-times", "transcript-plain-leak"):
        seen = redact.open(SAMPLES / f"{name}.pdf").seen
        printed = set(seen.full) | set(seen.surnames) | set(seen.first)
        assert printed and not any(t.split()[0] in ("In", "See") for t in printed), printed
    from redact.rank.seen import seen_names

    got = seen_names([(1, "In March the court met. Judge Ruth Baker sat in Santa Ana."),
                      (1, "Counsel at 100 Franklin Street filed In Re Smith for the firm."),
                      (1, "the file was sent and Palmer File came in; Mr. Justice spoke")])
    assert set(got.full) == {"Ruth Baker"} and "Justice" not in got.surnames


def test_small_things(tmp_path):
    code, out, err = _main("guess", SAMPLES / "memo-six-bars.pdf", "--csv", "-r", "p1-1")
    header, row = out.splitlines()[:2]
    width = row.split(",")[header.split(",").index("gap.width_pt")]
    assert width == "74.316"
    code, out, err = _main("report", SAMPLES / "memo-six-bars.pdf", "-o", tmp_path / "r.html",
                           "-r", "p1-1", "--proofs", "0", "--top", "2")
    assert code == 0 and "1 bar," in out and "1 bars" not in out
    p = run_cli("--bogus")
    assert p.returncode == 2 and p.stderr.count("redact:") == 1 and "redact: redact" not in p.stderr
    p = run_cli("guess")
    assert p.returncode == 2 and "give a PDF" in p.stderr and "the list" not in p.stderr
    env = {**os.environ, "COLUMNS": "80"}
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "redact.cli", "audit", str(SAMPLES / "memo-six-bars.pdf")],
                       capture_output=True, text=True, env=env)
    assert "…" not in p.stdout and "458,563," in p.stdout  # numbers are never cut
