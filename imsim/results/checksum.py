"""Checksums of a results file's data: each variable's name, dtype, shape and bytes.

Sweep chunks carry one (``sweep.integrity``), and so does every run file
(``results.storage.save_dataset``), so a file altered after it was written is found when
it is read (``load_dataset``) instead of being analysed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import xarray as xr


def variable_digest(name: str, values: np.ndarray) -> bytes:
    """A hash of one variable's name, dtype, shape and bytes."""
    values = np.ascontiguousarray(values)
    return streamed_digest(name, values.dtype, values.shape, [values])


def streamed_digest(
    name: str, dtype: np.dtype, shape: tuple[int, ...], parts: Iterable[np.ndarray]
) -> bytes:
    """``variable_digest`` of an array given as consecutive slices along its first axis
    (a merged sweep's variable, read a chunk at a time)."""
    h = hashlib.sha256(f"{name}|{np.dtype(dtype).str}|{tuple(shape)}".encode())
    for part in parts:
        h.update(np.ascontiguousarray(part, dtype=dtype).tobytes())
    return h.digest()


def combine(digests: dict[str, bytes]) -> str:
    """The checksum of a dataset from its variables' digests, in name order."""
    return hashlib.sha256(b"".join(digests[name] for name in sorted(digests))).hexdigest()


def data_checksum(ds: xr.Dataset) -> str:
    """A hash of every data variable's name, dtype, shape and bytes."""
    return combine({name: variable_digest(name, ds[name].values) for name in ds.data_vars})
