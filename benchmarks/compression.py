"""Benchmark (i): what compressing results files saves on disk and costs in write time.

    python benchmarks/compression.py [--replicates 4] [--points 24] [--repeat 3]

Writes a run (baseline, ``--replicates`` replicates, 120 months) and a sweep's worth of
trajectories (``--points`` points of 3 replicates, 18 months) as imsim writes them
(``results.storage.save_dataset``: zlib level 4 after the shuffle filter) and without
compression, in one run, keeping the best of ``--repeat`` writes (a shared machine only
adds time), and prints sizes, times and their ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import xarray as xr

import imsim
from imsim.results import storage
from imsim.sweep.evaluate import evaluate


def best_write(ds: xr.Dataset, path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        storage.save_dataset(ds, path)
        best = min(best, time.perf_counter() - start)
    return best


def compare(name: str, ds: xr.Dataset, folder: Path, repeat: int) -> None:
    packed = best_write(ds, folder / f"{name}.nc", repeat)
    encoding = storage.encoding
    storage.encoding = lambda ds: {}  # imsim's writer, compression off
    try:
        plain = best_write(ds, folder / f"{name}_plain.nc", repeat)
    finally:
        storage.encoding = encoding
    size = (folder / f"{name}.nc").stat().st_size
    plain_size = (folder / f"{name}_plain.nc").stat().st_size
    print(
        f"{name}: {plain_size / 1e6:.1f} MB -> {size / 1e6:.1f} MB compressed "
        f"({plain_size / size:.1f}x smaller); write {plain:.2f} s -> {packed:.2f} s "
        f"({packed / plain:.1f}x the time)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=4)
    ap.add_argument("--points", type=int, default=24)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    run = imsim.simulate(imsim.compose("baseline", [f"run.replicates={args.replicates}"]))
    from imsim.config.plain import plain

    point = plain(imsim.compose("baseline", ["run.replicates=3", "run.months=18"]))
    sweep = evaluate([point] * args.points, "trajectories")
    with tempfile.TemporaryDirectory() as folder:
        compare(f"run ({args.replicates} replicates)", run, Path(folder), args.repeat)
        compare(f"sweep ({args.points} points)", sweep, Path(folder), args.repeat)


if __name__ == "__main__":
    main()
