"""Reports and dated campaign histories for the history, status and pr-check tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from baocao.campaign.model import Campaign
from baocao.demo.simulate import HistoryWriter
from baocao.reports.outline import flatten

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CLERK = ("Văn thư", "vanthu@donvi.local")


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0, month: int = 6) -> datetime:
    return datetime(2022, month, day, hour, minute, second, tzinfo=TZ)


def report(campaign: Campaign, unit: str, *, revision: int = 1, broken: bool = False, stage: str = "") -> str:
    """A complete report (every outline section, every indicator); ``broken`` drops a required section."""
    st = campaign.stage_by_id[stage] if stage else campaign.stages[0]
    lines = ["---", f"don_vi: {unit}", f"so_hieu: {10 + revision}-BC/HU", f"ngay: {date(2022, 6, 1):%Y-%m-%d}"]
    lines += ["nguoi_ky: Nguyễn Văn An", "chuc_vu: Bí thư"]
    if st.indicators:
        lines += ["so_lieu:", *(f"  {ind.id}: {i + revision}" for i, ind in enumerate(campaign.indicators))]
    lines += ["---", "", f"# Báo cáo của {campaign.unit_by_id[unit].name} (lần {revision})", ""]
    if st.outline:
        for e in flatten(campaign.outline):
            if broken and e.id == "uu-diem":
                continue
            lines += ["#" * (e.depth + 1) + " " + e.heading, ""]
            if not e.section.sections:
                lines += [f"Nội dung mục {e.id}, lần {revision}.", ""]
    else:
        lines += ["Nội dung thẩm định.", ""]
        if broken:
            lines += ["<script>alert(1)</script>", ""]
    return "\n".join(lines)


def path(unit: str, stage_file: str = "bao-cao.md") -> str:
    return f"submissions/{unit}/{stage_file}"


DEADLINE = at(20, 0)  # "trước ngày 20/6/2022" in the shipped campaign
MAINTAINER = ("Văn phòng", "vanphong@cong-an.local")


@dataclass
class Scenario:
    """The shipped campaign with one history in which each unit plays one story."""

    root: Path
    campaign: Campaign
    commits: dict[str, str] = field(default_factory=dict)  # story -> commit


# unit -> its story; see build_scenario for the dates
ON_TIME = "thanh-uy-quang-ngai"
LATE_ONE_MINUTE = "thi-uy-duc-pho"
AT_DEADLINE = "huyen-uy-ba-to"
BACKDATED = "huyen-uy-binh-son"
FIXED_LATE = "huyen-uy-ly-son"
FIXED_IN_TIME = "huyen-uy-minh-long"
BROKEN_LATER = "huyen-uy-mo-duc"
DELETED = "huyen-uy-nghia-hanh"
CLOCK_BACK = "huyen-uy-son-ha"
REVISED = "huyen-uy-son-tay"
STRANGER = "huyen-uy-khong-co"  # not a unit of the campaign


def build_scenario(root: Path, campaign: Campaign, campaign_text: str) -> Scenario:
    s = Scenario(root, campaign)
    w = HistoryWriter.init(root)
    w.write({"campaign.yml": campaign_text, "submissions/README.md": "Thư mục báo cáo.\n"})
    s.commits["init"] = w.commit("Khởi tạo đợt báo cáo", at(1))

    def pr(story: str, unit: str, authored: datetime, merged: datetime, text: str | None, **kw: object) -> None:
        s.commits[story] = w.pull_request(
            story,
            {path(unit): text},
            authored=authored,
            merged=merged,
            author=CLERK,
            **kw,  # type: ignore[arg-type]
        )

    c = campaign
    pr("on-time", ON_TIME, at(10), at(11), report(c, ON_TIME))
    pr("revised-1", REVISED, at(12), at(12, 10), report(c, REVISED))
    pr("deleted-1", DELETED, at(15), at(15, 10), report(c, DELETED))
    pr("broken-1", BROKEN_LATER, at(16), at(16, 10), report(c, BROKEN_LATER))
    pr("fixed-in-time-1", FIXED_IN_TIME, at(17), at(17, 10), report(c, FIXED_IN_TIME, broken=True))
    pr("fixed-late-1", FIXED_LATE, at(18), at(18, 9), report(c, FIXED_LATE, broken=True))
    s.commits["stranger"] = w.pull_request(
        "stranger", {path(STRANGER): report(c, ON_TIME)}, authored=at(18), merged=at(18, 10), author=CLERK
    )
    pr("fixed-in-time-2", FIXED_IN_TIME, at(19), at(19, 9), report(c, FIXED_IN_TIME, revision=2))
    pr("at-deadline", AT_DEADLINE, at(19), DEADLINE, report(c, AT_DEADLINE))
    pr("late-one-minute", LATE_ONE_MINUTE, at(19), at(20, 0, 1), report(c, LATE_ONE_MINUTE))
    pr("fixed-late-2", FIXED_LATE, at(21), at(21, 9), report(c, FIXED_LATE, revision=2))
    pr("revised-2", REVISED, at(21), at(21, 10), report(c, REVISED, revision=2))
    pr("backdated", BACKDATED, at(15), at(22), report(c, BACKDATED))
    pr("broken-2", BROKEN_LATER, at(23), at(23), report(c, BROKEN_LATER, revision=2, broken=True))
    s.commits["deleted-2"] = w.direct({path(DELETED): None}, "Xóa báo cáo", at(24), committer=MAINTAINER)
    # Pushed straight to main after the 24th, with the committer clock set back to the 14th.
    s.commits["clock-back"] = w.direct(
        {path(CLOCK_BACK): report(c, CLOCK_BACK)}, "Nộp thẳng", at(14), author=CLERK, committer=CLERK
    )
    return s


def signed_late_repo(root: Path, campaign: Campaign, unit: str, *, again: bool) -> HistoryWriter:
    """A report signed on 03/06 lands on 02/06; with ``again`` it is removed and the same bytes
    land again on 04/06."""
    w = HistoryWriter.init(root)
    w.write({"campaign.yml": (Path(__file__).resolve().parent.parent / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Khởi tạo", at(1))
    text = report(campaign, unit).replace("ngay: 2022-06-01", "ngay: 2022-06-03")
    w.pull_request("early", {path(unit): text}, authored=at(2), merged=at(2, 10))
    if again:
        w.direct({path(unit): None}, "Gỡ bản ký sau ngày nộp", at(2, 11), committer=MAINTAINER)
        w.pull_request("again", {path(unit): text}, authored=at(4), merged=at(4, 10))
    return w
