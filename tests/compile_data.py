"""Real report texts and a small dated campaign history for the compile, export and remind tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from baocao.campaign.model import Campaign
from baocao.demo.simulate import HistoryWriter
from baocao.reports.outline import flatten

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STAGE = "bao-cao-don-vi"
DEADLINE = datetime(2022, 6, 20, tzinfo=TZ)
LATE_UNIT = "huyen-uy-ly-son"
INVALID_UNIT = "bao-quang-ngai"
NOTHING_UNIT = "huyen-uy-ba-to"
SUBHEADING_UNIT = "thanh-uy-quang-ngai"


def at(day: int, hour: int = 9, month: int = 6) -> datetime:
    return datetime(2022, month, day, hour, tzinfo=TZ)


def figures(campaign: Campaign, seed: int) -> dict[str, int | float]:
    """Distinct, non-trivial figures per unit (a decimal for the money indicators)."""
    out: dict[str, int | float] = {}
    for i, ind in enumerate(campaign.indicators):
        value = (seed * 7 + i * 3) % 23 + seed
        out[ind.id] = value + 0.25 * (seed % 4) if ind.type == "number" else value * (1000 if i == 12 else 1)
    return out


def report_text(
    campaign: Campaign,
    unit: str,
    numbers: dict[str, int | float],
    *,
    number: str,
    signed: date,
    nothing: frozenset[str] = frozenset(),
    omit: frozenset[str] = frozenset(),
    subheading: str | None = None,
) -> str:
    """A report as a clerk writes it: front matter, title, every outline section in order."""
    name = campaign.unit_by_id[unit].name
    lines = [
        "---",
        f"don_vi: {unit}",
        f"so_hieu: {number}",
        f"ngay: {signed:%Y-%m-%d}",
        "nguoi_ky: Nguyễn Văn An",
        "chuc_vu: Bí thư",
        "so_lieu:",
        *(f"  {k}: {v}" for k, v in numbers.items()),
        "---",
        "",
        f"# Báo cáo sơ kết của {name}",
        "",
    ]
    for e in flatten(campaign.outline):
        if e.id in omit:
            continue
        lines += ["#" * (e.depth + 1) + " " + e.heading, ""]
        if e.section.sections:
            continue
        if e.id in nothing:
            lines += ["Không có.", ""]
            continue
        lines += [f"{name} báo cáo mục {e.id}: đã triển khai nghiêm túc, có **kết quả** cụ thể.", ""]
        if e.id == subheading:
            lines += [
                "#### a) Ở cấp xã",
                "",
                f"Nội dung riêng cấp xã của {name}.",
                "",
                "- Ý thứ nhất",
                "- Ý thứ hai",
                "",
            ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Landing:
    unit: str
    merged: datetime
    text: str


def path_of(unit: str) -> str:
    return f"submissions/{unit}/bao-cao.md"


def build_history(target: Path, campaign: Campaign) -> list[Landing]:
    """Five units: three on time (one says "Không có" twice, one has its own sub-heading),
    one late, one invalid (a required section missing); every other unit never submits."""
    w = HistoryWriter.init(target)
    shutil.copy(ROOT / "campaign.yml", target / "campaign.yml")
    w.git("add", "campaign.yml")
    w.commit("Campaign", at(6, 8))
    plan = [
        (SUBHEADING_UNIT, at(15), {}, frozenset(), "lanh-dao-chi-dao"),
        (NOTHING_UNIT, at(17), {"nothing": frozenset({"de-xuat-kien-nghi", "bai-hoc-kinh-nghiem"})}, None, None),
        ("dang-uy-quan-su-tinh", at(19, 22), {}, None, None),
        (LATE_UNIT, at(21, 10), {}, None, None),  # late by 1 day 10 hours
        (INVALID_UNIT, at(18), {"omit": frozenset({"nguyen-nhan"})}, None, None),  # a required section missing
    ]
    landings = []
    # Seeds follow the plan; merges follow the clock, as on a real branch.
    for seed, (unit, merged, extra, _, sub) in sorted(enumerate(plan, 1), key=lambda p: p[1][1]):
        text = report_text(
            campaign,
            unit,
            figures(campaign, seed),
            number=f"{10 + seed}-BC/HU",
            signed=(merged - timedelta(days=1)).date(),
            subheading=sub,
            **extra,
        )
        w.pull_request(f"nop-{unit}", {path_of(unit): text}, authored=merged - timedelta(hours=3), merged=merged)
        landings.append(Landing(unit, merged, text))
    return landings


def front_matter(text: str) -> dict[str, object]:
    """The report's YAML front matter, read independently of baocao's parser."""
    _, head, _ = text.split("---\n", 2)
    return yaml.safe_load(head)


def expected_totals(landings: list[Landing], counted: set[str]) -> dict[str, float]:
    """Per indicator, the sum of what the counted units wrote in their front matter."""
    totals: dict[str, float] = {}
    for landing in landings:
        if landing.unit in counted:
            for key, value in front_matter(landing.text)["so_lieu"].items():  # type: ignore[union-attr]
                totals[key] = totals.get(key, 0) + value
    return totals


def vn_number(text: str) -> float:
    """'1.234,5' -> 1234.5 (the inverse of Vietnamese formatting, for reading tables back)."""
    return float(text.strip("* ").replace(".", "").replace(",", "."))
