"""Checks of an ``abc`` config node, before anything runs (one-line ConfigError)."""

from __future__ import annotations

from collections.abc import Mapping

from ..config.compose import compose
from ..config.errors import ConfigError
from .priors import Prior, custom, prior
from .targets import load_targets


def priors_of(parameters: object) -> list[Prior]:
    """``{coefficient: declared | [low, high] | {low, high, distribution}}`` as priors."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise ConfigError("abc.parameters", parameters, "at least one calibration coefficient")
    out = []
    for name, spec in parameters.items():
        if spec in (None, "declared"):
            out.append(prior(name))
        elif isinstance(spec, list | tuple) and len(spec) == 2:
            out.append(custom(name, spec[0], spec[1], prior(name).distribution))
        elif isinstance(spec, Mapping) and {"low", "high"} <= set(spec):
            out.append(custom(name, spec["low"], spec["high"], spec.get("distribution", "uniform")))
        else:
            allowed = "declared, [low, high] or {low, high, distribution}"
            raise ConfigError(f"abc.parameters.{name}", spec, allowed)
    return out


def check_abc(abc: Mapping) -> None:
    """Targets load, priors lie in their coefficients' domains, overrides compose, and the
    population can carry the number of coefficients calibrated."""
    priors = priors_of(abc["parameters"])
    targets = load_targets(abc["targets"])
    if not any(t.use == "calibration" for t in targets):
        raise ConfigError("abc.targets", abc["targets"], "a file with calibration targets")
    if int(abc["population"]) < 2 * len(priors):
        least = 2 * len(priors)
        raise ConfigError(
            "abc.population", abc["population"], f">= {least} (twice the coefficients calibrated)"
        )
    overrides = list(abc.get("overrides") or [])
    for bad in ("run.replicates", "run.seed"):
        if any(o.split("=", 1)[0].lstrip("+") == bad for o in overrides):
            raise ConfigError(
                "abc.overrides",
                bad,
                "overrides other than run.replicates and "
                "run.seed (set abc.replicates and abc.seed)",
            )
    compose("baseline", overrides)
