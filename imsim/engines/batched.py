"""The batched engine: every replicate and sweep point in one set of arrays.

The only Python loop is over months; inside a month, every rule runs on the whole batch
at once. A large batch is cut into blocks stepped side by side on the machine's cores
(in forked processes where it can, engines.forked; else in threads, numpy releasing the
GIL inside its loops), and a very large one into blocks small enough for the caches;
points never interact, so a block's numbers are the ones the whole batch gives, bit for
bit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..compile.timeline import Timeline
from ..config.errors import ConfigError
from ..core.arrays import take
from ..core.state import State
from ..core.step import draw_noise, step
from . import forked
from .heap import keep_freed_arrays
from .recorder import Recorder

# The smallest block worth a core of its own: below it a block's step is Python-bound.
BLOCK = 256
# The largest block: a larger batch is cut further, so a block's arrays (up to 7 MB at 30
# regions) stay in the caches and under malloc's mapping threshold (heap.py). Batch 16,384
# on two threads: 1.45M -> 2.05M region-months a second; on one, 0.98M -> 1.15M.
MAX_BLOCK = 2048


def cores() -> int:
    """The cores this process may use: ``IMSIM_THREADS`` if set (1 keeps a run on one
    thread, e.g. under a launcher that already runs a job per core), else the CPUs it is
    allowed."""
    given = os.environ.get("IMSIM_THREADS")
    if given:
        if not given.strip().isdigit() or int(given) < 1:
            raise ConfigError("IMSIM_THREADS", given, "a whole number of threads, at least 1")
        return int(given)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# How long a thread may hold the interpreter lock while another waits for it, as blocks
# are stepped (Python's default is 5 ms).
HANDOFF = 0.0005


@contextlib.contextmanager
def quick_handoffs() -> Iterator[None]:
    """Hand the interpreter lock between the blocks' threads after ``HANDOFF`` seconds,
    not 5 ms, while they run; the previous interval after. Between its numpy calls a
    block runs Python, and a block that has finished a call waits for the lock: with the
    shorter interval, 1.78M -> 1.89M region-months a second at batch 1,024 on two cores
    (0.2-1 ms give the same). Runs overlapping in one process share it: the first to
    start sets it, the last to end restores it."""
    global _overlapping, _previous
    with _handoff_lock:
        if _overlapping == 0:
            _previous = sys.getswitchinterval()
            sys.setswitchinterval(min(_previous, HANDOFF))
        _overlapping += 1
    try:
        yield
    finally:
        with _handoff_lock:
            _overlapping -= 1
            if _overlapping == 0:
                sys.setswitchinterval(_previous)


_handoff_lock = threading.Lock()
_overlapping = 0  # runs stepping blocks now
_previous = sys.getswitchinterval()  # the interval before the first of them


def blocks(batch: int, threads: int | None = None) -> list[slice]:
    """The batch cut into a block per thread, each of at least ``BLOCK`` elements, and
    into more where a block would exceed ``MAX_BLOCK``."""
    n = max(1, min(threads or cores(), batch // BLOCK), -(-batch // MAX_BLOCK))
    edges = np.linspace(0, batch, n + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def run(
    timeline: Timeline,
    state: State,
    keys: np.ndarray,
    on_month: Callable[[int], None] | None = None,
    recorder: Recorder | None = None,
    start: int = 0,
    stop: int | None = None,
    threads: int | None = None,
) -> Recorder:
    """Run months ``start + 1 .. stop`` (by default every month of the timeline) from
    ``state``, the state at month ``start``; return the recorded arrays.

    ``recorder`` (anything with ``record(month, state)``, already holding
    ``state`` as its month 0) chooses what is kept; by default every RECORDED
    variable. One that also has ``record_part(month, batch, state)`` is handed each
    block as it is stepped, and one that can also ``share`` its arrays lets the blocks
    step in processes. A run from a later month (a classroom's counterfactual branch)
    draws each month's noise from the same streams as a run from month 0.
    ``threads``: at most this many blocks stepped at once (by default ``cores()``).
    """
    keep_freed_arrays()
    stop = timeline.months if stop is None else stop
    recorder = recorder or Recorder(state, stop - start)
    H, R = state.neutrality.shape[1:]
    batch = state.neutrality.shape[0]
    cut = blocks(batch, threads)
    months = range(start + 1, stop + 1)
    if len(cut) == 1:
        for month in months:
            state = step(state, timeline.at(month), draw_noise(keys, month, H, R))
            recorder.record(month - start, state)
            if on_month is not None:
                on_month(month)
        return recorder
    parts = [take(state, "B", b) for b in cut]
    lines = [timeline.batch(b) for b in cut]
    # a recorder that can record a block is handed each block in its own thread; any
    # other gets the blocks joined into one batch, of what it reads (all, unless it says)
    record_part = getattr(recorder, "record_part", None)
    needs = getattr(recorder, "needs", None)
    if needs is None:
        needs = [f.name for f in dataclasses.fields(State)]

    def one(i: int, month: int) -> None:
        parts[i] = step(parts[i], lines[i].at(month), draw_noise(keys[cut[i]], month, H, R))
        if record_part is not None:
            record_part(month - start, cut[i], parts[i])

    workers = min(len(cut), threads or cores())
    if workers > 1 and record_part is not None and forked.possible(recorder, batch * R):
        recorder.share(forked.shared)
        groups = [[int(i) for i in g] for g in np.array_split(np.arange(len(cut)), workers)]
        forked.run(groups, one, months, on_month)
        return recorder
    with quick_handoffs(), ThreadPoolExecutor(workers, thread_name_prefix="imsim-block") as pool:
        for month in months:
            list(pool.map(one, range(len(cut)), [month] * len(cut)))
            if record_part is None:
                joined = {v: np.concatenate([getattr(s, v) for s in parts]) for v in needs}
                recorder.record(month - start, types.SimpleNamespace(**joined))
            if on_month is not None:
                on_month(month)
    return recorder
