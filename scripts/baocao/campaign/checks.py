"""Checks of a loaded campaign that its schema cannot express: ids unique, references that
resolve, deadlines the calendar can hold, and files it names present in the repository. Each
yields (location, code, message) or findings; ``baocao.campaign.model`` reports them with their lines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from baocao.findings import Finding, finding

if TYPE_CHECKING:
    from baocao.campaign.model import Campaign, Section

CAMPAIGN_FILE = "campaign.yml"


def cross_references(c: Campaign) -> Iterator[tuple[tuple[object, ...], str, str]]:
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
    indicator_ids = {i.id for i in c.indicators}

    def walk(sections: list[Section], loc: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str, str]]:
        for i, s in enumerate(sections):
            if s.id in sec_ids:
                yield (*loc, i, "id"), "C103", f"mã mục '{s.id}' bị khai báo hai lần trong outline"
            sec_ids.add(s.id)
            for j, ref in enumerate(s.indicators):
                if ref not in indicator_ids:
                    yield (
                        (*loc, i, "indicators", j),
                        "C104",
                        f"mục '{s.id}': chỉ tiêu '{ref}' chưa khai báo trong indicators",
                    )
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
    seen_ext: set[tuple[str, str]] = set()
    for i, e in enumerate(c.extensions):
        stage = c.stage_by_id.get(e.stage)
        if e.unit not in units:
            yield ("extensions", i, "unit"), "C104", f"gia hạn cho đơn vị '{e.unit}' chưa khai báo"
        elif stage is None:
            yield ("extensions", i, "stage"), "C104", f"gia hạn cho giai đoạn '{e.stage}' chưa khai báo"
        elif not c.expects(stage, e.unit):
            yield ("extensions", i, "unit"), "C104", f"đơn vị '{e.unit}' không phải nộp ở giai đoạn '{e.stage}'"
        if (e.unit, e.stage) in seen_ext:
            yield ("extensions", i), "C103", f"đơn vị '{e.unit}' được gia hạn hai lần cho giai đoạn '{e.stage}'"
        seen_ext.add((e.unit, e.stage))
    yield from _deadlines_computable(c)


def _deadlines_computable(c: Campaign) -> Iterator[tuple[tuple[object, ...], str, str]]:
    """Every deadline is an instant the calendar can hold (not 'before: 0001-01-01')."""
    dues = [(("stages", i, "due"), s.due) for i, s in enumerate(c.stages)]
    dues += [(("extensions", i, "due"), e.due) for i, e in enumerate(c.extensions)]
    for loc, due in dues:
        try:
            due.instant(c.tz, frozenset(c.campaign.holidays)).astimezone(UTC)
        except (OverflowError, ValueError):
            yield loc, "C102", f"{'.'.join(map(str, loc))}: thời hạn nằm ngoài phạm vi lịch (năm 1 đến năm 9999)"


def rule_named_files(campaign: Campaign, root: Path) -> Iterator[Finding]:
    """Every key and certificate file campaign.yml names exists inside the repository."""
    named = [("evidence.server_keys", n) for n in campaign.evidence.server_keys if n != "github"]
    named += [("evidence.witness_keys", n) for n in campaign.evidence.witness_keys]
    named += [("signed_pdf.trust", n) for n in campaign.signed_pdf.trust]
    named += [("signed_pdf.crls", n) for n in campaign.signed_pdf.crls]
    base = root.resolve()
    for key, name in named:
        path = (base / name).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            yield finding("C107", CAMPAIGN_FILE, 1, f"{key}: không có tệp '{name}' trong kho.")
