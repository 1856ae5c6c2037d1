"""The ``baocao`` command: a thin layer over functions that the tests call directly."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from baocao import __version__, interrupt
from baocao.campaign.load import load_campaign
from baocao.campaign.model import CAMPAIGN_FILE, Campaign, CampaignError, json_schema
from baocao.checks.formats import FORMATS, render
from baocao.checks.validation import check_tree
from baocao.findings import has_errors


def load_or_exit(root: Path, fmt: str = "text") -> Campaign:
    """Load campaign.yml under ``root``, or print its findings and exit 2."""
    try:
        return load_campaign(root / CAMPAIGN_FILE)
    except CampaignError as exc:
        click.echo(render(exc.findings, fmt))
        sys.exit(2)


@contextmanager
def exit_on(*errors: type[Exception], code: int = 2) -> Iterator[None]:
    """Turn ``errors`` (default: ``HistoryError``) into ``Lỗi: <message>`` on stderr and exit ``code``."""
    if not errors:
        from baocao.history.read import HistoryError, TrustError

        errors = (HistoryError, TrustError)
    try:
        yield
    except errors as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baocao")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Thư mục gốc của kho đợt báo cáo (chứa campaign.yml).",
)
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """baocao: nộp và theo dõi báo cáo qua Git."""
    ctx.obj = root


def run() -> None:
    """The ``baocao`` console command: ``main`` with clean interruption (Ctrl-C, SIGTERM: the
    workers stop, temporary files go, exit status 130)."""
    interrupt.install()
    try:
        main()
    except interrupt.Interrupted:
        click.echo("\nĐã dừng.", err=True)
        sys.exit(interrupt.EXIT_INTERRUPTED)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.pass_obj
def check(root: Path, paths: tuple[Path, ...], fmt: str) -> None:
    """Kiểm tra campaign.yml và các báo cáo (mặc định: mọi tệp trong submissions/)."""
    campaign = load_or_exit(root, fmt)
    findings = check_tree(campaign, root, campaign.today(), list(paths) or None)
    if not paths:  # the whole repository: also the CODEOWNERS generated from campaign.yml, the named files
        from baocao.campaign.checks import rule_named_files
        from baocao.ci.codeowners import rule_codeowners_current

        findings += rule_codeowners_current(campaign, root)
        findings += rule_named_files(campaign, root)
    click.echo(render(findings, fmt))
    sys.exit(1 if has_errors(findings) else 0)


@main.command()
def schema() -> None:
    """In lược đồ JSON (JSON Schema) của campaign.yml."""
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("unit_id")
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn (mặc định: giai đoạn đầu tiên của đơn vị).")
@click.pass_obj
def new(root: Path, unit_id: str, stage_id: str | None) -> None:
    """Tạo khung báo cáo theo đề cương cho đơn vị UNIT_ID (không ghi đè tệp đã có)."""
    from baocao.documents.skeleton import SkeletonError, write_skeleton

    campaign = load_or_exit(root)
    with exit_on(SkeletonError, code=1):
        target = write_skeleton(campaign, root, unit_id, stage_id)
    click.echo(f"Đã tạo {target.as_posix()}. Điền nội dung vào từng mục rồi chạy: baocao check {target.as_posix()}")


@main.command()
@click.option("--write", is_flag=True, help="Ghi lại docs/ma-loi.md thay vì in bảng ra màn hình.")
@click.pass_obj
def codes(root: Path, write: bool) -> None:
    """In bảng mã lỗi (Markdown); --write ghi lại docs/ma-loi.md."""
    from baocao.checks.formats import CODES_PAGE, code_table, codes_page

    if write:
        (root / CODES_PAGE).write_text(codes_page(), encoding="utf-8")
        click.echo(f"Đã ghi {CODES_PAGE}.")
    else:
        click.echo(code_table(), nl=False)


@main.command("tag-deadlines")
@click.option("--remote", default=None, help="Đẩy thẻ lên remote này (ví dụ origin); mặc định chỉ gắn thẻ tại chỗ.")
@click.option("--now", "now_text", default=None, help="Thời điểm coi là hiện tại (ISO 8601; mặc định: đồng hồ máy).")
@click.option("--dry-run", is_flag=True, help="Chỉ in ra việc sẽ làm, không gắn thẻ.")
@click.option("--sign-key", default=None, help="Ký thẻ bằng khóa OpenPGP này (khóa CI, xem evidence.witness_keys).")
@click.pass_obj
def tag_deadlines(root: Path, remote: str | None, now_text: str | None, dry_run: bool, sign_key: str | None) -> None:
    """Gắn thẻ han/<giai đoạn>/<thời hạn> vào commit của nhánh chính lúc hết hạn của mỗi giai đoạn đã hết hạn."""
    from baocao.ci.tags import TagError
    from baocao.ci.tags import tag_deadlines as place_tags
    from baocao.history.gitlog import HistoryError
    from baocao.history.trust import TrustError

    campaign = load_or_exit(root)
    now = _moment(now_text, campaign, "--now") or datetime.now(campaign.tz)
    with exit_on(TagError, HistoryError, TrustError, code=1):
        actions = place_tags(campaign, root, now, remote=remote, dry_run=dry_run, sign=sign_key)
    for action in actions:
        click.echo(("(thử) " if dry_run else "") + action.describe(campaign))


@main.command()
@click.option("--remote", default=None, help="Đẩy thẻ lên remote này (ví dụ origin); mặc định chỉ gắn thẻ tại chỗ.")
@click.option("--now", "now_text", default=None, help="Thời điểm ghi nhận (ISO 8601; mặc định: đồng hồ máy).")
@click.option("--dry-run", is_flag=True, help="Chỉ in ra việc sẽ làm, không gắn thẻ.")
@click.option("--sign-key", default=None, help="Ký thẻ bằng khóa OpenPGP này (khóa CI, xem evidence.witness_keys).")
@click.option("--run", "run_url", default="", help="Địa chỉ của lượt chạy CI, ghi vào thẻ để tra cứu.")
@click.pass_obj
def witness(
    root: Path, remote: str | None, now_text: str | None, dry_run: bool, sign_key: str | None, run_url: str
) -> None:
    """Ghi nhận (thẻ chung/<thời điểm>) rằng lúc này nhánh chính đang ở commit đầu nhánh: bằng chứng thời điểm nộp."""
    from baocao.ci.tags import TagError
    from baocao.ci.tags import witness as record
    from baocao.history.gitlog import HistoryError

    campaign = load_or_exit(root)
    now = _moment(now_text, campaign, "--now") or datetime.now(campaign.tz)
    with exit_on(TagError, HistoryError, code=1):
        action = record(campaign, root, now, remote=remote, dry_run=dry_run, sign=sign_key, run=run_url)
    click.echo(
        ("(thử) " if dry_run else "")
        + f"{action.tag}: "
        + ("đã có chứng thực cho commit này" if action.state == "exists" else "đã ghi nhận")
        + f" (commit {(action.commit or '')[:12]})"
        + (", đã đẩy lên máy chủ" if action.pushed else "")
    )


@main.command()
@click.option("--check", "check_only", is_flag=True, help="Chỉ kiểm tra, không ghi; thoát mã 1 nếu tệp lỗi thời.")
@click.pass_obj
def codeowners(root: Path, check_only: bool) -> None:
    """Sinh .github/CODEOWNERS và .gitlab/CODEOWNERS từ campaign.yml (submitters, maintainers)."""
    from baocao.ci.codeowners import LOCATIONS, rule_codeowners_current, write

    campaign = load_or_exit(root)
    if check_only:
        stale = list(rule_codeowners_current(campaign, root))
        missing = [rel for rel in LOCATIONS if not (root / rel).exists()]
        for rel in missing:
            click.echo(f"{rel}: chưa có tệp; chạy baocao codeowners để sinh.")
        click.echo(render(stale, "text"))
        sys.exit(1 if stale or missing else 0)
    changed = write(campaign, root)
    for path in changed:
        click.echo(f"Đã ghi {path.relative_to(root).as_posix()}.")
    if not changed:
        click.echo("Các tệp CODEOWNERS đã khớp campaign.yml.")


def _moment(text: str | None, campaign: Campaign, option: str) -> datetime | None:
    """An ISO 8601 moment from the command line (campaign time zone when none is given)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        click.echo(f"Lỗi: {option} '{text}' không phải thời điểm ISO 8601 (ví dụ 2022-06-20T08:00+07:00).", err=True)
        sys.exit(2)
    return moment if moment.tzinfo else moment.replace(tzinfo=campaign.tz)


@main.command()
@click.option("--as-of", "as_of_text", default=None, help="Xem tình hình tại thời điểm này (ISO 8601), chỉ từ lịch sử.")
@click.option("--stage", "stage_id", default=None, help="Chỉ một giai đoạn (mã giai đoạn).")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True)
@click.pass_obj
def status(root: Path, as_of_text: str | None, stage_id: str | None, fmt: str) -> None:
    """Tình hình nộp báo cáo của các đơn vị, tính từ lịch sử nhánh chính."""
    from baocao.status.formats import chunks
    from baocao.status.judge import compute_status

    campaign = load_or_exit(root)
    stage_id = _stage_or_exit(campaign, stage_id)
    with exit_on():
        result = compute_status(campaign, root, _moment(as_of_text, campaign, "--as-of"), stage_id)
    for chunk in chunks(result, fmt):
        click.echo(chunk, nl=False)


def _stage_or_exit(campaign: Campaign, stage_id: str | None) -> str | None:
    if stage_id is not None and stage_id not in campaign.stage_by_id:
        click.echo(f"Lỗi: không có giai đoạn '{stage_id}'; các giai đoạn: {', '.join(campaign.stage_by_id)}.", err=True)
        sys.exit(2)
    return stage_id


@main.command("compile")
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn cần tổng hợp (mặc định: giai đoạn đầu tiên).")
@click.option("--as-of", "as_of_text", default=None, help="Tổng hợp như tại thời điểm này (ISO 8601), từ lịch sử.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Ghi bản tổng hợp Markdown vào tệp.")
@click.option("--docx", type=click.Path(dir_okay=False, path_type=Path), help="Xuất dự thảo báo cáo Word (.docx).")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Xuất bảng tính Excel (.xlsx).")
@click.pass_obj
def compile_(
    root: Path, stage_id: str | None, as_of_text: str | None, out: Path | None, docx: Path | None, xlsx: Path | None
) -> None:
    """Tổng hợp các báo cáo hợp lệ theo đề cương, cộng số liệu; xuất Markdown, Word, Excel."""
    from baocao.documents.compile import compile_campaign
    from baocao.documents.draft_docx import export_docx
    from baocao.documents.draft_markdown import render_markdown
    from baocao.documents.workbook import export_xlsx

    campaign = load_or_exit(root)
    stage_id = _stage_or_exit(campaign, stage_id)
    with exit_on():
        compiled = compile_campaign(campaign, root, stage_id, _moment(as_of_text, campaign, "--as-of"))
    text = render_markdown(compiled)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    if docx:
        export_docx(compiled, docx)
    if xlsx:
        export_xlsx(compiled, xlsx)
    if not (out or docx or xlsx):
        click.echo(text, nl=False)
    for label, path in (("Markdown", out), ("Word", docx), ("Excel", xlsx)):
        if path:
            click.echo(f"Đã ghi {label}: {path} ({compiled.summary}).", err=True)


@main.command()
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn (mặc định: giai đoạn đầu tiên).")
@click.option("--as-of", "as_of_text", default=None, help="Tình hình tại thời điểm này (ISO 8601), từ lịch sử.")
@click.option("--format", "fmt", type=click.Choice(("md", "docx")), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Tệp ghi ra (docx: don-doc.docx).")
@click.pass_obj
def remind(root: Path, stage_id: str | None, as_of_text: str | None, fmt: str, out: Path | None) -> None:
    """Dự thảo công văn đôn đốc các đơn vị chưa nộp, quá hạn hoặc báo cáo chưa hợp lệ."""
    from baocao.documents.remind import export_docx, render_markdown
    from baocao.documents.remind import remind as build

    campaign = load_or_exit(root)
    stage_id = _stage_or_exit(campaign, stage_id)
    with exit_on():
        reminder = build(campaign, root, stage_id, _moment(as_of_text, campaign, "--as-of"))
    if fmt == "docx":
        target = export_docx(reminder, out or Path("don-doc.docx"))
        click.echo(f"Đã ghi {target} ({len(reminder.absent)} đơn vị cần đôn đốc).", err=True)
    elif out:
        out.write_text(render_markdown(reminder), encoding="utf-8")
    else:
        click.echo(render_markdown(reminder), nl=False)


@main.command("pr-check")
@click.option("--base", required=True, help="Nhánh đích của yêu cầu hợp nhất (ví dụ origin/main).")
@click.option("--head", required=True, help="Commit hoặc nhánh của yêu cầu hợp nhất.")
@click.option("--actor", default=None, help="Tài khoản gửi yêu cầu hợp nhất (kiểm tra với submitters).")
@click.option(
    "--actor-from-gitlab",
    is_flag=True,
    help="Lấy tác giả merge request từ API của GitLab (không dùng GITLAB_USER_LOGIN: đó là người chạy pipeline).",
)
@click.option("--now", "now_text", default=None, help="Thời điểm coi là lúc hợp nhất (ISO 8601; mặc định: bây giờ).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.pass_obj
def pr_check(
    root: Path, base: str, head: str, actor: str | None, actor_from_gitlab: bool, now_text: str | None, fmt: str
) -> None:
    """Kiểm tra một yêu cầu hợp nhất: một đơn vị, đúng người gửi, báo cáo hợp lệ, đúng hạn hay muộn."""
    import os

    if actor_from_gitlab:
        from baocao.ci.gitlab import AuthorError, merge_request_author

        with exit_on(AuthorError, code=2):
            actor = merge_request_author()

    from baocao.ci.prcheck import as_markdown, campaign_at, check_pull_request
    from baocao.ci.prcheck import render as render_pr

    # Judged by the base branch's campaign.yml (read through git), never the pull request's own.
    with exit_on():
        try:
            campaign = campaign_at(root, base)
        except CampaignError as exc:
            click.echo(render(exc.findings, fmt))
            sys.exit(2)
        result = check_pull_request(campaign, root, base, head, actor, _moment(now_text, campaign, "--now"))
    click.echo(render_pr(result, campaign, fmt))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(as_markdown(result, campaign))
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option(
    "--dir",
    "dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/demo"),
    show_default=True,
    help="Thư mục tạo kho mẫu (kho mẫu cũ ở đó được tạo lại).",
)
@click.option("--serve", "serve_site", is_flag=True, help="Phục vụ trang tại http://127.0.0.1:8000 sau khi dựng.")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Thời điểm tính tình hình (ISO 8601; mặc định 15/07/2022 12:00, sau cả ba hạn); 'now': hiện tại.",
)
@click.pass_obj
def demo(root: Path, dest: Path, serve_site: bool, as_of: str | None) -> None:
    """Tạo đợt báo cáo mẫu 1055-CV/TU (lịch sử Git mô phỏng tháng 6–7/2022) và dựng trang."""
    from baocao.demo.build import DEMO_AS_OF, run

    load_or_exit(root)
    moment = None if as_of == "now" else (as_of or DEMO_AS_OF)
    try:
        run(root, dest, serve_site=serve_site, as_of=moment, echo=click.echo)
    except FileExistsError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)


@main.command("import")
@click.argument("unit_id")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn (mặc định: giai đoạn đầu tiên của đơn vị).")
@click.pass_obj
def import_(root: Path, unit_id: str, source: Path, stage_id: str | None) -> None:
    """Chuyển báo cáo Word SOURCE (.docx) của đơn vị UNIT_ID thành tệp Markdown (không ghi đè)."""
    from baocao.documents.word_import import WordImportError, describe, import_docx, other_reports

    campaign = load_or_exit(root)
    try:
        done = import_docx(campaign, root, unit_id, source, stage_id)
    except WordImportError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Đã ghi {done.target.as_posix()} từ {source.name}.")
    if done.findings:
        click.echo(f"Chưa chuyển được trọn vẹn ({len(done.findings)} điểm); sửa trong tệp .md hoặc trong tệp Word:")
        for f in done.findings:
            click.echo(describe(f))
    for other in other_reports(root, unit_id, done.target.stem, done.target):
        click.echo(f"Lưu ý: còn {other.as_posix()} cho cùng giai đoạn; xóa một trong hai tệp trước khi nộp (F210).")
    click.echo(f"Kiểm tra: baocao check {done.target.as_posix()}")
