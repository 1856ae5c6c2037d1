"""The whole flow on real repositories, with the CI commands taken from the workflow files.

A bare ``origin``; the office's clone opens the campaign; units' clones branch, commit and
push; each pull request is checked by running the ``run:`` steps of the workflow in a fresh
CI clone, so the workflow and the tests cannot drift; the office merges as the hosting
service does (``--no-ff``, server identity, server time); the scheduled job tags the
deadline; status and the site show the result.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from baocao.campaign.model import Campaign
from baocao.demo.simulate import SERVER
from tests.conftest import ROOT
from tests.history_data import at, path, report

BIN = Path(sys.executable).parent
STAGE = "bao-cao-don-vi"
DEADLINE = at(20, 0)
TAGGED_AT = at(22, 12)
TAG = "han/bao-cao-don-vi/20220619T170000Z"  # the deadline 20/6 00:00 (+07:00), in UTC
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
BINH_SON, DUC_PHO, BA_TO = "huyen-uy-binh-son", "thi-uy-duc-pho", "huyen-uy-ba-to"
STRANGER = "nguoi-ngoai"


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **(env or {})}, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def identity(who: tuple[str, str], when: datetime, prefix: str = "AUTHOR") -> dict[str, str]:
    return {f"GIT_{prefix}_NAME": who[0], f"GIT_{prefix}_EMAIL": who[1], f"GIT_{prefix}_DATE": when.isoformat()}


def workflow_step(workflow: str, job: str, step_id: str) -> dict:
    doc = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return next(s for s in doc["jobs"][job]["steps"] if s.get("id") == step_id)


@contextmanager
def gitlab_api(authors: dict[tuple[str, str], str]) -> Iterator[str]:
    """A stand-in for GitLab's REST API on 127.0.0.1: GET /projects/:id/merge_requests/:iid
    answers the merge request's author (and 401 without the token)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")  # api/v4/projects/<id>/merge_requests/<iid>
            author = authors.get((parts[3], parts[5])) if len(parts) == 6 else None
            if self.headers.get("PRIVATE-TOKEN") != "thu-nghiem" or author is None:
                self.send_response(401 if author else 404)
                self.end_headers()
                return
            body = json.dumps({"iid": int(parts[5]), "author": {"username": author}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    finally:
        server.shutdown()
        server.server_close()


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A script as a runner runs it: bash, errexit and pipefail, the test's baocao first on PATH."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_step(
    step: dict,
    cwd: Path,
    context: dict[str, str],
    summary: Path,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a workflow step as the runner does: its env: with the expressions evaluated from
    ``context`` (an expression the test does not know fails), then its script with bash."""
    values = {name: EXPRESSION.sub(lambda m: context[m.group(1)], str(v)) for name, v in step.get("env", {}).items()}
    script = step["run"].strip() + "".join(f" {arg}" for arg in extra)
    return run_bash(script, cwd, {"GITHUB_STEP_SUMMARY": str(summary), **values, **(env or {})})


@dataclass
class Flow:
    tmp: Path
    origin: Path
    office: Path
    checks: dict[str, tuple[subprocess.CompletedProcess[str], str]] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    tag_runs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)
    pulls: int = 0  # pull requests opened (their number on the hosting service)
    witness_runs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    def clone(self, name: str) -> Path:
        target = self.tmp / name
        git(self.tmp, "clone", "-q", str(self.origin), str(target))
        return target

    def branch(self, unit_clone: Path, branch: str, files: dict[str, str], author: tuple[str, str], when: datetime):
        """A clerk's branch with one commit dated as the clerk's machine likes, pushed."""
        git(unit_clone, "checkout", "-q", "-B", branch, "origin/main")
        for rel, text in files.items():
            (unit_clone / rel).parent.mkdir(parents=True, exist_ok=True)
            (unit_clone / rel).write_text(text, encoding="utf-8")
            git(unit_clone, "add", rel)
        stamp = {**identity(author, when), **identity(author, when, "COMMITTER")}
        git(unit_clone, "commit", "-q", "-m", f"Nộp báo cáo ({branch})", env=stamp)
        git(unit_clone, "push", "-q", "origin", branch)

    def pr_check(self, name: str, branch: str, actor: str) -> None:
        """What the pull-request workflow does (pull_request_target): a fresh CI clone of the
        base branch, the pull request's head fetched from refs/pull/<n>/head as data only."""
        self.pulls += 1
        number = str(self.pulls)
        git(self.office, "fetch", "-q", "origin", f"refs/heads/{branch}")
        git(self.office, "push", "-q", "origin", f"FETCH_HEAD:refs/pull/{number}/head")
        ci = self.clone(f"ci-{name}")
        head, base = git(self.office, "rev-parse", "FETCH_HEAD"), git(ci, "rev-parse", "origin/main")
        context = {
            "github.event.pull_request.number": number,
            "github.event.pull_request.base.sha": base,
            "github.event.pull_request.head.sha": head,
            "github.event.pull_request.user.login": actor,
        }
        summary = self.tmp / f"summary-{name}.md"
        summary.touch()
        for step_id in ("fetch", "pr-check"):
            done = run_step(workflow_step("pr-check.yml", "pr-check", step_id), ci, context, summary)
            if step_id == "fetch":
                assert done.returncode == 0, done.stderr
        assert git(ci, "rev-parse", "HEAD") == base  # the pull request's files were never checked out
        self.checks[name] = (done, summary.read_text(encoding="utf-8"))

    def gitlab_pr_check(self, name: str, branch: str, actor: str) -> None:
        """What the merge-request job of .gitlab-ci.yml does: its script lines (all but the
        install) with the variables GitLab sets for a merge-request pipeline."""
        ci = self.clone(f"gitlab-{name}")
        git(ci, "fetch", "-q", "origin", f"refs/heads/{branch}")
        head = git(ci, "rev-parse", "FETCH_HEAD")
        git(ci, "checkout", "-q", "--detach", head)
        self.pulls += 1
        iid = str(self.pulls)
        variables = {
            "CI_MERGE_REQUEST_DIFF_BASE_SHA": git(ci, "merge-base", "origin/main", head),
            "CI_COMMIT_SHA": head,
            # Whoever started the pipeline (a maintainer here): never taken for the submitter.
            "GITLAB_USER_LOGIN": "vanphong-cong-an-tinh",
            "CI_MERGE_REQUEST_IID": iid,
            "CI_PROJECT_ID": "7",
            "BAOCAO_API_TOKEN": "thu-nghiem",
        }
        with gitlab_api({("7", iid): actor}) as api:
            variables["CI_API_V4_URL"] = api
            job = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pr-check"]
            script = "\n".join(line for line in job["script"] if not line.startswith("python -m pip install"))
            self.checks[f"gitlab-{name}"] = (run_bash(script, ci, variables), "")

    def merge(self, branch: str, when: datetime) -> str:
        """The hosting service's merge button: --no-ff, its own identity, its own clock."""
        git(self.office, "fetch", "-q", "origin", f"refs/heads/{branch}")
        stamp = {**identity(SERVER, when), **identity(SERVER, when, "COMMITTER")}
        git(self.office, "merge", "-q", "--no-ff", "-m", f"Merge pull request from {branch}", "FETCH_HEAD", env=stamp)
        git(self.office, "push", "-q", "origin", "main")
        self.merges[branch] = git(self.office, "rev-parse", "HEAD")
        return self.merges[branch]

    def tag_deadlines(self, now: datetime) -> None:
        """The scheduled job of the publish workflow, in a fresh CI clone, at ``now``: its witness
        step, then its deadline-tag step."""
        ci = self.clone(f"tags-{len(self.tag_runs)}")
        context = {
            "github.server_url": "https://github.example",
            "github.repository": "tinh/1055",
            "github.run_id": "7",
        }
        seen = run_step(workflow_step("publish.yml", "tag-deadlines", "witness"), ci, context, self.tmp / "unused",
                        ("--now", now.isoformat()))  # fmt: skip
        assert seen.returncode == 0, seen.stderr
        self.witness_runs.append(seen)
        step = workflow_step("publish.yml", "tag-deadlines", "tag-deadlines")
        self.tag_runs.append(run_step(step, ci, {}, self.tmp / "unused", ("--now", now.isoformat())))

    def build_site(self, as_of: datetime) -> tuple[subprocess.CompletedProcess[str], Path]:
        """The build job of the publish workflow, in a fresh clone, with the status taken at ``as_of``."""
        ci = self.clone("pages")
        step = workflow_step("publish.yml", "build", "build-site")
        site = ci / re.search(r"--site-dir (\S+)", step["run"]).group(1)  # type: ignore[union-attr]
        return run_step(step, ci, {}, self.tmp / "unused", env={"BAOCAO_AS_OF": as_of.isoformat()}), site


def clerk(unit: str) -> tuple[str, str]:
    return (f"Văn thư {unit}", f"vt-{unit}@donvi.local")


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Flow:
    tmp = tmp_path_factory.mktemp("e2e")
    origin = tmp / "origin.git"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(origin))
    office = tmp / "office"
    git(tmp, "init", "-q", "-b", "main", str(office))
    git(office, "remote", "add", "origin", str(origin))
    # The campaign repository as the office sets it up from this project: campaign and site sources.
    for name in ("campaign.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, office / name)
    shutil.copytree(ROOT / "docs", office / "docs")
    (office / "submissions").mkdir()
    (office / "submissions" / "README.md").write_text("Mỗi đơn vị nộp báo cáo vào thư mục của mình.\n", "utf-8")
    git(office, "add", ".")
    office_id = ("Văn phòng", "vanphong@cong-an.local")
    git(
        office,
        "commit",
        "-q",
        "-m",
        "Mở đợt báo cáo",
        env={**identity(office_id, at(6)), **identity(office_id, at(6), "COMMITTER")},
    )
    git(office, "push", "-q", "-u", "origin", "main")
    f = Flow(tmp, origin, office)

    binh_son = f.clone("binh-son")
    f.branch(binh_son, "nop-binh-son", {path(BINH_SON): report(campaign, BINH_SON)}, clerk(BINH_SON), at(18, 15))
    f.pr_check("own-folder", "nop-binh-son", f"vt-{BINH_SON}")
    f.pr_check("non-submitter", "nop-binh-son", STRANGER)
    f.gitlab_pr_check("own-folder", "nop-binh-son", f"vt-{BINH_SON}")
    f.gitlab_pr_check("non-submitter", "nop-binh-son", STRANGER)
    f.branch(
        binh_son,
        "nop-ho-ba-to",
        {path(BINH_SON): report(campaign, BINH_SON, revision=2), path(BA_TO): report(campaign, BA_TO)},
        clerk(BINH_SON),
        at(18, 16),
    )
    f.pr_check("other-folder", "nop-ho-ba-to", f"vt-{BINH_SON}")
    stranger = f.clone("stranger")
    campaign_text = (stranger / "campaign.yml").read_text(encoding="utf-8")
    f.branch(
        stranger,
        "tu-cap-quyen",
        {
            "campaign.yml": campaign_text.replace("maintainers: [", f"maintainers: [{STRANGER}, "),
            path(BA_TO): report(campaign, BA_TO),
        },
        ("Người ngoài", "x@example.invalid"),
        at(18, 17),
    )
    f.pr_check("self-promotion", "tu-cap-quyen", STRANGER)
    f.merge("nop-binh-son", at(19, 16, 30))

    duc_pho = f.clone("duc-pho")
    f.branch(duc_pho, "nop-duc-pho", {path(DUC_PHO): report(campaign, DUC_PHO)}, clerk(DUC_PHO), at(19, 22))
    f.merge("nop-duc-pho", at(21, 9))
    ba_to = f.clone("ba-to")
    # The clerk's clock says 10/6; the merge is what counts.
    f.branch(ba_to, "nop-ba-to", {path(BA_TO): report(campaign, BA_TO)}, clerk(BA_TO), at(10, 8))
    f.merge("nop-ba-to", at(22, 10))

    f.tag_deadlines(TAGGED_AT)
    f.tag_deadlines(at(22, 13))
    return f


def annotations(output: str, level: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"::{level} ")]


def test_pull_request_from_the_units_clerk_passes_the_workflow_check(flow: Flow) -> None:
    done, summary = flow.checks["own-folder"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert annotations(done.stdout, "error") == []
    assert "Huyện ủy Bình Sơn" in summary and "baocao pr-check" in summary


def test_pull_request_from_someone_not_a_submitter_is_rejected(flow: Flow) -> None:
    done, summary = flow.checks["non-submitter"]
    assert done.returncode != 0
    (error,) = annotations(done.stdout, "error")
    assert f"file=submissions/{BINH_SON}/bao-cao.md,line=1," in error and "P702" in error and STRANGER in error
    assert summary.strip()


def test_pull_request_touching_another_units_folder_is_rejected(flow: Flow) -> None:
    done, _ = flow.checks["other-folder"]
    assert done.returncode != 0
    errors = annotations(done.stdout, "error")
    assert any("P701" in e for e in errors)
    assert any("P702" in e and f"file=submissions/{BA_TO}" in e for e in errors)


def test_pull_request_cannot_make_its_author_a_maintainer_to_pass(flow: Flow) -> None:
    # The workflow checks against the campaign of the base branch, not the one in the PR.
    done, _ = flow.checks["self-promotion"]
    assert done.returncode != 0
    errors = annotations(done.stdout, "error")
    assert any("P703" in e and "file=campaign.yml" in e for e in errors)


def test_scheduled_job_tags_the_head_of_main_at_the_deadline_on_origin(flow: Flow) -> None:
    first, second = flow.tag_runs
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert f"{TAG}: đã gắn thẻ" in first.stdout and f"{TAG}: đã có thẻ" in second.stdout
    assert "han/du-thao-tong-hop/20220629T170000Z: chưa đến hạn" in first.stdout
    # The head at 20/6 00:00 is the merge of Bình Sơn (19/6), not the later merges.
    assert git(flow.origin, "rev-parse", f"{TAG}^{{commit}}") == flow.merges["nop-binh-son"]
    assert [t for t in git(flow.origin, "tag", "-l").split() if t.startswith("han/")] == [TAG]
    # Each run also left its witness on origin: the head it saw, at its own clock, with the run's address.
    witnesses = [t for t in git(flow.origin, "tag", "-l").split() if t.startswith("chung/")]
    assert witnesses == ["chung/20220622T050000Z"]  # the second run saw the same head: nothing new
    note = git(flow.origin, "tag", "-l", "--format=%(contents)", witnesses[0])
    assert "run: https://github.example/tinh/1055/actions/runs/7" in note
    tagged = git(flow.origin, "for-each-ref", "--format=%(taggerdate:iso-strict)", f"refs/tags/{TAG}")
    assert datetime.fromisoformat(tagged) == TAGGED_AT


def test_status_after_the_flow_shows_each_units_state(flow: Flow, campaign: Campaign) -> None:
    reader = flow.clone("reader")
    done = subprocess.run(
        [BIN / "baocao", "status", "--format", "json", "--as-of", TAGGED_AT.isoformat()],
        cwd=reader,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    stages = {s["id"]: s for s in json.loads(done.stdout)["stages"]}
    units = {u["unit"]: u for u in stages[STAGE]["units"]}
    assert units[BINH_SON]["state"] == "on_time" and units[BINH_SON]["on_time_by_tag"] is True, doc_anomalies(
        done.stdout
    )
    assert units[BINH_SON]["commit"] == flow.merges["nop-binh-son"]
    assert datetime.fromisoformat(units[BINH_SON]["submitted_at"]) == at(19, 16, 30)
    assert units[DUC_PHO]["state"] == "late" and units[DUC_PHO]["on_time_by_tag"] is False
    # Ba Tơ's commit claims 10/6: the merge on 22/6 is what counts.
    assert units[BA_TO]["state"] == "late"
    assert datetime.fromisoformat(units[BA_TO]["submitted_at"]) == at(22, 10)
    others = {u for u in units if u not in (BINH_SON, DUC_PHO, BA_TO)}
    assert {units[u]["state"] for u in others} == {"overdue"}
    assert len(units) == len(campaign.stage_units(campaign.stage_by_id[STAGE]))
    assert {u["state"] for u in stages["du-thao-tong-hop"]["units"]} == {"missing"}


def test_gitlab_merge_request_job_accepts_the_clerk_and_rejects_a_non_submitter(flow: Flow) -> None:
    accepted, _ = flow.checks["gitlab-own-folder"]
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    rejected, _ = flow.checks["gitlab-non-submitter"]
    assert rejected.returncode != 0
    # On the changed file itself, so the hosting site can show it there.
    assert f"submissions/{BINH_SON}/bao-cao.md:1: P702 [lỗi]" in rejected.stdout and STRANGER in rejected.stdout


def _row(page: str, unit_name: str) -> str:
    (row,) = re.findall(rf'<tr data-group="[^"]*" data-state="[^"]*"><td data-sort="{unit_name}">.*?</tr>', page)
    return row


def test_site_built_by_the_publish_workflow_shows_the_states(flow: Flow, campaign: Campaign) -> None:
    done, site = flow.build_site(TAGGED_AT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    units = {u["unit"]: u for st in status["stages"] if st["id"] == STAGE for u in st["units"]}
    assert (units[BINH_SON]["state"], units[DUC_PHO]["state"], units[BA_TO]["state"]) == ("on_time", "late", "late")
    page = (site / "tinh-hinh.html").read_text(encoding="utf-8")
    names = campaign.unit_by_id
    assert 'data-state="on_time"' in _row(page, names[BINH_SON].name) and "Đúng hạn" in _row(page, names[BINH_SON].name)
    assert "Muộn" in _row(page, names[DUC_PHO].name) and "Muộn" in _row(page, names[BA_TO].name)
    assert "Quá hạn" in _row(page, names["huyen-uy-ly-son"].name)
    assert (site / "don-vi" / f"{BINH_SON}.html").is_file()
    assert (site / "huong-dan.html").is_file()


def doc_anomalies(text: str) -> list[str]:
    return [a["message"] for a in json.loads(text)["anomalies"]]
