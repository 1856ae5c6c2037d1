"""Incoming Word reports against the Party document format (Hướng dẫn 36-HD/VPTW): warnings
with the fix in Vietnamese, never errors that block a submission."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.shared import Cm, Mm, Pt

from baocao.campaign.model import Campaign
from baocao.documents.compile import compile_campaign
from baocao.documents.draft_docx import export_docx
from baocao.findings import CODES, Severity
from baocao.reports.word.parse import parse_docx

from .conftest import DemoSite
from .test_word import check, sample

FORMAT_CODES = {"D811", "D812", "D813", "D814", "D815"}


def _party(campaign: Campaign) -> bytes:
    from baocao.demo.word_sample import party_docx

    return party_docx(sample(campaign))


def _edited(data: bytes, edit: Callable[[docx.document.Document], None]) -> bytes:
    document = docx.Document(io.BytesIO(data))
    edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _format_findings(data: bytes) -> dict[str, str]:
    return {f.code: f.message for f in parse_docx(data, "x.docx").findings if f.code in FORMAT_CODES}


def test_the_codes_are_warnings() -> None:
    assert {CODES[c].severity for c in FORMAT_CODES} == {Severity.WARNING}


def test_a_report_in_the_party_format_has_no_format_warning(campaign: Campaign) -> None:
    assert _format_findings(_party(campaign)) == {}


def test_our_own_draft_read_back_meets_the_format(campaign: Campaign, demo_site: DemoSite, tmp_path: Path) -> None:
    compiled = compile_campaign(campaign, demo_site.root, as_of=datetime.fromisoformat(demo_site.as_of))
    draft = export_docx(compiled, tmp_path / "du-thao.docx").read_bytes()
    assert _format_findings(draft) == {}


def test_a_blank_word_document_gets_every_warning_with_its_figures() -> None:
    document = docx.Document()  # Word's defaults: Letter, 1"/1.25" margins, the theme font at 11 pt
    document.add_paragraph("Nội dung báo cáo của đơn vị.")
    out = io.BytesIO()
    document.save(out)
    found = _format_findings(out.getvalue())
    assert set(found) == FORMAT_CODES
    assert "216 × 279 mm" in found["D811"] and "A4" in found["D811"]
    assert "lề phải 32 mm (cần 15–20 mm)" in found["D812"] and "lề trái" not in found["D812"]
    assert "Calibri" in found["D813"] and "Times New Roman" in found["D813"]


def _letter(d: docx.document.Document) -> None:
    d.sections[0].page_width, d.sections[0].page_height = Mm(215.9), Mm(279.4)


def _landscape_a4(d: docx.document.Document) -> None:
    d.sections[0].page_width, d.sections[0].page_height = Mm(297), Mm(210)


def _narrow_left(d: docx.document.Document) -> None:
    d.sections[0].left_margin = Mm(20)


def _two_cm_top(d: docx.document.Document) -> None:
    d.sections[0].top_margin = Cm(2)  # within the guide's 20–25 mm


def _arial(d: docx.document.Document) -> None:
    d.styles["Normal"].font.name = "Arial"


def _twelve_pt(d: docx.document.Document) -> None:
    d.styles["Normal"].font.size = Pt(12)


def _direct_font_on_runs(d: docx.document.Document) -> None:
    for p in d.paragraphs:
        for r in p.runs:
            r.font.name = "VNI-Times"


@pytest.mark.parametrize(
    ("edit", "expected", "says"),
    [
        (_letter, {"D811"}, "216 × 279 mm"),
        (_landscape_a4, set(), ""),  # A4 either way round
        (_narrow_left, {"D812"}, "lề trái 20 mm (cần 30–35 mm)"),
        (_two_cm_top, set(), ""),
        (_arial, {"D813"}, "“Arial”"),
        (_twelve_pt, {"D813"}, "Cỡ chữ phần nội dung là 12"),
        (_direct_font_on_runs, {"D813"}, "“VNI-Times”"),
    ],
)
def test_each_departure_is_named_alone(
    campaign: Campaign, edit: Callable[[docx.document.Document], None], expected: set[str], says: str
) -> None:
    found = _format_findings(_edited(_party(campaign), edit))
    assert set(found) == expected
    if says:
        assert says in next(iter(found.values()))


def test_a_header_and_recipients_missing_are_warned_and_the_report_still_counts(campaign: Campaign) -> None:
    def strip(d: docx.document.Document) -> None:
        for table in d.tables:
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        for r in p.runs:
                            r.text = r.text.replace("ĐẢNG CỘNG SẢN VIỆT NAM", "").replace("Nơi nhận:", "")
        for p in d.paragraphs:
            for r in p.runs:
                r.text = r.text.replace("Nơi nhận:", "")

    data = _edited(_party(campaign), strip)
    result = check(campaign, data)
    assert {"D814", "D815"} <= {f.code for f in result.findings}
    assert result.ok, [f for f in result.findings if f.severity is Severity.ERROR]
    assert _format_findings(_party(campaign)) == {}  # the untouched sample has both
