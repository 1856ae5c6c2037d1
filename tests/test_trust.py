"""Lateness that cannot be forged: adversarial histories with real OpenPGP keys, signed merge
commits, lightweight and annotated tags, a force-push, a future-dated commit, extensions and
an outline edited after the deadline. Each test names the attack it defeats."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Due
from baocao.ci.prcheck import check_pull_request
from baocao.ci.tags import TagState, tag_deadlines, witness
from baocao.cli import main
from baocao.documents.compile import compile_campaign
from baocao.history.evidence import TAGGER, message
from baocao.status.judge import State, compute_status
from baocao.vn import when
from tests.history_data import CLERK, MAINTAINER, at, path, report
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
    codes,
    deadline_fields,
    forged_tag,
    merge,
    new_repo,
    unit,
)

# ------------------------------------------------------------------ fast-forwards and set-back clocks


def test_fast_forward_commit_with_a_chosen_date_counts_at_the_next_server_evidence(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(SIGNED))
    merge(w, keys, A, at(15))
    # Pushed straight to main (no merge) on 21/6, as "GitHub", claiming 19/6.
    forged = w.direct({path(B): report(c, B)}, "Nộp", at(19), author=CLERK, committer=GITHUB)
    server = merge(w, keys, C, at(21, 12))
    status = compute_status(c, w.path, at(25))
    u = unit(status, B)
    assert u.state is State.LATE and u.submitted_at == at(21, 12)
    assert u.landings[0].claimed_at == at(19) and u.landings[0].evidence == "next"
    assert unit(status, A).state is State.ON_TIME and unit(status, A).landings[0].evidence == "signed"
    (h613,) = [a for a in status.anomalies if a.code == "H613"]
    assert forged[:10] in h613.message and server != forged


def test_commit_signed_by_an_impostor_key_with_the_servers_name_is_not_the_servers(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(SIGNED))
    merge(w, keys, A, at(15))
    merge(w, keys, B, at(19), sign="impostor")  # claims 19/6, signed, "GitHub <noreply@github.com>"
    merge(w, keys, C, at(22))
    status = compute_status(c, w.path, at(25))
    assert unit(status, B).state is State.LATE and unit(status, B).submitted_at == at(22)
    assert unit(status, C).state is State.LATE and unit(status, A).state is State.ON_TIME


def test_deadline_tag_of_the_same_run_does_not_confirm_an_unsigned_commit(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(SIGNED))
    on_time = merge(w, keys, A, at(15))
    w.direct({path(B): report(c, B)}, "Nộp", at(19, 22), author=CLERK, committer=GITHUB)
    (action, *_) = tag_deadlines(c, w.path, at(20, 0, 5))
    assert action.state is TagState.CREATED and action.commit == on_time
    # Under require_signed an unsigned tag is no evidence either: nothing shows that B's commit
    # was on main by 25/6, so as of then it has not been submitted.
    u = unit(compute_status(c, w.path, at(25)), B)
    assert u.state is State.OVERDUE and u.submitted_at is None


def test_without_keys_a_witness_bounds_a_backdated_direct_push(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    seen = witness(c, w.path, at(20, 1))  # CI's run at 01:00 saw main at A's merge
    assert seen.state is TagState.CREATED
    forged = w.direct({path(B): report(c, B)}, "Nộp", at(19), author=CLERK, committer=CLERK)
    status = compute_status(c, w.path, at(25))
    u = unit(status, B)
    assert u.state is State.LATE and u.submitted_at == at(20, 1)
    assert ("H601", forged) in {(a.code, a.commit) for a in u.anomalies}


def test_status_and_tag_deadlines_agree_on_a_clock_set_back(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    late = merge(w, keys, B, at(21), sign=None)
    w.direct({path(C): report(c, C)}, "Nộp thẳng", at(14), author=CLERK, committer=CLERK)  # clock set back
    (action, *_) = tag_deadlines(c, w.path, at(22))
    status = compute_status(c, w.path, at(25))
    assert unit(status, C).state is State.LATE and unit(status, C).submitted_at == at(21)
    assert action.commit != late and unit(status, A).on_time_by_tag is True
    assert unit(status, C).on_time_by_tag is False and unit(status, B).on_time_by_tag is False


# ------------------------------------------------------------------ forged and stale tags


@pytest.mark.parametrize("kind", ["lightweight", "wrong-tagger", "unsigned-with-witness-keys", "impostor-signed"])
def test_forged_deadline_tag_never_turns_a_unit_five_days_late_on_time(tmp_path: Path, keys: Keys, kind: str) -> None:
    extra = "evidence:\n  witness_keys: [trust/server.asc]\n" if kind != "wrong-tagger" else ""
    w, c = new_repo(tmp_path, keys, campaign_text(extra), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    tip = merge(w, keys, B, at(25), sign=None)  # five days late
    name = f"han/{STAGE}/20220619T170000Z"
    fields = deadline_fields(w, tip)
    if kind == "lightweight":
        w.git("tag", name, tip)
    elif kind == "wrong-tagger":
        forged_tag(w, name, tip, fields, CLERK)
    elif kind == "unsigned-with-witness-keys":
        forged_tag(w, name, tip, fields, TAGGER)
    else:
        env = {
            "GIT_COMMITTER_NAME": TAGGER[0],
            "GIT_COMMITTER_EMAIL": TAGGER[1],
            "GIT_COMMITTER_DATE": fields["run-at"],
        }
        w.git("tag", "-s", "-u", keys.impostor, "-m", message("deadline", fields), name, tip, env=env)
    status = compute_status(c, w.path, at(30))
    assert unit(status, B).state is State.LATE and unit(status, B).on_time_by_tag is None
    (h609,) = [a for a in status.anomalies if a.code == "H609"]
    assert name in h609.message


def test_genuine_deadline_tag_signed_by_the_ci_key_is_evidence(
    tmp_path: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GNUPGHOME", str(keys.home))  # where CI keeps its signing key
    w, c = new_repo(tmp_path, keys, campaign_text("evidence:\n  witness_keys: [trust/server.asc]\n"), sign_setup=False)
    on_time = merge(w, keys, A, at(15), sign=None)
    (action, *_) = tag_deadlines(c, w.path, at(20, 0, 5), sign=keys.server)
    merge(w, keys, B, at(21), sign=None)
    status = compute_status(c, w.path, at(25))
    assert action.commit == on_time and "H609" not in codes(status)
    assert unit(status, A).on_time_by_tag is True and unit(status, B).on_time_by_tag is False


def test_force_push_over_tagged_history_is_reported_and_the_tag_still_decides(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    setup = w.git("rev-parse", "HEAD")
    merge(w, keys, A, at(15), sign=None)
    tag_deadlines(c, w.path, at(20, 0, 5))
    lost = merge(w, keys, B, at(25), sign=None)
    witness(c, w.path, at(25, 1))
    # Rewritten: main reset to the setup, B's report re-committed claiming 19/6, force-pushed.
    w.git("reset", "-q", "--hard", setup)
    w.direct({path(A): report(c, A), path(B): report(c, B)}, "Nộp", at(19), author=CLERK, committer=CLERK)
    status = compute_status(c, w.path, at(30))
    (h607,) = [a for a in status.anomalies if a.code == "H607"]
    assert lost[:10] in h607.message
    assert unit(status, A).state is State.ON_TIME and unit(status, A).on_time_by_tag is True
    assert unit(status, B).state is State.LATE and unit(status, B).on_time_by_tag is False


# ------------------------------------------------------------------ future-dated commits


def test_future_dated_commit_neither_moves_the_deadline_tag_nor_cuts_as_of(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(10), sign=None)
    future = w.direct({"README.md": "Ghi chú.\n"}, "Ghi chú", at(30), committer=MAINTAINER)  # made on 15/6
    honest = merge(w, keys, B, at(16), sign=None)
    (action, *_) = tag_deadlines(c, w.path, at(20, 0, 5))
    assert action.commit == honest  # the 30/6 claim is in the future of the run: it has no weight
    status = compute_status(c, w.path, at(25))
    assert unit(status, B).state is State.ON_TIME and unit(status, B).submitted_at == at(16)
    assert ("H608", future) in {(a.code, a.commit) for a in status.anomalies}
    earlier = compute_status(c, w.path, at(17))
    assert unit(earlier, B).state is State.ON_TIME and earlier.head == honest


# ------------------------------------------------------------------ extensions


def test_extended_stage_supersedes_its_old_tag_and_judges_by_the_new_deadline(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    tag_deadlines(c, w.path, at(20, 0, 5))
    merge(w, keys, B, at(21), sign=None)  # inside a two-day grace granted afterwards
    extended = load_campaign_text(TEXT.replace("due: {before: 2022-06-20}", "due: {before: 2022-06-20, grace: 2d}", 1))
    status = compute_status(extended, w.path, at(25))
    assert unit(status, B).state is State.ON_TIME and unit(status, B).on_time_by_tag is None
    assert "H610" in codes(status)
    assert unit(compute_status(c, w.path, at(25)), B).state is State.LATE  # the old deadline still says late
    actions = {a.stage: a for a in tag_deadlines(extended, w.path, at(22, 0, 5))}
    assert actions[STAGE].state is TagState.CREATED and actions[STAGE].tag == f"han/{STAGE}/20220621T170000Z"


def test_unit_extension_is_used_and_shown(tmp_path: Path, keys: Keys) -> None:
    extra = (
        "extensions:\n  - unit: thi-uy-duc-pho\n    stage: bao-cao-don-vi\n    due: {by: 2022-06-24}\n"
        "    reason: Mưa lũ chia cắt địa bàn\n    decision: Công văn số 12-CV/ĐU ngày 18/6/2022\n"
    )
    w, c = new_repo(tmp_path, keys, campaign_text(extra), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    tag_deadlines(c, w.path, at(20, 0, 5))
    merge(w, keys, B, at(23), sign=None)
    merge(w, keys, C, at(23), sign=None)
    status = compute_status(c, w.path, at(26))
    u = unit(status, B)
    assert u.state is State.ON_TIME and u.deadline == at(25, 0) and u.on_time_by_tag is None
    assert u.extension is not None and u.extension.decision.startswith("Công văn số 12")
    assert unit(status, C).state is State.LATE
    # The units after B in the stage are still judged by the deadline tag (B's extension skips only B).
    assert unit(status, A).on_time_by_tag is True and unit(status, C).on_time_by_tag is False
    doc = u.to_dict()
    assert doc["deadline"] == at(25, 0).isoformat()
    assert doc["extension"] == {
        "due_text": c.extensions[0].due.describe(),
        "reason": "Mưa lũ chia cắt địa bàn",
        "decision": "Công văn số 12-CV/ĐU ngày 18/6/2022",
    }
    remind = CliRunner().invoke(main, ["--root", str(w.path), "remind", "--as-of", at(24).isoformat()])
    assert "Thị ủy Đức Phổ" not in remind.output.split("Kính gửi:")[1].split("Thực hiện")[0]


# ------------------------------------------------------------------ rules in force, late: reject, gitlinks


def test_outline_edited_after_the_deadline_does_not_invalidate_reports_accepted_in_time(
    tmp_path: Path, keys: Keys
) -> None:
    w, _ = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    renamed = TEXT.replace('heading: "1. Ưu điểm"', 'heading: "1. Những ưu điểm nổi bật"', 1)
    w.direct({"campaign.yml": renamed}, "Sửa đề cương", at(22), committer=MAINTAINER)
    merge(w, keys, B, at(23), sign=None)  # written to the old outline after the edit
    new = load_campaign_text(renamed)
    for as_of in (at(19), at(25)):
        status = compute_status(new, w.path, as_of)
        assert unit(status, A).state is State.ON_TIME and unit(status, A).errors == []
    status = compute_status(new, w.path, at(25))
    assert unit(status, B).state is State.INVALID and {f.code for f in unit(status, B).errors} == {"S401"}
    assert [e.parts for e in status.events] == [(), ("đề cương",)]


def test_late_reject_holds_at_merge_time_whatever_the_check_said_before(tmp_path: Path, keys: Keys) -> None:
    text = campaign_text(replace=("    late: warn\n", "    late: reject\n"))
    if "late: reject" not in text:
        text = text.replace("due: {before: 2022-06-20}", "due: {before: 2022-06-20}\n    late: reject", 1)
    w, c = new_repo(tmp_path, keys, text, sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    w.git("checkout", "-q", "-b", "nop-b", "main")
    w.write({path(B): report(c, B)})
    w.commit("Nộp", at(19), author=CLERK, committer=CLERK)
    checked = check_pull_request(c, w.path, "main", "nop-b", "vt-thi-uy-duc-pho", now=at(19, 12))
    assert checked.ok and [r.outcome for r in checked.reports] == ["on_time"]
    w.git("checkout", "-q", "main")
    env = {"GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": GITHUB[1], "GIT_COMMITTER_DATE": at(21).isoformat()}
    w.git("merge", "-q", "--no-ff", "-m", "Merge", "nop-b", env=env)
    status = compute_status(c, w.path, at(25))
    u = unit(status, B)
    assert u.state is State.OVERDUE and u.rejected and "H612" in codes(status, B)
    compiled = compile_campaign(c, w.path, as_of=at(25), status=status)
    assert B not in {s.unit.id for s in compiled.sources}
    assert B in {a.unit.id for a in compiled.with_state(State.OVERDUE)}


def test_late_reject_takes_a_landing_at_the_deadline_instant_as_late(tmp_path: Path, keys: Keys) -> None:
    text = campaign_text(replace=("    late: warn\n", "    late: reject\n"))
    if "late: reject" not in text:
        text = text.replace("due: {before: 2022-06-20}", "due: {before: 2022-06-20}\n    late: reject", 1)
    w, c = new_repo(tmp_path, keys, text, sign_setup=False)
    on_time = merge(w, keys, A, at(19, 23, 59), sign=None)
    at_deadline = merge(w, keys, B, DEADLINE, sign=None)  # 00:00:00 on 20/6: the period is over
    status = compute_status(c, w.path, at(25))
    a, b = unit(status, A), unit(status, B)
    assert a.state is State.ON_TIME and not a.rejected and a.commit == on_time
    assert a.to_dict()["submitted_at"] == a.submitted_at.isoformat() == at(19, 23, 59).isoformat()
    assert b.state is State.OVERDUE and b.rejected and b.commit == at_deadline and b.submitted_at is None
    assert b.late_seconds == int((at(25) - DEADLINE).total_seconds())
    (h612,) = [x for x in b.anomalies if x.code == "H612"]
    assert (h612.commit, h612.unit, h612.stage, h612.path) == (at_deadline, B, STAGE, path(B))
    assert h612.message == (
        f"Báo cáo hợp lệ đầu tiên vào nhánh chính lúc {when(DEADLINE)}, sau hạn ({when(DEADLINE)}); "
        "giai đoạn này không nhận báo cáo muộn (late: reject) nên không được tính."
    )


def test_a_deadline_tag_made_at_the_deadline_instant_decides_at_that_instant(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(19), sign=None)
    (action, *_) = tag_deadlines(c, w.path, DEADLINE)  # CI's run at 00:00:00 exactly: the period is over
    assert action.state is TagState.CREATED
    at_deadline, before = compute_status(c, w.path, DEADLINE), compute_status(c, w.path, at(19, 23, 59))
    assert unit(at_deadline, A).state is State.ON_TIME and unit(at_deadline, A).on_time_by_tag is True
    assert unit(before, A).on_time_by_tag is None  # before the deadline a tag decides nothing


def test_a_late_report_is_revised_after_the_deadline_only_when_a_later_version_lands(
    tmp_path: Path, keys: Keys
) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(21), sign=None)
    once = unit(compute_status(c, w.path, at(21, 12)), A)
    assert (
        once.state is State.LATE
        and once.late_seconds == int((at(21) - DEADLINE).total_seconds())
        and not once.revised_after_due
    )
    revised = {path(A): report(c, A) + "\nBổ sung số liệu tháng 6.\n"}
    w.pull_request("sua", revised, authored=at(22), merged=at(22), author=CLERK)
    twice = unit(compute_status(c, w.path, at(25)), A)
    assert twice.state is State.LATE and twice.revisions == 2 and twice.revised_after_due


def test_an_invalid_report_is_late_by_the_time_since_the_deadline(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    w.pull_request(
        "hong", {path(B): "Không có phần thông tin đầu tệp.\n"}, authored=at(18), merged=at(18), author=CLERK
    )
    before, after = unit(compute_status(c, w.path, at(19)), B), unit(compute_status(c, w.path, at(25)), B)
    assert before.state is State.INVALID and before.late_seconds is None and before.present
    assert after.state is State.INVALID and after.late_seconds == int((at(25) - DEADLINE).total_seconds())


def test_report_replaced_by_a_submodule_is_gone(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    w.git("rm", "-q", "--cached", path(A))
    w.git("update-index", "--add", "--cacheinfo", f"160000,{w.git('rev-parse', 'HEAD')},{path(A)}")
    w.commit("Submodule", at(16), committer=MAINTAINER)
    sub = w.git("rev-parse", "HEAD")
    status = compute_status(c, w.path, at(25))
    u = unit(status, A)
    assert not u.present and {"H614", "H603"} <= codes(status, A)
    # Both anomalies name the submodule commit, the unit, the stage and the file, in words a clerk reads.
    found = {a.code: a for a in u.anomalies}
    stage = c.stages[0].id
    for code in ("H614", "H603"):
        assert (found[code].commit, found[code].unit, found[code].stage, found[code].path) == (sub, A, stage, path(A))
        assert f"{path(A)} " in found[code].message and f"(commit {sub[:10]})" in found[code].message
    assert "submodule" in found["H614"].message and "không còn trên nhánh chính" in found["H614"].message
    assert f"lúc {when(at(16))} " in found["H603"].message
    assert A not in {s.unit.id for s in compile_campaign(c, w.path, as_of=at(25), status=status).sources}


def test_grace_is_counted_in_elapsed_time_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 27/3/2022 02:00 CET the clocks went forward to 03:00 CEST.
    due = Due.model_validate({"at": datetime(2022, 3, 27, 1, 30), "grace": "2h"})
    end = due.instant(berlin)
    assert end == datetime(2022, 3, 27, 4, 30, tzinfo=berlin)  # 1h30 of CET + 2 h elapsed
    assert end.tzinfo is berlin and f"{end:%H:%M %Z}" == "04:30 CEST"  # shown in the campaign's zone


@pytest.mark.parametrize(
    "due",
    [
        "{before: 0001-01-01}",
        "{by: 9999-12-31}",
        "{before: 2022-02-30}",
        "{at: 17:00}",
        "{by: 2022-06-20, grace: 99999d}",
    ],
)
def test_date_edge_cases_are_coded_findings_never_tracebacks(tmp_path: Path, due: str) -> None:
    (tmp_path / "campaign.yml").write_text(
        TEXT.replace("due: {before: 2022-06-20}", f"due: {due}", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "status", "--format", "json"])
    assert (result.exit_code == 2 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "C102" in result.output


def test_status_json_says_how_each_submission_time_is_known(tmp_path: Path, keys: Keys) -> None:
    w, _ = new_repo(tmp_path, keys, campaign_text(SIGNED))
    merge(w, keys, A, at(15))
    result = CliRunner().invoke(
        main, ["--root", str(w.path), "status", "--format", "json", "--as-of", at(25).isoformat()]
    )
    doc = json.loads(result.output)
    (a,) = [u for u in doc["stages"][0]["units"] if u["unit"] == A]
    assert a["evidence"] == "signed" and a["landings"][0]["evidence"] == "signed"


def test_server_signed_commit_made_on_a_branch_and_pushed_later_lands_when_evidence_allows(
    tmp_path: Path, keys: Keys
) -> None:
    """The server signs a web edit on a pull-request branch at 19/6; fast-forwarded onto main
    on 22/6 it is still signed and dated 19/6, but a witness saw main without it on 21/6."""
    w, c = new_repo(tmp_path, keys, campaign_text("evidence:\n  server_keys: [trust/server.asc]\n"))
    merge(w, keys, A, at(15))
    w.git("checkout", "-q", "-b", "web-edit", "main")
    w.write({path(B): report(c, B)})
    signed = w.commit("Sửa trên web", at(19), author=CLERK, committer=GITHUB, sign=keys.server)
    w.git("checkout", "-q", "main")
    witness(c, w.path, at(21))
    w.git("merge", "-q", "--ff-only", "web-edit")
    u = unit(compute_status(c, w.path, at(25)), B)
    assert u.commit == signed and u.submitted_at == at(21) and u.state is State.LATE
    assert ("H601", signed) in {(a.code, a.commit) for a in u.anomalies}


def test_deadline_tag_contradicted_by_a_witness_decides_nothing(tmp_path: Path, keys: Keys) -> None:
    """Without keys a well-formed tag is believed, unless other evidence contradicts it: here a
    witness saw main without the tagged commit one hour after the deadline."""
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    witness(c, w.path, at(20, 1))
    late = w.direct({path(B): report(c, B)}, "Nộp", at(19), author=CLERK, committer=CLERK)
    name = f"han/{STAGE}/20220619T170000Z"
    fields = deadline_fields(w, late)
    fields["run-at"] = at(20, 2).isoformat()
    forged_tag(w, name, late, fields, TAGGER)
    status = compute_status(c, w.path, at(25))
    assert unit(status, B).state is State.LATE and unit(status, B).on_time_by_tag is None
    assert any(a.code == "H609" and name in a.message for a in status.anomalies)


def test_before_its_deadline_a_deadline_tag_decides_nothing(tmp_path: Path, keys: Keys) -> None:
    w, c = new_repo(tmp_path, keys, campaign_text(), sign_setup=False)
    merge(w, keys, A, at(15), sign=None)
    tag_deadlines(c, w.path, at(20, 0, 5))
    merge(w, keys, B, at(21), sign=None)
    before = compute_status(c, w.path, at(19))
    assert unit(before, A).state is State.ON_TIME and unit(before, A).on_time_by_tag is None
    assert unit(before, B).state is State.MISSING
    after = compute_status(c, w.path, at(22))
    assert unit(after, A).on_time_by_tag is True and unit(after, B).on_time_by_tag is False
