"""An archive of small files: one worker against the default, with and without batching.

    python benchmarks/bench_small_files.py samples --command leaks --repeat 2

Runs `redact.batch.run` over every PDF under the folder: in this process (`workers=0`), on a
local Dask cluster of the core count with one file a task (`BATCH_FILES=1`), and the same with
small files batched (the default). The three runs of a round go back to back, as this machine's
speed drifts by tens of percent over minutes; the ratios are within a round. Exit 1 if the
default is slower than one worker in the median round.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from redact import batch


def timed(folder: str, command: str, workers: int, batch: int) -> float:
    """Seconds for one run as a user starts it: a fresh process, records to a fresh file."""
    with tempfile.TemporaryDirectory() as tmp:
        code = (f"import sys, redact.batch as a; a.BATCH_FILES = {batch}; "
                f"from redact.cli import main; sys.exit(main({[command, folder, '-o', tmp + '/o.jsonl', '--workers', str(workers)]!r}))")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], capture_output=True)
        return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--command", default="leaks", choices=batch.COMMANDS)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    paths = batch.inputs([opts.folder])
    default_batch = batch.BATCH_FILES
    cores = os.cpu_count() or 1
    rounds = []
    for _ in range(opts.repeat):
        serial = timed(opts.folder, opts.command, 0, default_batch)
        unbatched = timed(opts.folder, opts.command, cores, 1)
        batched = timed(opts.folder, opts.command, cores, default_batch)
        rounds.append({"serial_s": round(serial, 1), "one_file_a_task_s": round(unbatched, 1),
                       "batched_s": round(batched, 1),
                       "serial_over_batched": round(serial / batched, 2),
                       "serial_over_one_file_a_task": round(serial / unbatched, 2)})
    median = statistics.median(r["serial_over_batched"] for r in rounds)
    out = {"files": len(paths), "workers": cores, "command": opts.command, "rounds": rounds,
           "median_serial_over_batched": median}
    print(json.dumps(out, indent=1) if opts.json else "\n".join(map(str, rounds)) +
          f"\nmedian one worker / default: {median}")
    return 0 if median >= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
