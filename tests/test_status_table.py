"""The status table groups its units: one tbody per group in campaign order, opened by a row
with the group's name, its number of units and how many are in each state; no group column
repeated on every row."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from baocao.campaign.model import Campaign
from baocao.site.core import STATE_NAMES, STATUS_PAGE, load_context, splice
from baocao.site.home import status_page

from .compile_data import Landing, at

_TABLE = re.compile(r'<table data-bc-table data-stage="([^"]+)">(.*?)</table>', re.S)
_BODY = re.compile(r'<tbody data-group="([^"]*)">(.*?)</tbody>', re.S)
_HEAD = re.compile(
    r'<tr class="bc-group" data-group-head="([^"]*)"><th scope="rowgroup" colspan="(\d+)">(.*?)</th></tr>'
)
_ROW = re.compile(r'<tr data-group="([^"]*)" data-state="([^"]*)">')


def test_each_group_is_a_tbody_headed_by_its_count_of_units_in_each_state(
    campaign: Campaign, compile_history: tuple[Path, list[Landing]]
) -> None:
    ctx = load_context(compile_history[0], campaign, at(25))
    html = splice(status_page(ctx)[STATUS_PAGE], ctx.fragments)
    tables = dict(_TABLE.findall(html))
    assert list(tables) == [st.id for st in ctx.stages()]
    group_order = [g.id for g in campaign.groups]
    for stage in ctx.stages():
        table = tables[stage.id]
        head = table.split("</thead>", 1)[0]
        columns = re.findall(r"<th scope=\"col\"", head)
        assert ">Nhóm<" not in head and len(columns) == 5
        bodies = _BODY.findall(table)
        expected = Counter(u.group for u in stage.units)
        assert [g for g, _ in bodies] == sorted(expected, key=group_order.index)
        for group, body in bodies:
            m = _HEAD.match(body)
            assert m is not None and m.group(1) == group and m.group(2) == str(len(columns))
            rows = _ROW.findall(body)
            assert {g for g, _ in rows} == {group} and len(rows) == expected[group]
            assert ctx.group_name(group) in m.group(3) and f"· {len(rows)} đơn vị" in m.group(3)
            states = Counter(s for _, s in rows)
            shown = dict(re.findall(r'<span class="bc-badge bc-(\w+)"[^>]*>[^<]*</span>&nbsp;(\d+)', m.group(3)))
            assert shown == {s: str(n) for s, n in states.items()}
            assert all(s in STATE_NAMES for s in shown)
        assert sum(len(_ROW.findall(b)) for _, b in bodies) == len(stage.units)
