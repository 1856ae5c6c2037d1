"""A Content-Security-Policy for every page the site builds, as a ``<meta>`` tag (a static
site on an intranet share has no server to send the header).

Defence in depth behind the sanitiser: scripts only from the site itself plus the theme's own
inline scripts, each allowed by the SHA-256 of its text (so an inline event handler, a
``javascript:`` URL or an injected ``<script>`` never runs), and nothing loaded from another
origin: no image, font, style, frame or connection leaves the site."""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
POLICY = (
    "default-src 'self'",
    "script-src 'self' {hashes}",
    "style-src 'self' 'unsafe-inline'",  # style attributes (table alignment) cannot run script
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def _digest(body: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"


def script_hashes(html: str, content: str = "") -> list[str]:
    """'sha256-…' of each inline script of a page that the theme wrote, once each: a script
    that is also in the page's ``content`` (the HTML rendered from Markdown, where a submitter's
    text ends up) is never allowed, so one that slipped past the sanitiser still does not run."""
    foreign = {_digest(body) for body in _INLINE_SCRIPT.findall(content)}
    own = (_digest(body) for body in _INLINE_SCRIPT.findall(html))
    return [h for h in dict.fromkeys(own) if h not in foreign]


def policy(html: str, content: str = "") -> str:
    return "; ".join(POLICY).format(hashes=" ".join(script_hashes(html, content)))


def with_policy(html: str, content: str = "") -> str:
    """The page with its policy as the first element of ``<head>`` (before any script);
    ``content``: the page's own rendered Markdown (see ``script_hashes``)."""
    m = _HEAD.search(html)
    if m is None or 'http-equiv="Content-Security-Policy"' in html:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, content)}">'
    return html[: m.end()] + tag + html[m.end() :]
