"""Messages a clerk can act on: each case pinned with its code, its line and the fix it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign, CampaignError
from baocao.checks.validation import check_report
from baocao.documents.skeleton import skeleton
from baocao.findings import Severity

from .conftest import ROOT, DemoSite

UNIT = "huyen-uy-ba-to"
PATH = f"submissions/{UNIT}/bao-cao.md"
DAY = date(2022, 6, 15)


def _filled(campaign: Campaign) -> str:
    """A valid report: the skeleton with every section filled and real figures."""
    text = skeleton(campaign, UNIT, campaign.stages[0], DAY)
    text = text.replace('so_hieu: ""', "so_hieu: 45-BC/HU").replace('nguoi_ky: ""', "nguoi_ky: Võ Công Tâm")
    text = text.replace('chuc_vu: ""', "chuc_vu: Bí thư")
    lines = []
    for line in text.split("\n"):
        if line.startswith("<!--"):
            continue
        lines.append(line)
        if line.startswith("#") and not line.startswith("# "):
            lines += ["", "Đã triển khai thực hiện nghiêm túc, có kết quả cụ thể."]
    out = "\n".join(lines)
    for n, ind in enumerate(campaign.indicators, 1):
        out = out.replace(f"  {ind.id}: 0", f"  {ind.id}: {n}", 1)
    return out


def _check(campaign: Campaign, text: str, path: str = PATH):
    return check_report(campaign, path, text.encode("utf-8"), DAY)


def _only(checked, code: str):
    found = [f for f in checked.findings if f.code == code]
    assert len(found) == 1, checked.findings
    return found[0]


def test_the_filled_report_is_clean(campaign: Campaign) -> None:
    checked = _check(campaign, _filled(campaign))
    assert checked.findings == []


# --------------------------------------------------------------------------- YAML in Vietnamese


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        ("so_hieu: ", "\tso_hieu: ", 3, "ký tự Tab"),
        ("chuc_vu: ", "chuc_vu: Phó Bí thư: Thường trực #", 6, "đặt trong ngoặc kép"),
        ("so_hieu: ", "so_hieu:", 3, "sau dấu hai chấm phải có một dấu cách"),
        ("so_hieu: ", "so_hieu ", 3, "thiếu dấu hai chấm"),
        ("so_hieu: ", "   so_hieu: ", 3, "thụt lề khác dòng trên"),
    ],
)
def test_a_front_matter_syntax_error_names_its_line_and_likely_cause(
    campaign: Campaign, old: str, new: str, line: int, says: str
) -> None:
    text = _filled(campaign)
    assert text.split("\n")[line - 1].startswith(old), text.split("\n")[:8]
    broken = text.replace(old, new, 1)
    f = _only(_check(campaign, broken), "M302")
    assert f.line == line and says in f.message, f
    assert not any(word in f.message for word in ("mapping", "scanning", "token", "expected"))  # no PyYAML English


def test_campaign_yml_syntax_errors_are_explained_too() -> None:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8").replace("  branch: main", "\tbranch: main", 1)
    with pytest.raises(CampaignError) as exc:
        load_campaign_text(text)
    (f,) = exc.value.findings
    number = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("\tbranch"))
    assert f.code == "C101" and f.line == number and "ký tự Tab" in f.message


# --------------------------------------------------------------------------- sections


def test_a_missing_section_shows_the_heading_to_write_with_its_level(campaign: Campaign) -> None:
    text = _filled(campaign).replace("### 3. Nguyên nhân\n", "").replace("## III. PHƯƠNG", "## III. PHƯƠNG", 1)
    f = _only(_check(campaign, text), "S401")
    assert "“### 3. Nguyên nhân”" in f.message
    next_heading = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("### 4. Bài học"))
    assert f.line == next_heading and f"trước dòng {next_heading}" in f.message
    top = _filled(campaign).replace("## IV. ĐỀ XUẤT, KIẾN NGHỊ", "").replace("Không có", "")
    g = [x for x in _check(campaign, top).findings if x.code == "S401"]
    assert g and "“## IV. ĐỀ XUẤT, KIẾN NGHỊ”" in g[0].message  # a top-level section: two #


def test_a_misspelt_heading_gets_the_closest_outline_heading_at_its_own_line(campaign: Campaign) -> None:
    text = _filled(campaign).replace("### 3. Nguyên nhân", "### 3. Nguyen nhan", 1)
    f = _only(_check(campaign, text), "S404")
    assert f.message.endswith("Có phải là “3. Nguyên nhân”?")
    assert text.split("\n")[f.line - 1] == "### 3. Nguyen nhan"
    unrelated = _filled(campaign).replace("### 3. Nguyên nhân", "### 3. Nguyên nhân\n\n### Danh sách cán bộ dự họp", 1)
    assert "Có phải là" not in _only(_check(campaign, unrelated), "S404").message


def test_a_word_report_is_told_in_words_of_word(campaign: Campaign) -> None:
    from baocao.checks.validation import _how_to_add
    from baocao.reports.outline import flatten

    entry = next(e for e in flatten(campaign.outline) if e.id == "nguyen-nhan")
    word = _how_to_add("submissions/x/bao-cao.docx", entry, [12])
    assert "Heading 2" in word and "#" not in word and "dòng" not in word
    assert (
        _how_to_add(PATH, entry, [12])
        == "Thêm dòng tiêu đề “### 3. Nguyên nhân” trước dòng 12, rồi viết nội dung bên dưới."
    )


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize(("typed", "plain"), [("1.250,5", "1250.5"), ("1,250.5", "1250.5"), ("1 250", "1250")])
def test_grouped_numbers_get_a_number_format_hint_not_the_unit_hint(campaign: Campaign, typed: str, plain: str) -> None:
    text = _filled(campaign).replace("  thiet_hai_tai_san: 5", f"  thiet_hai_tai_san: {typed}", 1)
    f = _only(_check(campaign, text), "N507")
    assert f"ghi {plain}" in f.message and "kèm chữ" not in f.message
    assert text.split("\n")[f.line - 1].startswith("  thiet_hai_tai_san:")


def test_every_figure_left_at_zero_is_a_warning(campaign: Campaign) -> None:
    text = skeleton(campaign, UNIT, campaign.stages[0], DAY)
    filled = _filled(campaign)
    zeros = filled
    for n, ind in enumerate(campaign.indicators, 1):
        zeros = zeros.replace(f"  {ind.id}: {n}", f"  {ind.id}: 0", 1)
    f = _only(_check(campaign, zeros), "N510")
    assert f.severity is Severity.WARNING and f"Tất cả {len(campaign.indicators)} chỉ tiêu" in f.message
    assert _check(campaign, zeros).ok
    assert "N510" not in {x.code for x in _check(campaign, filled).findings}
    assert "so_lieu" in text


# --------------------------------------------------------------------------- pasted and legacy text


def test_a_table_pasted_with_tabs_is_warned_with_the_markdown_to_write(campaign: Campaign) -> None:
    text = _filled(campaign).replace(
        "### 1. Ưu điểm\n", "### 1. Ưu điểm\n\nChỉ tiêu\tNăm 2021\tNăm 2022\nSố vụ cháy\t12\t9\n", 1
    )
    f = _only(_check(campaign, text), "F215")
    assert f.severity is Severity.WARNING and "| Chỉ tiêu | Năm 2021 | Năm 2022 |" in f.message
    assert text.split("\n")[f.line - 1].startswith("Chỉ tiêu\t")


TCVN3_TEXT = "B¸o c¸o kÕt qu¶ c«ng t¸c phßng ch¸y ch÷a ch¸y ®¹t ®­îc nhiÒu kÕt qu¶ tèt."
VNI_TEXT = "Baùo caùo keát quaû coâng taùc phoøng chaùy chöõa chaùy ñaït ñöôïc nhieàu keát quaû toát."


@pytest.mark.parametrize(("legacy", "kind"), [(TCVN3_TEXT, "TCVN3"), (VNI_TEXT * 2, "VNI")])
def test_legacy_vietnamese_encodings_are_recognised_and_the_conversion_named(
    campaign: Campaign, legacy: str, kind: str
) -> None:
    text = _filled(campaign).replace("### 1. Ưu điểm\n", f"### 1. Ưu điểm\n\n{legacy}\n", 1)
    f = _only(_check(campaign, text), "F216")
    assert kind in f.message and "Unikey" in f.message and f.severity is Severity.WARNING
    assert text.split("\n")[f.line - 1] == legacy


def test_names_with_a_foreign_letter_are_not_taken_for_a_legacy_encoding(campaign: Campaign) -> None:
    text = _filled(campaign).replace(
        "### 1. Ưu điểm\n", "### 1. Ưu điểm\n\nĐoàn công tác Ñoàn và Müller đến thăm.\n", 1
    )
    assert "F216" not in {f.code for f in _check(campaign, text).findings}


def test_an_html_table_gets_an_example_of_the_markdown_table(campaign: Campaign) -> None:
    text = _filled(campaign).replace(
        "### 1. Ưu điểm\n", "### 1. Ưu điểm\n\n<table><tr><td>Số vụ cháy</td><td>12</td></tr></table>\n", 1
    )
    found = [f for f in _check(campaign, text).findings if f.code == "F208"]
    assert found and "| Chỉ tiêu | Số |" in found[0].message
    plain = _filled(campaign).replace("### 1. Ưu điểm\n", "### 1. Ưu điểm\n\nChữ <b>đậm</b>.\n", 1)
    assert all("| Chỉ tiêu" not in f.message for f in _check(campaign, plain).findings if f.code == "F208")


def test_an_edited_demo_is_kept_and_the_user_told_why(tmp_path: Path) -> None:
    from baocao.demo import build as demo

    root = tmp_path / "demo"
    demo.create(root, ROOT)
    assert demo.demo_edits(root) == ""
    demo.create(root, ROOT)  # unedited: made again
    report = root / "submissions" / UNIT / "bao-cao.md"
    report.write_text(report.read_text(encoding="utf-8") + "\nĐoạn tôi vừa thêm.\n", encoding="utf-8")
    with pytest.raises(FileExistsError) as exc:
        demo.create(root, ROOT)
    assert f"submissions/{UNIT}/bao-cao.md" in str(exc.value) and "giữ nguyên" in str(exc.value)
    assert "Đoạn tôi vừa thêm." in report.read_text(encoding="utf-8")  # nothing lost


def test_the_cli_speaks_vietnamese_in_its_own_options() -> None:
    from click.testing import CliRunner

    from baocao.cli import COMMANDS, main

    runner = CliRunner()
    outputs = [runner.invoke(main, ["--help"]).output]
    outputs += [runner.invoke(main, [c.name or "", "--help"]).output for c in COMMANDS]
    outputs.append(runner.invoke(main, ["site", "build", "--help"]).output)
    for out in outputs:
        assert "Show this message" not in out and "Show the version" not in out
        assert "In hướng dẫn này rồi thoát." in out


ENGLISH = ("Made with", "Permanent link", "Show this message")
GENERATED = ("index.html", "tinh-hinh.html", "tong-hop.html", "don-doc.html", "de-cuong.html")


def test_the_built_site_has_no_english_where_a_reader_looks(demo_site: DemoSite) -> None:
    import re as regex

    pages = sorted(demo_site.site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        visible = regex.sub(r"<script\b.*?</script>", "", html, flags=regex.DOTALL)
        name = page.relative_to(demo_site.site).as_posix()
        generated = name in GENERATED or name.startswith("don-vi/")
        for text in ENGLISH + (("Asia/Ho_Chi_Minh",) if generated else ()):  # the docs may cite the setting
            assert text not in visible, (name, text)
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    assert "(giờ Việt Nam)" in home and 'title="Liên kết tới mục này"' in home
