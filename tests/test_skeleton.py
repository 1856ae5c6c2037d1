"""`baocao new`: the skeleton follows the outline, parses, and passes once filled in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from baocao.campaign.model import Campaign
from baocao.checks.validation import check_report
from baocao.cli import main
from baocao.reports.outline import flatten
from baocao.reports.report import parse_markdown
from tests.conftest import ROOT

UNIT = "huyen-uy-binh-son"


def _root(tmp: Path) -> Path:
    shutil.copy(ROOT / "campaign.yml", tmp / "campaign.yml")
    return tmp


def _new(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "new", *args])
    return result.exit_code, result.output


def _fill(text: str) -> str:
    """What a clerk does: number, signer, the unit's figures, and a sentence in every empty section."""
    text = text.replace('so_hieu: ""', "so_hieu: 312-BC/HU").replace('nguoi_ky: ""', "nguoi_ky: Trần Văn Phước")
    text = text.replace("  so_vu_chay: 0", "  so_vu_chay: 4", 1)  # not every figure left at 0 (N510)
    return re.sub(r"^(<!-- .* -->)$", r"\1\n\nĐã triển khai đầy đủ.", text, flags=re.M)


def test_skeleton_follows_the_outline_and_knows_the_unit(campaign: Campaign, tmp_path: Path) -> None:
    root = _root(tmp_path)
    code, out = _new(root, UNIT)
    path = root / "submissions" / UNIT / "bao-cao.md"
    assert code == 0 and "bao-cao.md" in out
    parsed = parse_markdown(path.read_bytes(), "x")
    assert parsed.findings == [] and parsed.html_lines == []
    assert parsed.meta["don_vi"] == UNIT and parsed.meta["ngay"] == campaign.today(campaign.closing())
    assert parsed.meta["so_lieu"] == {i.id: 0 for i in campaign.indicators}
    text = path.read_text(encoding="utf-8")
    assert "  thiet_hai_tai_san: 0  # Thiệt hại tài sản (triệu đồng)" in text
    entries = flatten(campaign.outline)
    assert [(h.level, h.text) for h in parsed.headings[1:]] == [(e.depth + 1, e.heading) for e in entries]
    for e in entries:
        if e.section.guidance:
            assert f"<!-- {e.section.guidance}" in text


def test_unfilled_skeleton_lists_exactly_what_is_left_to_write(campaign: Campaign, tmp_path: Path) -> None:
    root = _root(tmp_path)
    _new(root, UNIT)
    rel = f"submissions/{UNIT}/bao-cao.md"
    found = check_report(campaign, rel, (root / rel).read_bytes(), campaign.today()).findings
    leaves = [e for e in flatten(campaign.outline) if not e.section.sections]
    # the skeleton's figures are all 0: a warning (N510) until the clerk writes the real ones
    assert sorted(f.code for f in found) == ["M303", "M303", "N510"] + ["S403"] * len(leaves)


def test_filled_skeleton_passes_check(tmp_path: Path) -> None:
    root = _root(tmp_path)
    _new(root, UNIT)
    path = root / "submissions" / UNIT / "bao-cao.md"
    path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "check"])
    assert (result.exit_code, result.output.strip()) == (0, "Không có lỗi.")


def test_new_refuses_to_overwrite_a_report(tmp_path: Path) -> None:
    root = _root(tmp_path)
    path = root / "submissions" / UNIT / "bao-cao.md"
    path.parent.mkdir(parents=True)
    path.write_text("bản nháp của văn thư", encoding="utf-8")
    code, out = _new(root, UNIT)
    assert code == 1 and "không ghi đè" in out
    assert path.read_text(encoding="utf-8") == "bản nháp của văn thư"


def test_new_rejects_unknown_unit_and_unexpected_stage(tmp_path: Path) -> None:
    root = _root(tmp_path)
    assert _new(root, "huyen-uy-khong-co")[0] == 1
    code, out = _new(root, UNIT, "--stage", "tham-dinh")
    assert code == 1 and "không phải nộp" in out
    assert not (root / "submissions").exists()


def test_stage_without_outline_or_indicators_gets_a_plain_skeleton(campaign: Campaign, tmp_path: Path) -> None:
    root = _root(tmp_path)
    code, _ = _new(root, "ban-noi-chinh-tinh-uy")
    path = root / "submissions/ban-noi-chinh-tinh-uy/tham-dinh.md"
    assert code == 0
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert "so_lieu" not in meta and meta["don_vi"] == "ban-noi-chinh-tinh-uy"
    filled = _fill(path.read_text(encoding="utf-8")) + "\nDự thảo bảo đảm yêu cầu; đề nghị trình Thường trực Tỉnh ủy.\n"
    rel = "submissions/ban-noi-chinh-tinh-uy/tham-dinh.md"
    assert check_report(campaign, rel, filled.encode(), campaign.today()).ok
