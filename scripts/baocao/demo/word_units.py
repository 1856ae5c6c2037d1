"""Demo units that submitted their report as a Word file: the same report text and figures the
demo would have written in Markdown, laid out in the Party format with python-docx, one with
Word heading styles and a paragraph signature block, one with bold typed numbering and the
header and signature as two-column tables. Listed in ``baocao.demo.build.EXTRA_SUBMISSIONS``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from baocao.campaign.model import Campaign
from baocao.demo.submission import MISSING, Submission, clerk, landed_at
from baocao.demo.text import Figures, unit_report
from baocao.demo.word_sample import Sample, party_docx
from baocao.reports.outline import Matcher, flatten, segment
from baocao.reports.report import parse_markdown
from baocao.vn import number as vn_number

# unit -> (style, layout, merged on 6/day at hour:minute)
WORD_UNITS = {
    "huyen-uy-mo-duc": ("headings", "paragraphs", (16, 10, 20)),
    "bao-quang-ngai": ("numbered", "table", (18, 15, 5)),
}
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")


def _paragraphs(markdown: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        for line in block.split("\n") if block.lstrip().startswith("- ") else [" ".join(block.split())]:
            text = _MARKUP.sub("", line.strip())
            if text.startswith("#"):  # the unit's own sub-heading: a bold line in Word
                text = f"**{text.lstrip('#').strip()}**"
            if text and not text.startswith("<!--"):
                out.append(text)
    return out


def word_sample(
    c: Campaign, unit_id: str, style: str, layout: str, seed: int, signed: date, number: int
) -> tuple[Sample, Figures]:
    """The Sample for a unit's stage-1 report, and its figures."""
    unit = c.unit_by_id[unit_id]
    text, figs = unit_report(c, unit, seed=seed, signed=signed, number=number)
    parsed = parse_markdown(text.encode(), f"submissions/{unit_id}/bao-cao.md")
    _, segments = segment(parsed, Matcher(flatten(c.outline)))
    sections = [(s.entry.heading, s.entry.depth, _paragraphs(s.text(parsed))) for s in segments if s.entry]
    labels = {i.id: i.label for i in c.indicators}
    stats = {labels[k]: vn_number(v) for k, v in figs.values.items() if k in labels}
    units = {i.label: i.unit for i in c.indicators}
    meta = parsed.meta
    sample = Sample(
        issuer=unit.name.upper(),
        unit_name=unit.name,
        so_hieu=str(meta["so_hieu"]),
        place="Quảng Ngãi",
        day=meta["ngay"],
        summary=f"Sơ kết 01 năm thực hiện Kết luận số 02-KL/TW và Kế hoạch số 57-KH/TU tại {unit.name}",
        sections=sections,
        stats=stats,
        units=units,
        title=str(meta.get("chuc_vu") or "Bí thư").upper(),
        signer=str(meta["nguoi_ky"]),
        style=style,
        layout=layout,
    )
    return sample, figs


def word_submissions(c: Campaign) -> list[Submission]:
    first = c.stages[0]
    units = [u.id for u in c.stage_units(first) if u.id not in MISSING]
    out = []
    for unit_id, (style, layout, when) in WORD_UNITS.items():
        if unit_id not in units:
            continue
        i = units.index(unit_id)
        merged = landed_at(c, 6, *when)
        signed = (merged - timedelta(days=1 + i % 3)).date()
        sample, figs = word_sample(c, unit_id, style, layout, 1055 + i, signed, 100 + i * 7)
        files: dict[str, str | bytes | None] = {f"submissions/{unit_id}/{first.stem}.docx": party_docx(sample)}
        out.append(
            Submission(
                unit_id,
                first.id,
                files,
                merged - timedelta(minutes=30),
                merged,
                clerk(c, unit_id),
                "Nộp báo cáo sơ kết (tệp Word)",
                figures=figs.values,
            )
        )
    return out
