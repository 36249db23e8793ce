"""Validation of configs and overrides, in one place.

Every rejection is a ConfigError (a ValueError) whose message is one line
naming the key, the bad value and what is allowed. The CLI prints it and
exits with code 2; the Python API raises it.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError
from .events import check_event
from .keys import check_typed, region_names, type_hints, unwrap_optional
from .plain import plain
from .schema import BASIC_SWEEPER_TARGET, SWEEPER_TARGET, ImsimConfig, RegionSpec, SweeperConfig

MIN_REGION_POPULATION = 1_000.0  # the smallest region, as world.named.<region>.population


def walk(cfg: Any, cls: type = ImsimConfig, prefix: str = "") -> None:
    """Check every key and value of a composed config (or a section) against the schema."""
    if not isinstance(cfg, Mapping):
        raise ConfigError(prefix.rstrip(".") or "config", cfg, f"a section of {cls.__name__}")
    names = [f.name for f in dataclasses.fields(cls)]
    extra = [k for k in cfg if k not in names]
    if extra:
        allowed = ", ".join(prefix + n for n in names)
        raise ConfigError(prefix + str(extra[0]), extra[0], allowed, unknown_key=True)
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        if f.name not in cfg:
            raise ConfigError(key, "(deleted)", "the key kept; set its value instead")
        value = cfg[f.name]
        tp, optional = unwrap_optional(type_hints(cls)[f.name])
        if dataclasses.is_dataclass(tp):
            if value is not None:
                walk(value, tp, key + ".")
        elif typing.get_origin(tp) is dict and typing.get_args(tp)[1] is RegionSpec:
            check_typed(key, value, tp, dict(f.metadata), optional)
            for region, spec in (value or {}).items():
                walk(spec, RegionSpec, f"{key}.{region}.")
        elif key != "events":
            check_typed(key, value, tp, dict(f.metadata), optional)


def validate_sweeper(hydra: Mapping) -> None:
    """Check the imsim sweeper's settings (``hydra.sweeper.*``) when it is the sweeper."""
    sweeper = hydra.get("sweeper") or {}
    if sweeper.get("_target_") == SWEEPER_TARGET:
        walk(sweeper, SweeperConfig, "hydra.sweeper.")
    elif sweeper.get("_target_") == BASIC_SWEEPER_TARGET:  # Hydra's own: these keys only
        extra = sorted(set(sweeper) - {"_target_", "max_batch_size", "params"})
        if extra:
            allowed = "hydra.sweeper.max_batch_size, .params (hydra/sweeper=imsim has more)"
            raise ConfigError(f"hydra.sweeper.{extra[0]}", sweeper[extra[0]], allowed)


def check_world(cfg: Mapping) -> None:
    named = list(cfg.world.named or {})
    if len(named) > cfg.world.regions:
        raise ConfigError(
            "world.regions",
            cfg.world.regions,
            f"at least the {len(named)} named regions ({', '.join(named)})",
        )
    check_population(cfg.world)
    focal = cfg.world.focal_region
    if focal is not None and focal not in named:
        raise ConfigError(
            "world.focal_region",
            focal,
            "a region named under world.named: " + (", ".join(named) or "none"),
        )


def check_population(world: Mapping) -> None:
    """The named regions' own populations must leave people for the others. (When every
    region names its own, they are the country and ``world.population`` is not used.)"""
    regions = world.regions
    own = [spec.population for spec in (world.named or {}).values() if spec.population]
    unnamed = regions - len(own)
    named_total = float(sum(own))
    least = named_total + MIN_REGION_POPULATION * unnamed
    if unnamed and world.population < least:
        raise ConfigError(
            "world.population",
            world.population,
            f"at least {least:,.0f}: the named regions' {named_total:,.0f} people plus "
            f"{MIN_REGION_POPULATION:,.0f} for each of the {unnamed} other regions",
        )


def validate(cfg: Mapping) -> None:
    """Check a composed config (or its plain view) against the schema, its world and its
    events; raises ConfigError. A study's node (``sensitivity``, ``abc``, ``credibility``)
    has the shape the schema gives it here; what it means is checked by the study itself
    (``imsim.preflight.check_studies``), since studies sit above the config layer."""
    cfg = plain(cfg)
    walk(cfg)
    check_world(cfg)
    events = cfg.events
    if not isinstance(events, list):
        raise ConfigError("events", events, "a list of events")
    for i, event in enumerate(events):
        check_event(i, event, cfg.run.months, region_names(cfg))
