"""Phase transitions per region, political settlement and elections.

Regions move forwards and backwards at their own times (guidance ¶22-23).
Forward moves need settlement (conflict -> transition) or local capacity
(transition -> consolidation) and calm; relapse is a hazard raised by unmet
needs, missing capacity and a settlement that does not hold, and lowered by
the mission's troops; elections
consolidate only where capacity is ripe (001 §4c).
"""

from __future__ import annotations

import numpy as np

from .namespace import xp
from .options import Phase
from .params import Params
from .util import col


def move_phase(
    *,
    phase: np.ndarray,
    violence: np.ndarray,
    fighting: np.ndarray,
    settlement: np.ndarray,
    capacity: np.ndarray,
    unmet: np.ndarray,
    protection: np.ndarray,
    u: np.ndarray,
    p: Params,
) -> np.ndarray:
    """One month's phase moves per region, each a hazard drawn against ``u``.

    A war ends with the settlement and as the parties' ``fighting`` dies down, which
    troops do not end (conflict.fighting: UN missions deployed while fighting goes on
    do not shorten wars, Gilligan & Sergenti 2008); the mission counts once on the way
    out of war, through its good offices on the settlement. Relapse answers to the
    ``violence`` people live with and to troops' protection, the shield against it
    (Fortna 2004; Hultman, Kathman & Shannon 2016: troops, not other staff). Monthly
    rates are calibrated to published durations (docs/ODD.md §8).
    """
    c = p.coef
    forward = xp.where(
        phase == Phase.CONFLICT,
        col(c.forward_conflict) * settlement * (1.0 - fighting),
        xp.where(
            phase == Phase.TRANSITION,
            col(c.forward_transition) * capacity * (1.0 - violence) ** 2,
            0.0,
        ),
    )
    base = xp.where(
        phase == Phase.TRANSITION,
        col(c.relapse_transition),
        xp.where(phase == Phase.CONSOLIDATION, col(c.relapse_consolidation), 0.0),
    )
    back = (
        base
        * (1.0 + col(c.relapse_needs) * unmet)
        * (1.0 + col(c.relapse_capacity) * (1.0 - capacity))
        * (1.0 + col(c.relapse_settlement) * (1.0 - settlement))
        * (1.0 - col(c.mission_shield) * protection)
        * (col(c.relapse_calm) + col(c.relapse_violence) * violence)
    )
    moved = phase + (u < forward) - (u > 1.0 - xp.minimum(back, col(c.relapse_max)))
    moved = xp.clip(moved, Phase.CONFLICT, Phase.CONSOLIDATION)
    return xp.clip(moved, p.phase_floor, p.phase_cap).astype(xp.int8)


def update_settlement(
    *,
    settlement: np.ndarray,
    fighting: np.ndarray,
    phase: np.ndarray,
    strength: np.ndarray,
    coherence: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Political progress: the parties make it at their own pace, the mission's good
    offices add to it where there is a peace to keep (004 guidance ¶8, ¶22(1): not
    in active conflict), the more so the more coherent the UN presence (004 report
    ¶10; 003 ¶5; 001 §3); the parties' fighting wears it (conflict.fighting)."""
    c = p.coef
    mission = col(xp.minimum(1.0, strength) * (1.0 + c.coherence_settlement * coherence))
    grow = (
        col(c.settlement_growth)
        * (col(c.settlement_own_pace) + mission * (phase >= Phase.TRANSITION))
        * (1.0 - settlement)
        * (1.0 - fighting)
    )
    decay = col(c.settlement_decay) * fighting * settlement
    return xp.clip(settlement + grow - decay + p.settlement_shock, 0.0, 1.0)


def election_effects(
    called: np.ndarray, capacity: np.ndarray, p: Params
) -> tuple[np.ndarray, np.ndarray]:
    """(settlement gain, violence spike) per region from elections this month,
    called by the SRSG nationwide or by a scheduled shock in some regions:
    ripe regions consolidate, unripe ones see electoral violence (001 §4c)."""
    c = p.coef
    ripe = capacity >= col(c.election_ripeness)
    now = xp.maximum(col(called), p.elections)
    return now * ripe * col(c.election_settlement), now * ~ripe * col(c.election_violence)
