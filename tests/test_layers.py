"""The package's shape: data flows one way, and the import graph shows it.

Every module of `redact/` sits in a layer; a module imports only from its own layer or the ones
before it (imports inside functions count too), the graph has no loop, no module is over
MAX_LINES lines, and the batch runner reaches no CLI code.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "redact"
MAX_LINES = 600

# in the order data flows: a layer imports from itself and the layers before it, never after
LAYERS = [
    ("errors", "limits", "display", "robust"),  # shared by all
    ("pdf",),  # reading
    ("measure",),  # gaps and the width model
    ("rank",),  # candidates, scores, verdicts
    ("transcripts",),  # the word index
    ("proof",),
    ("api", "redact"),  # the notebook objects (the package re-exports them)
    ("report",),
    ("commands",),  # each command as a function returning plain data
    ("batch",),  # many files on Dask
    ("cli", "terminal"),
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """The redact modules `module` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" for a in node.names]
            out |= {n for n in names if n in MODULES} or ({target} if target in MODULES else set())
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in MODULES}
    return out - {module}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYER[parts[1] if len(parts) > 1 else parts[0]]


def test_every_module_has_a_layer():
    for m in MODULES:
        assert _layer(m) is not None, m


def test_no_import_runs_back_up():
    upward = [(m, t) for m, targets in GRAPH.items() for t in targets
              if _layer(t) > _layer(m) and not (m == "redact" and t.startswith("redact."))]
    assert not upward, upward


def test_no_import_loop():
    # the package's own __init__ re-exports the faces: it is where a reader starts, not a
    # module anything below it goes back to
    graph = {m: {t for t in ts if t != "redact"} for m, ts in GRAPH.items()}
    state: dict[str, int] = {}
    loops = []

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                loops.append(trail[trail.index(t):] + [t])
            elif t not in state:
                visit(t, trail + [t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not loops, loops


def test_no_module_is_over_the_limit():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_the_batch_runner_reaches_no_cli_code():
    seen, todo = set(), ["redact.batch"]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += GRAPH[m] - {"redact"}
    assert "redact.cli" not in seen


def test_the_layer_test_sees_an_upward_import(tmp_path):
    """The checks above can fail: a lower module importing a higher one is caught."""
    src = "from ..api import open\n"
    mod, path = "redact.pdf.bad", tmp_path / "bad.py"
    path.write_text(src)
    MODULES[mod] = path
    try:
        targets = _imports(mod, path)
    finally:
        del MODULES[mod]
    assert targets == {"redact.api"} and _layer("redact.api") > _layer(mod)
