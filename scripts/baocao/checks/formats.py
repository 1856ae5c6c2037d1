"""Formatting findings for people (text), tools (JSON) and GitHub (workflow commands)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from baocao.escape import github
from baocao.findings import CODES, Code, Finding, count

FORMATS = ("text", "json", "github")
_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


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
    """GitHub workflow commands: one annotation per finding, every value escaped
    (``baocao.escape.github``)."""
    return "\n".join(
        github.command(
            str(f.severity),
            f"{f.message} → {CODES[f.code].fix}",
            file=f.path,
            line=f.line,
            title=f"{f.code} {CODES[f.code].title}",
        )
        for f in findings
    )


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return as_json(findings)
    if fmt == "github":
        return "\n".join(filter(None, [as_github(findings), github.plain(as_text(findings).splitlines()[-1])]))
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
    "K": "K — Bản ký số (PDF)",
}
CODES_PAGE = "docs/ma-loi.md"
_CODES_INTRO = """# Mã lỗi

Mỗi lỗi hoặc cảnh báo mà `baocao check` đưa ra có một mã cố định, một mức độ, tên tệp, số dòng
và lời nhắn nói cách sửa. Mã không đổi giữa các phiên bản, nên có thể tra cứu ở bảng dưới đây.

- **lỗi**: báo cáo chưa được chấp nhận; `baocao check` kết thúc với mã thoát 1.
- **cảnh báo**: báo cáo vẫn được chấp nhận; nên sửa khi có thể.

Mã thoát của `baocao check`: 0 khi không có lỗi, 1 khi có lỗi, 2 khi không đọc được `campaign.yml`.

<!-- Sinh từ bảng mã scripts/baocao/findings/codes.py bằng `baocao codes --write`; đừng sửa tay. -->

## Giới hạn khi đọc tệp

Mọi tệp được đọc như có thể do người có ý xấu soạn ra: vượt giới hạn là một lỗi có mã, không bao
giờ làm dừng việc kiểm tra hay dựng trang của các đơn vị khác.

| Giới hạn | Giá trị | Mã |
|---|---|---|
| Cỡ một tệp trong thư mục báo cáo | {max_mb} MB | F203 |
| Số giá trị ở phần thông tin đầu tệp | {max_nodes} | F214 |
| Neo YAML (`&`, `*`) ở phần thông tin đầu tệp | không được dùng | M311 |
| Số chữ số của một số liệu | {max_digits} | N509 |
| Số dạng `0x10`, `0b11`, `1:30`, `1e3`, `1_000` | không nhận (chỉ số thập phân thường) | N504 |
| Tệp Word: số phần / cỡ giải nén / tỉ lệ nén một phần trên 1 MB | {parts} / {unzipped} MB / {ratio} lần | F214 |
| Tên tệp kèm theo | chữ, số, dấu cách và `- _ . , ( ) +` | F212 |
| Ký tự điều khiển trong báo cáo | bỏ đi khi hiển thị và xuất Word | F213 |
| `campaign.yml`: số giá trị sau khi mở neo YAML | {expanded} | C106 |
| `campaign.yml`: khóa ghi hai lần | không được | C105 |
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
    """docs/ma-loi.md: a short introduction, the limits (from the readers' own constants) and the code table."""
    from baocao.checks.files import MAX_BYTES
    from baocao.reports.figures import MAX_DIGITS
    from baocao.reports.report import MAX_NODES
    from baocao.reports.word.container import MAX_PARTS, MAX_RATIO, MAX_UNZIPPED
    from baocao.yamlsafe import MAX_EXPANDED

    intro = _CODES_INTRO.format(
        max_mb=MAX_BYTES // 1048576,
        max_nodes=f"{MAX_NODES:,}".replace(",", "."),
        max_digits=MAX_DIGITS,
        parts=MAX_PARTS,
        unzipped=MAX_UNZIPPED // 1048576,
        ratio=MAX_RATIO,
        expanded=f"{MAX_EXPANDED:,}".replace(",", "."),
    )
    return intro + "\n" + code_table()
