"""The compiled outline as a Word draft laid out to the Party document format
(Hướng dẫn 36-HD/VPTW): A4, margins 25/25/35/15 mm, Times New Roman throughout, header
block, "BÁO CÁO" and its summary line, body 14 pt, page numbers from page 2, signature
block and "Nơi nhận:".

Real Word styles (Heading 1–3, Table Grid, Normal) carry the formatting, so the office can
restyle the draft instead of fighting direct formatting. ``remind`` reuses the letterhead.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from baocao import vn
from baocao.campaign.model import Campaign, Stage, Unit
from baocao.documents.compile import DOCUMENTS_HEADING, Block, Compiled, carrying_out
from baocao.documents.docx_writer import (
    TABLE_STYLE,
    Body,
    add_markdown,
    body_paragraph,
    content_widths,
    rows_print_whole,
    set_cell_text,
    styled_run,
)
from baocao.documents.draft_markdown import (
    OWN_LABEL,
    SHARED_LABEL,
    group_table,
    indicator_chunks,
    indicator_header,
    not_reported_lines,
    shared_lines,
    signed_originals,
    status_lines,
    totals_line,
)
from baocao.escape.word import text as word_text

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
CELL_STYLE = "Table Text"
MARGINS_MM = {"top": 25, "bottom": 25, "left": 35, "right": 15}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADINGS = {1: ("Heading 1", True, False), 2: ("Heading 2", True, False), 3: ("Heading 3", True, True)}
_BODY_PREFIXES = ("Tỉnh ủy", "Thành ủy", "Thị ủy", "Huyện ủy", "Đảng ủy")


# --------------------------------------------------------------------------- letterhead


@dataclass(frozen=True)
class Letterhead:
    """Who issues the draft and to whom it goes (derived from the campaign; a draft to edit)."""

    parent: str  # "TỈNH ỦY QUẢNG NGÃI"
    body: str  # "ĐẢNG ỦY CÔNG AN TỈNH"
    name: str  # "Đảng ủy Công an tỉnh", as running text writes it
    symbol: str  # "ĐU", as in "Số    -BC/ĐU"
    place: str  # "Quảng Ngãi"
    year: int
    recipients: list[str] = field(default_factory=list)

    def number(self, kind: str) -> str:
        return f"Số      -{kind}/{self.symbol}"

    @property
    def place_date(self) -> str:
        return f"{self.place}, ngày     tháng     năm {self.year}"


def compiling_unit(campaign: Campaign, stage: Stage) -> Unit | None:
    """The unit that compiles ``stage``: the single unit of the stage after it (1055-CV/TU:
    the units report, then Đảng ủy Công an tỉnh submits the draft)."""
    later = campaign.stages[campaign.stages.index(stage) + 1 :]
    for s in later:
        if s.units != "all" and len(s.units) == 1 and s.units[0] in campaign.unit_by_id:
            return campaign.unit_by_id[s.units[0]]
    return None


def _initials(name: str) -> str:
    """'Đảng ủy Công an tỉnh' -> 'ĐU' (the symbol after the document kind)."""
    return "".join(unicodedata.normalize("NFD", w[0])[0] for w in name.split()[:2]).upper()


def _recipients(to: str) -> list[str]:
    """'Thường trực Tỉnh ủy (đồng gửi Ban Nội chính Tỉnh ủy)' -> both, as 'Nơi nhận' lines."""
    out = []
    for part in re.split(r"[();]", to):
        part = re.sub(r"^\s*(?:đồng gửi|qua)\s+", "", part.strip())
        if part:
            out.append(part)
    return out


def letterhead(campaign: Campaign, stage: Stage, year: int) -> Letterhead:
    issuer = campaign.directive.issuer
    unit = compiling_unit(campaign, stage)
    body = unit.name if unit else issuer
    place = issuer
    for prefix in _BODY_PREFIXES:
        place = place.removeprefix(prefix).strip()
    later = campaign.stages[campaign.stages.index(stage) + 1 :]
    to = later[0].to if later else stage.to
    return Letterhead(issuer.upper(), body.upper(), body, _initials(body), place, year, _recipients(to))


# --------------------------------------------------------------------------- styles


def _fonts(style: BaseStyle | None, element: object | None = None) -> None:
    """Times New Roman for every script (ascii, hAnsi, east-asian, complex), theme fonts dropped."""
    rpr: Any = element if element is not None else style.element.get_or_add_rPr()  # type: ignore[union-attr]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)


def setup_document() -> Document:
    """An empty A4 document with the Party margins and restyled Word styles."""
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.header_distance = section.footer_distance = Mm(12)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _fonts(None, defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = doc.styles["Normal"]
    _fonts(normal)
    normal.font.size = Pt(BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(3), Pt(3), 1.15
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for level, (name, bold, italic) in HEADINGS.items():
        h = doc.styles[name]
        _fonts(h)
        h.font.size = Pt(BODY_PT)
        h.font.bold, h.font.italic = bold, italic
        h.font.color.rgb = RGBColor(0, 0, 0)
        h.paragraph_format.space_before, h.paragraph_format.space_after = Pt(6), Pt(3)
        h.paragraph_format.first_line_indent = Mm(10) if level > 1 else None
        h.paragraph_format.keep_with_next = True
    grid = doc.styles[TABLE_STYLE]
    _fonts(grid)
    grid.font.size = Pt(TABLE_PT)
    # Cell text: a paragraph style of its own (Normal's 14 pt and first-line indent would win
    # over the table style's 12 pt), so the office can restyle every table at once.
    cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(TABLE_PT)
    cell.paragraph_format.first_line_indent = Mm(0)
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(1)
    cell.paragraph_format.line_spacing = 1.0
    page_numbers(doc)
    return doc


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def page_numbers(doc: Document) -> None:
    """A PAGE field centred in the header of every page but the first."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(para, "PAGE")


# --------------------------------------------------------------------------- blocks


def _line(cell_or_doc: object, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
          align: int = WD_ALIGN_PARAGRAPH.CENTER, first: bool = False) -> Paragraph:  # fmt: skip
    para = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()  # type: ignore[attr-defined]
    para.alignment = align
    para.paragraph_format.first_line_indent = None
    para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.line_spacing = 1.0
    run = para.add_run(word_text(text))
    run.font.size = Pt(size)
    run.bold, run.italic = bold or None, italic or None
    return para


def _layout_table(doc: Body, widths_mm: tuple[float, float]) -> Table:
    """A borderless two-column table whose row never breaks across pages."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for column, cell, w in zip(table.columns, table.rows[0].cells, widths_mm, strict=True):
        column.width = cell.width = Mm(w)  # gridCol for LibreOffice, tcW for Word
    return table


def header_block(doc: Body, head: Letterhead, kind: str, subject: str | None = None) -> Table:
    """Issuing body and number on the left, the Party's name and place/date on the right."""
    table = _layout_table(doc, (68, TEXT_WIDTH_MM - 68))
    left, right = table.rows[0].cells
    _line(left, head.parent, first=True)
    _line(left, head.body, bold=True)
    _line(left, "*")
    _line(left, head.number(kind))
    if subject:
        _line(left, subject, size=12, italic=True)
    party = _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, first=True)
    party.runs[0].underline = True
    _line(right, "")
    _line(right, head.place_date, italic=True)
    return table


def title_block(doc: Body, kind: str, summary: str) -> None:
    _line(doc, "")
    _line(doc, kind, size=16, bold=True)
    _line(doc, summary, bold=True)
    _line(doc, "-----")


def signature_block(doc: Body, head: Letterhead, on_behalf: str = "T/M BAN THƯỜNG VỤ", title: str = "BÍ THƯ") -> Table:
    """'Nơi nhận:' on the left, the signature on the right, kept on the page of the paragraph
    before it (never alone on a last page): that paragraph and the blank line keep with next,
    and the table's row does not split."""
    if isinstance(doc, Body):
        doc.keep_tail_with_next()
    _line(doc, "").paragraph_format.keep_with_next = True
    table = _layout_table(doc, (80, TEXT_WIDTH_MM - 80))
    left, right = table.rows[0].cells
    # Party documents underline "Nơi nhận:" (14, bold) and list the recipients in 12.
    received = _line(left, "Nơi nhận:", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    received.runs[0].underline = True
    for line in [*head.recipients, "Lưu VT."]:
        end = "" if line.endswith(".") else ","
        _line(left, f"- {line}{end}", size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, on_behalf, bold=True, first=True)
    _line(right, title, bold=True)
    for _ in range(4):
        _line(right, "")
    _line(right, "(Ký, ghi rõ họ tên)", italic=True)
    return table


def grid(doc: Body, header: list[str], rows: list[list[str]], *, bold_last: bool = False) -> Table:
    """A data table in the Table Grid style, printed as an office prints one: column widths from
    the content (no name or number broken inside), the header row repeated on every page, no
    row split across pages; the first two columns text, the rest numbers (right-aligned);
    header and total row bold."""
    table = doc.add_table(rows=0, cols=len(header))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    columns = [[r[i] for r in [header, *rows]] for i in range(len(header))]
    widths = [Mm(w) for w in content_widths(columns, TEXT_WIDTH_MM, TABLE_PT)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    # One row of each kind is made through python-docx; the others are copies of it with their
    # own text: python-docx's setters cost ~0.5 ms a cell, minutes for a 5,000-unit appendix.
    templates: dict[tuple[bool, bool], Any] = {}
    for r, values in enumerate([header, *rows]):
        kind = (r == 0, r == 0 or (bold_last and r == len(rows)))
        if kind in templates:
            tr = deepcopy(templates[kind])
            table._tbl.append(tr)
            cells = [Paragraph(p, table) for p in tr.iter(qn("w:p"))]
        else:
            row = table.add_row()
            cells = []
            for col, cell in enumerate(row.cells):
                cell.width = widths[col]
                para = cell.paragraphs[0]
                if isinstance(doc, Body):
                    doc.set_style(para, CELL_STYLE)
                else:  # python-docx's own Document (the tests compare the two)
                    para.style = CELL_STYLE
                right = WD_ALIGN_PARAGRAPH.RIGHT if col >= 2 else WD_ALIGN_PARAGRAPH.LEFT
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else right
                cells.append(para)
            templates[kind] = deepcopy(row._tr)
        for para, text in zip(cells, values, strict=True):
            set_cell_text(para, text, bold=kind[1])
    rows_print_whole(table, 1)
    return table


# --------------------------------------------------------------------------- the draft


def _intro(c: Compiled, head: Letterhead) -> str:
    return (
        f"{carrying_out(c.campaign)}, trên cơ sở báo cáo của "
        f"{c.summary.replace(' đã nộp', '')} (số liệu tính đến {vn.when(c.as_of, c.campaign.tz)}), "
        f"{head.name} tổng hợp như sau:"
    )


def statistics(doc: Body, c: Compiled) -> None:
    doc.add_heading("PHỤ LỤC: SỐ LIỆU", level=1)
    doc.add_heading("1. Số liệu theo đơn vị", level=2)
    names = [s.unit.name for s in c.sources]
    for chunk in indicator_chunks(c):
        header = ["STT", "Đơn vị", *(indicator_header(t.indicator) for t in chunk)]
        rows = [
            [str(i), name, *(vn.number(t.values.get(s.unit.id)) for t in chunk)]
            for i, (name, s) in enumerate(zip(names, c.sources, strict=True), 1)
        ]
        rows.append(["", "Tổng cộng", *(vn.number(t.total) for t in chunk)])
        grid(doc, header, rows, bold_last=True)
        body_paragraph(doc, indent=False)
    for line in not_reported_lines(c):
        p = body_paragraph(doc)
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a list of names: justified, its spaces would stretch
        p.add_run(word_text(line)).italic = True
    doc.add_heading("2. Tổng hợp theo nhóm đơn vị", level=2)
    header, rows = group_table(c)
    grid(doc, header, rows)


def unit_block(doc: Body, b: Block) -> None:
    """The unit's name and document, then its text."""
    p = body_paragraph(doc)
    styled_run(p, b.source.unit.name, bold=True)
    styled_run(p, f" ({b.source.reference}):", italic=True)
    add_markdown(doc, b.text)


def build_docx(c: Compiled) -> Document:
    head = letterhead(c.campaign, c.stage, c.as_of.year)
    document = setup_document()
    doc = Body(document)
    header_block(doc, head, "BC")
    title_block(doc, "BÁO CÁO", c.campaign.campaign.title)
    body_paragraph(doc).add_run(word_text(_intro(c, head)))
    signed = signed_originals(c)
    extra = [("Bản ký số đã xác minh", f"{len(signed)} đơn vị: {', '.join(u.name for u in signed)}")] if signed else []
    for label, text in [*status_lines(c), *extra]:
        p = body_paragraph(doc)
        p.add_run(word_text(f"{label}: ")).bold = True
        p.add_run(word_text(f"{text}."))
    if c.documents:
        doc.add_heading(DOCUMENTS_HEADING, level=1)
        for b in c.documents:
            unit_block(doc, b)
    for sec in c.sections:
        doc.add_heading(sec.entry.heading, level=min(sec.entry.depth, 3))
        totals = totals_line(c, sec)
        if totals:
            body_paragraph(doc).add_run(word_text(totals + "."))
        if sec.shared:
            if sec.blocks:
                styled_run(body_paragraph(doc), f"{SHARED_LABEL}:", italic=True)
            add_markdown(doc, "\n".join(f"- {line}" for line in shared_lines(c, sec)))
            if sec.blocks:
                styled_run(body_paragraph(doc), f"{OWN_LABEL}:", italic=True)
        for b in sec.blocks:
            unit_block(doc, b)
        if sec.nothing:
            p = body_paragraph(doc)
            styled_run(p, "Không có: ", italic=True)
            p.add_run(word_text(", ".join(s.unit.name for s in sec.nothing) + "."))
    if c.indicators:
        statistics(doc, c)
    signature_block(doc, head)
    return document


def export_docx(c: Compiled, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_docx(c).save(str(path))
    return path
