"""Word blocks as Markdown: list paragraphs, tables, and the YAML front matter a Markdown
report would carry for the same values (what ``baocao import`` writes)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from baocao.reports.outline import nfc
from baocao.reports.word.blocks import Para, Table, escape

_LIST = re.compile(r"^[-+•–]\s+")


def para_markdown(p: Para) -> str:
    md = p.markdown()
    if p.label == "-":
        return "- " + md
    if p.label:
        return f"{escape(p.label)} {md}" if not re.match(r"^\d+[.)]$", p.label) else f"{p.label} {md}"
    m = _LIST.match(p.plain)
    if m and not md.startswith(("- ", "+ ")):
        return "- " + md[len(m.group(0)) :] if md.startswith(m.group(0)) else md
    return md


def table_markdown(t: Table) -> str:
    rows = [[" ".join(p.markdown().replace("\\\n", " ") for p in c.paras).strip() for c in row] for row in t.rows]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


_KEY_ORDER = ("don_vi", "so_hieu", "ngay", "nguoi_ky", "chuc_vu", "tieu_de", "so_lieu")


def front_matter(meta: dict[str, Any]) -> str:
    """The YAML front matter a Markdown report would carry for the same values."""
    ordered: dict[str, Any] = {}
    for key in _KEY_ORDER:
        value = meta.get(key, "" if key in ("so_hieu", "ngay", "nguoi_ky") else None)
        if value is None and key != "so_lieu":
            continue
        if key == "so_lieu" and key not in meta:
            continue
        ordered[key] = value
    dumped = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "---\n" + nfc(dumped) + "---\n"
