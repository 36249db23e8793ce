"""Benchmark (b): wall time of a 432-point grid, imsim sweeper vs Hydra's basic sweeper.

    python benchmarks/sweepers.py [--quick]

Both run the same command line (the issue's grid) in one invocation of this
script, as a user would run it; the ratio of their wall times is printed
(goal >= 20x). The imsim sweeper runs twice: storing full trajectories, as
each basic-sweeper job does, and with its default store for a grid this size
(``auto``, which picks the summary). ``--quick`` times the basic sweeper on the first third of
the grid only (integration=two_feet_in, 144 points) and scales it up: its
jobs run one after another and are alike. Two points of the basic sweep are compared with sweep.nc.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from imsim import load_dataset

GRID = [
    "integration=two_feet_in,one_foot_in,two_feet_out",
    "force.escorts=never,last_resort,routine",
    "mission.stance=impartial,backs_government",
    "force.troops=0,5000,10000,20000",
    "dsrsg.support_office=true,false",
    "force.qips=unilateral,hc_approved,joint_pool",
    "run.replicates=4",
    "run.months=60",
]


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "imsim.cli", "-m", *args],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = ["hydra/sweeper=imsim", *GRID]
        imsim = timed(
            [*ours, f"hydra.sweep.dir={tmp / 'imsim'}", "hydra.sweeper.store=trajectories"], tmp
        )
        summary = timed([*ours, f"hydra.sweep.dir={tmp / 'summary'}"], tmp)
        grid = ["integration=two_feet_in", *GRID[1:]] if args.quick else GRID
        points = 144 if args.quick else 432
        basic = timed([f"hydra.sweep.dir={tmp / 'basic'}", *grid], tmp)
        basic_full = basic * 432 / points
        sweep = load_dataset(tmp / "imsim" / "sweep.nc")
        for job in (0, points - 1):
            alone = load_dataset(tmp / "basic" / str(job) / "trajectories.nc")
            same = np.array_equal(sweep["access"].isel(point=job).values, alone["access"].values)
            print(f"point {job}: basic sweeper job and sweep.nc agree exactly: {same}")
    note = "" if points == 432 else f" (scaled from {points} points)"
    print(f"basic sweeper:                {basic_full:7.1f} s for 432 points{note}")
    print(f"imsim sweeper, trajectories:  {imsim:7.1f} s  ratio {basic_full / imsim:6.1f}x")
    print(f"imsim sweeper, summary (auto): {summary:6.1f} s  ratio {basic_full / summary:6.1f}x")
    print("goal: >= 20x")


if __name__ == "__main__":
    main()
