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


def script_hashes(html: str) -> list[str]:
    """'sha256-…' of each inline script of a page, once each."""
    digests = (hashlib.sha256(body.encode("utf-8")).digest() for body in _INLINE_SCRIPT.findall(html))
    return list(dict.fromkeys(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests))


def policy(html: str) -> str:
    return "; ".join(POLICY).format(hashes=" ".join(script_hashes(html)))


def with_policy(html: str) -> str:
    """The page with its policy as the first element of ``<head>`` (before any script)."""
    m = _HEAD.search(html)
    if m is None or 'http-equiv="Content-Security-Policy"' in html:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[: m.end()] + tag + html[m.end() :]
