"""A user's install: a wheel built from the repository, installed into a fresh virtual
environment, ranks a shipped sample with the word lists it carries inside the package."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT, SAMPLES


def _run(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_wheel_installs_and_ranks(tmp_path):
    # build from a copy, so the checkout gets no build/ or egg-info
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("redact", "wordlists"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation",
                 "-w", dist, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(dist.glob("redact-*.whl"))

    # a fresh venv whose dependencies come from the environment running the tests (no network
    # at test time): `--system-site-packages` would see the base interpreter's packages, not
    # those of a virtual environment the tests run in, so the running environment's
    # site-packages are named in a .pth file instead (their own .pth files, such as an
    # editable install of this checkout, are not read: redact comes from the wheel)
    venv = tmp_path / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    py, cli = venv / "bin" / "python", venv / "bin" / "redact"
    site_dir = _run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip()
    running = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(site_dir) / "running-environment.pth").write_text("\n".join(running) + "\n")
    inst = _run(py, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    assert inst.returncode == 0, inst.stderr[-2000:]
    where = _run(py, "-c", "import redact; print(redact.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not the checkout

    lists = _run(cli, "wordlists", "--json", cwd=tmp_path)
    assert lists.returncode == 0, lists.stderr
    rows = json.loads(lists.stdout)["wordlists"]
    assert {r["name"] for r in rows} == {"surnames", "first", "ssa-first", "english"}
    assert all(Path(r["file"]).is_relative_to(venv) for r in rows)

    guess = _run(cli, "guess", SAMPLES / "memo-six-bars.pdf", "-r", "p1-6", "--top", "10",
                 "--json", cwd=tmp_path)
    assert guess.returncode == 0, guess.stderr
    bar = json.loads(guess.stdout)["redactions"][0]
    assert "Gonzales" in [c["text"] for c in bar["candidates"]]  # the answer key's text
