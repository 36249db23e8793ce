"""Local capacity: built by RC/development attention and local ownership,
drained by a two-tier civil service and by violence (001 §4b, §5; report ¶34)."""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .options import Phase
from .params import Params
from .util import col


def update_capacity(
    *,
    capacity: np.ndarray,
    phase: np.ndarray,
    violence: np.ndarray,
    rc_attention: np.ndarray,
    coherence: np.ndarray,
    strength: np.ndarray,
    handover: np.ndarray,
    p: Params,
) -> np.ndarray:
    c = p.coef
    # a coherent UN presence builds more with the same attention (004 report ¶10; 001 §3)
    development = rc_attention * (1.0 + c.coherence_capacity * coherence)
    build = col(c.capacity_growth * development) * (phase >= Phase.TRANSITION) * (1.0 - capacity)
    ownership = col(c.capacity_growth * handover) * (1.0 - capacity)
    drain = col(c.capacity_drain * xp.minimum(1.0, strength)) * capacity
    damage = col(c.capacity_damage) * violence * capacity
    return xp.clip(capacity + build + ownership - drain - damage, 0.0, 1.0)
