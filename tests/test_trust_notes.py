"""What the trusted timeline tells people: every anomaly ``read_trust`` raises, whole (its
code, its Vietnamese text with the times in the campaign's zone, the commit and the stage it
names), on real histories; and the boundaries of the rules behind them (a tag whose commit
landed at the deadline instant, a rewrite seen by two witnesses, a stage no longer in the
campaign)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from baocao.campaign.load import load_campaign_text
from baocao.ci.tags import TagState, tag_deadlines, witness
from baocao.demo.simulate import HistoryWriter
from baocao.history.evidence import TAGGER
from baocao.history.read import read_history
from baocao.history.trust import Note, read_trust
from baocao.status.judge import compute_status
from baocao.vn import when
from tests.history_data import CLERK, at, path, report
from tests.trust_kit import (
    DEADLINE,
    GITHUB,
    SIGNED,
    STAGE,
    TEXT,
    A,
    B,
    C,
    Keys,
    campaign_text,
    deadline_fields,
    forged_tag,
    merge,
    new_repo,
    unit,
)

TZ = load_campaign_text(TEXT).tz


def head(w: HistoryWriter) -> str:
    return w.git("rev-parse", "HEAD")


def notes(w: HistoryWriter, text: str, now: datetime, code: str) -> list[Note]:
    c = load_campaign_text(text)
    return [n for n in read_trust(w.path, c, head(w), now).notes if n.code == code]


# ------------------------------------------------------------------ deadline tags


def test_a_stale_deadline_tag_is_named_with_both_deadlines_and_the_new_tag_decides(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    (old, *_) = tag_deadlines(c, w.path, at(20, 0, 5))
    merge(w, keys, B, at(21), sign=None)  # inside a two-day grace granted afterwards
    text = TEXT.replace("due: {before: 2022-06-20}", "due: {before: 2022-06-20, grace: 2d}", 1)
    extended = load_campaign_text(text)
    new = {a.stage: a for a in tag_deadlines(extended, w.path, at(22, 0, 5))}[STAGE]
    assert new.state is TagState.CREATED and old.tag < new.tag  # the stale tag is read first
    trust = read_trust(w.path, extended, head(w), at(25))
    assert [n for n in trust.notes if n.code == "H610"] == [
        Note(
            "H610",
            f"Thẻ {old.tag} ghi thời hạn {when(DEADLINE, TZ)}, nay thời hạn của giai đoạn là "
            f"{when(extended.deadline(extended.stage_by_id[STAGE]), TZ)}: thẻ cũ không còn quyết định ai nộp đúng hạn.",
            old.commit,
            STAGE,
        )
    ]
    assert trust.seals[STAGE].tag == new.tag
    assert unit(compute_status(extended, w.path, at(25)), B).on_time_by_tag is True


def test_a_stale_deadline_tag_written_in_utc_is_shown_in_the_campaigns_zone(tmp_path: Path, keys: Keys) -> None:
    w, _ = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    on_time = merge(w, keys, A, at(15), sign=None)
    name = f"han/{STAGE}/20220619T170000Z"
    utc = {**deadline_fields(w, on_time), "deadline": DEADLINE.astimezone(UTC).isoformat()}
    forged_tag(w, name, on_time, utc, TAGGER)  # another tool's tag: the same instant, written in UTC
    text = TEXT.replace("due: {before: 2022-06-20}", "due: {before: 2022-06-20, grace: 2d}", 1)
    (note,) = notes(w, text, at(25), "H610")
    assert note.message.startswith(f"Thẻ {name} ghi thời hạn 20/06/2022 00:00, nay thời hạn của giai đoạn là ")


def test_a_deadline_tag_of_a_stage_no_longer_in_the_campaign_is_passed_over_and_the_next_one_decides(
    tmp_path: Path, keys: Keys
) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    on_time = merge(w, keys, A, at(15), sign=None)
    gone = "bai-cu"  # a stage since renamed: its tag sorts before the stage's own
    fields = {**deadline_fields(w, on_time), "stage": gone}
    forged_tag(w, f"han/{gone}/20220619T170000Z", on_time, fields, TAGGER)
    (action, *_) = tag_deadlines(c, w.path, at(20, 0, 5))
    merge(w, keys, B, at(21), sign=None)
    trust = read_trust(w.path, c, head(w), at(25))
    assert f"han/{gone}/" < action.tag and trust.notes == []
    assert list(trust.seals) == [STAGE] and trust.seals[STAGE].tag == action.tag
    status = compute_status(c, w.path, at(25))
    assert unit(status, A).on_time_by_tag is True and unit(status, B).on_time_by_tag is False


def test_a_deadline_tag_naming_a_commit_that_landed_at_the_deadline_instant_is_contradicted(
    tmp_path: Path, keys: Keys
) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    at_deadline = merge(w, keys, B, DEADLINE, sign=None)  # 00:00:00 on the 20th: late by the rule
    name = f"han/{STAGE}/20220619T170000Z"
    forged_tag(w, name, at_deadline, deadline_fields(w, at_deadline), TAGGER)  # "on time", it says
    trust = read_trust(w.path, c, head(w), at(25))
    assert trust.notes == [
        Note(
            "H609",
            f"Thẻ {name} cho rằng commit {at_deadline[:10]} là đầu nhánh lúc hết hạn, nhưng bằng chứng khác cho "
            f"thấy commit này vào nhánh chính lúc {when(DEADLINE, TZ)}: thẻ không được dùng.",
            at_deadline,
            STAGE,
        )
    ]
    assert trust.seals == {}
    assert unit(compute_status(c, w.path, at(25)), B).on_time_by_tag is None


# ------------------------------------------------------------------ rewritten history


def _lost_line(w: HistoryWriter, n: int, first: datetime) -> list[str]:
    return [w.commit(f"Ghi chú {i}", first.replace(minute=i), committer=CLERK) for i in range(n)]


def test_a_rewrite_names_the_first_ten_lost_commits_and_counts_the_rest(tmp_path: Path, keys: Keys) -> None:
    for n in (10, 11):
        w, c = new_repo(tmp_path / str(n), keys, campaign_text(), sign_setup=False)
        kept = merge(w, keys, A, at(15), sign=None)
        lost = _lost_line(w, n, at(21))
        w.git("reset", "-q", "--hard", lost[0])
        witness(c, w.path, at(21, 12))  # CI saw the first lost commit as the head ...
        w.git("reset", "-q", "--hard", lost[-1])
        witness(c, w.path, at(21, 13))  # ... and then the last one
        w.git("reset", "-q", "--hard", kept)
        w.commit("Viết lại", at(22), committer=CLERK)
        named = ", ".join(sha[:10] for sha in lost[:10]) + (" và 1 commit khác" if n == 11 else "")
        assert notes(w, campaign_text(), at(25), "H607") == [
            Note(
                "H607",
                f"Nhánh chính đã bị viết lại (force-push) sau khi CI ghi nhận: {n} commit đã được ghi nhận không "
                f"còn trên nhánh ({named}).",
                lost[-1],
            )
        ]


def test_two_rewrites_are_two_anomalies(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    kept = merge(w, keys, A, at(15), sign=None)
    first = w.commit("Lần một", at(21), committer=CLERK)
    witness(c, w.path, at(21, 1))
    w.git("reset", "-q", "--hard", kept)
    second = w.commit("Lần hai", at(22), committer=CLERK)
    witness(c, w.path, at(22, 1))
    w.git("reset", "-q", "--hard", kept)
    w.commit("Lần ba", at(23), committer=CLERK)
    assert sorted(n.commit or "" for n in notes(w, campaign_text(), at(25), "H607")) == sorted([first, second])


def test_lost_lines_that_part_after_their_first_commit_are_one_rewrite_naming_each_commit_once(
    tmp_path: Path, keys: Keys
) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    kept = merge(w, keys, A, at(15), sign=None)
    x = w.commit("X", at(21), committer=CLERK)
    y = w.commit("Y", at(21, 10), committer=CLERK)
    witness(c, w.path, at(21, 11))  # CI saw X, Y
    w.git("reset", "-q", "--hard", x)
    z = w.commit("Z", at(21, 12), committer=CLERK)
    witness(c, w.path, at(21, 13))  # then X, Z
    w.git("reset", "-q", "--hard", kept)
    w.commit("Viết lại", at(22), committer=CLERK)
    (note,) = notes(w, campaign_text(), at(25), "H607")
    assert (note.commit, note.message.split("(")[-1]) == (z, f"{x[:10]}, {y[:10]}, {z[:10]}).")
    assert note.message.startswith("Nhánh chính đã bị viết lại (force-push) sau khi CI ghi nhận: 3 commit ")


def test_a_witness_of_a_lost_line_bounds_the_kept_base_from_above_only(tmp_path: Path, keys: Keys) -> None:
    """CI saw main at L (22/6, 00:00); main was then reset to K, L's parent, and M pushed. K was
    on main by the witness, so its claim of the 25th is disproved; M may have been on main
    before the witness (main can be rewritten back and forth), so its claim of the 21st stands."""
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    setup = head(w)
    base = w.direct({path(B): report(c, B)}, "Nộp", at(25), author=CLERK, committer=CLERK)
    w.commit("L", at(26), committer=CLERK)
    witness(c, w.path, at(22, 0))
    w.git("reset", "-q", "--hard", base)
    after = w.commit("M", at(21), committer=CLERK)
    trust = read_trust(w.path, c, head(w), at(30))
    tl = trust.timeline
    assert tl.shas[-3:] == [setup, base, after]
    assert [tl.at(i) for i in (1, 2)] == [at(1), at(21)]  # K at its floor (the setup), M at its claim
    assert [n for n in trust.notes if n.code in ("H601", "H608")] == [
        Note(
            "H608",
            f"Commit {base[:10]} ghi giờ commit {when(at(25), TZ)}, muộn hơn bằng chứng đã thấy nó (hoặc ở tương "
            f"lai): giờ này không được tính; tính là vào nhánh chính lúc {when(at(1), TZ)}.",
            base,
        )
    ]


# ------------------------------------------------------------------ clocks set back, unsigned commits


def test_a_clock_set_back_is_named_with_the_commit_that_set_the_floor(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    floor = merge(w, keys, B, at(21), sign=None)
    back = w.direct({path(C): report(c, C)}, "Nộp thẳng", at(14), author=CLERK, committer=CLERK)
    assert notes(w, campaign_text(), at(25), "H601") == [
        Note(
            "H601",
            f"Commit {back[:10]} ghi giờ commit {when(at(14), TZ)}, sớm hơn commit đã vào nhánh chính trước nó "
            f"({floor[:10]}): đồng hồ bị chỉnh lùi hoặc commit được đẩy thẳng với giờ giả; tính là vào nhánh "
            f"chính không sớm hơn {when(at(21), TZ)}.",
            back,
        )
    ]


def test_under_require_signed_the_unsigned_commits_are_counted_the_first_named(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(SIGNED))
    merge(w, keys, A, at(15))
    first = w.direct({path(B): report(c, B)}, "Nộp", at(19), author=CLERK, committer=GITHUB)
    w.direct({"README.md": "Ghi chú.\n"}, "Ghi chú", at(19, 10), author=CLERK, committer=GITHUB)
    merge(w, keys, C, at(21, 12))
    assert notes(w, campaign_text(SIGNED), at(25), "H613") == [
        Note(
            "H613",
            f"2 commit trên nhánh chính không do máy chủ ký (đầu tiên: {first[:10]}); theo require_signed, giờ "
            "commit tự ghi của chúng không được tính.",
            first,
        )
    ]


def test_signatures_checked_once_are_kept_inside_git_and_not_asked_again(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(SIGNED))
    merge(w, keys, A, at(15))
    merge(w, keys, B, at(16))
    first = read_history(w.path, c, now=at(25))
    again = read_history(w.path, c, now=at(25))
    assert first.verified == len(first_parent(w)) and again.verified == 0
    assert (w.path / ".git" / "baocao" / "signatures.json").is_file()
    assert subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=w.path, capture_output=True).stdout == b""


def first_parent(w: HistoryWriter) -> list[str]:
    return w.git("rev-list", "--first-parent", "HEAD").split()
