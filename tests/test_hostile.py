"""Hostile input: a campaign whose every value, report, file name and author name was written
by an attacker, run through check, pr-check, status, compile, remind and a real strict site
build; then the built site opened in Chromium. Nothing may run, load from elsewhere, crash or
stop the others; every problem is a coded finding."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.campaign.load import load_campaign
from baocao.campaign.model import Campaign
from baocao.checks.formats import render
from baocao.ci.prcheck import check_pull_request
from baocao.cli import main
from baocao.demo.simulate import HistoryWriter
from baocao.documents.compile import compile_campaign
from baocao.documents.draft_docx import build_docx
from baocao.documents.draft_markdown import render_markdown
from baocao.documents.remind import build_docx as build_reminder_docx
from baocao.documents.remind import remind
from baocao.documents.remind import render_markdown as render_reminder
from baocao.escape import github
from baocao.status.judge import compute_status
from tests.conftest import ROOT
from tests.history_data import CLERK, MAINTAINER, at, path, report

AS_OF = at(25)
SCRIPT = "<img src=x onerror=document.body.dataset.pwned=1>"
JS_LINK = "[[a]](javascript:document.body.dataset.pwned=2)"
A, B, C, D, E = "thanh-uy-quang-ngai", "thi-uy-duc-pho", "huyen-uy-ba-to", "huyen-uy-binh-son", "huyen-uy-ly-son"
ATTR_NAME = "a{: onfocus=document.body.dataset.pwned=3 autofocus }.pdf"
ODD_NAMES = (ATTR_NAME, "x#y.pdf", "a%20b.pdf")
BIN = Path(sys.executable).parent


def hostile_campaign_text() -> str:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    text = text.replace('name: "Thành ủy Quảng Ngãi"', f"name: 'Thành ủy {SCRIPT}'", 1)
    text = text.replace('name: "Huyện ủy, thị ủy, thành ủy"', 'name: "<script>document.body.dataset.pwned=1</script>"')
    text = text.replace("issuer: Tỉnh ủy Quảng Ngãi", f"issuer: '{JS_LINK} Tỉnh ủy'", 1)
    text = text.replace(
        'title: "Sơ kết 01 năm thực hiện Kết luận', 'title: "{: onclick=alert(1) } Sơ kết 01 năm thực hiện Kết luận', 1
    )
    text = text.replace("number: 1055-CV/TU", 'number: "1055-CV/TU <b onmouseover=alert(1)>"', 1)
    # YAML's "\e" and "\f" are real control characters in the value.
    text = text.replace('name: "Huyện ủy Ba Tơ"', 'name: "Huyện ủy Ba Tơ\\e\\f"', 1)
    return text


@dataclass(frozen=True)
class Hostile:
    root: Path
    campaign: Campaign
    site: Path
    build: subprocess.CompletedProcess[str]


def _copy_docs(dest: Path) -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {"mkdocs.yml": (ROOT / "mkdocs.yml").read_bytes()}
    for q in sorted((ROOT / "docs").rglob("*")):
        if q.is_file():
            files[q.relative_to(ROOT).as_posix()] = q.read_bytes()
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    w = HistoryWriter.init(root)
    text = hostile_campaign_text()
    w.write({"campaign.yml": text, **_copy_docs(root)})
    w.commit("Khởi tạo", at(1), committer=MAINTAINER)
    c = load_campaign(root / "campaign.yml")
    outside = "![x](/\\host.example/p.png) [y](/\\evil.example/)\x1b\x0c\ufffe"
    valid = report(c, A).replace("Nội dung mục uu-diem, lần 1.", outside)
    w.pull_request("a", {path(A): valid, **{f"submissions/{A}/{n}": b"%PDF-1.4\n" for n in ODD_NAMES}},
                   authored=at(10), merged=at(10, 10), author=("Văn\x1bthư\x0c <x>", "vt@x.local"))  # fmt: skip
    bad_date = report(c, B).replace("ngay: 2022-06-01", f"ngay: '{JS_LINK}'")
    w.pull_request("b", {path(B): bad_date}, authored=at(11), merged=at(11, 10), author=CLERK)
    huge = report(c, C).replace("so_vu_chay: 1\n", "so_vu_chay: " + "9" * 400 + "\n", 1)
    w.pull_request("c", {path(C): huge}, authored=at(12), merged=at(12, 10), author=CLERK)
    bomb = "---\n" + "".join(f"l{i}: &l{i} [{','.join(['*l' + str(i - 1)] * 9)}]\n" for i in range(1, 9))
    bomb = bomb.replace("l1: &l1 [*l0,*l0,*l0,*l0,*l0,*l0,*l0,*l0,*l0]", "l0: &l0 [x]\nl1: &l1 [*l0,*l0,*l0]")
    w.pull_request("d", {path(D): bomb + "---\n# x\n"}, authored=at(13), merged=at(13, 10), author=CLERK)
    w.pull_request("e", {path(E): report(c, E)}, authored=at(14), merged=at(14, 10), author=("A\rB\x07", "e@x.local"))
    site = root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BAOCAO_AS_OF": AS_OF.isoformat()}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    return Hostile(root, c, site, build)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ------------------------------------------------------------------ the site


def test_hostile_campaign_and_reports_still_build_strictly(hostile: Hostile) -> None:
    assert hostile.build.returncode == 0, hostile.build.stderr[-3000:]
    assert (hostile.site / "tai-ve" / "du-thao-tong-hop-bao-cao-don-vi.docx").stat().st_size > 0


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(page: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def test_no_page_carries_an_event_handler_a_javascript_url_or_a_foreign_image(hostile: Hostile) -> None:
    for page in pages(hostile.site):
        for tag, attrs in elements(page):
            assert not [a for a in attrs if a.startswith("on")] and "autofocus" not in attrs, (page, tag, attrs)
            for name in ("href", "src", "action", "formaction"):
                value = attrs.get(name, "").strip().lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:text")), (page, tag, attrs)
            if tag in ("img", "script", "iframe", "link", "source", "video", "audio"):
                src = attrs.get("src") or attrs.get("href") or ""
                assert not src.startswith(("//", "/\\", "http:", "https:")) and "\\" not in src, (page, tag, src)


def test_every_page_has_a_content_security_policy_before_any_script(hostile: Hostile) -> None:
    for page in pages(hostile.site):
        html = page.read_text(encoding="utf-8")
        meta = html.find('http-equiv="Content-Security-Policy"')
        assert 0 < meta < html.find("<script"), page
        policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_attachments_with_odd_names_are_linked_and_published(hostile: Hostile) -> None:
    page = (hostile.site / "don-vi" / f"{A}.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+\.pdf)"', page)
    assert len(hrefs) == len(ODD_NAMES)
    for href in hrefs:
        target = (hostile.site / "don-vi" / href).resolve()
        assert target.is_file() and target.read_bytes().startswith(b"%PDF")


def test_feed_is_well_formed_xml_and_the_calendar_has_no_bare_cr(hostile: Hostile) -> None:
    feed = (hostile.site / "feed.xml").read_text(encoding="utf-8")
    ET.fromstring(feed)  # raises on an ill-formed document (a control character in an author name)
    assert "Văn" in feed and "\x1b" not in feed
    ics = (hostile.site / "han-nop.ics").read_bytes()
    assert re.search(rb"\r(?!\n)", ics) is None and b"\x1b" not in ics


def test_compiled_draft_and_urging_notice_escape_every_value(hostile: Hostile) -> None:
    status = compute_status(hostile.campaign, hostile.root, AS_OF)
    compiled = compile_campaign(hostile.campaign, hostile.root, as_of=AS_OF, status=status)
    text = render_markdown(compiled)
    notice = render_reminder(remind(hostile.campaign, hostile.root, as_of=AS_OF))
    for doc in (text, notice):
        assert "](javascript:" not in doc.replace("\\]", "").replace("\\[", "") or "\\[" in doc
        assert "<img" not in doc and "<b " not in doc and "\n{:" not in doc
    assert "\\[\\[a\\]\\](javascript" in notice  # the date error quotes the clerk's text, inert
    build_docx(compiled).save(str(hostile.root / "du-thao.docx"))  # ESC and form feed: no crash
    build_reminder_docx(remind(hostile.campaign, hostile.root, as_of=AS_OF)).save(str(hostile.root / "dd.docx"))


# ------------------------------------------------------------------ the CLI on the same corpus


def test_check_reports_each_hostile_file_with_its_code(hostile: Hostile) -> None:
    result = CliRunner().invoke(main, ["--root", str(hostile.root), "check", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {(f["path"].split("/")[1] if f["path"].count("/") >= 2 else f["path"], f["code"]) for f in
             json.loads(result.output)["findings"]}  # fmt: skip
    assert {(A, "F212"), (A, "F213"), (B, "M308"), (C, "N509"), (D, "M311")} <= found
    assert (E, "F212") not in found


def test_status_of_the_hostile_campaign_is_complete(hostile: Hostile) -> None:
    status = compute_status(hostile.campaign, hostile.root, AS_OF)
    states = {u.unit: u.state.value for u in status.stage("bao-cao-don-vi").units}
    assert states[A] == "on_time" and states[E] == "on_time"
    assert states[B] == states[C] == states[D] == "invalid"


def test_pull_request_adding_an_attachment_with_attribute_syntax_is_rejected(hostile: Hostile, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(hostile.root), str(clone)], check=True)
    w = HistoryWriter(clone)
    w.git("checkout", "-q", "-b", "pr")
    w.write({f"submissions/{E}/{ATTR_NAME}": b"%PDF-1.4\n"})
    w.commit("Kèm", at(15), author=CLERK, committer=CLERK)
    result = check_pull_request(hostile.campaign, clone, "main", "pr", "vt-huyen-uy-ly-son", now=at(15))
    assert not result.ok and "F212" in {f.code for f in result.findings}


def test_github_format_cannot_forge_a_workflow_command() -> None:
    from baocao.findings import finding

    path = "submissions/x/a\n::error file=campaign.yml::giả.pdf"
    forged = finding("F212", path, 1, "x\n::stop-commands::abc\n::warning::y")
    lines = render([forged], "github").splitlines()
    # One annotation, on one line, for the real file; the newline and the '::' of the path are data.
    assert lines[0].startswith("::error file=submissions/x/a%0A%3A%3Aerror file=campaign.yml%3A%3Agiả.pdf,line=1,")
    assert "%0A::stop-commands::abc%0A::warning::y" in lines[0]
    # The rest is free text inside a stop-commands block whose token nobody could guess.
    start, end = lines[1], lines[-1]
    token = start.removeprefix("::stop-commands::")
    assert start.startswith("::stop-commands::") and len(token) == 32 and end == f"::{token}::"
    assert [line for line in lines[2:-1] if line.startswith("::")] == []
    assert github.plain("a")[17:49] != github.plain("a")[17:49]  # a new token every time


# ------------------------------------------------------------------ bombs, under a 1 GB limit

LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from baocao.cli import run
sys.argv = ["baocao", *sys.argv[1:]]
run()
"""


def bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``baocao ARGS`` in a process that cannot use more than 1 GB of address space."""
    env = {**os.environ, "BAOCAO_JOBS": "1"}
    cmd = [sys.executable, "-c", LIMIT, *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def _bomb_front_matter(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join(['*l' + str(i - 1)] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_front_matter_alias_bomb_is_refused_within_bounds(tmp_path: Path) -> None:
    shutil.copy(ROOT / "campaign.yml", tmp_path / "campaign.yml")
    target = tmp_path / "submissions" / A / "bao-cao.md"
    target.parent.mkdir(parents=True)
    target.write_text("---\ndon_vi: x\n" + _bomb_front_matter() + "so_hieu: *l8\n---\n# a\n", encoding="utf-8")
    assert len(target.read_bytes()) < 1024  # 9^9 = 387 million strings once expanded
    done = bounded("check", "--format", "json", str(target), cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    codes = [f["code"] for f in json.loads(done.stdout)["findings"]]
    assert [c for c in codes if c[0] in "MF"] == ["M311"]


def test_campaign_alias_bomb_is_refused_within_bounds(tmp_path: Path) -> None:
    text = (
        (ROOT / "campaign.yml").read_text(encoding="utf-8")
        + "x-bomb:\n"
        + "".join("  " + line + "\n" for line in _bomb_front_matter().splitlines())
    )
    (tmp_path / "campaign.yml").write_text(text, encoding="utf-8")
    done = bounded("check", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["C106"]


def test_zip_bombed_docx_is_refused_within_bounds(tmp_path: Path) -> None:
    from baocao.demo.word_sample import Sample, party_docx

    shutil.copy(ROOT / "campaign.yml", tmp_path / "campaign.yml")
    target = tmp_path / "submissions" / A / "bao-cao.docx"
    target.parent.mkdir(parents=True)
    target.write_bytes(party_docx(Sample()))
    with (
        zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("word/media/bom.bin", "w", force_zip64=True) as part,
    ):
        chunk = bytes(1 << 20)
        for _ in range(600):  # 600 MB of zeros, about 0.6 MB compressed
            part.write(chunk)
    assert target.stat().st_size < 5 * 1024 * 1024
    done = bounded("check", "--format", "json", str(target), cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["F214"]


def test_duplicate_keys_and_non_decimal_numbers_are_coded(tmp_path: Path, campaign: Campaign) -> None:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    (tmp_path / "campaign.yml").write_text(text + "\nunits: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "check", "--format", "json"])
    assert result.exit_code == 2 and [f["code"] for f in json.loads(result.output)["findings"]] == ["C105"]
    (tmp_path / "campaign.yml").write_text(text, encoding="utf-8")
    for raw in ("0x10", "0b11", "1:30", "1e3"):
        target = tmp_path / "submissions" / A / "bao-cao.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report(campaign, A).replace("so_vu_chay: 1\n", f"so_vu_chay: {raw}\n", 1), encoding="utf-8")
        result = CliRunner().invoke(main, ["--root", str(tmp_path), "check", "--format", "json", str(target)])
        assert [f["code"] for f in json.loads(result.output)["findings"]] == ["N504"], raw


# ------------------------------------------------------------------ clean interruption


@pytest.fixture
def demo_repo(tmp_path: Path) -> Path:
    from baocao.demo import build as demo

    root = tmp_path / "demo"
    demo.create(root, ROOT)
    return root


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _interrupt(cmd: list[str], cwd: Path, tmp: Path, after: float) -> tuple[int, float, list[str]]:
    """Run ``cmd``, send SIGINT once it is at work (it has started git, plus ``after`` seconds),
    and return its exit code, how long it took to stop, and what is left in its TMPDIR."""
    env = {**os.environ, "TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1", "BAOCAO_AS_OF": AS_OF.isoformat()}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(after)
    assert proc.poll() is None, "finished before it could be interrupted"
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = 999
    return code, time.monotonic() - start, sorted(os.listdir(tmp))


def test_ctrl_c_during_a_site_build_stops_it_and_leaves_nothing(demo_repo: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")]
    code, took, left = _interrupt(cmd, demo_repo, tmp, 0.4)
    assert code != 0 and took < 2, (code, took)
    assert left == []
    empty = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.stat().st_size == 0]
    assert [p for p in empty if p.suffix in (".docx", ".xlsx")] == []  # no placeholder left as a download


def test_ctrl_c_during_status_exits_130_and_leaves_nothing(demo_repo: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    code, took, left = _interrupt([str(BIN / "baocao"), "status"], demo_repo, tmp, 0.0)
    assert code == 130 and took < 2, (code, took)
    assert left == []


# ------------------------------------------------------------------ in a real browser


@pytest.mark.browser
def test_hostile_site_in_a_browser_runs_nothing_and_loads_nothing_from_elsewhere(
    hostile: Hostile, tmp_path: Path
) -> None:
    from .browser_kit import serve_and_browse  # skips without Chromium (CI requires it)

    assert hostile.build.returncode == 0
    shown = [p for p in pages(hostile.site) if p.parent == hostile.site or p.stem in (A, B, C, D, E)]
    with serve_and_browse(hostile.site, tmp_path / "profile") as browser:
        for page_path in shown:
            rel = page_path.relative_to(hostile.site).as_posix()
            page = browser.open(rel)
            page.keyboard.press("Tab")  # focus moves: an injected onfocus would fire now
            assert page.evaluate("document.body.dataset.pwned") is None, rel
            page.close()
        assert browser.dialogs == []
        assert browser.foreign == []
        assert browser.errors == []  # a Content-Security-Policy violation is a console error


@pytest.mark.browser
def test_the_content_security_policy_itself_blocks_an_inline_handler_that_got_through(tmp_path: Path) -> None:
    """Defence in depth, tested alone: a page with the policy and markup the sanitiser would
    never let through; the browser must refuse to run it."""
    from baocao.site.csp import with_policy

    from .browser_kit import serve_and_browse

    body = (
        '<img src="data:," onerror="document.body.dataset.pwned=1">'
        "<script>document.body.dataset.inline=1</script>"
        '<a id="j" href="javascript:document.body.dataset.pwned=2">x</a>'
    )
    (tmp_path / "site").mkdir()
    theme = "<script>document.documentElement.dataset.theme='1'</script>"  # the theme's own inline script
    html = f"<!doctype html><html><head><title>t</title>{theme}</head><body>{body}</body></html>"
    (tmp_path / "site" / "index.html").write_text(with_policy(html, content=body), encoding="utf-8")
    with serve_and_browse(tmp_path / "site", tmp_path / "profile") as browser:
        page = browser.open("index.html")
        page.click("#j")
        assert page.evaluate("document.body.dataset.pwned") is None
        assert page.evaluate("document.body.dataset.inline") is None  # in the content: never hashed
        assert page.evaluate("document.documentElement.dataset.theme") == "1"  # hashed: it ran
        page.close()
        assert any("Content Security Policy" in e for e in browser.errors)


# ------------------------------------------------------------------ the sanitiser, directly

HOSTILE_HTML = [
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="//evil.example/p.png">',
    '<img src="/\\\\evil.example/p.png">',
    '<img src="https://evil.example/p.png">',
    '<form action="https://evil.example/"><input name=a></form>',
    "<style>body{background:url(https://evil.example/x)}</style>",
    '<div style="background:url(https://evil.example/x)">x</div>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<details open ontoggle="alert(1)">x</details>',
    '<p id="__config" class="md-typeset">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("dirty", HOSTILE_HTML)
def test_sanitiser_leaves_no_script_no_handler_and_no_outside_load(dirty: str) -> None:
    from baocao.site.compiled import COMPILED_ATTRIBUTES, COMPILED_TAGS
    from baocao.site.units import sanitize

    for tags, attributes in ((None, None), (COMPILED_TAGS, COMPILED_ATTRIBUTES)):
        clean = sanitize(dirty) if tags is None else sanitize(dirty, tags, attributes)
        parser = Elements()
        parser.feed(clean)
        for tag, attrs in parser.tags:
            assert tag not in ("script", "iframe", "object", "embed", "form", "input", "style", "svg", "math"), clean
            assert not [a for a in attrs if a.startswith("on") or a in ("style", "id", "srcdoc", "formaction")], clean
            for name in ("href", "src"):
                value = attrs.get(name, "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "//", "/\\\\", "vbscript:")), clean
                if name == "src":
                    assert not value.startswith(("http:", "https:")), clean


def test_the_allow_lists_hold_no_dangerous_tag_or_attribute() -> None:
    from baocao.site.compiled import COMPILED_ATTRIBUTES, COMPILED_TAGS
    from baocao.site.units import SAFE_ATTRIBUTES, SAFE_TAGS

    dangerous_tags = {"script", "iframe", "object", "embed", "form", "input", "style", "svg", "math", "link", "meta",
                      "base", "frame", "frameset", "button", "textarea", "select", "template"}  # fmt: skip
    for tags, attributes in ((SAFE_TAGS, SAFE_ATTRIBUTES), (COMPILED_TAGS, COMPILED_ATTRIBUTES)):
        assert not set(tags) & dangerous_tags
        flat = {a for attrs in attributes.values() for a in attrs}
        assert not {a for a in flat if a.startswith("on")} and not flat & {"style", "srcdoc", "formaction", "id"}


def test_excel_workbook_takes_no_formula_from_a_name(hostile: Hostile, tmp_path: Path) -> None:
    import openpyxl

    from baocao.documents.workbook import build_workbook

    text = hostile_campaign_text().replace(
        'name: "Đảng ủy trực thuộc Tỉnh ủy"', 'name: \'=HYPERLINK("https://evil.example","x")",1,A1)+1\'', 1
    )
    (tmp_path / "campaign.yml").write_text(text, encoding="utf-8")
    campaign = load_campaign(tmp_path / "campaign.yml")
    status = compute_status(campaign, hostile.root, AS_OF)
    compiled = compile_campaign(campaign, hostile.root, as_of=AS_OF, status=status)
    book = build_workbook(compiled)
    book.save(tmp_path / "so-lieu.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "so-lieu.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert c.value.startswith(("=SUM(", "=SUMIF(")) and "HYPERLINK" not in c.value.split('"')[0], (
                        c.value
                    )
                    assert c.value.count('"') % 2 == 0  # every string literal closed


_STUCK = """
import atexit, multiprocessing, sys, time
from pathlib import Path
from baocao.interrupt import install_sigterm, quiet_worker

def child():
    quiet_worker()
    time.sleep(60)

if __name__ == "__main__":
    out = Path(sys.argv[1])
    install_sigterm()
    atexit.register(lambda: (out / "cleaned").write_text("yes"))
    worker = multiprocessing.get_context("fork").Process(target=child, daemon=False)
    worker.start()
    (out / "child").write_text(str(worker.pid))
    try:
        time.sleep(60)
    except KeyboardInterrupt:
        time.sleep(60)  # a shutdown that never ends (a pool caught while starting can do this)
"""


def test_a_stuck_shutdown_after_ctrl_c_is_forced_out_with_cleanup(tmp_path: Path) -> None:
    script = tmp_path / "stuck.py"
    script.write_text(_STUCK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)], env=env)
    deadline = time.monotonic() + 20
    while not (tmp_path / "child").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    child = int((tmp_path / "child").read_text())
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=10)
    finally:
        proc.kill()
    assert code == 130 and time.monotonic() - start < 4
    assert (tmp_path / "cleaned").read_text() == "yes"  # the exit handlers ran
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
