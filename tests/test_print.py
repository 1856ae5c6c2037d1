"""The compiled draft and the workbook as they print: read back with python-docx and openpyxl,
and rendered by LibreOffice to PDF (pages counted and read)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.document import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from baocao.campaign.model import Campaign
from baocao.documents.compile import Compiled, compile_campaign
from baocao.documents.docx_writer import TABLE_STYLE, Body
from baocao.documents.draft_docx import TABLE_PT, TEXT_WIDTH_MM, export_docx, grid, setup_document, statistics
from baocao.documents.workbook import FIGURES_SHEET, FIRST_ROW, GROUPS_SHEET, STATUS_SHEET, export_xlsx
from baocao.status.judge import State

from .conftest import DemoSite
from .printing import page_count, page_texts, to_pdf

TECHNICAL = ("Markdown", "HTML", "YAML", "(dòng", "baocao", "submissions/", ".md", "front matter")


@pytest.fixture(scope="module")
def demo_compiled(campaign: Campaign, demo_site: DemoSite) -> Compiled:
    return compile_campaign(campaign, demo_site.root, as_of=datetime.fromisoformat(demo_site.as_of))


@pytest.fixture(scope="module")
def draft(demo_compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_docx(demo_compiled, tmp_path_factory.mktemp("print") / "du-thao.docx")


def _all_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


# --------------------------------------------------------------------------- Word, read back


def test_every_data_table_repeats_its_header_and_never_splits_a_row(draft: Path) -> None:
    document = open_docx(str(draft))
    grids = [t for t in document.tables if t.style is not None and t.style.name == TABLE_STYLE]
    assert len(grids) >= 4
    for table in grids:
        rows = [row._tr for row in table.rows]
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
        assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in rows[2:])  # only the header repeats


def test_no_technical_words_in_the_official_text(draft: Path, demo_compiled: Compiled) -> None:
    text = _all_text(open_docx(str(draft)))
    for word in TECHNICAL:
        assert word not in text, word
    invalid = demo_compiled.with_state(State.INVALID)
    assert invalid
    for a in invalid:  # named, with a plain reason
        assert re.search(rf"{re.escape(a.unit.name)} \(báo cáo [^)]+\)", text), a.unit.name


def test_table_columns_are_as_wide_as_their_longest_word(draft: Path) -> None:
    """No column is narrower than the widest word it holds (estimated at the table's size)."""
    from baocao.documents.docx_writer import CELL_PADDING_MM, EM_CAPITAL, EM_OTHER, MM_PER_PT

    document = open_docx(str(draft))
    for table in document.tables:
        if table.style is None or table.style.name != TABLE_STYLE or len(table.columns) < 3:
            continue
        for i, column in enumerate(table.columns):
            words = {w for cell in column.cells for w in cell.text.split()}
            widest = max(sum(EM_CAPITAL if ch.isupper() else EM_OTHER for ch in w) for w in words)
            assert column.width.mm + 0.01 >= widest * TABLE_PT * MM_PER_PT + CELL_PADDING_MM, (i, words)
        assert sum(c.width.mm for c in table.columns) == pytest.approx(TEXT_WIDTH_MM, abs=1)


# --------------------------------------------------------------------------- Word, printed


@pytest.fixture(scope="module")
def draft_pages(draft: Path) -> list[str]:
    return page_texts(to_pdf(draft))


def test_the_last_page_holds_more_than_the_signature(draft_pages: list[str], demo_compiled: Compiled) -> None:
    last = draft_pages[-1]
    assert "Nơi nhận" in last and "T/M BAN THƯỜNG VỤ" in last
    # the statistics table's last row ends the body right before the signature: it is on that page
    assert demo_compiled.indicators[-1].indicator.label.split()[-1] in last
    assert "Tổng cộng" in last or demo_compiled.indicators[-1].indicator.label in " ".join(last.split())


def test_a_long_table_repeats_its_header_on_page_two(tmp_path: Path) -> None:
    document = setup_document()
    doc = Body(document)
    header = ["STT", "Đơn vị", "Số vụ cháy (vụ)", "Thiệt hại tài sản (triệu đồng)"]
    rows = [[str(i), f"Đơn vị thứ {i}", str(i * 3), f"{i},5"] for i in range(1, 121)]
    grid(doc, header, rows)
    path = tmp_path / "bang.docx"
    document.save(str(path))
    pages = page_texts(to_pdf(path))
    assert len(pages) >= 3
    for page in pages[1:]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.isdigit()]  # the page number in the header
        assert body[:2] == ["STT", "Đơn vị"], body[:4]
    # every row printed whole: its three cells on one page
    for i in (40, 80, 120):
        holder = [p for p in pages if f"Đơn vị thứ {i}\n" in p + "\n"]
        assert len(holder) == 1 and f"{i * 3}" in holder[0] and f"{i},5" in holder[0]


def test_statistics_print_without_a_word_broken_inside(demo_compiled: Compiled, tmp_path: Path) -> None:
    """The appendix alone, printed: every word LibreOffice sets is a word of the document (a
    name or number cut at a column edge would print as fragments such as "chá" or "ST")."""
    document = setup_document()
    statistics(Body(document), demo_compiled)
    path = tmp_path / "phu-luc.docx"
    document.save(str(path))
    words = set(_all_text(document).split())
    printed = [w for page in page_texts(to_pdf(path)) for w in page.split()]
    fragments = sorted({w for w in printed if w not in words and not w.isdigit()})
    assert fragments == []
    for t in demo_compiled.indicators:  # the totals, whole
        from baocao import vn

        assert vn.number(t.total) in printed


# --------------------------------------------------------------------------- Excel


@pytest.fixture(scope="module")
def workbook_path(demo_compiled: Compiled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_xlsx(demo_compiled, tmp_path_factory.mktemp("xlsx") / "so-lieu.xlsx")


def test_every_sheet_prints_landscape_a4_fit_to_width_with_its_header_repeated(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == [STATUS_SHEET, FIGURES_SHEET, GROUPS_SHEET]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4 in the OOXML paper table
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == f"${FIRST_ROW - 1}:${FIRST_ROW - 1}"
        assert ws.freeze_panes == f"C{FIRST_ROW}"
        header = [c.value for c in ws[FIRST_ROW - 1] if c.value]
        for col, text in enumerate(header, 1):
            width = ws.column_dimensions[chr(64 + col)].width
            assert width >= min(max(len(w) for w in str(text).split()), 48), (ws.title, text, width)


def test_the_totals_stay_live_formulas(workbook_path: Path, demo_compiled: Compiled) -> None:
    ws = load_workbook(workbook_path)[FIGURES_SHEET]
    total_row = FIRST_ROW + len(demo_compiled.expected)
    assert ws.cell(total_row, 2).value == "Tổng cộng"
    for j in range(5, 5 + len(demo_compiled.indicators)):
        assert str(ws.cell(total_row, j).value).startswith("=SUM(")


def test_the_printed_workbook_keeps_every_column_of_a_sheet_on_one_page_width(
    workbook_path: Path, demo_compiled: Compiled
) -> None:
    """Printed by LibreOffice: the figures sheet's last column (its total, recomputed by the
    SUM formula) is on the sheet's first page, and every status page begins with the header."""
    pages = page_texts(to_pdf(workbook_path))
    assert len(pages) >= 3
    first_figures = next(i for i, p in enumerate(pages) if "Số liệu tổng hợp" in p)
    last_total = demo_compiled.indicators[-1].total
    assert f"{last_total:,}" in pages[first_figures].split()  # LibreOffice prints #,##0 in its en-US locale
    status_pages = pages[:first_figures]
    for page in status_pages[1:]:
        assert page.split()[:2] == ["STT", "Đơn"], page.split()[:4]
    assert page_count(workbook_path.with_suffix(".pdf")) == len(pages)
