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
