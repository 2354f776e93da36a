"""The package's shape: layers that import only downward, no import circle, and a why for
every import placed inside a function.

The layer contract itself lives in pyproject.toml (`[tool.importlinter]`) and is checked
here with import-linter, so the default test run catches an import that points up. A
contract passes while modules of one layer import each other in a circle, so the graph
is also searched for cycles, function-level imports included (they are the usual way a
circle is hidden).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "selfheal"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("selfheal", cache_dir=None)


def test_no_import_cycle_among_selfheals_modules() -> None:
    graph = _graph()
    # A package's __init__ importing its own submodules is no circle a reader must follow.
    for module in list(graph.modules):
        for child in graph.find_children(module):
            if graph.direct_import_exists(importer=module, imported=child):
                graph.remove_import(importer=module, imported=child)
    cycles = _cycles(graph)
    assert cycles == [], "import circles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_planted_circle() -> None:
    graph = _graph()
    graph.add_import(importer="selfheal.models", imported="selfheal.heal.pipeline")
    cycles = _cycles(graph)
    assert any("selfheal.models" in c and "selfheal.heal.pipeline" in c for c in cycles)


def test_import_linter_contracts_hold() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports; "
         "raise SystemExit(lint_imports(no_cache=True))"],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
    assert "Layers" in run.stdout and "Engines do not know each other" in run.stdout


def _function_level_imports(path: Path) -> list[tuple[int, list[str]]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                start = inner.lineno - 1
                # The why sits on the line or in the comment lines right above it.
                above = start
                while above > 0 and lines[above - 1].strip().startswith(("#", "from ", "import ")):
                    above -= 1
                found.append((inner.lineno, lines[above:start + 1]))
    return found


def test_every_import_inside_a_function_says_why() -> None:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for lineno, context in _function_level_imports(path):
            if not any("#" in line for line in context):
                missing.append(f"{path.relative_to(ROOT)}:{lineno}: {context[-1].strip()}")
    assert missing == [], (
        "an import inside a function is only for an optional dependency or start-up cost, "
        "with a one-line why above it:\n" + "\n".join(sorted(set(missing)))
    )
