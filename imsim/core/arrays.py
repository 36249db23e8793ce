"""Dataclasses of arrays with named axes, sliced along any axis.

Every array field declares its axes with ``axes("BR")``: B batch, H actor,
R region (a leading T, for month, is added by schedules). The same helper
slices a state for one replicate (the Mesa engine), one region (a local
authority agent) or one actor (an NGO agent), so agents call the batched
rules on views of the same arrays.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import numpy as np


def axes(spec: str, **kwargs: Any) -> Any:
    """A dataclass field whose array has the given axes, e.g. ``axes("BHR")``."""
    return dataclasses.field(metadata={"axes": spec}, **kwargs)


def field_axes(obj: Any) -> dict[str, str]:
    return {f.name: f.metadata.get("axes", "") for f in dataclasses.fields(obj)}


def map_arrays(obj: Any, fn: Callable[[np.ndarray, str], np.ndarray]) -> Any:
    """Apply ``fn(array, axes)`` to every array field, recursing into nested bundles."""
    changes = {}
    for name, spec in _layout(type(obj)):
        value = getattr(obj, name)
        if spec is not None:
            changes[name] = fn(value, spec)
        elif dataclasses.is_dataclass(value):
            changes[name] = map_arrays(value, fn)
    return dataclasses.replace(obj, **changes)


@functools.cache
def _layout(cls: type) -> tuple[tuple[str, str | None], ...]:
    """A bundle class's fields and their axes (None for a nested bundle)."""
    return tuple((f.name, f.metadata.get("axes")) for f in dataclasses.fields(cls))


@functools.cache
def _axes_used(cls: type) -> str:
    """Every axis letter a bundle class's own array fields declare."""
    return "".join(spec or "" for _, spec in _layout(cls))


def take(obj: Any, axis: str, index: int | slice) -> Any:
    """Slice every field along the named axis, keeping the axis (length one for an int).

    A bundle (or nested bundle) with no field on that axis is returned as it is, so an
    agent's view of the parameters does not copy the calibration it does not slice."""
    sl = slice(index, index + 1) if isinstance(index, int) else index
    changes = {}
    for name, spec in _layout(type(obj)):
        value = getattr(obj, name)
        if spec is None:
            if dataclasses.is_dataclass(value) and axis in _axes_used(type(value)):
                changes[name] = take(value, axis, index)
        elif axis in spec:
            key = [slice(None)] * value.ndim
            key[spec.index(axis) + (value.ndim - len(spec))] = sl
            changes[name] = value[tuple(key)]
    return dataclasses.replace(obj, **changes) if changes else obj


def put(target: Any, axis: str, index: int, part: Any) -> None:
    """Write a one-wide slice ``part`` back into ``target`` in place (inverse of take)."""
    for f in dataclasses.fields(target):
        spec = f.metadata.get("axes")
        dst, src = getattr(target, f.name), getattr(part, f.name)
        if spec is None or src is None:
            continue
        key = [slice(None)] * dst.ndim
        if axis in spec:
            key[spec.index(axis)] = slice(index, index + 1)
        dst[tuple(key)] = src
