"""Counter-based random streams keyed by (seed, stream, replicate).

A draw is a pure hash of its key and its coordinates (month, purpose,
actor, region), so a replicate's numbers never depend on which other
replicates or sweep points share its batch, nor on the batch size. The hash
is SplitMix64's finaliser, vectorised over uint64 arrays.
"""

from __future__ import annotations

import math

import numpy as np

from .namespace import backend, xp

_GOLDEN = xp.uint64(0x9E3779B97F4A7C15)
_M1 = xp.uint64(0xBF58476D1CE4E5B9)
_M2 = xp.uint64(0x94D049BB133111EB)
_TO_UNIT = 2.0**-53

# (1 - lam) times this is below exp(-lam) as numpy computes it (exp's error is a few
# units in the last place, 2**-52 each; this margin is 2**-40).
_BELOW_EXP = 1.0 - 2.0**-40

# The largest count a Poisson draw gives (far above any rate of the model).
MAX_COUNT = 200

# One salt per purpose, so streams never overlap.
PURPOSES = {"phase": 1, "violence": 2, "incidents": 3, "returns": 4}


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrap-around arithmetic).

    ``x`` must be a fresh array: under numpy the augmented assignments work in place
    (one pass and no new array each); a JAX array has none, so they rebind ``x``."""
    x ^= x >> xp.uint64(30)
    x *= _M1
    x ^= x >> xp.uint64(27)
    x *= _M2
    x ^= x >> xp.uint64(31)
    return x


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
    bits >>= xp.uint64(11)
    unit = bits.astype(xp.float64)
    unit += 0.5
    unit *= _TO_UNIT
    return unit


def normal(keys: np.ndarray, month: int, purpose: str, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal draws by the inverse of two uniforms (Box–Muller)."""
    u = uniform(keys, month, purpose, (2, *shape))
    return xp.sqrt(-2.0 * xp.log(u[:, 0])) * xp.cos(2.0 * xp.pi * u[:, 1])


def poisson(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson counts by inverse transform of given uniforms (elementwise).

    Counts k up while an element's uniform lies above its cumulative probability. An
    element's count depends only on its own rate and uniform, with the same arithmetic,
    in the same order, whatever else is searched beside it: so the two ways below give
    the same counts. Under numpy the search narrows to the elements still searching
    (rates are small: most stop at 0 or 1); under JAX, whose arrays keep their shapes, it
    runs over every element as many times as the largest count (``xp.while_loop``).
    """
    lam, u = xp.broadcast_arrays(xp.asarray(lam, dtype=xp.float64), u)
    if backend() == "numpy":
        return _narrowing(lam, u)
    return _whole(lam, u)


def _whole(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The search over every element, a fixed shape throughout."""

    def searching(search: tuple) -> object:
        k, p, cdf, n = search
        return (n < MAX_COUNT) & xp.any(u > cdf)

    def one_more(search: tuple) -> tuple:
        k, p, cdf, n = search
        beyond = u > cdf
        p = p * lam / (n + 1)
        return k + beyond, p, cdf + p, n + 1

    p = xp.exp(-lam)
    k, *_ = xp.while_loop(searching, one_more, (xp.zeros(lam.shape), p, p, 0))
    return k


def _narrowing(lam: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The search over the elements still searching (numpy only: in-place, variable
    shapes)."""
    k = xp.zeros(lam.shape)
    flat_k = k.reshape(-1)
    lam, u = lam.reshape(-1), u.reshape(-1)
    # A uniform below P(0) = exp(-lam) draws 0: most do, and exp(-lam) > 1 - lam, so a
    # uniform below (1 - lam) less a margin wider than exp's rounding needs no exp.
    idx = xp.flatnonzero(u > (1.0 - lam) * _BELOW_EXP)
    lam_a, u_a = lam[idx], u[idx]
    p_a = xp.exp(-lam_a)
    keep = u_a > p_a
    idx, lam_a, u_a, p_a = idx[keep], lam_a[keep], u_a[keep], p_a[keep]
    cdf_a = p_a.copy()
    n = 0
    while idx.size and n < MAX_COUNT:
        p_a = p_a * lam_a / (n + 1)
        cdf_a = cdf_a + p_a
        flat_k[idx] += 1
        n += 1
        keep = u_a > cdf_a
        idx, lam_a, u_a, p_a, cdf_a = idx[keep], lam_a[keep], u_a[keep], p_a[keep], cdf_a[keep]
    return k
