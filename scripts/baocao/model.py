"""The campaign: a strict, typed model of ``campaign.yml``, loaded once.

Everything downstream receives a ``Campaign``, never raw YAML. Unknown keys are errors;
every error carries the YAML line it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .findings import Finding, finding

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
IDENT = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Ident = Annotated[str, Field(pattern=IDENT, max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CampaignInfo(Strict):
    id: Slug
    title: NonEmpty
    timezone: str = "Asia/Ho_Chi_Minh"
    branch: str = "main"
    maintainers: list[str] = Field(default_factory=list, description="Logins that may change anything.")
    trusted_committers: list[str] = Field(
        default_factory=list,
        description="Committer names or e-mails allowed to land commits on the branch "
        "(e.g. the hosting service's merge identity). Empty: not checked.",
    )
    holidays: list[date] = Field(default_factory=list, description="Days off, for weekend_rollover.")
    site_url: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"múi giờ không tồn tại: {v}") from exc
        return v


class Directive(Strict):
    number: NonEmpty
    date: date
    issuer: NonEmpty
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    text: str | None = Field(None, description="Path of the directive's full text (Markdown).")


class Group(Strict):
    id: Slug
    name: NonEmpty


class Unit(Strict):
    id: Slug
    name: NonEmpty
    group: Slug
    submitters: list[str] = Field(default_factory=list)


class Section(Strict):
    id: Ident
    heading: NonEmpty
    guidance: str = ""
    required: bool = True
    sections: list[Section] = Field(default_factory=list)


class Indicator(Strict):
    id: Ident
    label: NonEmpty
    unit: str = ""
    type: Literal["integer", "number"] = "integer"
    required: bool = True


_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$")


def parse_duration(text: str) -> timedelta:
    """'2d', '12h', '1d 6h', '30m' -> timedelta."""
    m = _DURATION.match(text)
    if not text.strip() or not m or not any(m.groups()):
        raise ValueError(f"thời lượng không hợp lệ: {text!r} (ví dụ: 2d, 12h, 30m)")
    d, h, mi = (int(g or 0) for g in m.groups())
    return timedelta(days=d, hours=h, minutes=mi)


class Due(Strict):
    before: date | None = Field(None, description="Ends at 00:00 of this date.")
    by: date | None = Field(None, description="Ends at 24:00 of this date.")
    at: datetime | None = Field(None, description="Ends at this instant.")
    weekend_rollover: bool = False
    grace: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Due:
        given = [k for k in ("before", "by", "at") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("due cần đúng một trong các khóa: before, by, at")
        if self.grace is not None:
            parse_duration(self.grace)
        return self

    def instant(self, tz: ZoneInfo, holidays: frozenset[date] = frozenset()) -> datetime:
        """The exact instant the period ends, timezone-aware."""
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
            end += parse_duration(self.grace)
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


class Stage(Strict):
    id: Slug
    title: NonEmpty
    file: Annotated[str, Field(pattern=r"^[a-z0-9-]+\.md$")]
    units: Literal["all"] | list[Slug] = "all"
    outline: bool = True
    indicators: bool = True
    due: Due
    to: str = ""
    late: Literal["warn", "reject"] = "warn"

    @property
    def stem(self) -> str:
        return self.file[: -len(".md")]


class Campaign(Strict):
    campaign: CampaignInfo
    directive: Directive
    groups: list[Group]
    units: list[Unit]
    outline: list[Section]
    indicators: list[Indicator] = Field(default_factory=list)
    stages: Annotated[list[Stage], Field(min_length=1)]

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.campaign.timezone)

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    @cached_property
    def stage_by_id(self) -> dict[str, Stage]:
        return {s.id: s for s in self.stages}

    @cached_property
    def _ordered(self) -> tuple[Unit, ...]:
        rank = {g.id: i for i, g in enumerate(self.groups)}
        return tuple(sorted(self.units, key=lambda u: rank.get(u.group, len(rank))))

    @cached_property
    def _members(self) -> dict[str, tuple[Unit, ...]]:
        # Computed once per stage: every report check asks, so with thousands of units an
        # uncached answer made checking a whole campaign quadratic.
        out: dict[str, tuple[Unit, ...]] = {}
        for stage in self.stages:
            wanted = None if stage.units == "all" else set(stage.units)
            out[stage.id] = tuple(u for u in self._ordered if wanted is None or u.id in wanted or u.group in wanted)
        return out

    @cached_property
    def _member_ids(self) -> dict[str, frozenset[str]]:
        return {sid: frozenset(u.id for u in units) for sid, units in self._members.items()}

    def ordered_units(self) -> list[Unit]:
        """Units in campaign order: by group (as declared), then as listed."""
        return list(self._ordered)

    def stage_units(self, stage: Stage) -> list[Unit]:
        """The units expected to submit in a stage, in campaign order."""
        if stage.id in self._members and self.stage_by_id.get(stage.id) == stage:
            return list(self._members[stage.id])
        wanted = None if stage.units == "all" else set(stage.units)
        return [u for u in self._ordered if wanted is None or u.id in wanted or u.group in wanted]

    def expects(self, stage: Stage, unit_id: str) -> bool:
        """Whether ``unit_id`` must submit in ``stage`` (constant time)."""
        if stage.id in self._member_ids and self.stage_by_id.get(stage.id) == stage:
            return unit_id in self._member_ids[stage.id]
        return any(u.id == unit_id for u in self.stage_units(stage))

    def deadline(self, stage: Stage) -> datetime:
        return stage.due.instant(self.tz, frozenset(self.campaign.holidays))

    def today(self, now: datetime | None = None) -> date:
        """The calendar day in the campaign's zone (not the machine's): a report signed
        on 20/6 in Quảng Ngãi is not 'in the future' on a server still on 19/6 UTC."""
        return (now or datetime.now(self.tz)).astimezone(self.tz).date()


# --------------------------------------------------------------------------- loading


class CampaignError(Exception):
    """The campaign cannot be loaded; carries every finding with its YAML line."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f"{f.path}:{f.line}: {f.message}" for f in findings))
        self.findings = findings


@dataclass
class _Lines:
    """Maps a key path such as ('units', 3, 'group') to its line in the YAML file."""

    lines: dict[tuple[object, ...], int]

    def of(self, loc: tuple[object, ...]) -> int:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def _node_lines(node: yaml.Node, path: tuple[object, ...], out: dict[tuple[object, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            _node_lines(v, (*path, key), out)
            out[(*path, key)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _node_lines(v, (*path, i), out)


def _cross_references(c: Campaign) -> Iterator[tuple[tuple[object, ...], str, str]]:
    """Ids unique and every reference resolvable: (loc, code, message)."""

    def dupes(items: list[str], key: str) -> Iterator[tuple[tuple[object, ...], str, str]]:
        seen: set[str] = set()
        for i, v in enumerate(items):
            if v in seen:
                yield (key, i, "id"), "C103", f"mã '{v}' bị khai báo hai lần trong {key}"
            seen.add(v)

    yield from dupes([g.id for g in c.groups], "groups")
    yield from dupes([u.id for u in c.units], "units")
    yield from dupes([i.id for i in c.indicators], "indicators")
    yield from dupes([s.id for s in c.stages], "stages")
    seen_files: set[str] = set()
    for i, s in enumerate(c.stages):
        if s.file in seen_files:
            yield ("stages", i, "file"), "C103", f"tên tệp '{s.file}' dùng cho hai giai đoạn"
        seen_files.add(s.file)
    sec_ids: set[str] = set()

    def walk(sections: list[Section], loc: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str, str]]:
        for i, s in enumerate(sections):
            if s.id in sec_ids:
                yield (*loc, i, "id"), "C103", f"mã mục '{s.id}' bị khai báo hai lần trong outline"
            sec_ids.add(s.id)
            yield from walk(s.sections, (*loc, i, "sections"))

    yield from walk(c.outline, ("outline",))
    groups = {g.id for g in c.groups}
    units = {u.id for u in c.units}
    for i, u in enumerate(c.units):
        if u.group not in groups:
            yield ("units", i, "group"), "C104", f"đơn vị '{u.id}' thuộc nhóm '{u.group}' chưa khai báo"
    for i, s in enumerate(c.stages):
        if s.units != "all":
            for j, ref in enumerate(s.units):
                if ref not in units and ref not in groups:
                    yield ("stages", i, "units", j), "C104", f"giai đoạn '{s.id}': không có đơn vị hay nhóm '{ref}'"


def _pydantic_message(err: dict[str, object]) -> str:
    kind = err.get("type")
    if kind == "extra_forbidden":
        return "khóa không được phép (kiểm tra chính tả)"
    if kind == "missing":
        return "thiếu khóa bắt buộc"
    msg = str(err.get("msg", ""))
    return msg.removeprefix("Value error, ")


def load_campaign_text(text: str, path: str = "campaign.yml") -> Campaign:
    """Parse and validate campaign YAML; raise ``CampaignError`` with every problem."""
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML when available: big campaigns
        root = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CampaignError([finding("C101", path, line, f"lỗi cú pháp YAML: {exc}")]) from exc
    if not isinstance(data, dict) or root is None:
        raise CampaignError([finding("C101", path, 1, "campaign.yml phải là một bảng khóa: giá trị")])
    lines: dict[tuple[object, ...], int] = {}
    _node_lines(root, (), lines)
    where = _Lines(lines)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            # Union members add their type name to loc; drop what is not a real key.
            real = tuple(
                p
                for p in loc
                if isinstance(p, int) or (not str(p)[:1].isupper() and not str(p).startswith(("literal[", "list[")))
            )
            dotted = ".".join(str(p) for p in real) or "(gốc)"
            found.append(finding("C102", path, where.of(real), f"{dotted}: {_pydantic_message(dict(err))}"))
        raise CampaignError(found) from exc
    problems = [finding(code, path, where.of(loc), msg) for loc, code, msg in _cross_references(campaign)]
    if problems:
        raise CampaignError(problems)
    return campaign


CAMPAIGN_FILE = "campaign.yml"  # at the top of every campaign repository


def load_campaign(path: Path) -> Campaign:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignError([finding("C101", path.name, 1, f"không đọc được tệp: {exc}")]) from exc
    return load_campaign_text(text, path.name)


def json_schema() -> dict[str, object]:
    schema = Campaign.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "baocao campaign.yml"
    return schema
