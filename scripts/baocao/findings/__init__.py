"""Findings: what every check yields, and the table of codes that is the contract.

A check never prints and never raises for bad input: it yields ``Finding`` values.
Reporting (text, JSON, GitHub annotations) lives in ``baocao.checks.formats``; choosing the
exit code lives in the CLI. The table of codes (``baocao.findings.codes``) is the rulebook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from baocao.findings.codes import CODES as CODES
from baocao.findings.codes import Code as Code
from baocao.findings.codes import Severity as Severity


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    path: str
    line: int
    message: str

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


def finding(code: str, path: str, line: int, message: str) -> Finding:
    """Build a finding whose severity comes from the code table."""
    return Finding(code, CODES[code].severity, path, max(line, 1), message)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (warnings never block)."""
    return any(f.severity is Severity.ERROR for f in findings)


def count(findings: list[Finding]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return errors, len(findings) - errors
