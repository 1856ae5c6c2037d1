"""Deadline tags on real, dated repositories: the right commit, once, pushed."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from baocao.campaign.model import Campaign
from baocao.ci.tags import TagState, head_at, tag_deadlines
from baocao.demo.simulate import HistoryWriter
from tests.conftest import ROOT
from tests.history_data import at, path, report

FIRST, SECOND = "bao-cao-don-vi", "du-thao-tong-hop"
TAG = "han/bao-cao-don-vi/20220619T170000Z"  # the deadline 20/6 00:00 (+07:00), in UTC


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def peeled(cwd: Path, tag: str) -> str:
    return git(cwd, "rev-parse", f"refs/tags/{tag}^{{commit}}")


@pytest.fixture
def repo(tmp_path: Path, campaign: Campaign) -> tuple[HistoryWriter, dict[str, str]]:
    """Campaign set up on 06/6; Bình Sơn merged in time; Ba Tơ merged after the deadline of
    20/6 00:00 although its commit claims 15/6; then a maintainer's direct commit whose
    committer date was set back to 19/6."""
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    shas = {"setup": w.commit("Mở đợt báo cáo", at(6))}
    binh_son = "huyen-uy-binh-son"
    shas["on_time"] = w.pull_request(
        "binh-son", {path(binh_son): report(campaign, binh_son)}, authored=at(19, 20), merged=at(19, 23, 59, 59)
    )
    shas["late"] = w.pull_request(
        "ba-to", {path("huyen-uy-ba-to"): report(campaign, "huyen-uy-ba-to")}, authored=at(15), merged=at(20, 0, 0, 1)
    )
    shas["backdated"] = w.direct({"README.md": "đợt báo cáo\n"}, "Ghi chú", at(19, 12))
    return w, shas


def test_head_at_deadline_is_the_last_commit_landed_before_it(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign
) -> None:
    w, shas = repo
    deadline = at(20, 0)
    assert head_at(campaign, w.path, "main", deadline) == shas["on_time"]
    # One second earlier the merge of 23:59:59 had not landed yet.
    assert head_at(campaign, w.path, "main", at(19, 23, 59, 59)) == shas["setup"]
    assert head_at(campaign, w.path, "main", at(5)) is None


def test_backdated_commit_after_a_late_merge_does_not_count_as_before_the_deadline(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign
) -> None:
    w, shas = repo
    # The direct commit says 19/6 12:00, but its parent landed at 20/6 00:00:01.
    assert head_at(campaign, w.path, "main", at(20, 0)) == shas["on_time"]
    assert head_at(campaign, w.path, "main", at(20, 0, 0, 2)) == shas["backdated"]  # lands with its parent
    assert head_at(campaign, w.path, "main", at(25)) == shas["backdated"]


def test_with_several_backdated_commits_the_head_is_the_last_that_landed_in_time(
    tmp_path: Path, campaign: Campaign
) -> None:
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Mở đợt báo cáo", at(6))
    in_time = w.pull_request("a", {path("huyen-uy-ba-to"): report(campaign, "huyen-uy-ba-to")}, authored=at(18),
                             merged=at(18))  # fmt: skip
    w.pull_request("b", {path("huyen-uy-son-ha"): report(campaign, "huyen-uy-son-ha")}, authored=at(20),
                   merged=at(20, 8))  # fmt: skip
    for hour in (1, 2, 3):  # each claims 19/6, each after the late merge on the chain
        w.direct({"README.md": f"ghi chú {hour}\n"}, f"Ghi chú {hour}", at(19, hour))
    assert head_at(campaign, w.path, "main", at(20, 0)) == in_time


def test_passed_deadlines_are_tagged_once_with_the_instant_in_the_message(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign
) -> None:
    w, shas = repo
    now = at(22, 8)
    actions = {a.stage: a for a in tag_deadlines(campaign, w.path, now)}
    assert actions[FIRST].state is TagState.CREATED and actions[FIRST].commit == shas["on_time"]
    assert actions[SECOND].state is TagState.PENDING
    assert peeled(w.path, TAG) == shas["on_time"]
    assert "20/06/2022 00:00" in git(w.path, "tag", "-l", "--format=%(contents)", TAG)
    tagger_date = git(w.path, "tag", "-l", "--format=%(taggerdate:iso-strict)", TAG)
    assert datetime.fromisoformat(tagger_date) == now
    again = {a.stage: a for a in tag_deadlines(campaign, w.path, at(29))}
    assert again[FIRST].state is TagState.EXISTS and again[FIRST].commit == shas["on_time"]
    assert git(w.path, "tag", "-l", "han/*").split() == [TAG]


def test_dry_run_places_no_tag(repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign) -> None:
    w, shas = repo
    actions = {a.stage: a for a in tag_deadlines(campaign, w.path, at(22), dry_run=True)}
    assert actions[FIRST].state is TagState.CREATED and actions[FIRST].commit == shas["on_time"]
    assert git(w.path, "tag", "-l") == ""


def test_tags_are_pushed_and_a_tag_already_on_the_remote_is_not_placed_again(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign, tmp_path: Path
) -> None:
    w, shas = repo
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(w.path), str(origin))
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(origin), str(ci))
    (pushed,) = [a for a in tag_deadlines(campaign, ci, at(21), remote="origin") if a.state is TagState.CREATED]
    assert pushed.pushed and pushed.commit == shas["on_time"]
    assert git(origin, "rev-parse", f"{TAG}^{{commit}}") == shas["on_time"]
    # A second runner, with a clone made before the tag existed, fetches it instead of tagging anew.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "--no-tags", str(origin), str(other))
    assert git(other, "tag", "-l") == ""
    (seen,) = [a for a in tag_deadlines(campaign, other, at(28), remote="origin") if a.stage == FIRST]
    assert seen.state is TagState.EXISTS and peeled(other, TAG) == shas["on_time"]


def test_cli_tags_at_a_simulated_instant(repo: tuple[HistoryWriter, dict[str, str]]) -> None:
    w, shas = repo
    baocao = Path(sys.executable).parent / "baocao"
    done = subprocess.run(
        [baocao, "--root", w.path, "tag-deadlines", "--now", "2022-06-20T00:17:00+07:00"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert f"{TAG}: đã gắn thẻ" in done.stdout and "han/du-thao-tong-hop/20220629T170000Z: chưa đến hạn" in done.stdout
    assert peeled(w.path, TAG) == shas["on_time"]


def test_a_tag_placed_when_the_push_failed_is_pushed_on_the_next_run(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign, tmp_path: Path
) -> None:
    w, shas = repo
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(w.path), str(origin))
    git(w.path, "remote", "add", "origin", str(origin))
    git(w.path, "fetch", "-q", "origin")
    tag_deadlines(campaign, w.path, at(21))  # tagged here, never pushed
    assert git(origin, "tag", "-l") == ""
    (again,) = [a for a in tag_deadlines(campaign, w.path, at(22), remote="origin") if a.stage == FIRST]
    assert again.state is TagState.EXISTS and again.pushed
    assert git(origin, "rev-parse", f"{TAG}^{{commit}}") == shas["on_time"]


def test_two_runs_at_once_on_one_clone_both_succeed_and_tag_once(
    repo: tuple[HistoryWriter, dict[str, str]], campaign: Campaign
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    w, shas = repo
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: tag_deadlines(campaign, w.path, at(22)), range(4)))
    states = [next(a for a in run if a.stage == FIRST).state for run in runs]
    assert TagState.CREATED in states and set(states) <= {TagState.CREATED, TagState.EXISTS}
    assert git(w.path, "tag", "-l", "han/*").split() == [TAG] and peeled(w.path, TAG) == shas["on_time"]


def test_a_run_exactly_at_the_deadline_tags_and_one_second_before_waits(tmp_path: Path, campaign: Campaign) -> None:
    # Only what had landed by then is on the branch: a run cannot see a later commit.
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Mở đợt báo cáo", at(6))
    unit = "huyen-uy-binh-son"
    last = w.pull_request("a", {path(unit): report(campaign, unit)}, authored=at(19), merged=at(19, 23, 59, 59))
    (early, *_) = tag_deadlines(campaign, w.path, at(19, 23, 59, 59), dry_run=True)
    (exact, *_) = tag_deadlines(campaign, w.path, at(20, 0), dry_run=True)
    assert early.state is TagState.PENDING and exact.state is TagState.CREATED and exact.commit == last
