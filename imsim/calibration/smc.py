"""ABC by sequential Monte Carlo with resample-move steps (Drovandi & Pettitt 2011).

Why not importance weights (pyabc's ABC-PMC, which the first calibrations used): with
20 calibrated coefficients, most of them barely constrained by the targets, the density
of a perturbation kernel varies so much across the accepted particles that their
importance weights collapse onto one or two. Measured on the shipped calibrations:
effective particles 300 -> 31 -> 4.4 -> 1.0 and 300 -> 16 -> 2.4 -> 1.2; the same
happens on a 20-dimensional toy problem with pyabc's Gaussian, local and twice-the-
covariance kernels alike (a "posterior" that is one parameter set).

Here every particle keeps the same weight, so none can collapse. From one generation to
the next (Drovandi, C. C. & Pettitt, A. N. 2011, "Estimation of parameters for
macroparasite population evolution using approximate Bayesian computation", Biometrics
67: 225-233):

1. keep the share ``keep`` of the particles nearest the targets; the largest distance
   kept is the new epsilon;
2. refill the population with copies of kept particles drawn at random;
3. move each copy by Metropolis-Hastings steps that leave the ABC posterior at the new
   epsilon unchanged: a Gaussian random walk with the kept particles' covariance times
   2.38^2 / D (Roberts, Gelman & Gilks 1997, the scale for D dimensions), accepted when
   it stays inside the prior's support and its distance is within epsilon (the prior is
   uniform on the quantile scale, so its ratio is 1). After a first step, the number of
   steps is the one that moves a copy at least once with probability 1 - ``STAY``
   at the first step's acceptance rate, at most ``steps``.

Pure array code: ``measure`` maps prior quantiles (n, D) to each target's statistic and
the distance; randomness comes from the generator handed in.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# (prior quantiles (n, D)) -> (statistics (n, K), distances (n,))
Measure = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
STAY = 0.01  # the chance a copy is left where it was copied (Drovandi & Pettitt's c)
SCALE = 2.38**2  # random-walk covariance: SCALE / D times the kept particles' covariance


@dataclass(frozen=True)
class Generation:
    """A population of equally weighted particles within ``epsilon`` of the targets."""

    unit: np.ndarray  # (N, D) each coefficient's prior quantile
    statistics: np.ndarray  # (N, K) each target's simulated statistic
    distance: np.ndarray  # (N,)
    epsilon: float
    evaluations: int  # parameter sets simulated to make this generation
    acceptance: float = math.nan  # the first move's acceptance rate (nan at generation 0)
    steps: int = 0  # moves made

    def canonical(self) -> Generation:
        """The same population in a fixed order, so a generation read back from storage
        continues as the one held in memory would: by distance, then, among equal
        distances, by a hash of the coefficients (ordering ties by a coefficient's value
        would keep the particles lowest in it whenever distinct ones tie at epsilon, as
        they do when every target is a range that all of them meet)."""
        order = np.lexsort((_hashes(self.unit), self.distance))
        return Generation(
            self.unit[order],
            self.statistics[order],
            self.distance[order],
            self.epsilon,
            self.evaluations,
            self.acceptance,
            self.steps,
        )


def first_generation(measure: Measure, n: int, dims: int, rng: np.random.Generator) -> Generation:
    """``n`` draws from the prior, all kept (epsilon: the largest distance)."""
    unit = rng.random((n, dims))
    statistics, distance = measure(unit)
    return Generation(unit, statistics, distance, float(distance.max()), n).canonical()


def next_generation(
    previous: Generation, measure: Measure, keep: float, steps: int, rng: np.random.Generator
) -> Generation:
    """Keep the nearest share ``keep`` of ``previous``, refill with moved copies."""
    n, dims = previous.unit.shape
    kept = np.argsort(previous.distance, kind="stable")[: kept_count(keep, n)]
    epsilon = float(previous.distance[kept].max())
    copies = kept[rng.integers(0, len(kept), n - len(kept))]
    unit = previous.unit[copies].copy()
    statistics = previous.statistics[copies].copy()
    distance = previous.distance[copies].copy()
    walk = _walk(previous.unit[kept], dims)

    def move() -> tuple[float, int]:
        proposed = unit + rng.standard_normal(unit.shape) @ walk.T
        inside = np.flatnonzero(((proposed >= 0) & (proposed < 1)).all(axis=1))
        accepted = np.zeros(len(unit), dtype=bool)
        if len(inside):
            s, d = measure(proposed[inside])
            ok = d <= epsilon
            accepted[inside[ok]] = True
            unit[inside[ok]], statistics[inside[ok]], distance[inside[ok]] = (
                proposed[inside[ok]],
                s[ok],
                d[ok],
            )
        return float(accepted.mean()) if len(unit) else 1.0, len(inside)

    acceptance, evaluations = move()
    total = min(moves_needed(acceptance), steps)
    for _ in range(total - 1):
        evaluations += move()[1]
    return Generation(
        np.concatenate([previous.unit[kept], unit]),
        np.concatenate([previous.statistics[kept], statistics]),
        np.concatenate([previous.distance[kept], distance]),
        epsilon,
        evaluations,
        acceptance,
        total,
    ).canonical()


def kept_count(keep: float, n: int) -> int:
    """How many of ``n`` particles a generation keeps (at least 2, for a covariance)."""
    return max(math.ceil(round(keep * n, 9)), 2)


def _hashes(unit: np.ndarray) -> np.ndarray:
    """A number for each particle that depends on all its coefficients and on nothing
    else, unrelated to any of their values (equal only for copies, which are equal)."""
    return np.array(
        [int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8).digest()) for row in unit],
        dtype=np.uint64,
    )


def moves_needed(acceptance: float) -> int:
    """Steps after which a copy has moved at least once with probability 1 - STAY."""
    if acceptance >= 1:
        return 1
    if acceptance <= 0:
        return 2**31
    return max(math.ceil(math.log(STAY) / math.log1p(-acceptance)), 1)


def _walk(kept: np.ndarray, dims: int) -> np.ndarray:
    """A square root of the random walk's covariance (eigenvalues below 0 from rounding
    clipped: a coefficient all kept particles share gets no step)."""
    cov = np.atleast_2d(np.cov(kept, rowvar=False)) * SCALE / dims
    values, vectors = np.linalg.eigh(cov)
    return vectors * np.sqrt(np.clip(values, 0, None))
