"""Start ``imsim-classroom`` as a user would, for the classroom's browser and load tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, *args: str) -> Iterator[dict]:
    """The server's addresses, code and key while it runs (its log in ``folder``)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "imsim.classroom.server", "--port", str(free_port()),
         "--save", str(folder), *args],
        stdout=subprocess.PIPE, stderr=(folder / "server.log").open("w"), text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        printed = [server.stdout.readline() for _ in range(3)]
        trainer = re.search(r"trainer:\s+(\S+)", printed[0]).group(1)
        base, key = trainer.split("/trainer?key=")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/state", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield {
            "trainer": trainer,
            "base": base,
            "key": key,
            "code": re.search(r"code (\w+)", printed[1]).group(1),
            "folder": folder,
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
