"""Machine-readable files next to the pages: ``status.json`` (the status contract),
``han-nop.ics`` (iCalendar, RFC 5545, of the deadlines) and ``feed.xml`` (Atom, RFC 4287,
of the landings)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from baocao.escape import ical
from baocao.escape import xml as xml_escape
from baocao.site.core import Pages, SiteContext, show_time
from baocao.status.judge import state_label

STATUS_JSON = "status.json"
CALENDAR = "han-nop.ics"
FEED = "feed.xml"


def status_json(ctx: SiteContext) -> Pages:
    return {STATUS_JSON: json.dumps(ctx.status.to_dict(), ensure_ascii=False, indent=1) + "\n"}


# --------------------------------------------------------------------------- iCalendar


ics_text = ical.text  # the escapers of iCalendar (baocao.escape.ical)
ics_fold = ical.fold


def ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(ctx: SiteContext, stamp: datetime) -> str:
    c = ctx.campaign
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//baocao//Lich han nop bao cao//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text('Hạn nộp báo cáo ' + c.directive.number)}",
        f"X-WR-TIMEZONE:{c.campaign.timezone}",
    ]
    for i, stage in enumerate(ctx.stages(), 1):
        due = stage.due
        units = ", ".join(u.name for u in stage.units)
        description = (
            f"Giai đoạn {i}: {stage.title}. Hạn: {stage.due_text} "
            f"(hết hạn lúc {show_time(ctx, due)}). Tệp nộp: {stage.file}. Đơn vị: {units}."
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{stage.id}@{c.campaign.id}.baocao",
            f"DTSTAMP:{ics_time(stamp)}",
            f"DTSTART:{ics_time(due)}",  # no DTEND: the deadline is an instant (RFC 5545 §3.6.1)
            f"SUMMARY:{ics_text('Hết hạn: ' + stage.title)}",
            f"DESCRIPTION:{ics_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def calendar_file(ctx: SiteContext) -> Pages:
    stamp = ctx.status.as_of
    return {CALENDAR: calendar(ctx, stamp).encode("utf-8")}


# --------------------------------------------------------------------------- Atom


def _site_link(ctx: SiteContext, page: str) -> str:
    base = (ctx.campaign.campaign.site_url or "").rstrip("/")
    rel = ctx.url("index.md", page)
    return f"{base}/{rel}" if base else rel


def atom(ctx: SiteContext) -> str:
    c = ctx.campaign
    entries: list[tuple[datetime, str]] = []
    for i, stage in enumerate(ctx.stages(), 1):
        for u in stage.units:
            for n, landing in enumerate(u.landings, 1):
                landed = landing.landed_at
                title = f"{u.name} nộp “{stage.title}”" + (f" (lần {n})" if n > 1 else "")
                summary = (
                    f"Giai đoạn {i}. Đưa lên nhánh chính lúc {show_time(ctx, landed)}; "
                    f"commit {landing.commit[:10]}; tình trạng hiện nay: {state_label(u)}."
                )
                link = _site_link(ctx, ctx.unit_page(u.unit))
                entries.append(
                    (
                        landed,
                        "<entry>"
                        f"<id>urn:baocao:{xml_escape.text(c.campaign.id)}:{xml_escape.text(landing.commit)}:{xml_escape.text(landing.path)}</id>"
                        f"<title>{xml_escape.text(title)}</title>"
                        f"<updated>{landed.isoformat()}</updated>"
                        f"<author><name>{xml_escape.text(landing.author or u.name)}</name></author>"
                        f'<link rel="alternate" type="text/html" href={xml_escape.attribute(link)}/>'
                        f"<summary>{xml_escape.text(summary)}</summary>"
                        "</entry>",
                    )
                )
    entries.sort(key=lambda e: e[0], reverse=True)
    updated = entries[0][0] if entries else ctx.status.as_of
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">'
        f"<id>urn:baocao:{xml_escape.text(c.campaign.id)}</id>"
        f"<title>{xml_escape.text('Các lần nộp báo cáo — ' + c.directive.number)}</title>"
        f"<subtitle>{xml_escape.text(c.campaign.title)}</subtitle>"
        f"<updated>{updated.isoformat()}</updated>"
        f"<author><name>{xml_escape.text(c.directive.issuer)}</name></author>"
        f'<link rel="alternate" type="text/html" href={xml_escape.attribute(_site_link(ctx, "index.md"))}/>'
        '<generator uri="https://pypi.org/project/baocao/">baocao</generator>'
    )
    return head + "".join(e for _, e in entries) + "</feed>\n"


def feed_file(ctx: SiteContext) -> Pages:
    return {FEED: atom(ctx).encode("utf-8")}
