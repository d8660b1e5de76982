"""The package is laid out by pipeline stage, and imports only go downwards.

Read from the source with an AST walk, so the rule holds for imports inside
functions and ``TYPE_CHECKING`` blocks too: a lower stage that needed a higher
one would make the tree lie about where a change goes (docs/architecture.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "esgpress"

#: The stages from the bottom up; a module may import its own stage and lower ones.
LAYERS = [
    "core",
    "data",
    "editions",
    "render",
    "checks",
    "workflows",
    "pdf",
    "site",
    "pipeline",
    "cli",
]
#: Modules at the top of the package that belong to a layer by name.
TOP = {"__init__": "core", "__main__": "cli", "pipeline": "pipeline", "cli": "cli"}
#: Lines a module may have without saying in its docstring why it needs more.
MAX_LINES = 400
#: Modules still being split by the restructure (issue 14); this set only shrinks.


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "core"
    return TOP.get(parts[1], parts[1])


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("esgpress")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if not mod.startswith("esgpress"):
                continue
            found.append((node.lineno, mod))
            # ``from esgpress.core import files`` imports the submodule files.
            found += [
                (node.lineno, f"{mod}.{a.name}")
                for a in node.names
                if (PACKAGE.parent / mod.replace(".", "/") / f"{a.name}.py").exists()
            ]
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_known_layer() -> None:
    unknown = [
        str(p.relative_to(PACKAGE)) for p in sources() if layer_of(module_name(p)) not in LAYERS
    ]
    assert unknown == [], f"modules outside the stages {LAYERS}: {unknown}"


def test_imports_only_go_downwards() -> None:
    upward = []
    for path in sources():
        mine = LAYERS.index(layer_of(module_name(path)))
        for line, mod in imported_modules(path):
            if mod == "esgpress":
                continue
            theirs = LAYERS.index(layer_of(mod))
            if theirs > mine:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {mod}")
    assert upward == []


def test_no_private_names_across_modules() -> None:
    leaks = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("esgpress"):
                leaks += [
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                ]
    assert leaks == []


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    names = {module_name(p) for p in sources()}
    for path in sources():
        deps = graph.setdefault(module_name(path), set())
        for _line, mod in imported_modules(path):
            if mod in names and mod != module_name(path):
                deps.add(mod)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle as a list of modules, or [] (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_no_import_cycles() -> None:
    assert find_cycle(import_graph()) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_size(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert "Longer than" in doc, (
        f"{path.relative_to(PACKAGE)} has {lines} lines; split it or say in its docstring "
        f"why one concern needs more ('Longer than {MAX_LINES} lines because ...')"
    )
