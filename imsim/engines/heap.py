"""Freed arrays kept in the process's heap for the next month's arrays.

A month of a large batch allocates some 800 arrays of up to a few MiB and frees each at
once. glibc's malloc maps an allocation above its threshold (128 KiB at first, raised
only as such blocks are freed) fresh from the kernel and trims the heap's free top back
to it: either way the next array's pages fault in again, some 900 page faults a month
at batch 1,024, and threads stepping blocks side by side queue on the kernel's lock for
them. Raising the mapping threshold to its ceiling and the trimming threshold above a
month's peak keeps those pages in the heap, for the batched engine's whole process
(benchmarks/numpy_engine.py measures the difference; ``IMSIM_HEAP=system`` keeps
glibc's defaults). Other C libraries are left as they are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

from ..config.errors import ConfigError

# glibc's mallopt parameters (malloc.h) and values: 32 MiB is the mapping threshold's
# ceiling on 64-bit (HEAP_MAX_SIZE / 2); freed memory up to 512 MiB stays in the heap.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 512 * 2**20
CHOICES = ("keep", "system")


def heap_choice() -> str:
    """``IMSIM_HEAP``: ``keep`` (the default) or ``system``; ConfigError for another."""
    choice = os.environ.get("IMSIM_HEAP", "keep")
    if choice not in CHOICES:
        raise ConfigError("IMSIM_HEAP", choice, f"one of {', '.join(CHOICES)}")
    return choice


@functools.cache
def keep_freed_arrays() -> bool:
    """Tune glibc's malloc once per process, unless ``IMSIM_HEAP=system``; whether it
    took effect (False off glibc, or when asked not to)."""
    if heap_choice() == "system":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except (OSError, TypeError):
        return False
    if not hasattr(libc, "gnu_get_libc_version"):  # not glibc: macOS, musl, Windows
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
