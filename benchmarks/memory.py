"""Benchmark (d): peak memory (RSS) of a 20,000-point summary sweep.

    python benchmarks/memory.py [--points 20000]

Runs ``imsim -m hydra/sweeper=imsim hydra.sweeper.store=summary`` over a
grid of information sharing x troop numbers (100 x 200 points, 2 replicates,
60 months, basic launcher, so every chunk runs in the one process measured)
and prints its peak resident memory (goal < 2 GB). A sweep a tenth the size
is measured first: chunks stream to disk, so the peak should not grow with
the number of points.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from imsim import load_dataset

PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss(points: int, sweep_dir: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one summary sweep of about ``points`` points."""
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
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PEAK, *args], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    assert load_dataset(sweep_dir / "sweep.nc").sizes["point"] == 100 * troops
    return int(out.stdout.split()[-1]) / 1024, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for points in (args.points // 10, args.points):
            mb, seconds = peak_rss(points, Path(tmp) / f"p{points}")
            print(f"{points:>6} points: peak RSS {mb:7.0f} MB, {seconds:6.1f} s")
    print(f"goal: < 2048 MB at {args.points} points")


if __name__ == "__main__":
    main()
