"""Limits on YAML from submitters and from campaign.yml, checked on the composed node graph
before any value is built: an alias bomb (a few hundred bytes that expand to gigabytes),
a recursive alias, duplicate keys (YAML keeps the last one without a word) and absurd sizes
are refused with their line, and nothing downstream ever walks an exponential structure."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_EXPANDED = 500_000  # nodes after expanding aliases (a 10,000-unit campaign is ~120,000)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "alias", "cycle", "size", "duplicate"
    line: int  # 1-based, in the YAML text
    detail: str = ""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def inspect(root: yaml.Node, *, aliases: bool, limit: int = MAX_EXPANDED) -> list[Problem]:
    """Problems of a composed document. ``aliases=False`` refuses any alias at all (report
    front matter has no use for them); otherwise their expansion is bounded by ``limit``."""
    problems: list[Problem] = []
    size: dict[int, int] = {}  # id(node) -> expanded size, once computed
    on_path: set[int] = set()
    seen: set[int] = set()
    # Iterative depth-first walk (a deep document must not hit Python's recursion limit).
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size.get(id(c), 1) for c in _children(node))
            if size[key] > limit:
                return [Problem("size", node.start_mark.line + 1, str(size[key]))]
            continue
        if key in on_path:
            return [Problem("cycle", node.start_mark.line + 1)]
        if key in seen:
            if not aliases:
                return [Problem("alias", node.start_mark.line + 1)]
            continue  # its size is known (or will be, on the way back): counted by the parent
        seen.add(key)
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for k, _ in node.value:
                if isinstance(k, yaml.ScalarNode):
                    line = k.start_mark.line + 1
                    if k.value in keys:
                        problems.append(Problem("duplicate", line, f"{k.value}\x1f{keys[k.value]}"))
                    keys.setdefault(k.value, line)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(_children(node)))
    return problems
