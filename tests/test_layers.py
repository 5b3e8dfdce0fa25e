"""The package layers of hzlib (docs/architecture.md): every import, including those inside
functions and under ``TYPE_CHECKING``, goes to the same layer or a lower one, and the parts of
one layer import each other without a cycle.

The graph is built from the source with :mod:`ast` (nothing is imported). A failure names each
offending import as ``file:line``.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hzlib"

#: The layers, lowest first. A part is a package folder (``report``) or a top-level module
#: (``data``); a dotted name (``report.notebook``) places one module apart from its folder.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "core",
        (
            "hzlib",
            "errors",
            "fileerrors",
            "glossary",
            "periods",
            "units",
            "arithmetic",
            "textfmt",
            "safety",
            "paths",
            "yamldoc",
            "schemabase",
            "atomicfile",
            "lifeline",
        ),
    ),
    ("plan", ("plan", "contracts", "targets")),
    ("ingest", ("ingest", "data", "inputs", "tasks", "history", "templates")),
    ("evaluate", ("evaluate",)),
    ("scoring", ("scoring",)),
    ("display", ("charts", "charts_style", "lab")),
    ("report", ("report",)),
    ("whatif", ("whatif",)),
    ("presenters", ("render", "report.notebook")),
    ("orchestration", ("run", "runner", "kernels", "papermill_plugin", "manifest", "nbclean", "office")),
    ("cli", ("cli",)),
)

#: Upward imports not yet removed, (importing module, imported module) → what removes it; the
#: test fails as soon as one of them is gone, so that the entry is removed. Nothing else may be added.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

#: Parts that share one layer and still form a cycle, each with what removes it (as KNOWN_UPWARD).
KNOWN_CYCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported hzlib module
    file: Path
    line: int
    in_function: bool

    def where(self) -> str:
        return f"hzlib/{self.file.relative_to(PACKAGE).as_posix()}:{self.line}"


def module_name(path: Path) -> str:
    parts = ["hzlib", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, source: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    """The hzlib modules ``node`` imports (``from .x import name`` names the module ``x.name`` when there is one)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = source.split(".") if is_package else source.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module or ""
        names = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
    out = []
    for name in names:
        if name != "hzlib" and not name.startswith("hzlib."):
            continue
        while name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        out.append(name)
    return out


def import_nodes(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of ``tree``, and whether it is inside a function."""
    out: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                out.append((child, in_function))
            elif isinstance(child, ast.expr):
                continue  # no statement inside an expression
            else:
                visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return out


@functools.cache
def imports() -> list[Import]:
    known = modules()
    out: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, in_function in import_nodes(tree):
            for target in _targets(node, name, path.name == "__init__.py", known):
                out.append(Import(name, target, path, node.lineno, in_function))
    return out


def part_of(module: str) -> str:
    """The layer part a module belongs to: a dotted override, else its folder or top-level module."""
    rest = module.split(".")[1:]
    for n in range(len(rest), 1, -1):
        if ".".join(rest[:n]) in LAYER_OF:
            return ".".join(rest[:n])
    return rest[0] if rest else "hzlib"


LAYER_OF: dict[str, int] = {part: i for i, (_, parts) in enumerate(LAYERS) for part in parts}


def layer_name(part: str) -> str:
    return LAYERS[LAYER_OF[part]][0]


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components with more than one node.

    >>> sorted(map(sorted, strongly_connected({"a": {"b"}, "b": {"a", "c"}, "c": set()})))
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycles(edges: list[Import]) -> dict[frozenset[str], list[Import]]:
    """Cycles between parts of one layer, each with the imports that make it (a cycle through
    several layers has an upward import, which :func:`test_no_upward_import` names)."""
    graph: dict[str, set[str]] = defaultdict(set)
    inside = [e for e in unique(edges) if part_of(e.source) != part_of(e.target) and LAYER_OF.get(part_of(e.source)) == LAYER_OF.get(part_of(e.target))]
    for e in inside:
        graph[part_of(e.source)].add(part_of(e.target))
    return {frozenset(c): [e for e in inside if part_of(e.source) in c and part_of(e.target) in c] for c in strongly_connected(graph)}


def unique(edges: list[Import]) -> list[Import]:
    """One import per statement and imported module (``from .x import a, b`` is one)."""
    return list(dict.fromkeys(edges))


def test_every_module_has_a_layer() -> None:
    missing = sorted({part_of(m) for m in modules()} - set(LAYER_OF))
    assert not missing, f"hzlib parts in no layer (add them to LAYERS in tests/test_layers.py and docs/architecture.md): {missing}"


def upward(edges: list[Import]) -> list[Import]:
    return [e for e in unique(edges) if LAYER_OF.get(part_of(e.source), -1) < LAYER_OF.get(part_of(e.target), -1)]


def test_no_upward_import() -> None:
    found = upward(imports())
    new = [
        f"{e.where()}: {e.source} ({layer_name(part_of(e.source))}) imports {e.target} ({layer_name(part_of(e.target))})"
        + (" inside a function" if e.in_function else "")
        for e in found
        if (e.source, e.target) not in KNOWN_UPWARD
    ]
    assert not new, "upward imports:\n" + "\n".join(new)
    gone = sorted(set(KNOWN_UPWARD) - {(e.source, e.target) for e in found})
    assert not gone, f"no longer imported upward, remove from KNOWN_UPWARD: {gone}"


def test_no_cycle_within_a_layer() -> None:
    found = cycles(imports())
    new = {c: es for c, es in found.items() if c not in KNOWN_CYCLES}
    report = [f"cycle {' ↔ '.join(sorted(c))}:\n" + "\n".join(f"  {e.where()}: {e.source} imports {e.target}" for e in es) for c, es in new.items()]
    assert not report, "\n".join(report)
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not gone, f"no longer cycles, remove from KNOWN_CYCLES: {gone}"


#: Files whose imports inside functions do not all say yet why they are there; every other file's
#: do (``# lazy: …`` on the import or the line above it: the measured cost it saves, or that the
#: package is optional). The test fails when a listed file has none left, so that it is removed.
LAZY_PENDING: frozenset[str] = frozenset()


def lazy_imports(path: Path) -> list[tuple[int, bool]]:
    """(line, commented) of each import inside a function of ``path``."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return [
        (n.lineno, any("# lazy:" in line for line in lines[n.lineno - 2 : n.end_lineno or n.lineno]))
        for n, in_function in import_nodes(ast.parse(text, str(path)))
        if in_function
    ]


def uncommented_lazy() -> dict[str, list[int]]:
    """File (relative to hzlib/) → lines of its imports inside functions without a ``# lazy:`` comment."""
    out = {}
    for path in modules().values():
        bare = [line for line, commented in lazy_imports(path) if not commented]
        if bare:
            out[path.relative_to(PACKAGE).as_posix()] = bare
    return out


def test_imports_inside_functions_say_why() -> None:
    found = uncommented_lazy()
    new = [f"hzlib/{f}:{line}" for f, lines in sorted(found.items()) if f not in LAZY_PENDING for line in lines]
    assert not new, (
        "imports inside a function without a '# lazy: <measured cost, or optional package>' comment (or move them to the top of the module):\n" + "\n".join(new)
    )
    done = sorted(LAZY_PENDING - set(found))
    assert not done, f"every import inside a function of these files says why: remove them from LAZY_PENDING: {done}"


def test_a_lazy_import_needs_its_comment(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text(
        "def a():\n    import json\n\n\ndef b():\n    # lazy: optional package\n    import yaml\n\n\n"
        "def c():\n    from os import (  # lazy: costs 0.1 s\n        path,\n    )\n",
        encoding="utf-8",
    )
    assert lazy_imports(f) == [(2, False), (7, True), (11, True)]


def _edge(source: str, target: str, *, in_function: bool = False) -> Import:
    return Import(source, target, PACKAGE / "x.py", 1, in_function)


def test_the_check_sees_an_upward_import_and_a_cycle() -> None:
    """The checks can fail: a function-level import upward and a cycle inside a layer are found."""
    up = _edge("hzlib.scoring.ledger", "hzlib.report.model", in_function=True)
    assert LAYER_OF[part_of(up.source)] < LAYER_OF[part_of(up.target)]
    assert set(cycles([_edge("hzlib.data", "hzlib.ingest.read"), _edge("hzlib.ingest.importer", "hzlib.data")])) == {frozenset({"data", "ingest"})}
    assert part_of("hzlib.report.notebook") == "report.notebook" and part_of("hzlib.report.model") == "report"
    assert part_of("hzlib") == "hzlib" and part_of("hzlib.render.pdf") == "render"


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("hzlib.report.views", "from ..scoring.tables import item_table", ["hzlib.scoring.tables"]),
        ("hzlib.report", "from .model import ReportModel", ["hzlib.report.model"]),
        ("hzlib.report.model", "from ..scoring import report as s", ["hzlib.scoring.report"]),
        ("hzlib.data", "import hzlib.ingest.read, pandas", ["hzlib.ingest.read"]),
        ("hzlib.data", "from hzlib.evaluate.engine import evaluate", ["hzlib.evaluate.engine"]),
    ],
)
def test_imports_are_resolved(source: str, line: str, expected: list[str]) -> None:
    known = modules()
    node = ast.parse(line).body[0]
    assert isinstance(node, ast.Import | ast.ImportFrom)
    assert _targets(node, source, source == "hzlib.report", known) == expected


ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"


def test_architecture_doc_names_every_layer_and_existing_functions() -> None:
    """docs/architecture.md: each layer in its table, and each ``file.py:function`` it names defined there."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
    assert {name for name, _ in LAYERS} <= rows
    named = re.findall(r"`([\w/]+\.py):(\w+)`", text)
    assert len(named) > 20
    missing = []
    for file, function in named:
        path = PACKAGE / file
        defined = (
            {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef | ast.ClassDef)} if path.is_file() else set()
        )
        if function not in defined:
            missing.append(f"{file}:{function}")
    assert not missing, f"docs/architecture.md names functions that are not there: {missing}"
