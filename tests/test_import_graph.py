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


# --- one model registry ---------------------------------------------------------------------------------------
# What opens a model: an onnxruntime session, the shipped models' folder, or a model class reading its files.
OPENERS = frozenset({"InferenceSession", "onnx_session", "onnx_encoder", "MODELS_DIR"})
CLASS_LOADERS = frozenset({"Heads", "ParagraphHeads", "QuoteModel", "ClaimsModel"})
# The registry loads every model; the runtime modules below define the openers; training builds and validates new
# models from the folders it has just written (its teacher and any shipped model still come through the registry).
MAY_OPEN = ("unspun.runtime.models", "unspun.runtime.encoder", "unspun.runtime.technique_model",
            "unspun.runtime.semeval23_model", "unspun.runtime.quote_model", "unspun.runtime.claims_model",
            "unspun.training.")


def opens_a_model(path: Path) -> list[str]:
    """The lines of a module that open a model: a name in OPENERS, `Heads.load(…)`-style calls, `ClaimsModel(…)`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Name) and node.id in OPENERS or isinstance(node, ast.Attribute) and node.attr in OPENERS:
            found.append(f"{path.name}:{node.lineno}")
        elif isinstance(node, ast.alias) and node.name in OPENERS:
            found.append(f"{path.name}: imports {node.name}")
        elif isinstance(node, ast.Call):
            f = node.func
            if (isinstance(f, ast.Attribute) and f.attr == "load" and isinstance(f.value, ast.Name)
                    and f.value.id in CLASS_LOADERS) or (isinstance(f, ast.Name) and f.id == "ClaimsModel"):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_models_are_opened_only_by_the_registry():
    """Stages, the pipeline, the corpus engines, the server and the CLI get every model (and its version, hash and
    /healthz entry) from `unspun.runtime.models`; none opens a session or reads a model folder itself."""
    offenders = {name: found for name, (path, _) in modules().items()
                 if not name.startswith(MAY_OPEN) and (found := opens_a_model(path))}
    assert not offenders, f"models opened outside unspun.runtime.models: {offenders}"


def test_the_registry_check_sees_an_opener(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from unspun.runtime.encoder import onnx_encoder\nm = QuoteModel.load(folder)\n", encoding="utf-8")
    assert len(opens_a_model(sample)) == 2
