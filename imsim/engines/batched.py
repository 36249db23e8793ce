"""The batched engine: every replicate and sweep point in one set of arrays.

The only Python loop is over months; inside a month, every rule runs on
the whole batch at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..core.bundle import field_axes
from ..core.state import State
from ..core.step import decide, draw_noise, transition
from ..schedule import Schedule

RECORDED = (
    "phase",
    "violence",
    "control",
    "displaced",
    "civilian_harm",
    "neutrality",
    "access",
    "aid_incidents",
    "coherence",
    "hc_attention",
    "humanitarian_space",
    "settlement",
    "capacity",
    "newly_displaced",
    "returned",
    "troops",
    "presence",
    "association",
    "partisanship",
    "strength",
    "coordination_cost",
    "elections_held",
)


class Recorder:
    """Preallocated arrays that a run fills month by month; ``data`` is (B, month, ...).

    Months are stored outermost, so recording a month is one contiguous copy
    per variable; ``data`` is a view with the batch axis first.
    """

    def __init__(self, first: State, months: int, variables: tuple[str, ...] = RECORDED):
        self.variables = variables
        self.frames = {
            v: np.empty((months + 1,) + getattr(first, v).shape, getattr(first, v).dtype)
            for v in variables
        }
        self.axes = {v: field_axes(first)[v] for v in variables}
        self._data: dict[str, np.ndarray] | None = None
        self.record(0, first)

    def record(self, month: int, s: State) -> None:
        for v in self.variables:
            self.frames[v][month] = getattr(s, v)

    @property
    def data(self) -> dict[str, np.ndarray]:
        if self._data is None:
            return {v: np.moveaxis(a, 0, 1) for v, a in self.frames.items()}
        return self._data

    @data.setter
    def data(self, value: dict[str, np.ndarray]) -> None:
        self._data = value


def run(
    schedule: Schedule,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
    recorder: Recorder | None = None,
) -> Recorder:
    """Run every month of the schedule from ``state``; return the recorded arrays.

    ``recorder`` (anything with ``record(month, state)``, already holding
    month 0) chooses what is kept; by default every RECORDED variable.
    """
    months = schedule.params.deployed.shape[0] - 1
    recorder = recorder or Recorder(state, months)
    H, R = state.neutrality.shape[1:]
    for month in range(1, months + 1):
        p = schedule.at(month)
        state = transition(state, decide(state, p), p, draw_noise(keys, month, H, R))
        recorder.record(month, state)
        if on_month is not None:
            on_month(month)
    return recorder
