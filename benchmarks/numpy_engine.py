"""Benchmark (l): the numpy engine now against the numpy engine of an earlier commit.

    python benchmarks/numpy_engine.py [--reference a1ecae1] [--batches 256 1024 4096]

Checks the reference commit out into a temporary git worktree and times both engines'
month loop (baseline, 30 regions, 24 months, nothing recorded: the step alone) in
alternating fresh processes, so all meet the same machine load; prints region-months per
second (best of three runs in each of ``--repeat`` processes) and the ratios, batch by
batch, for this checkout with its blocks in processes (the default) and in threads. All
give the same numbers (tests/test_engines.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMER = """
import sys, time
import imsim
from imsim.compile.run import prepare_run
from imsim.engines import batched

class Discard:
    needs = ()  # nothing read, so no block's state is gathered (an earlier engine ignores it)
    month_bytes = 0  # nothing written: blocks may run in processes

    def record(self, month, state):
        pass

    def record_part(self, month, batch, state):  # a block's months, in its own process
        pass

    def share(self, shared):  # nothing to share: blocks may step in processes
        pass

batch, months = int(sys.argv[1]), int(sys.argv[2])
cfg = imsim.compose("baseline", [f"run.replicates={batch}", f"run.months={months}"])
run = prepare_run([cfg])
batched.run(run.timeline, run.state, run.keys, recorder=Discard(), stop=2)  # warm
seconds = float("inf")
for _ in range(3):
    start = time.perf_counter()
    batched.run(run.timeline, run.state, run.keys, recorder=Discard())
    seconds = min(seconds, time.perf_counter() - start)
print(batch * months * run.state.neutrality.shape[-1] / seconds)
"""


def rate(tree: Path, batch: int, months: int, blocks: str = "processes") -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(batch), str(months)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "IMSIM_BLOCKS": blocks},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", default="a1ecae1", help="the commit to compare against")
    ap.add_argument("--batches", type=int, nargs="+", default=[256, 1024, 4096])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "reference"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(ref), args.reference],
            cwd=ROOT,
            check=True,
        )
        try:
            print(f"reference {args.reference} vs this checkout; region-months a second")
            print("(now: blocks in processes, the default; threads: IMSIM_BLOCKS=threads)")
            print(
                f"{'batch':>6} {'reference':>12} {'now':>12} {'threads':>12}"
                f" {'now/reference':>14} {'threads/reference':>18}"
            )
            for batch in args.batches:
                best = {"reference": 0.0, "now": 0.0, "threads": 0.0}
                for _ in range(args.repeat):  # alternating, so all meet the same load
                    best["reference"] = max(best["reference"], rate(ref, batch, args.months))
                    best["now"] = max(best["now"], rate(ROOT, batch, args.months))
                    best["threads"] = max(
                        best["threads"], rate(ROOT, batch, args.months, "threads")
                    )
                ref_rate = best["reference"]
                print(
                    f"{batch:>6} {ref_rate:>12,.0f} {best['now']:>12,.0f} {best['threads']:>12,.0f}"
                    f" {best['now'] / ref_rate:>13.2f}x {best['threads'] / ref_rate:>17.2f}x"
                )
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(ref)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
