"""The trusted time of every first-parent commit of the campaign branch: one rule, used by
``status``, ``compile``, ``remind``, ``pr-check``, ``tag-deadlines`` and the site.

A commit's committer time is what the committing machine wrote: anyone can set it. What can
be trusted is *evidence*: a commit signed by the hosting server (its time is the server's),
a witness (CI saw the branch at a head at server time T: that head and everything before it
had landed by T, everything after it landed after T), and the reader's own clock (nothing on
the branch landed in the future). The rule (docs/thoi-diem-nop.md):

- a commit is bounded below by the commit before it (first-parent order is landing order)
  and by the evidence before it, and above by the first later evidence that saw it;
- its claimed time counts when it lies within those bounds; below them it lands at the lower
  bound (a clock set back, H601); above them the claim is disproved (H608): it carries no
  weight, neither for its own landing (it lands at its lower bound) nor as a floor for the
  commits after it;
- a commit signed by the server lands exactly at its time; with ``require_signed`` an
  unsigned commit's claim carries no weight at all: it lands when the next evidence saw it.

Signatures are verified lazily: without ``require_signed`` only where claims conflict (the
commits of an H601), since elsewhere a verified time would change nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate

INF = 1 << 62


@dataclass(frozen=True, slots=True)
class Witness:
    """Evidence that at server time ``at`` the branch head was at ``position`` (or later)."""

    at: int  # epoch seconds
    position: int  # index of the head seen on the first-parent chain
    lower: bool = True  # False: only an upper bound (the head seen is gone; a rewrite)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A claimed time the rule did not take, for an anomaly that names the commit."""

    code: str  # H601 (earlier than allowed) or H608 (later than the evidence)
    position: int
    claimed: int
    counted: int
    bound: str  # the evidence or commit that bounds it, for people


@dataclass
class Timeline:
    shas: list[str]
    landed: list[int] = field(default_factory=list)  # the trusted time, epoch seconds (never decreases)
    how: list[str] = field(default_factory=list)  # how each landing time is known (see HOW)
    conflicts: list[Conflict] = field(default_factory=list)
    verified: set[int] = field(default_factory=set)  # positions signed by the server
    checked: set[int] = field(default_factory=set)  # positions whose signature was asked

    def at(self, i: int) -> datetime:
        return datetime.fromtimestamp(self.landed[i], UTC)

    def last_before(self, moment: datetime) -> int | None:
        """The last position that landed strictly before ``moment`` (the head at a deadline)."""
        i = bisect_left(self.landed, moment.timestamp())
        return i - 1 if i else None

    def last_by(self, moment: datetime) -> int:
        """How many positions had landed at ``moment`` (inclusive): the as-of cut."""
        return bisect_right(self.landed, moment.timestamp())


HOW = {
    "signed": "commit do máy chủ ký",
    "witness": "có chứng thực của CI",
    "claim": "chỉ theo giờ commit (chưa có bằng chứng)",
    "floor": "không sớm hơn commit trước nó",
    "next": "theo bằng chứng kế tiếp (commit không do máy chủ ký)",
}


def _bounds(n: int, witnesses: Iterable[Witness], verified: dict[int, int], now: int) -> tuple[list[int], list[int]]:
    """(upper, lower) bound of every position from the evidence: ``upper[i]`` the earliest
    evidence that saw i (at most ``now``); ``lower[i]`` the latest evidence that saw the branch
    before i (a signed commit counts for itself too)."""
    up_at = [INF] * n
    low_at = [-INF] * n
    for w in witnesses:
        up_at[w.position] = min(up_at[w.position], w.at)
        if w.lower and w.position + 1 < n:
            low_at[w.position + 1] = max(low_at[w.position + 1], w.at)
    for i, t in verified.items():
        up_at[i] = min(up_at[i], t)
        low_at[i] = max(low_at[i], t)
    upper = list(accumulate(reversed(up_at), min, initial=now))[1:]
    upper.reverse()
    return upper, list(accumulate(low_at, max))


def _pass(
    claimed: list[int], upper: list[int], lower: list[int], verified: dict[int, int], require_signed: bool
) -> tuple[list[int], list[str], list[tuple[str, int, int | None]]]:
    """One forward pass: landing times, how each is known, and the conflicts (code, position,
    the position that set the floor, or None when evidence did). The times never decrease: a
    commit lands no earlier than the one before it."""
    landed: list[int] = []
    how: list[str] = []
    conflicts: list[tuple[str, int, int | None]] = []
    floor, setter = -INF, None
    # The earliest claim from each position on: a disproved claim with no lower bound at all (the
    # first commits of a chain) lands no later than what follows it claims, so that it does not
    # push every later commit to its upper bound. (Its own claim is in the minimum, harmlessly:
    # it is used only when that claim is above the upper bound.)
    later = list(accumulate(reversed(claimed), min))[::-1]
    for i, claim in enumerate(claimed):
        lo, hi = max(floor, lower[i]), upper[i]
        if i in verified:
            # The server's time is when it made the commit. A signed commit that evidence shows
            # was not on the branch yet at that time (signed on another branch, pushed later)
            # landed no earlier than that evidence.
            t, kind = verified[i], "signed"
            if t < lower[i]:
                conflicts.append(("H601", i, None))
                t = lower[i]
            floor, setter = t, i
        elif require_signed:
            t, kind = max(hi, lo), "next"
        elif claim > hi:
            t, kind = (lo if lo > -INF else min(hi, later[i])), "floor"
            conflicts.append(("H608", i, setter))
        elif claim < lo:
            t, kind = lo, "floor"
            conflicts.append(("H601", i, setter if floor >= lower[i] else None))
        else:
            t, kind = claim, "claim"
            floor, setter = claim, i
        landed.append(max(t, landed[-1]) if landed else t)
        how.append(kind)
    return landed, how, conflicts


def build(
    shas: list[str],
    claimed: list[int],
    witnesses: list[Witness],
    now: datetime,
    verify: Callable[[list[int]], set[int]],
    *,
    require_signed: bool,
) -> Timeline:
    """The timeline of a first-parent chain (oldest first). ``verify`` returns which of the
    given positions carry a valid server signature (asked lazily, see the module docstring)."""
    n = len(shas)
    tl = Timeline(shas)
    now_s = int(now.timestamp())
    verified: dict[int, int] = {}
    if require_signed:
        todo = list(range(n))
        tl.checked.update(todo)
        verified = {i: claimed[i] for i in verify(todo)}
    while True:
        upper, lower = _bounds(n, witnesses, verified, now_s)
        landed, how, conflicts = _pass(claimed, upper, lower, verified, require_signed)
        # Who is lying in an H601: the commit claiming an earlier time, or the one that set the
        # floor? A server signature settles it; without one, first-parent order stands.
        ask = {p for code, i, setter in conflicts if code == "H601" for p in (i, setter) if p is not None}
        ask -= tl.checked
        if not ask:
            break
        tl.checked |= ask
        found = verify(sorted(ask))
        if not found:
            break
        verified.update({i: claimed[i] for i in found})
    tl.landed, tl.how = landed, how
    tl.verified = set(verified)
    for code, i, setter in conflicts:
        bound = shas[setter][:10] if setter is not None else "bằng chứng"
        tl.conflicts.append(Conflict(code, i, claimed[i], landed[i], bound))
    # Upper bounds that named a witness: say so in ``how``.
    for i in range(n):
        if how[i] == "claim" and upper[i] < now_s:
            tl.how[i] = "witness"
    return tl
