"""Formatting findings for people (text), tools (JSON) and GitHub (workflow commands)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .findings import CODES, Finding, count

FORMATS = ("text", "json", "github")
_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def as_text(findings: list[Finding]) -> str:
    lines = [
        f"{f.path}:{f.line}: {f.code} [{_SEVERITY_VI[f.severity]}] {f.message}\n    → {CODES[f.code].fix}"
        for f in findings
    ]
    errors, warnings = count(findings)
    lines.append(f"{errors} lỗi, {warnings} cảnh báo." if findings else "Không có lỗi.")
    return "\n".join(lines)


def as_json(findings: list[Finding], **extra: object) -> str:
    errors, warnings = count(findings)
    doc = {"findings": [f.to_dict() for f in findings], "errors": errors, "warnings": warnings, **extra}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def as_github(findings: Iterable[Finding]) -> str:
    """GitHub workflow commands: one annotation per finding."""
    out = []
    for f in findings:
        props = f"file={_escape_prop(f.path)},line={f.line},title={_escape_prop(f.code + ' ' + CODES[f.code].title)}"
        out.append(f"::{f.severity} {props}::{_escape_data(f.message + ' → ' + CODES[f.code].fix)}")
    return "\n".join(out)


def render(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return as_json(findings)
    if fmt == "github":
        return "\n".join(filter(None, [as_github(findings), as_text(findings).splitlines()[-1]]))
    return as_text(findings)
