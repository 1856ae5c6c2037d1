"""The compiled outline written as Markdown (``baocao compile --out``, the site's Tổng hợp page),
and the lists and tables that the Word and Excel drafts share with it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from baocao import vn
from baocao.campaign.model import Indicator, Stage, Unit
from baocao.documents.changes import ReportDiff
from baocao.documents.compile import DOCUMENTS_HEADING, Block, Compiled, CompiledSection, IndicatorTotal
from baocao.escape.markdown import text as md
from baocao.status.judge import State

TOP = 3  # units named after a section's total ("nhiều nhất: …")


COLUMNS_PER_TABLE = 5  # indicators per statistics table, so a portrait A4 page stays legible


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(u.name for u in units)


def _md_names(units: Iterable[Unit]) -> str:
    return ", ".join(md(u.name) for u in units)


def indicator_header(ind: Indicator) -> str:
    return f"{ind.label} ({ind.unit})" if ind.unit else ind.label


def status_lines(c: Compiled) -> list[tuple[str, str]]:
    """(label, text) for the lists of late, missing/overdue and invalid units, named (plain text)."""
    tz = c.campaign.tz
    out: list[tuple[str, str]] = []
    late = c.with_state(State.LATE)
    if late:
        items = [f"{a.name} (nộp {vn.when(a.submitted_at, tz)}, muộn {vn.duration(a.late_seconds)})" for a in late]
        out.append((f"Nộp muộn ({len(late)})", "; ".join(items)))
    overdue = c.with_state(State.OVERDUE)
    if overdue:
        out.append((f"Quá hạn, chưa nộp ({len(overdue)})", ", ".join(a.name for a in overdue)))
    missing = c.with_state(State.MISSING)
    if missing:
        out.append((f"Chưa nộp, còn trong hạn ({len(missing)})", ", ".join(a.name for a in missing)))
    bad = c.with_state(State.INVALID)
    if bad:
        items = [f"{a.name} (báo cáo {'; '.join(a.errors)})" if a.errors else a.name for a in bad]
        out.append((f"Báo cáo chưa hợp lệ, chưa tổng hợp ({len(bad)})", "; ".join(items)))
    if c.changed:
        items = [f"{d.unit.name} ({change_summary(d)})" for d in c.changed]
        out.append((f"Báo cáo sửa sau hạn, tổng hợp theo bản mới nhất ({len(c.changed)})", "; ".join(items)))
    return out


def change_summary(d: ReportDiff) -> str:
    """'sửa số liệu 2 chỉ tiêu, 3 mục' : what changed since the deadline, in a few words."""
    parts = [f"{len(d.figures)} chỉ tiêu số liệu"] * bool(d.figures) + [f"{len(d.sections)} mục"] * bool(d.sections)
    return "thay đổi " + " và ".join(parts)


def signed_originals(c: Compiled) -> list[Unit]:
    """Counted units that sent a signed PDF original whose signature verifies, in campaign order."""
    if c.status is None:
        return []
    verified = {
        u.unit
        for u in c.status.stage(c.stage.id).units
        if any(s.verified for pdf in u.signatures for s in pdf.signatures)
    }
    return [s.unit for s in c.sources if s.unit.id in verified]


def front_lines(c: Compiled) -> list[tuple[str, str]]:
    """(label, text) pairs of the front: campaign, stage and deadline, as-of time, count, and the
    units whose signed original was verified (plain text)."""
    d = c.campaign.directive
    tz = c.campaign.tz
    signed = signed_originals(c)
    extra = [("Bản ký số đã xác minh", f"{len(signed)} đơn vị: {_names(signed)}")] if signed else []
    return [
        ("Đợt báo cáo", f"{c.campaign.campaign.title} (Công văn số {d.number} ngày {vn.day(d.date)} của {d.issuer})"),  # type: ignore[arg-type]
        ("Giai đoạn", f"{c.stage.title}; thời hạn {c.stage.due.describe()} (hết hạn lúc {vn.when(c.deadline, tz)})"),
        ("Số liệu tính đến", vn.when(c.as_of, tz)),
        ("Đã nộp", c.summary),
        *extra,
    ]


def _table(header: list[str], rows: list[list[str]], right_from: int) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def indicator_chunks(c: Compiled) -> list[list[IndicatorTotal]]:
    """The indicators in runs of ``COLUMNS_PER_TABLE``: one table each, in the Markdown, on the
    site and in Word, so that every column shows on a screen and on a portrait A4 page."""
    return [c.indicators[i : i + COLUMNS_PER_TABLE] for i in range(0, len(c.indicators), COLUMNS_PER_TABLE)]


def unit_table(c: Compiled, chunk: list[IndicatorTotal]) -> tuple[list[str], list[list[str]]]:
    """Indicators of ``chunk`` by unit: header and rows, the total row last."""
    header = ["STT", "Đơn vị", *(md(indicator_header(t.indicator)) for t in chunk)]
    rows = [
        [str(i), md(s.unit.name), *(vn.number(t.values.get(s.unit.id)) for t in chunk)]
        for i, s in enumerate(c.sources, 1)
    ]
    rows.append(["", "Tổng cộng", *(vn.number(t.total) for t in chunk)])
    return header, rows


def group_table(c: Compiled) -> tuple[list[str], list[list[str]]]:
    """Totals by group: one row per indicator, one column per group, then the total."""
    groups = c.groups
    header = ["Chỉ tiêu", "Đơn vị tính", *(md(g.name) for g in groups), "Tổng cộng"]
    rows = [
        [
            md(t.indicator.label),
            md(t.indicator.unit),
            *(vn.number(t.by_group.get(g.id)) for g in groups),
            vn.number(t.total),
        ]
        for t in c.indicators
    ]
    return header, rows


def not_reported_lines(c: Compiled) -> list[str]:
    """Who is not in the figures: units not counted, and counted units without a value."""
    out = []
    left_out = [a.unit for a in c.absent if a.state is not State.LATE]
    if left_out:
        out.append(
            f"Chưa có số liệu của {len(left_out)} đơn vị chưa nộp hoặc báo cáo chưa hợp lệ: {_md_names(left_out)}."
        )
    for t in c.indicators:
        if t.not_reported:
            out.append(f"Không báo cáo chỉ tiêu “{md(t.indicator.label)}”: {_md_names(t.not_reported)}.")
    return out


def block_markdown(b: Block) -> str:
    """One unit's text under a section: its name and reference in bold, then the text."""
    return f"**{md(b.source.unit.name)}** ({md(b.source.reference)}):\n\n{b.text}"


SHARED_LABEL = "Nội dung chung của nhiều đơn vị"
OWN_LABEL = "Nội dung riêng của từng đơn vị"


def totals_line(c: Compiled, sec: CompiledSection) -> str:
    """'Số vụ cháy: 152 vụ (nhiều nhất: Huyện ủy Ba Tơ 20 vụ, …); Số vụ nổ: 0 vụ' (plain text),
    the totals of the indicators a section names, from the counted reports."""
    parts = []
    for t in sec.totals:
        unit = f" {t.indicator.unit}" if t.indicator.unit else ""
        label = t.indicator.label
        part = f"{label[:1].lower()}{label[1:]} {vn.number(t.total)}{unit}"
        ranked = sorted(((v, uid) for uid, v in t.values.items() if v > 0), key=lambda x: -x[0])[:TOP]
        if len(t.values) > 1 and ranked:
            named = ", ".join(f"{c.campaign.unit_by_id[uid].name} {vn.number(v)}{unit}" for v, uid in ranked)
            part += f" (nhiều nhất: {named})"
        parts.append(part)
    return f"Tổng hợp từ {len(c.sources)} đơn vị: " + "; ".join(parts) if parts else ""


def shared_lines(c: Compiled, sec: CompiledSection) -> list[str]:
    """Each shared sentence, as inert Markdown, followed by its writers in brackets."""
    return [f"{s.text} ({md(s.attribution(len(c.sources)))})." for s in sec.shared]


def section_texts(c: Compiled, sec: CompiledSection) -> list[str]:
    """What the units wrote under a section, as Markdown texts: the shared sentences (one list),
    then each unit's own text (the whole text when verbatim)."""
    out = []
    if sec.shared:
        label = f"*{SHARED_LABEL}:*\n\n" if sec.blocks else ""
        out.append(label + "\n".join(f"- {line}" for line in shared_lines(c, sec)))
        if sec.blocks:
            out.append(f"*{OWN_LABEL}:*")
    return out + [block_markdown(b) for b in sec.blocks]


def title_line(stage: Stage) -> str:
    """The compiled outline's first line."""
    return f"# Tổng hợp báo cáo: {md(stage.title)}"


def render_markdown(c: Compiled, texts: Callable[[list[str]], str] | None = None) -> str:
    """The compiled outline as Markdown (the CLI's --out and the site page). ``texts``, when
    given, writes what the units wrote under one heading instead (the site puts ready HTML there)."""

    def put(items: list[str]) -> list[str]:
        if texts is None:
            return [line for text in items for line in (text, "")]
        return [texts(items), ""] if items else []

    out = [title_line(c.stage), ""]
    out += [f"**{label}:** {md(text)}  " for label, text in front_lines(c)]
    out[-1] = out[-1].rstrip()
    out.append("")
    listed = [f"- **{label}:** {md(text)}." for label, text in status_lines(c)]
    out += [*listed, ""] if listed else []
    if c.documents:
        out += [f"## {DOCUMENTS_HEADING}", ""]
    out += put([block_markdown(b) for b in c.documents])
    for sec in c.sections:
        out += [f"{'#' * (sec.entry.depth + 1)} {md(sec.entry.heading, at_start=False)}", ""]
        totals = totals_line(c, sec)
        out += [md(totals) + ".", ""] if totals else []
        out += put(section_texts(c, sec))
        if sec.nothing:
            out += [f"*Không có:* {_md_names(s.unit for s in sec.nothing)}.", ""]
        if not sec.blocks and not sec.shared and not sec.nothing and not sec.entry.section.sections:
            out += ["*Chưa có đơn vị nào báo cáo mục này.*", ""]
    if c.indicators:
        out += ["## PHỤ LỤC: SỐ LIỆU", "", "### Số liệu theo đơn vị", ""]
        chunks = indicator_chunks(c)
        first = 1
        for k, chunk in enumerate(chunks, 1):
            if len(chunks) > 1:
                out += [f"*Bảng {k}/{len(chunks)}: chỉ tiêu {first}–{first + len(chunk) - 1}*", ""]
            first += len(chunk)
            header, rows = unit_table(c, chunk)
            rows[-1] = [f"**{v}**" if v else v for v in rows[-1]]
            out += [*_table(header, rows, 2), ""]
        notes = not_reported_lines(c)
        if notes:
            out += [*(f"- {line}" for line in notes), ""]
        out += ["### Tổng hợp theo nhóm đơn vị", ""]
        header, rows = group_table(c)
        out += [*_table(header, rows, 2), ""]
    return "\n".join(out).rstrip() + "\n"
