"""Counter-based random streams keyed by (seed, stream, replicate).

A draw is a pure hash of its key and its coordinates (month, purpose,
actor, region), so a replicate's numbers never depend on which other
replicates or sweep points share its batch, nor on the batch size. The hash
is SplitMix64's finaliser, vectorised over uint64 arrays.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53

# One salt per purpose, so streams never overlap.
PURPOSES = {"phase": 1, "violence": 2, "incidents": 3, "returns": 4}


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrap-around arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _combine(key: np.ndarray, value: np.ndarray | int) -> np.ndarray:
    return _mix(key + _GOLDEN + np.asarray(value, dtype=np.uint64))


def batch_keys(seed: int, replicates: np.ndarray, stream: np.ndarray | int = 0) -> np.ndarray:
    """One uint64 key per batch element from (seed, stream, replicate)."""
    with np.errstate(over="ignore"):
        key = _combine(np.full(np.shape(replicates), seed, dtype=np.uint64), 0)
        key = _combine(key, np.asarray(stream, dtype=np.uint64))
        return _combine(key, np.asarray(replicates, dtype=np.uint64))


def uniform(keys: np.ndarray, month: int, purpose: str, shape: tuple[int, ...]) -> np.ndarray:
    """U(0,1) draws of shape (B, *shape) for one month and purpose.

    Element [b, i, j] is a function of keys[b], month, purpose and (i, j) only.
    """
    with np.errstate(over="ignore"):
        k = _combine(keys, month)
        k = _combine(k, PURPOSES[purpose])
        cells = np.arange(int(np.prod(shape)), dtype=np.uint64).reshape(shape)
        bits = _mix(k.reshape(k.shape + (1,) * len(shape)) + _GOLDEN * (cells + np.uint64(1)))
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * _TO_UNIT


def normal(keys: np.ndarray, month: int, purpose: str, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal draws by the inverse of two uniforms (Box–Muller)."""
    u = uniform(keys, month, purpose, (2, *shape))
    return np.sqrt(-2.0 * np.log(u[:, 0])) * np.cos(2.0 * np.pi * u[:, 1])


def poisson(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson counts by inverse transform of given uniforms (elementwise).

    Loops over the count k, never over elements, and only over the elements
    still searching (rates are small, so most stop at 0 or 1); each element's
    count depends only on its own rate and uniform.
    """
    lam, u = np.broadcast_arrays(np.asarray(lam, dtype=np.float64), u)
    k = np.zeros(lam.shape)
    flat_k = k.reshape(-1)
    p = np.exp(-lam).reshape(-1)
    idx = np.flatnonzero(u.reshape(-1) > p)
    lam_a, u_a, p_a = lam.reshape(-1)[idx], u.reshape(-1)[idx], p[idx]
    cdf_a = p_a.copy()
    n = 0
    while idx.size and n < 200:
        n += 1
        p_a = p_a * lam_a / n
        cdf_a = cdf_a + p_a
        flat_k[idx] += 1
        keep = u_a > cdf_a
        idx, lam_a, u_a, p_a, cdf_a = idx[keep], lam_a[keep], u_a[keep], p_a[keep], cdf_a[keep]
    return k
