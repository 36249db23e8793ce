"""pyabc's ABC-SMC with whole populations simulated in batches.

pyabc proposes, weighs, accepts and stores particles one at a time, and its
samplers call the model once per particle. ``BatchSampler`` keeps pyabc's
machinery (priors, perturbation kernels, epsilon schedules, distances,
acceptance, the SQLite history) but lets pyabc only *propose* each particle
(its look-ahead path, ``evaluate=False``), simulates a whole batch of
proposals in one call of a vectorised simulator, and then lets pyabc judge
each particle. Tested against pyabc 0.13.0 (pinned: the look-ahead hook is
semi-internal); a test counts the simulator calls and checks determinism.

Randomness: numpy's global generator, which pyabc proposes with, is seeded
at the start of every generation from (seed, generation); the simulator is
deterministic given the parameters (common random numbers), so a run resumed
from its history repeats an uninterrupted run exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pyabc
from pyabc.inference_util import evaluate_preliminary_particle
from pyabc.inference_util.inference_util import _simulate_one_from_prior
from pyabc.model import Model, ModelResult


class BatchModel(Model):
    """A pyabc model over ``simulate(theta (N, D)) -> (N, K)``; ``to_theta`` maps pyabc's
    parameters (columns in ``names`` order) to the simulator's."""

    def __init__(
        self,
        simulate: Callable[[np.ndarray], np.ndarray],
        names: Sequence[str],
        statistics: Sequence[str],
        to_theta: Callable[[np.ndarray], np.ndarray],
    ):
        super().__init__("imsim")
        self.simulate, self.names, self.statistics = simulate, list(names), list(statistics)
        self.to_theta = to_theta
        self.deferred = False

    def batch(self, X: np.ndarray) -> np.ndarray:
        S = np.asarray(self.simulate(self.to_theta(X)), dtype=float)
        if S.shape != (X.shape[0], len(self.statistics)):
            raise ValueError(
                f"the simulator returned {S.shape}, not {(X.shape[0], len(self.statistics))}"
            )
        return S

    def as_statistics(self, row: np.ndarray) -> dict[str, float]:
        return dict(zip(self.statistics, row.tolist(), strict=True))

    def summary_statistics(self, t, pars, sum_stat_calculator):  # noqa: ANN001 (pyabc's API)
        if self.deferred:  # proposing only: BatchSampler fills the statistics in
            return ModelResult(sum_stat={})
        X = np.array([[pars[k] for k in self.names]])
        return ModelResult(sum_stat=self.as_statistics(self.batch(X)[0]))


def generation_seed(seed: int, t: int) -> int:
    """A 32-bit seed for generation ``t`` (t = -1 is pyabc's calibration sample)."""
    return int(np.random.SeedSequence([seed, t + 2]).generate_state(1, dtype=np.uint32)[0])


class BatchSampler(pyabc.sampler.Sampler):
    """Proposes particles with pyabc, simulates them in batches, accepts with pyabc.

    The first batch of a generation is the population size; later ones are
    what the acceptance rate so far says is still needed (times ``overshoot``).
    Particles are kept in proposal order up to the n-th acceptance, as pyabc's
    single-core sampler does. ``on_batch(rows)`` reports progress.
    """

    def __init__(
        self,
        seed: int,
        overshoot: float = 1.2,
        min_batch: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ):
        super().__init__()
        self.seed, self.overshoot, self.min_batch = seed, overshoot, min_batch
        self.on_batch = on_batch
        self.calls: list[tuple[int, int]] = []  # (generation, rows) per simulator call
        self.unweighable = 0  # accepted particles dropped for a non-finite weight

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):  # noqa: ANN001 (pyabc's API)
        np.random.seed(generation_seed(self.seed, t))  # noqa: NPY002 (pyabc proposes with it)
        (model,) = ana_vars.models
        from_prior = getattr(simulate_one, "func", None) is _simulate_one_from_prior
        propose = (
            simulate_one
            if from_prior
            else partial(simulate_one.func, **{**simulate_one.keywords, "evaluate": False})
        )
        sample = self._create_empty_sample()
        accepted = evaluated = 0
        while accepted < n and evaluated < max_eval:
            rate = max(accepted, 1) / evaluated if evaluated else 1.0
            size = max(math.ceil((n - accepted) / rate * self.overshoot), self.min_batch)
            if evaluated == 0:
                size = n
            if np.isfinite(max_eval):
                size = int(min(size, max_eval - evaluated))
            model.deferred = True
            try:
                particles = [propose() for _ in range(size)]
            finally:
                model.deferred = False
            X = np.array([[p.parameter[k] for k in model.names] for p in particles], float)
            S = model.batch(X)
            self.calls.append((t, size))
            if self.on_batch is not None:
                self.on_batch(size)
            for particle, row in zip(particles, S, strict=True):
                particle.sum_stat = model.as_statistics(row)
                if not from_prior:
                    particle = evaluate_preliminary_particle(particle, t, ana_vars)
                    if particle.accepted and not np.isfinite(particle.weight):
                        # the kernel density underflowed to 0 far from every particle
                        # (it happens in many dimensions): an importance weight that
                        # cannot be computed, so the particle is not kept
                        particle.accepted = False
                        self.unweighable += 1
                sample.append(particle)
                evaluated += 1
                if particle.accepted:
                    accepted += 1
                    if accepted == n:
                        break
        self.nr_evaluations_ = evaluated
        if sample.n_accepted < n:
            sample.ok = False
        return sample
