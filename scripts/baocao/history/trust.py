"""Everything that says when the commits of the campaign branch landed: the first-parent
chain, the campaign's keys, the witness and deadline tags, and the timeline built from them
(``baocao.history.timeline``). ``status`` (through ``baocao.history.read``) and ``tag-deadlines`` both
read it here, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from baocao.campaign.model import Campaign
from baocao.history import evidence, gitlog, timeline
from baocao.history.evidence import Observation
from baocao.history.signing import KeyFileError, Keyring, Verifier
from baocao.vn import when


class TrustError(Exception):
    """The campaign's keys cannot be read; the message is in Vietnamese."""


@dataclass(frozen=True, slots=True)
class Note:
    """An anomaly found while reading the evidence: (code, message, commit, stage)."""

    code: str
    message: str
    commit: str | None
    stage: str | None = None


@dataclass
class Trust:
    timeline: timeline.Timeline
    verifier: Verifier  # its ``calls``: the signatures this reading sent to gpg
    seals: dict[str, Observation] = field(default_factory=dict)  # stage -> its deadline tag (current deadline)
    notes: list[Note] = field(default_factory=list)


def keyring(root: Path, campaign: Campaign) -> Keyring | None:
    ev = campaign.evidence
    if not ev.server_keys and not ev.witness_keys:
        return None
    try:
        return Keyring(root, ev.server_keys, ev.witness_keys)
    except KeyFileError as exc:
        raise TrustError(str(exc)) from exc


def read_trust(root: Path, campaign: Campaign, tip: str, now: datetime | None = None) -> Trust:
    """The trusted timeline of the branch at ``tip``. ``now`` is the reader's clock (default:
    the machine's): nothing on the branch can have landed after it."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    shas, claimed = gitlog.chain_times(root, tip)
    pos = {sha: i for i, sha in enumerate(shas)}
    ring = keyring(root, campaign)
    verifier = Verifier(root / ".git", ring)  # without keys it finds every signature unknown
    notes: list[Note] = []
    try:
        found = evidence.examine(
            campaign,
            root,
            evidence.read_tags(root),
            now,
            lambda tag: verifier.tag(root, tag.object),
        )
        for code, name, why in found.problems:
            notes.append(Note(code, f"Thẻ {name} không được dùng làm bằng chứng: {why}.", None))
        witnesses: list[timeline.Witness] = []
        seals: dict[str, Observation] = {}
        rewritten: dict[str, dict[str, None]] = {}  # first lost commit -> the lost commits (ordered)
        for ob in found.observations:
            at = int(ob.at.timestamp())
            if ob.head in pos:
                witnesses.append(timeline.Witness(at, pos[ob.head]))
            else:
                lost = gitlog.first_parent_only(root, ob.head, tip)
                if lost:  # every line lost from that commit on, each commit once
                    rewritten.setdefault(lost[0], {}).update(dict.fromkeys(lost))
                base = gitlog.common_ancestor(root, ob.head, tip)
                if base in pos:
                    witnesses.append(timeline.Witness(at, pos[base], lower=False))
            if ob.stage is not None:
                stage = campaign.stage_by_id.get(ob.stage)
                if stage is None:
                    continue
                if ob.deadline != campaign.deadline(stage):
                    notes.append(
                        Note(
                            "H610",
                            f"Thẻ {ob.tag} ghi thời hạn {when(ob.deadline, campaign.tz)}, nay thời hạn của giai đoạn "
                            f"là {when(campaign.deadline(stage), campaign.tz)}: thẻ cũ không còn quyết định "
                            "ai nộp đúng hạn.",
                            ob.commit,
                            ob.stage,
                        )
                    )
                    continue
                seals.setdefault(ob.stage, ob)
        for line in rewritten.values():
            lost = list(line)
            named = ", ".join(sha[:10] for sha in lost[:10]) + (
                f" và {len(lost) - 10} commit khác" if len(lost) > 10 else ""
            )
            notes.append(
                Note(
                    "H607",
                    f"Nhánh chính đã bị viết lại (force-push) sau khi CI ghi nhận: {len(lost)} commit đã được ghi "
                    f"nhận không còn trên nhánh ({named}).",
                    lost[-1],
                )
            )

        times = {sha: datetime.fromtimestamp(claimed[i], UTC) for i, sha in enumerate(shas)}

        def verify(positions: list[int]) -> set[int]:
            sigs = verifier.commits(root, [shas[i] for i in positions], times)
            return {i for i in positions if sigs[shas[i]].good}

        tl = timeline.build(shas, claimed, witnesses, now, verify, require_signed=campaign.evidence.require_signed)
        # A deadline tag says its commit was the head at the deadline: other evidence showing
        # that commit landed at or after the deadline contradicts it, and then it decides nothing.
        for stage_id, ob in list(seals.items()):
            at_pos = pos.get(ob.commit or "")
            if at_pos is not None and ob.deadline is not None and tl.landed[at_pos] >= ob.deadline.timestamp():
                del seals[stage_id]
                notes.append(
                    Note(
                        "H609",
                        f"Thẻ {ob.tag} cho rằng commit {(ob.commit or '')[:10]} là đầu nhánh lúc hết hạn, nhưng bằng "
                        f"chứng khác cho thấy commit này vào nhánh chính lúc {when(tl.at(at_pos), campaign.tz)}: "
                        "thẻ không được dùng.",
                        ob.commit,
                        stage_id,
                    )
                )
        for c in tl.conflicts:
            sha = shas[c.position]
            claim = when(datetime.fromtimestamp(c.claimed, UTC), campaign.tz)
            counted = when(tl.at(c.position), campaign.tz)
            if c.code == "H601":
                text = (
                    f"Commit {sha[:10]} ghi giờ commit {claim}, sớm hơn commit đã vào nhánh chính trước nó "
                    f"({c.bound}): đồng hồ bị chỉnh lùi hoặc commit được đẩy thẳng với giờ giả; "
                    f"tính là vào nhánh chính không sớm hơn {counted}."
                )
            else:
                text = (
                    f"Commit {sha[:10]} ghi giờ commit {claim}, muộn hơn bằng chứng đã thấy nó (hoặc ở tương lai): "
                    f"giờ này không được tính; tính là vào nhánh chính lúc {counted}."
                )
            notes.append(Note(c.code, text, sha))
        if campaign.evidence.require_signed:
            unsigned = [i for i in range(len(shas)) if i not in tl.verified]
            if unsigned:
                notes.append(
                    Note(
                        "H613",
                        f"{len(unsigned)} commit trên nhánh chính không do máy chủ ký "
                        f"(đầu tiên: {shas[unsigned[0]][:10]}); "
                        "theo require_signed, giờ commit tự ghi của chúng không được tính.",
                        shas[unsigned[0]],
                    )
                )
    finally:
        verifier.save()
        if ring is not None:
            ring.close()
    return Trust(tl, verifier, seals, notes)
