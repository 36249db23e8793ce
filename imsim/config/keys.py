"""What the schema allows at one dotted key: its type, choices and range."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError
from .schema import ImsimConfig, RegionSpec

# Keys an event may not change during a run: the run itself, the world's shape, the model.
FROZEN_IN_RUN = (
    "run",
    "world",
    "ngos",
    "coefficients",
    "events",
    "scenario_name",
    "description",
    "sensitivity",
    "study",
)


# Top-level names that were renamed, old -> new (CHANGELOG.md): an old key is refused with
# its new name.
RENAMED = {"calibration": "coefficients"}
# Keys replaced by others with another meaning (CHANGELOG.md): refused, naming what replaces them.
REPLACED = {
    "coefficients.workforce_per_need": "coefficients.workers_per_million and world.aid_funding "
    "(the aid workforce is what the country's funding pays, CHANGELOG.md)",
}


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return tp, False


@functools.lru_cache(maxsize=4096)
def resolve_field(key: str) -> tuple[Any, dict[str, Any], bool]:
    """The declared type, metadata and optionality of a dotted key; ConfigError if unknown."""
    if key in REPLACED:
        raise ConfigError(key, key, REPLACED[key], unknown_key=True)
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
        if i == 0 and name in RENAMED:
            new = ".".join([RENAMED[name], *parts[1:]])
            allowed = f"{new} ({name} was renamed {RENAMED[name]}, CHANGELOG.md)"
            raise ConfigError(key, name, allowed, unknown_key=True)
        if name not in names:
            prefix = ".".join(parts[:i])
            allowed = ", ".join(f"{prefix}.{n}" if prefix else n for n in names)
            raise ConfigError(key, name, allowed, unknown_key=True)
        f = next(f for f in dataclasses.fields(cls) if f.name == name)
        tp, optional = unwrap_optional(type_hints(cls)[name])
        meta = dict(f.metadata)
        i += 1
        if typing.get_origin(tp) is dict and i < len(parts):
            if typing.get_args(tp)[1] is not RegionSpec:  # a mapping set whole, not key by key
                whole = ".".join(parts[:i])
                raise ConfigError(key, parts[i], f"the whole mapping: {whole}={{key: value, ...}}")
            i += 1  # world.named.<region>.<field>
            tp, cls, meta, optional = RegionSpec, RegionSpec, {}, False
            continue
        cls = tp
    return tp, meta, optional


def describe(cls: type, name: str) -> str:
    """What a field of a schema dataclass allows, in words."""
    tp, _ = unwrap_optional(type_hints(cls)[name])
    return _describe(tp, dict(cls.__dataclass_fields__[name].metadata))


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
    check_typed(key, value, tp, meta, optional)


def check_typed(key: str, value: Any, tp: Any, meta: dict[str, Any], optional: bool) -> None:
    if value is None:
        if optional or typing.get_origin(tp) is dict:
            return
        raise ConfigError(key, value, _describe(tp, meta))
    if typing.get_origin(tp) in (dict, list):
        if not isinstance(value, typing.get_origin(tp)):
            kind = "a mapping" if typing.get_origin(tp) is dict else "a list"
            raise ConfigError(key, value, kind)
        return
    if dataclasses.is_dataclass(tp) or tp is Any:
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


def region_names(cfg: Mapping) -> list[str]:
    named = list(cfg.world.named or {})
    return named + [f"region_{i + 1}" for i in range(len(named), cfg.world.regions)]
