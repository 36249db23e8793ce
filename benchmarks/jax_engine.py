"""Benchmark (k): the JAX engine against the numpy engine, batch by batch, in one run.

    python benchmarks/jax_engine.py [--months 24] [--max-batch 65536]

For batches of 1 to 65,536 replicates of the baseline (30 regions) it times the month
loop of both engines on the same month 0 (the step alone, nothing recorded; JAX's
compilation is timed apart, by a first call) and prints region-months per second, the
JAX/numpy ratio, and each engine's compulsory bytes per region-month as a share of the
memory bandwidth a numpy copy reaches on this machine (benchmark (c)'s measure). It runs
JAX on whatever JAX sees first: this machine's CPU, or a GPU where one is installed and
JAX is built for it (the device is printed).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from throughput import Discard, bandwidth, nbytes

import imsim
from imsim.compile.run import prepare_run
from imsim.core.step import draw_noise
from imsim.engines import batched, jax_engine


def device_bandwidth(size: int = 512 << 20, repeat: int = 5) -> float:
    """Bytes per second of a copy on JAX's device (a GPU's own memory, where it runs)."""
    import jax
    import jax.numpy as jnp

    copy = jax.jit(lambda a: a + 0.0)  # reads and writes every byte once
    src = jnp.ones(size // 8)
    copy(src).block_until_ready()
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        copy(src).block_until_ready()
        best = min(best, time.perf_counter() - start)
    return 2 * src.nbytes / best


def timed(fn, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(batch: int, months: int, repeat: int) -> dict[str, float]:
    cfg = imsim.compose("baseline", [f"run.replicates={batch}", f"run.months={months}"])
    run = prepare_run([cfg])
    args = (run.timeline, run.state, run.keys)
    start = time.perf_counter()
    jax_engine.run(*args, recorder=Discard())
    compile_s = time.perf_counter() - start
    numpy_s = timed(lambda: batched.run(*args, recorder=Discard()), repeat)
    jax_s = timed(lambda: jax_engine.run(*args, recorder=Discard()), repeat)
    H, R = run.state.neutrality.shape[1:]
    moved = 2 * nbytes(run.state) + nbytes(draw_noise(run.keys, 1, H, R))
    region_months = batch * months * R
    return {
        "numpy": region_months / numpy_s,
        "jax": region_months / jax_s,
        "compile": compile_s - jax_s,
        "bytes": moved / (batch * R),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--max-batch", type=int, default=65536)
    args = ap.parse_args()
    measure(2, 2, 1)  # warm imports and caches
    copy = bandwidth()
    on_cpu = jax_engine.device().startswith("cpu")
    on_device = copy if on_cpu else device_bandwidth()  # a CPU's JAX shares the host's memory
    print(f"JAX device: {jax_engine.device()}")
    print(f"memory bandwidth: numpy copy on the host {copy / 1e9:.2f} GB/s", end="")
    print("" if on_cpu else f", a copy on JAX's device {on_device / 1e9:.2f} GB/s")
    print(
        f"{'batch':>6} {'numpy rm/s':>13} {'JAX rm/s':>13} {'JAX/numpy':>10} "
        f"{'numpy of bw':>12} {'JAX of bw':>10} {'JAX compile s':>14}"
    )
    batch = 1
    while batch <= args.max_batch:
        repeat = 3 if batch <= 4096 else 1
        m = measure(batch, args.months, repeat)
        print(
            f"{batch:>6} {m['numpy']:>13,.0f} {m['jax']:>13,.0f} {m['jax'] / m['numpy']:>9.2f}x "
            f"{m['numpy'] * m['bytes'] / copy:>11.1%} {m['jax'] * m['bytes'] / on_device:>9.1%} "
            f"{m['compile']:>14.1f}"
        )
        batch *= 4


if __name__ == "__main__":
    main()
