"""Clean interruption: Ctrl-C (SIGINT) and SIGTERM stop baocao within moments, stop its worker
processes and leave no temporary files, then exit with status 130.

Both signals raise ``Interrupted`` in the main process, so every ``finally`` and context manager
on the way out runs (worker pools are terminated, temporary folders removed); worker processes
ignore SIGINT (the terminal sends it to the whole process group) and leave stopping to their
parent, which terminates them."""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
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


FORCE_AFTER = 1.5  # seconds from the first signal to the forced exit


def _force_exit() -> None:
    """The way out when the orderly one is stuck: exit handlers (temporary folders), children killed, 130."""
    for child in multiprocessing.active_children():
        child.kill()
    atexit._run_exitfuncs()
    os._exit(EXIT_INTERRUPTED)


def _interrupt_with_deadline(signum: int, frame: FrameType | None) -> None:
    if not getattr(_interrupt_with_deadline, "armed", False):
        _interrupt_with_deadline.armed = True  # type: ignore[attr-defined]
        timer = threading.Timer(FORCE_AFTER, _force_exit)
        timer.daemon = True
        timer.start()
    raise KeyboardInterrupt(signal.Signals(signum).name)


def install_sigterm() -> None:
    """Ctrl-C and SIGTERM as KeyboardInterrupt where another program owns the main loop
    (MkDocs), so that its cleanup runs, with a deadline: a process still alive ``FORCE_AFTER``
    seconds later (a worker pool caught while it starts can block its own shutdown) runs its
    exit handlers, kills its children and exits 130. Left alone when someone else already
    handles the signals, and outside the main thread (where signals cannot be handled)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _interrupt_with_deadline)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt_with_deadline)


def quiet_worker() -> None:
    """In a worker process: ignore SIGINT, die at once on SIGTERM (the parent stops workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
