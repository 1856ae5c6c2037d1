"""The clerk's path on a campaign that names its repository, in Debian's Chromium: the unit
page's submit button is in view on a phone without scrolling, and it and the status table's
link go to the hosting site's upload and edit pages of the unit's folder. With
BAOCAO_SCREENSHOTS=1 it writes the guide's pictures (docs/huong-dan.md) to docs/assets/."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from baocao.demo import build as demo

from .conftest import ROOT, DemoSite

pytestmark = pytest.mark.browser

from .browser_kit import Browser, serve_and_browse  # noqa: E402  (skips the module without Chromium)

REPO = "https://github.com/tinh-uy-qn/bao-cao-1055"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def hosted(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, copied, with ``repo_url`` in its campaign.yml (left uncommitted), built again."""
    root = tmp_path_factory.mktemp("hosted") / "repo"
    shutil.copytree(demo_site.root, root, ignore=shutil.ignore_patterns("site"))
    config = root / "campaign.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["campaign"]["repo_url"] = REPO
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return demo.build_site(root, as_of=demo_site.as_of)


@pytest.fixture(scope="module")
def browser(hosted: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with serve_and_browse(hosted, tmp_path_factory.mktemp("chromium-submit")) as b:
        yield b


def _pictures(tmp_path: Path) -> Path:
    return ROOT / "docs" / "assets" if os.environ.get("BAOCAO_SCREENSHOTS") else tmp_path


def test_a_unit_page_shows_its_upload_and_edit_buttons_in_view_on_a_phone(
    browser: Browser, hosted: Path, tmp_path: Path
) -> None:
    status = json.loads((hosted / "status.json").read_text(encoding="utf-8"))
    unit = next(u for u in status["stages"][0]["units"] if u["path"] and u["path"].endswith(".md"))
    page = browser.open(f"don-vi/{unit['unit']}.html")
    page.set_viewport_size(PHONE)
    submit = page.locator("a.bc-submit").first
    edit = page.locator("a.bc-edit").first
    assert submit.get_attribute("href") == f"{REPO}/upload/main/submissions/{unit['unit']}"
    assert edit.get_attribute("href") == f"{REPO}/edit/main/{unit['path']}"
    box = submit.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # no scrolling to find it
    assert submit.is_visible() and edit.is_visible()
    page.screenshot(path=str(_pictures(tmp_path) / "nop-nut-dien-thoai.png"))
    page.close()


def test_the_status_table_links_a_unit_without_a_report_to_its_upload_page(
    browser: Browser, hosted: Path, tmp_path: Path
) -> None:
    status = json.loads((hosted / "status.json").read_text(encoding="utf-8"))
    stage = status["stages"][0]
    missing = next(u for u in stage["units"] if not u["path"])
    page = browser.open("tinh-hinh.html")
    page.set_viewport_size(DESKTOP)
    row = page.locator(
        f'table[data-stage="{stage["id"]}"] tr[data-state]', has=page.locator(f'a[href$="{missing["unit"]}.html"]')
    )
    link = row.locator("a.bc-submit")
    assert link.get_attribute("href") == f"{REPO}/upload/main/submissions/{missing['unit']}"
    assert link.inner_text() == "Nộp"
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(_pictures(tmp_path) / "nop-bang-tinh-hinh.png"))
    page.close()
