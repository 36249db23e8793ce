"""Benchmark (f): a classroom's what-if on the batched engine against the Mesa engine.

    python benchmarks/classroom.py [--alternatives 3] [--replicates 32] [--horizon 24]

A session of drc_relapse plays four turns of three months. A what-if then branches
the live state into the room's own decisions and other alternatives, with
``--replicates`` replicates each over ``--horizon`` months, through the batched
engine (``Session.counterfactual``). For comparison, one replicate of the same
horizon is stepped on the Mesa engine as the live run steps (its narrated log
included) and scaled to the branch's number of runs. The script prints both times and
their ratio. The classroom's goal is a fan on the wall "within a few seconds".
"""

from __future__ import annotations

import argparse
import time

from imsim.classroom.branch import ALTERNATIVES
from imsim.classroom.session import Session
from imsim.engines.mesa.live import Live


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--alternatives", type=int, default=3)
    ap.add_argument("--replicates", type=int, default=32)
    ap.add_argument("--horizon", type=int, default=24)
    args = ap.parse_args()
    session = Session("drc_relapse", seed=1, turn_months=3)
    for _ in range(4):
        session.close_turn()
    labels = list(ALTERNATIVES)[: args.alternatives - 1]
    start = time.perf_counter()
    fan = session.counterfactual(labels, args.horizon, args.replicates)
    batched = time.perf_counter() - start
    runs = len(fan.labels) * args.replicates

    live = Live("drc_relapse", seed=1)
    start = time.perf_counter()
    for _ in range(args.horizon):
        live.step()
    mesa = (time.perf_counter() - start) * runs
    print(f"what-if: {len(fan.labels)} branches x {args.replicates} replicates x "
          f"{args.horizon} months = {runs} runs")  # fmt: skip
    print(f"batched engine: {batched:.2f} s; Mesa engine (one run x {runs}): {mesa:.1f} s")
    print(f"ratio: {mesa / batched:.0f}x")


if __name__ == "__main__":
    main()
