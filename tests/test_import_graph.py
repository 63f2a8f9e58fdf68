"""unspun's import graph has no cycles (issue 19): data flows one way, ingest → Document → stages → outputs.

The graph is built from the source with `ast`, without importing anything. An edge A → B is any `import` or
`from ... import` of B written in A: at module level, inside a function (a lazy import is still a dependency) and
under `if TYPE_CHECKING:` alike. `from P import X` is an edge to the module `P.X` when X is a module, else to P.
The only import not counted is the one Python adds by itself: importing `unspun.a.b` runs the packages
`unspun` and `unspun.a` first; that is how packages work, not a dependency the code chose.

Two checks, both strict:
- modules: no cycle among the modules of `src/unspun`;
- packages: no cycle among the top-level parts of unspun (each subpackage, such as `unspun.training`, is one node,
  each root module such as `unspun.pipeline` is one), so two packages never lean on each other through different
  modules (the old `evaluation` ↔ `training` knot).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def modules() -> dict[str, tuple[Path, bool]]:
    """{dotted name: (file, is a package)} for every module under src/unspun."""
    found = {}
    for path in sorted((SRC / "unspun").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()

    def owner(name: str) -> str | None:  # the longest prefix of a dotted name that is a module of ours
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in mods.items():
        package = name if is_package else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                deps.update(filter(None, (owner(a.name) for a in node.names if a.name.split(".")[0] == "unspun")))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from .x import y
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if base.split(".")[0] != "unspun":
                    continue
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    dep = target if target in mods else owner(base)
                    if dep:
                        deps.add(dep)
        deps.discard(name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(graph: dict[str, set[str]], component: list[str]) -> str:
    inside = set(component)
    return "; ".join(f"{a} → {', '.join(sorted(graph[a] & inside))}" for a in component)


def part(module: str) -> str:
    """The top-level part of unspun a module belongs to: `unspun.training.ptc` → `unspun.training`."""
    return ".".join(module.split(".")[:2])


def test_the_graph_is_read():
    graph = import_graph()
    assert "unspun.pipeline" in graph and "unspun.stages.techniques" in graph
    assert "unspun.document" in graph["unspun.pipeline"]  # a plain module-level import
    assert "unspun.server.api" in graph["unspun.server.app"]  # inside create_app: function-level imports count


def test_no_module_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + "\n".join(describe(graph, c) for c in found)


def test_no_package_cycles():
    graph = import_graph()
    parts: dict[str, set[str]] = {}
    for module, deps in graph.items():
        parts.setdefault(part(module), set()).update(part(d) for d in deps if part(d) != part(module))
    found = cycles(parts)
    detail = []
    for component in found:
        inside = set(component)
        detail.append("; ".join(f"{m} → {d}" for m in sorted(graph) for d in sorted(graph[m])
                                if part(m) in inside and part(d) in inside and part(d) != part(m)))
    assert not found, "import cycles between packages:\n" + "\n".join(detail)


def test_cycles_are_found():
    """The checker itself: a two-module loop and a longer one are reported, a chain is not."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
