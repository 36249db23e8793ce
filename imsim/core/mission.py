"""Deployment, drawdown and exit of the mission (guidance ¶45; 001 §4c)."""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .params import Params


def civilian_presence(strength: np.ndarray, p: Params) -> np.ndarray:
    """The mission's civilian footprint, full from an integrated office's strength upwards
    (guidance ¶22(3))."""
    return xp.minimum(1.0, strength / p.coef.integrated_office)


def update_strength(
    strength: np.ndarray, target: np.ndarray, elections_held: np.ndarray, p: Params
) -> np.ndarray:
    """Ramp up towards the target over ``ramp_months``; exit within
    ``exit_months`` after elections, else draw down over ``drawdown_months``."""
    c = p.coef
    up = xp.minimum(target, strength + 1.0 / xp.maximum(p.ramp_months, 1.0))
    fast = (p.exit_after_elections > 0) & (elections_held > 0)
    pace = xp.where(fast, 1.0 / c.exit_months, 1.0 / c.drawdown_months)
    down = xp.maximum(target, strength - pace)
    return xp.where(target >= strength, up, down)
