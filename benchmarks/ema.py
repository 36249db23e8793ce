"""Benchmark (e): the EMA workbench evaluator against the batched engine, in one run.

    python benchmarks/ema.py [--experiments 1000] [--months 120]

Runs the same experiments (sampled conditions of the scenario discovery study)
through ``perform_experiments`` with ``imsim.ema.BatchedEvaluator`` and, as
config points, through one call of the batched engine (``imsim.sweep.evaluate``);
checks that both give identical outcomes and prints their times and ratio
(the goal is at most 3x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml

from imsim.config.plain import with_values
from imsim.ema import BatchedEvaluator, mission_model
from imsim.ema.studies import presets
from imsim.results.summary import metric
from imsim.sweep.evaluate import evaluate

STUDY = Path(__file__).resolve().parent.parent / "experiments" / "scenario_discovery.yaml"
OUTCOMES = {"humanitarian_space_mean": "max", "consolidation_share": "max"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiments", type=int, default=1000)
    ap.add_argument("--months", type=int, default=120)
    args = ap.parse_args()
    spec = yaml.safe_load(STUDY.read_text())
    overrides = [f"run.months={args.months}", "run.replicates=1"]
    levers = {"integration.hc_location": ["two_feet_in", "one_foot_in", "two_feet_out"]}
    model = mission_model("baseline", overrides, spec["uncertainties"], levers, OUTCOMES)
    problem = model.imsim
    policy = presets(problem, "baseline", ["two_feet_in"])
    n = args.experiments
    evaluate([problem.base], "summary")  # warm imports and caches

    start = time.perf_counter()
    with BatchedEvaluator(model, chunk_size=n) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(
            n, policy, uncertainty_sampling_kwargs={"rng": 1}, log_progress=True
        )
    workbench = time.perf_counter() - start

    names = [u.name for u in problem.uncertainties]
    rows = experiments[names].to_dict("records")
    start = time.perf_counter()
    points = [with_values(problem.base, problem.values(row, policy[0])) for row in rows]
    ds = evaluate(points, "summary")
    direct = {name: metric(ds, name).mean("replicate").values for name in OUTCOMES}
    engine = time.perf_counter() - start

    for name in OUTCOMES:
        np.testing.assert_array_equal(outcomes[name], direct[name])
    print(f"{n} experiments, {args.months} months, one replicate each; identical outcomes")
    print(f"workbench + BatchedEvaluator: {workbench:8.2f} s")
    print(f"batched engine, one call:     {engine:8.2f} s")
    print(f"ratio:                        {workbench / engine:8.2f}x  (goal <= 3x)")


if __name__ == "__main__":
    main()
