"""The package's layers point one way: the engine imports no Django, and no two modules
import each other, directly or through others, including imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import thirdcountry

SOURCE = Path(thirdcountry.__file__).parent
#: The rules engine and the domain types: plain Python and Polars, usable without Django.
ENGINE = ("rules", "scenario", "screening.py", "dates.py", "dated.py", "names.py", "charts.py")


def _module(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import statement stands."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    paths = [p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts]
    modules = {_module(p): p for p in paths}
    return {
        name: {m for m in _imports(p) if m in modules and m != name} for name, p in modules.items()
    }


def test_the_engine_imports_no_django() -> None:
    engine = [
        p
        for name in ENGINE
        for p in ([SOURCE / name] if name.endswith(".py") else (SOURCE / name).rglob("*.py"))
    ]
    assert engine
    offenders = {
        str(p.relative_to(SOURCE)): sorted(
            m for m in _imports(p) if m.split(".")[0] in {"django", "ninja"}
        )
        for p in engine
    }
    assert {p: m for p, m in offenders.items() if m} == {}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports that leads from ``start`` back to it, if there is one."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    # A package's __init__ that re-exports its own modules is not a cycle of design.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    cycles = {name: cycle for name in graph if (cycle := _cycle_from(name, graph))}
    assert cycles == {}


def test_the_apps_point_one_way() -> None:
    """Which app may import which: interfaces on top, the domain at the bottom."""
    layer = {
        "cli": 5, "web": 5, "api": 5,
        # Identity resolution merges records; the records layer only announces a new
        # person to it (records.signals).
        "identity": 4,
        "oversight": 3, "records": 3,
        "cases": 2,
        "registry": 1, "accounts": 1,
    }  # fmt: skip
    graph = _graph()
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        for target in targets
        if (a := name.split(".")[1] if "." in name else "") in layer
        and (b := target.split(".")[1] if "." in target else "") in layer
        and layer[b] > layer[a]
    )
    assert upward == []


def test_the_interfaces_stand_side_by_side() -> None:
    """The web app, the API and the command line share what they need through the layers
    below them, never through one another."""
    interfaces = {"cli", "web", "api"}
    graph = _graph()
    across = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        for target in targets
        if (a := name.split(".")[1] if "." in name else "") in interfaces
        and (b := target.split(".")[1] if "." in target else "") in interfaces
        and a != b
    )
    assert across == []
