"""Top pages of the site: home (directive, timeline, counts, chart), the status tables
and the outline. Each is a registered page builder returning Markdown."""

from __future__ import annotations

from datetime import datetime

from baocao.campaign.model import Section
from baocao.site.chart import progress_svg
from baocao.site.core import (
    OUTLINE_PAGE,
    STATE_NAMES,
    STATE_ORDER,
    STATUS_PAGE,
    Pages,
    SiteContext,
    badge,
    esc,
    findings_count,
    md_text,
    show_time,
)
from baocao.site.rates import DEFINITIONS, rates_table
from baocao.site.skeleton_files import submit_targets
from baocao.status.judge import StageStatus, State, UnitStatus, state_label
from baocao.vn import duration, when, zone_name

HOME = "index.md"
TRUST_PAGE = "thoi-diem-nop.md"
SUBMIT_HINT = " Bấm **Nộp** để mở trang tải báo cáo lên thư mục của đơn vị, **Sửa** để sửa báo cáo đang có."
NUMBER_KINDS = {"integer": "số nguyên", "number": "số thập phân"}


def _directive_link(ctx: SiteContext) -> str | None:
    text = ctx.campaign.directive.text
    prefix = ctx.docs_dir.rstrip("/") + "/"
    if text and text.startswith(prefix) and (ctx.root / text).is_file():
        return text[len(prefix) :]
    return None


def _stage_state(stage: StageStatus, now: datetime) -> str:
    due = stage.due
    counts = stage.counts
    done = counts.get(State.ON_TIME, 0) + counts.get(State.LATE, 0)
    total = len(stage.units)
    if due > now:
        return f"Còn {duration(due - now)} đến hạn; đã nộp hợp lệ {done}/{total} đơn vị."
    return f"Đã hết hạn {duration(now - due)} trước; đã nộp hợp lệ {done}/{total} đơn vị."


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{STATE_NAMES[s].lower()} {counts.get(s, 0)}" for s in STATE_ORDER if counts.get(s, 0))


def home(ctx: SiteContext) -> Pages:
    c = ctx.campaign
    d = c.directive
    now = ctx.status.as_of
    lines = [
        "---",
        "hide: [navigation]",
        "---",
        "",
        f"# {md_text(c.campaign.title)}",
        "",
        f'!!! info "Văn bản chỉ đạo: {esc(d.number)}"',
        "",
        f"    **Số:** {md_text(d.number)} · **Ngày:** {d.date:%d/%m/%Y} · **Cơ quan ban hành:** {md_text(d.issuer)}",
        "",
    ]
    if d.title:
        lines += [f"    **Trích yếu:** {md_text(d.title)}", ""]
    if d.signer:
        lines += [
            f"    **Người ký:** {md_text(d.signer)}{', ' + md_text(d.signer_title) if d.signer_title else ''}",
            "",
        ]
    link = _directive_link(ctx)
    if link:
        lines += [f"    [Đọc toàn văn {md_text(d.number)}]({link})", ""]
    # One row of figures per stage: a unit's report in one stage is not a report of another.
    lines += ["## Số liệu chính", ""]
    for i, st in enumerate(ctx.stages(), 1):
        counts = st.counts
        valid = counts.get(State.ON_TIME, 0) + counts.get(State.LATE, 0)
        lines += [
            f'<p class="bc-cards-title"><strong>Giai đoạn {i}: {esc(st.title)}</strong></p>',
            f'<div class="bc-cards" data-stage="{esc(st.id)}">',
            f'<div class="bc-card"><span class="bc-card-n" data-count="valid">{valid}/{len(st.units)}</span>'
            '<span class="bc-card-l">đơn vị đã nộp báo cáo hợp lệ</span></div>',
        ]
        for state in STATE_ORDER:
            lines.append(
                f'<div class="bc-card bc-card-{state}"><span class="bc-card-n" data-count="{state}">'
                f'{counts.get(state, 0)}</span><span class="bc-card-l">{esc(STATE_NAMES[state].lower())}</span></div>'
            )
        lines += ["</div>", ""]
    lines += ["", f"Số liệu tính đến {when(now, ctx.tz)} (giờ {esc(zone_name(ctx.tz))}).", ""]
    lines += ["## Tiến độ nộp báo cáo", ""]
    svg = progress_svg(ctx.stages(), ctx.tz)
    if svg:
        lines += [
            f'<figure class="bc-figure">{svg}',
            "<figcaption>Mỗi đường là tỉ lệ đơn vị đã nộp báo cáo hợp lệ "
            "của một giai đoạn; đường đứt nét là hạn nộp của giai đoạn đó.</figcaption></figure>",
            "",
        ]
    lines += ["## Các giai đoạn", "", '<ol class="bc-timeline">']
    for i, stage in enumerate(ctx.stages(), 1):
        model = c.stage_by_id.get(stage.id)
        due = stage.due
        passed = due <= now
        lines.append(f'<li class="bc-step {"bc-past" if passed else "bc-future"}">')
        lines.append(f'<p class="bc-step-title"><strong>Giai đoạn {i}: {esc(stage.title)}</strong></p>')
        lines.append(
            f"<p>Hạn: {esc(stage.due_text)} — hết hạn đúng lúc "
            f'<time datetime="{esc(due.isoformat())}">{due.astimezone(ctx.tz):%H:%M ngày %d/%m/%Y}</time> '
            f"(giờ {esc(zone_name(ctx.tz))})."
        )
        if model and model.to:
            lines.append(f"<br>Gửi: {esc(model.to)}; tệp nộp: <code>{esc(stage.file)}</code>.")
        lines.append(f"<br>{esc(_stage_state(stage, now))} ({esc(_counts_line(stage.counts))})</p>")
        lines.append("</li>")
    lines += ["</ol>", ""]
    lines += _evidence_lines(ctx)
    lines += [
        f"Xem chi tiết từng đơn vị ở trang [Tình hình nộp báo cáo]({STATUS_PAGE}). "
        "Dữ liệu máy đọc được: [status.json](status.json), [lịch hạn nộp (iCalendar)](han-nop.ics), "
        "[nguồn tin Atom các lần nộp](feed.xml).",
        "",
    ]
    return {HOME: "\n".join(lines)}


# Campaign-level anomalies a reader of the home page must see: the evidence itself is in doubt.
HOME_ANOMALIES = ("H607", "H609", "H610", "H611", "H613")


def _evidence_lines(ctx: SiteContext) -> list[str]:
    """Rewrites, rejected tags and changes of campaign.yml, on the home page."""
    out: list[str] = []
    shown = [a for a in ctx.status.anomalies if a.code in HOME_ANOMALIES and not a.unit]
    if shown:
        out += ['!!! warning "Bằng chứng về thời điểm nộp cần xem xét"', ""]
        out += [f"    - **{a.code}**: {md_text(a.message)}" for a in shown]
        out += ["", f"    Quy tắc: [Thời điểm nộp và bằng chứng]({TRUST_PAGE}).", ""]
    events = ctx.status.events
    if events:
        out += ["## Thay đổi của đợt báo cáo", ""]
        for e in events:
            what = ", ".join(e.parts) if e.parts else "khởi tạo campaign.yml"
            out.append(f"- {show_time(ctx, e.landed_at)}: {md_text(what)} (commit `{e.commit[:10]}`).")
        out.append("")
    return out


def _state_key(u: UnitStatus) -> str:
    """Sort key of the state column: by state, then by how late."""
    rank = STATE_ORDER.index(u.state) if u.state in STATE_ORDER else 9
    return f"{rank}{(u.late_seconds or 0):012d}"


def _row(ctx: SiteContext, u: UnitStatus) -> str:
    unit_url = ctx.url(STATUS_PAGE, ctx.unit_page(u.unit))
    moment = u.submitted_at
    n = findings_count(u)
    errors = len(u.errors)
    found = f'<span class="bc-n-err">{n}</span>' if errors else str(n)
    return (
        f'<tr data-group="{esc(u.group)}" data-state="{esc(u.state)}">'
        f'<td data-sort="{esc(u.name)}"><a href="{esc(unit_url)}">{esc(u.name)}</a></td>'
        f'<td data-sort="{_state_key(u)}">{badge(u.state, state_label(u))}</td>'
        f'<td data-sort="{esc(moment.isoformat() if moment else "")}">{esc(show_time(ctx, moment))}</td>'
        f'<td data-sort="{u.revisions:06d}">{u.revisions}</td>'
        f'<td data-sort="{n:06d}">{found}</td>'
        + (f'<td class="bc-col-submit">{_submit_cell(ctx, u)}</td>' if ctx.host is not None else "")
        + "</tr>"
    )


def _submit_cell(ctx: SiteContext, u: UnitStatus) -> str:
    """The hosting site's page for the unit: edit its Markdown report when one is on the branch,
    else upload one into its folder (escaped: the URL carries the unit id and file name)."""
    upload, edit = submit_targets(ctx, u.unit, u.path if u.present else None)
    if edit is not None:
        return f'<a class="bc-edit" href="{esc(edit)}">Sửa</a>'
    return f'<a class="bc-submit" href="{esc(upload)}">Nộp</a>'


def _group_head(ctx: SiteContext, group: str, units: list[UnitStatus], columns: int) -> str:
    """The row that opens a group: its name, its number of units and how many in each state."""
    counts = {s: sum(u.state == s for u in units) for s in STATE_ORDER}
    parts = " ".join(f"{badge(s, STATE_NAMES[s])}&nbsp;{n}" for s, n in counts.items() if n)
    name = esc(ctx.group_name(group)) if group else "Chưa xếp nhóm"
    return (
        f'<tr class="bc-group" data-group-head="{esc(group)}"><th scope="rowgroup" colspan="{columns}">'
        f'<span class="bc-group-name">{name}</span> · {len(units)} đơn vị <span class="bc-group-counts">{parts}</span>'
        "</th></tr>"
    )


def _grouped(ctx: SiteContext, stage: StageStatus) -> list[tuple[str, list[UnitStatus]]]:
    """The stage's units by group, groups in campaign order (units of no known group last)."""
    by_group: dict[str, list[UnitStatus]] = {}
    for u in stage.units:
        by_group.setdefault(u.group, []).append(u)
    order = [g.id for g in ctx.campaign.groups if g.id in by_group]
    order += [g for g in by_group if g not in order]
    return [(g, by_group[g]) for g in order]


def _status_table(ctx: SiteContext, stage: StageStatus) -> str:
    heads = ["Đơn vị", "Tình trạng", "Thời điểm nộp", "Số lần nộp", "Lỗi, cảnh báo"]
    head = "".join(f'<th scope="col" data-sort-key>{h}</th>' for h in heads)
    if ctx.host is not None:
        head += '<th scope="col" class="bc-col-submit">Nộp, sửa</th>'
    columns = len(heads) + (ctx.host is not None)
    bodies = [
        f'<tbody data-group="{esc(group)}">'
        + _group_head(ctx, group, units, columns)
        + "".join(_row(ctx, u) for u in units)
        + "</tbody>"
        for group, units in _grouped(ctx, stage)
    ]
    return "\n".join(
        [
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">',
            f'<table data-bc-table data-stage="{esc(stage.id)}">',
            f"<thead><tr>{head}</tr></thead>",
            *bodies,
            "</table></div></div>",
            f'<p class="bc-empty" data-bc-empty="{esc(stage.id)}" hidden>Không có đơn vị nào khớp bộ lọc.</p>',
        ]
    )


def status_page(ctx: SiteContext) -> Pages:
    groups = {u.group for st in ctx.stages() for u in st.units}
    options = "".join(
        f'<option value="{esc(g.id)}">{esc(g.name)}</option>' for g in ctx.campaign.groups if g.id in groups
    )
    states = "".join(f'<option value="{s}">{esc(STATE_NAMES[s])}</option>' for s in STATE_ORDER)
    lines = [
        "---",
        "hide: [navigation, toc]  # the whole width for the table",
        "---",
        "",
        "# Tình hình nộp báo cáo",
        "",
        f"Tính đến {esc(show_time(ctx, ctx.status.as_of))}. Thời điểm nộp là lúc báo cáo hợp lệ được đưa lên "
        "nhánh chính của kho (không theo ngày ghi trên máy người gửi). Bấm tên đơn vị để xem báo cáo, "
        "lỗi cần sửa và lịch sử nộp; bấm tiêu đề cột để sắp xếp (trong từng nhóm)." + (SUBMIT_HINT if ctx.host else ""),
        "",
        '<form class="bc-filters" data-bc-filters hidden>',
        f'<label>Nhóm <select data-filter="group"><option value="">Tất cả</option>{options}</select></label>',
        f'<label>Tình trạng <select data-filter="state"><option value="">Tất cả</option>{states}</select></label>',
        '<output data-bc-shown aria-live="polite"></output>',
        "</form>",
        "",
    ]
    for i, stage in enumerate(ctx.stages(), 1):
        due = stage.due
        counts = stage.counts
        lines += [
            f"## Giai đoạn {i}: {md_text(stage.title)}",
            "",
            f"Hạn: {md_text(stage.due_text)} (hết hạn lúc {when(due, ctx.tz)}); "
            f"tệp `{stage.file}`. "
            + " · ".join(f"{badge(s, STATE_NAMES[s])} {counts.get(s, 0)}" for s in STATE_ORDER if counts.get(s, 0)),
            "",
            ctx.raw(rates_table(ctx, stage)),
            "",
            ctx.raw(_status_table(ctx, stage)),
            "",
        ]
    lines += ["## Cách tính tỷ lệ", "", DEFINITIONS, ""]
    return {STATUS_PAGE: "\n".join(lines)}


def _outline_lines(sections: list[Section], depth: int) -> list[str]:
    out: list[str] = []
    for s in sections:
        out.append(f"{'    ' * depth}- **{md_text(s.heading)}**" + ("" if s.required else " *(không bắt buộc)*"))
        if s.guidance:
            out.append(f"{'    ' * (depth + 1)}*{md_text(s.guidance)}*")
            out.append("")
        out += _outline_lines(s.sections, depth + 1)
    return out


def outline_page(ctx: SiteContext) -> Pages:
    c = ctx.campaign
    lines = [
        "# Đề cương báo cáo",
        "",
        "Báo cáo trình bày lần lượt từng mục dưới đây, đúng thứ tự, mỗi mục một tiêu đề (`##` cho mục La Mã, "
        "`###` cho mục con). Mục nào không có nội dung thì ghi “Không có”, không bỏ mục.",
        "",
        *_outline_lines(c.outline, 0),
        "",
        "## Phụ lục số liệu",
        "",
        "Ghi trong khóa `so_lieu` ở phần thông tin đầu tệp, mỗi chỉ tiêu một dòng, chỉ ghi con số.",
        "",
        "| Mã chỉ tiêu | Chỉ tiêu | Đơn vị tính | Kiểu số |",
        "|---|---|---|---|",
        *(f"| `{i.id}` | {md_text(i.label)} | {md_text(i.unit)} | {NUMBER_KINDS[i.type]} |" for i in c.indicators),
        "",
        "## Các giai đoạn và tệp nộp",
        "",
        "| Giai đoạn | Tệp | Theo đề cương | Có số liệu | Hạn |",
        "|---|---|---|---|---|",
        *(
            f"| {md_text(s.title)} | `{s.file}` | {'có' if s.outline else 'không'} | "
            f"{'có' if s.indicators else 'không'} | {md_text(s.due.describe())} ({when(c.deadline(s), c.tz)}) |"
            for s in c.stages
        ),
        "",
    ]
    return {OUTLINE_PAGE: "\n".join(lines)}
