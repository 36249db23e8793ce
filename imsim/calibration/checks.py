"""Checks of an ``abc`` config node, before anything runs (one-line ConfigError)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..config.compose import compose
from ..config.errors import ConfigError
from ..config.keys import resolve_field
from ..config.plain import Tree, plain
from ..config.ranges import Prior, coefficient_of, parse_range, prior
from ..config.validate import walk
from .smc import kept_count
from .targets import Target, load_targets


def priors_of(parameters: object) -> list[Prior]:
    """``{coefficient: declared | [low, high] | {low, high, distribution}}`` as priors (the
    one grammar of a range, ``imsim.config.ranges``; options are refused)."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise ConfigError("abc.parameters", parameters, "at least one calibration coefficient")
    out = []
    for name, spec in parameters.items():
        where = f"abc.parameters.{name}"
        if coefficient_of(name):
            out.append(parse_range(name, spec, where, options=False))
            continue
        try:
            out.append(prior(name))
        except ConfigError as exc:  # an unknown coefficient, named as abc.parameters has it
            raise ConfigError(where, name, exc.allowed, unknown_key=True) from None
    return out


def check_abc(abc: Mapping) -> None:
    """Targets load, priors lie in their coefficients' domains, overrides compose, and the
    population can carry the number of coefficients calibrated."""
    priors = priors_of(abc["parameters"])
    targets = load_targets(abc["targets"], "abc.targets")
    if not any(t.use == "calibration" for t in targets):
        raise ConfigError("abc.targets", abc["targets"], "a file with calibration targets")
    if int(abc["population"]) < 2 * len(priors):
        least = 2 * len(priors)
        raise ConfigError(
            "abc.population", abc["population"], f">= {least} (twice the coefficients calibrated)"
        )
    if kept_count(float(abc["quantile"]), int(abc["population"])) >= int(abc["population"]):
        raise ConfigError(
            "abc.quantile",
            abc["quantile"],
            f"a share that leaves some of the {abc['population']} particles to move "
            f"(below {1 - 1 / int(abc['population']):.3g})",
        )
    check_study_overrides("abc", abc.get("overrides") or [])
    check_measurable("abc", targets, abc.get("overrides") or [])
    check_calibrated_left_alone(targets, abc, priors)


def check_calibrated_left_alone(targets: list[Target], abc: Mapping, priors: list[Prior]) -> None:
    """A target (or ``abc.overrides``) setting a calibrated coefficient would be replaced by
    each sampled value without a word: refused instead."""
    calibrated = {f"coefficients.{p.name}" for p in priors}
    sources = [("abc.overrides", list(abc.get("overrides") or []))]
    for t in targets:
        for side in ("overrides", "versus", "baseline", "baseline_versus"):
            sources.append((f"targets.{t.name}.{side}", list(getattr(t, side) or [])))
    for where, overrides in sources:
        for o in overrides:
            if str(o).partition("=")[0].lstrip("+~") in calibrated:
                allowed = "overrides of coefficients the calibration does not sample"
                raise ConfigError(where, o, allowed)


def check_study_overrides(node: str, overrides: list) -> None:
    """A study's ``overrides`` (``abc``, ``credibility``): settings every run of it takes,
    not its replicates or seed (its own keys); an error names ``<node>.overrides``."""
    overrides = list(overrides)
    for bad in ("run.replicates", "run.seed"):
        if any(str(o).split("=", 1)[0].lstrip("+") == bad for o in overrides):
            raise ConfigError(
                f"{node}.overrides",
                bad,
                "overrides other than run.replicates and "
                f"run.seed (set {node}.replicates and {node}.seed)",
            )
    try:
        compose("baseline", overrides)
    except ConfigError as exc:
        allowed = f"overrides imsim takes ({exc})"
        raise ConfigError(f"{node}.overrides", overrides, allowed) from None


def check_measurable(node: str, targets: list[Target], overrides: list) -> None:
    """Every target can be measured in the runs the study makes, its ``overrides`` applied
    (a month past ``run.months``, a region the country does not have: ConfigError naming
    ``<node>.overrides``)."""
    from .targets import _check_args, _composed

    extra = tuple(str(o) for o in overrides)
    if not extra:
        return
    for t in targets:
        for scenario, own in t.runs:
            try:
                _check_args(
                    f"targets.{t.name}", t.statistic, t.args, _composed(scenario, (*own, *extra))
                )
            except ConfigError as exc:
                allowed = f"overrides under which every target can be measured ({exc})"
                raise ConfigError(f"{node}.overrides", list(extra), allowed) from None


def study_node(cfg: Any, node: str, check: Callable[[Mapping], None]) -> Tree:
    """``cfg``'s ``abc`` or ``credibility`` node, checked as the command checks it (its
    schema, then ``check``, the study's own), for the Python functions that run them; a key
    a hand-written node leaves out takes the schema's default, as on the command line.
    ConfigError (one line) for anything else."""
    example = f"imsim.compose(overrides=['experiment={'calibration' if node == 'abc' else node}'])"
    if not isinstance(cfg, Mapping):
        raise ConfigError("cfg", cfg, f"a composed config with its {node} node, e.g. {example}")
    value = plain(cfg).get(node)
    if value is None:
        raise ConfigError(node, None, f"a composed config with its {node} node, e.g. {example}")
    schema = resolve_field(node)[0]  # the node's schema (AbcConfig, ...)
    if isinstance(value, Mapping):
        value = plain(dataclasses.asdict(schema()) | dict(value))
    walk(value, schema, f"{node}.")
    check(value)
    return value


def output_folder(out: Any) -> Path:
    """``out`` as a folder path; ConfigError for anything that cannot be one."""
    if not isinstance(out, str | os.PathLike) or not str(out):
        raise ConfigError("out", out, "a folder path (str or pathlib.Path)")
    return Path(out)
