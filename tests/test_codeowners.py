"""CODEOWNERS generated from campaign.yml, and reported by `baocao check` when stale."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from baocao.campaign.model import Campaign
from baocao.ci.codeowners import LOCATIONS, render, rule_codeowners_current
from tests.conftest import ROOT

BAOCAO = Path(sys.executable).parent / "baocao"
NEW_UNIT = '  - {id: huyen-uy-moi, name: "Huyện ủy Mới", group: cap-huyen, submitters: [vt-huyen-uy-moi]}\n'


def owners_of(codeowners: str, path: str) -> list[str]:
    """Owners of a path: the last matching line wins (GitHub and GitLab alike)."""
    found: list[str] = []
    for line in codeowners.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        if pattern == "*" or ("/" + path).startswith(pattern):
            found = owners
    return found


def baocao(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BAOCAO, "--root", root, *args], cwd=root, capture_output=True, text=True)


@pytest.fixture
def campaign_repo(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "campaign.yml", tmp_path / "campaign.yml")
    for rel in LOCATIONS:
        (tmp_path / rel).parent.mkdir(parents=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    return tmp_path


def test_shipped_codeowners_files_match_the_campaign(campaign: Campaign) -> None:
    assert all((ROOT / rel).exists() for rel in LOCATIONS)
    assert list(rule_codeowners_current(campaign, ROOT)) == []


def test_each_unit_folder_belongs_to_its_submitters_and_the_office(campaign: Campaign) -> None:
    text = render(campaign)
    office = [f"@{m}" for m in campaign.campaign.maintainers]
    for unit in campaign.units:
        assert owners_of(text, f"submissions/{unit.id}/bao-cao.md") == [f"@{s}" for s in unit.submitters] + office
    assert owners_of(text, "campaign.yml") == office
    assert owners_of(text, ".github/workflows/pr-check.yml") == office


def test_check_reports_stale_codeowners_after_a_unit_is_added_and_codeowners_fixes_it(campaign_repo: Path) -> None:
    text = (campaign_repo / "campaign.yml").read_text(encoding="utf-8")
    anchor = "\noutline:\n"
    (campaign_repo / "campaign.yml").write_text(text.replace(anchor, NEW_UNIT + anchor, 1), encoding="utf-8")
    done = baocao(campaign_repo, "check")
    assert done.returncode == 1
    stale = [line for line in done.stdout.splitlines() if " P750 " in line]
    assert {line.split(":")[0] for line in stale} == set(LOCATIONS)
    assert "@vt-huyen-uy-moi" in done.stdout
    # A check of named files (the pre-commit hook) is about those files only.
    (campaign_repo / "submissions").mkdir()
    assert "P750" not in baocao(campaign_repo, "check", "submissions").stdout
    assert baocao(campaign_repo, "codeowners", "--check").returncode == 1
    fixed = baocao(campaign_repo, "codeowners")
    assert fixed.returncode == 0 and fixed.stdout.count("Đã ghi") == 2
    assert "/submissions/huyen-uy-moi/ @vt-huyen-uy-moi" in (campaign_repo / ".github/CODEOWNERS").read_text("utf-8")
    assert baocao(campaign_repo, "codeowners", "--check").returncode == 0
    assert "P750" not in baocao(campaign_repo, "check").stdout


def test_no_codeowners_files_means_nothing_to_report(tmp_path: Path, campaign: Campaign) -> None:
    shutil.copy(ROOT / "campaign.yml", tmp_path / "campaign.yml")
    assert list(rule_codeowners_current(campaign, tmp_path)) == []
