"""Small numeric helpers shared by the rules."""

from __future__ import annotations

import numpy as np

# Troop densities are counted per 100,000 people.
PER_100K = 1e5


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
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def step_up(x: np.ndarray, at: float, width: float) -> np.ndarray:
    """A smooth 0 -> 1 switch centred at ``at``."""
    return sigmoid((x - at) / width)


def share(mask: np.ndarray) -> np.ndarray:
    """Share of regions (last axis) where ``mask`` holds, (B,)."""
    return mask.mean(axis=-1)
