"""Priors: every coefficient's plausible range and the distribution over it.

The range is declared once, in ``imsim.core.coefficients`` (published bounds,
else half to twice the default). Over a published range the prior is
uniform: the sources bound the value itself. Over an assumed range it is
log-uniform: "half to twice" is symmetric in the logarithm, so the default
stays the prior's median (unless the cap at 1 of a share cuts the range).
A coefficient whose default is 0 has a uniform prior on [0, its small upper
bound].
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..config.errors import ConfigError
from ..core.coefficients import UNCAPPED, Coefficients, plausible_range

DISTRIBUTIONS = ("uniform", "loguniform")


@dataclass(frozen=True)
class Prior:
    name: str  # the coefficient, without "coefficients."
    low: float
    high: float
    distribution: str
    basis: str  # the published source of the range, or "A" (assumption)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random(n)
        return self.from_unit(u)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """The prior's quantiles at ``u`` in [0, 1)."""
        if self.distribution == "loguniform":
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        return self.low + u * (self.high - self.low)

    def to_unit(self, x: np.ndarray) -> np.ndarray:
        if self.distribution == "loguniform":
            return (np.log(x) - np.log(self.low)) / (np.log(self.high) - np.log(self.low))
        return (x - self.low) / (self.high - self.low)

    def density(self, x: np.ndarray) -> np.ndarray:
        """The prior density at ``x`` (zero outside the range)."""
        x = np.asarray(x, dtype=float)
        inside = (x >= self.low) & (x <= self.high)
        if self.distribution == "loguniform":
            span = np.log(self.high) - np.log(self.low)
            return np.where(inside, 1.0 / (np.where(inside, x, 1.0) * span), 0.0)
        return np.where(inside, 1.0 / (self.high - self.low), 0.0)


def prior(name: str) -> Prior:
    """The declared prior of coefficient ``name`` (ConfigError if there is none)."""
    if name not in Coefficients.__dataclass_fields__:
        allowed = "a coefficient of imsim.core.coefficients.Coefficients (docs/parameters.md)"
        raise ConfigError(f"coefficients.{name}", name, allowed)
    low, high, basis = plausible_range(name)
    distribution = "loguniform" if basis == "A" and low > 0 else "uniform"
    return Prior(name, float(low), float(high), distribution, basis)


def custom(name: str, low: float, high: float, distribution: str = "uniform") -> Prior:
    """A prior a user declares over a coefficient: checked against its domain."""
    declared = prior(name)
    key = f"coefficients.{name}"
    if distribution not in DISTRIBUTIONS:
        raise ConfigError(f"{key}.distribution", distribution, ", ".join(DISTRIBUTIONS))
    if not (isinstance(low, int | float) and isinstance(high, int | float)) or not low < high:
        raise ConfigError(key, [low, high], "[low, high] numbers with low < high")
    if low < 0 or (distribution == "loguniform" and low <= 0):
        raise ConfigError(key, [low, high], "a range of positive values (coefficients are >= 0)")
    default = Coefficients.__dataclass_fields__[name].default
    if default <= 1 and name not in UNCAPPED and high > 1:
        raise ConfigError(key, [low, high], "a range within [0, 1] (a share)")
    return Prior(name, float(low), float(high), distribution, declared.basis)


def every_prior() -> list[Prior]:
    return [prior(f.name) for f in fields(Coefficients)]
