"""The batched engine: every replicate and sweep point in one set of arrays.

The only Python loop is over months; inside a month, every rule runs on
the whole batch at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..compile.timeline import Schedule
from ..core.state import State
from ..core.step import decide, draw_noise, transition
from .recorder import Recorder


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
