"""Benchmark (c): region-months per second as the batch grows, against memory bandwidth.

    python benchmarks/throughput.py [--months 24] [--max-batch 4096]

For batches of 1 to 4096 replicates of the baseline (30 regions) it times
the batched engine's month loop and prints region-months per second, for
the step alone and with every variable recorded every month (the
``trajectories`` store; writing fresh result arrays costs page faults). It
then prints the bytes one step must move per region-month -- the state it
reads, the state it writes and the month's random numbers, a lower bound
that ignores temporaries -- times that rate, as a fraction of the memory
bandwidth measured in the same run by a numpy copy of a 512 MiB array
(goal >= 20% at large batch).
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

import imsim
from imsim.compile.run import prepare_run
from imsim.core.step import draw_noise
from imsim.engines import batched


def nbytes(bundle: object) -> int:
    return sum(getattr(bundle, f.name).nbytes for f in dataclasses.fields(bundle))


class Discard:
    """A recorder that keeps nothing: times the step alone, without writing results."""

    needs: tuple[str, ...] = ()  # no state variable is read, so none is gathered
    month_bytes = 0  # nothing written: blocks may run in processes

    def record(self, month: int, state: object) -> None:
        pass

    def record_part(self, month: int, batch: slice, state: object) -> None:
        pass

    def share(self, shared: object) -> None:  # nothing to share: blocks may run in processes
        pass


def measure(batch: int, months: int, repeat: int, record: bool) -> tuple[float, float]:
    """(region-months per second, compulsory bytes per region-month) for one batch size."""
    cfg = imsim.compose("baseline", [f"run.replicates={batch}", f"run.months={months}"])
    run = prepare_run([cfg])
    state, keys = run.state, run.keys
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        batched.run(run.timeline, state, keys, recorder=None if record else Discard())
        best = min(best, time.perf_counter() - start)
    H, R = state.neutrality.shape[1:]
    moved = 2 * nbytes(state) + nbytes(draw_noise(keys, 1, H, R))
    return batch * months * R / best, moved / (batch * R)


def bandwidth(size: int = 512 << 20, repeat: int = 5) -> float:
    """Bytes per second of a numpy copy (each byte read once and written once)."""
    src = np.ones(size // 8)
    dst = np.empty_like(src)
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - start)
    return 2 * src.nbytes / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--max-batch", type=int, default=4096)
    args = ap.parse_args()
    measure(2, 2, 1, True)  # warm imports and caches
    copy = bandwidth()
    print(f"memory bandwidth (numpy copy): {copy / 1e9:.2f} GB/s")
    print(
        f"{'batch':>6} {'region-months/s':>16} {'(recording all)':>16} "
        f"{'bytes/region-month':>19} {'of bandwidth':>13}"
    )
    batch = 1
    while batch <= args.max_batch:
        repeat = 3 if batch <= 1024 else 2
        rate, per = measure(batch, args.months, repeat, record=False)
        recorded, _ = measure(batch, args.months, repeat, record=True)
        print(
            f"{batch:>6} {rate:>16,.0f} {recorded:>16,.0f} {per:>19,.0f} {rate * per / copy:>12.1%}"
        )
        batch *= 4
    print("goal: >= 20% of bandwidth at large batch")


if __name__ == "__main__":
    main()
