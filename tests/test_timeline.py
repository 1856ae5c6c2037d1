"""The trusted-time rule on its own (``baocao.history.timeline.build``, a pure function): each branch
of the rule pinned on small chains of claimed times, witnesses and server signatures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from baocao.history import timeline
from baocao.history.timeline import Witness

NOW = datetime(2022, 7, 1, tzinfo=UTC)
T0 = int(datetime(2022, 6, 1, tzinfo=UTC).timestamp())
H = 3600


def build(
    claims: list[int],
    witnesses: list[Witness] = (),  # type: ignore[assignment]
    signed: set[int] = frozenset(),  # type: ignore[assignment]
    *,
    require_signed: bool = False,
    now: datetime = NOW,
) -> timeline.Timeline:
    asked: list[list[int]] = []

    def verify(positions: list[int]) -> set[int]:
        asked.append(positions)
        return {p for p in positions if p in signed}

    tl = timeline.build([f"c{i:039d}" for i in range(len(claims))], [T0 + c for c in claims], list(witnesses), now,
                        verify, require_signed=require_signed)  # fmt: skip
    tl.asked = asked  # type: ignore[attr-defined]
    return tl


def rel(tl: timeline.Timeline) -> list[int]:
    return [t - T0 for t in tl.landed]


def test_claims_in_order_stand_and_nothing_is_verified() -> None:
    tl = build([0, H, 2 * H])
    assert rel(tl) == [0, H, 2 * H] and tl.how == ["claim"] * 3 and tl.conflicts == []
    assert tl.asked == []  # type: ignore[attr-defined]


def test_a_claim_earlier_than_the_commit_before_it_lands_at_that_commit() -> None:
    tl = build([0, 5 * H, 2 * H, 6 * H])
    assert rel(tl) == [0, 5 * H, 5 * H, 6 * H] and tl.how[2] == "floor"
    (c,) = tl.conflicts
    assert (c.code, c.position, c.claimed - T0, c.counted - T0) == ("H601", 2, 2 * H, 5 * H)
    assert c.bound == f"c{1:039d}"[:10]  # the commit that set the floor is named


def test_the_floor_setter_and_the_early_commit_are_the_ones_verified() -> None:
    tl = build([0, 5 * H, 2 * H])
    assert tl.asked == [[1, 2]]  # type: ignore[attr-defined]


def test_a_first_commit_that_set_the_floor_is_verified_too() -> None:
    tl = build([5 * H, 2 * H], signed={0})
    assert tl.asked == [[0, 1]]  # type: ignore[attr-defined]
    assert rel(tl) == [5 * H, 5 * H] and tl.verified == {0} and tl.how == ["signed", "floor"]


def test_a_server_signed_commit_disproves_a_future_claim_before_it() -> None:
    # Commit 1 claims 5h but the server signed commit 2 at 2h: 1's claim is disproved.
    tl = build([0, 5 * H, 2 * H, 3 * H], signed={2})
    assert rel(tl) == [0, 0, 2 * H, 3 * H] and tl.how[2] == "signed"
    assert [(c.code, c.position) for c in tl.conflicts] == [("H608", 1)]


def test_a_claim_later_than_a_witness_that_saw_it_carries_no_weight() -> None:
    tl = build([0, 10 * H, 2 * H], [Witness(T0 + H, 1)])
    assert rel(tl) == [0, 0, 2 * H]  # neither its own landing nor a floor for the next commit
    assert [(c.code, c.position) for c in tl.conflicts] == [("H608", 1)]


def test_a_claim_in_the_readers_future_carries_no_weight() -> None:
    future = int((NOW - datetime.fromtimestamp(T0, UTC)).total_seconds()) + H
    tl = build([0, future, H])
    assert rel(tl) == [0, 0, H] and tl.conflicts[0].code == "H608"


def test_a_witness_bounds_the_commits_after_its_head_from_below() -> None:
    tl = build([0, H, 2 * H], [Witness(T0 + 3 * H, 1)])
    assert rel(tl) == [0, H, 3 * H] and tl.how == ["witness", "witness", "floor"]
    assert tl.conflicts[0].bound == "bằng chứng"  # the floor came from the witness, not a commit


def test_a_witness_of_the_first_commit_bounds_it() -> None:
    tl = build([5 * H, 6 * H], [Witness(T0 + H, 0)])
    assert rel(tl)[0] == H and tl.conflicts[0].position == 0


def test_a_witness_of_a_rewritten_head_is_an_upper_bound_only() -> None:
    tl = build([0, H, 2 * H], [Witness(T0 + 3 * H, 0, lower=False)])
    assert rel(tl) == [0, H, 2 * H] and tl.conflicts == []


def test_under_require_signed_an_unsigned_commit_lands_at_the_next_evidence() -> None:
    tl = build([0, H, 2 * H, 3 * H], signed={0, 3}, require_signed=True)
    assert rel(tl) == [0, 3 * H, 3 * H, 3 * H] and tl.how == ["signed", "next", "next", "signed"]
    assert tl.asked == [[0, 1, 2, 3]]  # type: ignore[attr-defined]


def test_under_require_signed_the_last_unsigned_commit_lands_at_the_readers_clock() -> None:
    tl = build([0, H], signed={0}, require_signed=True)
    assert tl.at(1) == NOW


def test_a_signed_commit_that_evidence_shows_was_not_yet_on_the_branch_lands_after_it() -> None:
    tl = build([0, H, 2 * H], [Witness(T0 + 5 * H, 0)], signed={1})
    assert rel(tl) == [0, 5 * H, 5 * H] and ("H601", 1) in {(c.code, c.position) for c in tl.conflicts}


def test_landing_times_never_decrease_and_are_aware() -> None:
    tl = build([9 * H, 0, 3 * H, 1, 20 * H, 4 * H], [Witness(T0 + 10 * H, 3)], signed={2})
    assert tl.landed == sorted(tl.landed)
    assert all(tl.at(i).tzinfo is not None for i in range(len(tl.landed)))


@pytest.mark.parametrize(
    ("moment", "before", "by"),
    [(H, 0, 2), (H + 1, 1, 2), (H - 1, 0, 1), (0, None, 1), (-1, None, 0), (10 * H, 2, 3)],
)
def test_the_head_at_a_deadline_is_strict_and_the_as_of_cut_inclusive(moment: int, before: int | None, by: int) -> None:
    tl = build([0, H, 2 * H])
    at = datetime.fromtimestamp(T0 + moment, UTC)
    assert tl.last_before(at) == before and tl.last_by(at) == by


def test_a_claim_equal_to_the_witness_time_stands() -> None:
    tl = build([0, 2 * H], [Witness(T0 + 2 * H, 1)])
    assert rel(tl) == [0, 2 * H] and tl.conflicts == []


def test_of_two_witnesses_of_one_head_the_later_one_is_the_lower_bound_after_it() -> None:
    tl = build([0, H, 2 * H], [Witness(T0 + 5 * H, 0), Witness(T0 + 3 * H, 0)])
    assert rel(tl) == [0, 5 * H, 5 * H] and [c.position for c in tl.conflicts] == [1, 2]


def test_a_conflict_of_the_first_commit_is_bounded_by_evidence_not_by_a_commit() -> None:
    future = int((NOW - datetime.fromtimestamp(T0, UTC)).total_seconds()) + H
    tl = build([future, H, 2 * H])
    (c,) = tl.conflicts
    assert (c.code, c.position, c.bound) == ("H608", 0, "bằng chứng") and tl.asked == []  # type: ignore[attr-defined]
    # It lands no later than what follows claims, so the honest commits after it keep their times.
    assert rel(tl) == [H, H, 2 * H]
    tl = build([0, H, 2 * H], [Witness(T0 + 5 * H, 0)], signed={1})
    assert [(c.code, c.position, c.bound) for c in tl.conflicts if c.position == 1] == [("H601", 1, "bằng chứng")]


def test_a_disproved_claim_without_any_lower_bound_does_not_push_the_next_commits_late() -> None:
    tl = build([9 * H, 0, 3 * H], signed={2})  # 0 claims 9h, the server signed 2 at 3h
    assert rel(tl) == [0, 0, 3 * H] and tl.how[0] == "floor" and tl.conflicts[0].code == "H608"


def test_several_disproved_claims_at_the_start_each_land_no_later_than_the_earliest_claim_after_them() -> None:
    future = int((NOW - datetime.fromtimestamp(T0, UTC)).total_seconds()) + H
    tl = build([future, future + H, future, 2 * H, 3 * H])
    assert rel(tl) == [2 * H, 2 * H, 2 * H, 2 * H, 3 * H] and tl.how[:3] == ["floor"] * 3
    assert [(c.code, c.position) for c in tl.conflicts] == [("H608", 0), ("H608", 1), ("H608", 2)]


def test_a_claim_equal_to_the_one_before_it_stands_without_a_conflict() -> None:
    tl = build([0, H, H, 2 * H])
    assert rel(tl) == [0, H, H, 2 * H] and tl.how == ["claim"] * 4 and tl.conflicts == []


def test_when_a_commit_and_evidence_set_the_same_floor_the_commit_is_named() -> None:
    # The witness says commit 0 was on the branch at 3h; commit 1 claims exactly 3h (stands);
    # commit 2 claims 1h: its floor, 3h, is both commit 1's time and the witness's.
    tl = build([0, 3 * H, H], [Witness(T0 + 3 * H, 0)])
    (c,) = tl.conflicts
    assert (c.code, c.position, c.bound) == ("H601", 2, f"c{1:039d}"[:10])


def test_each_signature_is_asked_once_even_over_several_rounds() -> None:
    # Round 1 blames commit 2 (5h) for the early 3 and 4; 4 is server-signed at 3h, so 2's claim
    # falls and round 2 blames commit 1 for 3; 1 is signed too. Nothing is asked twice.
    tl = build([0, 2 * H, 5 * H, H + H // 2, 3 * H], signed={1, 4})
    assert tl.asked == [[2, 3, 4], [1]]  # type: ignore[attr-defined]
    assert tl.verified == {1, 4} and tl.checked == {1, 2, 3, 4}
    assert rel(tl) == [0, 2 * H, 2 * H, 2 * H, 3 * H]
