"""The site's "Tải khung báo cáo" files: the very skeleton ``baocao new`` writes, per unit and stage."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from baocao.campaign.load import load_campaign
from baocao.campaign.model import Campaign
from baocao.cli import main
from baocao.demo.simulate import HistoryWriter
from baocao.documents.skeleton import skeleton
from baocao.reports.report import parse_markdown
from baocao.site.core import SiteContext, load_context
from baocao.site.skeleton_files import expected_stages, skeleton_files, skeleton_path
from tests.conftest import ROOT, DemoSite

UNIT = "huyen-uy-binh-son"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A campaign repository with nothing submitted yet."""
    root = tmp_path_factory.mktemp("khung") / "repo"
    w = HistoryWriter.init(root)
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Khởi tạo đợt báo cáo", datetime.fromisoformat("2022-06-01T08:00:00+07:00"))
    return root


def _context(repo: Path, as_of: datetime | None = None) -> SiteContext:
    return load_context(repo, load_campaign(repo / "campaign.yml"), as_of)


def test_downloaded_skeleton_is_what_baocao_new_writes_today(repo: Path, campaign: Campaign, tmp_path: Path) -> None:
    files = skeleton_files(_context(repo))  # the site of now
    for stage in campaign.stages:  # a unit of each stage (each stage has its own outline and file)
        unit = UNIT if stage is expected_stages(campaign)[UNIT][0] else campaign.stage_units(stage)[0].id
        clerk = tmp_path / stage.id
        clerk.mkdir()
        shutil.copy(repo / "campaign.yml", clerk / "campaign.yml")
        done = CliRunner().invoke(main, ["--root", str(clerk), "new", unit, "--stage", stage.id])
        assert done.exit_code == 0, done.output
        written = (clerk / "submissions" / unit / stage.file).read_bytes()
        assert files[skeleton_path(unit, stage)] == written


def test_every_unit_has_a_skeleton_for_each_stage_it_must_submit(repo: Path, campaign: Campaign) -> None:
    files = skeleton_files(_context(repo))
    wanted = {skeleton_path(u.id, s) for s in campaign.stages for u in campaign.stage_units(s)}
    assert set(files) == wanted
    for stage in campaign.stages:
        for unit in campaign.stage_units(stage):
            meta = parse_markdown(files[skeleton_path(unit.id, stage)], stage.file).meta  # type: ignore[arg-type]
            assert meta["don_vi"] == unit.id


def test_skeleton_is_dated_the_site_day_in_the_campaign_time_zone(repo: Path, campaign: Campaign) -> None:
    # 20:00 UTC on 30/6 is already 1/7 in Quảng Ngãi (UTC+7).
    files = skeleton_files(_context(repo, datetime.fromisoformat("2022-06-30T20:00:00+00:00")))
    stage = expected_stages(campaign)[UNIT][0]
    meta = parse_markdown(files[skeleton_path(UNIT, stage)], stage.file).meta  # type: ignore[arg-type]
    assert meta["ngay"].isoformat() == "2022-07-01"


def test_unit_page_links_its_skeleton_with_the_stage_file_name(demo_site: DemoSite) -> None:
    campaign = load_campaign(demo_site.root / "campaign.yml")
    day = datetime.fromisoformat(demo_site.as_of).astimezone(campaign.tz).date()
    page = (demo_site.site / "don-vi" / f"{UNIT}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)">Tải khung báo cáo \(\.md\)</a>', page)
    stages = expected_stages(campaign)[UNIT]
    assert [name for _, name in links] == [s.file for s in stages]
    for (href, _), stage in zip(links, stages, strict=True):
        target = (demo_site.site / "don-vi" / unquote(href)).resolve()
        assert target == (demo_site.site / skeleton_path(UNIT, stage)).resolve()
        assert target.read_text(encoding="utf-8") == skeleton(campaign, UNIT, stage, day)
