"""The Word draft: opened with python-docx, and rendered by LibreOffice to PDF."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from baocao.campaign.model import Campaign
from baocao.documents.compile import Compiled, compile_campaign
from baocao.documents.docx_writer import MD, Body, add_markdown, styled_run
from baocao.documents.draft_docx import export_docx, grid, header_block, letterhead, setup_document
from baocao.documents.draft_markdown import COLUMNS_PER_TABLE, not_reported_lines, render_markdown, status_lines
from baocao.reports.outline import flatten

from .compile_data import INVALID_UNIT, Landing, expected_totals, vn_number
from .conftest import DemoSite, require_program

FONT = "Times New Roman"


@pytest.fixture(scope="module")
def draft(compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_docx(compiled, tmp_path_factory.mktemp("out") / "du-thao.docx")


@pytest.fixture(scope="module")
def document(draft: Path) -> Document:
    return docx.Document(str(draft))


def fonts_of(element: object) -> dict[str, str]:
    rpr = element.find(qn("w:rPr")) if element.tag != qn("w:rPr") else element  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def test_page_is_a4_with_party_margins(document: Document) -> None:
    s = document.sections[0]
    size = [s.page_width.mm, s.page_height.mm]
    margins = [s.top_margin.mm, s.bottom_margin.mm, s.left_margin.mm, s.right_margin.mm]
    assert size == pytest.approx([210, 297], abs=0.05)  # Word stores twentieths of a point
    assert margins == pytest.approx([25, 25, 35, 15], abs=0.05)


def test_times_new_roman_everywhere_including_east_asian(document: Document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    styles = ["Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid"]
    for fonts in [fonts_of(defaults), *(fonts_of(document.styles[n].element) for n in styles)]:
        assert {fonts.get(k) for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
        assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts)
    assert document.styles["Normal"].font.size == Pt(14)
    explicit = {r.font.name for p in document.paragraphs for r in p.runs} - {None}
    assert explicit <= {FONT}


def test_outline_uses_real_heading_styles_in_order(campaign: Campaign, document: Document) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    outline = [(f"Heading {min(e.depth, 3)}", e.heading) for e in flatten(campaign.outline)]
    assert headings[: len(outline)] == outline
    assert ("Heading 1", "PHỤ LỤC: SỐ LIỆU") in headings
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.font.bold and style.font.size == Pt(14)
        assert str(style.font.color.rgb) == "000000"


def test_header_block_title_and_signature(document: Document) -> None:
    header = document.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs]
    right = [p.text for p in header.cell(0, 1).paragraphs]
    assert left[:3] == ["TỈNH ỦY QUẢNG NGÃI", "ĐẢNG ỦY CÔNG AN TỈNH", "*"]
    assert left[3].startswith("Số ") and left[3].endswith("-BC/ĐU")
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    party = header.cell(0, 1).paragraphs[0].runs[0]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.bold and party.font.size == Pt(15)
    place = next(p for p in header.cell(0, 1).paragraphs if p.text.startswith("Quảng Ngãi, ngày"))
    assert place.runs[0].italic and place.text.endswith("năm 2022")
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size == Pt(16)
    texts = [p.text for p in document.paragraphs]
    summary = texts[texts.index("BÁO CÁO") + 1]
    assert summary.startswith("Sơ kết 01 năm thực hiện Kết luận số 02-KL/TW")
    signature = document.tables[-1]
    assert signature.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    recipients = [p.text for p in signature.cell(0, 0).paragraphs[1:]]
    assert recipients == ["- Thường trực Tỉnh ủy,", "- Ban Nội chính Tỉnh ủy,", "- Lưu VT."]
    assert [p.text for p in signature.cell(0, 1).paragraphs][:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


def test_page_number_field_from_page_two(document: Document) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    instructions = [el.text for el in section.header._element.iter(qn("w:instrText"))]
    assert [x.strip() for x in instructions] == ["PAGE"]
    assert not section.first_page_header.paragraphs[0].text


def test_statistics_tables_carry_the_totals_of_the_front_matter(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], document: Document
) -> None:
    counted = {x.unit for x in compile_history[1]} - {INVALID_UNIT}
    expected = expected_totals(compile_history[1], counted)
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    totals: list[float] = []
    for table in grids:
        last = [c.text for c in table.rows[-1].cells]
        if last[1] == "Tổng cộng":
            assert all(r.bold for r in table.rows[-1].cells[2].paragraphs[0].runs)
            totals += [vn_number(x) for x in last[2:]]
    assert totals == pytest.approx([expected[i.id] for i in campaign.indicators])
    group_table = grids[-1]
    assert [c.text for c in group_table.rows[0].cells][-1] == "Tổng cộng"
    assert [vn_number(r.cells[-1].text) for r in group_table.rows[1:]] == pytest.approx(
        [expected[i.id] for i in campaign.indicators]
    )


def test_each_counted_unit_is_introduced_with_its_document(campaign: Campaign, document: Document) -> None:
    intros = [p for p in document.paragraphs if p.runs and p.runs[0].bold and "(Báo cáo số" in p.text]
    names = {p.runs[0].text for p in intros}
    counted = {"Thành ủy Quảng Ngãi", "Huyện ủy Ba Tơ", "Huyện ủy Lý Sơn", "Đảng ủy Quân sự tỉnh"}
    assert names <= counted and names  # a unit whose every sentence is shared has no block of its own
    shared = [p.text for p in document.paragraphs if p.text.startswith("- ") and p.text.endswith(").")]
    for name in counted - names:
        assert any(name in t.rsplit(" (", 1)[1] or "tất cả" in t.rsplit(" (", 1)[1] for t in shared), name
    assert "Báo Quảng Ngãi" not in names


def _markdown_blocks(text: str) -> tuple[int, int]:
    """(paragraphs, tables) that Markdown ``text`` makes in Word: one paragraph per paragraph,
    heading or list item, per line of code and per rule; table cells hold their own paragraphs."""
    paragraphs = tables = depth = 0
    for t in MD.parse(text):
        if t.type == "table_open":
            tables, depth = tables + 1, depth + 1
        elif t.type == "table_close":
            depth -= 1
        elif depth:
            continue
        elif t.type == "inline" or t.type == "hr":
            paragraphs += 1
        elif t.type in ("fence", "code_block"):
            paragraphs += len(t.content.rstrip("\n").split("\n"))
    return paragraphs, tables


def test_draft_body_holds_the_compiled_outline_in_order_with_section_properties_last(
    compiled: Compiled, document: Document
) -> None:
    """Every paragraph and table goes before the body's closing w:sectPr (one, and last), in the
    order of the compiled outline, and the body has exactly the paragraphs and tables it implies."""
    body = list(document.element.body)
    assert body[-1].tag == qn("w:sectPr") and [e.tag for e in body].count(qn("w:sectPr")) == 1
    assert {e.tag for e in body[:-1]} == {qn("w:p"), qn("w:tbl")}
    blocks = [b for sec in compiled.sections for b in sec.blocks] + list(compiled.documents)
    assert blocks
    headings = [s.entry.heading for s in compiled.sections]
    appendix = ["PHỤ LỤC: SỐ LIỆU", "1. Số liệu theo đơn vị", "2. Tổng hợp theo nhóm đơn vị"]
    assert [p.text for p in document.paragraphs if p.style.name.startswith("Heading")] == headings + appendix
    intros = [f"{b.source.unit.name} ({b.source.reference}):" for b in blocks]
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if t in set(intros)] == intros
    from_reports = [_markdown_blocks(b.text) for b in blocks]
    chunks = -(-len(compiled.indicators) // COLUMNS_PER_TABLE)
    paragraphs = (
        4  # blank line, BÁO CÁO, summary, -----
        + 1  # introduction
        + len(status_lines(compiled))
        + len(headings)
        + sum(1 + p for p, _ in from_reports)
        + sum(1 for s in compiled.sections if s.nothing)
        + sum(1 for s in compiled.sections if s.totals)  # the totals opening a section
        + sum(len(s.shared) + (2 if s.blocks else 0) for s in compiled.sections if s.shared)  # + the two labels
        + len(appendix)
        + chunks  # a blank line after each statistics table
        + len(not_reported_lines(compiled))
        + 1  # blank line before the signature
    )
    assert len(document.paragraphs) == paragraphs
    assert len(document.tables) == 2 + sum(t for _, t in from_reports) + chunks + 1


def test_appending_at_the_body_end_writes_what_python_docx_writes(compiled: Compiled) -> None:
    """Body (constant-time appends) and python-docx's own Document.add_* give the same XML for
    the letterhead, headings, Markdown with lists and tables, and a statistics grid."""
    head = letterhead(compiled.campaign, compiled.stage, 2022)
    fast, slow = setup_document(), setup_document()
    for target in (Body(fast), slow):
        header_block(target, head, "BC", subject="V/v thử")  # type: ignore[arg-type]
        target.add_heading("I. Mục thử", level=1)
        add_markdown(target, render_markdown(compiled) + "\n| A | B |\n|---|---|\n| 1 | 2 |\n\n---\n")  # type: ignore[arg-type]
        grid(target, ["STT", "Đơn vị", "Số vụ"], [["1", "Xã A", "3"], ["", "Tổng cộng", "3"]])  # type: ignore[arg-type]
    assert len(fast.tables) == len(slow.tables) >= 3
    assert fast.element.xml == slow.element.xml


def test_styled_run_is_the_run_python_docx_writes() -> None:
    """A copied run template gives the XML of add_run + .bold/.italic, for every style and for
    text with edge spaces (xml:space), tabs and line breaks (w:tab, w:br) or nothing at all."""
    texts = ["Huyện ủy Ba Tơ", " (Báo cáo số 12-BC/HU):", "a\tb", "dòng 1\ndòng 2", "", "x "]
    fast, slow = setup_document(), setup_document()
    p, q = Body(fast).add_paragraph(), slow.add_paragraph()
    for text in texts:
        for bold in (False, True):
            for italic in (False, True):
                styled_run(p, text, bold=bold, italic=italic)
                run = q.add_run(text)
                run.bold, run.italic = bold or None, italic or None
    assert len(p.runs) == len(texts) * 4 and p.runs[1].italic and p.runs[2].bold
    assert fast.element.xml == slow.element.xml


@pytest.mark.slow
def test_libreoffice_renders_the_demo_draft_to_a_few_pages(
    campaign: Campaign, demo_site: DemoSite, tmp_path: Path
) -> None:
    require_program("soffice", "libreoffice-writer")
    require_program("pdftotext", "poppler-utils")
    as_of = datetime.fromisoformat(demo_site.as_of)
    draft = export_docx(compile_campaign(campaign, demo_site.root, as_of=as_of), tmp_path / "du-thao.docx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(draft),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "du-thao.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 20 <= pages <= 90
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    # pdftotext may split a justified line's words inside a syllable ("đ ơn v ị"): compare without spaces.
    flat = "".join(first.split())
    for text in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY CÔNG AN TỈNH", "BÁO CÁO", "24/28 đơn vị"):
        assert "".join(text.split()) in flat
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert second.split()[0] == "2"  # the page number, in the header, from page 2 on
    last = subprocess.run(
        ["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "T/M BAN THƯỜNG VỤ" in last and "Nơi nhận:" in last
