"""Many files: one command over folders and lists of PDFs, a JSON record per file, on Dask.

    redact leaks FOLDER --jsonl -o out.jsonl --workers 2
    redact scan a.pdf b.pdf --from-list more.txt --jsonl
    redact leaks FOLDER -o out.jsonl --scheduler tcp://10.0.0.5:8786

Each file is what `redact COMMAND FILE --json` would make of it, run as one Dask task, and
becomes one line: the file, its SHA-256, the command's exit code, and its JSON result or its
one-line error (an unreadable file is a record, never the end of the run). Records come out in
input order, each as soon as it and every one before it are done, so a run killed halfway
keeps what it finished: run it again and the files already in the output (the same path with
the same SHA-256) are skipped.

The engine is Dask's: a local cluster of `workers` processes (one thread each, memory capped)
by default, or an existing cluster given by its scheduler's address. A file that hangs (a
pdfium call that never returns) is stopped after its time limit: the task ends its worker
process, Dask's nanny starts a new one, and the file's record says it timed out. `workers=0`
runs the files one after another in this process, without Dask (no time limit beyond the
per-page one; for debugging).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .commands import Options, Outcome
from .commands import run as run_command
from .display import count
from .errors import INTERNAL_ERROR, NOTHING_FOUND, UNUSABLE_INPUT

COMMANDS = ("scan", "leaks", "guess", "audit")  # the commands that run over many files
FILE_SECONDS = 600.0  # a file may take this long in a worker, then its worker is stopped
MEMORY_LIMIT = "2GiB"  # per worker process: Dask's nanny restarts a worker that grows past it
TIMEOUT_EVENT = "redact-timeout"  # what a worker logs to the scheduler before it stops itself
TIMEOUT_EXIT = 75  # the exit status of a worker process stopped by its file's time limit
SMALL_BYTES = 1 << 20  # a file smaller than this shares its Dask task with other small files
BATCH_FILES = 8  # small files a task at most (each keeps its own record and time limit)
TASKS_PER_THREAD = 4  # batches are never so large that a worker thread gets fewer tasks
AUTO_SERIAL_FILES = 4  # with the default worker count, this few files run in this process


def inputs(paths: Iterable[str | os.PathLike], from_list: str | os.PathLike | None = None
           ) -> list[Path]:
    """The files to run over, in order: each path as given (a folder: every PDF under it,
    recursively, sorted), then each line of `from_list` the same way. A named file is taken as
    it is, PDF or not: its error is its record."""
    named = [Path(p) for p in paths]
    if from_list is not None:
        text = Path(from_list).read_text(encoding="utf-8", errors="replace")
        named += [Path(line.strip()) for line in text.splitlines() if line.strip()]
    out: list[Path] = []
    for p in named:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.suffix.lower() == ".pdf" and q.is_file())
        else:
            out.append(p)
    return out


def sha256(path: Path) -> str | None:
    """The file's SHA-256 (hex), or None if it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def done_files(output: Path) -> set[tuple[str, str]]:
    """The (file, SHA-256) pairs already recorded in an output file (a line cut short by a kill
    is ignored). A file is done when its path and its content both are: a copy elsewhere, or a
    file changed since, still gets its own record."""
    if not output.exists():
        return set()
    done = set()
    with open(output, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and rec.get("sha256") and rec.get("file"):
                done.add((rec["file"], rec["sha256"]))
    return done


def process(path: str, digest: str | None, command: str, options: Options,
            timeout_s: float | None = None) -> dict:
    """One file's record: `command` run on it (`commands.run`, what `redact COMMAND FILE
    --json` prints). Never raises. With `timeout_s`, in a Dask worker, a watchdog stops the
    worker process when the file takes longer (see the module's doc)."""
    start = time.perf_counter()
    watchdog = _watchdog(path, timeout_s) if timeout_s else None
    try:
        outcome = run_command(command, path, options)
    except BaseException as exc:  # commands.run catches everything; a last line of defence
        outcome = Outcome(data=None, exit_code=INTERNAL_ERROR,
                          error=f"internal error: {type(exc).__name__}: {exc}")
    finally:
        if watchdog is not None:
            watchdog.cancel()
    record: dict = {"file": path, "sha256": digest, "command": command,
                    "exit_code": outcome.exit_code,
                    "seconds": round(time.perf_counter() - start, 3)}
    if outcome.warnings:
        record["warnings"] = list(outcome.warnings)
    if outcome.data is not None:
        record["result"] = outcome.data
    if outcome.error and outcome.exit_code in (UNUSABLE_INPUT, INTERNAL_ERROR) \
            or "result" not in record:
        record["error"] = outcome.error or f"exit code {outcome.exit_code} and no result"
    return record


def process_batch(items: list[tuple[str, str | None]], command: str, options: Options,
                  timeout_s: float | None = None) -> list[dict]:
    """The records of several small files, one after another in one task (see `process`): a
    task's overhead is paid once for them all."""
    return [process(path, digest, command, options, timeout_s) for path, digest in items]


def batches(todo: list[tuple[int, tuple[str, str | None]]], threads: int
            ) -> list[list[tuple[int, tuple[str, str | None]]]]:
    """`todo` ((input index, (path, digest)) pairs) as Dask tasks, the largest files first: a
    file of SMALL_BYTES or more alone, smaller ones together, at most BATCH_FILES a task and
    never so many that a worker thread gets fewer than TASKS_PER_THREAD tasks."""
    size = {path: _size(path) for _, (path, _) in todo}
    ordered = sorted(todo, key=lambda it: -size[it[1][0]])
    big = [it for it in ordered if size[it[1][0]] >= SMALL_BYTES]
    small = ordered[len(big):]
    per = max(1, min(BATCH_FILES, len(small) // (TASKS_PER_THREAD * max(threads, 1))))
    return [[it] for it in big] + [small[i:i + per] for i in range(0, len(small), per)]


def _watchdog(path: str, seconds: float) -> threading.Timer:
    """Stop this worker process after `seconds`: a pdfium call that never returns cannot be
    interrupted otherwise. The scheduler hears why first, so the file's record can say it."""
    from distributed import get_worker

    worker = get_worker()  # known in the task's thread only

    def expire():
        try:
            worker.log_event(TIMEOUT_EVENT, {"file": path, "seconds": seconds})
            time.sleep(1.0)  # the event goes out on the worker's next batch
        finally:
            os._exit(TIMEOUT_EXIT)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


@dataclass
class Summary:
    """What a run did, for its last line."""

    files: int = 0  # records written this run
    skipped: int = 0  # already in the output
    pages: int = 0
    bars: int = 0
    leaks: int = 0
    errors: int = 0  # records with exit code 2 or 3
    seconds: float = 0.0
    exit_codes: dict[int, int] = field(default_factory=dict)

    def add(self, rec: dict) -> None:
        self.files += 1
        code = rec["exit_code"]
        self.exit_codes[code] = self.exit_codes.get(code, 0) + 1
        self.errors += code in (UNUSABLE_INPUT, INTERNAL_ERROR)
        res = rec.get("result") or {}
        self.pages += int(res.get("checked_pages", res.get("pages", 0)) or 0)
        self.bars += len(res.get("redactions", []))
        self.leaks += len(res.get("leaks", (res.get("leak_check") or {}).get("leaks", [])))

    @property
    def exit_code(self) -> int:
        """Our own bug anywhere (3); else a document's answer of a leak or none (1); else an
        unusable file (2); else 0."""
        for code in (INTERNAL_ERROR, NOTHING_FOUND, UNUSABLE_INPUT):
            if self.exit_codes.get(code):
                return code
        return 0

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        skipped = f" ({self.skipped:,} skipped: already recorded)" if self.skipped else ""
        return (f"{count(self.files, 'file')}{skipped}, {count(self.pages, 'page')}, "
                f"{count(self.bars, 'bar')}, {count(self.leaks, 'leak')}, "
                f"{count(self.errors, 'error')}, {rate:.1f} pages/s in {self.seconds:.1f} s")


def run(paths: list[Path], command: str, options: Options, write: Callable[[dict], None],
        workers: int | None = None, scheduler: str | None = None, timeout_s: float = FILE_SECONDS,
        memory_limit: str = MEMORY_LIMIT, done: Collection[tuple[str, str]] = frozenset(),
        progress: Callable[[dict | None], None] = lambda rec: None) -> Summary:
    """Run `command` over `paths` with `options`; `write` gets each record, in input order. Files whose
    (path, hash) is in `done` are skipped. `progress` hears of each file: its record, or None when
    skipped. Interrupted (KeyboardInterrupt), the records already finished are written too, out
    of order, before it is raised again: the next run skips their files."""
    start = time.perf_counter()
    summary = Summary()
    todo = []
    for p in paths:
        digest = sha256(p)
        if digest is not None and (str(p), digest) in done:
            summary.skipped += 1
            progress(None)
        else:
            todo.append((str(p), digest))
    ready: dict[int, dict] = {}  # records finished ahead of the input order (on Dask)
    if workers is None:  # the default: Dask's start costs more than a few small files take
        few = len(todo) <= AUTO_SERIAL_FILES and all(_size(p) < SMALL_BYTES for p, _ in todo)
        workers = 0 if few else (os.cpu_count() or 1)
    records = (_serial(todo, command, options) if workers == 0 and scheduler is None else
               _on_dask(todo, command, options, workers, scheduler, timeout_s, memory_limit,
                        ready))
    try:
        for rec in records:
            write(rec)
            summary.add(rec)
            progress(rec)
    except KeyboardInterrupt:  # stopped (Ctrl-C, or SIGTERM in the CLI): keep what finished
        for i in sorted(ready):
            write(ready.pop(i))
        raise
    summary.seconds = time.perf_counter() - start
    return summary


def _serial(todo, command: str, options: Options) -> Iterator[dict]:
    for path, digest in todo:
        yield process(path, digest, command, options)


def _on_dask(todo, command: str, options: Options, workers: int, scheduler: str | None, timeout_s: float,
             memory_limit: str, ready: dict[int, dict]) -> Iterator[dict]:
    """The records of `todo` computed on Dask, yielded in input order as they complete; those
    finished ahead of the input order wait in `ready` (by input index). At most a few tasks
    per worker thread are in flight, so a run over millions of files holds only a window of
    them, and of the records waiting."""
    import logging

    import dask
    from distributed import Client, LocalCluster, as_completed

    # a stopped worker fails its task at once (Dask retries none: a file that was only
    # waiting on it is sent again below, once); each worker is given one file at a time,
    # and its numeric libraries one thread
    config = {"distributed.scheduler.allowed-failures": 0,
              "distributed.scheduler.worker-saturation": 1.0,
              "distributed.nanny.pre-spawn-environ.OMP_NUM_THREADS": 1,
              "distributed.nanny.pre-spawn-environ.OPENBLAS_NUM_THREADS": 1}
    with dask.config.set(config), contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                memory_limit=memory_limit, dashboard_address=None,
                silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(Client(scheduler))
        threads = max(sum(client.nthreads().values()), 1)
        window = TASKS_PER_THREAD * threads
        # the largest files go first, so that no long transcript starts last and runs alone
        # while the other workers wait (the records still come out in input order); small
        # files share a task
        pending = iter(batches(list(enumerate(todo)), threads))
        futures = {}
        queue = as_completed()

        def send(batch: list, attempt: int = 0) -> None:
            items = [item for _, item in batch]
            f = client.submit(process_batch, items, command, options, timeout_s,
                              priority=-batch[0][0],
                              key=f"redact-{batch[0][0]}-{len(batch)}-{attempt}", pure=False)
            futures[f.key] = (batch, attempt)
            queue.add(f)

        def submit(n: int) -> None:
            for batch in pending:
                send(batch)
                n -= 1
                if n <= 0:
                    return

        submit(window)
        next_i = 0
        for f in queue:
            batch, attempt = futures.pop(f.key)
            recs = _results(client, f, batch, command, timeout_s, memory_limit)
            f.release()
            for one, (rec, retry) in zip(batch, recs):
                if retry and attempt == 0:  # it may only have waited on a worker another killed
                    send([one], 1)
                else:
                    ready[one[0]] = rec
            submit(1)
            while next_i in ready:
                yield ready.pop(next_i)
                next_i += 1


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _results(client, future, batch, command: str, timeout_s: float, memory_limit: str
             ) -> list[tuple[dict, bool]]:
    """A finished task's records, one per file of its batch, each with whether to send its
    file again: a task whose worker died (for a reason other than that file's own time limit)
    gives each of its other files an error record saying why, to be tried once more alone."""
    if future.status == "finished":
        return [(rec, False) for rec in future.result()]
    exc = future.exception()
    stopped = {msg.get("file") for _, msg in client.get_events(TIMEOUT_EVENT)}
    died = type(exc).__name__ == "KilledWorker" or any(p in stopped for _, (p, _) in batch)
    out = []
    for _, (path, digest) in batch:
        retry = False
        if path in stopped:
            error = f"{path}: stopped after the time limit of {timeout_s:g} s per file"
        elif died:  # its worker died, or was stopped for another file of the batch
            error = (f"{path}: its worker died (over the memory limit of {memory_limit}, or a "
                     "crash in a library it called)")
            retry = True
        else:
            error = f"internal error: {type(exc).__name__}: {exc}"
        code = INTERNAL_ERROR if error.startswith("internal error") else UNUSABLE_INPUT
        out.append(({"file": path, "sha256": digest, "command": command, "exit_code": code,
                     "error": error}, retry))
    return out
