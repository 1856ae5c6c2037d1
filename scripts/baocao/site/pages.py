"""Every page of the site, in build order: an explicit list of builders (``SiteContext -> Pages``).

Later builders may read what earlier ones left in the context (the unit pages' checked
reports feed the compiled outline), so the order is part of the contract."""

from __future__ import annotations

from importlib import resources

from baocao.site.compiled import compiled_pages
from baocao.site.core import ASSET_DIR, ASSETS, PageBuilder, Pages, SiteContext
from baocao.site.feeds import calendar_file, feed_file, status_json
from baocao.site.home import home, outline_page, status_page
from baocao.site.skeleton_files import skeleton_files
from baocao.site.units import unit_pages

PAGES: tuple[PageBuilder, ...] = (
    home,
    status_page,
    outline_page,
    skeleton_files,
    unit_pages,
    compiled_pages,
    status_json,
    calendar_file,
    feed_file,
)


def build_pages(ctx: SiteContext, *, defer: bool = False) -> Pages:
    """Every generated page and file of the site. With ``defer`` the pages of ``ctx.late_pages``
    are only their titles and the files of ``ctx.deferred`` are left out, for the caller to make."""
    out: Pages = {}
    for builder in PAGES:
        out.update(builder(ctx))
    if not defer:
        out.update((path, make()) for path, make in ctx.late_pages.items())  # first: they add late fragments
        out.update((path, make()) for path, make in ctx.deferred.items())
        for make_fragments in ctx.late_fragments:
            ctx.fragments.update(make_fragments())
    for name in ASSETS:
        out[f"{ASSET_DIR}/{name}"] = resources.files("baocao.site").joinpath("assets", name).read_bytes()
    return out
