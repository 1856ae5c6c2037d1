from __future__ import annotations

from datetime import datetime

import pytest

from baocao.model import Campaign, CampaignError, load_campaign_text
from tests.conftest import ROOT


def test_shipped_campaign_has_three_stages_with_exact_deadlines(campaign: Campaign) -> None:
    assert [s.id for s in campaign.stages] == ["bao-cao-don-vi", "du-thao-tong-hop", "tham-dinh"]
    first = campaign.deadline(campaign.stages[0])
    assert first == datetime.fromisoformat("2022-06-20T00:00:00+07:00")
    assert len(campaign.stage_units(campaign.stages[0])) == 28
    assert [u.id for u in campaign.stage_units(campaign.stages[1])] == ["dang-uy-cong-an-tinh"]


def test_unknown_key_is_reported_with_its_line() -> None:
    text = (ROOT / "campaign.yml").read_text(encoding="utf-8").replace("  branch: main", "  branch: main\n  brnach: x")
    with pytest.raises(CampaignError) as exc:
        load_campaign_text(text)
    (f,) = exc.value.findings
    assert f.code == "C102" and "brnach" in f.message
    assert text.splitlines()[f.line - 1].strip() == "brnach: x"
