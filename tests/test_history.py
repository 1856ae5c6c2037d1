"""Reading submission history from a real repository: first-parent landings, blobs, limits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign
from baocao.demo.simulate import HistoryWriter
from baocao.history.blobcheck import PARALLEL_FROM, BlobChecker, is_ok
from baocao.history.gitlog import open_repo
from baocao.history.read import History, HistoryError, read_blob, read_history
from tests.conftest import ROOT, computed
from tests.history_data import CLERK, MAINTAINER, at, path, report, signed_late_repo

UNIT = "huyen-uy-tra-bong"
TWIN = "huyen-uy-tu-nghia"
STAGE = "bao-cao-don-vi"
STRAY = "submissions/khong-phai-don-vi/bao-cao.md"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> HistoryWriter:
    w = HistoryWriter.init(tmp_path_factory.mktemp("history"))
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Khởi tạo", at(1))
    # A branch with three commits of its own (dated as the clerk likes), merged once.
    w.git("checkout", "-q", "-b", "nhap")
    for day in (2, 3, 4):
        w.write({path(UNIT): report(campaign, UNIT, revision=day)})
        w.commit(f"Nháp {day}", at(day), author=CLERK, committer=CLERK)
    w.git("checkout", "-q", "main")
    w.git("merge", "-q", "--no-ff", "-m", "Merge nhap", "nhap", env={"GIT_COMMITTER_DATE": at(5).isoformat()})
    w.pull_request("stray", {STRAY: "x"}, authored=at(6), merged=at(6, 10))
    w.direct({STRAY: None}, "Dọn thư mục lạ", at(7), committer=MAINTAINER)
    # The same bytes submitted twice (reverted and resubmitted), and a twin unit's report.
    w.direct({path(UNIT): None}, "Xóa nhầm", at(8), committer=MAINTAINER)
    w.pull_request("again", {path(UNIT): report(campaign, UNIT, revision=4)}, authored=at(9), merged=at(9, 10))
    w.pull_request("twin", {path(TWIN): report(campaign, TWIN)}, authored=at(10), merged=at(10, 10))
    w.direct({"README.md": "Không liên quan đến báo cáo.\n"}, "Tài liệu", at(11))
    return w


@pytest.fixture(scope=computed("module"))
def history(repo: HistoryWriter, campaign: Campaign) -> History:
    return read_history(repo.path, campaign)


def test_only_first_parent_commits_are_landings(history: History, repo: HistoryWriter) -> None:
    slot = history.slot(UNIT, STAGE)
    merge = repo.git("rev-list", "--first-parent", "--grep=Merge nhap", "main")
    assert slot.landings[0].commit == merge
    assert slot.landings[0].landed_at == at(5)
    # The merge's own author is the server; the clerk authored the branch tip.
    assert slot.landings[0].author == f"{CLERK[0]} <{CLERK[1]}>" and slot.landings[0].authored_at == at(4)


def test_every_commit_of_the_chain_is_read_including_ones_outside_submissions(
    history: History, repo: HistoryWriter
) -> None:
    chain = repo.git("rev-list", "--first-parent", "main").split()
    assert history.commits == len(chain) and history.head == chain[0]


def test_each_distinct_version_is_validated_at_most_once(history: History) -> None:
    # Checked: the unit's first landing and the twin's. The resubmitted bytes, which are also the
    # version on main at the end, come from the cache; later revisions need no check at all.
    slot = history.slot(UNIT, STAGE)
    assert slot.landings[0].blob == slot.landings[1].blob
    assert history.validated == 2


def test_report_removed_and_resubmitted_keeps_the_removal_anomaly(history: History) -> None:
    slot = history.slot(UNIT, STAGE)
    assert slot.current is not None and slot.removed_by is None
    assert [a.code for a in slot.anomalies] == ["H603"]
    assert slot.first_valid is slot.landings[0]


def test_folder_removed_again_is_no_longer_an_anomaly(
    history: History, campaign: Campaign, repo: HistoryWriter
) -> None:
    assert not [a for a in history.anomalies if a.code == "H604"]
    then = read_history(repo.path, campaign, as_of=at(6, 12))
    (a,) = [a for a in then.anomalies if a.code == "H604"]
    assert a.path == "submissions/khong-phai-don-vi"


def test_as_of_stops_at_the_last_commit_before_it(repo: HistoryWriter, campaign: Campaign) -> None:
    then = read_history(repo.path, campaign, as_of=at(5, 12))
    assert then.head == repo.git("rev-list", "-1", "--first-parent", "--grep=Merge nhap", "main")
    assert then.commits == 2 and (TWIN, STAGE) not in then.slots


def test_read_blob_returns_the_version_bytes(history: History, repo: HistoryWriter, campaign: Campaign) -> None:
    cur = history.slot(TWIN, STAGE).current
    assert cur is not None
    assert read_blob(repo.path, cur.blob).decode("utf-8") == report(campaign, TWIN)


def test_missing_branch_is_a_clear_error(repo: HistoryWriter, campaign: Campaign) -> None:
    with pytest.raises(HistoryError, match="Không tìm thấy nhánh"):
        read_history(repo.path, campaign, ref="khong-co")


def test_folder_without_git_is_a_clear_error(tmp_path: object, campaign: Campaign) -> None:
    with pytest.raises(HistoryError, match="không phải là kho Git"):
        read_history(tmp_path, campaign)  # type: ignore[arg-type]


def test_parallel_validation_gives_the_same_findings_as_in_process(
    repo: HistoryWriter, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enough distinct versions (valid and broken) to use worker processes.
    texts = [report(campaign, UNIT, revision=i, broken=i % 3 == 0) for i in range(PARALLEL_FROM + 6)]
    hashed = [
        subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.path, input=t, capture_output=True, text=True)
        for t in texts
    ]
    blobs = [h.stdout.strip() for h in hashed]
    jobs = [(path(UNIT), b, "100644", at(10).date(), "") for b in blobs]
    results = {}
    for n in ("1", "2"):
        monkeypatch.setenv("BAOCAO_JOBS", n)
        checker = BlobChecker(campaign, open_repo(repo.path.resolve()))
        checker.run(jobs)
        results[n] = [checker.cache[(j[0], j[1], j[4])] for j in jobs]
    assert results["1"] == results["2"]
    assert sum(1 for found in results["2"] if not is_ok(found)) == len(range(0, PARALLEL_FROM + 6, 3))


def test_version_signed_after_its_landing_stays_invalid_on_any_later_day(tmp_path: Path, campaign: Campaign) -> None:
    """A version is judged as of the day it landed, whatever day the history is read: the
    error stays listed, in words that name the landing day rather than "today"."""
    w = signed_late_repo(tmp_path / "repo", campaign, UNIT, again=False)
    for as_of in (at(2, 12), at(4), at(4).replace(year=2025)):
        slot = read_history(w.path, campaign, as_of).slot(UNIT, STAGE)
        assert [f.code for f in slot.errors] == ["M309"], as_of
        assert slot.landings[0].valid is False and slot.first_valid is None
        assert slot.findings[0].message == (
            "Ngày ký 03/06/2022 ở sau ngày báo cáo được đưa lên nhánh chính (02/06/2022)."
        )


def test_same_bytes_landing_again_after_the_signing_day_are_valid_then(tmp_path: Path, campaign: Campaign) -> None:
    w = signed_late_repo(tmp_path / "repo", campaign, UNIT, again=True)
    history = read_history(w.path, campaign, at(5))
    slot = history.slot(UNIT, STAGE)
    first, again = slot.landings
    assert first.blob == again.blob and first.valid is False and again.valid is True
    assert slot.first_valid is again and slot.findings == []
    assert history.validated == 1  # the date rule is judged again from the report already read
    assert slot.checked is not None and slot.checked.report.meta["ngay"].isoformat() == "2022-06-03"


# ------------------------------------------------------------------ landings that are not --no-ff merges


def _fresh(tmp_path: Path) -> HistoryWriter:
    w = HistoryWriter.init(tmp_path / "repo")
    w.write({"campaign.yml": (ROOT / "campaign.yml").read_text(encoding="utf-8")})
    w.commit("Khởi tạo", at(1))
    return w


def test_a_report_moved_with_git_mv_is_a_new_file_and_an_old_one_gone(tmp_path: Path, campaign: Campaign) -> None:
    w = _fresh(tmp_path)
    w.pull_request("a", {path(UNIT): report(campaign, UNIT)}, authored=at(2), merged=at(2))
    (w.path / "submissions" / TWIN).mkdir()
    w.git("mv", path(UNIT), path(TWIN))
    moved = w.commit("Chuyển nhầm thư mục", at(3), committer=MAINTAINER)
    h = read_history(w.path, campaign)
    assert h.slot(UNIT, STAGE).current is None and h.slot(UNIT, STAGE).removed_by == moved
    twin = h.slot(TWIN, STAGE)
    assert twin.current is not None and twin.current.commit == moved  # a rename is a landing where it lands


def test_renaming_md_case_in_one_commit_is_not_a_removal(tmp_path: Path, campaign: Campaign) -> None:
    w = _fresh(tmp_path)
    upper = f"submissions/{UNIT}/bao-cao.MD"
    w.pull_request("a", {upper: report(campaign, UNIT)}, authored=at(2), merged=at(2))
    w.git("mv", upper, path(UNIT))
    w.commit("Đổi đuôi tệp", at(3), committer=MAINTAINER)
    slot = read_history(w.path, campaign).slot(UNIT, STAGE)
    assert slot.current is not None and slot.current.path == path(UNIT)
    assert "H603" not in {a.code for a in slot.anomalies} and len(slot.landings) == 2


def test_squash_and_rebase_landings_count_at_their_own_commit(tmp_path: Path, campaign: Campaign) -> None:
    w = _fresh(tmp_path)
    squashed = w.direct({path(UNIT): report(campaign, UNIT)}, "Squash", at(2), author=CLERK)  # server committer
    rebased = w.direct({path(TWIN): report(campaign, TWIN)}, "Rebase", at(3), author=CLERK, committer=CLERK)
    trusted = load_campaign_text(
        (ROOT / "campaign.yml")
        .read_text(encoding="utf-8")
        .replace("trusted_committers: []", "trusted_committers: [git@hosting.local]", 1)
    )
    h = read_history(w.path, trusted)
    assert h.slot(UNIT, STAGE).first_valid.commit == squashed  # type: ignore[union-attr]
    assert not h.slot(UNIT, STAGE).anomalies
    assert h.slot(TWIN, STAGE).first_valid.commit == rebased  # type: ignore[union-attr]
    assert [a.code for a in h.slot(TWIN, STAGE).anomalies] == ["H602"]


def test_a_stray_folder_changed_then_removed_leaves_no_anomaly(tmp_path: Path, campaign: Campaign) -> None:
    w = _fresh(tmp_path)
    w.pull_request("stray", {STRAY: "a"}, authored=at(2), merged=at(2))
    w.direct({STRAY: "b"}, "Sửa", at(3), committer=MAINTAINER)
    assert [a.code for a in read_history(w.path, campaign).anomalies] == ["H604"]
    w.direct({STRAY: None}, "Xóa", at(4), committer=MAINTAINER)
    assert [a.code for a in read_history(w.path, campaign).anomalies] == []
