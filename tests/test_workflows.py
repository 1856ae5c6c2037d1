"""The CI files are product: linted with the tools the hosting community uses, and held to
the project's own rules (pinned official actions, least privilege, no expression inside a
script, the GitHub and GitLab checks calling baocao the same way)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^actions/[a-z0-9-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120)


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True.
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(doc: dict) -> list[tuple[str, dict]]:
    return [(job, step) for job, spec in doc["jobs"].items() for step in spec.get("steps", [])]


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_workflows_pass_actionlint() -> None:
    shellcheck = [] if shutil.which("shellcheck") else ["-shellcheck="]
    done = run(tool("actionlint"), "-no-color", *shellcheck, *all_workflows())
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_rejects_an_untrusted_expression_in_a_script(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    done = run(tool("actionlint"), "-no-color", "-shellcheck=", bad)
    assert done.returncode != 0 and "untrusted" in done.stdout


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_workflows_pass_zizmor(persona: str) -> None:
    done = run(tool("zizmor"), "--offline", "--no-progress", f"--persona={persona}", WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_flags_pull_request_target_without_the_reasoned_ignore(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    text = (WORKFLOWS / "pr-check.yml").read_text(encoding="utf-8")
    assert "# zizmor: ignore[dangerous-triggers]" in text
    bad.write_text(text.replace("# zizmor: ignore[dangerous-triggers]", "#"), encoding="utf-8")
    done = run(tool("zizmor"), "--offline", "--no-progress", bad.parent)
    assert done.returncode != 0 and "dangerous-triggers" in done.stdout


def test_gitlab_ci_matches_the_bundled_gitlab_schema(tmp_path: Path) -> None:
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", GITLAB_CI)
    assert done.returncode == 0, done.stdout + done.stderr
    # The schema is really applied: a misspelt keyword fails.
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text(GITLAB_CI.read_text(encoding="utf-8").replace("  script:", "  scripts:", 1), encoding="utf-8")
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", bad)
    assert done.returncode != 0


def test_every_action_is_official_and_pinned_to_a_commit_with_its_version() -> None:
    for path in all_workflows():
        lines = path.read_text(encoding="utf-8").splitlines()
        uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
        assert uses, path
        for ref in uses:
            spec, _, comment = ref.partition("#")
            assert PINNED.match(spec.strip()), f"{path.name}: {ref}"
            assert re.match(r"^ v\d+\.\d+\.\d+$", " " + comment.strip()), f"{path.name}: {ref} needs '# vX.Y.Z'"


# The first major of each action that runs on Node 24 (Node 20 is past end of life on the
# runners). upload-pages-artifact is a composite action: v4 still calls upload-artifact v4 (Node 20).
NODE24_MAJOR = {"checkout": 5, "setup-python": 6, "upload-pages-artifact": 5, "deploy-pages": 5}


def test_every_action_runs_on_node_24() -> None:
    for path in all_workflows():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" not in line:
                continue
            ref = line.split("uses:", 1)[1].strip()
            name = ref.split("@", 1)[0].removeprefix("actions/")
            major = int(ref.partition("#")[2].strip().removeprefix("v").split(".")[0])
            assert name in NODE24_MAJOR, f"{path.name}: {ref}: which major of {name} runs on Node 24?"
            assert major >= NODE24_MAJOR[name], f"{path.name}: {ref} runs on Node 20"


def test_no_expression_is_expanded_inside_a_script() -> None:
    for path in all_workflows():
        for job, step in steps(workflow(path.name)):
            assert "${{" not in step.get("run", ""), f"{path.name}/{job}: pass values through env:"


def test_pull_request_check_runs_the_base_branchs_code_and_reads_the_pull_request_as_data() -> None:
    doc = workflow("pr-check.yml")
    on = doc[True]
    # pull_request_target: the workflow file and baocao are the base branch's, whatever the PR edits.
    assert set(on) == {"pull_request_target"}
    assert set(on["pull_request_target"]["paths"]) == {"submissions/**", "campaign.yml"}
    assert doc["permissions"] == {"contents": "read"}
    ordered = [s for _, s in steps(doc)]
    checkout = next(s for s in ordered if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0 and "ref" not in checkout["with"]  # the base, never the head
    runs = [s.get("run", "") for s in ordered]
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    fetch = next(i for i, r in enumerate(runs) if "refs/pull/" in r)
    assert install < fetch  # what is installed is the base's code
    assert not any("git checkout" in r or "git switch" in r or "git merge" in r for r in runs)
    assert not any("secrets." in str(s) for s in ordered)


def test_publish_grants_pages_rights_only_to_the_deploy_job() -> None:
    doc = workflow("publish.yml")
    assert set(doc[True]) == {"push", "schedule", "workflow_dispatch"}
    assert doc[True]["schedule"][0]["cron"].split()[1:] == ["*", "*", "*", "*"]  # every hour
    assert doc["permissions"] == {}
    assert doc["concurrency"]["group"]
    perms = {name: job.get("permissions") for name, job in doc["jobs"].items()}
    assert perms["deploy"] == {"pages": "write", "id-token": "write"}
    assert perms["tag-deadlines"] == {"contents": "write"}
    assert all(p == {"contents": "read"} for name, p in perms.items() if name not in ("deploy", "tag-deadlines"))
    runs = [s.get("run", "") for _, s in steps(doc)]
    assert any(r.startswith("mkdocs build --strict") for r in runs)
    assert any(r.startswith("baocao tag-deadlines") for r in runs)
    for _, s in steps(doc):
        if s.get("uses", "").startswith("actions/checkout@"):
            assert s["with"]["fetch-depth"] == 0


def _pr_check_options(command: str) -> set[str]:
    words = shlex.split(command)
    assert words[:2] == ["baocao", "pr-check"], command
    return {w for w in words if w.startswith("--")}


def test_gitlab_runs_the_same_pull_request_check_with_its_own_variables() -> None:
    ci = yaml.safe_load(GITLAB_CI.read_text(encoding="utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == "0"
    gitlab = next(line for line in ci["pr-check"]["script"] if line.startswith("baocao pr-check"))
    github = next(s["run"] for _, s in steps(workflow("pr-check.yml")) if s.get("id") == "pr-check")
    # The same check; on GitLab the submitter is the merge request's author, read from the API
    # (GITLAB_USER_LOGIN is whoever started the pipeline).
    assert _pr_check_options(gitlab) - {"--actor-from-gitlab"} == _pr_check_options(github) - {"--actor"}
    assert "--actor-from-gitlab" in gitlab and "GITLAB_USER_LOGIN" not in gitlab
    for variable in ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_COMMIT_SHA"):
        assert f'"${variable}"' in gitlab
    assert ci["pr-check"]["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert any("--site-dir public" in line for line in ci["pages"]["script"])
    assert any(r["if"].startswith('$CI_PIPELINE_SOURCE == "schedule"') for r in ci["tag-deadlines"]["rules"])
    assert any(line.startswith("baocao tag-deadlines") for line in ci["tag-deadlines"]["script"])


def test_pre_commit_hook_checks_only_submissions() -> None:
    for args in (("validate-manifest", ".pre-commit-hooks.yaml"), ("validate-config", ".pre-commit-config.yaml")):
        done = run(tool("pre-commit"), *args)
        assert done.returncode == 0, done.stdout + done.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "baocao-check" and hook["entry"] == "baocao check" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    assert files.search("submissions/huyen-uy-ba-to/bao-cao.md")
    assert not files.search("campaign.yml") and not files.search("docs/submissions/x.md")


def test_pre_commit_hook_rejects_a_broken_report_at_commit_time(tmp_path: Path) -> None:
    from baocao.demo.simulate import HistoryWriter

    repo = HistoryWriter.init(tmp_path / "repo")
    for name in ("campaign.yml", ".pre-commit-config.yaml"):
        (repo.path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    report = repo.path / "submissions" / "huyen-uy-ba-to" / "bao-cao.md"
    report.parent.mkdir(parents=True)
    report.write_text("---\ndon_vi: huyen-uy-ba-to\n---\n\n# Báo cáo\n", encoding="utf-8")
    (repo.path / "ghi-chu.txt").write_text("không phải báo cáo\n", encoding="utf-8")
    repo.git("add", ".")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [tool("pre-commit"), "run", "--all-files", "--color=never"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "submissions/huyen-uy-ba-to/bao-cao.md" in done.stdout and "S401" in done.stdout
    assert "ghi-chu.txt" not in done.stdout
