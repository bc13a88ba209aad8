"""Behaviour unchanged, proved: `scan`, `guess --json` and `index --json` on every sample, as
digests of their output (numbers to 9 significant digits), their exit codes and their errors.

    python benchmarks/golden.py --check      # against tests/golden.json (exit 1 on a difference)
    python benchmarks/golden.py --write      # after a change meant to change the output
    python benchmarks/golden.py --check --save /tmp/now   # keep the outputs to diff them

A refactoring leaves every digest as it was; a change of behaviour rewrites the file in the
same commit, so the diff shows which outputs moved. numpy's arithmetic is pinned to one
instruction set (`PINNED`, AVX2 on x86): with AVX-512 its sums and exponentials differ in the
last bits, enough to move a 9th digit of a probability summed over 458 million pairs. tests/test_golden.py checks a few samples
in CI; this script checks them all (about 3.5 minutes).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redact import cli  # noqa: E402

GOLDEN = ROOT / "tests" / "golden.json"
SAMPLES = ROOT / "samples"
COMMANDS = ("scan", "guess", "index")
DIGITS = 9  # significant digits a number keeps in the digest
# numpy's SIMD dispatch without AVX-512: the digests were recorded on a machine without it
PINNED = {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def pinned_env() -> dict[str, str]:
    """This environment with numpy's instruction set pinned (x86 only; numpy reads it when
    imported, so it is for a new process)."""
    import platform

    x86 = platform.machine().lower() in ("x86_64", "amd64")
    return {**os.environ, **(PINNED if x86 else {})}


def canonical(value):
    """The output with every float to DIGITS significant digits (keys in order)."""
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


def output(pdf: Path, command: str) -> dict:
    """`redact COMMAND PDF --json` in this process: exit code, stderr, and stdout parsed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([command, str(pdf.relative_to(ROOT)), "--json"])
    text = out.getvalue()
    return {"exit_code": code, "stderr": err.getvalue(),
            "stdout": canonical(json.loads(text)) if text.strip() else None}


def digest(result: dict) -> dict:
    body = json.dumps(result["stdout"], sort_keys=True, ensure_ascii=False)
    return {"exit_code": result["exit_code"], "stderr": result["stderr"],
            "sha256": hashlib.sha256(body.encode()).hexdigest()}


def key(pdf: Path, command: str) -> str:
    return f"{pdf.stem} {command}"


def compute(names: list[str] | None = None, save: Path | None = None) -> dict[str, dict]:
    """The digests of every sample (or of `names`, "STEM COMMAND"), in the checkout's dir."""
    out = {}
    here = os.getcwd()
    os.chdir(ROOT)  # the outputs name the files as given: samples/NAME.pdf
    try:
        for pdf in sorted(SAMPLES.glob("*.pdf")):
            for command in COMMANDS:
                if names is not None and key(pdf, command) not in names:
                    continue
                result = output(pdf, command)
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"{pdf.stem}.{command}.json").write_text(
                        json.dumps(result, indent=1, ensure_ascii=False))
                out[key(pdf, command)] = digest(result)
    finally:
        os.chdir(here)
    return out


def differences(now: dict[str, dict], golden: dict[str, dict]) -> list[str]:
    return [k for k in sorted(set(now) | set(golden)) if now.get(k) != golden.get(k)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    ap.add_argument("--save", type=Path, help="write each output (canonical JSON) here")
    ap.add_argument("--only", action="append", metavar="'STEM COMMAND'",
                    help="these outputs only (repeat it); --check compares them alone")
    opts = ap.parse_args()
    env = pinned_env()
    if any(os.environ.get(k) != v for k, v in env.items()):  # numpy is imported already
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    now = compute(opts.only, save=opts.save)
    if opts.write:
        if opts.only:
            now = {**json.loads(GOLDEN.read_text()), **now}
        GOLDEN.write_text(json.dumps(now, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print(f"{GOLDEN.relative_to(ROOT)}: {len(now)} outputs")
        return 0
    recorded = json.loads(GOLDEN.read_text())
    if opts.only:
        recorded = {k: recorded.get(k, {}) for k in opts.only}
    diff = differences(now, recorded)
    for k in diff:
        print(f"changed: {k}")
    print(f"{len(now)} outputs, {len(diff)} changed")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
