"""Status of a campaign at a moment: for every stage and unit, on time, late, missing,
overdue or invalid, judged from the branch history (``baocao.history.read``).

``CampaignStatus.to_dict()`` is the stable JSON contract documented in ``docs/status-json.md``
(schema: ``docs/status.schema.json``); the site, compile and CI read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path, PurePosixPath

from baocao.campaign.model import Campaign, Extension, Stage
from baocao.checks.checked import CheckedReport
from baocao.checks.pdfcheck import pdf_stage, unit_findings
from baocao.checks.pdfsign import PdfCheck
from baocao.findings import Finding, Severity
from baocao.history.pdfs import pdfs_at
from baocao.history.read import Anomaly, History, Landing, Slot, read_history
from baocao.history.rules import CampaignEvent
from baocao.vn import duration, when

SCHEMA_VERSION = 1


class State(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    OVERDUE = "overdue"
    INVALID = "invalid"


STATES: tuple[State, ...] = tuple(State)
# Vietnamese labels, shared with the site and exports.
STATE_LABELS: dict[State, str] = {
    State.ON_TIME: "Đúng hạn",
    State.LATE: "Muộn",
    State.MISSING: "Chưa nộp",
    State.OVERDUE: "Quá hạn",
    State.INVALID: "Không hợp lệ",
}


@dataclass
class UnitStatus:
    unit: str
    name: str
    group: str
    state: State
    deadline: datetime
    submitted_at: datetime | None = None  # first valid landing (kept when the version now is invalid)
    commit: str | None = None  # the commit of that landing (or of the invalid version when none was valid)
    late_seconds: int | None = None
    revisions: int = 0
    revised_after_due: bool = False
    landings: list[Landing] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    path: str | None = None  # report file of the version counted at as_of
    blob: str | None = None  # its blob id: read it with baocao.history.read.read_blob(root, blob)
    present: bool = False  # whether that file is on the branch at as_of (False after a removal)
    on_time_by_tag: bool | None = None  # what the stage's deadline tag shows, when there is one
    extension: Extension | None = None  # the unit's own deadline for the stage, when granted
    rejected: bool = False  # landed after the deadline of a stage that takes no late reports
    evidence: str | None = None  # how the submission time is known (a key of baocao.history.timeline.HOW)
    signatures: list[PdfCheck] = field(default_factory=list)  # its signed PDF originals, verified
    # The version at ``path``/``blob`` as read and checked while the history was read (not in the
    # JSON): the site and compile use it instead of reading and checking that version again.
    checked: CheckedReport | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        return state_label(self)

    def to_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "name": self.name,
            "group": self.group,
            "state": str(self.state),
            "label": state_label(self),
            "submitted_at": _iso(self.submitted_at),
            "commit": self.commit,
            "late_seconds": self.late_seconds,
            "revisions": self.revisions,
            "revised_after_due": self.revised_after_due,
            "landings": [landing.to_dict() for landing in self.landings],
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            "anomalies": [a.to_dict() for a in self.anomalies],
            "path": self.path,
            "blob": self.blob,
            "present": self.present,
            "on_time_by_tag": self.on_time_by_tag,
            "deadline": _iso(self.deadline),
            "extension": _extension(self.extension),
            "rejected": self.rejected,
            "evidence": self.evidence,
            "signatures": [p.to_dict() for p in self.signatures],
        }


@dataclass
class StageStatus:
    id: str
    title: str
    file: str
    due: datetime  # the exact instant the period ends
    due_text: str
    late_policy: str
    units: list[UnitStatus]

    @property
    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in STATES}
        for u in self.units:
            counts[str(u.state)] += 1
        return counts

    def to_dict(self, shallow: bool = False) -> dict[str, object]:
        """The stage as JSON data; ``shallow`` leaves ``units`` empty (for streaming)."""
        return {
            "id": self.id,
            "title": self.title,
            "file": self.file,
            "due": _iso(self.due),
            "deadline": _iso(self.due),
            "due_text": self.due_text,
            "late_policy": self.late_policy,
            "counts": self.counts,
            "units": [] if shallow else [u.to_dict() for u in self.units],
        }


@dataclass
class CampaignStatus:
    campaign: str
    title: str
    as_of: datetime
    branch: str
    head: str | None
    stages: list[StageStatus]
    anomalies: list[Anomaly]  # every anomaly: the campaign's own and each unit's
    commits_read: int = 0
    events: list[CampaignEvent] = field(default_factory=list)  # campaign.yml changes on the branch

    def stage(self, stage_id: str) -> StageStatus:
        return next(s for s in self.stages if s.id == stage_id)

    def unit(self, stage_id: str, unit_id: str) -> UnitStatus:
        return next(u for u in self.stage(stage_id).units if u.unit == unit_id)

    def to_dict(self, shallow: bool = False) -> dict[str, object]:
        """The JSON contract (docs/status-json.md); ``shallow`` leaves ``stages`` and ``anomalies`` empty."""
        return {
            "schema_version": SCHEMA_VERSION,
            "campaign": self.campaign,
            "title": self.title,
            "as_of": _iso(self.as_of),
            "branch": self.branch,
            "head": self.head,
            "events": [
                {"commit": e.commit, "landed_at": e.landed_at.isoformat(), "parts": list(e.parts)} for e in self.events
            ],
            # stages and anomalies last: statusfmt.iter_json streams them
            "stages": [] if shallow else [s.to_dict() for s in self.stages],
            "anomalies": [] if shallow else [a.to_dict() for a in self.anomalies],
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _extension(ext: Extension | None) -> dict[str, object] | None:
    if ext is None:
        return None
    return {"due_text": ext.due.describe(), "reason": ext.reason, "decision": ext.decision}


def state_label(u: UnitStatus) -> str:
    """Vietnamese label: 'Đúng hạn', 'Muộn 2 ngày 3 giờ', 'Chưa nộp', 'Quá hạn', 'Không hợp lệ'."""
    if u.state is State.LATE and u.late_seconds is not None:
        return f"{STATE_LABELS[State.LATE]} {duration(timedelta(seconds=u.late_seconds))}"
    return STATE_LABELS[u.state]


def unit_status(campaign: Campaign, stage: Stage, unit_id: str, slot: Slot, as_of: datetime) -> UnitStatus:
    """Judge one unit's report for one stage from its slot of history."""
    unit = campaign.unit_by_id[unit_id]
    deadline = campaign.deadline(stage, unit_id)
    first = slot.first_valid
    cur = slot.current
    shown = cur or slot.last_present
    u = UnitStatus(unit.id, unit.name, unit.group, State.MISSING, deadline)
    u.extension = campaign.extension(stage, unit_id)
    u.landings = list(slot.landings)
    u.revisions = len(slot.landings)
    u.anomalies = list(slot.anomalies)
    u.errors, u.warnings = slot.errors, slot.warnings
    u.present = cur is not None
    if shown is not None:
        u.path, u.blob = shown.path, shown.blob
        u.checked = slot.checked
    if first is not None and stage.late == "reject" and first.landed_at >= deadline:
        # Judged at merge time, whatever a pull-request check said before: it does not count.
        u.rejected, u.commit, u.evidence = True, first.commit, first.evidence
        u.state = State.OVERDUE
        u.late_seconds = int((as_of - deadline).total_seconds())
        u.anomalies.append(
            Anomaly(
                "H612",
                f"Báo cáo hợp lệ đầu tiên vào nhánh chính lúc {when(first.landed_at)}, sau hạn "
                f"({when(deadline)}); giai đoạn này không nhận báo cáo muộn (late: reject) nên không được tính.",
                first.commit,
                unit.id,
                stage.id,
                first.path,
            )
        )
    elif first is not None:
        u.submitted_at, u.commit, u.evidence = first.landed_at, first.commit, first.evidence
        on_time = first.landed_at < deadline
        if slot.tag is not None and as_of >= deadline:
            # The tag CI placed at the deadline is the strongest evidence (a mismatch is an anomaly, H605).
            u.on_time_by_tag = on_time = slot.tag.valid
        u.state = State.ON_TIME if on_time else State.LATE
        if on_time:
            u.late_seconds = 0
        elif first.landed_at >= deadline:
            u.late_seconds = int((first.landed_at - deadline).total_seconds())
        # else: late by the tag while the committer time says before the deadline: delay unknown (None).
        after = slot.landings[slot.landings.index(first) + 1 :]
        u.revised_after_due = any(landing.landed_at >= deadline for landing in after)
        if cur is not None and slot.errors:
            u.state = State.INVALID
    elif cur is not None:
        u.state, u.commit = State.INVALID, cur.commit
        u.late_seconds = int((as_of - deadline).total_seconds()) if as_of >= deadline else None
    elif as_of >= deadline:
        u.state = State.OVERDUE
        u.late_seconds = int((as_of - deadline).total_seconds())
    return u


def status_from_history(
    campaign: Campaign, history: History, as_of: datetime, stage: str | None = None
) -> CampaignStatus:
    stages = [campaign.stage_by_id[stage]] if stage else campaign.stages
    out: list[StageStatus] = []
    anomalies: list[Anomaly] = [a for a in history.anomalies if stage is None or a.stage in (None, stage)]
    for st in stages:
        units = [unit_status(campaign, st, u.id, history.slot(u.id, st.id), as_of) for u in campaign.stage_units(st)]
        out.append(StageStatus(st.id, st.title, st.file, campaign.deadline(st), st.due.describe(), st.late, units))
        anomalies += [a for u in units for a in u.anomalies]
    return CampaignStatus(
        campaign.campaign.id,
        campaign.campaign.title,
        as_of,
        history.branch,
        history.head,
        out,
        anomalies,
        history.commits,
        history.events,
    )


def compute_status(
    campaign: Campaign, root: Path, as_of: datetime | None = None, stage: str | None = None, texts: bool = True
) -> CampaignStatus:
    """The status of every unit and stage at ``as_of`` (default: now, or the campaign's closing
    instant once it has closed), from history alone. ``texts=False``: the units' ``checked``
    reports keep their front matter only (for a status alone; the site and compile need texts).

    Raises ``baocao.history.read.ShallowCloneError`` on a shallow clone, ``HistoryError`` when
    the branch is missing, and ``KeyError`` for an unknown stage id."""
    if stage is not None and stage not in campaign.stage_by_id:
        raise KeyError(stage)
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=campaign.tz)
    as_of = as_of or campaign.closing()  # a closed campaign is read as it stood when it closed
    history = read_history(root, campaign, as_of, texts=texts)
    moment = (as_of or datetime.now(campaign.tz)).astimezone(campaign.tz)
    status = status_from_history(campaign, history, moment, stage)
    if history.head is not None:
        attach_signatures(campaign, status, pdfs_at(campaign, Path(root).resolve(), history.head, moment))
    return status


def attach_signatures(campaign: Campaign, status: CampaignStatus, pdfs: dict[str, list[PdfCheck]]) -> None:
    """Each unit's signed PDFs on its stages, with their findings; a stage that requires a
    verified signature and has none makes the unit's report invalid (K920)."""
    for st in status.stages:
        stage = campaign.stage_by_id[st.id]
        for u in st.units:
            mine = [p for p in pdfs.get(u.unit, []) if pdf_stage(campaign, u.unit, PurePosixPath(p.path).name) == stage]
            u.signatures = mine
            reports = {st.id: u.checked} if u.checked is not None and u.present else {}
            found = unit_findings(campaign, u.unit, mine, reports, {st.id: u.submitted_at})
            u.warnings = [*u.warnings, *(f for f in found if f.severity is Severity.WARNING)]
            errors = [f for f in found if f.severity is Severity.ERROR]
            if errors:
                u.errors = [*u.errors, *errors]
                if u.state in (State.ON_TIME, State.LATE):
                    u.state = State.INVALID
