"""Shared fixtures: the project's own campaign file and small real repositories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from baocao.campaign.load import load_campaign
from baocao.campaign.model import Campaign
from baocao.demo.build import DEMO_AS_OF  # after every deadline of the demo
from baocao.documents.compile import Compiled, compile_campaign

from .compile_data import Landing, at, build_history
from .trust_kit import Keys, make_keys

ROOT = Path(__file__).resolve().parent.parent


def computed(scope: Literal["module", "session"]) -> Callable[[str, pytest.Config], str]:
    """The scope of a fixture that runs baocao's core on a repository built once (a status, a
    history, a compiled outline): ``scope``, except under mutation testing (``scripts/mutation.py``
    sets BAOCAO_MUTATION). There every test computes its own, because the mutation tester learns
    which tests reach a function by watching each test run: a value cached by the first test would
    hide the others, and their mutants would go untested."""

    def choose(fixture_name: str, config: pytest.Config) -> str:
        return "function" if os.environ.get("BAOCAO_MUTATION") else scope

    return choose


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutation testing, run the tests in the order of the test files that
    ``scripts/mutation.py`` lists (BAOCAO_MUTATION_ORDER: the direct, fast ones first). The
    mutation tester passes a mutant's tests in no particular order and stops at the first
    failure, so a mutant the direct tests kill is then killed in seconds, not after whole-site
    builds."""
    order = [name for name in os.environ.get("BAOCAO_MUTATION_ORDER", "").split(",") if name]
    if not order:
        return
    rank = {name: i for i, name in enumerate(order)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: file order kept within


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(ROOT / "campaign.yml")


@dataclass(frozen=True)
class DemoSite:
    root: Path  # the demo campaign repository
    site: Path  # its site, built with mkdocs build --strict
    as_of: str


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    """The demo campaign (real git history) and its built site, once per session."""
    from baocao.demo import build as demo

    root = tmp_path_factory.mktemp("demo") / "repo"
    demo.create(root, ROOT)
    return DemoSite(root, demo.build_site(root, as_of=DEMO_AS_OF), DEMO_AS_OF)


@pytest.fixture(scope="session")
def compile_history(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> tuple[Path, list[Landing]]:
    """A small campaign history for the compiled outline and its exports (read only), once per session."""
    root = tmp_path_factory.mktemp("compile") / "repo"
    return root, build_history(root, campaign)


@pytest.fixture(scope=computed("session"))
def compiled(compile_history: tuple[Path, list[Landing]], campaign: Campaign) -> Compiled:
    """The compiled outline of ``compile_history`` once every landing is in (25/06/2022)."""
    return compile_campaign(campaign, compile_history[0], as_of=at(25))


@pytest.fixture(scope=computed("session"))
def verbatim(compile_history: tuple[Path, list[Landing]], campaign: Campaign) -> Compiled:
    """The same compilation as ``compiled`` as an anthology (``--verbatim``): every unit's whole text."""
    return compile_campaign(campaign, compile_history[0], as_of=at(25), verbatim=True)


def require_vietnamese_serif() -> None:
    """Printing tests measure where LibreOffice breaks lines: they need a Times New Roman
    metric-compatible serif that has the Vietnamese letters (Liberation Serif 2, Debian
    'fonts-liberation2'; the older 'fonts-liberation' lacks them and LibreOffice falls back to a
    wider font). Missing: skipped, or failed where BAOCAO_REQUIRE_TOOLS is set (``.ci/run``)."""
    import os
    import shutil
    import subprocess

    fc_list = shutil.which("fc-list")  # fontconfig, installed with LibreOffice
    fc = subprocess.run([fc_list or "true", ":charset=1ea1", "family"], capture_output=True, text=True, check=False)
    families = fc.stdout if fc_list and fc.returncode == 0 else ""
    if "Liberation Serif" not in families and "Times New Roman" not in families:
        message = "Không có phông Liberation Serif có chữ Việt (cài gói Debian 'fonts-liberation2')"
        if os.environ.get("BAOCAO_REQUIRE_TOOLS"):
            pytest.fail(message + "; .ci/run cài gói này.")
        pytest.skip(message + "; .ci/run cài gói này và không bỏ qua.")


def require_program(name: str, package: str) -> str:
    """The path of a system program a test needs. Missing: the test is skipped with the Debian
    package to install, except where BAOCAO_REQUIRE_TOOLS is set (``.ci/run``): there it fails."""
    import os
    import shutil

    found = shutil.which(name)
    if found is None:
        message = f"Không có lệnh '{name}' (cài gói Debian '{package}': apt-get install {package})"
        if os.environ.get("BAOCAO_REQUIRE_TOOLS"):
            pytest.fail(message + "; .ci/run cài gói này.")
        pytest.skip(message + "; .ci/run cài gói này và không bỏ qua.")
    return found


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keys]:
    """Two real OpenPGP keys generated once per session: the server's, and an impostor's with the same name."""
    require_program("gpg", "gnupg")
    made = make_keys(tmp_path_factory.mktemp("gnupg"))
    yield made
    subprocess.run(["gpgconf", "--homedir", str(made.home), "--kill", "gpg-agent"], check=False)
