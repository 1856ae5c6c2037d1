"""Word reports laid out as clerks really type them: one finding per problem (in Word terms),
a heading and its text in one paragraph, a signature block in capitals, no "BÁO CÁO" line,
and a statistics table with several number columns. Fixtures are generated with python-docx."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from baocao.campaign.model import Campaign
from baocao.checks.validation import check_report
from baocao.demo.word_sample import Sample, outline_sections, party_docx
from baocao.reports.outline import flatten
from baocao.reports.word.meta import OFFICES, Piece, office_case, read_signature

PATH = "submissions/huyen-uy-binh-son/bao-cao.docx"
TODAY = date(2022, 7, 1)
INTRO = "Thực hiện Công văn số 1055-CV/TU"


def typed(campaign: Campaign) -> dict[str, str]:
    return {ind.label: str(n + 1) for n, ind in enumerate(campaign.indicators)}


def sample(campaign: Campaign, **kw: object) -> Sample:
    base: dict[str, object] = {"sections": outline_sections(campaign.outline), "stats": typed(campaign)}
    return Sample(**{**base, **kw})  # type: ignore[arg-type]


def check(campaign: Campaign, data: bytes):
    return check_report(campaign, PATH, data, TODAY)


def edited(data: bytes, edit) -> bytes:
    doc = docx.Document(io.BytesIO(data))
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def remove(paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def segment_text(checked, entry_id: str) -> str:
    return next(s for s in checked.segments if s.entry and s.entry.id == entry_id).text(checked.report)


# --------------------------------------------------------------------------- one problem, one finding


def test_a_missing_signer_gives_only_the_word_finding_not_a_missing_key_too(campaign):
    checked = check(campaign, party_docx(sample(campaign, signer="")))
    assert [f.code for f in checked.findings] == ["D809"]
    assert "họ tên người ký" in checked.findings[0].message


def test_a_missing_statistics_table_gives_only_D808_not_N501(campaign):
    checked = check(campaign, party_docx(sample(campaign, stats={})))
    assert [f.code for f in checked.findings] == ["D808"]
    assert "Không tìm thấy bảng số liệu" in checked.findings[0].message


def test_a_statistics_table_without_a_number_column_is_one_finding_not_one_per_indicator(campaign):
    def drop_number_column(doc):
        for row in doc.tables[-1].rows:
            row._tr.remove(row.cells[-1]._tc)

    checked = check(campaign, edited(party_docx(sample(campaign)), drop_number_column))
    assert [f.code for f in checked.findings] == ["D806"]  # not N503 for each of the indicators as well
    assert "không có cột số liệu" in checked.findings[0].message


def test_without_a_header_block_the_statistics_are_still_checked(campaign):
    stats = typed(campaign)
    first = campaign.indicators[0]
    del stats[first.label]

    def drop_header(doc):
        doc.tables[0]._tbl.getparent().remove(doc.tables[0]._tbl)

    checked = check(campaign, edited(party_docx(sample(campaign, stats=stats)), drop_header))
    assert sorted(f.code for f in checked.findings) == ["D807", "D814", "N503"]  # D814: no Party header either
    assert first.id in next(f.message for f in checked.findings if f.code == "N503")
    assert checked.numbers[campaign.indicators[1].id] == 2


def test_markdown_reports_still_give_the_front_matter_findings(campaign):
    text = "---\ndon_vi: huyen-uy-binh-son\nngay: 2022-06-15\n---\n\n# BÁO CÁO\n"
    checked = check_report(campaign, "submissions/huyen-uy-binh-son/bao-cao.md", text.encode(), TODAY)
    codes = [f.code for f in checked.findings]
    assert codes.count("M303") == 2  # so_hieu and nguoi_ky
    assert "N501" in codes


# --------------------------------------------------------------------------- heading and text in one paragraph


@pytest.mark.parametrize("style", ["numbered", "headings", "plain"])
def test_a_numbered_heading_and_its_text_in_one_paragraph_are_split(campaign, style):
    def join(doc):
        paras = doc.paragraphs
        i = next(n for n, p in enumerate(paras) if p.text == "1. Ưu điểm")
        head, body = paras[i], paras[i + 1]
        head.add_run(":").bold = style == "numbered" or None
        head.add_run(" Công tác tuyên truyền được ")
        head.add_run("đẩy mạnh").italic = True
        head.add_run("; 8:00 sáng hằng ngày trực ban.")
        remove(body)

    checked = check(campaign, edited(party_docx(sample(campaign, style=style)), join))
    assert checked.findings == []
    assert [s.entry.id for s in checked.segments if s.entry] == [e.id for e in flatten(campaign.outline)]
    heading = next(h for h in checked.report.headings if h.text.startswith("1. Ưu"))
    assert (heading.level, heading.text) == (3, "1. Ưu điểm")
    assert segment_text(checked, "uu-diem") == "Công tác tuyên truyền được *đẩy mạnh*; 8:00 sáng hằng ngày trực ban."
    assert "Công tác tuyên truyền" not in segment_text(checked, "danh-gia-chung")
    assert "### 1. Ưu điểm\n\nCông tác tuyên truyền" in checked.report.body


def test_a_numbered_item_with_a_colon_that_matches_no_section_stays_text(campaign):
    def add_item(doc):
        target = next(p for p in doc.paragraphs if p.text.startswith("Nội dung về phương hướng"))
        target.insert_paragraph_before("1. Về tuyên truyền: tiếp tục đổi mới hình thức.")

    checked = check(campaign, edited(party_docx(sample(campaign)), add_item))
    assert checked.findings == []
    assert segment_text(checked, "phuong-huong").startswith("1. Về tuyên truyền: tiếp tục đổi mới hình thức.")


# --------------------------------------------------------------------------- title of office


@pytest.mark.parametrize(
    ("printed", "written"),
    [
        ("PHÓ BÍ THƯ THƯỜNG TRỰC", "Phó Bí thư Thường trực"),
        ("BÍ THƯ", "Bí thư"),
        ("PHÓ BÍ THƯ", "Phó Bí thư"),
        ("TRƯỞNG BAN", "Trưởng ban"),
        ("PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Phó Trưởng ban Thường trực"),
        ("CHỦ TỊCH UBND TỈNH", "Chủ tịch UBND tỉnh"),
        ("GIÁM ĐỐC", "Giám đốc"),
        ("TỔNG BIÊN TẬP", "Tổng Biên tập"),
        ("ỦY VIÊN BAN THƯỜNG VỤ", "Ủy viên Ban Thường vụ"),
        ("Phó bí thư", "Phó bí thư"),  # not all capitals: the document's own spelling
        ("Phó Bí thư Thường trực", "Phó Bí thư Thường trực"),
    ],
)
def test_a_title_of_office_in_capitals_is_written_in_vietnamese_title_case(printed, written):
    assert office_case(printed) == written
    sig = read_signature([Piece(t, n) for n, t in enumerate(["T/M BAN THƯỜNG VỤ", printed, "Nguyễn Văn An"], 1)])
    assert sig.chuc_vu is not None and sig.chuc_vu.text == written


def test_every_office_in_the_table_round_trips_from_capitals():
    for office in OFFICES:
        assert office_case(office.upper()) == office


def test_the_offices_table_is_documented_for_clerks():
    page = (Path(__file__).resolve().parent.parent / "docs" / "bao-cao-word.md").read_text(encoding="utf-8")
    assert all(office in page and office.upper() in page for office in OFFICES)


def test_a_signature_in_capitals_gives_the_title_in_title_case_in_the_report(campaign):
    checked = check(campaign, party_docx(sample(campaign, title="PHÓ BÍ THƯ THƯỜNG TRỰC", signer="TRẦN THỊ HOA")))
    assert checked.findings == []
    meta = checked.report.meta
    assert (meta["chuc_vu"], meta["nguoi_ky"]) == ("Phó Bí thư Thường trực", "Trần Thị Hoa")


# --------------------------------------------------------------------------- no "BÁO CÁO" line


@pytest.mark.parametrize("layout", ["table", "paragraphs"])
def test_without_a_bao_cao_line_the_introduction_is_kept_as_the_preamble(campaign, layout):
    def drop_title(doc):
        remove(next(p for p in doc.paragraphs if p.text == "BÁO CÁO"))

    checked = check(campaign, edited(party_docx(sample(campaign, layout=layout)), drop_title))
    assert checked.findings == []
    meta = checked.report.meta
    assert (meta["so_hieu"], meta["ngay"]) == ("45-BC/HU", date(2022, 6, 15))
    assert meta["tieu_de"].startswith("Sơ kết 01 năm")
    body = checked.report.body
    first_section = checked.segments[0].heading
    assert INTRO in checked.report.between(1, first_section.line)
    assert body.index(INTRO) < body.index("## I. TÌNH HÌNH")
    assert "Số 45-BC/HU" not in body and "ĐẢNG CỘNG SẢN" not in body  # the header block is not text


def test_without_header_or_title_the_introduction_is_still_kept(campaign):
    def drop(doc):
        doc.tables[0]._tbl.getparent().remove(doc.tables[0]._tbl)
        for p in list(doc.paragraphs):
            if p.text in ("BÁO CÁO", Sample.summary):
                remove(p)

    checked = check(campaign, edited(party_docx(sample(campaign)), drop))
    assert sorted(f.code for f in checked.findings) == ["D807", "D814"]
    assert checked.report.body.lstrip().startswith(INTRO)


# --------------------------------------------------------------------------- several number columns


def compare_table(campaign: Campaign, headers: list[str], columns: list[list[str]]) -> bytes:
    """A report whose statistics appendix has one number column per header."""

    def add(doc):
        p = doc.add_paragraph()
        p.add_run("PHỤ LỤC SỐ LIỆU").bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = doc.add_table(rows=1, cols=2 + len(headers))
        for cell, text in zip(table.rows[0].cells, ["STT", "Chỉ tiêu", *headers], strict=True):
            cell.text = text
        for n, ind in enumerate(campaign.indicators):
            row = [str(n + 1), ind.label, *(col[n] for col in columns)]
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text

    return edited(party_docx(sample(campaign, stats={})), add)


def values(campaign: Campaign, base: int) -> list[str]:
    return [str(base + n) for n in range(len(campaign.indicators))]


def read_column(campaign, checked) -> int:
    first = campaign.indicators[0].id
    return int(checked.numbers[first])


@pytest.mark.parametrize(
    ("headers", "chosen"),
    [
        (["Năm 2021", "Năm 2022"], 1),  # the campaign's year
        (["Năm 2022", "Năm 2021"], 0),
        (["Kế hoạch", "Kết quả"], 1),
        (["Số liệu", "So với cùng kỳ (%)"], 0),
        (["Nam", "Nữ", "Tổng cộng"], 2),
    ],
)
def test_a_column_named_for_the_period_or_as_the_result_is_read_without_a_warning(campaign, headers, chosen):
    columns = [values(campaign, 100 * (i + 1)) for i in range(len(headers))]
    checked = check(campaign, compare_table(campaign, headers, columns))
    assert checked.findings == []
    assert read_column(campaign, checked) == 100 * (chosen + 1)


@pytest.mark.parametrize(
    ("headers", "chosen", "years"),
    [
        (["Năm 2020", "Năm 2021"], 1, True),
        (["Năm 2019", "Năm 2020", "Năm 2021"], 2, True),
        (["Kỳ trước", "Kỳ này"], 1, False),
    ],
)
def test_an_ambiguous_comparison_reads_the_rightmost_column_and_warns_D810(campaign, headers, chosen, years):
    columns = [values(campaign, 100 * (i + 1)) for i in range(len(headers))]
    checked = check(campaign, compare_table(campaign, headers, columns))
    assert [f.code for f in checked.findings] == ["D810"]
    assert checked.ok  # a warning: the figures are read
    assert read_column(campaign, checked) == 100 * (chosen + 1)
    message = checked.findings[0].message
    assert f"đã đọc cột “{headers[chosen]}”" in message
    assert all(f"“{h}”" in message for h in headers)
    assert ("ghi năm" in message) == years
    assert "“Số liệu”" in message and "Năm 2022" in message


@pytest.mark.parametrize(("years", "chosen", "warned"), [(("2021", "2022"), 1, False), (("2020", "2021"), 1, True)])
def test_a_merged_so_lieu_header_over_year_columns_counts_for_each_column(campaign, years, chosen, warned):
    def add(doc):
        table = doc.add_table(rows=2, cols=4)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "STT", "Chỉ tiêu"
        merged = table.rows[0].cells[2].merge(table.rows[0].cells[3])
        merged.text = "Số liệu"
        table.rows[1].cells[2].text, table.rows[1].cells[3].text = (f"Năm {y}" for y in years)
        for n, ind in enumerate(campaign.indicators):
            for cell, text in zip(
                table.add_row().cells, [str(n + 1), ind.label, str(100 + n), str(200 + n)], strict=True
            ):
                cell.text = text

    data = edited(party_docx(sample(campaign, stats={})), add)
    assert len(docx.Document(io.BytesIO(data)).tables[-1].rows[0]._tr.tc_lst) == 3  # really merged
    checked = check(campaign, data)
    assert [f.code for f in checked.findings] == (["D810"] if warned else [])
    assert read_column(campaign, checked) == 100 * (chosen + 1)
    if warned:
        assert f"“Số liệu Năm {years[1]}”" in checked.findings[0].message
