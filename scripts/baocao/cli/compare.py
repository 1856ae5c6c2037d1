"""``baocao diff``: what changed in a unit's report, by default since the deadline."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import click

from baocao.cli.common import exit_on, load_or_exit, moment, stage_or_exit


@click.command("diff")
@click.argument("unit_id", metavar="MÃ_ĐƠN_VỊ")
@click.option("--stage", "stage_id", default=None, help="Mã giai đoạn (mặc định: giai đoạn đầu tiên đơn vị phải nộp).")
@click.option(
    "--from",
    "from_ref",
    default=None,
    help="So từ bản báo cáo tại commit, nhánh hoặc thẻ này (mặc định: bản tính đến hạn nộp).",
)
@click.option(
    "--to", "to_ref", default=None, help="So đến bản tại commit, nhánh hoặc thẻ này (mặc định: bản mới nhất)."
)
@click.option("--as-of", "as_of_text", default=None, help="Tình hình tại thời điểm này (ISO 8601), từ lịch sử.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Ghi kết quả so sánh (Markdown) vào tệp.")
@click.pass_obj
def diff(
    root: Path,
    unit_id: str,
    stage_id: str | None,
    from_ref: str | None,
    to_ref: str | None,
    as_of_text: str | None,
    out: Path | None,
) -> None:
    """So sánh bản báo cáo tính đến hạn với bản mới nhất của một đơn vị, theo từng mục và số liệu."""
    from baocao.checks.files import stage_for
    from baocao.documents.changes import Version, deadline_landing, diff_versions, render_diff
    from baocao.history.gitlog import list_tree, open_repo, read_blob, resolve
    from baocao.status.judge import compute_status

    campaign = load_or_exit(root)
    stage_id = stage_or_exit(campaign, stage_id)
    if unit_id not in campaign.unit_by_id:
        click.echo(f"Lỗi: không có đơn vị '{unit_id}' trong campaign.yml.", err=True)
        sys.exit(2)
    stages = [campaign.stage_by_id[stage_id]] if stage_id else campaign.stages
    stage = next((s for s in stages if campaign.expects(s, unit_id)), None)
    if stage is None:
        click.echo(f"Lỗi: đơn vị '{unit_id}' không phải nộp ở giai đoạn {stage_id}.", err=True)
        sys.exit(2)
    with exit_on():
        status = compute_status(campaign, root, moment(as_of_text, campaign, "--as-of"), stage.id)
        u = next(x for x in status.stage(stage.id).units if x.unit == unit_id)
        repo = open_repo(root)

        def at_ref(ref: str) -> Version:
            commit = resolve(repo, ref)
            files = [e for e in list_tree(repo, commit, f"submissions/{unit_id}/") if e.kind == "blob"]
            found = [e for e in files if stage_for(campaign, PurePosixPath(e.path).name) == stage]
            if not found:
                click.echo(f"Lỗi: tại '{ref}' chưa có báo cáo “{stage.title}” của đơn vị '{unit_id}'.", err=True)
                sys.exit(1)
            return Version(found[0].path, found[0].blob, commit, None, ref)

        base = deadline_landing(u)
        if from_ref:
            before = at_ref(from_ref)
        elif base is not None:
            before = Version(base.path, base.blob, base.commit, base.landed_at, "bản tính đến hạn")
        else:
            click.echo(f"Đơn vị '{unit_id}' chưa nộp báo cáo “{stage.title}”: không có gì để so sánh.", err=True)
            sys.exit(1)
        if to_ref:
            after = at_ref(to_ref)
        else:
            assert u.path and u.blob  # a landing exists, so a version is shown
            latest = next((x for x in reversed(u.landings) if x.blob == u.blob), None)
            after = Version(
                u.path, u.blob, latest.commit if latest else "", latest.landed_at if latest else None, "bản mới nhất"
            )
        today = status.as_of.astimezone(campaign.tz).date()
        result = diff_versions(
            campaign, stage, campaign.unit_by_id[unit_id], before, after, lambda b: read_blob(root, b), today
        )
    text = render_diff(result, campaign.tz)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"Đã ghi: {out}.", err=True)
    else:
        click.echo(text, nl=False)
