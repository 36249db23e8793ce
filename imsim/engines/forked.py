"""Blocks stepped in forked processes, recording into memory they share with this one.

The batched engine's threads share one interpreter lock: between its numpy calls a block
runs Python, and each call hands the lock to the other thread and back. At batch 1,024
on two cores (two blocks of 512) two threads stepped 1.44x as fast as one, two processes
1.9x. So where it can, the engine steps its blocks in processes: a child forked at the
start of a run finds the timeline, state and keys already in its memory (nothing is
pickled), steps its blocks month by month and records each one (``record_part``) into
the recorder's arrays, which the recorder first moved to shared memory (its ``share``).
The numbers are the threads' bit for bit: each block is the same computation in either.
A recorder that writes much each month (``month_bytes``; every variable, say) records
faster in threads, where large arrays get huge pages: see ``SHARED_BYTES``.

Only on Linux (fork is unsafe with macOS's system libraries, and Windows has none), and
not once JAX or Ray is imported (their threads do not survive a fork);
``IMSIM_BLOCKS=threads`` keeps blocks in threads. A child runs numpy and the rules
alone, none of the locks another thread may hold (a kernel's sockets, a progress bar's
monitor), so other threads in this process do not rule it out; Python's warning that
they might is silenced for that one call.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import mmap
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..config.errors import ConfigError

MODES = ("processes", "threads")
# Modules whose threads a forked child would need and not have: JAX's runtime, and Ray's
# worker (its gRPC connections), which does not support forking.
UNFORKABLE = ("jax", "ray")
# Shared memory has no huge pages here (shmem_enabled "never", the kernel's default), so
# each 4 kB page a child records into faults in on its own. At batch 1,024 on two cores,
# processes against threads, recording 56 B a region-month: +11%; 112 B: +10%; 224 B:
# +4%; every variable (515 B): -22%. The national summary writes 13, the step alone none.
SHARED_BYTES = 128
PR_SET_PDEATHSIG = 1  # prctl's option (linux/prctl.h)
POLL = 0.0002  # seconds between looks at the children's progress, when it is reported


def blocks_mode() -> str:
    """``IMSIM_BLOCKS``: ``processes`` (the default) or ``threads``; ConfigError else."""
    given = os.environ.get("IMSIM_BLOCKS", "processes")
    if given not in MODES:
        raise ConfigError("IMSIM_BLOCKS", given, f"one of {', '.join(MODES)}")
    return given


def possible(recorder: object, region_months: int) -> bool:
    """Whether a run recording into ``recorder`` may step its blocks in processes, and
    gains by it: one whose months (``month_bytes``, ``region_months`` region-months each)
    write more than ``SHARED_BYTES`` a region-month records faster in threads."""
    return (
        sys.platform.startswith("linux")
        and hasattr(recorder, "share")
        and getattr(recorder, "month_bytes", math.inf) <= SHARED_BYTES * region_months
        and not any(name in sys.modules for name in UNFORKABLE)
        and blocks_mode() == "processes"
    )


def shared(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A zeroed array in anonymous shared memory: what a forked child writes into it, its
    parent sees. Its pages are the kernel's to fill when first written, so an array for
    months not yet run costs nothing until they are."""
    count = math.prod(shape)
    buffer = mmap.mmap(-1, max(count * np.dtype(dtype).itemsize, 1))  # MAP_SHARED|ANONYMOUS
    return np.frombuffer(buffer, dtype=dtype, count=count).reshape(shape)


@dataclass
class Child:
    """A forked process stepping blocks, as its parent sees it."""

    pid: int
    report: int  # the read end of the pipe it writes its error to
    status: int | None = None  # its exit status, once reaped

    def ended(self, block: bool) -> bool:
        """Whether it has exited (waiting for it if ``block``)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def failure(self) -> RuntimeError:
        """The error it reported, as the parent raises it."""
        message = os.read(self.report, 4096).decode()
        return RuntimeError(
            f"a block of the batch failed: {message or f'exit status {self.status}'}"
        )


def run(
    groups: Sequence[Sequence[int]],
    one: Callable[[int, int], None],
    months: range,
    on_month: Callable[[int], None] | None,
) -> None:
    """Step each group of blocks through ``months`` (``one(block, month)``): every group
    but the first in a forked child, the first here. ``on_month(month)`` once every group
    has done the month. A child's error is raised here, as a RuntimeError naming it."""
    done = shared((len(groups),), np.dtype(np.int64))
    done[:] = months.start - 1
    children: list[Child] = []
    try:
        for g in range(1, len(groups)):
            children.append(_fork(groups[g], g, one, months, done))
        for month in months:
            _step(groups[0], 0, one, month, done)
            if on_month is not None:
                _wait_for(month, done, children)
                on_month(month)
        for child in children:
            child.ended(block=True)
        failed = [c for c in children if c.status]
        if failed:
            raise failed[0].failure()
    except BaseException:
        for child in children:
            if not child.ended(block=False):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
                child.ended(block=True)
        raise
    finally:
        for child in children:
            os.close(child.report)


def _fork(
    blocks: Sequence[int],
    g: int,
    one: Callable[[int, int], None],
    months: range,
    done: np.ndarray,
) -> Child:
    """A child stepping ``blocks`` through ``months``, marking each in ``done[g]``."""
    report, write, parent = *os.pipe(), os.getpid()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*multi-threaded.*", DeprecationWarning)
        pid = os.fork()
    if pid:
        os.close(write)
        return Child(pid, report)
    status = 1  # the child: it never returns, nor runs the parent's exit handlers
    try:
        os.close(report)
        _end_with(parent)
        for month in months:
            _step(blocks, g, one, month, done)
        status = 0
    except BaseException as err:  # reported to the parent, whatever it is
        os.write(write, f"{type(err).__name__}: {err}".encode()[:4096])
    finally:
        os._exit(status)


def _step(
    blocks: Sequence[int], g: int, one: Callable[[int, int], None], month: int, done: np.ndarray
) -> None:
    """Group ``g`` steps its blocks through ``month`` and marks it done."""
    for block in blocks:
        one(block, month)
    done[g] = month


def _end_with(parent: int) -> None:
    """Have the kernel end this child if its parent ends first (killed, say), rather than
    leave it stepping months nobody reads."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _wait_for(month: int, done: np.ndarray, children: list[Child]) -> None:
    """Until every child has done ``month``; one that ended before it is an error."""
    while done.min() < month:
        for g, child in enumerate(children, 1):
            if done[g] < month and child.ended(block=False):
                raise child.failure()
        time.sleep(POLL)
