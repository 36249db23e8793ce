"""Counter-based random streams keyed by (seed, stream, replicate).

A draw is a pure hash of its key and its coordinates (month, purpose,
actor, region), so a replicate's numbers never depend on which other
replicates or sweep points share its batch, nor on the batch size. The hash
is SplitMix64's finaliser, vectorised over uint64 arrays.
"""

from __future__ import annotations

import math

import numpy as np

from .namespace import xp

_GOLDEN = xp.uint64(0x9E3779B97F4A7C15)
_M1 = xp.uint64(0xBF58476D1CE4E5B9)
_M2 = xp.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53

# One salt per purpose, so streams never overlap.
PURPOSES = {"phase": 1, "violence": 2, "incidents": 3, "returns": 4}


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrap-around arithmetic)."""
    x = x ^ (x >> xp.uint64(30))
    x = x * _M1
    x = x ^ (x >> xp.uint64(27))
    x = x * _M2
    return x ^ (x >> xp.uint64(31))


def _combine(key: np.ndarray, value: np.ndarray | int) -> np.ndarray:
    return _mix(key + _GOLDEN + xp.asarray(value, dtype=xp.uint64))


def batch_keys(seed: int, replicates: np.ndarray, stream: np.ndarray | int = 0) -> np.ndarray:
    """One uint64 key per batch element from (seed, stream, replicate)."""
    with xp.errstate(over="ignore"):
        key = _combine(xp.full(xp.shape(replicates), seed, dtype=xp.uint64), 0)
        key = _combine(key, xp.asarray(stream, dtype=xp.uint64))
        return _combine(key, xp.asarray(replicates, dtype=xp.uint64))


def uniform(keys: np.ndarray, month: int, purpose: str, shape: tuple[int, ...]) -> np.ndarray:
    """U(0,1) draws of shape (B, *shape) for one month and purpose.

    Element [b, i, j] is a function of keys[b], month, purpose and (i, j) only.
    """
    with xp.errstate(over="ignore"):
        k = _combine(keys, month)
        k = _combine(k, PURPOSES[purpose])
        cells = xp.arange(math.prod(shape), dtype=xp.uint64).reshape(shape)
        bits = _mix(k.reshape(k.shape + (1,) * len(shape)) + _GOLDEN * (cells + xp.uint64(1)))
    return ((bits >> xp.uint64(11)).astype(xp.float64) + 0.5) * _TO_UNIT


def normal(keys: np.ndarray, month: int, purpose: str, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal draws by the inverse of two uniforms (Box–Muller)."""
    u = uniform(keys, month, purpose, (2, *shape))
    return xp.sqrt(-2.0 * xp.log(u[:, 0])) * xp.cos(2.0 * xp.pi * u[:, 1])


def poisson(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson counts by inverse transform of given uniforms (elementwise).

    Counts up k while any element's uniform lies above its cumulative probability: the
    loop runs as many times as the largest count (rates are small, so a few times), on
    arrays of one shape (``xp.while_loop``: no data-dependent shapes, so JAX runs it
    too). An element's count depends only on its own rate and uniform, with the same
    arithmetic, in the same order, as a search of that element alone.
    """
    lam, u = xp.broadcast_arrays(xp.asarray(lam, dtype=xp.float64), u)
    p = xp.exp(-lam)

    def searching(search: tuple) -> object:
        k, p, cdf, n = search
        return (n < 200) & xp.any(u > cdf)

    def one_more(search: tuple) -> tuple:
        k, p, cdf, n = search
        beyond = u > cdf
        p = p * lam / (n + 1)
        return k + beyond, p, cdf + p, n + 1

    k, *_ = xp.while_loop(searching, one_more, (xp.zeros(lam.shape), p, p, 0))
    return k
