"""Deadline rules (``due`` in campaign.yml): which exact instant a period ends at.

"trước ngày 20/6/2022" ends at 00:00 of 20/6; "hết ngày 20/6/2022" at 24:00 of that day; an
``at`` instant is itself. A last day falling on a weekend or holiday may roll over to the
next working day, and a ``grace`` is added in real elapsed time (across a daylight-saving
change an hour of grace is an hour), never in wall-clock time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_DURATION = re.compile(r"^\s*(?:(\d{1,5})\s*d)?\s*(?:(\d{1,6})\s*h)?\s*(?:(\d{1,7})\s*m(?:in)?)?\s*$")
MAX_GRACE = timedelta(days=3660)  # ten years: anything longer is a typing mistake


def parse_duration(text: str) -> timedelta:
    """'2d', '12h', '1d 6h', '30m' -> timedelta (at most ten years)."""
    m = _DURATION.match(text)
    if not text.strip() or not m or not any(m.groups()):
        raise ValueError(f"thời lượng không hợp lệ: {text!r} (ví dụ: 2d, 12h, 30m)")
    d, h, mi = (int(g or 0) for g in m.groups())
    delta = timedelta(days=d, hours=h, minutes=mi)
    if delta > MAX_GRACE:
        raise ValueError(f"thời lượng {text!r} quá dài (tối đa {MAX_GRACE.days} ngày)")
    return delta


class Due(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    before: date | None = Field(None, description="Ends at 00:00 of this date.")
    by: date | None = Field(None, description="Ends at 24:00 of this date.")
    at: datetime | None = Field(None, description="Ends at this instant.")
    weekend_rollover: bool = False
    grace: str | None = None

    @field_validator("before", "by", "at", mode="before")
    @classmethod
    def _calendar_value(cls, v: Any) -> Any:
        # YAML reads '17:00' as the number 1020 and pydantic would take a number for a Unix
        # time: 'at: 17:00' must not silently become a deadline in 1970.
        if v is not None and not isinstance(v, date | str):
            raise ValueError(f"cần một ngày (2022-06-20) hoặc ngày giờ (2022-06-20T17:00), không phải {v!r}")
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Due:
        given = [k for k in ("before", "by", "at") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("due cần đúng một trong các khóa: before, by, at")
        if self.grace is not None:
            parse_duration(self.grace)
        return self

    def instant(self, tz: ZoneInfo, holidays: frozenset[date] = frozenset()) -> datetime:
        """The exact instant the period ends, timezone-aware. Raises OverflowError for a day
        the calendar cannot hold (``before: 0001-01-01``, ``by: 9999-12-31``)."""
        if self.at is not None:
            end = self.at if self.at.tzinfo else self.at.replace(tzinfo=tz)
        else:
            # 'before D' ends at 00:00 of D, i.e. the last day is D-1; 'by D' includes D.
            last = self.before - timedelta(days=1) if self.before else self.by
            assert last is not None
            if self.weekend_rollover:
                while last.weekday() >= 5 or last in holidays:
                    last += timedelta(days=1)
            end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
        if self.grace:
            # Elapsed time: add in UTC, show in the zone (wall-clock addition is wrong across DST).
            end = (end.astimezone(UTC) + parse_duration(self.grace)).astimezone(tz)
        return end

    def describe(self) -> str:
        if self.before:
            s = f"trước ngày {self.before:%d/%m/%Y}"
        elif self.by:
            s = f"hết ngày {self.by:%d/%m/%Y}"
        else:
            assert self.at is not None
            s = f"lúc {self.at:%H:%M} ngày {self.at:%d/%m/%Y}"
        if self.weekend_rollover:
            s += " (ngày nghỉ lùi sang ngày làm việc kế tiếp)"
        if self.grace:
            s += f", gia hạn {self.grace}"
        return s
