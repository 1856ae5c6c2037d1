"""The clerk's guide names only real codes, commands, options and CI settings."""

from __future__ import annotations

import re
import shlex

import yaml

from baocao.cli import main
from baocao.findings import CODES
from tests.conftest import ROOT

GUIDE = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")


def test_every_code_the_guide_names_exists() -> None:
    named = set(re.findall(r"\b([CFMSNHPD]\d{3})\b", GUIDE))
    assert {"S401", "P702", "P750"} <= named
    assert named <= set(CODES)


def test_every_baocao_command_in_the_guide_is_a_real_command_with_real_options() -> None:
    commands = re.findall(r"`?(baocao [a-z][^`\n#]*)", GUIDE)
    assert len(commands) >= 5
    for command in commands:
        words = shlex.split(command.strip())
        sub = main.commands.get(words[1])
        assert sub is not None, command
        known = {opt for param in sub.params for opt in getattr(param, "opts", [])}
        assert {w for w in words[2:] if w.startswith("--")} <= known, command


def test_guide_names_the_check_and_the_jobs_as_the_ci_files_do() -> None:
    check = yaml.safe_load((ROOT / ".github/workflows/pr-check.yml").read_text(encoding="utf-8"))["name"]
    assert f"**{check}**" in GUIDE
    ci = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    for job in ("pr-check", "pages"):
        assert job in ci and job in GUIDE
    assert "BAOCAO_PUSH_TOKEN" in GUIDE and "BAOCAO_PUSH_TOKEN" in (ROOT / ".gitlab-ci.yml").read_text("utf-8")
