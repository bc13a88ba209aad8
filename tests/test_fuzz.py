"""Hostile input: mutated samples never crash, hang or print a traceback (benchmarks/fuzz.py
runs longer campaigns with the same machinery)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzz  # noqa: E402  (benchmarks/, on the path by conftest)

MUTANTS = 200  # each runs scan, leaks or guess in a worker: about two minutes in all
SOURCE = fuzz.ROOT / "samples" / "memo-six-bars.pdf"

plans = st.lists(st.tuples(st.sampled_from(fuzz.OPS), st.floats(0, 1), st.integers(1, 64),
                           st.integers(0, 255)), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def worker():
    w = fuzz.Worker(timeout=60)
    yield w
    w.close()


SOURCE_BYTES = SOURCE.read_bytes()


@settings(max_examples=MUTANTS, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(plan=plans, command=st.sampled_from(sorted(fuzz.COMMANDS)))
def test_mutated_pdfs_fail_cleanly(worker, plan, command):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.pdf"
        data = fuzz.apply(SOURCE_BYTES, plan)
        path.write_bytes(data)
        out = worker.run(command, path)
        assert out.kind == "exit", (out.kind, plan, command)
        assert out.status in (0, 1, 2), (out.status, out.stderr)
        assert not out.traceback and not out.internal, out.stderr
        errors = [line for line in out.stderr.splitlines() if not line.startswith("redact: warning")]
        assert len(errors) <= 1, out.stderr  # an error is one line
        assert path.read_bytes() == data  # the input is never written


def test_mutations_change_the_file():
    """The mutator does edit (a fuzz test over unchanged files could not fail)."""
    assert all(fuzz.apply(SOURCE_BYTES, [(op, 0.5, 8, 7)]) != SOURCE_BYTES for op in fuzz.OPS)
