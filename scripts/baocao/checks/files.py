"""What may sit under ``submissions/``: file-level rules that need no reading of the report.

A unit's folder holds at most one report per stage (``<stage stem>.<suffix>`` for a suffix
with a registered reader), the signed PDF and images; nothing else, no symlinks, nothing
over 5 MB. These rules are pure (paths and sizes in, findings out) so that the working
tree and the git history share them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath

from baocao.campaign.model import Campaign, Stage
from baocao.findings import Finding, finding
from baocao.reports.report import ParsedReport, parse_markdown
from baocao.reports.word.parse import parse_docx

MAX_BYTES = 5 * 1024 * 1024
# An attachment's name: letters (Vietnamese too), digits, space and - _ . , ( ) +, not starting
# with a dot or a dash; no character that a link, Markdown or a shell could read as syntax.
SAFE_CHAR = re.compile(r"[\w .,()+-]")
SAFE_NAME = re.compile(r"^[^\W_][\w .,()+-]{0,150}$")
ATTACHMENTS = frozenset({".pdf", ".png", ".jpg", ".jpeg"})
IGNORED_FILES = frozenset({".gitkeep", "README.md"})

# A reader gets the campaign too: Word needs the outline and the indicator labels to tell a
# section heading from a numbered paragraph and to read the statistics table.
Reader = Callable[[bytes, str, Campaign], ParsedReport]


def _read_markdown(data: bytes, path: str, campaign: Campaign) -> ParsedReport:
    return parse_markdown(data, path)


# Report readers by file suffix.
READERS: dict[str, Reader] = {".md": _read_markdown, ".docx": parse_docx}


def unit_and_name(rel_path: str) -> tuple[str, str]:
    parts = PurePosixPath(rel_path).parts
    return (parts[1] if len(parts) > 2 else ""), parts[-1]


def stage_for(campaign: Campaign, name: str) -> Stage | None:
    """The stage whose report this file name is (``bao-cao.md``, ``bao-cao.docx``), if any."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix.lower() not in READERS:
        return None
    return next((s for s in campaign.stages if s.stem == stem), None)


def rule_placement(campaign: Campaign, rel_path: str, size: int, symlink: bool) -> Iterator[Finding]:
    """A file is a real file under 5 MB, directly in the folder of a campaign unit, and is a
    report, the signed PDF or an image."""
    parts = PurePosixPath(rel_path).parts
    if symlink:
        yield finding("F202", rel_path, 1, "Tệp là liên kết tượng trưng (symlink); hãy thay bằng tệp thật.")
        return
    if size > MAX_BYTES:
        yield finding("F203", rel_path, 1, f"Tệp nặng {size / 1048576:.1f} MB, vượt quá 5 MB.")
        return
    if not parts or parts[0] != "submissions":
        yield finding("F201", rel_path, 1, "Tệp nằm ngoài thư mục submissions/: chỉ kiểm tra được báo cáo trong đó.")
        return
    if len(parts) != 3:
        if not (len(parts) == 2 and parts[1] in IGNORED_FILES):
            yield finding("F201", rel_path, 1, "Tệp phải nằm ngay trong thư mục submissions/<mã đơn vị>/.")
        return
    unit, name = parts[1], parts[2]
    if unit not in campaign.unit_by_id:
        yield finding("F207", rel_path, 1, f"Thư mục '{unit}' không ứng với đơn vị nào trong campaign.yml.")
        return
    if stage_for(campaign, name) or name in IGNORED_FILES:
        return
    if PurePosixPath(name).suffix.lower() in ATTACHMENTS:
        if not SAFE_NAME.match(name):
            bad = sorted({ch for ch in name if not SAFE_CHAR.match(ch)})
            shown = " ".join(repr(ch)[1:-1] if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad) or name[:1]
            yield finding("F212", rel_path, 1, f"Tên tệp '{name}' có ký tự không được phép ({shown}).")
        return
    files = ", ".join(s.file for s in campaign.stages)
    yield finding(
        "F201",
        rel_path,
        1,
        f"Tệp '{name}' không được phép. Tên tệp báo cáo: {files}; kèm theo chỉ được PDF (bản ký) và ảnh PNG/JPEG.",
    )


def rule_one_report_per_stage(campaign: Campaign, rel_paths: Iterable[str]) -> Iterator[Finding]:
    """A unit's folder holds at most one report per stage (not bao-cao.md and bao-cao.docx)."""
    seen: dict[tuple[str, str], str] = {}
    for rel in sorted(rel_paths):
        unit, name = unit_and_name(rel)
        stage = stage_for(campaign, name)
        if not unit or stage is None or len(PurePosixPath(rel).parts) != 3:
            continue
        first = seen.setdefault((unit, stage.id), rel)
        if first != rel:
            yield finding(
                "F210",
                rel,
                1,
                f"Thư mục '{unit}' đã có báo cáo “{stage.title}” ở tệp {PurePosixPath(first).name}; "
                "mỗi giai đoạn chỉ giữ một tệp báo cáo (.md hoặc .docx). Hãy xóa tệp thừa.",
            )


def submission_files(root: Path, paths: list[Path] | None = None) -> list[Path]:
    """The files to check: the given ones (folders expanded) or all of submissions/."""
    targets = paths or [root / "submissions"]
    out: list[Path] = []
    for p in targets:
        if p.is_dir() and not p.is_symlink():
            out += sorted(q for q in p.rglob("*") if q.is_symlink() or q.is_file())
        elif p.exists() or p.is_symlink():
            out.append(p)
    return out
