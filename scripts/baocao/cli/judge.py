"""Commands that judge the history: status, the deadline and witness tags, the pull-request check."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from baocao.campaign.model import CampaignError
from baocao.checks.formats import FORMATS, render
from baocao.cli.common import exit_on, load_or_exit, moment, stage_or_exit


@click.command()
@click.option("--as-of", "as_of_text", default=None, help="Xem tình hình tại thời điểm này (ISO 8601), chỉ từ lịch sử.")
@click.option("--stage", "stage_id", default=None, help="Chỉ một giai đoạn (mã giai đoạn).")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True)
@click.pass_obj
def status(root: Path, as_of_text: str | None, stage_id: str | None, fmt: str) -> None:
    """Tình hình nộp báo cáo của các đơn vị, tính từ lịch sử nhánh chính."""
    from baocao.status.formats import chunks
    from baocao.status.judge import compute_status

    campaign = load_or_exit(root)
    stage_id = stage_or_exit(campaign, stage_id)
    with exit_on():
        # No text kept: at 5,000 units the reports' texts were a third of the memory.
        result = compute_status(campaign, root, moment(as_of_text, campaign, "--as-of"), stage_id, texts=False)
    for chunk in chunks(result, fmt):
        click.echo(chunk, nl=False)


@click.command("tag-deadlines")
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
    now = moment(now_text, campaign, "--now") or datetime.now(campaign.tz)
    with exit_on(TagError, HistoryError, TrustError, code=1):
        actions = place_tags(campaign, root, now, remote=remote, dry_run=dry_run, sign=sign_key)
    for action in actions:
        click.echo(("(thử) " if dry_run else "") + action.describe(campaign))


@click.command()
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
    now = moment(now_text, campaign, "--now") or datetime.now(campaign.tz)
    with exit_on(TagError, HistoryError, code=1):
        action = record(campaign, root, now, remote=remote, dry_run=dry_run, sign=sign_key, run=run_url)
    click.echo(
        ("(thử) " if dry_run else "")
        + f"{action.tag}: "
        + ("đã có chứng thực cho commit này" if action.state == "exists" else "đã ghi nhận")
        + f" (commit {(action.commit or '')[:12]})"
        + (", đã đẩy lên máy chủ" if action.pushed else "")
    )


@click.command("pr-check")
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
        result = check_pull_request(campaign, root, base, head, actor, moment(now_text, campaign, "--now"))
    click.echo(render_pr(result, campaign, fmt))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(as_markdown(result, campaign))
    sys.exit(0 if result.ok else 1)
