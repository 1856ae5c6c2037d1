"""Shared fixtures: the project's own campaign file and small real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.model import Campaign, load_campaign

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(ROOT / "campaign.yml")
