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
    start: int = 0,
    stop: int | None = None,
) -> Recorder:
    """Run months ``start + 1 .. stop`` (by default every month of the timeline) from
    ``state``, the state at month ``start``; return the recorded arrays.

    ``recorder`` (anything with ``record(month, state)``, already holding
    ``state`` as its month 0) chooses what is kept; by default every RECORDED
    variable. A run from a later month (a classroom's counterfactual branch)
    draws each month's noise from the same streams as a run from month 0.
    """
    stop = timeline.months if stop is None else stop
    recorder = recorder or Recorder(state, stop - start)
    H, R = state.neutrality.shape[1:]
    for month in range(start + 1, stop + 1):
        p = timeline.at(month)
        state = step(state, p, draw_noise(keys, month, H, R))
        recorder.record(month - start, state)
        if on_month is not None:
            on_month(month)
    return recorder
