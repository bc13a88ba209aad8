"""An archive run, measured: a generated folder through `leaks` and `scan` with 1 and 2 Dask
workers in one run (issue 13).

    python benchmarks/bench_archive.py --json
    python benchmarks/bench_archive.py --folder /tmp/archive --pages 400 --copies 1 --repeat 3

The folder (made once, then reused): every shipped sample, `--copies` more copies of each
under other names (so the folder holds about 40 documents), one long transcript of `--pages`
pages (a Min-U-Script layout with about five bars a page), and hostile files (not a PDF,
empty, truncated, encrypted, no text layer). For each command and worker count it reports
files/s, pages/s, and the peak resident memory of the worker processes; then the 2-worker /
1-worker ratio of the wall times (with `--repeat N`, of N pairs of runs back to back, and
their median: this machine's speed drifts by tens of percent over minutes). Separately, the
long transcript alone through `scan` in one process: its pages/s and peak RSS (what one core
does, and the memory bound a file keeps to).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))


def make_folder(folder: Path, pages: int, copies: int) -> Path:
    """The benchmark folder, made once: samples, copies, a long transcript, hostile files."""
    if (folder / "DONE").exists():
        return folder
    import pymupdf
    import transcripts
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted((ROOT / "samples").glob("*.pdf"))
    for s in samples:
        shutil.copy(s, folder / s.name)
        for k in range(copies):
            shutil.copy(s, folder / f"copy{k}-{s.name}")
    long = transcripts.build("transcript-minuscript-word", Path(tempfile.mkdtemp()), 13_000, pages)
    shutil.copy(long, folder / "long-transcript.pdf")
    bad = folder / "hostile"
    bad.mkdir(exist_ok=True)
    (bad / "notes.pdf").write_text("just text\n")
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "truncated.pdf").write_bytes(samples[0].read_bytes()[:9000])
    with pymupdf.open(samples[0]) as doc:
        doc.save(bad / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
                 user_pw="secret", owner_pw="o")
    c = canvas.Canvas(str(bad / "scan.pdf"))
    c.rect(100, 100, 60, 12, fill=1)
    c.save()
    (folder / "DONE").write_text("")
    return folder


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of a process, in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def archive_run(command: str, folder: Path, workers: int) -> dict:
    """`redact COMMAND FOLDER -o OUT --workers N` in a fresh process, timed; the worker
    processes' peak RSS is sampled while it runs."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "redact.cli", command, str(folder), "-o",
                                 str(out), "--workers", str(workers), "--timeout", "900"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "OMP_NUM_THREADS": "1"})
        peaks: dict[int, float] = {}
        while proc.poll() is None:
            for pid in _workers(proc.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), peak_rss_mb(pid))
            time.sleep(1.0)
        seconds = time.perf_counter() - start
        stderr = proc.stderr.read()
        records = [json.loads(line) for line in out.read_text().splitlines()]
    pages = sum((r.get("result") or {}).get("checked_pages", (r.get("result") or {}).get(
        "pages", 0)) or 0 for r in records)
    return {"command": command, "workers": workers, "files": len(records),
            "errors": sum(r["exit_code"] in (2, 3) for r in records), "pages": pages,
            "seconds": round(seconds, 2), "files_per_s": round(len(records) / seconds, 3),
            "pages_per_s": round(pages / seconds, 2),
            "peak_rss_mb_per_worker": round(max(peaks.values(), default=0.0), 1),
            "exit_code": proc.returncode, "summary": stderr.strip().splitlines()[-1:]}


def _workers(pid: int) -> list[int]:
    """Every descendant of `pid` (the Dask nannies and their worker processes), read from /proc:
    sampling must not take the CPU the workers are measured on."""
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, q in parent.items() if q == p]
        out += kids
        todo += kids
    return out


def one_file(path: Path) -> dict:
    """`redact scan FILE --json` on one core: seconds, pages/s, peak RSS."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "redact.cli", "scan",
                        str(path), "--json"], capture_output=True, text=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    seconds = time.perf_counter() - start
    rss = next((int(line.split()[-1]) / 1024 for line in p.stderr.splitlines()
                if "Maximum resident set size" in line), float("nan"))
    data = json.loads(p.stdout)
    return {"file": path.name, "pages": data["pages"], "bars": len(data["redactions"]),
            "seconds": round(seconds, 2), "pages_per_s": round(data["pages"] / seconds, 2),
            "peak_rss_mb": round(rss, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, default=Path("/tmp/redact-archive-bench"))
    ap.add_argument("--pages", type=int, default=400, help="pages of the long transcript")
    ap.add_argument("--copies", type=int, default=0, help="more copies of each sample")
    ap.add_argument("--commands", default="leaks,scan")
    ap.add_argument("--repeat", type=int, default=1,
                    help="pairs of runs (1 then 2 workers) per command; the ratio is their median")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = make_folder(args.folder, args.pages, args.copies)
    runs, ratios = [], {}
    for cmd in args.commands.split(","):
        pairs = []
        for _ in range(args.repeat):  # 1 then 2 workers, back to back: the machine drifts less
            one, two = (archive_run(cmd, folder, w) for w in (1, 2))
            runs += [one, two]
            pairs.append(round(one["seconds"] / two["seconds"], 2))
        ratios[cmd] = {"each": pairs, "median": round(float(median(pairs)), 2)}
    long = one_file(folder / "long-transcript.pdf")
    result = {"folder": str(folder), "cores": os.cpu_count(), "runs": runs,
              "speedup_2_over_1": ratios, "long_transcript_scan": long}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for r in runs:
        print(f"{r['command']:6s} workers {r['workers']}: {r['files']} files in {r['seconds']} s "
              f"({r['files_per_s']} files/s, {r['pages_per_s']} pages/s), {r['errors']} errors, "
              f"peak RSS per worker {r['peak_rss_mb_per_worker']} MB")
    print("2-worker / 1-worker speed:", ratios)
    print(f"long transcript scan, one core: {long['pages']} pages, {long['bars']} bars, "
          f"{long['seconds']} s ({long['pages_per_s']} pages/s), peak RSS {long['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
