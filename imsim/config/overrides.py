"""Keyword arguments as override strings, for callers that pass Python values.

``MissionModel(scenario, integration, force__escorts="never", months=24)``
and ``mesa.batch_run`` hand settings over as keyword arguments; the config
layer speaks Hydra's override grammar. A key is a config key with ``__`` or
``.`` between its parts; a value is written in the grammar's own syntax, so
composing and validating (one-line ``ConfigError`` on bad input) stay in one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ConfigError

_BARE = re.compile(r"^[A-Za-z_][\w\-./]*$")


def quoted(text: object) -> str:
    """``text`` (a path, say) as a quoted override value, whatever characters it holds."""
    return "'" + str(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def override_value(key: str, value: Any) -> str:
    """``value`` in Hydra's override grammar (strings quoted unless bare words)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(float(value))
    if isinstance(value, str):
        if _BARE.match(value) and value not in ("null", "true", "false"):
            return value
        return quoted(value)
    if isinstance(value, Mapping):
        inner = (f"{k}:{override_value(key, v)}" for k, v in value.items())
        return "{" + ",".join(inner) + "}"
    if isinstance(value, Sequence):
        return "[" + ",".join(override_value(key, v) for v in value) + "]"
    if hasattr(value, "tolist"):  # a numpy scalar or array
        return override_value(key, value.tolist())
    raise ConfigError(key, value, "a number, string, boolean, list or mapping")


def as_overrides(settings: Mapping[str, Any]) -> list[str]:
    """``{"force__escorts": "never"}`` -> ``["force.escorts=never"]``."""
    return [f"{k.replace('__', '.')}={override_value(k, v)}" for k, v in settings.items()]
