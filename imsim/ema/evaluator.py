"""A workbench evaluator that hands whole batches of experiments to the batched engine.

``perform_experiments`` gives the evaluator every experiment at once, and the
workbench's optimisers one generation at a time; the evaluator turns each
experiment into a config point and runs them, ``chunk_size`` points per call
of the batched engine (``imsim.sweep.evaluate``). Every point keeps the random
keys its config would have alone, so an experiment's outcomes equal
``imsim.simulate`` of its config; and every experiment shares the base
config's seed, so experiments differ only by what the workbench varies
(common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from ema_workbench.em_framework.evaluators import BaseEvaluator, perform_experiments
from ema_workbench.em_framework.optimization import _evaluate_constraints, process_jobs
from tqdm import tqdm

from ..config.plain import with_values
from ..engines.backends import check_engine
from ..results.summary import metric
from ..sweep.evaluate import evaluate
from .model import MissionProblem


class BatchedEvaluator(BaseEvaluator):
    """Evaluates an ``imsim.ema.mission_model`` through the batched engine, in batches.

    >>> with BatchedEvaluator(model) as evaluator:
    ...     experiments, outcomes = evaluator.perform_experiments(scenarios=1000)
    """

    def __init__(
        self, msis: Any, chunk_size: int = 512, progress: bool = False, engine: str = "batched"
    ):
        super().__init__(msis)
        self.chunk_size = chunk_size
        self.progress = progress
        self.engine = check_engine(engine)

    def initialize(self) -> None:
        pass

    def finalize(self) -> None:
        pass

    def evaluate_experiments(
        self, experiments: Iterable[Any], callback: Callable, **kwargs: Any
    ) -> None:
        experiments = list(experiments)
        for model in self._msis:
            mine = [e for e in experiments if e.model_name == model.name]
            if mine:
                self._evaluate(model.imsim, mine, callback)

    def _evaluate(self, problem: MissionProblem, experiments: list, callback: Callable) -> None:
        # read every experiment's values before the first callback: the workbench's
        # callback writes a policy's levers into its scenario
        points = [
            with_values(problem.base, problem.values(e.scenario, e.policy)) for e in experiments
        ]
        names = list(problem.outcomes)
        results: dict[str, list[np.ndarray]] = {name: [] for name in names}
        with tqdm(
            total=len(points), desc="imsim experiments", unit=" runs", disable=not self.progress
        ) as bar:
            for start in range(0, len(points), self.chunk_size):
                chunk = points[start : start + self.chunk_size]
                ds = evaluate(chunk, "summary", engine=self.engine)
                for name in names:
                    results[name].append(metric(ds, name).mean("replicate").values)
                bar.update(len(chunk))
        outcomes = {name: np.concatenate(results[name]).astype(float) for name in names}
        for i, experiment in enumerate(experiments):
            callback(experiment, {name: float(outcomes[name][i]) for name in names})

    def evaluate_all(self, jobs: list, **kwargs: Any) -> list:
        """The optimisers' hook, one call per generation. For a robust search each policy
        is scored on its own experiments: the workbench 3.0.0 scores every policy of a
        generation on all of the generation's experiments, so they all tie."""
        if not jobs or jobs[0].solution.problem.searchover != "robust":
            return super().evaluate_all(jobs, **kwargs)
        problem = jobs[0].solution.problem
        scenarios, policies = process_jobs(jobs)
        experiments, outcomes = perform_experiments(
            self._msis, scenarios=scenarios, policies=policies, evaluator=self, log_progress=True
        )
        for policy, job in zip(policies, jobs, strict=True):
            rows = (experiments["policy"] == policy.name).to_numpy()
            scores = {
                o.name: o.function(*[outcomes[v][rows] for v in o.variable_name])
                for o in problem.objectives
            }
            violated = _evaluate_constraints(
                experiments[rows].iloc[0], scores, problem.ema_constraints
            )
            values = [scores[name] for name in problem.outcome_names]
            if violated:
                job.solution.problem.function = lambda _, v=values, c=violated: (v, c)
            else:
                job.solution.problem.function = lambda _, v=values: v
            job.solution.evaluate()
        return jobs
