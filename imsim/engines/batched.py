"""The batched engine: every replicate and sweep point in one set of arrays.

The only Python loop is over months; inside a month, every rule runs on
the whole batch at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..compile.timeline import Timeline
from ..core.state import State
from ..core.step import draw_noise, step
from .recorder import Recorder


def run(
    timeline: Timeline,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
    recorder: Recorder | None = None,
) -> Recorder:
    """Run every month of the timeline from ``state``; return the recorded arrays.

    ``recorder`` (anything with ``record(month, state)``, already holding
    month 0) chooses what is kept; by default every RECORDED variable.
    """
    months = timeline.months
    recorder = recorder or Recorder(state, months)
    H, R = state.neutrality.shape[1:]
    for month in range(1, months + 1):
        p = timeline.at(month)
        state = step(state, p, draw_noise(keys, month, H, R))
        recorder.record(month, state)
        if on_month is not None:
            on_month(month)
    return recorder
