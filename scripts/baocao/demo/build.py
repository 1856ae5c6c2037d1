"""The demo campaign: a real git repository for 1055-CV/TU whose history is simulated the
way a hosting service records it (each report a pull request merged with ``--no-ff``),
dated June–July 2022, then its site built with MkDocs.

Other features add submissions through the explicit list ``EXTRA_SUBMISSIONS``: a function
there returns ``Submission`` values; one for a (unit, stage) replaces the planned Markdown report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from baocao.campaign.load import load_campaign
from baocao.campaign.model import Campaign
from baocao.ci.tags import tag_deadlines, witness
from baocao.demo.pdfsample import Authority, append_content, blank_pdf, issue, sign
from baocao.demo.simulate import HistoryWriter
from baocao.demo.submission import MISSING, Submission, clerk, landed_at
from baocao.demo.text import appraisal_report, draft_report, unit_report
from baocao.demo.word_units import word_submissions
from baocao.history.gitlog import run_git

# What a campaign repository needs besides its submissions.
COPIED = ("campaign.yml", "mkdocs.yml", "docs")
# The moment the demo site is shown at: the simulated history ends in July 2022.
DEMO_AS_OF = "2022-07-15T12:00:00+07:00"
MARKER = "baocao-demo"  # kept inside .git, so a rebuild only ever deletes a demo

INVALID = "dang-doan-hoi-nong-dan"  # its report carries <script> and onerror= (F208)
BACKDATED = "huyen-uy-ly-son"  # authored before the deadline, merged after it
LATE = {
    "huyen-uy-tra-bong": (20, 8, 25),
    "huyen-uy-minh-long": (21, 9, 12),
    "dang-doan-hdnd-tinh": (23, 15, 40),
    BACKDATED: (22, 10, 5),
}
REVISED = {"thanh-uy-quang-ngai": (17, 14, 30), "huyen-uy-binh-son": (21, 16, 10)}
SIGNED_PDF = ("thanh-uy-quang-ngai", "huyen-uy-binh-son", "ban-tuyen-giao-tinh-uy", "dang-uy-cong-an-tinh")
# Of those, digitally signed originals: one that verifies, one changed after it was signed.
DIGITAL, ALTERED = "thanh-uy-quang-ngai", "huyen-uy-binh-son"
TRUST_FILE = "trust/ca-demo.pem"  # the demo's own certificate authority (throw-away, made at creation)
# Features that add demo submissions (an explicit list; see the module's docstring).
EXTRA_SUBMISSIONS: tuple[Callable[[Campaign], list[Submission]], ...] = (word_submissions,)
WITH_WARNING = "dang-uy-quan-su-tinh"  # a valid report with an extra heading (S404)


def _before_heading(text: str, words: str, snippet: str) -> str:
    """Insert ``snippet`` before the heading containing ``words``; ``{h}`` is its hashes."""
    m = re.search(rf"^(#+) [^\n]*{words}", text, re.MULTILINE)
    assert m, words
    return text[: m.start()] + snippet.format(h=m.group(1)) + text[m.start() :]


def _unsafe(text: str) -> str:
    """The invalid report: raw HTML, an event handler and a javascript: link a site must never run."""
    return _before_heading(
        text,
        "ĐÁNH GIÁ CHUNG",
        "<script>document.body.dataset.pwned = 'script'; alert('xss')</script>\n\n"
        'Ảnh chụp hiện trường: <img src="x" onerror="document.body.dataset.pwned = \'onerror\'">\n\n'
        "<p onclick=\"alert('p')\">Phụ lục kèm theo</p> [Xem thêm](javascript:alert('link'))\n\n",
    )


def _original(authority: Authority | None, unit_id: str, unit_name: str, text: str, signed: date) -> bytes:
    """The PDF attached to a report: a plain scan, or for DIGITAL and ALTERED one signed by the
    report's own signer (timestamped), ALTERED then edited after signing."""
    pdf = blank_pdf(f"{unit_id} - ban ky")
    if authority is None or unit_id not in (DIGITAL, ALTERED):
        return pdf
    m = re.search(r"^nguoi_ky: (.+)$", text, re.MULTILINE)
    signer = issue(m.group(1).strip() if m else unit_id, authority.intermediate, org=unit_name)
    when = datetime.combine(signed, time(8, 30), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    out = sign(pdf, signer, authority, when=when, timestamp=True)
    return append_content(out) if unit_id == ALTERED else out


def plan(c: Campaign, authority: Authority | None = None) -> list[Submission]:
    """Every pull request of the demo, in merge order (``authority`` signs the digital originals)."""
    first = c.stages[0]
    subs: list[Submission] = []
    totals: dict[str, float] = {}
    units = [u for u in c.stage_units(first) if u.id not in MISSING]
    for i, unit in enumerate(units):
        path = f"submissions/{unit.id}/{first.file}"
        spread = (9 + i % 10, 8 + (i * 7) % 9, (i * 13) % 60)  # working hours, 9–18 June
        merged = landed_at(c, 6, *LATE.get(unit.id, spread))
        signed = (merged - timedelta(days=1 + i % 3)).date()
        text, figs = unit_report(c, unit, seed=1055 + i, signed=signed, number=100 + i * 7)
        if unit.id == INVALID:
            text = _unsafe(text)
        if unit.id == WITH_WARNING:
            text = _before_heading(text, "PHƯƠNG HƯỚNG", "{h} Một số nội dung khác\n\nKhông có.\n\n")
        authored = landed_at(c, 6, 17, 16, 0) if unit.id == BACKDATED else merged - timedelta(minutes=25 + i * 3)
        files: dict[str, str | bytes | None] = {path: text}
        if unit.id in SIGNED_PDF:
            files[f"submissions/{unit.id}/bao-cao-ky.pdf"] = _original(authority, unit.id, unit.name, text, signed)
        subs.append(Submission(unit.id, first.id, files, authored, merged, clerk(c, unit.id), figures=figs.values))
        if unit.id in REVISED:
            again = landed_at(c, 6, *REVISED[unit.id])
            fixed = text.replace("so_lop_tap_huan: ", "so_lop_tap_huan: 1", 1)
            subs.append(
                Submission(
                    unit.id,
                    first.id,
                    {path: fixed},
                    again - timedelta(minutes=40),
                    again,
                    clerk(c, unit.id),
                    "Cập nhật số liệu tập huấn",
                )
            )
        for k, v in figs.values.items():
            totals[k] = totals.get(k, 0) + v
    extras = [s for make in EXTRA_SUBMISSIONS for s in make(c)]
    replaced = {(s.unit, s.stage) for s in extras}
    subs = [s for s in subs if (s.unit, s.stage) not in replaced] + extras
    draft_unit, appraiser = c.stage_units(c.stages[1])[0], c.stage_units(c.stages[2])[0]
    shown = {k: (round(v, 1) if isinstance(v, float) else int(v)) for k, v in totals.items()}
    draft_when, appraisal_when = landed_at(c, 6, 29, 16, 40), landed_at(c, 7, 8, 15, 20)
    subs.append(
        Submission(
            draft_unit.id,
            c.stages[1].id,
            {
                f"submissions/{draft_unit.id}/{c.stages[1].file}": draft_report(
                    c, draft_unit, shown, len(units), date(2022, 6, 29)
                )
            },
            draft_when - timedelta(hours=2),
            draft_when,
            clerk(c, draft_unit.id),
            "Nộp dự thảo báo cáo sơ kết",
        )
    )
    subs.append(
        Submission(
            appraiser.id,
            c.stages[2].id,
            {f"submissions/{appraiser.id}/{c.stages[2].file}": appraisal_report(appraiser, date(2022, 7, 8))},
            appraisal_when - timedelta(hours=1),
            appraisal_when,
            clerk(c, appraiser.id),
            "Nộp báo cáo thẩm định",
        )
    )
    return sorted(subs, key=lambda s: s.merged)


def _copy_sources(source: Path, dest: Path) -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {}
    for name in COPIED:
        p = source / name
        if p.is_file():
            files[name] = p.read_bytes()
        elif p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.is_file() and "__pycache__" not in q.parts:
                    files[q.relative_to(source).as_posix()] = q.read_bytes()
    return files


def create(dest: Path, source: Path) -> Campaign:
    """Create the demo repository at ``dest`` (replacing an earlier demo there)."""
    if dest.exists():
        if not (dest / ".git" / MARKER).exists() and any(dest.iterdir()):
            raise FileExistsError(f"{dest} đã tồn tại và không phải kho mẫu; hãy chọn thư mục khác.")
        edits = demo_edits(dest)
        if edits:
            raise FileExistsError(
                f"Kho mẫu {dest} có thay đổi của bạn ({edits}); baocao giữ nguyên, không tạo lại. "
                "Muốn tạo lại kho mẫu: xóa thư mục đó, hoặc dùng --dir với thư mục khác."
            )
        shutil.rmtree(dest)
    c = load_campaign(source / "campaign.yml")
    w = HistoryWriter.init(dest, c.campaign.branch)
    (dest / ".git" / MARKER).write_text("demo\n", encoding="utf-8")
    files = _copy_sources(source, dest)
    # The demo's signed originals chain to a certificate authority of its own, named as the
    # campaign's trust root (a real campaign names the government CA's root instead).
    authority = Authority.make("CA thử nghiệm của đợt báo cáo mẫu")
    files[TRUST_FILE] = authority.root.pem
    text = files["campaign.yml"]
    text = text.decode("utf-8") if isinstance(text, bytes) else str(text)
    if "\nsigned_pdf:" not in text:
        files["campaign.yml"] = text.rstrip("\n") + f"\n\nsigned_pdf:\n  trust: [{TRUST_FILE}]\n"
    files["submissions/README.md"] = "Mỗi đơn vị nộp báo cáo vào thư mục submissions/<mã đơn vị>/.\n"
    files[".gitignore"] = "site/\n"
    office = ("Văn phòng Đảng ủy Công an tỉnh", "vanphong-cong-an-tinh@quangngai.dcs.vn")
    w.write(files)  # the first commit: the branch is still unborn, so no checkout
    w.commit("Khởi tạo đợt báo cáo theo Công văn 1055-CV/TU", landed_at(c, 6, 6, 15, 0), author=office)
    # The publish workflow as it runs on the hosting service: a witness a few minutes after each
    # merge (before the next one), and the deadline tags shortly after each deadline.
    runs = sorted((c.deadline(st) + timedelta(minutes=5), st.id) for st in c.stages)
    merges = plan(c, authority)
    for i, s in enumerate(merges):
        while runs and runs[0][0] < s.merged:
            tag_deadlines(c, dest, runs.pop(0)[0])
        name = f"{s.unit}-{s.stage}-{s.merged:%m%d%H%M}"
        w.pull_request(name, s.files, authored=s.authored, merged=s.merged, author=s.author, message=s.message or None)
        seen = s.merged + timedelta(minutes=4)
        if i + 1 < len(merges):
            seen = min(seen, merges[i + 1].merged - timedelta(seconds=1))
        witness(c, dest, seen, run="demo")
    for at, _ in runs:
        tag_deadlines(c, dest, at)
    head = run_git(dest, "rev-parse", "HEAD").stdout.strip()
    (dest / ".git" / MARKER).write_text(f"demo {head}\n", encoding="utf-8")  # what "unedited" means
    return c


def demo_edits(dest: Path) -> str:
    """What the user changed in a demo repository since baocao made it ("" when nothing): files
    edited or added (the built site aside), or commits made on top."""
    marker = (dest / ".git" / MARKER).read_text(encoding="utf-8").split()
    if not (dest / ".git").is_dir():
        return ""
    changed = [
        line[3:]
        for line in run_git(dest, "status", "--porcelain", "--untracked-files=all").stdout.splitlines()
        if line[3:] and not line[3:].startswith("site/")
    ]
    if changed:
        more = f" và {len(changed) - 3} tệp khác" if len(changed) > 3 else ""
        return "tệp đã sửa: " + ", ".join(changed[:3]) + more
    head = run_git(dest, "rev-parse", "HEAD").stdout.strip()
    if len(marker) > 1 and head != marker[1]:
        return "có commit mới sau khi tạo kho mẫu"
    return ""


def build_site(dest: Path, tool: str = "mkdocs", *, out: Path | None = None, as_of: str | None = None) -> Path:
    """Build the demo's site with ``tool`` (mkdocs or properdocs), strictly; returns the site folder.

    ``as_of`` (ISO 8601) fixes the moment the status is computed at (default: now)."""
    dest = dest.resolve()  # the tool runs inside dest: relative paths would point elsewhere
    out = (out or dest / "site").resolve()
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-q", "-f", str(dest / "mkdocs.yml"), "-d", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if as_of:
        env["BAOCAO_AS_OF"] = as_of
    subprocess.run(cmd, cwd=dest, check=True, env=env)
    return out


def serve(dest: Path, address: str = "127.0.0.1:8000", *, as_of: str | None = None) -> None:
    """Serve the demo with live rebuilds (edits to campaign.yml or submissions/ show at once)."""
    dest = dest.resolve()
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(dest / "mkdocs.yml"), "-a", address]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **({"BAOCAO_AS_OF": as_of} if as_of else {})}
    subprocess.run(cmd, cwd=dest, check=False, env=env)


def run(
    source: Path,
    dest: Path,
    *,
    serve_site: bool = False,
    as_of: str | None = DEMO_AS_OF,
    echo: Callable[[str], object] = print,
) -> Path:
    """``baocao demo``: create the demo repository, build its site, optionally serve it.

    The simulated history ends in July 2022, so by default the site is shown as a reader saw it
    on ``DEMO_AS_OF`` (after all three deadlines); ``as_of=None`` computes it at the present."""
    create(dest, source)
    echo(f"Đã tạo kho mẫu: {dest}")
    site = build_site(dest, as_of=as_of)
    echo(f"Đã dựng trang: {site / 'index.html'} (tình hình tính đến {as_of or 'hiện tại'})")
    if serve_site:
        echo("Đang phục vụ tại http://127.0.0.1:8000 (Ctrl+C để dừng)")
        serve(dest, as_of=as_of)
    return site
