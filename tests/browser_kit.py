"""Debian's Chromium driven by Playwright, on a site served from 127.0.0.1: a reader's browser
that records every request, console error, page error and dialog (shared by the browser tests)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() and not os.environ.get("BAOCAO_REQUIRE_BROWSER"):
    pytest.skip(
        "Không có /usr/bin/chromium (cài gói Debian 'chromium'); CI đặt BAOCAO_REQUIRE_BROWSER nên không bỏ qua.",
        allow_module_level=True,
    )

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, sync_playwright  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Browser:
    context: BrowserContext
    base: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        page = self.context.new_page()
        page.on("console", lambda m: self._console(m, path))
        page.on("pageerror", lambda e: self.errors.append(f"{path}: {e}"))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.goto(self.base + path)
        page.wait_for_load_state("networkidle")
        return page

    def _console(self, message: ConsoleMessage, path: str) -> None:
        if message.type == "error":
            self.errors.append(f"{path}: {message.text}")


@contextmanager
def serve_and_browse(site: Path, profile: Path) -> Iterator[Browser]:
    """``site`` served on 127.0.0.1 and a headless Chromium whose every request off that origin
    is recorded in ``foreign`` and aborted."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=ARGS,
                viewport={"width": 1280, "height": 900},
                locale="vi-VN",
            )
            b = Browser(context, base)

            def route(r: object) -> None:
                request: Request = r.request  # type: ignore[attr-defined]
                b.requests.append(request.url)
                if request.url.startswith(base) or request.url.startswith(("data:", "blob:")):
                    r.continue_()  # type: ignore[attr-defined]
                else:
                    b.foreign.append(request.url)
                    r.abort()  # type: ignore[attr-defined]

            context.route("**/*", route)
            yield b
            context.close()
    finally:
        server.shutdown()
        server.server_close()
