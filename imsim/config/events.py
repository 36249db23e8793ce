"""Events: settings that change from a month on (``set``) and shocks.

A ``set`` may name dotted keys (``force.escorts: never``), a whole section
(``force: {escorts: never}``) or the integration group's option
(``integration: two_feet_out``), as the command line would; ``settings_of``
turns each form into the dotted keys it changes, for the validator and the
timeline alike, so no form can be accepted and then ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError
from .files import GROUPS, group_options, group_values
from .keys import FROZEN_IN_RUN, check_value, resolve_field
from .schema import SHOCKS

SET_FIELDS = {"month", "set"}
# Config groups whose options are settings an event may set by name.
SETTING_GROUPS = ("integration", "operations")
SHOCK_FIELDS = {"month", "shock", "regions", "level", "months"}
SETTING_KEYS = "setting keys (mission.*, force.*, dsrsg.*, integration.*, security.*)"


def settings_of(changes: Mapping, where: str = "set") -> dict[str, Any]:
    """The dotted setting keys and values a ``set`` changes; ConfigError for anything else."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        key = str(name)
        if key.split(".")[0] in FROZEN_IN_RUN:
            raise ConfigError(f"{where}.{key}", value, f"{SETTING_KEYS}, fixed for a run otherwise")
        if key in GROUPS and not isinstance(value, Mapping):  # integration is also a section
            if key not in SETTING_GROUPS:
                allowed = "integration=<option>, operations=<option>; " + SETTING_KEYS
                raise ConfigError(f"{where}.{key}", value, allowed)
            options = group_options(key)
            if value not in options:
                raise ConfigError(f"{where}.{key}", value, ", ".join(options))
            out.update(group_values(key, value))
            continue
        tp, _, _ = resolve_field(key)
        if dataclasses.is_dataclass(tp):
            if not isinstance(value, Mapping) or not value:
                raise ConfigError(f"{where}.{key}", value, f"a mapping of {key}'s keys")
            out.update(settings_of({f"{key}.{k}": v for k, v in value.items()}, where))
            continue
        try:
            check_value(key, value)
        except ConfigError as exc:
            raise ConfigError(f"{where}.{key}", value, exc.allowed) from None
        out[key] = value
    return out


def check_event(i: int, event: Any, months: int, regions: list[str]) -> None:
    """One event of a run of ``months`` months over ``regions``; ConfigError if malformed."""
    key = f"events[{i}]"
    if not isinstance(event, Mapping):
        raise ConfigError(key, event, "a mapping {month: M, set: {...}} or {month: M, shock: ...}")
    kinds = [k for k in ("set", "shock") if k in event]
    if len(kinds) != 1:
        raise ConfigError(key, event, "exactly one of 'set' or 'shock'")
    allowed = SET_FIELDS if kinds == ["set"] else SHOCK_FIELDS
    extra = sorted(set(event) - allowed)
    if extra:
        raise ConfigError(
            f"{key}.{extra[0]}", event[extra[0]], "fields " + ", ".join(sorted(allowed))
        )
    month = event.get("month")
    if not _integer(month) or not 1 <= month <= months:
        raise ConfigError(f"{key}.month", month, f"an integer in [1, {months}]")
    if kinds == ["set"]:
        changes = event["set"]
        if not isinstance(changes, Mapping) or not changes:
            raise ConfigError(f"{key}.set", changes, "a non-empty mapping of " + SETTING_KEYS)
        settings_of(changes, f"{key}.set")
        return
    _check_shock(key, event, regions)


def _check_shock(key: str, event: Mapping, names: list[str]) -> None:
    shock = event["shock"]
    if shock not in SHOCKS:
        raise ConfigError(f"{key}.shock", shock, ", ".join(SHOCKS))
    regions = event.get("regions", "all")
    if regions != "all":
        if not isinstance(regions, list) or not regions:
            raise ConfigError(f"{key}.regions", regions, "'all' or a list of region names")
        for r in regions:
            if r not in names:
                more = ", ..." if len(names) > 8 else ""
                raise ConfigError(
                    f"{key}.regions", r, "region names: " + ", ".join(names[:8]) + more
                )
    if shock == "security_phase_raise":
        level = event.get("level")
        if not _integer(level) or not 1 <= level <= 5:
            raise ConfigError(f"{key}.level", level, "an integer security phase in [1, 5]")
    elif "level" in event:
        raise ConfigError(f"{key}.level", event["level"], "only with security_phase_raise")
    months = event.get("months")
    if months is not None and (not _integer(months) or months < 1):
        raise ConfigError(f"{key}.months", months, "a positive integer duration")


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
