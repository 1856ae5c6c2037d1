"""baocao pr-check on real branches of a real repository."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign
from baocao.checks.formats import as_text
from baocao.ci.prcheck import PrCheck, as_markdown, check_pull_request, render, summary_lines
from baocao.cli import main
from baocao.demo.simulate import HistoryWriter
from baocao.vn import when
from tests.conftest import ROOT
from tests.history_data import CLERK, at, path, report

CAMPAIGN_TEXT = (ROOT / "campaign.yml").read_text(encoding="utf-8")
SUBMITTED = "thanh-uy-quang-ngai"  # already on main, on time
UNIT = "huyen-uy-tra-bong"
OTHER = "huyen-uy-ba-to"
ACTOR = f"vt-{UNIT}"
MAINTAINER = "vanphong-cong-an-tinh"
INTRUDER = "ke-gian"
# A pull request's own campaign.yml making its author a maintainer and a submitter of UNIT.
SELF_APPROVING = CAMPAIGN_TEXT.replace(
    f"maintainers: [{MAINTAINER}]", f"maintainers: [{MAINTAINER}, {INTRUDER}]", 1
).replace(f"submitters: [{ACTOR}]", f"submitters: [{ACTOR}, {INTRUDER}]", 1)


def branch(
    w: HistoryWriter,
    name: str,
    files: Mapping[str, str | None],
    *,
    executable: tuple[str, ...] = (),
    symlinks: Mapping[str, str] | None = None,
) -> None:
    w.git("checkout", "-q", "-B", name, "main")
    w.write(files)
    for rel in executable:
        (w.path / rel).chmod(0o755)
        w.git("add", "--", rel)
    for rel, target in (symlinks or {}).items():
        (w.path / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, w.path / rel)
        w.git("add", "--", rel)
    w.commit(f"PR {name}", at(14), author=CLERK, committer=CLERK)
    w.git("checkout", "-q", "main")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    root = tmp_path_factory.mktemp("prs")
    w = HistoryWriter.init(root)
    w.write({"campaign.yml": CAMPAIGN_TEXT, "README.md": "Đợt báo cáo.\n"})
    w.commit("Khởi tạo", at(1))
    w.pull_request("first", {path(SUBMITTED): report(campaign, SUBMITTED)}, authored=at(10), merged=at(11))
    c = campaign
    branch(w, "one-unit", {path(UNIT): report(c, UNIT)})
    branch(w, "two-units", {path(UNIT): report(c, UNIT), path(OTHER): report(c, OTHER)})
    branch(w, "outside", {path(UNIT): report(c, UNIT), "README.md": "Sửa.\n"})
    branch(w, "invalid", {path(UNIT): report(c, UNIT, broken=True)})
    branch(w, "revision", {path(SUBMITTED): report(c, SUBMITTED, revision=2)})
    branch(w, "deletion", {path(SUBMITTED): None})
    branch(w, "self-approve", {"campaign.yml": SELF_APPROVING, path(UNIT): report(c, UNIT)})
    branch(
        w,
        "bad-files",
        {path(UNIT): report(c, UNIT), f"submissions/{UNIT}/chay.sh": "echo\n", f"submissions/{UNIT}/ky.pdf": "%PDF"},
        executable=(f"submissions/{UNIT}/ky.pdf",),
        symlinks={f"submissions/{UNIT}/anh.png": "/etc/passwd"},
    )
    return root


def codes(result: PrCheck) -> list[str]:
    return sorted(f.code for f in result.findings)


def test_pull_request_of_one_unit_before_deadline_passes(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", ACTOR, at(15))
    assert result.ok and codes(result) == [] and result.units == [UNIT]
    assert [r.outcome for r in result.reports] == ["on_time"]


def test_pull_request_after_deadline_warns_late(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", ACTOR, at(21))
    assert result.ok and codes(result) == ["P705"]
    assert result.reports[0].late_seconds == 33 * 3600


def test_late_pull_request_is_rejected_when_stage_says_reject(repo: Path) -> None:
    text = CAMPAIGN_TEXT.replace(
        "    due: {before: 2022-06-20}\n", "    due: {before: 2022-06-20}\n    late: reject\n", 1
    )
    result = check_pull_request(load_campaign_text(text), repo, "main", "one-unit", ACTOR, at(21))
    assert not result.ok and codes(result) == ["P706"]


def test_pull_request_touching_two_units_is_rejected(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "two-units", ACTOR, at(15))
    assert not result.ok and "P701" in codes(result)


def test_actor_who_is_not_a_submitter_is_rejected(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", f"vt-{OTHER}", at(15))
    assert codes(result) == ["P702"]


def test_maintainer_may_touch_anything(campaign: Campaign, repo: Path) -> None:
    for name in ("two-units", "outside"):
        result = check_pull_request(campaign, repo, "main", name, MAINTAINER, at(15))
        assert result.ok, (name, codes(result))


def test_files_outside_the_unit_folder_are_rejected(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "outside", ACTOR, at(15))
    assert codes(result) == ["P703"] and result.findings[0].path == "README.md"


def test_invalid_report_fails_with_its_check_codes(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "invalid", ACTOR, at(15))
    assert codes(result) == ["S401"] and result.reports[0].outcome == "invalid"


def test_symlink_executable_and_disallowed_files_are_rejected(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "bad-files", ACTOR, at(15))
    by_path = {(f.path.rsplit("/", 1)[-1], f.code) for f in result.findings}
    # ky.pdf holds only "%PDF": also not a readable PDF (a warning).
    assert by_path == {("anh.png", "F202"), ("chay.sh", "F201"), ("ky.pdf", "P704"), ("ky.pdf", "K909")}


def test_revision_after_deadline_keeps_submission_and_warns(campaign: Campaign, repo: Path) -> None:
    actor = f"vt-{SUBMITTED}"
    assert codes(check_pull_request(campaign, repo, "main", "revision", actor, at(15))) == []
    late = check_pull_request(campaign, repo, "main", "revision", actor, at(21))
    assert late.ok and codes(late) == ["P707"] and late.reports[0].outcome == "revision_after_due"


def test_deleting_a_report_is_warned(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "deletion", f"vt-{SUBMITTED}", at(15))
    assert codes(result) == ["P708"] and result.reports[0].outcome == "deleted"


def test_github_format_writes_annotations_and_a_vietnamese_summary(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    args = ["--root", str(repo), "pr-check", "--base", "main", "--head", "two-units", "--actor", ACTOR]
    args += ["--now", "2022-06-21T09:00:00+07:00", "--format", "github"]
    result = CliRunner().invoke(main, args, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert f"::error file={path(OTHER)},line=1,title=P701" in result.output
    text = summary.read_text(encoding="utf-8")
    assert "Chưa đạt" in text and "| P701 | lỗi |" in text and "| P705 | cảnh báo |" in text


def test_json_format_reports_the_verdict_per_report(repo: Path) -> None:
    args = ["--root", str(repo), "pr-check", "--base", "main", "--head", "one-unit", "--actor", ACTOR]
    result = CliRunner().invoke(main, [*args, "--now", "2022-06-15T09:00", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["ok"] and doc["units"] == [UNIT] and doc["reports"][0]["outcome"] == "on_time"


@pytest.mark.parametrize(
    ("head", "actor", "outcomes"),
    [("one-unit", ACTOR, {UNIT: "late"}), ("two-units", MAINTAINER, {OTHER: "late", UNIT: "late"})],
    ids=["late-warning", "maintainer-two-units"],
)
def test_json_document_carries_every_field_of_the_check_and_of_each_report(
    campaign: Campaign, repo: Path, head: str, actor: str, outcomes: dict[str, str]
) -> None:
    """The whole document a CI job or a script reads, field by field, from the fixture's facts."""
    now = "2022-06-21T09:00:00+07:00"  # 33 hours after the deadline
    args = ["--root", str(repo), "pr-check", "--base", "main", "--head", head, "--actor", actor]
    result = CliRunner().invoke(main, [*args, "--now", now, "--format", "json"])
    assert result.exit_code == 0, result.output
    main_sha = subprocess.run(["git", "rev-parse", "main"], cwd=repo, capture_output=True, text=True).stdout.strip()
    late = [f for f in check_pull_request(campaign, repo, "main", head, actor, at(21)).findings]
    assert [f.code for f in late] == ["P705"] * len(outcomes)
    stage = campaign.stages[0]
    assert json.loads(result.output) == {
        "base": "main",
        "head": head,
        "merge_base": main_sha,
        "actor": actor,
        "maintainer": actor == MAINTAINER,
        "now": now,
        "units": sorted(outcomes),
        "files": [path(u) for u in sorted(outcomes)],
        "reports": [
            {
                "path": path(u),
                "unit": u,
                "stage": stage.id,
                "valid": True,
                "outcome": outcome,
                "deadline": campaign.deadline(stage).isoformat(),
                "late_seconds": 33 * 3600,
            }
            for u, outcome in sorted(outcomes.items())
        ],
        "findings": [
            {"code": "P705", "severity": "warning", "path": f.path, "line": f.line, "message": f.message} for f in late
        ],
        "errors": 0,
        "warnings": len(outcomes),
        "ok": True,
    }


def test_job_summary_names_the_units_says_each_reports_outcome_and_lists_every_finding(
    campaign: Campaign, repo: Path
) -> None:
    result = check_pull_request(campaign, repo, "main", "two-units", ACTOR, at(21))
    assert [f.code for f in result.findings] == ["P701", "P702", "P705", "P705"]
    deadline = when(campaign.deadline(campaign.stages[0]))
    names = ", ".join(campaign.unit_by_id[u].name for u in (OTHER, UNIT))
    head = [
        "❌ Chưa đạt: cần sửa các lỗi dưới đây trước khi hợp nhất.",
        f"Đơn vị: {names}.",
        *(f"- {path(u)}: MUỘN nếu hợp nhất bây giờ (hết hạn lúc {deadline})." for u in (OTHER, UNIT)),
    ]
    assert summary_lines(result, campaign) == head
    rows = [
        f"| {f.code} | {'lỗi' if f.code != 'P705' else 'cảnh báo'} | {f.path} | 1 | {f.message} |"
        for f in result.findings
    ]
    assert (
        as_markdown(result, campaign)
        == "\n".join(
            [
                "## Kiểm tra yêu cầu hợp nhất (baocao pr-check)",
                "",
                *head,
                "",
                "Thời điểm kiểm tra: 21/06/2022 09:00; 2 lỗi, 2 cảnh báo.",
                "",
                "| Mã | Mức | Tệp | Dòng | Nội dung |",
                "|---|---|---|---|---|",
                *rows,
            ]
        )
        + "\n"
    )
    text = render(result, campaign, "text")
    assert text == "\n".join([*head, as_text(result.findings)])
    lines = render(result, campaign, "github").splitlines()
    annotations, (stop, *body, end) = lines[:4], lines[4:]
    assert [a.split(" ", 2)[0] + " " + a.split(" ", 2)[1] for a in annotations] == [
        f"::error file={path(OTHER)},line=1,title=P701",
        f"::error file={path(OTHER)},line=1,title=P702",
        f"::warning file={path(OTHER)},line=1,title=P705",
        f"::warning file={path(UNIT)},line=1,title=P705",
    ]
    token = stop.removeprefix("::stop-commands::")
    assert len(token) >= 32 and end == f"::{token}::" and body == text.splitlines()


def test_job_summary_of_a_passing_pull_request_has_no_table(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", ACTOR, at(15))
    deadline = when(campaign.deadline(campaign.stages[0]))
    assert as_markdown(result, campaign) == (
        "## Kiểm tra yêu cầu hợp nhất (baocao pr-check)\n\n✅ Đạt: có thể hợp nhất.\n"
        f"Đơn vị: {campaign.unit_by_id[UNIT].name}.\n- {path(UNIT)}: đúng hạn nếu hợp nhất bây giờ (hết hạn lúc "
        f"{deadline}).\n\nThời điểm kiểm tra: 15/06/2022 09:00; 0 lỗi, 0 cảnh báo.\n"
    )
    (stop, *body, end) = render(result, campaign, "github").splitlines()  # no annotation: nothing to show on a file
    assert stop.startswith("::stop-commands::") and end == f"::{stop.removeprefix('::stop-commands::')}::"
    assert body == render(result, campaign, "text").splitlines()


def test_shallow_clone_is_refused(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.resolve().as_uri(), str(clone)], check=True)
    result = CliRunner().invoke(main, ["--root", str(clone), "pr-check", "--base", "main", "--head", "HEAD"])
    assert result.exit_code == 2 and "fetch-depth: 0" in result.output


def test_maintainer_may_delete_a_report_with_only_a_warning(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "deletion", MAINTAINER, at(15))
    assert result.ok and codes(result) == ["P708"]


def test_unit_folder_findings_point_at_the_first_changed_file_of_the_folder(campaign: Campaign, repo: Path) -> None:
    two = check_pull_request(campaign, repo, "main", "two-units", ACTOR, at(15))
    assert [(f.path, f.line) for f in two.findings if f.code == "P701"] == [(path(OTHER), 1)]  # ba-to sorts first
    stranger = check_pull_request(campaign, repo, "main", "one-unit", f"vt-{OTHER}", at(15))
    assert [(f.path, f.line) for f in stranger.findings] == [(path(UNIT), 1)]
    assert all(f.path in two.files for f in two.findings)


def _pr_check_at_head(repo: Path, tmp_path: Path, head: str, actor: str) -> tuple[int, dict]:
    """pr-check as a workflow that (wrongly) checked out the pull request's head would run it."""
    clone = tmp_path / "head"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", f"origin/{head}"], check=True)
    args = ["--root", str(clone), "pr-check", "--base", "origin/main", "--head", f"origin/{head}"]
    result = CliRunner().invoke(main, [*args, "--actor", actor, "--now", "2022-06-15T09:00", "--format", "json"])
    return result.exit_code, json.loads(result.output)


def test_pull_request_editing_campaign_yml_cannot_approve_its_own_author(
    campaign: Campaign, repo: Path, tmp_path: Path
) -> None:
    code, doc = _pr_check_at_head(repo, tmp_path, "self-approve", INTRUDER)
    assert code == 1 and not doc["maintainer"]
    assert sorted((f["code"], f["path"]) for f in doc["findings"]) == [("P702", path(UNIT)), ("P703", "campaign.yml")]
    # Judged by its own campaign.yml, the same pull request would have passed.
    own = load_campaign_text(SELF_APPROVING)
    assert check_pull_request(own, repo, "main", "self-approve", INTRUDER, at(15)).ok


def test_maintainer_of_the_base_campaign_may_change_campaign_yml(repo: Path, tmp_path: Path) -> None:
    code, doc = _pr_check_at_head(repo, tmp_path, "self-approve", MAINTAINER)
    assert code == 0 and doc["maintainer"] and doc["findings"] == []


def test_every_report_of_a_pull_request_is_judged_against_its_own_history(
    campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The compiling unit's draft (stage 2) is already on main; one PR brings its stage-1 report
    # (new) and a revised draft. The revision must be seen as a revision even though the new
    # report comes first in the PR's file order.
    unit = "dang-uy-cong-an-tinh"
    draft, unit_report = path(unit, "du-thao.md"), path(unit)
    w = HistoryWriter.init(tmp_path_factory.mktemp("two-stages"))
    w.write({"campaign.yml": CAMPAIGN_TEXT})
    w.commit("Khởi tạo", at(1))
    w.pull_request("draft", {draft: report(campaign, unit, stage="du-thao-tong-hop")}, authored=at(10), merged=at(11))
    branch(
        w,
        "both",
        {unit_report: report(campaign, unit), draft: report(campaign, unit, revision=2, stage="du-thao-tong-hop")},
    )
    result = check_pull_request(campaign, w.path, "main", "both", f"vt-{unit}", at(15))
    assert result.ok
    assert {r.path: r.outcome for r in result.reports} == {unit_report: "on_time", draft: "revision"}


def test_unit_without_submitters_takes_no_pull_request_unless_the_campaign_opens_it(repo: Path) -> None:
    closed = load_campaign_text(CAMPAIGN_TEXT.replace(f"submitters: [{ACTOR}]", "submitters: []", 1))
    result = check_pull_request(closed, repo, "main", "one-unit", INTRUDER, at(15))
    assert not result.ok and codes(result) == ["P702"] and "chưa khai báo submitters" in result.findings[0].message
    opened = load_campaign_text(
        CAMPAIGN_TEXT.replace(f"submitters: [{ACTOR}]", "submitters: []", 1).replace(
            "  trusted_committers: []\n", "  trusted_committers: []\n  open_submission: true\n", 1
        )
    )
    assert check_pull_request(opened, repo, "main", "one-unit", INTRUDER, at(15)).ok


def test_two_report_files_for_one_stage_in_a_pull_request_are_refused(campaign: Campaign, tmp_path: Path) -> None:
    from baocao.demo.word_sample import Sample, party_docx

    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": CAMPAIGN_TEXT})
    w.commit("Khởi tạo", at(1))
    w.git("checkout", "-q", "-b", "both", "main")
    w.write({path(UNIT): report(campaign, UNIT), f"submissions/{UNIT}/bao-cao.docx": party_docx(Sample())})
    w.commit("Nộp hai tệp", at(14), author=CLERK, committer=CLERK)
    result = check_pull_request(campaign, w.path, "main", "both", ACTOR, at(15))
    assert not result.ok and "F210" in codes(result)


def test_a_pull_request_merged_exactly_at_the_deadline_is_late_by_zero_seconds(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", ACTOR, at(20, 0))
    assert codes(result) == ["P705"] and result.reports[0].outcome == "late" and result.reports[0].late_seconds == 0
    early = check_pull_request(campaign, repo, "main", "one-unit", ACTOR, at(19, 23, 59, 59))
    assert codes(early) == [] and early.reports[0].outcome == "on_time"


def test_without_an_actor_the_submitter_check_is_left_to_the_caller(campaign: Campaign, repo: Path) -> None:
    result = check_pull_request(campaign, repo, "main", "one-unit", None, at(15))
    assert result.ok and "P702" not in codes(result) and result.actor is None


def test_logins_compare_without_case(campaign: Campaign, repo: Path) -> None:
    assert check_pull_request(campaign, repo, "main", "one-unit", ACTOR.upper(), at(15)).ok


def test_the_foreign_unit_is_named_whatever_the_order_of_the_folders(campaign: Campaign, tmp_path: Path) -> None:
    # The clerk of Ba Tơ also touches Trà Bồng's folder, which sorts after it.
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": CAMPAIGN_TEXT})
    w.commit("Khởi tạo", at(1))
    branch(w, "two", {path(OTHER): report(campaign, OTHER), path(UNIT): report(campaign, UNIT)})
    result = check_pull_request(campaign, w.path, "main", "two", f"vt-{OTHER}", at(15))
    assert sorted(result.units) == [OTHER, UNIT] and "P701" in codes(result)
    (p702,) = [f for f in result.findings if f.code == "P702"]
    assert p702.path == path(UNIT) and campaign.unit_by_id[UNIT].name in p702.message


def test_a_pull_request_that_changes_nothing_under_submissions_is_flagged(campaign: Campaign, repo: Path) -> None:
    w = HistoryWriter(repo)
    branch(w, "readme-only", {"README.md": "Sửa tài liệu.\n"})
    result = check_pull_request(campaign, repo, "main", "readme-only", ACTOR, at(15))
    assert {"P709", "P703"} <= set(codes(result)) and result.units == []


def test_a_base_commit_without_campaign_yml_is_a_clear_error(tmp_path: Path) -> None:
    from baocao.ci.prcheck import campaign_at
    from baocao.history.read import HistoryError

    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"README.md": "x\n"})
    w.commit("Khởi tạo", at(1))
    with pytest.raises(HistoryError, match=r"campaign\.yml"):
        campaign_at(w.path, "main")
    result = CliRunner().invoke(main, ["--root", str(w.path), "pr-check", "--base", "main", "--head", "main"])
    assert result.exit_code == 2 and "campaign.yml" in result.output


def test_a_submodule_in_a_pull_request_is_refused(campaign: Campaign, tmp_path: Path) -> None:
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": CAMPAIGN_TEXT})
    head = w.commit("Khởi tạo", at(1))
    w.git("checkout", "-q", "-b", "sub", "main")
    w.git("update-index", "--add", "--cacheinfo", f"160000,{head},{path(UNIT)}")
    w.commit("Submodule", at(14), author=CLERK, committer=CLERK)
    w.git("checkout", "-q", "main")
    result = check_pull_request(campaign, w.path, "main", "sub", ACTOR, at(15))
    assert not result.ok and ("F201", path(UNIT)) in {(f.code, f.path) for f in result.findings}
