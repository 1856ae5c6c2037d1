"""Commands for the files of a campaign: check reports, the schema, a new skeleton, the codes,
CODEOWNERS, importing a Word report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from baocao.campaign.model import json_schema
from baocao.checks.formats import FORMATS, render
from baocao.checks.validation import check_tree
from baocao.cli.common import exit_on, load_or_exit
from baocao.findings import has_errors


@click.command()
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


@click.command()
def schema() -> None:
    """In lược đồ JSON (JSON Schema) của campaign.yml."""
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@click.command()
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


@click.command()
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


@click.command()
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


@click.command("import")
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
