"""The one error every bad input becomes."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A bad key or value in a config, override or event."""

    def __init__(self, key: str, value: Any, allowed: str, unknown_key: bool = False):
        self.key, self.value, self.allowed = key, value, allowed
        what = "unknown key" if unknown_key else f"bad value {value!r}"
        shown = str(key) if str(key).isprintable() else repr(str(key))  # always one line
        super().__init__(f"{shown}: {what}; allowed: {allowed}")
