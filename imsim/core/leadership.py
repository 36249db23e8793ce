"""Decision rules of the mission's leadership: the SRSG and the multi-hatted DSRSG/RC/HC."""

from __future__ import annotations

import numpy as np

from .decisions import HcDecisions, SrsgDecisions
from .namespace import xp
from .options import (
    HIGHEST_SECURITY_PHASE,
    LOWEST_SECURITY_PHASE,
    Phase,
    Posture,
    Qips,
    SecurityManagement,
    Stance,
)
from .params import Params
from .state import State
from .util import col, national, step_up


def security_level(s: State, p: Params) -> np.ndarray:
    """UN security phase (1..5) per region, set by the SRSG as Designated Official.

    Mission-led management is restrictive and "one size fits all" (guidance
    ¶46-47): each region's level is pulled halfway towards the country's
    worst. A shock can impose a floor (guidance ¶47: Khartoum, Phase 3).
    """
    c = p.coef
    unsafe = (s.violence - col(c.security_calm_violence)) / col(c.security_violence_range)
    level = LOWEST_SECURITY_PHASE + col(c.security_violence_levels) * xp.clip(unsafe, 0.0, 1.0)
    cautious = (p.posture == Posture.RISK_AVERSE) * 1.0 - (p.posture == Posture.ENABLING)
    level = level + col(c.posture_shift * cautious)
    mission_led = col((p.security_management == SecurityManagement.MISSION) * 1.0)
    worst = level.max(axis=-1, keepdims=True)
    level = level + mission_led * col(c.one_size_fits_all) * (worst - level)
    floored = xp.maximum(level, p.security_floor)
    return xp.clip(floored, LOWEST_SECURITY_PHASE, HIGHEST_SECURITY_PHASE)


def robust_operations(s: State, p: Params) -> np.ndarray:
    """Robust operations against spoilers where armed groups hold ground,
    when the mission backs the government (guidance ¶36, ¶38)."""
    c = p.coef
    held = step_up(s.control, col(c.robust_control), col(c.robust_width))
    active = (s.phase <= Phase.TRANSITION) * held
    return col((p.stance == Stance.BACKS_GOVERNMENT) * xp.minimum(1.0, s.strength)) * active


def hold_elections(s: State, p: Params) -> np.ndarray:
    """The SRSG calls national elections once the country is ripe (001 §4c "Electoral
    ripeness"): most people live past conflict, the settlement holds and local capacity
    can carry them; never merely because the mission has arrived. Scheduled shocks can
    call them too (step.py)."""
    c = p.coef
    past_conflict = national(s.phase >= Phase.TRANSITION, p.population) >= c.elections_ripe_share
    settled = national(s.settlement, p.population) >= c.elections_settlement
    capable = national(s.capacity, p.population) >= c.election_ripeness
    called = (s.elections_held == 0) & (s.strength > c.elections_strength)
    return (called & past_conflict & settled & capable) * 1.0


def target_strength(s: State, p: Params) -> np.ndarray:
    """The share of authorised troops the SRSG wants deployed: none without a
    mission or after an early exit (001 §4c), an integrated office once most
    regions consolidate (guidance ¶22(3)), else the authorised deployment."""
    consolidated = national(s.phase == Phase.CONSOLIDATION, p.population) >= p.drawdown_share
    early_exit = (p.exit_after_elections > 0) & (s.elections_held > 0)
    target = xp.where(
        consolidated, xp.minimum(p.coef.integrated_office, p.deployment_share), p.deployment_share
    )
    return xp.where((p.deployed > 0) & ~early_exit, target, 0.0)


def push_returns(s: State, p: Params) -> np.ndarray:
    """The political side, keen to show a success, pushes returns to every region it can
    call post-conflict, safe or not (004 report ¶38, ¶78-79; guidance ¶58)."""
    return col(p.push_returns) * (s.phase >= Phase.TRANSITION)


def attention(s: State, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Split of the DSRSG/RC/HC's attention (001 §3a).

    Mission duties come first (the SRSG's primacy, guidance ¶19) and grow with
    the deployed force and the conflict it faces; what is left, plus a support
    office's capacity, is split between the HC and RC hats by their demands.
    An HC outside the mission (two feet out) wears no mission hat.
    Returns (hc_attention, rc_attention), each the share of demand met.
    """
    c = p.coef
    fighting = national(
        s.phase == Phase.CONFLICT, p.population
    ) + c.attention_transition * national(s.phase == Phase.TRANSITION, p.population)
    mission = (
        c.attention_mission_base
        + c.attention_mission_growth * xp.minimum(1.0, s.strength) * fighting
    )
    displaced = s.displaced.sum(axis=-1) / p.population.sum(axis=-1)
    need = displaced * c.hc_need_displaced + national(s.violence, p.population)
    hc_demand = c.hc_demand_base + xp.clip(need, 0.0, c.hc_demand_max)
    rc_demand = c.rc_demand_base + c.rc_demand_transition * national(
        s.phase >= Phase.TRANSITION, p.population
    )
    left = xp.where(p.hc_inside > 0, xp.clip(1.0 - mission, 0.0, 1.0), 1.0)
    # integration's coordination costs consume the same person's time (001 §5)
    capacity = xp.maximum(
        0.0, left - s.coordination_cost + c.support_office_capacity * p.support_office
    )
    hc = capacity * hc_demand / (hc_demand + rc_demand)
    rc = capacity - hc
    return xp.minimum(1.0, hc / hc_demand), xp.minimum(1.0, rc / rc_demand)


def qip_screening(hc_attention: np.ndarray, p: Params) -> np.ndarray:
    """Share of a QIP's association removed by HC review or a DSRSG pool (guidance ¶37)."""
    c = p.coef
    return xp.where(
        p.qips == Qips.HC_APPROVED,
        c.qip_screen_base + c.qip_screen_attention * hc_attention,
        xp.where(p.qips == Qips.JOINT_POOL, c.qip_screen_pool, 0.0),
    )


def decide_srsg(s: State, p: Params) -> SrsgDecisions:
    """The SRSG's decisions of the month."""
    return SrsgDecisions(
        security_level=security_level(s, p),
        robust=robust_operations(s, p),
        hold_elections=hold_elections(s, p),
        target_strength=target_strength(s, p),
        push_returns=push_returns(s, p),
    )


def decide_hc(s: State, p: Params) -> HcDecisions:
    """The DSRSG/RC/HC's decisions of the month."""
    hc, rc = attention(s, p)
    return HcDecisions(hc_attention=hc, rc_attention=rc, qip_screening=qip_screening(hc, p))
