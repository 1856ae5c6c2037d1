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


def explain(exc: yaml.YAMLError, text: str, first_line: int = 1) -> tuple[int, str]:
    """A YAML syntax error as (line, Vietnamese message with the likely cause), for a clerk who
    never heard of YAML. ``first_line``: the file line of ``text``'s first line (front matter
    starts on line 2). PyYAML's English stays out: it names tokens, not fixes."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    index = mark.line if mark is not None else 0
    lines = text.split("\n")
    # The cause is on the line PyYAML names or on one just before it (the mapping it was reading).
    for i in (index, index - 1, index - 2):
        if not 0 <= i < len(lines):
            continue
        where = i + first_line
        cause = _cause(lines[i].split(" #", 1)[0], where)
        if cause:
            return where, cause
    for i in (index, index - 1):
        if 0 < i < len(lines) and lines[i].strip() and lines[i - 1].strip():
            indent, above = (len(x) - len(x.lstrip(" ")) for x in (lines[i], lines[i - 1]))
            if indent != above and not lines[i - 1].rstrip().endswith(":"):
                where = i + first_line
                return where, (
                    f"Dòng {where} thụt lề khác dòng trên: các khóa cùng cấp phải bắt đầu ở cùng một cột "
                    f"(dòng này lùi {indent} dấu cách, dòng trên {above})."
                )
    where = index + first_line
    return where, (
        f"Dòng {where} viết sai cú pháp: mỗi dòng phải có dạng khóa: giá trị, các dòng cùng cấp thẳng hàng, "
        "thụt lề bằng dấu cách."
    )


def _cause(line: str, where: int) -> str:
    if "\t" in line:
        return f"Dòng {where} có ký tự Tab. Chỉ được thụt lề bằng dấu cách: xóa Tab, gõ hai dấu cách thay vào."
    body = line.strip()
    if not body or body.startswith(("#", "---")):
        return ""
    item = body[2:] if body.startswith("- ") else body
    key, colon, value = item.partition(":")
    if not colon:
        if body.startswith(("-", "[", "{", "]", "}", "'", '"')):
            return ""
        return f"Dòng {where} thiếu dấu hai chấm: mỗi dòng có dạng khóa: giá trị (ví dụ “so_hieu: 45-BC/HU”)."
    if value and not value[0].isspace() and " " not in key.strip() and not value.startswith("//"):
        return f"Dòng {where}: sau dấu hai chấm phải có một dấu cách: “{key.strip()}: {value.strip()}”."
    rest = value.strip()
    if ":" in rest and not rest.startswith(("'", '"', "[", "{")):
        quoted = rest.replace('"', '\\"')
        return f'Dòng {where}: giá trị có dấu hai chấm nên phải đặt trong ngoặc kép: “{key.strip()}: "{quoted}"”.'
    return ""
