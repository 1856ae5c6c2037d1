"""The compiled outline (tổng hợp): the counted reports merged section by section, with
summed statistics.

One structure (``Compiled``) is built once and rendered to Markdown by
``baocao.documents.draft_markdown`` and to Word and Excel by the export modules, so
``baocao compile --out``, the site's Tổng hợp page and the exports cannot disagree. Which
reports count is decided upstream (``baocao.status.judge``); this module only merges them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from baocao import vn
from baocao.campaign.model import Campaign, Group, Indicator, Stage, Unit
from baocao.checks.checked import CheckedReport
from baocao.checks.validation import check_report
from baocao.documents.changes import ReportDiff, since_deadline
from baocao.documents.compile_text import says_nothing, unit_sections, whole_text
from baocao.documents.reasons import plain_reasons
from baocao.documents.synthesis import Shared, synthesise
from baocao.findings import Finding
from baocao.history.read import read_blob
from baocao.reports.outline import Entry, flatten
from baocao.status.judge import CampaignStatus, State, UnitStatus, compute_status

DOCUMENTS_HEADING = "NỘI DUNG BÁO CÁO"
AbsentState = Literal[State.LATE, State.MISSING, State.OVERDUE, State.INVALID]  # the status's own vocabulary


@dataclass(frozen=True)
class Source:
    """One report that counts: the unit, its checked report and when it landed on main."""

    unit: Unit
    report: CheckedReport
    submitted_at: datetime | None = None
    late_seconds: int = 0

    @property
    def number(self) -> str:
        value = self.report.report.meta.get("so_hieu")
        return str(value).strip() if value not in (None, "") else ""

    @property
    def signed(self) -> date | None:
        value = self.report.report.meta.get("ngay")
        return value if isinstance(value, date) else None

    @property
    def reference(self) -> str:
        """'Báo cáo số 45-BC/HU ngày 15/06/2022' (what is known of it)."""
        parts = ["Báo cáo"]
        if self.number:
            parts.append(f"số {' '.join(self.number.split())}")
        if self.signed:
            parts.append(f"ngày {vn.day(self.signed)}")  # type: ignore[arg-type]
        return " ".join(parts)


@dataclass(frozen=True)
class Absent:
    """A unit whose report is late (but counted), missing, overdue or not valid."""

    unit: Unit
    state: AbsentState
    submitted_at: datetime | None = None
    late_seconds: int = 0
    errors: tuple[str, ...] = ()  # plain reasons an official text can carry (baocao.documents.reasons)
    extended: str = ""  # "được gia hạn đến … theo …" when the unit has its own deadline

    @property
    def name(self) -> str:
        """The unit's name, with its extension when it has one."""
        return f"{self.unit.name} ({self.extended})" if self.extended else self.unit.name


def extension_note(u: UnitStatus, tz: object) -> str:
    """'được gia hạn đến 00:00 ngày 25/06/2022, theo Công văn số 12-CV/ĐU' (empty without extension)."""
    if u.extension is None:
        return ""
    note = f"được gia hạn đến {vn.when(u.deadline, tz)}"
    return note + (f", theo {u.extension.decision}" if u.extension.decision else "")


@dataclass(frozen=True)
class Block:
    """A unit's text for one section, its own sub-headings demoted to bold lines."""

    source: Source
    text: str


class StageAbsences:
    """What a compilation and a reminder share: a stage's deadline and its absent units by state.
    The dataclass using it has ``campaign``, ``stage`` and ``absent``."""

    campaign: Campaign
    stage: Stage
    absent: list[Absent]

    @property
    def deadline(self) -> datetime:
        return self.campaign.deadline(self.stage)

    def with_state(self, *states: State) -> list[Absent]:
        return [a for a in self.absent if a.state in states]


@dataclass
class IndicatorTotal:
    indicator: Indicator
    values: dict[str, int | float]  # unit id -> value, counted units only
    total: int | float
    by_group: dict[str, int | float]  # group id -> subtotal, groups with a value only
    not_reported: list[Unit]  # counted units that gave no value


@dataclass
class CompiledSection:
    entry: Entry
    blocks: list[Block] = field(default_factory=list)  # each unit's text (its own part, once synthesised)
    nothing: list[Source] = field(default_factory=list)  # said "Không có"
    shared: list[Shared] = field(default_factory=list)  # what several units wrote alike (synthesis)
    totals: list[IndicatorTotal] = field(default_factory=list)  # the indicators the section names


@dataclass
class Compiled(StageAbsences):
    campaign: Campaign
    stage: Stage
    as_of: datetime
    expected: list[Unit]
    sources: list[Source]
    absent: list[Absent]
    sections: list[CompiledSection]
    indicators: list[IndicatorTotal]
    documents: list[Block] = field(default_factory=list)  # whole texts, for a stage without outline
    status: CampaignStatus | None = None  # every stage, for the Excel status sheet
    verbatim: bool = False  # every unit's whole text under each heading, nothing merged
    changed: list[ReportDiff] = field(default_factory=list)  # counted reports changed since the deadline

    @property
    def groups(self) -> list[Group]:
        """Groups that have units expected in the stage, in campaign order."""
        wanted = {u.group for u in self.expected}
        return [g for g in self.campaign.groups if g.id in wanted]

    @property
    def summary(self) -> str:
        """'20/28 đơn vị đã nộp'."""
        return f"{len(self.sources)}/{len(self.expected)} đơn vị đã nộp"


# --------------------------------------------------------------------------- building


def _sum(values: Iterable[int | float]) -> int | float:
    items = list(values)
    if all(isinstance(v, int) for v in items):
        return sum(items)
    return round(math.fsum(items), 6)


def compile_reports(
    campaign: Campaign,
    stage: Stage,
    as_of: datetime,
    sources: list[Source],
    absent: list[Absent],
    verbatim: bool = False,
) -> Compiled:
    """Merge the reports that count into the outline, in campaign order: under each section
    what several units wrote alike once, then each unit's own text (``verbatim``: every
    unit's whole text), opened by the totals of the indicators the section names."""
    order = {u.id: i for i, u in enumerate(campaign.ordered_units())}
    sources = sorted(sources, key=lambda s: order.get(s.unit.id, len(order)))
    absent = sorted(absent, key=lambda a: order.get(a.unit.id, len(order)))
    entries = flatten(campaign.outline) if stage.outline else []
    sections = [CompiledSection(e) for e in entries]
    by_id = {s.entry.id: s for s in sections}
    for src in sources:
        for entry_id, text in unit_sections(src.report).items():
            if entry_id not in by_id or not text:
                continue
            target = by_id[entry_id]
            if says_nothing(text):
                target.nothing.append(src)
            else:
                target.blocks.append(Block(src, text))
    totals: list[IndicatorTotal] = []
    if stage.indicators:
        for ind in campaign.indicators:
            values = {s.unit.id: s.report.numbers[ind.id] for s in sources if ind.id in s.report.numbers}
            by_group: dict[str, int | float] = {}
            for g in campaign.groups:
                in_group = [v for uid, v in values.items() if campaign.unit_by_id[uid].group == g.id]
                if in_group:
                    by_group[g.id] = _sum(in_group)
            missing = [s.unit for s in sources if s.unit.id not in values]
            totals.append(IndicatorTotal(ind, values, _sum(values.values()), by_group, missing))
    by_indicator = {t.indicator.id: t for t in totals}
    for sec in sections:
        sec.totals = [by_indicator[i] for i in sec.entry.section.indicators if i in by_indicator]
        if not verbatim and len(sec.blocks) > 1:
            sec.shared, own = synthesise([(b.source.unit, b.text) for b in sec.blocks], len(sources))
            sec.blocks = [Block(b.source, text) for b, text in zip(sec.blocks, own, strict=True) if text]
    documents = [] if stage.outline else [Block(s, whole_text(s.report)) for s in sources]
    return Compiled(
        campaign, stage, as_of, campaign.stage_units(stage), sources, absent, sections, totals, documents,
        verbatim=verbatim,
    )  # fmt: skip


def carrying_out(campaign: Campaign) -> str:
    """'Thực hiện Công văn số … ngày … của … về <the campaign's title>': how the compiled draft
    and the urging notice open (each goes on after it)."""
    d = campaign.directive
    title = campaign.campaign.title
    return (
        f"Thực hiện Công văn số {d.number} ngày {vn.day(d.date)} của {d.issuer} "  # type: ignore[arg-type]
        f"về {title[:1].lower()}{title[1:]}"
    )


def describe(findings: Iterable[Finding]) -> tuple[str, ...]:
    """Error messages with their lines, one entry per message: 'Thiếu mục “3. Nguyên nhân” (dòng 59)'.
    Plain text: messages quote what the clerk typed, so a writer of Markdown escapes them."""
    lines: dict[str, list[str]] = {}
    for f in findings:
        lines.setdefault(f.message.rstrip(". "), []).append(str(f.line))
    return tuple(f"{msg} (dòng {', '.join(dict.fromkeys(at))})" for msg, at in lines.items())


def absent_units(status: CampaignStatus, campaign: Campaign, stage: Stage) -> list[Absent]:
    """Units of ``stage`` whose report does not count at ``status.as_of``: missing (still in
    time), overdue or invalid, with what is wrong in an invalid one. Late units are not here."""
    out: list[Absent] = []
    for u in status.stage(stage.id).units:
        if u.state in (State.ON_TIME, State.LATE) and u.present:
            continue
        state: AbsentState = State.INVALID if u.state is State.INVALID else State.MISSING
        if state is State.MISSING and status.as_of >= u.deadline:
            state = State.OVERDUE
        if u.rejected:
            errors: tuple[str, ...] = ("nộp sau hạn, giai đoạn không nhận báo cáo muộn",)
        else:
            errors = plain_reasons(u.errors)
        out.append(
            Absent(
                campaign.unit_by_id[u.unit],
                state,
                u.submitted_at,
                u.late_seconds or 0,
                errors,
                extension_note(u, campaign.tz),
            )
        )
    return out


def counted_reports(
    campaign: Campaign, root: Path, status: CampaignStatus, stage: Stage
) -> tuple[list[Source], list[Absent]]:
    """The reports that count at ``status.as_of`` (on time or late: the valid version on the
    branch at that moment, read from history) and the units that are late, missing or invalid."""
    sources: list[Source] = []
    late: list[Absent] = []
    for u in status.stage(stage.id).units:
        if u.state not in (State.ON_TIME, State.LATE) or not u.present or not u.blob or not u.path:
            continue
        unit = campaign.unit_by_id[u.unit]
        report = u.checked  # read and checked with the history: not again
        if report is None or report.path != u.path:
            today = status.as_of.astimezone(campaign.tz).date()  # the site's day, in the campaign's zone
            report = check_report(campaign, u.path, read_blob(root, u.blob), today)
        sources.append(Source(unit, report, u.submitted_at, u.late_seconds or 0))
        if u.state is State.LATE:
            late.append(
                Absent(unit, State.LATE, u.submitted_at, u.late_seconds or 0, (), extension_note(u, campaign.tz))
            )
    return sources, late + absent_units(status, campaign, stage)


def compile_campaign(
    campaign: Campaign,
    root: Path,
    stage: str | None = None,
    as_of: datetime | None = None,
    status: CampaignStatus | None = None,
    verbatim: bool = False,
    changes: dict[tuple[str, str], ReportDiff] | None = None,
) -> Compiled:
    """Compile ``stage`` (default: the first) from the branch history as it stood at ``as_of``
    (default: now), so a compilation can be reproduced for any past moment. ``status``, when
    the caller already computed it (the site does), saves reading the history again.
    ``verbatim``: every unit's whole text under each heading instead of the synthesis.
    ``changes``: what changed since the deadline, when the caller has it (the site does)."""
    st = campaign.stage_by_id[stage] if stage else campaign.stages[0]
    status = status or compute_status(campaign, root, as_of)
    sources, absent = counted_reports(campaign, root, status, st)
    compiled = compile_reports(campaign, st, status.as_of, sources, absent, verbatim)
    compiled.status = status
    if changes is None:
        changes = since_deadline(campaign, status, lambda blob: read_blob(root, blob), st.id)
    counted = {s.unit.id for s in sources}
    compiled.changed = [d for (uid, sid), d in changes.items() if sid == st.id and uid in counted]
    return compiled
