"""Evidence tags: witnesses (``chung/<time>``) and deadline tags (``han/<stage>/<deadline>``).

Both are annotated tags that CI writes (``baocao witness``, ``baocao tag-deadlines``); their
message ends with ``key: value`` lines that say what was seen and when. A tag counts as
evidence only when it is annotated, its lines are complete and agree with the tag itself
(tagger date, target, the tree of ``submissions/``), its tagger is one the campaign accepts
and, when the campaign names witness keys (or requires signatures), it is signed by one of
them. Anything else is an anomaly that names the tag, never evidence. A deadline tag for a
deadline that has since changed is *superseded*: still a witness of what CI saw, no longer a
verdict on the stage. A tag whose head is no longer on the branch shows that the branch was
rewritten (force-pushed): the lost commits are named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from baocao.campaign.model import Campaign
from baocao.history import gitlog
from baocao.history.signing import Signature

WITNESS_PREFIX = "chung/"
DEADLINE_PREFIX = "han/"
TAGGER = ("baocao", "baocao@localhost")  # the tagger of the tags baocao makes (evidence.taggers accepts others)
STAMP = "%Y%m%dT%H%M%SZ"
KINDS = ("witness", "deadline")
CLOCK_SLACK = 2  # seconds between the tagger date and the run time written in the message


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def witness_name(run_at: datetime) -> str:
    return WITNESS_PREFIX + stamp(run_at)


def deadline_name(stage_id: str, deadline: datetime) -> str:
    return f"{DEADLINE_PREFIX}{stage_id}/{stamp(deadline)}"


def message(kind: str, fields: dict[str, str], text: str = "") -> str:
    """A tag message: a human sentence, then the machine lines (``key: value``)."""
    lines = [f"baocao: {kind}", *(f"{k}: {v}" for k, v in fields.items())]
    return (text.strip() + "\n\n" if text.strip() else "") + "\n".join(lines) + "\n"


def parse_message(text: str) -> dict[str, str]:
    """The ``key: value`` lines of the last paragraph of a tag message (a signature block,
    which git appends to a signed tag's message, is not part of it)."""
    body = text.partition("-----BEGIN PGP SIGNATURE-----")[0].strip()
    last = body.rpartition("\n\n")[2]
    out: dict[str, str] = {}
    for line in last.splitlines():
        key, sep, value = line.partition(": ")
        if sep and key and key not in out:
            out[key.strip()] = value.strip()
    return out


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    kind: str  # witness or deadline (from the name)
    object: str  # the tag object (or the commit of a lightweight tag)
    target: str  # the commit it names
    annotated: bool
    tagger: str
    tagger_email: str
    tagged_at: datetime | None
    fields: dict[str, str]
    has_signature: bool = False


def read_tags(root: Path) -> list[Tag]:
    """Every tag under refs/tags/chung/ and refs/tags/han/, in one ``git for-each-ref``."""
    atoms = ("refname:strip=2", "objecttype", "objectname", "*objectname", "taggername", "taggeremail")
    records = gitlog.tag_records(root, (*atoms, "taggerdate:unix", "contents"), WITNESS_PREFIX, DEADLINE_PREFIX)
    tags: list[Tag] = []
    for parts in records:
        name, objtype, obj, peeled, tagger, email, when, contents = parts
        kind = "witness" if name.startswith(WITNESS_PREFIX) else "deadline"
        annotated = objtype == "tag"
        tagged_at = datetime.fromtimestamp(int(when), UTC) if when.strip().isdigit() else None
        fields = parse_message(contents) if annotated else {}
        tags.append(
            Tag(
                name,
                kind,
                obj,
                peeled or obj,
                annotated,
                tagger,
                email.strip("<>"),
                tagged_at,
                fields,
                "-----BEGIN PGP SIGNATURE-----" in contents,
            )
        )
    return tags


def _iso(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


@dataclass(frozen=True, slots=True)
class Observation:
    """An authentic tag: at ``at`` (server time) CI saw the branch at ``head``."""

    tag: str
    at: datetime
    head: str
    signed: bool
    # deadline tags only: the stage, the deadline it was made for, the commit at that deadline
    stage: str | None = None
    deadline: datetime | None = None
    commit: str | None = None


@dataclass
class Found:
    observations: list[Observation] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (code, tag name, message)


def accepted_tagger(campaign: Campaign, tag: Tag) -> bool:
    allowed = {t.casefold() for t in campaign.evidence.taggers} or {TAGGER[0].casefold(), TAGGER[1].casefold()}
    return tag.tagger.casefold() in allowed or tag.tagger_email.casefold() in allowed


def examine(
    campaign: Campaign, root: Path, tags: list[Tag], now: datetime, signature_of: Callable[[Tag], Signature | None]
) -> Found:
    """Sort ``tags`` into authentic observations and problems (H609). ``signature_of(tag)``
    returns the tag's ``Signature`` (``baocao.history.signing``), None when the campaign names
    no key to check it with: a signature by a key nobody named proves nothing."""
    out = Found()
    need_signature = bool(campaign.evidence.witness_keys) or campaign.evidence.require_signed
    for tag in tags:
        why = _problem(campaign, root, tag, now)
        signed = False
        if why is None and (need_signature or tag.has_signature):
            sig = signature_of(tag)
            signed = sig is not None and sig.good
            if need_signature and not signed:
                why = "không có chữ ký hợp lệ của khóa CI khai báo trong campaign.yml (evidence.witness_keys)"
        if why is not None:
            out.problems.append(("H609", tag.name, why))
            continue
        f = tag.fields
        at = _iso(f["run-at"])
        assert at is not None
        deadline = _iso(f["deadline"]) if tag.kind == "deadline" else None  # checked by _problem
        out.observations.append(
            Observation(
                tag.name,
                at,
                f["head"],
                signed,
                f.get("stage") if tag.kind == "deadline" else None,
                deadline,
                tag.target if tag.kind == "deadline" else None,
            )
        )
    return out


def _problem(campaign: Campaign, root: Path, tag: Tag, now: datetime) -> str | None:
    """Why ``tag`` is not evidence, or None."""
    if not tag.annotated:
        return "là thẻ nhẹ (lightweight), không phải thẻ có chú thích do baocao tạo"
    f = tag.fields
    if f.get("baocao") != tag.kind:
        return "nội dung thẻ không theo định dạng của baocao"
    run_at = _iso(f.get("run-at", ""))
    if run_at is None or len(f.get("head", "")) < 40:
        return "thiếu thời điểm chạy (run-at) hoặc commit đầu nhánh (head)"
    if tag.tagged_at is None or abs((tag.tagged_at - run_at).total_seconds()) > CLOCK_SLACK:
        return "ngày gắn thẻ khác thời điểm chạy ghi trong thẻ"
    if run_at > now:
        return f"thời điểm chạy {run_at.isoformat()} ở tương lai"
    if not accepted_tagger(campaign, tag):
        return f"người gắn thẻ '{tag.tagger} <{tag.tagger_email}>' không thuộc evidence.taggers"
    if tag.kind == "witness":
        return None if tag.target == f["head"] else "thẻ không trỏ tới commit đầu nhánh ghi trong thẻ"
    deadline = _iso(f.get("deadline", ""))
    if deadline is None or f.get("stage", "") == "" or f.get("commit") != tag.target:
        return "thiếu giai đoạn, thời hạn hoặc commit lúc hết hạn"
    if run_at < deadline:
        return "thẻ hạn được gắn trước thời hạn của nó"
    tree = gitlog.tree_id(root, tag.target, "submissions")
    if f.get("submissions") != tree:
        return f"cây submissions/ của commit {tag.target[:10]} không khớp thẻ ({tree} ≠ {f.get('submissions')})"
    return None
