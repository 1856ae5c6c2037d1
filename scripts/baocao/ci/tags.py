"""Evidence that CI writes into the repository: witnesses and deadline tags.

``baocao witness`` records "at server time T this run saw the branch at head H" as an
annotated tag ``chung/<T>`` on H. ``baocao tag-deadlines`` tags, for every stage whose
deadline has passed, the commit that was the branch head at the deadline instant as
``han/<stage>/<deadline>``; its message carries the stage, the exact deadline, the tree id of
``submissions/`` at that commit and the run time, and the run is itself a witness of the head
it saw. The head at a deadline comes from the same trusted timeline as ``baocao status``
(``baocao.history.trust``), so a future-dated commit cannot move it and both commands agree.

Why tags, not git notes: hosting services can protect tag names by pattern (GitHub rulesets,
GitLab protected tags) so that only CI creates them and nobody moves or deletes them; notes
refs cannot be protected so. Tags are immutable once pushed (a second tag of the same name is
refused), are fetched with the history, and can be signed by a CI key (``evidence.witness_keys``).
Placing tags is idempotent: a tag that already exists, here or on the remote, is left alone,
and a run that loses a race with another run treats the other's tag as its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from baocao import vn
from baocao.campaign.model import Campaign, Stage
from baocao.history.evidence import TAGGER, deadline_name, message, read_tags, witness_name
from baocao.history.gitlog import ShallowCloneError, run_git, tree_id
from baocao.history.trust import read_trust


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


def tag_name(campaign: Campaign, stage: Stage) -> str:
    return deadline_name(stage.id, campaign.deadline(stage))


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
    done = run_git(root, *args, env=env)
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


def head_at(campaign: Campaign, root: Path, ref: str, instant: datetime, now: datetime | None = None) -> str | None:
    """The first-parent commit of ``ref`` that was the branch head at ``instant`` by the
    trusted timeline (``baocao.history.timeline``); None when nothing had landed."""
    tip = _git(root, "rev-parse", ref + "^{commit}")
    tl = read_trust(root, campaign, tip, now or datetime.now(UTC)).timeline
    i = tl.last_before(instant)
    return tl.shas[i] if i is not None else None


def _tagger_env(now: datetime) -> dict[str, str]:
    """The tag's date is the run's clock; its tagger is baocao's own identity (which the
    default policy accepts: ``evidence.taggers``), not whoever configured git on the machine,
    unless GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL say otherwise."""
    return {
        "GIT_COMMITTER_DATE": now.isoformat(),
        "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", TAGGER[0]),
        "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", TAGGER[1]),
    }


def remote_tags(root: Path, remote: str, prefix: str) -> set[str]:
    out = _git(root, "ls-remote", "--tags", "--refs", remote, f"refs/tags/{prefix}*")
    return {line.split("\t", 1)[1].removeprefix("refs/tags/") for line in out.splitlines() if "\t" in line}


def _make_tag(root: Path, name: str, commit: str, text: str, env: dict[str, str], sign: str | None) -> bool:
    """Create the annotated (and, with ``sign``, signed) tag; False when it exists already
    (another run made it meanwhile)."""
    signing = ["--local-user", sign] if sign else []
    done = run_git(
        root, "-c", "tag.gpgSign=false", "tag", "--annotate", *signing, "--message", text, name, commit, env=env
    )
    if done.returncode == 0:
        return True
    if _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}", check=False):
        return False
    raise TagError(f"git tag {name}: {done.stderr.strip()}")


def _push(root: Path, remote: str, name: str) -> None:
    done = run_git(root, "push", "--quiet", remote, f"refs/tags/{name}")
    if done.returncode != 0 and name not in remote_tags(root, remote, name):
        raise TagError(f"git push {remote} {name}: {done.stderr.strip()}")


def _check(root: Path, now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        raise ShallowCloneError(root)


def witness(
    campaign: Campaign,
    root: Path,
    now: datetime,
    *,
    remote: str | None = None,
    dry_run: bool = False,
    sign: str | None = None,
    run: str = "",
) -> TagAction:
    """Record that at ``now`` (this machine's clock: run it on CI) the branch head was what it
    is; nothing new when that head already has a witness."""
    _check(root, now)
    ref = branch_ref(root, campaign.campaign.branch, remote)
    head = _git(root, "rev-parse", ref + "^{commit}")
    name = witness_name(now)
    seen = [t for t in read_tags(root) if t.kind == "witness" and t.target == head and t.annotated]
    if seen:
        return TagAction("", seen[0].name, TagState.EXISTS, now, head)
    if not dry_run:
        fields = {"branch": campaign.campaign.branch, "head": head, "run-at": now.astimezone(UTC).isoformat()}
        if run:
            fields["run"] = run
        text = message(
            "witness",
            fields,
            f"CI thấy nhánh {campaign.campaign.branch} ở commit {head[:12]} lúc {vn.when(now, campaign.tz)}.",
        )
        _make_tag(root, name, head, text, _tagger_env(now), sign)
        if remote:
            _push(root, remote, name)
    return TagAction("", name, TagState.CREATED, now, head, bool(remote) and not dry_run)


def tag_deadlines(
    campaign: Campaign,
    root: Path,
    now: datetime,
    *,
    remote: str | None = None,
    dry_run: bool = False,
    sign: str | None = None,
) -> list[TagAction]:
    """Tag every stage whose current deadline has passed and has no tag for that deadline;
    push when ``remote`` is given."""
    _check(root, now)
    ref = branch_ref(root, campaign.campaign.branch, remote)
    local = {t.name for t in read_tags(root)}
    on_remote = remote_tags(root, remote, "han/") if remote else set()
    actions: list[TagAction] = []
    trust = None  # read once per run, when first needed: tagging moves neither the branch nor the evidence
    tagger_env: dict[str, str] | None = None
    tip = _git(root, "rev-parse", ref + "^{commit}")
    for stage in campaign.stages:
        deadline = campaign.deadline(stage)
        name = tag_name(campaign, stage)
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
                _push(root, remote, name)
            pushed = bool(remote) and not dry_run
            actions.append(TagAction(stage.id, name, TagState.EXISTS, deadline, _peel(root, name), pushed))
            continue
        if trust is None:
            trust = read_trust(root, campaign, tip, now)
        i = trust.timeline.last_before(deadline)
        if i is None:
            actions.append(TagAction(stage.id, name, TagState.NO_COMMIT, deadline))
            continue
        commit = trust.timeline.shas[i]
        state = TagState.CREATED
        if not dry_run:
            if tagger_env is None:
                tagger_env = _tagger_env(now)
            text = tag_message(campaign, stage, commit, tip, now, tree_id(root, commit, "submissions"))
            if not _make_tag(root, name, commit, text, tagger_env, sign):
                state = TagState.EXISTS
            if remote:
                _push(root, remote, name)
        actions.append(TagAction(stage.id, name, state, deadline, commit, bool(remote) and not dry_run))
    return actions


def tag_message(campaign: Campaign, stage: Stage, commit: str, head: str, now: datetime, tree: str) -> str:
    deadline = campaign.deadline(stage)
    text = (
        f"Hạn nộp “{stage.title}”: {vn.when(deadline, campaign.tz)} ({stage.due.describe()}).\n\n"
        f"Nhánh {campaign.campaign.branch} tại thời điểm hết hạn: commit {commit}; báo cáo có trong commit "
        f"này là nộp đúng hạn. Thẻ do CI gắn lúc {vn.when(now, campaign.tz)}."
    )
    fields = {
        "stage": stage.id,
        "deadline": deadline.isoformat(),
        "commit": commit,
        "submissions": tree,
        "branch": campaign.campaign.branch,
        "head": head,
        "run-at": now.astimezone(UTC).isoformat(),
    }
    return message("deadline", fields, text)


def _peel(root: Path, name: str) -> str:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}", check=False)
