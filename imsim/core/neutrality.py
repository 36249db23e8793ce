"""Perceived neutrality: erodes fast with association x partisanship, recovers slowly.

Association with military actors has lasting consequences (004 guidance ¶42,
¶48; report ¶25 and guidance ¶39 say the same of undoing structural
integration): neutrality is pulled towards 1 - A*P at a fast rate when it
falls and at a slow rate, scaled by the actor's distinctness (own premises,
identity, advocacy), when it recovers. The rates and their ratio are assumptions.
"""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .params import Params


def neutrality_target(association: np.ndarray, partisanship: np.ndarray) -> np.ndarray:
    """The neutrality armed groups would grant an actor if nothing changed: 1 - A x P."""
    return 1.0 - association * partisanship[:, None, :]


def update_neutrality(
    neutrality: np.ndarray, association: np.ndarray, partisanship: np.ndarray, p: Params
) -> np.ndarray:
    c = p.coef
    gap = neutrality_target(association, partisanship) - neutrality
    rate = xp.where(
        gap < 0,
        c.erosion_rate[:, None, None],
        c.recovery_rate[:, None, None] * p.distinctness[..., None],
    )
    return xp.clip(neutrality + rate * gap, 0.0, 1.0)
