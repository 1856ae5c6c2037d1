"""The compiled outline, from real dated git histories: a small one built here and the demo."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.campaign.model import Campaign
from baocao.checks.validation import check_report
from baocao.cli import main
from baocao.demo import build as demo
from baocao.documents.compile import Compiled, compile_campaign
from baocao.documents.compile_text import unit_text
from baocao.documents.draft_markdown import render_markdown
from baocao.history.read import read_blob
from baocao.reports.outline import flatten

from .compile_data import (
    INVALID_UNIT,
    LATE_UNIT,
    NOTHING_UNIT,
    SUBHEADING_UNIT,
    Landing,
    at,
    expected_totals,
    front_matter,
    vn_number,
)
from .conftest import DemoSite

AFTER = at(25)  # every landing in
BEFORE_LATE = at(21, 9)  # the late unit lands at 21/06 10:00


def sections_of(markdown: str) -> dict[str, str]:
    """Outline heading text -> the Markdown under it (up to the next heading of any level)."""
    parts = re.split(r"^#{2,4} (.+)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def total_row(markdown: str) -> list[float]:
    """The totals of every indicator, across the appendix's tables (a few indicators each)."""
    rows = [line for line in markdown.splitlines() if line.startswith("|  | **Tổng cộng**")]
    assert rows
    return [vn_number(cell) for row in rows for cell in row.strip("|").split("|")[2:]]


def front(markdown: str) -> str:
    return markdown.split("\n## ", 1)[0]


def _key(heading: str) -> str:
    return re.sub(r"^(?:[IVX]+|\d+)[.)]\s*", "", heading.strip()).casefold().rstrip(":. ")


def filled_sections(campaign: Campaign, text: str) -> tuple[set[str], set[str]]:
    """(outline headings with text, outline headings saying "Không có") of a report, read line
    by line (numbering and case ignored, as clerks write them either way)."""
    filled, nothing = set(), set()
    lines = text.splitlines()
    leaf = {_key(e.heading): e.heading for e in flatten(campaign.outline) if not e.section.sections}
    for i, line in enumerate(lines):
        heading = _key(line.lstrip("#"))
        if line.startswith("#") and heading in leaf:
            body = next((x for x in lines[i + 1 :] if x.strip()), "")
            (nothing if body.startswith("Không có") else filled).add(leaf[heading])
    return filled, nothing


def test_verbatim_every_counted_unit_appears_under_every_section_it_filled(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], verbatim: Compiled
) -> None:
    sections = sections_of(render_markdown(verbatim))
    counted = [x for x in compile_history[1] if x.unit != INVALID_UNIT]
    assert len(counted) == 4
    for landing in counted:
        name = campaign.unit_by_id[landing.unit].name
        filled, nothing = filled_sections(campaign, landing.text)
        assert filled, landing.unit
        for heading in filled:
            assert f"**{name}** (Báo cáo số " in sections[heading], (name, heading)
        for heading in nothing:
            said_nothing = next(line for line in sections[heading].splitlines() if line.startswith("*Không có:*"))
            assert name in said_nothing
            assert f"**{name}**" not in sections[heading]


def test_synthesis_names_every_counted_unit_under_every_section_it_filled(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], compiled: Compiled
) -> None:
    """Synthesised, a unit that filled a section is there by name: in its own block, or among
    the writers of a shared sentence."""
    sections = sections_of(render_markdown(compiled))
    for landing in compile_history[1]:
        if landing.unit == INVALID_UNIT:
            continue
        name = campaign.unit_by_id[landing.unit].name
        filled, _ = filled_sections(campaign, landing.text)
        for heading in filled:
            section = sections[heading]
            shared = [line for line in section.splitlines() if line.startswith("- ") and line.endswith(").")]
            in_shared = any(name in line.rsplit(" (", 1)[1] or "tất cả" in line.rsplit(" (", 1)[1] for line in shared)
            assert f"**{name}** (Báo cáo số " in section or in_shared, (name, heading)


def test_units_follow_campaign_order_with_number_and_date(campaign: Campaign, verbatim: Compiled) -> None:
    section = sections_of(render_markdown(verbatim))["1. Ưu điểm"]
    intros = re.findall(r"^\*\*(.+?)\*\* \((Báo cáo số \S+ ngày \d\d/\d\d/\d{4})\):$", section, re.MULTILINE)
    order = [u.name for u in campaign.ordered_units()]
    names = [name for name, _ in intros]
    assert names == sorted(names, key=order.index)
    assert ("Thành ủy Quảng Ngãi", "Báo cáo số 11-BC/HU ngày 14/06/2022") in intros


def test_statistics_total_row_equals_the_sum_of_front_matter(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], compiled: Compiled
) -> None:
    counted = {x.unit for x in compile_history[1]} - {INVALID_UNIT}
    expected = expected_totals(compile_history[1], counted)
    got = total_row(render_markdown(compiled))
    assert got == pytest.approx([expected[i.id] for i in campaign.indicators])
    assert {t.indicator.id: t.total for t in compiled.indicators} == pytest.approx(expected)


def test_totals_by_group_add_up_to_the_total(compiled: Compiled) -> None:
    for t in compiled.indicators:
        assert sum(t.by_group.values()) == pytest.approx(t.total)
    markdown = render_markdown(compiled)
    group_rows = markdown.split("### Tổng hợp theo nhóm đơn vị", 1)[1]
    fires = next(line for line in group_rows.splitlines() if line.startswith("| Số vụ cháy |"))
    cells = [c.strip() for c in fires.strip("|").split("|")]
    assert vn_number(cells[-1]) == pytest.approx(sum(vn_number(c) for c in cells[2:-1] if c))


def test_missing_late_and_invalid_units_are_named_in_the_front(campaign: Campaign, compiled: Compiled) -> None:
    head = front(render_markdown(compiled))
    assert "4/28 đơn vị đã nộp" in head
    late = next(line for line in head.splitlines() if line.startswith("- **Nộp muộn (1):**"))
    assert "Huyện ủy Lý Sơn (nộp 21/06/2022 10:00, muộn 1 ngày 10 giờ)" in late
    overdue = next(line for line in head.splitlines() if line.startswith("- **Quá hạn, chưa nộp (23):**"))
    for unit in ("thi-uy-duc-pho", "dang-uy-cong-an-tinh", "dang-doan-hoi-ccb"):
        assert campaign.unit_by_id[unit].name in overdue
    invalid = next(line for line in head.splitlines() if "chưa hợp lệ" in line)
    # official text: the plain reason, no line numbers
    assert "Báo Quảng Ngãi (báo cáo thiếu mục “3. Nguyên nhân”)" in invalid
    assert "dòng" not in invalid
    assert "**Báo Quảng Ngãi**" not in render_markdown(compiled)


def test_as_of_before_a_late_unit_landed_leaves_it_out(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], verbatim: Compiled
) -> None:
    early = compile_campaign(campaign, compile_history[0], as_of=BEFORE_LATE, verbatim=True)
    markdown = render_markdown(early)
    name = campaign.unit_by_id[LATE_UNIT].name
    assert f"**{name}**" not in markdown
    assert "3/28 đơn vị đã nộp" in front(markdown)
    assert name in next(line for line in front(markdown).splitlines() if line.startswith("- **Quá hạn"))
    counted = {x.unit for x in compile_history[1]} - {INVALID_UNIT, LATE_UNIT}
    expected = expected_totals(compile_history[1], counted)
    assert total_row(markdown) == pytest.approx([expected[i.id] for i in campaign.indicators])
    # and the later compilation does include it
    assert f"**{name}**" in render_markdown(verbatim)


@pytest.mark.parametrize("layout", ["compiled", "verbatim"])
def test_unit_sub_headings_stay_inside_its_block_without_breaking_numbering(
    campaign: Campaign, layout: str, request: pytest.FixtureRequest
) -> None:
    markdown = render_markdown(request.getfixturevalue(layout))
    outline = {e.heading for e in flatten(campaign.outline)}
    extra = {"PHỤ LỤC: SỐ LIỆU", "Số liệu theo đơn vị", "Tổng hợp theo nhóm đơn vị"}
    headings = re.findall(r"^#{2,6} (.+)$", markdown, re.MULTILINE)
    assert set(headings) <= outline | extra
    block = sections_of(markdown)["1. Công tác lãnh đạo, chỉ đạo, quán triệt, triển khai thực hiện"]
    name = campaign.unit_by_id[SUBHEADING_UNIT].name
    start = block.index(f"**{name}**")
    assert block.index("**a) Ở cấp xã**") > start
    assert block.index(f"Nội dung riêng cấp xã của {name}.") > block.index("**a) Ở cấp xã**")
    if layout == "verbatim":
        assert block.index("**a) Ở cấp xã**") < block.index("**Huyện ủy Ba Tơ**")


def test_said_nothing_is_one_line_per_section(campaign: Campaign, compiled: Compiled) -> None:
    section = next(s for s in compiled.sections if s.entry.id == "de-xuat-kien-nghi")
    assert [s.unit.id for s in section.nothing] == [NOTHING_UNIT]
    assert NOTHING_UNIT not in [b.source.unit.id for b in section.blocks]


def test_cli_compile_out_writes_the_same_markdown(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]], compiled: Compiled, tmp_path: Path
) -> None:
    out = tmp_path / "tong-hop.md"
    result = CliRunner().invoke(
        main, ["--root", str(compile_history[0]), "compile", "--as-of", "2022-06-25T09:00", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_markdown(compiled)


def test_cli_compile_refuses_an_unknown_stage(compile_history: tuple[Path, list[Landing]]) -> None:
    result = CliRunner().invoke(main, ["--root", str(compile_history[0]), "compile", "--stage", "khong-co"])
    assert result.exit_code == 2
    assert "không có giai đoạn 'khong-co'" in result.output


def test_demo_campaign_compiles_every_counted_report_and_its_sums(campaign: Campaign, demo_site: DemoSite) -> None:
    demo_repo = demo_site.root
    compiled = compile_campaign(campaign, demo_repo, as_of=datetime.fromisoformat(demo_site.as_of), verbatim=True)
    markdown = render_markdown(compiled)
    stage = campaign.stages[0]
    absent = set(demo.MISSING) | {demo.INVALID}
    counted = [u for u in campaign.stage_units(stage) if u.id not in absent]
    assert {s.unit.id for s in compiled.sources} == {u.id for u in counted}
    sections = sections_of(markdown)
    totals: dict[str, float] = {}
    for unit in counted:
        report = next((demo_repo / "submissions" / unit.id).glob(f"{stage.stem}.*"))
        if report.suffix == ".md":
            text = report.read_text(encoding="utf-8")
            filled, nothing = filled_sections(campaign, text)
            assert len(filled) + len(nothing) >= 10, unit.id
            for heading in filled:
                assert f"**{unit.name}**" in sections[heading], (unit.id, heading)
            figures = front_matter(text)["so_lieu"]
        else:  # a Word report: its figures as the registered reader gives them
            figures = check_report(
                campaign, f"submissions/{unit.id}/{report.name}", report.read_bytes(), AFTER.date()
            ).numbers
            assert markdown.count(f"**{unit.name}**") >= 8, unit.id
        for key, value in figures.items():  # type: ignore[union-attr]
            totals[key] = totals.get(key, 0) + value
    assert total_row(markdown) == pytest.approx([totals[i.id] for i in campaign.indicators])
    head = front(markdown)
    for unit_id in absent:
        assert campaign.unit_by_id[unit_id].name in head


def test_a_stage_without_outline_keeps_each_report_whole(campaign: Campaign, demo_site: DemoSite) -> None:
    stage = campaign.stage_by_id["tham-dinh"]
    unit = campaign.stage_units(stage)[0]
    compiled = compile_campaign(campaign, demo_site.root, stage.id, datetime.fromisoformat(demo_site.as_of))
    markdown = render_markdown(compiled)
    text = (demo_site.root / "submissions" / unit.id / stage.file).read_text(encoding="utf-8")
    last_line = [line for line in text.splitlines() if line.strip()][-1]
    body = markdown.split("## NỘI DUNG BÁO CÁO\n", 1)[1]
    assert body.lstrip().startswith(f"**{unit.name}** (Báo cáo số ")
    assert last_line.strip() in body
    assert "PHỤ LỤC" not in markdown and "1/1 đơn vị đã nộp" in markdown


def test_submitter_markdown_is_made_inert(campaign: Campaign) -> None:
    """A counted report cannot smuggle script onto the site's Tổng hợp page: no raw HTML passes
    validation, and what Markdown itself could do (links, images, attribute lists) is disarmed."""
    from baocao.documents.compile import Source, compile_reports

    from .compile_data import figures, report_text

    unit = "huyen-uy-son-ha"
    text = report_text(campaign, unit, figures(campaign, 3), number='"7-BC/HU {: onclick=x}"', signed=at(14).date())
    tricks = (
        "Xem [hướng dẫn](javascript:alert(1)) và [trang](https://pccc.gov.vn). ![ảnh](https://x.example/a.png)\n\n"
        'Đoạn có thuộc tính {: onclick="alert(2)" }\n\n[ref]: javascript:alert(3)\n'
    )
    text = text.replace("báo cáo mục uu-diem: đã triển khai", f"báo cáo mục uu-diem:\n\n{tricks}\n\nđã triển khai")
    checked = check_report(campaign, f"submissions/{unit}/bao-cao.md", text.encode(), at(14).date())
    assert checked.ok, checked.findings
    compiled = compile_reports(campaign, campaign.stages[0], at(15), [Source(campaign.unit_by_id[unit], checked)], [])
    markdown = render_markdown(compiled)
    assert "javascript:" not in markdown and "x.example" not in markdown
    assert "{:" not in markdown.replace("\\{:", "")
    assert "[trang](https://pccc.gov.vn)" in markdown and "Xem hướng dẫn" in markdown


def test_each_counted_report_is_read_and_checked_once_with_the_status(
    compile_history: tuple[Path, list[Landing]], campaign: Campaign, compiled: Compiled
) -> None:
    """The status keeps the version it checked; compile (and the site) use that very object,
    and it is what a fresh read and check of the version at that moment gives."""
    assert compiled.status is not None and compiled.sources
    units = {u.unit: u for u in compiled.status.stage(compiled.stage.id).units}
    for src in compiled.sources:
        u = units[src.unit.id]
        assert src.report is u.checked
        fresh = check_report(campaign, u.path, read_blob(compile_history[0], u.blob), compiled.as_of.date())
        assert src.report.report.body == fresh.report.body
        assert src.report.numbers == fresh.numbers
        assert [s.text(src.report.report) for s in src.report.segments] == [
            s.text(fresh.report) for s in fresh.segments
        ]


@pytest.mark.parametrize(
    ("text", "bold"),
    [
        ("Mở đầu.\n\n### Kết quả cụ thể\n\nĐã làm.", "**Kết quả cụ thể**"),
        ("Mở đầu.\n\nKết quả cụ thể\n--------------\n\nĐã làm.", "**Kết quả cụ thể**"),
        ("Mở đầu.\n\nKết quả cụ thể\n===\n\nĐã làm.", "**Kết quả cụ thể**"),
    ],
)
def test_a_units_own_headings_become_bold_lines_whatever_their_form(text: str, bold: str) -> None:
    out = unit_text(text)
    assert bold in out.split("\n") and "#" not in out and "---" not in out and "===" not in out


def test_a_text_without_headings_is_kept_as_written() -> None:
    text = "Đã tổ chức 12 hội nghị - quán triệt.\n\n- Ý một;\n- Ý hai.\n\n> Trích dẫn *nhấn mạnh*."
    assert unit_text(text) == text


def test_inert_escapes_every_tag_opening_and_attribute_list() -> None:
    from baocao.documents.compile_text import inert

    text = inert("a < b <script>x</script> {: #id onclick=y } [t](javascript:z) [u](https://pccc.gov.vn)")
    assert "<" not in text and text.count("&lt;") == 3
    assert "\\{: #id" in text and "javascript" not in text and "[u](https://pccc.gov.vn)" in text


def test_the_appendix_splits_the_indicators_into_tables_of_a_few_each(compiled: Compiled) -> None:
    """As in Word: every indicator once, in order, at most COLUMNS_PER_TABLE to a table."""
    from baocao.documents.draft_markdown import COLUMNS_PER_TABLE, indicator_header

    heads = [line for line in render_markdown(compiled).splitlines() if line.startswith("| STT | Đơn vị |")]
    columns = [[c.strip() for c in line.strip("|").split("|")[2:]] for line in heads]
    assert len(heads) == -(-len(compiled.indicators) // COLUMNS_PER_TABLE) > 1
    assert all(0 < len(c) <= COLUMNS_PER_TABLE for c in columns)
    assert [h for c in columns for h in c] == [indicator_header(t.indicator) for t in compiled.indicators]
