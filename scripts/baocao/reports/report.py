"""Reading a Markdown report: bytes -> text -> front matter + heading structure.

Parsing never raises on bad input: problems become findings, and whatever could be read
is still returned so that later checks (and the site) can use it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from baocao.escape.text import clean, forbidden
from baocao.findings import Finding, finding
from baocao.yamlsafe import explain, inspect

_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_VIETNAMESE_1258 = set("ăâđêôơưĂÂĐÊÔƠƯ")
MAX_NODES = 20_000  # front-matter values; a report has a few dozen

MD = MarkdownIt("commonmark", {"html": True}).enable("table")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that keeps an impossible date (2022-02-30) as text instead of failing the
    whole front matter, so the date rule can say exactly what is wrong. LibYAML's parser
    when available: the pure-Python one dominated the time of a site build."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based line in the file


@dataclass(frozen=True, slots=True)
class Scalar:
    """A front-matter value with the text the clerk typed and its line."""

    value: Any
    raw: str
    line: int
    quoted: bool


@dataclass
class ParsedReport:
    path: str
    text: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, Scalar] | None = None  # so_lieu, when it is a mapping
    has_front_matter: bool = False
    body_line: int = 1  # 1-based line of the first body line
    body_start: int = 0  # where the body begins in ``text`` (kept once: thousands of reports stay in memory)
    headings: list[Heading] = field(default_factory=list)
    html_lines: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # What the reader already reported on in its own words (a Word report's D807 for a missing
    # "Số 45-BC/HU"): front-matter keys ("so_hieu", "so_lieu") and indicators ("so_lieu.<id>").
    # The general rules skip these, so one problem gives one finding.
    reported: set[str] = field(default_factory=set)

    @property
    def body(self) -> str:
        """The report after its front matter (Markdown)."""
        return self.text[self.body_start :] if self.text is not None else ""

    @property
    def body_lines(self) -> list[str]:
        return self.body.split("\n")

    def between(self, start: int, end: int | None) -> str:
        """Body source from file line ``start`` up to, not including, ``end``."""
        lines = self.body_lines
        a = max(start - self.body_line, 0)
        b = len(lines) if end is None else max(end - self.body_line, 0)
        return "\n".join(lines[a:b]).strip("\n")


def decode(data: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """UTF-8 text, NFC-normalised, or None with the reason; BOM and NFD are tolerated."""
    found: list[Finding] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(data) >= 4 and data.count(b"\x00") > len(data) // 4
    ):
        return None, [finding("F204", path, 1, "Tệp được lưu ở bảng mã UTF-16. Hãy lưu lại với bảng mã UTF-8.")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        found.append(finding("F205", path, 1, "Tệp có dấu BOM ở đầu; đã bỏ qua, không cần sửa."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            legacy = data.decode("cp1258")
        except UnicodeDecodeError:
            legacy = ""
        if legacy and _VIETNAMESE_1258 & set(legacy):
            msg = (
                "Tệp được lưu ở bảng mã Windows-1258 (bảng mã tiếng Việt cũ của Windows), không phải UTF-8. "
                "Hãy mở bằng trình soạn thảo và lưu lại với bảng mã UTF-8."
            )
        else:
            msg = f"Tệp không phải văn bản UTF-8 (byte lạ ở dòng {line}). Hãy lưu lại với bảng mã UTF-8."
        return None, [*found, finding("F204", path, line, msg)]
    if "\x00" in text:
        return None, [*found, finding("F204", path, 1, "Tệp chứa ký tự NUL: không phải văn bản.")]
    normal = unicodedata.normalize("NFC", text)
    if normal != text:
        line = next(
            (i for i, (a, b) in enumerate(zip(text.split("\n"), normal.split("\n"), strict=False), 1) if a != b), 1
        )
        found.append(
            finding(
                "F206",
                path,
                line,
                "Văn bản gõ bằng Unicode tổ hợp (NFD); đã chuẩn hóa sang Unicode dựng sẵn, không cần sửa.",
            )
        )
    text = normal.replace("\r\n", "\n").replace("\r", "\n")
    bad = forbidden(text)
    if bad:
        line = next(i for i, row in enumerate(text.split("\n"), 1) if forbidden(row))
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad[:5])
        found.append(
            finding("F213", path, line, f"Có ký tự điều khiển ({shown}) trong báo cáo; đã bỏ đi, không cần sửa.")
        )
        text = clean(text)
    return text, found


def _split_front_matter(text: str) -> tuple[str | None, int, int]:
    """(yaml text or None, first body line index, closing fence index or -1)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, -1
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i]):
            return "\n".join(lines[1:i]), i + 1, i
    return None, 0, 0


def _read_front_matter(report: ParsedReport, source: str) -> None:
    path = report.path
    try:
        node = yaml.compose(source, Loader=_Loader)
        for issue in inspect(node, aliases=False, limit=MAX_NODES) if node is not None else []:
            if issue.kind in ("alias", "cycle"):
                msg = "Phần thông tin đầu tệp dùng neo YAML (& và *); hãy ghi thẳng từng giá trị."
                report.findings.append(finding("M311", path, issue.line + 1, msg))
                return
            if issue.kind == "size":
                msg = f"Phần thông tin đầu tệp có hơn {MAX_NODES} giá trị: vượt giới hạn xử lý."
                report.findings.append(finding("F214", path, issue.line + 1, msg))
                return
        # Values come from the node already composed (its lines are needed too): one parse.
        data = _Loader("").construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line, why = explain(exc, source, first_line=2)
        report.findings.append(finding("M302", path, line, f"Lỗi ở phần thông tin đầu tệp. {why}"))
        return
    except (ValueError, TypeError, RecursionError) as exc:  # guards against the unforeseen
        report.findings.append(finding("M302", path, 2, f"Phần thông tin đầu tệp không đọc được: {exc}"))
        return
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        report.findings.append(finding("M302", path, 2, "Phần thông tin đầu tệp phải là các dòng khóa: giá trị."))
        return
    report.meta = {str(k): v for k, v in data.items()}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in report.meta_lines:
            report.findings.append(_duplicate(report.path, key, report.meta_lines[key], key_node))
        report.meta_lines[key] = key_node.start_mark.line + 2
        if key == "so_lieu" and isinstance(value_node, yaml.MappingNode) and isinstance(data.get(key), dict):
            report.numbers = _numbers(value_node)
            seen: dict[str, int] = {}
            for k, _ in value_node.value:
                if str(k.value) in seen:
                    report.findings.append(_duplicate(report.path, str(k.value), seen[str(k.value)], k))
                seen[str(k.value)] = k.start_mark.line + 2


def _duplicate(path: str, key: str, first: int, node: yaml.Node) -> Finding:
    """YAML keeps the last of two equal keys without a word; the clerk meant one of them."""
    line = node.start_mark.line + 2
    return finding("M302", path, line, f"Khóa '{key}' ghi hai lần (dòng {first} và dòng {line}); hãy xóa một dòng.")


def _numbers(node: yaml.MappingNode) -> dict[str, Scalar]:
    """so_lieu entries with the text as typed (to tell 1.000 from 1000) and their lines."""
    constructor = _Loader("")
    out: dict[str, Scalar] = {}
    for k, v in node.value:
        raw = v.value if isinstance(v, yaml.ScalarNode) else ""
        quoted = isinstance(v, yaml.ScalarNode) and v.style in ("'", '"')
        value = constructor.construct_object(v, deep=True)
        out[str(k.value)] = Scalar(value, str(raw), k.start_mark.line + 2, quoted)
    return out


def _is_raw_html(tok: Token) -> bool:
    """HTML other than comments (which templates use for guidance)."""
    if tok.type == "html_block":
        return bool(_COMMENT.sub("", tok.content).strip())
    children = tok.children or []
    return tok.type == "inline" and any(c.type == "html_inline" and not c.content.startswith("<!--") for c in children)


def _read_body(report: ParsedReport) -> None:
    try:
        tokens = MD.parse(report.body)
    except Exception as exc:  # markdown-it is robust; this guards against the unforeseen
        report.findings.append(finding("M302", report.path, report.body_line, f"Không phân tích được nội dung: {exc}"))
        return
    offset = report.body_line
    for i, tok in enumerate(tokens):
        line = (tok.map[0] if tok.map else 0) + offset
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            report.headings.append(Heading(int(tok.tag[1:]), inline.content.strip(), line))
        elif _is_raw_html(tok):
            report.html_lines.append(line)


def parse_markdown(data: bytes, path: str) -> ParsedReport:
    """Parse a Markdown report; never raises."""
    report = ParsedReport(path)
    text, report.findings = decode(data, path)
    if text is None:
        return report
    if not text.strip():
        report.findings = [finding("F209", path, 1, "Tệp rỗng: chưa có nội dung báo cáo.")]
        return report
    report.text = text
    source, body_start, closing = _split_front_matter(text)
    if source is None:
        if closing == 0 and text.split("\n", 1)[0].strip() == "---":
            report.findings.append(
                finding("M301", path, 1, "Phần thông tin đầu tệp mở bằng --- nhưng không có dòng --- đóng lại.")
            )
        else:
            report.findings.append(
                finding(
                    "M301",
                    path,
                    1,
                    "Thiếu phần thông tin đầu tệp: tệp phải mở đầu "
                    "bằng dòng --- rồi các dòng don_vi:, so_hieu:, ngay:, nguoi_ky:, "
                    "rồi dòng ---.",
                )
            )
    else:
        report.has_front_matter = True
        _read_front_matter(report, source)
    report.body_line = body_start + 1
    report.body_start = sum(len(line) + 1 for line in text.split("\n")[:body_start])
    _read_body(report)
    return report
