"""Validation of configs and overrides, in one place.

Every rejection is a ConfigError (a ValueError) whose message is one line
naming the key, the bad value and what is allowed. The CLI prints it and
exits with code 2; the Python API raises it.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from .plain import plain
from .schema import SHOCKS, ImsimConfig, RegionSpec

GROUPS = ("scenario", "integration", "experiment")
# Keys an event may change during a run: anything but the run itself and the world's shape.
FROZEN_IN_RUN = (
    "run.",
    "world.",
    "ngos.",
    "calibration.",
    "events",
    "scenario_name",
    "description",
    "sensitivity",
)


class ConfigError(ValueError):
    """A bad key or value in a config, override or event."""

    def __init__(self, key: str, value: Any, allowed: str, unknown_key: bool = False):
        self.key, self.value, self.allowed = key, value, allowed
        what = "unknown key" if unknown_key else f"bad value {value!r}"
        super().__init__(f"{key}: {what}; allowed: {allowed}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return tp, False


@functools.lru_cache(maxsize=4096)
def resolve_field(key: str) -> tuple[Any, dict[str, Any], bool]:
    """The declared type, metadata and optionality of a dotted key; ConfigError if unknown."""
    cls: Any = ImsimConfig
    parts = key.split(".")
    meta: dict[str, Any] = {}
    tp: Any = ImsimConfig
    optional = False
    i = 0
    while i < len(parts):
        name = parts[i]
        if not dataclasses.is_dataclass(cls):
            raise ConfigError(key, name, "no sub-keys here")
        names = [f.name for f in dataclasses.fields(cls)]
        if name not in names:
            prefix = ".".join(parts[:i])
            allowed = ", ".join(f"{prefix}.{n}" if prefix else n for n in names)
            raise ConfigError(key, name, allowed, unknown_key=True)
        f = next(f for f in dataclasses.fields(cls) if f.name == name)
        tp, optional = _unwrap_optional(_hints(cls)[name])
        meta = dict(f.metadata)
        i += 1
        if typing.get_origin(tp) is dict:  # world.named.<region>.<field>
            if i < len(parts):
                i += 1
                tp, cls, meta, optional = RegionSpec, RegionSpec, {}, False
                continue
        cls = tp
    return tp, meta, optional


def _describe(tp: Any, meta: dict[str, Any]) -> str:
    if "choices" in meta:
        return ", ".join(meta["choices"])
    if tp is bool:
        return "true or false"
    kind = {int: "an integer", float: "a number"}.get(tp, "a value")
    if "range" in meta:
        lo, hi = meta["range"]
        return f"{kind} in [{lo:g}, {hi:g}]"
    return {str: "a string"}.get(tp, kind)


def check_value(key: str, value: Any) -> None:
    """Check one value against its key's declared type, choices and range."""
    tp, meta, optional = resolve_field(key)
    if value is None:
        if optional or typing.get_origin(tp) is dict:
            return
        raise ConfigError(key, value, _describe(tp, meta))
    if dataclasses.is_dataclass(tp) or typing.get_origin(tp) in (dict, list) or tp is Any:
        return
    ok = {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, int | float) and not isinstance(value, bool),
        str: isinstance(value, str),
    }.get(tp, True)
    if ok and "choices" in meta:
        ok = value in meta["choices"]
    if ok and "range" in meta:
        lo, hi = meta["range"]
        ok = lo <= value <= hi
    if not ok:
        raise ConfigError(key, value, _describe(tp, meta))


def walk(cfg: Any, cls: type = ImsimConfig, prefix: str = "") -> None:
    """Check every value of a composed config against the schema."""
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        value = cfg[f.name]
        tp, _ = _unwrap_optional(_hints(cls)[f.name])
        if dataclasses.is_dataclass(tp):
            if value is not None:
                walk(value, tp, key + ".")
        elif typing.get_origin(tp) is dict and typing.get_args(tp)[1] is RegionSpec:
            for region, spec in (value or {}).items():
                walk(spec, RegionSpec, f"{key}.{region}.")
        elif key != "events":
            check_value(key, value)


def check_world(cfg: Mapping) -> None:
    named = list(cfg.world.named or {})
    if len(named) > cfg.world.regions:
        raise ConfigError(
            "world.regions",
            cfg.world.regions,
            f"at least the {len(named)} named regions ({', '.join(named)})",
        )
    focal = cfg.world.focal_region
    if focal is not None and focal not in named:
        raise ConfigError(
            "world.focal_region",
            focal,
            "a region named under world.named: " + (", ".join(named) or "none"),
        )


def region_names(cfg: Mapping) -> list[str]:
    named = list(cfg.world.named or {})
    return named + [f"region_{i + 1}" for i in range(len(named), cfg.world.regions)]


def check_event(i: int, event: Any, cfg: Mapping) -> None:
    key = f"events[{i}]"
    if not isinstance(event, dict):
        raise ConfigError(key, event, "a mapping {month: M, set: {...}} or {month: M, shock: ...}")
    kinds = [k for k in ("set", "shock") if k in event]
    if len(kinds) != 1:
        raise ConfigError(key, event, "exactly one of 'set' or 'shock'")
    allowed = (
        {"month", "set"} if kinds == ["set"] else {"month", "shock", "regions", "level", "months"}
    )
    extra = sorted(set(event) - allowed)
    if extra:
        raise ConfigError(
            f"{key}.{extra[0]}", event[extra[0]], "fields " + ", ".join(sorted(allowed))
        )
    month = event.get("month")
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= cfg.run.months:
        raise ConfigError(f"{key}.month", month, f"an integer in [1, {cfg.run.months}]")
    if kinds == ["set"]:
        changes = event["set"]
        if not isinstance(changes, dict) or not changes:
            raise ConfigError(f"{key}.set", changes, "a non-empty mapping of dotted keys")
        for name, value in changes.items():
            if str(name).startswith(FROZEN_IN_RUN):
                raise ConfigError(
                    f"{key}.set",
                    name,
                    "setting keys (mission.*, force.*, dsrsg.*, integration.*, "
                    "security.*), not run, world, ngos or calibration keys",
                )
            check_value(str(name), value)
        return
    shock = event["shock"]
    if shock not in SHOCKS:
        raise ConfigError(f"{key}.shock", shock, ", ".join(SHOCKS))
    regions = event.get("regions", "all")
    names = region_names(cfg)
    if regions != "all":
        if not isinstance(regions, list) or not regions:
            raise ConfigError(f"{key}.regions", regions, "'all' or a list of region names")
        for r in regions:
            if r not in names:
                raise ConfigError(
                    f"{key}.regions",
                    r,
                    "region names: " + ", ".join(names[:8]) + (", ..." if len(names) > 8 else ""),
                )
    if shock == "security_phase_raise":
        level = event.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
            raise ConfigError(f"{key}.level", level, "an integer security phase in [1, 5]")
    elif "level" in event:
        raise ConfigError(f"{key}.level", event["level"], "only with security_phase_raise")
    months = event.get("months")
    if months is not None and (
        not isinstance(months, int) or isinstance(months, bool) or months < 1
    ):
        raise ConfigError(f"{key}.months", months, "a positive integer duration")


def validate(cfg: Mapping) -> None:
    """Check a composed config (or its plain view) end to end; raises ConfigError."""
    cfg = plain(cfg)
    walk(cfg)
    check_world(cfg)
    events = cfg.events
    if not isinstance(events, list):
        raise ConfigError("events", events, "a list of events")
    for i, event in enumerate(events):
        check_event(i, event, cfg)
    if cfg.get("sensitivity") is not None:
        check_sensitivity(cfg.sensitivity)


def check_sensitivity(sa: Mapping) -> None:
    """Parameters must be known setting keys with valid bounds or options; outputs known."""
    from ..results.summary import SUMMARY

    if not sa.parameters:
        raise ConfigError("sensitivity.parameters", {}, "at least one key: [low, high] or options")
    for key, spec in sa.parameters.items():
        where = f"sensitivity.parameters.{key}"
        if str(key).startswith(FROZEN_IN_RUN[:3]) or key in GROUPS:
            raise ConfigError(where, key, "a setting or calibration key, not run, world or ngos")
        tp, _, _ = resolve_field(key)
        if not isinstance(spec, list) or len(spec) < 2:
            raise ConfigError(where, spec, "[low, high] for a number, or a list of options")
        for value in spec:
            check_value(key, value)
        if tp in (int, float) and (len(spec) != 2 or not spec[0] < spec[1]):
            raise ConfigError(where, spec, "[low, high] with low < high")
    for name in sa.outputs:
        if name not in SUMMARY:
            raise ConfigError("sensitivity.outputs", name, ", ".join(SUMMARY))
