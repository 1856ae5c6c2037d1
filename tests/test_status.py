"""Status judged from a real dated history: one repository, each unit playing one story."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from baocao.campaign.load import load_campaign, load_campaign_text
from baocao.campaign.model import Campaign
from baocao.cli import main
from baocao.findings import CODES
from baocao.history.read import read_blob
from baocao.status.formats import as_json, iter_json
from baocao.status.judge import CampaignStatus, State, compute_status, state_label
from tests.conftest import ROOT, DemoSite, computed
from tests.history_data import (
    AT_DEADLINE,
    BACKDATED,
    BROKEN_LATER,
    CLOCK_BACK,
    DEADLINE,
    DELETED,
    FIXED_IN_TIME,
    FIXED_LATE,
    LATE_ONE_MINUTE,
    ON_TIME,
    REVISED,
    STRANGER,
    Scenario,
    at,
    build_scenario,
    signed_late_repo,
)

STAGE = "bao-cao-don-vi"
CAMPAIGN_TEXT = (ROOT / "campaign.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Scenario:
    return build_scenario(tmp_path_factory.mktemp("scenario"), campaign, CAMPAIGN_TEXT)


@pytest.fixture(scope=computed("module"))
def final(scenario: Scenario) -> CampaignStatus:
    return compute_status(scenario.campaign, scenario.root, at(25))


def state(status: CampaignStatus, unit: str) -> State:
    return status.unit(STAGE, unit).state


def variant(replace: str, by: str) -> Campaign:
    assert replace in CAMPAIGN_TEXT
    return load_campaign_text(CAMPAIGN_TEXT.replace(replace, by, 1))


def test_report_merged_before_deadline_is_on_time(final: CampaignStatus, scenario: Scenario) -> None:
    u = final.unit(STAGE, ON_TIME)
    assert u.state is State.ON_TIME and u.late_seconds == 0
    assert u.submitted_at == at(11) and u.commit == scenario.commits["on-time"]
    assert state_label(u) == "Đúng hạn"


def test_status_counts_the_first_parent_commits_it_read(final: CampaignStatus, scenario: Scenario) -> None:
    chain = subprocess.run(
        ["git", "-C", str(scenario.root), "rev-list", "--first-parent", "--count", "main"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert final.commits_read == int(chain) > 0


def test_an_unknown_stage_is_a_key_error_naming_it(scenario: Scenario) -> None:
    with pytest.raises(KeyError) as raised:
        compute_status(scenario.campaign, scenario.root, at(25), stage="khong-co-giai-doan")
    assert raised.value.args == ("khong-co-giai-doan",)


def test_report_merged_one_minute_after_deadline_is_late_by_sixty_seconds(final: CampaignStatus) -> None:
    u = final.unit(STAGE, LATE_ONE_MINUTE)
    assert (u.state, u.late_seconds) == (State.LATE, 60)
    assert state_label(u) == "Muộn 1 phút"


def test_report_merged_exactly_at_deadline_is_late(final: CampaignStatus) -> None:
    u = final.unit(STAGE, AT_DEADLINE)
    assert u.submitted_at == DEADLINE
    assert (u.state, u.late_seconds) == (State.LATE, 0)


def test_backdated_branch_merged_after_deadline_is_late_and_flagged(final: CampaignStatus) -> None:
    u = final.unit(STAGE, BACKDATED)
    assert u.state is State.LATE and u.late_seconds == 2 * 86400 + 9 * 3600
    (landing,) = u.landings
    assert landing.authored_at == at(15) and landing.landed_at == at(22)
    assert "Văn thư" in landing.author
    assert [a.code for a in u.anomalies] == ["H606"]
    assert state_label(u) == "Muộn 2 ngày 9 giờ"


def test_invalid_first_version_fixed_after_deadline_is_late(final: CampaignStatus, scenario: Scenario) -> None:
    u = final.unit(STAGE, FIXED_LATE)
    assert u.state is State.LATE and u.submitted_at == at(21, 9)
    assert u.commit == scenario.commits["fixed-late-2"]
    assert [landing.valid for landing in u.landings] == [False, True]


def test_invalid_first_version_fixed_before_deadline_is_on_time(final: CampaignStatus) -> None:
    u = final.unit(STAGE, FIXED_IN_TIME)
    assert u.state is State.ON_TIME and u.submitted_at == at(19, 9) and u.revisions == 2


def test_valid_report_broken_later_is_invalid_and_keeps_its_time(final: CampaignStatus, scenario: Scenario) -> None:
    u = final.unit(STAGE, BROKEN_LATER)
    assert u.state is State.INVALID
    assert u.submitted_at == at(16, 10) and u.late_seconds == 0
    assert [f.code for f in u.errors] == ["S401"]
    assert u.revised_after_due
    assert u.blob == u.landings[-1].blob and b"(l\xe1\xba\xa7n 2)" in read_blob(scenario.root, u.blob)


def test_report_deleted_after_submission_is_an_anomaly(final: CampaignStatus, scenario: Scenario) -> None:
    u = final.unit(STAGE, DELETED)
    assert u.state is State.ON_TIME and not u.present
    assert [(a.code, a.commit) for a in u.anomalies] == [("H603", scenario.commits["deleted-2"])]
    assert u.path == "submissions/huyen-uy-nghia-hanh/bao-cao.md" and u.blob == u.landings[-1].blob
    # The version shown is the last one before the removal, as it was read and checked.
    assert u.checked is not None and u.checked.path == u.path and u.checked.unit == DELETED and u.checked.ok


def test_folder_of_no_unit_is_an_anomaly(final: CampaignStatus, scenario: Scenario) -> None:
    (a,) = [a for a in final.anomalies if a.code == "H604"]
    assert a.path == f"submissions/{STRANGER}" and a.commit == scenario.commits["stranger"]


def test_direct_push_with_clock_set_back_lands_no_earlier_than_the_commit_before_it(
    final: CampaignStatus, scenario: Scenario
) -> None:
    u = final.unit(STAGE, CLOCK_BACK)
    # It claims 14/6 but sits after the removal of 24/6 on the first-parent chain.
    assert u.state is State.LATE and u.submitted_at == at(24)
    assert u.late_seconds == int((at(24) - DEADLINE).total_seconds())
    (landing,) = u.landings
    assert landing.claimed_at == at(14) and landing.evidence == "floor"
    (a,) = [a for a in u.anomalies if a.code == "H601"]
    assert a.commit == scenario.commits["clock-back"] and scenario.commits["deleted-2"][:10] in a.message


def test_revision_after_deadline_keeps_first_time(final: CampaignStatus) -> None:
    u = final.unit(STAGE, REVISED)
    assert u.state is State.ON_TIME and u.submitted_at == at(12, 10)
    assert u.revisions == 2 and u.revised_after_due
    assert u.blob == u.landings[-1].blob


def test_unit_with_nothing_is_overdue_after_deadline_and_missing_before(scenario: Scenario) -> None:
    after = compute_status(scenario.campaign, scenario.root, at(25))
    before = compute_status(scenario.campaign, scenario.root, at(19))
    assert state(after, "huyen-uy-tra-bong") is State.OVERDUE
    assert state(before, "huyen-uy-tra-bong") is State.MISSING
    assert state(before, LATE_ONE_MINUTE) is State.MISSING


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (at(10), {ON_TIME: State.MISSING, FIXED_IN_TIME: State.MISSING}),
        (at(11), {ON_TIME: State.ON_TIME}),
        (at(18, 12), {FIXED_IN_TIME: State.INVALID, FIXED_LATE: State.INVALID, BROKEN_LATER: State.ON_TIME}),
        (at(19, 12), {FIXED_IN_TIME: State.ON_TIME, FIXED_LATE: State.INVALID, AT_DEADLINE: State.MISSING}),
        (at(20, 0, 0, 30), {AT_DEADLINE: State.LATE, LATE_ONE_MINUTE: State.OVERDUE, FIXED_LATE: State.INVALID}),
        (at(21, 12), {FIXED_LATE: State.LATE, BACKDATED: State.OVERDUE}),
        (at(23, 12), {BROKEN_LATER: State.INVALID, DELETED: State.ON_TIME, CLOCK_BACK: State.OVERDUE}),
    ],
)
def test_as_of_shows_what_a_reader_saw_then(scenario: Scenario, as_of: object, expected: dict[str, State]) -> None:
    status = compute_status(scenario.campaign, scenario.root, as_of)  # type: ignore[arg-type]
    assert {unit: state(status, unit) for unit in expected} == expected


def test_as_of_before_a_deletion_shows_the_report_present(scenario: Scenario) -> None:
    u = compute_status(scenario.campaign, scenario.root, at(23, 12)).unit(STAGE, DELETED)
    assert u.present and not u.anomalies


def test_by_rule_includes_the_named_day(scenario: Scenario) -> None:
    c = variant("due: {before: 2022-06-20}", "due: {by: 2022-06-20}")
    status = compute_status(c, scenario.root, at(25))
    assert status.stage(STAGE).due == at(21, 0)
    assert state(status, LATE_ONE_MINUTE) is State.ON_TIME
    assert state(status, FIXED_LATE) is State.LATE


def test_weekend_rollover_moves_deadline_to_next_working_day(scenario: Scenario) -> None:
    plain = variant("due: {before: 2022-06-20}", "due: {before: 2022-06-19}")
    rolled = variant("due: {before: 2022-06-20}", "due: {before: 2022-06-19, weekend_rollover: true}")
    # 'before 19/6' ends on Saturday 18/6; rolled over, the last day is Monday 20/6.
    assert state(compute_status(plain, scenario.root, at(25)), FIXED_IN_TIME) is State.LATE
    status = compute_status(rolled, scenario.root, at(25))
    assert status.stage(STAGE).due == at(21, 0)
    assert state(status, FIXED_IN_TIME) is State.ON_TIME and state(status, LATE_ONE_MINUTE) is State.ON_TIME


def test_untrusted_committer_is_an_anomaly(scenario: Scenario) -> None:
    c = variant("trusted_committers: []", "trusted_committers: [git@hosting.local]")
    status = compute_status(c, scenario.root, at(25))
    flagged = {a.unit for a in status.anomalies if a.code == "H602"}
    assert flagged == {CLOCK_BACK}


def test_lightweight_deadline_tag_is_an_anomaly_never_evidence(scenario: Scenario, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(scenario.root), str(clone)], check=True)
    # Pointing at the last commit: it would make every unit on time if it were believed.
    name = f"han/{STAGE}/20220619T170000Z"
    subprocess.run(["git", "-C", str(clone), "tag", name, "main"], check=True)
    status = compute_status(scenario.campaign, clone, at(25))
    assert state(status, LATE_ONE_MINUTE) is State.LATE and state(status, BACKDATED) is State.LATE
    assert all(u.on_time_by_tag is None for u in status.stage(STAGE).units)
    (a,) = [a for a in status.anomalies if a.code == "H609"]
    assert name in a.message and "lightweight" in a.message


def test_shallow_clone_is_refused_with_how_to_fetch(scenario: Scenario, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    url = scenario.root.resolve().as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "1", "-b", "main", url, str(clone)], check=True)
    result = CliRunner().invoke(main, ["--root", str(clone), "status"])
    assert result.exit_code == 2
    assert "git fetch --unshallow" in result.output and "fetch-depth: 0" in result.output


def test_status_json_matches_the_documented_schema(scenario: Scenario) -> None:
    result = CliRunner().invoke(
        main, ["--root", str(scenario.root), "status", "--as-of", "2022-06-25T00:00:00+07:00", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    schema = json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    (stage,) = [s for s in doc["stages"] if s["id"] == STAGE]
    assert stage["due"] == "2022-06-20T00:00:00+07:00"
    assert sum(stage["counts"].values()) == len(stage["units"]) == 28
    by_unit = {u["unit"]: u for u in stage["units"]}
    assert by_unit[LATE_ONE_MINUTE]["state"] == "late" and by_unit[LATE_ONE_MINUTE]["late_seconds"] == 60


def test_status_table_is_vietnamese(scenario: Scenario) -> None:
    result = CliRunner().invoke(
        main, ["--root", str(scenario.root), "status", "--as-of", "2022-06-25", "--stage", STAGE]
    )
    assert result.exit_code == 0, result.output
    assert "Huyện ủy Bình Sơn" in result.output and "Muộn 2 ngày 9 giờ" in result.output
    assert "Quá hạn" in result.output and "Không hợp lệ" in result.output and "H601" in result.output


def test_status_csv_has_one_row_per_unit_and_stage(scenario: Scenario) -> None:
    result = CliRunner().invoke(
        main, ["--root", str(scenario.root), "status", "--as-of", "2022-06-25", "--format", "csv"]
    )
    assert result.output.startswith("\ufeffGiai đoạn,Mã đơn vị,Đơn vị,")  # Excel reads the BOM as UTF-8
    lines = result.output.strip().splitlines()
    expected = sum(len(scenario.campaign.stage_units(s)) for s in scenario.campaign.stages)
    assert len(lines) == 1 + expected
    assert any(line.startswith(f"{STAGE},{LATE_ONE_MINUTE},") and ",late,Muộn 1 phút," in line for line in lines)


def test_streamed_json_is_the_same_document(final: CampaignStatus) -> None:
    streamed = "".join(iter_json(final))
    assert streamed == as_json(final)
    assert json.loads(streamed) == final.to_dict()


def test_status_page_documents_every_key_of_the_schema_and_every_history_code() -> None:
    page = (ROOT / "docs" / "status-json.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8"))
    objects = [schema, *(schema["$defs"][k] for k in ("stage", "unit", "landing", "anomaly"))]
    keys = {key for obj in objects for key in obj["properties"]}
    assert not {key for key in keys if f"`{key}`" not in page}
    assert not {code for code in CODES if code.startswith("H6") and code != "H600" and f"`{code}`" not in page}


def test_invalid_report_never_valid_is_invalid_with_its_own_commit(scenario: Scenario) -> None:
    u = compute_status(scenario.campaign, scenario.root, at(18, 12)).unit(STAGE, FIXED_LATE)
    assert u.state is State.INVALID and u.submitted_at is None
    assert u.commit == scenario.commits["fixed-late-1"] and u.late_seconds is None
    assert [f.code for f in u.errors] == ["S401"] and state_label(u) == "Không hợp lệ"


def test_stage_option_limits_stages_and_their_anomalies(scenario: Scenario) -> None:
    status = compute_status(scenario.campaign, scenario.root, at(25), stage="tham-dinh")
    assert [s.id for s in status.stages] == ["tham-dinh"]
    assert {a.stage for a in status.anomalies} <= {None, "tham-dinh"}
    assert status.stage("tham-dinh").units[0].state is State.MISSING  # due before 9/7


def test_unknown_stage_and_bad_time_exit_with_code_2(scenario: Scenario) -> None:
    runner = CliRunner()
    bad_stage = runner.invoke(main, ["--root", str(scenario.root), "status", "--stage", "khong-co"])
    bad_time = runner.invoke(main, ["--root", str(scenario.root), "status", "--as-of", "hôm qua"])
    assert bad_stage.exit_code == bad_time.exit_code == 2
    assert "bao-cao-don-vi" in bad_stage.output and "ISO 8601" in bad_time.output


def test_as_of_without_zone_is_read_in_the_campaign_zone(scenario: Scenario) -> None:
    runner = CliRunner()
    args = ["--root", str(scenario.root), "status", "--format", "json", "--as-of"]
    doc = json.loads(runner.invoke(main, [*args, "2022-06-20T00:00:30"]).output)
    assert doc["as_of"] == "2022-06-20T00:00:30+07:00"
    units = {u["unit"]: u["state"] for u in doc["stages"][0]["units"]}
    assert (units[AT_DEADLINE], units[LATE_ONE_MINUTE]) == ("late", "overdue")


def _invalid_units_and_units_with_errors(status: CampaignStatus) -> tuple[set[str], set[str]]:
    units = [(s.id, u) for s in status.stages for u in s.units]
    invalid = {f"{stage}/{u.unit}" for stage, u in units if u.state is State.INVALID}
    with_errors = {f"{stage}/{u.unit}" for stage, u in units if u.errors}
    return invalid, with_errors


@pytest.mark.parametrize("day", [12, 17, 18, 21, 23, 25])
def test_invalid_state_always_lists_an_error_and_errors_always_make_it_invalid(scenario: Scenario, day: int) -> None:
    invalid, with_errors = _invalid_units_and_units_with_errors(
        compute_status(scenario.campaign, scenario.root, at(day, 12))
    )
    assert invalid == with_errors
    if day >= 23:
        assert f"{STAGE}/{BROKEN_LATER}" in invalid


def test_only_version_signed_after_its_landing_is_invalid_with_that_error_years_later(
    tmp_path: Path, campaign: Campaign
) -> None:
    signed_late_repo(tmp_path / "repo", campaign, ON_TIME, again=False)
    status = compute_status(campaign, tmp_path / "repo", at(3).replace(year=2030))
    invalid, with_errors = _invalid_units_and_units_with_errors(status)
    assert invalid == with_errors == {f"{STAGE}/{ON_TIME}"}
    u = status.unit(STAGE, ON_TIME)
    assert [f.code for f in u.errors] == ["M309"] and "nhánh chính (02/06/2022)" in u.errors[0].message


def test_demo_campaign_invalid_units_are_exactly_those_with_errors(demo_site: DemoSite) -> None:
    status = compute_status(
        load_campaign(demo_site.root / "campaign.yml"), demo_site.root, datetime.fromisoformat(demo_site.as_of)
    )
    invalid, with_errors = _invalid_units_and_units_with_errors(status)
    assert invalid and invalid == with_errors


# ------------------------------------------------------------------ the exact deadline instant


def test_at_the_deadline_instant_nothing_submitted_is_overdue_and_one_second_before_missing(
    scenario: Scenario,
) -> None:
    at_deadline = compute_status(scenario.campaign, scenario.root, DEADLINE)
    before = compute_status(scenario.campaign, scenario.root, at(19, 23, 59, 59))
    assert (
        state(at_deadline, "huyen-uy-tra-bong") is State.OVERDUE and state(before, "huyen-uy-tra-bong") is State.MISSING
    )
    assert at_deadline.unit(STAGE, "huyen-uy-tra-bong").late_seconds == 0
    # Merged at 00:00:00 exactly: landed by then (the cut is inclusive) and late by 0 seconds.
    assert state(at_deadline, AT_DEADLINE) is State.LATE and at_deadline.unit(STAGE, AT_DEADLINE).late_seconds == 0
    assert state(before, AT_DEADLINE) is State.MISSING


def test_a_naive_as_of_is_read_in_the_campaign_zone_through_the_library(scenario: Scenario) -> None:
    naive = compute_status(scenario.campaign, scenario.root, datetime(2022, 6, 20, 0, 0, 30))
    assert naive.as_of == at(20, 0, 0, 30)
    assert state(naive, AT_DEADLINE) is State.LATE and state(naive, LATE_ONE_MINUTE) is State.OVERDUE


def test_compile_names_a_unit_overdue_from_the_deadline_instant_on(scenario: Scenario) -> None:
    from baocao.documents.compile import compile_campaign

    at_deadline = compile_campaign(scenario.campaign, scenario.root, as_of=DEADLINE)
    before = compile_campaign(scenario.campaign, scenario.root, as_of=at(19, 23, 59, 59))
    assert "huyen-uy-tra-bong" in {a.unit.id for a in at_deadline.with_state(State.OVERDUE)}
    assert "huyen-uy-tra-bong" in {a.unit.id for a in before.with_state(State.MISSING)}


def test_a_removed_report_is_not_counted_in_the_compilation_nor_its_figures(scenario: Scenario) -> None:
    from baocao.documents.compile import compile_campaign

    compiled = compile_campaign(scenario.campaign, scenario.root, as_of=at(25))
    counted = {s.unit.id for s in compiled.sources}
    assert DELETED not in counted and DELETED in {a.unit.id for a in compiled.absent}
    assert compiled.summary == f"{len(counted)}/{len(compiled.expected)} đơn vị đã nộp"
    assert all(DELETED not in t.values for t in compiled.indicators)


def test_a_revision_landing_exactly_at_the_deadline_counts_as_after_it(tmp_path: Path, campaign: Campaign) -> None:
    from baocao.demo.simulate import HistoryWriter
    from tests.history_data import path, report

    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": CAMPAIGN_TEXT})
    w.commit("Khởi tạo", at(1))
    w.pull_request("a", {path(ON_TIME): report(campaign, ON_TIME)}, authored=at(10), merged=at(10))
    w.pull_request("c", {path(REVISED): report(campaign, REVISED)}, authored=at(19), merged=at(19, 10))
    last_second = at(19, 23, 59, 59)
    second = report(campaign, REVISED, revision=2)
    w.pull_request("d", {path(REVISED): second}, authored=at(19), merged=last_second)
    w.pull_request("b", {path(ON_TIME): report(campaign, ON_TIME, revision=2)}, authored=at(19), merged=DEADLINE)
    status = compute_status(campaign, w.path, at(25))
    u = status.unit(STAGE, ON_TIME)
    assert u.state is State.ON_TIME and u.revised_after_due  # at 00:00:00: after the deadline
    assert not status.unit(STAGE, REVISED).revised_after_due  # at 23:59:59: before it
