"""Benchmark (g): cold start of imsim against its heaviest unavoidable imports, in one run.

    python benchmarks/cold_start.py [--repeat 5]

Each command runs in a fresh interpreter; the best of ``--repeat`` tries is kept, since
a shared machine only ever adds time. The goal: ``import imsim; imsim.compose(...)``
within 2x of ``import numpy, xarray, hydra``, and ``imsim --help`` / ``--version`` in
about the time of a bare import.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "import numpy, xarray, hydra": [sys.executable, "-c", "import numpy, xarray, hydra"],
    "import imsim; imsim.compose('baseline')": [
        sys.executable,
        "-c",
        "import imsim; imsim.compose('baseline')",
    ],
    "imsim --version": [str(BIN / "imsim"), "--version"],
    "imsim --help": [str(BIN / "imsim"), "--help"],
}


def best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    seconds = {name: best(cmd, args.repeat) for name, cmd in COMMANDS.items()}
    base = seconds["import numpy, xarray, hydra"]
    for name, s in seconds.items():
        print(f"{name:42s} {s:6.2f} s  {s / base:5.2f}x")
    print(f"machine load (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ratio = seconds["import imsim; imsim.compose('baseline')"] / base
    print(f"imsim's cold start: {ratio:.2f}x numpy + xarray + hydra (goal <= 2x)")


if __name__ == "__main__":
    main()
