"""What changed in a unit's report after the deadline: the version that counted at the deadline
beside a later one (by default the latest), section by section (paragraphs added, removed,
changed) and figure by figure. ``baocao diff``, the unit pages and the Tổng hợp page use it.

"The version at the deadline" is the last version on the branch before the unit's deadline
(its extension, if granted); for a unit that sent only after the deadline, the first version
that counted (late). Landing times are the trusted ones the status judged with.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from baocao import vn
from baocao.campaign.model import Campaign, Stage, Unit
from baocao.checks.checked import CheckedReport
from baocao.checks.validation import check_report
from baocao.documents.compile_text import unit_sections
from baocao.escape.markdown import text as md
from baocao.history.records import Landing
from baocao.reports.outline import flatten
from baocao.status.judge import CampaignStatus, UnitStatus

SIMILAR_PARAGRAPH = 0.5  # a replaced paragraph this close to the old one is "changed", not removed + added


@dataclass(frozen=True)
class Version:
    """One version of a report: where it lies in history."""

    path: str
    blob: str
    commit: str = ""
    landed_at: datetime | None = None
    label: str = ""  # "bản tính đến hạn", "bản mới nhất", or the ref the user named


@dataclass(frozen=True)
class SectionChange:
    heading: str
    depth: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()  # (before, after)


@dataclass(frozen=True)
class FigureChange:
    label: str
    unit: str
    before: int | float | None
    after: int | float | None


@dataclass(frozen=True)
class ReportDiff:
    unit: Unit
    stage: Stage
    before: Version
    after: Version
    sections: list[SectionChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.sections or self.figures)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def compare_sections(campaign: Campaign, before: CheckedReport, after: CheckedReport) -> list[SectionChange]:
    """Outline section by outline section, the paragraphs added, removed and changed."""
    old, new = unit_sections(before), unit_sections(after)
    out = []
    for entry in flatten(campaign.outline):
        a, b = _paragraphs(old.get(entry.id, "")), _paragraphs(new.get(entry.id, ""))
        if a == b:
            continue
        added: list[str] = []
        removed: list[str] = []
        changed: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "insert":
                added += b[j1:j2]
            elif op == "delete":
                removed += a[i1:i2]
            elif op == "replace":
                olds, news = a[i1:i2], b[j1:j2]
                for k in range(max(len(olds), len(news))):
                    x = olds[k] if k < len(olds) else None
                    y = news[k] if k < len(news) else None
                    if (
                        x is not None
                        and y is not None
                        and difflib.SequenceMatcher(a=x, b=y).ratio() >= SIMILAR_PARAGRAPH
                    ):
                        changed.append((x, y))
                    else:
                        removed += [x] if x is not None else []
                        added += [y] if y is not None else []
        out.append(SectionChange(entry.heading, entry.depth, tuple(added), tuple(removed), tuple(changed)))
    return out


def compare_figures(campaign: Campaign, before: CheckedReport, after: CheckedReport) -> list[FigureChange]:
    return [
        FigureChange(ind.label, ind.unit, before.numbers.get(ind.id), after.numbers.get(ind.id))
        for ind in campaign.indicators
        if before.numbers.get(ind.id) != after.numbers.get(ind.id)
    ]


def deadline_landing(u: UnitStatus) -> Landing | None:
    """The version that counted at the unit's deadline: the last landed before it, or, for a
    unit that sent only after it, the first valid one."""
    before = [x for x in u.landings if x.landed_at < u.deadline]
    if before:
        return before[-1]
    return next((x for x in u.landings if x.valid), u.landings[0] if u.landings else None)


def diff_versions(
    campaign: Campaign,
    stage: Stage,
    unit: Unit,
    before: Version,
    after: Version,
    read: Callable[[str], bytes],
    today: date,
    known: CheckedReport | None = None,
) -> ReportDiff:
    """Read, check and compare two versions of a report (``known``: the later one, already checked)."""
    checked = [
        known
        if known is not None and known.path == v.path and i == 1
        else check_report(campaign, v.path, read(v.blob), today)
        for i, v in enumerate((before, after))
    ]
    if before.blob == after.blob:
        return ReportDiff(unit, stage, before, after)
    return ReportDiff(
        unit,
        stage,
        before,
        after,
        compare_sections(campaign, *checked),
        compare_figures(campaign, *checked),
    )


def since_deadline(
    campaign: Campaign, status: CampaignStatus, read: Callable[[str], bytes], stage_id: str | None = None
) -> dict[tuple[str, str], ReportDiff]:
    """(unit, stage) -> what changed since the deadline, for every unit with a version landed
    after the version that counted at its deadline (in ``stage_id`` only, when given)."""
    today = status.as_of.astimezone(campaign.tz).date()
    out = {}
    for st in status.stages:
        if stage_id is not None and st.id != stage_id:
            continue
        stage = campaign.stage_by_id[st.id]
        for u in st.units:
            base = deadline_landing(u)
            if base is None or not u.blob or not u.path or base.blob == u.blob:
                continue
            latest = next((x for x in reversed(u.landings) if x.blob == u.blob), None)
            before = Version(base.path, base.blob, base.commit, base.landed_at, "bản tính đến hạn")
            after = Version(
                u.path, u.blob, latest.commit if latest else "", latest.landed_at if latest else None, "bản mới nhất"
            )
            d = diff_versions(campaign, stage, campaign.unit_by_id[u.unit], before, after, read, today, u.checked)
            if d.changed:
                out[(u.unit, st.id)] = d
    return out


# --------------------------------------------------------------------------- as Markdown


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def _version_line(v: Version, tz: ZoneInfo) -> str:
    when = f", vào nhánh chính lúc {vn.when(v.landed_at, tz)}" if v.landed_at else ""
    commit = f", commit `{v.commit[:10]}`" if v.commit else ""
    return f"**{md(v.label)}**{when}{commit}"


def render_diff(d: ReportDiff, tz: ZoneInfo, heading_level: int = 1) -> str:
    """The comparison as Markdown: the two versions, the changed figures, then each changed
    section with its removed (−), added (+) and changed (trước → sau) paragraphs, quoted.
    Paragraph texts are the units' own, made inert (``unit_sections``)."""
    h = "#" * heading_level
    out = [
        f"{h} Thay đổi trong báo cáo của {md(d.unit.name)}: {md(d.stage.title)}",
        "",
        f"- Từ: {_version_line(d.before, tz)}",
        f"- Đến: {_version_line(d.after, tz)}",
        "",
    ]
    if not d.changed:
        return "\n".join([*out, "Hai bản giống nhau về nội dung và số liệu.", ""])
    if d.figures:
        out += [f"{h}# Số liệu thay đổi", "", "| Chỉ tiêu | Trước | Sau |", "|---|---:|---:|"]
        for f in d.figures:
            unit = f" ({md(f.unit)})" if f.unit else ""
            out.append(f"| {md(f.label)}{unit} | {vn.number(f.before) or '—'} | {vn.number(f.after) or '—'} |")
        out.append("")
    for s in d.sections:
        counts = [f"{len(s.changed)} đoạn sửa"] * bool(s.changed)
        counts += [f"{len(s.added)} đoạn thêm"] * bool(s.added) + [f"{len(s.removed)} đoạn bỏ"] * bool(s.removed)
        out += [f"{h}# {md(s.heading, at_start=False)}", "", f"*{', '.join(counts)}.*", ""]
        for before, after in s.changed:
            out += ["Sửa — trước:", "", _quote(before), "", "Sau:", "", _quote(after), ""]
        for text in s.added:
            out += ["Thêm:", "", _quote(text), ""]
        for text in s.removed:
            out += ["Bỏ:", "", _quote(text), ""]
    return "\n".join(out).rstrip() + "\n"
