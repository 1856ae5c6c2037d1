"""The demo site in a real browser (Debian's Chromium driven by Playwright), served on
127.0.0.1: what a reader sees, and that nothing leaves the machine or runs a submitter's code."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from baocao.demo import build as demo

from .conftest import ROOT, DemoSite

pytestmark = pytest.mark.browser

from .browser_kit import Browser, serve_and_browse  # noqa: E402  (skips the module without Chromium)


@pytest.fixture(scope="module")
def browser(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with serve_and_browse(demo_site.site, tmp_path_factory.mktemp("chromium-profile")) as b:
        yield b


@pytest.fixture(scope="module")
def status(demo_site: DemoSite) -> dict:
    return json.loads((demo_site.site / "status.json").read_text(encoding="utf-8"))


def test_home_shows_chart_and_headline_counts(browser: Browser, status: dict) -> None:
    page = browser.open("index.html")
    chart = page.locator("svg.bc-chart")
    assert chart.is_visible()
    assert chart.locator("polyline.bc-line").count() == len(status["stages"])
    assert chart.locator("line.bc-deadline").count() == len(status["stages"])
    for st in status["stages"]:  # one row of figures per stage, never added across stages
        cards = page.locator(f'.bc-cards[data-stage="{st["id"]}"]')
        for state in ("on_time", "late", "overdue", "invalid"):
            assert cards.locator(f'[data-count="{state}"]').inner_text() == str(st["counts"][state])
        valid = st["counts"]["on_time"] + st["counts"]["late"]
        assert cards.locator('[data-count="valid"]').inner_text() == f"{valid}/{len(st['units'])}"
    assert page.locator("ol.bc-timeline > li").count() == len(status["stages"])
    page.close()


def test_status_table_filters_by_state_and_group(browser: Browser, status: dict) -> None:
    page = browser.open("tinh-hinh.html")
    rows = page.locator("table[data-bc-table] tbody tr[data-state]")  # not the groups' heading rows
    total = sum(len(st["units"]) for st in status["stages"])
    assert rows.count() == total
    page.select_option('select[data-filter="state"]', "late")
    late = sum(st["counts"]["late"] for st in status["stages"])
    visible = page.locator("table[data-bc-table] tbody tr[data-state]:visible")
    assert visible.count() == late > 0
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.state)")) == {"late"}
    page.select_option('select[data-filter="state"]', "")
    page.select_option('select[data-filter="group"]', "cap-huyen")
    in_group = sum(u["group"] == "cap-huyen" for st in status["stages"] for u in st["units"])
    assert page.locator("table[data-bc-table] tbody tr[data-state]:visible").count() == in_group
    page.close()


def test_status_table_sorts_by_submission_time(browser: Browser) -> None:
    page = browser.open("tinh-hinh.html")
    first = page.locator('table[data-stage="bao-cao-don-vi"]')
    first.locator("th button", has_text="Thời điểm nộp").click()
    groups = first.locator("tbody").evaluate_all(
        "bs => bs.map(b => Array.from(b.rows).filter(r => r.dataset.state).map(r => r.cells[2].dataset.sort))"
    )
    assert len(groups) > 1 and all(times == sorted(times) for times in groups)  # within each group
    page.close()


def test_unit_page_opens_from_the_status_table(browser: Browser) -> None:
    page = browser.open("tinh-hinh.html")
    page.locator('table[data-stage="bao-cao-don-vi"] a', has_text="Huyện ủy Bình Sơn").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("don-vi/huyen-uy-binh-son.html")
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == "Huyện ủy Bình Sơn"
    assert page.locator(".bc-report").first.is_visible()
    page.close()


@pytest.mark.parametrize("query", ["Bình Sơn", "binh son"])
def test_search_finds_a_unit_with_or_without_accents(browser: Browser, query: str) -> None:
    page = browser.open("index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Material's search listens to key events, so type as a reader would.
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(state="visible", timeout=15000)
    assert "Huyện ủy Bình Sơn" in first.inner_text()
    assert "don-vi/huyen-uy-binh-son.html" in (first.get_attribute("href") or "")
    page.close()


def test_submitted_script_and_onerror_change_nothing(browser: Browser) -> None:
    page = browser.open(f"don-vi/{demo.INVALID}.html")
    report = page.locator(".bc-report")
    assert "<script>" in report.inner_text()  # shown as text
    assert report.locator("script, img, [onerror], [onclick]").count() == 0
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator('a[href^="javascript"]').count() == 0
    page.close()
    assert browser.dialogs == []


def test_screenshots_of_home_status_and_unit_page(browser: Browser, tmp_path: Path) -> None:
    """Writes docs/assets/*.png for the README when BAOCAO_SCREENSHOTS=1, else to a temporary folder."""
    out = ROOT / "docs" / "assets" if os.environ.get("BAOCAO_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    for path, name in (
        ("index.html", "home.png"),
        ("tinh-hinh.html", "tinh-hinh.png"),
        ("don-vi/huyen-uy-binh-son.html", "don-vi.png"),
    ):
        page = browser.open(path)
        page.screenshot(path=str(out / name), full_page=name == "home.png")
        page.close()
        assert (out / name).read_bytes().startswith(b"\x89PNG")


def test_no_console_errors_and_no_request_leaves_the_machine(browser: Browser) -> None:
    # Runs last in this module: it checks what every page opened above did.
    assert browser.requests, "pages were loaded"
    assert browser.foreign == []
    assert browser.errors == []


def test_signature_panel_shows_the_verified_and_the_altered_original(browser: Browser, tmp_path: Path) -> None:
    """Writes docs/assets/ky-so.png (the panel of the unit whose original verifies, and the altered
    one's) when BAOCAO_SCREENSHOTS=1."""
    out = ROOT / "docs" / "assets" if os.environ.get("BAOCAO_SCREENSHOTS") else tmp_path
    for unit, expect in ((demo.DIGITAL, "✓ tin cậy"), (demo.ALTERED, "sửa sau khi ký")):
        page = browser.open(f"don-vi/{unit}.html")
        heading = page.locator("h3", has_text="Chữ ký số của bản PDF").first
        panel = heading.locator("xpath=following-sibling::*[1]")
        assert expect in panel.inner_text()
        if unit == demo.DIGITAL:
            page.set_viewport_size({"width": 1366, "height": 900})
            heading.scroll_into_view_if_needed()
            box = heading.bounding_box()
            table = panel.bounding_box()
            assert box is not None and table is not None
            clip = {"x": 0, "y": box["y"] - 8, "width": 1366, "height": table["y"] + table["height"] - box["y"] + 16}
            page.screenshot(path=str(out / "ky-so.png"), clip=clip)
            assert (out / "ky-so.png").read_bytes().startswith(b"\x89PNG")
        page.close()
