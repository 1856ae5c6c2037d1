"""The rules in force along the campaign branch: ``campaign.yml`` as it stood at each commit.

A report version is judged with the outline, indicators and checks of the campaign as it
was when that version landed, so a later edit of ``campaign.yml`` (a renamed outline
heading, a new indicator) never rewrites what was accepted in time. Deadlines and the list
of units are today's decisions (an extension is granted later on purpose); the outline and
the checks are the rules a clerk could read when submitting. Each change is a campaign event
shown on the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import git

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import CAMPAIGN_FILE, Campaign, CampaignError
from baocao.history.gitlog import Change, read_object
from baocao.vn import when

CURRENT = ""  # the key of the campaign loaded from the working tree
# What an event names, by top-level key of campaign.yml.
PARTS = {
    "outline": "đề cương",
    "indicators": "phụ lục số liệu",
    "stages": "giai đoạn, thời hạn",
    "units": "đơn vị",
    "groups": "nhóm đơn vị",
    "extensions": "gia hạn",
    "evidence": "bằng chứng thời điểm nộp",
    "campaign": "thông tin đợt báo cáo",
    "directive": "văn bản chỉ đạo",
}


@dataclass(frozen=True, slots=True)
class CampaignEvent:
    """``campaign.yml`` changed on the branch: what changed, by which commit, when it landed."""

    commit: str
    landed_at: datetime
    parts: tuple[str, ...]  # Vietnamese names of what changed ("đề cương", ...); empty: first version

    def describe(self) -> str:
        if not self.parts:
            return f"{when(self.landed_at)}: campaign.yml được đưa lên nhánh chính (commit {self.commit[:10]})."
        return f"{when(self.landed_at)}: sửa {', '.join(self.parts)} trong campaign.yml (commit {self.commit[:10]})."


@dataclass
class Rules:
    current: Campaign
    repo: git.Repo
    key: str = CURRENT  # the version in force at the commit being read
    versions: dict[str, Campaign] = field(default_factory=dict)
    events: list[CampaignEvent] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (commit, message) of invalid versions

    def __post_init__(self) -> None:
        self.versions.setdefault(CURRENT, self.current)

    @property
    def campaign(self) -> Campaign:
        return self.versions[self.key]

    def load(self, blob: str) -> str:
        """The rules key of the campaign.yml version ``blob`` (the current key when it is invalid)."""
        if blob not in self.versions:
            try:
                text = read_object(self.repo, blob).decode("utf-8-sig")
                self.versions[blob] = load_campaign_text(text, CAMPAIGN_FILE)
            except (CampaignError, UnicodeDecodeError):
                return self.key
        return blob

    def change(self, ch: Change, commit: str, landed: datetime) -> None:
        """``campaign.yml`` changed in ``commit``: its new version is in force from then on."""
        if ch.deleted:
            self.problems.append((commit, f"{CAMPAIGN_FILE} bị xóa khỏi nhánh chính; giữ quy định trước đó."))
            return
        before = self.versions[self.key]
        if ch.blob not in self.versions:
            try:
                text = read_object(self.repo, ch.blob).decode("utf-8-sig")
                self.versions[ch.blob] = load_campaign_text(text, CAMPAIGN_FILE)
            except (CampaignError, UnicodeDecodeError) as exc:
                why = exc.findings[0].message if isinstance(exc, CampaignError) else str(exc)
                self.problems.append(
                    (commit, f"{CAMPAIGN_FILE} ở commit {commit[:10]} không hợp lệ ({why}); giữ quy định trước đó.")
                )
                return
        after = self.versions[ch.blob]
        first = self.key == CURRENT and not self.events
        self.key = ch.blob
        parts = () if first else changed_parts(before, after)
        if first or parts:
            self.events.append(CampaignEvent(commit, landed, parts))


def changed_parts(a: Campaign, b: Campaign) -> tuple[str, ...]:
    return tuple(label for key, label in PARTS.items() if getattr(a, key) != getattr(b, key))
