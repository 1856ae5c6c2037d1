"""The status site built from the demo campaign: pages, tables, unit pages and the
machine-readable files agree with the status computed from the same git history."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from baocao.campaign.load import load_campaign
from baocao.demo import build as demo
from baocao.findings import CODES
from baocao.reports.outline import fold_diacritics
from baocao.site.core import fold_search_index, folded_words
from baocao.site.feeds import ics_fold
from baocao.site.units import render_report
from baocao.status.judge import compute_status

from .conftest import ROOT, DemoSite

ATOM = "{http://www.w3.org/2005/Atom}"


class Rows(HTMLParser):
    """Rows of the status tables: (stage, unit link, data-state, data-group, badge text)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.stage = ""
        self.row: dict[str, str] | None = None
        self.in_badge = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "data-bc-table" in a:
            self.stage = a.get("data-stage") or ""
        elif tag == "tr" and "data-state" in a:
            self.row = {"stage": self.stage, "state": a["data-state"] or "", "group": a["data-group"] or ""}
        elif self.row is not None and tag == "a" and "href" not in self.row:
            self.row["href"] = a.get("href") or ""
        elif self.row is not None and tag == "span" and "bc-badge" in (a.get("class") or ""):
            self.in_badge = True

    def handle_data(self, data: str) -> None:
        if self.in_badge and self.row is not None:
            self.row["label"] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.in_badge = False
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None


class Markup(HTMLParser):
    """Every tag and attribute inside the submitted report's rendering."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and a.get("class") == "bc-report":
            self.depth = 1
            return
        if self.depth:
            self.tags.append((tag, a))
            if tag == "div":
                self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "div":
            self.depth -= 1


@pytest.fixture(scope="module")
def expected(demo_site: DemoSite) -> dict:
    campaign = load_campaign(demo_site.root / "campaign.yml")
    return compute_status(campaign, demo_site.root, datetime.fromisoformat(demo_site.as_of)).to_dict()


def test_every_page_and_file_is_built(demo_site: DemoSite) -> None:
    campaign = load_campaign(demo_site.root / "campaign.yml")
    top = ["index.html", "tinh-hinh.html", "de-cuong.html", "huong-dan.html", "ma-loi.html", "van-ban/1055-CV-TU.html"]
    machine = ["status.json", "han-nop.ics", "feed.xml", "assets/baocao/baocao.js", "assets/baocao/baocao.css"]
    units = [f"don-vi/{u.id}.html" for u in campaign.units]
    attachments = [f"don-vi/{u}/bao-cao-ky.pdf" for u in demo.SIGNED_PDF]
    missing = [p for p in top + machine + units + attachments if not (demo_site.site / p).is_file()]
    assert missing == []
    assert (demo_site.site / attachments[0]).read_bytes().startswith(b"%PDF-")


def test_status_table_agrees_with_computed_status(demo_site: DemoSite, expected: dict) -> None:
    parser = Rows()
    parser.feed((demo_site.site / "tinh-hinh.html").read_text(encoding="utf-8"))
    shown = {(r["stage"], r["href"]): (r["state"], r["label"], r["group"]) for r in parser.rows}
    want = {
        (st["id"], f"don-vi/{u['unit']}.html"): (u["state"], u["label"], u["group"])
        for st in expected["stages"]
        for u in st["units"]
    }
    assert shown == want
    states = [u["state"] for u in expected["stages"][0]["units"]]
    assert states.count("overdue") == len(demo.MISSING)
    assert states.count("invalid") == 1
    assert states.count("late") == len(demo.LATE)


def test_status_tables_are_complete_without_script(demo_site: DemoSite, expected: dict) -> None:
    html = (demo_site.site / "tinh-hinh.html").read_text(encoding="utf-8")
    assert '<form class="bc-filters" data-bc-filters hidden>' in html  # the script reveals the filters
    assert "<tr hidden" not in html
    assert html.count("<tr data-group=") == sum(len(st["units"]) for st in expected["stages"])


def test_unit_page_shows_findings_with_their_fix(demo_site: DemoSite) -> None:
    invalid = (demo_site.site / f"don-vi/{demo.INVALID}.html").read_text(encoding="utf-8")
    assert "F208" in invalid
    assert CODES["F208"].fix.split("(")[0].strip() in invalid
    warned = (demo_site.site / f"don-vi/{demo.WITH_WARNING}.html").read_text(encoding="utf-8")
    assert "S404" in warned and "Một số nội dung khác" in warned


def test_backdated_branch_merged_late_is_flagged_on_its_page(demo_site: DemoSite, expected: dict) -> None:
    page = (demo_site.site / f"don-vi/{demo.BACKDATED}.html").read_text(encoding="utf-8")
    row = next(u for u in expected["stages"][0]["units"] if u["unit"] == demo.BACKDATED)
    assert row["state"] == "late"
    assert "bc-flag" in page
    assert "17/06/2022 16:00" in page  # the author date, shown for information only


def test_submitted_html_is_rendered_as_text_only(demo_site: DemoSite) -> None:
    page = (demo_site.site / f"don-vi/{demo.INVALID}.html").read_text(encoding="utf-8")
    report = page.split('class="bc-report"', 1)[1]
    # Shown, escaped, as the clerk typed it: the tags are text in the page, not elements.
    assert "&lt;script&gt;" in report and "&lt;img" in report and "onerror=" in report
    markup = Markup()
    markup.feed(page)
    assert markup.tags, "the report is rendered"
    assert not [t for t, _ in markup.tags if t in {"script", "img", "iframe", "style"}]
    assert not [(t, k) for t, a in markup.tags for k in a if k.startswith("on")]
    assert not [a["href"] for t, a in markup.tags if t == "a" and (a.get("href") or "").startswith("javascript")]


def test_a_block_of_raw_html_in_a_report_is_shown_as_text_not_rendered() -> None:
    html = render_report("<div class=x>\n<b>đậm</b>\n</div>\n\nĐoạn <i>nghiêng</i>.")
    assert "<div" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;div class=x&gt;" in html and "&lt;b&gt;đậm&lt;/b&gt;" in html and "&lt;i&gt;nghiêng" in html


def test_sanitiser_drops_foreign_images_and_script_links() -> None:
    html = render_report("![x](http://example.org/a.png) [a](javascript:alert(1)) ![ok](anh.png)\n\n# Tiêu đề")
    assert "example.org" not in html and "javascript" not in html
    assert 'src="anh.png"' in html and "<h3>Tiêu đề</h3>" in html


def test_status_json_validates_against_the_published_schema(demo_site: DemoSite, expected: dict) -> None:
    data = json.loads((demo_site.site / "status.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data == expected


def _ics_lines(raw: bytes) -> list[str]:
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfold (RFC 5545 §3.1)
    return text.split("\r\n")[:-1]


def test_calendar_has_one_event_per_deadline_in_utc(demo_site: DemoSite) -> None:
    campaign = load_campaign(demo_site.root / "campaign.yml")
    lines = _ics_lines((demo_site.site / "han-nop.ics").read_bytes())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    events = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
    assert len(events) == len(campaign.stages)
    starts = [line.split(":", 1)[1] for line in lines if line.startswith("DTSTART:")]
    assert starts == [f"{campaign.deadline(s).astimezone(UTC):%Y%m%dT%H%M%SZ}" for s in campaign.stages]
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(campaign.stages)
    assert sum(line.startswith("DTSTAMP:") for line in lines) == len(campaign.stages)


def test_calendar_folding_never_splits_a_vietnamese_letter() -> None:
    line = "DESCRIPTION:" + "Đảng ủy Công an tỉnh, " * 20
    parts = ics_fold(line).encode("utf-8").split(b"\r\n")
    assert len(parts) > 1 and all(len(part) <= 75 for part in parts)
    assert all(part.decode("utf-8") for part in parts)  # decoding fails if a letter were cut in two
    assert ics_fold(line).replace("\r\n ", "") == line


def test_feed_lists_every_landing(demo_site: DemoSite, expected: dict) -> None:
    root = ET.fromstring((demo_site.site / "feed.xml").read_bytes())
    entries = root.findall(f"{ATOM}entry")
    landings = sum(len(u["landings"]) for st in expected["stages"] for u in st["units"])
    assert len(entries) == landings
    for e in entries:
        assert e.find(f"{ATOM}id").text and e.find(f"{ATOM}updated").text and e.find(f"{ATOM}link") is not None
    assert len({e.find(f"{ATOM}id").text for e in entries}) == landings


def test_search_index_matches_unaccented_words(demo_site: DemoSite) -> None:
    index = json.loads((demo_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "fold_title" in index["config"]["fields"]
    doc = next(d for d in index["docs"] if d["location"] == "don-vi/huyen-uy-binh-son.html")
    assert doc["title"] == "Huyện ủy Bình Sơn"
    assert {"huyen", "uy", "binh", "son"} <= set(doc["fold_title"].split())


def test_folding_adds_only_words_that_change() -> None:
    index = fold_search_index(
        {"config": {}, "docs": [{"location": "a", "title": "Đảng ủy Khối", "text": "<p>Bình</p>"}]}
    )
    assert index["docs"][0]["fold_title"] == "dang uy khoi"
    assert index["docs"][0]["fold_text"] == "binh"


def test_folded_words_skip_ascii_and_repeats_yet_equal_folding_every_word() -> None:
    text = (
        "<p>Bình Sơn, BÌNH sơn: Đảng ủy Khối cơ quan ĐẢNG ỦY; co quan khoi 2022 "
        "straße Ωmega café Café naïve x_ý a\u00a0ô\tê (Bình)ủy <code>Bình</code> binh</p>"
    )
    expected: dict[str, None] = {}
    for word in re.findall(r"\w+", re.sub(r"<[^>]+>", " ", text)):  # every word, one by one, in order
        if fold_diacritics(word) != word.casefold():
            expected.setdefault(fold_diacritics(word), None)
    assert folded_words(text) == " ".join(expected)
    assert folded_words(text).split()[:4] == ["binh", "son", "dang", "uy"]
    assert folded_words("<p>Plain ASCII text, 2022</p>") == ""


def test_unit_pages_stay_out_of_the_navigation(demo_site: DemoSite) -> None:
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    assert 'href="don-vi/' not in home
    assert 'href="tinh-hinh.html"' in home


def _build(tool: str, config: Path, out: Path, as_of: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if as_of:
        env["BAOCAO_AS_OF"] = as_of
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-q", "-f", str(config), "-d", str(out)]
    return subprocess.run(cmd, cwd=config.parent, env=env, capture_output=True, text=True)


def test_properdocs_builds_the_same_site(demo_site: DemoSite, tmp_path: Path) -> None:
    done = _build("properdocs", demo_site.root / "mkdocs.yml", tmp_path / "site", demo_site.as_of)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "site" / "status.json").read_text(encoding="utf-8")) == json.loads(
        (demo_site.site / "status.json").read_text(encoding="utf-8")
    )
    pages = {p.relative_to(demo_site.site).as_posix() for p in demo_site.site.rglob("*.html")}
    assert pages == {p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html")}


def test_bare_repository_builds_strictly_with_every_unit_missing_or_overdue(tmp_path: Path) -> None:
    done = _build("mkdocs", ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "site" / "status.json").read_text(encoding="utf-8"))
    states = {u["state"] for st in data["stages"] for u in st["units"]}
    assert states <= {"missing", "overdue"}
    assert (tmp_path / "site" / "tinh-hinh.html").is_file()


def test_demo_reports_are_varied_not_copies(demo_site: DemoSite) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((demo_site.root / "submissions").glob("*/bao-cao.md"))]
    sentences = [{s.strip() for s in t.replace("\n", " ").split(".") if len(s.strip()) > 30} for t in texts]
    assert len(texts) >= 20
    overlaps = [len(a & b) / len(a | b) for i, a in enumerate(sentences) for b in sentences[i + 1 :]]
    assert max(overlaps) < 0.6
    assert sum(overlaps) / len(overlaps) < 0.35


def test_demo_history_is_merged_pull_requests_dated_june_july_2022(demo_site: DemoSite) -> None:
    log = subprocess.run(
        ["git", "log", "--first-parent", "--format=%P %cI", "main"],
        cwd=demo_site.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    merges = [line for line in log if len(line.split()) == 3]  # two parents, then the date
    assert len(merges) == len(log) - 1  # everything but the set-up commit came through a merge
    assert all(line.split()[-1][:7] in ("2022-06", "2022-07") for line in log)


def test_demo_command_with_a_relative_folder_builds_the_site(tmp_path: Path) -> None:
    # `make demo` runs `baocao demo --dir build/demo`: a path relative to the caller's folder.
    done = subprocess.run(
        [sys.executable, "-m", "baocao", "--root", str(ROOT), "demo", "--dir", "build/demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "demo" / "site" / "tinh-hinh.html").is_file()


def test_unit_pages_from_worker_processes_equal_those_built_in_process(
    demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from baocao.site import units as sitepages_units
    from baocao.site.core import load_context, splice
    from baocao.site.pages import build_pages

    campaign = load_campaign(demo_site.root / "campaign.yml")
    as_of = datetime.fromisoformat(demo_site.as_of)

    def unit_pages(parallel_from: int) -> dict[str, str]:
        monkeypatch.setattr(sitepages_units, "PARALLEL_FROM", parallel_from)
        monkeypatch.setenv("BAOCAO_JOBS", "2")
        ctx = load_context(demo_site.root, campaign, as_of)
        pages = build_pages(ctx)
        return {p: splice(str(t), ctx.fragments) for p, t in pages.items() if p.startswith("don-vi/")}

    forked, serial = unit_pages(1), unit_pages(10**6)
    assert forked == serial
    assert "<!--baocao:" not in "".join(forked.values())
    assert len(forked) == len(campaign.units)


def test_unit_page_search_entries_point_at_its_sections(demo_site: DemoSite) -> None:
    """Unit pages are indexed by the plugin: one entry per anchored section, each anchor on the
    page, the report's own headings kept in the text rather than glued to a title."""
    index = json.loads((demo_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = "don-vi/huyen-uy-binh-son.html"
    entries = [d for d in index["docs"] if d["location"].split("#")[0] == page]
    assert len({d["location"] for d in entries}) == len(entries) > 3
    html_text = (demo_site.site / page).read_text(encoding="utf-8")
    for d in entries[1:]:
        assert f'id="{d["location"].split("#", 1)[1]}"' in html_text
    report = next(d for d in entries if d["title"].startswith("Nội dung báo cáo"))
    assert report["title"] == "Nội dung báo cáo (bản đang có trên nhánh chính)"
    assert "ĐÁNH GIÁ" in report["text"].upper() and "<h" not in report["text"]
