"""Word reports as clerks write them, generated with python-docx: for the demo campaign and
for the tests of the Word reader. Party document format (Hướng dẫn 36-HD/VPTW): the header as a
borderless two-column table, "BÁO CÁO" and its summary line, the sections, the signature block
beside "Nơi nhận:", and the statistics appendix as a table.

``style`` chooses how the sections are marked, as real documents do it:
- "headings": Word's Heading 1/Heading 2 styles;
- "numbered": plain paragraphs typed "I. ..." / "1. ...", bold, no style;
- "plain": the same numbered paragraphs, not bold;
and ``layout`` the header/signature: "table" (two-column tables) or "paragraphs".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from baocao.reports.outline import strip_numbering


@dataclass
class Sample:
    issuer: str = "HUYỆN ỦY BÌNH SƠN"
    unit_name: str = "Huyện ủy Bình Sơn"
    parent: str = "TỈNH ỦY QUẢNG NGÃI"
    so_hieu: str = "45-BC/HU"
    place: str = "Bình Sơn"
    day: date = date(2022, 6, 15)
    summary: str = "Sơ kết 01 năm thực hiện Kết luận số 02-KL/TW về phòng cháy, chữa cháy"
    # (heading as in the outline, depth 1 or 2, paragraphs of text)
    sections: list[tuple[str, int, list[str]]] = field(default_factory=list)
    # indicator label -> the cell text as typed ("1.234", "12,5")
    stats: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # indicator label -> unit, shown in a column
    authority: str = "T/M BAN THƯỜNG VỤ"
    title: str = "BÍ THƯ"
    signer: str = "Nguyễn Văn An"
    recipients: tuple[str, ...] = ("Ban Thường vụ Tỉnh ủy (báo cáo),", "Đảng ủy Công an tỉnh,", "Lưu Văn phòng.")
    style: str = "numbered"
    layout: str = "table"


def _font(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin, section.right_margin = Cm(3.5), Cm(1.5)


def _line(container, text: str, *, bold: bool = False, italic: bool = False, center: bool = True, size: int = 14):
    p = container.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _header(doc: DocxDocument, s: Sample) -> None:
    date_line = f"{s.place}, ngày {s.day.day} tháng {s.day.month} năm {s.day.year}"
    if s.layout == "paragraphs":
        _line(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15)
        _line(doc, s.parent)
        _line(doc, s.issuer, bold=True)
        _line(doc, "*")
        _line(doc, f"Số {s.so_hieu}")
        _line(doc, date_line, italic=True)
        return
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].text = s.parent
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(left, s.issuer, bold=True)
    _line(left, "*")
    _line(left, f"Số {s.so_hieu}")
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(right, "–––––")
    _line(right, date_line, italic=True)


def _sections(doc: DocxDocument, s: Sample) -> None:
    for heading, depth, paragraphs in s.sections:
        if s.style == "headings":
            doc.add_heading(heading, level=depth)
        else:
            p = doc.add_paragraph()
            p.add_run(heading).bold = s.style == "numbered" or None
        for text in paragraphs:
            if text.startswith("- "):
                doc.add_paragraph(text)
            elif text.startswith("**") and text.endswith("**"):
                doc.add_paragraph().add_run(text.strip("*")).bold = True
            else:
                p = doc.add_paragraph(text)
                p.paragraph_format.first_line_indent = Cm(1)


def _signature(doc: DocxDocument, s: Sample) -> None:
    if s.layout == "paragraphs":
        _line(doc, s.authority, bold=True)
        _line(doc, s.title, bold=True)
        _line(doc, "(Đã ký)", italic=True)
        _line(doc, s.signer, bold=True)
        doc.add_paragraph().add_run("Nơi nhận:").bold = True
        for r in s.recipients:
            doc.add_paragraph(f"- {r}")
        return
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for r in s.recipients:
        left.add_paragraph(f"- {r}")
    right.paragraphs[0].add_run(s.authority).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(right, s.title, bold=True)
    _line(right, "")
    _line(right, "")
    _line(right, s.signer, bold=True)


def _appendix(doc: DocxDocument, s: Sample) -> None:
    if not s.stats:
        return
    _line(doc, "PHỤ LỤC SỐ LIỆU", bold=True)
    _line(doc, f"(Kèm theo Báo cáo số {s.so_hieu})", italic=True)
    cols = 4 if s.units else 3
    table = doc.add_table(rows=1, cols=cols)
    table.style = "Table Grid"
    header = ["STT", "Chỉ tiêu", *(["Đơn vị tính"] if s.units else []), "Số liệu"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for n, (label, value) in enumerate(s.stats.items(), 1):
        row = [str(n), label, *([s.units.get(label, "")] if s.units else []), value]
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def party_docx(s: Sample) -> bytes:
    """The .docx bytes of sample ``s``."""
    doc = Document()
    _font(doc)
    _header(doc, s)
    _line(doc, "")
    _line(doc, "BÁO CÁO", bold=True, size=16)
    _line(doc, s.summary, bold=True)
    _line(doc, "-----")
    intro = "Thực hiện Công văn số 1055-CV/TU ngày 06/6/2022 của Ban Thường vụ Tỉnh ủy, "
    doc.add_paragraph(intro + f"{s.unit_name} báo cáo như sau:")
    _sections(doc, s)
    _signature(doc, s)
    _appendix(doc, s)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def outline_sections(campaign_outline, text_for=None) -> list[tuple[str, int, list[str]]]:
    """Every outline section with a paragraph of text (for samples that pass the check)."""
    out: list[tuple[str, int, list[str]]] = []

    def walk(sections, depth: int) -> None:
        for sec in sections:
            topic = strip_numbering(sec.heading).lower()
            body = [] if sec.sections else [text_for(sec) if text_for else f"Nội dung về {topic}."]
            out.append((sec.heading, depth, body))
            walk(sec.sections, depth + 1)

    walk(campaign_outline, 1)
    return out
