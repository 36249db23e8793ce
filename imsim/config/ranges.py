"""One grammar for a parameter range, in every study; and each coefficient's prior.

Wherever a study says what a key may take (``sensitivity.parameters``, the EMA
workbench's uncertainties and levers, ``abc.parameters``), it is written one way:

- ``declared``: a coefficient's declared prior (docs/parameters.md);
- ``[low, high]``: numbers between two bounds, with the key's declared distribution
  (a coefficient's own, uniform for any other setting);
- ``{low: .., high: .., distribution: uniform | loguniform}``: the same, distribution chosen;
- ``[a, b, ...]``: the options of a categorical or yes/no setting.

A study that cannot use a form refuses it in one line (a calibration draws numbers, not
options). ``credibility.vary`` names coefficients (by prefix) that vary over their
declared priors.

A coefficient's range is declared once, in ``imsim.core.coefficients`` (published
bounds, else half to twice the default). Over a published range the prior is uniform:
the sources bound the value itself. Over an assumed range it is log-uniform: "half to
twice" is symmetric in the logarithm, so the default stays the prior's median (unless
the cap at 1 of a share cuts the range). A coefficient whose default is 0 has a uniform
prior on [0, its small upper bound].
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..core.coefficients import UNCAPPED, Coefficients, prior_shape
from .errors import ConfigError
from .keys import check_value, resolve_field

DISTRIBUTIONS = ("uniform", "loguniform")
PREFIX = "coefficients."
GRAMMAR = "declared, [low, high], {low, high, distribution} or a list of options"


@dataclass(frozen=True)
class Range:
    """What one key may take: numbers on [low, high] with a distribution, or options."""

    name: str  # the key as the study writes it (a calibration: the bare coefficient)
    low: float = float("nan")
    high: float = float("nan")
    distribution: str = "uniform"
    basis: str = ""  # a coefficient's: the published source of its range, or "A"
    options: tuple[Any, ...] = ()

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


# A coefficient's declared prior is a Range over it (``abc.parameters``, credibility).
Prior = Range


def prior(name: str) -> Prior:
    """The declared prior of coefficient ``name`` (ConfigError if there is none)."""
    if name not in Coefficients.__dataclass_fields__:
        allowed = "a coefficient of imsim.core.coefficients.Coefficients (docs/parameters.md)"
        raise ConfigError(f"coefficients.{name}", name, allowed)
    low, high, basis, distribution = prior_shape(name)
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


def coefficient_of(key: str) -> str | None:
    """The coefficient a key names (``coefficients.<name>``, or a bare name), or None."""
    name = key[len(PREFIX) :] if key.startswith(PREFIX) else key
    return name if name in Coefficients.__dataclass_fields__ else None


def parse_range(key: str, spec: Any, where: str | None = None, options: bool = True) -> Range:
    """``spec`` for ``key`` in the one grammar; ConfigError naming ``where`` (the key as the
    study's node writes it) if it does not parse. ``options=False`` refuses a list of
    options (a study that draws numbers only)."""
    where = where or key
    coefficient = coefficient_of(key)
    if spec == "plausible":
        raise ConfigError(where, spec, "declared (plausible was renamed declared, CHANGELOG.md)")
    if spec in (None, "declared"):
        if coefficient is None:
            raise ConfigError(where, spec, "declared only for a coefficient (coefficients.*)")
        return _named(prior(coefficient), key)
    if coefficient is not None:
        if isinstance(spec, list | tuple) and len(spec) == 2:
            low, high, distribution = spec[0], spec[1], prior(coefficient).distribution
        elif isinstance(spec, Mapping) and {"low", "high"} <= set(spec):
            low, high = spec["low"], spec["high"]
            distribution = spec.get("distribution", "uniform")
        else:
            raise ConfigError(where, spec, "declared, [low, high] or {low, high, distribution}")
        try:
            return _named(custom(coefficient, low, high, distribution), key)
        except ConfigError as exc:  # named as the study's node writes it
            raise ConfigError(where, exc.value, exc.allowed) from None
    try:
        tp = resolve_field(key)[0]
    except ConfigError as exc:  # an unknown key, named as the study's node writes it
        raise ConfigError(where, key, exc.allowed, unknown_key=True) from None
    if dataclasses.is_dataclass(tp) or typing.get_origin(tp) in (dict, list):
        raise ConfigError(where, spec, f"a range of one setting, not of a whole section ({key}.*)")
    if tp in (int, float):
        low, high, distribution = _bounds(where, spec)
        if tp is int and not all(float(b).is_integer() for b in (low, high)):
            raise ConfigError(where, spec, f"[low, high] whole numbers ({key} is an integer)")
        for bound in (low, high):
            _check(where, key, tp(bound) if tp is int else bound)
        if distribution == "loguniform" and low <= 0:
            raise ConfigError(where, spec, "a range of positive values for loguniform")
        return Range(key, float(low), float(high), distribution)
    if not options:
        raise ConfigError(where, spec, "[low, high] or {low, high, distribution} of a number")
    if not isinstance(spec, list | tuple) or len(spec) < 2:
        raise ConfigError(where, spec, "a list of two or more options")
    for option in spec:
        _check(where, key, option)
    if len(set(map(str, spec))) != len(spec):
        raise ConfigError(where, spec, "distinct options")
    return Range(key, options=tuple(spec))


def _bounds(where: str, spec: Any) -> tuple[float, float, str]:
    if isinstance(spec, Mapping) and {"low", "high"} <= set(spec):
        low, high, distribution = spec["low"], spec["high"], spec.get("distribution", "uniform")
    elif isinstance(spec, list | tuple) and len(spec) == 2:
        (low, high), distribution = spec, "uniform"
    else:
        raise ConfigError(where, spec, "[low, high] or {low, high, distribution} for a number")
    if distribution not in DISTRIBUTIONS:
        raise ConfigError(f"{where}.distribution", distribution, ", ".join(DISTRIBUTIONS))
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
        raise ConfigError(where, spec, "[low, high] numbers")
    if not all(math.isfinite(v) for v in (low, high)):
        raise ConfigError(where, spec, "[low, high] finite numbers")
    if not low < high:
        raise ConfigError(where, spec, "[low, high] with low < high")
    return low, high, distribution


def _named(r: Range, key: str) -> Range:
    return Range(key, r.low, r.high, r.distribution, r.basis)


def _check(where: str, key: str, value: Any) -> None:
    """``check_value``, its error naming ``where`` (the key as the study's node writes it)."""
    try:
        check_value(key, value)
    except ConfigError as exc:
        raise ConfigError(where, exc.value, exc.allowed) from None
