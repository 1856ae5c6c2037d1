"""Word (.docx) reports: real documents generated with python-docx (and one converted by
LibreOffice) read back to the sections, front matter and numbers a Markdown report gives."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from baocao.campaign.model import Campaign
from baocao.checks.validation import check_report, check_tree
from baocao.cli import main
from baocao.demo.word_sample import Sample, outline_sections, party_docx
from baocao.demo.word_units import WORD_UNITS, word_submissions
from baocao.documents.compile import Source, compile_reports
from baocao.documents.draft_docx import export_docx
from baocao.reports.outline import flatten
from baocao.reports.report import MD, parse_markdown
from baocao.reports.word.parse import parse_docx
from baocao.site.core import attachments_in
from tests.conftest import require_program

ROOT = Path(__file__).resolve().parent.parent
PATH = "submissions/huyen-uy-binh-son/bao-cao.docx"
TODAY = date(2022, 7, 1)


def typed(campaign: Campaign) -> dict[str, str]:
    """What a clerk types in the statistics table: Vietnamese notation."""
    out = {}
    for n, ind in enumerate(campaign.indicators):
        out[ind.label] = "1.234" if n == 0 else ("12,5" if ind.type == "number" else str(n))
    return out


def expected_numbers(campaign: Campaign) -> dict[str, int | float]:
    out: dict[str, int | float] = {}
    for n, ind in enumerate(campaign.indicators):
        out[ind.id] = 1234 if n == 0 else (12.5 if ind.type == "number" else n)
    return out


def sample(campaign: Campaign, **kw: object) -> Sample:
    base: dict[str, object] = {"sections": outline_sections(campaign.outline), "stats": typed(campaign)}
    return Sample(**{**base, **kw})  # type: ignore[arg-type]


def check(campaign: Campaign, data: bytes, path: str = PATH):
    return check_report(campaign, path, data, TODAY)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


# --------------------------------------------------------------------------- reading back


@pytest.mark.parametrize("layout", ["table", "paragraphs"])
@pytest.mark.parametrize("style", ["headings", "numbered", "plain"])
def test_each_writing_style_reads_back_to_sections_front_matter_and_numbers(campaign, style, layout):
    checked = check(campaign, party_docx(sample(campaign, style=style, layout=layout)))
    assert checked.findings == []
    meta = checked.report.meta
    assert checked.report.has_front_matter
    assert meta["don_vi"] == "huyen-uy-binh-son"
    assert meta["so_hieu"] == "45-BC/HU"
    assert meta["ngay"] == date(2022, 6, 15)
    assert (meta["nguoi_ky"], meta["chuc_vu"]) == ("Nguyễn Văn An", "Bí thư")
    assert meta["tieu_de"].startswith("Sơ kết 01 năm")
    assert [s.entry.id for s in checked.segments if s.entry] == [e.id for e in flatten(campaign.outline)]
    leaf = next(s for s in checked.segments if s.entry and s.entry.id == "uu-diem")
    assert leaf.text(checked.report) == "Nội dung về ưu điểm."
    assert checked.numbers == expected_numbers(campaign)


def test_paragraph_numbers_are_the_lines_of_a_word_report(campaign):
    report = parse_docx(party_docx(sample(campaign, layout="paragraphs")), PATH, campaign)
    doc = docx.Document(io.BytesIO(party_docx(sample(campaign, layout="paragraphs"))))
    numbered = [p.text for p in doc.paragraphs]  # no tables before the signature in this layout
    for h in report.headings:
        assert numbered[h.line - 1] == h.text
    assert numbered[report.meta_lines["so_hieu"] - 1] == "Số 45-BC/HU"


def test_statistics_table_labels_tolerate_units_numbering_and_a_unit_column(campaign):
    inds = campaign.indicators
    stats = {f"{inds[0].label} ({inds[0].unit})": "1.234", f"2. {inds[1].label}": "0", **typed(campaign)}
    del stats[inds[0].label], stats[inds[1].label]
    units = {label: "vụ" for label in stats}
    checked = check(campaign, party_docx(sample(campaign, stats=stats, units=units)))
    assert checked.ok, checked.findings
    assert checked.numbers[inds[0].id] == 1234
    assert checked.numbers[inds[1].id] == 0
    assert checked.numbers["thiet_hai_tai_san"] == 12.5
    assert checked.report.numbers[inds[0].id].raw == "1.234"


def test_bold_italic_lists_and_tables_in_the_body_survive_as_markdown(campaign):
    data = party_docx(sample(campaign))
    doc = docx.Document(io.BytesIO(data))
    target = next(p for p in doc.paragraphs if p.text == "Nội dung về ưu điểm.")
    target.text = "Đã "
    target.add_run("ban hành").bold = True
    target.add_run(" ")
    target.add_run("kế hoạch").italic = True
    target.add_run(" <script>alert(1)</script> *không* phải Markdown.")
    bullet = target.insert_paragraph_before("- Tổ chức 3 hội nghị.")
    table = doc.add_table(rows=2, cols=2)
    texts = ["Nội dung", "Kết quả", "Hội nghị", "3"]
    for cell, text in zip([*table.rows[0].cells, *table.rows[1].cells], texts, strict=True):
        cell.text = text
    bullet._p.addnext(table._tbl)  # the table right after the bullet, inside "Ưu điểm"
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    text = next(s for s in checked.segments if s.entry and s.entry.id == "uu-diem").text(checked.report)
    assert "- Tổ chức 3 hội nghị." in text
    assert "| Nội dung | Kết quả |\n| --- | --- |\n| Hội nghị | 3 |" in text
    assert "Đã **ban hành** *kế hoạch* \\<script\\>alert(1)\\</script\\> \\*không\\* phải Markdown." in text
    assert "F208" not in codes(checked.findings)
    tokens = MD.parse(checked.report.body)
    assert not [t for t in tokens if t.type == "html_block"]
    assert not [c for t in tokens for c in t.children or [] if c.type == "html_inline"]


def test_numbered_items_inside_a_section_without_subsections_stay_body_text(campaign):
    sections = outline_sections(campaign.outline)
    i = next(n for n, (h, _, _) in enumerate(sections) if h.startswith("III."))
    sections[i] = (sections[i][0], 1, ["1. Tiếp tục quán triệt Kết luận số 02.", "2. Tăng cường kiểm tra."])
    checked = check(campaign, party_docx(sample(campaign, sections=sections, style="plain")))
    assert checked.ok, checked.findings
    seg = next(s for s in checked.segments if s.entry and s.entry.id == "phuong-huong")
    assert seg.text(checked.report) == "1. Tiếp tục quán triệt Kết luận số 02.\n\n2. Tăng cường kiểm tra."


@pytest.mark.slow
def test_a_docx_converted_by_libreoffice_from_html_reads_with_automatic_numbering(campaign, tmp_path):
    soffice = require_program("soffice", "libreoffice-writer")
    parts = []
    for top in campaign.outline:
        first = top is campaign.outline[0]
        parts.append(f'<ol type="I"><li><b>{top.heading[3:]}</b></li></ol>' if first else f"<h2>{top.heading}</h2>")
        for sub in top.sections:
            parts += [f"<h3>{sub.heading}</h3>", f"<p>Nội dung mục {sub.id}.</p>"]
        if not top.sections:
            parts += [f"<p>Nội dung mục {top.id}: đã ban hành <b>06 văn bản</b>.</p>", "<ul><li>Hội nghị.</li></ul>"]
    rows = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in typed(campaign).items())
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><table width="100%"><tr>'
        '<td align="center">TỈNH ỦY QUẢNG NGÃI<br><b>HUYỆN ỦY SƠN TỊNH</b><br>*<br>Số 38-BC/HU</td>'
        '<td align="center"><b>ĐẢNG CỘNG SẢN VIỆT NAM</b><br><i>Sơn Tịnh, ngày 16 tháng 6 năm 2022</i></td>'
        '</tr></table><p align="center"><b>BÁO CÁO</b></p>'
        '<p align="center"><b>Sơ kết 01 năm thực hiện Kết luận số 02-KL/TW</b></p>'
        "<p>Thực hiện Công văn số 1055-CV/TU, Huyện ủy Sơn Tịnh báo cáo như sau:</p>"
        + "".join(parts)
        + '<table><tr><td align="center"><b>T/M BAN THƯỜNG VỤ</b><br><b>PHÓ BÍ THƯ</b><br><br>'
        "<b>Trần Thị Bình</b></td></tr></table>"
        '<p align="center"><b>PHỤ LỤC SỐ LIỆU</b></p>'
        f'<table border="1"><tr><th>Chỉ tiêu</th><th>Số liệu</th></tr>{rows}</table></body></html>'
    )
    src = tmp_path / "bao-cao.html"
    src.write_text(html, encoding="utf-8")
    cmd = [soffice, "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML"]
    cmd += ["--outdir", str(tmp_path), str(src), f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    data = (tmp_path / "bao-cao.docx").read_bytes()
    checked = check(campaign, data, "submissions/huyen-uy-son-tinh/bao-cao.docx")
    # LibreOffice's own page (2 cm margins, its fonts) departs from the Party format: warned only
    assert [f.code for f in checked.findings if f.code not in ("D812", "D813", "D814", "D815")] == []
    assert [s.entry.id for s in checked.segments if s.entry] == [e.id for e in flatten(campaign.outline)]
    first = checked.report.headings[1]
    assert (first.level, first.text) == (2, "I. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI THỰC HIỆN")
    meta = checked.report.meta
    assert (meta["so_hieu"], meta["ngay"]) == ("38-BC/HU", date(2022, 6, 16))
    assert (meta["chuc_vu"], meta["nguoi_ky"]) == ("Phó Bí thư", "Trần Thị Bình")
    assert checked.numbers == expected_numbers(campaign)
    seg = next(s for s in checked.segments if s.entry and s.entry.id == "phuong-huong")
    assert seg.text(checked.report) == "Nội dung mục phuong-huong: đã ban hành **06 văn bản**.\n\n- Hội nghị."


# --------------------------------------------------------------------------- malformed files

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Số vụ cháy"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (OLE2 + b"WordDocument".decode().encode("utf-16-le"), "D801", ".doc"),
        (OLE2 + "EncryptionInfo".encode("utf-16-le"), "D802", "mật khẩu"),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", "D801", "PDF"),
        (b"PK\x03\x04 not really a zip", "D801", "hỏng"),
        (b"", "F209", "rỗng"),
    ],
    ids=["old-doc", "password", "renamed-pdf", "broken-zip", "empty"],
)
def test_a_file_that_is_not_a_readable_docx_gives_its_code(campaign, data, code, words):
    checked = check(campaign, data)
    assert checked.report.text is None
    assert [f.code for f in checked.findings] == [code]
    assert words in checked.findings[0].message
    assert "Word" in checked.findings[0].message or code == "F209"


def test_an_excel_workbook_renamed_to_docx_is_not_a_word_document(campaign):
    checked = check(campaign, xlsx_bytes())
    assert [f.code for f in checked.findings] == ["D801"]


def test_a_truncated_docx_gives_a_finding(campaign):
    data = party_docx(sample(campaign))
    assert codes(check(campaign, data[: len(data) // 2]).findings) == {"D801"}


def _edit_document_xml(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            content = src.read(item.filename)
            z.writestr(item, edit(content) if item.filename == "word/document.xml" else content)
    return out.getvalue()


def test_tracked_changes_give_D803_and_are_read_as_accepted(campaign):
    def track(xml: bytes) -> bytes:
        text = xml.decode()
        old = "<w:t>Nội dung về ưu điểm.</w:t></w:r>"
        assert old in text
        change = (
            '<w:del w:id="1" w:author="VT" w:date="2022-06-14T08:00:00Z"><w:r><w:delText> Bỏ đi.</w:delText></w:r>'
            '</w:del><w:ins w:id="2" w:author="VT" w:date="2022-06-14T08:00:00Z"><w:r><w:t> Thêm vào.</w:t></w:r>'
            "</w:ins>"
        )
        return text.replace(old, old + change, 1).encode()

    checked = check(campaign, _edit_document_xml(party_docx(sample(campaign)), track))
    assert codes(checked.findings) == {"D803"}
    assert "Chấp nhận tất cả thay đổi" in checked.findings[0].message
    seg = next(s for s in checked.segments if s.entry and s.entry.id == "uu-diem")
    assert seg.text(checked.report) == "Nội dung về ưu điểm. Thêm vào."
    assert checked.findings[0].line == next(h.line for h in checked.report.headings if h.text == "1. Ưu điểm") + 1


def test_comments_left_in_give_D804(campaign):
    doc = docx.Document(io.BytesIO(party_docx(sample(campaign))))
    target = next(p for p in doc.paragraphs if p.text == "Nội dung về nguyên nhân.")
    doc.add_comment(target.runs, text="Bổ sung số liệu?", author="Văn phòng", initials="VP")
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    assert codes(checked.findings) == {"D804"}
    assert checked.findings[0].severity != "error"
    assert "Xóa tất cả chú thích" in checked.findings[0].message


def test_a_numbered_heading_that_matches_no_section_gives_D805(campaign):
    sections = outline_sections(campaign.outline)
    at = next(n for n, (h, _, _) in enumerate(sections) if h.startswith("II."))
    sections.insert(at, ("6. Công tác phối hợp liên ngành", 2, ["Phối hợp tốt."]))
    sections.append(("V. KẾT LUẬN", 1, ["Không có."]))
    data = party_docx(sample(campaign, sections=sections))
    checked = check(campaign, data)
    d805 = [f for f in checked.findings if f.code == "D805"]
    assert [re.search(r"“(.+?)”", f.message).group(1) for f in d805] == [  # type: ignore[union-attr]
        "6. Công tác phối hợp liên ngành",
        "V. KẾT LUẬN",
    ]
    assert checked.ok  # a warning: the text stays in the section above
    seg = next(s for s in checked.segments if s.entry and s.entry.id == "tinh-hinh-chay-no")
    assert "**6. Công tác phối hợp liên ngành**\n\nPhối hợp tốt." in seg.text(checked.report)


def test_a_statistics_cell_that_is_not_a_number_gives_D806(campaign):
    stats = typed(campaign)
    stats["Số vụ cháy"] = "12 vụ"
    stats["Số vụ tai nạn giao thông"] = "3"
    checked = check(campaign, party_docx(sample(campaign, stats=stats)))
    found = {f.code: f for f in checked.findings}
    assert sorted(f.code for f in checked.findings) == ["D806", "N502"]  # one finding for the bad cell, in Word terms
    assert "“12 vụ”" in found["D806"].message and "1.234 hoặc 12,5" in found["D806"].message
    assert "Số vụ tai nạn giao thông" in found["N502"].message
    assert "so_vu_chay" not in checked.numbers


def test_missing_header_statistics_and_signer_give_D807_D808_D809(campaign):
    doc = docx.Document(io.BytesIO(party_docx(sample(campaign, stats={}, signer=""))))
    doc.tables[0]._tbl.getparent().remove(doc.tables[0]._tbl)  # the whole header block
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    # One finding per problem, saying how to fix it in Word: no M303 "thiếu khóa" or N501 beside them.
    assert sorted(f.code for f in checked.findings) == ["D807", "D808", "D809", "D814"]


def test_a_draft_with_blank_number_and_date_says_to_fill_them_in(campaign):
    s = sample(campaign, so_hieu="     -BC/HU")
    data = party_docx(s)
    doc = docx.Document(io.BytesIO(data))
    cell = doc.tables[0].rows[0].cells[1]
    cell.paragraphs[-1].runs[0].text = "Bình Sơn, ngày     tháng     năm 2022"
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    d807 = [f for f in checked.findings if f.code == "D807"]
    assert len(d807) == 1 and "còn để trống" in d807[0].message
    assert checked.numbers == expected_numbers(campaign)  # the statistics are still read and checked


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1")]))
def test_random_bytes_named_docx_give_a_finding_never_an_exception(campaign, noise, prefix):
    checked = check(campaign, prefix + noise)
    assert checked.findings
    assert not checked.ok


def test_a_docx_and_a_markdown_report_for_the_same_stage_give_F210(campaign, tmp_path):
    folder = tmp_path / "submissions" / "huyen-uy-binh-son"
    folder.mkdir(parents=True)
    data = party_docx(sample(campaign))
    (folder / "bao-cao.docx").write_bytes(data)
    (folder / "bao-cao.md").write_text(parse_docx(data, PATH, campaign).text or "", encoding="utf-8")
    assert [f.code for f in check_tree(campaign, tmp_path, TODAY)] == ["F210"]


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "campaign.yml", tmp_path / "campaign.yml")
    return tmp_path


def test_a_word_report_passes_baocao_check_and_imports_to_markdown_that_passes(campaign, root):
    data = party_docx(sample(campaign))
    docx_path = root / "submissions" / "huyen-uy-binh-son" / "bao-cao.docx"
    docx_path.parent.mkdir(parents=True)
    docx_path.write_bytes(data)
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(root), "check", str(docx_path)])
    assert result.exit_code == 0, result.output
    source = root / "gui-qua-email.docx"
    source.write_bytes(data)
    result = runner.invoke(main, ["--root", str(root), "import", "huyen-uy-ba-to", str(source)])
    assert result.exit_code == 0, result.output
    md_path = root / "submissions" / "huyen-uy-ba-to" / "bao-cao.md"
    result = runner.invoke(main, ["--root", str(root), "check", str(md_path)])
    assert result.exit_code == 0, result.output
    from_word = check(campaign, data)
    from_md = check_report(campaign, "submissions/huyen-uy-ba-to/bao-cao.md", md_path.read_bytes(), TODAY)
    assert {k: v for k, v in from_md.report.meta.items() if k != "don_vi"} == {
        k: v for k, v in from_word.report.meta.items() if k != "don_vi"
    }
    assert from_md.numbers == from_word.numbers
    assert [(s.entry.id, s.text(from_md.report)) for s in from_md.segments if s.entry] == [
        (s.entry.id, s.text(from_word.report)) for s in from_word.segments if s.entry
    ]
    again = runner.invoke(main, ["--root", str(root), "import", "huyen-uy-ba-to", str(source)])
    assert again.exit_code == 1 and "không ghi đè" in again.output


def test_import_prints_what_it_could_not_map_with_code_and_paragraph(campaign, root):
    sections = [*outline_sections(campaign.outline), ("V. KẾT LUẬN", 1, ["Không có."])]
    stats = {**typed(campaign), "Số vụ cháy": "mười hai"}
    source = root / "bao-cao.docx"
    source.write_bytes(party_docx(sample(campaign, sections=sections, stats=stats)))
    result = CliRunner().invoke(main, ["--root", str(root), "import", "huyen-uy-binh-son", str(source)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(re.match(r"^  đoạn \d+: \[D805\] Đoạn \d+ “V\. KẾT LUẬN”", line) for line in lines), result.output
    assert any(re.match(r"^  đoạn \d+: \[D806\] .*“mười hai”", line) for line in lines), result.output
    md = (root / "submissions" / "huyen-uy-binh-son" / "bao-cao.md").read_text(encoding="utf-8")
    assert "so_vu_chay: mười hai" in md  # kept as typed, so the Markdown check says N504 too


def test_a_compiled_draft_exported_to_word_passes_check_once_number_date_and_signer_are_filled(campaign, tmp_path):
    """Acceptance: `baocao compile --docx` for one unit's content (built here from the compile
    functions directly, without a git history) is read back by the Word reader."""
    unit = campaign.unit_by_id["huyen-uy-binh-son"]
    report = check(campaign, party_docx(sample(campaign)))
    compiled = compile_reports(
        campaign, campaign.stages[0], datetime(2022, 6, 25, tzinfo=campaign.tz), [Source(unit, report)], []
    )
    draft = export_docx(compiled, tmp_path / "du-thao.docx").read_bytes()
    path = "submissions/dang-uy-cong-an-tinh/du-thao.docx"
    blank = check(campaign, draft, path)
    assert sorted(f.code for f in blank.findings) == ["D807", "D809"]  # left blank in a draft, on purpose
    assert blank.numbers == expected_numbers(campaign)
    assert [s.entry.id for s in blank.segments if s.entry] == [e.id for e in flatten(campaign.outline)]
    doc = docx.Document(io.BytesIO(draft))
    for p in (p for c in doc.tables[0].rows[0].cells for p in c.paragraphs):
        for run in p.runs:
            run.text = re.sub(r"^Số\s+-", "Số 12-", run.text)
            run.text = re.sub(r"ngày\s+tháng\s+năm", "ngày 29 tháng 6 năm", run.text)
    signature = doc.tables[-1].rows[0].cells[1]
    signature.add_paragraph().add_run("Lê Văn Cường").bold = True
    filled = io.BytesIO()
    doc.save(filled)
    checked = check(campaign, filled.getvalue(), path)
    assert checked.findings == []
    assert (checked.report.meta["so_hieu"], checked.report.meta["ngay"]) == ("12-BC/ĐU", date(2022, 6, 29))
    assert checked.report.meta["nguoi_ky"] == "Lê Văn Cường"


def test_demo_units_that_submitted_word_files_pass_and_their_originals_are_attachments(campaign, tmp_path):
    subs = word_submissions(campaign)
    assert len(subs) == 2
    for sub in subs:
        (path, data), *_ = sub.files.items()
        assert path.endswith(".docx")
        checked = check(campaign, data, path)  # type: ignore[arg-type]
        assert checked.findings == []
        assert checked.numbers == sub.figures
        folder = tmp_path / Path(path).parent
        folder.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)  # type: ignore[arg-type]
    assert attachments_in(tmp_path, [s.unit for s in subs]) == {s.unit: ["bao-cao.docx"] for s in subs}


def test_without_a_campaign_sections_come_from_styles_and_numbering(campaign):
    report = parse_docx(party_docx(sample(campaign, style="headings")), PATH)
    assert [h.level for h in report.headings[:3]] == [1, 2, 3]
    assert report.numbers is None
    assert parse_markdown(report.text.encode(), PATH.replace(".docx", ".md")).headings  # type: ignore[union-attr]


@pytest.mark.slow
def test_the_demo_site_shows_word_units_like_the_others_and_links_the_original(demo_site):
    status = json.loads((demo_site.site / "status.json").read_text(encoding="utf-8"))
    rows = [u for s in status["stages"] for u in s["units"] if u["unit"] in WORD_UNITS]
    assert {(u["unit"], u["state"], u["path"].rsplit("/", 1)[-1]) for u in rows} == {
        (unit, "on_time", "bao-cao.docx") for unit in WORD_UNITS
    }
    assert all(not u["errors"] and not u["warnings"] for u in rows)
    for unit in WORD_UNITS:
        page = (demo_site.site / "don-vi" / f"{unit}.html").read_text(encoding="utf-8")
        assert f'href="{unit}/bao-cao.docx"' in page
        assert "bản Word gốc của báo cáo" in page
        assert "I. TÌNH HÌNH, KẾT QUẢ TRIỂN KHAI THỰC HIỆN" in page
        original = demo_site.site / "don-vi" / unit / "bao-cao.docx"
        assert original.read_bytes() == (demo_site.root / "submissions" / unit / "bao-cao.docx").read_bytes()


def test_a_letterhead_in_text_boxes_and_a_short_date_are_read(campaign):
    doc = docx.Document(io.BytesIO(party_docx(sample(campaign, layout="paragraphs"))))
    for p in doc.paragraphs[:8]:
        if p.text.startswith(("Số ", "Bình Sơn, ngày")):
            p._p.getparent().remove(p._p)
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:60pt"><v:textbox>'
        "<w:txbxContent><w:p><w:r><w:t>Số 7-BC/HU</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Bình Sơn, ngày 14/6/2022</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape></w:pict></w:r>"
    )
    from lxml import etree

    doc.paragraphs[0]._p.append(etree.fromstring(box))
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    assert checked.findings == []
    assert (checked.report.meta["so_hieu"], checked.report.meta["ngay"]) == ("7-BC/HU", date(2022, 6, 14))


def test_a_statistics_table_inside_a_section_is_read_and_kept_in_the_text(campaign):
    doc = docx.Document(io.BytesIO(party_docx(sample(campaign, stats={}))))
    anchor = next(p for p in doc.paragraphs if p.text.startswith("Nội dung về tình hình cháy"))
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Chỉ tiêu", "Năm 2022"
    for label, value in typed(campaign).items():
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    anchor._p.addnext(table._tbl)
    out = io.BytesIO()
    doc.save(out)
    checked = check(campaign, out.getvalue())
    assert checked.findings == []
    assert checked.numbers == expected_numbers(campaign)
    seg = next(s for s in checked.segments if s.entry and s.entry.id == "tinh-hinh-chay-no")
    assert "| Chỉ tiêu | Năm 2022 |\n| --- | --- |\n| Số vụ cháy | 1.234 |" in seg.text(checked.report)


@pytest.mark.parametrize(
    ("lines", "chuc_vu", "nguoi_ky"),
    [
        (
            ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(Đã ký)", "Nguyễn Văn An", "Nơi nhận:", "Như trên", "Lưu VP"],
            "Bí thư",
            "Nguyễn Văn An",
        ),
        (["K/T BÍ THƯ", "PHÓ BÍ THƯ", "NGUYỄN THỊ HOA"], "Phó Bí thư", "Nguyễn Thị Hoa"),
        (["T/M ĐẢNG ỦY", "Trần Văn Bình"], "Đảng ủy", "Trần Văn Bình"),
        (["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(Ký, ghi rõ họ tên)"], "Bí thư", None),
    ],
)
def test_signature_block_gives_title_and_signer(lines, chuc_vu, nguoi_ky):
    from baocao.reports.word.meta import Piece, read_signature

    sig = read_signature([Piece(text, n) for n, text in enumerate(lines, 1)])
    assert sig.chuc_vu is not None and sig.chuc_vu.text == chuc_vu
    assert (sig.nguoi_ky.text if sig.nguoi_ky else None) == nguoi_ky
