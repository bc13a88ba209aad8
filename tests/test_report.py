"""What an investigator sees: proof pictures, the HTML report in a real browser, the notebook,
CSV output."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from conftest import ROOT, SAMPLES, run_cli

import redact
from redact import proof

MEMO = SAMPLES / "memo-six-bars.pdf"


def _ink_right_pt(r, text: str) -> float:
    """The right edge of the candidate's ink in the proof panel, in page points."""
    img = np.asarray(proof.candidate_panel(r, text)).astype(int)
    blue = (img[..., 2] - img[..., 0] > 60) & (img[..., 2] > 100)
    cols = np.flatnonzero(blue.any(axis=0))
    return proof.region_pt(r)[0] + (cols.max() + 1) / proof.PX_PER_PT


def test_proof_picture_of_the_true_name_fits_its_gap():
    """The true name's ink ends where the next visible glyph begins (within its side bearing);
    a name 2 pt wider visibly runs into it."""
    doc = redact.open(MEMO)
    key = json.loads(MEMO.with_suffix(".json").read_text())["redactions"]
    for r, k in zip(doc.redactions, key):
        end = r.gap.end_pt - r.gap.spaces_right * r.gap.line.space_pt
        assert -1.0 < _ink_right_pt(r, k["text"]) - end < 0.5, (r.id, k["text"])
    r = doc.redactions[-1]
    wide = next(t for t in ["Anderson", "Robinson", "Washington"] if r.width_of(t) > r.gap.width_pt + 2)
    assert _ink_right_pt(r, wide) - r.gap.end_pt > 1.0
    pic = r.picture(key[-1]["text"])
    crop = proof.crop(r)
    assert pic.width == crop.width and pic.height > 2 * crop.height


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and os.environ.get("CI"):
        raise RuntimeError("CI must install chromium (.ci/run does)")
    return found


CHECK = """<!DOCTYPE html><html><body><iframe id="f" src="report.html"></iframe><script>
window.addEventListener("load", () => {
  const d = document.getElementById("f").contentDocument;
  const loaded = (i) => i.complete && i.naturalWidth > 0;
  const secs = [...d.querySelectorAll("section.bar")];
  document.body.setAttribute("data-result", JSON.stringify({bars: secs.length,
    crops: secs.map(s => [...s.querySelectorAll("img.crop")].filter(loaded).length),
    proofs: secs.map(s => [...s.querySelectorAll("img.proof")].filter(loaded).length),
    broken: [...d.images].filter(i => !loaded(i)).length,
    caveat: d.querySelector(".caveat").textContent}));
});
</script></body></html>"""


def test_report_loads_in_headless_chromium_with_one_picture_per_bar(tmp_path):
    browser = _chromium()
    if not browser:
        pytest.skip("chromium not installed")
    report = tmp_path / "report.html"
    p = run_cli("report", MEMO, "-o", report, "--proofs", "2")
    assert p.returncode == 0, p.stderr
    html = report.read_text()
    assert "<script" not in html and "http" not in re.sub(r'src="data:[^"]+"', "", html).split("</style>")[1]
    (tmp_path / "check.html").write_text(CHECK)
    b = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
                        "--virtual-time-budget=15000", "--dump-dom",
                        (tmp_path / "check.html").as_uri()],
                       capture_output=True, text=True, timeout=120)
    m = re.search(r'data-result="([^"]*)"', b.stdout)
    assert m, b.stderr[-2000:]
    result = json.loads(m.group(1).replace("&quot;", '"'))
    assert result["bars"] == 6
    assert result["crops"] == [1] * 6 and result["broken"] == 0
    assert all(n >= 1 for n in result["proofs"])
    assert "probabilistic" in result["caveat"]
    console = [line for line in b.stderr.splitlines() if "CONSOLE" in line]
    assert not any("Uncaught" in line or "Failed to load" in line for line in console), console


def test_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "notebooks" / "investigate.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3
    assert any("text/html" in o.get("data", {}) for o in outputs)


def test_csv_output_is_one_row_per_candidate():
    p = run_cli("guess", MEMO, "--csv", "--top", "4")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert len(rows) == 6 * 4
    assert {"id", "rank", "text", "probability", "gap.width_pt"} <= set(rows[0])
    assert sorted({r["id"] for r in rows}) == [f"p1-{i}" for i in range(1, 7)]
    scan = list(csv.DictReader(io.StringIO(run_cli("scan", MEMO, "--csv").stdout)))
    assert len(scan) == 6 and float(scan[0]["gap.width_pt"]) > 0
    assert p.stderr == ""  # no progress bar when stderr is not a terminal


def test_report_refuses_to_overwrite_its_input(tmp_path):
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(MEMO.read_bytes())
    p = run_cli("report", pdf, "-o", pdf)
    assert p.returncode == 2 and "overwrite" in p.stderr and len(p.stderr.splitlines()) == 1
    assert pdf.read_bytes() == MEMO.read_bytes()
    p = run_cli("report", pdf, "-o", tmp_path / "nowhere" / "r.html")
    assert p.returncode == 2 and len(p.stderr.splitlines()) == 1
