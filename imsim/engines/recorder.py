"""What a run keeps: every recorded state variable, month by month, for either engine."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.arrays import field_axes
from ..core.state import RECORDED, State

__all__ = ["RECORDED", "Recorder"]


class Recorder:
    """Preallocated arrays that a run fills month by month; ``data`` is (B, month, ...).

    Months are stored outermost, so recording a month is one contiguous copy
    per variable; ``data`` is a view with the batch axis first.
    """

    def __init__(self, first: State, months: int, variables: tuple[str, ...] = RECORDED):
        self.variables = variables
        self.needs = variables  # the state variables it reads (all an engine must hand it)
        self.frames = {
            v: np.empty((months + 1,) + getattr(first, v).shape, getattr(first, v).dtype)
            for v in variables
        }
        self.axes = {v: field_axes(first)[v] for v in variables}
        self._data: dict[str, np.ndarray] | None = None
        self.record(0, first)

    def record(self, month: int, s: State) -> None:
        self.record_part(month, slice(None), s)

    def record_part(self, month: int, batch: slice, s: State) -> None:
        """Record the batch elements ``batch`` of a month from ``s``, their state alone: the
        batched engine's blocks each write their own, side by side."""
        for v in self.variables:
            self.frames[v][month, batch] = getattr(s, v)

    @property
    def month_bytes(self) -> int:
        """What recording one month of the whole batch writes."""
        return sum(a[0].nbytes for a in self.frames.values())

    def share(self, shared: Callable[[tuple[int, ...], np.dtype], np.ndarray]) -> None:
        """Move the arrays it fills, holding month 0 so far, into arrays from ``shared``,
        where processes stepping the batch's blocks record (engines.forked)."""
        for v, a in self.frames.items():
            self.frames[v] = shared(a.shape, a.dtype)
            self.frames[v][0] = a[0]

    @property
    def data(self) -> dict[str, np.ndarray]:
        if self._data is None:
            return {v: np.moveaxis(a, 0, 1) for v, a in self.frames.items()}
        return self._data

    @data.setter
    def data(self, value: dict[str, np.ndarray]) -> None:
        self._data = value
