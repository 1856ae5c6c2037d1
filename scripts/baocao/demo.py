"""The demo campaign: a real git repository for 1055-CV/TU whose history is simulated the
way a hosting service records it (each report a pull request merged with ``--no-ff``),
dated June–July 2022, then its site built with MkDocs.

Other features add submissions through ``EXTRA_SUBMISSIONS``: a function there returns
``Submission`` values; one for a (unit, stage) replaces the planned Markdown report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .demotext import appraisal_report, draft_report, unit_report
from .model import Campaign, load_campaign
from .simulate import HistoryWriter

# What a campaign repository needs besides its submissions.
COPIED = ("campaign.yml", "mkdocs.yml", "docs")
# The moment the demo site is shown at: the simulated history ends in July 2022.
DEMO_AS_OF = "2022-07-15T12:00:00+07:00"
MARKER = "baocao-demo"  # kept inside .git, so a rebuild only ever deletes a demo

MISSING = ("huyen-uy-son-tay", "dang-uy-bien-phong-tinh", "dang-doan-hoi-ccb")
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
WITH_WARNING = "dang-uy-quan-su-tinh"  # a valid report with an extra heading (S404)


@dataclass
class Submission:
    """One pull request: files (repo-relative paths) authored by a unit's clerk, merged later."""

    unit: str
    stage: str
    files: dict[str, str | bytes | None]
    authored: datetime
    merged: datetime
    author: tuple[str, str]
    message: str = ""
    figures: dict[str, int | float] = field(default_factory=dict)


EXTRA_SUBMISSIONS: list[Callable[[Campaign], list[Submission]]] = []


def _at(c: Campaign, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=c.tz)


def _clerk(c: Campaign, unit_id: str) -> tuple[str, str]:
    unit = c.unit_by_id[unit_id]
    login = unit.submitters[0] if unit.submitters else unit.id
    return f"Văn thư {unit.name}", f"{login}@quangngai.dcs.vn"


def signed_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for the signed scan."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


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


def plan(c: Campaign) -> list[Submission]:
    """Every pull request of the demo, in merge order."""
    first = c.stages[0]
    subs: list[Submission] = []
    totals: dict[str, float] = {}
    units = [u for u in c.stage_units(first) if u.id not in MISSING]
    for i, unit in enumerate(units):
        path = f"submissions/{unit.id}/{first.file}"
        spread = (9 + i % 10, 8 + (i * 7) % 9, (i * 13) % 60)  # working hours, 9–18 June
        merged = _at(c, 6, *LATE.get(unit.id, spread))
        signed = (merged - timedelta(days=1 + i % 3)).date()
        text, figs = unit_report(c, unit, seed=1055 + i, signed=signed, number=100 + i * 7)
        if unit.id == INVALID:
            text = _unsafe(text)
        if unit.id == WITH_WARNING:
            text = _before_heading(text, "PHƯƠNG HƯỚNG", "{h} Một số nội dung khác\n\nKhông có.\n\n")
        authored = _at(c, 6, 17, 16, 0) if unit.id == BACKDATED else merged - timedelta(minutes=25 + i * 3)
        files: dict[str, str | bytes | None] = {path: text}
        if unit.id in SIGNED_PDF:
            files[f"submissions/{unit.id}/bao-cao-ky.pdf"] = signed_pdf(f"{unit.id} - ban ky")
        subs.append(Submission(unit.id, first.id, files, authored, merged, _clerk(c, unit.id), figures=figs.values))
        if unit.id in REVISED:
            again = _at(c, 6, *REVISED[unit.id])
            fixed = text.replace("so_lop_tap_huan: ", "so_lop_tap_huan: 1", 1)
            subs.append(
                Submission(
                    unit.id,
                    first.id,
                    {path: fixed},
                    again - timedelta(minutes=40),
                    again,
                    _clerk(c, unit.id),
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
    draft_when, appraisal_when = _at(c, 6, 29, 16, 40), _at(c, 7, 8, 15, 20)
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
            _clerk(c, draft_unit.id),
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
            _clerk(c, appraiser.id),
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
        shutil.rmtree(dest)
    c = load_campaign(source / "campaign.yml")
    w = HistoryWriter.init(dest, c.campaign.branch)
    (dest / ".git" / MARKER).write_text("demo\n", encoding="utf-8")
    files = _copy_sources(source, dest)
    files["submissions/README.md"] = "Mỗi đơn vị nộp báo cáo vào thư mục submissions/<mã đơn vị>/.\n"
    files[".gitignore"] = "site/\n"
    office = ("Văn phòng Đảng ủy Công an tỉnh", "vanphong-cong-an-tinh@quangngai.dcs.vn")
    w.write(files)  # the first commit: the branch is still unborn, so no checkout
    w.commit("Khởi tạo đợt báo cáo theo Công văn 1055-CV/TU", _at(c, 6, 6, 15, 0), author=office)
    for s in plan(c):
        name = f"{s.unit}-{s.stage}-{s.merged:%m%d%H%M}"
        w.pull_request(name, s.files, authored=s.authored, merged=s.merged, author=s.author, message=s.message or None)
    return c


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


# Features that add demo submissions register in EXTRA_SUBMISSIONS when imported.
from . import word_demo  # noqa: E402, F401
