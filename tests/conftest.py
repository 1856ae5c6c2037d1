"""Shared fixtures: the project's own campaign file and small real repositories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from baocao.model import Campaign, load_campaign

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(ROOT / "campaign.yml")


DEMO_AS_OF = "2022-07-15T12:00:00+07:00"  # after every deadline of the demo


@dataclass(frozen=True)
class DemoSite:
    root: Path  # the demo campaign repository
    site: Path  # its site, built with mkdocs build --strict
    as_of: str


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    """The demo campaign (real git history) and its built site, once per session."""
    from baocao import demo

    root = tmp_path_factory.mktemp("demo") / "repo"
    demo.create(root, ROOT)
    return DemoSite(root, demo.build_site(root, as_of=DEMO_AS_OF), DEMO_AS_OF)
