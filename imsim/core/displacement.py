"""Displacement and returns; people are conserved between the two.

Violence displaces residents; returns need security, UNHCR support and
access, and cleared routes, and a joint force-humanitarian plan with a
mobile operating base speeds them (001 §3a, Katanga). Returns can be pushed
prematurely where UNHCR does not support them (004 report ¶78-79).
"""

from __future__ import annotations

import numpy as np

from .force import cover
from .params import Params
from .util import col


def flows(
    *,
    displaced: np.ndarray,
    violence: np.ndarray,
    return_support: np.ndarray,
    unhcr_access: np.ndarray,
    demined: np.ndarray,
    protection: np.ndarray,
    pushed: np.ndarray,
    p: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """(newly displaced, returned) this month, people per region."""
    c = p.cal
    residents = np.maximum(p.population - displaced, 0.0)
    new = col(c.displacement_rate) * violence**2 * residents
    # the plan's weight where the mobile operating base is
    mob = col(c.joint_plan_spread) + col(c.joint_plan_focus) * col(p.mobile_base) * p.focal
    joint = 1.0 + col(c.joint_plan_returns * p.joint_plan) * cover(protection, p) * mob
    rate = (
        col(c.return_rate)
        * return_support
        * (1.0 - violence) ** 2
        * (col(c.returns_without_access) + col(c.returns_access) * unhcr_access)
        * (col(c.returns_uncleared) + col(c.returns_cleared) * demined)
        * joint
    )
    forced = col(c.pushed_return_rate * pushed) * (1.0 - return_support)
    returned = displaced * np.clip(rate + forced, 0.0, col(c.returns_max))
    return new, returned
