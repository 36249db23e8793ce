"""What every console script shares: one-line errors and a clean Ctrl-C."""

from __future__ import annotations

import argparse
import os
import sys
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
