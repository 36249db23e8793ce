"""Benchmark (a): runs per second, batched engine vs Mesa engine, measured in one run.

    python benchmarks/engines.py [--batch 1024] [--mesa 8] [--months 120]

Prints both rates and their ratio (the goal is >= 100x). Timings on a shared,
noisy machine are only comparable within one invocation.
"""

from __future__ import annotations

import argparse
import time

import imsim


def rate(scenario: str, replicates: int, months: int, engine: str) -> float:
    cfg = imsim.compose(scenario, [f"run.replicates={replicates}", f"run.months={months}"])
    start = time.perf_counter()
    imsim.simulate(cfg, engine=engine)
    return replicates / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--mesa", type=int, default=8)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rate("baseline", 2, 2, "batched")  # warm imports and caches
    batched = max(rate("baseline", args.batch, args.months, "batched") for _ in range(args.repeat))
    mesa = max(rate("baseline", args.mesa, args.months, "mesa") for _ in range(args.repeat))
    print(f"batched engine: {batched:10.1f} runs/s  (batch of {args.batch}, {args.months} months)")
    print(f"mesa engine:    {mesa:10.2f} runs/s  ({args.mesa} replicates)")
    print(f"ratio:          {batched / mesa:10.1f}x  (goal >= 100x)")


if __name__ == "__main__":
    main()
