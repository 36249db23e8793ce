"""Targets of a whole population of parameter sets, through the batched engine.

``TargetSimulator(targets, priors)(theta)`` runs every configuration the
targets are measured under once per parameter set (``theta`` is (N, D), one
column per coefficient), ``chunk_size`` parameter sets per call of the
batched engine, recording only what the targets' statistics read, and
returns each target's simulated value, (N, targets). Every parameter set
runs with the same seed (common random numbers), so two parameter sets differ
only by their coefficients.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..config.compose import compose
from ..config.plain import Tree, plain, with_values
from ..config.ranges import Prior
from ..console import check_interrupt
from ..engines.backends import batch_engine
from ..engines.recorder import Recorder
from .statistics import STATISTICS, Context
from .targets import RunSpec, Target


def canonical(run: RunSpec) -> RunSpec:
    """One key per configuration, whatever the order its overrides are written in."""
    return (run[0], tuple(sorted(run[1])))


class TargetSimulator:
    def __init__(
        self,
        targets: Sequence[Target],
        priors: Sequence[Prior],
        replicates: int,
        seed: int,
        chunk_size: int = 256,
        overrides: Sequence[str] = (),
        engine: str = "batched",
    ):
        self.engine = batch_engine(engine)
        self.targets = list(targets)
        self.priors = list(priors)
        self.chunk_size = chunk_size
        self.bases: dict[RunSpec, Tree] = {}
        self.recorded: dict[RunSpec, tuple[str, ...]] = {}
        common = [*overrides, f"run.replicates={replicates}", f"run.seed={seed}"]
        for t in self.targets:
            for run in t.runs:
                key = canonical(run)
                if key not in self.bases:
                    self.bases[key] = plain(compose(run[0], [*run[1], *common]))
                self.recorded[key] = tuple(
                    sorted(set(self.recorded.get(key, ())) | set(t.variables))
                )

    @classmethod
    def from_settings(
        cls, targets: Sequence[Target], priors: Sequence[Prior], settings: Mapping
    ) -> TargetSimulator:
        """From an ``abc`` or ``credibility`` config node (replicates, seed, chunk_size,
        overrides, engine)."""
        return cls(
            targets,
            priors,
            int(settings["replicates"]),
            int(settings["seed"]),
            int(settings["chunk_size"]),
            list(settings.get("overrides") or []),
            str(settings.get("engine", "batched")),
        )

    @property
    def runs_per_set(self) -> int:
        return len(self.bases) * int(next(iter(self.bases.values())).run.replicates)

    def __call__(
        self, theta: np.ndarray, on_runs: Callable[[int], None] | None = None
    ) -> np.ndarray:
        per_run = {}  # canonical run -> target name -> (N, replicates)
        for key, base in self.bases.items():
            per_run[key] = self._statistics(key, base, theta, on_runs)
        out = np.empty((theta.shape[0], len(self.targets)))
        for j, t in enumerate(self.targets):
            sides = {run: per_run[canonical(run)][t.name] for run in t.runs}
            out[:, j] = t.simulated(sides)
        return out

    def _statistics(
        self,
        key: RunSpec,
        base: Tree,
        theta: np.ndarray,
        on_runs: Callable[[int], None] | None,
    ) -> dict[str, np.ndarray]:
        mine = [t for t in self.targets if any(canonical(r) == key for r in t.runs)]
        found: dict[str, list[np.ndarray]] = {t.name: [] for t in mine}
        for start in range(0, theta.shape[0], self.chunk_size):
            check_interrupt()  # a Ctrl-C Python lost stops the work here, between batches
            rows = theta[start : start + self.chunk_size]
            points = [
                with_values(
                    base,
                    {
                        f"coefficients.{p.name}": float(x)
                        for p, x in zip(self.priors, row, strict=True)
                    },
                )
                for row in rows
            ]
            run = self.engine.prepare(points)
            recorder = Recorder(run.state, run.timeline.months, self.recorded[key])
            self.engine.run(run.timeline, run.state, run.keys, recorder=recorder)
            context = Context(
                run.timeline.worlds[0].population, tuple(run.actors), tuple(run.regions)
            )
            reps = run.timeline.replicates
            for t in mine:
                values = STATISTICS[t.statistic](recorder.data, context, **t.args)
                found[t.name].append(values.reshape(len(points), reps))
            if on_runs is not None:
                on_runs(len(points) * reps)
        return {name: np.concatenate(parts) for name, parts in found.items()}
