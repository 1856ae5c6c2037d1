"""Report skeletons on the site ("Tải khung báo cáo"), for clerks who submit through the
hosting site's web interface and never run ``baocao new``.

For every unit and each stage it must submit, the site carries the very text ``baocao new``
writes (``baocao.documents.skeleton.skeleton``), dated the site's as-of day in the campaign's time
zone: the site is rebuilt every hour, so that is the day the clerk downloads it, exactly what
``baocao new`` would write that day, and never a day after today (which the check rejects).
The clerk replaces it with the signing date like any other field.

The file is published as ``khung/<unit>/<stage file>.txt``: a ``.md`` file in the docs would
be turned into an HTML page by MkDocs. The link's ``download`` attribute saves it under the
stage's own file name (``bao-cao.md``), ready to upload to ``submissions/<unit>/``.
"""

from __future__ import annotations

import html
from datetime import date

from baocao.campaign.model import Campaign, Stage
from baocao.documents.skeleton import skeleton
from baocao.site.core import Pages, SiteContext

SKELETON_DIR = "khung"
LINK_TEXT = "Tải khung báo cáo (.md)"


def skeleton_path(unit_id: str, stage: Stage) -> str:
    """The site path of the skeleton of ``unit_id`` for ``stage``."""
    return f"{SKELETON_DIR}/{unit_id}/{stage.file}.txt"


def site_day(ctx: SiteContext) -> date:
    """The day the site shows, in the campaign's time zone (the skeleton's ``ngay``)."""
    moment = ctx.status.as_of
    assert moment is not None, "the status contract always carries as_of"
    return moment.astimezone(ctx.tz).date()


def skeleton_link(ctx: SiteContext, page: str, unit_id: str, stage_id: str, existing: str | None = None) -> str:
    """The download link of a unit's skeleton for a stage, as a line of a page's Markdown
    (raw HTML: Markdown has no ``download`` attribute); empty when there is no such skeleton."""
    stage = ctx.campaign.stage_by_id.get(stage_id)
    if stage is None or unit_id not in ctx.campaign.unit_by_id:
        return ""
    href = html.escape(ctx.url(page, skeleton_path(unit_id, stage)))
    name = html.escape(stage.file)
    line = f'<a href="{href}" download="{name}">{LINK_TEXT}</a> — điền vào rồi tải lên `submissions/{unit_id}/`.'
    return line + submit_links(ctx, unit_id, stage, existing)


def submit_targets(ctx: SiteContext, unit_id: str, existing: str | None = None) -> tuple[str, str | None]:
    """The hosting site's upload page for the unit's folder and, when ``existing`` (the report
    on the branch, a path under submissions/) is the unit's Markdown report, its edit page.
    Raw URLs: escape them where they are written. Needs ``ctx.host``."""
    assert ctx.host is not None
    branch = ctx.campaign.campaign.branch
    upload = ctx.host.upload(branch, f"submissions/{unit_id}")
    if existing and existing.startswith(f"submissions/{unit_id}/") and existing.endswith(".md"):
        return upload, ctx.host.edit(branch, existing)
    return upload, None


def submit_links(ctx: SiteContext, unit_id: str, stage: Stage, existing: str | None = None) -> str:
    """The hosting site's pages for the unit's folder, when the campaign names its repository
    (raw HTML, escaped): upload a report there, and edit ``existing`` when it is the unit's report."""
    if ctx.host is None:
        return ""
    upload, edit = submit_targets(ctx, unit_id, existing)
    links = (
        f' <a class="md-button md-button--primary bc-submit" href="{html.escape(upload)}">Nộp báo cáo (tải tệp lên)</a>'
    )
    if edit is not None:
        links += f' <a class="md-button bc-edit" href="{html.escape(edit)}">Sửa báo cáo đang có</a>'
    return links


def expected_stages(campaign: Campaign) -> dict[str, list[Stage]]:
    """unit id -> the stages it must submit, in campaign order."""
    out: dict[str, list[Stage]] = {}
    for stage in campaign.stages:
        for unit in campaign.stage_units(stage):
            out.setdefault(unit.id, []).append(stage)
    return out


def skeleton_files(ctx: SiteContext) -> Pages:
    day = site_day(ctx)
    campaign = ctx.campaign
    return {
        skeleton_path(unit_id, stage): skeleton(campaign, unit_id, stage, day).encode("utf-8")
        for unit_id, stages in expected_stages(campaign).items()
        for stage in stages
    }
