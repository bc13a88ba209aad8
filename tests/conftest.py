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


PRODUCER_TOOLS = {"reportlab": None, "libreoffice": ("soffice", "libreoffice"),
                  "chromium": ("chromium", "chromium-browser"), "pdftex": ("pdflatex",)}


def available_producers() -> tuple[str, ...]:
    """Producers installed here; in CI every one must be (.ci/run installs them)."""
    out = []
    for name, tools in PRODUCER_TOOLS.items():
        if tools is None or any(shutil.which(t) for t in tools):
            out.append(name)
        elif os.environ.get("CI"):
            raise RuntimeError(f"CI must install the {name} producer ({', '.join(tools)})")
    return tuple(out)


@pytest.fixture(scope="session")
def committed_results():
    return [accuracy.evaluate(SAMPLES / f"{name}.pdf") for name in make_samples.SAMPLES]


FRESH_SETS = 3  # one set holds ~14 people per kind: three keep the rates' spread near 3 points
FRESH_SEED = 90_000  # the committed samples use seeds 1000-1007


@pytest.fixture(scope="session")
def fresh_results(tmp_path_factory):
    """New documents of every proportional kind, made and redacted now: never seen before."""
    pdfs = accuracy.build_fresh(tmp_path_factory.mktemp("fresh"), FRESH_SETS, FRESH_SEED,
                                available_producers())
    return [accuracy.evaluate(p) for p in pdfs]
