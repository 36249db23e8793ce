"""Benchmark (d): peak memory of a 20,000-point summary sweep.

    python benchmarks/memory.py [--points 20000]

Runs ``imsim -m hydra/sweeper=imsim hydra.sweeper.store=summary`` over a
grid of information sharing x troop numbers (100 x 200 points, 2 replicates,
60 months, basic launcher, so every chunk runs in the one process measured)
and prints its peak memory (goal < 2 GB): the proportional set sizes of its process and
the block processes it forks, summed, sampled every 20 ms. A sweep a tenth the size
is measured first: chunks stream to disk, so the peak should not grow with
the number of points.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from imsim import load_dataset


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (the engine's block processes among them)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            todo += [int(c) for c in task.read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    """A process's proportional set size: its own pages, and its share of those it shares."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def peak_memory(args: list[str]) -> tuple[float, float]:
    """(peak MB, seconds) of a command and the processes it forks: their proportional set
    sizes summed, sampled every 20 ms (pages two processes share are counted once)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        total = 0
        for pid in _descendants(proc.pid):
            with contextlib.suppress(OSError, ValueError):
                total += _pss_kb(pid)
        peak = max(peak, total)
        time.sleep(0.02)
    if proc.returncode:
        raise RuntimeError(proc.stderr.read().decode()[-2000:])
    return peak / 1024, time.perf_counter() - start


def peak_rss(points: int, sweep_dir: Path) -> tuple[float, float]:
    """(peak memory in MB, seconds) of one summary sweep of about ``points`` points."""
    troops = max(1, points // 100)
    args = [
        sys.executable,
        "-m",
        "imsim.cli",
        "-m",
        "hydra/sweeper=imsim",
        "hydra.sweeper.store=summary",
        f"hydra.sweep.dir={sweep_dir}",
        "integration.information_sharing=range(0,1,0.01)",
        f"force.troops=range(0,20000,{20000 // troops})",
        "run.replicates=2",
        "run.months=60",
    ]
    mb, seconds = peak_memory(args)
    assert load_dataset(sweep_dir / "sweep.nc").sizes["point"] == 100 * troops
    return mb, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for points in (args.points // 10, args.points):
            mb, seconds = peak_rss(points, Path(tmp) / f"p{points}")
            print(f"{points:>6} points: peak memory {mb:7.0f} MB, {seconds:6.1f} s")
    print(f"goal: < 2048 MB at {args.points} points")


if __name__ == "__main__":
    main()
