"""What every console script shares: one-line errors and a clean Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import NoReturn


def fail(prog: str, message: str, code: int) -> NoReturn:
    """Print ``prog: message`` as one line on stderr and exit with ``code``."""
    print(f"{prog}: {message}", file=sys.stderr)
    sys.exit(code)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        fail(self.prog, f"error: {message}", 2)


def fail_now(prog: str, message: str, code: int) -> NoReturn:
    """``fail`` without running finalisers: after a failed write HDF5 may hold a file it
    cannot close, and closing it at exit would crash the process."""
    print(f"{prog}: {message}", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(code)


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C, or an error raised while Ctrl-C was being handled.

    Hydra's config reader closes its file in a ``finally`` that fails when Ctrl-C
    lands before the file is open, so the KeyboardInterrupt arrives as the context
    of an UnboundLocalError. An exit already decided (SystemExit, after its own message)
    is not an interruption to report again.
    """
    if isinstance(exc, SystemExit):
        return False
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False


_pending = False  # Ctrl-C seen while ``catching_interrupts`` was on


def _on_interrupt(signum: int, frame: object) -> None:
    global _pending
    _pending = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # one Ctrl-C stops; more would only
    raise KeyboardInterrupt  # break the one-line report of the first


def _unraisable(hook):  # noqa: ANN001, ANN202 (sys.unraisablehook's own types)
    def quiet(unraisable):  # noqa: ANN001, ANN202
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            hook(unraisable)

    return quiet


@contextlib.contextmanager
def catching_interrupts() -> Iterator[None]:
    """Remember Ctrl-C even where Python loses it.

    A signal handler runs in whatever Python code is current; when that is a garbage
    collector's callback (SQLAlchemy registers some), the KeyboardInterrupt is printed as
    "Exception ignored" and the work goes on. Inside this block Ctrl-C is also recorded,
    the lost exception is not printed, and ``check_interrupt`` raises it again at the
    next safe point; on leaving, a Ctrl-C that was lost is raised then.

    For a console script's main work: after it (or after the first Ctrl-C) Ctrl-C is
    ignored, since the process then only reports and ends, and an interrupt landing in
    its teardown would end it by the signal (exit -2) instead of the one-line report.
    """
    global _pending
    _pending = False
    signal.signal(signal.SIGINT, _on_interrupt)
    hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(hook)
    try:
        yield
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        check_interrupt()
    finally:
        sys.unraisablehook = hook


def check_interrupt() -> None:
    """Raise KeyboardInterrupt if Ctrl-C came and was lost (see ``catching_interrupts``);
    called where stopping leaves nothing half-done: between batches and generations."""
    if _pending:
        raise KeyboardInterrupt
