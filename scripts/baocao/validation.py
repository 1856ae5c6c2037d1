"""Checking reports against the campaign: each rule a small generator of findings.

``check_file`` is pure (a path, its bytes, a date) so that the working tree and git
history share it; ``check_tree`` walks ``submissions/``. Nothing here prints or exits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from .findings import Finding, finding
from .model import Campaign, Indicator, Stage
from .outline import Matcher, Segment, flatten, segment
from .report import ParsedReport, Scalar, parse_markdown

MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS = frozenset({".pdf", ".png", ".jpg", ".jpeg"})
REQUIRED_KEYS = ("don_vi", "so_hieu", "ngay", "nguoi_ky")
OPTIONAL_KEYS = ("chuc_vu", "so_lieu", "tieu_de")
TEXT_KEYS = ("so_hieu", "nguoi_ky", "chuc_vu", "tieu_de")
IGNORED_FILES = frozenset({".gitkeep", "README.md"})
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_EMPTY = re.compile(r"<!--.*?-->|\s+", re.DOTALL)

Reader = Callable[[bytes, str], ParsedReport]
# Report readers by file suffix; Word support registers ".docx" here.
READERS: dict[str, Reader] = {".md": parse_markdown}


@dataclass
class CheckedReport:
    """A report read and checked: what the site, history and compile use."""

    path: str
    unit: str
    stage: Stage | None
    report: ParsedReport
    findings: list[Finding] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    numbers: dict[str, int | float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


# --------------------------------------------------------------------------- rules


def rule_keys(c: CheckedReport, stage: Stage | None) -> Iterator[Finding]:
    """The front matter has every required key, and only known keys."""
    r = c.report
    if not r.has_front_matter:
        return
    for key in REQUIRED_KEYS:
        if r.meta.get(key) in (None, ""):
            yield finding("M303", c.path, r.meta_lines.get(key, 2), f"Thiếu khóa '{key}' ở phần thông tin đầu tệp.")
    for key in r.meta:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            yield finding(
                "M304",
                c.path,
                r.meta_lines.get(key, 2),
                f"Khóa '{key}' không xác định; các khóa dùng được: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}.",
            )
    for key in TEXT_KEYS:
        if isinstance(r.meta.get(key), dict | list):
            yield finding("M310", c.path, r.meta_lines.get(key, 2), f"Giá trị của '{key}' phải là một dòng văn bản.")


def rule_unit(c: CheckedReport, stage: Stage | None, campaign: Campaign) -> Iterator[Finding]:
    """`don_vi` equals the folder, is a campaign unit, and is expected in the stage."""
    r = c.report
    unit = r.meta.get("don_vi")
    if unit not in (None, "") and str(unit) != c.unit:
        yield finding(
            "M305",
            c.path,
            r.meta_lines.get("don_vi", 2),
            f"don_vi là '{unit}' nhưng báo cáo nằm trong thư mục '{c.unit}'.",
        )
    if c.unit not in campaign.unit_by_id:
        return
    if stage and c.unit not in {u.id for u in campaign.stage_units(stage)}:
        yield finding("M307", c.path, 1, f"Đơn vị '{c.unit}' không phải nộp “{stage.title}” (tệp {stage.file}).")


def rule_date(c: CheckedReport, today: date) -> Iterator[Finding]:
    """`ngay` is a real date, written year-month-day, not after today."""
    r = c.report
    value = r.meta.get("ngay")
    line = r.meta_lines.get("ngay", 2)
    if value in (None, ""):
        return
    if not isinstance(value, date):
        yield finding("M308", c.path, line, f"Ngày '{value}' không hợp lệ; ghi dạng năm-tháng-ngày, ví dụ 2022-06-15.")
    elif value > today:
        yield finding("M309", c.path, line, f"Ngày ký {value:%d/%m/%Y} ở sau ngày hôm nay ({today:%d/%m/%Y}).")


def rule_html(c: CheckedReport) -> Iterator[Finding]:
    """No raw HTML: the site never runs a submitter's markup."""
    for line in c.report.html_lines:
        yield finding("F208", c.path, line, "Có mã HTML trong báo cáo; hãy dùng cú pháp Markdown thay cho thẻ HTML.")


def rule_sections(c: CheckedReport, matcher: Matcher) -> Iterator[Finding]:
    """Every required section present, once, in order, deeper than its parent, not empty."""
    seen: dict[str, Segment] = {}
    levels: dict[str, int] = {}
    last = -1
    for seg in c.segments:
        h = seg.heading
        e = seg.entry
        if e is None:
            yield finding("S404", c.path, h.line, f"Tiêu đề “{h.text}” không có trong đề cương.")
            continue
        if e.id in seen:
            yield finding(
                "S405",
                c.path,
                h.line,
                f"Mục “{e.heading}” xuất hiện lần thứ hai (lần đầu ở dòng {seen[e.id].heading.line}).",
            )
            continue
        if e.index < last:
            yield finding("S402", c.path, h.line, f"Mục “{e.heading}” đứng sai thứ tự đề cương.")
        if e.parent in levels and h.level <= levels[e.parent]:
            yield finding("S406", c.path, h.line, f"Mục “{e.heading}” là mục con nên cần nhiều dấu # hơn mục cha.")
        seen[e.id] = seg
        levels[e.id] = h.level
        last = max(last, e.index)
        if not e.section.sections and not _EMPTY.sub("", seg.text(c.report)):
            yield finding("S403", c.path, h.line, f"Mục “{e.heading}” chưa có nội dung; nếu không có, ghi “Không có”.")
    for e in matcher.entries:
        if e.section.required and e.id not in seen:
            after = [s.heading.line for s in c.segments if s.entry and s.entry.index > e.index]
            line = after[0] if after else (c.report.body_line + len(c.report.body_lines) - 1)
            yield finding("S401", c.path, line, f"Thiếu mục “{e.heading}”.")


def interpret(s: Scalar, ind: Indicator) -> tuple[int | float | None, str | None, str]:
    """A typed number from what the clerk wrote, or (None, code, message)."""
    v, raw = s.value, s.raw.strip()
    if v is None or raw == "":
        return None, "N503", f"Chỉ tiêu '{ind.id}' chưa ghi số; nếu không phát sinh, ghi 0."
    if not s.quoted and isinstance(v, float) and _THOUSANDS.match(raw):
        return (
            None,
            "N507",
            (
                f"'{raw}' được đọc là {v:g}, không phải {raw.replace('.', '')}; "
                f"ghi {raw.replace('.', '')} nếu là số nghìn (không dùng dấu chấm hàng nghìn)."
            ),
        )
    if isinstance(v, str):
        if _THOUSANDS.match(raw):
            return None, "N507", f"'{raw}' có dấu phân cách hàng nghìn; ghi {re.sub('[.,]', '', raw)}."
        if _DECIMAL_COMMA.match(raw):
            return None, "N507", f"'{raw}' dùng dấu phẩy thập phân; ghi {raw.replace(',', '.')}."
        if _PLAIN_NUMBER.match(v.strip()):
            v = float(v) if "." in v else int(v)
        else:
            return None, "N504", f"'{raw}' không phải là số; chỉ ghi con số, không kèm chữ (đơn vị: {ind.unit})."
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None, "N504", f"'{raw}' không phải là số."
    if v < 0:
        return None, "N505", f"Chỉ tiêu '{ind.id}' có số âm ({raw})."
    if ind.type == "integer":
        if isinstance(v, float) and not v.is_integer():
            return None, "N506", f"'{raw}' có phần thập phân; '{ind.label}' phải là số nguyên."
        v = int(v)
    return v, None, ""


def rule_indicators(c: CheckedReport, campaign: Campaign) -> Iterator[Finding]:
    """so_lieu holds every required indicator as a plain non-negative number."""
    r = c.report
    if not r.has_front_matter or (r.findings and any(f.code == "M302" for f in r.findings)):
        return
    line = r.meta_lines.get("so_lieu", 2)
    if "so_lieu" not in r.meta:
        yield finding("N501", c.path, 2, "Thiếu phần số liệu: thêm khóa so_lieu với các chỉ tiêu của phụ lục.")
        return
    if r.numbers is None:
        yield finding("N508", c.path, line, "so_lieu phải gồm các dòng 'mã chỉ tiêu: số', thụt vào hai dấu cách.")
        return
    known = {i.id: i for i in campaign.indicators}
    for key, s in r.numbers.items():
        if key not in known:
            yield finding("N502", c.path, s.line, f"Chỉ tiêu '{key}' không có trong phụ lục số liệu.")
            continue
        value, code, msg = interpret(s, known[key])
        if code:
            yield finding(code, c.path, s.line, msg)
        else:
            assert value is not None
            c.numbers[key] = value
    for ind in campaign.indicators:
        if ind.required and ind.id not in r.numbers:
            yield finding("N503", c.path, line, f"Thiếu chỉ tiêu '{ind.id}' ({ind.label}); nếu không phát sinh, ghi 0.")


# --------------------------------------------------------------------------- dispatch


def unit_and_name(rel_path: str) -> tuple[str, str]:
    parts = PurePosixPath(rel_path).parts
    return (parts[1] if len(parts) > 2 else ""), parts[-1]


def stage_for(campaign: Campaign, name: str) -> Stage | None:
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix.lower() not in READERS:
        return None
    return next((s for s in campaign.stages if s.stem == stem), None)


def check_report(campaign: Campaign, rel_path: str, data: bytes, today: date) -> CheckedReport:
    """Read and check one report file (Markdown, or Word when registered)."""
    unit, name = unit_and_name(rel_path)
    stage = stage_for(campaign, name)
    reader = READERS[PurePosixPath(name).suffix.lower()]
    parsed = reader(data, rel_path)
    c = CheckedReport(rel_path, unit, stage, parsed, list(parsed.findings))
    if parsed.text is None:
        return c
    matcher = Matcher(flatten(campaign.outline))
    _, c.segments = segment(parsed, matcher)
    c.findings += rule_keys(c, stage)
    c.findings += rule_unit(c, stage, campaign)
    c.findings += rule_date(c, today)
    c.findings += rule_html(c)
    if stage is None or stage.outline:
        c.findings += rule_sections(c, matcher)
    if stage is None or stage.indicators:
        c.findings += rule_indicators(c, campaign)
    return c


def check_file(
    campaign: Campaign, rel_path: str, data: bytes, today: date, *, symlink: bool = False, size: int | None = None
) -> list[Finding]:
    """Every finding for one file under submissions/, whatever it is.

    ``size`` stands in for ``len(data)`` when the caller did not read an oversized file."""
    parts = PurePosixPath(rel_path).parts
    if symlink:
        return [finding("F202", rel_path, 1, "Tệp là liên kết tượng trưng (symlink); hãy thay bằng tệp thật.")]
    size = len(data) if size is None else size
    if size > MAX_BYTES:
        return [finding("F203", rel_path, 1, f"Tệp nặng {size / 1048576:.1f} MB, vượt quá 5 MB.")]
    if len(parts) != 3:
        if len(parts) == 2 and parts[1] in IGNORED_FILES:
            return []
        return [finding("F201", rel_path, 1, "Tệp phải nằm ngay trong thư mục submissions/<mã đơn vị>/.")]
    unit, name = parts[1], parts[2]
    if unit not in campaign.unit_by_id:
        return [finding("F207", rel_path, 1, f"Thư mục '{unit}' không ứng với đơn vị nào trong campaign.yml.")]
    if stage_for(campaign, name):
        return check_report(campaign, rel_path, data, today).findings
    if PurePosixPath(name).suffix.lower() in ATTACHMENTS or name in IGNORED_FILES:
        return []
    files = ", ".join(s.file for s in campaign.stages)
    return [
        finding(
            "F201",
            rel_path,
            1,
            f"Tệp '{name}' không được phép. Tên tệp báo cáo: {files}; kèm theo chỉ được PDF (bản ký) và ảnh PNG/JPEG.",
        )
    ]


def submission_files(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """The files to check: the given ones (folders expanded) or all of submissions/."""
    targets = paths or [root / "submissions"]
    out: list[Path] = []
    for p in targets:
        if p.is_dir() and not p.is_symlink():
            out += sorted(q for q in p.rglob("*") if q.is_symlink() or q.is_file())
        elif p.exists() or p.is_symlink():
            out.append(p)
    return out


def check_tree(campaign: Campaign, root: Path, today: date, paths: list[Path] | None = None) -> list[Finding]:
    """Check files in the working tree; each file independently, every finding kept."""
    findings: list[Finding] = []
    base = root.resolve()
    for p in submission_files(root, paths):
        try:
            rel = p.absolute().parent.resolve().joinpath(p.name).relative_to(base).as_posix()
        except ValueError:
            rel = p.as_posix()
        if p.is_symlink():
            findings += check_file(campaign, rel, b"", today, symlink=True)
            continue
        size = p.stat().st_size
        data = p.read_bytes() if size <= MAX_BYTES else b""
        findings += check_file(campaign, rel, data, today, size=size)
    return findings
