"""Small numeric helpers shared by the rules."""

from __future__ import annotations

import numpy as np

from .namespace import xp

# Troop densities are counted per 100,000 people, attacks per 10,000 aid workers a year.
PER_100K = 1e5
PER_10K = 1e4
MONTHS_PER_YEAR = 12


def col(x: np.ndarray) -> np.ndarray:
    """A (B,) array as (B, 1), to broadcast over regions."""
    return x[:, None]


def col3(x: np.ndarray) -> np.ndarray:
    """A (B,) array as (B, 1, 1), to broadcast over actors and regions."""
    return x[:, None, None]


def row(x: np.ndarray) -> np.ndarray:
    """An (H,) or (B, H) array as (..., H, 1), to broadcast over regions."""
    return x[..., None]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, as 0.5 (1 + tanh(x / 2)): no overflow for any x. The
    augmented steps reuse tanh's array under numpy (a JAX array rebinds)."""
    y = xp.tanh(0.5 * x)
    y += 1.0
    y *= 0.5
    return y


def step_up(x: np.ndarray, at: float, width: float) -> np.ndarray:
    """A smooth 0 -> 1 switch centred at ``at``."""
    return sigmoid((x - at) / width)


def national(x: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Population-weighted mean over regions (last axis), (B,): a national figure (the
    share of people, for a mask) that does not depend on how the country is cut."""
    return (x * population).sum(axis=-1) / population.sum(axis=-1)
