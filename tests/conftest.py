"""Shared fixtures: the committed samples evaluated once, and fresh documents never seen."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "samples"))

import accuracy  # noqa: E402
import make_samples  # noqa: E402

SAMPLES = ROOT / "samples"


def have_libreoffice() -> bool:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return True
    if os.environ.get("CI"):
        raise RuntimeError("CI must install LibreOffice (libreoffice-writer-nogui)")
    return False


@pytest.fixture(scope="session")
def committed_results():
    return [accuracy.evaluate(SAMPLES / f"{name}.pdf") for name in make_samples.SAMPLES]


FRESH_SETS = 3  # one set holds ~14 people per kind: three keep the rates' spread near 3 points
FRESH_SEED = 90_000  # the committed samples use seeds 1000-1007


@pytest.fixture(scope="session")
def fresh_results(tmp_path_factory):
    """New documents of every proportional kind, made and redacted now: never seen before."""
    producers = ("reportlab", "libreoffice") if have_libreoffice() else ("reportlab",)
    pdfs = accuracy.build_fresh(tmp_path_factory.mktemp("fresh"), FRESH_SETS, FRESH_SEED, producers)
    return [accuracy.evaluate(p) for p in pdfs]
