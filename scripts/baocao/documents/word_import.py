"""``baocao import``: the Markdown version of a Word report, for a unit that prefers to keep
its report as Markdown from now on.

The .md written is the text the Word reader produced (front matter from the header, signature
and statistics table; the body as Markdown). What the reader could not map is returned as the
reader's findings, each with its code and the paragraph ("đoạn") it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from baocao.campaign.model import Campaign
from baocao.checks.validation import READERS
from baocao.documents.skeleton import SkeletonError, choose_stage
from baocao.findings import Finding
from baocao.reports.word.parse import parse_docx


class WordImportError(Exception):
    """The import cannot be done; the message is for the clerk, in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Imported:
    target: Path
    findings: list[Finding]


def import_docx(campaign: Campaign, root: Path, unit_id: str, source: Path, stage_id: str | None = None) -> Imported:
    """Write ``submissions/<unit>/<stage stem>.md`` from ``source``; never overwrite."""
    try:
        stage = choose_stage(campaign, unit_id, stage_id)
    except SkeletonError as exc:
        raise WordImportError(str(exc)) from exc
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise WordImportError(f"Không đọc được tệp {source}: {exc.strerror or exc}.") from exc
    folder = root / "submissions" / unit_id
    target = folder / f"{stage.stem}.md"
    if target.exists():
        raise WordImportError(f"Đã có {target.as_posix()}; không ghi đè. Xóa hoặc đổi tên tệp đó nếu muốn nhập lại.")
    rel = f"submissions/{unit_id}/{stage.stem}.docx"
    parsed = parse_docx(data, rel, campaign)
    if parsed.text is None:
        reasons = "; ".join(f"[{f.code}] {f.message}" for f in parsed.findings)
        raise WordImportError(f"Không đọc được {source.name}: {reasons}")
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as out:
        out.write(parsed.text)
    return Imported(target, list(parsed.findings))


def other_reports(root: Path, unit_id: str, stem: str, keep: Path) -> list[Path]:
    """Other report files of the same stage in the unit's folder (two would be F210)."""
    folder = root / "submissions" / unit_id
    paths = [folder / f"{stem}{suffix}" for suffix in READERS]
    return [p for p in paths if p.exists() and p != keep]


def describe(f: Finding) -> str:
    """One line of what could not be mapped: paragraph, code, message."""
    where = f"đoạn {f.line}" if f.line > 1 else "cả tệp"
    return f"  {where}: [{f.code}] {f.message}"
