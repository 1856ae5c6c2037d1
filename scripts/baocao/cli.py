"""The ``baocao`` command: a thin layer over functions that the tests call directly."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .findings import count
from .model import Campaign, CampaignError, json_schema, load_campaign
from .reporting import FORMATS, render
from .validation import check_tree

CAMPAIGN_FILE = "campaign.yml"


def load_or_exit(root: Path, fmt: str = "text") -> Campaign:
    """Load campaign.yml under ``root``, or print its findings and exit 2."""
    try:
        return load_campaign(root / CAMPAIGN_FILE)
    except CampaignError as exc:
        click.echo(render(exc.findings, fmt))
        sys.exit(2)


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.pass_obj
def check(root: Path, paths: tuple[Path, ...], fmt: str) -> None:
    """Kiểm tra campaign.yml và các báo cáo (mặc định: mọi tệp trong submissions/)."""
    campaign = load_or_exit(root, fmt)
    findings = check_tree(campaign, root, campaign.today(), list(paths) or None)
    click.echo(render(findings, fmt))
    sys.exit(1 if count(findings)[0] else 0)


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
    from .skeleton import SkeletonError, write_skeleton

    campaign = load_or_exit(root)
    try:
        target = write_skeleton(campaign, root, unit_id, stage_id)
    except SkeletonError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Đã tạo {target.as_posix()}. Điền nội dung vào từng mục rồi chạy: baocao check {target.as_posix()}")


@main.command()
@click.option("--write", is_flag=True, help="Ghi lại docs/ma-loi.md thay vì in bảng ra màn hình.")
@click.pass_obj
def codes(root: Path, write: bool) -> None:
    """In bảng mã lỗi (Markdown); --write ghi lại docs/ma-loi.md."""
    from .reporting import CODES_PAGE, code_table, codes_page

    if write:
        (root / CODES_PAGE).write_text(codes_page(), encoding="utf-8")
        click.echo(f"Đã ghi {CODES_PAGE}.")
    else:
        click.echo(code_table(), nl=False)
