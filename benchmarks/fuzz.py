"""Mutate PDFs and run the command line on every mutant: exit statuses, tracebacks, hangs, crashes.

    python benchmarks/fuzz.py --mutants 1000 --seed 1          # the long run
    python benchmarks/fuzz.py --mutants 200 --json

A mutant is a shipped sample with a few edits (bytes flipped in streams and in the xref, runs
zeroed, chunks cut, repeated or inserted, numbers made huge, the file truncated). Each runs
through `redact scan`, `redact leaks` or `redact guess` in a worker process, so that a hang
(no answer within the time limit) or a crash of native code (pdfium) is caught and counted, and
the worker restarted. The tests run a few hundred mutants through the same machinery
(tests/test_fuzz.py); this script runs as many as asked.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import select
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "samples" / n for n in ("memo-six-bars.pdf", "pdftex-lmodern-ragged.pdf",
                                           "chromium-carlito.pdf")]
OPS = ("flip", "zero", "cut", "repeat", "insert", "number", "truncate")
COMMANDS = {"scan": ["scan", "--json"], "leaks": ["leaks", "--json"],
            "guess": ["guess", "--json", "--top", "1", "--wordlist", "first"]}


def apply(data: bytes, plan) -> bytes:
    """Edit `data` by a plan of (op, where in 0..1, length, byte) steps."""
    b = bytearray(data)
    for op, where, length, byte in plan:
        if not b:
            break
        i = min(int(where * len(b)), len(b) - 1)
        if op == "flip":
            for k in range(i, min(i + length, len(b))):
                b[k] ^= 1 << (byte % 8)
        elif op == "zero":
            b[i:i + length] = bytes(len(b[i:i + length]))
        elif op == "cut":
            del b[i:i + length]
        elif op == "repeat":
            b[i:i] = b[i:i + length]
        elif op == "insert":
            b[i:i] = bytes([byte]) * length
        elif op == "number":  # the next digit run becomes huge or negative
            j = next((k for k in range(i, min(i + 4096, len(b))) if chr(b[k]).isdigit()), None)
            if j is not None:
                k = j
                while k < len(b) and chr(b[k]).isdigit():
                    k += 1
                b[j:k] = (b"-" if byte % 2 else b"") + b"9" * (1 + byte % 30)
        elif op == "truncate":
            del b[i:]
    return bytes(b)


def random_plan(rng: random.Random) -> list[tuple]:
    return [(rng.choice(OPS), rng.random(), rng.randint(1, 64), rng.randint(0, 255))
            for _ in range(rng.randint(1, 4))]


@dataclass
class Outcome:
    kind: str  # "exit", "hang" or "crash"
    status: int | None
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr

    @property
    def internal(self) -> bool:
        return "internal error" in self.stderr


class Worker:
    """A process that runs CLI commands on request (see `serve`), restarted after a hang or crash."""

    def __init__(self, timeout: float = 60.0, commands: dict[str, list[str]] | None = None):
        self.timeout = timeout
        self.commands = COMMANDS if commands is None else commands  # name -> argv
        self.proc = None

    def _start(self):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                     text=True, bufsize=1)

    def run(self, command: str, path: Path) -> Outcome:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        start = time.monotonic()
        argv = self.commands[command]
        self.proc.stdin.write(json.dumps({"argv": [argv[0], str(path), *argv[1:]]}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.close()
            return Outcome("hang", None, "", time.monotonic() - start)
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            return Outcome("crash", code, "", time.monotonic() - start)
        out = json.loads(line)
        return Outcome("exit", out["status"], out["stderr"], time.monotonic() - start)

    def close(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def serve() -> int:
    """The worker's loop: one JSON request a line in, one JSON answer a line out."""
    from redact.cli import main

    for line in sys.stdin:
        argv = json.loads(line)["argv"]
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # what a user would see as a traceback
                err.write(traceback.format_exc())
                status = -1
        print(json.dumps({"status": status, "stderr": err.getvalue()[-4000:]}), flush=True)
    return 0


def campaign(mutants: int, seed: int, timeout: float = 60.0) -> dict:
    rng = random.Random(seed)
    sources = {p: p.read_bytes() for p in SOURCES}
    worker = Worker(timeout)
    counts: Counter = Counter()
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(mutants):
            src = rng.choice(list(sources))
            plan = random_plan(rng)
            command = rng.choice(list(COMMANDS))
            path = Path(tmp) / f"mutant-{i}.pdf"
            path.write_bytes(apply(sources[src], plan))
            out = worker.run(command, path)
            key = out.kind if out.kind != "exit" else f"exit {out.status}"
            counts[key] += 1
            counts["internal errors"] += out.internal
            counts["tracebacks"] += out.traceback
            if out.kind != "exit" or out.status not in (0, 1, 2) or out.traceback or out.internal:
                bad.append({"source": src.name, "plan": plan, "command": command,
                            "kind": out.kind, "status": out.status, "stderr": out.stderr[-300:]})
    worker.close()
    return {"mutants": mutants, "seed": seed, "outcomes": dict(counts), "bad": bad[:50]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mutants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a mutant is a hang")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        return serve()
    result = campaign(args.mutants, args.seed, args.timeout)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(json.dumps(result["outcomes"]))
        for b in result["bad"]:
            print(b)
    return 1 if result["bad"] else 0  # a hang, a crash, a traceback or an exit 3 (our bug)


if __name__ == "__main__":
    sys.exit(main())
