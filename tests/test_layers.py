"""The code's layers: `core/` is the foundation and imports no feature app; no module imports itself back through
others (imports inside functions count: a lazy import is a cycle all the same; `if TYPE_CHECKING:` ones do not)."""

import ast
from pathlib import Path

import halfbuilt

ROOT = Path(halfbuilt.__file__).parent
FOUNDATION = {"core"}
FEATURES = {"accounts", "regions", "ledger", "disposal", "progress", "closure", "files", "audit", "api", "workflow",
            "demo"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports() -> dict[str, set[str]]:
    """Every module of src/ → the halfbuilt modules it imports (anywhere but under TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module, tree = _module(path), ast.parse(path.read_text(encoding="utf-8"))
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        skip = _type_checking_lines(tree)
        targets = graph.setdefault(module, set())
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                name = ".".join(base + [node.module]) if node.module else ".".join(base)
                names = [name] + [f"{name}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            targets.update(n for n in names if n.startswith("halfbuilt."))
    modules = set(graph)
    return {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}


def test_core_imports_no_feature_app():
    offending = sorted(
        (module, target) for module, targets in _imports().items()
        if module.count(".") and module.split(".")[1] in FOUNDATION
        for target in targets if target.split(".")[1] in FEATURES
    )
    assert offending == []


def test_no_module_imports_itself_back():
    graph = _imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_files_app_imports_none_of_the_supervision_apps():
    """files/ sits below the 督办 and the other supervision apps: they tell it who sees their attachments without a
    project (files/owners.py, from their AppConfig.ready()); it never imports them."""
    offending = sorted(
        (module, target) for module, targets in _imports().items() if module.startswith("halfbuilt.files")
        for target in targets if target.startswith("halfbuilt.supervision")
    )
    assert offending == []
