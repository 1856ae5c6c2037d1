"""What the history of a campaign branch records for each report: its landings on the
branch, anomalies, and the evidence of deadline tags. Filled by ``baocao.history.read``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from baocao.checks.checked import CheckedReport
from baocao.findings import Finding, Severity, finding
from baocao.history.blobcheck import Job
from baocao.history.rules import CampaignEvent

FOLDER = "submissions"
TAG_PREFIX = "han/"


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something in the history that a reader must see; never used silently."""

    code: str
    message: str
    commit: str | None
    unit: str | None = None
    stage: str | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def as_finding(self) -> Finding:
        return finding(self.code, self.path or FOLDER, 1, self.message)


@dataclass(slots=True)
class Landing:
    """A version of a report arriving on the branch with a first-parent commit."""

    commit: str
    landed_at: datetime  # committer time of that first-parent commit (campaign tz)
    committer: str
    author: str  # of the submitted commit: the merged branch's tip for a merge
    authored_at: datetime
    path: str
    blob: str
    mode: str = "100644"
    valid: bool | None = None  # None: not needed, so not validated
    rules: str = ""  # the campaign.yml version in force when it landed (baocao.history.rules; "": the current one)
    evidence: str = "claim"  # how its landing time is known (a key of baocao.history.timeline.HOW)
    claimed_at: datetime | None = None  # the committer time written by the committing machine

    def job(self) -> Job:
        # A version is judged on the day it landed ("signed after today" depends on it), with
        # the rules in force then.
        return self.path, self.blob, self.mode, self.landed_at.date(), self.rules

    def to_dict(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "landed_at": self.landed_at.isoformat(),
            "author": self.author,
            "authored_at": self.authored_at.isoformat(),
            "committer": self.committer,
            "path": self.path,
            "blob": self.blob,
            "valid": self.valid,
            "evidence": self.evidence,
            "claimed_at": self.claimed_at.isoformat() if self.claimed_at else None,
        }


@dataclass(frozen=True, slots=True)
class TagEvidence:
    """What the deadline tag ``han/<stage>`` shows for one unit: its version at the deadline."""

    tag: str
    commit: str
    blob: str | None
    valid: bool


@dataclass(slots=True)
class Slot:
    """One unit's report for one stage, as of the end of the history read."""

    unit: str
    stage: str
    landings: list[Landing] = field(default_factory=list)
    first_valid: Landing | None = None
    present: dict[str, Landing] = field(default_factory=dict)  # path -> landing of the version there now
    last_present: Landing | None = None  # the version on the branch, or the last one before a removal
    removed_by: str | None = None  # commit that removed the report (when absent now)
    findings: list[Finding] = field(default_factory=list)  # of the version on the branch
    # The version shown (on the branch, else the last before a removal) as read and checked, when it was.
    checked: CheckedReport | None = None
    tag: TagEvidence | None = None
    anomalies: list[Anomaly] = field(default_factory=list)

    @property
    def current(self) -> Landing | None:
        """The landing whose version is on the branch (the latest among the files present)."""
        if not self.present:
            return None
        return max(self.present.values(), key=lambda landing: self.landings.index(landing))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


@dataclass
class History:
    branch: str
    head: str | None  # the branch's commit at as_of
    as_of: datetime | None
    slots: dict[tuple[str, str], Slot]  # (unit id, stage id)
    anomalies: list[Anomaly]  # not tied to one unit's report (clock, unknown folders, tags)
    commits: int = 0  # first-parent commits read
    validated: int = 0  # distinct (path, blob) versions checked
    events: list[CampaignEvent] = field(default_factory=list)  # campaign.yml changes on the branch
    verified: int = 0  # commits whose server signature was checked with gpg this run

    def slot(self, unit: str, stage: str) -> Slot:
        return self.slots.get((unit, stage)) or Slot(unit, stage)
