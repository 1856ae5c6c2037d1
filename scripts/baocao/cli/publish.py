"""Commands that publish: the compiled draft, the reminder, the site as files, the demo."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from baocao.cli.common import exit_on, load_or_exit, moment, stage_or_exit


@click.command("compile")
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn cần tổng hợp (mặc định: giai đoạn đầu tiên).")
@click.option("--as-of", "as_of_text", default=None, help="Tổng hợp như tại thời điểm này (ISO 8601), từ lịch sử.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Ghi bản tổng hợp Markdown vào tệp.")
@click.option("--docx", type=click.Path(dir_okay=False, path_type=Path), help="Xuất dự thảo báo cáo Word (.docx).")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Xuất bảng tính Excel (.xlsx).")
@click.option(
    "--verbatim",
    is_flag=True,
    help="Giữ nguyên văn của từng đơn vị dưới mỗi mục (không gộp các câu giống nhau).",
)
@click.pass_obj
def compile_(
    root: Path,
    stage_id: str | None,
    as_of_text: str | None,
    out: Path | None,
    docx: Path | None,
    xlsx: Path | None,
    verbatim: bool,
) -> None:
    """Tổng hợp các báo cáo hợp lệ theo đề cương, cộng số liệu; xuất Markdown, Word, Excel."""
    from baocao.documents.compile import compile_campaign
    from baocao.documents.draft_docx import export_docx
    from baocao.documents.draft_markdown import render_markdown
    from baocao.documents.workbook import export_xlsx

    campaign = load_or_exit(root)
    stage_id = stage_or_exit(campaign, stage_id)
    with exit_on():
        compiled = compile_campaign(
            campaign, root, stage_id, moment(as_of_text, campaign, "--as-of"), verbatim=verbatim
        )
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


@click.command()
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
    stage_id = stage_or_exit(campaign, stage_id)
    with exit_on():
        reminder = build(campaign, root, stage_id, moment(as_of_text, campaign, "--as-of"))
    if fmt == "docx":
        target = export_docx(reminder, out or Path("don-doc.docx"))
        click.echo(f"Đã ghi {target} ({len(reminder.absent)} đơn vị cần đôn đốc).", err=True)
    elif out:
        out.write_text(render_markdown(reminder), encoding="utf-8")
    else:
        click.echo(render_markdown(reminder), nl=False)


@click.group("site")
def site_group() -> None:
    """Trang tình hình dưới dạng tệp, cho bất kỳ công cụ dựng trang nào."""


@site_group.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site-src"),
    show_default=True,
    help="Thư mục ghi cây tài liệu (mkdocs.yml và docs/); chỉ thay một cây do baocao tạo.",
)
@click.option("--as-of", "as_of_text", default=None, help="Thời điểm tính tình hình (ISO 8601; mặc định: hiện tại).")
@click.pass_obj
def site_build(root: Path, out: Path, as_of_text: str | None) -> None:
    """Ghi mọi trang, tệp dữ liệu và tệp kèm theo thành một cây tài liệu thường: dựng được bằng
    mkdocs build, properdocs build hoặc zensical build, không cần plugin baocao."""
    from baocao.history.read import HistoryError
    from baocao.site.export import ExportError, export_site

    campaign = load_or_exit(root)
    as_of = moment(as_of_text, campaign, "--as-of")
    try:
        done = export_site(root, out, as_of=as_of)
    except (ExportError, HistoryError) as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(2)
    click.echo(
        f"Đã ghi {done.files} tệp ({done.pages} trang) vào {done.out}. Dựng trang: cd {done.out} && mkdocs build"
    )


@click.command()
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
