from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from baocao.campaign.load import load_campaign_text
from baocao.campaign.model import Campaign, CampaignError, Due, parse_duration
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


# --------------------------------------------------------------------------- due rules

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUOC_KHANH_2022 = frozenset({date(2022, 9, 1), date(2022, 9, 2)})


def _due(**kw: object) -> Due:
    return Due.model_validate(kw)


@pytest.mark.parametrize(
    ("rule", "holidays", "ends"),
    [
        ({"before": "2022-06-20"}, frozenset(), "2022-06-20T00:00"),  # "trước ngày 20/6": 00:00 of 20/6
        ({"by": "2022-06-19"}, frozenset(), "2022-06-20T00:00"),  # "hết ngày 19/6": 24:00 of 19/6
        ({"at": "2022-06-19T17:00:00"}, frozenset(), "2022-06-19T17:00"),  # naive: the campaign zone
        ({"at": "2022-06-19T10:00:00+00:00"}, frozenset(), "2022-06-19T17:00"),  # an explicit offset is kept
        # 19/6/2022 was a Sunday: the last day of "before 20/6" rolls to Monday 20/6, ending at 24:00.
        ({"before": "2022-06-20", "weekend_rollover": True}, frozenset(), "2022-06-21T00:00"),
        ({"by": "2022-06-18", "weekend_rollover": True}, frozenset(), "2022-06-21T00:00"),  # Saturday
        ({"by": "2022-06-17", "weekend_rollover": True}, frozenset(), "2022-06-18T00:00"),  # a Friday stays
        # Thu 1/9 and Fri 2/9/2022 were holidays, then a weekend: the last day becomes Monday 5/9.
        ({"by": "2022-09-01", "weekend_rollover": True}, QUOC_KHANH_2022, "2022-09-06T00:00"),
        ({"by": "2022-09-01"}, QUOC_KHANH_2022, "2022-09-02T00:00"),  # holidays only matter with rollover
        ({"before": "2022-06-20", "grace": "2h"}, frozenset(), "2022-06-20T02:00"),
        ({"before": "2022-06-20", "weekend_rollover": True, "grace": "1d 6h"}, frozenset(), "2022-06-22T06:00"),
        ({"at": "2022-06-18T17:00:00", "weekend_rollover": True}, frozenset(), "2022-06-18T17:00"),  # exact
    ],
)
def test_due_rule_ends_at_the_exact_instant(rule: dict[str, object], holidays: frozenset[date], ends: str) -> None:
    assert _due(**rule).instant(TZ, holidays) == datetime.fromisoformat(ends).replace(tzinfo=TZ)


def test_due_description_is_vietnamese() -> None:
    assert _due(before="2022-06-20").describe() == "trước ngày 20/06/2022"
    assert "ngày nghỉ" in _due(by="2022-06-19", weekend_rollover=True, grace="2h").describe()


@pytest.mark.parametrize("bad", ["", "2 ngày", "h", "-2h"])
def test_grace_must_be_a_duration(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


# --------------------------------------------------------------------------- errors with their lines


def _errors(old: str, new: str) -> list[tuple[str, str]]:
    """(code, the YAML line it points at) for campaign.yml with one edit."""
    base = (ROOT / "campaign.yml").read_text(encoding="utf-8")
    assert old in base
    text = base.replace(old, new, 1)
    with pytest.raises(CampaignError) as exc:
        load_campaign_text(text)
    lines = text.splitlines()
    return [(f.code, lines[f.line - 1].strip()) for f in exc.value.findings]


def test_bad_group_reference_points_at_the_unit() -> None:
    unit = "group: cap-huyen, submitters: [vt-huyen-uy-ba-to]"
    (err,) = _errors(unit, unit.replace("cap-huyen", "cap-xa"))
    assert err[0] == "C104" and "huyen-uy-ba-to" in err[1]


def test_duplicate_id_points_at_the_second_declaration() -> None:
    errs = _errors("{id: so_vu_no, label", "{id: so_vu_chay, label")
    assert errs[0] == ("C103", '- {id: so_vu_chay, label: "Số vụ nổ", unit: "vụ", type: integer}')
    # the outline's section 5 named so_vu_no, which no longer exists: pointed at on its line
    assert [e[0] for e in errs[1:]] == ["C104"] and errs[1][1].startswith("indicators: [so_vu_chay, so_vu_no")


def test_an_outline_section_naming_an_unknown_indicator_is_pointed_at() -> None:
    errs = _errors("indicators: [so_vu_chay, so_vu_no", "indicators: [so_vu_chay, so_vu_nhamm")
    assert errs == [("C104", errs[0][1])] and "so_vu_nhamm" in errs[0][1]


def test_due_with_two_rules_and_bad_grace_are_reported_on_the_due_line() -> None:
    errs = _errors("due: {before: 2022-06-30}", "due: {before: 2022-06-30, by: 2022-06-29}")
    assert errs == [("C102", "due: {before: 2022-06-30, by: 2022-06-29}")]
    errs = _errors("due: {before: 2022-07-09}", "due: {before: 2022-07-09, grace: 2 ngày}")
    assert [c for c, _ in errs] == ["C102"] and errs[0][1].startswith("due:")


def test_every_problem_is_reported_not_just_the_first() -> None:
    errs = _errors("  branch: main", "  branch: main\n  brnach: x\n  holidays: [2022-09-02, mai]")
    assert sorted(errs) == [("C102", "brnach: x"), ("C102", "holidays: [2022-09-02, mai]")]


def test_yaml_syntax_error_has_its_line() -> None:
    (err,) = _errors("  title: Thẩm định dự thảo báo cáo sơ kết", "  title: [Thẩm định")
    assert err[0] == "C101"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30m", 30), ("45min", 45), ("1d 6h", 1800), ("2h 15m", 135), ("0d 0h 1m", 1), ("3660d", 3660 * 1440)],
)
def test_durations_count_days_hours_and_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_a_grace_longer_than_ten_years_is_refused_with_the_limit() -> None:
    with pytest.raises(ValueError, match="quá dài") as caught:
        parse_duration("3661d")
    assert "3660 ngày" in str(caught.value)
    with pytest.raises(ValueError, match="thời lượng không hợp lệ: '2 tuần'"):
        parse_duration("2 tuần")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ({"before": "2022-06-20"}, "trước ngày 20/06/2022"),
        ({"by": "2022-06-19"}, "hết ngày 19/06/2022"),
        ({"at": "2022-06-19T17:30:00"}, "lúc 17:30 ngày 19/06/2022"),
        (
            {"before": "2022-06-19", "weekend_rollover": True},
            "trước ngày 19/06/2022 (ngày nghỉ lùi sang ngày làm việc kế tiếp)",
        ),
        ({"by": "2022-06-19", "grace": "2h"}, "hết ngày 19/06/2022, gia hạn 2h"),
    ],
)
def test_every_deadline_rule_is_described_in_words(rule: dict[str, object], text: str) -> None:
    assert _due(**rule).describe() == text
