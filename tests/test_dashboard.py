"""The status page as a reader's dashboard, in Debian's Chromium at a desktop and a phone size:
names unbroken, full width, per-stage reporting rates equal to counts made from status.json,
filters hidden without script, an empty filter result said, and the print stylesheet."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from baocao.campaign.load import load_campaign

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
    rows = page.locator("table[data-bc-table] tbody tr[data-state]")
    assert rows.count() == sum(len(st["units"]) for st in status["stages"])
    heads = page.locator("table[data-bc-table] tbody tr[data-group-head]")
    assert heads.count() == sum(len({u["group"] for u in st["units"]}) for st in status["stages"])
    page.close()


def test_sorting_orders_the_units_within_each_group_and_keeps_its_heading_first(browser: Browser) -> None:
    page = browser.open("tinh-hinh.html")
    table = page.locator("table[data-bc-table]").first
    table.locator("thead th").nth(3).locator("button").click()  # Số lần nộp, ascending
    groups = page.evaluate(
        """() => Array.from(document.querySelector('table[data-bc-table]').tBodies).map(b =>
               Array.from(b.rows).map(r => r.hasAttribute('data-group-head')
                   ? 'head:' + r.getAttribute('data-group-head')
                   : r.getAttribute('data-group') + ':' + r.cells[3].getAttribute('data-sort')))"""
    )
    assert len(groups) > 1
    for rows in groups:
        head, units = rows[0], rows[1:]
        assert head.startswith("head:") and units
        group = head.removeprefix("head:")
        assert all(r.startswith(group + ":") for r in units)
        values = [r.split(":", 1)[1] for r in units]
        assert values == sorted(values)
    page.close()


def test_a_filter_hides_the_groups_left_empty_with_their_headings(browser: Browser, status: dict) -> None:
    page = browser.open("tinh-hinh.html")
    stage = status["stages"][0]
    group = stage["units"][0]["group"]
    page.select_option('select[data-filter="group"]', group)
    shown = page.evaluate(
        f"""() => Array.from(document.querySelector('table[data-stage="{stage["id"]}"]').tBodies)
               .filter(b => getComputedStyle(b).display !== 'none').map(b => b.getAttribute('data-group'))"""
    )
    assert shown == [group]
    page.close()


def test_the_chart_deadline_labels_are_struck_by_no_line(browser: Browser) -> None:
    page = browser.open("index.html")
    page.set_viewport_size(DESKTOP)
    crossings = page.evaluate(
        r"""() => {
          const svg = document.querySelector('svg.bc-chart');
          const labels = Array.from(svg.querySelectorAll('text.bc-deadline-label')).map(t => t.getBBox());
          const segments = [];
          svg.querySelectorAll('line.bc-deadline, line.bc-grid, line.bc-axisline').forEach(l =>
            segments.push(['x1', 'y1', 'x2', 'y2'].map(a => +l.getAttribute(a))));
          svg.querySelectorAll('polyline.bc-line').forEach(p => {
            const pts = p.getAttribute('points').trim().split(/\s+/).map(s => s.split(',').map(Number));
            for (let i = 1; i < pts.length; i++) segments.push([...pts[i - 1], ...pts[i]]);
          });
          const hit = (b, [x1, y1, x2, y2]) => {
            for (let k = 0; k <= 50; k++) {
              const x = x1 + (x2 - x1) * k / 50, y = y1 + (y2 - y1) * k / 50;
              if (x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height) return true;
            }
            return false;
          };
          return [labels.length, labels.filter(b => segments.some(s => hit(b, s))).length];
        }"""
    )
    assert crossings[0] >= 3 and crossings[1] == 0, crossings
    page.close()


def test_report_headings_on_a_unit_page_read_as_headings(browser: Browser, demo_site: DemoSite) -> None:
    """A report's third-level headings become h5 on its page: they must not look like captions."""
    pages = sorted((demo_site.site / "don-vi").glob("*.html"))
    deep = next(
        p for p in pages if re.search(r'<div class="bc-report">(?:(?!</div>).)*<h5', p.read_text("utf-8"), re.S)
    )
    page = browser.open(f"don-vi/{deep.name}")
    styles = page.evaluate(
        """() => Array.from(document.querySelectorAll('.bc-report h3, .bc-report h4, .bc-report h5, .bc-report h6'))
               .map(h => { const s = getComputedStyle(h), p = getComputedStyle(h.parentElement);
                 return [h.tagName, s.textTransform, parseFloat(s.fontSize) >= parseFloat(p.fontSize) - 0.5,
                         s.color === getComputedStyle(document.querySelector('.md-typeset')).color]; })"""
    )
    assert any(tag in ("H5", "H6") for tag, *_ in styles), styles
    assert [s for s in styles if s[1:] != ["none", True, True]] == []
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
        "Array.from(document.querySelectorAll('table[data-bc-table] tbody, table[data-bc-table] tbody tr'))"
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


def test_every_indicator_of_the_compiled_statistics_shows_without_scrolling(
    browser: Browser, demo_site: DemoSite
) -> None:
    """The Tổng hợp page's figures by unit: tables of a few indicators each, all in view at 1366 px."""
    page = browser.open("tong-hop.html")
    page.set_viewport_size(DESKTOP)
    tables = page.evaluate(
        """() => {
          const start = Array.from(document.querySelectorAll('h3'))
            .find(h => h.textContent.startsWith('Số liệu theo đơn vị'));
          const out = [];
          for (let el = start.nextElementSibling; el && el.tagName !== 'H3'; el = el.nextElementSibling) {
            const t = el.querySelector('table');
            if (!t) continue;
            const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
            const heads = Array.from(t.tHead.rows[0].cells).map(c => c.textContent);
            out.push([heads, wrap.scrollWidth <= wrap.clientWidth + 1]);
          }
          return out;
        }"""
    )
    indicators = [h for heads, _ in tables for h in heads[2:]]
    assert len(tables) > 1 and all(heads[:2] == ["STT", "Đơn vị"] for heads, _ in tables)
    campaign = load_campaign(demo_site.root / "campaign.yml")
    assert len(indicators) == len(set(indicators)) == len(campaign.indicators) > 5  # each once, across the tables
    assert [heads for heads, fits in tables if not fits] == []
    page.close()
