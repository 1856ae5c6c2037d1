"""Formatting findings for people (text), tools (JSON) and GitHub (workflow commands)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .findings import CODES, Code, Finding, count

FORMATS = ("text", "json", "github")
_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def as_text(findings: list[Finding]) -> str:
    lines = [
        f"{f.path}:{f.line}: {f.code} [{_SEVERITY_VI[f.severity]}] {f.message}\n    → {CODES[f.code].fix}"
        for f in findings
    ]
    errors, warnings = count(findings)
    lines.append(f"{errors} lỗi, {warnings} cảnh báo." if findings else "Không có lỗi.")
    return "\n".join(lines)


def as_json(findings: list[Finding]) -> str:
    errors, warnings = count(findings)
    doc = {"findings": [f.to_dict() for f in findings], "errors": errors, "warnings": warnings}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def as_github(findings: Iterable[Finding]) -> str:
    """GitHub workflow commands: one annotation per finding."""
    out = []
    for f in findings:
        props = f"file={_escape_prop(f.path)},line={f.line},title={_escape_prop(f.code + ' ' + CODES[f.code].title)}"
        out.append(f"::{f.severity} {props}::{_escape_data(f.message + ' → ' + CODES[f.code].fix)}")
    return "\n".join(out)


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return as_json(findings)
    if fmt == "github":
        return "\n".join(filter(None, [as_github(findings), as_text(findings).splitlines()[-1]]))
    return as_text(findings)


# --------------------------------------------------------------------------- code table

# Code ranges by first letter, in the order of docs/ma-loi.md.
RANGES = {
    "C": "C — Tệp cấu hình campaign.yml",
    "F": "F — Tệp và bảng mã",
    "M": "M — Phần thông tin đầu tệp (front matter)",
    "S": "S — Các mục theo đề cương",
    "N": "N — Số liệu (so_lieu)",
    "H": "H — Lịch sử nộp (Git)",
    "P": "P — Yêu cầu hợp nhất (pull request)",
    "D": "D — Tệp Word (.docx)",
}
CODES_PAGE = "docs/ma-loi.md"
_CODES_INTRO = """# Mã lỗi

Mỗi lỗi hoặc cảnh báo mà `baocao check` đưa ra có một mã cố định, một mức độ, tên tệp, số dòng
và lời nhắn nói cách sửa. Mã không đổi giữa các phiên bản, nên có thể tra cứu ở bảng dưới đây.

- **lỗi**: báo cáo chưa được chấp nhận; `baocao check` kết thúc với mã thoát 1.
- **cảnh báo**: báo cáo vẫn được chấp nhận; nên sửa khi có thể.

Mã thoát của `baocao check`: 0 khi không có lỗi, 1 khi có lỗi, 2 khi không đọc được `campaign.yml`.

<!-- Trang này được sinh từ bảng mã trong scripts/baocao/findings.py bằng lệnh `baocao codes --write`; đừng sửa tay. -->
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def code_table(codes: dict[str, Code] | None = None) -> str:
    """The Markdown table of every code (mã, mức độ, ý nghĩa, cách sửa), one table per range."""
    codes = CODES if codes is None else codes
    blocks = []
    prefixes = list(RANGES) + sorted({c[0] for c in codes} - set(RANGES))
    for prefix in prefixes:
        rows = [c for k, c in codes.items() if k[0] == prefix]
        if not rows:
            continue
        lines = [f"## {RANGES.get(prefix, prefix)}", "", "| Mã | Mức độ | Ý nghĩa | Cách sửa |", "|---|---|---|---|"]
        lines += [f"| {c.code} | {_SEVERITY_VI[c.severity]} | {_cell(c.title)} | {_cell(c.fix)} |" for c in rows]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def codes_page() -> str:
    """docs/ma-loi.md: a short introduction and the code table."""
    return _CODES_INTRO + "\n" + code_table()
