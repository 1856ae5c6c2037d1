"""A closed campaign is read as of its closing: every command's default moment, never "now"."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from baocao import vn
from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign
from baocao.cli import main
from baocao.status.judge import compute_status

from .compile_data import Landing
from .conftest import ROOT, DemoSite

CLOSING_LINE = "  closed_at: 2022-07-15T12:00:00+07:00\n"


def with_closing(value: str | None) -> Campaign:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    assert CLOSING_LINE in text
    return load_campaign_text(text.replace(CLOSING_LINE, f"  closed_at: {value}\n" if value else ""))


def test_the_worked_example_says_when_it_closed(campaign: Campaign) -> None:
    assert campaign.closed_at == datetime.fromisoformat("2022-07-15T12:00:00+07:00")
    assert campaign.closed_at > max(campaign.deadline(s) for s in campaign.stages)


def test_status_without_a_moment_is_read_at_the_closing(compile_history: tuple[Path, list[Landing]]) -> None:
    root = compile_history[0]
    closed = with_closing("2022-06-22T08:00:00+07:00")
    status = compute_status(closed, root)
    assert status.as_of == closed.closed_at
    # the same as asking for that moment, and not what the present gives
    at_closing = compute_status(closed, root, as_of=closed.closed_at)
    assert [(u.unit, u.state) for u in status.stages[0].units] == [
        (u.unit, u.state) for u in at_closing.stages[0].units
    ]
    assert status.head == at_closing.head


def test_an_explicit_moment_wins_over_the_closing(compile_history: tuple[Path, list[Landing]]) -> None:
    closed = with_closing("2022-06-22T08:00:00+07:00")
    early = datetime.fromisoformat("2022-06-19T08:00:00+07:00")
    assert compute_status(closed, compile_history[0], as_of=early).as_of == early


def test_a_closing_still_ahead_is_not_the_default(compile_history: tuple[Path, list[Landing]]) -> None:
    ahead = with_closing("2999-01-01T00:00:00+07:00")
    assert ahead.closing() is None
    before = datetime.now(ahead.tz)
    as_of = compute_status(ahead, compile_history[0]).as_of
    assert before - timedelta(seconds=1) <= as_of <= datetime.now(ahead.tz)
    # and an open campaign (no closed_at) reads the present too
    assert with_closing(None).closing() is None


def test_a_closing_without_offset_is_in_the_campaigns_zone() -> None:
    closed = with_closing("2022-07-15T12:00:00")
    assert closed.closed_at == datetime(2022, 7, 15, 12, tzinfo=closed.tz)
    assert closed.closing(datetime(2022, 7, 15, 11, 59, tzinfo=closed.tz)) is None  # a minute before
    assert closed.closing(datetime(2022, 7, 15, 12, 0, tzinfo=closed.tz)) == closed.closed_at  # at the instant
    # 05:00 UTC is 12:00 in Quảng Ngãi: closed (12:00 misread as UTC would not be yet)
    assert closed.closing(datetime(2022, 7, 15, 5, 0, tzinfo=ZoneInfo("UTC"))) == closed.closed_at


def test_the_demos_reminder_and_draft_speak_of_2022_without_an_as_of(campaign: Campaign, demo_site: DemoSite) -> None:
    runner = CliRunner()
    remind = runner.invoke(main, ["--root", str(demo_site.root), "remind"])
    assert remind.exit_code == 0, remind.output
    assert campaign.closed_at is not None
    overdue_for = vn.duration(int((campaign.closed_at - campaign.deadline(campaign.stages[0])).total_seconds()))
    assert f"quá hạn {overdue_for}." in remind.output and "năm 2022" in remind.output
    assert f"năm {datetime.now().year}" not in remind.output or datetime.now().year == 2022
    compiled = runner.invoke(main, ["--root", str(demo_site.root), "compile"])
    assert compiled.exit_code == 0
    assert f"**Số liệu tính đến:** {vn.when(campaign.closed_at, campaign.tz)}" in compiled.output
