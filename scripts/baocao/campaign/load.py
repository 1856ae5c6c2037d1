"""Loading ``campaign.yml``: YAML read safely, every key path mapped to its line, the typed
``Campaign`` built and its cross-references checked (``baocao.campaign.checks``), every error a
``CampaignError`` finding with the line it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from baocao.campaign.checks import cross_references
from baocao.campaign.model import Campaign, CampaignError
from baocao.escape.text import clean
from baocao.findings import finding
from baocao.yamlsafe import explain, inspect


@dataclass
class _Lines:
    """Maps a key path such as ('units', 3, 'group') to its line in the YAML file."""

    lines: dict[tuple[object, ...], int]

    def of(self, loc: tuple[object, ...]) -> int:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def _node_lines(node: yaml.Node, path: tuple[object, ...], out: dict[tuple[object, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            _node_lines(v, (*path, key), out)
            out[(*path, key)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _node_lines(v, (*path, i), out)


def _pydantic_message(err: dict[str, object]) -> str:
    kind = err.get("type")
    if kind == "extra_forbidden":
        return "khóa không được phép (kiểm tra chính tả)"
    if kind == "missing":
        return "thiếu khóa bắt buộc"
    msg = str(err.get("msg", ""))
    return msg.removeprefix("Value error, ")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (LibYAML when available: big campaigns) that keeps an impossible date
    ('before: 2022-02-30') as text, so that validation names the key and its line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _cleaned(value: object) -> object:
    """Strings without control characters ('\\e' in a quoted YAML string is an ESC): names and
    titles go into Word, XML and iCalendar, which cannot hold them."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def load_campaign_text(text: str, path: str = "campaign.yml") -> Campaign:
    """Parse and validate campaign YAML; raise ``CampaignError`` with every problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        problems = inspect(root, aliases=True) if root is not None else []
        limits = [p for p in problems if p.kind in ("size", "cycle")]
        if limits:
            over = limits[0]
            why = "neo YAML tự tham chiếu" if over.kind == "cycle" else f"{over.detail} giá trị sau khi mở các neo YAML"
            raise CampaignError([finding("C106", path, over.line, f"campaign.yml vượt giới hạn xử lý ({why}).")])
        twice = []
        for dup in problems:
            if dup.kind == "duplicate":
                key, first = dup.detail.split("\x1f")
                twice.append(
                    finding(
                        "C105",
                        path,
                        dup.line,
                        f"khóa '{key}' ghi hai lần (dòng {first} và dòng {dup.line}); "
                        "khóa ghi sau sẽ xóa mất khóa ghi trước",
                    )
                )
        if twice:
            raise CampaignError(twice)
        data = _cleaned(_Loader("").construct_document(root)) if root is not None else None
    except yaml.YAMLError as exc:
        line, why = explain(exc, text)
        raise CampaignError([finding("C101", path, line, f"lỗi cú pháp: {why}")]) from exc
    if not isinstance(data, dict) or root is None:
        raise CampaignError([finding("C101", path, 1, "campaign.yml phải là một bảng khóa: giá trị")])
    lines: dict[tuple[object, ...], int] = {}
    _node_lines(root, (), lines)
    where = _Lines(lines)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            # Union members add their type name to loc; drop what is not a real key.
            real = tuple(
                p
                for p in loc
                if isinstance(p, int) or (not str(p)[:1].isupper() and not str(p).startswith(("literal[", "list[")))
            )
            dotted = ".".join(str(p) for p in real) or "(gốc)"
            found.append(finding("C102", path, where.of(real), f"{dotted}: {_pydantic_message(dict(err))}"))
        raise CampaignError(found) from exc
    wrong = [finding(code, path, where.of(loc), msg) for loc, code, msg in cross_references(campaign)]
    if wrong:
        raise CampaignError(wrong)
    return campaign


def load_campaign(path: Path) -> Campaign:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignError([finding("C101", path.name, 1, f"không đọc được tệp: {exc}")]) from exc
    return load_campaign_text(text, path.name)
