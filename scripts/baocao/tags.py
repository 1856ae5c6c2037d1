"""Deadline tags: at each stage's deadline, CI marks the head of the campaign branch.

A tag ``han/<stage-id>`` names the first-parent commit of the branch that was its head at
the deadline instant. The tag is written by CI (its tagger date is CI's clock), so it is the
strongest evidence of what had landed in time; ``baocao status`` reads it. Placing tags is
idempotent: a stage that already has its tag, here or on the remote, is left alone.
"""

from __future__ import annotations

import os
import subprocess
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from . import vn
from .gitlog import ShallowCloneError
from .history import TAG_PREFIX
from .model import Campaign, Stage

# Used only when the repository has no user.name/user.email (a CI runner).
TAGGER = ("baocao tag-deadlines", "baocao@localhost")


class TagState(StrEnum):
    CREATED = "created"
    EXISTS = "exists"
    PENDING = "pending"
    NO_COMMIT = "no-commit"


_STATE_VI = {
    TagState.CREATED: "đã gắn thẻ",
    TagState.EXISTS: "đã có thẻ",
    TagState.PENDING: "chưa đến hạn",
    TagState.NO_COMMIT: "không có commit nào trước hạn",
}


@dataclass(frozen=True, slots=True)
class TagAction:
    stage: str
    tag: str
    state: TagState
    deadline: datetime
    commit: str | None = None
    pushed: bool = False

    def describe(self, campaign: Campaign) -> str:
        text = f"{self.tag}: {_STATE_VI[self.state]} (hạn {vn.when(self.deadline, campaign.tz)})"
        if self.commit:
            text += f", commit {self.commit[:12]}"
        if self.pushed:
            text += ", đã đẩy lên máy chủ"
        return text


class TagError(Exception):
    """A git command failed; the message says which and why."""


def tag_name(stage: Stage) -> str:
    return TAG_PREFIX + stage.id


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
        capture_output=True,
        text=True,
    )
    if check and done.returncode != 0:
        raise TagError(f"git {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip() if done.returncode == 0 else ""


def branch_ref(root: Path, branch: str, remote: str | None = None) -> str:
    """The ref to read the campaign branch from: the remote's copy when pushing there
    (a CI checkout may be detached), else the local branch."""
    candidates = [f"refs/remotes/{remote}/{branch}"] if remote else []
    candidates += [f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"]
    for ref in candidates:
        if _git(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False):
            return ref
    raise TagError(f"không tìm thấy nhánh '{branch}' (đã thử {', '.join(candidates)})")


def landings(root: Path, ref: str) -> list[tuple[str, float]]:
    """The first-parent commits of ``ref``, oldest first, each with its landing time.

    A commit cannot land before its parent, so a commit's landing time is the latest
    committer time along the first-parent chain up to it: a backdated commit pushed after
    a late merge still counts as after the deadline. The times never decrease.
    """
    log = _git(root, "log", "--first-parent", "--reverse", "--format=%H %ct", ref)
    out: list[tuple[str, float]] = []
    landed = float("-inf")
    for line in log.splitlines():
        sha, stamp = line.split()
        landed = max(landed, float(stamp))
        out.append((sha, landed))
    return out


def head_at(root: Path, ref: str, instant: datetime) -> str | None:
    """The first-parent commit of ``ref`` that was the branch head at ``instant``
    (see ``landings``). Returns None when nothing had landed."""
    return _head_before(landings(root, ref), instant)


def _head_before(landed: list[tuple[str, float]], instant: datetime) -> str | None:
    """The commit of ``landings`` that was the branch head at ``instant``; None when
    nothing had landed."""
    i = bisect_left(landed, instant.timestamp(), key=lambda c: c[1])
    return landed[i - 1][0] if i else None


def tag_message(campaign: Campaign, stage: Stage, commit: str, now: datetime) -> str:
    deadline = campaign.deadline(stage)
    return (
        f"Hạn nộp “{stage.title}”: {vn.when(deadline, campaign.tz)} ({stage.due.describe()}, "
        f"thời điểm {deadline.isoformat()}).\n\n"
        f"Nhánh {campaign.campaign.branch} tại thời điểm hết hạn: commit {commit}.\n"
        f"Thẻ do CI gắn lúc {vn.when(now, campaign.tz)}; báo cáo có trong commit này là nộp đúng hạn.\n"
    )


def _tagger_env(root: Path, now: datetime) -> dict[str, str]:
    env = {"GIT_COMMITTER_DATE": now.isoformat()}
    if not _git(root, "config", "user.name", check=False):
        env["GIT_COMMITTER_NAME"] = TAGGER[0]
    if not _git(root, "config", "user.email", check=False):
        env["GIT_COMMITTER_EMAIL"] = TAGGER[1]
    return env


def remote_tags(root: Path, remote: str) -> set[str]:
    out = _git(root, "ls-remote", "--tags", "--refs", remote, f"refs/tags/{TAG_PREFIX}*")
    return {line.split("\t", 1)[1].removeprefix("refs/tags/") for line in out.splitlines() if "\t" in line}


def tag_deadlines(
    campaign: Campaign,
    root: Path,
    now: datetime,
    *,
    remote: str | None = None,
    dry_run: bool = False,
) -> list[TagAction]:
    """Tag every stage whose deadline has passed and has no tag; push when ``remote`` is given."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        raise ShallowCloneError(root)
    ref = branch_ref(root, campaign.campaign.branch, remote)
    local = set(_git(root, "tag", "--list", f"{TAG_PREFIX}*").split())
    on_remote = remote_tags(root, remote) if remote else set()
    actions: list[TagAction] = []
    # Read once per run, when first needed: tagging moves neither the branch nor git config.
    landed: list[tuple[str, float]] | None = None
    tagger_env: dict[str, str] | None = None
    for stage in campaign.stages:
        name, deadline = tag_name(stage), campaign.deadline(stage)
        if deadline > now:
            actions.append(TagAction(stage.id, name, TagState.PENDING, deadline))
            continue
        if remote and name in on_remote:
            if name not in local and not dry_run:
                _git(root, "fetch", "--quiet", "--no-tags", remote, f"refs/tags/{name}:refs/tags/{name}")
            actions.append(TagAction(stage.id, name, TagState.EXISTS, deadline, _peel(root, name) or None))
            continue
        if name in local:
            # Left over from a run whose push failed: push it now.
            if remote and not dry_run:
                _git(root, "push", "--quiet", remote, f"refs/tags/{name}")
            pushed = bool(remote) and not dry_run
            actions.append(TagAction(stage.id, name, TagState.EXISTS, deadline, _peel(root, name), pushed))
            continue
        if landed is None:
            landed = landings(root, ref)
        commit = _head_before(landed, deadline)
        if commit is None:
            actions.append(TagAction(stage.id, name, TagState.NO_COMMIT, deadline))
            continue
        if not dry_run:
            if tagger_env is None:
                tagger_env = _tagger_env(root, now)
            message = tag_message(campaign, stage, commit, now)
            _git(
                root,
                "-c",
                "tag.gpgSign=false",
                "tag",
                "--annotate",
                "--message",
                message,
                name,
                commit,
                env=tagger_env,
            )
            if remote:
                _git(root, "push", "--quiet", remote, f"refs/tags/{name}")
        actions.append(TagAction(stage.id, name, TagState.CREATED, deadline, commit, bool(remote) and not dry_run))
    return actions


def _peel(root: Path, name: str) -> str:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}", check=False)
