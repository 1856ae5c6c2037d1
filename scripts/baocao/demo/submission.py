"""One planned demo submission (a pull request) and the helpers every demo feature shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from baocao.campaign.model import Campaign

# Units that never submit in the demo.
MISSING = ("huyen-uy-son-tay", "dang-uy-bien-phong-tinh", "dang-doan-hoi-ccb")


@dataclass
class Submission:
    """One pull request: files (repo-relative paths) authored by a unit's clerk, merged later."""

    unit: str
    stage: str
    files: dict[str, str | bytes | None]
    authored: datetime
    merged: datetime
    author: tuple[str, str]
    message: str = ""
    figures: dict[str, int | float] = field(default_factory=dict)


def landed_at(c: Campaign, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=c.tz)


def clerk(c: Campaign, unit_id: str) -> tuple[str, str]:
    unit = c.unit_by_id[unit_id]
    login = unit.submitters[0] if unit.submitters else unit.id
    return f"Văn thư {unit.name}", f"{login}@quangngai.dcs.vn"
