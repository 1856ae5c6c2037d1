"""Checking reports against the campaign: each rule a small generator of findings.

``check_file`` is pure (a path, its bytes, a date) so that the working tree and git
history share it; ``check_tree`` walks ``submissions/``. Nothing here prints or exits.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from baocao.campaign.model import Campaign, Stage
from baocao.checks.checked import CheckedReport
from baocao.checks.files import ATTACHMENTS as ATTACHMENTS
from baocao.checks.files import IGNORED_FILES as IGNORED_FILES
from baocao.checks.files import (
    MAX_BYTES,
    rule_one_report_per_stage,
    rule_placement,
    stage_for,
    submission_files,
    unit_and_name,
)
from baocao.checks.files import READERS as READERS
from baocao.checks.files import Reader as Reader
from baocao.checks.hints import HINTS
from baocao.findings import Finding, finding
from baocao.reports.figures import interpret
from baocao.reports.outline import Entry, Matcher, Segment, fold_diacritics, matcher_for, segment, strip_numbering
from baocao.reports.report import ParsedReport

REQUIRED_KEYS = ("don_vi", "so_hieu", "ngay", "nguoi_ky")
OPTIONAL_KEYS = ("chuc_vu", "so_lieu", "tieu_de")
TEXT_KEYS = ("so_hieu", "nguoi_ky", "chuc_vu", "tieu_de")
_EMPTY = re.compile(r"<!--.*?-->|\s+", re.DOTALL)
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# --------------------------------------------------------------------------- rules


def _unreadable(r: ParsedReport) -> bool:
    """No front matter, or one that could not be read (M302 already says why): checking its
    keys would only repeat that finding in other words."""
    return not r.has_front_matter or (not r.meta and any(f.code in ("M302", "M311", "F214") for f in r.findings))


def rule_keys(c: CheckedReport, stage: Stage | None) -> Iterator[Finding]:
    """The front matter has every required key, and only known keys."""
    r = c.report
    if _unreadable(r):
        return
    for key in REQUIRED_KEYS:
        if key in r.reported:
            continue
        if key not in r.meta:
            yield finding("M303", c.path, 2, f"Thiếu khóa '{key}' ở phần thông tin đầu tệp.")
        elif r.meta[key] in (None, ""):
            yield finding("M303", c.path, r.meta_lines[key], f"Khóa '{key}' chưa có giá trị; hãy điền vào.")
    for key in r.meta:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            near = difflib.get_close_matches(key, REQUIRED_KEYS + OPTIONAL_KEYS, n=1)
            known = ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
            hint = f"có phải là '{near[0]}'?" if near else f"các khóa dùng được: {known}."
            yield finding("M304", c.path, r.meta_lines.get(key, 2), f"Khóa '{key}' không xác định; {hint}")
    for key in TEXT_KEYS:
        if isinstance(r.meta.get(key), dict | list):
            yield finding("M310", c.path, r.meta_lines.get(key, 2), f"Giá trị của '{key}' phải là một dòng văn bản.")


def rule_unit(c: CheckedReport, stage: Stage | None, campaign: Campaign) -> Iterator[Finding]:
    """`don_vi` is a campaign unit, equals the folder, and the unit is expected in the stage."""
    r = c.report
    unit = r.meta.get("don_vi")
    line = r.meta_lines.get("don_vi", 2)
    if unit not in (None, "") and str(unit) not in campaign.unit_by_id:
        named = [u.id for u in campaign.units if fold_diacritics(u.name) == fold_diacritics(str(unit))]
        hint = f"ghi mã đơn vị '{named[0]}' thay cho tên" if named else f"ghi đúng mã của thư mục: '{c.unit}'"
        yield finding("M306", c.path, line, f"don_vi '{unit}' không phải mã đơn vị trong campaign.yml; {hint}.")
    elif unit not in (None, "") and str(unit) != c.unit:
        yield finding("M305", c.path, line, f"don_vi là '{unit}' nhưng báo cáo nằm trong thư mục '{c.unit}'.")
    if c.unit not in campaign.unit_by_id:
        return
    if stage and not campaign.expects(stage, c.unit):
        yield finding("M307", c.path, 1, f"Đơn vị '{c.unit}' không phải nộp “{stage.title}” (tệp {stage.file}).")


def _date_problem(value: object) -> str:
    """Why a front-matter value is not a date, with the exact fix when it can be guessed."""
    text = str(value).strip()
    m = _DAY_FIRST.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        try:
            iso = date(y, mo, d).isoformat()
        except ValueError:
            return f"Ngày '{text}' không tồn tại; kiểm tra lại ngày, tháng."
        return (
            f"Ngày '{text}' viết theo kiểu ngày/tháng/năm; ở phần thông tin đầu tệp hãy ghi "
            f"năm-tháng-ngày: ngay: {iso}."
        )
    m = _ISO_DAY.match(text)
    if m:
        try:
            iso = date(*(int(g) for g in m.groups())).isoformat()
        except ValueError:
            return f"Ngày '{text}' không tồn tại; kiểm tra lại ngày, tháng."
        return f"Ngày '{text}' cần ghi đủ hai chữ số và không đặt trong dấu nháy: ngay: {iso}."
    return f"Ngày '{text}' không hợp lệ; ghi dạng năm-tháng-ngày, ví dụ ngay: 2022-06-15."


def rule_date(c: CheckedReport, today: date, landed: bool = False) -> Iterator[Finding]:
    """`ngay` is a real date, written year-month-day, not after ``today`` (in the campaign's zone).

    ``landed`` says that ``today`` is the day the version landed on the branch (history), not
    the real today (a check of the working tree or of a pull request): the message names that
    day as such, so that it still reads right when the status is asked years later."""
    r = c.report
    value = r.meta.get("ngay")
    line = r.meta_lines.get("ngay", 2)
    if value in (None, ""):
        return
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        yield finding("M308", c.path, line, _date_problem(value))
    elif value > today:
        day = "ngày báo cáo được đưa lên nhánh chính" if landed else "ngày hôm nay"
        yield finding("M309", c.path, line, f"Ngày ký {value:%d/%m/%Y} ở sau {day} ({today:%d/%m/%Y}).")


def rule_html(c: CheckedReport) -> Iterator[Finding]:
    """No raw HTML: the site never runs a submitter's markup."""
    lines = (c.report.text or "").split("\n")
    for line in c.report.html_lines:
        text = lines[line - 1].lower() if 0 < line <= len(lines) else ""
        example = ""
        if any(tag in text for tag in ("<table", "<tr", "<td", "<th")):
            example = (
                " Bảng viết kiểu Markdown, mỗi dòng một hàng, các ô cách nhau bằng dấu |, ví dụ: "
                "“| Chỉ tiêu | Số |” rồi “|---|---:|” rồi “| Số vụ cháy | 12 |”."
            )
        yield finding(
            "F208", c.path, line, f"Có mã HTML trong báo cáo; hãy dùng cú pháp Markdown thay cho thẻ HTML.{example}"
        )


NEAR_HEADING = 80  # rapidfuzz ratio of folded headings from which "có phải là …?" is offered


def _is_word(path: str) -> bool:
    return path.lower().endswith(".docx")


def closest_heading(text: str, matcher: Matcher) -> str | None:
    """The outline heading closest to a heading the outline does not know (numbering, case and
    diacritics ignored), when it is close enough to be a misspelling."""
    from rapidfuzz import fuzz, process

    choices = {e.heading: fold_diacritics(strip_numbering(e.heading)).casefold() for e in matcher.entries}
    best = process.extractOne(
        fold_diacritics(strip_numbering(text)).casefold(), choices, scorer=fuzz.ratio, score_cutoff=NEAR_HEADING
    )
    return best[2] if best else None


def _how_to_add(path: str, e: Entry, after: list[int]) -> str:
    """The fix for a missing section: the heading line to write (as many '#' as its level), or
    in Word the heading style or numbering."""
    where = f" trước dòng {after[0]}" if after and not _is_word(path) else ""
    if _is_word(path):
        return (
            f"Trong Word: thêm tiêu đề “{e.heading}”, đặt kiểu Heading {e.depth} (Trang đầu → Kiểu) "
            "hoặc đánh số như đề cương."
        )
    return f"Thêm dòng tiêu đề “{'#' * (e.depth + 1)} {e.heading}”{where}, rồi viết nội dung bên dưới."


def rule_sections(c: CheckedReport, matcher: Matcher) -> Iterator[Finding]:
    """Every required section present, once, in order, deeper than its parent, not empty."""
    seen: dict[str, Segment] = {}
    levels: dict[str, int] = {}
    last = -1
    for seg in c.segments:
        h = seg.heading
        e = seg.entry
        if e is None:
            near = closest_heading(h.text, matcher)
            guess = f" Có phải là “{near}”?" if near else ""
            yield finding("S404", c.path, h.line, f"Tiêu đề “{h.text}” không có trong đề cương.{guess}")
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
            later = matcher.entries[last].heading
            yield finding("S402", c.path, h.line, f"Mục “{e.heading}” phải đứng trước mục “{later}” (theo đề cương).")
        if e.parent in levels and h.level <= levels[e.parent]:
            deeper = (
                f"đặt kiểu Heading {levels[e.parent] + 1}"
                if _is_word(c.path)
                else f"cần nhiều dấu # hơn mục cha ({'#' * (levels[e.parent] + 1)})"
            )
            yield finding("S406", c.path, h.line, f"Mục “{e.heading}” là mục con nên {deeper}.")
        seen[e.id] = seg
        levels[e.id] = h.level
        last = max(last, e.index)
        if not e.section.sections and not _EMPTY.sub("", seg.text(c.report)):
            yield finding("S403", c.path, h.line, f"Mục “{e.heading}” chưa có nội dung; nếu không có, ghi “Không có”.")
    for e in matcher.entries:
        if e.section.required and e.id not in seen:
            after = [s.heading.line for s in c.segments if s.entry and s.entry.index > e.index]
            line = after[0] if after else (c.report.body_line + len(c.report.body_lines) - 1)
            yield finding("S401", c.path, line, f"Thiếu mục “{e.heading}”. {_how_to_add(c.path, e, after)}")


def rule_indicators(c: CheckedReport, campaign: Campaign) -> Iterator[Finding]:
    """so_lieu holds every required indicator as a plain non-negative number."""
    r = c.report
    if _unreadable(r):
        return
    line = r.meta_lines.get("so_lieu", 2)
    if "so_lieu" not in r.meta:
        if "so_lieu" not in r.reported:
            yield finding("N501", c.path, 2, "Thiếu phần số liệu: thêm khóa so_lieu với các chỉ tiêu của phụ lục.")
        return
    if r.numbers is None:
        yield finding("N508", c.path, line, "so_lieu phải gồm các dòng 'mã chỉ tiêu: số', thụt vào hai dấu cách.")
        return
    known = {i.id: i for i in campaign.indicators}
    for key, s in r.numbers.items():
        if f"so_lieu.{key}" in r.reported:
            continue
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
        if ind.required and ind.id not in r.numbers and f"so_lieu.{ind.id}" not in r.reported:
            yield finding("N503", c.path, line, f"Thiếu chỉ tiêu '{ind.id}' ({ind.label}); nếu không phát sinh, ghi 0.")


# --------------------------------------------------------------------------- dispatch


def check_report(campaign: Campaign, rel_path: str, data: bytes, today: date, landed: bool = False) -> CheckedReport:
    """Read and check one report file (Markdown, or Word when registered); ``landed``: see ``rule_date``."""
    unit, name = unit_and_name(rel_path)
    stage = stage_for(campaign, name)
    reader = READERS[PurePosixPath(name).suffix.lower()]
    parsed = reader(data, rel_path, campaign)
    c = CheckedReport(rel_path, unit, stage, parsed, list(parsed.findings))
    if parsed.text is None:
        return c
    matcher = matcher_for(campaign)
    _, c.segments = segment(parsed, matcher)
    c.findings += rule_keys(c, stage)
    c.findings += rule_unit(c, stage, campaign)
    c.findings += rule_date(c, today, landed)
    c.findings += rule_html(c)
    if stage is None or stage.outline:
        c.findings += rule_sections(c, matcher)
    if (stage is None or stage.indicators) and campaign.indicators:
        c.findings += rule_indicators(c, campaign)
    for hint in HINTS:
        c.findings += hint(c)
    return c


def check_file(
    campaign: Campaign, rel_path: str, data: bytes, today: date, *, symlink: bool = False, size: int | None = None
) -> list[Finding]:
    """Every finding for one file under submissions/, whatever it is.

    ``size`` stands in for ``len(data)`` when the caller did not read an oversized file."""
    return check_file_report(campaign, rel_path, data, today, symlink=symlink, size=size)[0]


def check_file_report(
    campaign: Campaign,
    rel_path: str,
    data: bytes,
    today: date,
    *,
    symlink: bool = False,
    size: int | None = None,
    landed: bool = False,
) -> tuple[list[Finding], CheckedReport | None]:
    """``check_file``'s findings, with the ``CheckedReport`` when the file is a report that was
    read (None otherwise): history keeps it for the site and compile. ``landed``: see ``rule_date``."""
    size = len(data) if size is None else size
    found = list(rule_placement(campaign, rel_path, size, symlink))
    if found or symlink or size > MAX_BYTES:
        return found, None
    parts = PurePosixPath(rel_path).parts
    if len(parts) == 3 and stage_for(campaign, parts[2]):
        checked = check_report(campaign, rel_path, data, today, landed)
        return checked.findings, checked
    return [], None


def check_tree(campaign: Campaign, root: Path, today: date, paths: list[Path] | None = None) -> list[Finding]:
    """Check files in the working tree; each file independently, every finding kept."""
    findings: list[Finding] = []
    base = root.resolve()
    rels: list[str] = []
    reports: dict[str, CheckedReport] = {}  # rel -> the report read, for the signed PDFs
    for p in paths or []:
        if not p.exists() and not p.is_symlink():
            findings.append(finding("F211", p.as_posix(), 1, f"Không tìm thấy tệp hoặc thư mục '{p.as_posix()}'."))
    for p in submission_files(root, paths):
        try:
            rel = p.absolute().parent.resolve().joinpath(p.name).relative_to(base).as_posix()
        except ValueError:
            rel = p.as_posix()
        rels.append(rel)
        if p.is_symlink():
            findings += check_file(campaign, rel, b"", today, symlink=True)
            continue
        size = p.stat().st_size
        data = p.read_bytes() if size <= MAX_BYTES else b""
        found, checked = check_file_report(campaign, rel, data, today, size=size)
        findings += found
        if checked is not None:
            reports[rel] = checked
    # Two reports for one stage are found among all files of the folders that were checked.
    folders = {PurePosixPath(r).parent for r in rels if len(PurePosixPath(r).parts) == 3}
    siblings = {
        (PurePosixPath(f) / q.name).as_posix() for f in folders if (root / f).is_dir() for q in (root / f).iterdir()
    }
    findings += rule_one_report_per_stage(campaign, siblings | set(rels))
    findings += _signed_pdfs(campaign, root, rels, reports)
    return findings


def _signed_pdfs(campaign: Campaign, root: Path, rels: list[str], reports: dict[str, CheckedReport]) -> list[Finding]:
    """K findings of the PDFs among the checked files (verified now, against the campaign's roots)."""
    from baocao.checks.pdfcheck import unit_findings
    from baocao.checks.pdfsign import load_trust, verify_pdf

    pdfs = [r for r in rels if r.lower().endswith(".pdf") and len(PurePosixPath(r).parts) == 3]
    pdfs = [
        r for r in pdfs if not list(rule_placement(campaign, r, (root / r).stat().st_size, (root / r).is_symlink()))
    ]
    if not pdfs:
        return []
    trust = load_trust(root, campaign.signed_pdf.trust, campaign.signed_pdf.crls)
    out: list[Finding] = []
    for unit in sorted({PurePosixPath(r).parts[1] for r in pdfs}):
        checks = [
            verify_pdf((root / r).read_bytes(), trust, None, r) for r in pdfs if PurePosixPath(r).parts[1] == unit
        ]
        by_stage = {c.stage.id: c for r, c in reports.items() if c.unit == unit and c.stage is not None}
        out += unit_findings(campaign, unit, checks, by_stage)
    return out
