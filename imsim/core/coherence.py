"""Coherence of the UN presence and humanitarian space.

Coherence rises with integration and co-location (003; 002 "cabinet
structure") with diminishing returns (001 §3: "the stage of diminishing
returns could be approaching") and carries a coordination cost linear in
integration (001 §5).
"""

from __future__ import annotations

import numpy as np

from .actors import humanitarian_mean
from .mission import civilian_presence
from .namespace import xp
from .params import Params


def integration_index(strength: np.ndarray, p: Params) -> np.ndarray:
    c = p.coef
    present = civilian_presence(strength, p)
    return present * (
        c.integration_hc * p.hc_inside
        + c.integration_ocha * p.ocha_inside
        + c.integration_joint_plan * p.joint_plan
        + c.integration_info * p.info_sharing
        + c.integration_assets * p.shared_assets
        + c.integration_branding * p.branding
        + c.integration_support_office * p.support_office
    )


def update_coherence(
    coherence: np.ndarray, strength: np.ndarray, p: Params
) -> tuple[np.ndarray, np.ndarray]:
    """(coherence, coordination cost), each (B,)."""
    c = p.coef
    index = integration_index(strength, p)
    target = coherence_target(strength, p)
    return coherence + c.coherence_speed * (target - coherence), c.coordination_cost * index


def coherence_target(strength: np.ndarray, p: Params) -> np.ndarray:
    """The coherence the UN presence tends to at this strength and integration, (B,)."""
    return 1.0 - xp.exp(-p.coef.coherence_scale * integration_index(strength, p))


def humanitarian_space(
    *,
    neutrality: np.ndarray,
    access: np.ndarray,
    need: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Need-weighted mean over regions (``need``: people in need, B x R) and humanitarian
    actors of sqrt(N * access)."""
    per_region = humanitarian_mean(xp.sqrt(neutrality * access), p.is_mission)
    return (per_region * need).sum(axis=-1) / need.sum(axis=-1)
