"""One page per unit: for each stage its state, the report rendered (sanitised), its front
matter and indicators, its findings with the fix, its landing history and attachments.

A submitter's Markdown is rendered with raw HTML switched off (tags show as text) and the
result is cleaned again with nh3, so no markup, event handler or ``javascript:`` link a
submitter wrote can run on the site, and no image can load from another origin."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import PurePosixPath

import markdown
import nh3

from baocao.campaign.model import Unit
from baocao.checks.checked import CheckedReport
from baocao.checks.pdfsign import PdfCheck
from baocao.checks.validation import READERS, check_report
from baocao.documents.changes import render_diff
from baocao.escape.html import url_path
from baocao.findings import CODES
from baocao.history.records import Landing
from baocao.history.timeline import HOW
from baocao.parallel import fork_map, pool_size
from baocao.site.core import (
    STATUS_PAGE,
    Pages,
    SiteContext,
    attachment_uri,
    badge,
    esc,
    md_text,
    show_time,
)
from baocao.site.skeleton_files import (
    site_day,
    skeleton_link,
)
from baocao.status.judge import StageStatus, UnitStatus, state_label
from baocao.vn import number

META_LABELS = {
    "don_vi": "Mã đơn vị",
    "so_hieu": "Số, ký hiệu",
    "ngay": "Ngày ký",
    "nguoi_ky": "Người ký",
    "chuc_vu": "Chức vụ",
    "tieu_de": "Tiêu đề",
}
SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"align"}, "th": {"align"}}
_HEADING = re.compile(r"<(/?)h([1-6])([\s>])")
# An author date this far from the landing is flagged (besides any that crosses the deadline).
AUTHOR_SKEW = timedelta(hours=24)


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists", "def_list"], output_format="html")
    # Raw HTML in a report is shown as text, never passed through (validation flags it: F208).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _markdown()


def _local(tag: str, attr: str, value: str) -> str | None:
    """Keep links to the web and to the site; images only from the site itself: a relative
    path with no scheme, no host ('//host', and '/\\host', which browsers read as '//host') and
    no backslash at all."""
    if attr == "src":
        if "\\" in value or value.startswith("/") or ":" in value.split("/", 1)[0] or "%5c" in value.lower():
            return None
    elif attr == "href" and ("\\" in value or value.startswith(("//", "/\\"))):
        return None
    return value


def render_report(body: str) -> str:
    """A report body (Markdown) as safe HTML, its headings moved two levels down."""
    html_text = _MD.reset().convert(body)
    html_text = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}{m.group(3)}", html_text)
    return sanitize(html_text)


def sanitize(html_text: str, tags: set[str] = SAFE_TAGS, attributes: dict[str, set[str]] = SAFE_ATTRIBUTES) -> str:
    """Submitter HTML cleaned: only ``tags`` and ``attributes``, links to the web or the site,
    images from the site only."""
    return nh3.clean(
        html_text,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_local,
    )


def html_table(header: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """A table as the Markdown tables extension writes it, from ready (escaped) HTML cells;
    ``header`` is (label, right-aligned). Given to the page through ``SiteContext.raw``: MkDocs
    need not parse thousands of small tables cell by cell."""
    right = ' style="text-align: right;"'
    out = ["<table>", "<thead>", "<tr>"]
    out += [f"<th{right if r else ''}>{esc(label)}</th>" for label, r in header]
    out += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>")
        out += [f"<td{right if r else ''}>{cell}</td>" for (_, r), cell in zip(header, row, strict=True)]
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _meta_rows(ctx: SiteContext, checked: CheckedReport) -> list[str]:
    rows = []
    for key, label in META_LABELS.items():
        value = checked.report.meta.get(key)
        if value not in (None, ""):
            shown = f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else " ".join(str(value).split())
            rows.append([esc(label), esc(shown)])
    return [ctx.raw(html_table([("Thông tin", False), ("Giá trị", False)], rows))] if rows else []


def _indicator_rows(ctx: SiteContext, checked: CheckedReport) -> list[str]:
    raw = checked.report.numbers or {}
    rows = []
    for ind in ctx.campaign.indicators:
        if ind.id in checked.numbers:
            shown = esc(number(checked.numbers[ind.id]))
        elif ind.id in raw:
            shown = f"{esc(' '.join(str(raw[ind.id].raw).split()))} ⚠ <em>chưa hợp lệ</em>"
        else:
            shown = "—"
        rows.append([esc(ind.label), shown, esc(ind.unit)])
    header = [("Chỉ tiêu", False), ("Số liệu", True), ("Đơn vị tính", False)]
    return [ctx.raw(html_table(header, rows))]


def _trust_lines(ctx: SiteContext, u: UnitStatus) -> list[str]:
    """The unit's extension, why a report does not count, and how its submission time is known."""
    out = []
    ext = u.extension
    if ext:
        decision = f", theo {md_text(ext.decision)}" if ext.decision else ""
        out += [
            f"**Được gia hạn** đến {show_time(ctx, u.deadline)}{decision} (lý do: {md_text(ext.reason)}).",
            "",
        ]
    if u.rejected:
        out += [
            "**Không được tính:** báo cáo vào nhánh chính sau hạn, mà giai đoạn này không nhận báo cáo muộn "
            "(dù lúc kiểm tra yêu cầu hợp nhất còn trong hạn).",
            "",
        ]
    if u.evidence:
        out += [f"Thời điểm nộp được xác định: {md_text(HOW.get(u.evidence, u.evidence))}.", ""]
    return out


MODIFICATION = {
    "none": "không",
    "lta": "chỉ thêm dữ liệu kiểm chứng",
    "form": "có điền biểu mẫu",
    "annotations": "có thêm chú thích",
    "other": "có thêm nội dung",
}


def _signature_panel(ctx: SiteContext, pdfs: list[PdfCheck]) -> str:
    """One row per signature of each signed PDF: who, when (claimed, and timestamped: only the
    timestamp is evidence), integrity, trust, revocation."""
    yes = '<span class="bc-ok">✓ {}</span>'
    no = '<span class="bc-bad">✗ {}</span>'
    rows = []
    for pdf in pdfs:
        name = esc(PurePosixPath(pdf.path).name)
        if pdf.problem or not pdf.signatures:
            why = pdf.problem or "không có chữ ký số"
            rows.append([name, "", "", "", "", no.format(esc(why)), "", ""])
        for s in pdf.signatures:
            intact = yes.format("toàn vẹn") if s.intact and s.valid else no.format("bị sửa hoặc chữ ký hỏng")
            changed = MODIFICATION.get(s.modification, s.modification)
            if s.modification not in ("none", "lta") and not s.whole_file:
                intact += " " + no.format(esc(f"sửa sau khi ký: {changed}"))
            trusted = yes.format("tin cậy") if s.trusted else no.format(esc(s.trust_problem or "không tin cậy"))
            stamp = show_time(ctx, s.timestamp) + (" (TSA tin cậy)" if s.timestamp_trusted else "")
            rows.append(
                [
                    name,
                    esc(s.signer),
                    esc(s.organisation),
                    esc(show_time(ctx, s.claimed_at)),
                    esc(stamp) if s.timestamp else "không có",
                    intact,
                    trusted,
                    "đã kiểm tra" if s.revocation_checked else "chưa kiểm tra được (không có CRL)",
                ]
            )
    header = [
        ("Tệp", False),
        ("Người ký", False),
        ("Tổ chức", False),
        ("Ký lúc (phần mềm ghi)", False),
        ("Dấu thời gian", False),
        ("Toàn vẹn", False),
        ("Tin cậy", False),
        ("Thu hồi", False),
    ]
    return html_table(header, rows)


def _findings(u: UnitStatus) -> list[str]:
    out = []
    for f in [*u.errors, *u.warnings]:
        code = CODES.get(f.code)
        kind = "lỗi" if f.severity == "error" else "cảnh báo"
        out.append(f"- **{f.code}** · {kind} · dòng {f.line}: {md_text(f.message)}")
        if code:
            out.append(f"    *Cách sửa:* {md_text(code.fix)}")
    for a in u.anomalies:
        out.append(f"- **{a.code}** · bất thường trong lịch sử: {md_text(a.message)}")
    return out


def _author_flag(landing: Landing, due: datetime) -> str:
    landed, authored = landing.landed_at, landing.authored_at
    if abs(landed - authored) > AUTHOR_SKEW or authored < due <= landed:
        return ' <span class="bc-flag" title="Ngày tác giả khác thời điểm đưa lên nhánh chính">⚠ khác</span>'
    return ""


def _landings(ctx: SiteContext, u: UnitStatus, due: datetime) -> list[str]:
    header = [
        ("Lần", True),
        ("Commit", False),
        ("Đưa lên nhánh chính", False),
        ("Người gửi", False),
        ("Ngày tác giả (tham khảo)", False),
        ("Căn cứ thời điểm", False),
        ("Hợp lệ", False),
    ]
    rows = [
        [
            str(i),
            f"<code>{esc(landing.commit[:10])}</code>",
            show_time(ctx, landing.landed_at),
            esc(" ".join(str(landing.author).split())),
            show_time(ctx, landing.authored_at) + _author_flag(landing, due),
            esc(HOW.get(landing.evidence or "claim", "")),
            {True: "có", False: "không", None: "—"}[landing.valid],
        ]
        for i, landing in enumerate(u.landings, 1)
    ]
    return [ctx.raw(html_table(header, rows))]


def _stage_section(
    ctx: SiteContext, i: int, stage: StageStatus, u: UnitStatus, page: str, data: bytes | None
) -> list[str]:
    due = u.deadline  # the unit's own (an extension), else the stage's
    lines = [
        f"## Giai đoạn {i}: {md_text(stage.title)}",
        "",
        f"{badge(u.state, state_label(u))} "
        f"Hạn: {show_time(ctx, u.deadline)}. "
        + (f"Nộp lúc {show_time(ctx, u.submitted_at)}. " if u.submitted_at else "")
        + (f"Số lần nộp: {u.revisions}." if u.revisions else "")
        + (" Có bản sửa sau hạn." if u.revised_after_due else ""),
        "",
        *_trust_lines(ctx, u),
        skeleton_link(ctx, page, u.unit, stage.id, u.path if u.present else None),
        "",
    ]
    checked = ctx.reports.get((u.path or "", u.blob or ""))  # as the status read and checked it
    if checked is None and data is not None and u.path:
        checked = check_report(ctx.campaign, u.path, data, site_day(ctx))
    found = _findings(u)
    lines += ["### Lỗi và cảnh báo", "", *(found or ["Không có lỗi hay cảnh báo."]), ""]
    if checked is not None:
        meta = _meta_rows(ctx, checked)
        if meta:
            lines += ["### Thông tin báo cáo", "", *meta, ""]
        model = ctx.campaign.stage_by_id.get(stage.id)
        if model is None or model.indicators:
            lines += ["### Số liệu", "", *_indicator_rows(ctx, checked), ""]
    if u.landings:
        lines += ["### Lịch sử nộp", "", *_landings(ctx, u, due), ""]
    change = (ctx.changes or {}).get((u.unit, stage.id))
    if change is not None:  # the version at the deadline beside the latest
        body = render_diff(change, ctx.tz, heading_level=2).split("\n", 1)[1]  # its title is this heading
        lines += [
            "### Thay đổi sau hạn",
            "",
            ctx.raw(f'<div class="bc-report bc-diff">{render_report(body)}</div>'),
            "",
        ]
    files = ctx.attachments.get(u.unit, [])
    if files and i == 1:
        # Raw HTML, escaped: a file name is the submitter's, and Markdown (with attribute lists)
        # would read '{: onfocus=… }' or '#' in it as markup.
        items = [
            f'<li><a href="{esc(url_path(ctx.url(page, attachment_uri(u.unit, name))))}">{esc(name)}</a>'
            + (" — bản Word gốc của báo cáo" if name.lower().endswith(".docx") else "")
            + "</li>"
            for name in files
        ]
        lines += ["### Tệp kèm theo", "", ctx.raw("<ul>" + "".join(items) + "</ul>"), ""]
    if u.signatures:
        lines += ["### Chữ ký số của bản PDF", "", ctx.raw(_signature_panel(ctx, u.signatures)), ""]
    if checked is not None and checked.report.text is not None:
        shown = "bản đang có trên nhánh chính" if u.present else "bản cuối cùng trước khi bị xóa"
        lines += [
            f"### Nội dung báo cáo ({shown})",
            "",
            ctx.raw(f'<div class="bc-report">{render_report(checked.report.body)}</div>'),
            "",
        ]
    return lines


Entry = tuple[int, StageStatus, UnitStatus, bytes | None]  # stage number, stage, unit status, report
PARALLEL_FROM = 200  # fewer units than this are rendered in-process


def _report_bytes(ctx: SiteContext, u: UnitStatus) -> bytes | None:
    """The report's bytes, read only when the status did not already read and check that version."""
    if u.blob and u.path and PurePosixPath(u.path).suffix.lower() in READERS:
        if (u.path, u.blob) in ctx.reports:
            return None
        return ctx.read_blob(u.blob)
    return None


def _unit_page(ctx: SiteContext, unit: Unit, entries: list[Entry]) -> tuple[str, str]:
    page = ctx.unit_page(unit.id)
    lines = [
        "---",
        # Escaped: the theme writes the title into <title> and the header as it stands.
        f"title: {json.dumps(esc(unit.name), ensure_ascii=False)}",
        "---",
        "",
        f"# {md_text(unit.name)}",
        "",
        f"Nhóm: {md_text(ctx.group_name(unit.group))} · Mã đơn vị: `{unit.id}` · "
        f"[Về trang tình hình nộp báo cáo](../{STATUS_PAGE})",
        "",
    ]
    if not entries:
        lines += ["Đơn vị không phải nộp báo cáo ở giai đoạn nào.", ""]
    for i, stage, u, data in entries:
        lines += _stage_section(ctx, i, stage, u, page, data)
    return page, "\n".join(lines)


def _job(ctx: SiteContext, job: tuple[Unit, list[tuple[int, int, bytes | None]]]) -> tuple[str, str, dict[str, str]]:
    """In a worker: one unit's page and the HTML fragments it made. The job names the stage and
    the unit's row by number (the worker inherited the whole status): pickling them would send
    every landing and checked report with each page."""
    ctx.fragments = {}
    stages = ctx.stages()
    unit, entries = job
    rows = [(i, stages[i - 1], stages[i - 1].units[j], data) for i, j, data in entries]
    page, text = _unit_page(ctx, unit, rows)
    return page, text, ctx.fragments


def unit_pages(ctx: SiteContext) -> Pages:
    """Reading and rendering every report is the bulk of a big site's build, so with many
    units it runs in forked worker processes (BAOCAO_JOBS=1 keeps it in-process); the
    report bytes are read here, through the one git process."""
    per_unit: dict[str, list[tuple[int, int, StageStatus, UnitStatus]]] = {}
    for i, stage in enumerate(ctx.stages(), 1):
        for j, u in enumerate(stage.units):
            per_unit.setdefault(u.unit, []).append((i, j, stage, u))

    out: Pages = {}
    n = pool_size()
    if n > 1 and len(ctx.campaign.units) >= PARALLEL_FROM:
        light = (
            (unit, [(i, j, _report_bytes(ctx, u)) for i, j, _, u in per_unit.get(unit.id, [])])
            for unit in ctx.campaign.ordered_units()
        )
        for page, text, fragments in fork_map(_job, ctx, light, n=n, chunksize=16):
            out[page] = text
            ctx.fragments.update(fragments)
        return out
    for unit in ctx.campaign.ordered_units():
        entries = [(i, st, u, _report_bytes(ctx, u)) for i, _, st, u in per_unit.get(unit.id, [])]
        page, text = _unit_page(ctx, unit, entries)
        out[page] = text
    return out
