"""The validator on the example campaign and on the edge cases the corpus does not cover."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.campaign.model import Campaign
from baocao.checks import validation
from baocao.checks.validation import check_file, check_file_report, check_report, check_tree
from baocao.cli import main
from baocao.reports.outline import Matcher, flatten, segment
from baocao.reports.report import parse_markdown
from tests.conftest import ROOT

EXAMPLE = ROOT / "tests/fixtures/example"
BINH_SON = EXAMPLE / "submissions/huyen-uy-binh-son/bao-cao.md"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _root(tmp: Path, files: dict[str, bytes]) -> Path:
    shutil.copy(ROOT / "campaign.yml", tmp / "campaign.yml")
    for rel, data in files.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_bytes(data)
    return tmp


def _codes(checked_findings: list) -> list[str]:
    return sorted(f.code for f in checked_findings)


def test_example_campaign_passes_check_with_exit_0() -> None:
    code, out = _run("--root", str(EXAMPLE), "check")
    # Its PDF is a scanned original without a digital signature: a warning, never an error.
    assert code == 0 and out.strip().endswith("0 lỗi, 1 cảnh báo.")
    assert "ban-ky.pdf:1: K901 [cảnh báo]" in out


def test_example_reports_have_their_figures_and_sub_headings(campaign: Campaign) -> None:
    reports = sorted((EXAMPLE / "submissions").glob("*/bao-cao.md"))
    assert len(reports) == 4
    for p in reports:
        checked = check_report(campaign, p.relative_to(EXAMPLE).as_posix(), p.read_bytes(), date(2022, 6, 19))
        assert checked.ok and len(checked.numbers) == len(campaign.indicators)
    parsed = parse_markdown(BINH_SON.read_bytes(), "x")
    _, segs = segment(parsed, Matcher(flatten(campaign.outline)))
    inspection = next(s for s in segs if s.entry and s.entry.id == "quan-ly-nha-nuoc")
    assert "#### b) Thẩm duyệt thiết kế, nghiệm thu" in inspection.text(parsed)


def test_json_format_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    root = _root(tmp_path, {"submissions/huyen-uy-ba-to/ghi-chu.txt": b"x", "submissions/la/bao-cao.md": b"x"})
    code, out = _run("--root", str(root), "check", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and set(doc) == {"findings", "errors", "warnings"}
    assert (doc["errors"], doc["warnings"]) == (2, 0)
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "path", "line", "message"}
    assert [f["code"] for f in doc["findings"]] == ["F201", "F207"]


def test_campaign_that_cannot_be_loaded_exits_2_with_its_findings(tmp_path: Path) -> None:
    (tmp_path / "campaign.yml").write_text("campaign: {id: x, title: y, colour: red}\n", encoding="utf-8")
    code, out = _run("--root", str(tmp_path), "check", "--format", "json")
    assert code == 2
    assert {f["code"] for f in json.loads(out)["findings"]} == {"C102"}
    code, _ = _run("--root", str(tmp_path / "khong-co"), "check")
    assert code == 2


def test_github_format_prints_workflow_commands(tmp_path: Path) -> None:
    root = _root(tmp_path, {"submissions/huyen-uy-ba-to/ghi-chu.txt": b"x"})
    code, out = _run("--root", str(root), "check", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=submissions/huyen-uy-ba-to/ghi-chu.txt,line=1,title=F201 ")


def test_two_reports_for_one_stage_in_a_folder_are_an_error(campaign: Campaign, tmp_path: Path) -> None:
    assert ".docx" in validation.READERS  # registered by the Word reader
    report = BINH_SON.read_bytes()
    root = _root(
        tmp_path,
        {"submissions/huyen-uy-binh-son/bao-cao.md": report, "submissions/huyen-uy-binh-son/bao-cao.docx": report},
    )
    found = check_tree(campaign, root, date(2022, 6, 19))
    dup = [f for f in found if f.code == "F210"]
    assert [(f.path, f.code) for f in dup] == [("submissions/huyen-uy-binh-son/bao-cao.md", "F210")]
    assert "bao-cao.docx" in dup[0].message
    # Checking just one of the two files still sees its sibling.
    only = check_tree(campaign, root, date(2022, 6, 19), [root / "submissions/huyen-uy-binh-son/bao-cao.docx"])
    assert "F210" in _codes(only)


def test_same_report_name_in_other_case_is_a_second_report(tmp_path: Path) -> None:
    report = BINH_SON.read_bytes()
    root = _root(
        tmp_path,
        {"submissions/huyen-uy-binh-son/bao-cao.md": report, "submissions/huyen-uy-binh-son/bao-cao.MD": report},
    )
    code, out = _run("--root", str(root), "check", "--format", "json")
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["F210"]


def test_a_path_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    root = _root(tmp_path, {})
    code, out = _run("--root", str(root), "check", "--format", "json", str(root / "submissions/x/bao-cao.md"))
    assert code == 1 and json.loads(out)["findings"][0]["code"] == "F211"


def test_today_is_the_campaign_zone_day_not_the_utc_day(campaign: Campaign) -> None:
    evening_utc = datetime(2022, 6, 19, 17, 30, tzinfo=UTC)  # 00:30 on 20/6 in Quảng Ngãi
    today = campaign.today(evening_utc)
    assert today == date(2022, 6, 20)
    signed_20 = BINH_SON.read_bytes().replace(b"ngay: 2022-06-15", b"ngay: 2022-06-20")
    path = "submissions/huyen-uy-binh-son/bao-cao.md"
    assert check_report(campaign, path, signed_20, today).ok
    assert _codes(check_report(campaign, path, signed_20, evening_utc.date()).findings) == ["M309"]


def test_signed_after_the_day_reads_today_for_a_check_and_the_landing_day_for_history(campaign: Campaign) -> None:
    data = BINH_SON.read_bytes().replace(b"ngay: 2022-06-15", b"ngay: 2022-06-21")
    path = "submissions/huyen-uy-binh-son/bao-cao.md"
    (now,) = check_file(campaign, path, data, date(2022, 6, 19))
    (then,), checked = check_file_report(campaign, path, data, date(2022, 6, 19), landed=True)
    assert now.message == "Ngày ký 21/06/2022 ở sau ngày hôm nay (19/06/2022)."
    assert then.message == "Ngày ký 21/06/2022 ở sau ngày báo cáo được đưa lên nhánh chính (19/06/2022)."
    assert checked is not None and checked.path == path and checked.findings == [then]


def test_only_a_report_comes_back_read_with_its_findings(campaign: Campaign) -> None:
    pdf = "submissions/huyen-uy-binh-son/bao-cao-ky.pdf"
    assert check_file_report(campaign, pdf, b"%PDF-1.4", date(2022, 6, 19)) == ([], None)
    found, checked = check_file_report(campaign, BINH_SON.as_posix(), BINH_SON.read_bytes(), date(2022, 6, 19))
    assert checked is None and _codes(found) == ["F201"]


@pytest.mark.parametrize(
    ("written", "codes", "hint"),
    [
        ("2022-06-15 08:30:00", [], ""),
        ("15/06/2022", ["M308"], "ngay: 2022-06-15"),
        ("15-6-2022", ["M308"], "ngay: 2022-06-15"),
        ("31/02/2022", ["M308"], "không tồn tại"),
        ('"2022-6-15"', ["M308"], "ngay: 2022-06-15"),
        ("ngày 15 tháng 6", ["M308"], "năm-tháng-ngày"),
    ],
)
def test_signing_date_forms(campaign: Campaign, written: str, codes: list[str], hint: str) -> None:
    data = BINH_SON.read_bytes().replace(b"ngay: 2022-06-15", f"ngay: {written}".encode())
    found = check_report(campaign, "submissions/huyen-uy-binh-son/bao-cao.md", data, date(2022, 6, 19)).findings
    assert _codes(found) == codes
    assert all(hint in f.message for f in found)


@pytest.mark.parametrize(
    ("indicator", "written", "value", "code"),
    [
        ("so_vu_chay", "010", 10, None),  # not YAML's octal 8
        ("so_vu_chay", '"12"', 12, None),
        ("thiet_hai_tai_san", "0.500", 0.5, None),  # a leading 0 is no thousands group
        ("thiet_hai_tai_san", "1.500", None, "N507"),
        ("so_vu_chay", "1.000.000", None, "N507"),
        ("so_vu_chay", ".nan", None, "N504"),
        ("so_vu_chay", "yes", None, "N504"),
        ("so_vu_chay", "[1, 2]", None, "N504"),
    ],
)
def test_indicator_values_are_read_as_the_clerk_means(
    campaign: Campaign, indicator: str, written: str, value: float | None, code: str | None
) -> None:
    text = BINH_SON.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"  {indicator}:"))
    data = text.replace(line, f"  {indicator}: {written}").encode()
    checked = check_report(campaign, "submissions/huyen-uy-binh-son/bao-cao.md", data, date(2022, 6, 19))
    assert _codes(checked.findings) == ([code] if code else [])
    assert checked.numbers.get(indicator) == value


def test_a_file_outside_submissions_is_not_a_unit_report(campaign: Campaign) -> None:
    found = check_file(campaign, "nhap/huyen-uy-binh-son/bao-cao.md", BINH_SON.read_bytes(), date(2022, 6, 19))
    assert _codes(found) == ["F201"]


def test_campaign_without_indicators_needs_no_so_lieu(campaign: Campaign) -> None:
    bare = campaign.model_copy(update={"indicators": []})
    text = BINH_SON.read_text(encoding="utf-8")
    start, end = text.index("so_lieu:"), text.index("---", 10)
    data = (text[:start] + text[end:]).encode()
    assert check_report(bare, "submissions/huyen-uy-binh-son/bao-cao.md", data, date(2022, 6, 19)).ok
    assert _codes(
        check_report(campaign, "submissions/huyen-uy-binh-son/bao-cao.md", data, date(2022, 6, 19)).findings
    ) == ["N501"]


# ------------------------------------------------------------------ outline and indicator boundaries

DAY = date(2022, 6, 15)
PATH = "submissions/huyen-uy-binh-son/bao-cao.md"


def _report_without(campaign: Campaign, *, section: str | None = None, indicator: str | None = None) -> bytes:
    from tests.history_data import report

    text = report(campaign, "huyen-uy-binh-son")
    lines = text.split("\n")
    if section is not None:
        heading = next(e.heading for e in flatten(campaign.outline) if e.id == section)
        i = next(i for i, line in enumerate(lines) if line.endswith(heading))
        j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("#")), len(lines))
        del lines[i:j]
    if indicator is not None:
        lines = [line for line in lines if not line.strip().startswith(f"{indicator}:")]
    return "\n".join(lines).encode("utf-8")


def _found(campaign: Campaign, data: bytes) -> list[str]:
    return sorted(f.code for f in check_file(campaign, PATH, data, DAY))


def _variant(replace: str, by: str) -> Campaign:
    from baocao.campaign.load import load_campaign_text

    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    assert replace in text
    return load_campaign_text(text.replace(replace, by, 1))


def test_an_optional_section_may_be_left_out_and_a_required_one_may_not(campaign: Campaign) -> None:
    data = _report_without(campaign, section="uu-diem")
    assert _found(campaign, data) == ["S401"]
    optional = _variant('heading: "1. Ưu điểm", guidance', 'heading: "1. Ưu điểm", required: false, guidance')
    assert _found(optional, data) == []


def test_an_optional_indicator_may_be_left_out_and_a_required_one_may_not(campaign: Campaign) -> None:
    first = campaign.indicators[0]
    data = _report_without(campaign, indicator=first.id)
    assert _found(campaign, data) == ["N503"]
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if f"id: {first.id}," in line)
    optional = _variant(line, line.replace("}", ", required: false}"))
    assert _found(optional, data) == []


def test_a_missing_top_level_section_is_named(campaign: Campaign) -> None:
    top = campaign.outline[-1]
    found = check_file(campaign, PATH, _report_without(campaign, section=top.id), DAY)
    assert [(f.code, top.heading in f.message) for f in found] == [("S401", True)]


def test_every_misplaced_section_is_reported_not_only_the_first(campaign: Campaign) -> None:
    from tests.history_data import report

    text = report(campaign, "huyen-uy-binh-son")
    tops = [e for e in flatten(campaign.outline) if e.depth == 1]
    # Move the last two top-level sections before the first: both stand out of order.
    blocks = text.split("\n## ")
    head, rest = blocks[0], blocks[1:]
    reordered = [rest[-1], rest[-2], *rest[:-2]]
    data = (head + "\n## " + "\n## ".join(reordered)).encode("utf-8")
    misplaced = [f for f in check_file(campaign, PATH, data, DAY) if f.code == "S402"]
    named = {f.message.split("“")[1].split("”")[0] for f in misplaced}
    # Everything now after the last section is out of order: the second-to-last and the first two.
    assert {tops[-2].heading, tops[0].heading, tops[1].heading} <= named


def test_utf16_without_a_bom_is_recognised_and_named(campaign: Campaign) -> None:
    from tests.history_data import report

    data = report(campaign, "huyen-uy-binh-son").encode("utf-16-le")
    (f,) = check_file(campaign, PATH, data, DAY)
    assert f.code == "F204" and "UTF-16" in f.message
