"""Behaviour unchanged: a few samples' `scan`, `guess --json` and `index --json` outputs are
the ones recorded in tests/golden.json (numbers to 9 significant digits, exit codes, errors).
benchmarks/golden.py checks every sample, and rewrites the file when a change is meant."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import golden  # noqa: E402

# one of each producer and of each transcript layout, the ones with joint solving and an index
CHECKED = ["reportlab-serif scan", "reportlab-serif guess", "libreoffice-carlito guess",
           "pdftex-lmodern guess", "memo-six-bars guess", "transcript-plain-leak index",
           "transcript-veritext-word guess", "transcript-chromium-minuscript-word index",
           "chromium-serif index"]


def test_outputs_are_the_recorded_ones():
    """In a new process, with numpy's instruction set pinned as the recording's was."""
    recorded = json.loads(golden.GOLDEN.read_text())
    assert set(CHECKED) <= set(recorded)
    args = [a for k in CHECKED for a in ("--only", k)]
    p = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "golden.py"), "--check", *args],
                       capture_output=True, text=True, env=golden.pinned_env())
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"{len(CHECKED)} outputs, 0 changed" in p.stdout


def test_a_changed_number_changes_the_digest():
    """The check can fail: one number moved by more than the digits kept is a difference."""
    out = {"exit_code": 0, "stderr": "", "stdout": golden.canonical({"width_pt": 74.316})}
    moved = {**out, "stdout": golden.canonical({"width_pt": 74.316 + 1e-6})}
    same = {**out, "stdout": golden.canonical({"width_pt": 74.316 + 1e-13})}
    assert golden.digest(out) != golden.digest(moved)
    assert golden.digest(out) == golden.digest(same)
