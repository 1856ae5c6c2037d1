"""The status page as a reader's dashboard, in Debian's Chromium at a desktop and a phone size:
names unbroken, full width, per-stage reporting rates equal to counts made from status.json,
filters hidden without script, an empty filter result said, and the print stylesheet."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, DemoSite

pytestmark = pytest.mark.browser

from .browser_kit import Browser, serve_and_browse  # noqa: E402  (skips the module without Chromium)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with serve_and_browse(demo_site.site, tmp_path_factory.mktemp("chromium-dashboard")) as b:
        yield b


@pytest.fixture(scope="module")
def status(demo_site: DemoSite) -> dict:
    return json.loads((demo_site.site / "status.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
def test_unit_names_are_never_broken_across_lines(browser: Browser, size: dict[str, int]) -> None:
    page = browser.open("tinh-hinh.html")
    page.set_viewport_size(size)
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('table[data-bc-table] td:first-child a'))
               .map(a => [a.textContent, a.getClientRects().length])"""
    )
    assert len(lines) > 20
    assert [name for name, rects in lines if rects != 1] == []
    page.close()


def test_the_status_page_uses_the_full_width_without_side_navigation(browser: Browser) -> None:
    page = browser.open("tinh-hinh.html")
    page.set_viewport_size(DESKTOP)
    assert page.locator(".md-sidebar--primary").is_hidden() or page.locator(".md-sidebar--primary nav").count() == 0
    width = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
    assert width > 1000, width
    # a wide table scrolls inside its box with its first column fixed
    page.set_viewport_size(PHONE)
    sticky = page.evaluate("getComputedStyle(document.querySelector('table[data-bc-table] td:first-child')).position")
    assert sticky == "sticky"
    page.close()


def test_reporting_rates_equal_counts_made_from_status_json(browser: Browser, status: dict) -> None:
    page = browser.open("tinh-hinh.html")
    groups = {}
    for st in status["stages"]:
        rows = page.locator(f'table.bc-rates[data-rates="{st["id"]}"] tbody tr')
        got = {r.locator("th").inner_text(): [c.inner_text() for c in r.locator("td").all()] for r in rows.all()}
        for unit in st["units"]:
            groups.setdefault(st["id"], {}).setdefault(unit["group"], []).append(unit["state"])
        units = st["units"]
        expected = len(units)
        received = sum(u["state"] in ("on_time", "late") for u in units)
        on_time = sum(u["state"] == "on_time" for u in units)
        total = got["Toàn bộ"]
        assert total[0] == str(expected) and total[1] == str(received) and total[3] == str(on_time)
        assert total[2] == f"{100 * received / expected:.0f} %" and total[4] == f"{100 * on_time / expected:.0f} %"
        assert sum(int(v[0]) for k, v in got.items() if k != "Toàn bộ") == expected  # groups add up
    assert "Cách tính tỷ lệ¶" in page.locator("h2").all_inner_texts()  # ¶: the heading's own link
    page.close()


def test_without_script_the_filters_are_hidden_and_the_tables_complete(browser: Browser, status: dict) -> None:
    page = browser.context.new_page()
    page.route("**/baocao.js", lambda route: route.abort())
    page.goto(browser.base + "tinh-hinh.html")
    page.wait_for_load_state("load")
    assert page.locator("form[data-bc-filters]").is_hidden()
    rows = page.locator("table[data-bc-table] tbody tr")
    assert rows.count() == sum(len(st["units"]) for st in status["stages"])
    page.close()


def test_an_empty_filter_result_says_so(browser: Browser, status: dict) -> None:
    page = browser.open("tinh-hinh.html")
    stage = status["stages"][-1]  # one unit: filtering its group by another state empties it
    unit = stage["units"][0]
    other = next(s for s in ("on_time", "late", "missing", "overdue", "invalid") if s != unit["state"])
    page.select_option('select[data-filter="group"]', unit["group"])
    page.select_option('select[data-filter="state"]', other)
    empty = page.locator(f'[data-bc-empty="{stage["id"]}"]')
    assert empty.is_visible() and "Không có đơn vị nào khớp bộ lọc" in empty.inner_text()
    assert page.locator(f'table[data-bc-table][data-stage="{stage["id"]}"]').is_hidden()
    page.close()


def test_the_print_stylesheet_makes_a_plain_a4_list(browser: Browser, tmp_path: Path) -> None:
    page = browser.open("tinh-hinh.html")
    page.select_option('select[data-filter="state"]', "on_time")  # printing still lists every unit
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden() and page.locator("form[data-bc-filters]").is_hidden()
    hidden_rows = page.evaluate(
        "Array.from(document.querySelectorAll('table[data-bc-table] tbody tr'))"
        ".filter(r => getComputedStyle(r).display === 'none').length"
    )
    assert hidden_rows == 0
    pdf = tmp_path / "tinh-hinh.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.close()


def test_screenshots_of_the_dashboard(browser: Browser, tmp_path: Path) -> None:
    """Writes docs/assets/ when BAOCAO_SCREENSHOTS=1 (the README shows them), else a temporary folder."""
    out = ROOT / "docs" / "assets" if os.environ.get("BAOCAO_SCREENSHOTS") else tmp_path
    page = browser.open("tinh-hinh.html")
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(out / "tinh-hinh.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(out / "tinh-hinh-dien-thoai.png"))
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    pdf = tmp_path / "in.pdf"
    page.pdf(path=str(pdf), format="A4")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out / "tinh-hinh-in")],
        check=True,
        capture_output=True,
    )
    page.close()
    for name in ("tinh-hinh.png", "tinh-hinh-dien-thoai.png", "tinh-hinh-in.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG")
