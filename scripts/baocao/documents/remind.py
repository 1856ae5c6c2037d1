"""The urging notice (công văn đôn đốc): a draft naming every unit whose report for a stage
does not count yet (overdue, not yet sent, or not valid), with the deadline as an exact
instant and, for an invalid report, what to fix.

The body is written once in Markdown; the Word draft puts the same body under the Party
letterhead of ``export_docx``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx.document import Document
from docx.shared import Cm

from baocao import vn
from baocao.campaign.model import Campaign, Stage
from baocao.documents.compile import Absent, StageAbsences, absent_units, carrying_out
from baocao.documents.docx_writer import Body, add_markdown, body_paragraph
from baocao.documents.draft_docx import Letterhead, header_block, letterhead, setup_document, signature_block
from baocao.escape.markdown import text as md
from baocao.status.judge import CampaignStatus, State, compute_status

KIND = "CV"


@dataclass
class Reminder(StageAbsences):
    campaign: Campaign
    stage: Stage
    as_of: datetime
    absent: list[Absent]
    head: Letterhead

    @property
    def subject(self) -> str:
        title = self.stage.title[:1].lower() + self.stage.title[1:]
        return f"V/v đôn đốc gửi {title}"


def moment(at: datetime, campaign: Campaign) -> str:
    """'00:00 ngày 20/06/2022' in the campaign's zone."""
    local = at.astimezone(campaign.tz)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def build_reminder(
    campaign: Campaign, status: CampaignStatus, stage: Stage, absent: list[Absent] | None = None
) -> Reminder:
    """The notice for ``stage`` at ``status.as_of``. ``absent``, when the caller already has it
    (the units that do not count, from ``absent_units`` or a compilation without its late
    units, in campaign order), saves computing it again."""
    head = letterhead(campaign, stage, status.as_of.year)
    cc = [f"{head.recipients[0]} (để báo cáo)"] if head.recipients else []
    head = dataclasses.replace(head, recipients=["Như trên", *cc])
    if absent is None:
        absent = absent_units(status, campaign, stage)
    return Reminder(campaign, stage, status.as_of, absent, head)


def remind(campaign: Campaign, root: Path, stage: str | None = None, as_of: datetime | None = None) -> Reminder:
    st = campaign.stage_by_id[stage] if stage else campaign.stages[0]
    return build_reminder(campaign, compute_status(campaign, root, as_of, st.id), st)


def addressees(r: Reminder) -> list[str]:
    return [a.unit.name for a in r.absent]


def body_markdown(r: Reminder) -> str:
    """The notice's body (after 'Kính gửi:'), as Markdown."""
    c = r.campaign
    to = f" về {md(r.stage.to)}" if r.stage.to else ""
    out = [
        f"{md(carrying_out(c))}, thời hạn gửi “{md(r.stage.title)}”{to} là "
        f"{r.stage.due.describe()} (kết thúc lúc **{moment(r.deadline, c)}**).",
        "",
    ]
    if not r.absent:
        out += [f"Đến {moment(r.as_of, c)}, tất cả các đơn vị đã gửi báo cáo hợp lệ.", ""]
        return "\n".join(out).strip() + "\n"
    out += [
        f"Đến {moment(r.as_of, c)}, còn {len(r.absent)} đơn vị chưa gửi báo cáo hoặc báo cáo chưa hợp lệ, cụ thể:",
        "",
    ]
    overdue = r.with_state(State.OVERDUE)
    if overdue:
        out.append(f"**Chưa gửi báo cáo, đã quá hạn ({len(overdue)} đơn vị):**")
        out.append("")
        out += [f"- {md(a.name)}: quá hạn {vn.duration(a.late_seconds or r.as_of - r.deadline)}." for a in overdue]
        out.append("")
    missing = r.with_state(State.MISSING)
    if missing:
        left = vn.duration(r.deadline - r.as_of)
        out += [f"**Chưa gửi báo cáo, còn {left} đến hạn ({len(missing)} đơn vị):**", ""]
        out += [f"- {md(a.name)}." for a in missing]
        out.append("")
    invalid = r.with_state(State.INVALID)
    if invalid:
        out += [f"**Đã gửi nhưng báo cáo chưa hợp lệ, cần sửa ({len(invalid)} đơn vị):**", ""]
        for a in invalid:
            fixes = "; ".join(a.errors) if a.errors else "kiểm tra lại báo cáo theo đề cương"
            out.append(f"- {md(a.name)}: {md(fixes)}.")
        out.append("")
    out += [
        f"{md(r.head.name)} đề nghị các đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo "
        f"(hoặc sửa báo cáo đã gửi) theo đúng đề cương, trước ngày ..../..../{r.as_of.year}, "
        "để kịp tổng hợp báo cáo theo yêu cầu.",
        "",
    ]
    return "\n".join(out).strip() + "\n"


def render_markdown(r: Reminder) -> str:
    """The draft notice as Markdown: letterhead lines, addressees, body, distribution list."""
    h = r.head
    out = [
        f"{md(h.parent)}  ",
        f"**{md(h.body)}**  ",
        f"{md(h.number(KIND))}  ",
        f"*{md(r.subject)}*",
        "",
        "**ĐẢNG CỘNG SẢN VIỆT NAM**  ",
        f"*{md(h.place_date)}*",
        "",
        "# Công văn đôn đốc (dự thảo)",
        "",
    ]
    if r.absent:
        out += ["Kính gửi:", "", *(f"- {md(name)}," for name in addressees(r)), ""]
    out += [body_markdown(r), "**Nơi nhận:**", "", *(f"- {md(x)}," for x in h.recipients), "- Lưu VT.", ""]
    out += ["**T/M BAN THƯỜNG VỤ**  ", "**BÍ THƯ**", ""]
    return "\n".join(out)


def build_docx(r: Reminder) -> Document:
    document = setup_document()
    doc = Body(document)
    header_block(doc, r.head, KIND, subject=r.subject)
    body_paragraph(doc, indent=False)
    if r.absent:
        body_paragraph(doc, indent=False).add_run("Kính gửi:").italic = True
        for name in addressees(r):
            p = body_paragraph(doc, indent=False)
            p.paragraph_format.left_indent = Cm(3)
            p.add_run(f"- {name},")
    add_markdown(doc, body_markdown(r))
    signature_block(doc, r.head)
    return document


def export_docx(r: Reminder, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_docx(r).save(str(path))
    return path
