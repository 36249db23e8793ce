"""Benchmark (j): a calibration's cost per parameter set, split into its parts, in one run.

    python benchmarks/preparation.py [--sets 256] [--targets default]

Draws ``--sets`` parameter sets from the shipped calibration's priors and simulates every
configuration the targets are measured under, as the calibration does (one batch per
configuration), timing each part: compiling the timeline, settling month 0, the engine's
months and the targets' statistics. It prints the milliseconds per parameter set and each
part's share, and the settling's work in point-months: what each point needs on its own
(month 0 settles each point to its own tolerance) against what it cost when every point
of a batch settled for as long as its slowest one.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

import imsim
from imsim.calibration.checks import priors_of
from imsim.calibration.simulator import TargetSimulator
from imsim.calibration.statistics import STATISTICS, Context
from imsim.calibration.targets import load_targets
from imsim.compile import initial
from imsim.compile.run import compile_points
from imsim.config.keys import region_names
from imsim.config.plain import plain, with_values
from imsim.engines import batched
from imsim.engines.recorder import Recorder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=256)
    ap.add_argument("--targets", default="default")
    args = ap.parse_args()
    abc = plain(imsim.compose(overrides=["experiment=calibration"])).abc
    priors = priors_of(abc["parameters"])
    targets = [t for t in load_targets(args.targets) if t.use == "calibration"]
    sim = TargetSimulator.from_settings(targets, priors, abc)
    rng = np.random.default_rng(1)
    theta = np.column_stack([p.sample(rng, args.sets) for p in priors])

    batches: list[int] = []  # the points settling in each settling month
    settling_month = initial.settling_month

    def counted(s, p):
        batches.append(s.neutrality.shape[0])
        return settling_month(s, p)

    initial.settling_month = counted
    spent: dict[str, float] = defaultdict(float)
    slowest = 0  # point-months had every point settled as long as its batch's slowest
    for key, base in sim.bases.items():
        points = [
            with_values(base, {f"coefficients.{p.name}": float(x) for p, x in pairs})
            for pairs in (zip(priors, row, strict=True) for row in theta)
        ]
        start = time.perf_counter()
        timeline, keys = compile_points(points)
        spent["compiling the timeline"] += time.perf_counter() - start
        start, before = time.perf_counter(), len(batches)
        strength = np.array([float(p.mission.initial_strength) for p in points])
        state = initial.initial_state(timeline.worlds, timeline.replicates, timeline.at(0),
                                      strength)  # fmt: skip
        spent["settling month 0"] += time.perf_counter() - start
        slowest += (len(batches) - before) * len(points)
        start = time.perf_counter()
        recorder = Recorder(state, timeline.months, sim.recorded[key])
        batched.run(timeline, state, keys, recorder=recorder)
        spent["the engine's months"] += time.perf_counter() - start
        start = time.perf_counter()
        context = Context(
            timeline.worlds[0].population, tuple(timeline.actors), tuple(region_names(base))
        )
        for t in targets:
            if any(tuple(sorted(r[1])) == key[1] and r[0] == key[0] for r in t.runs):
                STATISTICS[t.statistic](recorder.data, context, **t.args)
        spent["the statistics"] += time.perf_counter() - start
    initial.settling_month = settling_month
    total = sum(spent.values())
    each = f"{abc['replicates']} replicates each"
    print(f"{args.sets} parameter sets x {len(sim.bases)} configurations ({each}): "
          f"{1000 * total / args.sets:.1f} ms a set")  # fmt: skip
    for part, seconds in spent.items():
        print(f"  {part:24s} {1000 * seconds / args.sets:7.2f} ms a set  {seconds / total:6.1%}")
    own = sum(batches)
    print(f"settling: {own} point-months with each point settling on its own, {slowest} had "
          f"each waited for its batch's slowest: {slowest / own:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
