"""Phase transitions per region, political settlement and elections.

Regions move forwards and backwards at their own times (guidance ¶22-23).
Forward moves need settlement (conflict -> transition) or local capacity
(transition -> consolidation) and calm; relapse is a hazard raised by unmet
needs and missing capacity and lowered by a deployed mission; elections
consolidate only where capacity is ripe (001 §4c).
"""

from __future__ import annotations

import numpy as np

from .options import Phase
from .params import Params
from .util import col


def move_phase(
    *,
    phase: np.ndarray,
    violence: np.ndarray,
    settlement: np.ndarray,
    capacity: np.ndarray,
    unmet: np.ndarray,
    strength: np.ndarray,
    u: np.ndarray,
    p: Params,
) -> np.ndarray:
    c = p.cal
    mission = col(np.minimum(1.0, strength))
    forward = np.where(
        phase == Phase.CONFLICT,
        col(c.forward_conflict)
        * settlement
        * (1.0 - violence)
        * (col(c.forward_without_mission) + col(c.forward_mission) * mission),
        np.where(
            phase == Phase.TRANSITION,
            col(c.forward_transition) * capacity * (1.0 - violence) ** 2,
            0.0,
        ),
    )
    base = np.where(
        phase == Phase.TRANSITION,
        col(c.relapse_transition),
        np.where(phase == Phase.CONSOLIDATION, col(c.relapse_consolidation), 0.0),
    )
    back = (
        base
        * (1.0 + col(c.relapse_needs) * unmet)
        * (1.0 + col(c.relapse_capacity) * (1.0 - capacity))
        * (1.0 - col(c.mission_shield) * mission)
        * (col(c.relapse_calm) + col(c.relapse_violence) * violence)
    )
    moved = phase + (u < forward) - (u > 1.0 - np.minimum(back, col(c.relapse_max)))
    moved = np.clip(moved, Phase.CONFLICT, Phase.CONSOLIDATION)
    return np.clip(moved, p.phase_floor, p.phase_cap).astype(np.int8)


def update_settlement(
    settlement: np.ndarray, violence: np.ndarray, strength: np.ndarray, p: Params
) -> np.ndarray:
    """Political progress: the mission's good offices build it, violence wears it."""
    c = p.cal
    mission = col(np.minimum(1.0, strength))
    grow = (
        col(c.settlement_growth)
        * (col(c.settlement_own_pace) + mission)
        * (1.0 - settlement)
        * (1.0 - violence)
    )
    decay = col(c.settlement_decay) * violence * settlement
    return np.clip(settlement + grow - decay + p.settlement_shock, 0.0, 1.0)


def election_effects(
    called: np.ndarray, capacity: np.ndarray, p: Params
) -> tuple[np.ndarray, np.ndarray]:
    """(settlement gain, violence spike) per region from elections this month,
    called by the SRSG nationwide or by a scheduled shock in some regions:
    ripe regions consolidate, unripe ones see electoral violence (001 §4c)."""
    c = p.cal
    ripe = capacity >= col(c.election_ripeness)
    now = np.maximum(col(called), p.elections)
    return now * ripe * col(c.election_settlement), now * ~ripe * col(c.election_violence)
