"""Clean interruption: Ctrl-C (SIGINT) and SIGTERM stop baocao within moments, stop its worker
processes and leave no temporary files, then exit with status 130.

Both signals raise ``Interrupted`` in the main process, so every ``finally`` and context manager
on the way out runs (worker pools are terminated, temporary folders removed); worker processes
ignore SIGINT (the terminal sends it to the whole process group) and leave stopping to their
parent, which terminates them."""

from __future__ import annotations

import signal
from types import FrameType

EXIT_INTERRUPTED = 130


class Interrupted(BaseException):
    """Raised in the main process by SIGINT or SIGTERM (a BaseException, like KeyboardInterrupt,
    so that no ``except Exception`` swallows it)."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def install() -> None:
    """Turn SIGINT and SIGTERM into ``Interrupted`` (call in the main process only)."""
    signal.signal(signal.SIGINT, _raise)
    signal.signal(signal.SIGTERM, _raise)


def install_sigterm() -> None:
    """SIGTERM as Ctrl-C (KeyboardInterrupt) where another program owns the main loop (MkDocs),
    so that its cleanup runs; left alone when someone else already handles it."""
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def quiet_worker() -> None:
    """In a worker process: ignore SIGINT, die at once on SIGTERM (the parent stops workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
