"""The checks' one typed result for a report: what was read, where it sits, what was found."""

from __future__ import annotations

from dataclasses import dataclass, field

from baocao.campaign.model import Stage
from baocao.findings import Finding, has_errors
from baocao.reports.outline import Segment
from baocao.reports.report import ParsedReport


@dataclass
class CheckedReport:
    """A report read and checked: what the site, history and compile use."""

    path: str
    unit: str
    stage: Stage | None
    report: ParsedReport
    findings: list[Finding] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    numbers: dict[str, int | float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)
