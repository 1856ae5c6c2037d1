"""Submission history: when each unit's report for each stage landed on the campaign branch.

Only the first-parent chain of the branch counts, and a report's submission time is the
committer time of the first-parent commit that first brought a version passing the checks
(see "Which time counts" in the domain notes). The whole history is read in one streaming
``git log`` pass; each needed blob is read once through ``git cat-file --batch`` and
validated at most once. Memory grows with the number of units and their landings, not
with the number of commits.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

import git

from baocao.campaign.model import CAMPAIGN_FILE, Campaign, Stage
from baocao.checks.validation import stage_for
from baocao.history.blobcheck import BlobChecker, Job, is_ok
from baocao.history.evidence import Observation
from baocao.history.gitlog import (
    MODE_GITLINK,
    Change,
    Commit,
    HistoryError,
    ShallowCloneError,
    commit_authors,
    ensure_full_history,
    first_parent_log,
    list_tree,
    open_repo,
    read_blob,
    resolve,
)
from baocao.history.records import FOLDER, TAG_PREFIX, Anomaly, History, Landing, Slot, TagEvidence
from baocao.history.rules import Rules
from baocao.history.trust import Trust, TrustError, read_trust
from baocao.vn import when

__all__ = [
    "FOLDER",
    "TAG_PREFIX",
    "Anomaly",
    "History",
    "HistoryError",
    "Landing",
    "ShallowCloneError",
    "Slot",
    "TagEvidence",
    "TrustError",
    "read_blob",
    "read_history",
]


class _Reader:
    """The state machine fed by the first-parent stream; validation waits for ``finish``."""

    def __init__(
        self,
        campaign: Campaign,
        repo: git.Repo,
        trust: Trust,
        only: set[tuple[str, str]] | None = None,
        texts: bool = True,
    ):
        self.c = campaign
        self.repo = repo
        self.tz = campaign.tz
        self.trust = trust
        self.rules = Rules(campaign, repo)
        self.checker = BlobChecker(campaign, repo, self.rules.versions, texts)
        self.slots: dict[tuple[str, str], Slot] = {}
        self.expected = {(u.id, s.id) for s in campaign.stages for u in campaign.stage_units(s)}
        if only is not None:
            self.expected &= only
        self.trusted = {t.casefold() for t in campaign.campaign.trusted_committers}
        self.unknown: dict[str, tuple[str, int]] = {}  # folder -> (commit that added it, files in it)
        self.anomalies: list[Anomaly] = []
        # The deadline tags that decide a stage (authentic, made for today's deadline).
        self.seals: dict[str, Observation] = dict(trust.seals)
        self.at_tag: dict[tuple[str, str], tuple[Observation, Landing | None]] = {}  # slot -> (tag, version)
        self.tips: list[tuple[Landing, str]] = []  # merge landings whose author is the merged tip's

    def report_of(self, path: str) -> tuple[str, Stage] | None:
        """(unit, stage) when ``path`` is the report file of an expected unit and stage."""
        parts = PurePosixPath(path).parts
        if len(parts) != 3:
            return None
        unit, stage = parts[1], stage_for(self.c, parts[2])
        if stage is None or (unit, stage.id) not in self.expected:
            return None
        return unit, stage

    def feed(self, commit: Commit, position: int) -> None:
        """One first-parent commit, at ``position`` on the chain (its trusted time is there)."""
        tl = self.trust.timeline
        landed = tl.at(position).astimezone(self.tz)
        # campaign.yml first (its new rules judge what lands with it), then additions: a
        # report renamed (.md to .docx) in one commit is not a removal.
        for ch in sorted(commit.changes, key=lambda ch: (ch.path != CAMPAIGN_FILE, ch.deleted)):
            if ch.path == CAMPAIGN_FILE:
                self.rules.change(ch, commit.sha, landed)
                continue
            self.track_folder(commit, ch)
            where = self.report_of(ch.path)
            if where is None:
                continue
            unit, stage = where
            slot = self.slots.get((unit, stage.id))
            if slot is None:
                slot = self.slots[(unit, stage.id)] = Slot(unit, stage.id)
            if ch.mode == MODE_GITLINK:
                self.gitlink(slot, ch, commit, landed)
            elif ch.deleted:
                self.remove(slot, ch, commit, landed)
            else:
                self.land(slot, ch, commit, landed, tl.how[position])
        for stage_id, ob in self.seals.items():
            if ob.commit == commit.sha:
                self.snapshot_tag(stage_id, ob)

    def gitlink(self, slot: Slot, ch: Change, commit: Commit, landed: datetime) -> None:
        """A submodule entry where the report should be: it holds no report, so the report is gone."""
        slot.anomalies.append(
            Anomaly(
                "H614",
                f"{ch.path} bị thay bằng một submodule (commit {commit.sha[:10]}): không phải tệp báo cáo, "
                "nên coi như báo cáo không còn trên nhánh chính.",
                commit.sha,
                slot.unit,
                slot.stage,
                ch.path,
            )
        )
        self.remove(slot, Change(ch.path, "D", "000000", ch.blob), commit, landed)

    def land(self, slot: Slot, ch: Change, commit: Commit, landed: datetime, how: str = "claim") -> None:
        landing = Landing(
            commit.sha,
            landed,
            sys.intern(f"{commit.committer} <{commit.committer_email}>"),  # a few people sign 50,000 commits
            sys.intern(f"{commit.author} <{commit.author_email}>"),
            commit.authored_at.astimezone(self.tz),
            ch.path,
            ch.blob,
            ch.mode,
            rules=self.rules.key,
            evidence=how,
            claimed_at=commit.committed_at.astimezone(self.tz),
        )
        if len(commit.parents) > 1:
            # A merge's own author is the server; the submitter authored the merged branch's tip.
            self.tips.append((landing, commit.parents[-1]))
        slot.landings.append(landing)
        if len(slot.landings) == 1:  # always checked: start now, while git log still runs
            self.checker.submit(landing.job())
        slot.present[ch.path] = landing
        slot.last_present = landing
        slot.removed_by = None
        if self.trusted and not ({commit.committer.casefold(), commit.committer_email.casefold()} & self.trusted):
            slot.anomalies.append(
                Anomaly(
                    "H602",
                    f"Báo cáo được đưa lên nhánh chính bởi '{commit.committer} <{commit.committer_email}>', "
                    "không thuộc danh sách trusted_committers: thời điểm nộp không đáng tin.",
                    commit.sha,
                    slot.unit,
                    slot.stage,
                    ch.path,
                )
            )

    def remove(self, slot: Slot, ch: Change, commit: Commit, landed: datetime) -> None:
        slot.present.pop(ch.path, None)
        if slot.present or not slot.landings:
            return
        slot.removed_by = commit.sha
        slot.anomalies.append(
            Anomaly(
                "H603",
                f"Báo cáo {ch.path} bị xóa khỏi nhánh chính lúc {when(landed)} (commit {commit.sha[:10]}) "
                "sau khi đã nộp.",
                commit.sha,
                slot.unit,
                slot.stage,
                ch.path,
            )
        )

    def track_folder(self, commit: Commit, ch: Change) -> None:
        parts = PurePosixPath(ch.path).parts
        if len(parts) < 3 or parts[1] in self.c.unit_by_id:
            return
        folder = parts[1]
        sha, files = self.unknown.get(folder, (commit.sha, 0))
        files += -1 if ch.deleted else (0 if ch.status in ("M", "T") else 1)
        if files > 0:
            self.unknown[folder] = (sha, files)
        else:
            self.unknown.pop(folder, None)

    def snapshot_tag(self, stage_id: str, ob: Observation) -> None:
        """Remember each unit's version at the commit a deadline tag points to (units with an
        extension of their own are judged against their own deadline, not by the tag)."""
        stage = self.c.stage_by_id[stage_id]
        for unit in self.c.stage_units(stage):
            if (unit.id, stage_id) not in self.expected or self.c.extension(stage, unit.id):
                continue
            slot = self.slots.get((unit.id, stage_id))
            self.at_tag[(unit.id, stage_id)] = (ob, slot.current if slot else None)

    # ------------------------------------------------------------------ after the stream

    def finish(self, as_of: datetime | None) -> None:
        authors = commit_authors(self.repo, (tip for _, tip in self.tips))
        for landing, tip in self.tips:
            if tip in authors:
                name, email, authored = authors[tip]
                landing.author, landing.authored_at = sys.intern(f"{name} <{email}>"), authored.astimezone(self.tz)
        self.validate()
        for slot in self.slots.values():
            cur = slot.current
            if cur is not None:
                # Judged as of the day it landed, as its landing was: the state and the errors agree.
                slot.findings = self.checker.findings(cur.job())
            shown = cur or slot.last_present
            if shown is not None:
                slot.checked = self.checker.report(shown.job())
        for (unit, stage_id), (ob, version) in self.at_tag.items():
            slot = self.slots.setdefault((unit, stage_id), Slot(unit, stage_id))
            valid = version is not None and is_ok(self.checker.findings(version.job()))
            slot.tag = TagEvidence(ob.tag, ob.commit or "", version.blob if version else None, valid)
        for slot in self.slots.values():
            self.check_times(slot)
        for folder, (sha, _) in sorted(self.unknown.items()):
            self.anomalies.append(
                Anomaly(
                    "H604",
                    f"Thư mục submissions/{folder}/ không ứng với đơn vị nào trong campaign.yml.",
                    sha,
                    path=f"{FOLDER}/{folder}",
                )
            )
        for sha, text in self.rules.problems:
            self.anomalies.append(Anomaly("H611", text, sha, path=CAMPAIGN_FILE))
        self.place_notes()

    def place_notes(self) -> None:
        """The evidence's anomalies: on the unit whose landing a commit is, else the campaign's."""
        by_commit: dict[str, list[Slot]] = {}
        for slot in self.slots.values():
            for landing in slot.landings:
                by_commit.setdefault(landing.commit, []).append(slot)
        for note in self.trust.notes:
            slots = by_commit.get(note.commit or "", []) if note.code in ("H601", "H608", "H613") else []
            for slot in slots:
                slot.anomalies.append(Anomaly(note.code, note.message, note.commit, slot.unit, slot.stage))
            if not slots:
                self.anomalies.append(Anomaly(note.code, note.message, note.commit, stage=note.stage))

    def seal_off_chain(self) -> None:
        """A deadline tag whose commit the branch no longer has (a rewrite): each unit's version
        at the deadline is read from the tagged commit itself."""
        on_chain = set(self.trust.timeline.shas)
        for stage_id, ob in self.seals.items():
            if not ob.commit or ob.commit in on_chain:
                continue
            stage = self.c.stage_by_id[stage_id]
            files = {e.path: (e.mode, e.blob) for e in list_tree(self.repo, ob.commit, FOLDER, CAMPAIGN_FILE)}
            rules = self.rules.load(files[CAMPAIGN_FILE][1]) if CAMPAIGN_FILE in files else self.rules.key
            assert ob.deadline is not None
            before = ob.deadline - timedelta(seconds=1)
            for unit in self.c.stage_units(stage):
                if (unit.id, stage_id) not in self.expected or self.c.extension(stage, unit.id):
                    continue
                version = None
                for path, (mode, blob) in files.items():
                    where = self.report_of(path)
                    if where and where[0] == unit.id and where[1].id == stage_id and mode != MODE_GITLINK:
                        version = Landing(ob.commit, before, "", "", before, path, blob, mode, rules=rules)
                self.at_tag[(unit.id, stage_id)] = (ob, version)

    def validate(self) -> None:
        """Find each slot's first valid landing, checking as few versions as possible.

        Round one checks every slot's first landing together with the version on the branch
        and the one at a deadline tag (all needed anyway), in parallel; later rounds walk on
        only where the first landing was invalid."""
        nxt = {key: 0 for key, slot in self.slots.items() if slot.landings}
        self.seal_off_chain()
        self.checker.keep_whole(shown.job() for s in self.slots.values() if (shown := s.current or s.last_present))
        extra: list[Job] = [s.current.job() for s in self.slots.values() if s.current is not None]
        extra += [v.job() for _, v in self.at_tag.values() if v is not None]
        while nxt:
            self.checker.run([*extra, *(self.slots[k].landings[i].job() for k, i in nxt.items())])
            extra = []
            for key, i in list(nxt.items()):
                slot = self.slots[key]
                landing = slot.landings[i]
                landing.valid = is_ok(self.checker.findings(landing.job()))
                if landing.valid:
                    slot.first_valid = landing
                    del nxt[key]
                elif i + 1 < len(slot.landings):
                    nxt[key] = i + 1
                else:
                    del nxt[key]

    def check_times(self, slot: Slot) -> None:
        """Flag what the committer times alone cannot settle: author dates and the deadline tag."""
        stage = self.c.stage_by_id[slot.stage]
        deadline = self.c.deadline(stage, slot.unit)
        first = slot.first_valid
        if first is not None and first.authored_at < deadline <= first.landed_at:
            slot.anomalies.append(
                Anomaly(
                    "H606",
                    f"Ngày tác giả {when(first.authored_at)} trước hạn nhưng báo cáo chỉ được đưa lên nhánh chính "
                    f"lúc {when(first.landed_at)}; thời điểm nộp tính theo lúc đưa lên nhánh chính.",
                    first.commit,
                    slot.unit,
                    slot.stage,
                    first.path,
                )
            )
        tag = slot.tag
        if tag is None:
            return
        by_time = first is not None and first.landed_at < deadline
        if tag.valid != by_time:
            said = "có bản hợp lệ" if tag.valid else "chưa có bản hợp lệ"
            times = "trước hạn" if by_time else "sau hạn hoặc chưa có"
            slot.anomalies.append(
                Anomaly(
                    "H605",
                    f"Thẻ hạn {tag.tag} (commit {tag.commit[:10]}) cho thấy đơn vị {said} lúc hết hạn, "
                    f"nhưng giờ commit cho thấy báo cáo hợp lệ đầu tiên {times}; tính theo thẻ hạn.",
                    first.commit if first else tag.commit,
                    slot.unit,
                    slot.stage,
                    first.path if first else None,
                )
            )


def read_history(
    root: Path,
    campaign: Campaign,
    as_of: datetime | None = None,
    ref: str | None = None,
    only: set[tuple[str, str]] | None = None,
    now: datetime | None = None,
    texts: bool = True,
) -> History:
    """Read the campaign branch's first-parent history of ``submissions/`` up to ``as_of``.

    Commits are taken in first-parent order while their trusted landing time
    (``baocao.history.timeline``) is at or before ``as_of``: what had landed at that moment, by the
    evidence known now. ``ref`` reads another branch or commit; ``only`` limits the reports
    followed to some (unit, stage) pairs; ``now`` is the reader's clock (nothing landed after
    it); ``texts=False`` keeps of each report shown only its front matter, not its text (the
    status needs no more; the site and the compilation do). Raises ``ShallowCloneError`` on a
    shallow clone, ``HistoryError`` when the branch is missing and ``TrustError`` when a key
    named in campaign.yml cannot be read."""
    root = Path(root).resolve()
    repo = open_repo(root)
    ensure_full_history(repo, root)
    branch = ref or campaign.campaign.branch
    tip = resolve(repo, branch)
    trust = read_trust(root, campaign, tip, now)
    tl = trust.timeline
    cut = len(tl.shas) if as_of is None else tl.last_by(as_of)
    reader = _Reader(campaign, repo, trust, only, texts)
    head: str | None = None
    count = 0
    try:
        for position, commit in enumerate(first_parent_log(repo, tip, FOLDER, (CAMPAIGN_FILE,))):
            if position >= cut:
                break
            if position >= len(tl.shas) or tl.shas[position] != commit.sha:
                raise HistoryError("Nhánh chính thay đổi trong lúc đọc lịch sử; hãy chạy lại lệnh.")
            reader.feed(commit, position)
            head = commit.sha
            count += 1
        reader.finish(as_of)
    except BaseException:
        reader.checker.close(interrupted=True)
        raise
    reader.checker.close()
    verified = trust.verifier.calls
    return History(
        branch,
        head,
        as_of,
        reader.slots,
        reader.anomalies,
        count,
        reader.checker.validated,
        reader.rules.events,
        verified,
    )
