"""The layering rules of docs/developing.md, checked on the source: dependencies point one way.

Imports are read with `ast` (also those inside functions, which hide a dependency but not
remove it), so a rule broken anywhere in `src/idplane` fails here with the module that broke it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "idplane"

# The admin APIs and the floor they stand on; sign-in, STS, the kits and the app sit above them.
ADMIN_AREAS = (
    "iam",
    "organizations",
    "identitycenter",
    "identitystore",
    "instances",
    "scim",
    "lakeformation",
    "platform",
)
ABOVE = ("signin", "sts", "testing", "seeding", "operations", "app", "cli")
SERVICES = (*(a for a in ADMIN_AREAS if a != "platform"), "federation", "signin", "sts")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(every idplane module imported anywhere in the file, those imported at module level)."""
    tree = ast.parse(path.read_text(), str(path))
    anywhere: set[str] = set()
    top: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        names = [name for name in names if name.startswith("idplane.")]
        anywhere.update(names)
        if node in tree.body:
            top.update(names)
    return anywhere, top


MODULES = {
    _module_name(path): _imports(path)
    for path in sorted(SRC.rglob("*.py"))
    if "migrations" not in path.parts
}


def _area(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _breaking(rule) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module, (anywhere, _) in MODULES.items()
        for imported in anywhere
        if rule(module, imported)
    )


def test_the_admin_areas_never_import_what_stands_on_them():
    assert _breaking(lambda m, i: _area(m) in ADMIN_AREAS and _area(i) in ABOVE) == []


def test_the_platform_knows_no_service():
    assert _breaking(lambda m, i: _area(m) == "platform" and _area(i) in SERVICES) == []


def test_identitystore_never_imports_identitycenter_and_instances_neither():
    rule = (  # noqa: E731 - a readable predicate
        lambda m, i: (
            (_area(m) == "identitystore" and _area(i) == "identitycenter")
            or (_area(m) == "instances" and _area(i) in ("identitycenter", "identitystore"))
        )
    )
    assert _breaking(rule) == []


def test_an_api_module_never_imports_another():
    def rule(module: str, imported: str) -> bool:
        target = imported if imported in MODULES else imported.rsplit(".", 1)[0]
        return module.endswith(".api") and target.endswith(".api") and target != module

    assert _breaking(rule) == []


def test_no_import_cycle_between_modules():
    """Module-level imports only: a cycle there makes import order matter."""
    graph = {
        module: {
            name if name in MODULES else name.rsplit(".", 1)[0]
            for name in top
            if (name if name in MODULES else name.rsplit(".", 1)[0]) in MODULES
        }
        - {module}
        for module, (_, top) in MODULES.items()
    }
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
