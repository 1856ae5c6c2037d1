"""``baocao new``: a report skeleton from the outline, so a clerk starts from the right shape.

The skeleton carries what the campaign already knows (the unit, today's date, every
indicator set to 0 with its label and unit) and, under each outline heading, the section's
guidance as an HTML comment: the validator ignores comments, so an unfilled section is
reported as empty (S403) until the clerk writes it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from baocao.campaign.model import Campaign, Section, Stage
from baocao.checks.validation import READERS

_EMPTY_HINT = "Viết nội dung mục này; nếu không có, ghi “Không có”."


class SkeletonError(Exception):
    """The skeleton cannot be written; the message is for the clerk, in Vietnamese."""


def _comment(text: str) -> str:
    # "--" cannot appear inside an HTML comment.
    return "<!-- " + " ".join(text.replace("--", "–").split()) + " -->"


def _front_matter(campaign: Campaign, unit_id: str, stage: Stage, today: date) -> list[str]:
    lines = [
        "---",
        f"don_vi: {unit_id}",
        'so_hieu: ""  # số/ký hiệu văn bản, ví dụ: 45-BC/HU',
        f"ngay: {today.isoformat()}  # ngày ký, dạng năm-tháng-ngày",
        'nguoi_ky: ""  # họ và tên người ký',
        'chuc_vu: ""  # chức vụ người ký, ví dụ: Bí thư (không bắt buộc)',
    ]
    if stage.indicators and campaign.indicators:
        lines.append("so_lieu:  # chỉ ghi con số, không kèm đơn vị, không dùng dấu chấm hàng nghìn")
        for ind in campaign.indicators:
            unit = f" ({ind.unit})" if ind.unit else ""
            kind = ", số nguyên" if ind.type == "integer" else ", có thể có phần thập phân, ví dụ 12.5"
            lines.append(f"  {ind.id}: 0  # {ind.label}{unit}{kind}")
    lines.append("---")
    return lines


def _sections(sections: list[Section], level: int) -> list[str]:
    out: list[str] = []
    for s in sections:
        out += ["", f"{'#' * level} {s.heading}", ""]
        hint = s.guidance
        if not s.required:
            hint = f"(Mục không bắt buộc.) {hint}"
        if not s.sections and "không có" not in hint.casefold():
            hint = f"{hint} {_EMPTY_HINT}"
        if hint.strip():
            out += [_comment(hint)]
        elif s.sections:
            out.pop()  # a parent with no guidance: its first child follows directly
        out += _sections(s.sections, level + 1)
    return out


def skeleton(campaign: Campaign, unit_id: str, stage: Stage, today: date) -> str:
    """The text of a new report for ``unit_id`` in ``stage``."""
    unit = campaign.unit_by_id[unit_id]
    lines = _front_matter(campaign, unit_id, stage, today)
    lines += ["", "# BÁO CÁO", "", f"**{campaign.campaign.title}**", ""]
    lines.append(_comment(f"{unit.name} – {stage.title}. Gửi: {stage.to or '(xem văn bản chỉ đạo)'}."))
    if stage.outline:
        lines += _sections(campaign.outline, 2)
    else:
        lines += ["", _comment(f"Viết nội dung {stage.title.lower()} tại đây.")]
    return "\n".join(lines) + "\n"


def choose_stage(campaign: Campaign, unit_id: str, stage_id: str | None) -> Stage:
    """The stage asked for, or the first stage the unit must submit in."""
    if unit_id not in campaign.unit_by_id:
        known = ", ".join(u.id for u in campaign.ordered_units()[:5])
        raise SkeletonError(f"Không có đơn vị '{unit_id}' trong campaign.yml (ví dụ mã đơn vị: {known}, ...).")
    expected = [s for s in campaign.stages if campaign.expects(s, unit_id)]
    if stage_id is None:
        if not expected:
            raise SkeletonError(f"Đơn vị '{unit_id}' không phải nộp báo cáo ở giai đoạn nào.")
        return expected[0]
    stage = campaign.stage_by_id.get(stage_id)
    if stage is None:
        ids = ", ".join(s.id for s in campaign.stages)
        raise SkeletonError(f"Không có giai đoạn '{stage_id}'; các giai đoạn: {ids}.")
    if stage not in expected:
        raise SkeletonError(f"Đơn vị '{unit_id}' không phải nộp “{stage.title}”.")
    return stage


def write_skeleton(campaign: Campaign, root: Path, unit_id: str, stage_id: str | None = None) -> Path:
    """Write ``submissions/<unit>/<stage file>``; never overwrite an existing report."""
    stage = choose_stage(campaign, unit_id, stage_id)
    folder = root / "submissions" / unit_id
    existing = [folder / f"{stage.stem}{suffix}" for suffix in READERS if (folder / f"{stage.stem}{suffix}").exists()]
    if existing:
        raise SkeletonError(f"Đã có báo cáo {existing[0].as_posix()}; không ghi đè. Hãy sửa trực tiếp tệp đó.")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stage.file
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(
                skeleton(campaign, unit_id, stage, campaign.today(campaign.closing()))
            )  # a closed campaign: its day
    except FileExistsError as exc:
        raise SkeletonError(f"Đã có báo cáo {target.as_posix()}; không ghi đè.") from exc
    return target
