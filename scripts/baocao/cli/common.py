"""What every command shares: loading the campaign or exiting with its findings, errors as
``Lỗi: …`` with an exit status, moments and stages from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click

from baocao.campaign.load import load_campaign
from baocao.campaign.model import CAMPAIGN_FILE, Campaign, CampaignError
from baocao.checks.formats import render


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


def moment(text: str | None, campaign: Campaign, option: str) -> datetime | None:
    """An ISO 8601 moment from the command line (campaign time zone when none is given)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        click.echo(f"Lỗi: {option} '{text}' không phải thời điểm ISO 8601 (ví dụ 2022-06-20T08:00+07:00).", err=True)
        sys.exit(2)
    return moment if moment.tzinfo else moment.replace(tzinfo=campaign.tz)


def stage_or_exit(campaign: Campaign, stage_id: str | None) -> str | None:
    if stage_id is not None and stage_id not in campaign.stage_by_id:
        click.echo(f"Lỗi: không có giai đoạn '{stage_id}'; các giai đoạn: {', '.join(campaign.stage_by_id)}.", err=True)
        sys.exit(2)
    return stage_id
