"""Many files (redact.batch): records per file, Dask workers, time limits, resuming."""
from __future__ import annotations

import json
import shutil

from conftest import SAMPLES, run_cli
from test_cli import _make_bad

SMALL = ["memo-six-bars.pdf", "reportlab-serif.pdf", "transcript-courier.pdf"]


def _records(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def _folder(tmp_path):
    """Three samples, and bad files in a subfolder; a list naming one more sample."""
    folder = tmp_path / "in"
    (folder / "bad").mkdir(parents=True)
    for name in SMALL:
        shutil.copy(SAMPLES / name, folder / name)
    bad = _make_bad(tmp_path)
    for kind in ("not_a_pdf", "truncated", "encrypted", "no_text", "no_bars"):
        shutil.copy(bad[kind], folder / "bad" / bad[kind].name)
    (folder / "notes.txt").write_text("not a PDF name: left out of a folder\n")
    listed = tmp_path / "list.txt"
    listed.write_text(f"{SAMPLES / 'reportlab-sans.pdf'}\n{bad['missing']}\n")
    return folder, listed


def test_two_workers_give_the_serial_records(tmp_path):
    """A local Dask cluster of two workers over samples and bad files writes the records the
    serial run writes, in input order: one per file, an unreadable file one error line."""
    folder, listed = _folder(tmp_path)
    outs = {}
    for workers in (0, 2):
        out = tmp_path / f"out{workers}.jsonl"
        p = run_cli("leaks", folder, "--from-list", listed, "-o", out, "--workers", workers,
                    timeout=600)
        assert p.returncode == 2, p.stderr  # unusable files among them, no leak
        assert "Traceback" not in p.stderr and "10 files" in p.stderr, p.stderr
        outs[workers] = [{k: v for k, v in r.items() if k != "seconds"} for r in _records(out)]
    assert outs[0] == outs[2]
    recs = outs[2]
    names = [r["file"].rsplit("/", 1)[-1] for r in recs]
    assert names == ["clean.pdf", "encrypted.pdf", "notes.pdf", "scan.pdf", "truncated.pdf",
                     *SMALL, "reportlab-sans.pdf", "missing.pdf"]
    by_name = dict(zip(names, recs))
    assert by_name["truncated.pdf"]["exit_code"] in (0, 2)  # pdfium may repair it
    assert by_name["encrypted.pdf"]["exit_code"] == 2 and "password" in by_name["encrypted.pdf"]["error"]
    assert by_name["notes.pdf"]["exit_code"] == 2 and "not a PDF" in by_name["notes.pdf"]["error"]
    assert by_name["missing.pdf"]["exit_code"] == 2 and by_name["missing.pdf"]["sha256"] is None
    for name in SMALL:
        r = by_name[name]
        assert r["exit_code"] == 0 and r["result"]["leaks"] == [] and len(r["sha256"]) == 64


def test_a_file_that_hangs_is_stopped_and_the_run_goes_on(tmp_path):
    """A page of 150,000 tiny boxes takes pdfplumber minutes: with a 3 s limit its worker is
    stopped, the record says so, and the files after it still get theirs."""
    from reportlab.pdfgen import canvas

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "memo-six-bars.pdf", folder / "a.pdf")
    c = canvas.Canvas(str(folder / "b-slow.pdf"))
    c.drawString(72, 720, "A page that takes long to read.")
    for i in range(150_000):
        c.rect(72 + (i % 400), 72 + (i // 400) % 600, 0.5, 0.5, fill=1, stroke=0)
    c.save()
    shutil.copy(SAMPLES / "reportlab-serif.pdf", folder / "c.pdf")
    out = tmp_path / "out.jsonl"
    p = run_cli("scan", folder, "-o", out, "--workers", 1, "--timeout", 3, timeout=600)
    recs = _records(out)
    assert [r["file"].rsplit("/", 1)[-1] for r in recs] == ["a.pdf", "b-slow.pdf", "c.pdf"]
    assert recs[1]["exit_code"] == 2 and "time limit of 3 s" in recs[1]["error"], recs[1]
    assert recs[0]["exit_code"] == 0 and recs[2]["exit_code"] == 0
    assert p.returncode == 2 and "1 error," in p.stderr, p.stderr


def test_a_resumed_run_skips_what_is_done(tmp_path):
    """Killed halfway (here: one record written, and half a line), the run again skips the
    recorded file, finishes the rest, and leaves one whole line per file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(SAMPLES / name, folder / name)
    out = tmp_path / "out.jsonl"
    p = run_cli("scan", folder / SMALL[0], "-o", out, "--workers", 0)
    assert p.returncode == 0, p.stderr
    first = out.read_text()
    out.write_text(first + '{"file": "cut sh')
    p = run_cli("scan", folder, "-o", out, "--workers", 2, timeout=600)
    assert p.returncode == 0, p.stderr
    assert "2 files (1 skipped: already recorded)" in p.stderr, p.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == first.strip() and lines[1] == '{"file": "cut sh'
    recs = [json.loads(line) for line in lines[2:]]
    assert [r["file"].rsplit("/", 1)[-1] for r in recs] == SMALL[1:]
    assert all(len(r["result"]["redactions"]) > 0 for r in recs)


def test_an_interrupted_run_keeps_the_files_it_finished(tmp_path):
    """Records come out in input order, so the files finished behind a slow first file wait;
    stopped by SIGTERM (kill, timeout), the run writes them before it exits, and the next run
    does only the slow file."""
    import signal
    import subprocess
    import sys
    import time

    from reportlab.pdfgen import canvas

    folder = tmp_path / "in"
    folder.mkdir()
    c = canvas.Canvas(str(folder / "a-slow.pdf"))
    for _ in range(8):  # 150,000 tiny boxes a page: over 10 s a page to read
        c.drawString(72, 720, "A page that takes long to read.")
        for i in range(150_000):
            c.rect(72 + (i % 400), 72 + (i // 400) % 600, 0.5, 0.5, fill=1, stroke=0)
        c.showPage()
    c.save()
    for name in SMALL:
        shutil.copy(SAMPLES / name, folder / name)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "redact.cli", "scan", str(folder), "-o",
                             str(out), "--workers", "2", "--timeout", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(40)  # the cluster starts, one worker reads the slow file, the other the rest
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in err, err
    assert "Traceback" not in err.split("interrupted")[-1]
    names = sorted(r["file"].rsplit("/", 1)[-1] for r in _records(out))
    assert names == sorted(SMALL), names  # finished behind the slow file, written anyway
    p = run_cli("scan", folder, "-o", out, "--workers", 1, "--timeout", 3, timeout=600)
    assert "1 file (3 skipped: already recorded)" in p.stderr, p.stderr
    recs = _records(out)
    assert len(recs) == 4 and "time limit" in recs[-1]["error"]


def test_small_files_share_a_task(tmp_path):
    """Files under a megabyte go to Dask several to a task (never so many that a worker waits
    idle), a larger file alone and first; every file once."""
    from redact import batch

    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (batch.SMALL_BYTES + 10))
    small = []
    for i in range(40):
        f = tmp_path / f"s{i:02d}.pdf"
        f.write_bytes(b"%PDF-1.4\n" + b"0" * (100 + i))
        small.append(f)
    todo = list(enumerate((str(p), None) for p in [*small, big]))
    tasks = batch.batches(todo, threads=2)
    assert tasks[0] == [todo[-1]]  # the large file first, alone
    assert sorted(i for t in tasks for i, _ in t) == list(range(41))
    assert all(len(t) == 5 for t in tasks[1:])  # 40 small files / (4 tasks x 2 threads)
    assert len(batch.batches(todo, threads=64)[1]) == 1  # many workers: one file a task
