"""What changed after the deadline: on a real dated history where units revise their reports
after the deadline (``baocao diff``, the unit page, the Tổng hợp page)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.campaign.model import Campaign
from baocao.cli import main
from baocao.demo.simulate import HistoryWriter
from baocao.documents.changes import deadline_landing, since_deadline
from baocao.documents.compile import compile_campaign
from baocao.documents.draft_markdown import render_markdown
from baocao.history.read import read_blob
from baocao.status.judge import compute_status

from .compile_data import ROOT, at, figures, path_of, report_text

REVISED = "huyen-uy-ba-to"  # on time, then revised after the deadline
LATE = "huyen-uy-son-ha"  # first sent late, then revised
QUIET = "thi-uy-duc-pho"  # revised before the deadline only
AS_OF = at(30)

OLD_PARAGRAPH = "Huyện ủy Ba Tơ đã tổ chức 12 hội nghị quán triệt."
NEW_PARAGRAPH = "Huyện ủy Ba Tơ đã tổ chức 14 hội nghị quán triệt cho toàn bộ đảng viên."
DROPPED = "Đoạn này bị bỏ trong bản sửa."
ADDED = "Bổ sung: thành lập thêm 3 đội dân phòng ở xã Ba Vì."


def _text(campaign: Campaign, unit: str, seed: int, *, revised: bool = False) -> str:
    numbers = figures(campaign, seed)
    if revised:
        numbers["so_vu_chay"] = numbers["so_vu_chay"] + 5
    text = report_text(campaign, unit, numbers, number=f"{seed}-BC/HU", signed=at(14).date())
    old = f"{OLD_PARAGRAPH}\n\n{DROPPED}"
    new = f"{NEW_PARAGRAPH}\n\n{ADDED}"
    lines = text.split("\n")
    at_line = next(i for i, line in enumerate(lines) if "báo cáo mục lanh-dao-chi-dao: đã triển khai" in line)
    lines.insert(at_line, f"{new if revised else old}\n")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    root = tmp_path_factory.mktemp("changes") / "repo"
    w = HistoryWriter.init(root)
    shutil.copy(ROOT / "campaign.yml", root / "campaign.yml")
    w.git("add", "campaign.yml")
    w.commit("Campaign", at(6, 8))
    plan = [
        (QUIET, at(12), _text(campaign, QUIET, 1)),
        (REVISED, at(15), _text(campaign, REVISED, 2)),
        (QUIET, at(18), _text(campaign, QUIET, 1, revised=True)),
        (LATE, at(22), _text(campaign, LATE, 3)),
        (REVISED, at(24), _text(campaign, REVISED, 2, revised=True)),
        (LATE, at(26), _text(campaign, LATE, 3, revised=True)),
    ]
    for i, (unit, merged, text) in enumerate(plan):
        w.pull_request(f"nop-{unit}-{i}", {path_of(unit): text}, authored=merged, merged=merged)
    return root


def test_the_version_at_the_deadline_is_the_last_before_it_or_the_first_late_one(
    campaign: Campaign, repo: Path
) -> None:
    status = compute_status(campaign, repo, AS_OF)
    units = {u.unit: u for u in status.stage("bao-cao-don-vi").units}
    assert deadline_landing(units[REVISED]).landed_at == at(15)  # type: ignore[union-attr]
    assert deadline_landing(units[QUIET]).landed_at == at(18)  # type: ignore[union-attr]
    assert deadline_landing(units[LATE]).landed_at == at(22)  # type: ignore[union-attr]
    changes = since_deadline(campaign, status, lambda b: read_blob(repo, b))
    assert set(changes) == {(REVISED, "bao-cao-don-vi"), (LATE, "bao-cao-don-vi")}  # QUIET changed in time


def test_a_revision_after_the_deadline_is_described_section_by_section(campaign: Campaign, repo: Path) -> None:
    status = compute_status(campaign, repo, AS_OF)
    d = since_deadline(campaign, status, lambda b: read_blob(repo, b))[(REVISED, "bao-cao-don-vi")]
    assert d.before.landed_at == at(15) and d.after.landed_at == at(24)
    (section,) = d.sections
    assert section.heading.startswith("1. Công tác lãnh đạo")
    assert section.changed == ((OLD_PARAGRAPH, NEW_PARAGRAPH),)
    assert section.removed == (DROPPED,) and section.added == (ADDED,)
    (figure,) = d.figures
    before = figures(campaign, 2)["so_vu_chay"]
    assert (figure.label, figure.before, figure.after) == ("Số vụ cháy", before, before + 5)


def test_cli_diff_prints_the_changes_and_compares_any_two_refs(campaign: Campaign, repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(repo), "diff", REVISED, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "bản tính đến hạn" in out and "15/06/2022 09:00" in out and "24/06/2022 09:00" in out
    assert f"> {OLD_PARAGRAPH}" in out and f"> {NEW_PARAGRAPH}" in out
    assert out.index("Bỏ:") < out.index(f"> {DROPPED}") and f"> {ADDED}" in out
    assert "| Số vụ cháy (vụ) |" in out
    # the same file at two refs of the branch: the first commit that has it and HEAD
    first = HistoryWriter(repo).git("log", "--format=%H", "--reverse", "--first-parent", "--", path_of(REVISED))
    result = runner.invoke(main, ["--root", str(repo), "diff", REVISED, "--from", first.split()[0], "--to", "main"])
    assert result.exit_code == 0, result.output
    assert f"> {ADDED}" in result.output
    quiet = runner.invoke(main, ["--root", str(repo), "diff", QUIET, "--as-of", AS_OF.isoformat()])
    assert quiet.exit_code == 0 and "Hai bản giống nhau" in quiet.output


def test_cli_diff_says_what_is_wrong(repo: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["--root", str(repo), "diff", "khong-co"])
    assert unknown.exit_code == 2 and "không có đơn vị 'khong-co'" in unknown.output
    missing = runner.invoke(main, ["--root", str(repo), "diff", "huyen-uy-tra-bong"])
    assert missing.exit_code == 1 and "chưa nộp báo cáo" in missing.output
    bad_ref = runner.invoke(main, ["--root", str(repo), "diff", REVISED, "--from", "khong-co-nhanh"])
    assert bad_ref.exit_code == 2 and "khong-co-nhanh" in bad_ref.output


def test_the_compiled_draft_names_the_units_that_changed_since_the_deadline(campaign: Campaign, repo: Path) -> None:
    compiled = compile_campaign(campaign, repo, as_of=AS_OF)
    assert [d.unit.id for d in compiled.changed] == [REVISED, LATE]
    line = next(x for x in render_markdown(compiled).splitlines() if "sửa sau hạn" in x)
    assert "(2)" in line and "Huyện ủy Ba Tơ (thay đổi 1 chỉ tiêu số liệu và 1 mục)" in line
    assert campaign.unit_by_id[QUIET].name not in line
    # before the revision landed, nothing had changed yet
    assert compile_campaign(campaign, repo, as_of=at(23)).changed == []


def test_the_unit_page_shows_the_version_at_the_deadline_beside_the_latest(campaign: Campaign, repo: Path) -> None:
    from baocao.site.core import load_context, splice
    from baocao.site.units import unit_pages

    ctx = load_context(repo, campaign, AS_OF)
    pages = unit_pages(ctx)
    page = pages[ctx.unit_page(REVISED)]
    assert "### Thay đổi sau hạn" in page
    html = splice(page, ctx.fragments)
    section = html.split("### Thay đổi sau hạn", 1)[1]
    assert "<blockquote>" in section and NEW_PARAGRAPH in section and OLD_PARAGRAPH in section
    assert "<h5>Số liệu thay đổi</h5>" in section  # the diff's headings under the page's own
    assert "### Thay đổi sau hạn" not in pages[ctx.unit_page(QUIET)]
