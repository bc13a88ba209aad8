"""Hostile input: mutated samples never crash, hang or print a traceback (benchmarks/fuzz.py
runs longer campaigns with the same machinery)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
import fuzz  # noqa: E402  (benchmarks/, on the path by conftest)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

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


# --------------------------------------------------------------------------- structure-aware
# A page's content stream made of real operators with operands of the wrong type or count:
# the replay of the text state and the page reader check what they use, so a damaged stream
# is damaged input (exit 2) or read as a viewer would, never a bug of ours (exit 3).
OPERATORS = {"Tj": 1, "TJ": 1, "'": 1, '"': 3, "Tc": 1, "Tw": 1, "Tz": 1, "TL": 1, "Ts": 1,
             "Tf": 2, "Td": 2, "TD": 2, "Tm": 6, "T*": 0, "Tr": 1, "cm": 6, "re": 4, "m": 2,
             "l": 2, "c": 6, "w": 1, "g": 1, "rg": 3, "k": 4, "cs": 1, "sc": 1, "scn": 1,
             "d": 2, "f": 0, "S": 0, "q": 0, "Q": 0}
OPERAND = st.sampled_from(["0", "12", "-3.5", "1e30", "1e-30", "(Hello)", "<48656c6c6f>", "/F1",
                           "/Nope", "[(a) -250 (b)]", "[[(a)] 5]", "[]", "<< /A 1 >>", "true",
                           "null", "2147483648"])
STREAMS = st.lists(st.tuples(st.sampled_from(sorted(OPERATORS)), st.integers(-1, 1),
                             st.lists(OPERAND, min_size=7, max_size=7)), min_size=1, max_size=6)


def _one_page(content: bytes) -> bytes:
    """A PDF of one page with this content stream and Helvetica as /F1."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
            b"<< /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(ops=STREAMS, command=st.sampled_from(["scan", "guess"]))
def test_damaged_operators_fail_cleanly(worker, ops, command):
    body = [b"BT /F1 12 Tf 72 700 Td (Before the bar) Tj ET 0 g 72 690 100 14 re f",
            b"BT /F1 12 Tf 72 650 Td"]
    for op, extra, operands in ops:
        n = max(0, OPERATORS[op] + extra)
        body.append(" ".join([*operands[:n], op]).encode())
    body.append(b"(Hello there) Tj ET")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.pdf"
        path.write_bytes(_one_page(b"\n".join(body)))
        out = worker.run(command, path)
        assert out.kind == "exit", (out.kind, ops)
        assert out.status in (0, 1, 2) and not out.traceback and not out.internal, (
            ops, out.stderr)


def test_a_tj_without_an_array_is_skipped(tmp_path):
    """`5 TJ` in a real producer's page (seen in a mutated filing): exit 3 before."""
    from conftest import run_cli

    path = tmp_path / "tj.pdf"
    path.write_bytes(_one_page(b"BT /F1 12 Tf 72 700 Td (Before the bar) Tj ET 0 g 72 690 100 "
                               b"14 re f BT /F1 12 Tf 72 650 Td 5 TJ (Hello there) Tj ET"))
    for command in ("scan", "leaks"):
        p = run_cli(command, path)
        assert p.returncode in (0, 1, 2) and "internal error" not in p.stderr, p.stderr


# --------------------------------------------------------------------------- real documents
# benchmarks/fuzz_structure.py damages real filings and transcripts where their structure is
# (operands, resources, fonts, the page, the xref); 10,000 of them run there, a few here.
STRUCTURE_MUTANTS = 40


def test_damaged_real_documents_fail_cleanly():
    import fuzz_structure

    if not fuzz_structure.sources():
        pytest.skip("../shared (real filings and transcripts) not beside the repository")
    result = fuzz_structure.campaign(STRUCTURE_MUTANTS, seed=2026)
    assert result["failures"] == 0, result["bad"]
    assert sum(result["damages"].values()) >= STRUCTURE_MUTANTS  # each mutant was damaged
