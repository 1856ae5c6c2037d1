"""The campaign: a strict, typed model of ``campaign.yml`` (read by ``baocao.campaign.load``).

Everything downstream receives a ``Campaign``, never raw YAML. Unknown keys are errors;
every error carries the YAML line it comes from.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from baocao.campaign.due import Due as Due  # the deadline rules live in baocao.campaign.due
from baocao.campaign.due import parse_duration as parse_duration
from baocao.findings import Finding

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
    open_submission: bool = Field(
        False,
        description="Let any account submit for a unit that lists no submitters (default: only the "
        "unit's submitters and the maintainers may).",
    )
    site_url: str | None = None
    repo_url: str | None = Field(
        None,
        description="The campaign repository's web address (https://github.com/…, a GitLab or Gitea "
        "address): unit pages then link to its upload and edit pages. Default: repo_url of mkdocs.yml.",
    )
    closed_at: datetime | None = Field(
        None,
        description="The instant the campaign closed (ISO 8601; without an offset, in the campaign's "
        "zone). From then on every command reads the campaign as of this instant unless told "
        "otherwise (--as-of), so an archived campaign shows its final state, not today's.",
    )

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
    indicators: list[Ident] = Field(
        default_factory=list,
        description="Indicators whose totals open this section in the compiled draft (ids from indicators).",
    )
    sections: list[Section] = Field(default_factory=list)


class Indicator(Strict):
    id: Ident
    label: NonEmpty
    unit: str = ""
    type: Literal["integer", "number"] = "integer"
    required: bool = True


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
    require_signed_pdf: bool = Field(
        False, description="The unit must attach a PDF whose digital signature verifies (K920 otherwise)."
    )

    @property
    def stem(self) -> str:
        return self.file[: -len(".md")]


class Evidence(Strict):
    """What proves when a report landed, besides the order of the branch (docs/thoi-diem-nop.md)."""

    server_keys: list[str] = Field(
        default_factory=list,
        description="OpenPGP public keys the hosting server signs its merge commits with: 'github' "
        "(GitHub's published web-flow keys, with their validity dates) or files in the repository "
        "(ASCII-armoured, e.g. trust/gitlab.asc).",
    )
    require_signed: bool = Field(
        False,
        description="A landing counts at the server's signed time only: the time an unsigned commit "
        "claims carries no weight (it landed when the next evidence saw it).",
    )
    witness_keys: list[str] = Field(
        default_factory=list,
        description="Keys (files in the repository) that sign the witness and deadline tags made by CI; "
        "when set, an unsigned or wrongly signed tag is not evidence.",
    )
    taggers: list[str] = Field(
        default_factory=list,
        description="Tagger names or e-mails accepted for witness and deadline tags "
        "(default: baocao's own identity when git has none configured, as on a CI runner).",
    )


class SignedPdf(Strict):
    """Trust for the digital signatures of attached PDF originals (docs/ky-so.md)."""

    trust: list[str] = Field(
        default_factory=list,
        description="Root certificates (PEM or DER files in the repository, e.g. trust/ca.pem) that a "
        "signer's certificate must chain to.",
    )
    crls: list[str] = Field(
        default_factory=list, description="Certificate revocation lists (files in the repository); never fetched."
    )


class Extension(Strict):
    """A unit's own deadline for one stage, granted by a decision of the office."""

    unit: Slug
    stage: Slug
    due: Due
    reason: NonEmpty
    decision: str = Field("", description="Number and date of the document granting it, e.g. 'Công văn số 12-CV/ĐU'.")


class Campaign(Strict):
    campaign: CampaignInfo
    directive: Directive
    groups: list[Group]
    units: list[Unit]
    outline: list[Section]
    indicators: list[Indicator] = Field(default_factory=list)
    stages: Annotated[list[Stage], Field(min_length=1)]
    evidence: Evidence = Evidence()  # frozen: one shared default is safe
    signed_pdf: SignedPdf = SignedPdf()
    extensions: list[Extension] = Field(default_factory=list)

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

    @cached_property
    def extension_by_key(self) -> dict[tuple[str, str], Extension]:
        """(unit id, stage id) -> the extension granted, if any."""
        return {(e.unit, e.stage): e for e in self.extensions}

    def extension(self, stage: Stage, unit_id: str | None) -> Extension | None:
        return self.extension_by_key.get((unit_id, stage.id)) if unit_id else None

    def deadline(self, stage: Stage, unit_id: str | None = None) -> datetime:
        """The instant ``stage`` ends, for ``unit_id`` when given (its extension, if granted)."""
        ext = self.extension(stage, unit_id)
        due = ext.due if ext else stage.due
        return due.instant(self.tz, frozenset(self.campaign.holidays))

    @cached_property
    def closed_at(self) -> datetime | None:
        """``campaign.closed_at`` as an aware instant (a naive value is in the campaign's zone)."""
        closed = self.campaign.closed_at
        if closed is None:
            return None
        return closed if closed.tzinfo else closed.replace(tzinfo=self.tz)

    def closing(self, now: datetime | None = None) -> datetime | None:
        """The closing instant once the campaign has closed (``now`` at or after it), else None:
        the moment a command reads a closed campaign at when it is given none."""
        closed = self.closed_at
        return closed if closed is not None and (now or datetime.now(self.tz)) >= closed else None

    def today(self, now: datetime | None = None) -> date:
        """The calendar day in the campaign's zone (not the machine's): a report signed
        on 20/6 in Quảng Ngãi is not 'in the future' on a server still on 19/6 UTC."""
        return (now or datetime.now(self.tz)).astimezone(self.tz).date()


class CampaignError(Exception):
    """The campaign cannot be loaded; carries every finding with its YAML line."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f"{f.path}:{f.line}: {f.message}" for f in findings))
        self.findings = findings


CAMPAIGN_FILE = "campaign.yml"  # at the top of every campaign repository


def json_schema() -> dict[str, object]:
    schema = Campaign.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "baocao campaign.yml"
    return schema
