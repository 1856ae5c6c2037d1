"""The package's layout is its pipeline: every import of a baocao module goes down the stages
(or stays inside one), and no group of modules imports itself in a circle.

Stages, bottom up (docs/kien-truc.md): shared leaves → campaign → reports → checks → history →
status → documents → site → ci → demo → cli. Imports inside functions and under
``TYPE_CHECKING`` count as well: a lazy import upward is still a dependency upward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "baocao"
LEAVES = ("vn", "findings", "escape", "yamlsafe", "interrupt", "parallel", "text")
STAGES = ("campaign", "reports", "checks", "history", "status", "documents", "site", "ci", "demo", "cli")
RANK = {name: 0 for name in LEAVES} | {name: i + 1 for i, name in enumerate(STAGES)} | {"__main__": len(STAGES)}


def module_name(path: Path) -> str:
    parts = ["baocao", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every baocao module ``path`` imports, wherever the import sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "baocao"]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import (write baocao.…)"
            if node.module and node.module.split(".")[0] == "baocao":
                for alias in node.names:  # ``from baocao.site import units`` imports a module
                    sub = f"{node.module}.{alias.name}"
                    out.append((node.lineno, sub if sub in MODULES else node.module))
    return out


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(module: str) -> int:
    return RANK.get(stage_of(module), 0)


GRAPH = {name: sorted({m for _, m in imports(path) if m != name}) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_known_stage_or_leaf() -> None:
    unknown = sorted({stage_of(m) for m in MODULES if stage_of(m) and stage_of(m) not in RANK})
    assert unknown == [], f"add these to LEAVES or STAGES (and to docs/kien-truc.md): {unknown}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_only_go_down_the_pipeline(name: str) -> None:
    upward = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {name} ({stage_of(name)}) imports {target} "
        f"({stage_of(target)})"
        for line, target in imports(MODULES[name])
        if rank(target) > rank(name)
    ]
    assert upward == []


def test_leaves_import_no_stage() -> None:
    bad = {n: [m for m in GRAPH[n] if rank(m) > 0] for n in MODULES if rank(n) == 0}
    assert {n: ms for n, ms in bad.items() if ms} == {}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The rule above is only as good as the finder: a planted cycle must be reported.
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": []}) == []


def test_the_layer_rule_catches_an_upward_import() -> None:
    assert rank("baocao.checks.validation") < rank("baocao.history.gitlog")
    assert rank("baocao.vn") == 0 < rank("baocao.campaign.model")
    assert rank("baocao.cli") > rank("baocao.demo.build") > rank("baocao.ci.prcheck")


def test_no_module_is_much_over_400_lines() -> None:
    long = {n: c for n, p in MODULES.items() if (c := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert long == {}
