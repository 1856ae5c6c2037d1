"""GitHub Actions workflow commands (``::error file=…::message``).

GitHub reads a command from any output line that starts with '::'. A value is escaped as the
runner unescapes it (``%``, CR, LF; in properties also ':' and ','), so a newline in a path
or a message cannot start a forged command; and free text (summaries, messages people read)
is printed between ``::stop-commands::<token>`` and ``::<token>::`` with a random token, so
nothing in it is taken for a command (GitHub's documented way to print untrusted text)."""

from __future__ import annotations

import secrets

from baocao.escape.text import clean


def data(value: str) -> str:
    return clean(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def prop(value: str) -> str:
    return data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: str | int) -> str:
    """One workflow command line, e.g. ``command("error", "…", file="a.md", line=3)``."""
    shown = ",".join(f"{k}={prop(str(v))}" for k, v in props.items())
    return f"::{kind} {shown}::{data(message)}" if shown else f"::{kind}::{data(message)}"


def plain(text: str) -> str:
    """Free text, printed so that no line of it is a workflow command."""
    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{clean(text)}\n::{token}::"
