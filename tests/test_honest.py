"""Honest results (issue 10): constraints renormalise exactly, no probability when nothing fits,
numbers checked at parse time, no failure reported as clean, our bugs told from damaged files,
outputs that say what was used, one vocabulary, declared dependencies."""
from __future__ import annotations

import ast
import dataclasses
import io
import json
import re
import subprocess

import numpy as np
import pytest
import tomllib
from conftest import ROOT, SAMPLES, reportlab_redacted, run_cli

import redact
from redact import cli
from redact.display import flat
from redact.errors import raised_reading
from redact.rank.candidates import Constraints
from redact.rank.score import Candidate

MEMO = SAMPLES / "memo-six-bars.pdf"
TRUTH = {"p1-1": "Sandra Vincent", "p1-2": "Edward Gilson", "p1-3": "Vincent", "p1-4": "Gilson",
         "p1-5": "Ellen", "p1-6": "Gonzales"}


@pytest.fixture(scope="module")
def memo():
    return redact.open(MEMO)


def _p(ranking, text):
    return sum(c.probability for c in ranking.candidates if c.text == text)


# ------------------------------------------------------------------ constraints renormalise
def true_constraints(text: str) -> list[Constraints]:
    first = text.split()[0]
    return [Constraints(length=len(text)), Constraints(starts=text[:2]), Constraints(ends=text[-2:]),
            Constraints(regex=re.escape(first) + r"( [A-Z][a-z]+)?"),
            Constraints(after=text[:1] + "a", before=text[:1] + "zz"),
            Constraints(starts=text[:1], length=len(text))]


@pytest.mark.parametrize("rid", sorted(TRUTH))
def test_a_true_constraint_never_lowers_the_truth(memo, rid):
    r, truth = memo[rid], TRUTH[rid]
    base = _p(r.guess(top=1000), truth)  # 0 when it ranks below 1,000 unconstrained
    for known in true_constraints(truth):
        assert known.mask(np.array([truth]))[0], known
        ranking = r.guess(top=1000, constraints=known)
        assert ranking.fits
        assert _p(ranking, truth) >= base - 1e-9, (rid, known, _p(ranking, truth), base)
        texts = np.array([c.text for c in ranking.candidates])
        assert known.mask(texts).all(), known  # nothing the constraint excludes is shown


@pytest.mark.parametrize("rid,known", [
    ("p1-1", Constraints(starts="Sandra V", regex=r"[A-Z][a-z]+ [A-Z][a-z]+")),
    ("p1-2", Constraints(after="edward f", before="edward h")),
    ("p1-6", Constraints(starts="Go", length=8)),
    ("p1-5", Constraints(regex="E[a-z]+", length=5)),
])
def test_probabilities_sum_to_one_over_what_the_constraints_allow(memo, rid, known):
    """Constraints narrow enough that every allowed candidate is shown: their probabilities
    add up to one (the mass of excluded hypotheses is gone, not left in the denominator)."""
    ranking = memo[rid].guess(top=1000, constraints=known)
    assert ranking.fits and 0 < len(ranking.candidates) < 1000
    total = sum(c.probability for c in ranking.candidates)
    assert abs(total - 1) < 1e-6, total
    assert TRUTH[rid] in [c.text for c in ranking.candidates]


def test_regex_over_a_name_bar_is_not_all_zero():
    """The issue's case: a one-word pattern on a full-name bar leaves single names, whose
    probabilities are real (they were all 0.0 while the pairs' mass stayed in the denominator)."""
    doc = redact.open(SAMPLES / "reportlab-serif.pdf")
    for r in doc.redactions[:3]:
        ranking = r.guess(top=50, constraints=Constraints(regex="[A-Z][a-z]+"))
        assert all(" " not in c.text for c in ranking.candidates)
        if ranking.fits:
            assert ranking.candidates[0].probability > 0.01


# ------------------------------------------------------------------ nothing fits
def test_no_probability_when_nothing_fits(memo):
    p = run_cli("guess", MEMO, "-r", "p1-1", "--starts", "Wh", "--length", "9", "--regex",
                "[A-Z][a-z]+", "--json")
    assert p.returncode == 0, p.stderr
    bar = json.loads(p.stdout)["redactions"][0]
    assert bar["fits"] is False and "no candidate fits" in bar["note"]
    assert bar["candidates"] and all(c["probability"] is None for c in bar["candidates"])
    table = " ".join(run_cli("guess", MEMO, "-r", "p1-1", "--starts", "Wh", "--length", "9").stdout.split())
    assert "no candidate fits" in table
    assert "%" not in table.split("no candidate fits")[1].split("candidates scored")[0]


# ------------------------------------------------------------------ numbers checked at parse time
@pytest.mark.parametrize("args", [
    ["guess", MEMO, "--top", "-3"], ["guess", MEMO, "--top", "0"], ["guess", MEMO, "--top", "x"],
    ["guess", MEMO, "--top", "100000000"], ["report", MEMO, "-o", "/tmp/r.html", "--top", "-3"],
    ["report", MEMO, "-o", "/tmp/r.html", "--proofs", "-1"], ["guess", MEMO, "--length", "-2"],
    ["audit", MEMO, "--length", "0"], ["leaks", MEMO, "--max-pages", "-1"],
    ["leaks", MEMO, "--max-pages", "0"]])
def test_bad_numbers_are_refused_in_one_line(args):
    p = run_cli(*args, timeout=60)
    assert p.returncode == 2 and p.stdout == "", (p.returncode, p.stdout[:200])
    assert len(p.stderr.strip().splitlines()) == 1 and "whole number" in p.stderr, p.stderr


def test_the_api_refuses_a_bad_top(memo):
    with pytest.raises(ValueError):
        memo["p1-6"].guess(top=-3)


# ------------------------------------------------------------------ exit statuses
def _main(capsys, *args):
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_our_bug_is_exit_3_not_a_damaged_file(monkeypatch, capsys):
    def broken(*args, **kwargs):
        return [][1]  # an IndexError raised by redact's own code

    monkeypatch.setattr("redact.pdf.read._read_page", broken)
    code, out, err = _main(capsys, "scan", MEMO)
    assert code == 3 and "internal error" in err and "please report" in err, (code, err)
    assert "damaged" not in err and len(err.strip().splitlines()) == 1


def test_a_damaged_file_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "cut.pdf"
    data = MEMO.read_bytes()
    bad.write_bytes(data[:len(data) // 3])
    code, out, err = _main(capsys, "scan", bad)
    assert code == 2 and "internal error" not in err, (code, err)


def test_raised_reading_tells_library_from_own_code():
    from pdfminer.psparser import PSBaseParser

    try:
        PSBaseParser(io.BytesIO(b"")).nextline()
    except Exception as exc:  # raised inside pdfminer
        assert raised_reading(exc)
    try:
        flat(None)  # raised inside redact
    except Exception as exc:
        assert not raised_reading(exc)


def _library_failure(*args, **kwargs):
    from pdfminer.psparser import PSBaseParser

    PSBaseParser(io.BytesIO(b"")).nextline()  # what a damaged page makes pdfminer raise


def test_a_page_the_leak_check_could_not_read_is_never_clean(tmp_path, monkeypatch, capsys):
    doc = reportlab_redacted(tmp_path / "two.pdf", [["Nothing hidden here."], ["Nor here."]], [])
    code, out, _ = _main(capsys, "leaks", doc, "--json")
    assert code == 0 and json.loads(out)["checked_pages"] == 2
    real = redact.pdf.leaks._check_page

    def second_page_fails(pl_page, pdf_page, number, report):
        if number == 2:
            _library_failure()
        return real(pl_page, pdf_page, number, report)

    monkeypatch.setattr("redact.pdf.leaks._check_page", second_page_fails)
    code, out, err = _main(capsys, "leaks", doc, "--json")
    report = json.loads(out)
    assert code == 2 and report["checked_pages"] == 1 and report["unchecked"][0]["page"] == 2
    assert "could not be checked" in err
    code, out, err = _main(capsys, "leaks", doc)
    out = " ".join(out.split())  # rich wraps lines
    assert code == 2 and "no hidden text found" not in out and "NOT checked in full" in out


def test_a_bug_in_the_leak_check_is_exit_3(tmp_path, monkeypatch, capsys):
    doc = reportlab_redacted(tmp_path / "one.pdf", [["Nothing hidden here."]], [])
    monkeypatch.setattr("redact.pdf.leaks._check_page", lambda *a: 1 / 0)
    code, out, err = _main(capsys, "leaks", doc)
    assert code == 3 and "internal error" in err


# ------------------------------------------------------------------ outputs say what was used
def test_links_are_listed_only_when_joint_solving_was_used():
    own = json.loads(run_cli("guess", MEMO, "-r", "p1-3", "--wordlist", "surnames", "--json").stdout)
    assert own["redactions"][0]["linked"] == []
    joint = json.loads(run_cli("guess", MEMO, "-r", "p1-3", "--json").stdout)
    assert joint["redactions"][0]["linked"] and "solved jointly" in joint["redactions"][0]["note"]


# ------------------------------------------------------------------ one vocabulary
def test_json_keys_records_and_attributes_name_one_thing(memo):
    r = memo["p1-6"]
    d = r.to_dict(r.guess(top=3))
    for key in ("width_pt", "sigma_pt", "box_width_pt", "edges", "spaces_left", "spaces_right",
                "font", "size_pt", "context_left", "context_right", "note"):
        want = getattr(r.gap, key)
        got = d["gap"][key]
        assert got == (round(want, 3) if isinstance(want, float) else want), key
    for key in ("source", "substitute", "monospace"):
        assert d["metrics"][key] == getattr(r.metrics, key)
    fields = {f.name for f in dataclasses.fields(Candidate)}
    assert set(d["candidates"][0]) == fields
    assert set(r.guess(top=3).records()[0]) == fields | {"rank"}
    record = memo.records()[5]
    assert record["gap.width_pt"] == d["gap"]["width_pt"] and record["id"] == "p1-6"
    assert set(record) == set(flat(r.to_dict()))
    cal = next(iter(memo.calibration.values()))
    assert set(cal.to_dict()) == {f.name for f in dataclasses.fields(cal)}


def test_the_csv_columns_are_the_json_paths():
    p = run_cli("scan", MEMO, "--csv")
    header = p.stdout.splitlines()[0].split(",")
    assert {"id", "page", "gap.width_pt", "gap.sigma_pt", "metrics.source"} <= set(header)


def _options(parser) -> dict[str, set[str]]:
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: {o for a in p._actions for o in a.option_strings if o.startswith("--")}
            for name, p in sub.choices.items()}


def test_ranking_commands_share_guess_options():
    opts = _options(cli.build_parser())
    many = {"--from-list", "--jsonl", "--output", "--workers", "--scheduler", "--timeout",
            "--memory-limit"}  # guess and audit also run over many files; report over one
    ranking = opts["guess"] - {"--json", "--csv"}
    assert ranking - {"--top"} <= opts["audit"], ranking - opts["audit"]
    assert ranking - many <= opts["report"], ranking - many - opts["report"]
    assert many <= opts["audit"] and many <= opts["scan"] and many <= opts["leaks"]


def test_the_readme_shows_every_command_and_option():
    readme = (ROOT / "README.md").read_text()
    shown = "\n".join(line for line in readme.splitlines() if line.lstrip().startswith("redact "))
    for name, options in _options(cli.build_parser()).items():
        assert re.search(rf"^\s*redact {name}\b", shown, re.M), f"README shows no `redact {name}`"
        for opt in options - {"--help", "--version"}:
            assert opt in readme, f"README never mentions {name} {opt}"


def test_textstate_measures_something_in_the_package():
    users = [p.name for p in (ROOT / "redact").rglob("*.py") if p.name != "textstate.py"
             and "textstate" in p.read_text()]
    assert users, "redact/pdf/textstate.py is used by no module of the package"


# ------------------------------------------------------------------ declared dependencies
def test_every_third_party_import_is_declared():
    import importlib.metadata as md
    import sys

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[<>=!~ \[]", d)[0].lower().replace("_", "-")
                for d in meta["dependencies"]}
    dists = md.packages_distributions()
    imported = set()
    for path in (ROOT / "redact").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    optional = {"pandas"}  # to_dataframe(): the `pandas` extra
    third = {m for m in imported - optional - {"redact"} if m not in sys.stdlib_module_names}
    for module in third:
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        assert names & declared, f"{module} is imported but {names} is not declared"
    assert "pandas" in " ".join(meta["optional-dependencies"]["pandas"])


# ------------------------------------------------------------------ the README's commands
def _readme_commands() -> list[str]:
    block = (ROOT / "README.md").read_text().split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_setup_commands_run_as_root_and_as_a_user(tmp_path):
    """Both set-up commands, with apt-get, sudo, pip and redact stood in by scripts that log
    their calls: as root no sudo is called (a root container has none); as a user it is."""
    commands = _readme_commands()
    assert len(commands) == 2
    for uid, wants_sudo in (("0", False), ("1000", True)):
        bin_dir = tmp_path / f"bin{uid}"
        bin_dir.mkdir()
        log = tmp_path / f"log{uid}"
        for tool in ("apt-get", "pip", "redact", "python", "id") + (("sudo",) if wants_sudo else ()):
            body = f'echo "{tool} $*" >> {log}\n'
            if tool == "id":
                body = f"echo {uid}\n"
            elif tool == "sudo":
                body += '"$@"\n'
            (bin_dir / tool).write_text("#!/bin/sh\n" + body)
            (bin_dir / tool).chmod(0o755)
        for cmd in commands:
            p = subprocess.run(["/bin/bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True,
                               env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)})
            assert p.returncode == 0, (uid, cmd, p.stderr)
        calls = log.read_text().splitlines()
        assert any(c.startswith("apt-get install") for c in calls)
        assert any(c.startswith("sudo") for c in calls) == wants_sudo, calls
